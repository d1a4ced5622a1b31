//! What is at a path right now, from one `lstat`: the comparison that decides whether a
//! guarded file needs to be read at all.

use std::os::unix::fs::MetadataExt;
use std::path::Path;

/// The stat facts a change shows up in. `ctime` changes on every write, rename and chmod and
/// cannot be set back by `touch`, so a content swap that restores the mtime is still seen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stat {
    pub size: u64,
    pub mtime_ns: i64,
    pub ctime_ns: i64,
    pub mode: u32,
    pub ino: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Observed {
    Absent,
    Regular(Stat),
    /// A symlink, FIFO, socket, device or directory where a regular file belongs.
    Other(&'static str),
}

impl Observed {
    pub fn at(path: &Path) -> Observed {
        match std::fs::symlink_metadata(path) {
            Err(_) => Observed::Absent,
            Ok(m) => {
                let t = m.file_type();
                if t.is_file() {
                    Observed::Regular(Stat {
                        size: m.size(),
                        mtime_ns: m.mtime() * 1_000_000_000 + m.mtime_nsec(),
                        ctime_ns: m.ctime() * 1_000_000_000 + m.ctime_nsec(),
                        mode: m.mode() & 0o7777,
                        ino: m.ino(),
                    })
                } else if t.is_symlink() {
                    Observed::Other("a symlink")
                } else if t.is_dir() {
                    Observed::Other("a directory")
                } else {
                    Observed::Other("a FIFO, socket or device")
                }
            }
        }
    }
}
