//! A task's claims — from `verify-<id>/claims.json`, else the task's `dod_evidence` in the
//! Mission Control database — and their type (UI, E2E) by whole-word keyword.
//!
//! Fail-closed: a claims file or database that exists but cannot be read or parsed is an
//! error (exit 2 with the path); only a database that does not exist means "no claims".

use rusqlite::types::ValueRef;
use rusqlite::{Connection, OpenFlags, OptionalExtension};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::time::Duration;
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;
use zakon_core::Error;

/// A claims file larger than this is refused rather than read into memory.
const MAX_CLAIMS_BYTES: u64 = 8 * 1024 * 1024;

/// Where the claims came from, for messages.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Source {
    /// The claims file, when it exists and holds at least one claim.
    pub file: Option<PathBuf>,
    /// The database, when the task has a `dod_evidence` value.
    pub db: Option<PathBuf>,
}

/// The claims of one task and where they came from.
#[derive(Debug, Clone)]
pub struct Claims {
    pub texts: Vec<String>,
    pub source: Source,
}

/// The task's `dod_evidence` claims (`dod`, read from `db`), plus any the claims file adds.
///
/// The database is authoritative: the claims file is written by the agent that wants the
/// task closed, so it may add claims but never remove or replace one. (`[]` or
/// `["Backend tuned"]` in claims.json must not hide "Registration screen works".)
pub fn load(claims_file: &Path, dod: Option<String>, db: &Path) -> Result<Claims, Error> {
    let mut texts = Vec::new();
    let mut source = Source::default();
    if let Some(text) = dod {
        texts = split_dod(&text);
        source.db = Some(db.to_path_buf());
    }
    if let Some(extra) = from_file(claims_file)?
        && !extra.is_empty()
    {
        source.file = Some(claims_file.to_path_buf());
        for claim in extra {
            if !texts.contains(&claim) {
                texts.push(claim);
            }
        }
    }
    Ok(Claims { texts, source })
}

/// The claims in a claims file; `None` when the file does not exist.
pub fn from_file(path: &Path) -> Result<Option<Vec<String>>, Error> {
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(Error::io("read claims file", path, &e)),
    };
    if !meta.is_file() {
        // A FIFO would hang the read until Claude Code's timeout lets the call through.
        return Err(Error::new(format!(
            "claims file {} is not a regular file; remove it and write the claims as a JSON file",
            path.display()
        )));
    }
    if meta.len() > MAX_CLAIMS_BYTES {
        return Err(Error::new(format!(
            "claims file {} is {} bytes, more than the {MAX_CLAIMS_BYTES} bytes the gate reads",
            path.display(),
            meta.len()
        )));
    }
    let bytes = zakon_core::fsio::read_regular_bounded(path, MAX_CLAIMS_BYTES)
        .map_err(|e| Error::io("read claims file", path, &e))?;
    let value: Value = serde_json::from_slice(&bytes).map_err(|e| {
        Error::new(format!(
            "claims file {} is not valid JSON: {e}",
            path.display()
        ))
    })?;
    from_json(&value).map(Some).map_err(|what| {
        Error::new(format!(
            "claims file {} has the wrong shape: {what}; expected an array of strings, of \
             objects with a \"text\" or \"claim\" string, or {{\"claims\": [...]}}",
            path.display()
        ))
    })
}

/// `["…"]`, `[{"text": "…"}]`, `[{"claim": "…"}]` or `{"claims": [...]}`. Blank claims are
/// dropped.
pub fn from_json(value: &Value) -> Result<Vec<String>, String> {
    let items = match value {
        Value::Array(items) => items,
        Value::Object(map) => match map.get("claims") {
            Some(Value::Array(items)) => items,
            Some(_) => return Err("\"claims\" is not an array".into()),
            None => return Err("an object without a \"claims\" array".into()),
        },
        _ => return Err("neither an array nor an object".into()),
    };
    let mut out = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let text = match item {
            Value::String(s) => s.as_str(),
            Value::Object(map) => match (map.get("text"), map.get("claim")) {
                (Some(Value::String(s)), _) | (None, Some(Value::String(s))) => s.as_str(),
                _ => return Err(format!("claim {i} has no \"text\" or \"claim\" string")),
            },
            _ => return Err(format!("claim {i} is neither a string nor an object")),
        };
        let text = text.trim();
        if !text.is_empty() {
            out.push(text.to_string());
        }
    }
    Ok(out)
}

