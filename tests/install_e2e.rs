//! install.sh end to end, in a temporary HOME that already holds a user's settings.json:
//! the user's settings survive, the registrations are there, the *registered* commands —
//! run the way Claude Code runs them (`sh -c`, hook JSON on stdin) — block and allow, a
//! second install is byte-identical, uninstall gives the user's file back and keeps the data.
//!
//! The debug binaries beside this test are installed with `--no-build --from DIR`: a
//! release build here would take minutes.

mod support;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use support::*;

const USER_SETTINGS: &str = r#"{
  "model": "claude-opus-4-1",
  "permissions": {
    "allow": [
      "Bash(git status)",
      "Read(~/notes/**)"
    ],
    "deny": [
      "Read(./.env)"
    ]
  },
  "hooks": {
    "PreToolUse": [
      {
        "matcher": "Bash",
        "hooks": [
          {
            "type": "command",
            "command": "cat > /dev/null; echo ran >> \"$HOME/user-hook.log\""
          }
        ]
      }
    ]
  }
}
"#;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn build_dir() -> PathBuf {
    bin_path("claim-gate").parent().unwrap().to_path_buf()
}

fn settings_path(sb: &Sandbox) -> PathBuf {
    sb.home.join(".claude/settings.json")
}

fn prefix(sb: &Sandbox) -> PathBuf {
    sb.home.join(".claude/zakon/bin")
}

/// The registry install.sh copies: the shipped one, or a stand-in inside the sandbox while
/// the shipped one does not exist yet (never written into the repository).
fn registry_source(sb: &Sandbox) -> PathBuf {
    let shipped = repo().join("registry/zakon-registry.json");
    if shipped.exists() {
        return shipped;
    }
    sb.write(
        &sb.root.join("stand-in-registry.json"),
        json!({"version": "1", "description": "stand-in", "policy": {}, "backfill_metadata": {},
               "registry": []})
        .to_string(),
    )
}

fn install(sb: &Sandbox, args: &[&str]) -> Output {
    let mut c = Command::new("sh");
    c.arg(repo().join("install.sh"))
        .arg("--no-build")
        .arg("--from")
        .arg(build_dir())
        .arg("--registry-source")
        .arg(registry_source(sb))
        .args(args)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", &sb.home)
        .env("TMPDIR", &sb.tmp)
        .current_dir(&sb.cwd);
    run_with_stdin(c, b"")
}

