//! Managed mode, the fleet install: `zakon managed install|uninstall` (run by
//! `install.sh --managed` as root) and `zakon hooks show --managed`.
//!
//! Layout (every path below `--root`, which works like DESTDIR: files land under it, while
//! the drop-in names the paths they will have on the machine):
//! - binaries in `/usr/local/lib/zakon/bin` (root-owned, 0755; not on PATH, so a user's
//!   `zakon` in `~/.local/bin` and the fleet's never shadow each other);
//! - the hook registrations in the drop-in
//!   `/etc/claude-code/managed-settings.d/50-zakon.json`, with `allowManagedHooksOnly` and
//!   an `env` that empties `LD_PRELOAD`, `LD_AUDIT`, `LD_LIBRARY_PATH` and pins
//!   `ZAKON_CONFIG`/`ZAKON_REGISTRY` to root's files — user settings `env` reaches the hooks
//!   otherwise;
//! - config, registry and approvals in `/etc/zakon/` (root-owned, 0644/0755);
//! - per-user data (audit log, violations, verdict, dedup caches) stays in each user's home.
//!
//! Claude Code does not start when a managed drop-in is malformed, so the drop-in is
//! validated before it is written, and written by rename from a dot-file temporary name.

use crate::json::{Json, Layout};
use crate::registration::{self, BINARIES};
use crate::settings;
use clap::{Args, Subcommand};
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use zakon_core::mode;

/// Environment variables the drop-in empties: each makes every gate load code the agent
/// chose (a preloaded library can turn exit 2 into exit 0).
pub const EMPTIED_ENV: [&str; 3] = ["LD_PRELOAD", "LD_AUDIT", "LD_LIBRARY_PATH"];

/// The variables the drop-in pins, with their values.
pub fn pinned_env() -> Vec<(&'static str, String)> {
    let mut out: Vec<(&'static str, String)> =
        EMPTIED_ENV.iter().map(|k| (*k, String::new())).collect();
    out.push(("ZAKON_CONFIG", format!("/{}", mode::CONFIG)));
    out.push(("ZAKON_REGISTRY", format!("/{}", mode::REGISTRY)));
    out
}

/// The binaries' directory as the drop-in names it (on the machine, not under `--root`).
pub fn live_bin_dir() -> PathBuf {
    Path::new("/").join(mode::BIN_DIR)
}

#[derive(Subcommand)]
pub enum ManagedCommand {
    /// Install for every user of this machine (root): binaries, /etc/zakon, the drop-in
    Install(InstallArgs),
    /// Remove the drop-in and the binaries; /etc/zakon stays unless --purge
    Uninstall(UninstallArgs),
}

#[derive(Args)]
pub struct RootArg {
    /// Prefix for every path (a staging tree; tests use a temporary one)
    #[arg(long, value_name = "DIR", default_value = "/")]
    pub root: PathBuf,
}

#[derive(Args)]
pub struct InstallArgs {
    #[command(flatten)]
    root: RootArg,
    /// Directory with the built binaries [default: the directory of this `zakon`]
    #[arg(long, value_name = "DIR")]
    from: Option<PathBuf>,
    /// Registry installed to /etc/zakon/zakon-registry.json when none is there
    #[arg(long, value_name = "FILE")]
    registry_source: Option<PathBuf>,
    /// Print what would change; write nothing (root not needed)
    #[arg(long)]
    dry_run: bool,
}

#[derive(Args)]
pub struct UninstallArgs {
    #[command(flatten)]
    root: RootArg,
    /// Also remove /etc/zakon (config, registry, approvals)
    #[arg(long)]
    purge: bool,
    /// Print what would be removed; remove nothing
    #[arg(long)]
    dry_run: bool,
}

/// `--managed` (and `--root`) for `zakon hooks show`.
#[derive(Args)]
pub struct ManagedShow {
    /// Print the whole managed drop-in (the installed one, else the one install would write)
    #[arg(long)]
    pub managed: bool,
    /// With --managed: the prefix the managed files live under
    #[arg(long, value_name = "DIR", requires = "managed")]
    pub root: Option<PathBuf>,
}

pub fn run(cmd: ManagedCommand) -> Result<(), String> {
    match cmd {
        ManagedCommand::Install(a) => install(&a),
        ManagedCommand::Uninstall(a) => uninstall(&a),
    }
}

/// The drop-in document.
pub fn drop_in() -> Result<Json, String> {
    let mut doc = Json::object();
    doc.set("allowManagedHooksOnly", Json::Bool(true));
    let mut env = Json::object();
    for (k, v) in pinned_env() {
        env.set(k, Json::str(&v));
    }
    doc.set("env", env);
    let regs = registration::registrations()?;
    settings::install(&mut doc, &regs, &live_bin_dir(), Path::new("/"))?;
    Ok(doc)
}

pub fn render(doc: &Json) -> Vec<u8> {
    Layout::default().render(doc)
}

/// Checks drop-in bytes the way Claude Code will need them: one JSON object,
/// `allowManagedHooksOnly: true`, every pin, and every zakon registration with an absolute
/// command under the managed bin dir. Returns the problems (empty = valid).
pub fn validate(bytes: &[u8]) -> Vec<String> {
    let mut problems = Vec::new();
    let value: serde_json::Value = match serde_json::from_slice(bytes) {
        Ok(v) => v,
        Err(e) => return vec![format!("not valid JSON: {e}")],
    };
    if !value.is_object() {
        return vec!["the top level is not a JSON object".into()];
    }
    if value.get("allowManagedHooksOnly") != Some(&serde_json::Value::Bool(true)) {
        problems.push("allowManagedHooksOnly is not true".into());
    }
    for (k, want) in pinned_env() {
        let got = value.pointer(&format!("/env/{k}")).and_then(|v| v.as_str());
        if got != Some(want.as_str()) {
            problems.push(format!("env.{k} is {got:?}, expected {want:?}"));
        }
    }
    match registration::registrations() {
        Ok(regs) => {
            let text = String::from_utf8_lossy(bytes);
            let doc = Json::parse(&text).unwrap_or_else(|_| Json::object());
            let commands = crate::all_commands(&doc);
            for r in &regs {
                let found = commands
                    .iter()
                    .any(|(ev, c)| *ev == r.event && r.matches(c, &live_bin_dir(), Path::new("/")));
                if !found {
                    problems.push(format!("no registration {}", r.label()));
                }
            }
        }
        Err(e) => problems.push(e),
    }
    problems
}

fn say(dry: bool, what: &str) {
    if dry {
        zakon_core::outln!("would {what}");
    } else {
        zakon_core::outln!("{what}");
    }
}

fn root_owned(path: &Path, mode_bits: u32) -> Result<(), String> {
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode_bits))
        .map_err(|e| format!("chmod {}: {e}", path.display()))?;
    std::os::unix::fs::chown(path, Some(0), Some(0))
        .map_err(|e| format!("chown root:root {}: {e}", path.display()))
}

