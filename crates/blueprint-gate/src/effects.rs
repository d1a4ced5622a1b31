//! The effects check: before and after every tool call, the guarded files are compared with
//! zakon's snapshot store, and what changed without authorisation is put back.
//!
//! Command parsing only sees how a write is spelled; this sees what happened on disk, so an
//! interpreter, a wrapper, an MCP write tool, NotebookEdit or a hook that rewrote the tool's
//! input are all judged the same way. The guarded set is ground truth, not the tool input:
//! Claude Code settings in all four scopes, the zakon config, the ZAKON registry, the rule
//! files in `~/system/rules/`, zakon's installed binaries (seeded by the installer) and the
//! project's blueprints (found by one walk per session, again after each file-writing tool,
//! and by their known paths on every call).
//!
//! Accepted (and stored as the new good version): a blueprint that passes the schema, a rule
//! file the registry approves, a settings change that leaves zakon as it was, and anything
//! under a valid `BLUEPRINT_OVERRIDE`. Everything else is restored — the version zakon
//! replaces is kept in the store's `quarantine/`, and a file that should not exist is moved
//! there — and the call ends in exit 2 saying what changed and the approved way.

use crate::guard::{SETTINGS_FIX, settings_problems, zakon_hooks};
use crate::scope::{self, Kind};
use crate::{OVERRIDE_ENV, OVERRIDE_PREFIX, override_mc_id};
use serde_json::{Value, json};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use walkdir::WalkDir;
use zakon_core::{Context, Error, HookInput, Reason, paths};
use zakon_snapshot::store::Walk;
use zakon_snapshot::{Entry, Index, Observed, Store, install, read};

/// Directories the blueprint walk does not enter (as `scan`), plus build output.
const SKIP_DIRS: [&str; 3] = [".git", "node_modules", "target"];
/// A walk stops after this many entries (a session started in `/` or a huge home).
const MAX_WALK_ENTRIES: usize = 500_000;

fn kind_name(k: Kind) -> &'static str {
    match k {
        Kind::Blueprint => "blueprint",
        Kind::Rule => "rule",
        Kind::Registry => "registry",
        Kind::Config => "config",
        Kind::Settings => "settings",
    }
}

/// The config first (everything after it may read it; a FIFO there must be gone before
/// that), then the registry: rule files are judged against the registry as restored.
fn order(kind: &str) -> u8 {
    match kind {
        "config" => 0,
        "install" => 1,
        "registry" => 2,
        "settings" => 3,
        "rule" => 4,
        _ => 5,
    }
}

/// One path to compare. `baseline`: a file zakon has not seen before is accepted as it is
/// (it predates this session or this tool) rather than judged as new.
#[derive(Debug, Clone)]
struct Candidate {
    path: PathBuf,
    kind: String,
    baseline: bool,
    /// Record an absence too, so the file's later creation is a change.
    fixed: bool,
}

/// What zakon did with one changed file.
struct Restored {
    file: String,
    kind: String,
    what: String,
    why: String,
    kept: Option<String>,
    /// The file should not exist at all (it was created), so nothing was written back.
    created: bool,
}

/// The project whose blueprints and settings are guarded: `$CLAUDE_PROJECT_DIR`, else the
/// hook input's cwd.
fn project_dir(ctx: &Context) -> Option<PathBuf> {
    std::env::var_os("CLAUDE_PROJECT_DIR")
        .filter(|v| !v.is_empty())
        .map(|v| paths::normalize(Path::new(&v)))
        .or_else(|| ctx.cwd().map(Path::to_path_buf))
        .map(|p| paths::canonical(&p))
}

/// Tools that write files whose names zakon cannot know in advance: after them the project
/// is walked again for blueprints.
fn writes_files(tool: &str) -> bool {
    matches!(tool, "Write" | "Edit" | "MultiEdit" | "NotebookEdit") || tool.starts_with("mcp__")
}

fn key_of(p: &Path) -> String {
    p.to_string_lossy().into_owned()
}

