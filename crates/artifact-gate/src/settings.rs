//! The `artifact_gate` config section and the defaults it overrides.

use crate::claims::Keyword;
use crate::lexicon;
use serde::Deserialize;
use std::path::PathBuf;
use zakon_core::{Context, Error};

/// `~/.claude/zakon/config.json` → `"artifact_gate": {…}`. Every key is optional.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Section {
    /// Replaces the UI keyword list.
    #[serde(default)]
    pub ui_keywords: Option<Vec<String>>,
    /// Replaces the E2E keyword list.
    #[serde(default)]
    pub e2e_keywords: Option<Vec<String>>,
    /// Where `verify-<id>/` and `evidence-<id>/` live (default `/tmp`, literally — Mission
    /// Control's tooling writes there whatever `$TMPDIR` says).
    #[serde(default)]
    pub tmp_root: Option<String>,
    /// The Mission Control database (default `~/system/databases/mission-control.db`).
    #[serde(default)]
    pub mc_db: Option<String>,
    /// Task statuses that close a task and so need artifacts (default `done`, `ready`;
    /// compared trimmed and case-insensitively).
    #[serde(default)]
    pub closed_statuses: Option<Vec<String>>,
    /// The status a task gets back when it appeared already closed, with no earlier status
    /// zakon knew of (default `in_progress`).
    #[serde(default)]
    pub reopen_status: Option<String>,
    /// How block messages spell the Mission Control command (default
    /// `node ~/system/tools/mc.js`).
    #[serde(default)]
    pub mc_command: Option<String>,
}

pub const DEFAULT_TMP_ROOT: &str = "/tmp";
pub const DEFAULT_MC_DB: &str = "~/system/databases/mission-control.db";
pub const DEFAULT_CLOSED: &[&str] = &["done", "ready"];
pub const DEFAULT_REOPEN: &str = "in_progress";
pub const DEFAULT_MC_COMMAND: &str = "node ~/system/tools/mc.js";

/// The section resolved: keywords folded, paths expanded.
pub struct Settings {
    pub ui: Vec<Keyword>,
    pub e2e: Vec<Keyword>,
    pub tmp_root: PathBuf,
    pub mc_db: PathBuf,
    /// Lowercased, trimmed.
    pub closed: Vec<String>,
    pub reopen: String,
    pub mc_command: String,
}

impl Settings {
    pub fn load(ctx: &Context) -> Result<Settings, Error> {
        let cfg = ctx.config()?;
        let section: Section = cfg.section("artifact_gate", &cfg.artifact_gate)?;
        Settings::from_section(section, |p| ctx.resolve(p))
    }

    pub fn from_section(
        section: Section,
        resolve: impl Fn(&str) -> PathBuf,
    ) -> Result<Settings, Error> {
        Ok(Settings {
            ui: keywords("ui_keywords", section.ui_keywords, lexicon::UI)?,
            e2e: keywords("e2e_keywords", section.e2e_keywords, lexicon::E2E)?,
            tmp_root: resolve(section.tmp_root.as_deref().unwrap_or(DEFAULT_TMP_ROOT)),
            mc_db: resolve(section.mc_db.as_deref().unwrap_or(DEFAULT_MC_DB)),
            closed: match section.closed_statuses {
                Some(list) => list.iter().map(|s| s.trim().to_lowercase()).collect(),
                None => DEFAULT_CLOSED.iter().map(|s| s.to_string()).collect(),
            },
            reopen: section
                .reopen_status
                .unwrap_or_else(|| DEFAULT_REOPEN.to_string()),
            mc_command: section
                .mc_command
                .unwrap_or_else(|| DEFAULT_MC_COMMAND.to_string()),
        })
    }

    /// Does `status` close a task (so that it needs artifacts)?
    pub fn closes(&self, status: Option<&str>) -> bool {
        status.is_some_and(|s| self.closed.contains(&s.trim().to_lowercase()))
    }
}

fn keywords(
    key: &str,
    configured: Option<Vec<String>>,
    default: &[&str],
) -> Result<Vec<Keyword>, Error> {
    let words: Vec<String> = match configured {
        Some(list) => list,
        None => default.iter().map(|s| s.to_string()).collect(),
    };
    words
        .iter()
        .map(|w| {
            Keyword::new(w).ok_or_else(|| {
                Error::new(format!(
                    "config section \"artifact_gate\": {key} entry {w:?} has no letters or digits"
                ))
            })
        })
        .collect()
}
