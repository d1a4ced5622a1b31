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
    /// How far cited evidence is trusted: provenance, freshness, ownership, content.
    #[serde(default)]
    pub evidence: EvidenceConfig,
    /// When the statistical scorer overrides the rules (see `scorer.rs`).
    #[serde(default)]
    pub scorer: ScorerConfig,
}

/// `claim_gate.scorer`: the rules judge; the scorer adds a claim when its probability is at
/// least `add` and withdraws the rules' claims when it is under `veto` for every sentence
/// and under `veto_clause` for every clause (between dashes and semicolons). The defaults were
/// chosen on the corpus with each blind set held out of training (README, "The scorer").
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ScorerConfig {
    pub enabled: bool,
    pub add: f64,
    pub veto: f64,
    pub veto_clause: f64,
}

/// A key left out of `claim_gate.scorer` takes its value from here.
impl Default for ScorerConfig {
    fn default() -> Self {
        ScorerConfig {
            enabled: true,
            add: 0.98,
            veto: 0.05,
            veto_clause: 0.1,
        }
    }
}

/// `claim_gate.evidence`: replay, don't trust (see `trust.rs` and the README).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EvidenceConfig {
    #[serde(default)]
    pub provenance: ProvenanceMode,
    /// How many bytes of the transcript, read from the end, are searched for the tool call
    /// that wrote a cited file.
    #[serde(default = "default_max_transcript_bytes")]
    pub max_transcript_bytes: u64,
}

/// 64 MiB: the tool call behind a file cited after 50 MB of later transcript is still
/// found, and reading that much from the end costs tens of milliseconds, far inside the
/// hook's 10 s timeout.
pub const DEFAULT_MAX_TRANSCRIPT_BYTES: u64 = 64 * 1024 * 1024;

fn default_max_transcript_bytes() -> u64 {
    DEFAULT_MAX_TRANSCRIPT_BYTES
}

impl Default for EvidenceConfig {
    fn default() -> Self {
        EvidenceConfig {
            provenance: ProvenanceMode::default(),
            max_transcript_bytes: DEFAULT_MAX_TRANSCRIPT_BYTES,
        }
    }
}

/// `strict`: find the tool call that wrote each cited file (hand-written is not evidence);
/// `fresh`: skip that search, keep freshness, ownership and content; `off`: any non-empty
/// file under an evidence pattern counts (the behaviour before evidence v2).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ProvenanceMode {
    #[default]
    Strict,
    Fresh,
    Off,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn evidence_section_parses_and_rejects_unknown_keys() {
        for (text, want) in [
            (
                "{}",
                Some((ProvenanceMode::Strict, DEFAULT_MAX_TRANSCRIPT_BYTES)),
            ),
            (
                r#"{"evidence":{}}"#,
                Some((ProvenanceMode::Strict, DEFAULT_MAX_TRANSCRIPT_BYTES)),
            ),
            (
                r#"{"evidence":{"provenance":"fresh"}}"#,
                Some((ProvenanceMode::Fresh, DEFAULT_MAX_TRANSCRIPT_BYTES)),
            ),
            (
                r#"{"evidence":{"provenance":"off","max_transcript_bytes":1024}}"#,
                Some((ProvenanceMode::Off, 1024)),
            ),
            (r#"{"evidence":{"provenance":"lenient"}}"#, None),
            (r#"{"evidence":{"provenence":"off"}}"#, None),
            (r#"{"evidence":{"max_transcript_bytes":-1}}"#, None),
        ] {
            let got = serde_json::from_str::<ClaimGateConfig>(text)
                .ok()
                .map(|c| (c.evidence.provenance, c.evidence.max_transcript_bytes));
            assert_eq!(got, want, "{text}");
        }
    }
}