/// Every blueprint under `root`.
fn walk(root: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let it = WalkDir::new(root)
        .into_iter()
        .filter_entry(|e| {
            !(e.file_type().is_dir()
                && e.depth() > 0
                && SKIP_DIRS.iter().any(|s| e.file_name() == *s))
        })
        .take(MAX_WALK_ENTRIES);
    for e in it.flatten() {
        if !e.file_type().is_dir() && scope::is_blueprint_name(&e.file_name().to_string_lossy()) {
            out.push(key_of(e.path()));
        }
    }
    out
}

/// The fixed part of the guarded set: settings in every scope, the config, the registry, the
/// rule files, the project's top-level blueprint names and the tool's own target.
fn fixed(ctx: &Context, project: Option<&Path>, input: &HookInput) -> Vec<Candidate> {
    // Symlinks are followed: a dotfiles manager's symlinked settings.json is guarded where it
    // really is (and a symlink planted over a known file is caught by that file's entry).
    let fixed = |path: PathBuf, kind: &str| Candidate {
        path: paths::canonical(&path),
        kind: kind.to_string(),
        baseline: false,
        fixed: true,
    };
    let mut out = Vec::new();
    let claude = ctx.home.join(".claude");
    let mut settings_dirs = vec![claude];
    if let Some(p) = project {
        settings_dirs.push(p.join(".claude"));
    }
    for d in settings_dirs {
        for name in ["settings.json", "settings.local.json"] {
            out.push(fixed(d.join(name), "settings"));
        }
    }
    // Reading the config to find a moved registry is safe only when every config path is a
    // regular file (or absent): a FIFO there would hang the read, and is restored first.
    let config_ok = crate::config_paths(ctx).iter().all(|p| {
        matches!(
            Observed::at(&paths::canonical(p)),
            Observed::Absent | Observed::Regular(_)
        )
    });
    for p in crate::config_paths(ctx) {
        out.push(fixed(p, "config"));
    }
    for p in crate::registry_paths(ctx, config_ok) {
        out.push(fixed(p, "registry"));
    }
    if let Ok(dir) = std::fs::read_dir(ctx.home.join(scope::RULES_DIR)) {
        for e in dir.flatten() {
            if scope::is_rule_name(&e.file_name().to_string_lossy()) {
                out.push(fixed(e.path(), "rule"));
            }
        }
    }
    if let Some(p) = project {
        for name in ["BUILD-BLUEPRINT.md", "DEPLOY-MAP.md"] {
            out.push(fixed(p.join(name), "blueprint"));
        }
    }
    // The tool's own target: before the tool runs, what is there is the baseline.
    let post = crate::is_post(input);
    for target in tool_targets(input).into_iter().filter(|_| config_ok) {
        let lexical = ctx.resolve(&target);
        let named = |name: &str| crate::guarded_paths_named(ctx, name);
        if let Some(s) = scope::classify(&lexical, &ctx.home, &named) {
            out.push(Candidate {
                path: s.real,
                kind: kind_name(s.kind).to_string(),
                baseline: !post,
                fixed: false,
            });
        }
    }
    out
}

/// The paths a tool call names: `file_path`, `path`, `notebook_path` in its input, and the
/// `filePath` Claude Code reports back after a Write/Edit.
fn tool_targets(input: &HookInput) -> Vec<String> {
    let mut out = Vec::new();
    for (v, keys) in [
        (
            input.tool_input.as_ref(),
            &["file_path", "path", "notebook_path"][..],
        ),
        (input.tool_response.as_ref(), &["filePath", "file_path"][..]),
    ] {
        let Some(v) = v else { continue };
        for k in keys {
            if let Some(s) = v.get(k).and_then(Value::as_str)
                && !s.is_empty()
            {
                out.push(s.to_string());
            }
        }
    }
    out
}

/// After a tool ran: the guarded paths it names (symlinks followed).
fn post_targets(ctx: &Context, input: &HookInput) -> BTreeSet<String> {
    if !crate::is_post(input) {
        return BTreeSet::new();
    }
    tool_targets(input)
        .iter()
        .map(|t| key_of(&paths::canonical(&ctx.resolve(t))))
        .collect()
}