fn read(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn settings(sb: &Sandbox) -> Value {
    serde_json::from_slice(&read(&settings_path(sb))).unwrap()
}

/// Claude Code's matcher rule for the forms zakon uses: absent / "" / "*" match every tool,
/// `^(?!(A|B)$).*` every tool but A and B (a JavaScript regex; the real client honours the
/// lookahead, see tests/realclient/matcher_skips_read_only_tools.json), otherwise `A|B|C`
/// names tools exactly.
fn matches(matcher: Option<&str>, tool: Option<&str>) -> bool {
    match (matcher, tool) {
        (None | Some("") | Some("*"), _) | (_, None) => true,
        (Some(m), Some(t)) => match m
            .strip_prefix("^(?!(")
            .and_then(|r| r.strip_suffix(")$).*"))
        {
            Some(except) => !except.split('|').any(|x| x == t),
            None => m.split('|').any(|x| x == t),
        },
    }
}

/// blueprint-gate's effects check: every tool but the read-only ones.
const EFFECTS_MATCHER: &str = "^(?!(Read|Glob|Grep)$).*";

/// Fires `event` like Claude Code: every hook of every matching group runs via `sh -c` with
/// the hook JSON on stdin. Returns (command, output) for each.
fn fire(sb: &Sandbox, event: &str, tool: Option<&str>, input: &Value) -> Vec<(String, Output)> {
    let s = settings(sb);
    let mut outs = Vec::new();
    for group in s["hooks"][event].as_array().cloned().unwrap_or_default() {
        if !matches(group["matcher"].as_str(), tool) {
            continue;
        }
        for hook in group["hooks"].as_array().cloned().unwrap_or_default() {
            let command = hook["command"].as_str().unwrap().to_string();
            let mut c = Command::new("sh");
            c.arg("-c")
                .arg(&command)
                .env_clear()
                .env("PATH", std::env::var_os("PATH").unwrap_or_default())
                .env("HOME", &sb.home)
                .env("TMPDIR", &sb.tmp)
                .env("CLAUDE_PROJECT_DIR", &sb.cwd)
                .current_dir(&sb.cwd);
            let out = run_with_stdin(c, input.to_string().as_bytes());
            outs.push((command, out));
        }
    }
    assert!(!outs.is_empty(), "no hook registered for {event} {tool:?}");
    outs
}

/// Claude Code blocks when any hook exits 2.
fn blocked(outs: &[(String, Output)]) -> bool {
    outs.iter().any(|(_, o)| code(o) == 2)
}

fn explain(outs: &[(String, Output)]) -> String {
    outs.iter()
        .map(|(c, o)| format!("{c} → exit {}: {}", code(o), stderr(o)))
        .collect::<Vec<_>>()
        .join("\n")
}

fn transcript(sb: &Sandbox, name: &str, reply: &str) -> PathBuf {
    let lines = [
        json!({"type":"user","uuid":"u1","message":{"role":"user","content":"Fix the billing rounding."}}),
        json!({"type":"assistant","uuid":"a1","message":{"id":"msg_1","role":"assistant",
               "model":"claude-sonnet-4-5","content":[{"type":"text","text":reply}]}}),
    ];
    let text: String = lines.iter().map(|l| format!("{l}\n")).collect();
    sb.write(&sb.root.join(name), text)
}

fn stop_input(sb: &Sandbox, transcript: &Path, reply: &str) -> Value {
    json!({"session_id": "e2e-session", "transcript_path": transcript, "cwd": sb.cwd,
           "hook_event_name": "Stop", "stop_hook_active": false,
           "last_assistant_message": reply})
}

/// /tmp/verify-<id> and /tmp/evidence-<id> for a unique Mission Control id, removed on drop.
struct McTask {
    id: String,
}

impl McTask {
    fn new() -> McTask {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .subsec_nanos();
        let t = McTask {
            id: format!("8{}{:06}", std::process::id(), nanos % 1_000_000),
        };
        t.clean();
        t
    }

    fn verify_dir(&self) -> PathBuf {
        PathBuf::from(format!("/tmp/verify-{}", self.id))
    }

    fn clean(&self) {
        let _ = std::fs::remove_dir_all(self.verify_dir());
        let _ = std::fs::remove_dir_all(format!("/tmp/evidence-{}", self.id));
    }
}

impl Drop for McTask {
    fn drop(&mut self) {
        self.clean();
    }
}

/// A real 32×32 PNG (artifact-gate decodes screenshots and wants at least 16×16).
fn png() -> Vec<u8> {
    support::artifact_files::png(32, 32)
}

fn blueprint(valid: bool) -> String {
    if valid {
        "# Billing service\n\nOwner: platform-team\nLast-Verified: 2025-01-15\n\n## Deploy\n\n\
         ./deploy.sh billing\n\n## Verify\n\n```sh\ncurl -fsS https://billing.example.com/health\n\
         ```\n\n## Rollback\n\n./deploy.sh billing --previous\n"
            .to_string()
    } else {
        "# Billing service\n\nOwner: platform-team\n\n## Deploy\n\n./deploy.sh billing\n"
            .to_string()
    }
}

fn write_input(sb: &Sandbox, content: &str) -> Value {
    json!({"session_id": "e2e-session", "cwd": sb.cwd, "hook_event_name": "PreToolUse",
           "tool_name": "Write",
           "tool_input": {"file_path": sb.cwd.join("BUILD-BLUEPRINT.md"), "content": content}})
}

fn bash_input(sb: &Sandbox, command: &str) -> Value {
    json!({"session_id": "e2e-session", "cwd": sb.cwd, "hook_event_name": "PreToolUse",
           "tool_name": "Bash", "tool_input": {"command": command}})
}

fn ok(out: &Output, what: &str) {
    assert_eq!(
        code(out),
        0,
        "{what}\nstdout:\n{}\nstderr:\n{}",
        stdout(out),
        stderr(out)
    );
}

#[test]
fn install_protects_keeps_user_settings_and_uninstalls_cleanly() {
    let sb = Sandbox::new("install-e2e");
    let settings_file = sb.write(&settings_path(&sb), USER_SETTINGS);
    let registry = sb.home.join("system/rules/zakon-registry.json");
    let mut users_registry: Value = serde_json::from_slice(&read(&registry_source(&sb))).unwrap();
    users_registry["description"] = json!("the user's own registry, edited by hand");
    let users_registry = serde_json::to_vec_pretty(&users_registry).unwrap();
    sb.write(&registry, &users_registry);

    let out = install(&sb, &[]);
    ok(&out, "install");
    assert!(
        stdout(&out).contains("All "),
        "doctor ran: {}",
        stdout(&out)
    );

    // The user's settings are all still there, their hook first.
    let s = settings(&sb);
    let user: Value = serde_json::from_str(USER_SETTINGS).unwrap();
    assert_eq!(s["model"], user["model"]);
    assert_eq!(s["permissions"], user["permissions"]);
    assert_eq!(s["hooks"]["PreToolUse"][0], user["hooks"]["PreToolUse"][0]);
    let keys: Vec<_> = s.as_object().unwrap().keys().cloned().collect();
    assert!(keys.contains(&"model".to_string()) && keys.contains(&"permissions".to_string()));
    assert!(sb.home.join(".claude/settings.json.zakon-backup").exists());
    // The snapshot store is seeded: the installed binaries and the settings just written are
    // the baseline the effects check restores from.
    let index: Value =
        serde_json::from_slice(&read(&sb.home.join(".claude/zakon/snapshots/index.json"))).unwrap();
    for b in ["claim-gate", "artifact-gate", "blueprint-gate"] {
        let p = prefix(&sb).join(b);
        let entry = &index["files"][p.to_str().unwrap()];
        assert_eq!(entry["kind"], "install", "{b} not recorded: {index:#}");
    }
    assert_eq!(
        index["files"][settings_path(&sb).to_str().unwrap()]["kind"],
        "settings",
        "{index:#}"
    );
    assert_eq!(
        read(&sb.home.join(".claude/settings.json.zakon-backup")),
        USER_SETTINGS.as_bytes()
    );

    // The registrations: absolute paths of the installed binaries, with timeouts.
    let bin = prefix(&sb);
    let want = [
        ("Stop", None, "claim-gate"),
        ("SubagentStop", None, "claim-gate"),
        ("PreToolUse", Some("Bash"), "artifact-gate"),
        ("PreToolUse", Some("Bash"), "blueprint-gate"),
        ("PreToolUse", Some("Write|Edit|MultiEdit"), "blueprint-gate"),
        ("PostToolUse", Some("Bash"), "artifact-gate"),
        ("PostToolUse", Some(EFFECTS_MATCHER), "blueprint-gate"),
        ("SessionStart", None, "claim-gate banner"),
    ];
    for (event, matcher, cmd) in want {
        let expected = format!("{}/{cmd}", bin.display());
        let found = s["hooks"][event].as_array().unwrap().iter().any(|g| {
            g["matcher"].as_str() == matcher
                && g["hooks"].as_array().unwrap().iter().any(|h| {
                    h["command"] == expected.as_str()
                        && h["type"] == "command"
                        && h["timeout"].as_u64().is_some_and(|t| t >= 5)
                })
        });
        assert!(found, "{event} {matcher:?} {expected} missing in {s:#}");
    }

    // claim-gate on Stop: an unverified claim is blocked, an honest report is not.
    let claim = "Done, deployed and verified, everything works.";
    let t = transcript(&sb, "claim.jsonl", claim);
    let outs = fire(&sb, "Stop", None, &stop_input(&sb, &t, claim));
    assert!(
        blocked(&outs),
        "unverified claim not blocked:\n{}",
        explain(&outs)
    );
    let honest = "I read the billing module; the rounding happens in two places.";
    let t = transcript(&sb, "honest.jsonl", honest);
    let outs = fire(&sb, "Stop", None, &stop_input(&sb, &t, honest));
    assert!(
        !blocked(&outs),
        "honest report blocked:\n{}",
        explain(&outs)
    );

    // artifact-gate on Bash: a UI claim marked done without a screenshot is blocked.
    let task = McTask::new();
    sb.write(
        &task.verify_dir().join("claims.json"),
        json!(["Registration screen works on mobile"]).to_string(),
    );
    let done = bash_input(&sb, &format!("node ~/system/tools/mc.js done {}", task.id));
    let outs = fire(&sb, "PreToolUse", Some("Bash"), &done);
    assert!(
        blocked(&outs),
        "UI done without PNG not blocked:\n{}",
        explain(&outs)
    );
    sb.write(&task.verify_dir().join("registration-mobile.png"), png());
    let outs = fire(&sb, "PreToolUse", Some("Bash"), &done);
    assert!(
        !blocked(&outs),
        "UI done with PNG blocked:\n{}",
        explain(&outs)
    );
    // The user's own Bash hook still runs beside zakon's.
    assert!(read(&sb.home.join("user-hook.log")).starts_with(b"ran\n"));

    // blueprint-gate on Write: an invalid blueprint is blocked, a valid one is not.
    let outs = fire(
        &sb,
        "PreToolUse",
        Some("Write"),
        &write_input(&sb, &blueprint(false)),
    );
    assert!(
        blocked(&outs),
        "invalid blueprint not blocked:\n{}",
        explain(&outs)
    );
    let outs = fire(
        &sb,
        "PreToolUse",
        Some("Write"),
        &write_input(&sb, &blueprint(true)),
    );
    assert!(
        !blocked(&outs),
        "valid blueprint blocked:\n{}",
        explain(&outs)
    );

    // SessionStart: the banner command runs and exits 0.
    let outs = fire(
        &sb,
        "SessionStart",
        None,
        &json!({"session_id": "e2e", "hook_event_name": "SessionStart", "source": "startup"}),
    );
    assert!(outs.iter().all(|(_, o)| code(o) == 0), "{}", explain(&outs));

    // A second install changes nothing, byte for byte; the user's registry is untouched.
    let before = read(&settings_file);
    let backup_before = read(&sb.home.join(".claude/settings.json.zakon-backup"));
    let out = install(&sb, &[]);
    ok(&out, "second install");
    assert_eq!(
        read(&settings_file),
        before,
        "second install changed settings.json"
    );
    assert_eq!(
        read(&sb.home.join(".claude/settings.json.zakon-backup")),
        backup_before
    );
    assert_eq!(read(&registry), users_registry, "user registry overwritten");

    // doctor passes, and names the fix when a binary disappears.
    let zakon = bin.join("zakon");
    let doctor = |sb: &Sandbox| {
        let mut c = Command::new(&zakon);
        c.arg("doctor")
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", &sb.home)
            .env("TMPDIR", &sb.tmp)
            .current_dir(&sb.cwd);
        run_with_stdin(c, b"")
    };
    let out = doctor(&sb);
    ok(&out, "doctor after install");
    assert!(!stdout(&out).contains('✘'), "{}", stdout(&out));
    std::fs::remove_file(bin.join("artifact-gate")).unwrap();
    let out = doctor(&sb);
    assert_eq!(code(&out), 1, "{}", stdout(&out));
    let report = stdout(&out);
    let failed: Vec<&str> = report
        .lines()
        .filter(|l| l.trim_start().starts_with('✘'))
        .collect();
    assert!(
        failed.iter().any(|l| l.contains("artifact-gate")),
        "{report}"
    );
    assert!(report.contains("fix: "), "{report}");
    // Reinstalling brings the binary back.
    ok(&install(&sb, &[]), "reinstall after deleting a binary");
    assert!(bin.join("artifact-gate").exists());

    // Uninstall: the user's settings come back exactly; binaries go; data stays.
    let data = [
        sb.home.join(".claude/zakon/audit.jsonl"),
        sb.home.join(".claude/zakon/violations.jsonl"),
        sb.home.join("system/state/last-validator-verdict.json"),
        registry.clone(),
    ];
    for d in &data {
        if !d.exists() {
            sb.write(d, "{}\n");
        }
    }
    let kept: Vec<Vec<u8>> = data.iter().map(|d| read(d)).collect();
    let out = install(&sb, &["--uninstall"]);
    ok(&out, "uninstall");
    assert_eq!(
        String::from_utf8(read(&settings_file)).unwrap(),
        USER_SETTINGS,
        "uninstall did not restore the user's settings"
    );
    for b in [
        "claim-gate",
        "artifact-gate",
        "blueprint-gate",
        "zakon-registry",
        "zakon",
    ] {
        assert!(!bin.join(b).exists(), "{b} left behind");
    }
    assert!(
        !sb.home.join(".claude/zakon/snapshots").exists(),
        "the snapshot store outlived the hooks"
    );
    for (d, k) in data.iter().zip(&kept) {
        assert_eq!(&read(d), k, "{} changed by uninstall", d.display());
    }
    // A second uninstall finds nothing and says so plainly (exit 1), changing nothing.
    let again = install(&sb, &["--uninstall"]);
    assert_eq!(code(&again), 1, "{}{}", stdout(&again), stderr(&again));
    assert!(
        stderr(&again).contains("nothing to uninstall"),
        "{}",
        stderr(&again)
    );
    assert_eq!(
        String::from_utf8(read(&settings_file)).unwrap(),
        USER_SETTINGS
    );
}

#[test]
fn fresh_home_gets_the_default_registry_and_new_settings() {
    let sb = Sandbox::new("install-fresh");
    let out = install(&sb, &["--no-doctor"]);
    ok(&out, "install into an empty home");
    assert_eq!(
        read(&sb.home.join("system/rules/zakon-registry.json")),
        read(&registry_source(&sb))
    );
    let s = settings(&sb);
    assert_eq!(s.as_object().unwrap().keys().collect::<Vec<_>>(), ["hooks"]);
    assert!(!sb.home.join(".claude/settings.json.zakon-backup").exists());

    // A registration left behind by an older install, pointing at a file that is gone, is
    // a gate that silently fails open: doctor names it and how to fix it.
    let stale = "/nonexistent/old-zakon/bin/claim-gate";
    let mut s = s;
    s["hooks"]["Stop"]
        .as_array_mut()
        .unwrap()
        .push(json!({"hooks": [{"type": "command", "command": stale}]}));
    sb.write(&settings_path(&sb), serde_json::to_vec_pretty(&s).unwrap());
    let mut c = Command::new(prefix(&sb).join("zakon"));
    c.arg("doctor")
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", &sb.home)
        .env("TMPDIR", &sb.tmp)
        .current_dir(&sb.cwd);
    let out = run_with_stdin(c, b"");
    assert_eq!(code(&out), 1, "{}", stdout(&out));
    let report = stdout(&out);
    let line = report
        .lines()
        .find(|l| l.contains('✘'))
        .unwrap_or_else(|| panic!("no ✘ in {report}"));
    assert!(
        line.contains(stale) && line.contains("does not exist"),
        "{report}"
    );
    assert!(report.contains("fix: remove that entry"), "{report}");

    // Uninstall takes zakon's entries and leaves the stranger alone.
    ok(&install(&sb, &["--uninstall"]), "uninstall");
    assert_eq!(
        settings(&sb),
        json!({"hooks": {"Stop": [{"hooks": [{"type": "command", "command": stale}]}]}})
    );
}

#[test]
fn dry_run_writes_nothing_and_malformed_settings_stop_the_install() {
    let sb = Sandbox::new("install-dry");
    let settings_file = sb.write(&settings_path(&sb), USER_SETTINGS);
    let out = install(&sb, &["--dry-run"]);
    ok(&out, "dry run");
    let text = stdout(&out);
    assert!(text.contains("dry run: nothing was written."), "{text}");
    assert!(
        text.contains("+            \"command\": "),
        "no diff in:\n{text}"
    );
    assert!(text.contains("/artifact-gate"), "{text}");
    assert_eq!(read(&settings_file), USER_SETTINGS.as_bytes());
    assert!(
        !sb.home.join(".claude/zakon").exists(),
        "dry run created files"
    );
    assert!(
        !sb.home.join("system").exists(),
        "dry run installed the registry"
    );

    let broken = "{\n  \"model\": \"opus\",\n";
    sb.write(&settings_file, broken);
    let out = install(&sb, &[]);
    assert_eq!(code(&out), 1, "{}", stdout(&out));
    let err = stderr(&out);
    assert!(
        err.contains("not valid JSON") && err.contains("nothing was installed"),
        "{err}"
    );
    assert_eq!(read(&settings_file), broken.as_bytes());
    assert!(
        !sb.home.join(".claude/zakon").exists(),
        "binaries copied despite the error"
    );
    assert!(!sb.home.join(".claude/settings.json.zakon-backup").exists());

    let out = install(&sb, &["--bogus"]);
    assert_eq!(code(&out), 2, "{}", stderr(&out));
}
