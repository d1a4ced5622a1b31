//! `zakon doctor`: "available ≠ working". The seed system's hooks failed silently when they
//! were not registered or pointed at a missing file; doctor checks every link of the chain —
//! binaries, registrations, registry, config, audit log — and runs each registered gate on a
//! known-bad and a known-good input to prove it blocks. Exit 1 on any ✘.

use crate::json::Json;
use crate::probe::{self, Scratch};
use crate::registration::{self, Registration};
use crate::scopes;
use crate::settings::SettingsFile;
use clap::Args;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use zakon_core::paths::display_tilde;

#[derive(Args)]
pub struct DoctorArgs {
    /// Directory holding the installed binaries [default: the directory of this `zakon`]
    #[arg(long, value_name = "DIR")]
    bin_dir: Option<PathBuf>,
    /// The settings file to check [default: ~/.claude/settings.json]
    #[arg(long, value_name = "FILE")]
    settings: Option<PathBuf>,
    /// Check a plugin install instead: DIR/hooks/hooks.json, binaries in DIR/bin
    #[arg(long, value_name = "DIR", conflicts_with_all = ["bin_dir", "settings"])]
    plugin: Option<PathBuf>,
    /// The project whose .claude/settings*.json doctor also reads: registrations, timeouts,
    /// disableAllHooks (with --managed: env keys that reach zakon) [default: .]
    #[arg(long, value_name = "DIR")]
    project: Option<PathBuf>,
    /// Print the checks as JSON
    #[arg(long)]
    json: bool,
    /// Check the managed (fleet) install: ownership and mode of every file in the chain, the
    /// drop-in's pins, and settings env keys that reach zakon
    #[arg(long, conflicts_with_all = ["bin_dir", "settings", "plugin", "json"])]
    managed: bool,
    /// With --managed: the prefix the managed files live under [default: /]
    #[arg(long, value_name = "DIR", requires = "managed")]
    root: Option<PathBuf>,
}

/// One line of the table.
pub struct Row {
    ok: bool,
    check: &'static str,
    detail: String,
    fix: Option<String>,
}

impl Row {
    pub fn pass(check: &'static str, detail: impl Into<String>) -> Row {
        Row {
            ok: true,
            check,
            detail: detail.into(),
            fix: None,
        }
    }

    pub fn fail(check: &'static str, detail: impl Into<String>, fix: impl Into<String>) -> Row {
        Row {
            ok: false,
            check,
            detail: detail.into(),
            fix: Some(fix.into()),
        }
    }
}

/// A registration as found (or not) in the settings: the command Claude Code will run.
struct Found {
    reg: Registration,
    command: Option<String>,
    timeout: Option<u64>,
    /// The scope that holds the registration when it is not the checked settings file
    /// ("project settings ~/p/.claude/settings.json").
    elsewhere: Option<String>,
    /// The settings file that holds it (None for a plugin's hooks.json or when not found).
    file: Option<PathBuf>,
}

/// The file install.sh writes into the install directory: the checkout it ran from.
pub const CHECKOUT_NOTE: &str = ".zakon-checkout";

/// The step that puts missing binaries back. install.sh exists only in the checkout, so the
/// command starts with `cd CHECKOUT` when the install recorded it; otherwise the fix says
/// plainly that they are rebuilt from the zakon source. `settings` is the file that holds
/// (or should hold) the registrations.
fn reinstall_fix(bin_dir: &Path, home: &Path, settings: &Path) -> String {
    let prefix = if bin_dir == home.join(".claude/zakon/bin") {
        String::new()
    } else {
        format!(" --prefix {}", display_tilde(bin_dir, home))
    };
    let args = format!("{prefix}{}", settings_flag(settings, home));
    let checkout = std::fs::read_to_string(bin_dir.join(CHECKOUT_NOTE))
        .ok()
        .map(|t| PathBuf::from(t.trim_end_matches('\n')))
        .filter(|c| c.is_absolute() && c.join("install.sh").is_file());
    match checkout {
        Some(c) => format!(
            "run `cd {} && ./install.sh{args}` (rebuilds and copies the binaries again from the \
             zakon checkout, keeps your settings)",
            zakon_core::runnable::quote(&c.to_string_lossy())
        ),
        None => format!(
            "the binaries must be rebuilt from the zakon source: in a zakon checkout run \
             ./install.sh{args} (it builds and copies them again, keeps your settings)"
        ),
    }
}