/// Runs the check. `Ok(None)`: nothing changed, or every change was accepted. The store is
/// seeded on first use (everything there is taken as it is).
pub fn check(ctx: &Context, input: &HookInput) -> Result<Option<Reason>, Error> {
    let store = Store::at_home(&ctx.home);
    let project = project_dir(ctx);
    let index = match store.load()? {
        Some(i) => i,
        None => {
            seed(ctx, &store, project.as_deref(), input, None)?;
            store.load()?.unwrap_or_default()
        }
    };
    let key = format!(
        "{}\u{0}{}",
        ctx.session_id,
        project.as_deref().map(key_of).unwrap_or_default()
    );
    let first_walk = project.is_some() && !index.walks.contains_key(&key);
    let rewalk = project.is_some() && crate::is_post(input) && writes_files(input.tool());
    let walked = match &project {
        Some(p) if first_walk || rewalk => Some(walk(p)),
        _ => None,
    };
    let mut cands = fixed(ctx, project.as_deref(), input);
    for (p, e) in &index.files {
        // Another project's blueprints are that project's sessions' business (a temporary
        // project that is gone must not be re-created).
        if e.kind == "blueprint"
            && !project
                .as_deref()
                .is_some_and(|d| Path::new(p).starts_with(d))
        {
            continue;
        }
        cands.push(Candidate {
            path: PathBuf::from(p),
            kind: e.kind.clone(),
            baseline: false,
            fixed: false,
        });
    }
    let cached = index.walks.get(&key).map(|w| w.files.clone());
    for p in walked.iter().chain(cached.iter()).flatten() {
        cands.push(Candidate {
            path: paths::canonical(Path::new(p)),
            kind: "blueprint".into(),
            baseline: first_walk,
            fixed: false,
        });
    }
    let mut seen = BTreeSet::new();
    cands.retain(|c| seen.insert(key_of(&c.path)));
    // What this tool itself wrote is never taken as a baseline, even on a first walk.
    let written = post_targets(ctx, input);
    for c in &mut cands {
        if written.contains(&key_of(&c.path)) {
            c.baseline = false;
        }
    }
    let pending: Vec<Candidate> = cands
        .into_iter()
        .filter(|c| match index.files.get(&key_of(&c.path)) {
            Some(e) => !e.unchanged(&Observed::at(&c.path)),
            None => !matches!(Observed::at(&c.path), Observed::Absent) || c.fixed,
        })
        .collect();
    // A walk that found what the session already knew needs no write either.
    if pending.is_empty() && (walked.is_none() || (!first_walk && walked == cached)) {
        return Ok(None);
    }
    let _lock = store.lock()?;
    // Read again under the lock: a concurrent gate may have settled some of these already.
    let mut index = store.load()?.unwrap_or_default();
    if let (Some(files), Some(p)) = (walked, &project) {
        index.remember_walk(
            key,
            Walk {
                root: key_of(p),
                at: zakon_core::time::unix_now(),
                files,
            },
        );
    }
    let mut pending = pending;
    pending.sort_by_key(|c| order(&c.kind));
    // Before a tool, and while a human has paused blueprint-gate, a change is accepted (and
    // logged) rather than judged: restoring it then would undo the user's own work.
    let accept = !crate::is_post(input) || zakon_core::pause::active(&ctx.home, ctx.gate).is_some();
    let mut restored = Vec::new();
    for c in &pending {
        settle(ctx, accept, &store, &mut index, c, &mut restored)?;
    }
    store.save(&index)?;
    if restored.is_empty() {
        return Ok(None);
    }
    Ok(Some(report(input, &restored)))
}

