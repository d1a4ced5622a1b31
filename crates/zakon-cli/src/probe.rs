//! Known-bad and known-good hook inputs for each registration, and running a registered
//! command exactly as Claude Code does (`sh -c`, hook JSON on stdin, a timeout) — the proof
//! that a gate is not only registered but blocks.
//!
//! Every probe runs with HOME, ZAKON_HOME and TMPDIR pointed into a scratch directory: a
//! block writes the audit log, the violation log and the verdict file, an allow may record
//! state (artifact-gate's task baseline, the effects check's snapshots), and the install
//! check restores a binary the user deleted and blocks — none of which belongs to the user,
//! and a probe that trips the install check proves nothing about the gate. Blocking probes
//! run with no config; allowing probes run with a copy of the user's config (its `~` paths
//! expanded to the user's home, the paths and command it writes to left out), so a config
//! section a gate rejects still shows up as a failed probe.

use crate::registration::Registration;
use serde_json::{Value, json};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// A 16×16 PNG: the smallest screenshot artifact-gate accepts (it decodes images and wants
/// at least 16×16 pixels).
const PNG: [u8; 79] = [
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x10, 0x00, 0x00, 0x00, 0x10, 0x08, 0x02, 0x00, 0x00, 0x00, 0x90, 0x91, 0x68,
    0x36, 0x00, 0x00, 0x00, 0x16, 0x49, 0x44, 0x41, 0x54, 0x78, 0xda, 0x63, 0xb0, 0xa9, 0x38, 0x41,
    0x12, 0x62, 0x18, 0xd5, 0x30, 0xaa, 0x61, 0xf8, 0x6a, 0x00, 0x00, 0x79, 0x1b, 0x7c, 0x10, 0xb2,
    0xbf, 0x57, 0xbd, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
];

pub const UNVERIFIED_CLAIM: &str = "Done, deployed and verified, everything works.";
pub const HONEST_REPORT: &str = "I read the billing module; the rounding happens in two places.";
pub const UI_CLAIM: &str = "Registration screen works on mobile";

/// What a probe run ended with.
pub struct Outcome {
    pub code: Option<i32>,
    pub stderr: String,
    pub timed_out: bool,
}

impl Outcome {
    /// `exit 2`, `exit 127 (sh: …: not found)`, `timed out after 10 s`.
    pub fn describe(&self, timeout: Duration) -> String {
        if self.timed_out {
            return format!(
                "timed out after {} s (Claude Code lets a timed-out hook pass)",
                timeout.as_secs()
            );
        }
        let code = match self.code {
            Some(c) => format!("exit {c}"),
            None => "killed by a signal".to_string(),
        };
        // The whole message: a doctor that cuts the reason short hides the fix.
        let text: Vec<&str> = self
            .stderr
            .lines()
            .map(str::trim_end)
            .filter(|l| !l.trim().is_empty())
            .collect();
        if text.is_empty() {
            code
        } else {
            format!("{code}:\n{}", text.join("\n"))
        }
    }
}

/// One probe case: what it proves, the setup, the hook JSON, and the expected exit code.
struct Case {
    what: &'static str,
    input: Value,
    expect: i32,
}

/// The scratch directory for one doctor run: removed (with the /tmp/verify-<id> and
/// /tmp/evidence-<id> dirs it made) on drop.
pub struct Scratch {
    pub root: PathBuf,
    pub cwd: PathBuf,
    pub home: PathBuf,
    pub tmp: PathBuf,
    pub mc_id: String,
    /// Where artifact-gate looks for `verify-<id>/`: `/tmp`, plus the user's configured
    /// `artifact_gate.tmp_root` for the allowing probe, which runs with the user's config.
    pub artifact_roots: Vec<PathBuf>,
    /// The config the allowing probes run with (see [`Scratch::adopt_config`]).
    config: PathBuf,
    /// The user's config file as the user knows it (`~/…`), where `config` is its copy: a
    /// gate's error names the copy, and doctor shows the user's file instead.
    config_source: Option<String>,
    n: std::cell::Cell<u32>,
}

