//! Finds `mc.js done <id>` / `mc.js ready <id>` in a Bash command line: chains (`&&`, `||`,
//! `;`, `|`), subshells, command substitution, `sh -c '…'` / `eval`, heredoc bodies, quoted
//! paths and flags.
//!
//! The line is split by `zakon_core::shell`, which streams simple commands, so the scan stops
//! as soon as it has seen too many targets. No regex — it runs on every Bash call that
//! mentions `mc.js`.

use zakon_core::shell::{self, Heredocs, basename};

/// The Mission Control script whose `done`/`ready` subcommands close a task.
const SCRIPT: &[u8] = b"mc.js";

/// More `mc.js done|ready` invocations than this in one command is not a real command; the
/// scanner stops collecting there and the gate blocks (fail closed) instead of doing
/// unbounded work.
pub const MAX_TARGETS: usize = 32;

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
/// `MAX_TARGETS + 1`). Heredoc bodies count as commands (`bash <<EOF` runs them), and a line
/// that does not lex to its end is read as far as it goes: what bash would run before the
/// syntax error is still found.
pub fn targets(command: &str) -> Vec<Target> {
    let mut out: Vec<Target> = Vec::new();
    for cmd in shell::commands(command, Heredocs::Commands) {
        if out.len() > MAX_TARGETS {
            break;
        }
        if cmd.words.iter().any(|w| w.contains('\r')) {
            // A stray CR separates words here (`mc.js \r done 12`, `done 12\r`): whatever
            // mc.js makes of it, the gate checks the task rather than miss it.
            let words: Vec<String> = cmd
                .words
                .iter()
                .flat_map(|w| w.split('\r'))
                .filter(|w| !w.is_empty())
                .map(String::from)
                .collect();
            inspect(&words, &mut out);
        } else {
            inspect(&cmd.words, &mut out);
        }
    }
    out
}

fn inspect(words: &[String], out: &mut Vec<Target>) {
    if shell::prints_only(words) {
        return;
    }
    for (i, w) in words.iter().enumerate() {
        if basename(w).as_bytes().eq_ignore_ascii_case(SCRIPT)
            && let Some(t) = invocation(&words[i..])
            && !out.contains(&t)
        {
            out.push(t);
        }
    }
}

/// `words[0]` is the script; decide whether this is `done`/`ready` and which id.
fn invocation(words: &[String]) -> Option<Target> {
    let rest = &words[1..];
    // The subcommand is the first positional word; when that word directly follows a flag
    // it may be the flag's value (`mc.js --db x done 12`), so the next positional counts too.
    let mut positional = rest.iter().enumerate().filter(|(_, w)| !w.starts_with('-'));
    let (i0, w0) = positional.next()?;
    let (at, action) = match action(w0) {
        Some(a) => (i0, a),
        None => {
            let after_flag = i0 > 0 && rest[i0 - 1].starts_with('-');
            let (i1, w1) = positional.next()?;
            match action(w1) {
                Some(a) if after_flag => (i1, a),
                _ => return None,
            }
        }
    };
    let args = &rest[at + 1..];
    let id = args.iter().find_map(|w| task_id(w));
    let mut shown = String::from("mc.js");
    for w in &rest[..=at] {
        shown.push(' ');
        shown.push_str(w);
    }
    match id {
        Some(id) => shown.push_str(&format!(" {id}")),
        None => {
            if let Some(w) = args.iter().find(|w| !w.starts_with('-')) {
                shown.push(' ');
                shown.push_str(w);
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
            ("node mc.js \r done 26\r", done(26)),
            ("cat <<EOF | bash\nnode mc.js done 27\nEOF", done(27)),
            ("X=${X:-$(node mc.js done 28)}", done(28)),
            ("node mc.js done \"$(cat id)\"", vec![("done", None)]),
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
