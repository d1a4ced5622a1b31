//! The artifact-gate bypass corpus (`tests/corpus/bypass/artifact-gate.jsonl`), run for real.
//!
//! Each case gets a fresh temporary HOME with a Mission Control database and the `mc.js`
//! stand-in. The case is played the way Claude Code plays a Bash call: PreToolUse with the
//! command; if that allows it, the command really runs (`bash -c`), then PostToolUse. The
//! test asserts the attempt really closed the task (so the bypass is real), and that the gate
//! either blocked it before it ran or set the task back and exited 2 after.

mod support;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use support::*;

const BIN: &str = "artifact-gate";

fn corpus_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/corpus/bypass")
}

struct Case {
    id: String,
    task: i64,
    before: Option<String>,
    setup: Vec<String>,
    attempt: String,
    expect: String,
    back: Option<String>,
    stderr: Option<String>,
}

fn cases() -> Vec<Case> {
    let text = std::fs::read_to_string(corpus_dir().join("artifact-gate.jsonl")).unwrap();
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let v: Value = serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}"));
            let s = |k: &str| v[k].as_str().map(String::from);
            Case {
                id: s("id").unwrap(),
                task: v["task"].as_i64().unwrap(),
                before: s("before"),
                setup: v["setup"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|x| x.as_str().unwrap().to_string())
                    .collect(),
                attempt: s("attempt").unwrap(),
                expect: s("expect").unwrap(),
                back: s("back"),
                stderr: s("stderr"),
            }
        })
        .collect()
}

/// A temporary HOME with Mission Control: the database, `~/system/tools/mc.js`, and a
/// `sqlite3` command first on PATH.
struct World {
    sb: Sandbox,
    shims: PathBuf,
}

impl World {
    fn new(tag: &str) -> World {
        let sb = Sandbox::new(&format!("bypass-{tag}"));
        sb.write(
            &sb.home.join(".claude/zakon/config.json"),
            json!({ "artifact_gate": { "tmp_root": sb.tmp } }).to_string(),
        );
        let tools = sb.home.join("system/tools");
        std::fs::create_dir_all(&tools).unwrap();
        std::fs::copy(
            corpus_dir().join("mission-control/mc.js"),
            tools.join("mc.js"),
        )
        .unwrap();
        let shims = sb.root.join("bin");
        std::fs::create_dir_all(&shims).unwrap();
        std::fs::copy(
            corpus_dir().join("mission-control/sqlite3"),
            shims.join("sqlite3"),
        )
        .unwrap();
        let db = sb.home.join("system/databases/mission-control.db");
        std::fs::create_dir_all(db.parent().unwrap()).unwrap();
        let conn = rusqlite::Connection::open(&db).unwrap();
        conn.execute_batch(
            "CREATE TABLE tasks (id INTEGER PRIMARY KEY, title TEXT, status TEXT, dod_evidence TEXT);
             INSERT INTO tasks VALUES (7001, 'signup screen', 'in_progress', 'Registration screen works on mobile');
             INSERT INTO tasks VALUES (7002, 'signup e2e', 'in_progress', 'Signup flow passes e2e');
             INSERT INTO tasks VALUES (7003, 'cache', 'in_progress', 'Cache tuned');",
        )
        .unwrap();
        World { sb, shims }
    }

    fn db(&self) -> PathBuf {
        self.sb.home.join("system/databases/mission-control.db")
    }

    fn status(&self, id: i64) -> Option<Option<String>> {
        use rusqlite::OptionalExtension;
        rusqlite::Connection::open(self.db())
            .unwrap()
            .query_row("SELECT status FROM tasks WHERE id = ?1", [id], |r| r.get(0))
            .optional()
            .unwrap()
    }

    fn hook(&self, event: &str, command: &str) -> Output {
        let input = json!({
            "session_id": "bypass", "transcript_path": "/dev/null", "cwd": self.sb.cwd,
            "hook_event_name": event, "tool_name": "Bash",
            "tool_input": { "command": command, "description": "close the task" },
        });
        self.sb.run(BIN, &[], input.to_string().as_bytes(), &[])
    }

    /// Runs a command as the agent's Bash tool would: `bash -c`, in the project directory.
    fn bash(&self, command: &str) -> Output {
        let path = format!(
            "{}:{}",
            self.shims.display(),
            std::env::var("PATH").unwrap_or_default()
        );
        Command::new("bash")
            .arg("-c")
            .arg(command)
            .current_dir(&self.sb.cwd)
            .env_clear()
            .env("PATH", path)
            .env("HOME", &self.sb.home)
            .env("TMPDIR", &self.sb.tmp)
            .output()
            .unwrap()
    }

    fn expand(&self, s: &str) -> String {
        s.replace("{tmp}", &self.sb.tmp.to_string_lossy())
    }
}

fn closed(status: &Option<Option<String>>) -> bool {
    matches!(status, Some(Some(s)) if ["done", "ready"].contains(&s.trim().to_lowercase().as_str()))
}

