//! Provenance: the tool call in this session's transcript that wrote each cited evidence
//! file — Write, Edit, MultiEdit and NotebookEdit inputs, and Bash commands (see
//! `bash_writes.rs`). Replay, don't trust: a log the agent typed is not proof.
//!
//! Cost is bounded. The transcript is read from the end, so the current turn is searched
//! first and earlier turns only while a cited path is still unexplained; reading stops at
//! `max_transcript_bytes`. A block is only parsed as JSON when it holds the name of a file
//! still looked for, so the scan runs at the speed of a substring search.

use crate::bash_writes::{self, Content};
use regex::bytes::Regex;
use serde_json::Value;
use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use zakon_core::Error;

const BLOCK: u64 = 1024 * 1024;

/// How many copies (`cp a b`, `cp b c`) are followed back to the file's first writer.
const MAX_HOPS: usize = 8;

/// Commands are quoted in records and messages up to this many characters.
const QUOTE_CHARS: usize = 300;

/// Who wrote a cited file, as far as the transcript tells.
#[derive(Debug, Clone, PartialEq)]
pub enum Origin {
    /// A Bash command that ran a program and sent its output to the file.
    Program { command: String },
    /// Typed by the agent: the Write/Edit/MultiEdit/NotebookEdit tool, or a Bash command that
    /// printed literal text into it (`echo`, `printf`, a heredoc) or edited it in place.
    HandWritten { tool: String, command: String },
    /// Not written by any tool call found within the cap. `copied_from`: the file is a copy
    /// (`cp`/`mv`/`install` in the transcript) of this file, which no tool call wrote either;
    /// `touched`: a `touch` in the transcript set its time without writing it.
    NotInSession {
        copied_from: Option<PathBuf>,
        touched: Option<String>,
    },
}

/// The result of one search.
#[derive(Debug, Clone, PartialEq)]
pub struct Search {
    /// One per target, in order.
    pub origins: Vec<Origin>,
    pub bytes_read: u64,
    /// Reading stopped at the cap with a target still unexplained.
    pub capped: bool,
}

/// The state of the hunt for one target's writer.
struct Hunt {
    /// The path whose writer is looked for now (the target, or the source it was copied from).
    look_for: PathBuf,
    /// Appends (`>>`, `tee -a`) seen so far, newest first: they wrote part of the file.
    appends: Vec<Origin>,
    touched: Option<String>,
    /// The copy commands followed so far.
    copies: Vec<String>,
    done: Option<Origin>,
}

impl Hunt {
    /// The origin once a writer that replaces the whole file is found.
    fn finish(&mut self, last: Origin) {
        let all = self.appends.drain(..).chain(std::iter::once(last));
        let mut program = None;
        for o in all {
            match o {
                // One typed part makes the file hand-written.
                hand @ Origin::HandWritten { .. } => {
                    self.done = Some(hand);
                    return;
                }
                p @ Origin::Program { .. } if program.is_none() => program = Some(p),
                _ => {}
            }
        }
        self.done = program;
    }

    /// The origin when the transcript (or the cap) ends first.
    fn give_up(&mut self, original: &Path) -> Origin {
        if self.appends.is_empty() {
            return Origin::NotInSession {
                copied_from: (self.look_for != original).then(|| self.look_for.clone()),
                touched: self.touched.clone(),
            };
        }
        let last = self.appends.pop().unwrap_or(Origin::NotInSession {
            copied_from: None,
            touched: None,
        });
        self.finish(last);
        self.done.clone().unwrap_or(Origin::NotInSession {
            copied_from: None,
            touched: None,
        })
    }
}

