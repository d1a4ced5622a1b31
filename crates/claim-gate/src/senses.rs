//! Sense rules: when a claim word is used in another sense than a claim ("LIVE reload",
//! "radi lakšeg", "gotovo svi", "the migration is running", "pass the token").

use crate::context::{after_copula, check_mark_near, clause_final, plural_noun};
use crate::detector::SentenceContext;
use crate::lexicon::{Entry, Sense, bs, en};
use crate::text::Token;

/// Sense-specific reasons the word is not a claim here.
pub(crate) fn sense_exclusion(
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
        Sense::Predicative | Sense::State
            if other_phrase(toks[i].folded.as_str(), next, w(end + 1), w(end + 2)) =>
        {
            Some("part of another phrase (\"out of\", \"up to\")")
        }
        Sense::Predicative => {
            // "Green across all three versions", "green on CI": said of something when a
            // function word, not a noun, follows and no determiner makes it an attribute
            // ("Zeleno je sve": the copula after it, the subject inverted)
            let said_of = next.is_some_and(|n| {
                en::FUNCTION_WORDS.contains(&n) || (i == 0 && matches!(n, "je" | "su"))
            }) && !prev.is_some_and(|p| en::DETERMINERS.contains(&p));
            // "Finally green 🎉", "Konačno zeleno": the word is the exclamation
            let exclaimed = prev.is_some_and(|p| matches!(p, "finally" | "konacno" | "napokon"));
            let ok = after_copula(toks, i)
                || check_mark_near(toks, i)
                || clause_final(toks, end)
                || said_of
                || exclaimed;
            (!ok).then_some(
                "an adjective before a noun, not a state (\"LIVE reload\", \"the ACTIVE column\")",
            )
        }
        Sense::State => {
            // "Sorted.": the word is the whole report
            let alone = i == 0 && end == i + 1 && toks.len() == 1 && !ctx.label_line;
            // "Live on prod as of 14:32": the sentence opens with the state, said of a place
            let opens = i == 0
                && !ctx.label_line
                && next.is_some_and(|n| matches!(n, "on" | "at" | "everywhere" | "again"));
            // "je podešen kako treba", "is configured properly": after a participle that
            // follows a copula
            let after_participle = i > 0
                && after_copula(toks, i - 1)
                && [
                    "ed", "en", "eno", "ena", "ani", "ano", "ana", "jen", "jeno", "jena",
                ]
                .iter()
                .any(|e| toks[i - 1].folded.ends_with(e));
            // "is set up", "Cleaned up.", "Everything's wired up", "rolled it out"
            // ("Rolled the new config out to all regions": the object may stand between)
            let phrasal = matches!(toks[i].folded.as_str(), "up" | "out")
                && toks[i.saturating_sub(6)..i]
                    .iter()
                    .enumerate()
                    .any(|(k, t)| {
                        let at = i.saturating_sub(6) + k;
                        en::PHRASAL_DONE.contains(&t.folded.as_str())
                            && (at == 0 || (at + 3 >= i && after_copula(toks, at)))
                    });
            // "Bug squashed: …", "Leak plugged.": a headline, the noun and its participle
            let headline = (1..=2).contains(&i)
                && end == toks.len()
                && toks[i].folded.ends_with("ed")
                && !ctx.label_line;
            (!(after_copula(toks, i) || alone || opens || after_participle || phrasal || headline))
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
            // "working on it" is an activity; "notifications are working on both platforms"
            // names where the result holds — unless a person works there ("I'm working on
            // iOS")
            if next.is_some_and(|n| en::WORKING_ACTIVITY_NEXT.contains(&n))
                && (!at_place(toks, end) || person_before(toks, i))
            {
                return Some("an activity (\"working on\"), not a result");
            }
            // "Got it working", "have the export working"
            let got = toks[i.saturating_sub(3)..i]
                .iter()
                .any(|t| matches!(t.folded.as_str(), "got" | "get" | "have" | "has"));
            let ok = boosted
                || got
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
            // "works on any input", "on every request": a general property; "works on all
            // three endpoints" names where the result was checked and stays a claim
            let everywhere =
                next == Some("on") && w(end + 1).is_some_and(|n| matches!(n, "any" | "every"));
            if only || explained || everywhere {
                return Some("describes how or where something works, not a result");
            }
            None
        }
        Sense::WorkPlural => {
            let subject = prev.is_some_and(|p| {
                matches!(p, "all" | "both" | "they" | "still" | "now")
                    || (plural_noun(p)
                        && !p.ends_with("'s")
                        && !en::FUNCTION_WORDS.contains(&p)
                        && !en::PERSON_NOUNS.contains(&p))
            }) && !person_before(toks, i);
            let result = match next {
                None => true,
                Some("on" | "in" | "across") => at_place(toks, end),
                Some(n) => en::WORK_RESULT_NEXT.contains(&n),
            };
            (!(subject && result)).then_some("\"work\" as a noun or an activity, not a result")
        }
        Sense::Pass => {
            if ctx.failure {
                return Some("a pass count beside failures is a failure report");
            }
            // "passed in 6 minutes": a duration, not "passed in the token"
            let duration = next == Some("in")
                && w(end + 1).is_some_and(|n| {
                    n.starts_with(|c: char| c.is_ascii_digit())
                        || matches!(
                            n,
                            "two" | "three" | "four" | "five" | "six" | "ten" | "under"
                        )
                });
            if !toks[i].is_all_caps()
                && !duration
                && next.is_some_and(|n| en::PASS_OTHER_NEXT.contains(&n))
            {
                return Some("\"pass\" in the sense of handing something on");
            }
            let present = matches!(toks[i].folded.as_str(), "pass" | "passes");
            // "passes every hook", "passes black, isort and the YAML check"
            let check_object = toks[end..(end + 6).min(toks.len())]
                .iter()
                .take_while(|t| !matches!(t.folded.as_str(), "because" | "since" | "when" | "if"))
                .any(|t| en::PASS_CHECK_OBJECTS.contains(&t.folded.as_str()));
            if present
                && !check_object
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
            // "returns ready", "ready is an event emitted by the pool": a value or a name
            let value = matches!(
                prev,
                Some(
                    "returns"
                        | "return"
                        | "emits"
                        | "emit"
                        | "fires"
                        | "sends"
                        | "yields"
                        | "event"
                )
            ) || (i == 0
                && matches!(next, Some("is" | "was" | "means" | "fires" | "event")));
            if value {
                return Some("\"ready\" as a value or an event name, not finished work");
            }
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
                    && toks[(end + 1).min(toks.len())..(end + 4).min(toks.len())]
                        .iter()
                        .any(|t| en::AVAILABILITY_AFTER_FOR.contains(&t.folded.as_str())));
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
                "je", "sam", "smo", "si", "ste", "su", "i", "a", "ali", "sa", "za", "na", "kao",
                "vec", "sada", "sad", "ok", "bez", "do", "od",
            ];
            next.filter(|n| n.chars().all(char::is_alphabetic) && !pred_next.contains(n))
                .map(|_| "\"gotov-\" before a noun: ready-made, not done")
        }
        Sense::Radi => {
            let next2 = w(end + 1);
            // "Excel bolje radi s drugim": a comparison of options, not a result
            if prev.is_some_and(|p| bs::COMPARATIVES.contains(&p)) {
                return Some("\"bolje radi\": a comparison, not a result");
            }
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
        Sense::Plain | Sense::Positive => None,
    }
}