/// Compares one candidate with its entry and accepts, records or restores it.
fn settle(
    ctx: &Context,
    accept: bool,
    store: &Store,
    index: &mut Index,
    c: &Candidate,
    restored: &mut Vec<Restored>,
) -> Result<(), Error> {
    let key = key_of(&c.path);
    let now = Observed::at(&c.path);
    let known = index.files.get(&key).cloned();
    match &known {
        Some(e) if e.unchanged(&now) => return Ok(()),
        None if matches!(now, Observed::Absent) => {
            if c.fixed {
                index.files.insert(key, Entry::absent(&c.kind));
            }
            return Ok(());
        }
        None if c.baseline => {
            if let Observed::Regular(_) = now {
                index.files.insert(key, store.capture(&c.path, &c.kind)?);
            }
            return Ok(());
        }
        _ => {}
    }
    let entry = known.unwrap_or_else(|| Entry::absent(&c.kind));
    if accept && entry.kind != install::KIND {
        // Changed between two tool calls: by the user (an editor, a terminal — the CEO's
        // hand-edit of the registry is the approved way) or by something the agent left
        // running. Taken as the new good version, and logged.
        let accepted = match now {
            Observed::Regular(_) => store.capture(&c.path, &entry.kind)?,
            _ => Entry::absent(&entry.kind),
        };
        if accepted != entry {
            // Not the audit log (blocks and overrides only): the store's own journal.
            let _ = store.journal(&json!({
                "timestamp": zakon_core::time::now_rfc3339(), "session_id": ctx.session_id,
                "decision": "accepted-between-calls", "file": key, "kind": entry.kind,
                "sha": accepted.sha, "was": entry.sha,
            }));
        }
        index.files.insert(key, accepted);
        return Ok(());
    }
    if install::difference(&c.path, &entry)?.is_none() {
        // Same bytes and mode (a `touch`, a rewrite with the same text): remember the stat.
        let fresh = match now {
            Observed::Absent => entry.clone(),
            _ => store.capture(&c.path, &entry.kind)?,
        };
        index.files.insert(key, fresh);
        return Ok(());
    }
    let old = entry.sha.as_deref().map(|s| store.get(s)).transpose()?;
    let new = match now {
        Observed::Absent => Ok(None),
        Observed::Regular(_) => Ok(read::regular(&c.path)?),
        Observed::Other(what) => Err(what),
    };
    let what = match (&new, &old) {
        (Err(w), _) => format!("was replaced by {w}"),
        (Ok(None), _) => "was deleted or moved away".to_string(),
        (Ok(Some(_)), None) => "was created".to_string(),
        (Ok(Some(_)), Some(_)) => "was changed".to_string(),
    };
    let problem = match &new {
        Err(_) => Some("a guarded file must stay a regular file".to_string()),
        Ok(n) => judge(ctx, &entry.kind, &c.path, old.as_deref(), n.as_deref())?,
    };
    let Some(why) = problem else {
        let accepted = match new {
            Ok(None) => Entry::absent(&entry.kind),
            _ => store.capture(&c.path, &entry.kind)?,
        };
        index.files.insert(key, accepted);
        return Ok(());
    };
    let unusable = match (&new, entry.kind.as_str()) {
        (Ok(Some(b)), "registry" | "config") => still_usable(ctx, &entry.kind, &c.path, b).err(),
        _ => None,
    };
    if entry.kind != install::KIND
        && unusable.is_none()
        && let Some(id) = std::env::var(OVERRIDE_ENV)
            .ok()
            .as_deref()
            .and_then(override_mc_id)
    {
        ctx.audit(
            "override",
            "zakon-effects",
            json!({"mc_id": id, "file": key, "kind": entry.kind, "what": what, "why": why}),
        )?;
        let accepted = match new {
            Ok(None) => Entry::absent(&entry.kind),
            _ => store.capture(&c.path, &entry.kind)?,
        };
        index.files.insert(key, accepted);
        return Ok(());
    }
    let why = match unusable {
        Some(u) => format!("{why}; {u}"),
        None => why,
    };
    // Nothing is thrown away: what the tool left is moved into the quarantine first.
    let kept = match &new {
        Ok(None) => None,
        _ => Some(store.move_aside(&c.path)?),
    };
    let back = store.restore(&c.path, &entry)?;
    index.files.insert(key, back);
    restored.push(Restored {
        file: paths::display_tilde(&c.path, &ctx.home),
        kind: entry.kind.clone(),
        what,
        why,
        kept: kept.map(|k| paths::display_tilde(&k, &ctx.home)),
        created: entry.sha.is_none(),
    });
    Ok(())
}