/// `dod_evidence` of task `id`, read-only; `None` when the database does not exist, the task
/// is not in it, or the field is NULL.
pub fn dod_evidence(db: &Path, id: i64) -> Result<Option<String>, Error> {
    // SQLite opens the path itself, with a blocking open(2): a FIFO there would hang it. The
    // stat below does not block and refuses anything but a regular file; a swap between it
    // and SQLite's open is still possible, and the runner's deadline ends that case (exit 2).
    match std::fs::metadata(db) {
        Ok(m) if m.is_file() => {}
        Ok(_) => return Err(not_a_db_file(db)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(Error::io("open Mission Control database", db, &e)),
    }
    let fail = |e: rusqlite::Error| {
        Error::new(format!(
            "cannot read dod_evidence of task {id} from Mission Control database {}: {e}",
            db.display()
        ))
    };
    let conn = Connection::open_with_flags(
        db,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(fail)?;
    // mc.js may be writing at this moment; wait briefly rather than fail on SQLITE_BUSY.
    conn.busy_timeout(Duration::from_millis(1500))
        .map_err(fail)?;
    dod_in(&conn, id).map_err(fail)
}

/// `dod_evidence` of task `id` through an open connection (the gate's own transaction when
/// it checks the task's state after a tool ran).
pub fn dod_in(conn: &Connection, id: i64) -> rusqlite::Result<Option<String>> {
    let text = conn
        .query_row(
            "SELECT dod_evidence FROM tasks WHERE id = ?1",
            [id],
            |row| Ok(text_of(row.get_ref(0)?)),
        )
        .optional()?;
    Ok(text.flatten())
}

/// A column value as text (`NULL` → `None`): Mission Control's columns are loosely typed.
pub fn text_of(v: ValueRef<'_>) -> Option<String> {
    match v {
        ValueRef::Null => None,
        ValueRef::Integer(n) => Some(n.to_string()),
        ValueRef::Real(x) => Some(x.to_string()),
        ValueRef::Text(t) | ValueRef::Blob(t) => Some(String::from_utf8_lossy(t).into_owned()),
    }
}

/// The database path names a directory, FIFO or device: never open it (a FIFO would hang).
pub fn not_a_db_file(db: &Path) -> Error {
    Error::new(format!(
        "Mission Control database {} is not a regular file; move it aside (`mv {} {}.bad`) \
         and restore the real database",
        db.display(),
        db.display(),
        db.display()
    ))
}

/// How `dod_evidence` text becomes claims: a JSON claims list (same shapes as
/// `claims.json`) when it parses as one; otherwise one claim per non-empty line, list
/// markers (`-`, `*`, `•`, `1.`, `[x]`) removed.
pub fn split_dod(text: &str) -> Vec<String> {
    let trimmed = text.trim();
    if (trimmed.starts_with('[') || trimmed.starts_with('{'))
        && let Ok(value) = serde_json::from_str::<Value>(trimmed)
        && let Ok(list) = from_json(&value)
    {
        return list;
    }
    trimmed
        .lines()
        .map(strip_marker)
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

fn strip_marker(line: &str) -> &str {
    let mut l = line.trim();
    for marker in ["- ", "* ", "• ", "+ "] {
        if let Some(rest) = l.strip_prefix(marker) {
            l = rest.trim_start();
            break;
        }
    }
    for box_ in ["[ ] ", "[x] ", "[X] "] {
        if let Some(rest) = l.strip_prefix(box_) {
            l = rest.trim_start();
        }
    }
    let digits = l.bytes().take_while(u8::is_ascii_digit).count();
    if digits > 0 {
        let after = &l[digits..];
        if let Some(rest) = after
            .strip_prefix(". ")
            .or_else(|| after.strip_prefix(") "))
        {
            l = rest.trim_start();
        }
    }
    l
}

/// A keyword (or phrase) folded into words, as it is matched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Keyword {
    pub shown: String,
    words: Vec<String>,
}

impl Keyword {
    /// `None` when the keyword has no letters or digits to match.
    pub fn new(text: &str) -> Option<Keyword> {
        let words = words(text);
        (!words.is_empty()).then(|| Keyword {
            shown: text.trim().to_string(),
            words,
        })
    }

    fn found_in(&self, claim: &[String]) -> bool {
        claim.windows(self.words.len()).any(|w| w == self.words)
    }
}

/// Which of `keywords` a claim contains (whole words, in keyword order).
pub fn matches<'k>(claim_words: &[String], keywords: &'k [Keyword]) -> Vec<&'k str> {
    keywords
        .iter()
        .filter(|k| k.found_in(claim_words))
        .map(|k| k.shown.as_str())
        .collect()
}