/// A state word that is part of another phrase: "out of memory", "up to you", "up front".
/// "Docs are up to date" is a state; "up to date with `origin/main`" compares two things (what
/// `git status` says), so it stays another phrase.
fn other_phrase(word: &str, next: Option<&str>, after: Option<&str>, then: Option<&str>) -> bool {
    next == Some("of")
        || (word == "up"
            && matches!(next, Some("to" | "with" | "front"))
            && !(next == Some("to") && after == Some("date") && then != Some("with")))
}

/// After "on"/"in"/"across" (at `k`): a place where a result holds ("on both platforms",
/// "in Safari", "on the Pixel emulator"), not a task ("on the fix").
fn at_place(toks: &[Token], k: usize) -> bool {
    if !toks
        .get(k)
        .is_some_and(|t| matches!(t.folded.as_str(), "on" | "in" | "across"))
    {
        return false;
    }
    toks[k + 1..]
        .iter()
        .map(|t| t.folded.as_str())
        .find(|w| !en::DETERMINERS.contains(w) && !w.chars().all(|c| c.is_ascii_digit()))
        .is_some_and(|w| {
            en::RESULT_PLACES
                .iter()
                .any(|p| *p == w || (p.len() > 3 && w.starts_with(p)))
        })
}

/// A person (the agent, the user, a team) is the subject before `i`: "I'm working on iOS".
fn person_before(toks: &[Token], i: usize) -> bool {
    toks[i.saturating_sub(4)..i].iter().any(|t| {
        en::FIRST_PERSON.contains(&t.folded.as_str())
            || en::PERSON_NOUNS.contains(&t.folded.as_str())
    })
}