/// Searches `transcript` from the end for the writers of `targets` (resolved paths).
/// `home` and `cwd` resolve relative paths in tool inputs (a line's own `cwd` wins).
pub fn search(
    transcript: &Path,
    targets: &[PathBuf],
    home: &Path,
    cwd: Option<&Path>,
    cap: u64,
) -> Result<Search, Error> {
    let mut hunts: Vec<Hunt> = targets
        .iter()
        .map(|t| Hunt {
            look_for: t.clone(),
            appends: Vec::new(),
            touched: None,
            copies: Vec::new(),
            done: None,
        })
        .collect();
    let mut file =
        File::open(transcript).map_err(|e| Error::io("open transcript", transcript, &e))?;
    let len = file
        .metadata()
        .map_err(|e| Error::io("stat transcript", transcript, &e))?
        .len();
    let mut names = prefilter(&hunts)?;
    let mut pos = len;
    let mut carry: Vec<u8> = Vec::new();
    let mut read: u64 = 0;
    while pos > 0 && read < cap && hunts.iter().any(|h| h.done.is_none()) {
        let want = BLOCK.min(cap - read).min(pos);
        let start = pos - want;
        let mut buf = vec![0u8; want as usize];
        file.seek(SeekFrom::Start(start))
            .map_err(|e| Error::io("seek in transcript", transcript, &e))?;
        file.read_exact(&mut buf)
            .map_err(|e| Error::io("read transcript", transcript, &e))?;
        read += want;
        pos = start;
        buf.extend_from_slice(&carry);
        // The head before the first newline may continue in the block before: keep it.
        let head = if pos == 0 {
            0
        } else {
            match buf.iter().position(|&b| b == b'\n') {
                Some(n) => n + 1,
                None => {
                    carry = buf;
                    continue;
                }
            }
        };
        let whole = &buf[head..];
        // Lines holding a name still looked for, newest first. A copy found (`cp a f`) sends
        // the hunt after `a`: the rest of the block is searched again for the new names.
        let mut end = whole.len();
        'rescan: loop {
            for (s, e) in matching_lines(&names, &whole[..end]).into_iter().rev() {
                let before: Vec<PathBuf> = hunts.iter().map(|h| h.look_for.clone()).collect();
                line_writes(&whole[s..e], home, cwd, &mut hunts);
                if hunts.iter().map(|h| &h.look_for).ne(before.iter()) {
                    names = prefilter(&hunts)?;
                    end = s;
                    continue 'rescan;
                }
            }
            break;
        }
        carry = buf[..head].to_vec();
    }
    let capped = pos > 0 && hunts.iter().any(|h| h.done.is_none());
    let origins = hunts
        .iter_mut()
        .zip(targets)
        .map(|(h, t)| match h.done.clone() {
            Some(o) => o,
            None => h.give_up(t),
        })
        .collect();
    Ok(Search {
        origins,
        bytes_read: read,
        capped,
    })
}

/// The (start, end) of every line of `text` that `names` matches, in order.
fn matching_lines(names: &Regex, text: &[u8]) -> Vec<(usize, usize)> {
    let mut lines: Vec<(usize, usize)> = Vec::new();
    let mut from = 0;
    while let Some(m) = names.find_at(text, from) {
        let s = text[..m.start()]
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |n| n + 1);
        let e = text[m.end()..]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(text.len(), |n| m.end() + n);
        lines.push((s, e));
        // one entry a line: go on after its end
        from = e;
        if from >= text.len() {
            break;
        }
    }
    lines
}

/// One regex over the file names still looked for (as they appear inside JSON strings): a
/// line without any of them cannot have written one.
fn prefilter(hunts: &[Hunt]) -> Result<Regex, Error> {
    let mut alts: Vec<String> = Vec::new();
    for h in hunts.iter().filter(|h| h.done.is_none()) {
        // The file's name and its two parent directories' names (a whole directory copied,
        // `cp -r out /tmp/evidence-7/`, names only the directory) — not a top-level directory
        // such as `tmp`, which half the lines of a transcript name.
        let parts: Vec<_> = h.look_for.iter().collect();
        let keep = parts.len().saturating_sub(2).max(1);
        for part in parts.iter().rev().take(keep.min(3)) {
            let name = part.to_string_lossy();
            let json = serde_json::to_string(&name).unwrap_or_default();
            let inner = json.trim_matches('"');
            alts.push(regex::escape(inner));
        }
    }
    if alts.is_empty() {
        alts.push("[^\\s\\S]".into()); // matches nothing
    }
    alts.sort();
    alts.dedup();
    Regex::new(&alts.join("|")).map_err(|e| Error::new(format!("provenance prefilter: {e}")))
}

/// The writes of the tool calls in one transcript line, newest first, applied to the hunts.
fn line_writes(line: &[u8], home: &Path, cwd: Option<&Path>, hunts: &mut [Hunt]) {
    if !contains(line, b"tool_use") {
        return;
    }
    let Ok(v) = serde_json::from_slice::<Value>(line.trim_ascii()) else {
        return;
    };
    if v.get("type").and_then(Value::as_str) != Some("assistant") {
        return;
    }
    let line_cwd = v.get("cwd").and_then(Value::as_str).map(PathBuf::from);
    let cwd = line_cwd.as_deref().or(cwd);
    let Some(blocks) = v
        .get("message")
        .and_then(|m| m.get("content"))
        .and_then(Value::as_array)
    else {
        return;
    };
    for b in blocks.iter().rev() {
        if b.get("type").and_then(Value::as_str) != Some("tool_use") {
            continue;
        }
        let tool = b.get("name").and_then(Value::as_str).unwrap_or("");
        let input = b.get("input");
        let field = |k: &str| input.and_then(|i| i.get(k)).and_then(Value::as_str);
        let writes: Vec<(PathBuf, bool, Content, String)> = match tool {
            "Write" | "Edit" | "MultiEdit" => field("file_path")
                .map(|p| {
                    let path = zakon_core::paths::resolve(p, home, cwd);
                    vec![(path, false, Content::Typed, p.to_string())]
                })
                .unwrap_or_default(),
            "NotebookEdit" => field("notebook_path")
                .map(|p| {
                    let path = zakon_core::paths::resolve(p, home, cwd);
                    vec![(path, false, Content::Typed, p.to_string())]
                })
                .unwrap_or_default(),
            "Bash" => match field("command") {
                Some(cmd) => bash_writes::writes(cmd, home, cwd)
                    .into_iter()
                    .rev()
                    .map(|w| (w.target, w.append, w.content, cmd.to_string()))
                    .collect(),
                None => Vec::new(),
            },
            _ => Vec::new(),
        };
        for (target, append, content, command) in writes {
            for h in hunts.iter_mut().filter(|h| h.done.is_none()) {
                apply(h, &target, append, &content, tool, &command);
            }
        }
    }
}

