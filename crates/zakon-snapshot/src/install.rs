//! The check every gate runs when Claude Code starts it: zakon's installed binaries (the
//! `install` entries of the index, seeded by the installer) must be exactly what was
//! installed — same bytes, same mode. A replaced gate (`cp /bin/true …/blueprint-gate`,
//! `chmod -x`) cannot check itself, so each of the other gates puts it back the next time it
//! runs. It costs one index read and one `lstat` per binary.

use crate::observe::Observed;
use crate::store::{Entry, Store};
use serde_json::json;
use std::path::Path;
use zakon_core::{Context, Error, HookInput, Reason, Verdict};

/// The index kind of an installed binary.
pub const KIND: &str = "install";

/// The binaries the installer copies into the install directory.
pub use zakon_core::paths::BINARIES;

/// What the check did to one path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Restored {
    pub path: String,
    pub what: String,
}

/// Why `entry` no longer describes what is at `path`; `None` when only the stat moved (the
/// same bytes and mode, e.g. after `touch`).
pub fn difference(path: &Path, entry: &Entry) -> Result<Option<String>, Error> {
    let now = Observed::at(path);
    if entry.unchanged(&now) {
        return Ok(None);
    }
    Ok(match (now, &entry.sha) {
        (Observed::Absent, None) => None,
        (Observed::Absent, Some(_)) => Some("it was deleted or moved away".into()),
        (Observed::Other(what), _) => Some(format!("it was replaced by {what}")),
        (Observed::Regular(_), None) => Some("it was created".into()),
        (Observed::Regular(s), Some(sha)) => {
            let bytes = crate::read::regular(path)?.unwrap_or_default();
            let old_mode = entry.stat.map(|s| s.mode);
            if &crate::store::sha256_hex(&bytes) != sha {
                Some("its content was replaced".into())
            } else if old_mode != Some(s.mode) {
                Some(format!(
                    "its mode changed from {:o} to {:o}",
                    old_mode.unwrap_or(0),
                    s.mode
                ))
            } else {
                None
            }
        }
    })
}

/// Compares every installed binary with the store and puts back each one that changed.
pub fn check(home: &Path) -> Result<Vec<Restored>, Error> {
    let store = Store::at_home(home);
    let Some(index) = store.load()? else {
        return Ok(Vec::new());
    };
    let stale = index
        .files
        .iter()
        .any(|(p, e)| e.kind == KIND && !e.unchanged(&Observed::at(Path::new(p))));
    if !stale {
        return Ok(Vec::new());
    }
    let _lock = store.lock()?;
    // Read again under the lock: another gate may have restored them a moment ago.
    let Some(mut index) = store.load()? else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    let mut dirty = false;
    let paths: Vec<(String, Entry)> = index
        .files
        .iter()
        .filter(|(_, e)| e.kind == KIND)
        .map(|(p, e)| (p.clone(), e.clone()))
        .collect();
    for (p, entry) in paths {
        let path = Path::new(&p);
        if entry.unchanged(&Observed::at(path)) {
            continue;
        }
        dirty = true;
        match difference(path, &entry)? {
            None => {
                // Same bytes and mode: remember the new stat so the next check is cheap.
                index.files.insert(p.clone(), store.capture(path, KIND)?);
            }
            Some(what) => {
                let back = store.restore(path, &entry)?;
                index.files.insert(p.clone(), back);
                out.push(Restored { path: p, what });
            }
        }
    }
    if dirty {
        store.save(&index)?;
    }
    Ok(out)
}

/// The message for restored binaries.
pub fn report(restored: &[Restored], home: &Path) -> Reason {
    let list: Vec<String> = restored
        .iter()
        .map(|r| {
            format!(
                "  - {}: {}; zakon put the installed version back.",
                zakon_core::paths::display_tilde(Path::new(&r.path), home),
                r.what
            )
        })
        .collect();
    Reason::new(
        "zakon-install-changed",
        format!(
            "zakon's installed gates were changed and have been restored:\n\
             {}\nzakon's binaries are only changed by its installer, run by the user in a \
             terminal (`./install.sh` from the zakon checkout). Do not change them; say in your \
             reply that you tried.",
            list.join("\n")
        ),
    )
    .with_details(json!({"restored": restored.iter().map(|r| json!({"path": r.path, "what": r.what})).collect::<Vec<_>>()}))
}

/// Runs the install check before `judge`: a restore blocks the call (exit 2) with the report;
/// otherwise the gate judges as usual. An unreadable store is the gate's error (fail closed).
pub fn guarded<F>(ctx: &Context, input: &HookInput, judge: F) -> Result<Verdict, Error>
where
    F: FnOnce(&Context, &HookInput) -> Result<Verdict, Error>,
{
    let restored = check(&ctx.home)?;
    if !restored.is_empty() {
        return Ok(Verdict::Block(report(&restored, &ctx.home)));
    }
    judge(ctx, input)
}