/// The fix that registers the hooks: the command that runs as written from any directory
/// first, install.sh (which only exists in the checkout) second. `settings` is empty or
/// ` --settings FILE`.
pub fn hooks_install_fix(bin_dir: &Path, home: &Path, settings: &str) -> String {
    // install.sh installs into ~/.claude/zakon/bin unless told another directory.
    let prefix = if bin_dir == home.join(".claude/zakon/bin") {
        String::new()
    } else {
        format!(" --prefix {}", display_tilde(bin_dir, home))
    };
    format!(
        "run `{} hooks install --bin-dir {}{settings}` (or ./install.sh{prefix}{settings} from \
         the zakon checkout)",
        zakon_core::runnable::command("zakon"),
        display_tilde(bin_dir, home)
    )
}

/// ` --settings FILE` unless `path` is the default ~/.claude/settings.json.
fn settings_flag(path: &Path, home: &Path) -> String {
    if path == home.join(".claude/settings.json") {
        String::new()
    } else {
        format!(" --settings {}", display_tilde(path, home))
    }
}

pub fn run(args: &DoctorArgs) -> ExitCode {
    if args.managed {
        return crate::managed_doctor::run(args.root.as_deref(), args.project.as_deref());
    }
    let mut header = String::new();
    let rows = match checks(args, &mut header) {
        Ok(r) => r,
        Err(e) => vec![Row::fail("doctor", e, "report this as a zakon bug")],
    };
    if args.json {
        print_json(&rows);
    } else {
        zakon_core::outln!("{header}");
        print_table(&rows);
    }
    if rows.iter().all(|r| r.ok) {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

fn checks(args: &DoctorArgs, header: &mut String) -> Result<Vec<Row>, String> {
    let home = crate::home();
    let mut rows = Vec::new();
    let regs = registration::registrations()?;
    let project = match &args.project {
        Some(p) => crate::bin_dir(Some(p))?,
        None => std::env::current_dir()
            .map_err(|e| format!("cannot read the current directory: {e}"))?,
    };
    let settings_file = crate::settings_path(args.settings.as_deref());
    let scopes = scopes::scopes(args.settings.as_deref(), &project, &home);
    let (bin_dir, found, plugin_env) = match &args.plugin {
        Some(dir) => {
            let root = crate::bin_dir(Some(dir))?;
            *header = format!("zakon doctor: plugin {}", display_tilde(&root, &home));
            let found = plugin_registrations(&root, &regs, &mut rows);
            rows.push(scopes::plugin_known(&root, &home, &scopes));
            (root.join("bin"), found, Some(root))
        }
        None => {
            let bin_dir = crate::bin_dir(args.bin_dir.as_deref())?;
            *header = format!(
                "zakon doctor: binaries {}, settings {}",
                display_tilde(&bin_dir, &home),
                display_tilde(&settings_file, &home)
            );
            let found =
                settings_registrations(&settings_file, &scopes, &regs, &bin_dir, &home, &mut rows);
            (bin_dir, found, None)
        }
    };
    // Where a missing registration belongs: the file that holds the others (a second
    // install into another scope would run those gates twice), else the file checked.
    let install_into = found
        .iter()
        .find_map(|f| f.file.clone())
        .unwrap_or_else(|| settings_file.clone());
    let reinstall = reinstall_fix(&bin_dir, &home, &install_into);
    rows.insert(
        0,
        binaries(
            &bin_dir,
            &home,
            &rebuild(plugin_env.as_deref(), &home, &reinstall),
        ),
    );
    rows.push(scopes::hooks_switched_off(&scopes, &home));
    rows.push(scopes::runs_once(&scopes, &home));
    for f in &found {
        rows.push(hook_row(
            f,
            &bin_dir,
            plugin_env.as_deref(),
            &home,
            &install_into,
            args.settings.is_some() || install_into != settings_file,
            &reinstall,
        ));
    }
    // The config row comes after the registry's, but the registry's fix depends on it: a
    // broken config stops zakon-registry too, and then fixing the config is the step.
    let mut config_rows = Vec::new();
    let cfg = config(&home, &mut config_rows);
    rows.push(registry(&bin_dir, &home, &reinstall, cfg.is_none()));
    rows.extend(config_rows);
    let audit_dir = cfg.clone().unwrap_or_default().audit_log_path(&home);
    rows.push(audit_log(&audit_dir, &home));
    let mut scratch = Scratch::new()?;
    scratch.adopt_config(&zakon_core::config::Config::path(&home), &home)?;
    let tmp_root = cfg
        .as_ref()
        .and_then(|c| c.artifact_gate.as_ref())
        .and_then(|a| a.get("tmp_root"))
        .and_then(serde_json::Value::as_str)
        .map(|r| zakon_core::paths::resolve(r, &home, Some(&scratch.cwd)));
    if let Some(r) = tmp_root.filter(|r| !scratch.artifact_roots.contains(r)) {
        scratch.artifact_roots.push(r);
    }
    let env: Vec<(&str, &Path)> = match &plugin_env {
        Some(root) => vec![("CLAUDE_PLUGIN_ROOT", root.as_path())],
        None => Vec::new(),
    };
    // The probes run with a scratch ZAKON_HOME, so the gates' effects check seeds a scratch
    // snapshot store. Where the gates ignore ZAKON_HOME (managed mode) it seeds the user's
    // with the scratch project; doctor forgets it afterwards (below).
    let stores = snapshot_stores(&bin_dir, &home);
    let objects_before: Vec<_> = stores.iter().map(|s| s.object_names()).collect();
    for f in &found {
        // A binary that is not there is reported as exactly that (running it would only say
        // `exit 127`).
        let program = f.reg.program(&bin_dir);
        if !is_executable(&program) {
            rows.push(Row::fail(
                "gate",
                format!(
                    "{}: {} is missing or not executable, so Claude Code reports a non-blocking \
                     error and the gate is OFF",
                    f.reg.label(),
                    display_tilde(&program, &home)
                ),
                rebuild(plugin_env.as_deref(), &home, &reinstall),
            ));
            continue;
        }
        // An unregistered gate is still worth proving: probe the command install would write.
        let command = f.command.clone().unwrap_or_else(|| f.reg.command(&bin_dir));
        match probe::probe(&f.reg, &command, &scratch, &env) {
            None => {}
            Some(Ok(proved)) => {
                rows.push(Row::pass("gate", format!("{}: {proved}", f.reg.label())))
            }
            Some(Err(e)) => rows.push(Row::fail(
                "gate",
                format!("{}: {e}", f.reg.label()),
                probe_fix(&e, plugin_env.as_deref(), &home, &reinstall),
            )),
        }
    }
    let mut roots = vec![scratch.root.clone()];
    if let Ok(c) = std::fs::canonicalize(&scratch.root)
        && c != scratch.root
    {
        roots.push(c);
    }
    for ((store, before), root) in stores
        .iter()
        .zip(&objects_before)
        .flat_map(|sb| roots.iter().map(move |r| (sb, r)))
    {
        if let Err(e) = store.forget_under(root, before) {
            rows.push(Row::fail(
                "snapshots",
                format!(
                    "cannot remove the probe project {} from the snapshot store: {e}",
                    scratch.root.display()
                ),
                format!(
                    "run `{} snapshot --init` in a terminal",
                    bin_dir.join("blueprint-gate").display()
                ),
            ));
        }
    }
    Ok(rows)
}

/// The snapshot stores the probed gates can write: the one under the home of an install in
/// `<h>/.claude/zakon/bin` (a gate's home follows its install), and the user's.
fn snapshot_stores(bin_dir: &Path, home: &Path) -> Vec<zakon_snapshot::Store> {
    let mut homes = vec![home.to_path_buf()];
    if bin_dir.ends_with(".claude/zakon/bin")
        && let Some(h) = bin_dir.ancestors().nth(3)
        && !homes.iter().any(|x| x == h)
    {
        homes.push(h.to_path_buf());
    }
    homes
        .iter()
        .map(|h| zakon_snapshot::Store::at_home(h))
        .collect()
}

/// The step that puts the binaries back: install.sh, or a build for a plugin folder.
fn rebuild(plugin_root: Option<&Path>, home: &Path, reinstall: &str) -> String {
    match plugin_root {
        Some(root) => format!(
            "build the binaries: cd {} && cargo build --release",
            display_tilde(root, home)
        ),
        None => reinstall.to_string(),
    }
}

fn probe_fix(err: &str, plugin_root: Option<&Path>, home: &Path, reinstall: &str) -> String {
    let rebuild = rebuild(plugin_root, home, reinstall);
    if err.contains("exit 127") || err.contains("exit 126") {
        format!(
            "the command cannot run, so Claude Code reports a non-blocking error and the gate \
             is OFF; {rebuild}"
        )
    } else if err.contains("config") || err.contains("schema") {
        "fix ~/.claude/zakon/config.json (or $ZAKON_CONFIG) — a broken config blocks every \
         in-scope hook — or move it aside to use the defaults"
            .to_string()
    } else if err.contains("timed out") {
        "a gate must finish far inside its timeout; run the command by hand with the same input \
         and report a slow gate as a zakon bug"
            .to_string()
    } else {
        format!(
            "the gate does not behave as its contract says: make sure it is a current build \
             ({rebuild}), and report it as a zakon bug if it persists"
        )
    }
}

fn binaries(bin_dir: &Path, home: &Path, reinstall: &str) -> Row {
    let missing: Vec<&str> = registration::BINARIES
        .iter()
        .copied()
        .filter(|b| !is_executable(&bin_dir.join(b)))
        .collect();
    let dir = display_tilde(bin_dir, home);
    if missing.is_empty() {
        Row::pass(
            "binaries",
            format!(
                "{} of {} executable in {dir}",
                registration::BINARIES.len(),
                registration::BINARIES.len()
            ),
        )
    } else {
        Row::fail(
            "binaries",
            format!("missing or not executable in {dir}: {}", missing.join(", ")),
            reinstall,
        )
    }
}

fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

/// The registrations in the checked settings file, else in any other settings scope Claude
/// Code reads (user, user-local, project, project-local): a hook registered in the project's
/// settings runs as surely as one in the user's, so it is registered.
fn settings_registrations(
    path: &Path,
    scopes: &[scopes::Scope],
    regs: &[Registration],
    bin_dir: &Path,
    home: &Path,
    rows: &mut Vec<Row>,
) -> Vec<Found> {
    let shown = display_tilde(path, home);
    let same = |a: &Path, b: &Path| {
        let canon = |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
        canon(a) == canon(b)
    };
    // The other scopes' files that exist and parse (a broken one is Claude Code's to ignore,
    // and `hooks on` reads them the same way).
    let others: Vec<(String, PathBuf, Json)> = scopes
        .iter()
        .filter(|s| !same(&s.path, path))
        .filter_map(|s| {
            let f = SettingsFile::load(&s.path, home).ok()?;
            f.original.as_ref()?;
            Some((s.describe(home), s.path.clone(), f.value))
        })
        .collect();
    let registers = |v: &Json| {
        regs.iter().any(|reg| {
            find(v, reg, |c| reg.matches(c, bin_dir, home))
                .command
                .is_some()
        })
    };
    let file = match SettingsFile::load(path, home) {
        Ok(f) if f.original.is_some() => {
            rows.push(Row::pass("settings", format!("{shown} is valid JSON")));
            f
        }
        Ok(f) => {
            match others.iter().find(|(_, _, v)| registers(v)) {
                Some((scope, _, _)) => rows.push(Row::pass(
                    "settings",
                    format!("{shown} does not exist; zakon's hooks are registered in {scope}"),
                )),
                None => rows.push(Row::fail(
                    "settings",
                    format!("{shown} does not exist: no hook is registered"),
                    hooks_install_fix(bin_dir, home, &settings_flag(path, home)),
                )),
            }
            f
        }
        Err(e) => {
            rows.push(Row::fail(
                "settings",
                e,
                format!(
                    "fix the JSON by hand (Claude Code ignores a settings file it cannot parse), \
                     then {}",
                    hooks_install_fix(bin_dir, home, &settings_flag(path, home))
                ),
            ));
            return regs.iter().map(not_found).collect();
        }
    };
    let mut files: Vec<(Option<String>, PathBuf, &Json)> =
        vec![(None, path.to_path_buf(), &file.value)];
    files.extend(
        others
            .iter()
            .map(|(scope, p, v)| (Some(scope.clone()), p.clone(), v)),
    );
    // Stale registrations of zakon gates elsewhere fail open as surely as missing ones.
    for (_, settings, value) in &files {
        let shown = display_tilde(settings, home);
        for (event, command) in crate::all_commands(value) {
            if registration::is_owned(&command, bin_dir, home) {
                continue;
            }
            if let Some((program, _)) = registration::zakon_binary_of(&command, home)
                && !is_executable(&program)
            {
                rows.push(Row::fail(
                    "hook",
                    format!(
                        "{event} runs {}, which does not exist or is not executable",
                        display_tilde(&program, home)
                    ),
                    {
                        let dir = program
                            .parent()
                            .map(|p| display_tilde(p, home))
                            .unwrap_or_default();
                        let flag = settings_flag(settings, home);
                        format!(
                            "remove that entry from {shown}, or run `{} hooks uninstall \
                             --bin-dir {dir}{flag}` (or ./install.sh --uninstall --prefix \
                             {dir}{flag} from the zakon checkout)",
                            zakon_core::runnable::command("zakon"),
                        )
                    },
                ));
            }
        }
    }
    // Every scope that registers the gate: the first is the one the hook row reports; a short
    // timeout in any other is as harmful as one there (Claude Code runs both).
    regs.iter()
        .map(|reg| {
            let mut holders = files.iter().filter_map(|(scope, p, v)| {
                let mut f = find(v, reg, |c| reg.matches(c, bin_dir, home));
                f.command.as_ref()?;
                f.elsewhere = scope.clone();
                f.file = Some(p.clone());
                Some(f)
            });
            let first = holders.next().unwrap_or_else(|| not_found(reg));
            rows.extend(holders.filter_map(|f| short_timeout_row(&f, bin_dir, None, home)));
            first
        })
        .collect()
}

fn plugin_registrations(root: &Path, regs: &[Registration], rows: &mut Vec<Row>) -> Vec<Found> {
    let path = root.join("hooks/hooks.json");
    let text = match zakon_core::fsio::read_regular_string(&path) {
        Ok(t) => t,
        Err(e) => {
            rows.push(Row::fail(
                "plugin",
                format!("cannot read {}: {e}", path.display()),
                "point --plugin at the zakon plugin directory (the one with hooks/hooks.json)",
            ));
            return regs.iter().map(not_found).collect();
        }
    };
    let value = match Json::parse(&text) {
        Ok(v) => {
            rows.push(Row::pass(
                "plugin",
                format!("{} is valid JSON", path.display()),
            ));
            v
        }
        Err(e) => {
            rows.push(Row::fail(
                "plugin",
                format!("{} is not valid JSON: {e}", path.display()),
                "restore hooks/hooks.json from the zakon repository (plugin/hooks/hooks.json)",
            ));
            return regs.iter().map(not_found).collect();
        }
    };
    let prefix = "${CLAUDE_PLUGIN_ROOT}/bin/";
    regs.iter()
        .map(|reg| {
            find(&value, reg, |c| {
                let plain = c.replace('"', "");
                plain.strip_prefix(prefix).is_some_and(|rest| {
                    let mut words = rest.split_whitespace();
                    words.next() == Some(reg.binary.as_str())
                        && words.map(String::from).collect::<Vec<_>>() == reg.args
                })
            })
        })
        .collect()
}

fn not_found(reg: &Registration) -> Found {
    Found {
        reg: reg.clone(),
        command: None,
        timeout: None,
        elsewhere: None,
        file: None,
    }
}

/// The entry for `reg` under its event and matcher, if any.
fn find(value: &Json, reg: &Registration, is_it: impl Fn(&str) -> bool) -> Found {
    let groups = match value.get("hooks").and_then(|h| h.get(&reg.event)) {
        Some(Json::Array(g)) => g.as_slice(),
        _ => &[],
    };
    for g in groups {
        let matcher = g.get("matcher").and_then(Json::as_str).unwrap_or("");
        if matcher != reg.matcher.as_deref().unwrap_or("") {
            continue;
        }
        let Some(Json::Array(entries)) = g.get("hooks") else {
            continue;
        };
        for h in entries {
            if let Some(c) = h.get("command").and_then(Json::as_str)
                && is_it(c)
            {
                return Found {
                    reg: reg.clone(),
                    command: Some(c.to_string()),
                    timeout: h.get("timeout").and_then(Json::as_u64),
                    elsewhere: None,
                    file: None,
                };
            }
        }
    }
    not_found(reg)
}

/// `install_into`: the settings file a missing registration belongs in; `name_it`: whether
/// the fix must name it (it is not the default ~/.claude/settings.json).
fn hook_row(
    f: &Found,
    bin_dir: &Path,
    plugin_root: Option<&Path>,
    home: &Path,
    install_into: &Path,
    name_it: bool,
    reinstall: &str,
) -> Row {
    let label = f.reg.label();
    if f.command.is_none() {
        let settings = if name_it {
            format!(" --settings {}", display_tilde(install_into, home))
        } else {
            String::new()
        };
        let fix = match plugin_root {
            Some(_) => {
                "restore hooks/hooks.json from the zakon repository (plugin/hooks/hooks.json)"
                    .to_string()
            }
            None => hooks_install_fix(bin_dir, home, &settings),
        };
        return Row::fail("hook", format!("{label}: not registered"), fix);
    }
    let program = f.reg.program(bin_dir);
    if !is_executable(&program) {
        return Row::fail(
            "hook",
            format!(
                "{label}: registered, but {} does not exist or is not executable",
                display_tilde(&program, home)
            ),
            match plugin_root {
                Some(root) => format!(
                    "build the binaries: cd {} && cargo build --release",
                    display_tilde(root, home)
                ),
                None => reinstall.to_string(),
            },
        );
    }
    if let Some(row) = short_timeout_row(f, bin_dir, plugin_root, home) {
        return row;
    }
    let timeout = match f.timeout {
        Some(t) => format!("timeout {t} s"),
        None => "no timeout (Claude Code's default applies)".to_string(),
    };
    let scope = match &f.elsewhere {
        Some(s) => format!(", in {s}"),
        None => String::new(),
    };
    Row::pass("hook", format!("{label} ({timeout}{scope})"))
}

/// A registration whose timeout is shorter than the one `hooks install` writes, in whichever
/// settings scope holds it.
fn short_timeout_row(
    f: &Found,
    bin_dir: &Path,
    plugin_root: Option<&Path>,
    home: &Path,
) -> Option<Row> {
    let label = match &f.elsewhere {
        Some(scope) => format!("{} (in {scope})", f.reg.label()),
        None => f.reg.label(),
    };
    // `hooks install` writes reg.timeout so the gate's own deadline fires first; a shorter
    // one lets Claude Code kill the gate, and a killed Stop hook lets the claim through.
    let t = f.timeout.filter(|t| *t < f.reg.timeout)?;
    let settings = match &f.file {
        Some(file) => settings_flag(file, home),
        None => String::new(),
    };
    // what a killed gate means depends on the event: a Stop hook lets the claim through;
    // a tool hook with onFailure "block" refuses the call, honest ones too
    let killed = if f.reg.on_failure.as_deref() == Some("block") {
        "a killed gate then blocks the tool call, an honest one too"
    } else if f.reg.event.ends_with("Stop") {
        "a killed Stop hook lets the claim through"
    } else {
        "a killed gate lets the call through unchecked"
    };
    Some(Row::fail(
        "hook",
        format!(
            "{label}: timeout {t} s is shorter than the {} s zakon needs (the gate's own \
             deadline plus a margin): Claude Code may kill the gate before it decides, and \
             {killed}",
            f.reg.timeout
        ),
        match plugin_root {
            Some(_) => "restore hooks/hooks.json from the zakon repository \
                        (plugin/hooks/hooks.json)"
                .to_string(),
            None => hooks_install_fix(bin_dir, home, &settings),
        },
    ))
}

fn registry(bin_dir: &Path, home: &Path, reinstall: &str, config_broken: bool) -> Row {
    let path = match std::env::var_os("ZAKON_REGISTRY") {
        Some(p) if !p.is_empty() => PathBuf::from(p),
        _ => home.join("system/rules/zakon-registry.json"),
    };
    let shown = display_tilde(&path, home);
    let bin = bin_dir.join("zakon-registry");
    let out = match std::process::Command::new(&bin)
        .args(["stats", "--json"])
        .output()
    {
        Ok(o) => o,
        Err(e) => {
            return Row::fail(
                "registry",
                format!("cannot run {}: {e}", display_tilde(&bin, home)),
                reinstall,
            );
        }
    };
    if out.status.success() {
        let total = serde_json::from_slice::<serde_json::Value>(&out.stdout)
            .ok()
            .and_then(|v| v.get("total").and_then(serde_json::Value::as_u64));
        let detail = match total {
            Some(n) => format!("{shown} validates ({n} entries)"),
            None => format!("{shown} validates"),
        };
        return Row::pass("registry", detail);
    }
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stderr),
        String::from_utf8_lossy(&out.stdout)
    );
    let config_fix = (config_broken && text.contains("ZAKON_REGISTRY_ERROR")).then(|| {
        format!(
            "zakon-registry reads the registry's path from the zakon config, which is broken: \
             fix {} as the config row says (or move it aside to use the defaults)",
            display_tilde(&zakon_core::config::Config::path(home), home)
        )
    });
    let fix = config_fix
        .or_else(|| {
            text.lines()
                .find_map(|l| l.trim().strip_prefix("FIX:").map(|f| f.trim().to_string()))
        })
        .unwrap_or_else(|| {
            "repair the file (see `zakon-registry --help`); when there is none, ./install.sh \
             from the zakon checkout installs the default one"
                .to_string()
        });
    let all: Vec<&str> = text
        .lines()
        .map(str::trim_end)
        .filter(|l| !l.trim().is_empty() && !l.trim_start().starts_with("FIX:"))
        .collect();
    let first = all.join("\n");
    Row::fail(
        "registry",
        format!(
            "{shown}: `zakon-registry stats` exited {} — {first}",
            out.status
                .code()
                .map_or("by a signal".to_string(), |c| c.to_string())
        ),
        fix,
    )
}

