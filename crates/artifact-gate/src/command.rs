//! Finds `mc.js done <id>` / `mc.js ready <id>` in a Bash command line: chains (`&&`, `||`,
//! `;`, `|`), subshells, command substitution, `sh -c '…'` / `eval`, quoted paths and flags.
//!
//! This is a small shell *tokenizer*, not a shell: it splits the line into simple commands
//! and unquotes their words, which is all the gate needs to know which task is being
//! closed. No regex — it runs on every Bash call that mentions `mc.js`.

/// The Mission Control script whose `done`/`ready` subcommands close a task.
const SCRIPT: &[u8] = b"mc.js";

/// `bash -c '…'` and friends: their script argument is parsed as a command line too.
const SHELLS: &[&str] = &["sh", "bash", "zsh", "dash", "ksh", "ash"];

/// Words that print their arguments instead of running them.
const PRINTERS: &[&str] = &["echo", "printf"];

/// More `mc.js done|ready` invocations than this in one command is not a real command; the
/// scanner stops collecting there and the gate blocks (fail closed) instead of doing
/// unbounded work.
pub const MAX_TARGETS: usize = 32;

/// How deep `bash -c "… bash -c '…'"` / `$(…)` nesting is followed.
const MAX_DEPTH: usize = 4;

/// One `mc.js done|ready` invocation found in the command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// `done` or `ready`.
    pub action: &'static str,
    /// The task id, or `None` when the command does not name a literal numeric id
    /// (`mc.js done $ID`) — the gate cannot check what it cannot name, so it blocks.
    pub id: Option<u64>,
    /// The invocation as the agent wrote it (unquoted words), for messages.
    pub shown: String,
}

/// The cheap pre-filter: does the command mention `mc.js` at all (ASCII case-insensitive,
/// ignoring quote and backslash characters so `"mc".js` or `mc\.js` still count)? One pass
/// over the bytes, no allocation.
pub fn mentions_script(command: &str) -> bool {
    let mut matched = 0;
    for &b in command.as_bytes() {
        if matches!(b, b'\'' | b'"' | b'\\') {
            continue;
        }
        if b.eq_ignore_ascii_case(&SCRIPT[matched]) {
            matched += 1;
            if matched == SCRIPT.len() {
                return true;
            }
        } else {
            matched = usize::from(b.eq_ignore_ascii_case(&SCRIPT[0]));
        }
    }
    false
}

/// Every `mc.js done|ready` invocation in the command, in order, without duplicates (at most
/// `MAX_TARGETS + 1`).
pub fn targets(command: &str) -> Vec<Target> {
    let mut out: Vec<Target> = Vec::new();
    collect(command, 0, &mut out);
    out
}

/// Tokenizes `command` and inspects each simple command as soon as it is complete, so memory
/// stays bounded by the longest simple command.
fn collect(command: &str, depth: usize, out: &mut Vec<Target>) {
    let mut t = Tokenizer {
        bytes: command.as_bytes(),
        pos: 0,
        depth,
        word: None,
        words: Vec::new(),
        out,
        skip_next_word: false,
    };
    t.run();
}

fn inspect(words: &[Word], depth: usize, out: &mut Vec<Target>) {
    if out.len() > MAX_TARGETS {
        return;
    }
    let Some(first) = words.iter().position(|w| !is_assignment(&w.text)) else {
        return;
    };
    if PRINTERS.contains(&basename(&words[first].text)) {
        return;
    }
    for (i, w) in words.iter().enumerate() {
        let name = basename(&w.text);
        if depth < MAX_DEPTH
            && SHELLS.contains(&name)
            && let Some(script) = shell_script(&words[i + 1..])
        {
            collect(&script.text, depth + 1, out);
        }
        if depth < MAX_DEPTH && name == "eval" && i == first {
            let joined: Vec<&str> = words[i + 1..].iter().map(|w| w.text.as_str()).collect();
            collect(&joined.join(" "), depth + 1, out);
        }
        if name.as_bytes().eq_ignore_ascii_case(SCRIPT)
            && let Some(t) = invocation(&words[i..])
            && !out.contains(&t)
        {
            out.push(t);
        }
    }
}

