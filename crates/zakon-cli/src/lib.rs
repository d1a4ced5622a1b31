//! The `zakon` command: merges zakon's hook registrations into Claude Code's settings
//! (`zakon hooks install|uninstall|show`, used by install.sh — no jq, no python), proves an
//! installation works (`zakon doctor`), looks back (`zakon log`, `zakon stats`), lets a human
//! pause a gate (`zakon pause`, `zakon resume`) and prints completions and man pages.

pub mod color;
pub mod completions;
pub mod diff;
pub mod doctor;
pub mod json;
pub mod log;
pub mod managed;
pub mod managed_doctor;
pub mod pause;
pub mod probe;
pub mod registration;
pub mod scopes;
pub mod sections;
pub mod settings;
pub mod stats;

use clap::{Args, CommandFactory, Parser, Subcommand};
use registration::Registration;
use settings::{Change, SettingsFile};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "zakon",
    version,
    about = "Install, check, pause and look back on zakon's Claude Code hooks",
    after_help = "Exit codes: 0 ok; 1 an error (nothing written) or a failed doctor check; \
                  2 bad usage."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Register, unregister or print zakon's hooks in Claude Code's settings.json
    #[command(subcommand)]
    Hooks(HooksCommand),
    /// Check that every hook is registered, runnable and really blocks; exit 1 on any ✘
    Doctor(doctor::DoctorArgs),
    /// Show recent blocks, overrides, pauses and violations
    Log(log::LogArgs),
    /// Count blocks, overrides, pauses and violations per gate, rule and day
    Stats(stats::StatsArgs),
    /// Pause a gate for a while (a human at a terminal only; audit-logged)
    Pause(pause::PauseArgs),
    /// End a pause (a human at a terminal only; audit-logged)
    Resume(pause::ResumeArgs),
    /// Print shell completions (bash, zsh, fish)
    Completions(completions::CompletionsArgs),
    /// Print a man page (or write all of them with --dir)
    Man(completions::ManArgs),
    /// Fleet install through Claude Code's managed settings (root; see install.sh --managed)
    #[command(subcommand)]
    Managed(managed::ManagedCommand),
}

#[derive(Subcommand)]
enum HooksCommand {
    /// Merge the registrations into settings.json (idempotent; keeps everything else)
    Install(InstallTarget),
    /// Remove exactly the entries whose command is a zakon binary in --bin-dir; exit 1 when
    /// nothing matched
    Uninstall(UninstallTarget),
    /// Print the registrations as a settings.json snippet with absolute paths
    Show(ShowArgs),
    /// Print the install directories the registrations in settings.json name; exit 1 if none
    Locate(Locate),
}

#[derive(Args)]
struct ShowArgs {
    #[command(flatten)]
    bin: BinDir,
    #[command(flatten)]
    managed: managed::ManagedShow,
}

#[derive(Args)]
struct Locate {
    /// The settings file to read [default: ~/.claude/settings.json]
    #[arg(long, value_name = "FILE")]
    settings: Option<PathBuf>,
}

#[derive(Args)]
struct BinDir {
    /// Directory holding the installed binaries [default: the directory of this `zakon`]
    #[arg(long, value_name = "DIR")]
    bin_dir: Option<PathBuf>,
}

#[derive(Args)]
struct InstallTarget {
    #[command(flatten)]
    bin: BinDir,
    #[command(flatten)]
    edit: EditArgs,
    /// Also remove the registrations of the install in DIR, in the same write (install.sh
    /// moving an install to another --prefix; repeatable)
    #[arg(long, value_name = "DIR")]
    replace: Vec<PathBuf>,
}

#[derive(Args)]
struct UninstallTarget {
    /// Directory holding the installed binaries [default: every install directory the
    /// registrations name]
    #[arg(long, value_name = "DIR")]
    bin_dir: Option<PathBuf>,
    #[command(flatten)]
    edit: EditArgs,
}

#[derive(Args)]
struct EditArgs {
    /// The settings file to edit [default: ~/.claude/settings.json]
    #[arg(long, value_name = "FILE")]
    settings: Option<PathBuf>,
    /// Print the changes and a diff; write nothing
    #[arg(long)]
    dry_run: bool,
}

/// One settings edit: the install directory, the file, whether to write, and the other
/// install directories whose registrations go in the same write (installing: the ones the new
/// registrations replace; uninstalling: every other install the registrations name).
struct Target {
    bin: BinDir,
    settings: Option<PathBuf>,
    dry_run: bool,
    replace: Vec<PathBuf>,
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Hooks(HooksCommand::Install(t)) => edit(
            &Target {
                bin: t.bin,
                settings: t.edit.settings,
                dry_run: t.edit.dry_run,
                replace: t.replace,
            },
            Mode::Install,
        ),
        Command::Hooks(HooksCommand::Uninstall(t)) => uninstall(&Target {
            bin: BinDir { bin_dir: t.bin_dir },
            settings: t.edit.settings,
            dry_run: t.edit.dry_run,
            replace: Vec::new(),
        }),
        Command::Hooks(HooksCommand::Show(s)) if s.managed.managed => {
            managed::show(s.managed.root.as_deref())
        }
        Command::Hooks(HooksCommand::Show(s)) => show(&s.bin),
        Command::Hooks(HooksCommand::Locate(l)) => locate(&l),
        Command::Managed(m) => managed::run(m),
        Command::Doctor(args) => return doctor::run(&args),
        Command::Log(args) => log::run(&args),
        Command::Stats(args) => stats::run(&args),
        Command::Pause(args) => pause::run_pause(&args),
        Command::Resume(args) => pause::run_resume(&args),
        Command::Completions(args) => completions::run_completions(&args),
        Command::Man(args) => completions::run_man(&args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("zakon: error: {message}");
            ExitCode::from(1)
        }
    }
}

