//! zakon-registry — the fail-closed ZAKON registry: which rule files may exist under
//! `~/system/rules/`, and the CLI that validates, lists, counts and audits them.
//!
//! blueprint-gate calls [`load`] and [`validate`] in-process for every `zakon-*.md` write.

pub mod audit;
pub mod registry;
pub mod validate;

pub use registry::{Entry, LoadError, Problem, Registry, RegistryConfig, load, locate, parse};
pub use validate::{BlockKind, Outcome, validate};

use clap::{Parser, Subcommand};
use serde_json::json;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use zakon_core::paths;

/// Exit codes of `validate` (spec §4): pass, block, registry unusable.
const PASS: u8 = 0;
const BLOCK: u8 = 2;
const REGISTRY_ERROR: u8 = 3;
/// `audit` found something.
const FINDINGS: u8 = 1;

#[derive(Parser)]
#[command(
    name = "zakon-registry",
    version,
    about = "Fail-closed ZAKON registry: which rule files under ~/system/rules/ may exist",
    long_about = "Fail-closed ZAKON registry: which rule files under ~/system/rules/ may exist.\n\n\
        The registry is ~/system/rules/zakon-registry.json, or --registry PATH, or \
        $ZAKON_REGISTRY, or the `registry.path` key of the zakon config.\n\n\
        Exit codes: 0 pass / nothing found; 1 audit findings; 2 validate blocked (or a usage \
        error); 3 registry missing, unparseable or inconsistent."
)]
struct Cli {
    /// Registry file to use (`~` allowed)
    #[arg(long, global = true, value_name = "PATH")]
    registry: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Exit 0 if the rule file PATH is registered and approved, 2 if not, 3 if the registry
    /// is broken
    Validate {
        /// The rule file, e.g. ~/system/rules/zakon-feasibility-check.md
        path: String,
    },
    /// Every entry with its status, MC task and token
    List {
        /// Print JSON
        #[arg(long)]
        json: bool,
    },
    /// Counts by status and the total
    Stats {
        /// Print JSON
        #[arg(long)]
        json: bool,
    },
    /// Unregistered rule files, registered files that are missing, SHA-256 mismatches (exit 1
    /// when anything is found)
    Audit {
        /// Print JSON
        #[arg(long)]
        json: bool,
    },
}

/// The command-line interface, for `zakon completions` and `zakon man`.
pub fn command() -> clap::Command {
    <Cli as clap::CommandFactory>::command()
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let cwd = std::env::current_dir().ok();
    let home = absolute(paths::home(), cwd.as_deref());
    let path = match registry_path(cli.registry.as_deref(), &home, cwd.as_deref()) {
        Ok(p) => p,
        Err(report) => {
            eprintln!("{report}");
            return ExitCode::from(REGISTRY_ERROR);
        }
    };
    let reg = match load(&path, &home) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("{}", e.report(&home));
            return ExitCode::from(REGISTRY_ERROR);
        }
    };
    let code = match cli.command {
        Command::Validate { path } => {
            let file = paths::resolve(&path, &home, cwd.as_deref());
            let outcome = validate(&reg, &file, &home);
            if outcome.is_pass() {
                zakon_core::outln!("{}", outcome.report());
                PASS
            } else {
                eprintln!("{}", outcome.report());
                BLOCK
            }
        }
        Command::List { json } => {
            print_list(&reg, &home, json);
            PASS
        }
        Command::Stats { json } => {
            print_stats(&reg, &home, json);
            PASS
        }
        Command::Audit { json } => {
            let found = audit::audit(&reg, &home);
            print_audit(&reg, &home, &found, json);
            if found.count() == 0 { PASS } else { FINDINGS }
        }
    };
    ExitCode::from(code)
}

/// Resolves the registry path, reading the config only when neither `--registry` nor
/// `$ZAKON_REGISTRY` decides it. An invalid config is an error (exit 3), not a default.
fn registry_path(
    explicit: Option<&str>,
    home: &Path,
    cwd: Option<&Path>,
) -> Result<PathBuf, String> {
    let env_set = std::env::var_os("ZAKON_REGISTRY").is_some_and(|v| !v.is_empty())
        && zakon_core::mode::managed().is_none();
    let configured = if explicit.is_some() || env_set {
        None
    } else {
        let section = zakon_core::config::Config::load(home)
            .and_then(|cfg| cfg.section::<RegistryConfig>("registry", &cfg.registry));
        match section {
            Ok(s) => s.path,
            Err(e) => {
                return Err(format!(
                    "ZAKON_REGISTRY_ERROR: {e}\nFIX: fix what the line above names in {} (or \
                     move it aside to use the defaults); to skip the config for one run, give \
                     zakon-registry the registry file: zakon-registry --registry PATH ...",
                    paths::display_tilde(&zakon_core::config::Config::path(home), home)
                ));
            }
        }
    };
    Ok(locate(explicit, configured.as_deref(), home, cwd))
}

