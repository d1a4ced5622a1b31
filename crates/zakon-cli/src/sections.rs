//! The config's nested sections checked the way each gate reads them, for `zakon doctor`.
//! A misspelt key (`disabled_claim_word`) made every Stop fail closed while doctor said the
//! file "parses": the top level was known, the section was not checked.

use std::path::Path;
use zakon_core::config::Config;

/// Every section parsed with its gate's own type (unknown keys are errors that list the valid
/// names) and resolved as the gate would (regexes compiled, keyword lists, schema loaded).
pub fn check(cfg: &Config, home: &Path) -> Result<(), String> {
    let claim: claim_gate::config::ClaimGateConfig = cfg
        .section("claim_gate", &cfg.claim_gate)
        .map_err(|e| e.message)?;
    claim_gate::gate::Settings::from_config(claim).map_err(|e| format!("claim_gate: {e}"))?;
    let artifact: artifact_gate::settings::Section = cfg
        .section("artifact_gate", &cfg.artifact_gate)
        .map_err(|e| e.message)?;
    artifact_gate::settings::Settings::from_section(artifact, |p| {
        zakon_core::paths::resolve(p, home, None)
    })
    .map_err(|e| e.message)?;
    blueprint_gate::check_config(cfg, home).map_err(|e| e.message)?;
    let _: zakon_registry::RegistryConfig = cfg
        .section("registry", &cfg.registry)
        .map_err(|e| e.message)?;
    Ok(())
}
