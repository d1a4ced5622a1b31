//! The last known state of the Mission Control tasks (task id → status), kept by zakon in
//! `~/.claude/zakon/state/mc-tasks.json`, and the database's stamp beside it
//! (`mc-tasks.stamp`), which says whether the database changed since.
//!
//! The stamp is what makes the check after every tool call cheap: a few `stat` calls and a
//! 100-byte read, compared with one short line. It holds, for the database file and its
//! `-wal` file, device, inode, size, mtime and ctime (ctime cannot be set back with `touch`),
//! and the database header's change counter (bumped on every commit in rollback-journal
//! mode, even within one clock tick).

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::io::Read;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use zakon_core::Error;

/// A state file larger than this is refused (a million tasks is ~30 MB).
const MAX_STATE_BYTES: u64 = 64 * 1024 * 1024;

/// Where the state lives under HOME.
pub const STATE_DIR: &str = ".claude/zakon/state";
const TASKS_FILE: &str = "mc-tasks.json";
const STAMP_FILE: &str = "mc-tasks.stamp";

/// The tasks as zakon last accepted them.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Known {
    /// The database these statuses belong to; another path means no baseline.
    pub db: PathBuf,
    /// Task id → status (`None` for a NULL status).
    pub tasks: BTreeMap<i64, Option<String>>,
}

/// The two files in the state directory.
pub struct Store {
    pub tasks: PathBuf,
    pub stamp: PathBuf,
}

impl Store {
    pub fn new(home: &Path) -> Store {
        let dir = home.join(STATE_DIR);
        Store {
            tasks: dir.join(TASKS_FILE),
            stamp: dir.join(STAMP_FILE),
        }
    }

    /// The stamp recorded with the last accepted state; `None` when there is none.
    pub fn stamp(&self) -> Result<Option<String>, Error> {
        Ok(read_small(&self.stamp, 4096)?.map(|b| String::from_utf8_lossy(&b).into_owned()))
    }

    /// The last accepted state; `None` when there is none yet.
    pub fn known(&self) -> Result<Option<Known>, Error> {
        let Some(bytes) = read_small(&self.tasks, MAX_STATE_BYTES)? else {
            return Ok(None);
        };
        serde_json::from_slice(&bytes).map(Some).map_err(|e| {
            Error::new(format!(
                "artifact-gate state {} is not valid ({e}); remove it (`rm {}`) and zakon \
                 records the tasks afresh",
                self.tasks.display(),
                self.tasks.display()
            ))
        })
    }

    /// Records the state, then the stamp (so a crash in between only costs a re-check).
    pub fn save(&self, known: &Known, stamp: &str) -> Result<(), Error> {
        let dir = self.tasks.parent().unwrap_or(Path::new("."));
        create_private_dir(dir)?;
        let json = serde_json::to_vec(known).map_err(Error::from)?;
        replace_unsynced(&self.tasks, &json)?;
        replace_unsynced(&self.stamp, stamp.as_bytes())
    }
}

/// Temp file and rename, like `zakon_core::atomic::replace_file` but without fsync: the
/// state is re-derivable (a lost or torn file means a fresh baseline, or a fail-closed
/// message saying to remove it), and an fsync on a busy disk cost 20 ms of every check
/// after a database change in `bench/artifact-gate.sh`.
fn replace_unsynced(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = path.with_file_name(format!(".{name}.zakon-tmp-{}", std::process::id()));
    let result = std::fs::write(&tmp, bytes).and_then(|()| std::fs::rename(&tmp, path));
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result.map_err(|e| Error::io("write artifact-gate state", path, &e))
}

fn create_private_dir(dir: &Path) -> Result<(), Error> {
    use std::os::unix::fs::DirBuilderExt;
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
        .map_err(|e| Error::io("create the artifact-gate state directory", dir, &e))
}

/// Reads a regular file of at most `max` bytes; `None` when it does not exist. A FIFO or
/// device is an error, never a read that hangs.
fn read_small(path: &Path, max: u64) -> Result<Option<Vec<u8>>, Error> {
    let meta = match std::fs::symlink_metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(Error::io("read artifact-gate state", path, &e)),
    };
    if !meta.is_file() {
        return Err(Error::new(format!(
            "artifact-gate state {} is not a regular file; remove it (`rm -rf {}`)",
            path.display(),
            path.display()
        )));
    }
    if meta.len() > max {
        return Err(Error::new(format!(
            "artifact-gate state {} is larger than {max} bytes; remove it (`rm {}`)",
            path.display(),
            path.display()
        )));
    }
    let mut buf = Vec::new();
    zakon_core::fsio::open_regular(path)
        .and_then(|f| f.take(max).read_to_end(&mut buf))
        .map_err(|e| Error::io("read artifact-gate state", path, &e))?;
    Ok(Some(buf))
}

/// The database's stamp as one line: what changes whenever a transaction commits.
/// `None` when the database does not exist.
pub fn stamp(db: &Path) -> Result<Option<String>, Error> {
    let meta = match std::fs::metadata(db) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(Error::io("stat Mission Control database", db, &e)),
    };
    if !meta.is_file() {
        return Err(crate::claims::not_a_db_file(db));
    }
    // Header bytes 24..28: the file change counter.
    let mut header = [0u8; 28];
    let counter = zakon_core::fsio::open_regular(db)
        .and_then(|mut f| f.read_exact(&mut header))
        .map(|()| u32::from_be_bytes([header[24], header[25], header[26], header[27]]))
        .unwrap_or(0);
    let mut wal = db.as_os_str().to_owned();
    wal.push("-wal");
    let wal = match std::fs::metadata(PathBuf::from(wal)) {
        Ok(m) => file_stamp(&m),
        Err(_) => "-".into(),
    };
    Ok(Some(format!(
        "{} {} counter={counter} wal={wal}",
        db.display(),
        file_stamp(&meta)
    )))
}

fn file_stamp(m: &std::fs::Metadata) -> String {
    format!(
        "{}:{}:{}:{}.{}:{}.{}",
        m.dev(),
        m.ino(),
        m.size(),
        m.mtime(),
        m.mtime_nsec(),
        m.ctime(),
        m.ctime_nsec()
    )
}
