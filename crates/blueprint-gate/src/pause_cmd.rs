//! `zakon pause` / `zakon resume` run through an agent's Bash. A pause switches gates off, so
//! it is a human's decision: the CLI refuses without a terminal, and this check blocks the
//! call before it runs — also behind wrappers (`sudo`, `env`, `nohup`, `xargs`), inside
//! `bash -c '…'`, `eval`, `$( … )`, heredoc bodies, and as the script of a terminal faker
//! (`script -qc 'zakon pause …'`), whose argument is a command line of its own.

use zakon_core::shell::{self, Heredocs, basename};

/// How deep a quoted command line inside a word (`script -c '…'`) is followed.
const MAX_NESTED: usize = 3;

/// The cheap first test, run on every Bash command: the command mentions zakon and a pause
/// word (one pass per word, no allocation — commands can be megabytes).
pub fn mentions(command: &str) -> bool {
    let has = |word: &[u8]| {
        command
            .as_bytes()
            .windows(word.len())
            .any(|w| w.eq_ignore_ascii_case(word))
    };
    has(b"zakon") && (has(b"pause") || has(b"resume"))
}

/// The subcommand (`pause` / `resume`) a command line runs through `zakon`, if any.
pub fn find(command: &str) -> Option<&'static str> {
    find_nested(command, 0)
}

fn find_nested(line: &str, depth: usize) -> Option<&'static str> {
    for cmd in shell::commands(line, Heredocs::Commands) {
        if shell::prints_only(&cmd.words) {
            continue;
        }
        for (i, word) in cmd.words.iter().enumerate() {
            // Case-insensitive: macOS file systems run `ZAKON` as `zakon`.
            if basename(word).eq_ignore_ascii_case("zakon") {
                let sub = cmd.words[i + 1..].iter().find(|w| !w.starts_with('-'));
                match sub.map(String::as_str) {
                    Some("pause") => return Some("pause"),
                    Some("resume") => return Some("resume"),
                    _ => {}
                }
            } else if depth < MAX_NESTED
                && word.contains("zakon")
                && word.contains(char::is_whitespace)
                && let Some(found) = find_nested(word, depth + 1)
            {
                return Some(found);
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_pause_and_resume_however_they_are_run() {
        for (cmd, want) in [
            ("zakon pause claim-gate --for 30m", Some("pause")),
            (
                "~/.claude/zakon/bin/zakon pause all --for 1h",
                Some("pause"),
            ),
            ("zakon resume", Some("resume")),
            ("sudo -u me zakon pause claim-gate --for 5m", Some("pause")),
            (
                "cd /tmp && env X=1 zakon pause blueprint-gate --for 1d",
                Some("pause"),
            ),
            ("bash -c 'zakon pause claim-gate --for 30m'", Some("pause")),
            (
                "script -qc \"zakon pause claim-gate --for 30m\" /dev/null",
                Some("pause"),
            ),
            ("echo y | zakon resume", Some("resume")),
            ("x=$(zakon pause claim-gate --for 1m)", Some("pause")),
            ("zakon log --gate claim-gate", None),
            ("echo 'run zakon pause claim-gate yourself'", None),
            ("grep -r pause src/zakon", None),
            ("zakon doctor", None),
            ("ZAKON pause claim-gate --for 1m", Some("pause")),
        ] {
            assert_eq!(
                mentions(cmd),
                want.is_some() || cmd.contains("pause"),
                "{cmd}"
            );
            assert_eq!(find(cmd), want, "{cmd}");
        }
    }
}
