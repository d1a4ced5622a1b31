//! What Claude Code itself reads besides zakon's registrations, for `zakon doctor`: the
//! settings scopes that can switch every hook off (`disableAllHooks`), and its records of
//! plugins (`~/.claude/plugins/installed_plugins.json`, `known_marketplaces.json`,
//! `enabledPlugins`). Doctor said "installed and blocking" while `disableAllHooks` sat in
//! the same file, and for a plugin folder Claude Code had never been told about.

use crate::doctor::Row;
use crate::json::Json;
use std::path::{Path, PathBuf};
use zakon_core::paths::display_tilde;

/// A settings file Claude Code may read, with its scope name.
pub struct Scope {
    /// `user`, `user-local`, `project`, `project-local`, or [`GIVEN`].
    pub name: &'static str,
    pub path: PathBuf,
}

/// The scope name of a file given with `--settings` that is none of the four scopes (a file
/// for `claude --settings FILE`): it is named by how it was given, never as the user's.
pub const GIVEN: &str = "--settings";

impl Scope {
    /// How a message names the file: "project settings ~/p/.claude/settings.json", or
    /// "settings /x/s.json (given with --settings)".
    pub fn describe(&self, home: &Path) -> String {
        let shown = display_tilde(&self.path, home);
        if self.name == GIVEN {
            format!("settings {shown} (given with --settings)")
        } else {
            format!("{} settings {shown}", self.name)
        }
    }

    /// The scope in a list of scopes: its name, or "--settings FILE".
    fn short(&self, home: &Path) -> String {
        if self.name == GIVEN {
            format!("{GIVEN} {}", display_tilde(&self.path, home))
        } else {
            self.name.to_string()
        }
    }
}

/// The user, user-local, project and project-local settings files, then the file given with
/// `--settings` when it is none of them. A file is named once, by the first scope it is (a
/// project that is the home directory names the same files once; `--settings` naming the
/// project's `.claude/settings.json` is the project settings).
pub fn scopes(given: Option<&Path>, project: &Path, home: &Path) -> Vec<Scope> {
    let user_dir = home.join(".claude");
    let mut candidates = vec![
        ("user", user_dir.join("settings.json")),
        ("user-local", user_dir.join("settings.local.json")),
        ("project", project.join(".claude/settings.json")),
        ("project-local", project.join(".claude/settings.local.json")),
    ];
    if let Some(given) = given {
        candidates.push((GIVEN, given.to_path_buf()));
    }
    let mut out: Vec<Scope> = Vec::new();
    for (name, path) in candidates {
        let real = std::fs::canonicalize(&path).unwrap_or_else(|_| path.clone());
        if out
            .iter()
            .any(|s| std::fs::canonicalize(&s.path).unwrap_or_else(|_| s.path.clone()) == real)
        {
            continue;
        }
        out.push(Scope { name, path });
    }
    out
}

fn read(path: &Path) -> Option<Json> {
    let text = zakon_core::fsio::read_regular_string(path).ok()?;
    Json::parse(text.trim_start_matches('\u{feff}')).ok()
}

/// ✘ for every scope that sets `"disableAllHooks": true`: Claude Code then runs no hook.
pub fn hooks_switched_off(scopes: &[Scope], home: &Path) -> Row {
    let off: Vec<&Scope> = scopes
        .iter()
        .filter(|s| {
            read(&s.path)
                .is_some_and(|v| matches!(v.get("disableAllHooks"), Some(Json::Bool(true))))
        })
        .collect();
    if off.is_empty() {
        let names: Vec<String> = scopes.iter().map(|s| s.short(home)).collect();
        return Row::pass(
            "hooks on",
            format!(
                "no settings scope sets disableAllHooks ({})",
                names.join(", ")
            ),
        );
    }
    let files: Vec<String> = off.iter().map(|s| s.describe(home)).collect();
    Row::fail(
        "hooks on",
        format!(
            "\"disableAllHooks\": true in {} — Claude Code runs no hook at all, so every gate is \
             off",
            files.join(" and ")
        ),
        format!(
            "remove \"disableAllHooks\": true from {} (or set it to false), then restart the \
             Claude Code session",
            off.iter()
                .map(|s| display_tilde(&s.path, home))
                .collect::<Vec<_>>()
                .join(" and ")
        ),
    )
}

