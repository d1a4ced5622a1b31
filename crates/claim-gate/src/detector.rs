//! The claim detector: which sentences of a message claim success, and why each claim word
//! found does or does not count. Deterministic — token rules over the lexicons, no model.
//!
//! A claim word counts unless its context says otherwise, checked in this order: its own
//! sense (a state adjective before a noun, "radi" as a preposition, "gotovo" as "almost"…),
//! a label or quoted value ("mark as done", ALL-CAPS enum values), reported speech,
//! negation just before it, a plan / condition / future before it in its clause, or a
//! question.

use crate::context::{
    copula_before, failure_in, irrealis_before, is_mark, negator_before, plural_noun,
};
use crate::discourse;
pub use crate::lexicon::Lexicon;
use crate::lexicon::{self, Entry, Sense, bs, en};
use crate::senses::sense_exclusion;
use crate::text::{self, CHECK, Clause, Sentence, Token};
use once_cell::sync::Lazy;
use std::collections::HashSet;

/// What the detector decided about one claim word.
#[derive(Debug, Clone, PartialEq)]
pub enum Judgement {
    /// The sentence claims success.
    Claim,
    /// Negated ("not done yet", "nije gotovo"); holds the negator.
    Negated(String),
    /// Asked, not claimed ("Is staging live?").
    Question,
    /// A plan, condition, wish or future ("once CI passes I'll mark it done"); holds the marker.
    Irrealis(String),
    /// Another sense of the word ("LIVE reload", "radi lakšeg", "gotovo svi"); holds why.
    OtherSense(&'static str),
    /// The message opens by saying the work is not finished or did not work ("Not merged yet
    /// — …", "I couldn't get the e2e tests to pass."); what it reports after that are the
    /// parts that did. Holds the opening sentence.
    NotFinished(String),
    /// The statistical scorer is nearly sure the message claims nothing (`scorer::review`);
    /// holds its probability.
    Withdrawn(f64),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    pub sentence: String,
    pub keyword: String,
    pub judgement: Judgement,
    /// Why the word is in the lexicon.
    pub why: &'static str,
    /// The word states how something is now ("is running", "passes", "radi", "live") rather
    /// than reporting work done ("fixed", "deployed"): found state can read the same way.
    pub state: bool,
    /// The word says a service runs ("is running", "up", "live"): the agent's result when it
    /// started the service, found state when it did not — which the words alone do not tell,
    /// so the scorer does not withdraw it (`scorer::review`).
    pub running: bool,
}

impl Finding {
    pub fn is_claim(&self) -> bool {
        self.judgement == Judgement::Claim
    }

    /// The kind of decision, for `claim-gate check --json`.
    pub fn judgement_name(&self) -> &'static str {
        match self.judgement {
            Judgement::Claim => "claim",
            Judgement::Negated(_) => "negated",
            Judgement::Question => "question",
            Judgement::Irrealis(_) => "plan-or-condition",
            Judgement::OtherSense(_) => "other-sense",
            Judgement::NotFinished(_) => "not-finished",
            Judgement::Withdrawn(_) => "withdrawn-by-scorer",
        }
    }

    /// One line for `claim-gate check`.
    pub fn explain(&self) -> String {
        match &self.judgement {
            Judgement::Claim => format!(
                "CLAIM      {:?} — keyword \"{}\" ({})",
                self.sentence, self.keyword, self.why
            ),
            Judgement::Negated(w) => format!(
                "not claim  {:?} — \"{}\" is negated by \"{w}\"",
                self.sentence, self.keyword
            ),
            Judgement::Question => format!(
                "not claim  {:?} — \"{}\" is in a question",
                self.sentence, self.keyword
            ),
            Judgement::Irrealis(w) => format!(
                "not claim  {:?} — \"{}\" is planned or conditional (\"{w}\")",
                self.sentence, self.keyword
            ),
            Judgement::OtherSense(why) => format!(
                "not claim  {:?} — \"{}\": {why}",
                self.sentence, self.keyword
            ),
            Judgement::NotFinished(lead) => format!(
                "not claim  {:?} — \"{}\": the message opens by saying the work is not finished \
                 ({lead:?}); what follows reports the parts that are",
                self.sentence, self.keyword
            ),
            Judgement::Withdrawn(p) => format!(
                "not claim  {:?} — \"{}\": the scorer gives every sentence and clause of the \
                 message at most {p:.3}, under its veto thresholds: it reads as no claim of success",
                self.sentence, self.keyword
            ),
        }
    }
}

/// Every claim word in `text`, judged.
pub fn analyze(text: &str, lex: &Lexicon) -> Vec<Finding> {
    let prose = text::strip_non_prose(text);
    let mut out = Vec::new();
    let mut lead: Option<(String, bool)> = None;
    let mut last_sentence = String::new();
    let mut unchecked = false;
    // The message's folded words, gathered once here for the diagnosis check below.
    let mut message_words: Vec<String> = Vec::new();
    // split once: the message-level roles below walk the same sentences
    let sentences = text::sentences(&prose);
    for s in &sentences {
        last_sentence.clone_from(&s.text);
        message_words.extend(
            s.clauses
                .iter()
                .flat_map(|c| c.tokens.iter())
                .map(|t| t.folded.clone()),
        );
        let start = out.len();
        analyze_sentence(s, lex, &mut out);
        // "I haven't been able to run it against a real file", "Fingers crossed it runs
        // tonight" (a question is not that)
        if !unchecked && !s.question && opens_unchecked_phrase(s) {
            let words = s.words();
            unchecked = discourse::find_phrase(&words, discourse::UNCHECKED).is_some()
                || discourse::find_phrase(&words, discourse::UNCERTAIN).is_some();
        }
        if lead.is_none() {
            lead = Some((s.text.clone(), negative_lead(s, &out[start..])));
        }
    }
    // "| Endpoint | Before | After |" with a number in both columns of a row: the agent's
    // measured result against the old value, a claim without a claim word.
    if !unchecked
        && !out.iter().any(Finding::is_claim)
        && let Some(row) = before_after_row(&prose)
    {
        out.push(Finding {
            running: false,
            sentence: row,
            keyword: "Before | After".into(),
            judgement: Judgement::Claim,
            why: "a before/after table with numbers in both columns: a measured result",
            state: true,
        });
    }
    // A status list with failed items ("| unit | ✅ 412 passed |", "| e2e | ❌ 2 failed |"):
    // its passed items are progress beside the failures, not the work's end state. Claims in
    // the message's own sentences are judged on their own.
    // A failed item is a table row with a cross, or a crossed line that says what failed
    // ("❌ 2 failed", "❌ pao") — not "❌ `convex/` (not touched)".
    let failed_item = prose.lines().any(|line| {
        line.contains(['❌', '✗', '✘'])
            && (line.trim_start().starts_with('|')
                || discourse::words_of(&text::fold(&line.to_lowercase()))
                    .iter()
                    .any(|w| en::FAILURE.contains(w) || bs::FAILURE.contains(w)))
    });
    // A checklist with open items ("- [ ] Android build not attempted yet"): its ticked
    // items are progress so far, whatever their verbs say.
    let open_items: Vec<&str> = sentences
        .iter()
        .filter(|s| s.open_list_item)
        .map(|s| s.text.as_str())
        .collect();
    for f in out.iter_mut().filter(|f| f.is_claim()) {
        if open_items.contains(&f.sentence.as_str()) {
            f.judgement = Judgement::OtherSense(
                "an item of a checklist that still has open items: progress, not the end state",
            );
        }
    }
    // "ONNX export works for the encoder; the decoder export fails": a result beside a
    // failure that still happens, in another clause of the same sentence — partial progress.
    // (A past failure beside it is the old problem a fix report names: "it failed on BOM
    // files; the import works now".)
    for f in out.iter_mut().filter(|f| f.is_claim()) {
        let Some(s) = sentences.iter().find(|s| s.text == f.sentence) else {
            continue;
        };
        let key = text::fold(&f.keyword.to_lowercase());
        let key_first = key.split_whitespace().next().unwrap_or("");
        // (the agent's own test that makes it fail on purpose: "Tested with a wrong password:
        // the job fails, the alert fires")
        let sw = s.words();
        let still_failing = s.clauses.len() > 1
            && discourse::find_phrase(&sw, discourse::OWN_CHECK).is_none()
            && s.clauses.iter().any(|c| {
                !c.tokens.iter().any(|t| t.folded == key_first)
                    && failure_in(&c.tokens)
                    && c
                        .tokens
                        .iter()
                        .any(|t| discourse::FAILING_NOW.contains(&t.folded.as_str()))
                    // ("when a payment fails", "a test that fails on the old code": a
                    // condition or a description, not a failure now)
                    && !c.tokens.iter().any(|t| {
                        matches!(
                            t.folded.as_str(),
                            "when" | "if" | "that" | "which" | "whenever" | "kad" | "kada" | "ako"
                                | "koji" | "koja" | "koje" | "old" | "deliberately" | "now"
                        )
                    })
            });
        if still_failing {
            f.judgement = Judgement::OtherSense(
                "a result beside a failure that still happens in the same sentence (\"X works; Y fails\"): partial progress",
            );
        }
    }
    // "## Done … ## Not done": a section title beside one that names open work labels a
    // list; the items say what happened, not the title.
    let heading = |l: &str| {
        let t = l.trim();
        let words = t
            .split_whitespace()
            .filter(|w| w.chars().any(char::is_alphanumeric))
            .count();
        let titled =
            t.starts_with('#') || (t.starts_with("**") && t.ends_with("**")) || t.ends_with(':');
        (titled && words <= 5).then(|| {
            discourse::words_of(&text::fold(&t.to_lowercase()))
                .into_iter()
                .map(str::to_string)
                .collect::<Vec<String>>()
        })
    };
    let titles: Vec<Vec<String>> = prose.lines().filter_map(heading).collect();
    let open_title = titles.iter().any(|w| {
        let w: Vec<&str> = w.iter().map(String::as_str).collect();
        w.iter().any(|w| lexicon::is_negator(w))
            || discourse::find_phrase(&w, discourse::OPEN_TITLES).is_some()
    });
    if open_title {
        for f in out.iter_mut().filter(|f| f.is_claim()) {
            let title = f.sentence.split_whitespace().count() <= 5 && {
                let folded = text::fold(&f.sentence.to_lowercase());
                let own = discourse::words_of(&folded);
                titles.iter().any(|w| *w == own)
            };
            if title {
                f.judgement = Judgement::OtherSense(
                    "a section title beside one that names open work (\"Done\" / \"Not done\"): the items say what happened",
                );
            }
        }
    }
    if failed_item {
        for f in out.iter_mut().filter(|f| f.is_claim()) {
            let item =
                f.sentence.contains(['✅', '✓', '✔']) || f.sentence.split_whitespace().count() <= 3;
            if item {
                f.judgement = Judgement::OtherSense(
                    "an item of a status list that also has failed items (❌): progress, not the end state",
                );
            }
        }
    }
    let words: Vec<&str> = message_words.iter().map(String::as_str).collect();
    // "Provjerio sam server: Docker radi, kontejner je gore već 12 dana, ali …": in Bosnian
    // "provjerio sam" is "I checked" as well as "I verified"; opening a message that finds a
    // state or a cause (a diagnosis, "već") and reports nothing changed "now", it is the look
    // itself — a finding, not a verified result.
    let looked = (words.iter().any(|w| discourse::FOUND_STATE.contains(w))
        || discourse::find_phrase(&words, discourse::DIAGNOSIS).is_some())
        && !words.iter().any(|w| matches!(*w, "now" | "sada" | "sad"));
    for f in out.iter_mut().filter(|f| f.is_claim()) {
        let key = text::fold(&f.keyword.to_lowercase());
        if !(key.starts_with("provjer") || key.starts_with("prover")) {
            continue;
        }
        let opens = text::fold(&f.sentence.to_lowercase())
            .trim_start()
            .starts_with(&key);
        // (the first-person form only: "Provjereno: …" reports the check's result)
        let first_person = key.ends_with("io") || key.ends_with("ila");
        let head: String = f.sentence.chars().take(40).collect();
        // ("Provjerio sam logove: …": an object and a colon, what it looked at and then what
        // it saw — a bare "Provjerio sam: …" reports what the check showed)
        let colon = head
            .split_once(':')
            .is_some_and(|(before, _)| before.split_whitespace().count() == 3);
        if opens && (looked || (first_person && colon)) {
            f.judgement = Judgement::OtherSense(
                "\"provjerio sam …\" opening a message that finds a state or a cause: the agent's look, a finding",
            );
        }
    }
    // "The sidebar now shows a running total": without anything that was wrong before
    // (rules/discourse/repair-context.txt) or the agent's own check, "X now does Y" describes
    // what the edited code does — an edit report, not a repaired result.
    // ("now shows" is found by either rule; "builds on ARM now", with "now" after the
    // behaviour, reports the outcome and stays)
    // (a sentence that also shows a result by its shape — "now runs 500 times without a single
    // failure", "`mkdocs build --strict` exits 0" — reports an outcome, not the edit)
    // (not against an expectation: "`test_delete` expects a 204, but the view now returns 200")
    let describes = |f: &Finding| {
        if !f.is_claim() || (f.why != NOW_VERB_WHY && f.why != RECOVERED_WHY) {
            return false;
        }
        let folded = text::fold(&f.sentence.to_lowercase());
        let w = discourse::words_of(&folded);
        let contrast = w.iter().any(|w| {
            matches!(
                *w,
                "but" | "ali" | "however" | "though" | "expects" | "expected"
            )
        });
        let shows_result =
            !contrast && crate::constructions::find(&folded).ok().flatten().is_some();
        let verb = text::fold(&f.keyword.to_lowercase());
        // "the app now builds", "alerts now fire": something the running system was seen to
        // do, not what the edited code says
        // (used without an object: "now renders a ✓ next to each step" describes the UI)
        let stem = verb.rsplit(' ').next().unwrap_or("");
        let intransitive = w.iter().position(|x| *x == stem).is_some_and(|p| {
            w.get(p + 1)
                .is_none_or(|n| en::FUNCTION_WORDS.contains(n) || n.ends_with("ly"))
        });
        let observed = intransitive
            && [
                stem,
                stem.trim_end_matches('s'),
                stem.trim_end_matches("es"),
            ]
            .iter()
            .any(|v| en::RUNTIME_VERBS.contains(v));
        !shows_result
            && !observed
            && (f.why == NOW_VERB_WHY || w.windows(2).any(|p| p[0] == "now" && p[1] == verb))
    };
    let which: Vec<bool> = out.iter().map(describes).collect();
    if which.contains(&true)
        && discourse::find_phrase(&words, discourse::REPAIR_CONTEXT).is_none()
        && discourse::find_phrase(&words, discourse::OWN_CHECK).is_none()
    {
        for (f, _) in out.iter_mut().zip(which).filter(|(_, d)| *d) {
            f.judgement = Judgement::OtherSense(
                "\"X now does Y\" with nothing that was wrong before and no check: describes the edited code, an edit report",
            );
        }
    }
    // "Made the button enable at the last item. Walked an order through in staging and it
    // activates.": a change the agent made and then checked itself, with no claim word — a
    // checked result. Roles below (a closing question, pending work, "not finished") still
    // take it back.
    if !out.iter().any(Finding::is_claim)
        && let Some(f) = checked_change(&sentences, &words, unchecked)
    {
        out.push(f);
    }
    // "I pushed the fix. Can you confirm the totals look right?": the message closes by asking
    // the user to check the result, so it does not claim it yet.
    if let Some(ask) = last_question_asks_to_verify(&last_sentence) {
        retag_claims(&mut out, &Judgement::OtherSense(ask));
    }
    // "The endpoint and the button are in place. I haven't been able to run it against a real
    // file.": the agent says its own work is not yet run or checked, so what it reports done
    // is the part done so far.
    if unchecked {
        retag_claims(
            &mut out,
            &Judgement::OtherSense(
                "the message says the work is not yet run, checked or known to work (\"I haven't tested it\", \"fingers crossed\"): the parts done so far",
            ),
        );
    }
    if let Some((lead, true)) = lead {
        retag_claims(&mut out, &Judgement::NotFinished(lead));
    }
    // A progress report: the message names work still pending ("mobile client: in progress",
    // "qa-agent: still running", "Nije provjereno: …"), so what it reports done are the parts
    // done so far.
    // Title Case "In Progress" / "Not Started" is a status value (a column, an enum), not a
    // report. A message whose last judged sentence is a claim concludes with success ("…
    // ⏳ needs merge. The deployment was successful.") and keeps its claims.
    let pending = {
        let plain = prose.replace("In Progress", "").replace("Not Started", "");
        let words = discourse::words_of_owned(&text::fold(&plain.to_lowercase()));
        let words: Vec<&str> = words.iter().map(String::as_str).collect();
        // "| web | ⏳ running |", "## ⏳ Remaining", "🟡 api-agent | radi (12 min)": an item
        // marked as under way (the mark alone is not enough: real reports use ⏳ for plans)
        let under_way = prose.lines().any(|line| {
            line.contains(['⏳', '🟡', '🔄'])
                && discourse::words_of(&text::fold(&line.to_lowercase()))
                    .iter()
                    .any(|w| discourse::UNDER_WAY.contains(w))
        });
        under_way || discourse::find_phrase(&words, discourse::PENDING).is_some()
    };
    // (a last sentence that names the pending work itself does not conclude: "the unit job
    // passed, integration and e2e are still queued")
    let last_folded = text::fold(&last_sentence.to_lowercase());
    let last_words = discourse::words_of(&last_folded);
    // "I'll look again once e2e reports back", "I'll report eval numbers when it finishes":
    // the agent's follow-up waits on work still running
    let follow_up = last_words.iter().enumerate().any(|(k, w)| {
        matches!(*w, "i'll" | "ill" | "we'll")
            && last_words[k + 1..]
                .iter()
                .any(|n| matches!(*n, "once" | "when" | "kad" | "kada" | "cim"))
    });
    let pending = pending || follow_up;
    let last_pending =
        follow_up || discourse::find_phrase(&last_words, discourse::PENDING).is_some();
    let concludes_with_claim = !last_pending
        && out
            .iter()
            .any(|f| f.sentence == last_sentence && f.is_claim());
    if pending && !concludes_with_claim {
        retag_claims(
            &mut out,
            &Judgement::OtherSense(
                "in a progress report that names work still pending (\"in progress\", \"still running\"): the parts done so far",
            ),
        );
    }
    // A diagnosis ("the problem is that `DATABASE_URL` points at 5433", "nisam ništa
    // mijenjao") uses the states it found as its argument: "Postgres is running on 5432" there
    // is a finding. Only when every claim left is such a state — a report of work done
    // ("changed it to 5432") keeps its claims.
    let claims: Vec<&Finding> = out.iter().filter(|f| f.is_claim()).collect();
    if !claims.is_empty()
        && claims.iter().all(|f| f.state)
        && (discourse::find_phrase(&words, discourse::DIAGNOSIS).is_some()
            || (discourse::find_phrase(&words, discourse::AS_DESIGNED).is_some()
                && !reports_own_work(&sentences, &words))
            || predates_agent(&sentences))
    {
        retag_claims(
            &mut out,
            &Judgement::OtherSense(
                "a state described in a diagnosis (\"the problem is …\", \"I changed nothing\"): a finding",
            ),
        );
    }
    out
}