fn apply(h: &mut Hunt, target: &Path, append: bool, content: &Content, tool: &str, command: &str) {
    let rest = if h.look_for == target {
        None
    } else if let (Content::CopyOf(_), Ok(rest)) = (content, h.look_for.strip_prefix(target)) {
        // A directory copied as a whole: the file came from the same place in the source.
        Some(rest.to_path_buf())
    } else {
        return;
    };
    let quoted = zakon_core::verdict::shorten(command, QUOTE_CHARS);
    let hand = |tool: &str| Origin::HandWritten {
        tool: tool.to_string(),
        command: quoted.clone(),
    };
    let origin = match content {
        Content::Touched => {
            h.touched.get_or_insert(quoted);
            return;
        }
        Content::EditedInPlace => {
            h.done = Some(hand("Bash (edited in place)"));
            return;
        }
        // Write, Edit, MultiEdit, NotebookEdit: the agent typed the content.
        Content::Typed if tool != "Bash" => {
            h.done = Some(hand(tool));
            return;
        }
        Content::Typed => hand("Bash"),
        Content::Program => Origin::Program { command: quoted },
        Content::CopyOf(src) => {
            if h.copies.len() >= MAX_HOPS {
                Origin::Program { command: quoted }
            } else {
                h.copies.push(quoted);
                h.look_for = match rest {
                    Some(r) => src.join(r),
                    None => src.clone(),
                };
                return;
            }
        }
    };
    if append {
        h.appends.push(origin);
    } else {
        h.finish(origin);
    }
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

/// When the session began: the `timestamp` of the transcript's first stamped line (Claude
/// Code stamps every line in RFC 3339), as Unix seconds. `None` when the head of the file
/// holds none.
pub fn session_start(transcript: &Path) -> Result<Option<i64>, Error> {
    const HEAD: u64 = 256 * 1024;
    let mut file =
        File::open(transcript).map_err(|e| Error::io("open transcript", transcript, &e))?;
    let mut head = Vec::new();
    file.by_ref()
        .take(HEAD)
        .read_to_end(&mut head)
        .map_err(|e| Error::io("read transcript", transcript, &e))?;
    for line in head.split(|&b| b == b'\n') {
        if !contains(line, b"timestamp") {
            continue;
        }
        let Ok(v) = serde_json::from_slice::<Value>(line.trim_ascii()) else {
            continue;
        };
        if let Some(t) = v
            .get("timestamp")
            .and_then(Value::as_str)
            .and_then(zakon_core::time::parse_rfc3339)
        {
            return Ok(Some(t));
        }
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn bash(cmd: &str) -> Value {
        json!({"type": "assistant", "message": {"role": "assistant", "content": [
            {"type": "tool_use", "id": "t", "name": "Bash", "input": {"command": cmd}}]}})
    }
    fn tool(name: &str, input: Value) -> Value {
        json!({"type": "assistant", "message": {"role": "assistant", "content": [
            {"type": "tool_use", "id": "t", "name": name, "input": input}]}})
    }
    fn user(text: &str) -> Value {
        json!({"type": "user", "timestamp": "2026-11-22T10:00:00.000Z", "message": {"role": "user", "content": text}})
    }

    fn origins(lines: &[Value], targets: &[&str], cap: u64) -> Search {
        static N: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = N.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        let dir = std::env::temp_dir().join(format!("zakon-prov-{}-{n}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let t = dir.join(format!("t{}.jsonl", lines.len()));
        let text: String = lines.iter().map(|l| format!("{l}\n")).collect();
        std::fs::write(&t, text).unwrap();
        let targets: Vec<PathBuf> = targets.iter().map(PathBuf::from).collect();
        let s = search(
            &t,
            &targets,
            Path::new("/home/u"),
            Some(Path::new("/p")),
            cap,
        )
        .unwrap();
        std::fs::remove_dir_all(&dir).unwrap();
        s
    }

    fn kind(o: &Origin) -> String {
        match o {
            Origin::Program { .. } => "program".into(),
            Origin::HandWritten { tool, .. } => format!("hand:{tool}"),
            Origin::NotInSession {
                copied_from,
                touched,
            } => format!(
                "none{}{}",
                copied_from
                    .as_ref()
                    .map_or(String::new(), |p| format!(" copy-of:{}", p.display())),
                if touched.is_some() { " touched" } else { "" }
            ),
        }
    }

    #[test]
    fn the_latest_writer_decides_and_appends_inherit() {
        let e = "/tmp/evidence-5/test.log";
        for (lines, want) in [
            (
                vec![bash("cargo test 2>&1 | tee /tmp/evidence-5/test.log")],
                "program",
            ),
            (
                vec![tool("Write", json!({"file_path": e, "content": "ok"}))],
                "hand:Write",
            ),
            (
                vec![
                    bash("cargo test > /tmp/evidence-5/test.log"),
                    tool("Edit", json!({"file_path": e})),
                ],
                "hand:Edit",
            ),
            (
                vec![
                    tool("Write", json!({"file_path": e})),
                    bash("cargo test > /tmp/evidence-5/test.log"),
                ],
                "program",
            ),
            (
                vec![
                    bash("echo header > /tmp/evidence-5/test.log"),
                    bash("cargo test >> /tmp/evidence-5/test.log"),
                ],
                "hand:Bash",
            ),
            (
                vec![
                    bash("cargo test > /tmp/evidence-5/test.log"),
                    bash("cargo test >> /tmp/evidence-5/test.log"),
                ],
                "program",
            ),
            (
                vec![
                    tool("Write", json!({"file_path": "/p/fake.log"})),
                    bash("cp /p/fake.log /tmp/evidence-5/test.log"),
                ],
                "hand:Write",
            ),
            (
                vec![bash(
                    "cargo test > out.log; cp out.log /tmp/evidence-5/test.log",
                )],
                "program",
            ),
            (
                vec![
                    bash("cargo test > /tmp/out/test.log"),
                    bash("cp -r /tmp/out/ /tmp/evidence-5"),
                ],
                "program",
            ),
            (
                vec![bash("cp /p/old.log /tmp/evidence-5/test.log")],
                "none copy-of:/p/old.log",
            ),
            (vec![bash("touch /tmp/evidence-5/test.log")], "none touched"),
            (
                vec![bash("sed -i s/FAILED/ok/ /tmp/evidence-5/test.log")],
                "hand:Bash (edited in place)",
            ),
            (vec![bash("ls /tmp/evidence-5/test.log")], "none"),
            (
                vec![tool("NotebookEdit", json!({"notebook_path": e}))],
                "hand:NotebookEdit",
            ),
        ] {
            let mut all = vec![user("go")];
            all.extend(lines);
            all.push(user("next"));
            let s = origins(&all, &[e], u64::MAX);
            assert_eq!(kind(&s.origins[0]), want, "{all:?}");
        }
    }

    #[test]
    fn stops_at_the_cap_and_reads_earlier_turns_only_when_needed() {
        let e = "/tmp/evidence-5/test.log";
        let mut lines = vec![
            user("first"),
            bash("cargo test | tee /tmp/evidence-5/test.log"),
        ];
        for n in 0..2000 {
            lines.push(user(&format!("turn {n} {}", "x".repeat(1000))));
        }
        let s = origins(&lines, &[e], u64::MAX);
        assert_eq!(kind(&s.origins[0]), "program");
        assert!(!s.capped);
        let s = origins(&lines, &[e], 100_000);
        assert_eq!(kind(&s.origins[0]), "none");
        assert!(s.capped);
        assert_eq!(s.bytes_read, 100_000);
        // found in the current turn: nothing earlier is read
        lines.push(bash("cargo test > /tmp/evidence-5/test.log"));
        let s = origins(&lines, &[e], u64::MAX);
        assert_eq!(kind(&s.origins[0]), "program");
        assert!(s.bytes_read < 2 * BLOCK);
    }

    #[test]
    fn session_start_is_the_first_stamped_line() {
        let dir = std::env::temp_dir().join(format!("zakon-start-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let t = dir.join("t.jsonl");
        std::fs::write(
            &t,
            "{\"type\":\"summary\"}\n{\"type\":\"user\",\"timestamp\":\"2026-11-25T17:03:44Z\"}\n",
        )
        .unwrap();
        assert_eq!(session_start(&t).unwrap(), Some(1_795_626_224));
        std::fs::write(&t, "{\"type\":\"user\"}\n").unwrap();
        assert_eq!(session_start(&t).unwrap(), None);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