fn config(home: &Path, rows: &mut Vec<Row>) -> Option<zakon_core::config::Config> {
    let path = zakon_core::config::Config::path(home);
    let shown = display_tilde(&path, home);
    match zakon_core::config::Config::load(home) {
        Ok(cfg) if cfg.source.is_some() => match crate::sections::check(&cfg, home) {
            Ok(()) => {
                rows.push(Row::pass(
                    "config",
                    format!("{shown} parses, every section and key is known"),
                ));
                Some(cfg)
            }
            Err(e) => {
                rows.push(Row::fail("config", format!("{shown}: {e}"), {
                    // Only an unknown key comes with the list of valid names; a bad value
                    // (a schema_path that does not exist, say) is named in the message.
                    let what = if e.to_string().contains("valid") {
                        "fix that key (the valid names are listed above)"
                    } else {
                        "fix the value the message names (or create the file it points at)"
                    };
                    format!(
                        "{what} in {shown}, or move the file aside to use the defaults; \
                             while it is wrong every in-scope hook of that gate blocks"
                    )
                }));
                None
            }
        },
        Ok(cfg) => {
            rows.push(Row::pass(
                "config",
                format!("no {shown}; the defaults apply"),
            ));
            Some(cfg)
        }
        Err(e) => {
            rows.push(Row::fail(
                "config",
                e.message,
                format!(
                    "fix {shown} or move it aside to use the defaults (while it is broken every \
                     in-scope hook blocks)"
                ),
            ));
            None
        }
    }
}

