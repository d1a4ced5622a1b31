//! blueprint-gate — schema-checked deploy blueprints and registry-checked ZAKON rule files.
//!
//! Hook mode (PreToolUse/PostToolUse on Write|Edit|MultiEdit, PreToolUse on Bash) judges the
//! content a tool will leave on disk; `scan` is the nightly watchdog over whole trees. The
//! ZAKON registry file itself is guarded too: an agent that added its own entry there would
//! approve its own rule file.

pub mod bash_write;
pub mod edit;
pub mod effects;
pub mod guard;
pub mod install_guard;
pub mod pause_cmd;
pub mod scan;
pub mod schema;
pub mod scope;

use clap::{Parser, Subcommand};
use edit::Change;
use schema::Schema;
use scope::{Kind, Scoped};
use serde::Deserialize;
use serde_json::json;
use std::path::PathBuf;
use std::process::ExitCode;
use zakon_core::{Context, Error, HookInput, Reason, Verdict, paths};

pub const GATE: &str = "blueprint-gate";

/// The escape valve's environment variable and its only accepted shape.
pub const OVERRIDE_ENV: &str = "BLUEPRINT_OVERRIDE";
/// Where the registry is, when not at its default path (as in zakon-registry).
const REGISTRY_ENV: &str = "ZAKON_REGISTRY";
pub(crate) const OVERRIDE_PREFIX: &str = "ceo-approved-";
/// The old opt-out that agents learned to paste in; it does nothing now.
const SKIP_COMMENT: &str = "<!-- blueprint-schema-validator: skip -->";

#[derive(Parser)]
#[command(
    name = "blueprint-gate",
    version,
    about = "Claude Code hook: deploy blueprints must pass the schema, ZAKON rule files must be registered",
    long_about = "Claude Code hook: deploy blueprints must pass the schema, ZAKON rule files must be registered.\n\n\
        Hook mode (no subcommand): reads one PreToolUse/PostToolUse JSON object on stdin for \
        Write, Edit, MultiEdit or Bash. In scope: **/BUILD-BLUEPRINT.md, **/DEPLOY-MAP.md \
        (schema: Owner, Last-Verified, ## Deploy, ## Verify with a concrete check, ## Rollback) \
        and ~/system/rules/zakon-*.md (must be approved in the ZAKON registry); the registry file \
        itself (~/system/rules/zakon-registry.json, $ZAKON_REGISTRY, config registry.path) and \
        the zakon config (~/.claude/zakon/config.json, $ZAKON_CONFIG) may not be written by an \
        agent, and an edit of a .claude/settings*.json may not remove or change zakon's hook \
        registrations, set disableAllHooks, set env BLUEPRINT_OVERRIDE/ZAKON_*/HOME/LD_* or add a \
        PreToolUse hook. Exit 0 allows, exit 2 blocks with the reason on stderr.\n\n\
        Effects check (every call; PostToolUse for any tool): the guarded files — settings in all \
        four scopes, config, registry, rule files, zakon's installed binaries, the project's \
        blueprints — are compared with the snapshot store (~/.claude/zakon/snapshots); what a \
        tool changed without authorisation is put back and reported (exit 2).\n\n\
        Escape valve: BLUEPRINT_OVERRIDE=ceo-approved-<MC task id> allows a blueprint write or a \
        Write/Edit of the registry, the config or the settings and is audit-logged; the old \
        <!-- blueprint-schema-validator: skip --> comment has no effect."
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Score every BUILD-BLUEPRINT.md / DEPLOY-MAP.md under ROOTs (exit 1 if any is below
    /// full score or stale)
    Scan(ScanArgs),
    /// Seed or show zakon's snapshot store (last-good copies the effects check restores
    /// from); the installer runs `snapshot --init --bin-dir DIR`
    Snapshot(SnapshotArgs),
}

#[derive(clap::Args)]
struct SnapshotArgs {
    /// Record the guarded files as they are now: what is missing from the store, the
    /// settings and the installed binaries (accepted blueprints, rule files, the registry
    /// and the config keep their stored version)
    #[arg(long)]
    init: bool,
    /// The install directory whose binaries are recorded [default: ~/.claude/zakon/bin]
    #[arg(long, value_name = "DIR", requires = "init")]
    bin_dir: Option<PathBuf>,
    /// Remove the store (the uninstaller does this after removing the hooks)
    #[arg(long, conflicts_with = "init")]
    clear: bool,
}

