//! The store under `~/.claude/zakon/snapshots/`: `objects/<sha256>` holds each accepted
//! version of a guarded file once, `index.json` maps every guarded path to the version that
//! is good and the stat it had when zakon last saw it, `quarantine/` keeps files zakon moved
//! out of the guarded set (nothing is deleted), `journal.jsonl` lists changes taken without
//! judging them, and `lock` serialises concurrent gates.

use crate::observe::{Observed, Stat};
use crate::read;
use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::fs::File;
use std::io::Write;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use zakon_core::Error;

/// The store's place, relative to `$HOME`.
pub const DEFAULT_RELATIVE_DIR: &str = ".claude/zakon/snapshots";
const INDEX: &str = "index.json";
const VERSION: u64 = 1;
/// Session walk records kept; older ones are dropped when a new one is added.
const MAX_WALKS: usize = 64;

/// One guarded path as last accepted: what kind of file it is, and either its content (by
/// sha256) and stat, or that nothing was there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub kind: String,
    /// `None`: the path was absent when accepted (its creation is a change).
    pub sha: Option<String>,
    pub stat: Option<Stat>,
}

impl Entry {
    pub fn absent(kind: &str) -> Entry {
        Entry {
            kind: kind.to_string(),
            sha: None,
            stat: None,
        }
    }

    /// Whether what is on disk now is exactly what was accepted, judged by stat alone.
    pub fn unchanged(&self, now: &Observed) -> bool {
        match (now, &self.stat) {
            (Observed::Absent, None) => self.sha.is_none(),
            (Observed::Regular(s), Some(old)) => s == old,
            _ => false,
        }
    }

    fn to_json(&self) -> Value {
        let mut m = Map::new();
        m.insert("kind".into(), json!(self.kind));
        m.insert("sha".into(), json!(self.sha));
        if let Some(s) = &self.stat {
            m.insert("size".into(), json!(s.size));
            m.insert("mtime_ns".into(), json!(s.mtime_ns));
            m.insert("ctime_ns".into(), json!(s.ctime_ns));
            m.insert("mode".into(), json!(s.mode));
            m.insert("ino".into(), json!(s.ino));
        }
        Value::Object(m)
    }

    fn from_json(v: &Value) -> Option<Entry> {
        let kind = v.get("kind")?.as_str()?.to_string();
        let sha = v.get("sha").and_then(Value::as_str).map(String::from);
        let stat = match v.get("size").and_then(Value::as_u64) {
            Some(size) => Some(Stat {
                size,
                mtime_ns: v.get("mtime_ns")?.as_i64()?,
                ctime_ns: v.get("ctime_ns")?.as_i64()?,
                mode: u32::try_from(v.get("mode")?.as_u64()?).ok()?,
                ino: v.get("ino")?.as_u64()?,
            }),
            None => None,
        };
        Some(Entry { kind, sha, stat })
    }
}

/// The blueprints one walk of a project found, remembered for the rest of the session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Walk {
    pub root: String,
    pub at: i64,
    pub files: Vec<String>,
}

/// `index.json`: path → [`Entry`], plus the session walk cache.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Index {
    pub files: BTreeMap<String, Entry>,
    pub walks: BTreeMap<String, Walk>,
}

impl Index {
    pub fn parse(text: &str, path: &Path) -> Result<Index, Error> {
        let bad = |why: &str| {
            Error::new(format!(
                "the zakon snapshot index {} is damaged ({why}); run `{} snapshot --init` in a \
                 terminal to rebuild it from the files as they are now",
                path.display(),
                zakon_core::runnable::command("blueprint-gate")
            ))
        };
        let v: Value = serde_json::from_str(text).map_err(|e| bad(&e.to_string()))?;
        if v.get("version").and_then(Value::as_u64) != Some(VERSION) {
            return Err(bad("unknown version"));
        }
        let mut index = Index::default();
        for (p, e) in v
            .get("files")
            .and_then(Value::as_object)
            .ok_or_else(|| bad("no files"))?
        {
            let entry = Entry::from_json(e).ok_or_else(|| bad(&format!("entry {p}")))?;
            index.files.insert(p.clone(), entry);
        }
        if let Some(walks) = v.get("walks").and_then(Value::as_object) {
            for (k, w) in walks {
                let files = w
                    .get("files")
                    .and_then(Value::as_array)
                    .map(|a| {
                        a.iter()
                            .filter_map(Value::as_str)
                            .map(String::from)
                            .collect()
                    })
                    .unwrap_or_default();
                index.walks.insert(
                    k.clone(),
                    Walk {
                        root: w.get("root").and_then(Value::as_str).unwrap_or("").into(),
                        at: w.get("at").and_then(Value::as_i64).unwrap_or(0),
                        files,
                    },
                );
            }
        }
        Ok(index)
    }