/// The audit log's directory must be writable (or creatable): a block that cannot be logged
/// still blocks, but leaves no trace for the review.
fn audit_log(log: &Path, home: &Path) -> Row {
    let dir = log.parent().unwrap_or(Path::new("/"));
    let mut existing = dir;
    while !existing.exists() {
        match existing.parent() {
            Some(p) => existing = p,
            None => break,
        }
    }
    let probe = existing.join(format!(".zakon-doctor-{}", std::process::id()));
    let writable = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&probe)
        .is_ok();
    let _ = std::fs::remove_file(&probe);
    let shown = display_tilde(dir, home);
    if writable && existing == dir {
        Row::pass("audit log", format!("{shown} is writable"))
    } else if writable {
        Row::pass(
            "audit log",
            format!("{shown} will be created on the first block"),
        )
    } else {
        Row::fail(
            "audit log",
            format!("{} is not writable", display_tilde(existing, home)),
            format!("make it writable: chmod u+w {}", existing.display()),
        )
    }
}

fn print_json(rows: &[Row]) {
    let failed = rows.iter().filter(|r| !r.ok).count();
    let checks: Vec<serde_json::Value> = rows
        .iter()
        .map(
            |r| serde_json::json!({"ok": r.ok, "check": r.check, "detail": r.detail, "fix": r.fix}),
        )
        .collect();
    let doc = serde_json::json!({"ok": failed == 0, "passed": rows.len() - failed,
                                 "failed": failed, "checks": checks});
    zakon_core::outln!(
        "{}",
        serde_json::to_string_pretty(&doc).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"))
    );
}

fn print_table(rows: &[Row]) {
    let paint = crate::color::Paint::stdout();
    zakon_core::outln!();
    for r in rows {
        let mark = if r.ok {
            paint.green("✔")
        } else {
            paint.red("✘")
        };
        // Whole messages, continuation lines indented under the first.
        let mut lines = r.detail.lines();
        zakon_core::outln!("  {mark}  {:<10} {}", r.check, lines.next().unwrap_or(""));
        for l in lines {
            zakon_core::outln!("  {:<3}{:<10}   {l}", "", "");
        }
        if let Some(fix) = &r.fix {
            zakon_core::outln!("  {:<3}{:<10} fix: {fix}", "", "");
        }
    }
    zakon_core::outln!();
    let failed = rows.iter().filter(|r| !r.ok).count();
    if failed == 0 {
        zakon_core::outln!(
            "All {} checks passed: zakon is installed and blocking.",
            rows.len()
        );
    } else {
        zakon_core::outln!(
            "{failed} of {} checks failed (✘). Claude Code lets a hook that cannot run pass, so \
             until they are fixed zakon is not protecting you.",
            rows.len()
        );
    }
}
