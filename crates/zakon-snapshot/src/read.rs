//! The one place the snapshot code reads a guarded file's bytes. It refuses anything that is
//! not a regular file, so a FIFO or device planted at a guarded path cannot hang a gate.
//!
//! Kept to these two functions so they can be swapped for `zakon_core`'s non-blocking
//! `open_regular`/`read_regular_bounded` when that lands.

use std::io::Read;
use std::path::Path;
use zakon_core::Error;

/// Guarded files larger than this are not read (a gate binary is a few MB).
pub const MAX_BYTES: u64 = 256 * 1024 * 1024;

/// The bytes of the regular file at `path`; `Ok(None)` when nothing is there. A symlink is
/// not followed and, like a FIFO, a socket, a device or a directory, is an error.
pub fn regular(path: &Path) -> Result<Option<Vec<u8>>, Error> {
    let meta = match std::fs::symlink_metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(Error::io("inspect", path, &e)),
    };
    if !meta.file_type().is_file() {
        return Err(Error::new(format!(
            "{} is not a regular file, so zakon does not read it",
            path.display()
        )));
    }
    let file = std::fs::File::open(path).map_err(|e| Error::io("open", path, &e))?;
    // Checked again on the open file: the path may have been swapped since the lstat.
    let opened = file
        .metadata()
        .map_err(|e| Error::io("inspect", path, &e))?;
    if !opened.file_type().is_file() {
        return Err(Error::new(format!(
            "{} is not a regular file, so zakon does not read it",
            path.display()
        )));
    }
    let mut out = Vec::with_capacity(opened.len().min(MAX_BYTES) as usize);
    file.take(MAX_BYTES + 1)
        .read_to_end(&mut out)
        .map_err(|e| Error::io("read", path, &e))?;
    if out.len() as u64 > MAX_BYTES {
        return Err(Error::new(format!(
            "{} is larger than {MAX_BYTES} bytes",
            path.display()
        )));
    }
    Ok(Some(out))
}

/// [`regular`] as UTF-8 text.
pub fn regular_text(path: &Path) -> Result<Option<String>, Error> {
    match regular(path)? {
        Some(b) => String::from_utf8(b)
            .map(Some)
            .map_err(|_| Error::new(format!("{} is not UTF-8 text", path.display()))),
        None => Ok(None),
    }
}