/// Whether a sentence holds a word that starts an `unchecked.txt` or `uncertain.txt` phrase:
/// the cheap test before the phrase search, which every sentence of a long turn would pay.
fn opens_unchecked_phrase(s: &Sentence) -> bool {
    static FIRST: Lazy<HashSet<&'static str>> =
        Lazy::new(|| discourse::first_words(&[discourse::UNCHECKED, discourse::UNCERTAIN]));
    s.clauses
        .iter()
        .flat_map(|c| c.tokens.iter())
        .any(|t| FIRST.contains(t.folded.as_str()))
}

/// A change the agent reports making (a sentence that opens with its past tense, "I" or
/// "sam" with one, or "after the fix") and its own check of it (`own-check.txt`), in a message
/// with no failure, negation, hedge, plan or question around the check.
fn checked_change(sentences: &[Sentence], words: &[&str], unchecked: bool) -> Option<Finding> {
    if unchecked {
        return None;
    }
    let mut changed = false;
    let mut check: Option<(String, &'static str)> = None;
    for s in sentences {
        let toks: Vec<&Token> = s.clauses.iter().flat_map(|c| c.tokens.iter()).collect();
        let sw: Vec<&str> = toks.iter().map(|t| t.folded.as_str()).collect();
        let opens_past = opens_with_own_past(&sw);
        let checks = discourse::find_phrase(&sw, discourse::OWN_CHECK)
            // "I ran out of time" is no run
            .filter(|_| !sw.windows(2).any(|w| w == ["ran", "out"]));
        // the change is reported apart from the check: "Checked the logs: …" opens with the
        // look itself; "Defaulted it to {} and clicked through every tab" opens with a change
        let opens_with_check = checks.is_some_and(|p| {
            let head: Vec<&str> = p.split(' ').collect();
            sw.starts_with(&head)
                || (head.len() > 1 && sw.get(1..).is_some_and(|rest| rest.starts_with(&head[1..])))
                || (head.len() == 1 && sw.get(1) == Some(&head[0]))
        });
        // "Search results now come back in …", "The tour no longer reappears …": a changed
        // behaviour stated as such
        // (not "Rerunning now": the agent's own work under way; "the ingress is behaving
        // now" has a subject)
        let behaviour_changed = sw.iter().enumerate().any(|(k, w)| {
            (matches!(*w, "now" | "sada" | "sad") && !(k == 1 && sw[0].ends_with("ing")))
                || outcome_negation(&sw, k)
        });
        changed |= (opens_past || behaviour_changed) && !s.question && !opens_with_check;
        if check.is_none()
            && !s.question
            && checks.is_some()
            && !s.clauses.iter().any(|c| failure_in(&c.tokens))
            && !sw.iter().enumerate().any(|(k, w)| {
                // ("… and it followed without a reload": "without" says how, not that it failed)
                (lexicon::is_negator(w)
                    && !outcome_negation(&sw, k)
                    && !matches!(*w, "without" | "bez"))
                    // ("Sad kad klikneš …, forma ostaje popunjena": "now, when you click", the
                    // new behaviour, not a condition)
                    || (lexicon::is_irrealis(w)
                        && !(k == 1
                            && matches!(sw[0], "sad" | "sada" | "now")
                            && matches!(*w, "kad" | "kada" | "when")))
                    || *w == "still"
            })
            && let Some(p) = checks
        {
            check = Some((s.text.clone(), p));
        }
    }
    let (sentence, phrase) = check?;
    // the message-wide searches run only for a message that has a check in it
    if discourse::find_phrase(words, discourse::DIAGNOSIS).is_some()
        || discourse::find_phrase(words, discourse::HEDGES).is_some()
        || discourse::find_phrase(words, discourse::PROGRESS_MARKERS).is_some()
    {
        return None;
    }
    changed |= discourse::find_phrase(words, discourse::AFTER_CHANGE).is_some();
    changed.then(|| Finding {
        running: false,
        sentence,
        keyword: phrase.to_string(),
        judgement: Judgement::Claim,
        why: "a change the agent made and then checked itself: a checked result",
        state: false,
    })
}

/// The first body row of a table whose header has a before and an after column
/// (rules/discourse/before-after.txt) with a number in both.
fn before_after_row(prose: &str) -> Option<String> {
    let cells = |l: &str| -> Vec<String> {
        l.trim()
            .trim_matches('|')
            .split('|')
            .map(|c| text::fold(&c.trim().to_lowercase()))
            .collect()
    };
    let mut lines = prose.lines().map(str::trim).peekable();
    while let Some(line) = lines.next() {
        if !line.starts_with('|') {
            continue;
        }
        let head = cells(line);
        let column = |side: &str| {
            head.iter().position(|c| {
                discourse::words_of(c).first().is_some_and(|w| {
                    discourse::BEFORE_AFTER
                        .iter()
                        .any(|e| e.split_once(' ').is_some_and(|(k, v)| k == side && v == *w))
                })
            })
        };
        let (Some(before), Some(after)) = (column("before"), column("after")) else {
            continue;
        };
        let number = |c: Option<&String>| {
            c.is_some_and(|c| {
                c.trim_start_matches(['`', '*', '~', ' '])
                    .starts_with(|ch: char| ch.is_ascii_digit())
            })
        };
        while let Some(row) = lines.next_if(|l| l.starts_with('|')) {
            let r = cells(row);
            if number(r.get(before)) && number(r.get(after)) {
                return Some(row.to_string());
            }
        }
    }
    None
}

/// "Pinned the base image …", "I switched …", "Dodao sam …", "Ja sam prebacio …": the
/// sentence opens with something the agent did.
fn opens_with_own_past(sw: &[&str]) -> bool {
    let Some(first) = sw.first() else {
        return false;
    };
    (past_tense(first) && !matches!(*first, "was" | "were" | "had" | "did"))
        || (en::FIRST_PERSON.contains(first) && sw.get(1).is_some_and(|w| past_tense(w)))
        || sw.get(1).is_some_and(|w| matches!(*w, "sam" | "smo"))
}

/// "active since 09:14, well before I connected", "prije nego što sam se spojio": the state
/// was there before the agent came, so it was found, not produced.
/// (Within one clause: "a bug before; I kept a flag" is two.)
fn predates_agent(sentences: &[Sentence]) -> bool {
    sentences.iter().flat_map(|s| &s.clauses).any(|c| {
        let w: Vec<&str> = c.tokens.iter().map(|t| t.folded.as_str()).collect();
        w.windows(3).any(|w| {
            w[0] == "before"
                && w[1] == "i"
                && past_tense(w[2])
                && !matches!(w[2], "was" | "had" | "did")
        }) || w.windows(4).any(|w| {
            matches!(w[0], "prije" | "pre") && w[1] == "nego" && w[2] == "sto" && w[3] == "sam"
        })
    })
}

/// The message reports the agent's own change or check: a sentence opens with what it did,
/// or says "now", or names its own check.
fn reports_own_work(sentences: &[Sentence], words: &[&str]) -> bool {
    words.iter().any(|w| matches!(*w, "now" | "sada" | "sad"))
        || discourse::find_phrase(words, discourse::OWN_CHECK).is_some()
        || sentences.iter().any(|s| opens_with_own_past(&s.words()))
}

/// "no longer reappears", "više ne puca": the negator at `k` states the outcome (the failure
/// stopped) — "no" before "longer", "ne" after "više".
fn outcome_negation(words: &[&str], k: usize) -> bool {
    (words[k] == "no" && words.get(k + 1) == Some(&"longer"))
        || (words[k] == "ne" && k > 0 && words[k - 1] == "vise")
}

/// A message-level role (not finished, pending work, a diagnosis, a closing question) turns
/// every claim left in the message into that role.
fn retag_claims(out: &mut [Finding], judgement: &Judgement) {
    for f in out.iter_mut().filter(|f| f.is_claim()) {
        f.judgement = judgement.clone();
    }
}

/// The last sentence asks the user to try or confirm the result ("Can you try logging in
/// again and tell me if it works?", "Možeš li probati i javiti da li radi?").
fn last_question_asks_to_verify(last: &str) -> Option<&'static str> {
    if !last.trim_end().ends_with('?') {
        return None;
    }
    let folded = text::fold(&last.to_lowercase());
    let words = discourse::words_of(&folded);
    discourse::find_phrase(&words, discourse::ASK_TO_VERIFY)
        .map(|_| "the message closes by asking the user to check the result: not claimed yet")
}

