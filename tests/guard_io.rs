//! Never block on I/O, never outlive the deadline (issue 13, item 1), and find home without
//! `$HOME`. Every case runs a real binary under a wall-clock guard: a gate that hangs fails
//! its test instead of hanging CI.
//!
//! Before this, `mkfifo ~/.claude/zakon/config.json` (or a FIFO at any file a gate reads, or
//! a config symlinked to `/dev/zero`) made every in-scope call hang until Claude Code's
//! timeout — which lets the call through.

mod support;
use serde_json::{Value, json};
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};
use std::process::Output;
use std::time::Duration;
use support::*;

/// The gates' default deadline; every case here must end well inside it.
const DEADLINE: Duration = Duration::from_secs(5);
/// The wall-clock guard: past this the child is killed and the test fails.
const GUARD: Duration = Duration::from_secs(8);

fn run(sb: &Sandbox, bin: &str, input: &Value, env: &[(&str, &str)]) -> (Output, Duration) {
    let mut c = sb.cmd(bin);
    for (k, v) in env {
        c.env(k, v);
    }
    run_bounded(c, input.to_string().as_bytes(), GUARD)
}

/// Exit 2 inside the deadline, and stderr names `path` (absolute, or `~/…` under `home`)
/// and what it is.
fn fails_closed_naming(out: &Output, took: Duration, path: &Path, what: &str) {
    let err = stderr(out);
    assert_eq!(code(out), 2, "stderr: {err}");
    assert!(took < DEADLINE, "took {took:?}: {err}");
    let tilde = path
        .to_string_lossy()
        .split_once("/home/")
        .map(|(_, rest)| format!("~/{rest}"));
    assert!(
        err.contains(&path.display().to_string()) || tilde.is_some_and(|t| err.contains(&t)),
        "does not name {}: {err}",
        path.display()
    );
    assert!(err.contains(what), "does not say {what:?}: {err}");
}

fn config_path(sb: &Sandbox) -> PathBuf {
    sb.home.join(".claude/zakon/config.json")
}

// ---- in-scope inputs, one per gate ------------------------------------------------------

fn artifact_done(sb: &Sandbox, id: u64) -> Value {
    json!({"session_id": "s", "cwd": sb.cwd, "hook_event_name": "PreToolUse", "tool_name": "Bash",
           "tool_input": {"command": format!("node ~/system/tools/mc.js done {id}")}})
}

fn blueprint_write(sb: &Sandbox, content: &str) -> Value {
    json!({"session_id": "s", "cwd": sb.cwd, "hook_event_name": "PreToolUse", "tool_name": "Write",
           "tool_input": {"file_path": "BUILD-BLUEPRINT.md", "content": content}})
}

fn edit(sb: &Sandbox, path: &str) -> Value {
    json!({"session_id": "s", "cwd": sb.cwd, "hook_event_name": "PreToolUse", "tool_name": "Edit",
           "tool_input": {"file_path": path, "old_string": "a", "new_string": "b"}})
}

fn stop(sb: &Sandbox, transcript: &Path) -> Value {
    json!({"session_id": "s", "cwd": sb.cwd, "hook_event_name": "Stop",
           "stop_hook_active": false, "transcript_path": transcript})
}

/// A transcript whose last turn claims success without evidence (claim-gate blocks it).
fn claim_transcript(sb: &Sandbox) -> PathBuf {
    let lines = [
        json!({"type": "user", "message": {"role": "user", "content": "Please deploy."}, "uuid": "u1"}),
        json!({"type": "assistant", "uuid": "a1", "message": {"id": "m1", "role": "assistant",
            "content": [{"type": "text", "text": "Deployed and verified, everything works."}]}}),
    ];
    let text: String = lines.iter().map(|l| format!("{l}\n")).collect();
    sb.write(&sb.tmp.join("t.jsonl"), text)
}

/// Points artifact-gate's `tmp_root` into the sandbox.
fn artifact_config(sb: &Sandbox) {
    sb.write(
        &config_path(sb),
        json!({"artifact_gate": {"tmp_root": sb.tmp}}).to_string(),
    );
}

// ---- a FIFO at each file a gate reads ------------------------------------------------------

