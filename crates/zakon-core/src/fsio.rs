//! Opening the files a gate reads or appends to so that no file can stall it.
//!
//! An agent can replace any file a gate reads with a FIFO (`mkfifo ~/.claude/zakon/config.json`)
//! or a symlink to `/dev/zero`. A plain `open` of a FIFO waits for a writer, a read of
//! `/dev/zero` never ends, and Claude Code lets a timed-out hook through — so one `mkfifo`
//! would switch every gate off. Here every open is non-blocking (`O_NONBLOCK`), the opened
//! file is checked with `fstat` *after* opening (checking before would race with a swap),
//! anything but a regular file is an error naming the path, and reads are size-bounded.
//!
//! Symlinks are followed on reads (dotfile managers symlink settings files; what the link
//! points at is still checked). Appends do not follow a symlink in the last component
//! (`O_NOFOLLOW`): the audit log is written by zakon, and a planted link must not aim that
//! write at another file.

use crate::Error;
use std::fs::{File, OpenOptions, TryLockError};
use std::io::{self, Read, Write};
use std::os::unix::fs::{FileTypeExt, OpenOptionsExt};
use std::path::Path;
use std::time::{Duration, Instant};

/// The largest data file a gate reads whole (config, registry, claims, settings, blueprint,
/// verdict). Real ones are kilobytes; a bigger one is refused rather than read.
pub const MAX_FILE_BYTES: u64 = 32 * 1024 * 1024;

/// How long an append waits for another process's lock on the same log before it gives up.
/// Appends take microseconds; only a stuck or hostile lock holder waits this long.
pub const LOCK_WAIT: Duration = Duration::from_secs(2);

/// Opens `path` for reading without blocking and checks, on the opened file, that it is a
/// regular file. `NotFound` keeps its kind so callers can treat a missing file as absent.
pub fn open_regular(path: &Path) -> io::Result<File> {
    let file = OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY)
        .open(path)?;
    ensure_regular(&file)?;
    Ok(file)
}

/// Reads a whole regular file of at most `max` bytes (see [`open_regular`]).
pub fn read_regular_bounded(path: &Path, max: u64) -> io::Result<Vec<u8>> {
    let file = open_regular(path)?;
    let len = file.metadata()?.len();
    if len > max {
        return Err(too_big(len, max));
    }
    let mut buf = Vec::with_capacity(len as usize);
    // The size can grow between fstat and read; the bound holds either way.
    file.take(max + 1).read_to_end(&mut buf)?;
    if buf.len() as u64 > max {
        return Err(too_big(buf.len() as u64, max));
    }
    Ok(buf)
}

/// [`read_regular_bounded`] with [`MAX_FILE_BYTES`], as UTF-8 text.
pub fn read_regular_string(path: &Path) -> io::Result<String> {
    let bytes = read_regular_bounded(path, MAX_FILE_BYTES)?;
    String::from_utf8(bytes)
        .map_err(|_| io::Error::new(io::ErrorKind::InvalidData, "not UTF-8 text"))
}

/// Opens `path` (non-blocking) to check it is a regular file, for readers that open the
/// path themselves (SQLite). The check cannot close the race with a swap between it and the
/// reader's own open; what covers that window is the runner's deadline.
pub fn check_regular(path: &Path) -> io::Result<()> {
    open_regular(path).map(drop)
}

/// Opens (creating, mode 0600) a file for read and append without blocking and without
/// following a final symlink, and checks it is a regular file.
pub fn open_append(path: &Path, read: bool) -> io::Result<File> {
    let file = OpenOptions::new()
        .read(read)
        .append(true)
        .create(true)
        .mode(0o600)
        .custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY | libc::O_NOFOLLOW)
        .open(path)
        .map_err(symlink_in_words)?;
    ensure_regular(&file)?;
    Ok(file)
}

/// Opens an existing file zakon keeps (a log it rewrites in place) for read and write, the
/// way [`open_append`] does: non-blocking, no final symlink, regular files only.
pub fn open_rewrite(path: &Path) -> io::Result<File> {
    let file = OpenOptions::new()
        .read(true)
        .write(true)
        .custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY | libc::O_NOFOLLOW)
        .open(path)
        .map_err(symlink_in_words)?;
    ensure_regular(&file)?;
    Ok(file)
}

/// Takes `file`'s exclusive lock, retrying a non-blocking attempt until `wait` has passed.
pub fn lock_bounded(file: &File, wait: Duration) -> io::Result<()> {
    let start = Instant::now();
    let mut pause = Duration::from_micros(200);
    loop {
        match file.try_lock() {
            Ok(()) => return Ok(()),
            Err(TryLockError::Error(e)) => return Err(e),
            Err(TryLockError::WouldBlock) if start.elapsed() >= wait => {
                return Err(io::Error::new(
                    io::ErrorKind::TimedOut,
                    format!(
                        "another process has held its lock for more than {} ms",
                        wait.as_millis()
                    ),
                ));
            }
            Err(TryLockError::WouldBlock) => {
                std::thread::sleep(pause);
                pause = (pause * 2).min(Duration::from_millis(20));
            }
        }
    }
}