/// The script of `sh -c SCRIPT` (also `-lc`, `-ec`, …).
fn shell_script(args: &[Word]) -> Option<&Word> {
    let c = args.iter().position(|w| {
        let t = w.text.as_str();
        t.starts_with('-') && !t.starts_with("--") && t.contains('c')
    })?;
    args.get(c + 1)
}

/// `words[0]` is the script; decide whether this is `done`/`ready` and which id.
fn invocation(words: &[Word]) -> Option<Target> {
    let rest = &words[1..];
    // The subcommand is the first positional word; when that word directly follows a flag
    // it may be the flag's value (`mc.js --db x done 12`), so the next positional counts too.
    let mut positional = rest
        .iter()
        .enumerate()
        .filter(|(_, w)| !w.text.starts_with('-'));
    let (i0, w0) = positional.next()?;
    let (at, action) = match action(&w0.text) {
        Some(a) => (i0, a),
        None => {
            let after_flag = i0 > 0 && rest[i0 - 1].text.starts_with('-');
            let (i1, w1) = positional.next()?;
            match action(&w1.text) {
                Some(a) if after_flag => (i1, a),
                _ => return None,
            }
        }
    };
    let args = &rest[at + 1..];
    let id = args.iter().find_map(|w| task_id(&w.text));
    let mut shown = String::from("mc.js");
    for w in &rest[..=at] {
        shown.push(' ');
        shown.push_str(&w.text);
    }
    match id {
        Some(id) => shown.push_str(&format!(" {id}")),
        None => {
            if let Some(w) = args.iter().find(|w| !w.text.starts_with('-')) {
                shown.push(' ');
                shown.push_str(&w.text);
            }
        }
    }
    Some(Target { action, id, shown })
}

fn action(word: &str) -> Option<&'static str> {
    if word.eq_ignore_ascii_case("done") {
        Some("done")
    } else if word.eq_ignore_ascii_case("ready") {
        Some("ready")
    } else {
        None
    }
}

