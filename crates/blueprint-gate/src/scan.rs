//! `blueprint-gate scan`: the nightly fleet watchdog — every blueprint under the roots with
//! its schema score and age; exit 1 when any is incomplete or stale.

use crate::schema::{Report, Schema, format_days};
use serde_json::json;
use std::path::{Path, PathBuf};
use walkdir::WalkDir;

/// Directories never worth descending into.
const SKIP_DIRS: [&str; 2] = [".git", "node_modules"];

pub struct Found {
    pub path: PathBuf,
    pub result: Result<Report, String>,
}

impl Found {
    fn age(&self, today: i64) -> Option<i64> {
        self.result
            .as_ref()
            .ok()
            .and_then(|r| r.last_verified)
            .map(|d| today - d)
    }

    fn stale(&self, today: i64, max_age: i64) -> bool {
        self.age(today).is_some_and(|a| a > max_age)
    }

    fn ok(&self, today: i64, max_age: i64) -> bool {
        matches!(&self.result, Ok(r) if r.passes()) && !self.stale(today, max_age)
    }
}

/// Walks `roots`; a root that is a file is judged whatever its name. Returns the findings
/// (sorted by path) and the walk errors (unreadable directories) as warnings.
pub fn collect(schema: &Schema, roots: &[PathBuf], today: i64) -> (Vec<Found>, Vec<String>) {
    let mut found = Vec::new();
    let mut warnings = Vec::new();
    for root in roots {
        if root.is_file() {
            found.push(judge(schema, root, today));
            continue;
        }
        let walk = WalkDir::new(root).into_iter().filter_entry(|e| {
            !(e.file_type().is_dir()
                && e.depth() > 0
                && SKIP_DIRS.iter().any(|s| e.file_name() == *s))
        });
        for entry in walk {
            match entry {
                Ok(e) => {
                    let name = e.file_name().to_str().unwrap_or("");
                    if e.file_type().is_file() && crate::scope::is_blueprint_name(name) {
                        found.push(judge(schema, e.path(), today));
                    }
                }
                Err(err) => warnings.push(err.to_string()),
            }
        }
    }
    found.sort_by(|a, b| a.path.cmp(&b.path));
    (found, warnings)
}

fn judge(schema: &Schema, path: &Path, today: i64) -> Found {
    let result =
        match zakon_core::fsio::read_regular_bounded(path, zakon_core::fsio::MAX_FILE_BYTES) {
            Ok(bytes) => match String::from_utf8(bytes) {
                Ok(text) => Ok(schema.evaluate(&text, today)),
                Err(_) => Err("not UTF-8 text".to_string()),
            },
            Err(e) => Err(format!("cannot read: {e}")),
        };
    Found {
        path: path.to_path_buf(),
        result,
    }
}

/// Prints the report; returns whether everything passed.
pub fn print(found: &[Found], today: i64, max_age: i64, as_json: bool) -> bool {
    let failing = found.iter().filter(|f| !f.ok(today, max_age)).count();
    if as_json {
        let items: Vec<_> = found
            .iter()
            .map(|f| {
                let mut v = json!({
                    "path": f.path.display().to_string(),
                    "ok": f.ok(today, max_age),
                    "stale": f.stale(today, max_age),
                    "age_days": f.age(today),
                });
                match &f.result {
                    Ok(r) => {
                        v["score"] = json!(r.score);
                        v["total"] = json!(r.total);
                        v["missing"] = json!(
                            r.missing
                                .iter()
                                .map(|m| json!({"element": m.label, "why": m.why}))
                                .collect::<Vec<_>>()
                        );
                        v["last_verified"] = json!(r.last_verified.map(format_days));
                    }
                    Err(e) => {
                        v["score"] = json!(0);
                        v["error"] = json!(e);
                    }
                }
                v
            })
            .collect();
        let doc = json!({
            "max_age_days": max_age,
            "blueprints": items,
            "total": found.len(),
            "failing": failing,
        });
        zakon_core::outln!(
            "{}",
            serde_json::to_string_pretty(&doc).unwrap_or_else(|_| doc.to_string())
        );
        return failing == 0;
    }
    if found.is_empty() {
        zakon_core::outln!("no BUILD-BLUEPRINT.md or DEPLOY-MAP.md found");
        return true;
    }
    zakon_core::outln!("{:<6} {:>5}  {:<10} FILE", "SCORE", "AGE", "STATUS");
    for f in found {
        let (score, detail) = match &f.result {
            Ok(r) => {
                let mut notes: Vec<String> = r
                    .missing
                    .iter()
                    .map(|m| format!("{}: {}", m.label, m.why))
                    .collect();
                if f.stale(today, max_age) {
                    notes.push(format!(
                        "last verified {} days ago (limit {max_age})",
                        f.age(today).unwrap_or_default()
                    ));
                }
                (format!("{}/{}", r.score, r.total), notes.join("; "))
            }
            Err(e) => ("0/-".to_string(), e.clone()),
        };
        let age = f
            .age(today)
            .map(|a| format!("{a}d"))
            .unwrap_or_else(|| "-".into());
        let status = match (&f.result, f.stale(today, max_age)) {
            (Err(_), _) => "error",
            (Ok(r), _) if !r.passes() => "incomplete",
            (_, true) => "stale",
            _ => "ok",
        };
        let line = format!("{score:<6} {age:>5}  {status:<10} {}", f.path.display());
        if detail.is_empty() {
            zakon_core::outln!("{line}");
        } else {
            zakon_core::outln!("{line}  ({detail})");
        }
    }
    zakon_core::outln!(
        "{} blueprint(s): {} ok, {failing} failing (max age {max_age} days)",
        found.len(),
        found.len() - failing
    );
    failing == 0
}