/// Appends one line to a JSON Lines file, creating parent directories: non-blocking open,
/// regular-file check, a lock with a bounded wait, and a single `write_all` of the whole
/// line so concurrent gates never tear lines.
pub fn append_line(path: &Path, line: &str) -> Result<(), Error> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| Error::io("create directory", dir, &e))?;
    }
    let mut file = open_append(path, false).map_err(|e| Error::io("open", path, &e))?;
    lock_bounded(&file, LOCK_WAIT).map_err(|e| Error::io("lock", path, &e))?;
    let res = file.write_all(line.as_bytes()).and_then(|_| file.flush());
    let _ = file.unlock();
    res.map_err(|e| Error::io("append to", path, &e))
}

/// ELOOP is how O_NOFOLLOW reports a symlink; say it in words.
fn symlink_in_words(e: io::Error) -> io::Error {
    if e.raw_os_error() == Some(libc::ELOOP) {
        io::Error::new(
            io::ErrorKind::InvalidInput,
            "is a symbolic link; zakon writes only to a regular file it can name",
        )
    } else {
        e
    }
}

fn ensure_regular(file: &File) -> io::Result<()> {
    let ft = file.metadata()?.file_type();
    if ft.is_file() {
        return Ok(());
    }
    let what = if ft.is_fifo() {
        "a FIFO"
    } else if ft.is_char_device() {
        "a character device"
    } else if ft.is_block_device() {
        "a block device"
    } else if ft.is_socket() {
        "a socket"
    } else if ft.is_dir() {
        "a directory"
    } else {
        "not a regular file"
    };
    Err(io::Error::new(
        io::ErrorKind::InvalidInput,
        format!(
            "is {what}, not a regular file (zakon opens only regular files; replace it with a regular file or remove it)"
        ),
    ))
}

fn too_big(len: u64, max: u64) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidData,
        format!("is {len} bytes, more than the {max} bytes zakon reads"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    struct Dir(PathBuf);
    impl Drop for Dir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
    fn dir(tag: &str) -> Dir {
        let d = std::env::temp_dir().join(format!("zakon-fsio-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        Dir(d)
    }
    fn mkfifo(p: &Path) {
        let c = std::ffi::CString::new(p.as_os_str().as_encoded_bytes()).unwrap();
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
    }

    #[test]
    fn only_regular_files_are_read() {
        let d = dir("read");
        let fifo = d.0.join("fifo");
        mkfifo(&fifo);
        let zero = d.0.join("zero");
        std::os::unix::fs::symlink("/dev/zero", &zero).unwrap();
        let ok = d.0.join("ok.json");
        std::fs::write(&ok, "{}").unwrap();
        let link = d.0.join("link.json");
        std::os::unix::fs::symlink(&ok, &link).unwrap();
        for (path, want) in [
            (&fifo, Err("a FIFO")),
            (&zero, Err("a character device")),
            (&d.0, Err("a directory")),
            (&ok, Ok("{}")),
            (&link, Ok("{}")),
        ] {
            let got = read_regular_string(path);
            match want {
                Ok(text) => assert_eq!(got.unwrap(), text),
                Err(what) => assert!(got.unwrap_err().to_string().contains(what), "{path:?}"),
            }
        }
        assert_eq!(
            read_regular_string(&d.0.join("missing"))
                .unwrap_err()
                .kind(),
            io::ErrorKind::NotFound
        );
    }

    #[test]
    fn reads_are_bounded() {
        let d = dir("bound");
        let p = d.0.join("big");
        std::fs::write(&p, vec![b'x'; 100]).unwrap();
        assert!(read_regular_bounded(&p, 99).is_err());
        assert_eq!(read_regular_bounded(&p, 100).unwrap().len(), 100);
    }

    #[test]
    fn appends_refuse_fifos_and_symlinks_and_wait_boundedly_for_a_lock() {
        let d = dir("append");
        let fifo = d.0.join("audit.jsonl");
        mkfifo(&fifo);
        // Hold the FIFO open for reading so a non-blocking write-open would succeed: the
        // fstat check is what refuses it.
        let _reader = OpenOptions::new()
            .read(true)
            .custom_flags(libc::O_NONBLOCK)
            .open(&fifo)
            .unwrap();
        let e = append_line(&fifo, "x\n").unwrap_err();
        assert!(e.message.contains("a FIFO"), "{}", e.message);
        let target = d.0.join("target");
        std::fs::write(&target, "keep").unwrap();
        let link = d.0.join("violations.jsonl");
        std::os::unix::fs::symlink(&target, &link).unwrap();
        let e = append_line(&link, "x\n").unwrap_err();
        assert!(e.message.contains("symbolic link"), "{}", e.message);
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "keep");

        let log = d.0.join("log.jsonl");
        append_line(&log, "a\n").unwrap();
        let holder = File::open(&log).unwrap();
        holder.lock().unwrap();
        let f = open_append(&log, false).unwrap();
        let t = Instant::now();
        let e = lock_bounded(&f, Duration::from_millis(100)).unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::TimedOut);
        assert!(t.elapsed() < Duration::from_secs(2));
        holder.unlock().unwrap();
        lock_bounded(&f, Duration::from_millis(100)).unwrap();
    }
}
