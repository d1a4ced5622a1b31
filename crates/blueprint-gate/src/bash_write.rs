//! Bash commands that write into scope: redirections (`>`, `>>`, `&>`, heredocs), `tee`,
//! `cp`, `mv`, `install`, `ln`, `rsync`, `sed -i`, `perl -i`, `dd of=`, `touch`,
//! `truncate`, `patch`, `git checkout`/`git restore`, `curl -o`/`-O`, `wget`, plus
//! `bash -c`/`eval`/`$( )` re-parsed, and `xargs`/`find -exec` writers whose files come from
//! elsewhere. The ZAKON registry's file name counts too.
//!
//! The rule is the simplest honest one: a Bash write to an in-scope name is blocked, because
//! its resulting content cannot be checked — the agent is told to use Write/Edit. In Bash,
//! names decide scope (variables and `cd` are not evaluated), so a `zakon-*.md` target is in
//! scope in any directory. A target with a harmless name is in scope too when it is a symlink
//! (existing or dangling) to an in-scope file: the caller's `follow` looks at the disk for
//! that, one `lstat` per target. Out of reach, by design: `python -c "open(...,'w')"` and
//! other interpreters, names assembled from variables or globs, symlinks resolved against a
//! directory the command `cd`s into, and `git checkout`/`restore` of a whole directory.

use crate::scope::{BLUEPRINT_NAMES, Kind, is_blueprint_name, is_rule_name, mentions_scope};
use std::path::Path;
use zakon_core::shell::{self, Heredocs, basename, program_index};

pub use zakon_core::shell::Unparsable;

/// A write into scope found in a command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Write {
    /// The target as written in the command (or a description for unknown targets); for a
    /// symlink, `link → where it points`.
    pub target: String,
    /// How it writes: `>`, `tee`, `sed -i`, `xargs sed`…
    pub how: String,
    /// The target is a rule file (`zakon-*.md`).
    pub rule: bool,
    /// The target is named like the ZAKON registry (`zakon-registry.json`, or the configured
    /// registry's file name).
    pub registry: bool,
    /// The target is the zakon config file (by its resolved path).
    pub config: bool,
    /// The target is a Claude Code settings file (`.claude/settings*.json`).
    pub settings: bool,
}

/// A target whose own name is not in scope by itself: a symlink into scope, or a file guarded
/// by its resolved path (the zakon config, Claude Code settings).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Linked {
    pub kind: Kind,
    /// Where the link points, for the message; `None` when the target itself is guarded.
    pub real: Option<String>,
}

/// Looks a target up: `Some` when its resolved path is guarded (config, settings) or — only
/// when the `bool` (the writer opens the file, so it writes through a symlink) is true — it is
/// a symlink (existing or dangling) to an in-scope file. Called only for targets whose name
/// is not in scope.
pub type Follow<'a> = &'a dyn Fn(&str, bool) -> Option<Linked>;

/// What [`scan`] found: the in-scope writes, and why the command could not be lexed to its
/// end (the writes are those of the commands before that point).
#[derive(Debug, Default)]
pub struct Scan {
    pub writes: Vec<Write>,
    pub problem: Option<Unparsable>,
}

/// What the analysis needs besides the command.
struct Env<'a> {
    /// Only to ask whether a `cp`/`mv` destination is an existing directory.
    cwd: Option<&'a Path>,
    /// Lowercased file names of the registry.
    registry_names: &'a [String],
    follow: Option<Follow<'a>>,
}

/// Programs that may write a file named on their command line (or, for `xargs`/`find`, run
/// one that does). Kept in step with [`command_writes`] and [`writer_name`]: a command in
/// which none of these is a word and no `>` appears cannot write a file, and [`could_write`]
/// lets it go without lexing.
const WRITERS: &[&str] = &[
    "tee", "cp", "mv", "install", "ln", "rsync", "scp", "sed", "gsed", "perl", "ruby", "awk",
    "gawk", "dd", "touch", "truncate", "patch", "xargs", "find", "git", "curl", "wget", "rm",
    "unlink", "shred",
];