/// Whether a change is allowed: `None` accepts it, `Some(why)` has it restored. `old` is the
/// accepted content (`None`: the file was not there), `new` what the tool left (`None`: gone).
fn judge(
    ctx: &Context,
    kind: &str,
    path: &Path,
    old: Option<&[u8]>,
    new: Option<&[u8]>,
) -> Result<Option<String>, Error> {
    let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    Ok(match kind {
        "blueprint" => match new {
            None => Some("a blueprint is never deleted by an agent".into()),
            Some(bytes) => {
                let schema = crate::load_schema(ctx.config()?, &ctx.home)?;
                let report = schema.evaluate(&text(bytes), zakon_core::time::today_days());
                (!report.passes()).then(|| {
                    format!(
                        "it fails the blueprint schema ({}) — {}",
                        schema.name,
                        report.summary()
                    )
                })
            }
        },
        "rule" => match new {
            None => Some("a rule file is never deleted by an agent".into()),
            Some(bytes) => rule_problem(ctx, path, bytes)?,
        },
        "registry" => Some(
            "only the CEO changes the ZAKON registry — an entry there approves a rule file".into(),
        ),
        "config" => Some(
            "only the CEO changes the zakon config — it can switch the gates' rules off".into(),
        ),
        "settings" => {
            let parse = |b: Option<&[u8]>| b.and_then(|b| serde_json::from_slice::<Value>(b).ok());
            let before = parse(old);
            let had = before.as_ref().map(zakon_hooks).unwrap_or_default();
            match new {
                None if had.is_empty() => None,
                None => Some("it registered zakon's hooks".into()),
                Some(bytes) => match serde_json::from_slice::<Value>(bytes) {
                    Err(e) if !had.is_empty() => Some(format!(
                        "it is no longer valid JSON ({e}), so Claude Code drops zakon's hooks"
                    )),
                    Err(_) => None,
                    Ok(after) => {
                        let found = settings_problems(before.as_ref(), &after);
                        (!found.is_empty()).then(|| found.join("; and "))
                    }
                },
            }
        }
        _ => Some("zakon's installed gates are changed only by its installer".into()),
    })
}

/// Whether a changed registry or config can still be read by every gate (even the CEO's
/// override does not accept one that makes every gate fail closed).
fn still_usable(ctx: &Context, kind: &str, path: &Path, bytes: &[u8]) -> Result<(), String> {
    let text = String::from_utf8_lossy(bytes);
    if kind == "registry" {
        zakon_registry::parse(&text, path, &ctx.home)
            .map(|_| ())
            .map_err(|e| {
                format!(
                    "it no longer validates, so even {OVERRIDE_ENV} does not keep it: {}",
                    e.headline()
                )
            })
    } else {
        zakon_core::config::Config::parse(&text, path)
            .map(|_| ())
            .map_err(|e| {
                format!(
                    "it is no longer a valid config, so even {OVERRIDE_ENV} does not keep it: {e}"
                )
            })
    }
}

/// A rule file is allowed when the registry approves it and, where the entry publishes a
/// sha256, its content is that version.
fn rule_problem(ctx: &Context, path: &Path, bytes: &[u8]) -> Result<Option<String>, Error> {
    let cfg = ctx.config()?;
    let section: zakon_registry::RegistryConfig = cfg.section("registry", &cfg.registry)?;
    let reg_path = zakon_registry::locate(None, section.path.as_deref(), &ctx.home, ctx.cwd());
    let registry = match zakon_registry::load(&reg_path, &ctx.home) {
        Ok(r) => r,
        Err(e) => return Ok(Some(format!("the registry is unusable: {}", e.headline()))),
    };
    if let zakon_registry::Outcome::Block { message, .. } =
        zakon_registry::validate(&registry, path, &ctx.home)
    {
        return Ok(Some(message));
    }
    let real = paths::canonical(path);
    let published = registry
        .entries
        .iter()
        .find(|e| paths::canonical(&e.resolved) == real)
        .and_then(|e| e.published_sha256.clone());
    Ok(match published {
        Some(p) if zakon_snapshot::store::sha256_hex(bytes) != p.to_ascii_lowercase() => Some(
            format!("its content is not the version the registry published (sha256 {p})"),
        ),
        _ => None,
    })
}