/// Claude Code's plugin directory: `$CLAUDE_CONFIG_DIR/plugins` or `~/.claude/plugins`.
fn plugins_dir(home: &Path) -> PathBuf {
    match std::env::var_os("CLAUDE_CONFIG_DIR") {
        Some(d) if !d.is_empty() => PathBuf::from(d).join("plugins"),
        _ => home.join(".claude/plugins"),
    }
}

fn same_dir(a: &str, b: &Path, home: &Path) -> bool {
    let a = zakon_core::paths::resolve(a, home, None);
    let canon = |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
    canon(&a) == canon(b)
}

/// `(plugin id, installPath)` of every install recorded in `installed_plugins.json`
/// (version 2 maps an id to a list of installs, version 1 to one object).
fn installs(dir: &Path) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let Some(Json::Object(plugins)) =
        read(&dir.join("installed_plugins.json")).and_then(|v| v.get("plugins").cloned())
    else {
        return out;
    };
    for (id, v) in plugins {
        let list = match v {
            Json::Array(a) => a,
            other => vec![other],
        };
        for i in list {
            if let Some(p) = i.get("installPath").and_then(Json::as_str) {
                out.push((id.clone(), p.to_string()));
            }
        }
    }
    out
}

/// Marketplace names whose directory (`installLocation`, or a directory source's `path`) is
/// `root`.
fn marketplaces_at(dir: &Path, root: &Path, home: &Path) -> Vec<String> {
    let Some(Json::Object(known)) = read(&dir.join("known_marketplaces.json")) else {
        return Vec::new();
    };
    known
        .into_iter()
        .filter(|(_, m)| {
            let loc = m.get("installLocation").and_then(Json::as_str);
            let path = m
                .get("source")
                .and_then(|s| s.get("path"))
                .and_then(Json::as_str);
            [loc, path]
                .into_iter()
                .flatten()
                .any(|p| same_dir(p, root, home))
        })
        .map(|(name, _)| name)
        .collect()
}

/// Where `enabledPlugins` names `id`, and whether it is on there.
fn enabled(scopes: &[Scope], id: &str) -> Vec<(String, bool)> {
    scopes
        .iter()
        .filter_map(|s| {
            let v = read(&s.path)?;
            match v.get("enabledPlugins")?.get(id)? {
                Json::Bool(b) => Some((s.path.to_string_lossy().into_owned(), *b)),
                _ => None,
            }
        })
        .collect()
}

/// Does Claude Code know the plugin at `root` — installed from a marketplace and enabled?
pub fn plugin_known(root: &Path, home: &Path, scopes: &[Scope]) -> Row {
    let dir = plugins_dir(home);
    let shown = display_tilde(root, home);
    let installs = installs(&dir);
    // The marketplace that lists the plugin: the folder itself, or the checkout above it
    // (zakon's `.claude-plugin/marketplace.json` points at `./plugin`).
    let market_root = root
        .parent()
        .filter(|p| {
            !root.join(".claude-plugin/marketplace.json").is_file()
                && p.join(".claude-plugin/marketplace.json").is_file()
        })
        .unwrap_or(root);
    let market_shown = display_tilde(market_root, home);
    let markets = marketplaces_at(&dir, market_root, home);
    // This folder installed directly, or the zakon plugin installed from its marketplace.
    let hit = installs.iter().find(|(id, p)| {
        same_dir(p, root, home)
            || markets
                .iter()
                .any(|m| id.rsplit_once('@').is_some_and(|(_, mk)| mk == m))
    });
    let Some((id, path)) = hit else {
        let how = match markets.first() {
            Some(m) => format!(
                "the marketplace {m} is added, but no plugin from it is installed; in Claude \
                 Code run: /plugin install zakon@{m}"
            ),
            None => format!(
                "in Claude Code run: /plugin marketplace add {market_shown}, then /plugin \
                 install zakon@zakon (a session started with claude --plugin-dir {shown} also \
                 loads it, but only for that session)"
            ),
        };
        return Row::fail(
            "plugin",
            format!(
                "Claude Code was never told about {shown}: it is not in {} or {}, so its hooks \
                 do not run",
                display_tilde(&dir.join("installed_plugins.json"), home),
                display_tilde(&dir.join("known_marketplaces.json"), home)
            ),
            how,
        );
    };
    // From a local-directory marketplace the client (2.1.328) runs the hooks from the
    // marketplace's own plugin directory, not from the cache copy it also makes (the e2e
    // scenario plugin_marketplace_install reads this from the client's debug log).
    let copy = if same_dir(path, root, home) || !markets.is_empty() {
        String::new()
    } else {
        format!(
            "; Claude Code runs its copy at {} — check that one with zakon doctor --plugin {}",
            path, path
        )
    };
    let states = enabled(scopes, id);
    if states.iter().any(|(_, on)| !on) && !states.iter().any(|(_, on)| *on) {
        return Row::fail(
            "plugin",
            format!(
                "{id} is installed but disabled in enabledPlugins ({})",
                states[0].0
            ),
            format!("in Claude Code run: /plugin enable {id}"),
        );
    }
    Row::pass(
        "plugin",
        format!(
            "Claude Code knows the plugin: {id} installed{}{copy}",
            match states.iter().find(|(_, on)| *on) {
                Some((f, _)) => format!(", enabled in {}", display_tilde(Path::new(f), home)),
                None => String::new(),
            }
        ),
    )
}

