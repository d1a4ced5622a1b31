//! The words around a claim word: negation, plans and conditions, copulas, check marks,
//! labels and failure reports — the context rules every sense shares.

use crate::lexicon::{self, bs, en};
use crate::text::{CHECK, Token};

/// A failure word that is not itself denied ("nothing is broken", "0 failed").
pub(crate) fn failure_in(tokens: &[Token]) -> bool {
    tokens.iter().enumerate().any(|(k, t)| {
        let w = t.folded.as_str();
        let failing = en::FAILURE.contains(&w) || bs::FAILURE.contains(&w);
        let denied = tokens[k.saturating_sub(2)..k].iter().any(|p| {
            let p = p.folded.as_str();
            lexicon::is_negator(p) || en::CLAUSE_NEGATORS.contains(&p) || matches!(p, "0" | "zero")
        });
        // "the error rate dropped to zero", "stopa grešaka je pala na nulu"
        let to_zero = tokens[k + 1..]
            .iter()
            .take(3)
            .any(|n| matches!(n.folded.as_str(), "zero" | "nulu" | "nula" | "0"));
        // "re-ran the failed job", "a deliberately failing run": an attribute of a noun, not
        // a failure report
        let attribute = matches!(w, "failed" | "failing")
            && k > 0
            && matches!(
                tokens[k - 1].folded.as_str(),
                "the" | "a" | "an" | "deliberately" | "intentionally" | "previously" | "one"
            );
        // "je sa 14 minuta palo na 4", "dropped to 40 ms": a measured fall, not a crash
        let measured = tokens.get(k + 1).is_some_and(|n| {
            matches!(n.folded.as_str(), "na" | "to" | "by" | "sa" | "from" | "za")
        }) && tokens
            .get(k + 2)
            .is_some_and(|n| n.folded.starts_with(|c: char| c.is_ascii_digit()));
        failing && !denied && !to_zero && !attribute && !measured
    })
}