fn run_case(c: &Case) -> Result<String, String> {
    let w = World::new(&c.id);
    // The call before this one: the gate records the baseline.
    let base = w.hook("PostToolUse", "true");
    if code(&base) != 0 {
        return Err(format!("baseline PostToolUse: {}", stderr(&base)));
    }
    for line in &c.setup {
        let out = w.bash(&w.expand(line));
        if !out.status.success() {
            return Err(format!("setup `{line}` failed: {}", stderr(&out)));
        }
        // Setup steps are Bash calls too; none of them closes a task.
        let post = w.hook("PostToolUse", line);
        if code(&post) != 0 {
            return Err(format!("setup `{line}` was blocked: {}", stderr(&post)));
        }
    }
    // `before: null` means the task does not exist yet.
    let before_now = w.status(c.task);
    if before_now != c.before.clone().map(Some) {
        return Err(format!("task {} starts as {before_now:?}", c.task));
    }
    let attempt = w.expand(&c.attempt);
    let pre = w.hook("PreToolUse", &attempt);
    match (c.expect.as_str(), code(&pre)) {
        ("blocked", 2) => {
            if closed(&w.status(c.task)) {
                return Err("blocked, yet the task is closed".into());
            }
            return Ok(format!(
                "blocked before it ran: {}",
                first_line(&stderr(&pre))
            ));
        }
        ("blocked", other) => return Err(format!("PreToolUse exited {other}, expected 2")),
        (_, 0) => {}
        (_, other) => {
            return Err(format!(
                "PreToolUse exited {other} (expected the parser to miss it): {}",
                stderr(&pre)
            ));
        }
    }
    let ran = w.bash(&attempt);
    let after_run = w.status(c.task);
    if !closed(&after_run) {
        return Err(format!(
            "the attempt did not close the task (status {after_run:?}); stdout {} stderr {}",
            String::from_utf8_lossy(&ran.stdout),
            stderr(&ran)
        ));
    }
    let post = w.hook("PostToolUse", &attempt);
    let msg = stderr(&post);
    match (c.expect.as_str(), code(&post)) {
        ("allowed", 0) => {
            if !closed(&w.status(c.task)) {
                return Err("allowed, but the status changed".into());
            }
            Ok("allowed, the close stands".into())
        }
        ("reverted", 2) => {
            let now = w.status(c.task);
            if now != Some(c.back.clone()) {
                return Err(format!("status is {now:?}, expected {:?}", c.back));
            }
            let back = c.back.as_deref().unwrap_or("NULL");
            for want in [
                format!("task {} became `", c.task),
                format!("zakon set its status back to `{back}`"),
                "then run `node ~/system/tools/mc.js ".to_string(),
            ] {
                if !msg.contains(&want) {
                    return Err(format!("message lacks {want:?}:\n{msg}"));
                }
            }
            if let Some(frag) = &c.stderr
                && !msg.contains(&w.expand(frag))
            {
                return Err(format!("message lacks {frag:?}:\n{msg}"));
            }
            // Reported once: the next call sees an unchanged database.
            let again = w.hook("PostToolUse", "true");
            if code(&again) != 0 {
                return Err(format!("the next call blocked again: {}", stderr(&again)));
            }
            Ok(format!("set back to {back}: {}", first_line(&msg)))
        }
        (want, got) => Err(format!("PostToolUse exited {got}, expected {want}:\n{msg}")),
    }
}

fn first_line(s: &str) -> String {
    s.lines().next().unwrap_or("").chars().take(140).collect()
}

#[test]
fn every_bypass_attempt_is_blocked_or_undone() {
    let cases = cases();
    assert!(cases.len() >= 20, "the corpus has {} cases", cases.len());
    let mut failures = Vec::new();
    for c in &cases {
        match run_case(c) {
            Ok(what) => eprintln!("ok   {:<26} {what}", c.id),
            Err(e) => {
                eprintln!("FAIL {:<26} {e}", c.id);
                failures.push(format!("{}: {e}", c.id));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

#[test]
fn corpus_lines_are_complete() {
    let text = std::fs::read_to_string(corpus_dir().join("artifact-gate.jsonl")).unwrap();
    let mut ids = Vec::new();
    for l in text.lines().filter(|l| !l.trim().is_empty()) {
        let v: Value = serde_json::from_str(l).unwrap();
        for k in ["id", "class", "task", "attempt", "expect", "why"] {
            assert!(!v[k].is_null(), "{k} missing in {l}");
        }
        assert!(
            ["blocked", "reverted", "allowed"].contains(&v["expect"].as_str().unwrap()),
            "{l}"
        );
        let id = v["id"].as_str().unwrap().to_string();
        assert!(!ids.contains(&id), "duplicate id {id}");
        ids.push(id);
    }
    assert!(Path::new(&corpus_dir().join("mission-control/mc.js")).is_file());
}
