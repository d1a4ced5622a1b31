//! The Bash first line for zakon's own installation (`~/.claude/zakon`: the gate binaries,
//! the config, the snapshot store): a command that moves, deletes, re-modes or writes into
//! it, or into a directory above it, is blocked before it runs (rule `zakon-install-write`).
//!
//! The effects check restores a changed binary afterwards, but two things cannot be undone
//! that way: a gate that was replaced does not run to restore itself, and once the whole
//! directory is moved (`mv ~/.claude/zakon ~/.claude/zakon.off`) no gate runs at all. So the
//! recognisable spellings stop here. Also blocked: `blueprint-gate snapshot`, which would
//! take whatever is on disk as the new good version.

use serde_json::json;
use std::path::{Path, PathBuf};
use zakon_core::shell::{self, Heredocs, basename, program_index};
use zakon_core::{Context, Reason, Verdict, paths};

/// Programs that change a file or directory named among their arguments.
const CHANGERS: &[&str] = &[
    "mv", "rm", "rmdir", "unlink", "shred", "chmod", "chown", "chgrp", "chattr", "truncate", "ln",
    "touch", "tee", "sed", "gsed", "perl", "dd", "setfattr", "patch", "find", "rename", "tar",
    "unzip", "strip", "objcopy",
];
/// Programs whose last argument (or `-t DIR`) is the destination; their sources are reads.
const COPIERS: &[&str] = &["cp", "install", "rsync", "scp", "ln"];

/// Wrappers that run the command after their options (beyond those `program_index` knows).
const EXTRA_WRAPPERS: &[&str] = &[
    "setsid", "ionice", "strace", "ltrace", "chrt", "taskset", "xargs", "unbuffer", "flock",
];

