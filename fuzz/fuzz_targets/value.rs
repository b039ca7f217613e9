//! Indicator values: `parse_value` and its helpers never panic, and keep the text typed.
#![no_main]

use jixiao::read::values::{
    collapse_spaces, join_split_value, parse_nature, parse_value, strip_markup,
};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let v = parse_value(text);
    assert_eq!(v.raw, text.trim());
    if v.number.is_some() {
        assert!(v.comparator.is_some());
    }
    // The split columns of the newer layout: three fields out of one input.
    let mut it = text.splitn(3, '\u{1f}');
    let (a, b, c) = (
        it.next().unwrap_or(""),
        it.next().unwrap_or(""),
        it.next().unwrap_or(""),
    );
    let _ = join_split_value(a, b, c);
    let _ = parse_nature(text);
    if let Some(s) = strip_markup(text) {
        assert_eq!(collapse_spaces(&s), s);
    }
    let once = collapse_spaces(text);
    assert_eq!(collapse_spaces(&once), once);
});