/// The installed plugins whose hooks run zakon's gates and that no scope switches off:
/// `(id, installPath)`.
fn active_zakon_plugins(scopes: &[Scope], home: &Path) -> Vec<(String, String)> {
    let dir = plugins_dir(home);
    installs(&dir)
        .into_iter()
        .filter(|(_, path)| {
            let hooks = zakon_core::paths::resolve(path, home, None).join("hooks/hooks.json");
            read(&hooks).is_some_and(|v| {
                crate::all_commands(&v).iter().any(|(_, c)| {
                    let c = c.replace("\"${CLAUDE_PLUGIN_ROOT}\"", "/plugin");
                    let c = c.replace("${CLAUDE_PLUGIN_ROOT}", "/plugin");
                    crate::registration::zakon_binary_of(&c, home).is_some()
                })
            })
        })
        .filter(|(id, _)| {
            let states = enabled(scopes, id);
            // Off only when some scope switches it off and none switches it on.
            states.iter().any(|(_, on)| *on) || !states.iter().any(|(_, on)| !on)
        })
        .collect()
}

/// ✘ when zakon runs twice: a zakon plugin is installed and enabled while a settings scope
/// also registers zakon's gates (install.sh). Claude Code then runs every gate twice per
/// call — two blocks for one claim, two audit lines, twice the time — so one must go.
pub fn runs_once(scopes: &[Scope], home: &Path) -> Row {
    let plugins = active_zakon_plugins(scopes, home);
    let registered: Vec<&Scope> = scopes
        .iter()
        .filter(|s| read(&s.path).is_some_and(|v| !crate::install_dirs(&v, home).is_empty()))
        .collect();
    let files = registered
        .iter()
        .map(|s| s.describe(home))
        .collect::<Vec<_>>()
        .join(" and ");
    match plugins.first() {
        Some((id, path)) if !registered.is_empty() => Row::fail(
            "runs once",
            format!(
                "zakon runs twice: the plugin {id} ({path}) and the hook registrations in \
                 {files} — Claude Code runs every gate twice on each call (two blocks for one \
                 claim, two audit lines, twice the time)"
            ),
            format!(
                "keep one: {} removes the settings registrations (or {} from the zakon \
                 checkout; the plugin stays), or in Claude Code run /plugin uninstall {id} (the \
                 settings registrations stay)",
                registered
                    .iter()
                    .map(|s| format!(
                        "`{} hooks uninstall --settings {}`",
                        zakon_core::runnable::command("zakon"),
                        display_tilde(&s.path, home)
                    ))
                    .collect::<Vec<_>>()
                    .join(" and "),
                // install.sh edits ~/.claude/settings.json unless told another file.
                registered
                    .iter()
                    .map(|s| if s.path == home.join(".claude/settings.json") {
                        "./install.sh --uninstall".to_string()
                    } else {
                        format!(
                            "./install.sh --uninstall --settings {}",
                            display_tilde(&s.path, home)
                        )
                    })
                    .collect::<Vec<_>>()
                    .join(" and ")
            ),
        ),
        Some((id, _)) => Row::pass(
            "runs once",
            format!("zakon runs once: from the plugin {id}; no settings scope registers it too"),
        ),
        None if registered.is_empty() => Row::pass(
            "runs once",
            "no settings scope registers zakon and no zakon plugin is enabled",
        ),
        None => Row::pass(
            "runs once",
            format!("zakon runs once: from {files}; no zakon plugin is enabled"),
        ),
    }
}