pub(crate) fn is_mark(w: &str) -> bool {
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
pub(crate) fn after_copula(toks: &[Token], i: usize) -> bool {
    linked(toks, i, true)
}

/// A real copula just before (no check mark).
pub(crate) fn copula_before(toks: &[Token], i: usize) -> bool {
    linked(toks, i, false)
}

pub(crate) fn linked(toks: &[Token], i: usize, check_counts: bool) -> bool {
    let mut k = i;
    while k > 0 {
        k -= 1;
        let w = toks[k].folded.as_str();
        if lexicon::is_copula(w) || (check_counts && w == CHECK) {
            return true;
        }
        // coordination: "are migrated and live", "je testirano i spremno"
        if matches!(w, "and" | "i") && k >= 1 {
            k -= 1;
            continue;
        }
        if !lexicon::is_degree(w) {
            return false;
        }
    }
    false
}

/// Nothing but degree words or check marks after: "Theme Update Complete", "LIVE now".
pub(crate) fn clause_final(toks: &[Token], end: usize) -> bool {
    toks[end..]
        .iter()
        .all(|t| lexicon::is_degree(&t.folded) || t.folded == CHECK || t.folded == "too")
}

pub(crate) fn check_mark_near(toks: &[Token], i: usize) -> bool {
    toks[i.saturating_sub(2)..i]
        .iter()
        .any(|t| t.folded == CHECK)
}

/// A negator within four words before, not across "and"/"i"/"then"; a clause that opens
/// with "None of …", "Neither …", "Ništa …"; or doubt before it ("I'm not sure this is
/// fixed", "nisam siguran da je popravljeno").
pub(crate) fn negator_before(toks: &[Token], i: usize) -> Option<String> {
    if i > 0 && en::CLAUSE_NEGATORS.contains(&toks[0].folded.as_str()) {
        return Some(toks[0].raw.clone());
    }
    // "I wasn't able to get the tests passing": inability anywhere before it in the clause
    let before: Vec<&str> = toks[..i].iter().map(|t| t.folded.as_str()).collect();
    if let Some(p) = crate::discourse::find_phrase(&before, crate::discourse::INABILITY) {
        return Some(p.to_string());
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
                | "confident"
                | "potvrditi"
                | "potvrdim"
                | "potvrdimo"
        );
        if doubt
            && toks[k.saturating_sub(3)..k]
                .iter()
                .any(|t| lexicon::is_negator(&t.folded))
        {
            return Some(format!("not {}", toks[k].raw));
        }
    }
    // "far from complete", "nowhere near done"
    for k in i.saturating_sub(4)..i {
        let pair = (
            toks[k].folded.as_str(),
            toks.get(k + 1).map(|t| t.folded.as_str()),
        );
        if matches!(pair, ("far", Some("from")) | ("nowhere", Some("near"))) {
            return Some(format!("{} {}", toks[k].raw, toks[k + 1].raw));
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
pub(crate) fn irrealis_before(toks: &[Token], i: usize) -> Option<String> {
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
    // An instruction to check something: "check that all tests pass", "make sure it works",
    // "confirm it finished". The base forms only: "confirmed"/"verified" are claims.
    let check = (0..i).find(|&k| {
        let w = toks[k].folded.as_str();
        let then = toks.get(k + 1).map(|t| t.folded.as_str());
        matches!(
            w,
            "verify" | "ensure" | "confirm" | "sure" | "provjeri" | "proveri" | "potvrdi"
        ) || (w == "check" && matches!(then, Some("that" | "whether" | "if" | "da")))
            // "Then open the URL and check the login works": "check" as a command
            || (w == "check"
                && (k == 0
                    || matches!(
                        toks[k - 1].folded.as_str(),
                        "and" | "then" | "please" | "i" | "pa"
                    )))
    });
    if let Some(k) = check {
        return Some(toks[k].raw.clone());
    }
    // "plan to …": the future; "the Terraform plan applied" is a noun
    if let Some(k) = (0..i.saturating_sub(1)).find(|&k| {
        matches!(toks[k].folded.as_str(), "plan" | "plans") && toks[k + 1].folded == "to"
    }) {
        return Some(toks[k].raw.clone());
    }
    // "going to": the future; "going" alone is a verb ("emails are going out again")
    if let Some(k) =
        (0..i.saturating_sub(1)).find(|&k| toks[k].folded == "going" && toks[k + 1].folded == "to")
    {
        return Some(toks[k].raw.clone());
    }
    // (the words are gathered only for a "kad" or "planning" that needs them)
    let words = || toks.iter().map(|t| t.folded.as_str()).collect::<Vec<_>>();
    toks[..i]
        .iter()
        .enumerate()
        .find(|(k, t)| {
            let w = t.folded.as_str();
            lexicon::is_irrealis(w)
                && !(has_now && en::MODAL_NOW.contains(&w))
                // "Planning phase complete": the planning that was the work, reported done
                && !(matches!(w, "planning" | "planned")
                    && crate::discourse::plan_reported_done(&words(), *k))
                && !(matches!(w, "kad" | "kada") && past_when(&words(), *k))
        })
        .map(|(_, t)| t.raw.clone())
}

/// "kad sam pustio izmjenu", "kad je particija stigla": a "when" clause in the past tells
/// when something happened, not a condition.
pub(crate) fn past_when(words: &[&str], k: usize) -> bool {
    matches!(words[k], "kad" | "kada")
        && words[k + 1..words.len().min(k + 4)]
            .iter()
            .any(|w| matches!(*w, "sam" | "si" | "je" | "smo" | "ste" | "su"))
        && words[k + 1..words.len().min(k + 6)]
            .iter()
            .any(|w| w.len() > 3 && ["o", "la", "lo", "li", "le"].iter().any(|e| w.ends_with(e)))
}

/// A word in -s long enough to be a plural noun or a third-person verb ("tests", "compiles"),
/// not "is", "ss" ("pass", "class").
pub(crate) fn plural_noun(w: &str) -> bool {
    w.len() > 3 && w.ends_with('s') && !w.ends_with("ss")
}
