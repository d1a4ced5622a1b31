//! Merging zakon's hook registrations into Claude Code's `settings.json` and taking them out
//! again: pure functions on the document, plus the one careful way to write the file.
//!
//! Shape (Claude Code hooks docs): `hooks` → event → `[{matcher?, hooks: [{type, command,
//! timeout}]}]`. zakon never edits a user's matcher group: it adds its own groups, so
//! uninstall can remove exactly its entries and leave the user's file as it was.

use crate::json::{Json, Layout};
use crate::registration::{Registration, is_owned};
use std::path::{Path, PathBuf};

/// What a merge did to one hook entry, for the summary and the dry run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    Added { label: String, command: String },
    Updated { label: String, what: String },
    RemovedDuplicate { label: String, command: String },
    Removed { group: String, command: String },
}

impl std::fmt::Display for Change {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Change::Added { label, command } => write!(f, "+ {label}: {command}"),
            Change::Updated { label, what } => write!(f, "~ {label}: {what}"),
            Change::RemovedDuplicate { label, command } => {
                write!(f, "- {label}: duplicate {command}")
            }
            Change::Removed { group, command } => write!(f, "- {group}: {command}"),
        }
    }
}

/// The settings file as read: where it really is (symlinks followed), its bytes, its value
/// and its layout.
pub struct SettingsFile {
    pub path: PathBuf,
    pub original: Option<Vec<u8>>,
    pub value: Json,
    pub layout: Layout,
}

impl SettingsFile {
    /// Missing or empty file = `{}`. Anything that is not a JSON object is an error, and
    /// nothing is written: a half-understood settings file is not ours to rewrite.
    pub fn load(path: &Path, home: &Path) -> Result<SettingsFile, String> {
        // A dotfiles manager often symlinks settings.json; write through the link.
        let path = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        let shown = zakon_core::paths::display_tilde(&path, home);
        let bytes =
            match zakon_core::fsio::read_regular_bounded(&path, zakon_core::fsio::MAX_FILE_BYTES) {
                Ok(b) => Some(b),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
                Err(e) => return Err(format!("cannot read {shown}: {e}")),
            };
        let Some(raw) = bytes.as_deref() else {
            return Ok(SettingsFile {
                path,
                original: None,
                value: Json::object(),
                layout: Layout::default(),
            });
        };
        let (bom, body) = match raw.strip_prefix("\u{feff}".as_bytes()) {
            Some(rest) => (true, rest),
            None => (false, raw),
        };
        let text = std::str::from_utf8(body)
            .map_err(|e| format!("{shown} is not UTF-8 text ({e}); nothing was changed"))?;
        let mut layout = Layout::detect(text);
        layout.bom = bom;
        let value = if text.trim().is_empty() {
            Json::object()
        } else {
            Json::parse(text).map_err(|e| {
                format!(
                    "{shown} is not valid JSON ({e}); nothing was changed. Fix the file (or \
                     move it aside) and run the command again."
                )
            })?
        };
        if !matches!(value, Json::Object(_)) {
            return Err(format!(
                "{shown} holds {} at the top level, expected an object; nothing was changed",
                value.kind()
            ));
        }
        Ok(SettingsFile {
            path,
            original: bytes,
            value,
            layout,
        })
    }

    pub fn render(&self, value: &Json) -> Vec<u8> {
        self.layout.render(value)
    }

    /// Where the previous content is kept when the file changes.
    pub fn backup_path(&self) -> PathBuf {
        let mut name = self.path.as_os_str().to_os_string();
        name.push(".zakon-backup");
        PathBuf::from(name)
    }

    /// Writes `new` unless it equals what is there (so a second install touches nothing,
    /// not even the backup). The previous bytes go to `settings.json.zakon-backup`; the new
    /// file replaces the old one by rename, so Claude Code never reads half a file.
    /// Returns whether anything was written.
    pub fn write(&self, new: &[u8]) -> Result<bool, String> {
        if self.original.as_deref() == Some(new) {
            return Ok(false);
        }
        let dir = self.path.parent().unwrap_or(Path::new("."));
        std::fs::create_dir_all(dir)
            .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        let mode = std::fs::metadata(&self.path).ok().map(|m| m.permissions());
        if let Some(old) = &self.original {
            let backup = self.backup_path();
            std::fs::write(&backup, old)
                .map_err(|e| format!("cannot write backup {}: {e}", backup.display()))?;
            if let Some(m) = &mode {
                let _ = std::fs::set_permissions(&backup, m.clone());
            }
        }
        zakon_core::atomic::replace_file(&self.path, new, mode.as_ref())
            .map_err(|e| format!("cannot write {}: {e}", self.path.display()))?;
        Ok(true)
    }
}