#[derive(clap::Args)]
struct ScanArgs {
    /// Directories to walk (a file is judged whatever its name) [default: .]
    roots: Vec<PathBuf>,
    /// Print JSON
    #[arg(long)]
    json: bool,
    /// A blueprint last verified more days ago than this is stale
    #[arg(long, value_name = "DAYS", default_value_t = 30)]
    max_age_days: u32,
}

/// The `blueprint_gate` section of the zakon config.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct GateConfig {
    /// A schema file replacing the built-in one (`~` allowed).
    #[serde(default)]
    schema_path: Option<String>,
    /// An inline schema replacing the built-in one.
    #[serde(default)]
    schema: Option<serde_json::Value>,
}

/// The command-line interface, for `zakon completions` and `zakon man`.
pub fn command() -> clap::Command {
    <Cli as clap::CommandFactory>::command()
}

pub fn main() -> ExitCode {
    // Hook mode has no arguments and runs on every tool call: skip building the clap parser.
    if std::env::args_os().len() <= 1 {
        return zakon_core::run(GATE, judge);
    }
    let cli = Cli::parse();
    match cli.command {
        None => zakon_core::run(GATE, judge),
        Some(Command::Scan(args)) => run_scan(args),
        Some(Command::Snapshot(args)) => run_snapshot(args),
    }
}

/// Checks the `blueprint_gate` section of a config the way the hook reads it (for `zakon
/// doctor`): unknown keys, a schema that does not load.
pub fn check_config(cfg: &zakon_core::config::Config, home: &std::path::Path) -> Result<(), Error> {
    load_schema(cfg, home).map(|_| ())
}

fn load_schema(cfg: &zakon_core::config::Config, home: &std::path::Path) -> Result<Schema, Error> {
    let section: GateConfig = cfg.section("blueprint_gate", &cfg.blueprint_gate)?;
    match (section.schema, section.schema_path) {
        (Some(_), Some(_)) => Err(Error::new(
            "config blueprint_gate: set either schema or schema_path, not both",
        )),
        (Some(inline), None) => Schema::parse(&inline.to_string(), "config blueprint_gate.schema"),
        (None, Some(p)) => {
            let path = paths::resolve(&p, home, None);
            let text = zakon_core::fsio::read_regular_string(&path)
                .map_err(|e| Error::io("read blueprint schema", &path, &e))?;
            Schema::parse(&text, &format!("blueprint schema {}", path.display()))
        }
        (None, None) => Schema::default_schema(),
    }
}

fn run_scan(args: ScanArgs) -> ExitCode {
    let home = paths::home();
    let schema = match zakon_core::config::Config::load(&home).and_then(|c| load_schema(&c, &home))
    {
        Ok(s) => s,
        Err(e) => {
            eprintln!("blueprint-gate scan: {e}");
            return ExitCode::from(2);
        }
    };
    let roots = if args.roots.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.roots
    };
    for r in &roots {
        if !r.exists() {
            eprintln!(
                "blueprint-gate scan: {} does not exist; pass the directories that hold your \
                 blueprints",
                r.display()
            );
            return ExitCode::from(2);
        }
    }
    let today = zakon_core::time::today_days();
    let (found, warnings) = scan::collect(&schema, &roots, today);
    for w in warnings {
        eprintln!("blueprint-gate scan: warning: {w}");
    }
    if scan::print(&found, today, i64::from(args.max_age_days), args.json) {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

fn run_snapshot(args: SnapshotArgs) -> ExitCode {
    let cwd = std::env::current_dir().ok();
    let input = HookInput {
        cwd: cwd.as_ref().map(|c| c.to_string_lossy().into_owned()),
        ..HookInput::default()
    };
    let ctx = Context::new(GATE, &input);
    let store = zakon_snapshot::Store::at_home(&ctx.home);
    let shown = paths::display_tilde(&store.dir, &ctx.home);
    let result = if args.clear {
        match std::fs::remove_dir_all(&store.dir) {
            Ok(()) => {
                zakon_core::outln!("zakon snapshot store {shown} removed.");
                Ok(())
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                zakon_core::outln!("zakon snapshot store {shown}: nothing to remove.");
                Ok(())
            }
            Err(e) => Err(Error::io("remove", &store.dir, &e)),
        }
    } else if args.init {
        let bin = args.bin_dir.map(|b| ctx.resolve(&b.to_string_lossy()));
        effects::seed(&ctx, &store, ctx.cwd(), &input, bin.as_deref()).map(|n| {
            zakon_core::outln!("zakon snapshot store {shown}: {n} guarded files recorded.");
        })
    } else {
        snapshot_status(&store, &ctx)
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("blueprint-gate snapshot: {e}");
            ExitCode::from(2)
        }
    }
}

