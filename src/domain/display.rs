//! How stored values read to a person in reviews, conflicts and history:
//! plain text for JSON values, readable field names, byte sizes.

use serde_json::Value;

/// Shown for an absent or empty value.
pub const EMPTY: &str = "(empty)";

/// A stored value as text: strings as they are, whole numbers without a
/// fraction, lists joined by commas, maps as `key: value` pairs.
pub fn value_text(value: Option<&Value>) -> String {
    match value {
        None | Some(Value::Null) => EMPTY.into(),
        Some(Value::String(s)) if s.is_empty() => EMPTY.into(),
        Some(v) => inline(v),
    }
}

fn inline(value: &Value) -> String {
    match value {
        Value::Null => EMPTY.into(),
        Value::Bool(true) => "yes".into(),
        Value::Bool(false) => "no".into(),
        Value::String(s) => s.clone(),
        Value::Number(n) => match n.as_f64() {
            Some(f) if n.is_f64() && f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", f as i64),
            _ => n.to_string(),
        },
        Value::Array(items) if items.is_empty() => EMPTY.into(),
        Value::Array(items) => items.iter().map(inline).collect::<Vec<_>>().join(", "),
        Value::Object(map) if map.is_empty() => EMPTY.into(),
        Value::Object(map) => map
            .iter()
            .map(|(k, v)| format!("{k}: {}", inline(v)))
            .collect::<Vec<_>>()
            .join(", "),
    }
}

/// Text cut to `max` characters with an ellipsis, for buttons and lists.
pub fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let cut: String = text.chars().take(max.saturating_sub(1)).collect();
    format!("{}\u{2026}", cut.trim_end())
}

/// A field path as a person reads it: `["planned_start"]` → "Planned
/// start", `["objectives", "o1"]` → "Objectives › o1".
pub fn field_label(path: &[String]) -> String {
    let mut parts = path.iter();
    let Some(first) = parts.next() else {
        return "(whole record)".into();
    };
    let mut out = humanize(first);
    for part in parts {
        out.push_str(" \u{203a} ");
        out.push_str(part);
    }
    out
}

/// `snake_case` key → "Sentence case".
pub fn humanize(key: &str) -> String {
    let spaced = key.replace('_', " ");
    let mut chars = spaced.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Singular display noun of a collection: "projects" → "Project"; the
/// portfolio itself (collection "") → "Portfolio".
pub fn collection_noun(collection: &str) -> String {
    if collection.is_empty() {
        return "Portfolio".into();
    }
    let singular = collection
        .strip_suffix("ies")
        .map(|stem| format!("{stem}y"))
        .or_else(|| collection.strip_suffix('s').map(str::to_string))
        .unwrap_or_else(|| collection.to_string());
    humanize(&singular)
}

/// A byte count as a person reads it: "850 bytes", "12.3 KB", "4.1 MB".
pub fn byte_size(bytes: usize) -> String {
    const KB: f64 = 1024.0;
    let b = bytes as f64;
    if bytes < 1024 {
        format!("{bytes} bytes")
    } else if b < KB * KB {
        format!("{:.1} KB", b / KB)
    } else {
        format!("{:.1} MB", b / (KB * KB))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn values_read_as_plain_text() {
        assert_eq!(value_text(None), EMPTY);
        assert_eq!(value_text(Some(&json!(null))), EMPTY);
        assert_eq!(value_text(Some(&json!(""))), EMPTY);
        assert_eq!(value_text(Some(&json!("Web"))), "Web");
        assert_eq!(value_text(Some(&json!(120000.0))), "120000");
        assert_eq!(value_text(Some(&json!(12.5))), "12.5");
        assert_eq!(value_text(Some(&json!(7))), "7");
        assert_eq!(value_text(Some(&json!(true))), "yes");
        assert_eq!(value_text(Some(&json!(["a", "b"]))), "a, b");
        assert_eq!(value_text(Some(&json!({"o1": 3}))), "o1: 3");
    }

    #[test]
    fn field_paths_and_collections_read_as_words() {
        let path = |p: &[&str]| p.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(field_label(&path(&["planned_start"])), "Planned start");
        assert_eq!(
            field_label(&path(&["objectives", "o1"])),
            "Objectives \u{203a} o1"
        );
        assert_eq!(collection_noun("projects"), "Project");
        assert_eq!(collection_noun("activities"), "Activity");
        assert_eq!(collection_noun(""), "Portfolio");
    }

    #[test]
    fn sizes_and_shortening() {
        assert_eq!(byte_size(850), "850 bytes");
        assert_eq!(byte_size(12_595), "12.3 KB");
        assert_eq!(byte_size(4_300_000), "4.1 MB");
        assert_eq!(shorten("abcdef", 4), "abc\u{2026}");
        assert_eq!(shorten("abc", 4), "abc");
    }
}
