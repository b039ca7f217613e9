//! The model's JSON Schema (`docs/model.schema.json`) is generated from the Rust types; this
//! test fails when the committed file and the types drift apart.

use crate::common::root;

/// The schema of the model's JSON form, as committed.
fn generated() -> String {
    let schema = schemars::schema_for!(jixiao::model::Document);
    let mut text = serde_json::to_string_pretty(&schema).expect("the schema serialises");
    text.push('\n');
    text
}

#[test]
fn the_committed_schema_matches_the_model() {
    let path = root().join("docs").join("model.schema.json");
    let want = generated();
    if std::env::var_os("JIXIAO_WRITE_SCHEMA").is_some() {
        std::fs::write(&path, &want).expect("docs/model.schema.json is writable");
    }
    let have = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        have == want,
        "docs/model.schema.json is not the schema of src/model.rs; regenerate it with\n  \
         JIXIAO_WRITE_SCHEMA=1 cargo test --test it schema::\nand commit the result"
    );
}

#[test]
fn every_sample_model_is_valid_against_its_schema_keys() {
    // Every key the model writes is described by the schema (a cheap check without a
    // validator: the top-level table properties).
    let schema: serde_json::Value = serde_json::from_str(&generated()).expect("the schema is JSON");
    let table = &schema["$defs"]["Table"]["properties"];
    let doc = crate::common::read(&crate::common::sample("national.xlsx"));
    let json = serde_json::to_value(&doc).expect("the model serialises");
    assert_eq!(json["schema"], jixiao::model::SCHEMA_VERSION);
    for t in json["tables"].as_array().expect("tables") {
        for key in t.as_object().expect("a table").keys() {
            assert!(
                table.get(key).is_some(),
                "table key {key} not in the schema"
            );
        }
    }
}
