//! Block messages name commands that run as written: `claim-gate check`, `zakon-registry
//! list`, `<gate> --help`, `zakon pause` — by name when PATH finds that very binary, by
//! absolute path when it does not (the default: nothing puts ~/.claude/zakon/bin on PATH).
//! The README's block example is the real output, character for character. Every message
//! starts with its audit rule name and says what its ZAKON id means.

mod support;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::process::Command;
use support::*;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A copy of the build in `dir`, as install.sh would leave it.
fn install_copy(dir: &Path) {
    std::fs::create_dir_all(dir).unwrap();
    for b in BINS {
        std::fs::copy(bin_path(b), dir.join(b)).unwrap();
    }
}

/// Runs the installed gate `prog` with hook JSON, PATH = `path`, and returns stderr and the
/// audit line it wrote.
fn block(sb: &Sandbox, prog: &Path, input: &Value, path: &str) -> (String, Value) {
    let mut c = Command::new(prog);
    // The copies live outside `<home>/.claude/zakon/bin`, so ZAKON_HOME names the home.
    c.env_clear()
        .env("PATH", path)
        .env("HOME", &sb.home)
        .env("ZAKON_HOME", &sb.home)
        .env("TMPDIR", &sb.tmp)
        .current_dir(&sb.cwd);
    let out = run_with_stdin(c, input.to_string().as_bytes());
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    let audit = sb.audit_lines().pop().expect("an audit line");
    (stderr(&out), audit)
}

/// Every `…` span in a message whose first word is a zakon binary, by name or by path.
fn commands(message: &str) -> Vec<String> {
    message
        .split('`')
        .skip(1)
        .step_by(2)
        .filter(|span| {
            let first = span.split_whitespace().next().unwrap_or("");
            BINS.contains(&first.rsplit('/').next().unwrap_or(""))
        })
        .map(String::from)
        .collect()
}

fn inputs(sb: &Sandbox) -> Vec<(&'static str, Value)> {
    vec![
        (
            "claim-gate",
            json!({"session_id": "m1", "hook_event_name": "Stop", "cwd": sb.cwd,
                   "last_assistant_message": "Deployed to production and verified."}),
        ),
        (
            "blueprint-gate",
            json!({"session_id": "m2", "hook_event_name": "PreToolUse", "cwd": sb.cwd,
                   "tool_name": "Bash",
                   "tool_input": {"command": "echo '{}' > ~/system/rules/zakon-registry.json"}}),
        ),
        (
            "blueprint-gate",
            json!({"session_id": "m3", "hook_event_name": "PreToolUse", "cwd": sb.cwd,
                   "tool_name": "Bash", "tool_input": {"command": "zakon pause claim-gate --for 1h"}}),
        ),
        (
            "artifact-gate",
            json!({"session_id": "m4", "hook_event_name": "PreToolUse",
                                  "tool_name": "Bash", "tool_input": 7}),
        ),
    ]
}

#[test]
fn commands_in_block_messages_run_as_written_off_path() {
    let sb = Sandbox::new("msg-offpath");
    let prefix = sb.root.join("zakon bin"); // a space, as in "/Users/Jane Doe"
    install_copy(&prefix);
    let path = "/usr/bin:/bin";
    let mut seen = 0;
    for (gate, input) in inputs(&sb) {
        let (msg, audit) = block(&sb, &prefix.join(gate), &input, path);
        // The message's first words name the audit rule, in brackets after the gate.
        let rule = audit["rule"].as_str().unwrap();
        let head = msg.lines().next().unwrap_or("");
        assert!(head.contains(&format!(" [{rule}]")), "{rule}: {msg}");
        for cmd in commands(&msg) {
            seen += 1;
            let quoted = format!("'{}/", prefix.display());
            assert!(
                cmd.starts_with(&quoted),
                "{cmd} is not the installed binary's path"
            );
            // Runs as written (placeholders such as <gate> aside: ask for help instead).
            let runnable = if cmd.contains('<') {
                let program = cmd.split("' ").next().unwrap().to_string() + "'";
                format!("{program} --help")
            } else if cmd.ends_with(" check") {
                format!("echo 'Done.' | {cmd}")
            } else {
                cmd.clone()
            };
            let out = Command::new("sh")
                .arg("-c")
                .arg(&runnable)
                .env_clear()
                .env("PATH", path)
                .env("HOME", &sb.home)
                .env("ZAKON_HOME", &sb.home)
                .current_dir(&sb.cwd)
                .output()
                .unwrap();
            let c = out.status.code().unwrap_or(-1);
            assert!(
                c != 127 && c != 126,
                "`{runnable}` did not run: {}",
                stderr(&out)
            );
        }
    }
    assert!(seen >= 4, "too few commands checked: {seen}");
}

