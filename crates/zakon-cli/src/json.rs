//! An order-preserving JSON value and the layout (indent, final newline, BOM) of the file
//! it came from, so editing `settings.json` keeps the user's key order and formatting.
//!
//! serde_json's `Map` sorts keys unless its `preserve_order` feature is on, and that feature
//! would switch key order for every crate in the workspace build; a local type keeps the
//! change to this crate.

use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};
use std::fmt;

#[derive(Debug, Clone, PartialEq)]
pub enum Json {
    Null,
    Bool(bool),
    Number(serde_json::Number),
    String(String),
    Array(Vec<Json>),
    /// Keys in file order; duplicates are kept as they were written.
    Object(Vec<(String, Json)>),
}

impl Json {
    pub fn object() -> Json {
        Json::Object(Vec::new())
    }

    pub fn str(s: &str) -> Json {
        Json::String(s.to_string())
    }

    pub fn get(&self, key: &str) -> Option<&Json> {
        match self {
            Json::Object(m) => m.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    pub fn get_mut(&mut self, key: &str) -> Option<&mut Json> {
        match self {
            Json::Object(m) => m.iter_mut().rev().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// Replaces the value of `key` in place, or appends it at the end.
    pub fn set(&mut self, key: &str, value: Json) {
        if let Some(slot) = self.get_mut(key) {
            *slot = value;
        } else if let Json::Object(m) = self {
            m.push((key.to_string(), value));
        }
    }

    /// Removes every occurrence of `key`.
    pub fn remove(&mut self, key: &str) {
        if let Json::Object(m) = self {
            m.retain(|(k, _)| k != key);
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Json::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_u64(&self) -> Option<u64> {
        match self {
            Json::Number(n) => n.as_u64(),
            _ => None,
        }
    }

    /// `an object`, `an array`, … for error messages.
    pub fn kind(&self) -> &'static str {
        match self {
            Json::Null => "null",
            Json::Bool(_) => "a boolean",
            Json::Number(_) => "a number",
            Json::String(_) => "a string",
            Json::Array(_) => "an array",
            Json::Object(_) => "an object",
        }
    }

    pub fn parse(text: &str) -> Result<Json, serde_json::Error> {
        serde_json::from_str(text)
    }
}

/// How a JSON file was laid out, so a rewrite looks like the original.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layout {
    pub indent: String,
    pub final_newline: bool,
    pub bom: bool,
}

impl Default for Layout {
    /// What Claude Code itself writes: two spaces, final newline.
    fn default() -> Self {
        Layout {
            indent: "  ".to_string(),
            final_newline: true,
            bom: false,
        }
    }
}

impl Layout {
    /// The indent of the first indented line; files without one get the default.
    pub fn detect(text: &str) -> Layout {
        let indent = text
            .lines()
            .skip(1)
            .map(|l| &l[..l.len() - l.trim_start_matches([' ', '\t']).len()])
            .find(|ws| !ws.is_empty())
            .unwrap_or("  ")
            .to_string();
        Layout {
            indent,
            final_newline: text.is_empty() || text.ends_with('\n'),
            bom: false,
        }
    }

    pub fn render(&self, value: &Json) -> Vec<u8> {
        let mut out = Vec::new();
        if self.bom {
            out.extend_from_slice("\u{feff}".as_bytes());
        }
        let fmt = serde_json::ser::PrettyFormatter::with_indent(self.indent.as_bytes());
        let mut ser = serde_json::Serializer::with_formatter(&mut out, fmt);
        // Serialising an in-memory value into a Vec cannot fail.
        let _ = value.serialize(&mut ser);
        if self.final_newline {
            out.push(b'\n');
        }
        out
    }
}

impl Serialize for Json {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Json::Null => s.serialize_unit(),
            Json::Bool(b) => s.serialize_bool(*b),
            Json::Number(n) => n.serialize(s),
            Json::String(v) => s.serialize_str(v),
            Json::Array(items) => {
                let mut seq = s.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
            Json::Object(entries) => {
                let mut map = s.serialize_map(Some(entries.len()))?;
                for (k, v) in entries {
                    map.serialize_entry(k, v)?;
                }
                map.end()
            }
        }
    }
}

impl<'de> Deserialize<'de> for Json {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Json, D::Error> {
        d.deserialize_any(JsonVisitor)
    }
}

struct JsonVisitor;

impl<'de> Visitor<'de> for JsonVisitor {
    type Value = Json;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_unit<E>(self) -> Result<Json, E> {
        Ok(Json::Null)
    }

    fn visit_bool<E>(self, v: bool) -> Result<Json, E> {
        Ok(Json::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Json, E> {
        Ok(Json::Number(v.into()))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Json, E> {
        Ok(Json::Number(v.into()))
    }

    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Json, E> {
        serde_json::Number::from_f64(v)
            .map(Json::Number)
            .ok_or_else(|| E::custom("number out of range"))
    }

    fn visit_str<E>(self, v: &str) -> Result<Json, E> {
        Ok(Json::String(v.to_string()))
    }

    fn visit_string<E>(self, v: String) -> Result<Json, E> {
        Ok(Json::String(v))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Json, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Json::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Json, A::Error> {
        let mut entries = Vec::new();
        while let Some((k, v)) = map.next_entry::<String, Json>()? {
            entries.push((k, v));
        }
        Ok(Json::Object(entries))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_order_and_layout() {
        for text in [
            "{\n  \"z\": 1,\n  \"a\": [\n    true,\n    null\n  ],\n  \"m\": {}\n}\n",
            "{\n    \"model\": \"opus\",\n    \"env\": {\n        \"B\": \"2\",\n        \"A\": \"1\"\n    }\n}",
            "{\n\t\"b\": \"é ✔\",\n\t\"a\": -3.5\n}\n",
        ] {
            let v = Json::parse(text).unwrap();
            let layout = Layout::detect(text);
            assert_eq!(String::from_utf8(layout.render(&v)).unwrap(), text);
        }
    }

    #[test]
    fn detects_layout() {
        for (text, indent, newline) in [
            ("{}", "  ", false),
            ("{\n    \"a\": 1\n}\n", "    ", true),
            ("{\n\t\"a\": 1\n}", "\t", false),
            ("", "  ", true),
        ] {
            let l = Layout::detect(text);
            assert_eq!(
                (l.indent.as_str(), l.final_newline),
                (indent, newline),
                "{text:?}"
            );
        }
    }

    #[test]
    fn object_edits_keep_position() {
        let mut v = Json::parse(r#"{"a":1,"b":2,"c":3}"#).unwrap();
        v.set("b", Json::str("x"));
        v.set("d", Json::Null);
        v.remove("a");
        let keys: Vec<_> = match &v {
            Json::Object(m) => m.iter().map(|(k, _)| k.as_str()).collect(),
            _ => unreachable!(),
        };
        assert_eq!(keys, ["b", "c", "d"]);
        assert_eq!(v.get("b").and_then(Json::as_str), Some("x"));
    }
}
