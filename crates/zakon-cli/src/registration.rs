//! The hook registrations zakon owns — read from `hooks/settings-snippet.json` (data, not
//! code) — and how to recognise them in a settings file: by the program path of the
//! command, which is the installed binary under the install directory.

use crate::json::Json;
use std::path::{Path, PathBuf};

/// The snippet install.sh merges, with `${ZAKON_BIN}` standing for the install directory.
pub const SNIPPET: &str = include_str!("../../../hooks/settings-snippet.json");
const PLACEHOLDER: &str = "${ZAKON_BIN}/";

/// Every binary the installer copies; a command whose program is one of these under the
/// install directory is zakon's.
pub use zakon_core::paths::BINARIES;

/// One hook entry zakon wants in settings.json.
#[derive(Debug, Clone, PartialEq)]
pub struct Registration {
    pub event: String,
    /// `None` for events without a matcher (Stop, SubagentStop, SessionStart).
    pub matcher: Option<String>,
    /// Binary file name, e.g. `claim-gate`.
    pub binary: String,
    /// Arguments after the binary, e.g. `["banner"]`.
    pub args: Vec<String>,
    pub timeout: u64,
    /// `onFailure` (`"block"` on tool events: Claude Code then counts a timeout, a crash or
    /// an exit code other than 0 and 2 as a block instead of letting the call through).
    pub on_failure: Option<String>,
}

impl Registration {
    /// The command line as written into settings.json: absolute, shell-quoted where needed.
    pub fn command(&self, bin_dir: &Path) -> String {
        let mut cmd = shell_quote(&bin_dir.join(&self.binary).to_string_lossy());
        for a in &self.args {
            cmd.push(' ');
            cmd.push_str(&shell_quote(a));
        }
        cmd
    }

    pub fn program(&self, bin_dir: &Path) -> PathBuf {
        bin_dir.join(&self.binary)
    }

    /// `PreToolUse [Bash] → blueprint-gate`, for messages.
    pub fn label(&self) -> String {
        let mut s = self.event.clone();
        if let Some(m) = &self.matcher {
            s.push_str(&format!(" [{m}]"));
        }
        s.push_str(" → ");
        s.push_str(&self.binary);
        for a in &self.args {
            s.push(' ');
            s.push_str(a);
        }
        s
    }

    /// Does this settings entry run the same binary with the same arguments?
    pub fn matches(&self, command: &str, bin_dir: &Path, home: &Path) -> bool {
        match parse_command(command, home) {
            Some((program, args)) => {
                same_path(&program, &self.program(bin_dir)) && args == self.args
            }
            None => false,
        }
    }
}

/// The registrations in the snippet, in file order. The snippet is compiled in and checked
/// by a unit test, so an error here is a build defect, reported as a message.
pub fn registrations() -> Result<Vec<Registration>, String> {
    parse_registrations(SNIPPET, PLACEHOLDER)
}

/// Reads registrations from a settings-format (`{"hooks":{…}}`) document whose commands
/// start with `prefix` (`${ZAKON_BIN}/` here, `${CLAUDE_PLUGIN_ROOT}/…/` for hooks.json).
pub fn parse_registrations(text: &str, prefix: &str) -> Result<Vec<Registration>, String> {
    let doc = Json::parse(text).map_err(|e| format!("registration snippet: {e}"))?;
    let Some(Json::Object(events)) = doc.get("hooks") else {
        return Err("registration snippet: no \"hooks\" object".into());
    };
    let mut out = Vec::new();
    for (event, groups) in events {
        let Json::Array(groups) = groups else {
            return Err(format!("registration snippet: {event} is not an array"));
        };
        for group in groups {
            let matcher = group
                .get("matcher")
                .and_then(Json::as_str)
                .map(String::from);
            let Some(Json::Array(hooks)) = group.get("hooks") else {
                return Err(format!("registration snippet: {event} group without hooks"));
            };
            for hook in hooks {
                let command = hook.get("command").and_then(Json::as_str).unwrap_or("");
                // Plugin commands quote the path ("${CLAUDE_PLUGIN_ROOT}/…") for roots with
                // spaces; the quotes carry no meaning here.
                let unquoted = command.replace('"', "");
                let rest = unquoted
                    .strip_prefix(prefix)
                    .ok_or_else(|| format!("registration snippet: {command:?} lacks {prefix}"))?;
                let mut words = rest.split_whitespace().map(String::from);
                let binary = words.next().unwrap_or_default();
                out.push(Registration {
                    event: event.clone(),
                    matcher: matcher.clone(),
                    binary,
                    args: words.collect(),
                    timeout: hook.get("timeout").and_then(Json::as_u64).unwrap_or(0),
                    on_failure: hook
                        .get("onFailure")
                        .and_then(Json::as_str)
                        .map(String::from),
                });
            }
        }
    }
    Ok(out)
}

