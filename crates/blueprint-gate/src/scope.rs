//! Which paths blueprint-gate guards: `**/BUILD-BLUEPRINT.md`, `**/DEPLOY-MAP.md`,
//! `~/system/rules/zakon-*.md` and the ZAKON registry file itself — with `..`, `./`, symlinks
//! and case variants closed.
//!
//! Names are compared case-insensitively because macOS file systems are: `build-blueprint.MD`
//! is the same file there. A symlink whose own name looks harmless (`notes.md` →
//! `BUILD-BLUEPRINT.md`) is followed, which costs one `lstat` per out-of-scope write.

use std::path::{Path, PathBuf};
use zakon_core::paths;

/// Blueprint file names (compared lowercased).
pub const BLUEPRINT_NAMES: [&str; 2] = ["build-blueprint.md", "deploy-map.md"];
/// Rule files live here, relative to `$HOME`.
pub const RULES_DIR: &str = "system/rules";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Blueprint,
    Rule,
    /// The ZAKON registry: an entry there approves a rule file, so agents may not write it.
    Registry,
}

/// An in-scope target.
#[derive(Debug, Clone)]
pub struct Scoped {
    pub kind: Kind,
    /// Where the write really lands (symlinks followed) — the file that is read and judged.
    pub real: PathBuf,
    /// The path as resolved from the tool input (tilde, cwd, `..` handled) — for messages.
    pub lexical: PathBuf,
}

/// The cheap test that runs first: could this name be in scope at all?
pub fn mentions_scope(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    lower.contains("blueprint") || lower.contains("deploy-map") || lower.contains("zakon-")
}

pub fn is_blueprint_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    BLUEPRINT_NAMES.contains(&lower.as_str())
}

pub fn is_rule_name(name: &str) -> bool {
    zakon_registry::audit::is_rule_file_name(name)
}

fn name_of(p: &Path) -> &str {
    p.file_name().and_then(|n| n.to_str()).unwrap_or("")
}

/// Classifies a resolved (absolute, normalised) path. `registries(name)` lists the places
/// the registry may live whose lowercased file name is `name` (empty for almost every name,
/// and cheap: the caller reads the config only for `.json` names).
pub fn classify(
    lexical: &Path,
    home: &Path,
    registries: &dyn Fn(&str) -> Vec<PathBuf>,
) -> Option<Scoped> {
    let lower = name_of(lexical).to_ascii_lowercase();
    let hit = mentions_scope(&lower) || !registries(&lower).is_empty();
    if !hit && !lexical.is_symlink() {
        return None;
    }
    let real = paths::canonical(lexical);
    let candidates = [lexical, real.as_path()];
    let kind = if candidates.iter().any(|p| is_blueprint_name(name_of(p))) {
        Kind::Blueprint
    } else if candidates
        .iter()
        .any(|p| is_rule_name(name_of(p)) && in_rules_dir(p, home))
    {
        Kind::Rule
    } else if candidates.iter().any(|p| {
        registries(&name_of(p).to_ascii_lowercase())
            .iter()
            .any(|r| same_file(p, r))
    }) {
        Kind::Registry
    } else {
        return None;
    };
    Some(Scoped {
        kind,
        real,
        lexical: lexical.to_path_buf(),
    })
}

/// Case-insensitive path equality, as written and with symlinks followed.
fn same_file(a: &Path, b: &Path) -> bool {
    let same = |a: &Path, b: &Path| {
        a.to_string_lossy().to_lowercase() == b.to_string_lossy().to_lowercase()
    };
    same(a, b) || same(&paths::canonical(a), &paths::canonical(b))
}

/// Whether `p` sits directly in `~/system/rules/`, comparing both as written and with
/// symlinks followed, case-insensitively.
fn in_rules_dir(p: &Path, home: &Path) -> bool {
    let Some(parent) = p.parent() else {
        return false;
    };
    same_file(parent, &home.join(RULES_DIR))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        for (name, blueprint, rule) in [
            ("BUILD-BLUEPRINT.md", true, false),
            ("build-blueprint.MD", true, false),
            ("Deploy-Map.md", true, false),
            ("BUILD-BLUEPRINT.md.bak", false, false),
            ("zakon-x.md", false, true),
            ("ZAKON-X.md", false, true),
            ("blueprint.md", false, false),
        ] {
            assert_eq!(is_blueprint_name(name), blueprint, "{name}");
            assert_eq!(is_rule_name(name), rule, "{name}");
        }
    }

    #[test]
    fn lexical_classification() {
        let home = Path::new("/nonexistent-zakon-home");
        let registries = |name: &str| -> Vec<PathBuf> {
            let default = home.join("system/rules/zakon-registry.json");
            if name == "zakon-registry.json" {
                vec![default]
            } else {
                Vec::new()
            }
        };
        for (p, want) in [
            ("/w/BUILD-BLUEPRINT.md", Some(Kind::Blueprint)),
            ("/w/a/deploy-map.md", Some(Kind::Blueprint)),
            (
                "/nonexistent-zakon-home/system/rules/zakon-x.md",
                Some(Kind::Rule),
            ),
            (
                "/nonexistent-zakon-home/System/Rules/ZAKON-x.md",
                Some(Kind::Rule),
            ),
            ("/nonexistent-zakon-home/notes/zakon-x.md", None),
            (
                "/nonexistent-zakon-home/system/rules/zakon-registry.json",
                Some(Kind::Registry),
            ),
            (
                "/nonexistent-zakon-home/System/Rules/ZAKON-Registry.JSON",
                Some(Kind::Registry),
            ),
            ("/w/zakon-registry.json", None),
            ("/nonexistent-zakon-home/system/rules/registry.json", None),
            ("/w/README.md", None),
        ] {
            assert_eq!(
                classify(Path::new(p), home, &registries).map(|s| s.kind),
                want,
                "{p}"
            );
        }
    }
}