#[test]
fn on_path_the_bare_name_is_used() {
    let sb = Sandbox::new("msg-onpath");
    let prefix = sb.root.join("bin");
    install_copy(&prefix);
    let link = sb.home.join(".local/bin");
    std::fs::create_dir_all(&link).unwrap();
    for b in BINS {
        std::os::unix::fs::symlink(prefix.join(b), link.join(b)).unwrap();
    }
    let path = format!("{}:/usr/bin:/bin", link.display());
    let (msg, _) = block(&sb, &prefix.join("claim-gate"), &inputs(&sb)[0].1, &path);
    assert!(msg.contains("Run `claim-gate check` on your text"), "{msg}");
    // Another binary of that name earlier on PATH is not this one: the full path is used.
    let other = sb.root.join("other");
    sb.write(&other.join("claim-gate"), "#!/bin/sh\nexit 0\n");
    std::fs::set_permissions(
        other.join("claim-gate"),
        std::os::unix::fs::PermissionsExt::from_mode(0o755),
    )
    .unwrap();
    let path = format!("{}:{path}", other.display());
    let (msg, _) = block(&sb, &prefix.join("claim-gate"), &inputs(&sb)[0].1, &path);
    assert!(
        msg.contains(&format!("Run `{}/claim-gate check`", prefix.display())),
        "{msg}"
    );
}

#[test]
fn messages_explain_the_zakon_rule_they_name() {
    let sb = Sandbox::new("msg-explain");
    let prefix = sb.root.join("bin");
    install_copy(&prefix);
    for (gate, input) in inputs(&sb) {
        let (msg, _) = block(&sb, &prefix.join(gate), &input, "/usr/bin:/bin");
        let head = msg.split("):").next().unwrap();
        // `ZAKON id gate [rule] (what it says):`
        assert!(
            head.contains(&format!(" {gate} [")) && head.contains("] ("),
            "{head}"
        );
        if head.contains("#18B") {
            assert!(
                head.contains("ZAKON #18B claim-gate [")
                    && head.contains("(no claim of success without evidence"),
                "{head}"
            );
        }
    }
}

#[test]
fn readme_block_example_is_the_real_output() {
    let readme = std::fs::read_to_string(repo().join("README.md")).unwrap();
    let at = readme
        .find("**Block.** Exit 2;")
        .expect("the Block paragraph");
    let rest = &readme[at..];
    let open = rest.find("```\n").unwrap() + 4;
    let close = open + rest[open..].find("```\n").unwrap();
    let example = &rest[open..close];
    // The example's reply is the quoted sentence on its first line.
    let first = example.lines().next().unwrap();
    let reply = first.split('"').nth(1).unwrap();

    let sb = Sandbox::new("msg-readme");
    let prefix = sb.root.join("bin");
    install_copy(&prefix);
    // As after install.sh: the commands on PATH.
    let path = format!("{}:/usr/bin:/bin", prefix.display());
    let input = json!({"session_id": "r", "hook_event_name": "Stop", "cwd": sb.cwd,
                       "last_assistant_message": reply});
    let (msg, _) = block(&sb, &prefix.join("claim-gate"), &input, &path);
    assert_eq!(msg, example, "README example and real stderr differ");
}

/// The fenced block in the README that contains `marker`.
fn readme_block(marker: &str) -> String {
    let readme = std::fs::read_to_string(repo().join("README.md")).unwrap();
    let at = readme.find(marker).expect("the marker in the README");
    let open = readme[..at].rfind("```\n").expect("an opening fence") + 4;
    let close = at + readme[at..].find("```\n").expect("a closing fence");
    readme[open..close].to_string()
}

#[test]
fn readme_artifact_gate_example_is_the_real_output() {
    // The README's tmp is the literal /tmp; the test points the gate's tmp_root at the
    // sandbox and maps it back.
    let example = readme_block("`mc.js done 42` is blocked");
    let sb = Sandbox::new("msg-readme-artifact");
    let tmp_root = sb.root.join("t");
    sb.write(
        &tmp_root.join("verify-42/claims.json"),
        r#"["Registration screen works on mobile", "Password reset e-mail arrives"]"#,
    );
    sb.write(
        &tmp_root.join("verify-42/registration.png"),
        "looks fine to me\n",
    );
    sb.write(
        &sb.home.join(".claude/zakon/config.json"),
        json!({"artifact_gate": {"tmp_root": tmp_root}}).to_string(),
    );
    let input = json!({"session_id": "a", "hook_event_name": "PreToolUse", "tool_name": "Bash",
                       "cwd": sb.cwd,
                       "tool_input": {"command": "cd app && node ~/system/tools/mc.js done 42"}});
    let (msg, _) = block(&sb, &bin_path("artifact-gate"), &input, "/usr/bin:/bin");
    let msg = msg.replace(&format!("{}/", tmp_root.display()), "/tmp/");
    assert_eq!(msg, example, "README example and real stderr differ");
    // The exit-code list quotes the rejection reason as the gate words it.
    let readme = std::fs::read_to_string(repo().join("README.md")).unwrap();
    let reason = "is named .png but is not a PNG image that decodes";
    assert!(msg.contains(reason) && readme.contains(reason));
    assert!(!readme.contains("its bytes are not a PNG image"));
}

