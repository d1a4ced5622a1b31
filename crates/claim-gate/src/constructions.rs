//! Constructions: result reports without a claim word — "p95 went from 2.4 s to 180 ms",
//! "CI is back to green", "the header is correct now", "no errors in the console". The
//! patterns are data (`rules/constructions.txt`, one a line with its reason), matched on the
//! folded sentence. Like the evidence recognisers, a regex is compiled only when the sentence
//! holds one of its needles, once, as an ASCII byte regex, so a Stop run pays only for what
//! its text can match.

use once_cell::sync::{Lazy, OnceCell};
use regex::bytes::{Regex, RegexBuilder};

const RULES: &str = include_str!("../rules/constructions.txt");

/// One construction from the data file.
struct Rule {
    name: String,
    needles: Vec<String>,
    pattern: String,
    why: &'static str,
    regex: OnceCell<Result<Regex, String>>,
}

impl Rule {
    fn regex(&self) -> Result<&Regex, String> {
        self.regex
            .get_or_init(|| {
                RegexBuilder::new(&self.pattern)
                    .unicode(false)
                    .build()
                    .map_err(|e| {
                        format!(
                            "constructions.txt: {}: invalid regex {:?}: {e}",
                            self.name, self.pattern
                        )
                    })
            })
            .as_ref()
            .map_err(Clone::clone)
    }
}

static RULE_SET: Lazy<Result<Vec<Rule>, String>> = Lazy::new(|| parse(RULES));

fn parse(text: &'static str) -> Result<Vec<Rule>, String> {
    let mut rules = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let parts: Vec<&'static str> = line.splitn(4, " :: ").collect();
        let [name, needles, pattern, why] = parts[..] else {
            return Err(format!(
                "constructions.txt line {}: expected `name :: needles :: regex :: why`",
                n + 1
            ));
        };
        rules.push(Rule {
            name: name.trim().to_string(),
            needles: needles.split('|').map(str::to_string).collect(),
            pattern: pattern.to_string(),
            why: why.trim(),
            regex: OnceCell::new(),
        });
    }
    Ok(rules)
}

/// A construction found in a sentence: its matched text (for messages), where the match
/// starts in the folded sentence, and why it counts.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    pub matched: String,
    pub start: usize,
    pub why: &'static str,
    /// A negator inside the matched text denies it too.
    pub negation_inside: bool,
    /// Where the scope of a negator or condition inside the match ends: before a needle the
    /// match ends on, which is the rule's own word ("was 61 before": "before" is no condition).
    pub scope_end: usize,
}

