//! `zakon pause` / `zakon resume`: for a human at a terminal only, blocked when an agent's
//! Bash runs them, root-only in managed mode, audit-logged — and honoured by the gates (what
//! a paused gate would block is allowed and logged as `paused`).

mod support;
use serde_json::{Value, json};
use support::*;

fn zakon(args: &[&str]) -> Vec<String> {
    std::iter::once(bin_path("zakon").display().to_string())
        .chain(args.iter().map(|a| a.to_string()))
        .collect()
}

fn claim_stop(sb: &Sandbox, session: &str) -> Vec<u8> {
    json!({"session_id": session, "hook_event_name": "Stop", "cwd": sb.cwd,
           "last_assistant_message": "Deployed to production and verified."})
    .to_string()
    .into_bytes()
}

fn mc_done(sb: &Sandbox) -> Vec<u8> {
    json!({"session_id": "s", "hook_event_name": "PreToolUse", "cwd": sb.cwd,
           "tool_name": "Bash", "tool_input": {"command": "node mc.js done 424242"}})
    .to_string()
    .into_bytes()
}

fn decisions(sb: &Sandbox) -> Vec<(String, String)> {
    sb.audit_lines()
        .iter()
        .map(|l| {
            (
                l["decision"].as_str().unwrap_or("").to_string(),
                l["rule"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

#[test]
fn pause_and_resume_are_refused_without_a_terminal_and_the_attempt_is_logged() {
    let sb = Sandbox::new("pause-noterm");
    for args in [
        &["pause", "claim-gate", "--for", "30m"][..],
        &["resume"][..],
    ] {
        let out = sb.run("zakon", args, b"", &[]);
        assert_eq!(code(&out), 1, "{args:?}: {}", stderr(&out));
        assert!(
            stderr(&out).contains("needs an interactive terminal"),
            "{}",
            stderr(&out)
        );
    }
    assert!(!sb.home.join(".claude/zakon/pause.json").exists());
    assert_eq!(
        decisions(&sb),
        [
            ("pause-refused".to_string(), "zakon-pause".to_string()),
            ("pause-refused".to_string(), "zakon-pause".to_string())
        ]
    );
    // A gate still blocks.
    let out = sb.run("claim-gate", &[], &claim_stop(&sb, "s1"), &[]);
    assert_eq!(code(&out), 2);
}

#[test]
fn a_human_pauses_one_gate_the_gate_allows_and_logs_paused_then_resumes() {
    let sb = Sandbox::new("pause-tty");
    if tty::script().is_none() {
        eprintln!("skipped: util-linux `script` is not installed, so no terminal can be made");
        return;
    }
    let out = tty::run(
        sb.cmd("zakon"),
        &zakon(&["pause", "claim-gate", "--for", "30m"]),
    );
    assert_eq!(code(&out), 0, "{}", stdout(&out));
    assert!(
        stdout(&out).contains("Paused claim-gate until"),
        "{}",
        stdout(&out)
    );
    let file: Value =
        serde_json::from_slice(&std::fs::read(sb.home.join(".claude/zakon/pause.json")).unwrap())
            .unwrap();
    assert_eq!(file["pauses"][0]["gate"], "claim-gate");

    // The paused gate lets the unverified claim through and logs what it would have blocked.
    let out = sb.run("claim-gate", &[], &claim_stop(&sb, "s2"), &[]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(stderr(&out).contains("paused until"), "{}", stderr(&out));
    let audit = sb.audit_lines();
    let paused = audit.iter().find(|l| l["decision"] == "paused").unwrap();
    assert_eq!(paused["gate"], "claim-gate");
    assert_eq!(paused["rule"], "claim-without-evidence");
    assert_eq!(paused["session_id"], "s2");
    assert_eq!(
        paused["details"]["would_block"]["claims"][0]["sentence"],
        "Deployed to production and verified."
    );
    // Not a violation: nothing in the violation log, and no verdict for the next banner.
    assert!(!sb.home.join(".claude/zakon/violations.jsonl").exists());
    assert!(
        !sb.home
            .join("system/state/last-validator-verdict.json")
            .exists()
    );
    // Another gate is not paused.
    let out = sb.run("artifact-gate", &[], &mc_done(&sb), &[]);
    assert_eq!(code(&out), 2, "{}", stderr(&out));

    let out = tty::run(sb.cmd("zakon"), &zakon(&["pause", "--list"]));
    assert!(
        stdout(&out).contains("claim-gate paused until"),
        "{}",
        stdout(&out)
    );
    let out = tty::run(sb.cmd("zakon"), &zakon(&["resume"]));
    assert_eq!(code(&out), 0, "{}", stdout(&out));
    // one gate resumed: "it", not "the gates"
    assert!(
        stdout(&out).contains("Resumed claim-gate: it blocks again."),
        "{}",
        stdout(&out)
    );
    assert!(!sb.home.join(".claude/zakon/pause.json").exists());
    let out = sb.run("claim-gate", &[], &claim_stop(&sb, "s3"), &[]);
    assert_eq!(code(&out), 2, "{}", stderr(&out));

    let d = decisions(&sb);
    for want in ["pause", "paused", "resume"] {
        assert!(d.iter().any(|(dec, _)| dec == want), "{want} not in {d:?}");
    }
    assert!(
        d.iter()
            .filter(|(dec, _)| dec == "pause" || dec == "resume")
            .all(|(_, r)| r == "zakon-pause")
    );
}

#[test]
fn pause_all_covers_every_gate_and_bad_arguments_are_refused() {
    let sb = Sandbox::new("pause-all");
    if tty::script().is_none() {
        eprintln!("skipped: util-linux `script` is not installed, so no terminal can be made");
        return;
    }
    for (args, want) in [
        (&["pause", "nope", "--for", "30m"][..], "unknown gate"),
        (
            &["pause", "claim-gate", "--for", "30 minutes"][..],
            "is not a duration",
        ),
        (
            &["pause", "claim-gate", "--for", "8d"][..],
            "longer than 7 days",
        ),
    ] {
        let out = tty::run(sb.cmd("zakon"), &zakon(args));
        assert_eq!(code(&out), 1, "{args:?}");
        assert!(stdout(&out).contains(want), "{args:?}: {}", stdout(&out));
        // Refused for what it asks is still an attempt, and the audit log has it.
        let last = sb.audit_lines().pop().expect("an audit line");
        assert_eq!(last["decision"], "pause-refused", "{args:?}");
        assert!(
            last["details"]["why"].as_str().unwrap_or("").contains(want),
            "{last}"
        );
    }
    assert_eq!(sb.audit_lines().len(), 3);
    let out = tty::run(sb.cmd("zakon"), &zakon(&["pause", "all", "--for", "1h"]));
    assert_eq!(code(&out), 0, "{}", stdout(&out));
    assert_eq!(code(&sb.run("artifact-gate", &[], &mc_done(&sb), &[])), 0);
    assert_eq!(
        code(&sb.run("claim-gate", &[], &claim_stop(&sb, "a"), &[])),
        0
    );
}

#[test]
fn an_expired_or_broken_pause_file_does_not_pause() {
    let sb = Sandbox::new("pause-expired");
    let file = sb.home.join(".claude/zakon/pause.json");
    sb.write(
        &file,
        json!({"pauses": [{"gate": "claim-gate", "until": "2020-01-01T00:00:00Z",
                           "until_unix": 1_577_836_800, "by": "x", "at": "y"}]})
        .to_string(),
    );
    assert_eq!(
        code(&sb.run("claim-gate", &[], &claim_stop(&sb, "a"), &[])),
        2
    );
    sb.write(&file, "{not json");
    assert_eq!(
        code(&sb.run("claim-gate", &[], &claim_stop(&sb, "b"), &[])),
        2
    );
}

#[test]
fn an_agents_bash_running_zakon_pause_is_blocked() {
    let sb = Sandbox::new("pause-bash");
    for cmd in [
        "zakon pause claim-gate --for 30m",
        "~/.claude/zakon/bin/zakon resume",
        "script -qc 'zakon pause all --for 1h' /dev/null",
        "cd /tmp && sudo zakon pause blueprint-gate --for 5m",
    ] {
        let input = json!({"session_id": "s", "hook_event_name": "PreToolUse", "cwd": sb.cwd,
                           "tool_name": "Bash", "tool_input": {"command": cmd}});
        let out = sb.run("blueprint-gate", &[], input.to_string().as_bytes(), &[]);
        assert_eq!(code(&out), 2, "{cmd}");
        assert!(stderr(&out).contains("[zakon-pause]"), "{}", stderr(&out));
    }
    let input = json!({"session_id": "s", "hook_event_name": "PreToolUse", "cwd": sb.cwd,
                       "tool_name": "Bash", "tool_input": {"command": "zakon log --gate claim-gate"}});
    assert_eq!(
        code(&sb.run("blueprint-gate", &[], input.to_string().as_bytes(), &[])),
        0
    );
}

/// Managed mode = a root-owned config at the managed path; there only root may pause, and the
/// pause file lives in the root-owned tree.
#[test]
fn managed_mode_pause_is_root_only() {
    let sb = Sandbox::new("pause-managed");
    if tty::script().is_none() {
        eprintln!("skipped: util-linux `script` is not installed, so no terminal can be made");
        return;
    }
    let root = sb.root.join("managed");
    sb.write(&root.join("etc/zakon/config.json"), "{}");
    let managed = root.display().to_string();
    let am_root = std::fs::metadata(root.join("etc/zakon/config.json"))
        .map(|m| std::os::unix::fs::MetadataExt::uid(&m) == 0)
        .unwrap_or(false);
    if !am_root {
        eprintln!(
            "skipped: the tests do not run as root, so no root-owned managed config can be made"
        );
        return;
    }
    let mut base = sb.cmd("zakon");
    base.env("ZAKON_MANAGED_ROOT", &managed);
    let out = tty::run(base, &zakon(&["pause", "claim-gate", "--for", "10m"]));
    assert_eq!(code(&out), 0, "{}", stdout(&out));
    assert!(root.join("etc/zakon/pause.json").exists());
    assert!(!sb.home.join(".claude/zakon/pause.json").exists());
    let out = sb.run(
        "claim-gate",
        &[],
        &claim_stop(&sb, "m"),
        &[("ZAKON_MANAGED_ROOT", &managed)],
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));

    // Not root: refused. setpriv drops to nobody for the one command.
    let has_setpriv = std::process::Command::new("setpriv")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !has_setpriv {
        eprintln!("skipped the non-root half: setpriv is not installed");
        return;
    }
    let mut words = vec![
        "setpriv".to_string(),
        "--reuid=65534".into(),
        "--regid=65534".into(),
        "--clear-groups".into(),
    ];
    words.extend(zakon(&["resume"]));
    let mut base = sb.cmd("zakon");
    base.env("ZAKON_MANAGED_ROOT", &managed);
    let out = tty::run(base, &words);
    assert_eq!(code(&out), 1, "{}", stdout(&out));
    assert!(
        stdout(&out).contains("only root may pause"),
        "{}",
        stdout(&out)
    );
    assert!(root.join("etc/zakon/pause.json").exists());
}

/// `zakon pause all` then `zakon resume claim-gate`: claim-gate blocks again, the other two
/// stay paused until the same time, and the output says so.
#[test]
fn resuming_one_gate_while_all_are_paused_ends_only_its_pause() {
    let sb = Sandbox::new("pause-all-resume-one");
    if tty::script().is_none() {
        eprintln!("skipped: util-linux `script` is not installed, so no terminal can be made");
        return;
    }
    let out = tty::run(sb.cmd("zakon"), &zakon(&["pause", "all", "--for", "10m"]));
    assert_eq!(code(&out), 0, "{}", stdout(&out));
    let pauses = |sb: &Sandbox| -> Vec<(String, i64)> {
        let v: Value = serde_json::from_slice(
            &std::fs::read(sb.home.join(".claude/zakon/pause.json")).unwrap(),
        )
        .unwrap();
        v["pauses"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| {
                (
                    p["gate"].as_str().unwrap().to_string(),
                    p["until_unix"].as_i64().unwrap_or_else(|| panic!("{p}")),
                )
            })
            .collect()
    };
    let before = pauses(&sb);
    assert_eq!(before.len(), 1);
    let until = before[0].1;

    let out = tty::run(sb.cmd("zakon"), &zakon(&["resume", "claim-gate"]));
    assert_eq!(code(&out), 0, "{}", stdout(&out));
    let text = stdout(&out);
    assert!(!text.contains("Nothing to resume"), "{text}");
    assert!(text.contains("Resumed claim-gate"), "{text}");
    assert!(
        text.contains("Still paused: artifact-gate until") && text.contains("blueprint-gate until"),
        "{text}"
    );
    assert_eq!(
        pauses(&sb),
        [
            ("artifact-gate".to_string(), until),
            ("blueprint-gate".to_string(), until)
        ]
    );
    let out = sb.run("claim-gate", &[], &claim_stop(&sb, "r1"), &[]);
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    assert_eq!(code(&sb.run("artifact-gate", &[], &mc_done(&sb), &[])), 0);
    let last = sb
        .audit_lines()
        .into_iter()
        .rfind(|l| l["decision"] == "resume")
        .unwrap();
    assert_eq!(last["details"]["gates"], json!(["claim-gate"]));
}

/// `zakon resume` and `zakon resume all` with nothing paused say so without a double
/// negative; `zakon resume GATE` names the gate.
#[test]
fn resuming_with_nothing_paused_says_so_plainly() {
    let sb = Sandbox::new("pause-nothing-to-resume");
    if tty::script().is_none() {
        eprintln!("skipped: util-linux `script` is not installed, so no terminal can be made");
        return;
    }
    for args in [&["resume"][..], &["resume", "all"]] {
        let out = tty::run(sb.cmd("zakon"), &zakon(args));
        assert_eq!(code(&out), 0, "{args:?}: {}", stdout(&out));
        let text = stdout(&out);
        assert!(
            text.contains("Nothing to resume: no gate is paused."),
            "{args:?}: {text}"
        );
        assert!(!text.contains("not paused"), "{args:?}: {text}");
    }
    let out = tty::run(sb.cmd("zakon"), &zakon(&["resume", "claim-gate"]));
    assert_eq!(code(&out), 0, "{}", stdout(&out));
    assert!(
        stdout(&out).contains("Nothing to resume: claim-gate is not paused."),
        "{}",
        stdout(&out)
    );
}
