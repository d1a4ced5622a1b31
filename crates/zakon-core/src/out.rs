//! Writing to stdout without panicking. `println!` panics when stdout is a pipe whose reader
//! has gone (`zakon log | head`), printing "failed printing to stdout: Broken pipe" and a
//! backtrace. The CLIs print through [`outln!`](crate::outln) and [`out!`](crate::out)
//! instead: a failed write is dropped, the command finishes its work, and it exits with the
//! code it would have had — the reader chose to stop reading, which is not an error.

use std::fmt;
use std::io::Write;

/// One line on stdout; a write error (a closed pipe) is ignored.
pub fn line(args: fmt::Arguments) {
    let mut o = std::io::stdout().lock();
    let _ = o.write_fmt(args).and_then(|()| o.write_all(b"\n"));
}

/// Text on stdout without a newline; a write error is ignored.
pub fn text(args: fmt::Arguments) {
    let _ = std::io::stdout().lock().write_fmt(args);
}

/// Bytes on stdout. A closed pipe is not an error (see the module comment); any other
/// write error is returned.
pub fn bytes(b: &[u8]) -> std::io::Result<()> {
    match std::io::stdout().lock().write_all(b) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        r => r,
    }
}

/// `println!` that never panics on a closed stdout.
#[macro_export]
macro_rules! outln {
    () => {
        $crate::out::line(format_args!(""))
    };
    ($($arg:tt)*) => {
        $crate::out::line(format_args!($($arg)*))
    };
}

/// `print!` that never panics on a closed stdout.
#[macro_export]
macro_rules! out {
    ($($arg:tt)*) => {
        $crate::out::text(format_args!($($arg)*))
    };
}
