//! Splits a Bash command line into simple commands — words after quote removal plus their
//! redirections — and follows `$( )`, backticks, `<( )`, `bash -c '…'` and `eval` into the
//! commands they run. Shared by the gates that judge Bash calls: artifact-gate looks for
//! `mc.js done <id>`, blueprint-gate for writes into blueprint, rule and registry files.
//!
//! A tokenizer, not a shell: nothing is expanded or executed, variables and globs stay as
//! written. It streams one simple command at a time, so a caller can stop early and memory
//! stays bounded by the longest command (agents send multi-megabyte commands). A line it
//! cannot lex to the end (an unterminated quote) is still split as far as it goes, the way
//! bash runs the commands before a syntax error; [`Commands::problem`] says what was wrong,
//! and a gate that must fail closed on it checks it.

use std::borrow::Cow;

/// How deep `bash -c "… $(…)"` nesting is followed; deeper is a [`Commands::problem`].
pub const MAX_DEPTH: usize = 6;

/// `bash -c '…'` and friends: their script argument is a command line too.
const SHELLS: &[&str] = &["sh", "bash", "zsh", "dash", "ksh", "ash"];

/// Words that print their arguments instead of running them: `echo bash -c '…'` runs nothing.
const PRINTERS: &[&str] = &["echo", "printf"];

/// Commands that run the command after them (`sudo tee x`, `timeout 5 eval …`).
const WRAPPERS: &[&str] = &[
    "sudo", "doas", "env", "command", "builtin", "exec", "nohup", "time", "nice", "stdbuf",
    "timeout",
];

/// Redirection operators, longest first.
const OPERATORS: &[&str] = &["<<<", "<<-", "<<", ">>", ">|", ">&", "<&", "<>", ">", "<"];

/// Why a command line could not be lexed to its end.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unparsable(pub String);

/// One redirection of a simple command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Redirect {
    /// The operator with its file-descriptor prefix: `>`, `>>`, `2>`, `&>`, `<`, `>&`…
    pub op: String,
    /// The word after it, quotes removed.
    pub target: String,
}

impl Redirect {
    /// Whether the target is opened for writing: `>`, `>>`, `>|`, `&>`, `2>`, `<>`, `>&file` —
    /// not `<`, `<<<`, nor `2>&1` / `>&-`, which duplicate or close a descriptor.
    pub fn writes(&self) -> bool {
        let op = self.op.as_str();
        let out = op.contains('>')
            && !op.starts_with('<')
            && !(op.ends_with(">&") && is_fd(&self.target));
        out || op.ends_with("<>")
    }
}

/// One simple command: what runs between two of `;` `&&` `||` `|` `&` newline `(` `)`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Command {
    /// Words after quote removal. A substitution stays as written (`$(cat id)`), a process
    /// substitution reads `/dev/fd/63`; their commands come as commands of their own.
    pub words: Vec<String>,
    /// Redirections in order, heredocs excepted (their delimiter is not a file).
    pub redirects: Vec<Redirect>,
    /// 0 for the line itself, one more for each `$( )`, `bash -c`, `eval` or heredoc body
    /// it sits in.
    pub depth: usize,
    /// Its stdin is the previous command's stdout at the same depth (`a | b`, `a |& b`):
    /// claim-gate follows a `tee` back to what produced its input.
    pub piped: bool,
    /// It reads a heredoc (`cat <<EOF`): text typed into the command line itself.
    pub heredoc: bool,
}

/// What a heredoc body is to the caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Heredocs {
    /// Data on stdin: skipped.
    Data,
    /// Split as commands too (fail closed: `bash <<EOF` runs its body).
    Commands,
}

/// Every simple command of `line`, in the order bash would start them: a command's
/// substitutions before the command, a `bash -c` / `eval` script right after it.
pub fn commands(line: &str, heredocs: Heredocs) -> Commands<'_> {
    Commands {
        stack: vec![Frame::Lex(Lexer::new(Cow::Borrowed(line.as_bytes()), 0))],
        heredocs,
        problem: None,
    }
}

/// All commands of `line`, or why it cannot be lexed to its end.
pub fn parse(line: &str, heredocs: Heredocs) -> Result<Vec<Command>, Unparsable> {
    let mut it = commands(line, heredocs);
    let all: Vec<Command> = it.by_ref().collect();
    match it.problem {
        Some(p) => Err(p),
        None => Ok(all),
    }
}

