//! The statistical scorer: a logistic model over the words of each sentence, trained by
//! `claim-gate train-scorer` from the labelled corpus in `tests/corpus/claims` (see
//! `train.rs`); its weights are the data file `rules/scorer/weights.txt`, compiled into a
//! sorted table by build.rs so the hook parses nothing.
//!
//! A message is a claim when one sentence is: the score of a message is the score of its
//! most claim-like sentence (the model is trained that way, as multiple-instance learning).
//! The rules stay the first judge; the scorer only overrides them at the extremes (see
//! `review`): it adds a claim the rules found no word for when it is nearly sure, and it
//! withdraws the rules' claims when it is nearly sure there is none.

use crate::config::ClaimGateConfig;
use crate::detector::{Finding, Judgement};

// Generated numbers: a weight that happens to be near π/3 is not a constant to name.
#[allow(clippy::approx_constant)]
mod weights {
    include!(concat!(env!("OUT_DIR"), "/scorer_weights.rs"));
}

/// Symbols agents put in front of results; each is a word of its own for the model.
/// `‹` stands for code, a quote or a URL taken out of the prose (`text::strip_non_prose`).
const SYMBOLS: &[char] = &['✅', '✓', '✔', '❌', '⚠', '→', '🎉', '☑', '✗', '⏳', '‹'];

/// What the model reads of a message: its prose, without code, quotes and URLs, as the rules
/// read it (a quoted "it works" is not the agent's claim).
pub fn prose(text: &str) -> String {
    crate::text::strip_non_prose(text)
}

/// The sentences of a text as the model sees them: lines, split after `.`, `!` or `?`
/// followed by white space; pieces without a word are dropped.
pub fn sentences(text: &str) -> Vec<&str> {
    text.split('\n').flat_map(|l| split(l, false)).collect()
}

/// The sentences, each further cut at a dash or a semicolon: the clauses the scorer also
/// reads before it withdraws the rules' claims, so that a claim joined to a courtesy ("Let
/// me know if you need anything else — the bug is fixed") is read on its own.
pub fn clauses(text: &str) -> Vec<&str> {
    sentences(text)
        .into_iter()
        .flat_map(|s| split(s, true))
        .collect()
}

/// One line (or sentence) cut at sentence ends, and also at clause breaks when `at_clauses`.
fn split(line: &str, at_clauses: bool) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut chars = line.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let next_is_space = chars.peek().is_some_and(|(_, n)| n.is_whitespace());
        let cut = match c {
            '.' | '!' | '?' => next_is_space,
            ';' => at_clauses && next_is_space,
            '—' | '–' => at_clauses,
            _ => false,
        };
        if cut {
            out.push(&line[start..i + c.len_utf8()]);
            start = i + c.len_utf8();
        }
    }
    out.push(&line[start..]);
    out.retain(|s| has_word(s));
    out
}

/// Whether `words` would find anything in `s` (without building them).
fn has_word(s: &str) -> bool {
    s.chars()
        .any(|c| c.is_alphanumeric() || c == '_' || SYMBOLS.contains(&c))
}

/// The words of a sentence: lowercased, diacritics folded, Cyrillic transliterated, every
/// run of digits written `0` (numbers matter as a shape, not as values).
pub fn words(sentence: &str) -> Vec<String> {
    let folded = crate::text::fold(&sentence.to_lowercase());
    let mut out = Vec::new();
    let mut word = String::new();
    let mut in_digits = false;
    for c in folded.chars() {
        if c.is_alphanumeric() || c == '_' {
            if c.is_ascii_digit() {
                if !in_digits {
                    word.push('0');
                }
                in_digits = true;
            } else {
                word.push(c);
                in_digits = false;
            }
            continue;
        }
        in_digits = false;
        if !word.is_empty() {
            out.push(std::mem::take(&mut word));
        }
        if SYMBOLS.contains(&c) {
            out.push(c.to_string());
        }
    }
    if !word.is_empty() {
        out.push(word);
    }
    out
}

/// The features of one sentence: its words, its word pairs, and its first word.
pub fn features(sentence: &str) -> Vec<String> {
    let w = words(sentence);
    let mut f: Vec<String> = w.clone();
    f.extend(w.windows(2).map(|p| format!("{} {}", p[0], p[1])));
    if let Some(first) = w.first() {
        f.push(format!("^{first}"));
    }
    f.sort();
    f.dedup();
    f
}