impl Scratch {
    pub fn new() -> Result<Scratch, String> {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or(0);
        let pid = std::process::id();
        let root = std::env::temp_dir().join(format!("zakon-doctor-{pid}-{nanos}"));
        let (cwd, home, tmp) = (root.join("project"), root.join("home"), root.join("tmp"));
        let config = root.join("no-config.json");
        for d in [&cwd, &home, &tmp] {
            std::fs::create_dir_all(d)
                .map_err(|e| format!("cannot create {}: {e}", d.display()))?;
        }
        Ok(Scratch {
            root,
            cwd,
            home,
            tmp,
            // Digits only (Mission Control ids are numbers) and unique per run.
            mc_id: format!("9{pid}{:06}", nanos % 1_000_000),
            artifact_roots: vec![PathBuf::from("/tmp")],
            config,
            config_source: None,
            n: std::cell::Cell::new(0),
        })
    }

    /// The allowing probes' config: a copy of the user's `path` (read with `home`) in the
    /// scratch directory. `~` paths are expanded to the user's home, because the probes'
    /// home is the scratch one and a schema in `~/…` must still load; the files and the
    /// command a gate writes to or runs when it blocks (`audit_log`, `claim_gate.
    /// violations_log`, `verdict_path`, `on_violation`) are left out, so they default into
    /// the scratch home. A file that is not a JSON object is copied as it is: the gate must
    /// fail on it as it would in a session.
    pub fn adopt_config(&mut self, path: &Path, home: &Path) -> Result<(), String> {
        let text = match zakon_core::fsio::read_regular_string(path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
            Err(e) => format!("unreadable: {e}"),
        };
        let out = match serde_json::from_str::<Value>(&text) {
            Ok(Value::Object(mut top)) => {
                top.remove("audit_log");
                if let Some(Value::Object(claim)) = top.get_mut("claim_gate") {
                    for k in ["violations_log", "verdict_path", "on_violation"] {
                        claim.remove(k);
                    }
                }
                let mut v = Value::Object(top);
                expand_tilde(&mut v, home);
                v.to_string()
            }
            _ => text,
        };
        let copy = self.root.join("config.json");
        write(&copy, out.as_bytes())?;
        self.config = copy;
        self.config_source = Some(zakon_core::paths::display_tilde(path, home));
        Ok(())
    }

    fn verify_dirs(&self) -> Vec<PathBuf> {
        self.artifact_roots
            .iter()
            .map(|r| r.join(format!("verify-{}", self.mc_id)))
            .collect()
    }

    fn next(&self) -> u32 {
        self.n.set(self.n.get() + 1);
        self.n.get()
    }

    /// A Stop transcript: one genuine user prompt, then the assistant's reply.
    fn transcript(&self, reply: &str) -> Result<PathBuf, String> {
        let path = self.root.join(format!("transcript-{}.jsonl", self.next()));
        let lines = [
            json!({"type":"user","uuid":"zakon-doctor-u1","sessionId":"zakon-doctor",
                   "message":{"role":"user","content":"Please look at the billing rounding."}}),
            json!({"type":"assistant","uuid":"zakon-doctor-a1","sessionId":"zakon-doctor",
                   "message":{"id":"msg_zakon_doctor","type":"message","role":"assistant",
                              "model":"claude-sonnet-4-5",
                              "content":[{"type":"text","text":reply}]}}),
        ];
        let text: String = lines.iter().map(|l| format!("{l}\n")).collect();
        write(&path, text.as_bytes())?;
        Ok(path)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.root);
        for r in &self.artifact_roots {
            let _ = std::fs::remove_dir_all(r.join(format!("verify-{}", self.mc_id)));
            let _ = std::fs::remove_dir_all(r.join(format!("evidence-{}", self.mc_id)));
        }
    }
}

fn write(path: &Path, bytes: &[u8]) -> Result<(), String> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)
            .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    }
    std::fs::write(path, bytes).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

/// Every string that is a `~` path becomes a path under `home`.
fn expand_tilde(v: &mut Value, home: &Path) {
    match v {
        Value::String(s) if s == "~" || s.starts_with("~/") => {
            *s = zakon_core::paths::resolve(s, home, None)
                .to_string_lossy()
                .into_owned();
        }
        Value::Array(a) => a.iter_mut().for_each(|x| expand_tilde(x, home)),
        Value::Object(o) => o.values_mut().for_each(|x| expand_tilde(x, home)),
        _ => {}
    }
}

fn yesterday() -> String {
    let (y, m, d) = zakon_core::time::civil_from_days(zakon_core::time::today_days() - 1);
    format!("{y:04}-{m:02}-{d:02}")
}

fn valid_blueprint() -> String {
    format!(
        "# Build blueprint (zakon doctor probe)\n\nOwner: zakon-doctor\nLast-Verified: {}\n\n\
         ## Deploy\n\ncargo build --release && ./install.sh\n\n## Verify\n\n```sh\n\
         curl -fsS http://localhost:8080/health\n```\n\n## Rollback\n\n./install.sh --uninstall\n",
        yesterday()
    )
}

