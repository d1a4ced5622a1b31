//! Where the gates find the user's home — an installed gate never from `$HOME`.
//!
//! Claude Code passes a settings file's `env` to every hook process, so an agent that can
//! write `"env": {"HOME": "/tmp/empty"}` into a settings file could point every gate at an
//! empty home: no config, no registry, no audit log. The gates therefore ask, in order:
//!
//! 1. `$ZAKON_HOME` — set by tests and by `zakon doctor`'s isolated probes. The settings
//!    guard blocks a settings `env` that sets any `ZAKON_*` variable.
//! 2. the binary's own install location: a gate running from `<h>/.claude/zakon/bin/` uses
//!    `<h>`, so an installed gate (and install.sh into a temporary HOME, as the real-client
//!    harness does) agrees with where it was installed, whatever `$HOME` says (an agent
//!    cannot change how Claude Code invokes a registered gate without editing the guarded
//!    settings);
//! 3. for a binary that is *not* installed there (run from a build tree by the evals, the
//!    tests or a person), `$HOME`, as the spec's "`~` expands to `$HOME`" says — registered
//!    hooks run the installed binaries, which stop at 2;
//! 4. the password database, `getpwuid_r(getuid())`.
//!
//! The CLIs a person runs in a shell (`zakon`, `install.sh`) use [`cli_home`], which honours
//! `$HOME`: a human choosing their own HOME is not an attack.

use std::ffi::{CStr, OsStr, OsString};
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};

/// The variable that names the home explicitly (tests, doctor's probes).
pub const ZAKON_HOME: &str = "ZAKON_HOME";

/// Where an installed gate lives, relative to the home it belongs to.
const INSTALL_DIR: [&str; 3] = [".claude", "zakon", "bin"];

/// Which of the three sources gave the home (for `zakon doctor` and messages).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    ZakonHome,
    InstallLocation,
    /// `$HOME`, for a binary that is not installed (see [`resolve`]).
    Environment,
    PasswordDatabase,
    /// No source answered; `/` is used so that every read fails visibly rather than reading
    /// someone else's files.
    Fallback,
}

/// The gates' home (see the module comment for the order).
pub fn home() -> PathBuf {
    resolve().0
}

/// The gates' home and where it came from.
pub fn resolve() -> (PathBuf, Source) {
    if let Some(h) = explicit() {
        return (h, Source::ZakonHome);
    }
    if let Some(h) = install_home() {
        return (h, Source::InstallLocation);
    }
    // A gate that is not installed — run from a build tree by the evals, a test or a person —
    // follows the spec's "`~` is `$HOME`". Registered hooks run installed binaries (above),
    // and managed mode never gets here (`paths::home`).
    if let Some(h) = std::env::var_os("HOME").filter(|h| !h.is_empty()) {
        return (PathBuf::from(h), Source::Environment);
    }
    match password_home() {
        Some(h) => (h, Source::PasswordDatabase),
        None => (PathBuf::from("/"), Source::Fallback),
    }
}

/// The home for a CLI a person runs in their shell: `$ZAKON_HOME`, else `$HOME`, else the
/// gates' home.
pub fn cli_home() -> PathBuf {
    if let Some(h) = explicit() {
        return h;
    }
    match std::env::var_os("HOME") {
        Some(h) if !h.is_empty() => PathBuf::from(h),
        _ => home(),
    }
}

fn explicit() -> Option<PathBuf> {
    std::env::var_os(ZAKON_HOME)
        .filter(|h| !h.is_empty())
        .map(PathBuf::from)
}

/// The home of the install directory this binary runs from, if it runs from one. The path
/// Claude Code ran (`argv[0]`: the absolute path the installer registered, symlinks kept) comes
/// first, so a `~/.claude` that is a symlink into a dotfiles checkout still gives `~`; then
/// the kernel's `/proc/self/exe`, which has every symlink resolved.
fn install_home() -> Option<PathBuf> {
    std::env::args_os()
        .next()
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .and_then(|p| home_of_install(&crate::paths::normalize(&p)))
        .or_else(|| {
            std::env::current_exe()
                .ok()
                .and_then(|exe| home_of_install(&exe))
        })
}

/// `<h>` when `exe` is `<h>/.claude/zakon/bin/<name>`.
pub fn home_of_install(exe: &Path) -> Option<PathBuf> {
    let mut dir = exe.parent()?;
    for part in INSTALL_DIR.iter().rev() {
        if dir.file_name() != Some(OsStr::new(part)) {
            return None;
        }
        dir = dir.parent()?;
    }
    Some(dir.to_path_buf())
}

/// The home directory the password database gives the real user id.
fn password_home() -> Option<PathBuf> {
    let uid = unsafe { libc::getuid() };
    let mut buf: Vec<libc::c_char> = vec![0; 1024];
    loop {
        // SAFETY: `pwd` and `buf` outlive the call; getpwuid_r writes at most `buf.len()`
        // bytes into `buf` and points `pwd`'s fields into it.
        let mut pwd: libc::passwd = unsafe { std::mem::zeroed() };
        let mut result: *mut libc::passwd = std::ptr::null_mut();
        let rc =
            unsafe { libc::getpwuid_r(uid, &mut pwd, buf.as_mut_ptr(), buf.len(), &mut result) };
        if rc == libc::ERANGE && buf.len() < 1 << 20 {
            buf.resize(buf.len() * 4, 0);
            continue;
        }
        if rc != 0 || result.is_null() || pwd.pw_dir.is_null() {
            return None;
        }
        // SAFETY: on success pw_dir is a NUL-terminated string inside `buf`.
        let dir = unsafe { CStr::from_ptr(pwd.pw_dir) };
        let dir = OsString::from(OsStr::from_bytes(dir.to_bytes()));
        return (!dir.is_empty()).then(|| PathBuf::from(dir));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn install_location_gives_the_home_above_it() {
        for (exe, want) in [
            ("/home/u/.claude/zakon/bin/claim-gate", Some("/home/u")),
            ("/tmp/rc/home/.claude/zakon/bin/zakon", Some("/tmp/rc/home")),
            ("/.claude/zakon/bin/x", Some("/")),
            ("/repo/target/release/claim-gate", None),
            ("/home/u/.claude/zakon/claim-gate", None),
            ("/home/u/claude/zakon/bin/claim-gate", None),
            ("claim-gate", None),
        ] {
            assert_eq!(
                home_of_install(Path::new(exe)),
                want.map(PathBuf::from),
                "{exe}"
            );
        }
    }

    #[test]
    fn the_password_database_knows_the_current_user() {
        // Every account has an entry with a home, root included.
        let h = password_home().expect("getpwuid_r answers for the current user");
        assert!(h.is_absolute(), "{}", h.display());
    }
}