/// Adds every registration that is missing, fixes `type`/`timeout`/`onFailure` of ones that
/// drifted and drops duplicate copies of zakon's own entries. The user's entries are never touched.
pub fn install(
    settings: &mut Json,
    regs: &[Registration],
    bin_dir: &Path,
    home: &Path,
) -> Result<Vec<Change>, String> {
    let mut changes = Vec::new();
    if settings.get("hooks").is_none() {
        settings.set("hooks", Json::object());
    }
    let hooks = settings
        .get_mut("hooks")
        .filter(|h| matches!(h, Json::Object(_)))
        .ok_or("settings.json: \"hooks\" is not an object; nothing was changed")?;
    for reg in regs {
        if hooks.get(&reg.event).is_none() {
            hooks.set(&reg.event, Json::Array(Vec::new()));
        }
        let Some(Json::Array(groups)) = hooks.get_mut(&reg.event) else {
            return Err(format!(
                "settings.json: hooks.{} is not an array; nothing was changed",
                reg.event
            ));
        };
        let command = reg.command(bin_dir);
        let mut found = 0;
        let mut emptied = vec![false; groups.len()];
        for (gi, group) in groups.iter_mut().enumerate() {
            if matcher_of(group) != reg.matcher.as_deref().unwrap_or("") {
                continue;
            }
            let Some(Json::Array(entries)) = group.get_mut("hooks") else {
                continue;
            };
            let mut i = 0;
            while i < entries.len() {
                let cmd = entries[i].get("command").and_then(Json::as_str);
                if !cmd.is_some_and(|c| reg.matches(c, bin_dir, home)) {
                    i += 1;
                    continue;
                }
                found += 1;
                if found > 1 {
                    // Duplicate detection: the gate would run twice and log every block twice.
                    let cmd = cmd.unwrap_or_default().to_string();
                    entries.remove(i);
                    emptied[gi] = entries.is_empty();
                    changes.push(Change::RemovedDuplicate {
                        label: reg.label(),
                        command: cmd,
                    });
                    continue;
                }
                let entry = &mut entries[i];
                if entry.get("type").and_then(Json::as_str) != Some("command") {
                    entry.set("type", Json::str("command"));
                    changes.push(Change::Updated {
                        label: reg.label(),
                        what: "type set to \"command\"".into(),
                    });
                }
                if entry.get("timeout").and_then(Json::as_u64) != Some(reg.timeout) {
                    entry.set("timeout", Json::Number(reg.timeout.into()));
                    changes.push(Change::Updated {
                        label: reg.label(),
                        what: format!("timeout set to {} s", reg.timeout),
                    });
                }
                if let Some(on_failure) = &reg.on_failure
                    && entry.get("onFailure").and_then(Json::as_str) != Some(on_failure)
                {
                    entry.set("onFailure", Json::str(on_failure));
                    changes.push(Change::Updated {
                        label: reg.label(),
                        what: format!("onFailure set to \"{on_failure}\""),
                    });
                }
                i += 1;
            }
        }
        let mut gi = 0;
        groups.retain(|_| {
            gi += 1;
            !emptied[gi - 1]
        });
        if found > 0 {
            continue;
        }
        let mut fields = vec![
            ("type".into(), Json::str("command")),
            ("command".into(), Json::str(&command)),
            ("timeout".into(), Json::Number(reg.timeout.into())),
        ];
        if let Some(on_failure) = &reg.on_failure {
            fields.push(("onFailure".into(), Json::str(on_failure)));
        }
        let entry = Json::Object(fields);
        // Join a group zakon made for this matcher (keeps the two Bash gates together);
        // otherwise start a new one at the end.
        let own_group = groups.iter_mut().rev().find(|g| {
            matcher_of(g) == reg.matcher.as_deref().unwrap_or("")
                && is_zakon_group(g, bin_dir, home)
        });
        match own_group {
            Some(g) => {
                if let Some(Json::Array(e)) = g.get_mut("hooks") {
                    e.push(entry);
                }
            }
            None => {
                let mut g = Vec::new();
                if let Some(m) = &reg.matcher {
                    g.push(("matcher".to_string(), Json::str(m)));
                }
                g.push(("hooks".to_string(), Json::Array(vec![entry])));
                groups.push(Json::Object(g));
            }
        }
        changes.push(Change::Added {
            label: reg.label(),
            command,
        });
    }
    remove_stale(hooks, regs, bin_dir, home, &mut changes);
    Ok(changes)
}