/// Lowercase, diacritics removed, split into words at anything that is not a letter or a
/// digit. `đ` becomes `dj`, as Bosnian writes it without diacritics (`uradjeno`).
pub fn words(text: &str) -> Vec<String> {
    let mut folded = String::with_capacity(text.len());
    for c in text.to_lowercase().nfkd() {
        match c {
            'đ' => folded.push_str("dj"),
            c if is_combining_mark(c) => {}
            c => folded.push(c),
        }
    }
    folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lexicon;

    fn kws(list: &[&str]) -> Vec<Keyword> {
        list.iter().filter_map(|k| Keyword::new(k)).collect()
    }

    #[test]
    fn types_claims_by_whole_word() {
        let ui = kws(lexicon::UI);
        let e2e = kws(lexicon::E2E);
        for (claim, want_ui, want_e2e) in [
            ("Registration screen works", true, false),
            ("REGISTRACIJA radi na mobilnom", true, false),
            ("Registráčija prošla", true, false),
            ("Onboarding wizard done", true, false),
            ("The new UI/UX is live", true, false),
            ("Signup flow passes E2E", false, true),
            ("e2e-tests green", false, true),
            ("User journey walkthrough recorded", false, true),
            ("Mobile onboarding flow verified end to end", true, true),
            ("Build guide updated", false, false),
            ("Workflow overflow fixed", false, false),
            ("Screenshots attached", false, false),
            ("API returns 200", false, false),
        ] {
            let w = words(claim);
            assert_eq!(!matches(&w, &ui).is_empty(), want_ui, "UI: {claim}");
            assert_eq!(!matches(&w, &e2e).is_empty(), want_e2e, "E2E: {claim}");
        }
    }

    #[test]
    fn phrases_and_diacritics_in_keywords() {
        let k = kws(&["end to end", "Završeno", "urađeno"]);
        assert_eq!(matches(&words("tested End-to-End"), &k), vec!["end to end"]);
        assert_eq!(matches(&words("ZAVRSENO"), &k), vec!["Završeno"]);
        assert_eq!(matches(&words("uradjeno"), &k), vec!["urađeno"]);
        assert!(Keyword::new(" -- ").is_none());
    }

    #[test]
    fn claims_json_shapes() {
        for (json, want) in [
            (r#"["a", " b "]"#, Ok(vec!["a", "b"])),
            (r#"[{"text":"a"},{"claim":"b"}]"#, Ok(vec!["a", "b"])),
            (
                r#"{"claims":["a",{"text":"b","type":"x"}]}"#,
                Ok(vec!["a", "b"]),
            ),
            (r#"["", "  "]"#, Ok(vec![])),
            (r#"{"claims":"a"}"#, Err(())),
            (r#"{"other":[]}"#, Err(())),
            (r#"[1]"#, Err(())),
            (r#"[{"text":1}]"#, Err(())),
            (r#""a""#, Err(())),
        ] {
            let v: Value = serde_json::from_str(json).unwrap();
            let got = from_json(&v).map_err(|_| ());
            let want = want.map(|w| w.iter().map(|s| s.to_string()).collect::<Vec<_>>());
            assert_eq!(got, want, "{json}");
        }
    }

    #[test]
    fn dod_evidence_splits_into_claims() {
        for (text, want) in [
            (
                "Registration screen works",
                vec!["Registration screen works"],
            ),
            (
                "- UI screen done\n\n* e2e flow\n1. third\n2) fourth\n- [x] fifth",
                vec!["UI screen done", "e2e flow", "third", "fourth", "fifth"],
            ),
            (r#"["a","b"]"#, vec!["a", "b"]),
            (r#"{"claims":[{"text":"a"}]}"#, vec!["a"]),
            ("[link] to screen", vec!["[link] to screen"]),
            ("   ", vec![]),
        ] {
            assert_eq!(split_dod(text), want, "{text}");
        }
    }
}