/// The byte scan in front of the lexer, for the thousands of unrelated commands: whether
/// `command` might write a file at all — a `>` that is not a descriptor copy (`2>&1`, `>&-`),
/// or a [`WRITERS`] program as a word. Quotes and backslashes are skipped first (`t''ee`,
/// `"c"p`, `t\ee` and a `\`-newline continuation all read `tee`/`cp`), so it over-approximates
/// what the lexer sees; a false "yes" only costs the lexing.
pub fn could_write(command: &str) -> bool {
    let b = command.as_bytes();
    let is_word = |c: u8| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'-' | b'.');
    let mut word = [0u8; 8];
    let mut len = 0usize;
    let writer = |word: &[u8; 8], len: usize| {
        len <= word.len() && WRITERS.iter().any(|w| w.as_bytes() == &word[..len])
    };
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        i += 1;
        match c {
            b'\'' | b'"' => continue,
            b'\\' => {
                if b.get(i) == Some(&b'\n') {
                    i += 1;
                }
                continue;
            }
            b'>' if !descriptor_copy(&b[i..]) => return true,
            _ => {}
        }
        if is_word(c) {
            if len < word.len() {
                word[len] = c;
            }
            len += 1;
        } else {
            if writer(&word, len) {
                return true;
            }
            len = 0;
        }
    }
    writer(&word, len)
}

/// After a `>`: `&1`, `&12`, `&-` up to a word end — a copy or close of a descriptor, no file.
fn descriptor_copy(rest: &[u8]) -> bool {
    let Some(after) = rest.strip_prefix(b"&") else {
        return false;
    };
    let n = if after.first() == Some(&b'-') {
        1
    } else {
        after.iter().take_while(|c| c.is_ascii_digit()).count()
    };
    n > 0
        && after
            .get(n)
            .is_none_or(|c| !(c.is_ascii_alphanumeric() || matches!(c, b'_' | b'.' | b'-')))
}

/// Every in-scope write in `command`. `cwd` is used only to ask whether a `cp`/`mv`
/// destination is an existing directory; `registry_names` are the registry's lowercased file
/// names (`zakon-registry.json` and any configured one); `follow` looks at targets whose name
/// is harmless (symlinks), `None` to judge by names alone. A command that does not lex to its
/// end (an unterminated quote) has a `problem`: in scope the caller blocks on it (fail
/// closed). Heredoc bodies are data here: `cat <<EOF` text is not a write.
pub fn scan(
    command: &str,
    cwd: Option<&Path>,
    registry_names: &[String],
    follow: Option<Follow<'_>>,
) -> Scan {
    let env = Env {
        cwd,
        registry_names,
        follow,
    };
    let mut out = Vec::new();
    let mut commands = shell::commands(command, Heredocs::Data);
    for cmd in commands.by_ref() {
        for r in cmd.redirects.iter().filter(|r| r.writes()) {
            consider(&env, &r.target, &r.op, true, &mut out);
        }
        command_writes(&cmd.words, &env, command, &mut out);
    }
    Scan {
        writes: out,
        problem: commands.problem().cloned(),
    }
}

/// Judges one target: by its name, then — when `through_links` (the writer opens the file,
/// so it writes where a symlink points; `mv`, `ln` and `git` replace the link instead) and
/// the name is harmless — by where it points.
fn consider(env: &Env<'_>, target: &str, how: &str, through_links: bool, out: &mut Vec<Write>) {
    let name = file_name(target);
    let (mut blueprint, mut rule) = (is_blueprint_name(name), is_rule_name(name));
    let mut registry = env.registry_names.contains(&name.to_ascii_lowercase());
    // A name built by a substitution (`$(echo BUILD-BLUEPRINT.md)`, `` `x`DEPLOY-MAP.md ``)
    // cannot be known: it counts when its text names a guarded file (fail closed).
    let substituted = target.contains("$(") || target.contains('`');
    if substituted {
        let lower = target.to_ascii_lowercase();
        blueprint |= BLUEPRINT_NAMES.iter().any(|n| lower.contains(n));
        rule |= lower.contains("zakon-") && lower.contains(".md");
        registry |= env
            .registry_names
            .iter()
            .any(|n| lower.contains(n.as_str()));
    }
    if blueprint || rule || registry {
        out.push(Write {
            target: target.to_string(),
            how: how.to_string(),
            rule,
            registry,
            config: false,
            settings: false,
        });
        return;
    }
    if substituted || target.is_empty() || target == "-" {
        return;
    }
    if let Some(follow) = env.follow
        && let Some(linked) = follow(target, through_links)
    {
        out.push(Write {
            target: match linked.real {
                Some(real) => format!("{target} → {real}"),
                None => target.to_string(),
            },
            how: how.to_string(),
            rule: linked.kind == Kind::Rule,
            registry: linked.kind == Kind::Registry,
            config: linked.kind == Kind::Config,
            settings: linked.kind == Kind::Settings,
        });
    }
}

