//! `~` expansion, cwd-relative resolution and normalisation that closes path tricks
//! (`..`, `./`, symlinked directories).

use std::path::{Component, Path, PathBuf};

/// Every binary the installer copies into the install directory (the settings guard, the
/// effects check and the uninstaller all recognise zakon's commands by these names).
pub const BINARIES: [&str; 5] = [
    "claim-gate",
    "artifact-gate",
    "blueprint-gate",
    "zakon-registry",
    "zakon",
];

/// The gates' home: in managed mode the password database's (settings `env` can set `HOME`
/// and `ZAKON_HOME`; when it cannot be found the path holds nothing, so the config load
/// fails closed); otherwise `$ZAKON_HOME`, else the install location, else the password
/// database — never `$HOME` (see [`crate::home`]).
pub fn home() -> PathBuf {
    if let Some(m) = crate::mode::managed() {
        return m.home().unwrap_or_else(|_| PathBuf::from("/nonexistent"));
    }
    crate::home::home()
}

/// The temp dir (`$TMPDIR`, else `/tmp`).
pub fn temp_dir() -> PathBuf {
    std::env::temp_dir()
}

/// `~` and `~/x` become `home` and `home/x` (the gates' home, never `$HOME`); relative paths join `cwd`; the result is
/// normalised lexically (no `.` or `..` left).
pub fn resolve(path: &str, home: &Path, cwd: Option<&Path>) -> PathBuf {
    let joined = if path == "~" {
        home.to_path_buf()
    } else if let Some(rest) = path.strip_prefix("~/") {
        home.join(rest)
    } else {
        let p = Path::new(path);
        match cwd {
            Some(c) if p.is_relative() => c.join(p),
            _ => p.to_path_buf(),
        }
    };
    normalize(&joined)
}

/// Removes `.` and resolves `..` lexically; `..` above the root stays at the root.
pub fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// Follows symlinks in the longest existing prefix of `path` and keeps the rest as written,
/// so a file that is about to be created under a symlinked directory still maps to where it
/// will really land. A dangling symlink is followed too: writing through it creates its
/// target, so the target is where the write lands.
pub fn canonical(path: &Path) -> PathBuf {
    canonical_depth(path, 0)
}

fn canonical_depth(path: &Path, depth: u32) -> PathBuf {
    let path = normalize(path);
    let mut existing = path.as_path();
    let mut rest = Vec::new();
    loop {
        let tail = |mut out: PathBuf| {
            for part in rest.iter().rev() {
                out.push(part);
            }
            out
        };
        if let Ok(real) = existing.canonicalize() {
            return normalize(&tail(real));
        }
        // A symlink whose target does not exist (yet): continue from its target.
        if depth < 40
            && let Ok(target) = std::fs::read_link(existing)
        {
            let base = existing.parent().unwrap_or(Path::new("/"));
            let target = if target.is_absolute() {
                target
            } else {
                base.join(target)
            };
            return canonical_depth(&tail(target), depth + 1);
        }
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_os_string());
                existing = parent;
            }
            _ => return path,
        }
    }
}

/// Writes `~/…` for paths under home, for messages.
pub fn display_tilde(path: &Path, home: &Path) -> String {
    match path.strip_prefix(home) {
        Ok(rest) if !home.as_os_str().is_empty() && home != Path::new("/") => {
            format!("~/{}", rest.display())
        }
        _ => path.display().to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_tilde_relative_and_dots() {
        let home = Path::new("/home/u");
        let cwd = Path::new("/work/p");
        for (input, want) in [
            ("~", "/home/u"),
            ("~/system/x.json", "/home/u/system/x.json"),
            ("docs/evidence/a.md", "/work/p/docs/evidence/a.md"),
            ("./a/../b", "/work/p/b"),
            ("/tmp/../etc/./x", "/etc/x"),
            ("/../..", "/"),
        ] {
            assert_eq!(
                resolve(input, home, Some(cwd)),
                PathBuf::from(want),
                "{input}"
            );
        }
    }

    #[test]
    fn canonical_follows_a_dangling_symlink_to_where_a_write_lands() {
        let base = std::env::temp_dir().join(format!("zakon-dangling-{}", std::process::id()));
        std::fs::create_dir_all(base.join("newdir")).unwrap();
        let link = base.join("harmless.txt");
        let _ = std::fs::remove_file(&link);
        std::os::unix::fs::symlink("newdir/BUILD-BLUEPRINT.md", &link).unwrap();
        let got = canonical(&link);
        assert_eq!(
            got,
            base.canonicalize()
                .unwrap()
                .join("newdir/BUILD-BLUEPRINT.md")
        );
        // a symlink loop ends instead of recursing forever
        let a = base.join("loop-a");
        let b = base.join("loop-b");
        std::os::unix::fs::symlink(&b, &a).unwrap();
        std::os::unix::fs::symlink(&a, &b).unwrap();
        let _ = canonical(&a);
        std::fs::remove_dir_all(&base).unwrap();
    }

    #[test]
    fn canonical_follows_symlinked_parent_of_new_file() {
        let base = std::env::temp_dir().join(format!("zakon-paths-{}", std::process::id()));
        let real = base.join("real");
        std::fs::create_dir_all(&real).unwrap();
        let link = base.join("link");
        let _ = std::fs::remove_file(&link);
        std::os::unix::fs::symlink(&real, &link).unwrap();
        let got = canonical(&link.join("sub/../new.md"));
        assert_eq!(got, real.canonicalize().unwrap().join("new.md"));
        std::fs::remove_dir_all(&base).unwrap();
    }
}
