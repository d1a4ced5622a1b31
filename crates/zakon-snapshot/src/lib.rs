//! zakon's snapshot store: last-good copies of the files that keep the gates working
//! (content-addressed by sha256, with an index of path → stat), the cheap stat comparison that
//! finds what a tool changed, and putting a file back.
//!
//! Judging whether a change is allowed belongs to the gates (blueprint-gate knows the schema,
//! the registry and the settings guard); this crate only observes, stores and restores. The
//! install-directory check every gate runs on entry lives here too (`install`), so a gate
//! binary that was replaced is put back by one of the others.

pub mod install;
pub mod observe;
pub mod read;
pub mod store;

pub use observe::Observed;
pub use store::{Entry, Index, Store};