/// Creates `dir` (and missing parents) as root-owned 0755; existing directories are left
/// as they are (doctor reports them when they are unsafe).
fn make_dir(dir: &Path, dry: bool, made: &mut Vec<PathBuf>) -> Result<(), String> {
    let mut missing = Vec::new();
    let mut cur = Some(dir);
    while let Some(d) = cur {
        // A dry run creates nothing, so remember what it already announced.
        if d.exists() || made.iter().any(|m| m == d) {
            break;
        }
        missing.push(d.to_path_buf());
        cur = d.parent();
    }
    for d in missing.iter().rev() {
        say(dry, &format!("create {}/ (root, 0755)", d.display()));
        made.push(d.clone());
        if !dry {
            std::fs::create_dir(d).map_err(|e| format!("create {}: {e}", d.display()))?;
            root_owned(d, 0o755)?;
        }
    }
    Ok(())
}

/// Writes a root-owned file by rename from a dot-file temporary name, unless it already
/// holds exactly `bytes`.
fn put_file(path: &Path, bytes: &[u8], bits: u32, dry: bool) -> Result<(), String> {
    if std::fs::read(path).is_ok_and(|b| b == bytes) {
        let owned = std::fs::metadata(path)
            .is_ok_and(|m| mode::owned_safely(path, &m).is_ok() && m.mode() & 0o7777 == bits);
        if owned {
            zakon_core::outln!("unchanged {}", path.display());
            return Ok(());
        }
    }
    say(dry, &format!("write {} (root, {bits:o})", path.display()));
    if dry {
        return Ok(());
    }
    let perms = std::fs::Permissions::from_mode(bits);
    zakon_core::atomic::replace_file(path, bytes, Some(&perms))
        .map_err(|e| format!("write {}: {e}", path.display()))?;
    std::os::unix::fs::chown(path, Some(0), Some(0))
        .map_err(|e| format!("chown root:root {}: {e}", path.display()))
}

