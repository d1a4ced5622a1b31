//! Discourse roles: what a block of prose is doing in the turn, decided from its shape and
//! its announcing words (data in `rules/discourse/`), before any claim word is looked at.

use crate::text::fold;

/// Words that announce the next step of the agent's work ("Let me verify…", "Now I'll run",
/// "Da provjerim logove"), generated from `rules/discourse/next-step.txt`.
const NEXT_STEP: &[&str] = &include!(concat!(env!("OUT_DIR"), "/next_step.rs"));

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
    let words: Vec<&str> = text
        .split(|c: char| !(c.is_alphanumeric() || c == '\''))
        .filter(|w| !w.is_empty())
        .collect();
    NEXT_STEP.iter().any(|p| {
        let p: Vec<&str> = p.split(' ').collect();
        words.windows(p.len()).any(|w| w == p.as_slice())
    }) || hortative_bs(&text)
}

/// Bosnian "let me …": a sentence that opens with "da" and a first-person present verb
/// within three words ("Da još jednom pogledam logove", "Da provjerim").
fn hortative_bs(text: &str) -> bool {
    text.split(['.', '!', '?', '\n']).any(|sentence| {
        let mut words = sentence.split_whitespace();
        words.next() == Some("da")
            && words.take(3).any(|w| {
                w.len() > 4 && ["im", "em", "am"].iter().any(|e| w.ends_with(e))
            })
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
