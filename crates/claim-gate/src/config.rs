//! The `claim_gate` section of the zakon config file.

use serde::Deserialize;

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
