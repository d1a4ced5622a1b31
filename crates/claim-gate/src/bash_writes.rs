//! What a Bash command line writes, and what produced the bytes it wrote: a program's output
//! (`cargo test 2>&1 | tee log`), text typed into the command (`echo … > log`, a heredoc), a
//! copy of another file (`cp`, `mv`, `install`, `cat FILE >`), an in-place edit (`sed -i`),
//! or only a new timestamp (`touch`). Split with `zakon_core::shell`; nothing runs.

use std::path::{Path, PathBuf};
use zakon_core::shell::{self, Command, Heredocs};

/// Commands that print their own arguments: what they write was typed by the agent.
const PRINTERS: &[&str] = &["echo", "printf", ":", "true", "yes"];

/// Commands whose output is their input, filtered or passed through: what they write comes
/// from their stdin (a pipe, a heredoc, a `<` file) or, for the first group, the files they
/// are given.
const PASSERS: &[&str] = &["cat", "tac", "head", "tail", "sort", "uniq", "tee"];
const FILTERS: &[&str] = &[
    "sed", "awk", "gawk", "mawk", "tr", "grep", "egrep", "fgrep", "cut", "column", "fold", "fmt",
    "rev", "nl", "paste", "expand", "unexpand", "iconv", "base64", "xxd", "jq", "perl",
];

/// Shell keywords that open a compound command: they produce nothing themselves.
const KEYWORDS: &[&str] = &[
    "for", "in", "case", "esac", "select", "function", "read", "}", "{", "then", "do",
];

/// Options that name the file a program writes its output to (`curl -o F`, `wget -O F`,
/// `pytest --junitxml=F`, `jest --outputFile=F`…).
const OUTPUT_FLAGS: &[&str] = &[
    "-o",
    "--output",
    "--output-file",
    "--output-document",
    "--outputFile",
    "--junitxml",
    "--junit-xml",
    "--log-file",
    "--logfile",
    "--report-file",
    "--result-file",
    "--json-report-file",
];

/// Copy commands: the last operand (or `-t DIR`) receives the others.
const COPIERS: &[&str] = &["cp", "mv", "install", "rsync"];

/// Options of the copiers that take a value (skipped when finding operands).
const COPIER_VALUE_FLAGS: &[&str] = &["-m", "-o", "-g", "-S", "--mode", "--owner", "--group"];

/// What produced the bytes of a write.
#[derive(Debug, Clone, PartialEq)]
pub enum Content {
    /// A program's output.
    Program,
    /// Text typed into the command itself: `echo`, `printf`, a heredoc, a here-string.
    Typed,
    /// A copy of this file.
    CopyOf(PathBuf),
    /// Edited in place by a script (`sed -i`, `perl -pi`): changed by hand.
    EditedInPlace,
    /// Only the modification time changed (`touch`).
    Touched,
}

/// One file a command line writes.
#[derive(Debug, Clone, PartialEq)]
pub struct Write {
    pub target: PathBuf,
    /// `>>`, `tee -a`: earlier content stays.
    pub append: bool,
    pub content: Content,
}

