//! What `verify-<id>/` and `evidence-<id>/` really hold: screenshots whose bytes are the
//! image their extension says, real zip archives, valid non-empty trace / results JSON, and
//! any non-empty evidence file at all.
//!
//! "Available ≠ working": a text file renamed `screen.png` is not a screenshot, `{}` is not a
//! test result. Every rejected candidate is kept with the reason, for the block message.

use serde::de::IgnoredAny;
use std::fs::File;
use std::io::{BufReader, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

/// How deep below each directory files are looked for (Playwright nests
/// `test-results/<test>/trace.zip`).
const MAX_DEPTH: usize = 4;
/// Stop listing after this many entries per directory tree; evidence folders are small.
const MAX_ENTRIES: usize = 5_000;
/// JSON larger than this is not parsed (the hook must finish well inside its timeout).
const MAX_JSON_BYTES: u64 = 256 * 1024 * 1024;

/// The claims file is the question, not the answer: it never counts as evidence.
pub const CLAIMS_FILE: &str = "claims.json";

/// One directory that was searched.
#[derive(Debug, Clone)]
pub struct Dir {
    pub path: PathBuf,
    /// `None` when it does not exist; else the number of files in it (recursively).
    pub files: Option<usize>,
}

/// What the directories hold.
#[derive(Debug, Default)]
pub struct Found {
    pub dirs: Vec<Dir>,
    /// A real, non-empty .png/.jpg/.jpeg/.webp.
    pub screenshot: Option<PathBuf>,
    /// A real zip, or a valid non-empty `trace*.json` / `results.json`.
    pub trace: Option<PathBuf>,
    /// Any non-empty file other than `claims.json`.
    pub evidence: Option<PathBuf>,
    /// Candidates that look like artifacts by name but are not, with why.
    pub rejected: Vec<(PathBuf, String)>,
}

/// Scans `dirs` (missing ones are recorded, not an error).
pub fn scan(dirs: &[PathBuf]) -> Result<Found, zakon_core::Error> {
    let mut found = Found::default();
    for dir in dirs {
        let mut files = Vec::new();
        let exists = match std::fs::metadata(dir) {
            Ok(m) => m.is_dir(),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => false,
            Err(e) => return Err(zakon_core::Error::io("read evidence directory", dir, &e)),
        };
        if exists {
            list(dir, 0, &mut files)?;
        }
        found.dirs.push(Dir {
            path: dir.clone(),
            files: exists.then_some(files.len()),
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

fn judge(found: &mut Found, root: &Path, path: PathBuf, len: u64) {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    let is_claims_file = name == CLAIMS_FILE && path.parent() == Some(root);
    if len > 0 && !is_claims_file && found.evidence.is_none() {
        found.evidence = Some(path.clone());
    }
    let ext = name.rsplit_once('.').map(|(_, e)| e).unwrap_or("");
    let verdict = match ext {
        "png" | "jpg" | "jpeg" | "webp" => {
            if found.screenshot.is_some() {
                return;
            }
            check_image(&path, ext, len).map(|()| Kind::Screenshot)
        }
        "zip" => {
            if found.trace.is_some() {
                return;
            }
            check_zip(&path, len).map(|()| Kind::Trace)
        }
        "json" if !is_claims_file && (name.starts_with("trace") || name == "results.json") => {
            if found.trace.is_some() {
                return;
            }
            check_json(&path, len).map(|()| Kind::Trace)
        }
        _ => return,
    };
    match verdict {
        Ok(Kind::Screenshot) => found.screenshot = Some(path),
        Ok(Kind::Trace) => found.trace = Some(path),
        Err(why) => found.rejected.push((path, why)),
    }
}

enum Kind {
    Screenshot,
    Trace,
}

fn head(path: &Path, n: usize) -> Result<Vec<u8>, String> {
    let mut buf = Vec::with_capacity(n);
    File::open(path)
        .and_then(|f| f.take(n as u64).read_to_end(&mut buf))
        .map_err(|e| format!("cannot be read: {e}"))?;
    Ok(buf)
}

/// The file's first bytes must be the format its extension names. PNG is checked down to a
/// non-zero IHDR size, since an 8-byte signature alone is no picture.
pub fn check_image(path: &Path, ext: &str, len: u64) -> Result<(), String> {
    if len == 0 {
        return Err("is empty".into());
    }
    let b = head(path, 32)?;
    let ok = match ext {
        "png" => {
            b.starts_with(b"\x89PNG\r\n\x1a\n")
                && b.get(12..16) == Some(b"IHDR")
                && b.get(16..20).is_some_and(|w| w != [0; 4])
                && b.get(20..24).is_some_and(|h| h != [0; 4])
        }
        "jpg" | "jpeg" => b.starts_with(&[0xFF, 0xD8, 0xFF]),
        "webp" => b.starts_with(b"RIFF") && b.get(8..12) == Some(b"WEBP"),
        _ => false,
    };
    if ok {
        Ok(())
    } else {
        let format = match ext {
            "png" => "PNG",
            "webp" => "WebP",
            _ => "JPEG",
        };
        Err(format!(
            "is named .{ext} but its bytes are not a {format} image ({})",
            describe(&b)
        ))
    }
}

/// A zip starts with a local file header and ends with an end-of-central-directory record
/// (within the last 64 KiB + 22 bytes) — a truncated download or a renamed file fails.
pub fn check_zip(path: &Path, len: u64) -> Result<(), String> {
    if len == 0 {
        return Err("is empty".into());
    }
    let b = head(path, 4)?;
    if b != b"PK\x03\x04" {
        return Err(format!(
            "is named .zip but is not a zip archive with entries ({})",
            describe(&b)
        ));
    }
    let tail_len = len.min(65_557);
    let mut tail = Vec::with_capacity(tail_len as usize);
    File::open(path)
        .and_then(|mut f| {
            f.seek(SeekFrom::Start(len - tail_len))?;
            f.take(tail_len).read_to_end(&mut tail)
        })
        .map_err(|e| format!("cannot be read: {e}"))?;
    if tail.windows(4).any(|w| w == b"PK\x05\x06") {
        Ok(())
    } else {
        Err("is a truncated zip (no end-of-central-directory record)".into())
    }
}

/// Valid JSON that is not empty: not `{}`, `[]`, `null` or `""`. Streamed, so a large
/// trace costs time, not memory.
pub fn check_json(path: &Path, len: u64) -> Result<(), String> {
    if len == 0 {
        return Err("is empty".into());
    }
    if len > MAX_JSON_BYTES {
        return Err(format!(
            "is {len} bytes, more than the {MAX_JSON_BYTES} bytes the gate parses; \
             save a zipped trace instead"
        ));
    }
    let file = File::open(path).map_err(|e| format!("cannot be read: {e}"))?;
    serde_json::from_reader::<_, IgnoredAny>(BufReader::new(file))
        .map_err(|e| format!("is not valid JSON: {e}"))?;
    let b = head(path, 4096)?;
    let text: Vec<u8> = b.into_iter().filter(|c| !c.is_ascii_whitespace()).collect();
    let empty = [&b"{}"[..], b"[]", b"null", b"\"\""]
        .iter()
        .any(|e| text == *e);
    if empty {
        Err("is valid JSON but empty".into())
    } else {
        Ok(())
    }
}

/// What a file's first bytes look like, for "is not a PNG (starts with text)".
fn describe(b: &[u8]) -> String {
    if b.is_empty() {
        return "empty".into();
    }
    if let Ok(s) = std::str::from_utf8(b)
        && s.chars().all(|c| !c.is_control() || c.is_whitespace())
    {
        let preview: String = s.chars().take(16).collect();
        return format!("starts with text {preview:?}");
    }
    let hex: Vec<String> = b.iter().take(8).map(|x| format!("{x:02x}")).collect();
    format!("starts with bytes {}", hex.join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A 1×1 PNG, the smallest real screenshot.
    const PNG_1X1: &[u8] = &[
        0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44,
        0x52, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F,
        0x15, 0xC4, 0x89, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9C, 0x63, 0xF8,
        0xCF, 0xC0, 0xF0, 0x1F, 0x00, 0x05, 0x00, 0x01, 0xFF, 0x89, 0x99, 0x3D, 0x1D, 0x00, 0x00,
        0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82,
    ];

    fn with_file<T>(name: &str, bytes: &[u8], f: impl FnOnce(&Path, u64) -> T) -> T {
        let dir =
            std::env::temp_dir().join(format!("artifact-gate-unit-{}-{name}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let p = dir.join(name);
        std::fs::write(&p, bytes).unwrap();
        let out = f(&p, bytes.len() as u64);
        std::fs::remove_dir_all(&dir).unwrap();
        out
    }

    #[test]
    fn images_must_be_what_their_extension_says() {
        let jpeg = [0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, b'J', b'F'];
        let webp = b"RIFF\x24\0\0\0WEBPVP8 ";
        for (name, ext, bytes, ok) in [
            ("a.png", "png", PNG_1X1, true),
            ("b.png", "png", &b"just some text, not a picture"[..], false),
            ("c.png", "png", &PNG_1X1[..8], false),
            ("d.png", "png", &jpeg[..], false),
            ("e.jpg", "jpg", &jpeg[..], true),
            ("f.jpeg", "jpeg", PNG_1X1, false),
            ("g.webp", "webp", &webp[..], true),
            ("h.webp", "webp", b"RIFF\0\0\0\0WAVE", false),
            ("i.png", "png", b"", false),
        ] {
            let got = with_file(name, bytes, |p, len| check_image(p, ext, len));
            assert_eq!(got.is_ok(), ok, "{name}: {got:?}");
        }
    }

    #[test]
    fn json_must_be_valid_and_non_empty() {
        for (json, ok) in [
            (&br#"{"suites":[{"title":"signup"}]}"#[..], true),
            (b"[1]", true),
            (b" { } ", false),
            (b"[]", false),
            (b"null", false),
            (b"{\"a\":", false),
            (b"not json", false),
            (b"", false),
        ] {
            let got = with_file("results.json", json, check_json);
            assert_eq!(
                got.is_ok(),
                ok,
                "{:?}: {got:?}",
                String::from_utf8_lossy(json)
            );
        }
    }

    #[test]
    fn zip_needs_header_and_directory() {
        let empty_zip = b"PK\x05\x06\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0";
        let mut truncated = b"PK\x03\x04".to_vec();
        truncated.extend([0u8; 40]);
        for (bytes, ok) in [
            (&empty_zip[..], false),
            (&truncated[..], false),
            (b"PK\x03\x04 fake PK\x05\x06 tail", true),
            (b"text.zip", false),
        ] {
            let got = with_file("t.zip", bytes, check_zip);
            assert_eq!(got.is_ok(), ok, "{bytes:?}: {got:?}");
        }
    }
}
