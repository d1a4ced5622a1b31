//! The one error type gates return; in hook mode every error becomes exit 2 (fail closed).

use std::fmt;
use std::path::Path;

/// An error inside a gate's scope. It carries a message a user can act on; the runner turns
/// it into a block with rule `fail-closed`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    pub message: String,
}

impl Error {
    pub fn new(message: impl Into<String>) -> Self {
        Error {
            message: message.into(),
        }
    }

    /// An I/O error with the path it happened on — "permission denied" alone helps nobody.
    pub fn io(action: &str, path: &Path, err: &std::io::Error) -> Self {
        Error::new(format!("cannot {action} {}: {err}", path.display()))
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

impl From<serde_json::Error> for Error {
    fn from(e: serde_json::Error) -> Self {
        Error::new(format!("invalid JSON: {e}"))
    }
}
