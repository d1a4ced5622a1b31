//! The current turn of a Claude Code transcript (JSON Lines), read from the end.
//!
//! Cost follows the size of the current turn, not of the file: blocks are read backwards
//! until the last genuine user prompt. Tool results, meta lines, compact summaries, sidechain
//! lines (unless judging a subagent's own file), thinking, tool inputs, API-error and
//! `<synthetic>` messages, and every other line type are not the agent's prose. A line that
//! does not parse (a crash cut the last line short, garbage) is skipped.

use serde_json::Value;
use std::collections::HashSet;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::io::{Read, Seek, SeekFrom};
use std::path::Path;
use zakon_core::Error;

/// Claude Code writes a blocked Stop hook's reason back as a user line starting with this.
pub const FEEDBACK_PREFIX: &str = "Stop hook feedback:";

const BLOCK: usize = 256 * 1024;

/// The agent's prose in the current turn.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Turn {
    /// Every text block of the turn, in order (evidence may be cited anywhere in it).
    pub all: Vec<String>,
    /// The final prose: the text blocks after the turn's last tool result and after the
    /// last `Stop hook feedback:` line — what is judged for claims.
    pub judged: Vec<String>,
    /// How many Stop hook feedback lines the turn holds.
    pub feedback: usize,
    /// Text blocks written before a tool call since the last feedback line: narration. The
    /// gate judges the ones that do not announce a check (see `discourse::working_note`).
    pub notes: Vec<String>,
}

enum Item {
    Text(String),
    /// A user line of tool results: what came before it was working notes.
    ToolResult,
    Feedback,
}

/// How far back past a prompt line without the Stop's `prompt_id` the reader looks for the
/// line that carries it before it falls back to that prompt line.
const ANCHOR_SEARCH: u64 = 4 * 1024 * 1024;

/// What the backward scan has found so far.
struct Scan<'a> {
    subagent: bool,
    /// The Stop input's `prompt_id` (Claude Code ≥ 2.1): the turn starts at the earliest
    /// prompt line carrying it as `promptId`.
    prompt_id: Option<&'a str>,
    items: Vec<Item>, // newest first
    seen: HashSet<u64>,
    /// `items.len()` at the earliest line carrying `prompt_id` so far.
    anchor: Option<usize>,
    /// `items.len()` and file position at the newest prompt line without it: a line the
    /// client did not write for this turn (say, one the agent appended), or an older client.
    fallback: Option<(usize, u64)>,
}

/// Reads the current turn. `subagent`: the file is a subagent's own transcript, whose lines
/// are all sidechain lines. `prompt_id`: the Stop input's, when Claude Code sends it.
pub fn current_turn(path: &Path, subagent: bool, prompt_id: Option<&str>) -> Result<Turn, Error> {
    // Non-blocking and regular-file-only: a FIFO at the transcript path must not stall the gate.
    let mut file =
        zakon_core::fsio::open_regular(path).map_err(|e| Error::io("open transcript", path, &e))?;
    let len = file
        .metadata()
        .map_err(|e| Error::io("stat transcript", path, &e))?
        .len();
    let mut scan = Scan {
        subagent,
        prompt_id: prompt_id.filter(|p| !p.is_empty() && !subagent),
        items: Vec::new(),
        seen: HashSet::new(),
        anchor: None,
        fallback: None,
    };
    let mut carry: Vec<u8> = Vec::new();
    let mut pos = len;
    loop {
        // A line longer than a block grows the next read, so one huge line costs linear time.
        let start = pos.saturating_sub(BLOCK.max(carry.len()) as u64);
        let mut buf = vec![0u8; (pos - start) as usize];
        file.seek(SeekFrom::Start(start))
            .map_err(|e| Error::io("seek in transcript", path, &e))?;
        file.read_exact(&mut buf)
            .map_err(|e| Error::io("read transcript", path, &e))?;
        buf.extend_from_slice(&carry);
        pos = start;
        // Every segment after a newline is a whole line; the head is whole only at offset 0.
        let mut end = buf.len();
        while let Some(nl) = buf[..end].iter().rposition(|&b| b == b'\n') {
            if classify(&buf[nl + 1..end], &mut scan, start + nl as u64) {
                return Ok(finish(scan));
            }
            end = nl;
        }
        if pos == 0 {
            classify(&buf[..end], &mut scan, 0);
            return Ok(finish(scan));
        }
        if scan.anchor.is_none()
            && scan
                .fallback
                .is_some_and(|(_, at)| at.saturating_sub(pos) > ANCHOR_SEARCH)
        {
            return Ok(finish(scan));
        }
        buf.truncate(end);
        carry = buf;
    }
}

fn finish(mut scan: Scan) -> Turn {
    if let Some(n) = scan.anchor.or(scan.fallback.map(|(n, _)| n)) {
        scan.items.truncate(n);
    }
    assemble(scan.items)
}

