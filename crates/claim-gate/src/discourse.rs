//! Discourse roles: what a block of prose is doing in the turn, decided from its shape and
//! its announcing words (data in `rules/discourse/`), before any claim word is looked at.

use crate::text::fold;
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

// One table per `rules/discourse/<name>.txt`: NEXT_STEP, FINDINGS, …
include!(concat!(env!("OUT_DIR"), "/discourse_tables.rs"));

/// Narration before a tool call is working notes when it announces the check or step that
/// follows ("Both servers are up. Let me verify…") or hands over to the tool with a colon.
/// A block that only states a result ("Deployed to production and verified.") and then calls
/// a tool is not: the result stands as said unless the final prose takes it back.
pub fn working_note(block: &str) -> bool {
    let trimmed = block.trim_end();
    if trimmed.ends_with(':') || trimmed.ends_with("...") || trimmed.ends_with('…') {
        return true;
    }
    let text = fold(&trimmed.to_lowercase());
    find_phrase(&words_of(&text), NEXT_STEP).is_some() || hortative_bs(&text)
}

/// The folded, lowercase words of a line (letters, digits and apostrophes).
pub fn words_of(folded: &str) -> Vec<&str> {
    folded
        .split(|c: char| !(c.is_alphanumeric() || c == '\''))
        .filter(|w| !w.is_empty())
        .collect()
}

/// `words_of` for text that goes out of scope: the words as owned strings.
pub fn words_of_owned(folded: &str) -> Vec<String> {
    words_of(folded).into_iter().map(str::to_string).collect()
}

/// The first phrase of `table` that occurs in `words` as whole consecutive words.
pub fn find_phrase(words: &[&str], table: &[&'static str]) -> Option<&'static str> {
    // Runs for every sentence against every table: each table is indexed once by its
    // phrases' first words (per thread, keyed by the table's address), so a sentence costs a
    // hash lookup per word, and the rest of a phrase is compared only where its first word
    // stands. The phrase returned is the earliest in the table, as a linear scan would give.
    type Index = HashMap<&'static str, Vec<(usize, Vec<&'static str>)>>;
    thread_local! {
        static INDEXES: RefCell<HashMap<usize, Rc<Index>>> = RefCell::new(HashMap::new());
    }
    let index = INDEXES.with(|cell| {
        Rc::clone(
            cell.borrow_mut()
                .entry(table.as_ptr() as usize)
                .or_insert_with(|| {
                    let mut index: Index = HashMap::new();
                    for (n, p) in table.iter().enumerate() {
                        let parts: Vec<&'static str> = p.split(' ').collect();
                        index.entry(parts[0]).or_default().push((n, parts));
                    }
                    Rc::new(index)
                }),
        )
    });
    let mut best: Option<usize> = None;
    for i in 0..words.len() {
        let Some(candidates) = index.get(words[i]) else {
            continue;
        };
        for (n, parts) in candidates {
            if best.is_some_and(|b| b <= *n) {
                continue;
            }
            if i + parts.len() <= words.len() && words[i..i + parts.len()] == parts[..] {
                best = Some(*n);
            }
        }
    }
    best.map(|n| table[n])
}

/// "Plan complete and saved to docs/plan.md", "Planning phase complete": a plan word at `k`
/// with a word of `plan-done.txt` within the next three words reports the plan as a finished
/// deliverable; the sentence is a report on the plan, not a plan.
pub fn plan_reported_done<S: AsRef<str>>(words: &[S], k: usize) -> bool {
    words
        .iter()
        .skip(k + 1)
        .take(3)
        .any(|w| PLAN_DONE.contains(&w.as_ref()))
}

/// The words that start the phrases of `tables`: a sentence holding none of them cannot hold
/// any of the phrases, so a caller on a long turn tests this set before `find_phrase`.
pub fn first_words(tables: &[&[&'static str]]) -> std::collections::HashSet<&'static str> {
    tables
        .iter()
        .flat_map(|t| t.iter())
        .filter_map(|p| p.split(' ').next())
        .collect()
}

/// The findings word of a heading ("## Root Cause"): its section reports what the agent
/// found out.
pub fn findings_heading(line: &str) -> Option<&'static str> {
    let text = fold(&line.to_lowercase());
    find_phrase(&words_of(&text), FINDINGS)
}

/// The findings phrase of a message's first line ("Based on my analysis, …").
pub fn findings_opener(line: &str) -> Option<&'static str> {
    let text = fold(&line.to_lowercase());
    find_phrase(&words_of(&text), FINDINGS_OPENERS)
}

/// Whether a heading names a list of the agent's own results ("### What We Changed").
pub fn own_work_heading(line: &str) -> bool {
    let text = fold(&line.to_lowercase());
    find_phrase(&words_of(&text), OWN_WORK).is_some()
}

/// Bosnian "let me …": a sentence that opens with "da" and a first-person present verb
/// within three words ("Da još jednom pogledam logove", "Da provjerim").
fn hortative_bs(text: &str) -> bool {
    text.split(['.', '!', '?', '\n']).any(|sentence| {
        let mut words = sentence.split_whitespace();
        words.next() == Some("da")
            && words
                .take(3)
                .any(|w| w.len() > 4 && ["im", "em", "am"].iter().any(|e| w.ends_with(e)))
    })
}

#[cfg(test)]
mod tests {
    use super::working_note;

    #[test]
    fn notes_announce_the_next_step() {
        for (text, note) in [
            (
                "Both services are up and the fix is verified. Let me double-check the logs first.",
                true,
            ),
            (
                "Oba servisa su podignuta. Da još jednom pogledam logove.",
                true,
            ),
            ("The build passed. Now I'll run the integration tests", true),
            ("Perfect! Now running the smoke test:", true),
            ("Deployed to production and verified.", false),
            ("Done, all tests pass.", false),
        ] {
            assert_eq!(working_note(text), note, "{text}");
        }
    }
}
