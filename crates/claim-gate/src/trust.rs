//! Whether each cited evidence file can be trusted as proof (evidence v2, "replay, don't
//! trust"). A file that exists is evidence only when
//!
//! 1. it, its directories and its evidence root are owned by the user running the gate and
//!    not writable by group or others, and a symlink resolves inside the same root
//!    (`zakon_core::ownership`);
//! 2. the transcript shows a program wrote it (`provenance.rs`) — not the agent's own typing
//!    (Write/Edit/NotebookEdit, `echo`/`printf`/heredoc) — or, written by no tool call of this
//!    session, it was modified after the session's first transcript line (fresh);
//! 3. when the prose claims success, its text does not show failure (`contradiction.rs`).
//!
//! `claim_gate.evidence.provenance`: `strict` does all three; `fresh` skips the transcript
//! search (2 becomes freshness only); `off` trusts any existing file (before evidence v2).

use crate::config::{EvidenceConfig, ProvenanceMode};
use crate::contradiction::{self, Contradiction};
use crate::evidence::Citation;
use crate::provenance::{self, Origin};
use serde_json::{Value, json};
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use zakon_core::Error;
use zakon_core::ownership::{self, Untrusted, Why};

/// A cited directory is judged by its content files, up to this many.
const MAX_DIR_FILES: usize = 50;

/// Whole seconds on both sides: a file written in the session's first second is fresh.
const FRESH_SLACK_SECS: i64 = 1;

/// Where to look and what to trust.
pub struct Options<'a> {
    pub evidence: &'a EvidenceConfig,
    /// The transcript being judged; `None` when the hook gave only `last_assistant_message`.
    pub transcript: Option<&'a Path>,
    pub home: &'a Path,
    pub cwd: Option<&'a Path>,
}

/// What the gate found out about one evidence file.
#[derive(Debug, Clone, PartialEq)]
pub enum Provenance {
    /// Written by a program in this session (accepted).
    Program { command: String },
    /// Written by no tool call found, but fresh and owned (accepted). `modified` is `None`
    /// when the session's start is unknown (no timestamped transcript line).
    Fresh { modified: i64 },
    /// `provenance: off`: existence alone (accepted).
    Unchecked,
    /// Typed by the agent (rejected).
    HandWritten { tool: String, command: String },
    /// Modified before the session began, or only `touch`ed in it (rejected).
    Stale {
        modified: i64,
        session_start: i64,
        touched: Option<String>,
    },
    /// Someone else owns it or can write it, or it leads outside its root (rejected).
    Foreign { problem: Untrusted },
    /// Its text shows failure while the prose claims success (rejected).
    Contradicts(Contradiction),
}

impl Provenance {
    pub fn accepted(&self) -> bool {
        matches!(
            self,
            Provenance::Program { .. } | Provenance::Fresh { .. } | Provenance::Unchecked
        )
    }

    /// The record's `provenance` value.
    pub fn kind(&self) -> &'static str {
        match self {
            Provenance::Program { .. } => "program",
            Provenance::Fresh { .. } => "fresh",
            Provenance::Unchecked => "unchecked",
            Provenance::HandWritten { .. } => "hand-written",
            Provenance::Stale { .. } => "stale",
            Provenance::Foreign { problem }
                if matches!(problem.why, Why::LinksOutside { .. } | Why::OutsideRoot) =>
            {
                "symlink-out"
            }
            Provenance::Foreign { .. } => "foreign-owned",
            Provenance::Contradicts(_) => "contradicts",
        }
    }
}

/// One evidence file and its standing.
#[derive(Debug, Clone, PartialEq)]
pub struct Assessment {
    /// The path as cited (a directory's files share it).
    pub cited: String,
    /// The file is one of a cited directory's files.
    pub in_dir: bool,
    /// The file judged.
    pub file: PathBuf,
    pub provenance: Provenance,
}