/// The iterator behind [`commands`].
pub struct Commands<'a> {
    stack: Vec<Frame<'a>>,
    heredocs: Heredocs,
    problem: Option<Unparsable>,
}

enum Frame<'a> {
    /// Text still to split.
    Lex(Lexer<'a>),
    /// A command whose substitutions have been yielded; it comes next.
    Ready(Command),
}

impl Commands<'_> {
    /// The first thing that could not be lexed so far (an unterminated quote or
    /// substitution, nesting deeper than [`MAX_DEPTH`]).
    pub fn problem(&self) -> Option<&Unparsable> {
        self.problem.as_ref()
    }

    /// Queues `texts` (substitutions, scripts, heredoc bodies) to be split at `depth + 1`,
    /// the first on top.
    fn nest(&mut self, texts: Vec<String>, depth: usize) {
        if texts.is_empty() {
            return;
        }
        if depth >= MAX_DEPTH {
            note(&mut self.problem, "command substitutions nested too deeply");
            return;
        }
        for text in texts.into_iter().rev() {
            let lexer = Lexer::new(Cow::Owned(text.into_bytes()), depth + 1);
            self.stack.push(Frame::Lex(lexer));
        }
    }
}

impl Iterator for Commands<'_> {
    type Item = Command;

    fn next(&mut self) -> Option<Command> {
        loop {
            match self.stack.pop()? {
                Frame::Ready(command) => {
                    self.nest(scripts(&command.words), command.depth);
                    return Some(command);
                }
                Frame::Lex(mut lexer) => {
                    let keep_bodies = self.heredocs == Heredocs::Commands;
                    let Some(piece) = lexer.next(keep_bodies, &mut self.problem) else {
                        continue;
                    };
                    let depth = lexer.depth;
                    self.stack.push(Frame::Lex(lexer));
                    // Bodies follow the line that opened them; the command follows its
                    // substitutions.
                    self.nest(piece.bodies, depth);
                    if !piece.command.words.is_empty() || !piece.command.redirects.is_empty() {
                        self.stack.push(Frame::Ready(piece.command));
                    }
                    self.nest(piece.nested, depth);
                }
            }
        }
    }
}

/// The scripts a command runs as command lines: `bash -c SCRIPT` (also `-lc`, `-ec`, after
/// `sudo`/`timeout`/`xargs`…: any shell word) and `eval ARGS…` at the command's position.
fn scripts(words: &[String]) -> Vec<String> {
    if prints_only(words) {
        return Vec::new();
    }
    let mut out = Vec::new();
    if let Some(p) = program_index(words)
        && basename(&words[p]) == "eval"
    {
        out.push(words[p + 1..].join(" "));
    }
    // `nice sh bash -c x` names one script twice; read it once.
    let mut last = None;
    for (i, w) in words.iter().enumerate() {
        if !SHELLS.contains(&basename(w)) {
            continue;
        }
        let flag = words[i + 1..]
            .iter()
            .position(|a| a.starts_with('-') && !a.starts_with("--") && a.contains('c'));
        if let Some(f) = flag
            && let Some(script) = words.get(i + 2 + f)
            && last != Some(i + 2 + f)
        {
            last = Some(i + 2 + f);
            out.push(script.clone());
        }
    }
    out
}

/// Whether the command prints its arguments instead of running them: `echo`/`printf` as the
/// first word after any assignments (`echo bash -c '…'`, `echo node mc.js done 1`).
pub fn prints_only(words: &[String]) -> bool {
    words
        .iter()
        .find(|w| !is_assignment(w))
        .is_some_and(|w| PRINTERS.contains(&basename(w)))
}

/// Shell reserved words that can open a simple command as the lexer splits it
/// (`then tee F`, `do cp a F`, `! cp a F`, `{ tee F; }`).
const RESERVED: &[&str] = &[
    "if", "then", "else", "elif", "do", "while", "until", "!", "{", "time", "fi", "done",
];

