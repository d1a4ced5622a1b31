//! Bosnian / Croatian / Serbian (Latin script), folded: č ć → c, š → s, ž → z, đ → dj.
//! Morphology is matched by stem + ending so every inflection of a past participle or
//! l-participle counts (završeno/završena/završio/završili), while infinitives and presents
//! ("završiti", "prođe") do not — they speak of work still to do. The tables are generated
//! at build time from `rules/bs/*.txt` (ending sets in `rules/bs/endings.txt`): edit those.

#[allow(unused_imports)] // the generated table may use any of them
use super::{Entry, Sense, phrase, stem, word};

include!(concat!(env!("OUT_DIR"), "/lexicon_bs.rs"));