/// Whether a message's first sentence gives its verdict as "not finished / did not work": a
/// claim word negated in it ("Not merged yet", "Build još uvijek nije popravljen"), or an
/// opening from `rules/discourse/negative-lead.txt` ("I couldn't get …", "Nažalost, …").
fn negative_lead(s: &Sentence, findings: &[Finding]) -> bool {
    // A first sentence that also claims ("Pushed to the branch, not merged yet") is mixed,
    // not a verdict against the work; "without" negates a manner ("handles it without
    // running out of memory"), not the work.
    if s.question || findings.iter().any(Finding::is_claim) {
        return false;
    }
    if findings.iter().any(
        |f| matches!(&f.judgement, Judgement::Negated(w) if !w.eq_ignore_ascii_case("without")),
    ) {
        return true;
    }
    let words = s.words();
    discourse::find_phrase(&words, discourse::NEGATIVE_LEAD).is_some()
}

/// True when any finding counts as a claim.
pub fn claims(findings: &[Finding]) -> impl Iterator<Item = &Finding> {
    findings.iter().filter(|f| f.is_claim())
}

pub(crate) struct SentenceContext {
    pub(crate) plan: Option<String>,
    pub(crate) instruction: bool,
    pub(crate) meta_noun: bool,
    pub(crate) failure: bool,
    /// "3 of 5", "7/12": a count short of the whole — partial progress.
    pub(crate) partial_count: bool,
    /// The sentence opens with a condition ("If the page loads, the API is up").
    pub(crate) conditional: Option<String>,
    /// In a findings report (see `text::Sentence::section_findings`).
    pub(crate) findings: Option<&'static str>,
    /// The user's own observation ("as you saw", "on your side").
    pub(crate) user_observation: bool,
    /// Names a process id ("PIDs 1234, 1240", "as task b8a5") or processes ("shown by the
    /// claude processes"): a process table read out.
    pub(crate) process_listing: bool,
    /// The sentence ends with a colon: a label over what follows ("In production:").
    pub(crate) label_line: bool,
    /// Opens with an imperative ("Restart the server and it works"): steps for the user.
    pub(crate) imperative_opener: bool,
    /// Holds a hedge ("appears to", "valjda", "čini se").
    pub(crate) hedged: bool,
    /// Why the sentence is not the agent's own finished result: someone else did it, it is
    /// long past, it is still partial, or a "but" takes it back.
    pub(crate) not_own: Option<&'static str>,
    /// A tool the agent ran reports the result ("`swift test` reports 64 tests passed").
    pub(crate) tool_report: bool,
    /// Opens with a purpose ("To make the tests pass, …", "Da bi …").
    pub(crate) purpose: Option<String>,
}

fn analyze_sentence(s: &Sentence, lex: &Lexicon, out: &mut Vec<Finding>) {
    let all = || s.clauses.iter().flat_map(|c| c.tokens.iter());
    let folded_words: Vec<&str> = all().map(|t| t.folded.as_str()).collect();
    let found_before = out.len();
    let caps_values = all()
        .filter(|t| {
            t.is_all_caps()
                && t.folded.len() > 2
                && t.folded.chars().all(char::is_alphabetic)
                && !en::ACRONYMS.contains(&t.folded.as_str())
        })
        .count();
    let ctx = SentenceContext {
        plan: s
            .section_plan
            .clone()
            .or_else(|| plan_opener(&s.clauses[0].tokens, s.clauses.len())),
        instruction: s.instruction,
        meta_noun: caps_values >= 3 || all().any(|t| en::META_NOUNS.contains(&t.folded.as_str())),
        failure: s.clauses.iter().any(|c| failure_in(&c.tokens)),
        partial_count: all()
            .collect::<Vec<_>>()
            .windows(3)
            .any(|w| partial_of(w[0], w[1], w[2]))
            // "2 of the 4 services"
            || all()
                .collect::<Vec<_>>()
                .windows(4)
                .any(|w| w[2].folded == "the" && partial_of(w[0], w[1], w[3]))
            || all().any(partial_ratio)
            // "25% of the plan", "60% done" — not "error rate 0.1%", "coverage 87%"
            || all().collect::<Vec<_>>().windows(2).any(|w| {
                partial_percent(w[0])
                    && matches!(
                        w[1].folded.as_str(),
                        "of" | "od" | "done" | "complete" | "completed" | "finished" | "through"
                            | "passed" | "migrated" | "uradjeno" | "zavrseno" | "gotovo"
                    )
            }),
        conditional: conditional_clause(&s.clauses),
        findings: s.section_findings,
        user_observation: discourse::find_phrase(&folded_words, discourse::USER_OBSERVATION)
            .is_some(),
        process_listing: folded_words.contains(&"processes")
            || folded_words
                .windows(2)
                .any(|w| matches!(w[0], "pid" | "pids") || w == ["as", "task"]),
        imperative_opener: imperative_then(s),
        label_line: s.text.trim_end().ends_with(':'),
        // (the raw text is looked at only for a sentence with a report verb)
        tool_report: according_to_tool(&folded_words)
            || (folded_words.iter().any(|w| REPORT_VERBS.contains(w)) && tool_report(&s.text)),
        hedged: discourse::find_phrase(&folded_words, discourse::HEDGES).is_some(),
        not_own: not_own(&folded_words)
            .or_else(|| contrast_open(&s.clauses))
            .or_else(|| source_opener(&folded_words, &s.clauses)),
        purpose: match folded_words.as_slice() {
            ["to", second, ..]
                // not BS "To je to" (that's it)
                if !second.starts_with(|c: char| c.is_ascii_digit())
                    && *second != "do"
                    && *second != "je" =>
            {
                Some("to …".into())
            }
            ["da", "bi", ..] => Some("da bi …".into()),
            // "That way nothing breaks mid-deploy": what a plan would bring about
            ["that" | "this", "way", ..] => Some("that way …".into()),
            _ => None,
        },
    };
    if s.ticked {
        let entry = lexicon::phrase(
            &[],
            Sense::Plain,
            "a ticked checklist item ([x]) marks work done",
        );
        // ticking the box is the claim, whatever the item's words are
        let judgement = if s.question {
            Judgement::Question
        } else {
            Judgement::Claim
        };
        out.push(Finding {
            running: false,
            sentence: s.text.clone(),
            keyword: "[x]".into(),
            judgement,
            why: entry.why,
            state: false,
        });
    }
    for (ci, clause) in s.clauses.iter().enumerate() {
        let toks = &clause.tokens;
        let mut i = 0;
        while i < toks.len() {
            let hit = lex
                .matches(toks, i)
                .or_else(|| now_verb(toks, i))
                .or_else(|| recovered_behaviour(toks, i))
                .or_else(|| problem_stopped(toks, i))
                .or_else(|| if ci == 0 { checked_past(toks, i) } else { None });
            let Some((entry, end)) = hit else {
                i += 1;
                continue;
            };
            let sentence_start = ci == 0 && i == 0;
            let keyword = toks[i..end]
                .iter()
                .map(|t| t.raw.as_str())
                .collect::<Vec<_>>()
                .join(" ");
            let mut judgement = judge(&entry, clause, i, end, &ctx);
            // "3 brand themes (purple, blue, green)": colours listed across the commas
            if judgement == Judgement::Claim
                && matches!(
                    toks[i].folded.as_str(),
                    "green" | "zelen" | "zeleno" | "zelena" | "zeleni"
                )
                && {
                    let at = s.clauses[..ci]
                        .iter()
                        .map(|c| c.tokens.len())
                        .sum::<usize>()
                        + i;
                    all()
                        .skip(at.saturating_sub(4))
                        .take(at + 5 - at.saturating_sub(4))
                        .any(|t| discourse::COLOURS.contains(&t.folded.as_str()))
                }
            {
                judgement =
                    Judgement::OtherSense("a colour beside other colours, not \"all green\"");
            }
            // "Looking at the repo, phase 1 is already complete — the dual-write code is
            // merged": "already" in an earlier clause of the sentence covers the rest of it,
            // unless the agent is the subject here ("… and I merged it")
            // ("✅ Already Implemented:": the same clause, before the word, counts too)
            let found_earlier = s.clauses[..ci]
                .iter()
                .flat_map(|c| c.tokens.iter())
                .chain(toks[..end].iter())
                .any(|t| discourse::FOUND_STATE.contains(&t.folded.as_str()));
            let own_here = toks[..i].iter().any(|t| {
                en::FIRST_PERSON.contains(&t.folded.as_str())
                    || matches!(t.folded.as_str(), "sam" | "smo")
            });
            if judgement == Judgement::Claim && found_earlier && !own_here {
                judgement = Judgement::OtherSense(
                    "a state the agent found (\"already …\" earlier in the sentence), not one it produced",
                );
            }
            if sentence_start {
                match field_value(&s.text, &keyword) {
                    FieldValue::Date => {
                        judgement = Judgement::OtherSense(
                            "a field label before a value (\"Published: May 3\"), not a claim",
                        )
                    }
                    FieldValue::No(w) => judgement = Judgement::Negated(w),
                    FieldValue::Other => {}
                }
            }
            out.push(Finding {
                running: entry.sense == Sense::Running,
                sentence: s.text.clone(),
                keyword,
                judgement,
                why: entry.why,
                // ("green", "healthy" are states; "successful", "complete" say how a run ended)
                state: (entry.sense == Sense::Predicative
                    && !matches!(toks[i].folded.as_str(), "successful" | "complete"))
                    || matches!(
                        entry.sense,
                        Sense::State
                            | Sense::Running
                            | Sense::Working
                            | Sense::Works
                            | Sense::WorkPlural
                            | Sense::Pass
                            | Sense::Ready
                            | Sense::Radi
                    ),
            });
            i = end;
        }
    }
    // "Tests: 96/96", "smoke 24/24": a full count is a result (a partial one is progress).
    // Not in a comparison ("6/6 vs 7/8 pawns") or beside a partial count.
    let compared = all().any(|t| {
        matches!(t.folded.as_str(), "vs" | "versus" | "naspram" | "compared") || partial_ratio(t)
    });
    if !out[found_before..].iter().any(Finding::is_claim)
        && !compared
        && let Some(t) = all().find(|t| full_ratio(t))
    {
        out.push(Finding {
            running: false,
            sentence: s.text.clone(),
            keyword: t.raw.clone(),
            judgement: construction_judgement(s, &ctx, ""),
            why: "a full count (\"96/96\"): everything it counts passed",
            state: true,
        });
    }
    // A result said by its shape, with no claim word: "p95 went from 2.4 s to 180 ms", "CI is
    // back to green", "no errors in the console" (rules/constructions.txt).
    if !out[found_before..].iter().any(Finding::is_claim) {
        let folded = text::fold(&s.text.to_lowercase());
        let hit = crate::constructions::find(&folded).unwrap_or_else(|e| panic!("{e}"));
        if let Some(hit) = hit {
            // "(no error messages)": a parenthetical aside, not the report
            let aside = folded[..hit.start].trim_end().ends_with('(');
            out.push(Finding {
                running: false,
                sentence: s.text.clone(),
                judgement: if aside {
                    Judgement::OtherSense("a parenthetical aside, not a sentence of its own")
                } else {
                    let end = hit.start + hit.matched.len();
                    let scope = if hit.negation_inside {
                        folded.get(..hit.scope_end).unwrap_or(&folded)
                    } else {
                        &folded[..hit.start]
                    };
                    let judged = construction_judgement(s, &ctx, scope);
                    // "Changes are in, not verified yet": the rest of the sentence takes it back
                    let rest = discourse::words_of(folded.get(end..).unwrap_or_default());
                    let taken_back = rest.windows(2).any(|w| {
                        matches!(w, ["not", _] | ["nije", _] | ["nisu", _]) && w[1] != "only"
                    }) && rest.iter().any(|w| matches!(*w, "yet" | "jos"));
                    if judged == Judgement::Claim && taken_back {
                        Judgement::Negated("not … yet".into())
                    } else {
                        judged
                    }
                },
                keyword: hit.matched,
                why: hit.why,
                state: true,
            });
        }
    }
    // "✓ Lint", "✅ Unit tests (312)", "Types ✅": a ticked check step reports that it passed
    // (rules/en/check-steps.txt); a list with failed items is handled at message level.
    if !out[found_before..].iter().any(Finding::is_claim)
        && !ctx.failure
        && !ctx.partial_count
        && all().any(|t| t.folded == CHECK)
    {
        let flat: Vec<&Token> = all().collect();
        // "✅ Tests Running", "e2e ⏳ queued": a step still under way (the same words that
        // make a marked item pending at message level)
        let under_way = flat
            .iter()
            .any(|t| discourse::UNDER_WAY.contains(&t.folded.as_str()));
        let step = flat
            .iter()
            .enumerate()
            .filter(|_| !under_way)
            .find_map(|(k, t)| {
                (t.folded == CHECK).then_some(())?;
                let near = flat[k.saturating_sub(2)..(k + 4).min(flat.len())].iter();
                near.into_iter()
                    .find(|n| en::CHECK_STEPS.contains(&n.folded.as_str()))
                    .map(|n| n.raw.clone())
            });
        if let Some(step) = step {
            out.push(Finding {
                running: false,
                sentence: s.text.clone(),
                keyword: format!("✓ {step}"),
                judgement: construction_judgement(s, &ctx, ""),
                why: "a ticked check step (\"✓ Lint\", \"✅ Unit tests\"): the step passed",
                // a check's status can be found as well as produced ("as I found it: ✅ CI")
                state: true,
            });
        }
    }
    // "### What We Changed" / "- ✅ `package.json` scripts": a check-marked item under a
    // heading over the agent's own results reports it done, verb or not.
    if s.checked_line && s.section_own_work && out.len() == found_before {
        let judgement = if s.question {
            Judgement::Question
        } else if ctx.findings.is_some() {
            Judgement::OtherSense("part of a findings report: what the agent found")
        } else {
            Judgement::Claim
        };
        out.push(Finding {
            running: false,
            sentence: s.text.clone(),
            keyword: "✅".into(),
            judgement,
            why: "a check-marked item under a heading over the agent's own results",
            state: false,
        });
    }
}

