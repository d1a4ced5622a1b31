//! Whose a file is: an evidence file or directory counts only when the user running the
//! gate owns it, nobody else can write it, and (for a symlink) it resolves inside the same
//! evidence root.
//!
//! Seed incident: a file that another user, process or session left in world-writable `/tmp`
//! days earlier let `mc.js done` through artifact-gate. `/tmp/evidence-<id>/` is a name
//! anyone on the machine can create first, so a name is no proof of who put the file there.
//!
//! One call answers the question: [`check`]`(root, path)` walks from the evidence root down
//! to the file and returns the first [`Untrusted`] reason, whose `Display` says what was
//! found and whose [`Untrusted::fix`] is the command that makes it count.

use std::fmt;
use std::os::unix::fs::{FileTypeExt, MetadataExt};
use std::path::{Path, PathBuf};

/// Write permission for the group and for others (`chmod go-w` clears both).
const GROUP_OR_OTHER_WRITE: u32 = 0o022;

/// The effective uid of this process: the user the gate acts for. Not `$USER` or `$HOME`,
/// which the agent's environment can set.
pub fn effective_uid() -> u32 {
    unsafe extern "C" {
        fn geteuid() -> u32;
    }
    // SAFETY: geteuid(2) takes no arguments, cannot fail and touches no memory of ours; uid_t
    // is a 32-bit unsigned integer on every Unix zakon supports (Linux, macOS).
    unsafe { geteuid() }
}

/// Why a path under an evidence root does not count.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Untrusted {
    /// The path that failed (the root, a directory on the way, the file, or a symlink).
    pub path: PathBuf,
    pub why: Why,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Why {
    /// Owned by another user.
    ForeignOwner { uid: u32, euid: u32 },
    /// Writable by the group or by everyone (`mode` is the permission bits).
    Writable { mode: u32 },
    /// The evidence root itself is a symlink: anyone can plant one in `/tmp`.
    RootIsSymlink,
    /// A symlink whose target is outside the evidence root (or cannot be resolved).
    LinksOutside { target: Option<PathBuf> },
    /// The path is not below the root at all.
    OutsideRoot,
    /// Neither a regular file nor a directory (FIFO, socket, device).
    NotAFile,
    /// lstat/realpath failed.
    Unreadable(String),
}

impl Untrusted {
    /// The exact step that makes the path count, as a command that runs as written.
    pub fn fix(&self) -> String {
        let p = shell_quote(&self.path.to_string_lossy());
        match &self.why {
            Why::Writable { .. } => format!("chmod go-w {p}"),
            Why::ForeignOwner { .. } => format!(
                "rm -rf {p}  # or have its owner remove it; then produce the evidence yourself"
            ),
            Why::RootIsSymlink | Why::NotAFile => {
                format!("rm -rf {p}  # then produce the evidence again yourself")
            }
            Why::LinksOutside { .. } | Why::OutsideRoot => {
                format!("rm {p}  # then copy the real file into the evidence directory")
            }
            Why::Unreadable(_) => format!("ls -ld {p}"),
        }
    }
}

impl fmt::Display for Untrusted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let p = self.path.display();
        match &self.why {
            Why::ForeignOwner { uid, euid } => write!(
                f,
                "{p} is owned by uid {uid}, not by uid {euid} (the user running the gate): \
                 another user or process may have left it there"
            ),
            Why::Writable { mode } => {
                let who = match (mode & 0o020 != 0, mode & 0o002 != 0) {
                    (true, true) => "its group and by everyone",
                    (true, false) => "its group",
                    _ => "everyone",
                };
                write!(
                    f,
                    "{p} is writable by {who} (mode {:03o}), so someone else could have \
                     written it",
                    mode & 0o777
                )
            }
            Why::RootIsSymlink => write!(
                f,
                "{p} is a symlink; an evidence directory must be a real directory"
            ),
            Why::LinksOutside { target: Some(t) } => write!(
                f,
                "{p} is a symlink to {} outside its evidence directory",
                t.display()
            ),
            Why::LinksOutside { target: None } => {
                write!(f, "{p} is a symlink that does not resolve")
            }
            Why::OutsideRoot => write!(f, "{p} is not inside its evidence directory"),
            Why::NotAFile => write!(f, "{p} is neither a regular file nor a directory"),
            Why::Unreadable(e) => write!(f, "{p} cannot be inspected: {e}"),
        }
    }
}

/// Checks `path` (the root itself, or anything below it) for trust: the root must be a real
/// directory, and every directory from the root down, the file, and a symlink's resolved
/// target must be owned by the effective uid and not writable by group or others. A symlink
/// counts only when it resolves inside the root.
pub fn check(root: &Path, path: &Path) -> Result<(), Untrusted> {
    check_as(root, path, effective_uid())
}

