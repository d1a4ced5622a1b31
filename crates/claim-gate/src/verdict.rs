//! The verdict file `~/system/state/last-validator-verdict.json`, written on every block,
//! and the SessionStart banner that shows the last unseen verdict once.

use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use zakon_core::Error;

pub fn default_path(home: &Path) -> PathBuf {
    home.join("system/state/last-validator-verdict.json")
}

/// 100 for a clean turn; each unverified claim costs 25 and each fabricated citation 50.
pub fn score(unverified: usize, fabricated: usize) -> u32 {
    100u32.saturating_sub(25 * unverified as u32 + 50 * fabricated as u32)
}

/// Writes the verdict atomically (temp file + rename), so a banner never reads half a file.
pub fn write(path: &Path, verdict: &Value) -> Result<(), Error> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| Error::io("create directory", dir, &e))?;
    }
    let mut text = serde_json::to_string_pretty(verdict).map_err(Error::from)?;
    text.push('\n');
    zakon_core::atomic::replace_file(path, text.as_bytes(), None)
        .map_err(|e| Error::io("replace", path, &e))
}

/// The banner text for an unseen verdict, marking it seen; `None` when there is nothing new.
pub fn take_banner(path: &Path) -> Result<Option<String>, Error> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(Error::io("read verdict", path, &e)),
    };
    let mut v: Value = serde_json::from_str(&text).map_err(|e| {
        Error::new(format!(
            "verdict file {} is not valid JSON: {e}",
            path.display()
        ))
    })?;
    if v.get("seen").and_then(Value::as_bool).unwrap_or(false) {
        return Ok(None);
    }
    let mut out = format!(
        "zakon claim-gate: the last verdict (session {}, {}) scored {}/100 — a turn ended with a claim the gate could not verify:\n",
        v.get("session_id").and_then(Value::as_str).unwrap_or("?"),
        v.get("timestamp").and_then(Value::as_str).unwrap_or("?"),
        v.get("score").and_then(Value::as_u64).unwrap_or(0),
    );
    for viol in v
        .get("violations")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let kind = viol
            .get("kind")
            .and_then(Value::as_str)
            .unwrap_or("violation");
        let what = viol
            .get("sentence")
            .or_else(|| viol.get("path"))
            .and_then(Value::as_str)
            .unwrap_or("");
        out.push_str(&format!("  - {kind}: {what}\n"));
    }
    out.push_str(
        "Before claiming done/verified/live this session: save proof under /tmp/evidence-<id>/, docs/evidence/ \
         or ~/system/state/*.json and name the file in your reply, or say plainly what is not verified.",
    );
    if let Some(obj) = v.as_object_mut() {
        obj.insert("seen".into(), json!(true));
        obj.insert("seen_at".into(), json!(zakon_core::time::now_rfc3339()));
    }
    write(path, &v)?;
    Ok(Some(out))
}