fn absolute(p: PathBuf, cwd: Option<&Path>) -> PathBuf {
    match cwd {
        Some(c) if p.is_relative() => paths::normalize(&c.join(p)),
        _ => p,
    }
}

fn print_json(v: &serde_json::Value) {
    zakon_core::outln!(
        "{}",
        serde_json::to_string_pretty(v).unwrap_or_else(|_| v.to_string())
    );
}

fn print_list(reg: &Registry, home: &Path, as_json: bool) {
    let shown = paths::display_tilde(&reg.path, home);
    if as_json {
        let entries: Vec<_> = reg
            .entries
            .iter()
            .map(|e| {
                json!({
                    "zakon_id": e.zakon_id,
                    "status": e.status,
                    "mc_task": e.mc_task,
                    "ceo_approved_token": e.ceo_approved_token,
                    "file_path": e.file_path,
                    "approved": e.is_approved(),
                })
            })
            .collect();
        print_json(&json!({"registry": shown, "version": reg.version, "entries": entries}));
        return;
    }
    let rows: Vec<[String; 5]> = reg
        .entries
        .iter()
        .map(|e| {
            [
                e.zakon_id.clone(),
                e.status.clone(),
                e.mc_task
                    .map(|n| n.to_string())
                    .unwrap_or_else(|| "-".into()),
                e.ceo_approved_token.clone().unwrap_or_else(|| "-".into()),
                e.file_path.clone(),
            ]
        })
        .collect();
    print_table(&["ZAKON_ID", "STATUS", "MC_TASK", "TOKEN", "FILE"], &rows);
    zakon_core::outln!("{} entries in {shown}", reg.entries.len());
}

fn print_stats(reg: &Registry, home: &Path, as_json: bool) {
    let mut by_status: BTreeMap<&str, usize> = BTreeMap::new();
    for e in &reg.entries {
        *by_status.entry(e.status.as_str()).or_default() += 1;
    }
    let approved = reg.entries.iter().filter(|e| e.is_approved()).count();
    let total = reg.entries.len();
    if as_json {
        print_json(&json!({
            "registry": paths::display_tilde(&reg.path, home),
            "total": total,
            "approved": approved,
            "by_status": by_status,
        }));
        return;
    }
    let mut rows: Vec<[String; 2]> = by_status
        .iter()
        .map(|(s, n)| [s.to_string(), n.to_string()])
        .collect();
    rows.push(["total".into(), total.to_string()]);
    print_table(&["STATUS", "COUNT"], &rows);
    zakon_core::outln!(
        "{approved} of {total} entries allow their file to exist (approved or grandfathered)"
    );
}

fn print_audit(reg: &Registry, home: &Path, f: &audit::Findings, as_json: bool) {
    let shown = paths::display_tilde(&reg.path, home);
    if as_json {
        print_json(&json!({
            "registry": shown,
            "rules_dir": paths::display_tilde(&audit::rules_dir(home), home),
            "findings": f.count(),
            "unregistered": f.unregistered,
            "missing": f.missing,
            "sha256_mismatch": f.sha256_mismatch,
            "unreadable": f.unreadable,
        }));
        return;
    }
    for path in &f.unregistered {
        zakon_core::outln!(
            "UNREGISTERED  {path}  (no registry entry: written without CEO approval?)"
        );
    }
    for m in &f.missing {
        zakon_core::outln!("MISSING       {}  {}", m.file_path, m.zakon_id);
    }
    for m in &f.sha256_mismatch {
        zakon_core::outln!(
            "SHA256        {}  {}: published {}, actual {}",
            m.file_path,
            m.zakon_id,
            m.published_sha256,
            m.actual_sha256
        );
    }
    for u in &f.unreadable {
        zakon_core::outln!("UNREADABLE    {u}");
    }
    if f.count() == 0 {
        zakon_core::outln!(
            "clean: {} registered entries, every file present, no unregistered rule file, no \
             SHA-256 mismatch ({shown})",
            reg.entries.len()
        );
    } else {
        zakon_core::outln!("{} finding(s) ({shown})", f.count());
    }
}

fn print_table<const N: usize>(header: &[&str; N], rows: &[[String; N]]) {
    let mut width = header.map(str::len);
    for row in rows {
        for (w, cell) in width.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let line = |cells: Vec<&str>| {
        let mut out = String::new();
        for (i, (cell, w)) in cells.iter().zip(width).enumerate() {
            if i + 1 == N {
                out.push_str(cell);
            } else {
                out.push_str(&format!("{cell:<w$}  "));
            }
        }
        zakon_core::outln!("{}", out.trim_end());
    };
    line(header.to_vec());
    for row in rows {
        line(row.iter().map(String::as_str).collect());
    }
}
