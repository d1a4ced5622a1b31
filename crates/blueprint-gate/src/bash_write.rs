//! Bash commands that write into scope: redirections (`>`, `>>`, `&>`, heredocs), `tee`,
//! `cp`, `mv`, `install`, `ln`, `rsync`, `sed -i`, `perl -i`, `dd of=`, `touch`,
//! `truncate`, `patch`, plus `bash -c`/`eval`/`$( )` re-parsed, and `xargs`/`find -exec`
//! writers whose files come from elsewhere. The ZAKON registry's file name counts too.
//!
//! The rule is the simplest honest one: a Bash write to an in-scope name is blocked, because
//! its resulting content cannot be checked — the agent is told to use Write/Edit. In Bash,
//! names decide scope (variables and `cd` are not evaluated), so a `zakon-*.md` target is in
//! scope in any directory. Out of reach, by design: `python -c "open(...,'w')"` and other
//! interpreters, names assembled from variables or globs.

use crate::scope::{BLUEPRINT_NAMES, is_blueprint_name, is_rule_name};
use std::path::Path;
use zakon_core::shell::{self, Heredocs, basename, program_index};

pub use zakon_core::shell::Unparsable;

/// A write into scope found in a command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Write {
    /// The target as written in the command (or a description for unknown targets).
    pub target: String,
    /// How it writes: `>`, `tee`, `sed -i`, `xargs sed`…
    pub how: String,
    /// The target is a rule file (`zakon-*.md`).
    pub rule: bool,
    /// The target is named like the ZAKON registry (`zakon-registry.json`, or the configured
    /// registry's file name).
    pub registry: bool,
}

/// What the analysis needs besides the command.
struct Env<'a> {
    /// Only to ask whether a `cp`/`mv` destination is an existing directory.
    cwd: Option<&'a Path>,
    /// Lowercased file names of the registry.
    registry_names: &'a [String],
}

/// Every in-scope write in `command`. `cwd` is used only to ask whether a `cp`/`mv`
/// destination is an existing directory; `registry_names` are the registry's lowercased file
/// names (`zakon-registry.json` and any configured one). A command that does not lex to its
/// end (an unterminated quote) is `Unparsable`: in scope that blocks (fail closed).
/// Heredoc bodies are data here: `cat <<EOF` text is not a write.
pub fn writes(
    command: &str,
    cwd: Option<&Path>,
    registry_names: &[String],
) -> Result<Vec<Write>, Unparsable> {
    let env = Env {
        cwd,
        registry_names,
    };
    let mut out = Vec::new();
    let mut commands = shell::commands(command, Heredocs::Data);
    while let Some(cmd) = commands.next() {
        if let Some(why) = commands.problem() {
            return Err(why.clone());
        }
        for r in cmd.redirects.iter().filter(|r| r.writes()) {
            consider(&env, &r.target, &r.op, &mut out);
        }
        command_writes(&cmd.words, &env, command, &mut out);
    }
    match commands.problem() {
        Some(why) => Err(why.clone()),
        None => Ok(out),
    }
}

fn consider(env: &Env<'_>, target: &str, how: &str, out: &mut Vec<Write>) {
    let name = file_name(target);
    let (mut blueprint, mut rule) = (is_blueprint_name(name), is_rule_name(name));
    let mut registry = env.registry_names.contains(&name.to_ascii_lowercase());
    // A name built by a substitution (`$(echo BUILD-BLUEPRINT.md)`, `` `x`DEPLOY-MAP.md ``)
    // cannot be known: it counts when its text names a guarded file (fail closed).
    if target.contains("$(") || target.contains('`') {
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
        });
    }
}

/// For writers whose targets are not in the command (`xargs`, `find -exec`): judged by what
/// the whole command mentions.
fn unknown_targets(env: &Env<'_>, whole: &str, target: &str, how: String) -> Write {
    let lower = whole.to_ascii_lowercase();
    Write {
        target: target.into(),
        how,
        rule: lower.contains("zakon-"),
        registry: env
            .registry_names
            .iter()
            .any(|n| lower.contains(n.as_str())),
    }
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
                consider(env, &a, "tee", out);
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
            if let Some(dest) = dest {
                consider(env, &dest, name, out);
                if target_dir.is_some() || looks_like_dir(&dest, env.cwd) {
                    for s in &sources {
                        consider(env, &format!("{dest}/{}", file_name(s)), name, out);
                    }
                }
            }
            if name == "mv" {
                // Moving a blueprint away is a write to it as well.
                for s in &sources {
                    consider(env, s, "mv", out);
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
                    consider(env, &a, "sed -i", out);
                }
            }
        }
        "perl" | "ruby" => {
            let in_place = args
                .iter()
                .any(|a| a.starts_with('-') && !a.starts_with("--") && a[1..].contains('i'));
            if in_place {
                for a in non_options(args) {
                    consider(env, &a, &format!("{name} -i"), out);
                }
            }
        }
        "awk" | "gawk" if args.iter().any(|a| a.contains("inplace")) => {
            for a in non_options(args) {
                consider(env, &a, "awk -i inplace", out);
            }
        }
        "dd" => {
            for a in args {
                if let Some(t) = a.strip_prefix("of=") {
                    consider(env, t, "dd of=", out);
                }
            }
        }
        "touch" | "truncate" | "patch" => {
            for a in non_options(args) {
                consider(env, &a, name, out);
            }
        }
        "xargs" => {
            let sub: Vec<String> = args
                .iter()
                .skip_while(|a| a.starts_with('-'))
                .cloned()
                .collect();
            if let Some(writer) = writer_name(&sub) {
                out.push(unknown_targets(
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
                        out.push(unknown_targets(
                            env,
                            whole,
                            "files found by find",
                            format!("find -exec {writer}"),
                        ));
                    }
                } else if matches!(a.as_str(), "-fprint" | "-fprintf" | "-fls")
                    && let Some(t) = it.next()
                {
                    consider(env, t, "find -fprint", out);
                }
            }
        }
        _ => {}
    }
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

    fn targets(cmd: &str) -> Vec<String> {
        writes(cmd, None, &registry_names())
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
        ] {
            assert_eq!(targets(cmd), want, "{cmd}");
        }
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
        assert!(writes("echo 'x > BUILD-BLUEPRINT.md", None, &[]).is_err());
        assert!(writes("echo $(x > BUILD-BLUEPRINT.md", None, &[]).is_err());
        // bash refuses these too (a redirection without its target).
        assert!(writes("echo x 2> <<EOF BUILD-BLUEPRINT.md", None, &[]).is_err());
        assert!(writes("cat BUILD-BLUEPRINT.md >", None, &[]).is_err());
    }

    #[test]
    fn registry_writes_are_found_and_reads_are_not() {
        let registry = |cmd: &str| -> Vec<String> {
            writes(cmd, None, &registry_names())
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
