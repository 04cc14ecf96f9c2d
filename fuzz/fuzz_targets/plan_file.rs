//! The plan-file reader on arbitrary text: a plan from elsewhere is untrusted input. Errors
//! are fine, panics are not; what it reads is rendered as `canon show` would.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(doc) = canon::document::planfile::parse("fuzz.yaml", text) {
        let _ = canon::render::review::text(&doc);
        let _ = canon::render::review::script(&doc);
        let _ = canon::render::review::rollback_script(&doc);
        let _ = canon::render::html::page(&doc);
        let _ = doc.digest();
    }
});
