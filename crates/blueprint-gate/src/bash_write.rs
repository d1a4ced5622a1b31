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

use crate::scope::{is_blueprint_name, is_rule_name};
use std::path::Path;

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

/// Why a command could not be analysed; in scope this blocks (fail closed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unparsable(pub String);

const MAX_DEPTH: usize = 6;

/// What the analysis needs besides the command.
struct Env<'a> {
    /// Only to ask whether a `cp`/`mv` destination is an existing directory.
    cwd: Option<&'a Path>,
    /// Lowercased file names of the registry.
    registry_names: &'a [String],
}

/// Every in-scope write in `command`. `cwd` is used only to ask whether a `cp`/`mv`
/// destination is an existing directory; `registry_names` are the registry's lowercased file
/// names (`zakon-registry.json` and any configured one).
pub fn writes(
    command: &str,
    cwd: Option<&Path>,
    registry_names: &[String],
) -> Result<Vec<Write>, Unparsable> {
    let mut out = Vec::new();
    let env = Env {
        cwd,
        registry_names,
    };
    analyse(command, &env, 0, &mut out)?;
    Ok(out)
}

fn analyse(
    command: &str,
    env: &Env<'_>,
    depth: usize,
    out: &mut Vec<Write>,
) -> Result<(), Unparsable> {
    if depth > MAX_DEPTH {
        return Err(Unparsable("command substitutions nested too deeply".into()));
    }
    let lexed = lex(command)?;
    for inner in &lexed.substitutions {
        analyse(inner, env, depth + 1, out)?;
    }
    for cmd in split_commands(&lexed.tokens) {
        for (op, target) in &cmd.redirects {
            consider(env, target, op, out);
        }
        command_writes(&cmd.words, env, depth, command, out)?;
    }
    Ok(())
}