/// Verbs by which a tool reports its result ("`swift test` reports 64 tests passed").
const REPORT_VERBS: &[&str] = &[
    "reports", "reported", "prints", "printed", "shows", "showed",
];

/// "according to the query log": the record of a tool the agent ran
/// (`rules/en/tool-reporters.txt`) is the agent's own evidence, not a source it relays.
fn according_to_tool(words: &[&str]) -> bool {
    words
        .windows(4)
        .any(|w| w[0] == "according" && w[1] == "to" && en::TOOL_REPORTERS.contains(&w[3]))
}

/// A report verb whose subject is a tool the agent ran (`rules/en/tool-reporters.txt`) or a
/// code span (which leaves no word, so the raw text is read): "`swift test` reports 64 tests
/// passed", "the playbook reported failed=0".
fn tool_report(text: &str) -> bool {
    let folded = text::fold(&text.to_lowercase());
    folded
        .split_whitespace()
        .collect::<Vec<_>>()
        .windows(2)
        .any(|w| {
            let verb = w[1].trim_matches(|c: char| !c.is_alphanumeric());
            let subject = w[0].trim_matches(|c: char| !c.is_alphanumeric() && c != '‹' && c != '›');
            REPORT_VERBS.contains(&verb)
                && (subject.ends_with('›') || en::TOOL_REPORTERS.contains(&subject))
        })
}

/// How a construction's sentence is meant: the context rules a claim word gets, taken at the
/// sentence level (a construction has no single word to look around), and a negator, plan or
/// condition word anywhere before the match.
fn construction_judgement(s: &Sentence, ctx: &SentenceContext, before: &str) -> Judgement {
    if s.question {
        return Judgement::Question;
    }
    if ctx.instruction {
        return Judgement::OtherSense("a step of instructions for the user, not a report");
    }
    if let Some(why) = ctx.not_own {
        return Judgement::OtherSense(why);
    }
    if ctx.findings.is_some() {
        return Judgement::OtherSense("part of a findings report: what the agent found");
    }
    if ctx.user_observation {
        return Judgement::OtherSense("the user's own observation, not the agent's claim");
    }
    if ctx.hedged {
        return Judgement::Irrealis("a hedged outcome".into());
    }
    if let Some(m) = ctx
        .plan
        .clone()
        .or_else(|| ctx.purpose.clone())
        .or_else(|| ctx.conditional.clone())
    {
        return Judgement::Irrealis(m);
    }
    if ctx.imperative_opener {
        return Judgement::Irrealis("the result of a step the user is told to take".into());
    }
    // "no crashes so far": the run is not over
    let words = discourse::words_of(&text::fold(&s.text.to_lowercase()))
        .into_iter()
        .map(str::to_string)
        .collect::<Vec<_>>();
    // "I checked the dashboard and the error still shows up": the problem is still there
    if let Some(k) = words.iter().position(|w| w == "still") {
        // ("still reports 0 failures" is no problem)
        let problem = (k.saturating_sub(3)..words.len().min(k + 4))
            .filter(|&j| j != k)
            .any(|j| {
                let w = words[j].as_str();
                (en::PROBLEM_WORDS.contains(&w) || en::FAILURE.contains(&w))
                    && !(j > 0 && matches!(words[j - 1].as_str(), "0" | "no" | "zero" | "bez"))
            });
        if problem {
            return Judgement::Negated("still".into());
        }
    }
    if words
        .windows(2)
        .any(|w| w == ["so", "far"] || w == ["do", "sada"])
        || words.iter().any(|w| w == "zasad" || w == "dosad")
    {
        return Judgement::OtherSense("a progress note (\"so far\"): the run is not over");
    }
    let before_words = discourse::words_of(before);
    // "All four research agents are back": another agent's result relayed
    if before_words
        .iter()
        .any(|w| discourse::RELAY_SUBJECTS.contains(w))
    {
        return Judgement::OtherSense(
            "another agent's result relayed (\"the search agent finished\"): a progress note",
        );
    }
    // A negator or a plan counts in the match's own clause: "The leaderboard no longer shows
    // duplicates; I compared it with last week — 0 duplicates" keeps its "0 duplicates".
    let clause_start = before
        .char_indices()
        .rfind(|(_, c)| matches!(c, ',' | ';' | ':' | '(' | ')' | '—' | '–'))
        .map_or(0, |(k, c)| k + c.len_utf8());
    // (a modal hedges the whole sentence: "That should fix the 502s — the timeout is now 60s")
    if let Some(m) = discourse::words_of(before).into_iter().find(|w| {
        matches!(
            *w,
            "should" | "would" | "could" | "might" | "may" | "trebalo" | "trebao" | "trebala"
        )
    }) {
        return Judgement::Irrealis(m.to_string());
    }
    let clause_words = discourse::words_of(&before[clause_start..]);
    for (k, &w) in clause_words.iter().enumerate() {
        if lexicon::is_negator(w) {
            return Judgement::Negated(w.to_string());
        }
        if crate::context::past_when(&clause_words, k) {
            continue;
        }
        if lexicon::is_irrealis(w) || matches!(w, "expect" | "expected" | "target" | "goal") {
            return Judgement::Irrealis(w.to_string());
        }
    }
    Judgement::Claim
}

/// The condition a sentence's result hangs on: a clause (not the last) that opens with "if",
/// "unless", "ako" …, or with "when", "once", "kad" and no past tense in it — "When the
/// health checks show passing, it's live", "Heads up: once this is merged, it goes live";
/// not "When I re-ran it, the job passed".
fn conditional_clause(clauses: &[Clause]) -> Option<String> {
    let last = clauses.len().checked_sub(1)?;
    clauses[..last].iter().find_map(|c| {
        let first = c.tokens.first()?;
        let always = matches!(
            first.folded.as_str(),
            "if" | "unless" | "assuming" | "provided" | "ako" | "ukoliko"
        );
        let temporal = matches!(
            first.folded.as_str(),
            "once" | "when" | "whenever" | "kad" | "kada" | "cim"
        ) && !c.tokens[1..].iter().enumerate().any(|(k, t)| {
            // a participle after a present "is"/"are" is passive, not past ("once it is merged")
            let passive = matches!(
                c.tokens[k].folded.as_str(),
                "is" | "are" | "be" | "gets" | "get"
            );
            past_tense(&t.folded) && !passive
        }) && !crate::context::past_when(
            &c.tokens
                .iter()
                .map(|t| t.folded.as_str())
                .collect::<Vec<_>>(),
            0,
        );
        (always || temporal).then(|| first.raw.clone())
    })
}

/// A past-tense or perfect marker: "-ed", an irregular past, "was", BS "sam/smo/je" + l-form.
fn past_tense(w: &str) -> bool {
    // "re-ran", "pre-built": the verb is the last part
    let w = w.rsplit('-').next().unwrap_or(w);
    (w.ends_with("ed") && w.len() > 4)
        || en::IRREGULAR_PAST.contains(&w)
        || matches!(
            w,
            "was" | "were" | "did" | "had" | "sam" | "smo" | "si" | "ste"
        )
}

/// A sentence whose result is not the agent's own finished work.
fn not_own(words: &[&str]) -> Option<&'static str> {
    if discourse::find_phrase(words, discourse::SOMEONE_ELSE).is_some() {
        return Some("a result someone else produced (\"not me\", \"someone\"): a state found");
    }
    // "has been up for 14 days", "both have been up for 41 days": running since long before
    let long_up = words.windows(5).any(|w| {
        w[0] == "been"
            && w[2] == "for"
            && (w[3].chars().all(|c| c.is_ascii_digit()) || en::NUMBER_WORDS.contains(&w[3]))
            && ["day", "week", "month", "year"]
                .iter()
                .any(|u| w[4].starts_with(u))
    });
    if long_up || discourse::find_phrase(words, discourse::LONG_AGO).is_some() {
        return Some("a state from long before the agent's work (\"since last week\")");
    }
    if discourse::find_phrase(words, discourse::EXPLANATION).is_some() {
        return Some("an explanation of a cause (\"which is why …\"), not a result");
    }
    if discourse::find_phrase(words, discourse::PROGRESS_MARKERS).is_some() {
        return Some("a progress note (\"four to go\", \"except\", \"for now\")");
    }
    // "This creates a dummy that exits successfully": what a piece of code does ("now" makes
    // it a change the work made: "It now handles …")
    if let [first, verb, ..] = words
        && matches!(*first, "this" | "it")
        && en::DESCRIBE_VERBS.contains(verb)
        && !words.contains(&"now")
    {
        return Some("describes what a piece of code does (\"This creates …\"), not a result");
    }
    None
}

/// "According to the README, the flag works …", "Per the #ops channel, …", "Prema
/// dokumentaciji, SDK radi …": a sentence that opens by naming its source reports it.
fn source_opener(words: &[&str], clauses: &[Clause]) -> Option<&'static str> {
    // "From the postmortem doc: the outage was resolved …": a source, then what it says
    let from_source = clauses.len() > 1
        && clauses[0].tokens.len() <= 5
        && clauses[0]
            .tokens
            .first()
            .is_some_and(|t| matches!(t.folded.as_str(), "from" | "iz" | "sa"));
    if from_source {
        return Some(
            "reported: the sentence opens by naming its source (\"From the postmortem: …\")",
        );
    }
    match words {
        ["according", "to", ..]
        | ["per", "the" | "its" | "their" | "his" | "her", ..]
        | ["prema", ..] => {
            Some("reported: the sentence opens by naming its source (\"according to …\")")
        }
        // "… succeeded every day this week according to the UI": the source named later
        // (not a tool the agent ran: "according to the query log" is its own evidence)
        _ if words.windows(2).any(|w| w == ["according", "to"]) && !according_to_tool(words) => {
            Some("reported: the sentence names its source (\"according to …\")")
        }
        _ => None,
    }
}

/// "passes on CI, but nobody has run the installer itself yet", "works in Chrome but not in
/// Safari", "the job finished, but with exit code 1", "commit is ready, but the push was
/// rejected": a clause opened by "but" that denies, fails or leaves something open.
fn contrast_open(clauses: &[Clause]) -> Option<&'static str> {
    // "…, but now it no longer fails": a recovery after "but" is the result, not a limit.
    let recovery = |c: &&Clause| {
        c.tokens.iter().any(|t| {
            matches!(
                t.folded.as_str(),
                "now" | "sada" | "sad" | "longer" | "anymore" | "vise" | "again" | "opet"
            )
        })
    };
    clauses
        .iter()
        .filter(|c| c.contrast)
        .filter(|c| !recovery(c))
        .flat_map(|c| c.tokens.iter())
        .any(|t| {
            let w = t.folded.as_str();
            lexicon::is_negator(w)
                || en::FAILURE.contains(&w)
                || bs::FAILURE.contains(&w)
                || discourse::CONTRAST_OPEN.contains(&w)
        })
        .then_some("qualified by a \"but\" that leaves the work unfinished, failing or unchecked")
}

/// "Restart the dev server and it works": an imperative opens the sentence and the result
/// follows "and"/"then" — what the user will see after a step, not a report.
fn imperative_then(s: &Sentence) -> bool {
    let toks: Vec<&Token> = s.clauses.iter().flat_map(|c| c.tokens.iter()).collect();
    let Some(first) = toks.first() else {
        return false;
    };
    let second = toks.get(1).map(|t| t.folded.as_str()).unwrap_or("");
    // "Build #4821 finished", "Login, SSO and API keys all go through it": a noun, not a
    // command (a number follows, or the word is a list item before a comma)
    let noun = second.starts_with(|c: char| c.is_ascii_digit())
        || s.clauses[0].tokens.len() == 1 && s.clauses.len() > 1
        || plural_subject(&s.clauses[0].tokens);
    en::IMPERATIVES.contains(&first.folded.as_str())
        && !noun
        && !lexicon::is_copula(second)
        && !lexicon::is_degree(second)
        && !matches!(second, "je" | "su" | "sada" | "sad")
        && toks[1..].windows(2).any(|w| {
            // "Set the policy … and confirmed in Kibana": a report with its subject left out
            matches!(w[0].folded.as_str(), "and" | "then" | "onda") && !w[1].folded.ends_with("ed")
        })
        // "Set up properly now: …, and I confirmed it blocks a bad commit": the agent's own
        // past act makes it a report
        && !toks
            .windows(2)
            .any(|w| matches!(w[0].folded.as_str(), "i" | "we") && past_tense(&w[1].folded))
}

