//! `Verdict` — a gate's answer — and the only two exit codes hook mode may use.

use serde_json::Value;
use std::process::ExitCode;

/// Why a gate blocked: the rule that fired, a message for the agent (rule, what was found,
/// exactly what to do) and structured details for the audit log.
#[derive(Debug, Clone, PartialEq)]
pub struct Reason {
    pub rule: String,
    pub message: String,
    pub details: Value,
}

impl Reason {
    pub fn new(rule: impl Into<String>, message: impl Into<String>) -> Self {
        Reason {
            rule: rule.into(),
            message: message.into(),
            details: Value::Null,
        }
    }

    pub fn with_details(mut self, details: Value) -> Self {
        self.details = details;
        self
    }
}

/// `s` cut to `max` characters with `…` when longer — for quoting agent text in messages.
pub fn shorten(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let mut t: String = s.chars().take(max).collect();
    t.push('…');
    t
}

#[derive(Debug, Clone, PartialEq)]
pub enum Verdict {
    Allow,
    Block(Reason),
}

impl Verdict {
    pub fn block(rule: impl Into<String>, message: impl Into<String>) -> Self {
        Verdict::Block(Reason::new(rule, message))
    }

    /// Claude Code reads 0 as allow and 2 as block; every other code is a non-blocking
    /// error, i.e. fail-open — so nothing else may ever leave a hook.
    pub fn exit_code(&self) -> ExitCode {
        ExitCode::from(self.code())
    }

    pub fn code(&self) -> u8 {
        match self {
            Verdict::Allow => 0,
            Verdict::Block(_) => 2,
        }
    }
}