/// The `zakon` command line, for completions and the man page.
pub fn command() -> clap::Command {
    Cli::command()
}

/// The install directories the zakon registrations in a settings document run binaries
/// from, in file order. A registration whose binary is gone is left out: it is a stale
/// entry (doctor reports it), not an install to take apart.
pub fn install_dirs(value: &json::Json, home: &Path) -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = Vec::new();
    for (_, command) in all_commands(value) {
        if let Some((program, _)) = registration::zakon_binary_of(&command, home)
            && program.is_file()
            && let Some(dir) = program.parent()
        {
            let dir = zakon_core::paths::normalize(dir);
            if !dirs.contains(&dir) {
                dirs.push(dir);
            }
        }
    }
    dirs
}

fn locate(l: &Locate) -> Result<(), String> {
    let home = home();
    let file = SettingsFile::load(&settings_path(l.settings.as_deref()), &home)?;
    let dirs = install_dirs(&file.value, &home);
    if dirs.is_empty() {
        return Err(format!(
            "{} registers no zakon gate",
            zakon_core::paths::display_tilde(&file.path, &home)
        ));
    }
    for d in dirs {
        zakon_core::outln!("{}", d.display());
    }
    Ok(())
}

/// Uninstall from `--bin-dir`, or else from every install directory the registrations name:
/// the registrations are the record of where zakon was installed, so no `--prefix` is needed.
fn uninstall(t: &Target) -> Result<(), String> {
    if t.bin.bin_dir.is_some() {
        return edit(t, Mode::Uninstall);
    }
    let home = home();
    let path = settings_path(t.settings.as_deref());
    let file = SettingsFile::load(&path, &home)?;
    let dirs = install_dirs(&file.value, &home);
    if dirs.is_empty() {
        return Err(format!(
            "nothing to uninstall: {} registers no zakon gate{}. If zakon is registered in \
             another settings file, pass --settings FILE.",
            zakon_core::paths::display_tilde(&file.path, &home),
            if file.original.is_none() {
                " (the file does not exist)"
            } else {
                ""
            }
        ));
    }
    // Every install in one write, so the backup is the file as it was before this run (one
    // write per directory would leave a half-way state as the "previous version").
    let mut dirs = dirs.into_iter();
    let all = Target {
        bin: BinDir {
            bin_dir: dirs.next(),
        },
        settings: t.settings.clone(),
        dry_run: t.dry_run,
        replace: dirs.collect(),
    };
    edit(&all, Mode::Uninstall)
}

#[derive(Clone, Copy, PartialEq)]
enum Mode {
    Install,
    Uninstall,
}

/// The install directory: absolute and normalised, because Claude Code runs hook commands
/// from the project directory, where a relative path would name nothing.
pub fn bin_dir(arg: Option<&Path>) -> Result<PathBuf, String> {
    let dir = match arg {
        Some(d) => d.to_path_buf(),
        None => std::env::current_exe()
            .map_err(|e| format!("cannot find this executable's directory: {e}"))?
            .parent()
            .map(Path::to_path_buf)
            .ok_or("cannot find this executable's directory; pass --bin-dir")?,
    };
    let home = home();
    let cwd = std::env::current_dir().ok();
    Ok(zakon_core::paths::resolve(
        &dir.to_string_lossy(),
        &home,
        cwd.as_deref(),
    ))
}

/// `$HOME/.claude/settings.json` unless given.
pub fn settings_path(arg: Option<&Path>) -> PathBuf {
    match arg {
        Some(p) => p.to_path_buf(),
        None => home().join(".claude/settings.json"),
    }
}

/// The home of the person running `zakon` (`$ZAKON_HOME`, else `$HOME`: a shell's HOME is
/// the user's own choice, unlike a hook's — see `zakon_core::home`), absolute and with
/// symlinks resolved, so paths read back from disk (which are canonical) print as `~/…`.
pub fn home() -> PathBuf {
    let h = zakon_core::home::cli_home();
    std::fs::canonicalize(&h).unwrap_or(h)
}