/// Every recorded path with its kind and whether it still matches (by stat).
fn snapshot_status(store: &zakon_snapshot::Store, ctx: &Context) -> Result<(), Error> {
    let Some(index) = store.load()? else {
        zakon_core::outln!(
            "zakon snapshot store {}: not seeded; run `blueprint-gate snapshot --init`.",
            paths::display_tilde(&store.dir, &ctx.home)
        );
        return Ok(());
    };
    for (p, e) in &index.files {
        let now = zakon_snapshot::Observed::at(std::path::Path::new(p));
        let state = if e.unchanged(&now) {
            if e.sha.is_some() { "ok" } else { "ok (absent)" }
        } else {
            "changed since last check"
        };
        zakon_core::outln!(
            "{:<9} {:<25} {}",
            e.kind,
            state,
            paths::display_tilde(std::path::Path::new(p), &ctx.home)
        );
    }
    Ok(())
}

/// The hook: out-of-scope input leaves before any config, regex or disk work (one `lstat`
/// aside, to see through a symlinked file name).
fn judge(ctx: &Context, input: &HookInput) -> Result<Verdict, Error> {
    // Effects first, for every tool: what changed on disk is judged whatever the command or
    // the tool input said. After the tool this is the whole check.
    let effects = effects::check(ctx, input)?;
    if is_post(input) {
        return Ok(effects.map_or(Verdict::Allow, Verdict::Block));
    }
    if let Some(reason) = effects {
        return Ok(Verdict::Block(reason));
    }
    match input.tool() {
        "Write" | "Edit" | "MultiEdit" => judge_file(ctx, input),
        "Bash" => judge_bash(ctx, input),
        _ => Ok(Verdict::Allow),
    }
}

pub(crate) fn is_post(input: &HookInput) -> bool {
    input.event() == "PostToolUse"
}

fn judge_file(ctx: &Context, input: &HookInput) -> Result<Verdict, Error> {
    let Some(file_path) = input.tool_str("file_path")? else {
        return Err(Error::new(format!(
            "{} without tool_input.file_path: cannot tell whether it writes a blueprint",
            input.tool()
        )));
    };
    let lexical = ctx.resolve(file_path);
    if let Some(block) = install_guard::judge_path(ctx, input.tool(), &lexical) {
        return Ok(block);
    }
    let guarded = |name: &str| guarded_paths_named(ctx, name);
    let Some(scoped) = scope::classify(&lexical, &ctx.home, &guarded) else {
        return Ok(Verdict::Allow);
    };
    match scoped.kind {
        Kind::Rule => judge_rule(ctx, input, &scoped),
        Kind::Blueprint => judge_blueprint(ctx, input, &scoped),
        Kind::Registry => judge_registry(ctx, input, &scoped),
        Kind::Config => guard::judge_config(ctx, input, &scoped),
        Kind::Settings => guard::judge_settings(ctx, input, &scoped),
    }
}

/// Every place the registry may be: the default `~/system/rules/zakon-registry.json` (always,
/// so pointing `$ZAKON_REGISTRY` elsewhere does not free it), `$ZAKON_REGISTRY`, and — only
/// when `with_config`, because it reads the config file — `registry.path`. A config that
/// cannot be read adds nothing here: every rule-file write fails closed on it anyway.
fn registry_paths(ctx: &Context, with_config: bool) -> Vec<PathBuf> {
    let mut out = vec![
        ctx.home
            .join(zakon_registry::registry::DEFAULT_RELATIVE_PATH),
    ];
    if let Some(m) = zakon_core::mode::managed() {
        out.push(m.registry());
    }
    if let Ok(env) = std::env::var(REGISTRY_ENV)
        && !env.is_empty()
    {
        out.push(ctx.resolve(&env));
    }
    if with_config
        && let Ok(cfg) = ctx.config()
        && let Ok(section) =
            cfg.section::<zakon_registry::RegistryConfig>("registry", &cfg.registry)
        && let Some(p) = section.path
    {
        out.push(ctx.resolve(&p));
    }
    out
}

/// Every place the zakon config may be: the default `~/.claude/zakon/config.json` (always, so
/// pointing `$ZAKON_CONFIG` elsewhere does not free it) and `$ZAKON_CONFIG`.
fn config_paths(ctx: &Context) -> Vec<PathBuf> {
    let mut out = vec![ctx.home.join(guard::DEFAULT_CONFIG)];
    if let Some(m) = zakon_core::mode::managed() {
        out.push(m.config());
    }
    if let Ok(env) = std::env::var(guard::CONFIG_ENV)
        && !env.is_empty()
    {
        out.push(ctx.resolve(&env));
    }
    out
}

