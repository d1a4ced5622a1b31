//! Which mode the gates run in: the user's own install, or managed mode — a fleet install
//! by root (`install.sh --managed`) whose config and registry are root-owned files under
//! `/etc/zakon/`.
//!
//! Managed mode is on when `<root>/etc/zakon/config.json` exists. `<root>` is `/`. Tests
//! (and the e2e suite) point it at a temporary tree with `$ZAKON_MANAGED_ROOT`, which is
//! honoured only when it cannot be abused by an agent that controls the environment:
//! - it is consulted only when `/etc/zakon/config.json` does not exist, so on a managed
//!   machine no variable can move the gates away from the real managed files;
//! - the override directory and every directory above it must be owned by root and not
//!   writable by group or others (a root-owned sticky directory such as `/tmp` is fine: no
//!   one else can replace a root-owned entry in it), and so must the config in it.
//!
//! On an unmanaged machine the override can therefore only switch the gates *into* managed
//! mode with files root wrote, which is stricter than the `$ZAKON_CONFIG` the same agent can
//! already set. A managed config that exists but is not safely root-owned is an error (the
//! gates fail closed): only root can put a file in `/etc/zakon/`, so an unsafe one means a
//! broken install, and guessing would hand the agent a rule set it may be able to write.
//!
//! In managed mode the gates ignore `$ZAKON_CONFIG`, `$ZAKON_REGISTRY`,
//! `~/.claude/zakon/config.json` and `$HOME` (the home comes from the password database for
//! the real uid), and `BLUEPRINT_OVERRIDE` counts only with a root-owned approval file
//! `<root>/etc/zakon/approvals/<MC id>`.

use crate::Error;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// The variable that points `<root>` at another tree (tests); see the module comment.
pub const ROOT_ENV: &str = "ZAKON_MANAGED_ROOT";
/// Paths below `<root>`.
pub const CONFIG: &str = "etc/zakon/config.json";
pub const REGISTRY: &str = "etc/zakon/zakon-registry.json";
pub const APPROVALS: &str = "etc/zakon/approvals";
pub const BIN_DIR: &str = "usr/local/lib/zakon/bin";
pub const DROP_IN: &str = "etc/claude-code/managed-settings.d/50-zakon.json";

/// A managed install rooted at `root` (`/` in production).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Managed {
    pub root: PathBuf,
}

impl Managed {
    pub fn at(root: &Path) -> Managed {
        Managed {
            root: root.to_path_buf(),
        }
    }

    /// `<root>/<rel>`.
    pub fn path(&self, rel: &str) -> PathBuf {
        self.root.join(rel)
    }

    pub fn config(&self) -> PathBuf {
        self.path(CONFIG)
    }

    pub fn registry(&self) -> PathBuf {
        self.path(REGISTRY)
    }

    /// The approval file that lets `BLUEPRINT_OVERRIDE=ceo-approved-<id>` through.
    pub fn approval(&self, mc_id: &str) -> PathBuf {
        self.path(APPROVALS).join(mc_id)
    }

    /// Whether root approved MC task `mc_id`: its approval file is a regular file that no
    /// one but root can have written (the chain up to it included).
    pub fn approved(&self, mc_id: &str) -> bool {
        mc_id.bytes().all(|b| b.is_ascii_digit())
            && !mc_id.is_empty()
            && std::fs::metadata(self.approval(mc_id)).is_ok_and(|m| m.is_file())
            && secure_chain(&self.approval(mc_id)).is_ok()
    }

    /// The user's home: the password database entry of the real uid, never `$HOME` (settings
    /// `env` reaches the hooks, so an agent could set `HOME` to move every `~` path).
    pub fn home(&self) -> Result<PathBuf, Error> {
        let uid = real_uid();
        passwd_home(&self.path("etc/passwd"), uid)
            .or_else(|| {
                (self.root == Path::new("/"))
                    .then(|| getent_home(uid))
                    .flatten()
            })
            .ok_or_else(|| {
                // getent is asked only for the real root; a staging root has its own passwd
                let also = if self.root == Path::new("/") {
                    " (or getent passwd)"
                } else {
                    " (the staging root's own password file; getent is not asked)"
                };
                Error::new(format!(
                    "managed mode: uid {uid} has no home directory in {}{also}; \
                     zakon keeps per-user data there",
                    self.path("etc/passwd").display()
                ))
            })
    }
}

/// The mode the process runs in: `Ok(None)` for a user install, `Ok(Some(_))` for managed
/// mode, `Err` for a managed config that is not safely root-owned. Decided once per process.
pub fn current() -> Result<Option<&'static Managed>, Error> {
    static MODE: OnceLock<Result<Option<Managed>, Error>> = OnceLock::new();
    MODE.get_or_init(detect)
        .as_ref()
        .map(Option::as_ref)
        .map_err(Clone::clone)
}

/// The managed install, when there is one and it is sound (an unsound one reads as `None`
/// here; [`current`] reports it).
pub fn managed() -> Option<&'static Managed> {
    current().ok().flatten()
}

