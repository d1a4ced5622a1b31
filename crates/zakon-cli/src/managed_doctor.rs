//! `zakon doctor --managed`: checks a managed install link by link — ownership and mode of
//! every file and directory the gates trust, the drop-in's `allowManagedHooksOnly` and env
//! pins, other managed files that could undo them, and the `env` keys of user and project
//! settings that reach the gates. Exit 1 on any ✘.

use crate::managed::{self, pinned_env};
use crate::registration::BINARIES;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use zakon_core::mode;

/// Settings `env` keys that reach a gate, and what managed mode does about each.
const REACHING: [(&str, &str); 9] = [
    ("LD_PRELOAD", "pinned"),
    ("LD_AUDIT", "pinned"),
    ("LD_LIBRARY_PATH", "pinned"),
    ("ZAKON_CONFIG", "pinned"),
    ("ZAKON_REGISTRY", "pinned"),
    (
        "HOME",
        "ignored: the gates take the home from the password database",
    ),
    (
        "BLUEPRINT_OVERRIDE",
        "needs root's approval file /etc/zakon/approvals/<id> in managed mode",
    ),
    (
        mode::ROOT_ENV,
        "ignored while /etc/zakon/config.json exists",
    ),
    (
        "TMPDIR",
        "moves claim-gate's per-session dedup cache (a repeat still blocks)",
    ),
];

struct Row {
    ok: bool,
    warn: bool,
    what: String,
    fix: Option<String>,
}

fn pass(what: String) -> Row {
    Row {
        ok: true,
        warn: false,
        what,
        fix: None,
    }
}
fn warn(what: String) -> Row {
    Row {
        ok: true,
        warn: true,
        what,
        fix: None,
    }
}
fn fail(what: String, fix: String) -> Row {
    Row {
        ok: false,
        warn: false,
        what,
        fix: Some(fix),
    }
}

pub fn run(root: Option<&Path>, project: Option<&Path>) -> ExitCode {
    let root = root.unwrap_or(Path::new("/"));
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("/"));
    let project = project.unwrap_or(&cwd);
    zakon_core::outln!("zakon doctor --managed: root {}", root.display());
    let mut rows = Vec::new();
    chain(root, &mut rows);
    let drop = drop_in(root, &mut rows);
    others(root, &mut rows);
    match zakon_core::mode::Managed::at(root).home() {
        Ok(h) => user_env(&h, project, drop.as_ref(), &mut rows),
        // A staging tree need not hold a passwd file: check this user's settings instead.
        Err(e) if root != Path::new("/") => {
            rows.push(warn(format!(
                "{e}; checking {} instead",
                crate::home().display()
            )));
            user_env(&crate::home(), project, drop.as_ref(), &mut rows)
        }
        Err(e) => rows.push(fail(
            format!("home: {e}"),
            "add the user to the password database".into(),
        )),
    }
    zakon_core::outln!();
    for r in &rows {
        let mark = if !r.ok {
            "✘"
        } else if r.warn {
            "⚠"
        } else {
            "✔"
        };
        zakon_core::outln!("  {mark}  {}", r.what);
        if let Some(fix) = &r.fix {
            zakon_core::outln!("       fix: {fix}");
        }
    }
    let failed = rows.iter().filter(|r| !r.ok).count();
    zakon_core::outln!();
    if failed == 0 {
        zakon_core::outln!("All {} managed checks passed.", rows.len());
        ExitCode::SUCCESS
    } else {
        zakon_core::outln!("{failed} of {} managed checks failed (✘).", rows.len());
        ExitCode::from(1)
    }
}

/// Every file the gates trust, and each directory above it: root-owned, not writable by
/// group or others.
fn chain(root: &Path, rows: &mut Vec<Row>) {
    let mut files: Vec<(PathBuf, bool)> = vec![
        (root.join(mode::DROP_IN), true),
        (root.join(mode::CONFIG), true),
        (root.join(mode::REGISTRY), true),
        (root.join(mode::APPROVALS), false),
    ];
    for b in BINARIES {
        files.push((root.join(mode::BIN_DIR).join(b), true));
    }
    if let Ok(rd) = std::fs::read_dir(root.join(mode::APPROVALS)) {
        let mut approvals: Vec<PathBuf> = rd.flatten().map(|e| e.path()).collect();
        approvals.sort();
        files.extend(approvals.into_iter().map(|p| (p, true)));
    }
    for (path, required) in files {
        if std::fs::symlink_metadata(&path).is_err() {
            if required {
                // Without --registry-source the install keeps no registry; install.sh passes
                // the checkout's default one.
                let fix = if path == root.join(mode::REGISTRY) {
                    format!(
                        "as root: `{} managed install{} --registry-source FILE`, FILE being the \
                         organisation's registry (or ./install.sh --managed{} from the zakon \
                         checkout, which installs the default one)",
                        zakon_core::runnable::command("zakon"),
                        root_flag(root),
                        root_flag(root)
                    )
                } else {
                    managed_install_fix(root, "")
                };
                rows.push(fail(format!("{} is missing", path.display()), fix));
            }
            continue;
        }
        match mode::secure_chain(&path) {
            Ok(()) => rows.push(pass(format!(
                "{}: root-owned, writable by no one else (and every directory above it)",
                path.display()
            ))),
            Err(why) => rows.push(fail(
                format!("{}: {why}", path.display()),
                "as root: chown root:root on it and chmod go-w (directories 755, files 644, \
                 binaries 755)"
                    .into(),
            )),
        }
    }
}

