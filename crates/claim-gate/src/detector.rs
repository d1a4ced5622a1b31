//! The claim detector: which sentences of a message claim success, and why each claim word
//! found does or does not count. Deterministic — token rules over the lexicons, no model.
//!
//! A claim word counts unless its context says otherwise, checked in this order: its own
//! sense (a state adjective before a noun, "radi" as a preposition, "gotovo" as "almost"…),
//! a label or quoted value ("mark as done", ALL-CAPS enum values), reported speech,
//! negation just before it, a plan / condition / future before it in its clause, or a
//! question.

use crate::lexicon::{self, Entry, Form, Sense, bs, en};
use crate::text::{self, CHECK, Clause, Sentence, Token};
use std::collections::HashMap;

/// What the detector decided about one claim word.
#[derive(Debug, Clone, PartialEq, Eq)]
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
}

#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    pub sentence: String,
    pub keyword: String,
    pub judgement: Judgement,
    /// Why the word is in the lexicon.
    pub why: &'static str,
}

impl Finding {
    pub fn is_claim(&self) -> bool {
        self.judgement == Judgement::Claim
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
        }
    }
}

/// The lexicon in lookup form: whole words by hash, stems and phrases by scan.
pub struct Lexicon {
    words: HashMap<&'static str, Entry>,
    stems: Vec<Entry>,
    phrases: Vec<Entry>,
}

impl Lexicon {
    pub fn builtin() -> Lexicon {
        Lexicon::new(&[], &[])
    }

    /// The built-in lexicon plus `extra` claim words (matched as whole words, Plain sense)
    /// minus `disabled` ones (by word, stem or phrase text).
    pub fn new(extra: &[String], disabled: &[String]) -> Lexicon {
        let disabled: Vec<String> = disabled
            .iter()
            .map(|d| text::fold(&d.to_lowercase()))
            .collect();
        let mut lex = Lexicon {
            words: HashMap::new(),
            stems: Vec::new(),
            phrases: Vec::new(),
        };
        for e in lexicon::builtin() {
            if disabled.contains(&form_text(e)) {
                continue;
            }
            lex.add(*e);
        }
        for w in extra {
            let folded = text::fold(&w.to_lowercase());
            let parts: Vec<&'static str> = folded
                .split_whitespace()
                .map(|p| &*Box::leak(p.to_string().into_boxed_str()))
                .collect();
            let form = match parts.as_slice() {
                [] => continue,
                [one] => Form::Word(one),
                many => Form::Phrase(Box::leak(many.to_vec().into_boxed_slice())),
            };
            lex.add(Entry {
                form,
                sense: Sense::Plain,
                why: "added by config (claim_gate.extra_claim_words)",
            });
        }
        lex
    }

    fn add(&mut self, e: Entry) {
        match e.form {
            Form::Word(w) => {
                self.words.insert(w, e);
            }
            Form::Stem(..) => self.stems.push(e),
            Form::Phrase(_) => self.phrases.push(e),
        }
    }

    /// The entry matching at `tokens[i]`, with the index one past the match.
    fn matches(&self, tokens: &[Token], i: usize) -> Option<(Entry, usize)> {
        let mut best: Option<(Entry, usize)> = None;
        for e in &self.phrases {
            if let Form::Phrase(p) = e.form
                && let Some(end) = match_phrase(p, tokens, i)
                && best.is_none_or(|(_, b)| end > b)
            {
                best = Some((*e, end));
            }
        }
        if best.is_some() {
            return best;
        }
        let w = tokens[i].folded.as_str();
        if let Some(e) = self.words.get(w) {
            return Some((*e, i + 1));
        }
        self.stems
            .iter()
            .find(|e| match e.form {
                Form::Stem(s, endings) => w
                    .strip_prefix(s)
                    .is_some_and(|rest| endings.contains(&rest)),
                _ => false,
            })
            .map(|e| (*e, i + 1))
    }
}

fn form_text(e: &Entry) -> String {
    match e.form {
        Form::Word(w) | Form::Stem(w, _) => w.to_string(),
        Form::Phrase(p) => p.join(" "),
    }
}

