//! The verdict file `~/system/state/last-validator-verdict.json`, written on every block, the
//! per-project verdict history beside it, and the SessionStart banner that shows a project's
//! unseen verdicts once.
//!
//! The banner used to show the last verdict of any project in the next session anywhere, and
//! a second block elsewhere overwrote the first unseen one. Every block now also appends to
//! `validator-verdicts.jsonl` (same directory) with the project it happened in; the banner
//! shows and marks seen only this project's, so other projects' verdicts wait for theirs.

use serde_json::{Value, json};
use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};
use zakon_core::Error;

/// How many unseen verdicts the banner lists (the count covers all of them).
const SHOWN: usize = 5;
/// How many lines the history keeps when the banner rewrites it.
const KEPT: usize = 500;

pub fn default_path(home: &Path) -> PathBuf {
    home.join("system/state/last-validator-verdict.json")
}

/// The history file beside the verdict file.
pub fn history_path(verdict_path: &Path) -> PathBuf {
    verdict_path.with_file_name("validator-verdicts.jsonl")
}

/// The project a hook runs for: `$CLAUDE_PROJECT_DIR` (Claude Code sets it for hooks and it
/// stays put when the agent changes directory), else the hook input's `cwd`, else the
/// process's directory — with symlinks resolved so two spellings are one project.
pub fn project(cwd: Option<&str>) -> Option<String> {
    let dir = std::env::var("CLAUDE_PROJECT_DIR")
        .ok()
        .filter(|d| !d.is_empty())
        .map(PathBuf::from)
        .or_else(|| cwd.filter(|c| !c.is_empty()).map(PathBuf::from))
        .or_else(|| std::env::current_dir().ok())?;
    let dir = std::fs::canonicalize(&dir).unwrap_or_else(|_| zakon_core::paths::normalize(&dir));
    Some(dir.to_string_lossy().into_owned())
}

/// 100 for a clean turn; each unverified claim costs 25 and each fabricated citation 50.
pub fn score(unverified: usize, fabricated: usize) -> u32 {
    100u32.saturating_sub(25 * unverified as u32 + 50 * fabricated as u32)
}

/// Writes the verdict atomically (temp file + rename), so a banner never reads half a file,
/// and appends it to the project history.
pub fn write(path: &Path, verdict: &Value) -> Result<(), Error> {
    write_last(path, verdict)?;
    let mut line = verdict.to_string();
    line.push('\n');
    zakon_core::audit::append_line(&history_path(path), &line)
}

fn write_last(path: &Path, verdict: &Value) -> Result<(), Error> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| Error::io("create directory", dir, &e))?;
    }
    let mut text = serde_json::to_string_pretty(verdict).map_err(Error::from)?;
    text.push('\n');
    zakon_core::atomic::replace_file(path, text.as_bytes(), None)
        .map_err(|e| Error::io("replace", path, &e))
}

fn unseen(v: &Value) -> bool {
    !v.get("seen").and_then(Value::as_bool).unwrap_or(false)
}

/// A verdict belongs to `project` when it names it; one written before verdicts named their
/// project belongs to whichever project asks first.
fn belongs(v: &Value, project: Option<&str>) -> bool {
    match (v.get("project").and_then(Value::as_str), project) {
        (Some(p), Some(want)) => p == want,
        (Some(_), None) => false,
        (None, _) => true,
    }
}

/// The banner for `project`'s unseen verdicts, marking them seen; `None` when there is
/// nothing new for this project.
pub fn take_banner(path: &Path, project: Option<&str>) -> Result<Option<String>, Error> {
    let mut found = take_history(&history_path(path), project)?;
    // The last-verdict file: mark it seen when it is this project's; an old one (no history
    // yet) is shown from there.
    if let Some(mut last) = read_json(path)?
        && unseen(&last)
        && belongs(&last, project)
    {
        if found.is_empty() {
            found.push(last.clone());
        }
        if let Some(obj) = last.as_object_mut() {
            obj.insert("seen".into(), json!(true));
            obj.insert("seen_at".into(), json!(zakon_core::time::now_rfc3339()));
        }
        write_last(path, &last)?;
    }
    if found.is_empty() {
        return Ok(None);
    }
    Ok(Some(render(&found, project)))
}

