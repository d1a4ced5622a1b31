//! What every zakon gate shares: hook input types, the `Verdict` and its exit codes, the
//! one fail-closed runner, the audit log, config loading and path normalisation.

pub mod atomic;
pub mod audit;
pub mod config;
pub mod error;
pub mod hook;
pub mod input;
pub mod mode;
pub mod ownership;
pub mod paths;
pub mod pause;
pub mod rules;
pub mod runnable;
pub mod shell;
pub mod time;
pub mod timespec;
pub mod verdict;

pub use error::Error;
pub use hook::{Context, run};
pub use input::HookInput;
pub use verdict::{Reason, Verdict};