impl Assessment {
    /// The JSON kept in the verdict file, `violations.jsonl` and the audit log.
    pub fn record(&self) -> Value {
        let mut v = json!({
            "path": self.cited, "file": self.file, "provenance": self.provenance.kind(),
        });
        let extra = match &self.provenance {
            Provenance::Program { command } => json!({"command": command}),
            Provenance::Fresh { modified } => {
                json!({"modified": zakon_core::time::rfc3339(*modified)})
            }
            Provenance::Unchecked => json!({}),
            Provenance::HandWritten { tool, command } => json!({"tool": tool, "command": command}),
            Provenance::Stale {
                modified,
                session_start,
                touched,
            } => json!({
                "modified": zakon_core::time::rfc3339(*modified),
                "session_start": zakon_core::time::rfc3339(*session_start),
                "touched_by": touched,
            }),
            Provenance::Foreign { problem } => json!({"why": problem.to_string()}),
            Provenance::Contradicts(c) => json!({
                "line": c.line, "line_no": c.line_no, "runner": c.runner, "why": c.reason,
            }),
        };
        if let (Some(o), Value::Object(e)) = (v.as_object_mut(), extra) {
            o.extend(e);
        }
        v
    }

    /// One line for `claim-gate check`.
    pub fn explain(&self) -> String {
        let file = if self.in_dir {
            format!(" ({})", self.file.display())
        } else {
            String::new()
        };
        let what = match &self.provenance {
            Provenance::Program { command } => format!("program: {command}"),
            Provenance::Fresh { modified } => format!(
                "fresh and yours (modified {}), written by no tool call found in the transcript",
                zakon_core::time::rfc3339(*modified)
            ),
            Provenance::Unchecked => "exists (provenance: off)".to_string(),
            Provenance::HandWritten { tool, command } => {
                format!("HAND-WRITTEN by {tool}: {command}")
            }
            Provenance::Stale {
                modified,
                session_start,
                touched,
            } => format!(
                "STALE: modified {}, before this session began ({}){}",
                zakon_core::time::rfc3339(*modified),
                zakon_core::time::rfc3339(*session_start),
                touched
                    .as_ref()
                    .map_or(String::new(), |t| format!("; only touched in it: {t}"))
            ),
            Provenance::Foreign { problem } => {
                format!("{}: {problem}", self.provenance.kind().to_uppercase())
            }
            Provenance::Contradicts(c) => format!(
                "CONTRADICTS the claim at line {}: {:?} ({})",
                c.line_no, c.line, c.reason
            ),
        };
        format!("evidence   {}{file} — {what}", self.cited)
    }
}

/// Judges every existing, non-escaping citation. `claimed(c)`: the prose that cites `c`
/// claims success, so its content is checked for failure.
pub fn assess(
    citations: &[&Citation],
    claimed: &dyn Fn(&Citation) -> bool,
    opts: &Options,
) -> Result<Vec<Assessment>, Error> {
    let live: Vec<&Citation> = citations
        .iter()
        .copied()
        .filter(|c| c.exists && !c.escapes)
        .collect();
    let mut out: Vec<(Assessment, bool)> = Vec::new();
    for c in &live {
        let root = evidence_root(&c.cited, &c.path, opts.home, opts.cwd);
        let in_dir = c.path.is_dir();
        for file in content_files(&c.path) {
            let provenance = match ownership::check(&root, &file) {
                Err(problem) if opts.evidence.provenance != ProvenanceMode::Off => {
                    Provenance::Foreign { problem }
                }
                _ => Provenance::Unchecked,
            };
            out.push((
                Assessment {
                    cited: c.cited.clone(),
                    in_dir,
                    file,
                    provenance,
                },
                claimed(c),
            ));
        }
    }
    if opts.evidence.provenance == ProvenanceMode::Off {
        return Ok(out.into_iter().map(|(a, _)| a).collect());
    }
    // Who wrote each file that passed the ownership check.
    let open: Vec<usize> = (0..out.len())
        .filter(|&i| out[i].0.provenance == Provenance::Unchecked)
        .collect();
    let origins: Vec<Origin> = match (opts.evidence.provenance, opts.transcript) {
        (ProvenanceMode::Strict, Some(t)) if !open.is_empty() => {
            let targets: Vec<PathBuf> = open.iter().map(|&i| out[i].0.file.clone()).collect();
            provenance::search(
                t,
                &targets,
                opts.home,
                opts.cwd,
                opts.evidence.max_transcript_bytes,
            )?
            .origins
        }
        _ => open
            .iter()
            .map(|_| Origin::NotInSession {
                copied_from: None,
                touched: None,
            })
            .collect(),
    };
    let mut start: Option<Option<i64>> = None;
    for (&i, origin) in open.iter().zip(origins) {
        let file = out[i].0.file.clone();
        out[i].0.provenance = match origin {
            Origin::Program { command } => Provenance::Program { command },
            Origin::HandWritten { tool, command } => Provenance::HandWritten { tool, command },
            Origin::NotInSession {
                copied_from,
                touched,
            } => {
                let session_start = match start {
                    Some(s) => s,
                    None => {
                        let s = match opts.transcript {
                            Some(t) => provenance::session_start(t)?,
                            None => None,
                        };
                        start = Some(s);
                        s
                    }
                };
                // A copy keeps its source's age: judge the source while it is there.
                let judged = copied_from.filter(|p| p.exists()).unwrap_or(file.clone());
                freshness(&judged, session_start, touched)?
            }
        };
    }
    for (a, claimed) in out.iter_mut() {
        if *claimed
            && a.provenance.accepted()
            && let Some(c) = contradiction::find_in_file(&a.file).map_err(Error::new)?
        {
            a.provenance = Provenance::Contradicts(c);
        }
    }
    Ok(out.into_iter().map(|(a, _)| a).collect())
}

