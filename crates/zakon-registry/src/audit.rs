//! `audit`: rule files nobody registered, registered files that are gone, and files whose
//! SHA-256 no longer matches what was published (tampering).

use crate::registry::Registry;
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use zakon_core::paths;

/// Where rule files live, relative to `$HOME`.
pub const RULES_DIR: &str = "system/rules";

#[derive(Debug, Default, Serialize)]
pub struct Findings {
    /// `zakon-*.md` files in `~/system/rules/` without a registry entry.
    pub unregistered: Vec<String>,
    /// Registered files that do not exist.
    pub missing: Vec<Missing>,
    /// Registered files whose content no longer hashes to `published_sha256`.
    pub sha256_mismatch: Vec<Mismatch>,
    /// Files that could not be read.
    pub unreadable: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct Missing {
    pub zakon_id: String,
    pub file_path: String,
}

#[derive(Debug, Serialize)]
pub struct Mismatch {
    pub zakon_id: String,
    pub file_path: String,
    pub published_sha256: String,
    pub actual_sha256: String,
}

impl Findings {
    pub fn count(&self) -> usize {
        self.unregistered.len()
            + self.missing.len()
            + self.sha256_mismatch.len()
            + self.unreadable.len()
    }
}

/// Whether a file name is a rule file; case-insensitive, because on a case-insensitive file
/// system `ZAKON-x.MD` is as much a rule as `zakon-x.md`.
pub fn is_rule_file_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower.starts_with("zakon-") && lower.ends_with(".md") && lower.len() > "zakon-.md".len()
}

pub fn audit(registry: &Registry, home: &Path) -> Findings {
    let mut found = Findings::default();
    let registered: HashSet<&Path> = registry
        .entries
        .iter()
        .map(|e| e.resolved.as_path())
        .collect();
    let dir = home.join(RULES_DIR);
    let mut names: Vec<String> = match std::fs::read_dir(&dir) {
        Ok(rd) => rd
            .filter_map(|e| e.ok())
            .filter_map(|e| e.file_name().into_string().ok())
            .filter(|n| is_rule_file_name(n))
            .collect(),
        Err(_) => Vec::new(),
    };
    names.sort();
    for name in names {
        let path = dir.join(&name);
        if path.is_file() && !registered.contains(paths::canonical(&path).as_path()) {
            found.unregistered.push(paths::display_tilde(&path, home));
        }
    }
    for e in &registry.entries {
        if !e.resolved.is_file() {
            found.missing.push(Missing {
                zakon_id: e.zakon_id.clone(),
                file_path: e.file_path.clone(),
            });
            continue;
        }
        let Some(published) = &e.published_sha256 else {
            continue;
        };
        match zakon_core::fsio::read_regular_bounded(&e.resolved, zakon_core::fsio::MAX_FILE_BYTES)
        {
            Ok(bytes) => {
                let actual = hex(&Sha256::digest(&bytes));
                if &actual != published {
                    found.sha256_mismatch.push(Mismatch {
                        zakon_id: e.zakon_id.clone(),
                        file_path: e.file_path.clone(),
                        published_sha256: published.clone(),
                        actual_sha256: actual,
                    });
                }
            }
            Err(err) => found.unreadable.push(format!("{}: {err}", e.file_path)),
        }
    }
    found
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// For callers that need the expected location of a rule file.
pub fn rules_dir(home: &Path) -> PathBuf {
    home.join(RULES_DIR)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rule_file_names() {
        for (name, ok) in [
            ("zakon-x.md", true),
            ("ZAKON-X.MD", true),
            ("Zakon-feasibility-check.md", true),
            ("zakon-.md", false),
            ("zakon-registry.json", false),
            ("notes.md", false),
            ("my-zakon-x.md", false),
        ] {
            assert_eq!(is_rule_file_name(name), ok, "{name}");
        }
    }
}