    pub fn render(&self) -> String {
        let files: Map<String, Value> = self
            .files
            .iter()
            .map(|(p, e)| (p.clone(), e.to_json()))
            .collect();
        let walks: Map<String, Value> = self
            .walks
            .iter()
            .map(|(k, w)| {
                (
                    k.clone(),
                    json!({"root": w.root, "at": w.at, "files": w.files}),
                )
            })
            .collect();
        let mut s = serde_json::to_string_pretty(&json!({
            "version": VERSION, "files": files, "walks": walks,
        }))
        .unwrap_or_default();
        s.push('\n');
        s
    }

    /// Remembers a walk, dropping the oldest beyond [`MAX_WALKS`].
    pub fn remember_walk(&mut self, key: String, walk: Walk) {
        self.walks.insert(key, walk);
        while self.walks.len() > MAX_WALKS {
            let oldest = self
                .walks
                .iter()
                .min_by_key(|(_, w)| w.at)
                .map(|(k, _)| k.clone());
            match oldest {
                Some(k) => {
                    self.walks.remove(&k);
                }
                None => break,
            }
        }
    }
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// The store directory and what can be done in it.
#[derive(Debug, Clone)]
pub struct Store {
    pub dir: PathBuf,
}

/// The exclusive lock on the store, released on drop.
pub struct Lock(File);

impl Drop for Lock {
    fn drop(&mut self) {
        let _ = self.0.unlock();
    }
}

impl Store {
    pub fn at_home(home: &Path) -> Store {
        Store {
            dir: home.join(DEFAULT_RELATIVE_DIR),
        }
    }

    pub fn index_path(&self) -> PathBuf {
        self.dir.join(INDEX)
    }

    /// The index; `None` when the store was never seeded.
    pub fn load(&self) -> Result<Option<Index>, Error> {
        let path = self.index_path();
        match read::regular_text(&path)? {
            Some(text) => Index::parse(&text, &path).map(Some),
            None => Ok(None),
        }
    }

    pub fn save(&self, index: &Index) -> Result<(), Error> {
        self.ensure_dir(&self.dir)?;
        let path = self.index_path();
        zakon_core::atomic::replace_file(&path, index.render().as_bytes(), None)
            .map_err(|e| Error::io("write", &path, &e))
    }

    fn ensure_dir(&self, d: &Path) -> Result<(), Error> {
        std::fs::create_dir_all(d).map_err(|e| Error::io("create directory", d, &e))
    }

    /// Takes the store's exclusive lock (waits for a concurrent gate to finish its sweep).
    pub fn lock(&self) -> Result<Lock, Error> {
        self.ensure_dir(&self.dir)?;
        let path = self.dir.join("lock");
        let f = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(|e| Error::io("open", &path, &e))?;
        f.lock().map_err(|e| Error::io("lock", &path, &e))?;
        Ok(Lock(f))
    }

