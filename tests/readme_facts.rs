//! Facts the README states that the code decides: the eval thresholds `.ci/run` uses, the
//! banner's score formula. A README that drifts from them fails here.

mod support;
use serde_json::json;
use std::path::PathBuf;
use support::*;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The README with its line breaks folded, so a sentence wrapped anywhere still matches.
fn readme() -> String {
    std::fs::read_to_string(repo().join("README.md"))
        .unwrap()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The `--min-recall` and `--max-false-block` values of the `.ci/run` line naming `eval`.
fn thresholds(ci: &str, eval: &str) -> (String, String) {
    let at = ci.find(eval).unwrap_or_else(|| panic!(".ci/run runs no {eval}"));
    let rest = &ci[at..];
    let value = |flag: &str| {
        let i = rest.find(flag).unwrap_or_else(|| panic!("{eval}: no {flag}")) + flag.len();
        rest[i..].split_whitespace().next().unwrap().to_string()
    };
    (value("--min-recall"), value("--max-false-block"))
}

#[test]
fn readme_states_the_eval_thresholds_ci_uses() {
    let ci = std::fs::read_to_string(repo().join(".ci/run")).unwrap();
    let (dev_r, dev_fb) = thresholds(&ci, "claims_eval.py");
    let (real_r, real_fb) = thresholds(&ci, "real_eval.py");
    let want = format!(
        "(dev: recall ≥ {dev_r}, false-block ≤ {dev_fb}; real: recall ≥ {real_r}, \
         false-block ≤ {real_fb})"
    );
    assert!(readme().contains(&want), "README lacks {want}");
}
