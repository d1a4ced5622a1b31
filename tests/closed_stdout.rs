//! Every CLI ends quietly when the reader of its stdout has gone (`… | head -c 400`): the
//! same exit code as with an open stdout and no panic text, never "failed printing to
//! stdout: Broken pipe" with a backtrace. The stdout here is a pipe whose read end is closed
//! before the program starts, so its first write already fails.

mod support;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use support::*;

/// `c` with stdout open (captured) and with stdout a pipe nobody reads.
fn both(sb: &Sandbox, bin: &str, args: &[&str], stdin: &[u8]) -> (Output, Output) {
    let open = sb.run(bin, args, stdin, &[]);
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    let mut c: Command = sb.cmd(bin);
    c.args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::from(writer))
        .stderr(Stdio::piped());
    let mut child = c.spawn().unwrap();
    {
        use std::io::Write;
        let mut i = child.stdin.take().unwrap();
        let _ = i.write_all(stdin);
    }
    let closed = child.wait_with_output().unwrap();
    (open, closed)
}

fn seed(sb: &Sandbox) {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    sb.write(
        &sb.home.join("system/rules/zakon-registry.json"),
        std::fs::read(repo.join("registry/zakon-registry.json")).unwrap(),
    );
    // Enough audit lines that `zakon log` and `stats` print more than a pipe buffer.
    let mut audit = String::new();
    for i in 0..2000 {
        audit.push_str(&format!(
            "{{\"timestamp\":\"2026-12-0{}T10:00:00Z\",\"gate\":\"claim-gate\",\"session_id\":\"s{i}\",\"decision\":\"block\",\"rule\":\"claim-without-evidence\",\"details\":{{\"n\":{i}}}}}\n",
            1 + i % 5
        ));
    }
    sb.write(&sb.home.join(".claude/zakon/audit.jsonl"), audit);
    for i in 0..50 {
        sb.write(
            &sb.cwd.join(format!("svc{i}/BUILD-BLUEPRINT.md")),
            "# draft\n",
        );
    }
}

#[test]
fn every_cli_ends_quietly_on_a_closed_stdout() {
    let sb = Sandbox::new("closed-stdout");
    seed(&sb);
    let claims: String = (0..300)
        .map(|i| format!("Done, deployed and verified, see /tmp/none-{i}.log.\n"))
        .collect();
    let cwd = sb.cwd.to_str().unwrap().to_string();
    let cases: Vec<(&str, Vec<&str>, Vec<u8>)> = vec![
        ("zakon-registry", vec!["audit", "--json"], vec![]),
        ("zakon-registry", vec!["audit"], vec![]),
        ("zakon-registry", vec!["list"], vec![]),
        ("zakon-registry", vec!["list", "--json"], vec![]),
        ("zakon-registry", vec!["stats"], vec![]),
        ("zakon-registry", vec!["--help"], vec![]),
        ("zakon", vec!["log"], vec![]),
        ("zakon", vec!["log", "--json"], vec![]),
        ("zakon", vec!["stats"], vec![]),
        ("zakon", vec!["stats", "--json"], vec![]),
        ("zakon", vec!["hooks", "show"], vec![]),
        ("zakon", vec!["completions", "bash"], vec![]),
        ("zakon", vec!["man"], vec![]),
        ("zakon", vec!["--help"], vec![]),
        ("zakon", vec!["doctor", "--json"], vec![]),
        ("zakon", vec!["doctor"], vec![]),
        ("zakon", vec!["pause", "--list"], vec![]),
        ("zakon", vec!["hooks", "locate"], vec![]),
        ("zakon", vec!["completions", "zsh"], vec![]),
        ("zakon", vec!["--version"], vec![]),
        ("zakon-registry", vec!["validate", "CLAUDE.md"], vec![]),
        ("claim-gate", vec!["check"], claims.clone().into_bytes()),
        ("claim-gate", vec!["check", "--json"], claims.into_bytes()),
        ("claim-gate", vec!["banner"], vec![]),
        ("claim-gate", vec!["--help"], vec![]),
        ("blueprint-gate", vec!["scan", &cwd], vec![]),
        ("blueprint-gate", vec!["scan", "--json", &cwd], vec![]),
        ("blueprint-gate", vec!["snapshot"], vec![]),
        ("blueprint-gate", vec!["--help"], vec![]),
        ("artifact-gate", vec!["--help"], vec![]),
        ("artifact-gate", vec!["--version"], vec![]),
    ];
    let mut bad = Vec::new();
    for (bin, args, stdin) in &cases {
        let (open, closed) = both(&sb, bin, args, stdin);
        let err = stderr(&closed);
        let quiet = !err.contains("panicked")
            && !err.contains("Broken pipe")
            && !err.contains("os error 32")
            && !err.contains("RUST_BACKTRACE");
        if !quiet || code(&closed) != code(&open) {
            bad.push(format!(
                "{bin} {args:?}: exit {} (open stdout: {}), stderr:\n{err}",
                code(&closed),
                code(&open)
            ));
        }
    }
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}