fn effective_uid() -> u32 {
    // SAFETY: geteuid(2) has no preconditions and cannot fail.
    unsafe extern "C" {
        safe fn geteuid() -> u32;
    }
    geteuid()
}

fn install(a: &InstallArgs) -> Result<(), String> {
    let root = &a.root.root;
    let dry = a.dry_run;
    if !dry && effective_uid() != 0 {
        return Err("a managed install writes root-owned files: run it as root \
                    (sudo ./install.sh --managed), or add --dry-run to see what it would do"
            .into());
    }
    let from = crate::bin_dir(a.from.as_deref())?;
    for b in BINARIES {
        if !from.join(b).is_file() {
            return Err(format!(
                "{} is missing; build first (cargo build --release) or pass --from DIR",
                from.join(b).display()
            ));
        }
    }
    // Validate the drop-in before anything is copied: a broken one would stop `claude`.
    let bytes = render(&drop_in()?);
    let problems = validate(&bytes);
    if !problems.is_empty() {
        return Err(format!(
            "the drop-in zakon built is invalid ({}); nothing was installed",
            problems.join("; ")
        ));
    }
    let bin = root.join(mode::BIN_DIR);
    let mut made = Vec::new();
    make_dir(&bin, dry, &mut made)?;
    for b in BINARIES {
        let new = std::fs::read(from.join(b))
            .map_err(|e| format!("read {}: {e}", from.join(b).display()))?;
        put_file(&bin.join(b), &new, 0o755, dry)?;
    }
    let etc = root.join("etc/zakon");
    make_dir(&root.join(mode::APPROVALS), dry, &mut made)?;
    let config = root.join(mode::CONFIG);
    if config.exists() {
        zakon_core::outln!("kept {}", config.display());
    } else {
        put_file(&config, DEFAULT_CONFIG.as_bytes(), 0o644, dry)?;
    }
    let registry = root.join(mode::REGISTRY);
    if registry.exists() {
        zakon_core::outln!("kept {}", registry.display());
    } else if let Some(src) = &a.registry_source {
        let text = std::fs::read(src).map_err(|e| format!("read {}: {e}", src.display()))?;
        put_file(&registry, &text, 0o644, dry)?;
    } else {
        eprintln!(
            "zakon: warning: no registry at {} and no --registry-source; every zakon-*.md \
             write fails closed until root puts one there",
            registry.display()
        );
    }
    let drop = root.join(mode::DROP_IN);
    make_dir(drop.parent().unwrap_or(&etc), dry, &mut made)?;
    put_file(&drop, &bytes, 0o644, dry)?;
    if dry {
        zakon_core::outln!("--- {} (as it would be written)", drop.display());
        zakon_core::out!("{}", String::from_utf8_lossy(&bytes));
        zakon_core::outln!("dry run: nothing was written.");
    } else if root == Path::new("/") {
        zakon_core::outln!(
            "Done: zakon is managed. Every user's Claude Code now runs the gates from {}; check \
             with: {} doctor --managed",
            live_bin_dir().display(),
            bin.join("zakon").display(),
        );
    } else {
        // A staging tree is a copy to ship, not this machine's install: no Claude Code here
        // reads its managed settings.
        zakon_core::outln!(
            "Done: zakon is installed into the staging root {}; this changes nothing on this \
             machine (only /{} is read by Claude Code). Deployed at /, every user's Claude Code \
             runs the gates from {}; check the staging tree with: {} doctor --managed{}",
            root.display(),
            mode::DROP_IN,
            live_bin_dir().display(),
            bin.join("zakon").display(),
            root_flag(root)
        );
    }
    Ok(())
}

fn root_flag(root: &Path) -> String {
    if root == Path::new("/") {
        String::new()
    } else {
        format!(" --root {}", root.display())
    }
}

/// The managed config install writes when none exists: the defaults, with a note for root.
pub const DEFAULT_CONFIG: &str = "{\n  \"_comment\": \"zakon managed config (root-owned; the \
gates ignore ~/.claude/zakon/config.json and $ZAKON_CONFIG while this file exists). Sections: \
claim_gate, artifact_gate, blueprint_gate, registry, audit_log - see the README.\"\n}\n";

