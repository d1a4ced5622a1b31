//! English: claim words and the context words around them. The tables are generated at
//! build time from `rules/en/*.txt` (one entry per line, with its reason): edit those.

use super::{Entry, Sense, phrase, stem, word};

include!(concat!(env!("OUT_DIR"), "/lexicon_en.rs"));
