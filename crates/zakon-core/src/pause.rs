//! A pause: a human switches a misfiring gate off for a while (`zakon pause <gate> --for 30m`,
//! `zakon resume`) instead of uninstalling zakon or setting `disableAllHooks`. The gates read
//! the pause file only when they are about to block: a paused gate allows, and the audit log
//! gets a `paused` line with what it would have blocked.
//!
//! The pause file is a switch for every gate, so it must be as hard for an agent to write as
//! the config: [`PAUSE_FILE`] is the path the effects guard protects, and in managed mode the
//! file lives under the root-owned managed tree ([`MANAGED_PAUSE_FILE`]), where only root can
//! write it.

use crate::Error;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};

/// The pause file, relative to the user's home (user installs).
pub const PAUSE_FILE: &str = ".claude/zakon/pause.json";
/// The pause file, relative to the managed root (managed mode; root-owned).
pub const MANAGED_PAUSE_FILE: &str = "etc/zakon/pause.json";
/// The root-owned config whose existence means managed mode, relative to the managed root.
pub const MANAGED_CONFIG: &str = crate::mode::CONFIG;
/// Points the managed root at another tree (tests); see [`crate::mode`] for when it counts.
pub const MANAGED_ROOT_ENV: &str = crate::mode::ROOT_ENV;
/// What `zakon pause` accepts besides a gate name.
pub const ALL: &str = "all";
/// The gates a pause can name.
pub const GATES: [&str; 3] = ["claim-gate", "artifact-gate", "blueprint-gate"];

/// The managed root (`/` in production) when managed mode is on ([`crate::mode`] decides).
/// A managed install whose config is not safely root-owned still counts as managed here:
/// the gates fail closed on it, and a pause file in the user's home must not lift that.
pub fn managed_root() -> Option<PathBuf> {
    match crate::mode::current() {
        Ok(m) => m.map(|m| m.root.clone()),
        Err(_) => Some(PathBuf::from("/")),
    }
}

/// Managed mode: a root-owned zakon config exists at the managed path.
pub fn is_managed() -> bool {
    managed_root().is_some()
}

/// Where the pause file is in this mode.
pub fn path(home: &Path) -> PathBuf {
    match managed_root() {
        Some(root) => root.join(MANAGED_PAUSE_FILE),
        None => home.join(PAUSE_FILE),
    }
}

/// One pause: a gate (or `all`) allowed until a time.
#[derive(Debug, Clone, PartialEq)]
pub struct Pause {
    pub gate: String,
    pub until: i64,
    pub by: String,
    pub at: String,
}

impl Pause {
    pub fn to_json(&self) -> Value {
        json!({"gate": self.gate, "until": crate::time::rfc3339(self.until),
               "until_unix": self.until, "by": self.by, "at": self.at})
    }

    fn from_json(v: &Value) -> Option<Pause> {
        Some(Pause {
            gate: v.get("gate")?.as_str()?.to_string(),
            until: v.get("until_unix")?.as_i64()?,
            by: v
                .get("by")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string(),
            at: v
                .get("at")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string(),
        })
    }

    pub fn covers(&self, gate: &str, now: i64) -> bool {
        (self.gate == gate || self.gate == ALL) && self.until > now
    }
}

/// Every pause in the file (expired ones too); a missing file is none. A file that does not
/// parse is an error for the CLI; the gates treat it as "not paused" (fail closed).
pub fn load(path: &Path) -> Result<Vec<Pause>, Error> {
    let text = match crate::fsio::read_regular_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(Error::io("read", path, &e)),
    };
    let v: Value = serde_json::from_str(&text).map_err(|e| {
        Error::new(format!(
            "pause file {} is not valid JSON: {e}",
            path.display()
        ))
    })?;
    Ok(v.get("pauses")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Pause::from_json)
        .collect())
}

/// Writes the pauses (atomically; the file is removed when none is left).
pub fn save(path: &Path, pauses: &[Pause]) -> Result<(), Error> {
    if pauses.is_empty() {
        return match std::fs::remove_file(path) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                Err(Error::io("remove", path, &e))
            }
            _ => Ok(()),
        };
    }
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| Error::io("create directory", dir, &e))?;
    }
    let doc = json!({"pauses": pauses.iter().map(Pause::to_json).collect::<Vec<_>>()});
    let mut text = serde_json::to_string_pretty(&doc).map_err(Error::from)?;
    text.push('\n');
    crate::atomic::replace_file(path, text.as_bytes(), None)
        .map_err(|e| Error::io("write", path, &e))
}

/// The pause that covers `gate` now, if any. Read only when a gate is about to block.
pub fn active(home: &Path, gate: &str) -> Option<Pause> {
    let now = crate::time::unix_now();
    load(&path(home))
        .ok()?
        .into_iter()
        .find(|p| p.covers(gate, now))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pause_covers_its_gate_or_all_until_it_ends() {
        let p = |gate: &str, until| Pause {
            gate: gate.into(),
            until,
            by: String::new(),
            at: String::new(),
        };
        for (pause, gate, now, want) in [
            (p("claim-gate", 100), "claim-gate", 99, true),
            (p("claim-gate", 100), "claim-gate", 100, false),
            (p("claim-gate", 100), "artifact-gate", 1, false),
            (p(ALL, 100), "blueprint-gate", 1, true),
        ] {
            assert_eq!(pause.covers(gate, now), want, "{pause:?} {gate} {now}");
        }
    }

    #[test]
    fn saves_loads_and_removes() {
        let dir = std::env::temp_dir().join(format!("zakon-pause-{}", std::process::id()));
        let f = dir.join("p/pause.json");
        let one = Pause {
            gate: "claim-gate".into(),
            until: 4_000_000_000,
            by: "u".into(),
            at: "t".into(),
        };
        save(&f, std::slice::from_ref(&one)).unwrap();
        assert_eq!(load(&f).unwrap(), vec![one]);
        save(&f, &[]).unwrap();
        assert!(!f.exists());
        assert_eq!(load(&f).unwrap(), vec![]);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
