//! The lexicon in lookup form: whole words and phrases (by their first word) by hash, stems
//! by scan; built from the built-in tables plus the config's extra words, minus the
//! disabled ones.

use super::{Entry, Form, Sense};
use crate::text::{self, Token};
use std::collections::HashMap;

/// Why an extra word from the config is a claim word (the scorer never withdraws these).
pub const CONFIGURED: &str = "added by config (claim_gate.extra_claim_words)";

/// The lexicon in lookup form.
pub struct Lexicon {
    words: HashMap<&'static str, Entry>,
    stems: Vec<Entry>,
    /// Phrases by their first word, so a token costs one lookup, not a scan of every phrase.
    phrases: HashMap<&'static str, Vec<Entry>>,
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
            phrases: HashMap::new(),
        };
        for e in super::builtin() {
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
                why: CONFIGURED,
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
            Form::Phrase(p) => {
                if let Some(first) = p.first() {
                    self.phrases.entry(*first).or_default().push(e);
                }
            }
        }
    }

    /// The entry matching at `tokens[i]`, with the index one past the match.
    pub(crate) fn matches(&self, tokens: &[Token], i: usize) -> Option<(Entry, usize)> {
        let mut best: Option<(Entry, usize)> = None;
        let w = tokens[i].folded.as_str();
        for e in self.phrases.get(w).into_iter().flatten() {
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

pub(crate) fn form_text(e: &Entry) -> String {
    match e.form {
        Form::Word(w) | Form::Stem(w, _) => w.to_string(),
        Form::Phrase(p) => p.join(" "),
    }
}

pub(crate) fn match_phrase(p: &[&str], tokens: &[Token], i: usize) -> Option<usize> {
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
