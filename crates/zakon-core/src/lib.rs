//! What every zakon gate shares: hook input types, the `Verdict` and its exit codes, the
//! one fail-closed runner and its deadline, the audit log, config loading, non-blocking file
//! reads, where home is, and path normalisation.

pub mod atomic;
pub mod audit;
pub mod config;
pub mod deadline;
pub mod error;
pub mod fsio;
pub mod home;
pub mod hook;
pub mod input;
pub mod mode;
pub mod out;
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