/// The registry and config paths whose lowercased file name is `name`, with their kind.
fn guarded_paths_named(ctx: &Context, name: &str) -> Vec<(Kind, PathBuf)> {
    let mut out: Vec<(Kind, PathBuf)> = registry_paths_named(ctx, name)
        .into_iter()
        .map(|p| (Kind::Registry, p))
        .collect();
    out.extend(
        config_paths(ctx)
            .into_iter()
            .filter(|p| lower_name(p) == name)
            .map(|p| (Kind::Config, p)),
    );
    out
}

fn lower_name(p: &std::path::Path) -> String {
    p.file_name()
        .map(|n| n.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default()
}

/// The registry paths whose lowercased file name is `name`. The config is consulted only for
/// `.json` names, so an out-of-scope `main.rs` costs no config read.
fn registry_paths_named(ctx: &Context, name: &str) -> Vec<PathBuf> {
    registry_paths(ctx, name.ends_with(".json"))
        .into_iter()
        .filter(|p| lower_name(p) == name)
        .collect()
}

/// The registry's lowercased file names for the Bash check; the config is read only when the
/// command mentions `.json`.
fn registry_names(ctx: &Context, lower_command: &str) -> Vec<String> {
    let mut names: Vec<String> = registry_paths(ctx, lower_command.contains(".json"))
        .iter()
        .map(|p| lower_name(p))
        .filter(|n| !n.is_empty())
        .collect();
    names.dedup();
    names
}

/// The registry itself: PreToolUse blocks unless the CEO override is set (and then only if
/// the result is still a usable registry); PostToolUse always reports the change.
fn judge_registry(ctx: &Context, input: &HookInput, scoped: &Scoped) -> Result<Verdict, Error> {
    let file = shown(ctx, scoped);
    let tool = input.tool();
    let override_value = std::env::var(OVERRIDE_ENV).ok().filter(|v| !v.is_empty());
    let mc_id = override_value.as_deref().and_then(override_mc_id);
    if is_post(input) {
        let state = match read_text(&scoped.real) {
            Ok(Some(text)) => match zakon_registry::parse(&text, &scoped.real, &ctx.home) {
                Ok(reg) => format!(
                    "It still validates ({} {}); run `{} list` to see them.",
                    reg.entries.len(),
                    if reg.entries.len() == 1 {
                        "entry"
                    } else {
                        "entries"
                    },
                    zakon_core::runnable::command("zakon-registry")
                ),
                Err(e) => format!(
                    "It no longer validates, so every rule-file write now fails closed:\n{}",
                    e.report(&ctx.home)
                ),
            },
            Ok(None) => "The file is gone, so every rule-file write now fails closed.".into(),
            Err(e) => format!("It cannot be read back: {e}."),
        };
        let how = match mc_id {
            Some(id) => format!("allowed by {OVERRIDE_ENV}, MC #{id}"),
            None => format!("without a valid {OVERRIDE_ENV}"),
        };
        return Ok(Verdict::Block(
            Reason::new(
                "zakon-registry-write",
                format!(
                    "{tool} changed the ZAKON registry \
                     {file} ({how}). {state}\nOnly the CEO changes the registry — an entry there \
                     approves a rule file. If the CEO did not approve this exact change, restore \
                     the previous content now and say so in your reply."
                ),
            )
            .with_details(json!({"file": file, "event": input.event(), "tool": tool,
                                 "mc_id": mc_id})),
        ));
    }
    if let Some(id) = mc_id {
        // The CEO allowed an edit; it must still leave a registry every gate can read.
        let change = edit::change_from_input(input)?;
        // Read for a Write too: the audit line names the entries the change adds.
        let current = read_text(&scoped.real)?;
        let before = current
            .as_deref()
            .and_then(|t| zakon_registry::parse(t, &scoped.real, &ctx.home).ok());
        let base = match &change {
            Change::Write(_) => None,
            Change::Edits(_) => current.as_deref(),
        };
        let after = edit::apply(base, &change)
            .map_err(|problem| {
                format!(
                    "{tool} on {file}: {}. Read the file again and retry with old_string \
                     copied exactly from its current content.",
                    problem.describe(tool == "MultiEdit")
                )
            })
            .and_then(|text| {
                zakon_registry::parse(&text, &scoped.real, &ctx.home).map_err(|e| {
                    format!(
                        "this {tool} would leave {file} unusable, and a broken registry blocks \
                         every rule-file write:\n{}\nCorrect the content, then run the same \
                         tool again.",
                        e.report(&ctx.home)
                    )
                })
            });
        let after = match after {
            Ok(reg) => reg,
            Err(why) => {
                return Ok(Verdict::Block(
                    Reason::new(
                        "zakon-registry-write",
                        format!(
                            "{OVERRIDE_ENV} (MC #{id}) \
                             allows editing the registry, but {why}"
                        ),
                    )
                    .with_details(json!({"file": file, "mc_id": id})),
                ));
            }
        };
        let ids = |r: &zakon_registry::Registry| -> Vec<String> {
            r.entries.iter().map(|e| e.zakon_id.clone()).collect()
        };
        let old_ids = before.as_ref().map(ids).unwrap_or_default();
        let added: Vec<String> = ids(&after)
            .into_iter()
            .filter(|i| !old_ids.contains(i))
            .collect();
        ctx.audit(
            "override",
            "zakon-registry-write",
            json!({"mc_id": id, "file": file, "event": input.event(), "tool": tool,
                   "entries": after.entries.len(), "added": added}),
        )?;
        eprintln!(
            "blueprint-gate: {tool} of the ZAKON registry {file} allowed by {OVERRIDE_ENV} \
             (MC #{id}), audit-logged."
        );
        return Ok(Verdict::Allow);
    }
    let zr = zakon_core::runnable::command("zakon-registry");
    let mut msg = format!(
        "this {tool} would change the ZAKON registry \
         {file}. An entry in the registry is what approves a rule file, so an agent writing it \
         would approve its own rules.\nFIX: do not edit the registry. Ask the CEO to approve the \
         rule in a Mission Control task; the CEO edits the registry by hand, or sets \
         {OVERRIDE_ENV}={OVERRIDE_PREFIX}<MC task id> in the environment Claude Code runs in so \
         this edit is allowed and audit-logged. Reading it stays allowed (`{zr} list`, \
         `cat`, `jq`)."
    );
    guard::reject_note(ctx, override_value, &file, &mut msg);
    Ok(Verdict::Block(
        Reason::new("zakon-registry-write", msg)
            .with_details(json!({"file": file, "event": input.event(), "tool": tool})),
    ))
}

pub(crate) fn shown(ctx: &Context, scoped: &Scoped) -> String {
    paths::display_tilde(&scoped.lexical, &ctx.home)
}

/// `zakon-*.md`: the registry decides, in-process; a broken registry blocks.
fn judge_rule(ctx: &Context, input: &HookInput, scoped: &Scoped) -> Result<Verdict, Error> {
    let cfg = ctx.config()?;
    let section: zakon_registry::RegistryConfig = cfg.section("registry", &cfg.registry)?;
    let path = zakon_registry::locate(None, section.path.as_deref(), &ctx.home, ctx.cwd());
    let after = if is_post(input) {
        " The write already happened: delete the file or get it approved."
    } else {
        ""
    };
    let registry = match zakon_registry::load(&path, &ctx.home) {
        Ok(r) => r,
        Err(e) => {
            return Ok(Verdict::Block(
                Reason::new(
                    "zakon-registry-error",
                    format!(
                        "cannot check the rule file {} because \
                         the registry is unusable.{after}\n{}",
                        shown(ctx, scoped),
                        e.report(&ctx.home)
                    ),
                )
                .with_details(json!({"file": shown(ctx, scoped), "error": e.headline()})),
            ));
        }
    };
    match zakon_registry::validate(&registry, &scoped.lexical, &ctx.home) {
        zakon_registry::Outcome::Pass { .. } => Ok(Verdict::Allow),
        zakon_registry::Outcome::Block { kind, message, fix } => Ok(Verdict::Block(
            Reason::new("zakon-registry", format!("{message}{after}\n{fix}"))
                .with_details(json!({"file": shown(ctx, scoped), "kind": format!("{kind:?}")})),
        )),
    }
}

fn judge_blueprint(ctx: &Context, input: &HookInput, scoped: &Scoped) -> Result<Verdict, Error> {
    let post = is_post(input);
    let file = shown(ctx, scoped);
    let content = if post {
        match read_text(&scoped.real)? {
            Some(c) => c,
            None => {
                return Ok(Verdict::Block(Reason::new(
                    "blueprint-schema",
                    format!(
                        "{file} does not exist after {}; nothing was \
                         written to check. Write the blueprint with the Write tool.",
                        input.tool()
                    ),
                )));
            }
        }
    } else {
        let change = edit::change_from_input(input)?;
        let current = match &change {
            Change::Write(_) => None,
            Change::Edits(_) => read_text(&scoped.real)?,
        };
        match edit::apply(current.as_deref(), &change) {
            Ok(c) => c,
            Err(problem) => {
                return Ok(Verdict::Block(
                    Reason::new(
                        "blueprint-edit",
                        format!(
                            "{} on {file}: {}. Claude Code would reject \
                             it too. Read the file again and retry with old_string copied \
                             exactly from its current content.",
                            input.tool(),
                            problem.describe(input.tool() == "MultiEdit")
                        ),
                    )
                    .with_details(json!({"file": file, "problem": format!("{problem:?}")})),
                ));
            }
        }
    };
    let schema = load_schema(ctx.config()?, &ctx.home)?;
    let report = schema.evaluate(&content, zakon_core::time::today_days());
    let skip = has_skip_comment(&content);
    if skip {
        // Logged even when the blueprint passes: someone is still trying the old opt-out.
        let _ = ctx.audit(
            "skip-comment-ignored",
            "blueprint-skip-comment",
            json!({"file": file, "event": input.event(), "score": report.score}),
        );
    }
    if report.passes() {
        return Ok(Verdict::Allow);
    }
    let missing: Vec<_> = report
        .missing
        .iter()
        .map(|m| json!({"element": m.label, "why": m.why}))
        .collect();
    let mut rejected = None;
    match std::env::var(OVERRIDE_ENV) {
        Ok(value) if !value.is_empty() => match override_mc_id(&value) {
            Some(mc_id) => {
                ctx.audit(
                    "override",
                    "blueprint-schema",
                    json!({"mc_id": mc_id, "file": file, "event": input.event(),
                           "score": report.score, "total": report.total, "missing": missing}),
                )?;
                eprintln!(
                    "blueprint-gate: {file} fails {}; allowed by {OVERRIDE_ENV} \
                     (MC #{mc_id}), audit-logged.",
                    report.summary()
                );
                return Ok(Verdict::Allow);
            }
            None => {
                let _ = ctx.audit(
                    "override-rejected",
                    "blueprint-override",
                    json!({"value": truncate(&value), "file": file}),
                );
                rejected = Some(value);
            }
        },
        _ => {}
    }
    let mut msg = if post {
        format!(
            "{file} was written but fails the blueprint schema ({}) — {}.\n",
            schema.name,
            report.summary()
        )
    } else {
        format!(
            "this {} would leave {file} failing the blueprint schema ({}) \
             — {}.\n",
            input.tool(),
            schema.name,
            report.summary()
        )
    };
    for m in &report.missing {
        msg.push_str(&format!("  - {}: {}; {}.\n", m.label, m.why, m.fix));
    }
    if post {
        msg.push_str(
            "Claude Code cannot undo the write: fix the file now with Edit so every element \
             is present.",
        );
    } else {
        msg.push_str("Add every missing element, then run the same tool again.");
    }
    if skip {
        msg.push_str(&format!(
            " The comment {SKIP_COMMENT} has no effect any more (its use is logged)."
        ));
    }
    if let Some(value) = rejected {
        msg.push_str(&format!(
            " {OVERRIDE_ENV}={:?} is not a valid override and was rejected: the only accepted \
             form is {}, set by the CEO in the environment Claude Code runs in.",
            truncate(&value),
            override_form()
        ));
    }
    Ok(Verdict::Block(
        Reason::new("blueprint-schema", msg).with_details(json!({
            "file": file, "event": input.event(), "score": report.score,
            "total": report.total, "missing": missing,
        })),
    ))
}

/// `ceo-approved-12345` → `12345`; anything else → None.
///
/// In managed mode the value alone proves nothing (user settings `env` reaches the hooks, so
/// the agent can set it): the id counts only when root has written the approval file
/// `/etc/zakon/approvals/<id>` (see `zakon_core::mode`).
pub fn override_mc_id(value: &str) -> Option<&str> {
    let id = value.strip_prefix(OVERRIDE_PREFIX)?;
    let shaped = !id.is_empty() && id.len() <= 20 && id.bytes().all(|b| b.is_ascii_digit());
    match zakon_core::mode::managed() {
        Some(m) if shaped => m.approved(id).then_some(id),
        _ => shaped.then_some(id),
    }
}

/// What an accepted override looks like, for rejection messages.
pub(crate) fn override_form() -> String {
    match zakon_core::mode::managed() {
        Some(m) => format!(
            "{OVERRIDE_PREFIX}<MC task id digits>, and in managed mode root's approval file {} \
             for that id",
            m.approval("<id>").display()
        ),
        None => format!("{OVERRIDE_PREFIX}<MC task id digits>"),
    }
}

pub(crate) fn truncate(s: &str) -> String {
    s.chars().take(80).collect()
}

/// The skip comment in any spacing or case.
fn has_skip_comment(content: &str) -> bool {
    let squeezed: String = content
        .chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect();
    squeezed.contains("blueprint-schema-validator:skip")
}

/// The file's text; `None` when it does not exist; not-UTF-8 or unreadable is an error.
pub(crate) fn read_text(path: &std::path::Path) -> Result<Option<String>, Error> {
    match zakon_core::fsio::read_regular_bounded(path, zakon_core::fsio::MAX_FILE_BYTES) {
        Ok(bytes) => String::from_utf8(bytes).map(Some).map_err(|_| {
            Error::new(format!(
                "{} is not UTF-8 text, so its schema cannot be checked",
                path.display()
            ))
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(Error::io("read", path, &e)),
    }
}

fn judge_bash(ctx: &Context, input: &HookInput) -> Result<Verdict, Error> {
    let Some(command) = input.tool_str("command")? else {
        return Ok(Verdict::Allow);
    };
    if pause_cmd::mentions(command)
        && let Some(sub) = pause_cmd::find(command)
    {
        let zakon = zakon_core::runnable::command("zakon");
        return Ok(Verdict::Block(
            Reason::new(
                "zakon-pause",
                format!(
                    "this Bash command runs \"zakon {sub}\". Pausing or resuming a gate is a \
                     human's decision, made at a terminal, never an agent's.\nFIX: do not run \
                     it. If a gate blocked you wrongly, say so in your reply and quote the block \
                     message; the user can run `{zakon} pause <gate> --for 30m` in their own \
                     terminal."
                ),
            )
            .with_details(json!({"subcommand": sub, "command": truncate(command)})),
        ));
    }
    if let Some(block) = install_guard::judge_bash(ctx, command) {
        return Ok(block);
    }
    // The fast exit for the thousands of unrelated commands: one byte scan, no parsing —
    // a command with no `>` and no file-writing program cannot write a file.
    if !bash_write::could_write(command) {
        return Ok(Verdict::Allow);
    }
    let lower = command.to_ascii_lowercase();
    let names = registry_names(ctx, &lower);
    let follow = |target: &str, through: bool| follow_link(ctx, target, through);
    let found = bash_write::scan(command, ctx.cwd(), &names, Some(&follow));
    let writes = found.writes;
    if let Some(bash_write::Unparsable(why)) = found.problem {
        let mentions = scope::mentions_scope(&lower)
            || lower.contains(".claude")
            || names.iter().any(|n| lower.contains(n));
        // An unrelated command the lexer chokes on is not this gate's business; one that names
        // a guarded file, or already wrote one before the bad part, is blocked (fail closed).
        if mentions || !writes.is_empty() {
            return Ok(Verdict::Block(Reason::new(
                "blueprint-bash-write",
                format!(
                    "this Bash command mentions a blueprint or rule file \
                     and cannot be parsed ({why}), so it may write one unchecked. Fix the \
                     quoting, or edit the file with the Write/Edit tool."
                ),
            )));
        }
    }
    if writes.is_empty() {
        return Ok(Verdict::Allow);
    }
    let list: Vec<String> = writes
        .iter()
        .map(|w| format!("{} (via {})", w.target, w.how))
        .collect();
    let any_rule = writes.iter().any(|w| w.rule);
    let any_registry = writes.iter().any(|w| w.registry);
    let any_config = writes.iter().any(|w| w.config);
    let any_settings = writes.iter().any(|w| w.settings);
    if any_config || any_settings {
        // No override: the content a Bash command leaves cannot be checked.
        return Ok(guard::bash_block(command, &list, any_config));
    }
    let mut rejected = None;
    if !any_rule
        && !any_registry
        && let Ok(value) = std::env::var(OVERRIDE_ENV)
    {
        if let Some(mc_id) = override_mc_id(&value) {
            ctx.audit(
                "override",
                "blueprint-bash-write",
                json!({"mc_id": mc_id, "targets": list, "command": truncate(command)}),
            )?;
            return Ok(Verdict::Allow);
        } else if !value.is_empty() {
            let _ = ctx.audit(
                "override-rejected",
                "blueprint-override",
                json!({"value": truncate(&value), "targets": list}),
            );
            rejected = Some(value);
        }
    }
    let zr = zakon_core::runnable::command("zakon-registry");
    let mut msg = if any_registry {
        format!(
            "this Bash command writes {} — the ZAKON \
             registry, which an agent never writes: an entry there is what approves a rule \
             file, so writing it would approve your own rules.\nFIX: leave the registry alone \
             and ask the CEO to approve the rule in a Mission Control task; the CEO edits the \
             registry by hand, or sets {OVERRIDE_ENV}={OVERRIDE_PREFIX}<MC task id> in the \
             environment Claude Code runs in, which allows a Write/Edit of it (never a Bash \
             write) and audit-logs it. Reading it stays allowed (`{zr} list`, `cat`, \
             `jq`).",
            list.join(", ")
        )
    } else {
        format!(
            "this Bash command writes {} — a write through Bash cannot \
             be checked against the blueprint schema or the ZAKON registry. Use the Write or \
             Edit tool for the file instead{}",
            list.join(", "),
            if any_rule {
                "; a zakon-*.md rule file also needs an approved entry in the ZAKON registry."
            } else {
                " so its content is checked (Owner, Last-Verified, ## Deploy, ## Verify, \
                 ## Rollback)."
            }
        )
    };
    if !any_registry {
        if writes.iter().any(|w| w.how.starts_with("git ")) {
            msg.push_str(
                " To bring back a stored version, print it with `git show REF:PATH`, then write \
                 that text with the Write tool so it is checked.",
            );
        }
        if writes.iter().any(|w| w.how == "curl" || w.how == "wget") {
            msg.push_str(
                " To use a downloaded file, download it to a scratch name (not a blueprint or \
                 rule file), then write its text with the Write tool.",
            );
        }
    }
    if let Some(value) = rejected {
        msg.push_str(&format!(
            " {OVERRIDE_ENV}={:?} is not a valid override and was rejected (expected {}).",
            truncate(&value),
            override_form()
        ));
    }
    let rule = if any_registry {
        "zakon-registry-write"
    } else {
        "blueprint-bash-write"
    };
    Ok(Verdict::Block(Reason::new(rule, msg).with_details(
        json!({"targets": list, "command": truncate(command)}),
    )))
}

/// A Bash write target whose name is not in scope by itself: the zakon config or a Claude
/// Code settings file (by resolved path; `$HOME/` and `${HOME}/` are read as `~/`), or —
/// when `through` (the writer opens the file) — a symlink (existing or dangling) to an
/// in-scope file, judged by the same rules as a Write to it. Costs one `lstat`, plus a
/// `readlink` chain only for symlinks; other names built from variables are not looked up.
fn follow_link(ctx: &Context, target: &str, through: bool) -> Option<bash_write::Linked> {
    let target = match ["$HOME/", "${HOME}/"]
        .iter()
        .find_map(|p| target.strip_prefix(p))
    {
        Some(rest) => format!("~/{rest}"),
        None => target.to_string(),
    };
    if target.contains('$') {
        return None;
    }
    let lexical = ctx.resolve(&target);
    let guarded = |name: &str| guarded_paths_named(ctx, name);
    let name = lower_name(&lexical);
    let by_path = scope::SETTINGS_NAMES.contains(&name.as_str())
        || config_paths(ctx).iter().any(|p| lower_name(p) == name);
    if by_path
        && let Some(s) = scope::classify(&lexical, &ctx.home, &guarded)
        && matches!(s.kind, Kind::Config | Kind::Settings)
    {
        return Some(bash_write::Linked {
            kind: s.kind,
            real: None,
        });
    }
    if !through {
        return None;
    }
    let is_link = std::fs::symlink_metadata(&lexical).is_ok_and(|m| m.file_type().is_symlink());
    if !is_link {
        return None;
    }
    scope::classify(&lexical, &ctx.home, &guarded).map(|s| bash_write::Linked {
        kind: s.kind,
        real: Some(paths::display_tilde(&s.real, &ctx.home)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn override_values() {
        for (v, want) in [
            ("ceo-approved-99911", Some("99911")),
            ("ceo-approved-1", Some("1")),
            ("ceo-approved-", None),
            ("ceo-approved-12a", None),
            ("CEO-APPROVED-12", None),
            ("yes", None),
            ("ceo-approved-12 ", None),
        ] {
            assert_eq!(override_mc_id(v), want, "{v}");
        }
    }

    #[test]
    fn skip_comment_in_any_spacing() {
        assert!(has_skip_comment(
            "x\n<!-- blueprint-schema-validator: skip -->\n"
        ));
        assert!(has_skip_comment("<!--Blueprint-Schema-Validator:SKIP-->"));
        assert!(!has_skip_comment("<!-- other -->"));
    }
}