/// For writers whose targets are not in the command (`xargs`, `find -exec`): judged by what
/// the whole command mentions — nothing, when it mentions no guarded name.
fn unknown_targets(env: &Env<'_>, whole: &str, target: &str, how: String) -> Option<Write> {
    let lower = whole.to_ascii_lowercase();
    let registry = env
        .registry_names
        .iter()
        .any(|n| lower.contains(n.as_str()));
    (registry || mentions_scope(&lower)).then(|| Write {
        target: target.into(),
        how,
        rule: lower.contains("zakon-"),
        registry,
        config: false,
        settings: false,
    })
}

/// The last path component after lexical normalisation (`a/BUILD-BLUEPRINT.md/.` counts).
fn file_name(target: &str) -> &str {
    let mut t = target.trim_end_matches('/');
    while let Some(rest) = t.strip_suffix("/.") {
        t = rest.trim_end_matches('/');
    }
    t.rsplit('/').next().unwrap_or(t)
}

/// Writes by the program itself (`tee`, `cp`, `sed -i`…); `whole` is the command line, for
/// writers whose files come from elsewhere.
fn command_writes(words: &[String], env: &Env<'_>, whole: &str, out: &mut Vec<Write>) {
    let Some(i) = program_index(words) else {
        return;
    };
    let cmd = &words[i];
    let args = &words[i + 1..];
    let name = basename(cmd);
    let non_options = |args: &[String]| -> Vec<String> {
        let mut v = Vec::new();
        let mut after_dashdash = false;
        for a in args {
            if !after_dashdash && a == "--" {
                after_dashdash = true;
            } else if after_dashdash || !a.starts_with('-') || a == "-" {
                v.push(a.clone());
            }
        }
        v
    };
    match name {
        "tee" => {
            for a in non_options(args) {
                consider(env, &a, "tee", true, out);
            }
        }
        "cp" | "mv" | "install" | "ln" | "rsync" | "scp" => {
            let mut target_dir = None;
            let mut rest = Vec::new();
            let mut it = args.iter();
            while let Some(a) = it.next() {
                if a == "-t" {
                    target_dir = it.next().cloned();
                } else if let Some(d) = a.strip_prefix("--target-directory=") {
                    target_dir = Some(d.to_string());
                } else {
                    rest.push(a.clone());
                }
            }
            let files = non_options(&rest);
            let (sources, dest) = match (&target_dir, files.split_last()) {
                (Some(d), _) => (files.clone(), Some(d.clone())),
                (None, Some((last, init))) if !init.is_empty() => {
                    (init.to_vec(), Some(last.clone()))
                }
                _ => (Vec::new(), None),
            };
            // `mv` and `ln` replace a symlink at the destination; the others open it.
            let through = !matches!(name, "mv" | "ln");
            if let Some(dest) = dest {
                consider(env, &dest, name, through, out);
                if target_dir.is_some() || looks_like_dir(&dest, env.cwd) {
                    for s in &sources {
                        consider(env, &format!("{dest}/{}", file_name(s)), name, through, out);
                    }
                }
            }
            if name == "mv" {
                // Moving a blueprint away is a write to it as well.
                for s in &sources {
                    consider(env, s, "mv", false, out);
                }
            }
        }
        "sed" | "gsed" => {
            let in_place = args.iter().any(|a| {
                a.starts_with("--in-place")
                    || (a.starts_with('-') && !a.starts_with("--") && a[1..].contains('i'))
            });
            if in_place {
                for a in non_options(args) {
                    consider(env, &a, "sed -i", true, out);
                }
            }
        }
        "perl" | "ruby" => {
            let in_place = args
                .iter()
                .any(|a| a.starts_with('-') && !a.starts_with("--") && a[1..].contains('i'));
            if in_place {
                for a in non_options(args) {
                    consider(env, &a, &format!("{name} -i"), true, out);
                }
            }
        }
        "awk" | "gawk" if args.iter().any(|a| a.contains("inplace")) => {
            for a in non_options(args) {
                consider(env, &a, "awk -i inplace", true, out);
            }
        }
        "dd" => {
            for a in args {
                if let Some(t) = a.strip_prefix("of=") {
                    consider(env, t, "dd of=", true, out);
                }
            }
        }
        "touch" | "truncate" | "patch" => {
            for a in non_options(args) {
                consider(env, &a, name, true, out);
            }
        }
        // Deleting a rule file, the registry, the zakon config or a Claude Code settings
        // file switches a rule off as surely as rewriting it; deleting a blueprint does not.
        "rm" | "unlink" | "shred" => {
            let mut found = Vec::new();
            for a in non_options(args) {
                consider(env, &a, name, false, &mut found);
            }
            out.extend(
                found
                    .into_iter()
                    .filter(|w| w.rule || w.registry || w.config || w.settings),
            );
        }
        "xargs" => {
            let sub: Vec<String> = args
                .iter()
                .skip_while(|a| a.starts_with('-'))
                .cloned()
                .collect();
            if let Some(writer) = writer_name(&sub) {
                out.extend(unknown_targets(
                    env,
                    whole,
                    "files named on stdin",
                    format!("xargs {writer}"),
                ));
            }
        }
        "find" => {
            let mut it = args.iter();
            while let Some(a) = it.next() {
                if matches!(a.as_str(), "-exec" | "-execdir" | "-ok" | "-okdir") {
                    let sub: Vec<String> = it
                        .by_ref()
                        .take_while(|w| *w != ";" && *w != "+")
                        .cloned()
                        .collect();
                    if let Some(writer) = writer_name(&sub) {
                        out.extend(unknown_targets(
                            env,
                            whole,
                            "files found by find",
                            format!("find -exec {writer}"),
                        ));
                    }
                } else if matches!(a.as_str(), "-fprint" | "-fprintf" | "-fls")
                    && let Some(t) = it.next()
                {
                    consider(env, t, "find -fprint", true, out);
                }
            }
        }
        "git" => git_writes(args, env, out),
        "curl" => curl_writes(args, env, out),
        "wget" => wget_writes(args, env, out),
        _ => {}
    }
}

