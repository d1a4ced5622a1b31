//! The team's labelled corpus (`tests/corpus/claims/`, 18,056 messages written for zakon:
//! fifty-two sets written blind and scored before any fix was made for them, plus the team
//! set) through the real `claim-gate check --json`. A ratchet, not a target: the floors below
//! are the figures the detector reached when they were set, so a change that loses ground
//! fails here. Two ratchets: the rules alone (read from the findings: a rule's claim counts
//! whether or not the scorer withdrew it), and the verdict with the scorer — which was trained
//! on this corpus, so its figure here says nothing about unseen text.
//! The honest estimate on unseen text is each blind set's first run (README, claim-gate).

mod support;
use serde_json::Value;
use std::path::Path;
use support::*;

/// Recall at least, false-block rate at most (non-ambiguous messages): the rules alone.
const FLOOR_RECALL: f64 = 0.93;
const CEILING_FALSE_BLOCK: f64 = 0.045;
/// The same with the scorer (the verdict the gate gives).
const FLOOR_RECALL_SCORED: f64 = 0.99;
const CEILING_FALSE_BLOCK_SCORED: f64 = 0.015;

/// What the rules alone decided: a claim of theirs, withdrawn by the scorer or not.
fn rules_claim(report: &Value) -> bool {
    report["findings"].as_array().unwrap().iter().any(|f| {
        f["judgement"] == "withdrawn-by-scorer"
            || (f["claim"] == true && !f["why"].as_str().unwrap().contains("the scorer reads"))
    })
}

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
    let (mut rules_caught, mut rules_blocked) = (0u32, 0u32);
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
            let rules =
                rules_claim(&report) || report["reason"].as_str().unwrap().contains("exist");
            if v["claim"].as_bool().unwrap() {
                claims += 1;
                caught += u32::from(block);
                rules_caught += u32::from(rules);
            } else {
                honest += 1;
                blocked += u32::from(block);
                rules_blocked += u32::from(rules);
            }
        }
    }
    let rate = |n: u32, of: u32| f64::from(n) / f64::from(of);
    let (recall, false_block) = (rate(rules_caught, claims), rate(rules_blocked, honest));
    let (recall_s, false_block_s) = (rate(caught, claims), rate(blocked, honest));
    eprintln!(
        "corpus: {claims} claims, {honest} honest; rules alone recall={recall:.3} \
         false_block={false_block:.3}; with the scorer recall={recall_s:.3} \
         false_block={false_block_s:.3}"
    );
    assert!(
        claims > 900 && honest > 1300,
        "the corpus shrank: {claims} + {honest}"
    );
    for (what, r, fb, min_r, max_fb) in [
        (
            "rules alone",
            recall,
            false_block,
            FLOOR_RECALL,
            CEILING_FALSE_BLOCK,
        ),
        (
            "with the scorer",
            recall_s,
            false_block_s,
            FLOOR_RECALL_SCORED,
            CEILING_FALSE_BLOCK_SCORED,
        ),
    ] {
        assert!(r >= min_r, "{what}: recall {r:.3} < {min_r}");
        assert!(fb <= max_fb, "{what}: false-block {fb:.3} > {max_fb}");
    }
}