fn read_json(path: &Path) -> Result<Option<Value>, Error> {
    let text = match zakon_core::fsio::read_regular_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(Error::io("read verdict", path, &e)),
    };
    serde_json::from_str(&text).map(Some).map_err(|e| {
        Error::new(format!(
            "verdict file {} is not valid JSON: {e}",
            path.display()
        ))
    })
}

/// This project's unseen verdicts from the history, marked seen in place under the file's
/// lock (the gates append under the same lock, so no line is lost).
fn take_history(path: &Path, project: Option<&str>) -> Result<Vec<Value>, Error> {
    // Non-blocking, regular files only, a bounded lock wait and a bounded read: a FIFO or a
    // stuck lock holder here must not stall the SessionStart hook.
    let mut file = match zakon_core::fsio::open_rewrite(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(Error::io("open", path, &e)),
    };
    zakon_core::fsio::lock_bounded(&file, zakon_core::fsio::LOCK_WAIT)
        .map_err(|e| Error::io("lock", path, &e))?;
    let mut text = String::new();
    (&mut file)
        .take(zakon_core::fsio::MAX_FILE_BYTES)
        .read_to_string(&mut text)
        .map_err(|e| Error::io("read", path, &e))?;
    let mut lines: Vec<Value> = text
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect();
    let now = zakon_core::time::now_rfc3339();
    let mut found = Vec::new();
    for v in lines
        .iter_mut()
        .filter(|v| unseen(v) && belongs(v, project))
    {
        found.push(v.clone());
        if let Some(obj) = v.as_object_mut() {
            obj.insert("seen".into(), json!(true));
            obj.insert("seen_at".into(), json!(now));
        }
    }
    if found.is_empty() {
        return Ok(found);
    }
    let start = lines.len().saturating_sub(KEPT);
    let mut out = String::new();
    for v in &lines[start..] {
        out.push_str(&v.to_string());
        out.push('\n');
    }
    let res = file
        .set_len(0)
        .and_then(|_| file.rewind())
        .and_then(|_| file.write_all(out.as_bytes()))
        .and_then(|_| file.flush());
    let _ = file.unlock();
    res.map_err(|e| Error::io("rewrite", path, &e))?;
    Ok(found)
}

fn render(found: &[Value], project: Option<&str>) -> String {
    let n = found.len();
    let whom = match project {
        Some(p) => format!("this project ({p})"),
        None => "this project".to_string(),
    };
    // The first words stay "zakon claim-gate: the last verdict" whatever the count: agents
    // and the real-client checks recognise the banner by them.
    let mut out = format!(
        "zakon claim-gate: the last verdict{} for {whom} — {n} unseen; {} ended with a claim \
         the gate could not verify:\n",
        if n == 1 { "" } else { "s" },
        if n == 1 { "a turn" } else { "turns" },
    );
    let start = n.saturating_sub(SHOWN);
    if start > 0 {
        out.push_str(&format!("  (the {start} oldest not listed)\n"));
    }
    for v in &found[start..] {
        out.push_str(&format!(
            "  - session {}, {}, scored {}/100:\n",
            v.get("session_id").and_then(Value::as_str).unwrap_or("?"),
            v.get("timestamp").and_then(Value::as_str).unwrap_or("?"),
            v.get("score").and_then(Value::as_u64).unwrap_or(0),
        ));
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
            out.push_str(&format!("      {kind}: {what}\n"));
        }
    }
    out.push_str(
        "Before claiming done/verified/live this session: save proof under /tmp/evidence-<id>/, docs/evidence/ \
         or ~/system/state/*.json and name the file in your reply, or say plainly what is not verified.",
    );
    out
}