/// Is `command` one of zakon's binaries under `bin_dir`? This is how uninstall finds exactly
/// the entries install added, whatever the user did around them.
pub fn is_owned(command: &str, bin_dir: &Path, home: &Path) -> bool {
    match parse_command(command, home) {
        Some((program, _)) => BINARIES
            .iter()
            .any(|b| same_path(&program, &bin_dir.join(b))),
        None => false,
    }
}

/// The zakon binary a command runs, wherever it lives (any directory): used to find stale
/// registrations from an older install or another prefix.
pub fn zakon_binary_of(command: &str, home: &Path) -> Option<(PathBuf, String)> {
    let (program, _) = parse_command(command, home)?;
    let name = program.file_name()?.to_string_lossy().into_owned();
    BINARIES
        .iter()
        .any(|b| *b == name && *b != "zakon")
        .then_some((program, name))
}

fn same_path(a: &Path, b: &Path) -> bool {
    use zakon_core::paths::{canonical, normalize};
    normalize(a) == normalize(b) || canonical(a) == canonical(b)
}

/// Splits a hook command the way `sh` would for the simple forms zakon writes (bare words,
/// '…', "…", backslash escapes) and returns the program (with `~` expanded) and its
/// arguments; `None` for anything fancier (pipes, variables), which is never zakon's.
pub fn parse_command(command: &str, home: &Path) -> Option<(PathBuf, Vec<String>)> {
    let words = shell_words(command)?;
    let (first, rest) = words.split_first()?;
    let program = if first == "~" {
        home.to_path_buf()
    } else if let Some(r) = first.strip_prefix("~/") {
        home.join(r)
    } else {
        PathBuf::from(first)
    };
    Some((program, rest.to_vec()))
}

/// The words of a single plain command (the shared splitter in `zakon_core::shell`); `None`
/// for anything fancier — several commands, redirections, variables, substitutions, globs —
/// which zakon never writes, and for text that does not lex.
fn shell_words(s: &str) -> Option<Vec<String>> {
    use zakon_core::shell::{Heredocs, parse};
    let mut cmds = parse(s, Heredocs::Data).ok()?;
    if cmds.len() > 1 {
        return None;
    }
    let cmd = cmds.pop().unwrap_or_default();
    let fancy = |w: &String| w.contains(['$', '`', '*', '?']);
    (cmd.redirects.is_empty() && cmd.depth == 0 && !cmd.words.iter().any(fancy))
        .then_some(cmd.words)
}

