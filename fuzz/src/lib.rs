//! Shared set-up of the reader fuzz targets.

use std::collections::HashSet;
use std::sync::Mutex;

/// The reader turns a panic inside a parser it depends on (calamine) into a damaged-file error
/// (`jixiao::read::guard::catch_parser_panic`). libFuzzer's hook would abort on it anyway;
/// this hook lets panics raised in dependency code unwind to that catch, noting each distinct
/// place once on stderr, and still aborts on a panic anywhere else. A panic that escapes the
/// catch still aborts: libfuzzer-sys aborts when the target unwinds.
pub fn tolerate_caught_dependency_panics() {
    static SEEN: Mutex<Option<HashSet<String>>> = Mutex::new(None);
    let default_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let place = info
            .location()
            .map(|l| format!("{}:{}", l.file(), l.line()))
            .unwrap_or_default();
        if place.contains("/.cargo/registry/") {
            let mut seen = SEEN
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            if seen.get_or_insert_with(HashSet::new).insert(place.clone()) {
                eprintln!("caught dependency panic at {place}: {info}");
            }
            return;
        }
        default_hook(info);
        std::process::abort();
    }));
}