/// The index of the word that names the program: after `VAR=value` assignments and wrappers
/// (`sudo -u me`, `env`, `timeout 5`, `nice -n 5`…) with their options.
pub fn program_index(words: &[String]) -> Option<usize> {
    let mut i = 0;
    while i < words.len() {
        let name = basename(&words[i]);
        if is_assignment(&words[i]) || RESERVED.contains(&words[i].as_str()) {
            // `if x; then tee F; fi`: after a reserved word comes the command itself
            i += 1;
        } else if WRAPPERS.contains(&name) {
            let takes_value = matches!(name, "sudo" | "doas" | "nice" | "timeout");
            i += 1;
            while i < words.len() && words[i].starts_with('-') {
                let flag = words[i].as_str();
                i += 1;
                if takes_value && matches!(flag, "-u" | "-g" | "-n" | "-s" | "-k") {
                    i += 1;
                }
            }
            if name == "timeout" && i < words.len() {
                i += 1; // the duration
            }
        } else {
            break;
        }
    }
    (i < words.len()).then_some(i)
}

/// `NAME=value` with a shell variable name.
pub fn is_assignment(word: &str) -> bool {
    match word.split_once('=') {
        Some((name, _)) => {
            !name.is_empty()
                && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
                && !name.as_bytes()[0].is_ascii_digit()
        }
        None => false,
    }
}

/// The last `/` component of a word (`/usr/bin/tee` → `tee`).
pub fn basename(word: &str) -> &str {
    word.rsplit('/').next().unwrap_or(word)
}

/// Whether the inside of `${…}` can run a command: through a substitution, or as bash 5.3's
/// `${ cmd; }` / `${| cmd; }`. Plain `${HOME}` is not split.
fn runs_commands(inner: &str) -> bool {
    inner.starts_with([' ', '\t', '\n', '|'])
        || inner.contains("$(")
        || inner.contains('`')
        || inner.contains("<(")
        || inner.contains(">(")
}

fn is_fd(word: &str) -> bool {
    word == "-" || (!word.is_empty() && word.bytes().all(|b| b.is_ascii_digit()))
}

fn note(problem: &mut Option<Unparsable>, why: &str) {
    problem.get_or_insert_with(|| Unparsable(why.to_string()));
}

/// Words split only at ASCII bytes, so they stay valid UTF-8; lossy just in case.
fn text(bytes: Vec<u8>) -> String {
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// A lexed simple command with the texts nested in it.
struct Piece {
    command: Command,
    /// Bodies of `$( )`, backticks, `<( )`, in order.
    nested: Vec<String>,
    /// Heredoc bodies read at the newline that ended the command.
    bodies: Vec<String>,
}

/// What the next completed word is.
enum Pending {
    Word,
    /// The target of this redirection operator.
    Target(String),
    /// A heredoc delimiter; `<<-` strips leading tabs from the body's lines.
    Delimiter {
        strip_tabs: bool,
    },
}

struct Lexer<'a> {
    src: Cow<'a, [u8]>,
    pos: usize,
    depth: usize,
    /// Heredocs opened on the current line: (delimiter, strip tabs).
    heredocs: Vec<(Vec<u8>, bool)>,
    // The command being built.
    word: Option<Vec<u8>>,
    pending: Pending,
    words: Vec<String>,
    redirects: Vec<Redirect>,
    nested: Vec<String>,
    bodies: Vec<String>,
    /// The command being built follows a `|`.
    piped: bool,
    /// The command being built opened a heredoc.
    heredoc: bool,
}

impl<'a> Lexer<'a> {
    fn new(src: Cow<'a, [u8]>, depth: usize) -> Self {
        Lexer {
            src,
            pos: 0,
            depth,
            heredocs: Vec::new(),
            word: None,
            pending: Pending::Word,
            words: Vec::new(),
            redirects: Vec::new(),
            nested: Vec::new(),
            bodies: Vec::new(),
            piped: false,
            heredoc: false,
        }
    }

    fn peek(&self, ahead: usize) -> Option<u8> {
        self.src.get(self.pos + ahead).copied()
    }

    fn push(&mut self, c: u8) {
        self.word.get_or_insert_with(Vec::new).push(c);
    }

    fn push_raw(&mut self, start: usize) {
        let end = self.pos.min(self.src.len());
        let raw = self.src[start..end].to_vec();
        self.word.get_or_insert_with(Vec::new).extend(raw);
    }

