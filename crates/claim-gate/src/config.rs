//! The `claim_gate` section of the zakon config file.

use serde::Deserialize;
use std::path::{Path, PathBuf};
use zakon_core::Error;
use zakon_core::paths::resolve;

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClaimGateConfig {
    /// More claim words or phrases (matched as whole words, case- and diacritic-insensitive).
    #[serde(default)]
    pub extra_claim_words: Vec<String>,
    /// Built-in words, stems or phrases to switch off (as listed by `claim-gate check`).
    #[serde(default)]
    pub disabled_claim_words: Vec<String>,
    /// Regexes that replace the default evidence patterns.
    #[serde(default)]
    pub evidence_patterns: Option<Vec<String>>,
    /// Shell command run once per new violation, with the violation JSON on stdin.
    #[serde(default)]
    pub on_violation: Option<String>,
    /// Default `~/.claude/zakon/violations.jsonl`.
    #[serde(default)]
    pub violations_log: Option<String>,
    /// Default `~/system/state/last-validator-verdict.json`.
    #[serde(default)]
    pub verdict_path: Option<String>,
}

impl ClaimGateConfig {
    /// The `claim_gate` section of the zakon config under `home` (defaults when absent).
    pub fn load(home: &Path) -> Result<ClaimGateConfig, Error> {
        let cfg = zakon_core::config::Config::load(home)?;
        cfg.section("claim_gate", &cfg.claim_gate)
    }

    /// Where violations are recorded (`~` expanded).
    pub fn violations_path(&self, home: &Path) -> PathBuf {
        match &self.violations_log {
            Some(p) => resolve(p, home, None),
            None => home.join(".claude/zakon/violations.jsonl"),
        }
    }

    /// Where the verdict is written and the banner reads it (`~` expanded).
    pub fn verdict_path(&self, home: &Path) -> PathBuf {
        match &self.verdict_path {
            Some(p) => resolve(p, home, None),
            None => crate::verdict::default_path(home),
        }
    }
}
