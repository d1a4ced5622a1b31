//! Session dedup and the violation sink. The first time a violation (same claim keywords +
//! same evidence state) happens in a session it is recorded — appended to
//! `violations.jsonl` and handed to the optional `on_violation` command; a repeat in the same
//! session is not recorded again (it still blocks).

use serde_json::Value;
use sha2::{Digest, Sha256};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use zakon_core::Error;

/// SHA-256 over the violation's identity: sorted, lowercased claim keywords and the evidence
/// state, so rewording around the same claim does not count as a new violation.
pub fn violation_key(keywords: &[String], evidence_state: &str) -> String {
    let mut kws: Vec<String> = keywords.iter().map(|k| k.to_lowercase()).collect();
    kws.sort();
    kws.dedup();
    let mut h = Sha256::new();
    h.update(kws.join("\n").as_bytes());
    h.update(b"\0");
    h.update(evidence_state.as_bytes());
    hex(&h.finalize())
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// `session_id` as a file-name part: only `[A-Za-z0-9_-]`, at most 64 characters; when
/// anything had to change, a hash of the original is appended so two sessions never share a
/// cache. No value can name a path outside the temp dir.
pub fn sanitize_session(session: &str) -> String {
    let clean: String = session
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .take(64)
        .collect();
    if clean == session && !clean.is_empty() {
        clean
    } else {
        let digest = hex(&Sha256::digest(session.as_bytes()));
        format!("{clean}-{}", &digest[..16])
    }
}

pub fn cache_path(temp_dir: &Path, session: &str) -> PathBuf {
    temp_dir.join(format!("last-violations-{}.sha", sanitize_session(session)))
}

/// Records a violation unless the session already has it. Returns true when it was new.
/// The cache file's lock makes check-and-record atomic across concurrent gate processes.
pub fn record_once(
    cache: &Path,
    key: &str,
    sink: &Path,
    record: &Value,
    on_violation: Option<&str>,
) -> Result<bool, Error> {
    // The cache lives in the shared temp dir: a FIFO or a symlink planted there must be an
    // error, not a hang or a write somewhere else; a stuck lock holder is waited for boundedly.
    let mut file = zakon_core::fsio::open_append(cache, true)
        .map_err(|e| Error::io("open dedup cache", cache, &e))?;
    zakon_core::fsio::lock_bounded(&file, zakon_core::fsio::LOCK_WAIT)
        .map_err(|e| Error::io("lock dedup cache", cache, &e))?;
    let mut seen = String::new();
    file.seek(SeekFrom::Start(0))
        .map_err(|e| Error::io("read dedup cache", cache, &e))?;
    (&mut file)
        .take(zakon_core::fsio::MAX_FILE_BYTES)
        .read_to_string(&mut seen)
        .map_err(|e| Error::io("read dedup cache", cache, &e))?;
    if seen.lines().any(|l| l.trim() == key) {
        return Ok(false);
    }
    let mut line = record.to_string();
    line.push('\n');
    zakon_core::audit::append_line(sink, &line)?;
    file.write_all(format!("{key}\n").as_bytes())
        .map_err(|e| Error::io("write dedup cache", cache, &e))?;
    if let Some(cmd) = on_violation.filter(|c| !c.trim().is_empty()) {
        spawn_on_violation(cmd, &line);
    }
    Ok(true)
}

/// Runs the configured command with the violation JSON on stdin (and in
/// `$ZAKON_VIOLATION`), without waiting: a slow task tracker must not slow the hook.
fn spawn_on_violation(cmd: &str, json_line: &str) {
    let child = Command::new("sh")
        .arg("-c")
        .arg(cmd)
        .env("ZAKON_VIOLATION", json_line.trim_end())
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn();
    if let Ok(mut c) = child
        && let Some(mut stdin) = c.stdin.take()
    {
        let _ = stdin.write_all(json_line.as_bytes());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sanitized_session_stays_a_plain_file_name() {
        for (raw, plain) in [
            ("abc-123_X", true),
            ("../../etc/passwd", false),
            ("", false),
            ("a/b", false),
            ("ä", false),
        ] {
            let s = sanitize_session(raw);
            assert!(
                s.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'),
                "{raw:?} → {s}"
            );
            assert_eq!(s == raw, plain, "{raw:?} → {s}");
        }
        assert_ne!(sanitize_session("a/b"), sanitize_session("a_b"));
        let long = "x".repeat(10_000);
        assert!(sanitize_session(&long).len() < 100);
        let p = cache_path(Path::new("/tmp"), "../../x");
        assert_eq!(p.parent(), Some(Path::new("/tmp")));
    }

    #[test]
    fn key_ignores_order_and_case() {
        let a = violation_key(&["Done".into(), "verified".into()], "none");
        let b = violation_key(&["verified".into(), "done".into(), "done".into()], "none");
        assert_eq!(a, b);
        assert_ne!(a, violation_key(&["done".into()], "none"));
        assert_ne!(
            a,
            violation_key(&["done".into(), "verified".into()], "fabricated:/tmp/x")
        );
    }
}
