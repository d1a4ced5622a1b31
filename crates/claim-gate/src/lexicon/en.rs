//! English: claim words and the context words around them. The tables are generated at
//! build time from `rules/en/*.txt` (one entry per line, with its reason): edit those.

#[allow(unused_imports)] // the generated table may use any of them
use super::{Entry, Sense, phrase, stem, word};

include!(concat!(env!("OUT_DIR"), "/lexicon_en.rs"));
