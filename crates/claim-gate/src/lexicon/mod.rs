//! The claim lexicons as data: which words claim success, and the context words that
//! decide whether a claim word is used as a claim (negators, copulas, plan and condition
//! markers, "almost" and preposition senses). English in `en.rs`, Bosnian/Croatian/Serbian
//! in `bs.rs`. All forms are lowercase with diacritics folded (see `text::fold`). Adding a
//! word never touches the detector; config can add words and switch built-in ones off.

pub mod bs;
pub mod en;
mod lookup;

pub use lookup::{CONFIGURED, Lexicon};

/// How a claim word has to be used to count as a claim.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sense {
    /// Counts unless negated, planned/conditional, asked, quoted as a label or attributive.
    Plain,
    /// A state adjective (live, active, green, complete): counts after a copula ("is live"),
    /// at the end of a clause or heading ("Theme Update Complete"), or after a check mark —
    /// not before a noun ("LIVE reload", "the ACTIVE column").
    Predicative,
    /// A state that needs a copula or a check mark ("is live", "sve je up", "✅ LIVE"):
    /// clause-final is not enough ("transpiles JSX live", "Request timed out").
    State,
    /// "running": a process that is running is not yet a result ("the migration is
    /// running") — counts with now / successfully / fine / a check mark.
    Running,
    /// "working": like Running, but a copula is enough ("it's working"); "working on" is
    /// an activity.
    Working,
    /// works / radi / funkcioniše: not in explanations ("how it works", "works like this",
    /// "only works on Linux").
    Works,
    /// "work" as a verb with a plural subject ("login, feed and the prompt all work", "the
    /// webhooks work now"): only after a plural noun, "all", "both" or "they", and only
    /// where a result follows (end of clause, "now", "fine", a place) — "work" is most
    /// often a noun ("the work is done") or an activity ("we work on it").
    WorkPlural,
    /// pass / passed / passing / PASS: not "passed to a function", not "to pass", not
    /// beside a failure count.
    Pass,
    /// ready / spremno: not the agent's availability ("Ready when you are", "ready to
    /// start Task 4").
    Ready,
    /// gotovo: "almost" before a quantifier ("gotovo svi testovi padaju").
    Almost,
    /// radi "works" — not the preposition "for the sake of" before a genitive ("radi
    /// lakšeg"), not "it's about" ("radi se o"), not a description ("radi ovako", "radi na
    /// svakom requestu"), not "does X" ("radi full scan").
    Radi,
    /// prošao/prošla/prošli: also "last" before a time noun ("prošle sedmice").
    PastTime,
    /// A phrase that is positive although it holds a negator ("no longer fails",
    /// "više se ne pojavljuje").
    Positive,
}

/// How an entry is matched against folded tokens.
#[derive(Debug, Clone, Copy)]
pub enum Form {
    /// One whole word.
    Word(&'static str),
    /// A stem plus one of the listed endings (Bosnian morphology: `zavrs` + `eno`).
    Stem(&'static str, &'static [&'static str]),
    /// Consecutive words; `*` stands for up to three words of any kind.
    Phrase(&'static [&'static str]),
}

#[derive(Debug, Clone, Copy)]
pub struct Entry {
    pub form: Form,
    pub sense: Sense,
    /// Why the entry is there; shown by `claim-gate check`.
    pub why: &'static str,
}

pub const fn word(w: &'static str, sense: Sense, why: &'static str) -> Entry {
    Entry {
        form: Form::Word(w),
        sense,
        why,
    }
}

pub const fn stem(
    s: &'static str,
    endings: &'static [&'static str],
    sense: Sense,
    why: &'static str,
) -> Entry {
    Entry {
        form: Form::Stem(s, endings),
        sense,
        why,
    }
}

pub const fn phrase(p: &'static [&'static str], sense: Sense, why: &'static str) -> Entry {
    Entry {
        form: Form::Phrase(p),
        sense,
        why,
    }
}

/// Every built-in entry, English first.
pub fn builtin() -> impl Iterator<Item = &'static Entry> {
    en::CLAIMS.iter().chain(bs::CLAIMS.iter())
}

/// Context words, English and Bosnian together (a message may mix them).
pub fn is_negator(w: &str) -> bool {
    w.ends_with("n't") || en::NEGATORS.contains(&w) || bs::NEGATORS.contains(&w)
}

/// Copulas and linking verbs before a state word ("is live", "je spremno", "went live").
pub fn is_copula(w: &str) -> bool {
    w.ends_with("'s") || w.ends_with("'re") || en::COPULAS.contains(&w) || bs::COPULAS.contains(&w)
}

/// Words that put what follows into the future, a plan, a condition or a wish.
pub fn is_irrealis(w: &str) -> bool {
    w.ends_with("'ll")
        || w.ends_with("'d")
        || en::IRREALIS.contains(&w)
        || bs::IRREALIS.contains(&w)
        || (w.len() > 5 && w.ends_with("cu") && !bs::NOT_FUTURE_CU.contains(&w))
}

/// Adverbs that may stand between a copula and a state word ("is now fully live").
pub fn is_degree(w: &str) -> bool {
    en::DEGREE.contains(&w) || bs::DEGREE.contains(&w)
}