const INVALID_BLUEPRINT: &str =
    "# Build blueprint (zakon doctor probe)\n\nOwner: zakon-doctor\n\n## Deploy\n\nTBD\n";

/// The result of probing one registration: `Ok(summary)` or `Err(what failed)`.
pub type ProbeResult = Option<Result<String, String>>;

/// Runs the known-bad and known-good inputs for `reg` through `command` (as registered).
/// `None` when zakon has no probe for that registration.
pub fn probe(
    reg: &Registration,
    command: &str,
    scratch: &Scratch,
    extra_env: &[(&str, &Path)],
) -> ProbeResult {
    let cases = match cases(reg, scratch) {
        Ok(Some(c)) => c,
        Ok(None) => return None,
        Err(e) => return Some(Err(e)),
    };
    let timeout = Duration::from_secs(reg.timeout.clamp(1, 60));
    let mut proved = Vec::new();
    for (setup, case) in cases {
        if let Err(e) = setup(scratch) {
            return Some(Err(e));
        }
        // The user's config only for the allowing probes that read it; a block would run the
        // config's `on_violation`, and artifact-gate's PostToolUse probe closes a task in a
        // scratch database the user's `mc_db` would not name.
        let user_config = case.expect == 0
            && !reg.args.iter().any(|a| a == "banner")
            && !(reg.binary == "artifact-gate" && reg.event == "PostToolUse");
        let config = if user_config {
            scratch.config.clone()
        } else {
            scratch.root.join("no-config.json")
        };
        let out = run(command, &case.input, scratch, &config, extra_env, timeout);
        if !out.timed_out && out.code == Some(case.expect) {
            let verb = if case.expect == 2 { "blocks" } else { "allows" };
            proved.push(format!("{verb} {}", case.what));
            continue;
        }
        let verdict = if case.expect == 2 {
            "should block (exit 2)"
        } else {
            "should allow (exit 0)"
        };
        let mut got = out.describe(timeout);
        if let Some(source) = &scratch.config_source {
            got = got.replace(&config.display().to_string(), source);
        }
        return Some(Err(format!("{} {verdict}, got {got}", case.what)));
    }
    Some(Ok(proved.join("; ")))
}

type Setup = fn(&Scratch) -> Result<(), String>;

fn nothing(_: &Scratch) -> Result<(), String> {
    Ok(())
}

