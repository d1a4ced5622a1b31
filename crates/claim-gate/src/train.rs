//! `claim-gate train-scorer`: retrain the scorer weights from the labelled corpus, or
//! estimate how the rules and the scorer do together on held-out folds (`--cv K`).

use crate::detector::{self, Lexicon};
use crate::scorer::{self, CLAIM_AT, Example, VETO_BELOW};
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

/// `--score FILE`: for each labelled line of FILE, "label rules probability" (tab-separated),
/// to compare decision policies on data the scorer was not trained on.
pub fn score_file(file: &Path) -> ExitCode {
    let lex = Lexicon::builtin();
    let Ok(text) = std::fs::read_to_string(file) else {
        eprintln!("claim-gate train-scorer: cannot read {}", file.display());
        return ExitCode::from(2);
    };
    let mut out = std::io::stdout().lock();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let Ok(v) = serde_json::from_str::<serde_json::Value>(line) else {
            continue;
        };
        let t = v
            .get("text")
            .and_then(serde_json::Value::as_str)
            .unwrap_or("");
        let rules = detector::claims(&detector::analyze(t, &lex))
            .next()
            .is_some();
        let (p, _) = scorer::score(t, &lex);
        let _ = writeln!(
            out,
            "{}\t{}\t{}\t{}\t{p:.3}",
            v.get("id")
                .and_then(serde_json::Value::as_str)
                .unwrap_or(""),
            v.get("claim")
                .and_then(serde_json::Value::as_bool)
                .unwrap_or(false),
            v.get("ambiguous")
                .and_then(serde_json::Value::as_bool)
                .unwrap_or(false),
            rules
        );
    }
    ExitCode::SUCCESS
}

pub fn run(corpus: &Path, out: Option<&Path>, cv: Option<usize>) -> ExitCode {
    let examples = match scorer::load_corpus(corpus) {
        Ok(e) => e,
        Err(e) => {
            eprintln!("claim-gate train-scorer: {e}");
            return ExitCode::from(2);
        }
    };
    let lex = Lexicon::builtin();
    if let Some(k) = cv {
        cross_validate(&examples, &lex, k.max(2));
        return ExitCode::SUCCESS;
    }
    let weights = scorer::train(&examples, &lex);
    match out {
        Some(p) => {
            if let Err(e) = std::fs::write(p, &weights) {
                eprintln!("claim-gate train-scorer: cannot write {}: {e}", p.display());
                return ExitCode::from(2);
            }
            eprintln!(
                "claim-gate train-scorer: {} examples → {} ({} weights)",
                examples.len(),
                p.display(),
                weights.lines().filter(|l| !l.starts_with('#')).count()
            );
        }
        None => {
            let _ = std::io::stdout().write_all(weights.as_bytes());
        }
    }
    ExitCode::SUCCESS
}

/// Decisions on fold i are made by weights trained without fold i.
fn cross_validate(examples: &[Example], lex: &Lexicon, k: usize) {
    // (labelled claim, rules say claim, scorer probability), for every example once
    let mut seen: Vec<(bool, bool, f32)> = Vec::new();
    for fold in 0..k {
        let train: Vec<Example> = examples
            .iter()
            .enumerate()
            .filter(|(i, _)| i % k != fold)
            .map(|(_, e)| Example {
                text: e.text.clone(),
                claim: e.claim,
            })
            .collect();
        let weights = scorer::parse_weights(&scorer::train(&train, lex));
        let w = |f: &str| weights.get(f).copied().unwrap_or(0.0);
        for (_, e) in examples.iter().enumerate().filter(|(i, _)| i % k == fold) {
            let rules = detector::claims(&detector::analyze(&e.text, lex))
                .next()
                .is_some();
            let (p, _) = scorer::score_with(&e.text, lex, &w);
            seen.push((e.claim, rules, p));
        }
    }
    let rate = |block: &dyn Fn(bool, f32) -> bool| {
        let (mut c, mut cb, mut h, mut hb) = (0, 0, 0, 0);
        for &(claim, rules, p) in &seen {
            if claim {
                c += 1;
                cb += usize::from(block(rules, p));
            } else {
                h += 1;
                hb += usize::from(block(rules, p));
            }
        }
        (cb as f64 / c.max(1) as f64, hb as f64 / h.max(1) as f64)
    };
    let (r, f) = rate(&|rules, _| rules);
    println!("rules alone                         recall={r:.3} false_block={f:.3}");
    for t in [0.3f32, 0.4, 0.5, 0.6, 0.7] {
        let (r, f) = rate(&|_, p| p >= t);
        println!("scorer p>={t:.2}                      recall={r:.3} false_block={f:.3}");
    }
    for (v, t) in [
        (0.2f32, 0.92f32),
        (0.3, 0.8),
        (0.4, 0.7),
        (0.5, 0.7),
        (0.4, 0.6),
        (0.5, 0.6),
    ] {
        let (r, f) = rate(&|rules, p| (rules && p >= v) || p >= t);
        println!("rules vetoed below {v:.2}, scorer at {t:.2} recall={r:.3} false_block={f:.3}");
    }
    let (r, f) = rate(&|rules, p| (rules && p >= VETO_BELOW) || p >= CLAIM_AT);
    println!("shipped ({VETO_BELOW}, {CLAIM_AT})               recall={r:.3} false_block={f:.3}");
}