fn detect() -> Result<Option<Managed>, Error> {
    let system = Managed::at(Path::new("/"));
    if exists(&system.config()) {
        return check(system).map(Some);
    }
    let Some(root) = std::env::var_os(ROOT_ENV).filter(|v| !v.is_empty()) else {
        return Ok(None);
    };
    let alt = Managed::at(Path::new(&root));
    if !Path::new(&root).is_absolute() || !exists(&alt.config()) {
        return Ok(None);
    }
    // An override that anyone but root could have built is ignored, not an error: the
    // agent controls the environment, so it may not decide the mode through it.
    Ok(secure_chain(&alt.config()).ok().map(|_| alt))
}

fn exists(p: &Path) -> bool {
    std::fs::symlink_metadata(p).is_ok()
}

fn check(m: Managed) -> Result<Managed, Error> {
    secure_chain(&m.config()).map_err(|why| {
        Error::new(format!(
            "managed mode: {why}. The managed config must be owned by root and writable by \
             no one else; as root run: chown root:root {0} && chmod 644 {0}",
            m.config().display()
        ))
    })?;
    Ok(m)
}

/// Checks that `path` and every directory above it are owned by root and not writable by
/// group or others (a root-owned sticky directory is accepted). Symlinks are followed, and
/// their targets must pass too.
pub fn secure_chain(path: &Path) -> Result<(), String> {
    let real = path
        .canonicalize()
        .map_err(|e| format!("{}: {e}", path.display()))?;
    let mut cur = Some(real.as_path());
    while let Some(p) = cur {
        let meta = std::fs::metadata(p).map_err(|e| format!("{}: {e}", p.display()))?;
        owned_safely(p, &meta)?;
        cur = p.parent();
    }
    Ok(())
}

/// One file or directory: owned by root, not writable by group or others (sticky
/// directories excepted).
pub fn owned_safely(p: &Path, meta: &std::fs::Metadata) -> Result<(), String> {
    if meta.uid() != 0 {
        return Err(format!(
            "{} is owned by uid {}, not root",
            p.display(),
            meta.uid()
        ));
    }
    let mode = meta.mode();
    let sticky_dir = meta.is_dir() && mode & 0o1000 != 0;
    if mode & 0o022 != 0 && !sticky_dir {
        return Err(format!(
            "{} is writable by {} (mode {:o})",
            p.display(),
            if mode & 0o002 != 0 {
                "others"
            } else {
                "its group"
            },
            mode & 0o7777
        ));
    }
    Ok(())
}

/// The real uid of this process.
pub fn real_uid() -> u32 {
    // SAFETY: getuid(2) has no preconditions and cannot fail; std already links libc.
    unsafe extern "C" {
        safe fn getuid() -> u32;
    }
    getuid()
}

/// The home field of `uid`'s line in a passwd(5) file.
fn passwd_home(file: &Path, uid: u32) -> Option<PathBuf> {
    let text = std::fs::read_to_string(file).ok()?;
    parse_passwd_home(&text, uid)
}

fn parse_passwd_home(text: &str, uid: u32) -> Option<PathBuf> {
    text.lines().find_map(|line| {
        let f: Vec<&str> = line.split(':').collect();
        (f.len() >= 7 && f[2].parse::<u32>().ok() == Some(uid) && f[5].starts_with('/'))
            .then(|| PathBuf::from(f[5]))
    })
}

/// Users from NSS (LDAP, sssd) are not in /etc/passwd; `getent` asks the same database
/// getpwuid(3) does.
fn getent_home(uid: u32) -> Option<PathBuf> {
    let out = std::process::Command::new("getent")
        .args(["passwd", &uid.to_string()])
        .stdin(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .output()
        .ok()?;
    parse_passwd_home(&String::from_utf8_lossy(&out.stdout), uid)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn passwd_home_by_uid() {
        let text = "root:x:0:0:root:/root:/bin/sh\nbad line\nu:x:1000:1000::/home/u:/bin/sh\n\
                    v:x:1001:1001::relative:/bin/sh\n";
        for (uid, want) in [
            (0, Some("/root")),
            (1000, Some("/home/u")),
            (1001, None),
            (7, None),
        ] {
            assert_eq!(
                parse_passwd_home(text, uid),
                want.map(PathBuf::from),
                "{uid}"
            );
        }
    }

    #[test]
    fn ownership_and_mode_rules() {
        let dir = std::env::temp_dir().join(format!("zakon-mode-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let f = dir.join("config.json");
        std::fs::write(&f, "{}").unwrap();
        let root = real_uid() == 0;
        for (mode, ok) in [(0o644, true), (0o664, false), (0o646, false), (0o600, true)] {
            std::fs::set_permissions(&f, std::fs::Permissions::from_mode(mode)).unwrap();
            let m = std::fs::metadata(&f).unwrap();
            // Not root: every file is owned by someone else, so nothing passes.
            assert_eq!(owned_safely(&f, &m).is_ok(), ok && root, "{mode:o}");
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn approval_ids_are_digits_only() {
        let m = Managed::at(Path::new("/nonexistent-zakon-root"));
        for id in ["", "../../etc/passwd", "12a", "12"] {
            assert!(!m.approved(id), "{id}");
        }
    }
}