fn consider(env: &Env<'_>, target: &str, how: &str, out: &mut Vec<Write>) {
    let name = file_name(target);
    let (blueprint, rule) = (is_blueprint_name(name), is_rule_name(name));
    let registry = env.registry_names.contains(&name.to_ascii_lowercase());
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

const WRAPPERS: [&str; 10] = [
    "sudo", "doas", "env", "command", "builtin", "exec", "nohup", "time", "nice", "stdbuf",
];

fn command_writes(
    words: &[String],
    env: &Env<'_>,
    depth: usize,
    whole: &str,
    out: &mut Vec<Write>,
) -> Result<(), Unparsable> {
    let mut i = 0;
    // Assignments and wrappers before the real command.
    while i < words.len() {
        let w = &words[i];
        let is_assignment = w.split_once('=').is_some_and(|(k, _)| {
            !k.is_empty() && k.chars().all(|c| c.is_alphanumeric() || c == '_')
        });
        if is_assignment {
            i += 1;
        } else if WRAPPERS.contains(&base(w)) || base(w) == "timeout" {
            let takes_value = matches!(base(w), "sudo" | "doas" | "nice" | "timeout");
            let was_timeout = base(w) == "timeout";
            i += 1;
            while i < words.len() && words[i].starts_with('-') {
                let flag = words[i].clone();
                i += 1;
                if takes_value && matches!(flag.as_str(), "-u" | "-g" | "-n" | "-s" | "-k") {
                    i += 1;
                }
            }
            if was_timeout && i < words.len() {
                i += 1; // the duration
            }
        } else {
            break;
        }
    }
    let Some(cmd) = words.get(i) else {
        return Ok(());
    };
    let args = &words[i + 1..];
    let name = base(cmd);
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
        "bash" | "sh" | "zsh" | "dash" | "ksh" => {
            if let Some(pos) = args
                .iter()
                .position(|a| a.starts_with('-') && a.contains('c'))
                && let Some(script) = args.get(pos + 1)
            {
                analyse(script, env, depth + 1, out)?;
            }
        }
        "eval" => analyse(&args.join(" "), env, depth + 1, out)?,
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
    Ok(())
}

/// Whether a command (for `xargs` / `find -exec`) writes files it is given.
fn writer_name(words: &[String]) -> Option<String> {
    let first = words.first()?;
    let name = base(first);
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

fn base(word: &str) -> &str {
    word.rsplit('/').next().unwrap_or(word)
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

// ---------------------------------------------------------------------------------------
// A small shell lexer: enough of POSIX sh / bash quoting to find words, operators,
// redirections, heredoc bodies and command substitutions.

#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    Word(String),
    /// `;`, `&&`, `||`, `|`, `|&`, `&`, newline, `(`, `)`.
    Control,
    /// A redirection operator (`>`, `>>`, `2>`, `&>`, `<<`…).
    Redirect(String),
}

struct Lexed {
    tokens: Vec<Token>,
    /// The text inside `$( )`, backticks and `<( )` / `>( )`, analysed as commands too.
    substitutions: Vec<String>,
}

struct SimpleCommand {
    words: Vec<String>,
    redirects: Vec<(String, String)>,
}

fn split_commands(tokens: &[Token]) -> Vec<SimpleCommand> {
    let mut out = Vec::new();
    let mut cur = SimpleCommand {
        words: Vec::new(),
        redirects: Vec::new(),
    };
    let mut it = tokens.iter().peekable();
    while let Some(t) = it.next() {
        match t {
            Token::Control => {
                out.push(std::mem::replace(
                    &mut cur,
                    SimpleCommand {
                        words: Vec::new(),
                        redirects: Vec::new(),
                    },
                ));
            }
            Token::Redirect(op) => {
                if let Some(Token::Word(target)) = it.peek() {
                    let writes = op.contains('>')
                        && !(op.ends_with(">&") && is_fd(target))
                        && !op.starts_with('<');
                    let writes = writes || op.ends_with("<>");
                    if writes {
                        cur.redirects.push((op.clone(), target.clone()));
                    }
                    it.next();
                }
            }
            Token::Word(w) => cur.words.push(w.clone()),
        }
    }
    out.push(cur);
    out
}

fn is_fd(w: &str) -> bool {
    w == "-" || (!w.is_empty() && w.bytes().all(|b| b.is_ascii_digit()))
}

fn lex(src: &str) -> Result<Lexed, Unparsable> {
    let chars: Vec<char> = src.chars().collect();
    let mut tokens = Vec::new();
    let mut subs = Vec::new();
    let mut heredocs: Vec<(String, bool)> = Vec::new();
    let mut i = 0;
    let mut word = String::new();
    let mut in_word = false;
    let flush = |word: &mut String, in_word: &mut bool, tokens: &mut Vec<Token>| {
        if *in_word {
            tokens.push(Token::Word(std::mem::take(word)));
            *in_word = false;
        }
    };
    while i < chars.len() {
        let c = chars[i];
        match c {
            ' ' | '\t' => {
                flush(&mut word, &mut in_word, &mut tokens);
                i += 1;
            }
            '\n' => {
                flush(&mut word, &mut in_word, &mut tokens);
                tokens.push(Token::Control);
                i += 1;
                // Heredoc bodies follow the line that opened them; they are data, not commands.
                for (delim, strip_tabs) in heredocs.drain(..) {
                    loop {
                        if i >= chars.len() {
                            break;
                        }
                        let end = chars[i..]
                            .iter()
                            .position(|&c| c == '\n')
                            .map_or(chars.len(), |p| i + p);
                        let line: String = chars[i..end].iter().collect();
                        i = (end + 1).min(chars.len().max(end + 1));
                        let line = if strip_tabs {
                            line.trim_start_matches('\t').to_string()
                        } else {
                            line
                        };
                        if line == delim {
                            break;
                        }
                    }
                }
            }
            '#' if !in_word => {
                while i < chars.len() && chars[i] != '\n' {
                    i += 1;
                }
            }
            ';' | '(' | ')' => {
                flush(&mut word, &mut in_word, &mut tokens);
                tokens.push(Token::Control);
                i += 1;
            }
            '|' => {
                flush(&mut word, &mut in_word, &mut tokens);
                tokens.push(Token::Control);
                i += if matches!(chars.get(i + 1), Some('|') | Some('&')) {
                    2
                } else {
                    1
                };
            }
            '&' => {
                if chars.get(i + 1) == Some(&'>') {
                    flush(&mut word, &mut in_word, &mut tokens);
                    let op = if chars.get(i + 2) == Some(&'>') {
                        "&>>"
                    } else {
                        "&>"
                    };
                    i += op.len();
                    tokens.push(Token::Redirect(op.into()));
                } else {
                    flush(&mut word, &mut in_word, &mut tokens);
                    tokens.push(Token::Control);
                    i += if chars.get(i + 1) == Some(&'&') { 2 } else { 1 };
                }
            }
            '<' | '>' if chars.get(i + 1) == Some(&'(') => {
                // Process substitution: a command, and part of a word.
                let (inner, next) = balanced(&chars, i + 2)?;
                subs.push(inner);
                word.push_str("/dev/fd/63");
                in_word = true;
                i = next;
            }
            '<' | '>' => {
                // A word of digits right before the operator is its fd (`2>`).
                let mut op = String::new();
                if in_word && !word.is_empty() && word.bytes().all(|b| b.is_ascii_digit()) {
                    op.push_str(&std::mem::take(&mut word));
                    in_word = false;
                } else {
                    flush(&mut word, &mut in_word, &mut tokens);
                }
                let rest: String = chars[i..(i + 3).min(chars.len())].iter().collect();
                let sym = ["<<<", "<<-", "<<", ">>", ">|", ">&", "<&", "<>", ">", "<"]
                    .into_iter()
                    .find(|s| rest.starts_with(s))
                    .unwrap_or(">");
                i += sym.len();
                op.push_str(sym);
                if sym == "<<" || sym == "<<-" {
                    // The delimiter word; quoting it only changes expansion, not the end line.
                    while i < chars.len() && (chars[i] == ' ' || chars[i] == '\t') {
                        i += 1;
                    }
                    let (delim, next) = read_word(&chars, i, &mut subs)?;
                    heredocs.push((delim, sym == "<<-"));
                    i = next;
                    continue;
                }
                tokens.push(Token::Redirect(op));
            }
            _ => {
                let (w, next) = read_word(&chars, i, &mut subs)?;
                word.push_str(&w);
                in_word = true;
                i = next;
            }
        }
    }
    flush(&mut word, &mut in_word, &mut tokens);
    Ok(Lexed {
        tokens,
        substitutions: subs,
    })
}

fn is_word_end(c: char) -> bool {
    matches!(
        c,
        ' ' | '\t' | '\n' | ';' | '&' | '|' | '<' | '>' | '(' | ')'
    )
}

/// Reads one word (quotes removed, substitutions kept as text and recorded) from `i`.
fn read_word(
    chars: &[char],
    mut i: usize,
    subs: &mut Vec<String>,
) -> Result<(String, usize), Unparsable> {
    let mut w = String::new();
    while i < chars.len() && !is_word_end(chars[i]) {
        match chars[i] {
            '\\' => {
                if let Some(&n) = chars.get(i + 1)
                    && n != '\n'
                {
                    w.push(n);
                }
                i += 2;
            }
            '\'' => {
                let end = chars[i + 1..]
                    .iter()
                    .position(|&c| c == '\'')
                    .ok_or_else(|| Unparsable("unterminated single quote".into()))?;
                w.extend(&chars[i + 1..i + 1 + end]);
                i += end + 2;
            }
            '"' => {
                i += 1;
                loop {
                    match chars.get(i) {
                        None => return Err(Unparsable("unterminated double quote".into())),
                        Some('"') => {
                            i += 1;
                            break;
                        }
                        Some('\\') => {
                            if let Some(&n) = chars.get(i + 1) {
                                if !matches!(n, '"' | '\\' | '$' | '`') {
                                    w.push('\\');
                                }
                                w.push(n);
                            }
                            i += 2;
                        }
                        Some('$') if chars.get(i + 1) == Some(&'(') => {
                            let (inner, next) = balanced(chars, i + 2)?;
                            w.push_str(&format!("$({inner})"));
                            subs.push(inner);
                            i = next;
                        }
                        Some('`') => {
                            let (inner, next) = backtick(chars, i + 1)?;
                            subs.push(inner);
                            i = next;
                        }
                        Some(&c) => {
                            w.push(c);
                            i += 1;
                        }
                    }
                }
            }
            '$' if chars.get(i + 1) == Some(&'(') => {
                let (inner, next) = balanced(chars, i + 2)?;
                w.push_str(&format!("$({inner})"));
                subs.push(inner);
                i = next;
            }
            '$' if chars.get(i + 1) == Some(&'{') => {
                let end = chars[i..]
                    .iter()
                    .position(|&c| c == '}')
                    .ok_or_else(|| Unparsable("unterminated ${".into()))?;
                w.extend(&chars[i..i + end + 1]);
                i += end + 1;
            }
            '$' if chars.get(i + 1) == Some(&'\'') => {
                let end = chars[i + 2..]
                    .iter()
                    .position(|&c| c == '\'')
                    .ok_or_else(|| Unparsable("unterminated $' quote".into()))?;
                w.extend(&chars[i + 2..i + 2 + end]);
                i += end + 3;
            }
            '`' => {
                let (inner, next) = backtick(chars, i + 1)?;
                subs.push(inner);
                i = next;
            }
            c => {
                w.push(c);
                i += 1;
            }
        }
    }
    Ok((w, i))
}

/// The text up to the `)` that closes a `(` opened just before `start`, quote-aware.
fn balanced(chars: &[char], start: usize) -> Result<(String, usize), Unparsable> {
    let mut depth = 1;
    let mut i = start;
    let mut quote: Option<char> = None;
    while i < chars.len() {
        let c = chars[i];
        match quote {
            Some(q) => {
                if c == '\\' && q == '"' {
                    i += 1;
                } else if c == q {
                    quote = None;
                }
            }
            None => match c {
                '\\' => i += 1,
                '\'' | '"' => quote = Some(c),
                '(' => depth += 1,
                ')' => {
                    depth -= 1;
                    if depth == 0 {
                        return Ok((chars[start..i].iter().collect(), i + 1));
                    }
                }
                _ => {}
            },
        }
        i += 1;
    }
    Err(Unparsable("unterminated $( or ( )".into()))
}

fn backtick(chars: &[char], start: usize) -> Result<(String, usize), Unparsable> {
    let mut i = start;
    let mut inner = String::new();
    while i < chars.len() {
        match chars[i] {
            '\\' if i + 1 < chars.len() => {
                inner.push(chars[i + 1]);
                i += 2;
            }
            '`' => return Ok((inner, i + 1)),
            c => {
                inner.push(c);
                i += 1;
            }
        }
    }
    Err(Unparsable("unterminated backtick".into()))
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
        ] {
            assert_eq!(targets(cmd), Vec::<String>::new(), "{cmd}");
        }
    }

    #[test]
    fn unterminated_quotes_are_errors() {
        assert!(writes("echo 'x > BUILD-BLUEPRINT.md", None, &[]).is_err());
        assert!(writes("echo $(x > BUILD-BLUEPRINT.md", None, &[]).is_err());
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