/// Removes zakon's own entries that no registration asks for any more (an older version's
/// event or matcher, e.g. PostToolUse `Write|Edit|MultiEdit` before it became `*`), so a gate
/// never runs twice for one call. Entries that are not zakon's are never touched.
fn remove_stale(
    hooks: &mut Json,
    regs: &[Registration],
    bin_dir: &Path,
    home: &Path,
    changes: &mut Vec<Change>,
) {
    let Json::Object(events) = hooks else { return };
    for (event, groups) in events.iter_mut() {
        let Json::Array(list) = groups else { continue };
        let mut emptied = vec![false; list.len()];
        for (gi, group) in list.iter_mut().enumerate() {
            let matcher = matcher_of(group).to_string();
            let label = if matcher.is_empty() {
                event.clone()
            } else {
                format!("{event} [{matcher}]")
            };
            let Some(Json::Array(entries)) = group.get_mut("hooks") else {
                continue;
            };
            let n = entries.len();
            entries.retain(|h| {
                let command = h.get("command").and_then(Json::as_str).unwrap_or_default();
                let wanted = regs.iter().any(|r| {
                    &r.event == event
                        && r.matcher.as_deref().unwrap_or("") == matcher
                        && r.matches(command, bin_dir, home)
                });
                let stale = !wanted && is_owned(command, bin_dir, home);
                if stale {
                    changes.push(Change::Removed {
                        group: label.clone(),
                        command: command.to_string(),
                    });
                }
                !stale
            });
            emptied[gi] = n > 0 && entries.is_empty();
        }
        let mut gi = 0;
        list.retain(|_| {
            gi += 1;
            !emptied[gi - 1]
        });
    }
}

/// Removes every hook entry whose program is a zakon binary under `bin_dir`, then the groups,
/// events and `hooks` object that only existed because of them.
pub fn uninstall(settings: &mut Json, bin_dir: &Path, home: &Path) -> Result<Vec<Change>, String> {
    let mut changes = Vec::new();
    let Some(hooks) = settings.get_mut("hooks") else {
        return Ok(changes);
    };
    let Json::Object(events) = hooks else {
        return Err("settings.json: \"hooks\" is not an object; nothing was changed".into());
    };
    let mut removed_from: Vec<String> = Vec::new();
    for (event, groups) in events.iter_mut() {
        let Json::Array(list) = groups else { continue };
        let changes_before = changes.len();
        let before = list.len();
        let mut emptied = vec![false; before];
        for (gi, group) in list.iter_mut().enumerate() {
            let label = match group.get("matcher").and_then(Json::as_str) {
                Some(m) if !m.is_empty() => format!("{event} [{m}]"),
                _ => event.clone(),
            };
            let Some(Json::Array(entries)) = group.get_mut("hooks") else {
                continue;
            };
            let n = entries.len();
            entries.retain(|h| {
                let command = h.get("command").and_then(Json::as_str).unwrap_or_default();
                let owned = is_owned(command, bin_dir, home);
                if owned {
                    changes.push(Change::Removed {
                        group: label.clone(),
                        command: command.to_string(),
                    });
                }
                !owned
            });
            emptied[gi] = n > 0 && entries.is_empty();
        }
        let mut gi = 0;
        list.retain(|_| {
            let keep = !emptied[gi];
            gi += 1;
            keep
        });
        if changes.len() > changes_before {
            removed_from.push(event.clone());
        }
    }
    // An event array or the hooks object that we emptied goes; ones the user left empty stay.
    events.retain(|(k, v)| {
        !(removed_from.contains(k) && matches!(v, Json::Array(a) if a.is_empty()))
    });
    if !changes.is_empty() && events.is_empty() {
        settings.remove("hooks");
    }
    Ok(changes)
}