fn cases(reg: &Registration, s: &Scratch) -> Result<Option<Vec<(Setup, Case)>>, String> {
    let session = format!("zakon-doctor-{}", s.mc_id);
    let cwd = s.cwd.to_string_lossy().into_owned();
    let blueprint = s.cwd.join("BUILD-BLUEPRINT.md");
    let bp = blueprint.to_string_lossy().into_owned();
    let base = json!({"session_id": session, "cwd": cwd, "hook_event_name": reg.event,
                      "transcript_path": s.root.join("none.jsonl")});
    let with = |extra: Value| {
        let mut v = base.clone();
        if let (Some(o), Value::Object(e)) = (v.as_object_mut(), extra) {
            o.extend(e);
        }
        v
    };
    let out = match (reg.binary.as_str(), reg.args.as_slice(), reg.event.as_str()) {
        ("claim-gate", [], "Stop" | "SubagentStop") => {
            let stop = |text: &str| -> Result<Value, String> {
                let t = s.transcript(text)?;
                Ok(with(
                    json!({"transcript_path": t, "agent_transcript_path": t,
                               "stop_hook_active": false, "last_assistant_message": text}),
                ))
            };
            vec![
                (
                    nothing as Setup,
                    Case {
                        what: "an unverified \"Done, deployed and verified\"",
                        input: stop(UNVERIFIED_CLAIM)?,
                        expect: 2,
                    },
                ),
                (
                    nothing,
                    Case {
                        what: "an honest report",
                        input: stop(HONEST_REPORT)?,
                        expect: 0,
                    },
                ),
            ]
        }
        ("claim-gate", [b], "SessionStart") if b == "banner" => vec![(
            nothing as Setup,
            Case {
                what: "a session start",
                input: with(json!({"source": "startup"})),
                expect: 0,
            },
        )],
        ("artifact-gate", [], "PreToolUse") => {
            let cmd = format!("node ~/system/tools/mc.js done {}", s.mc_id);
            let input = with(json!({"tool_name": "Bash", "tool_input": {"command": cmd}}));
            vec![
                (
                    write_claims as Setup,
                    Case {
                        what: "a UI `mc.js done` without a screenshot",
                        input: input.clone(),
                        expect: 2,
                    },
                ),
                (
                    write_png,
                    Case {
                        what: "the same with a real PNG",
                        input,
                        expect: 0,
                    },
                ),
            ]
        }
        ("artifact-gate", [], "PostToolUse") => {
            let input = with(json!({"tool_name": "Bash", "tool_input": {"command": "ls"},
                                    "tool_response": {"stdout": "", "stderr": ""}}));
            vec![
                (
                    mc_baseline as Setup,
                    Case {
                        what: "a Bash call that changed no task",
                        input: input.clone(),
                        expect: 0,
                    },
                ),
                (
                    mc_close,
                    Case {
                        what: "a UI task set to done in the database without a screenshot",
                        input,
                        expect: 2,
                    },
                ),
            ]
        }
        ("blueprint-gate", [], "PreToolUse") if reg.matcher.as_deref() == Some("Bash") => {
            let bash = |c: String| with(json!({"tool_name": "Bash", "tool_input": {"command": c}}));
            vec![
                (
                    nothing as Setup,
                    Case {
                        what: "a shell redirect into BUILD-BLUEPRINT.md",
                        input: bash(format!("echo 'Owner: nobody' > {bp}")),
                        expect: 2,
                    },
                ),
                (
                    nothing,
                    Case {
                        what: "a plain `ls`",
                        input: bash("ls -la".into()),
                        expect: 0,
                    },
                ),
            ]
        }
        ("blueprint-gate", [], "PreToolUse") => {
            let w = |c: &str| {
                with(json!({"tool_name": "Write",
                            "tool_input": {"file_path": bp, "content": c}}))
            };
            vec![
                (
                    remove_blueprint as Setup,
                    Case {
                        what: "a Write of a blueprint missing Last-Verified, Verify, Rollback",
                        input: w(INVALID_BLUEPRINT),
                        expect: 2,
                    },
                ),
                (
                    remove_blueprint,
                    Case {
                        what: "a valid blueprint",
                        input: w(&valid_blueprint()),
                        expect: 0,
                    },
                ),
            ]
        }
        ("blueprint-gate", [], "PostToolUse") => {
            let w = |c: &str| {
                with(json!({"tool_name": "Write",
                            "tool_input": {"file_path": bp, "content": c},
                            "tool_response": {"filePath": bp, "success": true}}))
            };
            vec![
                (
                    write_invalid_blueprint as Setup,
                    Case {
                        what: "a written blueprint missing Last-Verified, Verify, Rollback",
                        input: w(INVALID_BLUEPRINT),
                        expect: 2,
                    },
                ),
                (
                    write_valid_blueprint,
                    Case {
                        what: "a valid written blueprint",
                        input: w(&valid_blueprint()),
                        expect: 0,
                    },
                ),
            ]
        }
        _ => return Ok(None),
    };
    Ok(Some(out))
}

fn write_claims(s: &Scratch) -> Result<(), String> {
    for dir in s.verify_dirs() {
        let _ = std::fs::remove_dir_all(&dir);
        write(
            &dir.join("claims.json"),
            json!([UI_CLAIM]).to_string().as_bytes(),
        )?;
    }
    Ok(())
}

fn write_png(s: &Scratch) -> Result<(), String> {
    use std::os::unix::fs::PermissionsExt;
    for dir in s.verify_dirs() {
        let png = dir.join("registration-mobile.png");
        write(&png, &PNG)?;
        // artifact-gate trusts only evidence nobody else can write; a umask of 002 would
        // make the probe's own files group-writable.
        for (p, mode) in [(&dir, 0o755), (&png, 0o644)] {
            std::fs::set_permissions(p, std::fs::Permissions::from_mode(mode))
                .map_err(|e| format!("cannot chmod {}: {e}", p.display()))?;
        }
    }
    Ok(())
}

/// The scratch HOME's Mission Control database, and the task the PostToolUse probe closes
/// (an id of its own: the PreToolUse probe leaves a screenshot for `mc_id`).
fn mc_db(s: &Scratch) -> (PathBuf, i64) {
    let db = s.home.join("system/databases/mission-control.db");
    let id = format!("{}7", s.mc_id).parse().unwrap_or(97);
    (db, id)
}

