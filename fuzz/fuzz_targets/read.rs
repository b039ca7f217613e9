//! Any bytes → the whole reader. Must return `Ok` or `Err`, never panic, hang or blow memory.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(init: jixiao_fuzz::tolerate_caught_dependency_panics(), |data: &[u8]| {
    let path = std::path::Path::new("fuzz.xlsx");
    if let Err(e) = jixiao::read_bytes(path, data) {
        // Every error names the file.
        assert!(e.to_string().contains("fuzz.xlsx"), "{e}");
    }
});
