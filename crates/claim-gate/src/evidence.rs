//! Evidence: file paths cited in the turn's text that match an evidence pattern, and
//! whether each really exists. A cited path that does not exist is fabricated evidence.

use once_cell::sync::Lazy;
use regex::Regex;
use std::path::{Component, Path, PathBuf};

/// The organisation's evidence locations: `/tmp/evidence-<digits>/…`, `docs/evidence/…`
/// (relative to the project), `~/system/state/*.json`.
pub const DEFAULT_PATTERNS: &[&str] = &[
    r"/tmp/evidence-[0-9]+(?:/[^\s`'\x22()<>\[\]{}|,;]*)?",
    r"(?:\./)?docs/evidence/[^\s`'\x22()<>\[\]{}|,;]+",
    r"~/system/state/[^\s`'\x22()<>\[\]{}|,;]+\.json",
];

static DEFAULT_SET: Lazy<Result<Vec<Regex>, String>> = Lazy::new(|| {
    compile(
        &DEFAULT_PATTERNS
            .iter()
            .map(|s| s.to_string())
            .collect::<Vec<_>>(),
    )
});

pub fn compile(patterns: &[String]) -> Result<Vec<Regex>, String> {
    patterns
        .iter()
        .map(|p| {
            Regex::new(p).map_err(|e| format!("evidence pattern {p:?} is not a valid regex: {e}"))
        })
        .collect()
}

/// The default patterns, compiled once.
pub fn defaults() -> Result<&'static [Regex], String> {
    DEFAULT_SET.as_deref().map_err(Clone::clone)
}

#[derive(Debug, Clone, PartialEq)]
pub struct Citation {
    /// As written in the text.
    pub cited: String,
    /// Resolved against `~` and the project directory.
    pub path: PathBuf,
    pub exists: bool,
    /// The path leaves its evidence directory with `..`: never evidence.
    pub escapes: bool,
}

/// Which patterns to look for: the defaults (compiled only when the text could match one —
/// compiling costs more than the rest of a Stop run) or the config's own.
pub enum Patterns {
    Default,
    Custom(Vec<Regex>),
}

impl Patterns {
    pub fn citations(
        &self,
        text: &str,
        home: &Path,
        cwd: Option<&Path>,
    ) -> Result<Vec<Citation>, String> {
        match self {
            Patterns::Custom(p) => Ok(citations(text, p, home, cwd)),
            Patterns::Default
                if !text.contains("evidence-")
                    && !text.contains("docs/evidence/")
                    && !text.contains("system/state/") =>
            {
                Ok(Vec::new())
            }
            Patterns::Default => Ok(citations(text, defaults()?, home, cwd)),
        }
    }
}

/// Every evidence path cited in `text`, in order, without repeats.
pub fn citations(text: &str, patterns: &[Regex], home: &Path, cwd: Option<&Path>) -> Vec<Citation> {
    let mut out: Vec<Citation> = Vec::new();
    for re in patterns {
        for m in re.find_iter(text) {
            // `docs/evidence/…` only as a path of its own, not the tail of another path.
            if m.as_str().starts_with("docs/") || m.as_str().starts_with("./docs/") {
                let before = text[..m.start()].chars().next_back();
                if before.is_some_and(|c| c.is_alphanumeric() || matches!(c, '/' | '.' | '-' | '_'))
                {
                    continue;
                }
            }
            let cited = m
                .as_str()
                .trim_end_matches(['.', ':', '!', '?', '*', '_', '\''])
                .to_string();
            if cited.is_empty() || out.iter().any(|c| c.cited == cited) {
                continue;
            }
            let path = zakon_core::paths::resolve(&cited, home, cwd);
            // "/tmp/evidence-1/../../etc/passwd" matches the pattern but is not evidence.
            let escapes = Path::new(&cited)
                .components()
                .any(|c| c == Component::ParentDir);
            let exists = !escapes && is_real_evidence(&path);
            out.push(Citation {
                cited,
                path,
                exists,
                escapes,
            });
        }
    }
    out
}

/// A non-empty file, or a directory holding at least one non-empty file (two levels deep).
pub fn is_real_evidence(path: &Path) -> bool {
    match std::fs::metadata(path) {
        Ok(m) if m.is_file() => m.len() > 0,
        Ok(m) if m.is_dir() => dir_has_content(path, 2),
        _ => false,
    }
}

fn dir_has_content(dir: &Path, depth: u32) -> bool {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return false;
    };
    entries.flatten().take(1000).any(|e| match e.metadata() {
        Ok(m) if m.is_file() => m.len() > 0,
        Ok(m) if m.is_dir() && depth > 0 => dir_has_content(&e.path(), depth - 1),
        _ => false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_and_checks_citations() {
        let base = std::env::temp_dir().join(format!("zakon-evidence-{}", std::process::id()));
        let cwd = base.join("proj");
        std::fs::create_dir_all(cwd.join("docs/evidence")).unwrap();
        std::fs::write(cwd.join("docs/evidence/run.md"), "ok\n").unwrap();
        std::fs::write(cwd.join("docs/evidence/empty.md"), "").unwrap();
        let home = base.join("home");
        let text = "Done, log at docs/evidence/run.md. Also (docs/evidence/empty.md) and \
                    `~/system/state/x.json`; see /tmp/evidence-99999999901/verify.log. And docs/evidence/../../run.md Not src/docs/evidence/a.md";
        let pats = defaults().unwrap();
        let got: Vec<(String, bool)> = citations(text, pats, &home, Some(&cwd))
            .into_iter()
            .map(|c| (c.cited, c.exists))
            .collect();
        assert_eq!(
            got,
            vec![
                ("/tmp/evidence-99999999901/verify.log".to_string(), false),
                ("docs/evidence/run.md".to_string(), true),
                ("docs/evidence/empty.md".to_string(), false),
                ("docs/evidence/../../run.md".to_string(), false),
                ("~/system/state/x.json".to_string(), false),
            ]
        );
        std::fs::remove_dir_all(&base).unwrap();
    }
}