#[test]
fn readme_deadline_message_is_the_real_prefix() {
    // A FIFO as the transcript holds the gate until the 1 ms watchdog fires.
    let sb = Sandbox::new("msg-readme-deadline");
    let mut text = String::new();
    for i in 0..20_000 {
        text.push_str(&format!(
            "{{\"type\":\"assistant\",\"uuid\":\"a{i}\",\"message\":{{\"id\":\"m{i}\",\"role\":\"assistant\",\"content\":[{{\"type\":\"text\",\"text\":\"Step {i} went through.\"}}]}}}}\n"
        ));
    }
    let t = sb.write(&sb.tmp.join("long.jsonl"), text);
    let input = json!({"session_id": "d", "hook_event_name": "Stop", "cwd": sb.cwd,
                       "transcript_path": t});
    let out = sb.run(
        "claim-gate",
        &[],
        input.to_string().as_bytes(),
        &[("ZAKON_DEADLINE_MS", "1")],
    );
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    let err = stderr(&out);
    let head = err.split(" ms deadline").next().unwrap();
    let readme = std::fs::read_to_string(repo().join("README.md"))
        .unwrap()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let quoted = head.replace("claim-gate", "<gate>").replace(" 1", " 5000") + " ms deadline";
    assert!(
        readme.contains(&format!("`{quoted}")),
        "README lacks `{quoted}"
    );
}

#[test]
fn readme_hand_written_evidence_example_is_the_real_output() {
    // The README cites /tmp/evidence-7/; the test writes a directory of its own under /tmp
    // (evidence directories are the literal /tmp) and maps its name back.
    let example = readme_block("[hand-written-evidence] (evidence is what");
    let sb = Sandbox::new("msg-readme-handwritten");
    let id = format!("7{}", std::process::id());
    let dir = PathBuf::from(format!("/tmp/evidence-{id}"));
    let log = sb.write(&dir.join("test.log"), "test result: ok. 3 passed\n");
    sb.write(&sb.cwd.join("Cargo.toml"), "[package]\nname = \"x\"\n");
    let reply = format!("All tests pass, see {}.", log.display());
    let now = zakon_now();
    let rows = [
        json!({"type": "user", "uuid": "u1", "timestamp": now,
               "message": {"role": "user", "content": "Run the tests."}}),
        json!({"type": "assistant", "uuid": "a1", "timestamp": now,
               "message": {"id": "m1", "role": "assistant", "content": [{"type": "tool_use",
                 "id": "t1", "name": "Write",
                 "input": {"file_path": log, "content": "test result: ok. 3 passed\n"}}]}}),
        json!({"type": "user", "uuid": "u2", "timestamp": now,
               "message": {"role": "user", "content": [{"type": "tool_result",
                 "tool_use_id": "t1", "content": "File created"}]}}),
        json!({"type": "assistant", "uuid": "a2", "timestamp": now,
               "message": {"id": "m2", "role": "assistant",
                           "content": [{"type": "text", "text": reply}]}}),
    ];
    let transcript: String = rows.iter().map(|r| format!("{r}\n")).collect();
    let t = sb.write(&sb.tmp.join("t.jsonl"), transcript);
    let prefix = sb.root.join("bin");
    install_copy(&prefix);
    let path = format!("{}:/usr/bin:/bin", prefix.display());
    let input = json!({"session_id": "hw", "hook_event_name": "Stop", "cwd": sb.cwd,
                       "transcript_path": t, "last_assistant_message": reply});
    let (msg, _) = block(&sb, &prefix.join("claim-gate"), &input, &path);
    let _ = std::fs::remove_dir_all(&dir);
    let msg = msg.replace(&format!("evidence-{id}"), "evidence-7");
    assert_eq!(msg, example, "README example and real stderr differ");
}

/// Now, as the transcript's RFC 3339 timestamps write it.
fn zakon_now() -> String {
    let out = std::process::Command::new("date")
        .args(["-u", "+%Y-%m-%dT%H:%M:%S.000Z"])
        .output()
        .unwrap();
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}