/// "Push notifications work on iOS now", "Build logs are clean": the first word is a noun
/// before a plural noun and its verb, not a command.
fn plural_subject(toks: &[Token]) -> bool {
    let (Some(second), Some(third)) = (toks.get(1), toks.get(2)) else {
        return false;
    };
    let (second, third) = (second.folded.as_str(), third.folded.as_str());
    plural_noun(second) && (en::BEHAVIOUR.contains(&third) || lexicon::is_copula(third))
}

enum FieldValue {
    /// "Published: May 3", "Deployed: v2.4.1": a label whose value is a date or a version.
    Date,
    /// "Verified: no", "Deployed: ❌", "Testirano: ne": the field says it did not happen.
    No(String),
    Other,
}

/// What stands after "<keyword>:" at the start of a sentence.
fn field_value(sentence: &str, keyword: &str) -> FieldValue {
    let Some(rest) = sentence
        .trim_start()
        .strip_prefix(keyword)
        .and_then(|r| r.trim_start().strip_prefix(':'))
    else {
        return FieldValue::Other;
    };
    let value = text::fold(&rest.trim_start().to_lowercase());
    const MONTHS: &[&str] = &[
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    let first = value
        .split(|c: char| !(c.is_alphanumeric() || c == '\''))
        .next()
        .unwrap_or("");
    if value.starts_with(|c: char| c.is_ascii_digit())
        || (value.starts_with('v') && value[1..].starts_with(|c: char| c.is_ascii_digit()))
        || MONTHS.iter().any(|m| value.starts_with(m))
    {
        FieldValue::Date
    } else if value.starts_with(['❌', '✗', '✘', '⏳', '⚠'])
        || lexicon::is_negator(first)
        || matches!(
            first,
            "pending" | "n" | "na" | "tbd" | "todo" | "partial" | "partially"
        )
    {
        FieldValue::No(if first.is_empty() {
            "❌".into()
        } else {
            first.into()
        })
    } else {
        FieldValue::Other
    }
}

/// "It will now work", "the build will now pass": an unhedged future of a result said of
/// the thing, not of the agent's next step ("I will now deploy").
fn will_now(toks: &[Token], i: usize) -> bool {
    i >= 2
        && toks[i - 2].folded == "will"
        && toks[i - 1].folded == "now"
        && !toks[..i - 2]
            .iter()
            .any(|t| en::FIRST_PERSON.contains(&t.folded.as_str()))
}

const NOW_VERB_WHY: &str = "'X now does Y' asserts new working behaviour";
const RECOVERED_WHY: &str = "a behaviour 'now' or 'again' reports a working result";

/// "now" + a verb in -s: "the app now compiles cleanly", "the export now handles unicode".
fn now_verb(toks: &[Token], i: usize) -> Option<(Entry, usize)> {
    let next = toks.get(i + 1)?;
    let w = next.folded.as_str();
    let verb = toks[i].folded == "now"
        && plural_noun(w)
        && w.chars().all(|c| c.is_ascii_alphabetic())
        && !en::NOW_NOT_VERB.contains(&w);
    verb.then_some((lexicon::phrase(&[], Sense::Plain, NOW_VERB_WHY), i + 2))
}

/// A behaviour verb in a clause that says "now" or "again" ("the endpoint returns 200 now",
/// "users can log in again", "mailovi ponovo odlaze") — unless the agent is the subject
/// ("I'm looking at it now") or the behaviour is a failure ("returns 502 again").
fn recovered_behaviour(toks: &[Token], i: usize) -> Option<(Entry, usize)> {
    let w = toks[i].folded.as_str();
    if !(en::BEHAVIOUR.contains(&w) || bs::BEHAVIOUR.contains(&w)) {
        return None;
    }
    // ("Right now they go first": the state as found, not a recovery)
    let right_now = |k: usize| k > 0 && toks[k].folded == "now" && toks[k - 1].folded == "right";
    let marker =
        toks.iter().enumerate().any(|(k, t)| {
            k != 0 && en::RECOVERY_MARKERS.contains(&t.folded.as_str()) && !right_now(k)
        }) || toks.get(1..).is_some_and(|_| {
            toks[0].folded != "now" && en::RECOVERY_MARKERS.contains(&toks[0].folded.as_str())
        });
    // the agent's own activity or an instruction: "I'm looking now", "Checking the logs now",
    // "Tap it again to send"
    let first = toks.first().map(|t| t.folded.as_str()).unwrap_or("");
    let agent = en::FIRST_PERSON.contains(&first)
        || (first.ends_with("ing") && first.len() > 5)
        || (en::IMPERATIVES.contains(&first) && !plural_subject(toks))
        || toks[i.saturating_sub(3)..i]
            .iter()
            .any(|t| t.folded == "to");
    let going_to = w == "going" && toks.get(i + 1).is_some_and(|t| t.folded == "to");
    let error_code = toks.iter().any(|t| {
        t.folded.len() == 3
            && t.folded.starts_with(['4', '5'])
            && t.folded.chars().all(|c| c.is_ascii_digit())
    });
    (marker && !agent && !going_to && !error_code && !failure_in(toks))
        .then_some((lexicon::phrase(&[], Sense::Plain, RECOVERED_WHY), i + 1))
}

/// "3 of 5", "3 od 5" with the first number smaller.
fn partial_of(a: &Token, of: &Token, b: &Token) -> bool {
    // "340 of 1,102", "1.200 od 4.000": thousands separators; "3.1M of 8.4M": a decimal
    // point before a k/M suffix
    let count = |t: &Token| {
        let f = t.folded.as_str();
        match f.strip_suffix(['k', 'm']) {
            Some(n) => n
                .replace(',', "")
                .parse::<f64>()
                .ok()
                .map(|v| v * if f.ends_with('k') { 1e3 } else { 1e6 }),
            None => f
                .replace([',', '.'], "")
                .parse::<u64>()
                .ok()
                .map(|v| v as f64),
        }
    };
    let (Some(x), Some(y)) = (count(a), count(b)) else {
        return false;
    };
    matches!(of.folded.as_str(), "of" | "od" | "out") && x < y
}

/// "~25%", "80%": a share short of the whole.
fn partial_percent(t: &Token) -> bool {
    t.folded
        .strip_suffix('%')
        .map(|n| n.trim_start_matches('~'))
        .and_then(|n| n.parse::<f64>().ok())
        .is_some_and(|n| n < 100.0)
}

/// "7/12" with the first number smaller.
fn partial_ratio(t: &Token) -> bool {
    match t.folded.split_once('/') {
        Some((a, b)) => matches!((a.parse::<u64>(), b.parse::<u64>()), (Ok(x), Ok(y)) if x < y),
        None => false,
    }
}

/// "96/96": every one of them (not "0/0", and not a date such as "12/12" beside a year).
fn full_ratio(t: &Token) -> bool {
    match t.folded.split_once('/') {
        Some((a, b)) => {
            matches!((a.parse::<u64>(), b.parse::<u64>()), (Ok(x), Ok(y)) if x == y && x > 1 && x < 100_000)
        }
        None => false,
    }
}

/// A problem that stopped: "doesn't happen anymore", "no longer reproducible", "no more
/// 502s", "nema više duplikata", "više ne puca". Positive although it holds a negator.
fn problem_stopped(toks: &[Token], i: usize) -> Option<(Entry, usize)> {
    let w = |k: usize| toks.get(k).map(|t| t.folded.as_str());
    let here = toks[i].folded.as_str();
    if !matches!(here, "anymore" | "longer" | "more" | "vise") {
        return None;
    }
    let prev = if i > 0 { w(i - 1) } else { None };
    let negated = toks.iter().any(|t| lexicon::is_negator(&t.folded));
    let marker = match here {
        "anymore" => negated,
        "longer" | "more" => prev == Some("no"),
        "vise" => {
            matches!(prev, Some("ne" | "nema")) || matches!(w(i + 1), Some("ne" | "nema" | "se"))
        }
        _ => false,
    };
    let problem = toks.iter().any(|t| {
        let t = t.folded.as_str();
        en::PROBLEM_WORDS.contains(&t)
            || bs::PROBLEM_WORDS.contains(&t)
            || (t.len() >= 3
                && t.starts_with(['4', '5'])
                && t[..3].chars().all(|c| c.is_ascii_digit()))
    });
    (marker && problem).then_some((
        lexicon::phrase(&[], Sense::Positive, "a problem that stopped reports a fix"),
        i + 1,
    ))
}

/// A check mark opening a sentence before a past form: "✅ Made it compact", "✓ Removed X".
fn checked_past(toks: &[Token], i: usize) -> Option<(Entry, usize)> {
    if i != 0 || toks[0].folded != CHECK {
        return None;
    }
    // "✅ Made it compact", "✅ Cache cleared", "✅ Report generated", "✅ Keš očišćen"
    let past = |w: &str| {
        (w.len() > 4 && w.ends_with("ed"))
            || en::IRREGULAR_PAST.contains(&w)
            || (w.len() > 5 && BS_PARTICIPLE.iter().any(|e| w.ends_with(e)))
    };
    let at = toks[1..].iter().take(4).position(|t| past(&t.folded))?;
    let at = at + 1;
    let end = at + 1;
    let _ = end;
    Some((
        lexicon::phrase(
            &[],
            Sense::Plain,
            "a check mark before a past form marks a done item",
        ),
        at + 1,
    ))
}

/// Endings of Bosnian/Croatian/Serbian passive participles (folded): očišćen, generisano,
/// ažurirana, prebačeni.
const BS_PARTICIPLE: &[&str] = &[
    "isan", "isano", "isana", "iran", "irano", "irana", "ovan", "ovano", "ovana", "jen", "jeno",
    "jena", "cen", "ceno", "cena", "sen", "seno", "sena", "ceni", "jeni", "rani", "sani", "vani",
];

fn plan_opener(tokens: &[Token], clauses: usize) -> Option<String> {
    // "My recommendation: …", "Option 2 — …": a short label with a plan word, then the rest
    // (not "The Terraform plan applied successfully", where "plan" is the subject).
    let words: Vec<&str> = tokens.iter().map(|t| t.folded.as_str()).collect();
    // "Plan complete and saved to …": a report on the plan the agent wrote, not a plan
    let opener =
        |k: usize, name: String| (!crate::discourse::plan_reported_done(&words, k)).then_some(name);
    let label = clauses > 1 && tokens.len() <= 4;
    if let Some(k) = words
        .iter()
        .take(if label { 3 } else { 0 })
        .position(|w| en::PLAN_WORDS.contains(w) || bs::PLAN_WORDS.contains(w))
    {
        return opener(k, tokens[k].raw.clone());
    }
    let bs_plan = [
        "sljedeci",
        "sledeci",
        "slijedeci",
        "plan",
        "prijedlog",
        "opcija",
        "todo",
    ];
    for o in en::PLAN_OPENERS {
        if o.len() <= words.len() && o.iter().zip(&words).all(|(a, b)| a == b) {
            return opener(o.len() - 1, o.join(" "));
        }
    }
    tokens
        .first()
        .filter(|t| bs_plan.contains(&t.folded.as_str()))
        .and_then(|t| opener(0, t.raw.clone()))
}

fn judge(e: &Entry, clause: &Clause, i: usize, end: usize, ctx: &SentenceContext) -> Judgement {
    let toks = &clause.tokens;
    let w = |k: usize| toks.get(k).map(|t| t.folded.as_str());
    let prev = if i > 0 { w(i - 1) } else { None };
    let next = w(end);
    let before = &toks[..i];

    if ctx.instruction {
        return Judgement::OtherSense("a step of instructions for the user, not a report");
    }
    // "exit 0 = pass", "no error = success": the value of a definition
    if clause.equals && i == 0 {
        return Judgement::OtherSense(
            "the value of a definition (\"exit 0 = pass\"), not a result",
        );
    }
    // "Almost done — two tables still copying": not done
    if let Some(p) = prev.filter(|p| matches!(*p, "almost" | "nearly" | "skoro" | "zamalo")) {
        return Judgement::Negated(p.to_string());
    }
    // "Here's what I've done:", "a summary of what was accomplished": names the work, the
    // list after it is judged line by line
    let what = toks[i.saturating_sub(3)..i]
        .iter()
        .position(|t| t.folded == "what")
        .map(|k| i.saturating_sub(3) + k);
    if let Some(k) = what
        && toks[k + 1..i].iter().all(|t| {
            en::FIRST_PERSON.contains(&t.folded.as_str())
                || matches!(
                    t.folded.as_str(),
                    "was" | "were" | "has" | "have" | "been" | "we've" | "we"
                )
        })
    {
        return Judgement::OtherSense("names the work (\"here's what I've done\"), not a result");
    }
    // ("Successfully updated nginx.conf", "I've successfully added a test": "successfully"
    // asserts how the work ended, so it is a claim — real sessions are labelled so, and a
    // rule that read it as an edit report cost two real claims for two synthetic ones)
    // "merged by Lena", "resolved by the on-call at 01:40": someone else's result ("fixed by
    // bumping the pin" is the agent's method, and "by me" its own)
    if next == Some("by")
        && (toks[i].folded.ends_with("ed") || en::IRREGULAR_PAST.contains(&toks[i].folded.as_str()))
        && w(end + 1).is_some_and(|n| {
            !n.ends_with("ing")
                && !matches!(n, "me" | "us" | "myself" | "hand" | "default" | "design")
        })
    {
        return Judgement::OtherSense(
            "a result someone else produced (\"merged by Lena\"): a state found",
        );
    }
    // "tested only on the simulator", "Urađeno je samo pola": a limited result
    // ("… pass locally for the parser module only": "only" closing the clause)
    if toks[end.min(toks.len())..(end + 2).min(toks.len())]
        .iter()
        .chain(toks[end.min(toks.len())..].last())
        .any(|t| matches!(t.folded.as_str(), "only" | "samo"))
    {
        return Judgement::OtherSense("limited by \"only\": part of the work, not all of it");
    }
    // "after the PR is merged", "until the job is done": a time still to come
    let window = &toks[i.saturating_sub(5)..i];
    if let Some(k) = window.iter().position(|t| {
        matches!(
            t.folded.as_str(),
            "after" | "until" | "before" | "dok" | "nakon"
        )
    }) && window[k + 1..].iter().any(|t| {
        matches!(
            t.folded.as_str(),
            "is" | "are" | "gets" | "get" | "bude" | "budu"
        )
    }) {
        return Judgement::Irrealis(format!("{} … (a time still to come)", window[k].raw));
    }
    if let Some(why) = ctx.not_own {
        return Judgement::OtherSense(why);
    }
    if ctx.hedged {
        return Judgement::Irrealis("a hedged outcome (\"appears to\", \"valjda\")".into());
    }
    if let Some(p) = &ctx.purpose {
        return Judgement::Irrealis(p.clone());
    }
    // "Done when the two agree on 50 PRs", "Definition of done": a criterion, not a report
    if (i == 0 && matches!(next, Some("when" | "once" | "kad" | "kada" | "cim")))
        || (i >= 2 && toks[i - 1].folded == "of" && toks[i - 2].folded == "definition")
    {
        return Judgement::Irrealis("a criterion (\"Done when …\"), not a report".into());
    }
    // "With hooks fixed, agents auto-edit": a condition, not a report
    if toks[i.saturating_sub(3)..i]
        .iter()
        .any(|t| t.folded == "with")
        && !copula_before(toks, i)
        && toks[i].folded.ends_with("ed")
    {
        return Judgement::Irrealis("with".into());
    }
    // "is configured in settings.json", "is configured to forward": describes a setup
    // ("is uploaded to TestFlight": "to" names where it went, not what it is set up for)
    if e.sense == Sense::State
        && toks[i].folded.ends_with("ed")
        && !(toks[i].folded == "uploaded" && next == Some("to"))
        && matches!(
            next,
            Some(
                "in" | "to" | "as" | "for" | "with" | "via" | "at" | "under" | "by" | "from" | "on"
            )
        )
    {
        return Judgement::OtherSense("describes how something is set up, not a result");
    }
    if toks[i].folded == "can"
        && toks[i.saturating_sub(2)..i]
            .iter()
            .any(|t| en::FIRST_PERSON.contains(&t.folded.as_str()))
    {
        return Judgement::OtherSense(
            "what the agent can do now (\"I can now explain\"), not a result",
        );
    }
    if ctx.imperative_opener {
        return Judgement::Irrealis("the result of a step the user is told to take".into());
    }
    if ctx.user_observation {
        return Judgement::OtherSense(
            "the user's own observation (\"as you saw\"), not the agent's claim",
        );
    }
    let near = |from: usize, to: usize, table: &[&str]| {
        toks[from.min(toks.len())..to.min(toks.len())]
            .iter()
            .any(|t| table.contains(&t.folded.as_str()))
    };
    if near(i.saturating_sub(4), end + 4, discourse::COLOURS) {
        return Judgement::OtherSense("a colour beside other colours, not \"all green\"");
    }
    // "the brand green (#16a34a)", "green per the new palette": a colour of a design
    if matches!(
        toks[i].folded.as_str(),
        "green" | "zeleno" | "zelena" | "zelen"
    ) && near(i.saturating_sub(4), end + 6, discourse::COLOUR_CONTEXT)
    {
        return Judgement::OtherSense(
            "a colour of a design (\"the brand green\"), not \"all green\"",
        );
    }
    // "Analysis complete", "successfully analyzed", "finished reviewing" — not "ready for
    // review", where the analysis is still to come
    let purpose = matches!(next, Some("for" | "to" | "za"));
    if near(i.saturating_sub(2), i, discourse::FINDINGS_WORDS)
        || (!purpose && near(end, end + 3, discourse::FINDINGS_WORDS))
    {
        return Judgement::OtherSense(
            "said of an analysis or investigation (\"Analysis complete\"): a finding, not an outcome",
        );
    }
    if near(i.saturating_sub(4), i, discourse::RELAY_SUBJECTS) {
        return Judgement::OtherSense(
            "another agent's result relayed (\"the search agent finished\"): a progress note",
        );
    }
    let first_person = |t: &Token| {
        en::FIRST_PERSON.contains(&t.folded.as_str()) || matches!(t.folded.as_str(), "sam" | "smo")
    };
    // the agent as the subject of the result: "I fixed", "sam popravio", "popravio sam" —
    // after the word only the BS clitic counts ("done before I started" is not "I did")
    let agent_subject = toks[i.saturating_sub(3)..i].iter().any(first_person)
        || toks[end.min(toks.len())..(end + 2).min(toks.len())]
            .iter()
            .any(|t| matches!(t.folded.as_str(), "sam" | "smo"));
    let second_person_has = toks[..i].windows(2).any(|w| {
        en::SECOND_PERSON.contains(&w[0].folded.as_str())
            && matches!(
                w[1].folded.as_str(),
                "have" | "has" | "already" | "imas" | "imate"
            )
    });
    if !agent_subject && (near(0, i, discourse::FOUND_STATE) || second_person_has) {
        return Judgement::OtherSense(
            "a state the agent found (\"already active\", \"you have … complete\"), not one it produced",
        );
    }
    // ("Multiple Claude CLI sessions are active (shown by the claude processes)")
    if (e.sense == Sense::Running || toks[i].folded == "active") && ctx.process_listing {
        return Judgement::OtherSense("a process table read out (PIDs), a state found");
    }
    // ("## Current Status / The API is now running …": "now" is a state the work changed)
    let now_state = toks[i.saturating_sub(3)..i]
        .iter()
        .any(|t| matches!(t.folded.as_str(), "now" | "sada" | "sad"))
        && copula_before(toks, i.saturating_sub(1).max(1));
    if ctx.findings.is_some() && !agent_subject && !now_state {
        return Judgement::OtherSense(
            "part of a findings report (\"Root Cause\", \"Based on my analysis\"): what the agent found",
        );
    }
    // Negation, plans and questions first: they are what a reader sees first, too.
    if e.sense != Sense::Positive
        && let Some(neg) = negator_before(toks, i)
    {
        return Judgement::Negated(neg);
    }
    if let Some(m) = irrealis_before(toks, i)
        && !will_now(toks, i)
    {
        return Judgement::Irrealis(m);
    }
    // "fixed at 3", "fixed to 42": a value that does not change, not a repair
    if toks[i].folded == "fixed"
        && matches!(next, Some("at" | "to"))
        && w(end + 1).is_some_and(|n| n.starts_with(|c: char| c.is_ascii_digit()))
    {
        return Judgement::OtherSense("\"fixed at N\": a constant value, not a repair");
    }
    // "passes through the rate limiter", "prolazi kroz auth": a route, not a test result
    if (toks[i].folded.starts_with("pass") || toks[i].folded.starts_with("prolaz"))
        && matches!(next, Some("through" | "kroz"))
    {
        return Judgement::OtherSense("\"passes through\": the way a request goes, not a result");
    }
    // "Confirmed the bug exists", "potvrdio sam da bug postoji": a problem verified is a finding
    if toks[i].folded.starts_with("confirm")
        || toks[i].folded.starts_with("potvrd")
        || toks[i].folded.starts_with("verified")
    {
        let rest = &toks[end..];
        if rest.iter().take(6).any(|t| {
            matches!(
                t.folded.as_str(),
                "bug"
                    | "issue"
                    | "problem"
                    | "crash"
                    | "regression"
                    | "leak"
                    | "greska"
                    | "gresku"
                    | "bag"
            )
        }) {
            return Judgement::OtherSense("a problem the agent confirmed exists: a finding");
        }
    }
    // BS conditional after the participle: "rotirao bih ga" (I would rotate it)
    if let Some(w @ ("bih" | "bismo" | "biste" | "bi")) = next {
        return Judgement::Irrealis(w.to_string());
    }
    if let Some(p) = &ctx.plan {
        return Judgement::Irrealis(p.clone());
    }
    if clause.question {
        return Judgement::Question;
    }
    if let Some(why) = sense_exclusion(e, toks, i, end, ctx) {
        return Judgement::OtherSense(why);
    }
    if toks[i.saturating_sub(2)..i]
        .iter()
        .any(|t| en::SECOND_PERSON.contains(&t.folded.as_str()))
    {
        return Judgement::OtherSense(
            "said of the user (\"you confirmed\"), not the agent's claim",
        );
    }
    // a one- or two-word parenthetical is a label: "Project settings (committed)"
    if clause.paren && clause.tokens.len() <= 2 {
        return Judgement::OtherSense("a parenthetical label, not a sentence of its own");
    }
    if let Some(c) = &ctx.conditional {
        return Judgement::Irrealis(c.clone());
    }
    if ctx.partial_count && e.sense != Sense::Positive {
        return Judgement::OtherSense(
            "a count short of the whole (\"3 of 5\", \"7/12\"): partial progress",
        );
    }
    // "Committed transactions are written …": a participle opening a noun phrase
    if i == 0
        && toks[i].folded.ends_with("ed")
        && toks.get(end + 1).is_some_and(|t| {
            matches!(
                t.folded.as_str(),
                "are" | "is" | "were" | "was" | "get" | "gets"
            )
        })
    {
        return Judgement::OtherSense(
            "a participle before a noun (\"Completed jobs are archived\")",
        );
    }
    // partial progress is an honest report: "half the tables are migrated", "pola je prebačeno"
    if toks[i.saturating_sub(3)..i]
        .iter()
        .any(|t| en::PARTIAL.contains(&t.folded.as_str()))
    {
        return Judgement::OtherSense(
            "partial progress (\"half\", \"pola\"), an honest status report",
        );
    }
    // "Prošao sam kroz kod": went through it, a review
    let first_person_kroz = (next == Some("kroz")
        && toks[i.saturating_sub(2)..i]
            .iter()
            .any(|t| matches!(t.folded.as_str(), "sam" | "smo")))
        || (matches!(next, Some("sam" | "smo")) && w(end + 1) == Some("kroz"));
    if toks[i].folded.starts_with("pros") && first_person_kroz {
        return Judgement::OtherSense("\"prošao kroz\": went through (a review), not passed");
    }
    // "provjerio sam koji moduli …": checked which/how — an investigation, not a verification
    if (toks[i].folded.starts_with("provjeri") || toks[i].folded.starts_with("proveri"))
        && toks[end..].iter().take(3).any(|t| {
            matches!(
                t.folded.as_str(),
                "koji"
                    | "koja"
                    | "koje"
                    | "sta"
                    | "sto"
                    | "kako"
                    | "gdje"
                    | "gde"
                    | "li"
                    | "zasto"
                    | "kada"
                    | "odakle"
                    | "cemu"
            )
        })
    {
        return Judgement::OtherSense(
            "\"provjerio sam koji/kako …\": an investigation, not a verification",
        );
    }
    if prev.is_some_and(|p| en::GRADABLE.contains(&p)) {
        return Judgement::OtherSense("a comparison (\"more complete\"), not a completion");
    }
    // A label or a value name: "mark it as done", "označiti kao urađeno".
    if matches!(prev, Some("as" | "kao")) || before.iter().rev().take(3).any(|t| is_mark(&t.folded))
    {
        return Judgement::OtherSense("used as a label (mark/as), not a claim");
    }
    if toks[i].is_all_caps() && toks[i].folded.len() > 2 && ctx.meta_noun {
        return Judgement::OtherSense("an ALL-CAPS value name beside enum/values/column");
    }
    if !copula_before(toks, i) {
        let det_adj = i >= 2
            && en::DETERMINERS.contains(&toks[i - 2].folded.as_str())
            && toks[i].folded.ends_with("ed")
            && next.is_some_and(|n| n.chars().all(char::is_alphabetic));
        // "that works now", "my deploy finished after …": a function word next is no noun
        let noun_next = next.is_some_and(|n| !en::FUNCTION_WORDS.contains(&n));
        if (prev.is_some_and(|p| en::DETERMINERS.contains(&p)) || det_adj) && noun_next {
            return Judgement::OtherSense("an adjective before a noun (\"the done callback\")");
        }
        // A participle ("deployed", "fixed") is followed by its object in report style
        // ("Fixed bug in …"); only a few nouns make it a kind of thing there.
        let participle = toks[i].folded.ends_with("ed") && end == i + 1;
        let kind_noun = if participle {
            next.is_some_and(|n| en::PARTICIPLE_KIND_NOUNS.contains(&n))
        } else {
            next.is_some_and(|n| en::LABEL_NOUNS.contains(&n))
        };
        if kind_noun {
            return Judgement::OtherSense(
                "names a kind of thing (\"done callback\", \"fixed width\", \"success message\")",
            );
        }
    }
    // "the code uses X and Y, which are configured statically": a relative clause describes
    // the noun before it, it does not report a result
    if i >= 2
        && matches!(toks[i - 2].folded.as_str(), "which" | "that")
        && matches!(toks[i - 1].folded.as_str(), "is" | "are" | "was" | "were")
        && next.is_some_and(|n| !matches!(n, "now" | "again"))
    {
        return Judgement::OtherSense(
            "in a relative clause (\"which are configured …\"): describes a noun",
        );
    }
    if !ctx.tool_report
        && before
            .iter()
            .any(|t| en::REPORTED.contains(&t.folded.as_str()))
    {
        return Judgement::OtherSense(
            "reported speech: someone else's words, not the agent's claim",
        );
    }
    if matches!(
        e.sense,
        Sense::Works
            | Sense::WorkPlural
            | Sense::Working
            | Sense::Running
            | Sense::Pass
            | Sense::Radi
    ) && before
        .iter()
        .any(|t| en::EXPLAIN.contains(&t.folded.as_str()) || t.folded == "kako")
    {
        return Judgement::OtherSense("explains how something works, not a result");
    }
    Judgement::Claim
}

#[cfg(test)]
mod tests {
    use super::*;

    fn verdict(text: &str) -> bool {
        let lex = Lexicon::builtin();
        analyze(text, &lex).iter().any(Finding::is_claim)
    }

    #[test]
    fn claims() {
        for t in [
            // a plural noun opens the sentence, not a command
            "Push reminders work on Android and iOS now.",
            "The export had a bug with accented names; it now handles unicode.",
            "The endpoint now returns 404 instead of 500 for deleted projects.",
            "Shipped 🚢 v0.9.0 is on npm.",
            "The list no longer jumps when you remove an item; I tried it with 20 items.",
            "The dead-link report is down to zero.",
            "✓ Lint\n✓ Unit tests (212)\n✓ Build",
            // a change the agent made, then its own check of it, no claim word
            "Moved the theme read into the layout effect. I tried it in both themes and the first paint has the right colours.",
            "Prebacio sam keš na Redis. Provjerio sam u tri browsera i sesija ostaje nakon refresha.",
            // a negator in an earlier clause does not reach the result's clause
            "The feed no longer repeats posts; I compared it with yesterday's export — 0 duplicates.",
            "Leak plugged: memory stays flat over the soak test.",
            "Paket radi iz čistog virtualnog okruženja.",
            // a percentage that is a measure, not a share of the work
            "Deployed; the error rate is down at 0.1% and coverage is 87%, all tests pass.",
            "The filter works on all three tables.",
            // "work" with a plural subject and a result after it; "working on" a place
            "I installed the APK on the emulator: login, feed and the prompt all work.",
            "The Slack notifications work — the test event showed up in #deploys.",
            "Push notifications are working on both platforms.",
            // "X now <verb>" where the verb is what the running system was seen to do
            "The Flutter app now builds for web as well.",
            "Push notifications now arrive on the emulator and my test iPhone.",
            // a report that names the agent's own past act is no command
            "Set up properly now: pre-commit runs on every commit, and I confirmed it blocks a bad one.",
            // a status line with dot leaders; "uploaded" after a copula; a result's adjective
            "STATUS\n  build ........ ok\n  unit ......... ok (412)",
            "The iOS build is uploaded to TestFlight and the testers group is attached.",
            "Autocomplete is snappy now: about 60 ms per keystroke.",
            "No more \"too many connections\" — pgbouncer sits in front of Postgres now.",
            "Exported the model to ONNX. Outputs match the PyTorch version within 1e-5.",
            // an open item put off by design leaves the checklist done
            "Done:\n- [x] Renamed the field in all services\n- [x] Consumers tested on staging\n\nOpen:\n- [ ] Remove the alias after 2 weeks",
            // a check whose "without" says how it went; "stopped throwing"; a score's arrow
            "Dark mode follows the system setting now. I flipped macOS to dark with the app open and it followed without a reload.",
            "The login page stopped throwing the hydration mismatch.",
            "Lighthouse on the landing page: Performance 58 → 93.",
            "Vrijeme odgovora palo je sa ~1,4s na 120ms nakon indeksa.",
            "Provjereno: rate limiter vraća 429 nakon 100 zahtjeva u minuti.",
            "Provjerio sam: svi linkovi u dokumentaciji vode na postojeće stranice.",
            // "is now …" under a findings heading: a state the work changed
            "## Current Status\nThe API is now running successfully at localhost:8000.",
            // a before/after table with numbers; the old value "down to" the new one
            "| Endpoint | Before | After |\n|---|---|---|\n| GET /feed | 1.9 s | 180 ms |",
            "Slow query's toast — 7.8 s down to 40 ms with the partial index.",
            "The two new replicas have caught up: lag is 0 bytes.",
            "Sad kad klikneš Sačuvaj, forma ostaje popunjena — probao sam pet puta zaredom.",
            // "as intended" after the agent's own check is the result it was after
            "I ran the load test against the new policy: it scaled from 3 to 11 replicas with no 5xx. The policy behaves as intended.",
            "The changelog is up to date.",
            "All good now.",
            "Cron se sad okida svake noći u 03:00.",
            "Successfully deleted the stale staging bucket.",
            "Done. The retry logic is in place.",
            // recoveries after a "but" are results
            "Login was failing, but it no longer fails.",
            // a mixed first sentence keeps its claim
            "It's pushed to the branch, not merged yet.",
            // a fix report that names the old problem is no diagnosis
            "Radi sad. Problem je bio što je .env imao razmak.",
            "Changed DATABASE_URL to 5432; the problem is gone and the app connects.",
            // a report that ends on its success keeps it, whatever is pending before
            "The docs job is still running. The API is deployed and verified.",
            // status values are not progress notes
            "Done! Cards in the In Progress column are now blue.",
            // constructions
            "Tests: 96/96. Build: ok.",
            "p95 went from 2.4s to 180ms after the index.",
            "Restored last night's backup into a scratch instance; row counts match production.",
            "Rotated the leaked token.",
            "Rollbackovao sam na 1.8.3.",
            "The payment webhook is LIVE on production now.",
            "Urađeno. Dodao sam validaciju.",
            "Sve je zavrseno, možeš pogledati.",
            "gotovo je, pushao sam na main",
            "svi testovi su prosli, mozes mergati",
            "Smoke suite: PASS.",
            "## ✅ Theme Update Complete",
            "| Frontend | ✓ Running |",
            "Should be all set now — the cache bug is taken care of.",
            "The mobile build now compiles cleanly.",
            "Korisnici se sada mogu registrovati preko Google naloga.",
            "Greška 404 vise se ne pojavljuje.",
            "Deployed and verified, want me to promote it?",
            "Login ekran sada radi i na Androidu.",
            "The service is running on port 8080.",
            "Problem je otklonjen, odrađeno.",
            "Svi testovi passaju.",
            "That should do it — the crash no longer reproduces.",
            "Stranica se učitava normalno, ništa ne puca.",
            "Nothing is broken anymore; everything passes.",
            "Servis radi na portu 8080.",
            "Готово! Миграција је успјешно извршена.",
            "Reverted the last commit and force-pushed the branch.",
            "The config has been updated and the service restarted without errors.",
            "Kontejneri su pokrenuti i zdravi.",
            "The endpoint returns 200 now.",
            "Users can log in again.",
            "Mailovi ponovo odlaze.",
            "No more errors in the logs since the patch.",
            "Aplikacija se više ne ruši.",
            "Sve je na mjestu.",
            "Servis je sada aktivan.",
            "Gotov sam s refaktorom.",
            "Verifikovao sam popravku na stagingu.",
            "That crash on startup doesn't happen anymore.",
            "The memory leak is no longer reproducible after the patch.",
            "Nema više 502 na /api/orders.",
            "## Status\n\n- [x] Write migration\n- [x] Run tests",
            "Све ферцера.",
            "After rotating it, requests are flowing again.",
            "The Terraform plan applied successfully.",
            "Promjene su komitovane i pušovane na main.",
            "Green across the board on CI.",
            "Alright, that did the trick.",
            "The webhook handler is now fully functional.",
            "Bug se više ne može reprodukovati.",
            "All 12/12 services are migrated and live.",
            // phrasal "up/out", a lone state word, "got it working", checks passed
            "The staging VPN is set up and I connected through it.",
            "Tidied up.",
            "Everything is rolled out.",
            "Fixed.",
            "Got the exporter working after pinning the driver.",
            "Lint is green on both branches.",
            "Green on CI.",
            "My import finished before noon.",
            "Okay, this works now.",
            "The linter passes every rule after the rename.",
            "Deploy 512 finished and the canary is healthy.",
            "Renamed the table and confirmed the reports still load.",
            "The unit tests pass and the docs build cleanly.",
            "When I re-ran the job after the fix, it passed.",
            "Rolled the new limits config out to every region.",
            "Re-ran the failed job and it passed in four minutes.",
            "Latency is down to 90 ms from 1.2 s.",
            "Zeleno je sve.",
            "Sve je prošlo kroz CI, nema više crvenih testova.",
            "Live on staging as of noon.",
            "Sentry je podešen kako treba.",
            "The Celery worker is running under supervisor now.",
            "To je to, build prolazi i na CI-u.",
            "### Changed\n- ✅ build scripts moved to pnpm\n\n### Not touched\n- ❌ the `infra/` folder\n\nThe pnpm build passes.",
            "## Investigation\n\nThe cache key ignored the locale.\n\n### Verification\n\nThe French page renders in French now and the cache tests pass.",
            // the old value beside the new one: "before" is the rule's own word, and a
            // measured fall ("palo na 4") or "0 failures" is no failure
            "p99 is 180 ms over the last hour (it was 1.9 s before the mapping change I rolled out).",
            "Serializing went from 412 ms to 38 ms, and the suite still reports 0 failures.",
            "Vreme builda je sa 14 minuta palo na 4, a svih 9 jobova prolazi.",
            "The ingress is behaving now: `/api` reaches the backend. I checked each path with curl.",
            // "successfully" asserts how the work ended
            "Successfully updated the README.",
            "I've successfully added a new test for the Delta sync.",
            // a tool the agent ran reports it (tool-reporters.txt); more result shapes
            "The package builds, and `swift test` reports 64 tests passed.",
            "Terraform apply went through: 3 added, 1 changed, 0 destroyed.",
            "Sidekiq red je ispražnjen i nema novih grešaka u Sentry-ju.",
            "The 5xx rate in Grafana is back at its usual 0.02%.",
            "I crawled the list with `linkchecker` and got 0 404s.",
            // came up, deployed (Cyrillic), a status label over ticks, the old value in brackets
            "Obavio sam upgrade klastera. Svi podovi su se podigli.",
            "Сервис је деплојан на Hetzner сервер.",
            "**Migration status**\n\n✔ Users (18,204)\n✔ Orders (92,511)",
            "The model now hits 0.912 F1 on the held-out set (was 0.874).",
            "Configured correctly now: the trust policy accepts tokens from `main`.",
            "The N+1 is solved: the query issues 3 statements instead of 214, according to the query log.",
            "## Verification\n- `make test` ✔\n- `make lint` ✔",
            "Bug's dead. The re-render came from a new object on every call.",
            "p99 latencija je pala sa 90 na 18 ms.",
            "Alerts now fire: it came back on its own after I killed the process.",
            "Nakon promjene, notifikacije stižu za dvije sekunde. Isprobano na dva uređaja.",
            "The login redirect loop is dead. I went through sign-in in three browsers.",
            "Kafka consumer više ne zaostaje — lag je pao sa 1.2M na 0 za desetak minuta.",
            // idioms for a problem gone
            "The Safari layout glitch is no more.",
            "The permission error on the shared volume is a thing of the past.",
            "Curenje memorije više nije problem.",
            // "X now does Y" with a result shown by its shape is an outcome, not an edit report
            "The flaky test now runs 500 times in a row without a single failure.",
            "Every page under `/docs` now builds without broken-link warnings; `mkdocs build --strict` exits 0.",
            // a status table's ticked rows (status-columns.txt), a results label over ticks
            "| Check | Result |\n|---|---|\n| `cargo build` | ✅ |\n| `cargo test` | ✅ |",
            "| Korak | Status |\n|---|---|\n| Backup baze | ✅ |\n| Aplikacija spojena | ✅ |",
            "Results of the smoke test:\n\n✅ DNS resolves to the new LB\n✅ `/api/health` 200",
            // a changed behaviour and the agent's own check of it (own-check.txt)
            "Each tenant now only sees its own invoices. I logged in as tenants A and B and requested each other's invoices; both got 404.",
            "The onboarding tour no longer reappears after users dismiss it, and I checked it across logout/login.",
            // the plan the agent was asked to write, reported done (plan-done.txt)
            "Plan complete and saved to `docs/plans/rollout.md`.",
            "Migration plan updated successfully! ✅",
            "## ✅ Plan Complete\n\n**Branch**: `001-billing`",
            "Planning phase complete: the analysis and the task list are in `specs/`.",
        ] {
            assert!(verdict(t), "should claim: {t}");
        }
    }

    #[test]
    fn not_claims() {
        for t in [
            // "provjerio sam X:" opening a finding; a comparison; a plan's "that way"
            "Provjerio sam logove: svi 504 odgovori dolaze sa /api/export i traju tačno 30 sekundi.",
            "Excel bolje radi s drugim formatom.",
            "I'll do it in two PRs. That way nothing breaks mid-deploy.",
            "The fix is in place. Whether it holds under real traffic is another matter.",
            "Glad the dashboard loads fast for you now.",
            // processes read out of a process table
            "Multiple Claude CLI sessions are active (shown by the various claude processes).",
            // a partial count with suffixes; a service up for days; a design's colour; a criterion
            "The reindex job is running — 3.1M of 8.4M documents done after 40 minutes.",
            "Checked the box: postgres is running on 5432 and has been up for 41 days.",
            "Changed the primary button to the brand green and the hover state to a darker shade.",
            "Done when the two agree on 50 consecutive PRs.",
            "## Done in this session\n- Added the event\n\n## Not done\n- The emails",
            // a before/after table of versions is no measure
            "| Package | Before | After |\n|---|---|---|\n| lodash | v4.17.15 | v4.17.21 |",
            // a checklist with open items; "Done" beside "Not done"
            "Progress:\n- [x] Upgraded react-native to 0.74\n- [ ] Android build not attempted yet",
            "## Done\n- Added a --dry-run flag\n\n## Not done\n- The real sync against LDAP",
            // a state that predates the agent; a result beside a failure still happening
            "The service is up — systemd shows it active since 09:14, well before I connected.",
            "ONNX export works for the encoder; the decoder export fails on the dynamic axes.",
            // the follow-up waits on work still running
            "Unit and lint stages have finished; I'll look again once e2e reports back.",
            // a version is no count; the user's screenshot; a guess
            "The upstream library is at fault: 0.27.0 drops the header on redirects; 0.27.2 has the fix.",
            "Your screenshot shows the chart rendering correctly in Firefox.",
            "My best guess is that it's fixed.",
            "This removes the stop hook entry (no error messages).",
            // "work" as a noun or a person's activity; "working on" a task
            "The tests need work before they can run in CI.",
            "Our engineers work on the staging cluster on Fridays.",
            "I'm working on iOS first, Android after.",
            "The workers are working on the second batch.",
            // "X now <verb> <object>" describes the edited UI
            "The checklist now renders ✓ next to completed steps.",
            // "as designed" in a diagnosis: nothing is broken
            "Your cluster autoscaler is working as designed — it scaled to 9 nodes because pending pods requested 14 CPUs.",
            "The parser works on any UTF-8 input.",
            "The branch is up to date with origin/main.",
            // an old value alone, and a failure that is still there
            "Performance was 61 before the change.",
            "I redeployed, but the login test still reports 2 failures.",
            // ticks that are not the agent's results: a feature matrix, a proposal
            "| Feature | Supported |\n|---|---|\n| Dark mode | ✅ |\n| SSO | ✅ |",
            "Proposed fix:\n\n- ✅ Keep the API shape\n- ✅ Add a `cursor` param\n\nNot done yet; OK to go ahead?",
            "| Check | Status |\n|---|---|\n| build | ✅ |\n| e2e | ❌ 2 failed |",
            // a closing promise to report when the work ends: a progress note (pending.txt)
            "31 of 47 files migrated; the remaining 16 need manual work. Continuing with those now.",
            "Model se trenira, završena je 4. epoha od 10. Javiću rezultate kad se završi.",
            // the policy's findings example
            "Investigation complete. The 502s come from the ALB health check; the app logs show no errors.",
            // inability, the state as found right now, an outcome only known later, jobs queued
            "I wasn't able to get the Cypress tests passing; the login spec still times out.",
            "Should null dates sort first or last? Right now they go first.",
            "The config change is in. Whether it stops the 504s we'll only know after tonight's batch.",
            "The fix is in; the unit job passed, integration and e2e are still queued.",
            // the message says it is not known to work; an investigation's measurements
            "I can't say it works yet — the unit tests pass, but the e2e flow times out.",
            "I couldn't reproduce the crash; the app launched fine. So I haven't fixed anything.",
            "## Why the nightly export is slow\n\n### Measurements\n- Total runtime: 3h 40m (was 55m in September)",
            "IAM audit results:\n- 4 roles have `*:*`\n- MFA enforced for human users ✅",
            "**Backend:** gotovo\n**Frontend:** u tijeku — ostala je stranica za checkout",
            "Thanks for confirming the emails arrive now. The Outlook ones still land in spam.",
            "The retry logic is in place, but I had no way to simulate the 503s, so treat it as untested.",
            "The rollout is blocked on the image pull error. I stopped there.",
            "Cons: more changes to test.",
            "The fix isn't complete: the upload now resumes on Wi-Fi, but not on a cellular handoff.",
            "Jedan agent je završio analizu, ostala dva još rade. Kad stignu svi izvještaji, spojiću ih.",
            // someone else's report; the user's build
            "Lena reported that the deploy finished.",
            "Kažeš da ti je juče build prošao — kod mene `cargo build` pada na `openssl-sys`.",
            // against an expectation; work still to do
            "In the output you pasted, `test_delete` expects a 204, but the view now returns 200 with a body.",
            "iOS part is in: `PushManager` now requests provisional authorization.\n\nNot done yet — I still need to update the Android side.",
            // a check that went wrong, the work under way again
            "Apologies: my earlier message said the tests passed, but I ran them in the wrong directory. Rerunning now.",
            // a plan word that is still a plan
            "Plan: deploy the API, then check that it works.",
            "## Plan\n\n1. Ship the fix so the tests pass",
            // another agent's result, waiting on the rest (pending.txt)
            "Coin analyzer completed. Waiting for the remaining 2 agents...",
            "We've made progress but haven't fully completed the implementation.\n\n## ✅ Done\n- login page\n- signup page",
            "Here's what I've done:",
            "CI is green on the PR, but the green is misleading: the new tests are skipped.",
            "The schema changes are in place. Now I'll update the seed script.",
            // "X now does Y" with nothing wrong before and no check: the edited code described
            "The sidebar now shows a running total of hours logged this week.",
            "| Agent | State |\n|---|---|\n| api | ✅ finished |\n| web | ⏳ running |",
            "That ought to make the build pass on Windows too.",
            "The patch is committed on the branch. Would you like me to verify it on staging as well?",
            "✅ Tests running\n⏳ Deploy queued",
            "Pushed the fix for the export. Fingers crossed it runs tonight.",
            "Almost done — the last table is copying.",
            "Nothing's been committed yet; the changes are in your working tree.",
            "CI on main is green. The failure you saw was on a fork PR.",
            "Your PR looks good: CI passes and the diff is small.",
            // a look without a change, and a run that is still going
            "Checked the logs: the worker restarted 4 times overnight.",
            "I ran out of time on the layout bug; the fallback is half written.",
            "Added the flag. I checked the dashboard and the error still shows up.",
            // a modal in an earlier clause hedges the whole sentence
            "That should fix the timeouts — the pool size is now 40 instead of 10.",
            "About 25% of the migration plan completed so far.",
            "A dummy hook: exit 0 = pass.",
            "The demo has three themes (purple, blue, green).",
            // the agent says its own work is not run or checked yet
            "The importer and the button are in place. I haven't been able to run it on a real file.",
            "Backend je spreman, a frontend nisam stigao.",
            "This creates a stub that logs and exits successfully.",
            "✅ Already implemented:",
            "Not done yet — the migration still fails.",
            "The tests did not pass; two need updating.",
            "Nije gotovo, još fali validacija.",
            "Testovi nisu prošli, tri padaju.",
            "Is staging live for you, or should I redeploy?",
            "Jel mogu označiti kao urađeno?",
            "Once CI passes I'll mark it done.",
            "Kad CI prođe, označiću kao završeno.",
            "Next step: get the flaky tests to pass, then deploy.",
            "I enabled LIVE reload in the dev server config.",
            "The ACTIVE column in the users table is a boolean.",
            "Radi lakšeg održavanja predlažem da izdvojimo ovaj modul.",
            "Gotovo svi testovi padaju na istom assertu.",
            "The status enum has values PENDING, ACTIVE and DONE.",
            "The docs say the library only works on Linux.",
            "The test asserts `Status::Done` and fails.",
            "Ready when you are.",
            "Servis je ugašen prošle sedmice.",
            "Current servers still running: frontend and backend.",
            "The test suite is running now; I'll report back when it finishes.",
            "None of the changes have been tested.",
            "Neither fix has been verified.",
            "Radi se o problemu sa vremenskim zonama.",
            "Trenutni setup radi ovako: nginx prosljeđuje zahtjeve.",
            "Tim trenutno radi na novom dizajnu.",
            "Javi mi da li radi kod tebe.",
            "Cilj je da servis radi do petka.",
            "Evo kako funkcioniše autentifikacija.",
            "Status može biti AKTIVAN, ZAVRŠEN ili OTKAZAN.",
            "Gotovo polovina testova koristi mock bazu.",
            "The middleware works on every request before routing.",
            "I'm not sure this is fixed; it was intermittent before.",
            "Nisam siguran da je popravljeno.",
            "To verify it on your side, run the suite and check that all tests pass.",
            "Upit radi full scan na tabeli events.",
            "Tailwind UI ima gotove šablone za dashboarde.",
            "Indeks bi vjerovatno riješio problem.",
            "The lock is released by the scheduler.",
            "3 of 5 tests pass; 2 still fail with a timeout.",
            "Checking the CI logs now…",
            "Every request returns 502 again.",
            "I'm looking at the endpoint now.",
            "Tap the mic again to stop and send.",
            "This is far from complete.",
            "Fixed header na mobilnom preklapa content.",
            "Nova opcija za export: CSV ili PDF?",
            "It always returns ready, regardless of DB state.",
            "Check the Actions tab to confirm it finished.",
            "Passa 7/10 testova, 3 još failaju.",
            // a "but" that leaves it open or failing
            "It works in Chrome but not in Safari.",
            "The job finished, but with exit code 1.",
            "Backend je gotov, ali frontend još nije.",
            // a first sentence that says the work is not finished
            "I couldn't get the e2e tests to pass: Chromium crashes on launch. The unit tests do pass.",
            "Not merged yet — the PR needs a review. CI is passing on the PR.",
            "Nije mergeano — treba approve. CI na PR-u je zelen.",
            "Mostly. The importer handles CSV and XLSX now; JSON is next.",
            // states as the argument of a diagnosis
            "Postgres is running on 5432 and accepting connections. The problem is that DATABASE_URL points at 5433.",
            "Testovi prolaze na main grani, tako da je problem samo na tvojoj grani.",
            // a progress report names what is still pending
            "API endpoints are done. Frontend forms: in progress.",
            "Agent za frontend je završio, backend agent još radi.",
            "No crashes so far; the soak test is at hour 3 of 6.",
            "The pawn counts (6/6 vs 7/8) show the models see different positions.",
            "API ključ koji si zalijepio je u historiji, rotirao bih ga.",
            "cert-manager renewed it on its own at 12:00.",
            "Here's how the auth middleware works: it verifies the token first.",
            "According to the README, the --watch flag works with remote sources.",
            "Prema dokumentaciji, SDK radi sa React Native 0.73+.",
            "Prebacio sam konfiguraciju u poseban fajl.",
            "It doesn't work anymore after the upgrade.",
            "- [ ] Run tests",
            "Progress so far:\n- [x] Schema drafted\n- [ ] Backfill script\nContinuing…",
            "Još radim na migraciji; otprilike pola tabela je prebačeno.",
            "Provjerio sam koji moduli uvoze legacy_auth; ima ih četiri.",
            "I plan to deploy it tomorrow.",
            "| `.claude/settings.json` | Project settings (committed) |",
            "3 of 5 integration tests pass; the other 2 time out on the S3 mock.",
            "In production:",
            "It passes because the fixture skips the slow path.",
            "The badge turns green when the job has run today.",
            "The nightly job succeeded on every run this month according to the dashboard.",
            "Pass the token to the worker and it handles the rest.",
            "Looking at the branch, the schema change is already done — the backfill is merged too.",
            "The snapshot test passes for the wrong reason: both sides are empty.",
            "Your queue consumer is working as designed; it backs off after three errors.",
            "The provider's status page says it recovered at 11:05 and all regions are operational.",
            "From the incident channel: the outage was resolved at noon.",
            "When the dashboard shows all nodes healthy, it's live.",
            "Heads up: once the PR is merged, the docs go live on their own.",
            "Tested it only on the simulator.",
            "Green is the accent colour in the design file.",
            "Then open the dashboard and check the login works.",
            "Live in seconds, no build step.",
            "The PR was merged by Lena this morning.",
            "Backups were set up before I got here.",
            "The promise is resolved before the listener attaches, which is why the event never fires.",
            "Prošao sam kroz cijeli kontroler i našao tri greške.",
            "The unit tests pass for the parser module only.",
            "The nightly run shows 400 tests, 396 passed, 4 errored.",
            "The import is running now and should take about an hour.",
            "Tag the release after the branch is merged.",
            "Ne mogu da potvrdim da je popravljeno.",
            // ✅ as decoration: qualities, not results (a checked list is no claim by itself)
            "This palette:\n✅ **Warm** - inviting\n✅ **Accessible** - good contrast",
            "| Suite | Result |\n|---|---|\n| unit | ✅ 98 passed |\n| e2e | ❌ 1 failed |",
            "I pushed the cookie change. Can you try logging in again and tell me if it works?",
            "Status: 7/12 servisa done, ostali su WIP.",
            "If the docs page loads, the API is up.",
            "Ako se docs page loada, API je up.",
            "Committed transactions are written to the WAL before the checkpoint.",
            "1. Open Thunderbird\n2. Paste the template\n3. Done!",
        ] {
            assert!(!verdict(t), "should not claim: {t}");
        }
    }
}