/// `git checkout [REF] [--] PATH…` and `git restore [--source REF] PATH…` overwrite the
/// working-tree files they name with a stored version nobody checks. Every non-option word
/// counts (a branch name is never a guarded file name); `restore --staged` alone touches the
/// index only. Git replaces a symlink rather than writing through it, so names decide.
fn git_writes(args: &[String], env: &Env<'_>, out: &mut Vec<Write>) {
    let mut i = 0;
    // Global options before the subcommand: `-C dir`, `-c k=v`, `--git-dir=…`.
    while let Some(a) = args.get(i) {
        if !a.starts_with('-') {
            break;
        }
        i += if matches!(
            a.as_str(),
            "-C" | "-c" | "--git-dir" | "--work-tree" | "--namespace"
        ) {
            2
        } else {
            1
        };
    }
    let Some(sub) = args.get(i).map(String::as_str) else {
        return;
    };
    if !matches!(sub, "checkout" | "restore") {
        return;
    }
    let (mut paths, mut staged, mut worktree) = (Vec::new(), false, false);
    let mut it = args[i + 1..].iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--" => paths.extend(it.by_ref().map(String::as_str)),
            "-b" | "-B" | "--orphan" | "-s" | "--source" => {
                it.next();
            }
            "--staged" => staged = true,
            "--worktree" => worktree = true,
            long if long.starts_with("--") => {}
            short if short.starts_with('-') && short.len() > 1 => {
                for (k, c) in short.char_indices().skip(1) {
                    match c {
                        'S' => staged = true,
                        'W' => worktree = true,
                        // `-sREF` / `-bNAME`: the rest is the value; alone, the next word.
                        's' | 'b' | 'B' => {
                            if k + 1 == short.len() {
                                it.next();
                            }
                            break;
                        }
                        _ => {}
                    }
                }
            }
            path => paths.push(path),
        }
    }
    if sub == "restore" && staged && !worktree {
        return;
    }
    for p in paths {
        consider(env, p, &format!("git {sub}"), false, out);
    }
}

/// `curl -o FILE`, `--output FILE`, `-O` (the URL's last segment), `--output-dir DIR`, and
/// the other files curl writes: `-D`/`--dump-header`, `-c`/`--cookie-jar`, `--trace`,
/// `--trace-ascii`, `--stderr`, `--etag-save`.
fn curl_writes(args: &[String], env: &Env<'_>, out: &mut Vec<Write>) {
    /// Short options that take a value (the rest of the word, or the next word).
    const VALUED: &str = "AbCdEeFHKmPQrTtuUwxXyYz";
    let (mut files, mut urls, mut remote_name, mut dir) = (Vec::new(), Vec::new(), false, None);
    let mut it = args.iter();
    while let Some(a) = it.next() {
        if a == "--" {
            urls.extend(it.by_ref().cloned());
            break;
        }
        if let Some(long) = a.strip_prefix("--") {
            let (opt, inline) = match long.split_once('=') {
                Some((o, v)) => (o, Some(v.to_string())),
                None => (long, None),
            };
            let mut value = || inline.clone().or_else(|| it.next().cloned());
            match opt {
                "output" | "dump-header" | "cookie-jar" | "trace" | "trace-ascii" | "stderr"
                | "etag-save" => files.extend(value()),
                "output-dir" => dir = value(),
                "url" => urls.extend(value()),
                "remote-name" | "remote-name-all" => remote_name = true,
                _ => {}
            }
        } else if a.len() > 1 && a.starts_with('-') {
            for (k, c) in a.char_indices().skip(1) {
                let rest = &a[k + c.len_utf8()..];
                let value = || {
                    if rest.is_empty() {
                        None
                    } else {
                        Some(rest.to_string())
                    }
                };
                match c {
                    'O' => remote_name = true,
                    'o' | 'D' | 'c' => {
                        files.extend(value().or_else(|| it.next().cloned()));
                        break;
                    }
                    c if VALUED.contains(c) => {
                        if rest.is_empty() {
                            it.next();
                        }
                        break;
                    }
                    _ => {}
                }
            }
        } else {
            urls.push(a.clone());
        }
    }
    download_targets(env, "curl", files, &urls, remote_name, dir.as_deref(), out);
}