    fn end_word(&mut self) {
        let Some(w) = self.word.take() else {
            return;
        };
        match std::mem::replace(&mut self.pending, Pending::Word) {
            Pending::Word => self.words.push(text(w)),
            Pending::Target(op) => self.redirects.push(Redirect {
                op,
                target: text(w),
            }),
            Pending::Delimiter { strip_tabs } => {
                self.heredoc = true;
                self.heredocs.push((w, strip_tabs));
            }
        }
    }

    /// A new operator, or the command's end, while a redirection still waits for its word:
    /// a syntax error to bash (`echo >`, `2> <<EOF`).
    fn check_target(&self, problem: &mut Option<Unparsable>) {
        if !matches!(self.pending, Pending::Word) {
            note(problem, "a redirection without its target");
        }
    }

    /// The command built so far, if there is anything in it; resets for the next one.
    fn take(&mut self, problem: &mut Option<Unparsable>) -> Option<Piece> {
        self.end_word();
        self.check_target(problem);
        self.pending = Pending::Word;
        let piece = Piece {
            command: Command {
                words: std::mem::take(&mut self.words),
                redirects: std::mem::take(&mut self.redirects),
                depth: self.depth,
                piped: self.piped,
                heredoc: std::mem::take(&mut self.heredoc),
            },
            nested: std::mem::take(&mut self.nested),
            bodies: std::mem::take(&mut self.bodies),
        };
        let empty = piece.command.words.is_empty()
            && piece.command.redirects.is_empty()
            && piece.nested.is_empty()
            && piece.bodies.is_empty();
        // `a |` + newline + `b`: the pipe still feeds `b`.
        if !empty {
            self.piped = false;
        }
        (!empty).then_some(piece)
    }