/// [`check`] for a given uid (tests).
pub fn check_as(root: &Path, path: &Path, euid: u32) -> Result<(), Untrusted> {
    let meta = lstat(root)?;
    if meta.file_type().is_symlink() {
        return Err(untrusted(root, Why::RootIsSymlink));
    }
    owned(root, &meta, euid)?;
    let rel = path
        .strip_prefix(root)
        .map_err(|_| untrusted(path, Why::OutsideRoot))?;
    let mut cur = root.to_path_buf();
    for part in rel.components() {
        cur.push(part);
        let meta = lstat(&cur)?;
        if meta.file_type().is_symlink() {
            // The link itself sits in a directory only we can write; where it points decides.
            let real_root = std::fs::canonicalize(root)
                .map_err(|e| untrusted(root, Why::Unreadable(e.to_string())))?;
            let target = match std::fs::canonicalize(&cur) {
                Ok(t) => t,
                Err(_) => return Err(untrusted(&cur, Why::LinksOutside { target: None })),
            };
            let Ok(inner) = target.strip_prefix(&real_root) else {
                return Err(untrusted(
                    &cur,
                    Why::LinksOutside {
                        target: Some(target),
                    },
                ));
            };
            // The target is inside the root: every step to it must be ours as well. It has
            // no symlinks left (canonical), so this recursion ends.
            let inner = inner.to_path_buf();
            return check_as(&real_root, &real_root.join(inner), euid);
        }
        owned(&cur, &meta, euid)?;
    }
    Ok(())
}

fn lstat(path: &Path) -> Result<std::fs::Metadata, Untrusted> {
    std::fs::symlink_metadata(path).map_err(|e| untrusted(path, Why::Unreadable(e.to_string())))
}

fn owned(path: &Path, meta: &std::fs::Metadata, euid: u32) -> Result<(), Untrusted> {
    let ft = meta.file_type();
    if ft.is_fifo() || ft.is_socket() || ft.is_block_device() || ft.is_char_device() {
        return Err(untrusted(path, Why::NotAFile));
    }
    if meta.uid() != euid {
        return Err(untrusted(
            path,
            Why::ForeignOwner {
                uid: meta.uid(),
                euid,
            },
        ));
    }
    if meta.mode() & GROUP_OR_OTHER_WRITE != 0 {
        return Err(untrusted(path, Why::Writable { mode: meta.mode() }));
    }
    Ok(())
}

fn untrusted(path: &Path, why: Why) -> Untrusted {
    Untrusted {
        path: path.to_path_buf(),
        why,
    }
}

fn shell_quote(s: &str) -> String {
    crate::runnable::quote(s)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn set_mode(p: &Path, mode: u32) {
        std::fs::set_permissions(p, std::fs::Permissions::from_mode(mode)).unwrap();
    }

    #[test]
    fn owner_mode_and_symlinks_decide() {
        let base = std::env::temp_dir().join(format!("zakon-ownership-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&base);
        let root = base.join("evidence-1");
        std::fs::create_dir_all(root.join("sub")).unwrap();
        set_mode(&base, 0o755);
        set_mode(&root, 0o755);
        set_mode(&root.join("sub"), 0o755);
        let file = root.join("sub/log.txt");
        std::fs::write(&file, "ok").unwrap();
        set_mode(&file, 0o644);
        let outside = base.join("outside.txt");
        std::fs::write(&outside, "x").unwrap();
        std::os::unix::fs::symlink(&outside, root.join("out.txt")).unwrap();
        std::os::unix::fs::symlink(&file, root.join("in.txt")).unwrap();
        std::os::unix::fs::symlink(base.join("nowhere"), root.join("dangling")).unwrap();
        let me = effective_uid();

        assert_eq!(check(&root, &file), Ok(()));
        assert_eq!(check(&root, &root.join("in.txt")), Ok(()));
        assert!(matches!(
            check(&root, &root.join("out.txt")).unwrap_err().why,
            Why::LinksOutside { target: Some(_) }
        ));
        assert!(matches!(
            check(&root, &root.join("dangling")).unwrap_err().why,
            Why::LinksOutside { target: None }
        ));
        assert_eq!(check(&root, &outside).unwrap_err().why, Why::OutsideRoot);
        // another uid sees the same tree as foreign
        assert_eq!(
            check_as(&root, &file, me + 1).unwrap_err().why,
            Why::ForeignOwner {
                uid: me,
                euid: me + 1
            }
        );
        // group-writable file, then a world-writable directory on the way
        set_mode(&file, 0o664);
        let e = check(&root, &file).unwrap_err();
        assert_eq!(e.path, file);
        assert!(e.to_string().contains("writable by its group"), "{e}");
        assert_eq!(e.fix(), format!("chmod go-w {}", file.display()));
        set_mode(&file, 0o644);
        set_mode(&root.join("sub"), 0o777);
        let e = check(&root, &file).unwrap_err();
        assert_eq!(e.path, root.join("sub"));
        assert!(e.to_string().contains("its group and by everyone"), "{e}");
        set_mode(&root.join("sub"), 0o755);
        // a symlinked root is never trusted
        let link_root = base.join("evidence-2");
        std::os::unix::fs::symlink(&root, &link_root).unwrap();
        assert_eq!(
            check(&link_root, &link_root).unwrap_err().why,
            Why::RootIsSymlink
        );
        std::fs::remove_dir_all(&base).unwrap();
    }
}