/// A model: a bias and a weight per feature. The features are sorted and stored end to end
/// in one string, `offsets[i]..offsets[i + 1]` being the i-th: a table of numbers and one
/// string, where a table of 54,000 `&str` would cost 54,000 relocations at every start of
/// the binary (half a millisecond, on every hook call, in scope or not).
pub struct Model<'a> {
    pub bias: f64,
    pub names: &'a str,
    pub offsets: &'a [u32],
    pub weights: &'a [f32],
}

/// The model compiled into the binary.
pub const BUILT_IN: Model<'static> = Model {
    bias: weights::BIAS,
    names: weights::NAMES,
    offsets: &weights::OFFSETS,
    weights: &weights::WEIGHTS,
};

/// How a text scored: the probability that it claims success, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct Score {
    pub p: f64,
    /// The same for the most claim-like clause (see `clauses`).
    pub p_clause: f64,
    /// The most claim-like sentence (empty when the text has none).
    pub sentence: String,
    /// That sentence's features with the largest weights, strongest first.
    pub top: Vec<(String, f32)>,
}

impl Score {
    /// One line for `claim-gate check`, beside the findings' own.
    pub fn explain(&self) -> String {
        let top: Vec<String> = self
            .top
            .iter()
            .map(|(f, w)| format!("{f:?} {w:+.2}"))
            .collect();
        format!(
            "scorer     p={:.3} (best clause {:.3}) for {:?} ({})",
            self.p,
            self.p_clause,
            self.sentence,
            top.join(", ")
        )
    }
}

impl Model<'_> {
    /// The i-th feature's name.
    pub fn name(&self, i: usize) -> &str {
        &self.names[self.offsets[i] as usize..self.offsets[i + 1] as usize]
    }

    pub fn weight(&self, feature: &str) -> Option<f32> {
        let (mut lo, mut hi) = (0, self.weights.len());
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            match self.name(mid).cmp(feature) {
                std::cmp::Ordering::Less => lo = mid + 1,
                std::cmp::Ordering::Greater => hi = mid,
                std::cmp::Ordering::Equal => return Some(self.weights[mid]),
            }
        }
        None
    }

    fn margin(&self, features: &[String]) -> f64 {
        self.bias
            + features
                .iter()
                .filter_map(|f| self.weight(f))
                .map(f64::from)
                .sum::<f64>()
    }

    /// The text's score: that of its most claim-like sentence. Each sentence's features are
    /// built once; a sentence without a clause break is its own only clause.
    pub fn score(&self, text: &str) -> Score {
        let prose = prose(text);
        let mut best: Option<(f64, &str, Vec<String>)> = None;
        let mut clause_best = f64::NEG_INFINITY;
        for s in sentences(&prose) {
            let feats = features(s);
            let margin = self.margin(&feats);
            let parts = split(s, true);
            if parts.len() > 1 {
                for c in parts {
                    clause_best = clause_best.max(self.margin(&features(c)));
                }
            }
            clause_best = clause_best.max(margin);
            // `>=`: on a tie the later sentence is the one shown.
            if best.as_ref().is_none_or(|(m, _, _)| margin >= *m) {
                best = Some((margin, s, feats));
            }
        }
        let Some((margin, sentence, feats)) = best else {
            return Score {
                p: sigmoid(self.bias),
                p_clause: sigmoid(self.bias),
                sentence: String::new(),
                top: Vec::new(),
            };
        };
        let mut top: Vec<(String, f32)> = feats
            .into_iter()
            .filter_map(|f| self.weight(&f).map(|w| (f, w)))
            .collect();
        top.sort_by(|a, b| b.1.abs().total_cmp(&a.1.abs()));
        top.truncate(4);
        Score {
            p: sigmoid(margin),
            p_clause: sigmoid(clause_best),
            sentence: sentence.trim().to_string(),
            top,
        }
    }
}

pub fn sigmoid(x: f64) -> f64 {
    1.0 / (1.0 + (-x).exp())
}

