//! `validate`: is this rule file registered and approved? A typed outcome with the text the
//! CLI prints and blueprint-gate shows the agent.

use crate::registry::{
    APPROVED_STATUSES, APPROVED_TOKEN, Entry, GRANDFATHERED_STATUS, GRANDFATHERED_TOKEN, Registry,
};
use std::path::Path;
use zakon_core::paths;

/// Why a file is blocked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlockKind {
    NotRegistered,
    StatusNotApproved,
    TokenMissing,
}

/// The answer for one file.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// Registered and approved (or grandfathered).
    Pass { message: String },
    /// Not allowed to exist: `message` says what was found, `fix` is the `FIX:` line.
    Block {
        kind: BlockKind,
        message: String,
        fix: String,
    },
}

impl Outcome {
    pub fn is_pass(&self) -> bool {
        matches!(self, Outcome::Pass { .. })
    }

    /// What the CLI prints: `PASS: …`, or `BLOCK: …` and the `FIX:` line.
    pub fn report(&self) -> String {
        match self {
            Outcome::Pass { message } => format!("PASS: {message}"),
            Outcome::Block { message, fix, .. } => format!("BLOCK: {message}\n{fix}"),
        }
    }
}

/// Judges `file` (already resolved to an absolute path) against the registry. Paths are
/// compared after following symlinks, so `~/x/../system/rules/…` or a symlinked directory
/// finds the same entry.
pub fn validate(registry: &Registry, file: &Path, home: &Path) -> Outcome {
    let real = paths::canonical(file);
    let shown = paths::display_tilde(file, home);
    let reg = paths::display_tilde(&registry.path, home);
    let Some(entry) = registry.entries.iter().find(|e| e.resolved == real) else {
        return Outcome::Block {
            kind: BlockKind::NotRegistered,
            message: format!("{shown} is not registered in the ZAKON registry {reg}."),
            fix: format!(
                "FIX: a ZAKON rule file may exist only after CEO approval. Open a Mission \
                 Control task asking the CEO to approve the rule; the CEO then adds its entry \
                 to {reg} (status approved-pending-author, ceo_approved_token \
                 \"{APPROVED_TOKEN}\") and the file can be written. Agents never register \
                 their own rules."
            ),
        };
    };
    let token = entry.ceo_approved_token.as_deref();
    let mc = entry
        .mc_task
        .map(|n| format!("MC #{n}"))
        .unwrap_or_else(|| "no MC task".into());
    if entry.status == GRANDFATHERED_STATUS {
        if token == Some(GRANDFATHERED_TOKEN) {
            return Outcome::Pass {
                message: format!(
                    "{shown} is registered as \"{}\" ({GRANDFATHERED_STATUS}, grandfathered \
                     {GRANDFATHERED_TOKEN}).",
                    entry.zakon_id
                ),
            };
        }
        return token_missing(entry, &shown, &reg, GRANDFATHERED_TOKEN);
    }
    if !APPROVED_STATUSES.contains(&entry.status.as_str()) {
        return Outcome::Block {
            kind: BlockKind::StatusNotApproved,
            message: format!(
                "{shown} is registered as \"{}\" with status \"{}\", which is not approved \
                 (approved: {}; or {GRANDFATHERED_STATUS}).",
                entry.zakon_id,
                entry.status,
                APPROVED_STATUSES.join(", ")
            ),
            fix: format!(
                "FIX: the rule needs CEO approval before the file is written: get the CEO's \
                 decision on {mc}; once approved the CEO sets its status in {reg} to \
                 approved-pending-author with ceo_approved_token \"{APPROVED_TOKEN}\"."
            ),
        };
    }
    if token != Some(APPROVED_TOKEN) {
        return token_missing(entry, &shown, &reg, APPROVED_TOKEN);
    }
    Outcome::Pass {
        message: format!(
            "{shown} is registered as \"{}\" (status {}, {APPROVED_TOKEN}, {mc}).",
            entry.zakon_id, entry.status
        ),
    }
}

fn token_missing(entry: &Entry, shown: &str, reg: &str, want: &str) -> Outcome {
    let found = match entry.ceo_approved_token.as_deref() {
        Some(t) => format!("\"{t}\""),
        None => "none".into(),
    };
    Outcome::Block {
        kind: BlockKind::TokenMissing,
        message: format!(
            "{shown} is registered as \"{}\" with status \"{}\" but its ceo_approved_token is \
             {found}, not \"{want}\".",
            entry.zakon_id, entry.status
        ),
        fix: format!(
            "FIX: only the CEO sets the token: ask for approval in a Mission Control task; the \
             CEO records \"{want}\" on the entry in {reg}."
        ),
    }
}