/// Every file `line` writes, in the order it writes them. Relative paths resolve against
/// `cwd` as changed by `cd` in the line itself.
pub fn writes(line: &str, home: &Path, cwd: Option<&Path>) -> Vec<Write> {
    let cmds: Vec<Command> = shell::commands(line, Heredocs::Data).collect();
    let mut dir: Option<PathBuf> = cwd.map(Path::to_path_buf);
    let mut out = Vec::new();
    for i in 0..cmds.len() {
        let c = &cmds[i];
        let base = dir.clone();
        let resolve = |w: &str| zakon_core::paths::resolve(w, home, base.as_deref());
        let prog = shell::program_index(&c.words);
        let name = prog.map_or("", |k| shell::basename(&c.words[k]));
        let args: &[String] = prog.map_or(&[], |k| &c.words[k + 1..]);
        for r in c.redirects.iter().filter(|r| r.writes()) {
            if r.target.starts_with("/dev/") || r.target.starts_with('&') {
                continue;
            }
            out.push(Write {
                target: resolve(&r.target),
                append: r.op.contains(">>"),
                content: stdout_of(&cmds, i, home, base.as_deref()),
            });
        }
        match name {
            "cd" | "pushd" => {
                dir = match args.iter().find(|a| !a.starts_with('-')) {
                    Some(a) => Some(resolve(a)),
                    None => Some(home.to_path_buf()),
                };
            }
            "tee" => {
                let append = args.iter().any(|a| {
                    a == "--append"
                        || (a.starts_with('-') && !a.starts_with("--") && a.contains('a'))
                });
                let content = stdin_of(&cmds, i, home, base.as_deref());
                for a in args.iter().filter(|a| !a.starts_with('-')) {
                    out.push(Write {
                        target: resolve(a),
                        append,
                        content: content.clone(),
                    });
                }
            }
            "touch" => {
                for a in args.iter().filter(|a| !a.starts_with('-')) {
                    out.push(Write {
                        target: resolve(a),
                        append: true,
                        content: Content::Touched,
                    });
                }
            }
            n if COPIERS.contains(&n) => out.extend(copies(args, &resolve)),
            n if in_place(n, args) => {
                for a in args.iter().filter(|a| !a.starts_with('-')) {
                    out.push(Write {
                        target: resolve(a),
                        append: false,
                        content: Content::EditedInPlace,
                    });
                }
            }
            "" => {}
            n if !PRINTERS.contains(&n) => {
                for target in output_flag_values(args) {
                    out.push(Write {
                        target: resolve(&target),
                        append: false,
                        content: Content::Program,
                    });
                }
            }
            _ => {}
        }
    }
    out
}

/// `sed -i`, `sed --in-place`, `perl -pi -e`: edits the named files in place. Every operand is
/// reported (the script too): only a path that is cited can match.
fn in_place(name: &str, args: &[String]) -> bool {
    matches!(name, "sed" | "perl" | "ruby")
        && args.iter().any(|a| {
            a.starts_with("--in-place")
                || (a.starts_with('-') && !a.starts_with("--") && a.contains('i'))
        })
}

/// The values of output options: `-o F`, `-oF`, `--output F`, `--output=F`.
fn output_flag_values(args: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    for (k, a) in args.iter().enumerate() {
        if let Some((flag, value)) = a.split_once('=')
            && OUTPUT_FLAGS.contains(&flag)
        {
            out.push(value.to_string());
        } else if OUTPUT_FLAGS.contains(&a.as_str()) || a == "-O" {
            if let Some(v) = args.get(k + 1).filter(|v| !v.starts_with('-')) {
                out.push(v.clone());
            }
        } else if let Some(v) = a.strip_prefix("-o").filter(|v| v.starts_with('/')) {
            out.push(v.to_string());
        }
    }
    out
}

/// `cp [-r] SRC… DEST`, `cp -t DIR SRC…`, `install -m 644 SRC DEST`, `mv`, `rsync`. A single
/// source may land at DEST or inside it (DEST an existing directory): both are reported, and
/// only the one that is cited matches.
fn copies(args: &[String], resolve: &dyn Fn(&str) -> PathBuf) -> Vec<Write> {
    let mut operands: Vec<&str> = Vec::new();
    let mut target_dir: Option<&str> = None;
    let mut k = 0;
    while k < args.len() {
        let a = args[k].as_str();
        if a == "-t" || a == "--target-directory" {
            target_dir = args.get(k + 1).map(String::as_str);
            k += 2;
            continue;
        }
        if let Some(d) = a.strip_prefix("--target-directory=") {
            target_dir = Some(d);
        } else if COPIER_VALUE_FLAGS.contains(&a) {
            k += 1;
        } else if !a.starts_with('-') {
            operands.push(a);
        }
        k += 1;
    }
    let (sources, dest, into_dir) = match target_dir {
        Some(d) => (&operands[..], d, true),
        None => match operands.split_last() {
            Some((d, s)) if !s.is_empty() => (s, *d, s.len() > 1 || d.ends_with('/')),
            _ => return Vec::new(),
        },
    };
    let dest = resolve(dest);
    let mut out = Vec::new();
    for s in sources {
        let src = resolve(s);
        let name = src.file_name().map(PathBuf::from);
        if let Some(n) = name {
            out.push(Write {
                target: dest.join(n),
                append: false,
                content: Content::CopyOf(src.clone()),
            });
        }
        if !into_dir {
            out.push(Write {
                target: dest.clone(),
                append: false,
                content: Content::CopyOf(src),
            });
        }
    }
    out
}

