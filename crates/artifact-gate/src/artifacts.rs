//! What `verify-<id>/` and `evidence-<id>/` really hold: screenshots that decode to a real
//! picture, Playwright traces and reports with the structure Playwright writes, and any
//! non-empty evidence file at all — each owned by the user running the gate.
//!
//! "Available ≠ working": a text file renamed `screen.png`, a 33-byte PNG header, an 8-byte
//! "zip" or `[{}]` as `results.json` is not an artifact. A file another user left in `/tmp`
//! is not this agent's evidence (`zakon_core::ownership`). Every rejected candidate is kept
//! with the reason, for the block message.

use crate::decode;
use std::path::{Path, PathBuf};
use zakon_core::ownership::{self, Untrusted};

/// How deep below each directory files are looked for (Playwright nests
/// `test-results/<test>/trace.zip`).
const MAX_DEPTH: usize = 4;
/// Stop listing after this many entries per directory tree; evidence folders are small.
const MAX_ENTRIES: usize = 5_000;

/// The claims file is the question, not the answer: it never counts as evidence.
pub const CLAIMS_FILE: &str = "claims.json";

/// One directory that was searched.
#[derive(Debug, Clone)]
pub struct Dir {
    pub path: PathBuf,
    /// `None` when it does not exist; else the number of files in it (recursively).
    pub files: Option<usize>,
    /// Set when the directory exists but is not trusted (foreign owner, writable by others,
    /// a symlink): nothing in it counts.
    pub untrusted: Option<Untrusted>,
}

/// What the directories hold.
#[derive(Debug, Default)]
pub struct Found {
    pub dirs: Vec<Dir>,
    /// A PNG/JPEG/WebP that decodes, at least 16×16.
    pub screenshot: Option<PathBuf>,
    /// A Playwright trace.zip, a Playwright JSON report, or a Chrome trace-event JSON.
    pub trace: Option<PathBuf>,
    /// Any non-empty, trusted file other than `claims.json` that is not a failed artifact.
    pub evidence: Option<PathBuf>,
    /// Candidates that do not count, with why (a sentence that follows the path).
    pub rejected: Vec<(PathBuf, String)>,
}

/// Scans `dirs` (missing ones are recorded, not an error).
pub fn scan(dirs: &[PathBuf]) -> Result<Found, zakon_core::Error> {
    let mut found = Found::default();
    for dir in dirs {
        let exists = match std::fs::symlink_metadata(dir) {
            Ok(_) => true,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => false,
            Err(e) => return Err(zakon_core::Error::io("read evidence directory", dir, &e)),
        };
        if !exists {
            found.dirs.push(Dir {
                path: dir.clone(),
                files: None,
                untrusted: None,
            });
            continue;
        }
        if let Err(u) = ownership::check(dir, dir) {
            found.dirs.push(Dir {
                path: dir.clone(),
                files: Some(0),
                untrusted: Some(u),
            });
            continue;
        }
        let mut files = Vec::new();
        list(dir, 0, &mut files)?;
        found.dirs.push(Dir {
            path: dir.clone(),
            files: Some(files.len()),
            untrusted: None,
        });
        for (path, len) in files {
            judge(&mut found, dir, path, len);
        }
    }
    Ok(found)
}

/// Files (with their size, symlinks followed) under `dir`, bounded in depth and count.
fn list(dir: &Path, depth: usize, out: &mut Vec<(PathBuf, u64)>) -> Result<(), zakon_core::Error> {
    let entries = std::fs::read_dir(dir)
        .map_err(|e| zakon_core::Error::io("list evidence directory", dir, &e))?;
    for entry in entries.flatten() {
        if out.len() >= MAX_ENTRIES {
            return Ok(());
        }
        let path = entry.path();
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        if kind.is_dir() {
            // Real directories only: a symlinked directory could loop.
            if depth + 1 < MAX_DEPTH {
                list(&path, depth + 1, out)?;
            }
            continue;
        }
        if let Ok(meta) = std::fs::metadata(&path)
            && meta.is_file()
        {
            out.push((path, meta.len()));
        }
    }
    Ok(())
}

/// What a file's name says it must be.
enum Kind {
    Image(decode::Image),
    TraceZip,
    Report,
    TraceEvents,
    /// Any other `.json`: a Playwright report under another name counts as a trace, anything
    /// else is plain evidence.
    OtherJson,
    Plain,
}

fn kind_of(name: &str) -> Kind {
    let ext = name.rsplit_once('.').map(|(_, e)| e).unwrap_or("");
    match ext {
        "png" => Kind::Image(decode::Image::Png),
        "jpg" | "jpeg" => Kind::Image(decode::Image::Jpeg),
        "webp" => Kind::Image(decode::Image::Webp),
        "zip" => Kind::TraceZip,
        "json" if name == "results.json" => Kind::Report,
        "json" if name.starts_with("trace") => Kind::TraceEvents,
        "json" => Kind::OtherJson,
        _ => Kind::Plain,
    }
}

fn judge(found: &mut Found, root: &Path, path: PathBuf, len: u64) {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    if name == CLAIMS_FILE && path.parent() == Some(root) {
        return;
    }
    if let Err(u) = ownership::check(root, &path) {
        // "<path> is owned by …" reads as "Rejected: <path> is owned by …".
        let text = u.to_string();
        let own = format!("{} ", path.display());
        let why = match text.strip_prefix(&own) {
            Some(rest) => rest.to_string(),
            None => format!("does not count: {text}"),
        };
        found
            .rejected
            .push((path, format!("{why} (fix: `{}`)", u.fix())));
        return;
    }
    if len == 0 {
        if !matches!(kind_of(&name), Kind::Plain | Kind::OtherJson) {
            found.rejected.push((path, "is empty".into()));
        }
        return;
    }
    let verdict = match kind_of(&name) {
        Kind::Image(format) => decode::image(&path, format, len).map(|()| Some(true)),
        Kind::TraceZip => decode::trace_zip(&path, len).map(|()| Some(false)),
        Kind::Report => decode::report_json(&path, len).map(|()| Some(false)),
        Kind::TraceEvents => decode::trace_events_json(&path, len).map(|()| Some(false)),
        // Not named as an artifact: counted as a trace only if it is a real report.
        Kind::OtherJson => Ok(decode::report_json(&path, len).ok().map(|()| false)),
        Kind::Plain => Ok(None),
    };
    match verdict {
        Ok(artifact) => {
            if found.evidence.is_none() {
                found.evidence = Some(path.clone());
            }
            match artifact {
                Some(true) if found.screenshot.is_none() => found.screenshot = Some(path),
                Some(false) if found.trace.is_none() => found.trace = Some(path),
                _ => {}
            }
        }
        // A file that claims a format by its name and is not that format is a fake: it
        // is no evidence of anything.
        Err(why) => found.rejected.push((path, why)),
    }
}
