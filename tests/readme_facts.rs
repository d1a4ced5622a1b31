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
    let at = ci
        .find(eval)
        .unwrap_or_else(|| panic!(".ci/run runs no {eval}"));
    let rest = &ci[at..];
    let value = |flag: &str| {
        let i = rest
            .find(flag)
            .unwrap_or_else(|| panic!("{eval}: no {flag}"))
            + flag.len();
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

/// Runs a Stop with `reply` and returns the verdict claim-gate wrote and the banner line.
fn verdict_after(sb: &Sandbox, session: &str, reply: &str) -> (serde_json::Value, String) {
    let input = json!({"session_id": session, "hook_event_name": "Stop", "cwd": sb.cwd,
                       "last_assistant_message": reply});
    let out = sb.run("claim-gate", &[], input.to_string().as_bytes(), &[]);
    assert_eq!(code(&out), 2, "{reply}: {}", stderr(&out));
    let path = sb.home.join("system/state/last-validator-verdict.json");
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let cwd = sb.cwd.to_str().unwrap();
    let banner = sb.run(
        "claim-gate",
        &["banner"],
        b"{}",
        &[("CLAUDE_PROJECT_DIR", cwd)],
    );
    (v, stdout(&banner))
}

#[test]
fn the_banner_score_is_the_readme_formula() {
    let text = readme();
    assert!(
        text.contains("The score is `max(0, 100 − 25 × claims − 50 × bad citations)`"),
        "the README lost the formula"
    );
    let sb = Sandbox::new("readme-score");
    sb.write(
        &sb.cwd.join("docs/evidence/test.log"),
        "running 3 tests\ntest result: FAILED. 1 passed; 2 failed; 0 ignored\n",
    );
    // (reply, claims, bad citations) — the README's examples and a fabricated path.
    let cases = [
        ("All tests pass, see docs/evidence/test.log.", 1, 1),
        ("Deployed to production. Verified on staging too.", 2, 0),
        ("All tests pass, see docs/evidence/nothing-here.log.", 1, 1),
        (
            "Deployed. Verified. It works. All tests pass. Everything is live.",
            5,
            0,
        ),
    ];
    for (i, (reply, claims, bad)) in cases.into_iter().enumerate() {
        let (v, banner) = verdict_after(&sb, &format!("score-{i}"), reply);
        let violations = v["violations"].as_array().unwrap();
        let named = |kind: &str| violations.iter().filter(|x| x["kind"] == kind).count();
        let untrusted = named("untrusted evidence");
        let fabricated = v["fabricated"].as_array().map_or(0, Vec::len)
            + violations
                .iter()
                .filter(|x| x["kind"].as_str().is_some_and(|k| k.contains("fabricated")))
                .count();
        assert_eq!(named("unverified claim"), claims, "{reply}: {v:#}");
        assert_eq!(untrusted + fabricated, bad, "{reply}: {v:#}");
        let want = 100i64 - 25 * claims as i64 - 50 * bad as i64;
        let want = want.max(0);
        assert_eq!(v["score"], want, "{reply}: {v:#}");
        assert!(banner.contains(&format!("scored {want}/100")), "{banner}");
    }
}

/// The pause section says `zakon pause --list` needs no terminal; without one it lists the
/// active pauses, exits 0 and writes no audit line (pausing itself is refused there).
#[test]
fn pause_list_runs_without_a_terminal_as_the_readme_says() {
    assert!(
        readme().contains(
            "**`zakon pause --list` needs no terminal.** It only reads the pause file: it runs \
             from a script or a pipe, exits 0, and writes no audit line."
        ),
        "the README's pause section does not say whether `zakon pause --list` needs a terminal"
    );
    let sb = Sandbox::new("readme-pause-list");
    let list = |want: &str| {
        let out = sb.run("zakon", &["pause", "--list"], b"", &[]);
        assert_eq!(code(&out), 0, "{}", stderr(&out));
        assert!(
            stdout(&out).contains(want),
            "{want} not in {}",
            stdout(&out)
        );
    };
    list("No gate is paused.");
    assert!(sb.audit_lines().is_empty(), "{:?}", sb.audit_lines());
    // Pausing itself, without a terminal, is refused (and that attempt is logged).
    let out = sb.run("zakon", &["pause", "all", "--for", "30m"], b"", &[]);
    assert_eq!(code(&out), 1, "{}", stdout(&out));
    if tty::script().is_none() {
        eprintln!("skipped the listing of a real pause: util-linux `script` is not installed");
        return;
    }
    let zakon = bin_path("zakon").display().to_string();
    let words = [&zakon, "pause", "claim-gate", "--for", "30m"].map(String::from);
    let out = tty::run(sb.cmd("zakon"), &words);
    assert_eq!(code(&out), 0, "{}", stdout(&out));
    let logged = sb.audit_lines().len();
    list("claim-gate paused until");
    assert_eq!(sb.audit_lines().len(), logged);
}
