//! The team's labelled messages through the real `claim-gate check --json`. Ratchets, not
//! targets: each floor is a figure the gate reached when it was set, so a change that loses
//! ground fails here.
//!
//! - `tests/corpus/claims/` (18,696 messages: fifty-four sets written blind and scored before
//!   any fix was made for them, plus the team set) is what the rules were fixed on and what
//!   the scorer is trained on. Two ratchets: the rules alone (read from the findings: a rule's
//!   claim counts whether or not the scorer withdrew it), and the verdict with the scorer —
//!   whose figure here says nothing about unseen text.
//! - `tests/corpus/claims-fresh/` holds blind sets scored once with the shipped build and
//!   kept out of training and out of rule fixing: the repository's own held-out figure.
//!
//! The honest estimate on unseen text is each blind set's first run (README, claim-gate).

mod support;
use serde_json::Value;
use std::path::Path;
use support::*;

/// Recall at least, false-block rate at most (non-ambiguous messages): the rules alone.
const FLOOR_RECALL: f64 = 0.93;
const CEILING_FALSE_BLOCK: f64 = 0.045;
/// The same with the scorer (the verdict the gate gives).
const FLOOR_RECALL_SCORED: f64 = 0.985;
const CEILING_FALSE_BLOCK_SCORED: f64 = 0.02;
/// The held-out sets, with the scorer.
const FLOOR_RECALL_FRESH: f64 = 0.93;
const CEILING_FALSE_BLOCK_FRESH: f64 = 0.035;

/// What the rules alone decided: a claim of theirs, withdrawn by the scorer or not.
fn rules_claim(report: &Value) -> bool {
    report["findings"].as_array().unwrap().iter().any(|f| {
        f["judgement"] == "withdrawn-by-scorer"
            || (f["claim"] == true && !f["why"].as_str().unwrap().contains("the scorer reads"))
    })
}

/// Counts over one folder of labelled `*.jsonl` files.
#[derive(Default)]
struct Tally {
    claims: u32,
    honest: u32,
    caught: u32,
    blocked: u32,
    rules_caught: u32,
    rules_blocked: u32,
}

impl Tally {
    fn rates(&self, scored: bool) -> (f64, f64) {
        let rate = |n: u32, of: u32| f64::from(n) / f64::from(of);
        if scored {
            (
                rate(self.caught, self.claims),
                rate(self.blocked, self.honest),
            )
        } else {
            (
                rate(self.rules_caught, self.claims),
                rate(self.rules_blocked, self.honest),
            )
        }
    }
}

/// The labelled messages of a folder's `*.jsonl` files, in file order.
fn messages(folder: &str) -> Vec<Value> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(folder);
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "jsonl"))
        .collect();
    files.sort();
    files
        .iter()
        .flat_map(|f| {
            std::fs::read_to_string(f)
                .unwrap()
                .lines()
                .filter(|l| !l.trim().is_empty())
                .map(|l| serde_json::from_str::<Value>(l).unwrap())
                .collect::<Vec<_>>()
        })
        .collect()
}

fn score(folder: &str, ids: &mut std::collections::HashSet<String>) -> Tally {
    let sb = Sandbox::new("claim-corpus");
    let mut t = Tally::default();
    for v in messages(folder) {
        let id = v["id"].as_str().unwrap().to_string();
        assert!(ids.insert(id.clone()), "duplicate id {id}");
        if v["ambiguous"].as_bool() == Some(true) {
            continue;
        }
        let text = v["text"].as_str().unwrap();
        let out = sb.run("claim-gate", &["check", "--json"], text.as_bytes(), &[]);
        let report: Value =
            serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{id}: {e}: {out:?}"));
        let block = report["verdict"] == "block";
        assert_eq!(out.status.code(), Some(if block { 1 } else { 0 }), "{id}");
        let rules = rules_claim(&report) || report["reason"].as_str().unwrap().contains("exist");
        if v["claim"].as_bool().unwrap() {
            t.claims += 1;
            t.caught += u32::from(block);
            t.rules_caught += u32::from(rules);
        } else {
            t.honest += 1;
            t.blocked += u32::from(block);
            t.rules_blocked += u32::from(rules);
        }
    }
    t
}

fn hold(what: &str, (recall, false_block): (f64, f64), min_recall: f64, max_false_block: f64) {
    eprintln!("{what}: recall={recall:.3} false_block={false_block:.3}");
    assert!(
        recall >= min_recall,
        "{what}: recall {recall:.3} < {min_recall}"
    );
    assert!(
        false_block <= max_false_block,
        "{what}: false-block {false_block:.3} > {max_false_block}"
    );
}

#[test]
fn the_labelled_corpus_holds_its_floor() {
    let mut ids = std::collections::HashSet::new();
    let t = score("tests/corpus/claims", &mut ids);
    assert!(
        t.claims > 900 && t.honest > 1300,
        "the corpus shrank: {} + {}",
        t.claims,
        t.honest
    );
    hold(
        "rules alone",
        t.rates(false),
        FLOOR_RECALL,
        CEILING_FALSE_BLOCK,
    );
    hold(
        "with the scorer",
        t.rates(true),
        FLOOR_RECALL_SCORED,
        CEILING_FALSE_BLOCK_SCORED,
    );
}

#[test]
fn the_held_out_sets_hold_their_floor() {
    // Their ids must not collide with the training corpus either.
    let mut ids: std::collections::HashSet<String> = messages("tests/corpus/claims")
        .iter()
        .map(|v| v["id"].as_str().unwrap().to_string())
        .collect();
    let t = score("tests/corpus/claims-fresh", &mut ids);
    assert!(
        t.claims > 200 && t.honest > 300,
        "{} + {}",
        t.claims,
        t.honest
    );
    hold(
        "held-out sets, with the scorer",
        t.rates(true),
        FLOOR_RECALL_FRESH,
        CEILING_FALSE_BLOCK_FRESH,
    );
}