/// Quotes a word for `sh -c` only when it needs it (a HOME with a space in it).
pub fn shell_quote(s: &str) -> String {
    zakon_core::runnable::quote(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snippet_holds_the_spec_registrations() {
        let got: Vec<_> = registrations()
            .unwrap()
            .iter()
            .map(|r| (r.label(), r.timeout))
            .collect();
        let want = [
            "Stop → claim-gate",
            "SubagentStop → claim-gate",
            "PreToolUse [Bash] → artifact-gate",
            "PreToolUse [Bash] → blueprint-gate",
            "PreToolUse [Write|Edit|MultiEdit] → blueprint-gate",
            "PostToolUse [Bash] → artifact-gate",
            "PostToolUse [^(?!(Read|Glob|Grep)$).*] → blueprint-gate",
            "SessionStart → claim-gate banner",
        ];
        assert_eq!(got.len(), want.len());
        for ((label, timeout), want) in got.iter().zip(want) {
            assert_eq!(label, want);
            // Twice the gates' internal deadline (zakon_core::deadline::DEFAULT, 5 s): a gate
            // ends itself with exit 2 long before Claude Code would time it out and pass it.
            assert_eq!(
                *timeout,
                2 * zakon_core::deadline::DEFAULT.as_secs(),
                "{label}"
            );
        }
    }

    #[test]
    fn tool_events_block_on_failure_and_stop_events_do_not_pretend_to() {
        // Claude Code 2.1.328 honours onFailure "block" on PreToolUse (tests/realclient/
        // onfailure_q1, q2) and ignores it on Stop and SubagentStop (its schema says so;
        // onfailure_q3), so it is registered exactly where it means something.
        for r in registrations().unwrap() {
            let want = matches!(r.event.as_str(), "PreToolUse" | "PostToolUse").then_some("block");
            assert_eq!(r.on_failure.as_deref(), want, "{}", r.label());
        }
    }

    #[test]
    fn plugin_hooks_json_parses_with_its_prefix() {
        let text = include_str!("../../../plugin/hooks/hooks.json");
        let plugin = parse_registrations(text, "${CLAUDE_PLUGIN_ROOT}/bin/").unwrap();
        assert_eq!(plugin, registrations().unwrap());
    }

    #[test]
    fn commands_are_quoted_only_when_needed() {
        let regs = registrations().unwrap();
        let banner = regs.iter().find(|r| r.args == ["banner"]).unwrap();
        assert_eq!(
            banner.command(Path::new("/home/u/.claude/zakon/bin")),
            "/home/u/.claude/zakon/bin/claim-gate banner"
        );
        assert_eq!(
            banner.command(Path::new("/Users/Jane Doe/bin")),
            "'/Users/Jane Doe/bin/claim-gate' banner"
        );
        assert_eq!(shell_quote("it's"), r"'it'\''s'");
    }

    #[test]
    fn recognises_owned_commands() {
        let home = Path::new("/home/u");
        let bin = Path::new("/home/u/.claude/zakon/bin");
        for (cmd, owned) in [
            ("/home/u/.claude/zakon/bin/claim-gate", true),
            ("/home/u/.claude/zakon/bin/claim-gate banner", true),
            ("'/home/u/.claude/zakon/bin/artifact-gate'", true),
            ("\"/home/u/.claude/zakon/bin/blueprint-gate\"", true),
            ("~/.claude/zakon/bin/blueprint-gate", true),
            ("/home/u/.claude/zakon/bin/../bin/claim-gate", true),
            ("/usr/local/bin/claim-gate", false),
            ("/home/u/.claude/zakon/bin/other-tool", false),
            ("python3 ~/hooks/check.py", false),
            ("/home/u/.claude/zakon/bin/claim-gate | tee log", false),
            ("", false),
        ] {
            assert_eq!(is_owned(cmd, bin, home), owned, "{cmd}");
        }
    }

    #[test]
    fn parses_shell_words() {
        for (s, want) in [
            ("a b  c", Some(vec!["a", "b", "c"])),
            ("'a b' c", Some(vec!["a b", "c"])),
            (r#""a \"b\"" c"#, Some(vec![r#"a "b""#, "c"])),
            (r"a\ b", Some(vec!["a b"])),
            ("'unterminated", None),
            ("echo $HOME", None),
            (
                "'/a b (2)/claim-gate' banner",
                Some(vec!["/a b (2)/claim-gate", "banner"]),
            ),
            ("a; b", None),
            ("a > f", None),
        ] {
            let want = want.map(|w| w.into_iter().map(String::from).collect::<Vec<_>>());
            assert_eq!(shell_words(s), want, "{s}");
        }
    }
}
