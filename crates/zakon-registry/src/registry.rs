//! The registry file: where it lives, loading it, and the consistency checks that turn a
//! broken registry into an error (exit 3) instead of a silent pass.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use zakon_core::paths;

/// The token an approved rule carries.
pub const APPROVED_TOKEN: &str = "[CEO_APPROVED]";
/// Statuses that mean "the CEO approved this rule".
pub const APPROVED_STATUSES: [&str; 3] = ["approved-pending-author", "approved-live", "active"];
/// Rules that existed before the registry (2026-05-12) are grandfathered with this status…
pub const GRANDFATHERED_STATUS: &str = "legacy-pre-registry";
/// …and this token.
pub const GRANDFATHERED_TOKEN: &str = "GRANDFATHERED-PRE-2026-05-12";

/// The default location, relative to `$HOME`.
pub const DEFAULT_RELATIVE_PATH: &str = "system/rules/zakon-registry.json";

/// The `registry` section of the zakon config file.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegistryConfig {
    /// Registry path (`~` allowed); `--registry` and `$ZAKON_REGISTRY` win over it.
    #[serde(default)]
    pub path: Option<String>,
}

/// One rule in the registry.
#[derive(Debug, Clone, Serialize)]
pub struct Entry {
    pub zakon_id: String,
    /// As written in the registry (tilde notation).
    pub file_path: String,
    pub mc_task: Option<u64>,
    pub ceo_approved_token: Option<String>,
    pub status: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub published_sha256: Option<String>,
    /// `file_path` with `~` expanded, normalised and symlinks followed — what paths are
    /// compared on.
    #[serde(skip)]
    pub resolved: PathBuf,
}

impl Entry {
    /// Whether the entry lets its file exist: approved with the CEO token, or grandfathered.
    pub fn is_approved(&self) -> bool {
        let token = self.ceo_approved_token.as_deref().unwrap_or("");
        if self.status == GRANDFATHERED_STATUS {
            token == GRANDFATHERED_TOKEN
        } else {
            APPROVED_STATUSES.contains(&self.status.as_str()) && token == APPROVED_TOKEN
        }
    }
}

/// A loaded registry that passed the consistency checks.
#[derive(Debug, Clone)]
pub struct Registry {
    pub path: PathBuf,
    pub version: Option<String>,
    pub entries: Vec<Entry>,
}

/// Why the registry cannot be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    Missing,
    Unreadable(String),
    Unparseable(String),
    Inconsistent(Vec<String>),
}

/// A registry that cannot be used: every rule check fails closed on it (exit 3 in the CLI,
/// exit 2 in blueprint-gate).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadError {
    pub path: PathBuf,
    pub problem: Problem,
}

impl LoadError {
    /// The first line, `ZAKON_REGISTRY_ERROR: …`.
    pub fn headline(&self) -> String {
        let what = match &self.problem {
            Problem::Missing => "registry file not found".to_string(),
            Problem::Unreadable(e) => format!("registry file cannot be read: {e}"),
            Problem::Unparseable(e) => format!("registry is not valid JSON: {e}"),
            Problem::Inconsistent(list) => {
                format!("registry is inconsistent: {}", list.join("; "))
            }
        };
        format!("ZAKON_REGISTRY_ERROR: {what}")
    }

    /// The `FIX:` line. Its `zakon-registry list` names this registry with `--registry`
    /// unless it is the one `list` reads by default: a registry reached through
    /// `--registry FILE` (or `$ZAKON_REGISTRY`, or the config) must be the one re-checked.
    pub fn fix(&self, home: &Path) -> String {
        let fix = match &self.problem {
            Problem::Missing => {
                "restore the registry at the expected path: from the zakon checkout, \
                 `mkdir -p DIR && cp registry/zakon-registry.json FILE` installs the default \
                 one (./install.sh does this when none exists; a plugin install does not), \
                 or point --registry / $ZAKON_REGISTRY at the real one, then run \
                 `zakon-registry list`. Until then every zakon-*.md write is blocked."
            }
            Problem::Unreadable(_) => {
                "make it a regular file readable by the user running the hooks (`ls -l` on \
                 the expected path shows its type and permissions; a FIFO or device there is \
                 never read), then run `zakon-registry list`."
            }
            Problem::Unparseable(_) => {
                "repair the JSON at the position above (or restore the file from backup or \
                 from registry/zakon-registry.json), then run `zakon-registry list`."
            }
            Problem::Inconsistent(_) => {
                "give every rule exactly one entry with a unique zakon_id, a unique file_path \
                 (absolute or ~/…), a status and mc_task (a number or null), then run \
                 `zakon-registry list`."
            }
        };
        // Name the CLI so the command runs as written, on PATH or not.
        let default = match zakon_core::mode::managed() {
            Some(m) => m.registry(),
            None => home.join(DEFAULT_RELATIVE_PATH),
        };
        let which = if paths::normalize(&self.path) == paths::normalize(&default) {
            String::new()
        } else {
            format!(
                " --registry {}",
                zakon_core::runnable::quote(&self.path.to_string_lossy())
            )
        };
        let list = format!(
            "`{}{which} list`",
            zakon_core::runnable::command("zakon-registry")
        );
        // The copy command names this registry's own path (the expected one).
        let q = |p: &Path| zakon_core::runnable::quote(&p.to_string_lossy());
        let dir = self.path.parent().unwrap_or_else(|| Path::new("."));
        let fix = fix
            .replace("mkdir -p DIR", &format!("mkdir -p {}", q(dir)))
            .replace(
                "zakon-registry.json FILE",
                &format!("zakon-registry.json {}", q(&self.path)),
            );
        format!("FIX: {}", fix.replace("`zakon-registry list`", &list))
    }