/// `12`, `#12`, `--id=12`, `--id 12` (the `12`). Leading zeros are the same task.
fn task_id(word: &str) -> Option<u64> {
    let digits = word
        .strip_prefix("--id=")
        .or_else(|| word.strip_prefix('#'))
        .unwrap_or(word);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

fn basename(word: &str) -> &str {
    word.rsplit('/').next().unwrap_or(word)
}

fn is_assignment(word: &str) -> bool {
    match word.split_once('=') {
        Some((name, _)) => {
            !name.is_empty()
                && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
                && !name.as_bytes()[0].is_ascii_digit()
        }
        None => false,
    }
}

/// A word after quote removal.
#[derive(Debug, Clone, Default)]
struct Word {
    text: String,
}

/// Splits a command line into simple commands of unquoted words. Command and process
/// substitutions (`$(…)`, `` `…` ``, `<(…)`), subshells and groups become commands of their
/// own; redirection targets are dropped; `#` comments are skipped.
struct Tokenizer<'a, 'o> {
    bytes: &'a [u8],
    pos: usize,
    depth: usize,
    word: Option<Vec<u8>>,
    words: Vec<Word>,
    out: &'o mut Vec<Target>,
    skip_next_word: bool,
}

impl Tokenizer<'_, '_> {
    fn peek(&self, ahead: usize) -> Option<u8> {
        self.bytes.get(self.pos + ahead).copied()
    }

    fn push(&mut self, c: u8) {
        self.word.get_or_insert_with(Vec::new).push(c);
    }

    fn end_word(&mut self) {
        if let Some(w) = self.word.take() {
            if self.skip_next_word {
                self.skip_next_word = false;
            } else {
                // Words split only at ASCII bytes, so they stay valid UTF-8.
                let text = String::from_utf8(w)
                    .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
                self.words.push(Word { text });
            }
        }
    }

    fn end_command(&mut self) {
        self.end_word();
        self.skip_next_word = false;
        if !self.words.is_empty() {
            let words = std::mem::take(&mut self.words);
            inspect(&words, self.depth, self.out);
        }
    }

    /// Parses `inner` (the body of a substitution inside double quotes) as its own line.
    fn nested(&mut self, inner: &[u8]) {
        if self.depth < MAX_DEPTH {
            collect(&String::from_utf8_lossy(inner), self.depth + 1, self.out);
        }
    }

    fn run(&mut self) {
        while let Some(c) = self.peek(0) {
            if self.out.len() > MAX_TARGETS {
                return;
            }
            self.pos += 1;
            match c {
                b' ' | b'\t' | b'\r' => self.end_word(),
                b'\n' | b';' | b'(' | b')' | b'`' => self.end_command(),
                b'&' if self.peek(0) == Some(b'>') => {
                    // `&>file` / `&>>file`
                    self.pos += 1;
                    if self.peek(0) == Some(b'>') {
                        self.pos += 1;
                    }
                    self.redirect();
                }
                b'&' | b'|' => {
                    if matches!(self.peek(0), Some(b'&' | b'|')) {
                        self.pos += 1;
                    }
                    self.end_command();
                }
                b'<' | b'>' => {
                    // `2>` — the digits before the operator are a file descriptor, not a word.
                    if let Some(w) = &self.word
                        && !w.is_empty()
                        && w.iter().all(|b| b.is_ascii_digit())
                    {
                        self.word = None;
                    }
                    self.end_word();
                    if self.peek(0) == Some(b'(') {
                        // process substitution `<(cmd)`: the paren starts a command
                        continue;
                    }
                    while matches!(self.peek(0), Some(b'<' | b'>' | b'|')) {
                        self.pos += 1;
                    }
                    if self.peek(0) == Some(b'&') {
                        self.pos += 1;
                    }
                    self.redirect();
                }
                b'#' if self.word.is_none() => {
                    while let Some(n) = self.peek(0) {
                        if n == b'\n' {
                            break;
                        }
                        self.pos += 1;
                    }
                }
                b'\\' => match self.peek(0) {
                    Some(b'\n') => self.pos += 1,
                    Some(n) => {
                        self.pos += 1;
                        self.push(n);
                    }
                    None => {}
                },
                b'\'' => self.single_quoted(),
                b'"' => self.double_quoted(),
                b'$' => match self.peek(0) {
                    Some(b'(') => {
                        self.pos += 1;
                        self.end_command();
                    }
                    Some(b'\'') => {
                        self.pos += 1;
                        self.single_quoted();
                    }
                    _ => self.push(b'$'),
                },
                other => self.push(other),
            }
        }
        self.end_command();
    }

    fn redirect(&mut self) {
        // skip blanks, then the next word is the redirection target
        while matches!(self.peek(0), Some(b' ' | b'\t')) {
            self.pos += 1;
        }
        self.skip_next_word = true;
    }

    fn single_quoted(&mut self) {
        self.word.get_or_insert_with(Vec::new);
        while let Some(c) = self.peek(0) {
            self.pos += 1;
            if c == b'\'' {
                return;
            }
            self.push(c);
        }
    }

    fn double_quoted(&mut self) {
        self.word.get_or_insert_with(Vec::new);
        while let Some(c) = self.peek(0) {
            self.pos += 1;
            match c {
                b'"' => return,
                b'\\' => match self.peek(0) {
                    Some(n @ (b'"' | b'\\' | b'$' | b'`')) => {
                        self.pos += 1;
                        self.push(n);
                    }
                    Some(b'\n') => self.pos += 1,
                    _ => self.push(b'\\'),
                },
                b'$' if self.peek(0) == Some(b'(') => {
                    self.pos += 1;
                    let inner = self.until_close_paren();
                    self.push(b'$');
                    self.nested(&inner);
                }
                b'`' => {
                    let mut inner = Vec::new();
                    while let Some(n) = self.peek(0) {
                        self.pos += 1;
                        if n == b'`' {
                            break;
                        }
                        inner.push(n);
                    }
                    self.push(b'$');
                    self.nested(&inner);
                }
                other => self.push(other),
            }
        }
    }

    /// The text up to the `)` that closes an already-consumed `$(`, nesting counted.
    fn until_close_paren(&mut self) -> Vec<u8> {
        let mut inner = Vec::new();
        let mut level = 1usize;
        while let Some(c) = self.peek(0) {
            self.pos += 1;
            match c {
                b'(' => level += 1,
                b')' => {
                    level -= 1;
                    if level == 0 {
                        break;
                    }
                }
                _ => {}
            }
            inner.push(c);
        }
        inner
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(cmd: &str) -> Vec<(&'static str, Option<u64>)> {
        targets(cmd).into_iter().map(|t| (t.action, t.id)).collect()
    }

    #[test]
    fn finds_done_and_ready_wherever_they_hide() {
        let done = |id| vec![("done", Some(id))];
        let ready = |id| vec![("ready", Some(id))];
        for (cmd, want) in [
            ("node ~/system/tools/mc.js done 100347", done(100347)),
            ("node mc.js ready 12", ready(12)),
            ("cd x && node ~/system/tools/mc.js ready 12", ready(12)),
            ("cd x; node mc.js done 7", done(7)),
            ("false || node mc.js done 7", done(7)),
            ("(cd /x && node mc.js done 8)", done(8)),
            ("echo $(node mc.js done 9)", done(9)),
            ("x=\"$(node mc.js done 10)\"", done(10)),
            ("node \"/path with space/mc.js\" done 11", done(11)),
            ("node '/p/mc.js' done 11", done(11)),
            ("node mc\\.js done 11", done(11)),
            ("node --no-warnings mc.js done 13 --force", done(13)),
            ("node mc.js done --note 'x y' 14", done(14)),
            ("node mc.js --db x.db done 15", done(15)),
            ("node mc.js done '#16'", done(16)),
            // unquoted `#16` starts a comment: mc.js gets no id
            ("node mc.js done #16", vec![("done", None)]),
            ("node mc.js done --id=17", done(17)),
            ("node mc.js done 0018", done(18)),
            ("~/system/tools/mc.js DONE 19 2>&1 | tail -5", done(19)),
            ("MC=1 node mc.js done 20 >/tmp/out.log", done(20)),
            ("bash -c 'cd x && node mc.js done 21'", done(21)),
            ("sudo -u me bash -lc \"node mc.js ready 22\"", ready(22)),
            ("eval node mc.js done 23", done(23)),
            ("cd x &&\\\n node mc.js done 24", done(24)),
            ("timeout 5 node mc.js done 25 &", done(25)),
            (
                "node mc.js done 1 && node mc.js ready 2",
                vec![("done", Some(1)), ("ready", Some(2))],
            ),
            ("node mc.js done 3; node mc.js done 3", done(3)),
            ("node mc.js done $ID", vec![("done", None)]),
            ("node mc.js done", vec![("done", None)]),
        ] {
            assert_eq!(found(cmd), want, "{cmd}");
        }
    }

    #[test]
    fn ignores_everything_else() {
        for cmd in [
            "ls -la",
            "node mc.js list",
            "node mc.js show 12",
            "node mc.js add 'mark done 12'",
            "cat ~/system/tools/mc.js",
            "grep -n done mc.js",
            "git commit -m 'node mc.js done 12'",
            "echo node mc.js done 12",
            "node mc.js.bak done 12",
            "node mymc.js done 12",
            "# node mc.js done 12",
            "node mc.js note 12 done",
        ] {
            assert_eq!(found(cmd), vec![], "{cmd}");
        }
    }

    #[test]
    fn prefilter_is_cheap_and_tolerant() {
        for (cmd, want) in [
            ("node mc.js done 1", true),
            ("node MC.JS done 1", true),
            ("node \"mc\".js done 1", true),
            ("node m''c.js done 1", true),
            ("node mmc.js", true),
            ("ls -la", false),
            ("node mc.ts done 1", false),
            ("mc.j", false),
        ] {
            assert_eq!(mentions_script(cmd), want, "{cmd}");
        }
    }

    #[test]
    fn stops_collecting_past_the_cap() {
        let many: String = (0..10_000)
            .map(|i| format!("node mc.js done {i}; "))
            .collect();
        assert_eq!(targets(&many).len(), MAX_TARGETS + 1);
    }

    #[test]
    fn shown_is_the_invocation() {
        let t = targets("cd x && node ~/system/tools/mc.js ready 12 --force");
        assert_eq!(t[0].shown, "mc.js ready 12");
    }
}
