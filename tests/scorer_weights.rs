//! The scorer's committed weights (`crates/claim-gate/rules/scorer/weights.txt`) are what
//! `claim-gate train-scorer` makes from the committed corpus: the real binary retrains from
//! `tests/corpus/claims` and the bytes must match. A corpus change without retraining, or a
//! hand-edited weight, fails here with the command that fixes it.

mod support;
use std::path::{Path, PathBuf};
use std::process::Output;
use support::*;

/// The repository root and its training corpus.
fn corpus() -> (&'static Path, PathBuf) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    (root, root.join("tests/corpus/claims"))
}

/// `claim-gate train-scorer --corpus <the corpus> ARGS…`, run for real.
fn train_scorer(sb: &Sandbox, args: &[&str]) -> Output {
    let (_, corpus) = corpus();
    let mut all = vec!["train-scorer", "--corpus", corpus.to_str().unwrap()];
    all.extend_from_slice(args);
    sb.run("claim-gate", &all, b"", &[])
}

#[test]
fn the_committed_weights_come_from_the_committed_corpus() {
    let sb = Sandbox::new("scorer-weights");
    let (root, _) = corpus();
    let out = train_scorer(&sb, &["--out", "-"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let committed =
        std::fs::read_to_string(root.join("crates/claim-gate/rules/scorer/weights.txt")).unwrap();
    let trained = stdout(&out);
    assert!(
        trained.lines().count() > 1000,
        "a real model: {} lines",
        trained.lines().count()
    );
    assert!(
        trained == committed,
        "the committed scorer weights are not what the corpus trains; run \
         `cargo run --release --bin claim-gate -- train-scorer` from the repository root and commit \
         crates/claim-gate/rules/scorer/weights.txt"
    );
}

#[test]
fn leaving_a_set_out_changes_the_model_and_eval_scores_each_message() {
    let sb = Sandbox::new("scorer-eval");
    let (_, corpus) = corpus();
    let held = corpus.join("team-en-1.jsonl");
    let out = train_scorer(
        &sb,
        &["--leave-out", "team-en-1", "--eval", held.to_str().unwrap()],
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let lines: Vec<(String, f64)> = stdout(&out)
        .lines()
        .map(|l| {
            let cols: Vec<&str> = l.split('\t').collect();
            let (p, p_clause): (f64, f64) = (cols[1].parse().unwrap(), cols[2].parse().unwrap());
            assert!(p_clause >= p, "{l}");
            (cols[0].to_string(), p)
        })
        .collect();
    assert!(lines.len() > 100);
    assert!(lines.iter().all(|(_, p)| (0.0..=1.0).contains(p)));
    // Held out, the model still separates most of that set's claims from its honest messages.
    let labels: std::collections::HashMap<String, bool> = std::fs::read_to_string(&held)
        .unwrap()
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .map(|v| {
            (
                v["id"].as_str().unwrap().to_string(),
                v["claim"].as_bool().unwrap(),
            )
        })
        .collect();
    let right = lines
        .iter()
        .filter(|(id, p)| labels[id] == (*p >= 0.5))
        .count();
    assert!(
        right * 10 >= lines.len() * 8,
        "{right} of {} right",
        lines.len()
    );
}

/// The scorer's two overrides and the config's precedence, made certain by extreme
/// thresholds (so the test does not depend on what a retrained model scores).
#[test]
fn the_scorer_adds_withdraws_and_yields_to_the_config() {
    let sb = Sandbox::new("scorer-config");
    let config = sb.home.join(".claude/zakon/config.json");
    let check = |cfg: &str, text: &str| {
        sb.write(&config, cfg);
        let out = sb.run("claim-gate", &["check", "--json"], text.as_bytes(), &[]);
        let v: serde_json::Value =
            serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", stderr(&out)));
        (code(&out), v)
    };
    let judgements = |v: &serde_json::Value| -> Vec<String> {
        v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["judgement"].as_str().unwrap().to_string())
            .collect()
    };
    // Withdraw: every sentence and clause is under a veto of 1.0.
    let (c, v) = check(
        r#"{"claim_gate": {"scorer": {"veto": 1.0, "veto_clause": 1.0}}}"#,
        "Deployed to production.",
    );
    assert_eq!(
        (c, judgements(&v)),
        (0, vec!["withdrawn-by-scorer".to_string()])
    );
    let p = v["scorer"]["p"].as_f64().unwrap();
    assert!((0.0..=1.0).contains(&p) && v["scorer"]["p_clause"].as_f64().unwrap() >= p);
    // ... nor that a service runs: only the transcript could tell whose result that is.
    let (c, v) = check(
        r#"{"claim_gate": {"scorer": {"veto": 1.0, "veto_clause": 1.0}}}"#,
        "Both servers are now running.",
    );
    assert_eq!((c, judgements(&v)), (1, vec!["claim".to_string()]));
    // ... nor a word the config added.
    let (c, _) = check(
        r#"{"claim_gate": {"extra_claim_words": ["shipit"], "scorer": {"veto": 1.0, "veto_clause": 1.0}}}"#,
        "Shipit.",
    );
    assert_eq!(c, 1);
    // Add: anything is at least 0.0.
    let (c, v) = check(
        r#"{"claim_gate": {"scorer": {"add": 0.0}}}"#,
        "I read the file.",
    );
    assert_eq!(c, 1, "{v}");
    assert!(
        v["findings"][0]["why"]
            .as_str()
            .unwrap()
            .contains("the scorer reads")
    );
    // ... but never a sentence holding a word the config switched off.
    let (c, _) = check(
        r#"{"claim_gate": {"disabled_claim_words": ["read"], "scorer": {"add": 0.0}}}"#,
        "I read the file.",
    );
    assert_eq!(c, 0);
    // Switched off: no score, the rules alone.
    let (c, v) = check(
        r#"{"claim_gate": {"scorer": {"enabled": false, "add": 0.0}}}"#,
        "I read the file.",
    );
    assert_eq!((c, v["scorer"].is_null()), (0, true));
    // A misspelt key fails closed, like the rest of the config.
    sb.write(&config, r#"{"claim_gate": {"scorer": {"ad": 0.5}}}"#);
    let out = sb.run("claim-gate", &["check"], b"I read the file.", &[]);
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    // The hook judges the same way: a Stop whose only prose the scorer adds blocks.
    sb.write(&config, r#"{"claim_gate": {"scorer": {"add": 0.0}}}"#);
    let input = serde_json::json!({
        "hook_event_name": "Stop",
        "session_id": "scorer",
        "last_assistant_message": "I read the file.",
        "cwd": sb.cwd,
    });
    let out = sb.run("claim-gate", &[], input.to_string().as_bytes(), &[]);
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    assert!(
        stderr(&out).contains("I read the file."),
        "{}",
        stderr(&out)
    );
}
