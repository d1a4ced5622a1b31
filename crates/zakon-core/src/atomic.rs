//! Replacing a file atomically: write a temporary file beside it, then rename it over the
//! old one, so a reader (Claude Code reading settings, a banner reading the verdict) never
//! sees half a file.

use std::fs::Permissions;
use std::io::Write;
use std::path::Path;

/// Replaces `path` with `bytes` (the directory must exist). `mode`, when given, is set on the
/// new file before it takes the old one's place. The temporary file is removed on failure.
pub fn replace_file(path: &Path, bytes: &[u8], mode: Option<&Permissions>) -> std::io::Result<()> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.zakon-tmp-{}", std::process::id()));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        if let Some(m) = mode {
            std::fs::set_permissions(&tmp, m.clone())?;
        }
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_and_cleans_up() {
        let dir = std::env::temp_dir().join(format!("zakon-atomic-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let f = dir.join("x.json");
        std::fs::write(&f, "old").unwrap();
        replace_file(&f, b"new", None).unwrap();
        assert_eq!(std::fs::read_to_string(&f).unwrap(), "new");
        assert_eq!(
            std::fs::read_dir(&dir).unwrap().count(),
            1,
            "no temporary file left"
        );
        assert!(replace_file(&dir.join("missing/y.json"), b"x", None).is_err());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