fn match_phrase(p: &[&str], tokens: &[Token], i: usize) -> Option<usize> {
    let (mut pi, mut ti) = (0, i);
    while pi < p.len() {
        if p[pi] == "*" {
            // up to three words, then the rest of the phrase
            let rest = &p[pi + 1..];
            return (ti..=(ti + 3).min(tokens.len()))
                .find_map(|start| match_phrase(rest, tokens, start));
        }
        if tokens.get(ti)?.folded != p[pi] {
            return None;
        }
        pi += 1;
        ti += 1;
    }
    Some(ti)
}

/// Every claim word in `text`, judged.
pub fn analyze(text: &str, lex: &Lexicon) -> Vec<Finding> {
    let prose = text::strip_non_prose(text);
    let mut out = Vec::new();
    for s in text::sentences(&prose) {
        analyze_sentence(&s, lex, &mut out);
    }
    out
}

/// True when any finding counts as a claim.
pub fn claims(findings: &[Finding]) -> impl Iterator<Item = &Finding> {
    findings.iter().filter(|f| f.is_claim())
}

struct SentenceContext {
    plan: Option<String>,
    instruction: bool,
    meta_noun: bool,
    failure: bool,
}

fn analyze_sentence(s: &Sentence, lex: &Lexicon, out: &mut Vec<Finding>) {
    let all = || s.clauses.iter().flat_map(|c| c.tokens.iter());
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
            .or_else(|| plan_opener(&s.clauses[0].tokens)),
        instruction: s.instruction,
        meta_noun: caps_values >= 3 || all().any(|t| en::META_NOUNS.contains(&t.folded.as_str())),
        failure: s.clauses.iter().any(|c| failure_in(&c.tokens)),
    };
    for (ci, clause) in s.clauses.iter().enumerate() {
        let toks = &clause.tokens;
        let mut i = 0;
        while i < toks.len() {
            let hit = lex
                .matches(toks, i)
                .or_else(|| now_verb(toks, i))
                .or_else(|| if ci == 0 { checked_past(toks, i) } else { None });
            let Some((entry, end)) = hit else {
                i += 1;
                continue;
            };
            let sentence_start = ci == 0 && i == 0;
            if entry.sense == Sense::Telegraphic
                && !(sentence_start && starts_upper(&toks[i]))
                && !perfect_passive(toks, i)
            {
                i = end;
                continue;
            }
            let keyword = toks[i..end]
                .iter()
                .map(|t| t.raw.as_str())
                .collect::<Vec<_>>()
                .join(" ");
            let judgement = judge(&entry, clause, i, end, &ctx);
            out.push(Finding {
                sentence: s.text.clone(),
                keyword,
                judgement,
                why: entry.why,
            });
            i = end;
        }
    }
}

/// A failure word that is not itself denied ("nothing is broken", "0 failed").
fn failure_in(tokens: &[Token]) -> bool {
    tokens.iter().enumerate().any(|(k, t)| {
        let w = t.folded.as_str();
        let failing = en::FAILURE.contains(&w) || bs::FAILURE.contains(&w);
        let denied = tokens[k.saturating_sub(2)..k].iter().any(|p| {
            let p = p.folded.as_str();
            lexicon::is_negator(p) || en::CLAUSE_NEGATORS.contains(&p) || matches!(p, "0" | "zero")
        });
        failing && !denied
    })
}

/// "has been updated", "have been created", "is now updated", "are all saved".
fn perfect_passive(toks: &[Token], i: usize) -> bool {
    let w = |k: usize| toks.get(k).map(|t| t.folded.as_str());
    (i >= 2 && w(i - 1) == Some("been") && matches!(w(i - 2), Some("has" | "have" | "had")))
        || (i >= 2
            && matches!(w(i - 1), Some("now" | "all"))
            && matches!(w(i - 2), Some("is" | "are")))
}

fn starts_upper(t: &Token) -> bool {
    t.raw.chars().next().is_some_and(|c| c.is_uppercase())
}

