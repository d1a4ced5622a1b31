//! How a message names a zakon command so that it runs as written. `claim-gate check` in a
//! block message failed with "command not found" for everyone whose PATH did not hold the
//! install directory; now the bare name is used only when PATH finds this very binary, and the
//! absolute path of the installed one otherwise.

use std::path::{Path, PathBuf};

/// `name` (e.g. `claim-gate`) as a message should write it: bare when PATH resolves it to the
/// binary beside this one, else that binary's absolute path (shell-quoted when needed). Costs
/// a PATH walk, so it is called only on the block path.
pub fn command(name: &str) -> String {
    let Some(dir) = std::env::current_exe()
        .ok()
        .and_then(|p| p.parent().map(Path::to_path_buf))
    else {
        return name.to_string();
    };
    let sibling = dir.join(name);
    if !sibling.is_file() {
        return name.to_string();
    }
    let real = std::fs::canonicalize(&sibling).unwrap_or(sibling.clone());
    match on_path(name) {
        Some(found) if std::fs::canonicalize(&found).is_ok_and(|f| f == real) => name.to_string(),
        _ => quote(&sibling.to_string_lossy()),
    }
}

/// The first executable `name` on `$PATH`, as `sh` would find it.
pub fn on_path(name: &str) -> Option<PathBuf> {
    use std::os::unix::fs::PermissionsExt;
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .filter(|d| d.is_absolute())
        .map(|d| d.join(name))
        .find(|p| {
            std::fs::metadata(p).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
        })
}

/// A word for `sh`, quoted only when it needs it (a home directory with a space).
pub fn quote(s: &str) -> String {
    let safe = !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "/._-+=:@%,".contains(c));
    if safe {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', r"'\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_only_when_needed() {
        assert_eq!(
            quote("/home/u/.claude/zakon/bin/claim-gate"),
            "/home/u/.claude/zakon/bin/claim-gate"
        );
        assert_eq!(quote("/Users/Jane Doe/bin/x"), "'/Users/Jane Doe/bin/x'");
    }

    #[test]
    fn a_name_with_no_binary_beside_this_one_stays_bare() {
        assert_eq!(command("no-such-zakon-binary"), "no-such-zakon-binary");
    }
}