fn assemble(mut items: Vec<Item>) -> Turn {
    items.reverse();
    let mut turn = Turn::default();
    for item in items {
        match item {
            Item::Text(t) => {
                turn.all.push(t.clone());
                turn.judged.push(t);
            }
            // Narration before a tool call ("Both servers are up. Let me verify…") is
            // working notes the agent went on to check: only the final prose is judged.
            Item::ToolResult => {
                turn.notes.append(&mut turn.judged);
            }
            Item::Feedback => {
                turn.feedback += 1;
                turn.judged.clear();
                turn.notes.clear();
            }
        }
    }
    turn
}

/// Handles one line (starting at byte `at`); returns true when the turn's start is behind.
fn classify(line: &[u8], scan: &mut Scan, at: u64) -> bool {
    let subagent = scan.subagent;
    let line = line.trim_ascii();
    if line.is_empty() || line[0] != b'{' {
        return false;
    }
    let Ok(v) = serde_json::from_slice::<Value>(line) else {
        return false;
    };
    let flag = |k: &str| v.get(k).and_then(Value::as_bool).unwrap_or(false);
    // With a prompt id, any user line of another prompt means the turn's start is behind.
    if let (Some(pid), Some("user")) = (scan.prompt_id, v.get("type").and_then(Value::as_str)) {
        let line_pid = v.get("promptId").and_then(Value::as_str);
        if scan.anchor.is_some() && line_pid.is_some_and(|l| l != pid) {
            return true;
        }
    }
    let items = &mut scan.items;
    let seen = &mut scan.seen;
    if flag("isSidechain") && !subagent {
        return false;
    }
    let message = v.get("message");
    let content = message.and_then(|m| m.get("content"));
    match v.get("type").and_then(Value::as_str) {
        Some("user") => {
            if flag("isCompactSummary") || flag("isVisibleInTranscriptOnly") {
                return false;
            }
            let text = user_text(content);
            if text
                .as_deref()
                .is_some_and(|t| t.trim_start().starts_with(FEEDBACK_PREFIX))
            {
                items.push(Item::Feedback);
                return false;
            }
            if flag("isMeta") {
                return false;
            }
            // Only tool results: the agent is still in its turn.
            if text.is_none() {
                if has_tool_result(content) {
                    items.push(Item::ToolResult);
                }
                return false;
            }
            let Some(pid) = scan.prompt_id else {
                return true;
            };
            // The turn starts at the earliest prompt line Claude Code wrote for this prompt;
            // a prompt-like line without its id (one the agent appended to the transcript)
            // does not end the turn.
            if v.get("promptId").and_then(Value::as_str) == Some(pid) {
                scan.anchor = Some(scan.items.len());
            } else if scan.fallback.is_none() {
                scan.fallback = Some((scan.items.len(), at));
            }
            false
        }
        Some("assistant") => {
            let model = message.and_then(|m| m.get("model")).and_then(Value::as_str);
            if flag("isApiErrorMessage") || model == Some("<synthetic>") {
                return false;
            }
            let id = message
                .and_then(|m| m.get("id"))
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string();
            let blocks: Vec<String> = match content {
                Some(Value::String(s)) => vec![s.clone()],
                Some(Value::Array(bs)) => bs
                    .iter()
                    .filter(|b| b.get("type").and_then(Value::as_str) == Some("text"))
                    .filter_map(|b| b.get("text").and_then(Value::as_str).map(str::to_string))
                    .collect(),
                _ => Vec::new(),
            };
            // Reading backwards, push the blocks of one line in reverse to keep order.
            for t in blocks.into_iter().rev() {
                if t.trim().is_empty() {
                    continue;
                }
                // Streaming can write the same block twice under one message id.
                if !id.is_empty() && !seen.insert(block_key(&id, &t)) {
                    continue;
                }
                items.push(Item::Text(t));
            }
            false
        }
        _ => false,
    }
}

/// Identity of a text block within a message, hashed so the check stays O(1) per block.
fn block_key(id: &str, text: &str) -> u64 {
    let mut h = DefaultHasher::new();
    id.hash(&mut h);
    text.hash(&mut h);
    h.finish()
}

fn has_tool_result(content: Option<&Value>) -> bool {
    matches!(content, Some(Value::Array(blocks))
        if blocks.iter().any(|b| b.get("type").and_then(Value::as_str) == Some("tool_result")))
}

/// The text of a user line if it is a prompt (string, or text/image blocks); `None` when it
/// holds only tool results.
fn user_text(content: Option<&Value>) -> Option<String> {
    match content? {
        Value::String(s) => Some(s.clone()),
        Value::Array(blocks) => {
            let mut text = String::new();
            let mut prompt = false;
            for b in blocks {
                match b.get("type").and_then(Value::as_str) {
                    Some("tool_result") => {}
                    Some("text") => {
                        prompt = true;
                        text.push_str(b.get("text").and_then(Value::as_str).unwrap_or(""));
                        text.push('\n');
                    }
                    Some(_) => prompt = true,
                    None => {}
                }
            }
            prompt.then_some(text)
        }
        _ => None,
    }
}