/// What command `i` writes to its stdout.
fn stdout_of(cmds: &[Command], i: usize, home: &Path, cwd: Option<&Path>) -> Content {
    let c = &cmds[i];
    let Some(k) = shell::program_index(&c.words) else {
        // `(a; b) > f`, `for …; do …; done > f`: the group before it.
        return group(cmds, i, home, cwd);
    };
    let name = shell::basename(&c.words[k]);
    if name == "}" {
        return group(cmds, i, home, cwd);
    }
    if PRINTERS.contains(&name) {
        return printed(cmds, i, k);
    }
    let passer = PASSERS.contains(&name);
    if passer || FILTERS.contains(&name) {
        let operands: Vec<&String> = c.words[k + 1..]
            .iter()
            .filter(|w| !w.starts_with('-'))
            .collect();
        // `cat x.log > f` copies x.log; `grep PASS x.log > f` is a program's view of it.
        if passer && name != "tee" && !operands.is_empty() {
            return Content::CopyOf(zakon_core::paths::resolve(operands[0], home, cwd));
        }
        return stdin_of(cmds, i, home, cwd);
    }
    Content::Program
}

/// What command `i` reads on stdin: a heredoc or here-string (typed), a `<` file (a copy), the
/// previous command of its pipeline, or nothing (typed: an empty or interactive input).
fn stdin_of(cmds: &[Command], i: usize, home: &Path, cwd: Option<&Path>) -> Content {
    let c = &cmds[i];
    if c.heredoc || c.redirects.iter().any(|r| r.op == "<<<") {
        return Content::Typed;
    }
    if let Some(r) = c.redirects.iter().find(|r| r.op == "<") {
        return Content::CopyOf(zakon_core::paths::resolve(&r.target, home, cwd));
    }
    if c.piped
        && let Some(p) = (0..i).rev().find(|&j| cmds[j].depth == c.depth)
    {
        return stdout_of(cmds, p, home, cwd);
    }
    Content::Typed
}

/// `echo "$(cargo test 2>&1)" > f` writes what the substitution printed; any other `echo` or
/// `printf` writes typed text.
fn printed(cmds: &[Command], i: usize, k: usize) -> Content {
    let c = &cmds[i];
    let args: Vec<&String> = c.words[k + 1..]
        .iter()
        .filter(|w| !w.starts_with('-'))
        .collect();
    let only_substitutions = !args.is_empty()
        && args.iter().all(|w| {
            (w.starts_with("$(") && w.ends_with(')')) || (w.starts_with('`') && w.ends_with('`'))
        });
    if !only_substitutions {
        return Content::Typed;
    }
    // The substitutions' commands come right before the command, one level deeper.
    let inner = cmds[..i]
        .iter()
        .rev()
        .take_while(|n| n.depth > c.depth)
        .any(runs_program);
    if inner {
        Content::Program
    } else {
        Content::Typed
    }
}

/// The commands of the group a redirect-only command closes: back to `{` for `{ …; } > f`,
/// else every earlier command at its depth. A program among them makes it a program's output.
fn group(cmds: &[Command], i: usize, home: &Path, cwd: Option<&Path>) -> Content {
    let depth = cmds[i].depth;
    let mut copy = None;
    for c in cmds[..i].iter().rev().filter(|c| c.depth == depth) {
        if runs_program(c) {
            return Content::Program;
        }
        if copy.is_none()
            && let Some(r) = c.redirects.iter().find(|r| r.op == "<")
        {
            copy = Some(Content::CopyOf(zakon_core::paths::resolve(
                &r.target, home, cwd,
            )));
        }
        if c.words.first().is_some_and(|w| w == "{") {
            break;
        }
    }
    copy.unwrap_or(Content::Typed)
}