/// `wget -O FILE` / `--output-document=FILE`, the log files of `-o`/`-a`, and — without
/// `-O` — the URL's last segment, under `-P DIR`.
fn wget_writes(args: &[String], env: &Env<'_>, out: &mut Vec<Write>) {
    const VALUED: &str = "eiBtTwQlARDIXU";
    let (mut files, mut urls, mut document, mut dir) = (Vec::new(), Vec::new(), false, None);
    let mut it = args.iter();
    while let Some(a) = it.next() {
        if let Some(long) = a.strip_prefix("--") {
            let (opt, inline) = match long.split_once('=') {
                Some((o, v)) => (o, Some(v.to_string())),
                None => (long, None),
            };
            let mut value = || inline.clone().or_else(|| it.next().cloned());
            match opt {
                "output-document" => {
                    document = true;
                    files.extend(value());
                }
                "output-file" | "append-output" => files.extend(value()),
                "directory-prefix" => dir = value(),
                _ => {}
            }
        } else if a.len() > 1 && a.starts_with('-') {
            for (k, c) in a.char_indices().skip(1) {
                let rest = &a[k + c.len_utf8()..];
                let mut value = || {
                    if rest.is_empty() {
                        it.next().cloned()
                    } else {
                        Some(rest.to_string())
                    }
                };
                match c {
                    'O' => {
                        document = true;
                        files.extend(value());
                        break;
                    }
                    'o' | 'a' => {
                        files.extend(value());
                        break;
                    }
                    'P' => {
                        dir = value();
                        break;
                    }
                    c if VALUED.contains(c) => {
                        value();
                        break;
                    }
                    _ => {}
                }
            }
        } else {
            urls.push(a.clone());
        }
    }
    download_targets(env, "wget", files, &urls, !document, dir.as_deref(), out);
}

/// The files a download writes: the named ones, plus each URL's last segment when the tool
/// names the file after the URL; relative names land in `dir`.
fn download_targets(
    env: &Env<'_>,
    program: &str,
    mut files: Vec<String>,
    urls: &[String],
    named_by_url: bool,
    dir: Option<&str>,
    out: &mut Vec<Write>,
) {
    if named_by_url {
        files.extend(urls.iter().filter_map(|u| url_file_name(u)));
    }
    for f in files {
        let target = match dir {
            Some(d) if !f.starts_with('/') => format!("{d}/{f}"),
            _ => f,
        };
        consider(env, &target, program, true, out);
    }
}

/// The file name a download keeps: the URL path's last segment, without query or fragment
/// (`https://x/a/BUILD-BLUEPRINT.md?raw=1` → `BUILD-BLUEPRINT.md`); `None` for a bare host.
fn url_file_name(url: &str) -> Option<String> {
    let url = url.split(['?', '#']).next().unwrap_or(url);
    let path = match url.split_once("://") {
        Some((_, rest)) => rest.split_once('/')?.1,
        None => url,
    };
    let name = path.rsplit('/').next()?;
    (!name.is_empty()).then(|| name.to_string())
}

/// Whether a command (for `xargs` / `find -exec`) writes files it is given.
fn writer_name(words: &[String]) -> Option<String> {
    let first = words.first()?;
    let name = basename(first);
    let in_place = || {
        words[1..].iter().any(|a| {
            a.starts_with("--in-place")
                || (a.starts_with('-') && !a.starts_with("--") && a[1..].contains('i'))
        })
    };
    let writes = match name {
        "tee" | "cp" | "mv" | "install" | "ln" | "rsync" | "dd" | "touch" | "truncate"
        | "patch" => true,
        "sed" | "gsed" | "perl" | "ruby" => in_place(),
        "bash" | "sh" | "zsh" => true,
        _ => false,
    };
    writes.then(|| name.to_string())
}