#[test]
fn fifo_config_fails_closed_in_scope_for_every_gate_and_out_of_scope_is_untouched() {
    let sb = Sandbox::new("io-config");
    let cfg = config_path(&sb);
    mkfifo(&cfg);
    let transcript = claim_transcript(&sb);
    for (bin, input) in [
        ("artifact-gate", artifact_done(&sb, 42)),
        ("blueprint-gate", blueprint_write(&sb, "no schema")),
        ("claim-gate", stop(&sb, &transcript)),
    ] {
        let (out, took) = run(&sb, bin, &input, &[]);
        fails_closed_naming(&out, took, &cfg, "FIFO");
    }
    // Out of scope never opens the config: still exit 0.
    let unrelated = json!({"session_id": "s", "cwd": sb.cwd, "hook_event_name": "PreToolUse",
        "tool_name": "Bash", "tool_input": {"command": "ls -la"}});
    for bin in ["artifact-gate", "blueprint-gate"] {
        let (out, _) = run(&sb, bin, &unrelated, &[]);
        assert_eq!(code(&out), 0, "{bin}: {}", stderr(&out));
    }
}

#[test]
fn config_symlinked_to_dev_zero_fails_closed() {
    let sb = Sandbox::new("io-zero");
    let cfg = config_path(&sb);
    std::fs::create_dir_all(cfg.parent().unwrap()).unwrap();
    std::os::unix::fs::symlink("/dev/zero", &cfg).unwrap();
    let (out, took) = run(&sb, "blueprint-gate", &blueprint_write(&sb, "x"), &[]);
    fails_closed_naming(&out, took, &cfg, "character device");
    // A config that is a directory is refused the same way.
    std::fs::remove_file(&cfg).unwrap();
    std::fs::create_dir(&cfg).unwrap();
    let (out, took) = run(&sb, "artifact-gate", &artifact_done(&sb, 7), &[]);
    fails_closed_naming(&out, took, &cfg, "directory");
}

#[test]
fn fifo_audit_log_does_not_hang_a_block() {
    let sb = Sandbox::new("io-audit");
    let audit = sb.home.join(".claude/zakon/audit.jsonl");
    mkfifo(&audit);
    // No reader: a blocking open for writing would wait for one forever.
    let (out, took) = run(
        &sb,
        "blueprint-gate",
        &blueprint_write(&sb, "no schema"),
        &[],
    );
    fails_closed_naming(&out, took, &audit, "audit log not written");
    assert!(
        stderr(&out).contains("BUILD-BLUEPRINT.md"),
        "{}",
        stderr(&out)
    );
    // A reader holds it open: the open succeeds, and the check after opening refuses it.
    let _reader = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(&audit)
        .unwrap();
    let (out, took) = run(
        &sb,
        "blueprint-gate",
        &blueprint_write(&sb, "no schema"),
        &[],
    );
    fails_closed_naming(&out, took, &audit, "FIFO");
}

#[test]
fn fifo_violations_log_fails_closed() {
    let sb = Sandbox::new("io-violations");
    let violations = sb.home.join(".claude/zakon/violations.jsonl");
    mkfifo(&violations);
    let _reader = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(&violations)
        .unwrap();
    let t = claim_transcript(&sb);
    let (out, took) = run(&sb, "claim-gate", &stop(&sb, &t), &[]);
    fails_closed_naming(&out, took, &violations, "FIFO");
}

#[test]
fn fifo_transcript_fails_closed() {
    let sb = Sandbox::new("io-transcript");
    let t = sb.tmp.join("session.jsonl");
    mkfifo(&t);
    let (out, took) = run(&sb, "claim-gate", &stop(&sb, &t), &[]);
    fails_closed_naming(&out, took, &t, "FIFO");
}

#[test]
fn fifo_claims_file_and_mission_control_db_fail_closed() {
    let sb = Sandbox::new("io-claims");
    artifact_config(&sb);
    let claims = sb.tmp.join("verify-42/claims.json");
    mkfifo(&claims);
    // artifact-gate's own check says "not a regular file" (fsio's message says it too).
    let (out, took) = run(&sb, "artifact-gate", &artifact_done(&sb, 42), &[]);
    fails_closed_naming(&out, took, &claims, "not a regular file");

    // No claims file: the gate asks the Mission Control database, which is a FIFO.
    let db = sb.home.join("system/databases/mission-control.db");
    mkfifo(&db);
    let (out, took) = run(&sb, "artifact-gate", &artifact_done(&sb, 43), &[]);
    fails_closed_naming(&out, took, &db, "not a regular file");
}

