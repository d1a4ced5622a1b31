//! Every `--help` page of every binary and subcommand states each default once, on the
//! option or argument it belongs to: no `[default: x] [default: x]` (a doc comment repeating
//! what clap prints), and no default in a command's description that could contradict the
//! option's own (as `zakon hooks uninstall` once said two different things about --bin-dir).

mod support;
use support::*;

/// The subcommands a help page lists (without `help`).
fn subcommands(help: &str) -> Vec<String> {
    let Some(at) = help.find("\nCommands:\n") else {
        return Vec::new();
    };
    help[at + 11..]
        .lines()
        .take_while(|l| !l.trim().is_empty())
        .filter(|l| l.starts_with("  ") && !l.starts_with("   "))
        .filter_map(|l| l.split_whitespace().next())
        .filter(|w| *w != "help")
        .map(String::from)
        .collect()
}

fn check(
    sb: &Sandbox,
    bin: &str,
    path: &mut Vec<String>,
    problems: &mut Vec<String>,
    pages: &mut usize,
) {
    let mut args: Vec<&str> = path.iter().map(String::as_str).collect();
    args.push("--help");
    let out = sb.run(bin, &args, b"", &[]);
    let help = stdout(&out);
    assert_eq!(code(&out), 0, "{bin} {args:?}: {}", stderr(&out));
    *pages += 1;
    let name = format!("{bin} {}", path.join(" "));
    for line in help.lines() {
        let n = line.matches("[default").count();
        let t = line.trim_start();
        let is_arg = line.starts_with("  ")
            && (t.starts_with('-') || t.starts_with('[') || t.starts_with('<'));
        if n > 1 {
            problems.push(format!("{name}: default stated twice: {line}"));
        } else if n == 1 && !is_arg {
            problems.push(format!("{name}: a default outside an option line: {line}"));
        }
    }
    for sub in subcommands(&help) {
        path.push(sub);
        check(sb, bin, path, problems, pages);
        path.pop();
    }
}

#[test]
fn every_help_page_states_each_default_once() {
    let sb = Sandbox::new("help-defaults");
    let (mut problems, mut pages) = (Vec::new(), 0);
    for bin in BINS {
        check(&sb, bin, &mut Vec::new(), &mut problems, &mut pages);
    }
    // The walk reached the nested commands (zakon hooks uninstall, zakon managed install).
    assert!(pages >= 25, "only {pages} help pages");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