fn uninstall(a: &UninstallArgs) -> Result<(), String> {
    let root = &a.root.root;
    let dry = a.dry_run;
    if !dry && effective_uid() != 0 {
        return Err("the managed files are root's: run it as root, or add --dry-run".into());
    }
    let mut removed = 0;
    let mut remove = |p: &Path| -> Result<(), String> {
        if std::fs::symlink_metadata(p).is_ok() {
            say(dry, &format!("remove {}", p.display()));
            removed += 1;
            if !dry {
                std::fs::remove_file(p).map_err(|e| format!("remove {}: {e}", p.display()))?;
            }
        }
        Ok(())
    };
    // The drop-in first: from then on no session runs a gate that is about to disappear.
    remove(&root.join(mode::DROP_IN))?;
    let bin = root.join(mode::BIN_DIR);
    for b in BINARIES {
        remove(&bin.join(b))?;
    }
    if !dry {
        let _ = std::fs::remove_dir(&bin);
        let _ = bin.parent().map(std::fs::remove_dir);
    }
    let etc = root.join("etc/zakon");
    if a.purge && etc.exists() {
        say(
            dry,
            &format!("remove {}/ (config, registry, approvals)", etc.display()),
        );
        removed += 1;
        if !dry {
            std::fs::remove_dir_all(&etc).map_err(|e| format!("remove {}: {e}", etc.display()))?;
        }
    }
    if removed == 0 {
        return Err(format!(
            "no managed zakon install found under {} (looked for {} and {}); nothing was \
             removed",
            root.display(),
            root.join(mode::DROP_IN).display(),
            bin.display()
        ));
    }
    if !a.purge && etc.exists() {
        // Only the real /etc switches this machine's gates into managed mode; a staging root
        // does so only for a gate run with ZAKON_MANAGED_ROOT pointing at it.
        if root == Path::new("/") {
            zakon_core::outln!(
                "kept {}/: while {} exists, any zakon binary on this machine runs in managed \
                 mode; remove it with --purge",
                etc.display(),
                root.join(mode::CONFIG).display()
            );
        } else {
            zakon_core::outln!(
                "kept {}/ (config, registry, approvals) in the staging root {}; it puts no \
                 gate of this machine into managed mode (only /{} does); remove it with --purge",
                etc.display(),
                root.display(),
                mode::CONFIG
            );
        }
    }
    if dry {
        zakon_core::outln!("dry run: nothing was removed.");
    } else {
        zakon_core::outln!("zakon managed install removed.");
    }
    Ok(())
}

/// `zakon hooks show --managed`: the installed drop-in as it is on disk, else the one
/// install would write (said on stderr, so stdout stays the file).
pub fn show(root: Option<&Path>) -> Result<(), String> {
    let root = root.unwrap_or(Path::new("/"));
    let path = root.join(mode::DROP_IN);
    match std::fs::read(&path) {
        Ok(bytes) => {
            eprintln!("# {}", path.display());
            zakon_core::out!("{}", String::from_utf8_lossy(&bytes));
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            eprintln!(
                "# {} is not installed; this is what install.sh --managed would write there:",
                path.display()
            );
            zakon_core::out!("{}", String::from_utf8_lossy(&render(&drop_in()?)));
        }
        Err(e) => return Err(format!("cannot read {}: {e}", path.display())),
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_drop_in_is_valid_and_breakage_is_caught() {
        let bytes = render(&drop_in().unwrap());
        assert_eq!(validate(&bytes), Vec::<String>::new());
        let text = String::from_utf8(bytes).unwrap();
        for (broken, want) in [
            (
                text.replace(
                    "\"allowManagedHooksOnly\": true",
                    "\"allowManagedHooksOnly\": false",
                ),
                "allowManagedHooksOnly",
            ),
            (
                text.replace("\"LD_PRELOAD\": \"\"", "\"LD_PRELOAD\": \"/x.so\""),
                "LD_PRELOAD",
            ),
            (
                text.replace(
                    "/usr/local/lib/zakon/bin/artifact-gate",
                    "/tmp/artifact-gate",
                ),
                "artifact-gate",
            ),
            (text[..text.len() - 3].to_string(), "not valid JSON"),
        ] {
            let p = validate(broken.as_bytes());
            assert!(p.iter().any(|m| m.contains(want)), "{want}: {p:?}");
        }
    }
}