    /// The whole report: headline, expected path, FIX line.
    pub fn report(&self, home: &Path) -> String {
        format!(
            "{}\nExpected registry: {}\n{}",
            self.headline(),
            paths::display_tilde(&self.path, home),
            self.fix(home)
        )
    }
}

/// Where the registry is read from: `--registry`, else `$ZAKON_REGISTRY`, else the config's
/// `registry.path`, else `~/system/rules/zakon-registry.json` (managed mode: no
/// `$ZAKON_REGISTRY`, and `/etc/zakon/zakon-registry.json` as the default).
pub fn locate(
    explicit: Option<&str>,
    configured: Option<&str>,
    home: &Path,
    cwd: Option<&Path>,
) -> PathBuf {
    // Managed mode: `$ZAKON_REGISTRY` is the agent's to set, so only root's files count —
    // the managed config's `registry.path`, else `/etc/zakon/zakon-registry.json`.
    let managed = zakon_core::mode::managed();
    let env = std::env::var("ZAKON_REGISTRY")
        .ok()
        .filter(|s| !s.is_empty() && managed.is_none());
    match explicit.or(env.as_deref()).or(configured) {
        Some(p) => paths::resolve(p, home, cwd),
        None => match managed {
            Some(m) => m.registry(),
            None => home.join(DEFAULT_RELATIVE_PATH),
        },
    }
}

/// Where an entry's `file_path` really points (tilde, `..`, symlinks resolved).
pub fn resolve_rule_path(file_path: &str, home: &Path) -> PathBuf {
    paths::canonical(&paths::resolve(file_path, home, None))
}

/// Reads, parses and checks the registry at `path`.
pub fn load(path: &Path, home: &Path) -> Result<Registry, LoadError> {
    let fail = |problem| LoadError {
        path: path.to_path_buf(),
        problem,
    };
    match zakon_core::fsio::read_regular_string(path) {
        Ok(text) => parse(&text, path, home),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err(fail(Problem::Missing)),
        Err(e) => Err(fail(Problem::Unreadable(e.to_string()))),
    }
}

/// Parses and checks registry text as if it were the file at `path` — blueprint-gate judges
/// an edit's result before it reaches the disk.
pub fn parse(text: &str, path: &Path, home: &Path) -> Result<Registry, LoadError> {
    let fail = |problem| LoadError {
        path: path.to_path_buf(),
        problem,
    };
    let doc: Value =
        serde_json::from_str(text).map_err(|e| fail(Problem::Unparseable(e.to_string())))?;
    let (version, entries) = check(&doc, home).map_err(|p| fail(Problem::Inconsistent(p)))?;
    Ok(Registry {
        path: path.to_path_buf(),
        version,
        entries,
    })
}

/// The consistency checks; every problem found is listed, not just the first.
fn check(doc: &Value, home: &Path) -> Result<(Option<String>, Vec<Entry>), Vec<String>> {
    let Some(top) = doc.as_object() else {
        return Err(vec!["the top level is not a JSON object".into()]);
    };
    let version = match top.get("version") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(Value::Number(n)) => Some(n.to_string()),
        Some(_) => return Err(vec!["\"version\" is not a string".into()]),
    };
    let Some(list) = top.get("registry").and_then(Value::as_array) else {
        return Err(vec!["the \"registry\" array is missing".into()]);
    };
    let mut problems = Vec::new();
    let mut entries = Vec::new();
    for (i, raw) in list.iter().enumerate() {
        let at = format!("entry {}", i + 1);
        match raw.as_object() {
            Some(obj) => match parse_entry(obj, home) {
                Ok(e) => entries.push(e),
                Err(mut p) => problems.extend(p.drain(..).map(|p| format!("{at} {p}"))),
            },
            None => problems.push(format!("{at} is not an object")),
        }
    }
    let mut ids: HashMap<&str, usize> = HashMap::new();
    let mut files: HashMap<&Path, &str> = HashMap::new();
    for e in &entries {
        let n = ids.entry(e.zakon_id.as_str()).or_default();
        *n += 1;
        if *n == 2 {
            problems.push(format!("duplicate zakon_id \"{}\"", e.zakon_id));
        }
        if let Some(first) = files.insert(e.resolved.as_path(), &e.zakon_id) {
            problems.push(format!(
                "\"{}\" and \"{}\" name the same file {}",
                first, e.zakon_id, e.file_path
            ));
        }
    }
    if problems.is_empty() {
        Ok((version, entries))
    } else {
        Err(problems)
    }
}