/// The directories to protect: the default install directory (it holds the config and the
/// store too) and the directory of every installed binary the store knows.
fn protected(ctx: &Context) -> Vec<PathBuf> {
    let mut out = vec![ctx.home.join(".claude/zakon")];
    if let Ok(Some(index)) = zakon_snapshot::Store::at_home(&ctx.home).load() {
        for (p, e) in &index.files {
            if e.kind == zakon_snapshot::install::KIND
                && let Some(d) = Path::new(p).parent()
            {
                out.push(d.to_path_buf());
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

/// `~`, `$HOME` and `${HOME}` expanded, cwd joined, `..` resolved; the part before the first
/// glob or variable kept (`~/.claude/zakon/bin/*` → `~/.claude/zakon/bin`).
fn resolve(ctx: &Context, word: &str) -> Option<PathBuf> {
    let word = ["$HOME", "${HOME}"]
        .iter()
        .find_map(|p| word.strip_prefix(p).map(|rest| format!("~{rest}")))
        .unwrap_or_else(|| word.to_string());
    let cut = word
        .find(['*', '?', '[', '$', '`', '{'])
        .map(|i| word[..i].rfind('/').map(|j| &word[..j]).unwrap_or(""))
        .unwrap_or(&word);
    if cut.is_empty() {
        return None;
    }
    let lexical = ctx.resolve(cut);
    Some(paths::canonical(&lexical))
}

/// Inside a protected directory, or a directory that holds one (moving it moves zakon) —
/// short of home and the directories above it, which no command here would move.
fn hits(target: &Path, protected: &[PathBuf], home: &Path) -> bool {
    let home = paths::canonical(home);
    protected.iter().any(|p| {
        let p = paths::canonical(p);
        target.starts_with(&p) || (p.starts_with(target) && !home.starts_with(target))
    })
}

/// The words a command may change: all arguments of a changer, the destination of a copier,
/// and every write redirection.
fn targets(words: &[String], start: usize) -> Vec<String> {
    let Some(first) = words.get(start) else {
        return Vec::new();
    };
    let name = basename(first);
    if EXTRA_WRAPPERS.contains(&name) {
        // `setsid mv …`, `strace -o x mv …`: the wrapped command starts after the options.
        let mut i = start + 1;
        while i < words.len() && words[i].starts_with('-') {
            i += 1;
            if name == "strace" && words.get(i - 1).is_some_and(|f| f == "-o") {
                i += 1;
            }
        }
        return targets(words, i);
    }
    let args: Vec<&String> = words[start + 1..].iter().collect();
    if CHANGERS.contains(&name) {
        return args
            .iter()
            .map(|a| {
                a.split_once('=')
                    .filter(|_| name == "dd")
                    .map_or(a.as_str(), |(_, v)| v)
            })
            .filter(|a| !a.starts_with('-'))
            .map(String::from)
            .collect();
    }
    if COPIERS.contains(&name) {
        let mut out: Vec<String> = args
            .windows(2)
            .filter(|w| w[0] == "-t" || w[0] == "--target-directory")
            .map(|w| w[1].clone())
            .collect();
        out.extend(
            args.iter()
                .filter_map(|a| a.strip_prefix("--target-directory="))
                .map(String::from),
        );
        if let Some(last) = args.iter().rev().find(|a| !a.starts_with('-')) {
            out.push((*last).clone());
        }
        return out;
    }
    Vec::new()
}

/// A Write/Edit/MultiEdit (or any tool naming a file) into zakon's installation.
pub fn judge_path(ctx: &Context, tool: &str, lexical: &Path) -> Option<Verdict> {
    let real = paths::canonical(lexical);
    let config: Vec<PathBuf> = crate::config_paths(ctx)
        .iter()
        .map(|p| paths::canonical(p))
        .collect();
    if config.contains(&real) || !hits(&real, &protected(ctx), &ctx.home) {
        return None;
    }
    let file = paths::display_tilde(lexical, &ctx.home);
    Some(Verdict::Block(
        Reason::new(
            "zakon-install-write",
            format!(
                "this {tool} writes {file}, inside zakon's \
                 own installation (the gate binaries and the snapshot store they restore \
                 from).\nFIX: leave ~/.claude/zakon alone; installing or upgrading zakon is the \
                 user's step, in a terminal: ./install.sh from the zakon checkout."
            ),
        )
        .with_details(json!({"file": file, "tool": tool})),
    ))
}

/// `Some(block)` when the command changes zakon's installation (as far as its words show).
pub fn judge_bash(ctx: &Context, command: &str) -> Option<Verdict> {
    let lower = command.to_ascii_lowercase();
    if !(lower.contains("zakon") || lower.contains(".claude") || lower.contains("snapshot")) {
        return None;
    }
    let protected = protected(ctx);
    // The config has its own guard with its own message (zakon-config-write).
    let config: Vec<PathBuf> = crate::config_paths(ctx)
        .iter()
        .map(|p| paths::canonical(p))
        .collect();
    let mut found = Vec::new();
    for c in shell::commands(command, Heredocs::Commands) {
        let Some(i) = program_index(&c.words) else {
            continue;
        };
        let program = basename(&c.words[i]);
        if program == "blueprint-gate" && c.words[i + 1..].iter().any(|w| w == "snapshot") {
            found.push(format!(
                "{} (takes the files as they are as good)",
                c.words.join(" ")
            ));
            continue;
        }
        let mut words = targets(&c.words, i);
        words.extend(
            c.redirects
                .iter()
                .filter(|r| r.writes())
                .map(|r| r.target.clone()),
        );
        for w in words {
            if let Some(t) = resolve(ctx, &w)
                && !config.contains(&t)
                && hits(&t, &protected, &ctx.home)
            {
                found.push(format!("{w} (via {program})"));
            }
        }
    }
    if found.is_empty() {
        return None;
    }
    Some(Verdict::Block(
        Reason::new(
            "zakon-install-write",
            format!(
                "this Bash command changes zakon's own \
                 installation: {}. A replaced, moved or non-executable gate stops checking \
                 anything, and the snapshot store is what zakon restores from.\nFIX: leave \
                 ~/.claude/zakon alone. Installing, upgrading or removing zakon is the user's \
                 step, in a terminal: ./install.sh (or ./install.sh --uninstall) from the zakon \
                 checkout. Reading is fine (`ls`, `cat`, `{} doctor`).",
                found.join(", "),
                zakon_core::runnable::command("zakon")
            ),
        )
        .with_details(json!({"targets": found, "command": crate::truncate(command)})),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_changes_to_the_install_dir() {
        let home = std::env::temp_dir().join(format!("zakon-ig-{}", std::process::id()));
        let input = zakon_core::HookInput {
            cwd: Some("/work/p".into()),
            ..Default::default()
        };
        // SAFETY of the test: HOME is only read through Context::new.
        let mut ctx = Context::new("blueprint-gate", &input);
        ctx.home = home.clone();
        for (cmd, blocked) in [
            ("cp /bin/true ~/.claude/zakon/bin/blueprint-gate", true),
            ("chmod -x ~/.claude/zakon/bin/*", true),
            ("mv ~/.claude/zakon ~/.claude/zakon.off", true),
            ("mv $HOME/.claude ~/old-claude", true),
            ("setsid mv ~/.claude/zakon/bin /tmp/x", true),
            ("echo x > ~/.claude/zakon/bin/claim-gate", true),
            ("rm -rf ~/.claude/zakon/snapshots", true),
            ("blueprint-gate snapshot --init", true),
            ("bash -c 'rm ~/.claude/zakon/bin/claim-gate'", true),
            ("cp ~/.claude/zakon/bin/claim-gate /tmp/copy", false),
            ("ls -la ~/.claude/zakon/bin", false),
            ("cat ~/.claude/zakon/audit.jsonl", false),
            ("zakon doctor", false),
            ("mv ~/.claude/other.txt /tmp/", false),
        ] {
            assert_eq!(judge_bash(&ctx, cmd).is_some(), blocked, "{cmd}");
        }
    }
}