/// Runs something that is neither a printer, a passer or filter, nor a shell keyword.
fn runs_program(c: &Command) -> bool {
    let Some(k) = shell::program_index(&c.words) else {
        return false;
    };
    let name = shell::basename(&c.words[k]);
    !(PRINTERS.contains(&name)
        || PASSERS.contains(&name)
        || FILTERS.contains(&name)
        || KEYWORDS.contains(&name)
        || name == "cd")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn show(line: &str) -> Vec<String> {
        writes(line, Path::new("/home/u"), Some(Path::new("/p")))
            .into_iter()
            .map(|w| {
                let how = match &w.content {
                    Content::Program => "program".to_string(),
                    Content::Typed => "typed".to_string(),
                    Content::CopyOf(p) => format!("copy {}", p.display()),
                    Content::EditedInPlace => "edited".to_string(),
                    Content::Touched => "touched".to_string(),
                };
                format!(
                    "{}{} {how}",
                    w.target.display(),
                    if w.append { " +" } else { "" }
                )
            })
            .collect()
    }

    #[test]
    fn finds_each_write_and_what_produced_it() {
        let e = "/tmp/evidence-7/test.log";
        for (line, want) in [
            (
                "cargo test 2>&1 | tee /tmp/evidence-7/test.log",
                vec![format!("{e} program")],
            ),
            (
                "cargo test > /tmp/evidence-7/test.log 2>&1",
                vec![format!("{e} program")],
            ),
            (
                "cargo test 2>&1 | grep -v warn | tee -a /tmp/evidence-7/test.log",
                vec![format!("{e} + program")],
            ),
            (
                "echo 'test result: ok. 48 passed; 0 failed' > /tmp/evidence-7/test.log",
                vec![format!("{e} typed")],
            ),
            (
                "printf '48 passed\\n' | tee /tmp/evidence-7/test.log",
                vec![format!("{e} typed")],
            ),
            (
                "echo '48 passed' | sed s/4/5/ > /tmp/evidence-7/test.log",
                vec![format!("{e} typed")],
            ),
            (
                "cat > /tmp/evidence-7/test.log <<'EOF'\ntest result: ok\nEOF",
                vec![format!("{e} typed")],
            ),
            (
                "tee /tmp/evidence-7/test.log <<< 'all passed'",
                vec![format!("{e} typed")],
            ),
            (
                "{ echo a; echo b; } > /tmp/evidence-7/test.log",
                vec![format!("{e} typed")],
            ),
            (
                "{ echo start; cargo test; } > /tmp/evidence-7/test.log",
                vec![format!("{e} program")],
            ),
            (
                "for i in 1 2; do echo ok $i; done > /tmp/evidence-7/test.log",
                vec![format!("{e} typed")],
            ),
            (
                "echo \"$(cargo test 2>&1)\" > /tmp/evidence-7/test.log",
                vec![format!("{e} program")],
            ),
            (
                "echo \"$(date) 48 passed\" > /tmp/evidence-7/test.log",
                vec![format!("{e} typed")],
            ),
            (
                "cd /tmp/evidence-7 && npm test > test.log",
                vec![format!("{e} program")],
            ),
            (
                "cat /p/out.log > /tmp/evidence-7/test.log",
                vec![format!("{e} copy /p/out.log")],
            ),
            (
                "cp out.log /tmp/evidence-7/test.log",
                vec![
                    "/tmp/evidence-7/test.log/out.log copy /p/out.log".to_string(),
                    format!("{e} copy /p/out.log"),
                ],
            ),
            (
                "cp -r a.log b.log /tmp/evidence-7/",
                vec![
                    "/tmp/evidence-7/a.log copy /p/a.log".to_string(),
                    "/tmp/evidence-7/b.log copy /p/b.log".to_string(),
                ],
            ),
            (
                "install -m 644 -D r.txt /tmp/evidence-7/test.log",
                vec![
                    "/tmp/evidence-7/test.log/r.txt copy /p/r.txt".to_string(),
                    format!("{e} copy /p/r.txt"),
                ],
            ),
            (
                "curl -sS -o /tmp/evidence-7/test.log https://x",
                vec![format!("{e} program")],
            ),
            (
                "curl -sS --output=/tmp/evidence-7/test.log https://x",
                vec![format!("{e} program")],
            ),
            (
                "wget -q -O /tmp/evidence-7/test.log https://x",
                vec![format!("{e} program")],
            ),
            (
                "python -m pytest --junitxml=/tmp/evidence-7/test.log",
                vec![format!("{e} program")],
            ),
            (
                "sed -i 's/FAILED/ok/' /tmp/evidence-7/test.log",
                vec!["/p/s/FAILED/ok edited".to_string(), format!("{e} edited")],
            ),
            (
                "touch /tmp/evidence-7/test.log",
                vec![format!("{e} + touched")],
            ),
            ("cargo test 2>&1 > /dev/null; ls /tmp/evidence-7", vec![]),
            ("echo done >&2", vec![]),
        ] {
            assert_eq!(show(line), want, "{line:?}");
        }
    }
}
