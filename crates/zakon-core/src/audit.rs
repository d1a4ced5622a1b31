//! The audit log: one JSON line per block or override, appended under an exclusive file
//! lock (bounded wait) in a single write so concurrent hook processes never interleave or
//! lose lines, through a non-blocking open that refuses anything but a regular file.

use crate::Error;
use serde_json::{Value, json};
use std::path::Path;

/// One audit record.
pub struct Entry<'a> {
    pub gate: &'a str,
    pub session_id: &'a str,
    /// `block`, `override`, `override-rejected`, `skip-comment-ignored`, …
    pub decision: &'a str,
    pub rule: &'a str,
    pub details: Value,
}

impl Entry<'_> {
    pub fn to_line(&self) -> String {
        let mut line = json!({
            "timestamp": crate::time::now_rfc3339(),
            "gate": self.gate,
            // No session (input that did not parse): null, not an empty string.
            "session_id": (!self.session_id.is_empty()).then_some(self.session_id),
            "decision": self.decision,
            "rule": self.rule,
            "details": self.details,
        })
        .to_string();
        line.push('\n');
        line
    }
}

/// Appends one line to a JSON Lines file without ever blocking (see [`crate::fsio`]).
pub use crate::fsio::append_line;

pub fn append(path: &Path, entry: &Entry) -> Result<(), Error> {
    append_line(path, &entry.to_line())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn concurrent_appends_keep_every_line_whole() {
        let dir = std::env::temp_dir().join(format!("zakon-audit-{}", std::process::id()));
        let path = dir.join("nested/audit.jsonl");
        let big = "x".repeat(20_000);
        std::thread::scope(|s| {
            for i in 0..16 {
                let (path, big) = (&path, &big);
                s.spawn(move || {
                    let e = Entry {
                        gate: "t",
                        session_id: "s",
                        decision: "block",
                        rule: "r",
                        details: json!({"i": i, "pad": big}),
                    };
                    append(path, &e).unwrap();
                });
            }
        });
        let text = std::fs::read_to_string(&path).unwrap();
        let lines: Vec<_> = text.lines().collect();
        assert_eq!(lines.len(), 16);
        for l in lines {
            let v: Value = serde_json::from_str(l).unwrap();
            assert_eq!(v["gate"], "t");
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