/// "now" + a verb in -s: "the app now compiles cleanly", "the export now handles unicode".
fn now_verb(toks: &[Token], i: usize) -> Option<(Entry, usize)> {
    let next = toks.get(i + 1)?;
    let w = next.folded.as_str();
    let verb = toks[i].folded == "now"
        && w.len() >= 4
        && w.ends_with('s')
        && !w.ends_with("ss")
        && w.chars().all(|c| c.is_ascii_alphabetic())
        && !en::NOW_NOT_VERB.contains(&w);
    verb.then_some((
        lexicon::phrase(
            &[],
            Sense::Plain,
            "'X now does Y' asserts new working behaviour",
        ),
        i + 2,
    ))
}

/// A check mark opening a sentence before a past form: "✅ Made it compact", "✓ Removed X".
fn checked_past(toks: &[Token], i: usize) -> Option<(Entry, usize)> {
    if i != 0 || toks[0].folded != CHECK {
        return None;
    }
    let w = toks.get(1)?.folded.as_str();
    let past = (w.len() > 4 && w.ends_with("ed")) || en::IRREGULAR_PAST.contains(&w);
    past.then_some((
        lexicon::phrase(
            &[],
            Sense::Plain,
            "a check mark before a past form marks a done item",
        ),
        2,
    ))
}

