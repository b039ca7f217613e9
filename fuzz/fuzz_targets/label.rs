//! Labels: normalising is idempotent and never panics; lookups never panic.
#![no_main]

use jixiao::read::labels::{normalize_label, Labels};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let once = normalize_label(text);
    assert_eq!(normalize_label(&once), once, "not idempotent for {text:?}");
    let _ = Labels::builtin().lookup(text);
});