/// The approved way to make a change of this kind.
fn approved_way(kind: &str) -> String {
    match kind {
        "blueprint" => "write the blueprint with the Write or Edit tool so its content is \
             checked (Owner, Last-Verified, ## Deploy, ## Verify, ## Rollback)."
            .into(),
        "rule" => "a rule file needs an approved entry in the ZAKON registry first: ask the CEO \
             in a Mission Control task, then write it with the Write tool."
            .into(),
        "registry" | "config" => format!(
            "ask the CEO in a Mission Control task; the CEO edits it by hand, or sets \
             {OVERRIDE_ENV}={OVERRIDE_PREFIX}<MC task id> in the environment Claude Code runs \
             in and the Edit tool makes the change, audit-logged."
        ),
        "settings" => SETTINGS_FIX.into(),
        _ => "zakon's binaries are changed only by its installer, run by the user in a \
             terminal (./install.sh from the zakon checkout)."
            .into(),
    }
}

fn report(input: &HookInput, restored: &[Restored]) -> Reason {
    let mut msg = format!(
        "{} {} guarded file{} without authorisation; \
         zakon put {} back.\n",
        if crate::is_post(input) {
            format!("this {} changed", input.tool())
        } else {
            "something changed".to_string()
        },
        restored.len(),
        if restored.len() == 1 { "" } else { "s" },
        if restored.len() == 1 { "it" } else { "them" },
    );
    for r in restored {
        let restored_how = match (&r.kept, r.created) {
            (Some(k), true) => format!("zakon moved it out of the way, to {k}"),
            (Some(k), false) => {
                format!("zakon restored the last good version (the changed one is kept in {k})")
            }
            (None, _) => "zakon restored the last good version".to_string(),
        };
        msg.push_str(&format!(
            "  - {} {}: {}. {restored_how}.\n    Approved way: {}\n",
            r.file,
            r.what,
            r.why,
            approved_way(&r.kind)
        ));
    }
    msg.push_str("Do not try another way to make this change; say in your reply what you tried.");
    Reason::new("zakon-effects-restored", msg).with_details(json!({
        "tool": input.tool(), "event": input.event(),
        "restored": restored.iter().map(|r| json!({"file": r.file, "kind": r.kind,
            "what": r.what, "why": r.why, "kept": r.kept})).collect::<Vec<_>>(),
    }))
}

/// Takes everything guarded as it is now: first use, and `snapshot --init` (the installer).
/// With `bin_dir`, the binaries there become the installed ones; existing entries of other
/// kinds keep their accepted version unless they are settings (the installer just edited
/// them) — so running `--init` does not bless a changed blueprint, rule, registry or config.
pub fn seed(
    ctx: &Context,
    store: &Store,
    project: Option<&Path>,
    input: &HookInput,
    bin_dir: Option<&Path>,
) -> Result<usize, Error> {
    let _lock = store.lock()?;
    let mut index = store.load()?.unwrap_or_default();
    let mut cands = fixed(ctx, project, input);
    if let Some(p) = project {
        for f in walk(p) {
            cands.push(Candidate {
                path: paths::canonical(Path::new(&f)),
                kind: "blueprint".into(),
                baseline: true,
                fixed: false,
            });
        }
    }
    let default_bin = ctx.home.join(".claude/zakon/bin");
    for b in install::BINARIES {
        let dir = bin_dir.unwrap_or(&default_bin);
        let p = dir.join(b);
        if bin_dir.is_some() || p.is_file() {
            cands.push(Candidate {
                path: p,
                kind: install::KIND.into(),
                baseline: true,
                fixed: false,
            });
        }
    }
    if bin_dir.is_some() {
        // The installer names the one install directory: binaries recorded under another
        // (an install moved with `--prefix`) are no longer zakon's to put back.
        let now: Vec<String> = cands
            .iter()
            .filter(|c| c.kind == install::KIND)
            .map(|c| key_of(&c.path))
            .collect();
        index
            .files
            .retain(|k, e| e.kind != install::KIND || now.contains(k));
    }
    let written = post_targets(ctx, input);
    let mut n = 0;
    for c in cands {
        let key = key_of(&c.path);
        if written.contains(&key) {
            continue;
        }
        let renew = c.kind == "settings" || c.kind == install::KIND;
        if index.files.contains_key(&key) && !renew {
            continue;
        }
        let entry = match Observed::at(&c.path) {
            Observed::Regular(_) => store.capture(&c.path, &c.kind)?,
            Observed::Absent if c.fixed => Entry::absent(&c.kind),
            _ => continue,
        };
        index.files.insert(key, entry);
        n += 1;
    }
    store.save(&index)?;
    Ok(n)
}