    /// The next simple command, `None` at the end of the text.
    fn next(&mut self, keep_bodies: bool, problem: &mut Option<Unparsable>) -> Option<Piece> {
        loop {
            let Some(c) = self.peek(0) else {
                return self.take(problem);
            };
            self.pos += 1;
            match c {
                // CR is a word character, as in bash: `mv \r f` moves a file named CR.
                b' ' | b'\t' => self.end_word(),
                b'\n' => {
                    self.end_word();
                    self.read_bodies(keep_bodies);
                    if let Some(piece) = self.take(problem) {
                        return Some(piece);
                    }
                }
                b';' | b'(' | b')' => {
                    if let Some(piece) = self.take(problem) {
                        return Some(piece);
                    }
                }
                b'&' if self.peek(0) == Some(b'>') => {
                    self.end_word();
                    self.check_target(problem);
                    self.pos += 1;
                    let op = if self.peek(0) == Some(b'>') {
                        self.pos += 1;
                        "&>>"
                    } else {
                        "&>"
                    };
                    self.pending = Pending::Target(op.into());
                }
                b'&' | b'|' => {
                    // `|` and `|&` pipe into the next command; `||`, `&&`, `&` do not.
                    let pipe = c == b'|' && self.peek(0) != Some(b'|');
                    if matches!(self.peek(0), Some(b'&' | b'|')) {
                        self.pos += 1;
                    }
                    let piece = self.take(problem);
                    if pipe {
                        self.piped = true;
                    }
                    if let Some(piece) = piece {
                        return Some(piece);
                    }
                }
                b'<' | b'>' if self.peek(0) == Some(b'(') => {
                    // Process substitution: a command, and a file name in this word.
                    self.pos += 1;
                    let (inner, _) = self.balanced(b'(', b')', problem, "unterminated $( or ( )");
                    self.nested.push(inner);
                    self.word
                        .get_or_insert_with(Vec::new)
                        .extend_from_slice(b"/dev/fd/63");
                }
                b'<' | b'>' => self.operator(problem),
                b'#' if self.word.is_none() => {
                    while self.peek(0).is_some_and(|n| n != b'\n') {
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
                b'\'' => self.single_quoted(problem, "unterminated single quote"),
                b'"' => self.double_quoted(problem),
                b'`' => self.backtick(problem),
                b'$' => match self.peek(0) {
                    Some(b'(') => {
                        let start = self.pos - 1;
                        self.pos += 1;
                        let (inner, _) =
                            self.balanced(b'(', b')', problem, "unterminated $( or ( )");
                        self.nested.push(inner);
                        self.push_raw(start);
                    }
                    Some(b'{') => {
                        // `${x:-$(cmd)}` and bash 5.3's `${ cmd; }` run commands: the inside
                        // is split as well.
                        let start = self.pos - 1;
                        self.pos += 1;
                        let (inner, closed) = self.balanced(b'{', b'}', problem, "unterminated ${");
                        // Never closed, it swallowed the rest of the line: split that too.
                        if runs_commands(&inner) || !closed {
                            self.nested.push(inner);
                        }
                        self.push_raw(start);
                    }
                    Some(b'\'') => {
                        self.pos += 1;
                        self.single_quoted(problem, "unterminated $' quote");
                    }
                    _ => self.push(b'$'),
                },
                other => self.push(other),
            }
        }
    }

    /// `<`/`>` just consumed: a redirection, or a heredoc whose delimiter is the next word.
    fn operator(&mut self, problem: &mut Option<Unparsable>) {
        self.pos -= 1;
        // A word of digits right before the operator is its descriptor (`2>`).
        let mut op = String::new();
        if let Some(w) = &self.word
            && !w.is_empty()
            && w.iter().all(u8::is_ascii_digit)
        {
            op = text(self.word.take().unwrap_or_default());
        } else {
            self.end_word();
        }
        self.check_target(problem);
        let rest = &self.src[self.pos..];
        let sym = OPERATORS
            .iter()
            .find(|s| rest.starts_with(s.as_bytes()))
            .copied()
            .unwrap_or(">");
        self.pos += sym.len();
        self.pending = match sym {
            "<<" | "<<-" => Pending::Delimiter {
                strip_tabs: sym == "<<-",
            },
            _ => {
                op.push_str(sym);
                Pending::Target(op)
            }
        };
    }

    /// After the newline that ends a heredoc's line: its body, up to the delimiter line.
    fn read_bodies(&mut self, keep: bool) {
        for (delim, strip_tabs) in std::mem::take(&mut self.heredocs) {
            let mut body = Vec::new();
            while self.pos < self.src.len() {
                let end = self.src[self.pos..]
                    .iter()
                    .position(|&b| b == b'\n')
                    .map_or(self.src.len(), |p| self.pos + p);
                let mut line = &self.src[self.pos..end];
                self.pos = (end + 1).min(self.src.len());
                if strip_tabs {
                    while let [b'\t', rest @ ..] = line {
                        line = rest;
                    }
                }
                // CRLF text ends at `EOF\r` whether or not the delimiter kept its CR.
                let bare = line.strip_suffix(b"\r").unwrap_or(line);
                if bare == delim.strip_suffix(b"\r").unwrap_or(&delim) {
                    break;
                }
                if keep {
                    body.extend_from_slice(line);
                    body.push(b'\n');
                }
            }
            if keep {
                self.bodies.push(text(body));
            }
        }
    }

    fn single_quoted(&mut self, problem: &mut Option<Unparsable>, unterminated: &str) {
        let rest = &self.src[self.pos..];
        let (inner, next) = match rest.iter().position(|&b| b == b'\'') {
            Some(end) => (&rest[..end], self.pos + end + 1),
            None => {
                note(problem, unterminated);
                (rest, self.src.len())
            }
        };
        let inner = inner.to_vec();
        self.word.get_or_insert_with(Vec::new).extend(inner);
        self.pos = next;
    }

    fn double_quoted(&mut self, problem: &mut Option<Unparsable>) {
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
                    let start = self.pos - 1;
                    self.pos += 1;
                    let (inner, _) = self.balanced(b'(', b')', problem, "unterminated $( or ( )");
                    self.nested.push(inner);
                    self.push_raw(start);
                }
                b'`' => self.backtick(problem),
                other => self.push(other),
            }
        }
        note(problem, "unterminated double quote");
    }

    /// A `` ` `` just consumed: the command up to the closing one (`\x` is `x` inside).
    fn backtick(&mut self, problem: &mut Option<Unparsable>) {
        let start = self.pos - 1;
        let mut inner = Vec::new();
        loop {
            match self.peek(0) {
                None => {
                    note(problem, "unterminated backtick");
                    break;
                }
                Some(b'`') => {
                    self.pos += 1;
                    break;
                }
                Some(b'\\') if self.peek(1).is_some() => {
                    inner.extend(self.peek(1));
                    self.pos += 2;
                }
                Some(c) => {
                    inner.push(c);
                    self.pos += 1;
                }
            }
        }
        self.nested.push(text(inner));
        self.push_raw(start);
    }

    /// The text up to the `close` that ends an already consumed `open`, quote-aware, and
    /// whether it was closed (else the text is the rest of the line).
    fn balanced(
        &mut self,
        open: u8,
        close: u8,
        problem: &mut Option<Unparsable>,
        unterminated: &str,
    ) -> (String, bool) {
        let start = self.pos;
        let mut level = 1usize;
        let mut quote: Option<u8> = None;
        while let Some(c) = self.peek(0) {
            self.pos += 1;
            match quote {
                Some(q) => {
                    if c == b'\\' && q == b'"' {
                        self.pos += 1;
                    } else if c == q {
                        quote = None;
                    }
                }
                None => match c {
                    b'\\' => self.pos += 1,
                    b'\'' | b'"' => quote = Some(c),
                    c if c == open => level += 1,
                    c if c == close => {
                        level -= 1;
                        if level == 0 {
                            return (text(self.src[start..self.pos - 1].to_vec()), true);
                        }
                    }
                    _ => {}
                },
            }
        }
        note(problem, unterminated);
        self.pos = self.src.len();
        (text(self.src[start..].to_vec()), false)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each command as `depth:words [op target]…`, words joined by `·`.
    fn split(line: &str, heredocs: Heredocs) -> Vec<String> {
        let mut it = commands(line, heredocs);
        let mut out: Vec<String> = it
            .by_ref()
            .map(|c| {
                let mut s = format!("{}:{}", c.depth, c.words.join("·"));
                for r in &c.redirects {
                    s.push_str(&format!(" [{} {}]", r.op, r.target));
                }
                s
            })
            .collect();
        if let Some(Unparsable(why)) = it.problem() {
            out.push(format!("! {why}"));
        }
        out
    }

    #[test]
    fn splits_commands_and_removes_quotes() {
        for (line, want) in [
            ("ls -la", vec!["0:ls·-la"]),
            (
                "a; b && c || d | e & f",
                vec!["0:a", "0:b", "0:c", "0:d", "0:e", "0:f"],
            ),
            ("a |& b\nc", vec!["0:a", "0:b", "0:c"]),
            ("(cd x && make)", vec!["0:cd·x", "0:make"]),
            ("echo 'a b' \"c d\" e\\ f", vec!["0:echo·a b·c d·e f"]),
            (
                "echo \"a \\\"q\\\" \\$x \\n\"",
                vec!["0:echo·a \"q\" $x \\n"],
            ),
            ("echo '' \"\"", vec!["0:echo··"]),
            ("echo $'a b' ${x:-a b} $y", vec!["0:echo·a b·${x:-a b}·$y"]),
            ("cd x &&\\\n make", vec!["0:cd·x", "0:make"]),
            ("echo a#b # comment", vec!["0:echo·a#b"]),
            ("# all comment\nls", vec!["0:ls"]),
            ("a\r\nb c\r\n", vec!["0:a\r", "0:b·c\r"]),
            ("a \r# ; b", vec!["0:a·\r#", "0:b"]),
            ("find . -exec rm {} \\;", vec!["0:find·.·-exec·rm·{}·;"]),
            ("X=1 Y='a b' cmd", vec!["0:X=1·Y=a b·cmd"]),
            ("", vec![]),
            (" ;; && ", vec![]),
        ] {
            assert_eq!(split(line, Heredocs::Data), want, "{line:?}");
        }
    }

    #[test]
    fn keeps_redirections_apart() {
        for (line, want) in [
            ("echo x > f", vec!["0:echo·x [> f]"]),
            ("echo x>f 2>>g", vec!["0:echo·x [> f] [2>> g]"]),
            ("cmd &> 'a b' &>>c", vec!["0:cmd [&> a b] [&>> c]"]),
            (
                "cmd 2>&1 >|f <in <>rw",
                vec!["0:cmd [2>& 1] [>| f] [< in] [<> rw]"],
            ),
            ("cmd x2>f", vec!["0:cmd·x2 [> f]"]),
            ("cat <<< 'here string'", vec!["0:cat [<<< here string]"]),
        ] {
            assert_eq!(split(line, Heredocs::Data), want, "{line:?}");
        }
    }

    #[test]
    fn marks_pipes_and_heredocs() {
        for (line, want) in [
            ("a | b |& c", vec!["a", "|b", "|c"]),
            ("a || b && c; d & e", vec!["a", "b", "c", "d", "e"]),
            ("a |\n b\nc", vec!["a", "|b", "c"]),
            ("x $(y | z) | tee f", vec!["y", "|z", "x", "|tee"]),
            ("cat <<EOF > f\nbody\nEOF\nls", vec!["<<cat", "ls"]),
            ("a | (b; c)", vec!["a", "|b", "c"]),
        ] {
            let got: Vec<String> = commands(line, Heredocs::Data)
                .map(|c| {
                    let mark = match (c.piped, c.heredoc) {
                        (true, _) => "|",
                        (_, true) => "<<",
                        _ => "",
                    };
                    format!("{mark}{}", c.words.first().map_or("", String::as_str))
                })
                .collect();
            assert_eq!(got, want, "{line:?}");
        }
    }

    #[test]
    fn which_redirections_write() {
        for (op, target, writes) in [
            (">", "f", true),
            (">>", "f", true),
            ("2>", "f", true),
            ("&>", "f", true),
            (">|", "f", true),
            ("<>", "f", true),
            (">&", "f", true),
            (">&", "2", false),
            ("2>&", "1", false),
            (">&", "-", false),
            ("<", "f", false),
            ("<<<", "f", false),
            ("<&", "3", false),
        ] {
            let r = Redirect {
                op: op.into(),
                target: target.into(),
            };
            assert_eq!(r.writes(), writes, "{op} {target}");
        }
    }

    #[test]
    fn heredocs_are_data_or_commands() {
        let line = "cat <<EOF > out\nrm -rf x\nEOF\nls";
        assert_eq!(split(line, Heredocs::Data), vec!["0:cat [> out]", "0:ls"]);
        assert_eq!(
            split(line, Heredocs::Commands),
            vec!["0:cat [> out]", "1:rm·-rf·x", "0:ls"]
        );
        for (line, want) in [
            ("cat <<'E O'\na\nE O\nls", vec!["0:cat", "0:ls"]),
            ("cat <<-EOF\n\tbody\n\tEOF\nls", vec!["0:cat", "0:ls"]),
            (
                "cat <<A; cat <<B\na\nA\nb\nB\nls",
                vec!["0:cat", "0:cat", "0:ls"],
            ),
            ("cat <<EOF\r\nbody\r\nEOF\r\nls", vec!["0:cat", "0:ls"]),
            // A body never closed runs to the end, as bash reads it.
            ("cat <<EOF\nbody\nls", vec!["0:cat"]),
        ] {
            assert_eq!(split(line, Heredocs::Data), want, "{line:?}");
        }
    }

    #[test]
    fn follows_substitutions_scripts_and_eval() {
        for (line, want) in [
            (
                "echo $(date +%s) x",
                vec!["1:date·+%s", "0:echo·$(date +%s)·x"],
            ),
            ("x=\"$(a b)\"", vec!["1:a·b", "0:x=$(a b)"]),
            (
                "echo `a \\`b\\``",
                vec!["2:b", "1:a·`b`", "0:echo·`a \\`b\\``"],
            ),
            ("echo \"v=`id -u`\"", vec!["1:id·-u", "0:echo·v=`id -u`"]),
            (
                "diff <(a) >(b)",
                vec!["1:a", "1:b", "0:diff·/dev/fd/63·/dev/fd/63"],
            ),
            (
                "echo $(a $(b) ')') c",
                vec!["2:b", "1:a·$(b)·)", "0:echo·$(a $(b) ')')·c"],
            ),
            ("bash -c 'a; b'", vec!["0:bash·-c·a; b", "1:a", "1:b"]),
            (
                "sudo -u me bash -lc \"a\"",
                vec!["0:sudo·-u·me·bash·-lc·a", "1:a"],
            ),
            ("bash --norc -c a", vec!["0:bash·--norc·-c·a", "1:a"]),
            ("nice sh bash -c a", vec!["0:nice·sh·bash·-c·a", "1:a"]),
            (
                "xargs sh -c 'a \"$1\"'",
                vec!["0:xargs·sh·-c·a \"$1\"", "1:a·$1"],
            ),
            ("eval 'a; b' c", vec!["0:eval·a; b·c", "1:a", "1:b·c"]),
            (
                "X=1 timeout 5 eval a",
                vec!["0:X=1·timeout·5·eval·a", "1:a"],
            ),
            // Printed, not run.
            ("echo bash -c a", vec!["0:echo·bash·-c·a"]),
            ("printf %s eval a", vec!["0:printf·%s·eval·a"]),
            ("grep eval f", vec!["0:grep·eval·f"]),
            ("bash script.sh", vec!["0:bash·script.sh"]),
            (
                "echo ${x:-$(a)} ${HOME}",
                vec!["2:a", "1:x:-$(a)", "0:echo·${x:-$(a)}·${HOME}"],
            ),
            ("echo ${ a; }", vec!["1:a", "0:echo·${ a; }"]),
        ] {
            assert_eq!(split(line, Heredocs::Data), want, "{line:?}");
        }
    }

    #[test]
    fn unlexable_lines_split_as_far_as_they_go() {
        for (line, want) in [
            (
                "a; echo 'x > f",
                vec!["0:a", "0:echo·x > f", "! unterminated single quote"],
            ),
            ("echo \"x", vec!["0:echo·x", "! unterminated double quote"]),
            (
                "echo $(a; b",
                vec!["1:a", "1:b", "0:echo·$(a; b", "! unterminated $( or ( )"],
            ),
            (
                "echo `a",
                vec!["1:a", "0:echo·`a", "! unterminated backtick"],
            ),
            (
                "echo ${x; b",
                vec!["1:x", "1:b", "0:echo·${x; b", "! unterminated ${"],
            ),
            ("echo $'x", vec!["0:echo·x", "! unterminated $' quote"]),
            (
                "cmd > ; next",
                vec!["0:cmd", "0:next", "! a redirection without its target"],
            ),
            (
                "echo x >",
                vec!["0:echo·x", "! a redirection without its target"],
            ),
            (
                "echo 2> <<EOF f",
                vec!["0:echo·f", "! a redirection without its target"],
            ),
            (
                "bash -c \"echo 'x\"",
                vec![
                    "0:bash·-c·echo 'x",
                    "1:echo·x",
                    "! unterminated single quote",
                ],
            ),
        ] {
            assert_eq!(split(line, Heredocs::Data), want, "{line:?}");
        }
        assert!(parse("echo 'x", Heredocs::Data).is_err());
        assert_eq!(parse("a | b", Heredocs::Data).map(|c| c.len()), Ok(2));
    }

    #[test]
    fn nesting_is_bounded() {
        let mut line = "x".to_string();
        for _ in 0..MAX_DEPTH {
            line = format!("echo \"$({line})\"");
        }
        assert_eq!(
            parse(&line, Heredocs::Data).map(|c| c.len()),
            Ok(MAX_DEPTH + 1)
        );
        let deeper = format!("echo $({line})");
        assert_eq!(
            parse(&deeper, Heredocs::Data),
            Err(Unparsable("command substitutions nested too deeply".into()))
        );
    }

    #[test]
    fn finds_the_program() {
        let words = |s: &str| -> Vec<String> { s.split(' ').map(String::from).collect() };
        for (line, want) in [
            ("tee f", Some("tee")),
            ("X=1 Y=2 tee f", Some("tee")),
            ("sudo -u me tee f", Some("tee")),
            ("env -i A=1 tee f", Some("tee")),
            ("timeout -k 1 5 nice -n 5 tee f", Some("tee")),
            ("1x=2 tee", Some("1x=2")),
            ("X=1", None),
            ("sudo", None),
            ("then tee f", Some("tee")),
            ("do cp a f", Some("cp")),
            ("! cp a f", Some("cp")),
            ("{ tee f", Some("tee")),
            ("while read l", Some("read")),
        ] {
            let w = words(line);
            assert_eq!(program_index(&w).map(|i| w[i].as_str()), want, "{line}");
        }
    }
}
