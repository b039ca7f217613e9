//! Amounts typed as text: `parse_amount_text` never panics, and what it returns converts to
//! 万元 the way the reader does it.
#![no_main]

use jixiao::read::values::{money_scale, parse_amount_text};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Some(a) = parse_amount_text(text) {
        let wan = a.unit.map_or(a.value, |u| u.to_wan(a.value));
        let _ = money_scale(wan);
    }
});
