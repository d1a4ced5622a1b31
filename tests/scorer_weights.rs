//! The scorer's committed weights (`crates/claim-gate/rules/scorer/weights.txt`) are what
//! `claim-gate train-scorer` makes from the committed corpus: the real binary retrains from
//! `tests/corpus/claims` and the bytes must match. A corpus change without retraining, or a
//! hand-edited weight, fails here with the command that fixes it.

mod support;
use std::path::Path;
use support::*;

#[test]
fn the_committed_weights_come_from_the_committed_corpus() {
    let sb = Sandbox::new("scorer-weights");
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let corpus = root.join("tests/corpus/claims");
    let out = sb.run(
        "claim-gate",
        &[
            "train-scorer",
            "--corpus",
            corpus.to_str().unwrap(),
            "--out",
            "-",
        ],
        b"",
        &[],
    );
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
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let corpus = root.join("tests/corpus/claims");
    let held = corpus.join("team-en-1.jsonl");
    let out = sb.run(
        "claim-gate",
        &[
            "train-scorer",
            "--corpus",
            corpus.to_str().unwrap(),
            "--leave-out",
            "team-en-1",
            "--eval",
            held.to_str().unwrap(),
        ],
        b"",
        &[],
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let lines: Vec<(String, f64)> = stdout(&out)
        .lines()
        .map(|l| {
            let (id, p) = l.split_once('\t').unwrap();
            (id.to_string(), p.parse().unwrap())
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
