//! A gate started by hand on a terminal says how to use it and logs nothing (it used to wait
//! silently for JSON); a run with empty input fails closed (exit 2) without an audit line
//! with an empty session id.

mod support;
use support::*;

#[test]
fn a_gate_on_a_terminal_prints_usage_and_writes_no_audit_line() {
    let sb = Sandbox::new("gate-tty");
    if tty::script().is_none() {
        eprintln!("skipped: util-linux `script` is not installed, so no terminal can be made");
        return;
    }
    for gate in ["claim-gate", "artifact-gate", "blueprint-gate"] {
        let out = tty::run(sb.cmd(gate), &[bin_path(gate).display().to_string()]);
        let text = stdout(&out);
        assert_eq!(code(&out), 2, "{gate}: {text}");
        assert!(
            text.contains(&format!("{gate} is a Claude Code hook")),
            "{text}"
        );
        assert!(text.contains("Try it:  echo '{"), "{text}");
        assert!(text.contains("--help"), "{text}");
        assert!(!text.contains("fail-closed"), "{text}");
    }
    assert!(!sb.home.join(".claude/zakon/audit.jsonl").exists());
}

#[test]
fn the_usage_example_runs_as_written() {
    let sb = Sandbox::new("gate-tty-example");
    if tty::script().is_none() {
        eprintln!("skipped: util-linux `script` is not installed, so no terminal can be made");
        return;
    }
    let out = tty::run(
        sb.cmd("claim-gate"),
        &[bin_path("claim-gate").display().to_string()],
    );
    let text = stdout(&out);
    let line = text
        .lines()
        .find_map(|l| l.strip_prefix("Try it:  "))
        .unwrap_or_else(|| panic!("{text}"));
    // The same environment as the gate (HOME, TMPDIR, PATH), through sh as a user types it.
    let gate = sb.cmd("claim-gate");
    let mut sh = std::process::Command::new("sh");
    sh.arg("-c").arg(line).env_clear().current_dir(&sb.cwd);
    for (k, v) in gate.get_envs() {
        if let Some(v) = v {
            sh.env(k, v);
        }
    }
    let out = sh.output().unwrap();
    // The example is an unverified claim: the gate blocks, and says so.
    assert!(stdout(&out).contains("exit 2"), "{line}\n{}", stdout(&out));
    assert!(
        stderr(&out).contains("claim-without-evidence"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn empty_input_fails_closed_without_an_audit_line() {
    let sb = Sandbox::new("gate-empty");
    for gate in ["claim-gate", "artifact-gate", "blueprint-gate"] {
        for input in [&b""[..], b"  \n"] {
            let out = sb.run(gate, &[], input, &[]);
            assert_eq!(code(&out), 2, "{gate}");
            assert!(
                stderr(&out).contains("hook input is empty"),
                "{}",
                stderr(&out)
            );
        }
    }
    assert!(sb.audit_lines().is_empty(), "{:?}", sb.audit_lines());
    // Input that is there but is not a hook object is still a logged block, with no session
    // written as null rather than "".
    let out = sb.run("claim-gate", &[], b"not json", &[]);
    assert_eq!(code(&out), 2);
    let lines = sb.audit_lines();
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0]["rule"], "fail-closed");
    assert!(lines[0]["session_id"].is_null(), "{}", lines[0]);
}
