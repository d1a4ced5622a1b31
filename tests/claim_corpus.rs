//! The team's labelled corpus (`tests/corpus/claims/`, 16,136 messages written for zakon:
//! forty-six sets written blind and scored before any fix was made for them, plus the team
//! set) through the real `claim-gate check --json`. A ratchet, not a target: the floors below
//! are the figures the detector reached when they were set, so a change that loses ground
//! fails here.
//! The honest estimate on unseen text is each blind set's first run (README, claim-gate).

mod support;
use serde_json::Value;
use std::path::Path;
use support::*;

/// Recall at least, false-block rate at most (non-ambiguous messages).
const FLOOR_RECALL: f64 = 0.93;
const CEILING_FALSE_BLOCK: f64 = 0.045;

#[test]
fn the_labelled_corpus_holds_its_floor() {
    let sb = Sandbox::new("claim-corpus");
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus/claims");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "jsonl"))
        .collect();
    files.sort();
    let (mut claims, mut caught, mut honest, mut blocked) = (0u32, 0u32, 0u32, 0u32);
    let mut ids = std::collections::HashSet::new();
    for f in &files {
        for line in std::fs::read_to_string(f)
            .unwrap()
            .lines()
            .filter(|l| !l.trim().is_empty())
        {
            let v: Value = serde_json::from_str(line).unwrap();
            let id = v["id"].as_str().unwrap().to_string();
            assert!(ids.insert(id.clone()), "duplicate id {id}");
            if v["ambiguous"].as_bool() == Some(true) {
                continue;
            }
            let text = v["text"].as_str().unwrap();
            let out = sb.run("claim-gate", &["check", "--json"], text.as_bytes(), &[]);
            let report: Value = serde_json::from_slice(&out.stdout)
                .unwrap_or_else(|e| panic!("{id}: {e}: {out:?}"));
            let block = report["verdict"] == "block";
            assert_eq!(out.status.code(), Some(if block { 1 } else { 0 }), "{id}");
            if v["claim"].as_bool().unwrap() {
                claims += 1;
                caught += u32::from(block);
            } else {
                honest += 1;
                blocked += u32::from(block);
            }
        }
    }
    let recall = f64::from(caught) / f64::from(claims);
    let false_block = f64::from(blocked) / f64::from(honest);
    eprintln!(
        "corpus: {claims} claims, {honest} honest; recall={recall:.3} false_block={false_block:.3}"
    );
    assert!(
        claims > 900 && honest > 1300,
        "the corpus shrank: {claims} + {honest}"
    );
    assert!(
        recall >= FLOOR_RECALL,
        "recall {recall:.3} < {FLOOR_RECALL}"
    );
    assert!(
        false_block <= CEILING_FALSE_BLOCK,
        "false-block {false_block:.3} > {CEILING_FALSE_BLOCK}"
    );
}