/// Fresh when modified after the session's first line; with no known start, fresh.
fn freshness(
    file: &Path,
    session_start: Option<i64>,
    touched: Option<String>,
) -> Result<Provenance, Error> {
    let meta = std::fs::metadata(file).map_err(|e| Error::io("stat evidence", file, &e))?;
    let modified = meta.mtime();
    match session_start {
        // `touch` in the session set the time of a file nothing in it wrote.
        Some(s) if touched.is_some() || modified + FRESH_SLACK_SECS < s => Ok(Provenance::Stale {
            modified,
            session_start: s,
            touched,
        }),
        _ => Ok(Provenance::Fresh { modified }),
    }
}

/// The directory a citation's trust is anchored in: `/tmp/evidence-<id>`, the project's
/// `docs/evidence`, `~/system/state`; for a custom pattern, the cited directory itself or a
/// cited file's directory.
pub fn evidence_root(cited: &str, path: &Path, home: &Path, cwd: Option<&Path>) -> PathBuf {
    for dir in path.ancestors() {
        let name = dir
            .file_name()
            .map(|n| n.to_string_lossy())
            .unwrap_or_default();
        let parent = dir.parent();
        let numbered = name
            .strip_prefix("evidence-")
            .is_some_and(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()));
        if numbered && parent == Some(Path::new("/tmp")) {
            return dir.to_path_buf();
        }
    }
    let rel = cited.strip_prefix("./").unwrap_or(cited);
    if rel.starts_with("docs/evidence/")
        && let Some(c) = cwd
    {
        return c.join("docs/evidence");
    }
    let state = home.join("system/state");
    if path.starts_with(&state) {
        return state;
    }
    if path.is_dir() {
        return path.to_path_buf();
    }
    path.parent()
        .map_or_else(|| path.to_path_buf(), Path::to_path_buf)
}

/// A file is judged itself; a directory by its non-empty files, two levels deep.
fn content_files(path: &Path) -> Vec<PathBuf> {
    if !path.is_dir() {
        return vec![path.to_path_buf()];
    }
    let mut out = Vec::new();
    collect(path, 2, &mut out);
    out.sort();
    out
}

fn collect(dir: &Path, depth: u32, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten().take(1000) {
        if out.len() >= MAX_DIR_FILES {
            return;
        }
        match std::fs::metadata(e.path()) {
            Ok(m) if m.is_file() && m.len() > 0 => out.push(e.path()),
            Ok(m) if m.is_dir() && depth > 0 => collect(&e.path(), depth - 1, out),
            _ => {}
        }
    }
}

/// The rule a block fires when no cited evidence is trusted, by the first rejection in
/// order of weight.
pub fn rule(rejected: &[&Assessment]) -> &'static str {
    let has = |k: &str| rejected.iter().any(|a| a.provenance.kind() == k);
    if has("contradicts") {
        "evidence-contradicts-claim"
    } else if has("hand-written") {
        "hand-written-evidence"
    } else if has("foreign-owned") || has("symlink-out") {
        "foreign-evidence"
    } else {
        "stale-evidence"
    }
}