fn looks_like_dir(dest: &str, cwd: Option<&Path>) -> bool {
    if dest.ends_with('/') || dest == "." || dest == ".." || dest == "~" {
        return true;
    }
    let p = Path::new(dest);
    let p = match cwd {
        Some(c) if p.is_relative() => c.join(p),
        _ => p.to_path_buf(),
    };
    p.is_dir()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn registry_names() -> Vec<String> {
        vec!["zakon-registry.json".to_string()]
    }

    fn writes(cmd: &str, names: &[String]) -> Result<Vec<Write>, Unparsable> {
        let found = scan(cmd, None, names, None);
        match found.problem {
            Some(p) => Err(p),
            None => Ok(found.writes),
        }
    }

    fn targets(cmd: &str) -> Vec<String> {
        writes(cmd, &registry_names())
            .unwrap()
            .into_iter()
            .map(|w| format!("{} {}", w.how, w.target))
            .collect()
    }

    #[test]
    fn finds_writes_into_scope() {
        for (cmd, want) in [
            ("echo x > BUILD-BLUEPRINT.md", vec!["> BUILD-BLUEPRINT.md"]),
            (
                "echo x >> docs/deploy-map.md",
                vec![">> docs/deploy-map.md"],
            ),
            ("echo x>BUILD-BLUEPRINT.md", vec!["> BUILD-BLUEPRINT.md"]),
            (
                "echo x 2> BUILD-BLUEPRINT.md",
                vec!["2> BUILD-BLUEPRINT.md"],
            ),
            (
                "echo x &> 'BUILD-BLUEPRINT.md'",
                vec!["&> BUILD-BLUEPRINT.md"],
            ),
            (
                "echo x | tee -a a/BUILD-BLUEPRINT.md",
                vec!["tee a/BUILD-BLUEPRINT.md"],
            ),
            (
                "cp /tmp/x.md svc/BUILD-BLUEPRINT.md",
                vec!["cp svc/BUILD-BLUEPRINT.md"],
            ),
            (
                "mv BUILD-BLUEPRINT.md old.md",
                vec!["mv BUILD-BLUEPRINT.md"],
            ),
            (
                "cp BUILD-BLUEPRINT.md backup/",
                vec!["cp backup//BUILD-BLUEPRINT.md"],
            ),
            (
                "sed -i 's/a/b/' BUILD-BLUEPRINT.md",
                vec!["sed -i BUILD-BLUEPRINT.md"],
            ),
            (
                "sed -i.bak -e s/a/b/ DEPLOY-MAP.md",
                vec!["sed -i DEPLOY-MAP.md"],
            ),
            (
                "perl -pi -e 's/a/b/' BUILD-BLUEPRINT.md",
                vec!["perl -i BUILD-BLUEPRINT.md"],
            ),
            (
                "cat <<EOF > BUILD-BLUEPRINT.md\nOwner: x\nEOF",
                vec!["> BUILD-BLUEPRINT.md"],
            ),
            (
                "cat > ~/system/rules/zakon-new.md <<'EOF'\nrule\nEOF\necho done",
                vec!["> ~/system/rules/zakon-new.md"],
            ),
            (
                "bash -c 'echo x > BUILD-BLUEPRINT.md'",
                vec!["> BUILD-BLUEPRINT.md"],
            ),
            ("echo $(echo x > DEPLOY-MAP.md)", vec!["> DEPLOY-MAP.md"]),
            (
                "sudo tee BUILD-BLUEPRINT.md < x",
                vec!["tee BUILD-BLUEPRINT.md"],
            ),
            (
                "dd if=x of=BUILD-BLUEPRINT.md",
                vec!["dd of= BUILD-BLUEPRINT.md"],
            ),
            ("touch build-blueprint.MD", vec!["touch build-blueprint.MD"]),
            (
                "find . -name BUILD-BLUEPRINT.md -exec sed -i s/a/b/ {} +",
                vec!["find -exec sed files found by find"],
            ),
            (
                "ls | grep -i blueprint | xargs sed -i s/a/b/",
                vec!["xargs sed files named on stdin"],
            ),
            (
                "cd svc && echo x > BUILD-BLUEPRINT.md",
                vec!["> BUILD-BLUEPRINT.md"],
            ),
            // Names built by a substitution count when they name a guarded file.
            (
                "cp x `true`BUILD-BLUEPRINT.md",
                vec!["cp `true`BUILD-BLUEPRINT.md"],
            ),
            (
                "echo x > \"$(echo deploy-map.md)\"",
                vec!["> $(echo deploy-map.md)"],
            ),
            // `\r` is a word, as in bash: this moves a file named CR onto the registry.
            ("mv \r zakon-registry.json", vec!["mv zakon-registry.json"]),
            // The script of `sudo -u x bash -lc`, and one after `--norc`, is read too.
            (
                "sudo -u me bash --norc -lc 'tee BUILD-BLUEPRINT.md'",
                vec!["tee BUILD-BLUEPRINT.md"],
            ),
            // `${x:-$(…)}` runs its command.
            (
                "echo ${X:-$(touch DEPLOY-MAP.md)}",
                vec!["touch DEPLOY-MAP.md"],
            ),
            // Stored versions and downloads.
            (
                "git checkout HEAD~1 -- app/BUILD-BLUEPRINT.md",
                vec!["git checkout app/BUILD-BLUEPRINT.md"],
            ),
            (
                "git -C svc checkout main DEPLOY-MAP.md",
                vec!["git checkout DEPLOY-MAP.md"],
            ),
            (
                "git restore --source v1.2 BUILD-BLUEPRINT.md",
                vec!["git restore BUILD-BLUEPRINT.md"],
            ),
            (
                "git restore -SW -sHEAD~2 BUILD-BLUEPRINT.md",
                vec!["git restore BUILD-BLUEPRINT.md"],
            ),
            (
                "git show HEAD~3:BUILD-BLUEPRINT.md > BUILD-BLUEPRINT.md",
                vec!["> BUILD-BLUEPRINT.md"],
            ),
            (
                "curl -fsSLo svc/BUILD-BLUEPRINT.md https://x/bp.md",
                vec!["curl svc/BUILD-BLUEPRINT.md"],
            ),
            (
                "curl --output DEPLOY-MAP.md https://x/a",
                vec!["curl DEPLOY-MAP.md"],
            ),
            (
                "curl -H 'Accept: text/plain' -O https://x/a/BUILD-BLUEPRINT.md?raw=1",
                vec!["curl BUILD-BLUEPRINT.md"],
            ),
            (
                "wget -qO ~/system/rules/zakon-x.md https://x/r",
                vec!["wget ~/system/rules/zakon-x.md"],
            ),
            (
                "wget --output-document=DEPLOY-MAP.md https://x/a",
                vec!["wget DEPLOY-MAP.md"],
            ),
            (
                "wget -P svc https://x/BUILD-BLUEPRINT.md",
                vec!["wget svc/BUILD-BLUEPRINT.md"],
            ),
        ] {
            assert!(could_write(cmd), "the byte scan missed {cmd}");
            assert_eq!(targets(cmd), want, "{cmd}");
        }
    }

    #[test]
    fn stored_versions_elsewhere_pass() {
        for cmd in [
            "git restore --staged BUILD-BLUEPRINT.md",
            "git checkout -b BUILD-BLUEPRINT.md-fix",
            "git show HEAD:BUILD-BLUEPRINT.md",
            "git log -- BUILD-BLUEPRINT.md",
            "git diff BUILD-BLUEPRINT.md",
            "curl -fsS https://x/BUILD-BLUEPRINT.md",
            "curl -o /tmp/bp.md https://x/BUILD-BLUEPRINT.md",
            "wget -O - https://x/BUILD-BLUEPRINT.md",
            "wget -qO /tmp/x https://x/BUILD-BLUEPRINT.md",
        ] {
            assert_eq!(targets(cmd), Vec::<String>::new(), "{cmd}");
        }
    }

    #[test]
    fn byte_scan_lets_only_non_writers_through() {
        for cmd in [
            "ls -la",
            "cargo build --release 2>&1",
            "cargo test 2>&1 | tail -20",
            "echo done >&2",
            "grep -rn teeth src/",
            "cat .gitignore",
            "npm run cp-assets",
            "exec 3>&-",
        ] {
            assert!(!could_write(cmd), "{cmd}");
        }
        for cmd in [
            "echo x > a",
            "echo x >&out.txt",
            "echo x &> a",
            "cargo build 2>&1 | tee build.log",
            "/usr/bin/tee a",
            "t''ee a",
            "\"c\"p a b",
            "t\\ee a",
            "te\\\ne a",
            "bash -c 'sed -i s/a/b/ x'",
            "x=$(curl -o f u)",
            "git status",
        ] {
            assert!(could_write(cmd), "{cmd}");
        }
    }

    #[test]
    fn symlinks_are_followed_only_for_writers_that_open_the_file() {
        let follow = |t: &str, through: bool| {
            (through && (t == "harmless.txt" || t.ends_with("/harmless.txt"))).then(|| Linked {
                kind: Kind::Blueprint,
                real: Some("/w/app/BUILD-BLUEPRINT.md".to_string()),
            })
        };
        let linked = |cmd: &str| -> Vec<String> {
            scan(cmd, None, &[], Some(&follow))
                .writes
                .into_iter()
                .map(|w| format!("{} {}", w.how, w.target))
                .collect()
        };
        let to = "harmless.txt → /w/app/BUILD-BLUEPRINT.md";
        for (cmd, how) in [
            ("echo x > harmless.txt", ">"),
            ("echo x | tee -a harmless.txt", "tee"),
            ("cp a harmless.txt", "cp"),
            ("sed -i s/a/b/ harmless.txt", "sed -i"),
            ("curl -o harmless.txt https://x", "curl"),
        ] {
            assert_eq!(linked(cmd), vec![format!("{how} {to}")], "{cmd}");
        }
        for cmd in [
            "mv a harmless.txt",
            "ln -sf a harmless.txt",
            "git checkout -- harmless.txt",
            "cat harmless.txt",
            "echo x > other.txt",
        ] {
            assert_eq!(linked(cmd), Vec::<String>::new(), "{cmd}");
        }
    }

    #[test]
    fn unknown_targets_need_a_guarded_name_in_the_command() {
        assert_eq!(
            targets("find . -name '*.rs' -exec sed -i s/a/b/ {} +"),
            Vec::<String>::new()
        );
        assert_eq!(targets("ls | xargs sed -i s/a/b/"), Vec::<String>::new());
    }

    #[test]
    fn leaves_reads_alone() {
        for cmd in [
            "cat BUILD-BLUEPRINT.md",
            "grep -n Owner BUILD-BLUEPRINT.md > /tmp/owners.txt",
            "cat BUILD-BLUEPRINT.md | head -5",
            "cp BUILD-BLUEPRINT.md /tmp/copy.md",
            "sed -n '/Verify/p' DEPLOY-MAP.md",
            "echo 'echo x > BUILD-BLUEPRINT.md'",
            "echo x 2>&1 BUILD-BLUEPRINT.md",
            "cat <<EOF\necho > BUILD-BLUEPRINT.md\nEOF",
            "blueprint-gate scan . > /tmp/scan.txt # BUILD-BLUEPRINT.md",
            "cat BUILD-BLUEPRINT.md > `date +%s`.log",
        ] {
            assert_eq!(targets(cmd), Vec::<String>::new(), "{cmd}");
        }
    }

    #[test]
    fn unterminated_quotes_are_errors() {
        assert!(writes("echo 'x > BUILD-BLUEPRINT.md", &[]).is_err());
        assert!(writes("echo $(x > BUILD-BLUEPRINT.md", &[]).is_err());
        // bash refuses these too (a redirection without its target).
        assert!(writes("echo x 2> <<EOF BUILD-BLUEPRINT.md", &[]).is_err());
        assert!(writes("cat BUILD-BLUEPRINT.md >", &[]).is_err());
    }

    #[test]
    fn registry_writes_are_found_and_reads_are_not() {
        let registry = |cmd: &str| -> Vec<String> {
            writes(cmd, &registry_names())
                .unwrap()
                .into_iter()
                .filter(|w| w.registry)
                .map(|w| format!("{} {}", w.how, w.target))
                .collect()
        };
        for (cmd, want) in [
            (
                "echo '{}' > ~/system/rules/zakon-registry.json",
                "> ~/system/rules/zakon-registry.json",
            ),
            (
                "sed -i 's/proposed/active/' ~/system/rules/ZAKON-Registry.json",
                "sed -i ~/system/rules/ZAKON-Registry.json",
            ),
            (
                "jq '.registry += [{}]' r.json | tee zakon-registry.json",
                "tee zakon-registry.json",
            ),
            (
                "cp /tmp/zakon-registry.json ~/system/rules/",
                "cp ~/system/rules//zakon-registry.json",
            ),
            ("mv zakon-registry.json /tmp/x", "mv zakon-registry.json"),
        ] {
            assert_eq!(registry(cmd), vec![want.to_string()], "{cmd}");
        }
        for cmd in [
            "cat ~/system/rules/zakon-registry.json",
            "jq . ~/system/rules/zakon-registry.json > /tmp/reg.json",
            "zakon-registry list --json",
            "cp ~/system/rules/zakon-registry.json /tmp/backup.json",
            "echo x > registry.json",
        ] {
            assert_eq!(registry(cmd), Vec::<String>::new(), "{cmd}");
        }
    }
}
