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
    /// The zakon config (`$ZAKON_CONFIG`, `~/.claude/zakon/config.json`): it can switch the
    /// gates' rules off, so agents may not write it.
    Config,
    /// Claude Code settings (`.claude/settings.json`, `.claude/settings.local.json`): they
    /// register the gates, so an edit may not drop a zakon hook.
    Settings,
}

/// Claude Code settings file names (compared lowercased), guarded in a `.claude` directory.
pub const SETTINGS_NAMES: [&str; 2] = ["settings.json", "settings.local.json"];

/// Whether `p` is a Claude Code settings file: a settings name directly in a `.claude`
/// directory (the user's `~/.claude` or any project's).
pub fn is_settings_path(p: &Path) -> bool {
    SETTINGS_NAMES.contains(&name_of(p).to_ascii_lowercase().as_str())
        && p.parent()
            .is_some_and(|d| name_of(d).eq_ignore_ascii_case(".claude"))
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

/// Classifies a resolved (absolute, normalised) path. `guarded(name)` lists the places the
/// registry and the zakon config may live whose lowercased file name is `name`, with their
/// kind (empty for almost every name, and cheap: the caller reads the config only for
/// `.json` names).
pub fn classify(
    lexical: &Path,
    home: &Path,
    guarded: &dyn Fn(&str) -> Vec<(Kind, PathBuf)>,
) -> Option<Scoped> {
    let lower = name_of(lexical).to_ascii_lowercase();
    let hit = mentions_scope(&lower)
        || SETTINGS_NAMES.contains(&lower.as_str())
        || !guarded(&lower).is_empty();
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
    } else if let Some(kind) = candidates.iter().find_map(|p| {
        guarded(&name_of(p).to_ascii_lowercase())
            .into_iter()
            .find(|(_, r)| same_file(p, r))
            .map(|(k, _)| k)
    }) {
        kind
    } else if candidates.iter().any(|p| is_settings_path(p)) {
        Kind::Settings
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
        let registries = |name: &str| -> Vec<(Kind, PathBuf)> {
            match name {
                "zakon-registry.json" => {
                    vec![(
                        Kind::Registry,
                        home.join("system/rules/zakon-registry.json"),
                    )]
                }
                "config.json" => vec![(Kind::Config, home.join(".claude/zakon/config.json"))],
                _ => Vec::new(),
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
            (
                "/nonexistent-zakon-home/.claude/zakon/config.json",
                Some(Kind::Config),
            ),
            ("/nonexistent-zakon-home/.claude/config.json", None),
            ("/w/config.json", None),
            (
                "/nonexistent-zakon-home/.claude/settings.json",
                Some(Kind::Settings),
            ),
            ("/w/.claude/settings.local.json", Some(Kind::Settings)),
            ("/w/.claude/Settings.JSON", Some(Kind::Settings)),
            ("/w/settings.json", None),
            ("/w/.vscode/settings.json", None),
        ] {
            assert_eq!(
                classify(Path::new(p), home, &registries).map(|s| s.kind),
                want,
                "{p}"
            );
        }
    }
}