#[test]
fn fifo_blueprint_registry_and_settings_fail_closed() {
    let sb = Sandbox::new("io-blueprint");
    let bp = sb.cwd.join("BUILD-BLUEPRINT.md");
    mkfifo(&bp);
    let (out, took) = run(&sb, "blueprint-gate", &edit(&sb, "BUILD-BLUEPRINT.md"), &[]);
    fails_closed_naming(&out, took, &bp, "FIFO");

    let registry = sb.home.join("system/rules/zakon-registry.json");
    mkfifo(&registry);
    let rule = json!({"session_id": "s", "cwd": sb.cwd, "hook_event_name": "PreToolUse",
        "tool_name": "Write", "tool_input": {"file_path": "~/system/rules/zakon-x.md", "content": "r"}});
    let (out, took) = run(&sb, "blueprint-gate", &rule, &[]);
    fails_closed_naming(&out, took, &registry, "FIFO");
    // The registry CLI refuses it too (exit 3 is its registry error).
    let (out, took) = run_bounded(
        {
            let mut c = sb.cmd("zakon-registry");
            c.arg("stats");
            c
        },
        b"",
        GUARD,
    );
    assert_eq!(code(&out), 3, "{}", stderr(&out));
    assert!(took < DEADLINE);
    assert!(stderr(&out).contains("FIFO"), "{}", stderr(&out));

    let settings = sb.home.join(".claude/settings.json");
    mkfifo(&settings);
    let (out, took) = run(
        &sb,
        "blueprint-gate",
        &edit(&sb, "~/.claude/settings.json"),
        &[],
    );
    fails_closed_naming(&out, took, &settings, "FIFO");
}

#[test]
fn fifo_verdict_file_fails_the_banner_closed() {
    let sb = Sandbox::new("io-verdict");
    let verdict = sb.home.join("system/state/last-validator-verdict.json");
    mkfifo(&verdict);
    let mut c = sb.cmd("claim-gate");
    c.arg("banner");
    let (out, took) = run_bounded(c, b"{}", GUARD);
    fails_closed_naming(&out, took, &verdict, "FIFO");
}

// ---- the deadline ------------------------------------------------------------------------

#[test]
fn a_gate_still_working_at_the_deadline_exits_2() {
    let sb = Sandbox::new("io-deadline");
    // A current turn of 60 000 text lines: seconds of work in a debug build.
    let mut text = String::from(
        "{\"type\":\"user\",\"message\":{\"role\":\"user\",\"content\":\"Go.\"},\"uuid\":\"u1\"}\n",
    );
    for i in 0..60_000 {
        text.push_str(&format!(
            "{{\"type\":\"assistant\",\"uuid\":\"a{i}\",\"message\":{{\"id\":\"m{i}\",\"role\":\"assistant\",\"content\":[{{\"type\":\"text\",\"text\":\"Step {i} of the build went through and the output looks as expected here.\"}}]}}}}\n"
        ));
    }
    let t = sb.write(&sb.tmp.join("long.jsonl"), text);
    let (out, took) = run(
        &sb,
        "claim-gate",
        &stop(&sb, &t),
        &[("ZAKON_DEADLINE_MS", "30")],
    );
    let err = stderr(&out);
    assert_eq!(code(&out), 2, "{err}");
    assert!(
        err.contains("30 ms deadline") && err.contains("fail-closed"),
        "{err}"
    );
    assert!(took < Duration::from_secs(2), "took {took:?}");
}

#[test]
fn the_deadline_knob_never_lengthens_and_junk_is_ignored() {
    // A value above the default is clamped: an allowed out-of-scope call is unaffected and a
    // FIFO config still fails at once (nothing here waits for the deadline).
    let sb = Sandbox::new("io-knob");
    mkfifo(&config_path(&sb));
    for knob in ["600000", "soon", ""] {
        let (out, took) = run(
            &sb,
            "blueprint-gate",
            &blueprint_write(&sb, "x"),
            &[("ZAKON_DEADLINE_MS", knob)],
        );
        fails_closed_naming(&out, took, &config_path(&sb), "FIFO");
    }
}

// ---- home --------------------------------------------------------------------------------

