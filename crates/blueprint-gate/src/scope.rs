//! Which paths blueprint-gate guards: `**/BUILD-BLUEPRINT.md`, `**/DEPLOY-MAP.md` and
//! `~/system/rules/zakon-*.md` — with `..`, `./`, symlinks and case variants closed.
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

/// Classifies a resolved (absolute, normalised) path.
pub fn classify(lexical: &Path, home: &Path) -> Option<Scoped> {
    let hit = mentions_scope(name_of(lexical));
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
    } else {
        return None;
    };
    Some(Scoped {
        kind,
        real,
        lexical: lexical.to_path_buf(),
    })
}

/// Whether `p` sits directly in `~/system/rules/`, comparing both as written and with
/// symlinks followed, case-insensitively.
fn in_rules_dir(p: &Path, home: &Path) -> bool {
    let Some(parent) = p.parent() else {
        return false;
    };
    let rules = home.join(RULES_DIR);
    let same = |a: &Path, b: &Path| {
        a.to_string_lossy().to_lowercase() == b.to_string_lossy().to_lowercase()
    };
    same(parent, &rules) || same(&paths::canonical(parent), &paths::canonical(&rules))
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
            ("/w/README.md", None),
        ] {
            assert_eq!(classify(Path::new(p), home).map(|s| s.kind), want, "{p}");
        }
    }
}