/// The command that (re)writes the managed install, runnable from any directory, with
/// install.sh (only in the checkout) as the alternative.
fn managed_install_fix(root: &Path, why: &str) -> String {
    format!(
        "as root: `{} managed install{}`{why} (or ./install.sh --managed{} from the zakon \
         checkout)",
        zakon_core::runnable::command("zakon"),
        root_flag(root),
        root_flag(root)
    )
}

fn root_flag(root: &Path) -> String {
    if root == Path::new("/") {
        String::new()
    } else {
        format!(" --root {}", root.display())
    }
}

/// The drop-in itself: valid, `allowManagedHooksOnly`, every pin, every registration.
fn drop_in(root: &Path, rows: &mut Vec<Row>) -> Option<Value> {
    let path = root.join(mode::DROP_IN);
    let bytes = std::fs::read(&path).ok()?;
    let problems = managed::validate(&bytes);
    if problems.is_empty() {
        let regs = crate::registration::registrations().map_or(0, |r| r.len());
        rows.push(pass(format!(
            "{}: allowManagedHooksOnly true; env pins {}; all {regs} registrations",
            path.display(),
            pinned_env()
                .iter()
                .map(|(k, v)| format!("{k}={v:?}"))
                .collect::<Vec<_>>()
                .join(" ")
        )));
    } else {
        for p in problems {
            rows.push(fail(
                format!("{}: {p}", path.display()),
                managed_install_fix(root, " (rewrites the drop-in)"),
            ));
        }
    }
    serde_json::from_slice(&bytes).ok()
}

/// Other managed settings files: one that sets `disableAllHooks`, switches
/// `allowManagedHooksOnly` off or sets a pinned variable differently undoes the drop-in.
fn others(root: &Path, rows: &mut Vec<Row>) {
    let dir = root.join(mode::DROP_IN);
    let dir = dir.parent().unwrap_or(root);
    let mut files = vec![root.join("etc/claude-code/managed-settings.json")];
    if let Ok(rd) = std::fs::read_dir(dir) {
        let mut more: Vec<PathBuf> = rd
            .flatten()
            .map(|e| e.path())
            .filter(|p| {
                p.extension().is_some_and(|x| x == "json")
                    && p.file_name() != Path::new(mode::DROP_IN).file_name()
            })
            .collect();
        more.sort();
        files.extend(more);
    }
    for f in files {
        let Ok(text) = std::fs::read_to_string(&f) else {
            continue;
        };
        let Ok(v) = serde_json::from_str::<Value>(&text) else {
            rows.push(fail(
                format!(
                    "{} is not valid JSON: Claude Code will not start",
                    f.display()
                ),
                "fix or remove that file".into(),
            ));
            continue;
        };
        let mut bad = Vec::new();
        if v.get("disableAllHooks") == Some(&Value::Bool(true)) {
            bad.push("disableAllHooks: true".to_string());
        }
        if v.get("allowManagedHooksOnly") == Some(&Value::Bool(false)) {
            bad.push("allowManagedHooksOnly: false".to_string());
        }
        for (k, want) in pinned_env() {
            if let Some(got) = v.pointer(&format!("/env/{k}")).and_then(Value::as_str)
                && got != want
            {
                bad.push(format!("env.{k}={got:?}"));
            }
        }
        if bad.is_empty() {
            rows.push(pass(format!(
                "{}: does not undo zakon's drop-in",
                f.display()
            )));
        } else {
            rows.push(fail(
                format!("{} sets {}", f.display(), bad.join(", ")),
                "remove those keys: managed files merge, and these switch zakon off".into(),
            ));
        }
    }
}

/// `env` keys in user and project settings that reach the gates.
fn user_env(home: &Path, project: &Path, drop: Option<&Value>, rows: &mut Vec<Row>) {
    let files = [
        home.join(".claude/settings.json"),
        home.join(".claude/settings.local.json"),
        project.join(".claude/settings.json"),
        project.join(".claude/settings.local.json"),
    ];
    let mut seen = 0;
    for f in &files {
        let Ok(text) = std::fs::read_to_string(f) else {
            continue;
        };
        let Ok(v) = serde_json::from_str::<Value>(&text) else {
            continue;
        };
        if v.get("disableAllHooks") == Some(&Value::Bool(true)) {
            rows.push(warn(format!(
                "{} sets disableAllHooks: managed hooks run anyway (allowManagedHooksOnly), \
                 the user's own hooks do not",
                f.display()
            )));
        }
        let Some(env) = v.get("env").and_then(Value::as_object) else {
            continue;
        };
        for key in env.keys() {
            let Some((_, what)) = REACHING.iter().find(|(k, _)| k == key) else {
                if key.starts_with("ZAKON_") {
                    seen += 1;
                    rows.push(warn(format!(
                        "{}: env.{key} reaches the gates; zakon reads no such variable",
                        f.display()
                    )));
                }
                continue;
            };
            seen += 1;
            if *what == "pinned" {
                let pin = drop.and_then(|d| d.pointer(&format!("/env/{key}")));
                match pin {
                    Some(p) => rows.push(pass(format!(
                        "{}: env.{key} reaches zakon but the managed pin wins ({key}={p})",
                        f.display()
                    ))),
                    None => rows.push(fail(
                        format!(
                            "{}: env.{key} reaches the gates and the drop-in does not pin it",
                            f.display()
                        ),
                        managed_install_fix(Path::new("/"), " (the drop-in pins it)"),
                    )),
                }
            } else {
                rows.push(warn(format!(
                    "{}: env.{key} reaches the gates; {what}",
                    f.display()
                )));
            }
        }
    }
    if seen == 0 {
        rows.push(pass(format!(
            "user and project settings ({}, {}) set no env key that reaches zakon",
            home.join(".claude").display(),
            project.join(".claude").display()
        )));
    }
}
