//! JSON Schema checks, for response formats and `json-schema` graders.

/// Whether `schema` is a valid JSON schema.
pub fn check_schema(schema: &serde_json::Value) -> Result<(), String> {
    jsonschema::validator_for(schema).map(|_| ()).map_err(|e| e.to_string())
}

/// Validates `value` against `schema`; the error lists what does not match, with where.
pub fn validate(schema: &serde_json::Value, value: &serde_json::Value) -> Result<(), String> {
    let validator = jsonschema::validator_for(schema).map_err(|e| format!("invalid schema: {e}"))?;
    let errors: Vec<String> = validator
        .iter_errors(value)
        .map(|e| {
            let at = e.instance_path().to_string();
            if at.is_empty() { e.to_string() } else { format!("{at}: {e}") }
        })
        .collect();
    if errors.is_empty() { Ok(()) } else { Err(errors.join("; ")) }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    #[test]
    fn validates_and_explains() {
        let schema = json!({"type": "object", "properties": {"n": {"type": "integer"}}, "required": ["n"]});
        assert!(super::validate(&schema, &json!({"n": 3})).is_ok());
        let err = super::validate(&schema, &json!({"n": "x"})).unwrap_err();
        assert!(err.contains("/n"), "{err}");
        assert!(super::check_schema(&json!({"type": "nonsense"})).is_err());
    }
}