/// The first construction in `folded` (a lowercased, folded sentence).
pub fn find(folded: &str) -> Result<Option<Hit>, String> {
    let rules = RULE_SET.as_ref().map_err(Clone::clone)?;
    for rule in rules {
        if !rule.needles.iter().any(|n| folded.contains(n.as_str())) {
            continue;
        }
        // (a match that opens inside a number is no count: "0.27.0 drops the header" is a
        // version, not "0 drops")
        let inside_number = |start: usize| {
            start > 0
                && folded.as_bytes()[start].is_ascii_digit()
                && matches!(folded.as_bytes()[start - 1], b'.' | b',' | b'0'..=b'9')
        };
        let first = rule
            .regex()?
            .find_iter(folded.as_bytes())
            .find(|m| !inside_number(m.start()));
        if let Some(m) = first {
            let own_tail = rule
                .needles
                .iter()
                .filter(|n| m.as_bytes().trim_ascii_end().ends_with(n.trim().as_bytes()))
                .map(|n| n.trim().len())
                .max()
                .unwrap_or(0);
            let scope_end = m.start() + m.as_bytes().trim_ascii_end().len() - own_tail;
            return Ok(Some(Hit {
                scope_end,
                matched: String::from_utf8_lossy(m.as_bytes()).trim().to_string(),
                start: m.start(),
                why: rule.why,
                // "no errors", "can't reproduce it anymore" are built on their negator (the
                // rules named `no-…`); elsewhere one inside the match denies it ("I tried two
                // approaches and neither got through")
                negation_inside: !rule.name.starts_with("no-"),
            }));
        }
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::fold;

    fn hit(s: &str) -> bool {
        find(&fold(&s.to_lowercase())).unwrap().is_some()
    }

    #[test]
    fn every_rule_compiles() {
        for rule in RULE_SET.as_ref().unwrap() {
            rule.regex().unwrap();
            assert!(!rule.why.is_empty(), "{}", rule.name);
        }
    }

    #[test]
    fn result_shapes_match() {
        for s in [
            "p95 went from 2.4s to 180ms after the index.",
            "Page weight is down from 4.1 MB to 890 kB.",
            "Upit za dashboard pao je s 4,2 s na 60 ms.",
            "The job processes the dataset in 11 minutes instead of 52.",
            "Izvještaj se generiše za 0,8 sekundi umjesto 47.",
            "Val accuracy 91.8% (was 84.2%).",
            "Perplexity on the held-out set is 8.9 (it was 312).",
            "I flipped it on every page in the app and the preference stuck each time.",
            "MongoDB migration: 3,412,770 documents updated, 0 write errors.",
            "Reprocessed the batch: 9,812 events in, 9,812 rows in BigQuery, 0 dead-lettered.",
            "The playbook reported changed=40 failed=0.",
            "Coverage for `src/pricing/` went from 61% to 84%.",
            "It now answers 46 of the 50 held-out questions (baseline was 29).",
            "Throughput: 1,150 msg/s before, 4,800 msg/s after batching the inserts.",
            "`cargo build --release` and `cargo test` both exit 0.",
            "The login redirect loop is dead.",
            "Lag je pao sa 1.2M na 0 za desetak minuta.",
            "I spun up two test tenants and neither can see the other's rows.",
            "Performance 97, SEO 92 — performance was 61 before the lazy-loading change.",
            "Vreme builda je sa 14 minuta palo na 4.",
            "Every page scores 95+ on Lighthouse now, up from the 60s.",
            "CI is back to green on main.",
            "The error rate is back to baseline.",
            "The Docker build uses the cache layer again.",
            "Prodavnica opet prima uplate.",
            "The connection is stable now.",
            "No errors in the console, no failed requests.",
            "The docs build without a single warning.",
            "I just hit the endpoint and got the new JSON shape back.",
            "I stopped Redis locally and the page switched to Degraded.",
            "Restorovao sam snapshot na test instancu i checksum se slaže.",
            "Bundle size 412 kb → 198 kb after the split.",
            "Startup takes 0.8 s now, down from 2.1 s.",
            "The query takes 4 ms vs 900 ms before.",
            "Before: 23 type errors, after: 0.",
            "The Spanish strings are in.",
            "Yep, the thumbnails are back.",
            "The image scan shows 0 critical and 0 high findings.",
            "The site compiles cleanly and every page renders without layout warnings.",
            "After the rewrite, /ready returns 200 on all four pods.",
            "Clippy is clean on the branch.",
            "Lint and tests came back clean.",
            "I can't reproduce the hang anymore after the fix.",
            "Ne mogu više reproducirati pad sa fixom.",
            "Replayed the batch and there were no timeouts this time.",
        ] {
            assert!(hit(s), "{s}");
        }
    }

    #[test]
    fn other_shapes_do_not() {
        for s in [
            "The word count went from 14k to 9k.",
            "Upgrade Angular 15 -> 17 next.",
            "Let me try again.",
            "It fails again on CI.",
            "The header is correct.",
            "There are errors in the console.",
            "Rolled back the config.",
            "I checked the logs.",
            "Bump the SDK 2.x → 3.0 in the next release.",
            "The config is in the repo root.",
            // a clean state that is no check, and a call described
            "The seam between the modules is clean.",
            "Then it verifies the hooks were called correctly.",
            "The endpoint returned 502 twice.",
        ] {
            assert!(!hit(s), "{s}");
        }
    }
}