fn mc_baseline(s: &Scratch) -> Result<(), String> {
    let (db, id) = mc_db(s);
    if let Some(dir) = db.parent() {
        std::fs::create_dir_all(dir)
            .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    }
    let _ = std::fs::remove_file(&db);
    let _ = std::fs::remove_dir_all(s.home.join(".claude/zakon/state"));
    let conn = rusqlite::Connection::open(&db)
        .map_err(|e| format!("cannot create {}: {e}", db.display()))?;
    conn.execute_batch(
        "CREATE TABLE tasks (id INTEGER PRIMARY KEY, title TEXT, status TEXT, dod_evidence TEXT)",
    )
    .and_then(|()| {
        conn.execute(
            "INSERT INTO tasks VALUES (?1, 'zakon doctor probe', 'in_progress', ?2)",
            rusqlite::params![id, UI_CLAIM],
        )
    })
    .map(|_| ())
    .map_err(|e| format!("cannot write {}: {e}", db.display()))
}

fn mc_close(s: &Scratch) -> Result<(), String> {
    let (db, id) = mc_db(s);
    rusqlite::Connection::open(&db)
        .and_then(|c| c.execute("UPDATE tasks SET status = 'done' WHERE id = ?1", [id]))
        .map(|_| ())
        .map_err(|e| format!("cannot write {}: {e}", db.display()))
}

fn remove_blueprint(s: &Scratch) -> Result<(), String> {
    let _ = std::fs::remove_file(s.cwd.join("BUILD-BLUEPRINT.md"));
    Ok(())
}

fn write_invalid_blueprint(s: &Scratch) -> Result<(), String> {
    write(
        &s.cwd.join("BUILD-BLUEPRINT.md"),
        INVALID_BLUEPRINT.as_bytes(),
    )
}

fn write_valid_blueprint(s: &Scratch) -> Result<(), String> {
    write(
        &s.cwd.join("BUILD-BLUEPRINT.md"),
        valid_blueprint().as_bytes(),
    )
}

/// `sh -c command` with the hook JSON on stdin, from the project directory, killed after
/// `timeout` like Claude Code would.
fn run(
    command: &str,
    input: &Value,
    s: &Scratch,
    config: &Path,
    extra_env: &[(&str, &Path)],
    timeout: Duration,
) -> Outcome {
    let mut c = Command::new("sh");
    c.arg("-c")
        .arg(command)
        .current_dir(&s.cwd)
        .env("CLAUDE_PROJECT_DIR", &s.cwd)
        // A user's shell may hold an override; the probes must see the rule itself.
        .env_remove("BLUEPRINT_OVERRIDE")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (k, v) in extra_env {
        c.env(k, v);
    }
    // Installed gates take their home from ZAKON_HOME or their install location, never from
    // HOME; ZAKON_HOME is what keeps a probe out of the user's logs, state and snapshot store.
    c.env("HOME", &s.home)
        .env(zakon_core::home::ZAKON_HOME, &s.home)
        .env("TMPDIR", &s.tmp)
        .env("ZAKON_CONFIG", config);
    let mut child = match c.spawn() {
        Ok(ch) => ch,
        Err(e) => {
            return Outcome {
                code: None,
                stderr: format!("cannot run sh: {e}"),
                timed_out: false,
            };
        }
    };
    let data = input.to_string().into_bytes();
    let stdin = child.stdin.take();
    let writer = std::thread::spawn(move || {
        if let Some(mut p) = stdin {
            let _ = p.write_all(&data);
        }
    });
    let mut stderr_pipe = child.stderr.take();
    let reader = std::thread::spawn(move || {
        let mut buf = String::new();
        if let Some(p) = stderr_pipe.as_mut() {
            let _ = p.read_to_string(&mut buf);
        }
        buf
    });
    let mut stdout_pipe = child.stdout.take();
    let drain = std::thread::spawn(move || {
        let mut sink = Vec::new();
        if let Some(p) = stdout_pipe.as_mut() {
            let _ = p.read_to_end(&mut sink);
        }
    });
    let start = Instant::now();
    let (code, timed_out) = loop {
        match child.try_wait() {
            Ok(Some(status)) => break (status.code(), false),
            Ok(None) if start.elapsed() >= timeout => {
                let _ = child.kill();
                let _ = child.wait();
                break (None, true);
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(5)),
            Err(_) => break (None, false),
        }
    };
    let _ = writer.join();
    let _ = drain.join();
    let stderr = reader.join().unwrap_or_default();
    Outcome {
        code,
        stderr,
        timed_out,
    }
}