fn plan_opener(tokens: &[Token]) -> Option<String> {
    // "My recommendation: …", "Option 2 — …": a plan word among the first words.
    if let Some(t) = tokens.iter().take(3).find(|t| {
        en::PLAN_WORDS.contains(&t.folded.as_str()) || bs::PLAN_WORDS.contains(&t.folded.as_str())
    }) {
        return Some(t.raw.clone());
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
    for opener in en::PLAN_OPENERS {
        if opener.len() <= tokens.len() && opener.iter().zip(tokens).all(|(o, t)| *o == t.folded) {
            return Some(opener.join(" "));
        }
    }
    tokens
        .first()
        .filter(|t| bs_plan.contains(&t.folded.as_str()))
        .map(|t| t.raw.clone())
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
    // Negation, plans and questions first: they are what a reader sees first, too.
    if e.sense != Sense::Positive
        && let Some(neg) = negator_before(toks, i)
    {
        return Judgement::Negated(neg);
    }
    if let Some(m) = irrealis_before(toks, i) {
        return Judgement::Irrealis(m);
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
    if e.sense != Sense::Telegraphic && !copula_before(toks, i) {
        if prev.is_some_and(|p| en::DETERMINERS.contains(&p)) && next.is_some() {
            return Judgement::OtherSense("an adjective before a noun (\"the done callback\")");
        }
        // A participle ("deployed", "fixed") is followed by its object in report style
        // ("Fixed bug in …"); only a few nouns make it a kind of thing there.
        let participle = toks[i].folded.ends_with("ed") && end == i + 1;
        let kind_noun = if participle {
            matches!(
                next,
                Some(
                    "callback"
                        | "button"
                        | "badge"
                        | "column"
                        | "flag"
                        | "width"
                        | "label"
                        | "handler"
                        | "event"
                        | "size"
                        | "rate"
                        | "criteria"
                        | "window"
                        | "point"
                        | "length"
                        | "height"
                        | "price"
                        | "cost"
                        | "interval"
                        | "format"
                )
            )
        } else {
            next.is_some_and(|n| en::LABEL_NOUNS.contains(&n))
        };
        if kind_noun {
            return Judgement::OtherSense(
                "names a kind of thing (\"done callback\", \"fixed width\", \"success message\")",
            );
        }
    }
    if let Some(r) = before
        .iter()
        .find(|t| en::REPORTED.contains(&t.folded.as_str()))
    {
        let _ = r;
        return Judgement::OtherSense(
            "reported speech: someone else's words, not the agent's claim",
        );
    }
    if matches!(
        e.sense,
        Sense::Works | Sense::Working | Sense::Running | Sense::Pass | Sense::Radi
    ) && before
        .iter()
        .any(|t| en::EXPLAIN.contains(&t.folded.as_str()) || t.folded == "kako")
    {
        return Judgement::OtherSense("explains how something works, not a result");
    }
    Judgement::Claim
}

fn is_mark(w: &str) -> bool {
    matches!(
        w,
        "mark"
            | "marked"
            | "marking"
            | "marks"
            | "call"
            | "calling"
            | "called"
            | "declare"
            | "label"
    ) || w.starts_with("oznac")
}

/// Copula (or check mark) just before, skipping degree adverbs: "is live", "are now fully
/// green", "✅ LIVE".
fn after_copula(toks: &[Token], i: usize) -> bool {
    linked(toks, i, true)
}

/// A real copula just before (no check mark).
fn copula_before(toks: &[Token], i: usize) -> bool {
    linked(toks, i, false)
}

fn linked(toks: &[Token], i: usize, check_counts: bool) -> bool {
    let mut k = i;
    while k > 0 {
        k -= 1;
        let w = toks[k].folded.as_str();
        if lexicon::is_copula(w) || (check_counts && w == CHECK) {
            return true;
        }
        if !lexicon::is_degree(w) {
            return false;
        }
    }
    false
}

/// Nothing but degree words or check marks after: "Theme Update Complete", "LIVE now".
fn clause_final(toks: &[Token], end: usize) -> bool {
    toks[end..]
        .iter()
        .all(|t| lexicon::is_degree(&t.folded) || t.folded == CHECK || t.folded == "too")
}

fn check_mark_near(toks: &[Token], i: usize) -> bool {
    toks[i.saturating_sub(2)..i]
        .iter()
        .any(|t| t.folded == CHECK)
}

/// Sense-specific reasons the word is not a claim here.
fn sense_exclusion(
    e: &Entry,
    toks: &[Token],
    i: usize,
    end: usize,
    ctx: &SentenceContext,
) -> Option<&'static str> {
    let w = |k: usize| toks.get(k).map(|t| t.folded.as_str());
    let prev = if i > 0 { w(i - 1) } else { None };
    let next = w(end);
    let now_before = toks[i.saturating_sub(2)..i]
        .iter()
        .any(|t| matches!(t.folded.as_str(), "now" | "sada" | "sad"));
    let boosted = check_mark_near(toks, i)
        || now_before
        || next.is_some_and(|n| en::RUNNING_BOOST.contains(&n));
    match e.sense {
        Sense::Predicative => {
            if next == Some("of")
                || (toks[i].folded == "up" && matches!(next, Some("to" | "for" | "with" | "front")))
            {
                return Some("part of another phrase (\"out of\", \"up to\")");
            }
            let ok = after_copula(toks, i) || check_mark_near(toks, i) || clause_final(toks, end);
            (!ok).then_some(
                "an adjective before a noun, not a state (\"LIVE reload\", \"the ACTIVE column\")",
            )
        }
        Sense::State => {
            if next == Some("of")
                || (toks[i].folded == "up" && matches!(next, Some("to" | "for" | "with" | "front")))
            {
                return Some("part of another phrase (\"out of\", \"up to\")");
            }
            (!after_copula(toks, i))
                .then_some("a state word not said of anything (\"LIVE reload\", \"timed out\")")
        }
        Sense::Running => {
            let subject = &toks[i.saturating_sub(5)..i];
            if prev == Some("still")
                || subject
                    .iter()
                    .any(|t| en::PROGRESS_NOUNS.contains(&t.folded.as_str()))
            {
                return Some("a job that is running is still in progress, not a result");
            }
            let service = subject
                .iter()
                .any(|t| en::SERVICE_NOUNS.contains(&t.folded.as_str()))
                && after_copula(toks, i);
            let located = matches!(next, Some("on" | "at"))
                && w(end + 1).is_some_and(|n| matches!(n, "port" | "url" | "localhost" | "http"));
            let ok = boosted
                || service
                || located
                || matches!(prev, Some("and" | "verified" | "tested" | "confirmed"));
            (!ok).then_some("a process that is running is not yet a result")
        }
        Sense::Working => {
            if next.is_some_and(|n| en::WORKING_ACTIVITY_NEXT.contains(&n)) {
                return Some("an activity (\"working on\"), not a result");
            }
            let ok = boosted
                || matches!(prev, Some("and" | "verified" | "tested" | "confirmed"))
                || (after_copula(toks, i) && prev != Some("still"));
            (!ok).then_some("not said of a result")
        }
        Sense::Works => {
            let only = toks[i.saturating_sub(2)..i]
                .iter()
                .any(|t| matches!(t.folded.as_str(), "only" | "samo"));
            let explained = next.is_some_and(|n| {
                en::WORKS_EXPLAIN_NEXT.contains(&n) || bs::WORKS_EXPLAIN_NEXT.contains(&n)
            });
            let everywhere = next == Some("on")
                && w(end + 1).is_some_and(|n| matches!(n, "every" | "each" | "all" | "any"));
            if only || explained || everywhere {
                return Some("describes how or where something works, not a result");
            }
            None
        }
        Sense::Pass => {
            if ctx.failure {
                return Some("a pass count beside failures is a failure report");
            }
            if !toks[i].is_all_caps() && next.is_some_and(|n| en::PASS_OTHER_NEXT.contains(&n)) {
                return Some("\"pass\" in the sense of handing something on");
            }
            let present = matches!(toks[i].folded.as_str(), "pass" | "passes");
            if present
                && !toks[i].is_all_caps()
                && next.is_some_and(|n| {
                    !en::PASS_INTRANSITIVE_NEXT.contains(&n)
                        && !n.chars().all(|c| c.is_ascii_digit())
                })
            {
                return Some(
                    "\"pass X\": getting through or handing on something, not tests passing",
                );
            }
            None
        }
        Sense::Ready => {
            let subject = toks[i.saturating_sub(3)..i]
                .iter()
                .chain(toks.get(end))
                .any(|t| {
                    en::AVAILABILITY_SUBJECTS.contains(&t.folded.as_str())
                        || bs::AVAILABILITY_SUBJECTS.contains(&t.folded.as_str())
                });
            let next2 = w(end + 1);
            let availability = subject
                || matches!(
                    next,
                    Some("when" | "whenever" | "if" | "once" | "kad" | "kada" | "cim")
                )
                || (next == Some("to")
                    && next2.is_some_and(|n| en::AVAILABILITY_AFTER_TO.contains(&n)))
                || (next == Some("for")
                    && next2.is_some_and(|n| en::AVAILABILITY_AFTER_FOR.contains(&n)));
            availability
                .then_some("speaks of being available for the next step, not of finished work")
        }
        Sense::Almost => {
            let mut k = end;
            while matches!(w(k), Some("je" | "su")) {
                k += 1;
            }
            let almost = w(k).is_some_and(|n| {
                bs::ALMOST_NEXT.contains(&n) || n.chars().all(|c| c.is_ascii_digit())
            });
            if almost {
                return Some("\"gotovo\" meaning \"almost\"");
            }
            // "gotove šablone": ready-made, an adjective before a noun
            let pred_next = [
                "je", "su", "i", "a", "ali", "sa", "za", "na", "kao", "vec", "sada", "sad", "ok",
                "bez", "do", "od",
            ];
            next.filter(|n| n.chars().all(char::is_alphabetic) && !pred_next.contains(n))
                .map(|_| "\"gotov-\" before a noun: ready-made, not done")
        }
        Sense::Radi => {
            let next2 = w(end + 1);
            if next.is_some_and(|n| bs::WORKS_EXPLAIN_NEXT.contains(&n)) {
                return Some("\"radi ovako / radi se o / radi samo\": a description, not a result");
            }
            if next == Some("na") {
                let place =
                    next2.is_some_and(|m| bs::RADI_NA_PLACES.iter().any(|p| m.starts_with(p)));
                return (!place)
                    .then_some("\"radi na …\": an activity or a description, not a result");
            }
            match next {
                None => None,
                Some(n) if bs::RADI_VERB_NEXT.contains(&n) => None,
                // an adverb ("radi perfektno", "radi stabilno")
                Some(n) if n.ends_with('o') && n.len() > 3 => None,
                Some(n)
                    if [
                        "eg", "og", "ih", "ja", "sti", "nja", "nje", "ije", "ega", "oga", "toga",
                    ]
                    .iter()
                    .any(|s| n.ends_with(s)) =>
                {
                    Some("\"radi\" + genitive: the preposition \"for the sake of\"")
                }
                Some(n) if n.chars().all(char::is_alphabetic) => {
                    Some("\"radi X\": does or performs something, not \"works\"")
                }
                _ => None,
            }
        }
        Sense::PastTime => {
            let time = next.is_some_and(|n| bs::TIME_NOUNS.iter().any(|t| n.starts_with(t)));
            time.then_some("\"prošl-\" meaning \"last\" before a time word")
        }
        // "the lock is released by the scheduler": a mechanism, not a release
        Sense::Plain if toks[i].folded == "released" && next == Some("by") => {
            Some("\"released by\": describes a mechanism")
        }
        Sense::Plain | Sense::Telegraphic | Sense::Positive => None,
    }
}

/// A negator within four words before, not across "and"/"i"/"then"; a clause that opens
/// with "None of …", "Neither …", "Ništa …"; or doubt before it ("I'm not sure this is
/// fixed", "nisam siguran da je popravljeno").
fn negator_before(toks: &[Token], i: usize) -> Option<String> {
    if i > 0 && en::CLAUSE_NEGATORS.contains(&toks[0].folded.as_str()) {
        return Some(toks[0].raw.clone());
    }
    for k in 0..i {
        let w = toks[k].folded.as_str();
        let doubt = matches!(
            w,
            "sure"
                | "certain"
                | "siguran"
                | "sigurna"
                | "sigurni"
                | "sigurno"
                | "confirm"
                | "potvrditi"
        );
        if doubt
            && toks[k.saturating_sub(2)..k]
                .iter()
                .any(|t| lexicon::is_negator(&t.folded))
        {
            return Some(format!("not {}", toks[k].raw));
        }
    }
    for t in toks[..i].iter().rev().take(4) {
        let w = t.folded.as_str();
        if matches!(w, "and" | "i" | "then" | "pa" | "so" | "a") {
            return None;
        }
        if lexicon::is_negator(w) {
            return Some(t.raw.clone());
        }
    }
    None
}

/// A plan, condition or future marker earlier in the clause ("once", "I'll", "ću", "kad"),
/// or "to" right before ("get the tests to pass"). "should"/"can" with "now" in the clause is
/// a hedged present claim ("should be all set now").
fn irrealis_before(toks: &[Token], i: usize) -> Option<String> {
    let has_now = toks
        .iter()
        .any(|t| matches!(t.folded.as_str(), "now" | "sada" | "sad"));
    if i > 0 && toks[i - 1].folded == "to" {
        return Some("to".into());
    }
    if i > 1
        && toks[i - 2].folded == "to"
        && matches!(toks[i - 1].folded.as_str(), "be" | "get" | "been")
    {
        return Some("to".into());
    }
    // An instruction to check something: "check that all tests pass", "make sure it works".
    let check = (0..i.saturating_sub(1)).find(|&k| {
        matches!(
            toks[k].folded.as_str(),
            "check" | "verify" | "ensure" | "confirm" | "sure" | "provjeri" | "proveri"
        ) && matches!(
            toks[k + 1].folded.as_str(),
            "that" | "whether" | "if" | "da"
        )
    });
    if let Some(k) = check {
        return Some(toks[k].raw.clone());
    }
    toks[..i]
        .iter()
        .find(|t| {
            let w = t.folded.as_str();
            lexicon::is_irrealis(w) && !(has_now && en::MODAL_NOW.contains(&w))
        })
        .map(|t| t.raw.clone())
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
            "Done. The retry logic is in place.",
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
        ] {
            assert!(verdict(t), "should claim: {t}");
        }
    }

    #[test]
    fn not_claims() {
        for t in [
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
            "1. Open Thunderbird\n2. Paste the template\n3. Done!",
        ] {
            assert!(!verdict(t), "should not claim: {t}");
        }
    }
}