/// Copies a gate binary into `<home>/.claude/zakon/bin/` the way install.sh does.
fn install_copy(home: &Path, bin: &str) -> PathBuf {
    let dir = home.join(".claude/zakon/bin");
    std::fs::create_dir_all(&dir).unwrap();
    let dst = dir.join(bin);
    std::fs::copy(bin_path(bin), &dst).unwrap();
    dst
}

#[test]
fn an_installed_gate_ignores_home_and_zakon_home_wins() {
    let sb = Sandbox::new("io-home");
    let gate = install_copy(&sb.home, "blueprint-gate");
    // The home an agent would like the gate to use: no config, no logs.
    let decoy = sb.root.join("decoy");
    std::fs::create_dir_all(&decoy).unwrap();
    // `~` in the installed home's config expands to that same home.
    sb.write(
        &config_path(&sb),
        json!({"audit_log": "~/logs/audit.jsonl"}).to_string(),
    );
    let run_installed = |env: &[(&str, &Path)]| {
        let mut c = std::process::Command::new(&gate);
        c.env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("TMPDIR", &sb.tmp)
            .current_dir(&sb.cwd);
        for (k, v) in env {
            c.env(k, v);
        }
        run_bounded(
            c,
            blueprint_write(&sb, "no schema").to_string().as_bytes(),
            GUARD,
        )
        .0
    };

    let out = run_installed(&[("HOME", &decoy)]);
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    assert_eq!(read_jsonl(&sb.home.join("logs/audit.jsonl")).len(), 1);
    assert!(!decoy.join(".claude").exists(), "the gate used $HOME");

    // ZAKON_HOME (tests, doctor's probes) comes first.
    let out = run_installed(&[("HOME", &sb.home), ("ZAKON_HOME", &decoy)]);
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    assert_eq!(
        read_jsonl(&decoy.join(".claude/zakon/audit.jsonl")).len(),
        1
    );
    assert_eq!(read_jsonl(&sb.home.join("logs/audit.jsonl")).len(), 1);
}

#[test]
fn a_symlinked_dot_claude_keeps_the_home_claude_code_ran_the_gate_from() {
    // ~/.claude is a symlink into a dotfiles checkout; the registry lives in ~/system. The
    // gate must take home from the path it was run by, not from the resolved one.
    let sb = Sandbox::new("io-home-link");
    let dotfiles = sb.root.join("dotfiles");
    std::fs::create_dir_all(dotfiles.join(".claude")).unwrap();
    std::os::unix::fs::symlink(dotfiles.join(".claude"), sb.home.join(".claude")).unwrap();
    let gate = install_copy(&sb.home, "blueprint-gate");
    assert!(gate.canonicalize().unwrap().starts_with(&dotfiles));
    sb.write(
        &sb.home.join("system/rules/zakon-registry.json"),
        r#"{"version":"1","registry":[{"zakon_id":"ok","file_path":"~/system/rules/zakon-ok.md",
            "mc_task":null,"ceo_approved_token":"GRANDFATHERED-PRE-2026-05-12","status":"legacy-pre-registry"}]}"#,
    );
    let rule = json!({"session_id": "s", "cwd": sb.cwd, "hook_event_name": "PreToolUse",
        "tool_name": "Write", "tool_input": {"file_path": "~/system/rules/zakon-ok.md", "content": "r"}});
    let mut c = std::process::Command::new(&gate);
    c.env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", sb.root.join("decoy"))
        .env("TMPDIR", &sb.tmp)
        .current_dir(&sb.cwd);
    let (out, _) = run_bounded(c, rule.to_string().as_bytes(), GUARD);
    // With home = the dotfiles dir there is no registry: the write would be blocked.
    assert_eq!(code(&out), 0, "{}", stderr(&out));
}

#[test]
fn fifo_pause_file_pauses_nothing_and_does_not_hang() {
    // The gates read the pause file when they are about to block; a FIFO there is "not
    // paused" (fail closed), at once.
    let sb = Sandbox::new("io-pause");
    mkfifo(&sb.home.join(".claude/zakon/pause.json"));
    let (out, took) = run(
        &sb,
        "blueprint-gate",
        &blueprint_write(&sb, "no schema"),
        &[],
    );
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    assert!(took < DEADLINE, "took {took:?}");
    assert!(
        stderr(&out).contains("BUILD-BLUEPRINT.md"),
        "{}",
        stderr(&out)
    );
}