/// The evidence part of the dedup key: each rejection's kind and path.
pub fn state(rejected: &[&Assessment]) -> String {
    let mut parts: Vec<String> = rejected
        .iter()
        .map(|a| format!("{}:{}", a.provenance.kind(), a.file.display()))
        .collect();
    parts.sort();
    parts.dedup();
    parts.join(",")
}

/// The block message lines for rejected evidence: which rule, what was found, and the exact
/// step through.
pub fn message(rejected: &[&Assessment], cwd: Option<&Path>) -> String {
    let check = check_command(cwd);
    let fresh_dir = format!("/tmp/evidence-{}", zakon_core::time::unix_now());
    let mut msg = String::new();
    for a in rejected.iter().take(5) {
        let file = a.file.display().to_string();
        let name = a
            .file
            .file_name()
            .map_or("test.log".to_string(), |n| n.to_string_lossy().into_owned());
        let line = match &a.provenance {
            Provenance::HandWritten { tool, command } => format!(
                "hand-written evidence: {file} was written by the {tool} tool ({}) — \
                 typed by you, not produced by a check, so it is not evidence. Run the check and tee its own \
                 output into the file: `{check} 2>&1 | tee {file}`, then cite it.",
                zakon_core::verdict::shorten(command, 120)
            ),
            Provenance::Stale {
                modified,
                session_start,
                touched,
            } => format!(
                "stale evidence: {file} was last modified {} — {}before this session \
                 began ({}), so it proves nothing about this session's work. Re-run the check into it: \
                 `{check} 2>&1 | tee {file}`.",
                zakon_core::time::rfc3339(*modified),
                if touched.is_some() {
                    "its content was written "
                } else {
                    ""
                },
                zakon_core::time::rfc3339(*session_start)
            ),
            Provenance::Foreign { problem } => format!(
                "foreign evidence: {problem} — not evidence. Save proof in a directory of your own: `mkdir -m 755 {fresh_dir} && {check} 2>&1 | \
                 tee {fresh_dir}/{name}`, then cite that file."
            ),
            Provenance::Contradicts(c) => format!(
                "evidence contradicts the claim: {file} line {} shows failure: {:?} ({}). \
                 Fix what fails and re-run `{check} 2>&1 | tee {file}`, or say plainly what fails instead of \
                 claiming success.",
                c.line_no, c.line, c.reason
            ),
            _ => continue,
        };
        msg.push_str(&line);
        msg.push('\n');
    }
    if rejected.len() > 5 {
        msg.push_str(&format!(
            "…and {} more untrusted evidence file(s).\n",
            rejected.len() - 5
        ));
    }
    msg
}

/// The project's own check, from the files in its directory; a placeholder otherwise.
fn check_command(cwd: Option<&Path>) -> &'static str {
    let has = |f: &str| cwd.is_some_and(|c| c.join(f).exists());
    if has("Cargo.toml") {
        "cargo test"
    } else if has("package.json") {
        "npm test"
    } else if has("pyproject.toml") || has("pytest.ini") || has("setup.py") || has("tox.ini") {
        "python3 -m pytest"
    } else if has("go.mod") {
        "go test ./..."
    } else if has("Gemfile") {
        "bundle exec rspec"
    } else if has("Makefile") {
        "make test"
    } else {
        "<your check command>"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roots_follow_the_default_patterns() {
        let home = Path::new("/h");
        let cwd = Some(Path::new("/p"));
        for (cited, path, root) in [
            (
                "/tmp/evidence-7/a/b.log",
                "/tmp/evidence-7/a/b.log",
                "/tmp/evidence-7",
            ),
            ("/tmp/evidence-7", "/tmp/evidence-7", "/tmp/evidence-7"),
            (
                "docs/evidence/x/run.md",
                "/p/docs/evidence/x/run.md",
                "/p/docs/evidence",
            ),
            (
                "./docs/evidence/run.md",
                "/p/docs/evidence/run.md",
                "/p/docs/evidence",
            ),
            (
                "~/system/state/v.json",
                "/h/system/state/v.json",
                "/h/system/state",
            ),
            ("/srv/proof/out.txt", "/srv/proof/out.txt", "/srv/proof"),
        ] {
            assert_eq!(
                evidence_root(cited, Path::new(path), home, cwd),
                PathBuf::from(root),
                "{cited}"
            );
        }
    }
}