    /// The stored object names, to tell later which ones are new.
    pub fn object_names(&self) -> std::collections::BTreeSet<String> {
        std::fs::read_dir(self.dir.join("objects"))
            .map(|rd| {
                rd.flatten()
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Forgets everything under `root` (a scratch project that is gone): its index entries,
    /// the walks rooted there, and the objects stored since `objects_before` that no entry
    /// names any more. Under the store's lock, so a gate running meanwhile loses nothing.
    /// Returns how many index entries and walks were dropped.
    pub fn forget_under(
        &self,
        root: &Path,
        objects_before: &std::collections::BTreeSet<String>,
    ) -> Result<usize, Error> {
        if !self.dir.is_dir() {
            return Ok(0);
        }
        let _lock = self.lock()?;
        let Some(mut index) = self.load()? else {
            return Ok(0);
        };
        let under = |p: &str| Path::new(p).starts_with(root);
        let before = index.files.len() + index.walks.len();
        index.files.retain(|p, _| !under(p));
        index.walks.retain(|_, w| !under(&w.root));
        let dropped = before - index.files.len() - index.walks.len();
        if dropped > 0 {
            self.save(&index)?;
        }
        let named: std::collections::BTreeSet<&str> = index
            .files
            .values()
            .filter_map(|e| e.sha.as_deref())
            .collect();
        for sha in self.object_names() {
            if !objects_before.contains(&sha) && !named.contains(sha.as_str()) {
                let _ = std::fs::remove_file(self.object_path(&sha));
            }
        }
        Ok(dropped)
    }

    fn object_path(&self, sha: &str) -> PathBuf {
        self.dir.join("objects").join(sha)
    }

    /// Appends one line to `journal.jsonl`: changes the store accepted without judging them
    /// (made between two tool calls), so a late write by something the agent left running
    /// can still be found.
    pub fn journal(&self, line: &Value) -> Result<(), Error> {
        let mut text = line.to_string();
        text.push('\n');
        zakon_core::audit::append_line(&self.dir.join("journal.jsonl"), &text)
    }

    /// Stores `bytes` (once per content) and returns their sha256.
    pub fn put(&self, bytes: &[u8]) -> Result<String, Error> {
        let sha = sha256_hex(bytes);
        let path = self.object_path(&sha);
        if std::fs::symlink_metadata(&path)
            .is_ok_and(|m| m.is_file() && m.len() == bytes.len() as u64)
        {
            return Ok(sha);
        }
        self.ensure_dir(&self.dir.join("objects"))?;
        zakon_core::atomic::replace_file(&path, bytes, None)
            .map_err(|e| Error::io("write", &path, &e))?;
        Ok(sha)
    }

    /// A stored version, checked against its name: a damaged object is never written back.
    pub fn get(&self, sha: &str) -> Result<Vec<u8>, Error> {
        let path = self.object_path(sha);
        let bytes = read::regular(&path)?.ok_or_else(|| {
            Error::new(format!(
                "the zakon snapshot store has lost {} (no object {sha})",
                path.display()
            ))
        })?;
        if sha256_hex(&bytes) != sha {
            return Err(Error::new(format!(
                "the zakon snapshot object {} does not match its sha256; it was changed",
                path.display()
            )));
        }
        Ok(bytes)
    }

    /// Accepts what is at `path` now as its good version: stores the content and returns the
    /// entry to put in the index. A path that is not a regular file cannot be accepted.
    pub fn capture(&self, path: &Path, kind: &str) -> Result<Entry, Error> {
        let before = Observed::at(path);
        let Some(bytes) = read::regular(path)? else {
            return Ok(Entry::absent(kind));
        };
        let sha = self.put(&bytes)?;
        // The stat from before the read: a write racing the read shows up as a change later.
        let stat = match before {
            Observed::Regular(s) => Some(s),
            _ => match Observed::at(path) {
                Observed::Regular(s) => Some(s),
                _ => None,
            },
        };
        Ok(Entry {
            kind: kind.to_string(),
            sha: Some(sha),
            stat,
        })
    }

    /// Puts the accepted version back at `path` (whatever is there now: another file, a
    /// symlink, a FIFO, nothing) and returns the entry with the restored file's stat. An
    /// accepted absence is restored by moving what is there into the quarantine.
    pub fn restore(&self, path: &Path, entry: &Entry) -> Result<Entry, Error> {
        let Some(sha) = &entry.sha else {
            if !matches!(Observed::at(path), Observed::Absent) {
                self.move_aside(path)?;
            }
            return Ok(entry.clone());
        };
        let bytes = self.get(sha)?;
        if let Observed::Other(_) = Observed::at(path) {
            // A directory or special file: rename cannot replace it; keep it, out of the way.
            self.move_aside(path)?;
        }
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| Error::io("create directory", parent, &e))?;
        }
        let mode = entry.stat.map(|s| s.mode).unwrap_or(0o644);
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let tmp = path.with_file_name(format!(".{name}.zakon-restore-{}", std::process::id()));
        let written = (|| {
            let mut f = File::create(&tmp)?;
            f.write_all(&bytes)?;
            f.sync_all()?;
            std::fs::set_permissions(&tmp, std::fs::Permissions::from_mode(mode))?;
            std::fs::rename(&tmp, path)
        })();
        if let Err(e) = written {
            let _ = std::fs::remove_file(&tmp);
            return Err(Error::io("restore", path, &e));
        }
        let stat = match Observed::at(path) {
            Observed::Regular(s) => Some(s),
            _ => None,
        };
        Ok(Entry {
            kind: entry.kind.clone(),
            sha: Some(sha.clone()),
            stat,
        })
    }

    /// Moves whatever is at `path` into `quarantine/` (nothing zakon takes away is deleted)
    /// and returns where it went.
    pub fn move_aside(&self, path: &Path) -> Result<PathBuf, Error> {
        let q = self.dir.join("quarantine");
        self.ensure_dir(&q)?;
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "unnamed".into());
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0);
        let dest = q.join(format!("{now}-{}-{name}", std::process::id()));
        if std::fs::rename(path, &dest).is_ok() {
            return Ok(dest);
        }
        // Another file system: copy a regular file, then remove; anything else is removed.
        if let Ok(Some(bytes)) = read::regular(path) {
            std::fs::write(&dest, bytes).map_err(|e| Error::io("write", &dest, &e))?;
        }
        let meta = std::fs::symlink_metadata(path).map_err(|e| Error::io("inspect", path, &e))?;
        let removed = if meta.is_dir() {
            std::fs::remove_dir_all(path)
        } else {
            std::fs::remove_file(path)
        };
        removed.map_err(|e| Error::io("remove", path, &e))?;
        Ok(dest)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp(tag: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("zakon-store-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        d
    }

    #[test]
    fn capture_restore_and_quarantine() {
        let d = temp("cycle");
        let store = Store {
            dir: d.join("store"),
        };
        let f = d.join("BUILD-BLUEPRINT.md");
        std::fs::write(&f, "good").unwrap();
        let e = store.capture(&f, "blueprint").unwrap();
        assert!(e.unchanged(&Observed::at(&f)));
        std::fs::write(&f, "evil!").unwrap();
        assert!(!e.unchanged(&Observed::at(&f)));
        let e2 = store.restore(&f, &e).unwrap();
        assert_eq!(std::fs::read_to_string(&f).unwrap(), "good");
        assert!(e2.unchanged(&Observed::at(&f)));
        // a symlink in its place is replaced by the file
        std::fs::remove_file(&f).unwrap();
        std::os::unix::fs::symlink("/etc/hostname", &f).unwrap();
        store.restore(&f, &e).unwrap();
        assert_eq!(std::fs::read_to_string(&f).unwrap(), "good");
        // an accepted absence: what appears is moved aside, not deleted
        let n = d.join("new.md");
        std::fs::write(&n, "x").unwrap();
        store.restore(&n, &Entry::absent("blueprint")).unwrap();
        assert!(!n.exists());
        // the symlink and the new file, both kept
        assert_eq!(
            std::fs::read_dir(store.dir.join("quarantine"))
                .unwrap()
                .count(),
            2
        );
        // the index round-trips
        let mut idx = Index::default();
        idx.files.insert(f.display().to_string(), e2.clone());
        idx.files
            .insert(n.display().to_string(), Entry::absent("settings"));
        store.save(&idx).unwrap();
        assert_eq!(store.load().unwrap().unwrap(), idx);
        // a tampered object is refused
        let sha = e.sha.clone().unwrap();
        std::fs::write(store.object_path(&sha), "bad").unwrap();
        assert!(store.get(&sha).is_err());
        std::fs::remove_dir_all(&d).unwrap();
    }
}