/// A group holding only zakon's entries (one install made it).
fn is_zakon_group(group: &Json, bin_dir: &Path, home: &Path) -> bool {
    match group.get("hooks") {
        Some(Json::Array(entries)) => {
            !entries.is_empty()
                && entries.iter().all(|h| {
                    h.get("command")
                        .and_then(Json::as_str)
                        .is_some_and(|c| is_owned(c, bin_dir, home))
                })
        }
        _ => false,
    }
}

/// A group's matcher; absent, `""` and `"*"` all mean "every tool" in Claude Code, but only
/// absent and `""` are treated as the same text here.
fn matcher_of(group: &Json) -> &str {
    group.get("matcher").and_then(Json::as_str).unwrap_or("")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::registration::registrations;

    const HOME: &str = "/home/u";
    const BIN: &str = "/home/u/.claude/zakon/bin";

    fn home() -> &'static Path {
        Path::new(HOME)
    }

    fn bin() -> &'static Path {
        Path::new(BIN)
    }

    fn install_text(text: &str) -> (Json, Vec<Change>) {
        let mut v = if text.trim().is_empty() {
            Json::object()
        } else {
            Json::parse(text).unwrap()
        };
        let changes = install(&mut v, &registrations().unwrap(), bin(), home()).unwrap();
        (v, changes)
    }

    fn commands(v: &Json, event: &str) -> Vec<(String, String)> {
        let mut out = Vec::new();
        if let Some(Json::Array(groups)) = v.get("hooks").and_then(|h| h.get(event)) {
            for g in groups {
                let m = g
                    .get("matcher")
                    .and_then(Json::as_str)
                    .unwrap_or("")
                    .to_string();
                if let Some(Json::Array(hs)) = g.get("hooks") {
                    for h in hs {
                        let c = h.get("command").and_then(Json::as_str).unwrap_or("");
                        out.push((m.clone(), c.to_string()));
                    }
                }
            }
        }
        out
    }

    fn added(changes: &[Change]) -> usize {
        changes
            .iter()
            .filter(|c| matches!(c, Change::Added { .. }))
            .count()
    }

    const USER: &str = r#"{
  "model": "opus",
  "permissions": {
    "allow": [
      "Bash(git status)"
    ]
  },
  "hooks": {
    "PreToolUse": [
      {
        "matcher": "Bash",
        "hooks": [
          {
            "type": "command",
            "command": "~/bin/my-bash-guard.sh"
          }
        ]
      }
    ]
  }
}
"#;

    #[test]
    fn empty_file_gets_every_registration() {
        let (v, changes) = install_text("");
        assert_eq!(added(&changes), 8);
        assert_eq!(
            commands(&v, "Stop"),
            [("".to_string(), format!("{BIN}/claim-gate"))]
        );
        assert_eq!(
            commands(&v, "PreToolUse"),
            [
                ("Bash".to_string(), format!("{BIN}/artifact-gate")),
                ("Bash".to_string(), format!("{BIN}/blueprint-gate")),
                (
                    "Write|Edit|MultiEdit".to_string(),
                    format!("{BIN}/blueprint-gate")
                ),
            ]
        );
        assert_eq!(
            commands(&v, "SessionStart"),
            [("".to_string(), format!("{BIN}/claim-gate banner"))]
        );
        // Events without a matcher get no matcher key at all.
        let stop = &v.get("hooks").unwrap().get("Stop").unwrap();
        assert!(matches!(stop, Json::Array(g) if g[0].get("matcher").is_none()));
    }

    #[test]
    fn no_hooks_key_keeps_other_settings_first() {
        let (v, changes) = install_text(r#"{"model":"opus","env":{"B":"1","A":"2"}}"#);
        assert_eq!(added(&changes), 8);
        let Json::Object(top) = &v else { panic!() };
        let keys: Vec<_> = top.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(keys, ["model", "env", "hooks"]);
        assert_eq!(
            v.get("env").unwrap(),
            &Json::parse(r#"{"B":"1","A":"2"}"#).unwrap()
        );
    }

    #[test]
    fn existing_matcher_groups_are_left_alone_and_restored_exactly() {
        let original = Json::parse(USER).unwrap();
        let (mut v, changes) = install_text(USER);
        assert_eq!(added(&changes), 8);
        let pre = commands(&v, "PreToolUse");
        assert_eq!(
            pre[0],
            ("Bash".to_string(), "~/bin/my-bash-guard.sh".to_string())
        );
        assert_eq!(pre.len(), 4);
        // The user's group is untouched: still exactly one hook in it.
        let Some(Json::Array(groups)) = v.get("hooks").unwrap().get("PreToolUse") else {
            panic!()
        };
        assert_eq!(
            groups[0],
            original
                .get("hooks")
                .unwrap()
                .get("PreToolUse")
                .map(|g| match g {
                    Json::Array(g) => g[0].clone(),
                    _ => Json::Null,
                })
                .unwrap()
        );
        let removed = uninstall(&mut v, bin(), home()).unwrap();
        assert_eq!(removed.len(), 8);
        assert_eq!(v, original);
        assert_eq!(Layout::detect(USER).render(&v), USER.as_bytes());
    }

    #[test]
    fn second_install_changes_nothing() {
        let (mut v, _) = install_text(USER);
        let again = install(&mut v, &registrations().unwrap(), bin(), home()).unwrap();
        assert_eq!(again, []);
    }

    #[test]
    fn duplicates_are_detected_not_multiplied() {
        let text = format!(
            r#"{{"hooks":{{"Stop":[
                {{"hooks":[{{"type":"command","command":"~/.claude/zakon/bin/claim-gate","timeout":10}}]}},
                {{"hooks":[{{"type":"command","command":"'{BIN}/claim-gate'","timeout":10}},
                           {{"type":"command","command":"say done"}}]}}]}}}}"#
        );
        let (v, changes) = install_text(&text);
        // The hand-written `~` entry counts as registered; its quoted twin is a duplicate.
        assert_eq!(added(&changes), 7);
        assert!(
            changes
                .iter()
                .any(|c| matches!(c, Change::RemovedDuplicate { .. }))
        );
        assert_eq!(
            commands(&v, "Stop"),
            [
                ("".to_string(), "~/.claude/zakon/bin/claim-gate".to_string()),
                ("".to_string(), "say done".to_string()),
            ]
        );
    }

    #[test]
    fn drifted_timeout_is_repaired_in_place() {
        let text = format!(
            r#"{{"hooks":{{"Stop":[{{"hooks":[{{"type":"command","command":"{BIN}/claim-gate","timeout":60}}]}}]}}}}"#
        );
        let (v, changes) = install_text(&text);
        assert!(changes.contains(&Change::Updated {
            label: "Stop → claim-gate".into(),
            what: "timeout set to 10 s".into()
        }));
        let Some(Json::Array(g)) = v.get("hooks").unwrap().get("Stop") else {
            panic!()
        };
        assert_eq!(g.len(), 1);
    }

    #[test]
    fn on_failure_is_set_on_tool_events_and_repaired_in_place() {
        // An install from before onFailure, and an entry an agent switched to "continue".
        let text = format!(
            r#"{{"hooks":{{"PreToolUse":[{{"matcher":"Bash","hooks":[
                {{"type":"command","command":"{BIN}/artifact-gate","timeout":10}},
                {{"type":"command","command":"{BIN}/blueprint-gate","timeout":10,"onFailure":"continue"}}]}}]}}}}"#
        );
        let (v, changes) = install_text(&text);
        for gate in ["artifact-gate", "blueprint-gate"] {
            assert!(
                changes.contains(&Change::Updated {
                    label: format!("PreToolUse [Bash] → {gate}"),
                    what: "onFailure set to \"block\"".into()
                }),
                "{gate}: {changes:?}"
            );
        }
        let hooks = v.get("hooks").unwrap();
        for (event, want) in [
            ("PreToolUse", Some("block")),
            ("PostToolUse", Some("block")),
            ("Stop", None),
            ("SessionStart", None),
        ] {
            let Some(Json::Array(groups)) = hooks.get(event) else {
                panic!("{event}")
            };
            for g in groups {
                let Some(Json::Array(entries)) = g.get("hooks") else {
                    panic!()
                };
                for e in entries {
                    assert_eq!(e.get("onFailure").and_then(Json::as_str), want, "{event}");
                }
            }
        }
    }

    #[test]
    fn another_prefix_is_not_ours() {
        let text = r#"{"hooks":{"Stop":[{"hooks":[{"type":"command","command":"/opt/zakon/claim-gate"}]}]}}"#;
        let mut v = Json::parse(text).unwrap();
        assert_eq!(uninstall(&mut v, bin(), home()).unwrap(), []);
        assert_eq!(v, Json::parse(text).unwrap());
    }

    #[test]
    fn uninstall_keeps_events_the_user_left_empty() {
        let text = r#"{"hooks":{"Notification":[]}}"#;
        let (mut v, _) = install_text(text);
        uninstall(&mut v, bin(), home()).unwrap();
        assert_eq!(v, Json::parse(text).unwrap());
    }

    #[test]
    fn wrong_shapes_are_errors() {
        for text in [r#"{"hooks":[]}"#, r#"{"hooks":{"Stop":{}}}"#] {
            let mut v = Json::parse(text).unwrap();
            let err = install(&mut v, &registrations().unwrap(), bin(), home()).unwrap_err();
            assert!(err.contains("nothing was changed"), "{err}");
        }
        let mut v = Json::parse(r#"{"hooks":"x"}"#).unwrap();
        assert!(uninstall(&mut v, bin(), home()).is_err());
    }

    fn scratch(tag: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("zakon-cli-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        d
    }

    #[test]
    fn malformed_file_is_a_clear_error_and_is_not_touched() {
        let d = scratch("malformed");
        for (i, bad) in ["{\"model\": \"opus\",}", "[1, 2]", "{\"a\": 1"]
            .iter()
            .enumerate()
        {
            let p = d.join(format!("settings-{i}.json"));
            std::fs::write(&p, bad).unwrap();
            let err = SettingsFile::load(&p, home()).err().unwrap();
            assert!(err.contains("nothing was changed"), "{err}");
            assert_eq!(std::fs::read_to_string(&p).unwrap(), *bad);
            assert!(!p.with_extension("json.zakon-backup").exists());
        }
        std::fs::remove_dir_all(&d).unwrap();
    }

    #[test]
    fn write_keeps_a_backup_and_skips_identical_content() {
        let d = scratch("write");
        let p = d.join("settings.json");
        std::fs::write(&p, USER).unwrap();
        let f = SettingsFile::load(&p, home()).unwrap();
        assert!(!f.write(USER.as_bytes()).unwrap());
        assert!(!f.backup_path().exists());
        assert!(f.write(b"{}\n").unwrap());
        assert_eq!(std::fs::read_to_string(f.backup_path()).unwrap(), USER);
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "{}\n");
        std::fs::remove_dir_all(&d).unwrap();
    }

    #[test]
    fn writes_through_a_symlinked_settings_file() {
        let d = scratch("symlink");
        let real = d.join("dotfiles-settings.json");
        std::fs::write(&real, "{}").unwrap();
        let link = d.join("settings.json");
        std::os::unix::fs::symlink(&real, &link).unwrap();
        let f = SettingsFile::load(&link, home()).unwrap();
        f.write(b"{\"a\": 1}").unwrap();
        assert!(
            std::fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(std::fs::read_to_string(&real).unwrap(), "{\"a\": 1}");
        std::fs::remove_dir_all(&d).unwrap();
    }

    #[test]
    fn missing_and_empty_files_load_as_empty_objects() {
        let d = scratch("empty");
        let f = SettingsFile::load(&d.join("none.json"), home()).unwrap();
        assert_eq!((f.value, f.original), (Json::object(), None));
        std::fs::write(d.join("empty.json"), "\n").unwrap();
        let f = SettingsFile::load(&d.join("empty.json"), home()).unwrap();
        assert_eq!(f.value, Json::object());
        std::fs::remove_dir_all(&d).unwrap();
    }
}