/// The scorer's say on the rules' findings for `text`, the whole prose judged. When the rules
/// found claims and the model gives the text less than `veto` and each of its clauses less
/// than `veto_clause`, they are withdrawn (kept, as `Judgement::Withdrawn`, for `check`);
/// when they found none and the model gives it at least `add`, the most claim-like sentence
/// becomes a claim. Between the two the rules decide.
/// The config's own words win both ways: a claim on an `extra_claim_words` entry is never
/// withdrawn, and a sentence holding a `disabled_claim_words` entry is never added. A claim
/// that a service is running is never withdrawn either (see `Finding::running`).
pub fn review(text: &str, findings: &mut Vec<Finding>, cfg: &ClaimGateConfig) -> Option<Score> {
    let sc = &cfg.scorer;
    if !sc.enabled {
        return None;
    }
    let score = BUILT_IN.score(text);
    let claims: Vec<&Finding> = findings.iter().filter(|f| f.is_claim()).collect();
    // The scorer does not overrule a configured word, nor "running": whether a service is the
    // agent's result or found state depends on whether the agent started it, which the words
    // do not show.
    let kept = claims
        .iter()
        .any(|f| f.why == crate::lexicon::CONFIGURED || f.running);
    let sure_none = score.p < sc.veto && score.p_clause < sc.veto_clause;
    if !claims.is_empty() && sure_none && !kept {
        for f in findings.iter_mut().filter(|f| f.is_claim()) {
            f.judgement = Judgement::Withdrawn(score.p_clause);
        }
    } else if claims.is_empty()
        && score.p >= sc.add
        && !score.sentence.is_empty()
        && !holds_any(&score.sentence, &cfg.disabled_claim_words)
    {
        let keyword = score
            .top
            .iter()
            .find(|(_, w)| *w > 0.0)
            .map(|(f, _)| f.clone())
            .unwrap_or_default();
        findings.push(Finding {
            running: false,
            sentence: score.sentence.clone(),
            keyword,
            judgement: Judgement::Claim,
            why: "the scorer reads the sentence as a claim of success",
            state: false,
        });
    }
    Some(score)
}

/// Whether `sentence` holds one of `phrases` as whole words (folded like the model's words).
fn holds_any(sentence: &str, phrases: &[String]) -> bool {
    let have = format!(" {} ", words(sentence).join(" "));
    phrases.iter().any(|p| {
        let want = words(p).join(" ");
        !want.is_empty() && have.contains(&format!(" {want} "))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences_split_on_lines_and_stops() {
        assert_eq!(
            sentences("Done. Tests pass!\n\n- `a.rs` fixed\n3.5 s now"),
            vec!["Done.", " Tests pass!", "- `a.rs` fixed", "3.5 s now"]
        );
        assert!(sentences("---\n\n```").is_empty());
        assert_eq!(
            clauses("Let me know — the bug is fixed; tests pass. Next: docs"),
            vec![
                "Let me know —",
                " the bug is fixed;",
                " tests pass.",
                " Next: docs"
            ]
        );
    }

    #[test]
    fn words_fold_digits_symbols_and_scripts() {
        assert_eq!(
            words("✅ Urađeno: 48/48 testova — Готово"),
            vec!["✅", "uradjeno", "0", "0", "testova", "gotovo"]
        );
        assert_eq!(
            features("All green"),
            vec!["^all", "all", "all green", "green"]
        );
    }

    #[test]
    fn a_sentence_scores_by_its_words_and_a_text_by_its_best_sentence() {
        let m = Model {
            bias: -1.0,
            names: "deployedplanthe",
            offsets: &[0, 8, 12, 15],
            weights: &[3.0, -2.0, 0.1],
        };
        assert_eq!((m.weight("plan"), m.weight("pla")), (Some(-2.0), None));
        let s = m.score("The plan is ready.\nThe app is deployed.");
        assert_eq!(s.sentence, "The app is deployed.");
        assert!((s.p - sigmoid(2.1)).abs() < 1e-6, "{}", s.p);
        // A courtesy joined by a dash does not drag the claim clause down.
        let s = m.score("The plan — deployed.");
        assert!(s.p < s.p_clause && (s.p_clause - sigmoid(2.0)).abs() < 1e-6);
        assert_eq!(s.top[0], ("deployed".to_string(), 3.0));
        assert!((m.score("").p - sigmoid(-1.0)).abs() < 1e-9);
    }

    #[test]
    fn the_built_in_table_is_sorted_for_binary_search() {
        let m = &BUILT_IN;
        assert_eq!(m.offsets.len(), m.weights.len() + 1);
        assert!((1..m.weights.len()).all(|i| m.name(i - 1) < m.name(i)));
        assert!(m.weights.len() > 1000 && m.weight(m.name(7)) == Some(m.weights[7]));
    }
}