fn parse_entry(obj: &Map<String, Value>, home: &Path) -> Result<Entry, Vec<String>> {
    let mut problems = Vec::new();
    let mut text = |key: &str, required: bool| -> Option<String> {
        match obj.get(key) {
            Some(Value::String(s)) if !s.trim().is_empty() => Some(s.trim().to_string()),
            None | Some(Value::Null) if !required => None,
            Some(Value::String(_)) if !required => None,
            None => {
                problems.push(format!("has no {key}"));
                None
            }
            Some(_) => {
                problems.push(format!("has an empty or non-string {key}"));
                None
            }
        }
    };
    let id = text("zakon_id", true);
    let file_path = text("file_path", true);
    let status = text("status", true);
    let token = text("ceo_approved_token", false);
    let sha = text("published_sha256", false);
    let mc_task = match obj.get("mc_task") {
        None => {
            problems.push("has no mc_task (use null when there is none)".into());
            None
        }
        Some(Value::Null) => None,
        Some(v) => match v.as_u64() {
            Some(n) => Some(n),
            None => {
                problems.push("has an mc_task that is neither a number nor null".into());
                None
            }
        },
    };
    if let Some(p) = &file_path
        && !(p.starts_with("~/") || p.starts_with('/'))
    {
        problems.push(format!("file_path \"{p}\" is neither absolute nor ~/…"));
    }
    if let Some(s) = &sha
        && !(s.len() == 64 && s.bytes().all(|b| b.is_ascii_hexdigit()))
    {
        problems.push("has a published_sha256 that is not 64 hex digits".into());
    }
    match (id, file_path, status) {
        (Some(zakon_id), Some(file_path), Some(status)) if problems.is_empty() => Ok(Entry {
            resolved: resolve_rule_path(&file_path, home),
            zakon_id,
            file_path,
            mc_task,
            ceo_approved_token: token,
            status,
            published_sha256: sha.map(|s| s.to_ascii_lowercase()),
        }),
        _ => Err(problems),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn entry(id: &str, file: &str) -> Value {
        json!({"zakon_id": id, "file_path": file, "mc_task": null,
               "ceo_approved_token": GRANDFATHERED_TOKEN, "status": GRANDFATHERED_STATUS})
    }

    #[test]
    fn consistency_problems_are_all_listed() {
        let home = Path::new("/nonexistent-home");
        let cases: Vec<(Value, Option<&str>)> = vec![
            (json!({"registry": [entry("a", "~/r/zakon-a.md")]}), None),
            (json!([1]), Some("not a JSON object")),
            (
                json!({"version": "1"}),
                Some("\"registry\" array is missing"),
            ),
            (
                json!({"registry": [entry("a", "~/r/a.md"), entry("a", "~/r/b.md")]}),
                Some("duplicate zakon_id \"a\""),
            ),
            (
                json!({"registry": [entry("a", "~/r/a.md"), entry("b", "~/r/x/../a.md")]}),
                Some("name the same file"),
            ),
            (
                json!({"registry": [{"zakon_id": "a", "file_path": "~/a.md", "status": "active"}]}),
                Some("has no mc_task"),
            ),
            (
                json!({"registry": [{"file_path": "~/a.md", "mc_task": 1, "status": "active"}]}),
                Some("entry 1 has no zakon_id"),
            ),
            (
                json!({"registry": [{"zakon_id": "a", "file_path": "rel.md", "mc_task": 1, "status": "x"}]}),
                Some("neither absolute"),
            ),
            (
                json!({"registry": [{"zakon_id": "a", "file_path": "~/a.md", "mc_task": "12", "status": "x"}]}),
                Some("neither a number nor null"),
            ),
        ];
        for (doc, want) in cases {
            match (check(&doc, home), want) {
                (Ok(_), None) => {}
                (Err(p), Some(w)) => assert!(p.join("; ").contains(w), "{p:?} vs {w}"),
                (got, want) => panic!("{doc}: got {got:?}, want {want:?}"),
            }
        }
    }

    #[test]
    fn approval_rules() {
        let mk = |status: &str, token: Option<&str>| Entry {
            zakon_id: "x".into(),
            file_path: "~/x.md".into(),
            mc_task: None,
            ceo_approved_token: token.map(str::to_string),
            status: status.into(),
            published_sha256: None,
            resolved: PathBuf::new(),
        };
        for (status, token, ok) in [
            ("active", Some(APPROVED_TOKEN), true),
            ("approved-live", Some(APPROVED_TOKEN), true),
            ("approved-pending-author", Some(APPROVED_TOKEN), true),
            ("active", None, false),
            ("active", Some("approved"), false),
            ("draft", Some(APPROVED_TOKEN), false),
            (GRANDFATHERED_STATUS, Some(GRANDFATHERED_TOKEN), true),
            (GRANDFATHERED_STATUS, None, false),
        ] {
            assert_eq!(mk(status, token).is_approved(), ok, "{status} {token:?}");
        }
    }
}