fn edit(t: &Target, mode: Mode) -> Result<(), String> {
    let bin_dir = bin_dir(t.bin.bin_dir.as_deref())?;
    let home = home();
    let file = SettingsFile::load(&settings_path(t.settings.as_deref()), &home)?;
    let regs = registration::registrations()?;
    let mut value = file.value.clone();
    let changes = match mode {
        Mode::Install => {
            let mut changes = Vec::new();
            for old in &t.replace {
                let old = self::bin_dir(Some(old))?;
                if old != bin_dir {
                    changes.extend(settings::uninstall(&mut value, &old, &home)?);
                }
            }
            changes.extend(settings::install(&mut value, &regs, &bin_dir, &home)?);
            changes
        }
        Mode::Uninstall => {
            let mut changes = settings::uninstall(&mut value, &bin_dir, &home)?;
            for other in &t.replace {
                changes.extend(settings::uninstall(&mut value, other, &home)?);
            }
            changes
        }
    };
    let shown = zakon_core::paths::display_tilde(&file.path, &home);
    let verb = if mode == Mode::Install {
        "install"
    } else {
        "uninstall"
    };
    let new = if changes.is_empty() {
        file.original.clone().unwrap_or_default()
    } else {
        file.render(&value)
    };
    if mode == Mode::Install {
        warn_foreign(&value, &bin_dir, &home);
    }
    if t.dry_run && mode == Mode::Uninstall && !changes.is_empty() && value == json::Json::object()
    {
        print_changes(&changes);
        zakon_core::outln!("{shown}: would be removed (it holds only zakon's hooks).");
        zakon_core::outln!("dry run: nothing was written.");
        return Ok(());
    }
    if t.dry_run {
        print_changes(&changes);
        let old = String::from_utf8_lossy(file.original.as_deref().unwrap_or_default());
        let diff = diff::unified(
            &old,
            &String::from_utf8_lossy(&new),
            &shown,
            &format!("{shown} (after zakon hooks {verb})"),
            3,
        );
        if diff.is_empty() {
            zakon_core::outln!("{shown}: no change needed.");
        } else {
            zakon_core::out!("{diff}");
        }
        zakon_core::outln!("dry run: nothing was written.");
        return Ok(());
    }
    if changes.is_empty() {
        if mode == Mode::Uninstall {
            return Err(format!(
                "nothing to uninstall: {shown} has no hook entry running a zakon binary in {}",
                bin_dir.display()
            ));
        }
        zakon_core::outln!("{shown}: zakon hooks already {verb}ed; nothing written.");
        return Ok(());
    }
    // Uninstall leaving `{}` means the file held nothing but zakon's hooks: remove it rather
    // than leave a file that was not there before zakon.
    if mode == Mode::Uninstall && value == json::Json::object() {
        print_changes(&changes);
        std::fs::remove_file(&file.path).map_err(|e| format!("cannot remove {shown}: {e}"))?;
        zakon_core::outln!("{shown}: removed (it held only zakon's hooks).");
        return Ok(());
    }
    file.write(&new)?;
    print_changes(&changes);
    let backup = match &file.original {
        Some(_) => format!(
            " (previous version: {})",
            zakon_core::paths::display_tilde(&file.backup_path(), &home)
        ),
        None => String::new(),
    };
    zakon_core::outln!(
        "{shown}: {} change{} written{backup}.",
        changes.len(),
        if changes.len() == 1 { "" } else { "s" }
    );
    Ok(())
}

fn print_changes(changes: &[Change]) {
    for c in changes {
        zakon_core::outln!("  {c}");
    }
}

/// Registrations of zakon gates from some other directory (an older install, a copy made by
/// hand) keep running next to the new ones; say so rather than silently leave them.
fn warn_foreign(value: &json::Json, bin_dir: &Path, home: &Path) {
    for (event, command) in all_commands(value) {
        if registration::is_owned(&command, bin_dir, home) {
            continue;
        }
        if let Some((program, _)) = registration::zakon_binary_of(&command, home) {
            eprintln!(
                "zakon: note: {event} also runs {} (not under {}); remove that entry if it is \
                 an older install.",
                program.display(),
                bin_dir.display()
            );
        }
    }
}

/// Every (event, command) in a settings document, in file order.
pub fn all_commands(value: &json::Json) -> Vec<(String, String)> {
    use json::Json;
    let mut out = Vec::new();
    let Some(Json::Object(events)) = value.get("hooks") else {
        return out;
    };
    for (event, groups) in events {
        let Json::Array(groups) = groups else {
            continue;
        };
        for g in groups {
            if let Some(Json::Array(entries)) = g.get("hooks") {
                for h in entries {
                    if let Some(c) = h.get("command").and_then(Json::as_str) {
                        out.push((event.clone(), c.to_string()));
                    }
                }
            }
        }
    }
    out
}

fn show(b: &BinDir) -> Result<(), String> {
    let bin_dir = bin_dir(b.bin_dir.as_deref())?;
    let regs = registration::registrations()?;
    let mut value = json::Json::object();
    let home = home();
    settings::install(&mut value, &regs, &bin_dir, &home)?;
    zakon_core::out!(
        "{}",
        String::from_utf8_lossy(&json::Layout::default().render(&value))
    );
    Ok(())
}

/// The registrations, for doctor.
pub fn expected() -> Result<Vec<Registration>, String> {
    registration::registrations()
}
