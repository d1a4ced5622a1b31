//! The internal deadline: a gate still working after it ends exits 2 (fail closed).
//!
//! Claude Code lets a hook that outlives its registered timeout through, so a gate stuck on
//! anything — a slow filesystem, a huge file, a lock, a bug — would be a gate switched off.
//! A watchdog thread ends the process with exit 2 well inside the registered timeout
//! (10 s; see `hooks/`). `ZAKON_DEADLINE_MS` may only make the deadline *shorter*: hitting
//! it blocks, so a shorter one can never let anything through (tests use it to reach the
//! deadline fast).

use std::io::Write;
use std::time::Duration;

/// The default deadline, half the 10 s timeout zakon registers.
pub const DEFAULT: Duration = Duration::from_secs(5);

/// The variable that can shorten (never lengthen) the deadline, in milliseconds.
pub const ENV: &str = "ZAKON_DEADLINE_MS";

/// The deadline in effect: [`DEFAULT`], or `$ZAKON_DEADLINE_MS` when it is shorter.
/// A value that does not parse is ignored (the default is the safe choice).
pub fn effective() -> Duration {
    std::env::var(ENV)
        .ok()
        .and_then(|v| v.trim().parse::<u64>().ok())
        .map(Duration::from_millis)
        .map_or(DEFAULT, |d| d.min(DEFAULT))
}

/// Starts the watchdog for `gate`. When the deadline passes first, it prints the reason to
/// stderr and exits 2; when the gate finishes first, the process ends and the thread with it.
pub fn arm(gate: &'static str) {
    let limit = effective();
    let text = format!("{}\n", message(gate, limit));
    let spawned = std::thread::Builder::new()
        .name("zakon-deadline".into())
        .stack_size(64 * 1024)
        .spawn(move || {
            std::thread::sleep(limit);
            // Raw write(2) and _exit(2), and the text made before the wait: the stuck main
            // thread may hold the stderr lock, or a lock inside the allocator; nothing here
            // may wait for it.
            // SAFETY: `text` outlives the call; _exit never returns.
            unsafe {
                libc::write(2, text.as_ptr().cast(), text.len());
                libc::_exit(2);
            }
        });
    if spawned.is_err() {
        // Without a watchdog the gate could hang past Claude Code's timeout and fail open.
        let _ = writeln!(
            std::io::stderr().lock(),
            "{} cannot start the deadline watchdog thread, so it blocks.",
            crate::rules::headline(gate, "fail-closed")
        );
        std::process::exit(2);
    }
}

/// What the watchdog prints.
pub fn message(gate: &str, limit: Duration) -> String {
    format!(
        "{} still working after the {} ms deadline, so it blocks \
         instead of letting Claude Code's timeout pass the call. A file it reads may be \
         stuck or huge (a FIFO, a device, a slow mount); list the suspects with \
         `find ~/.claude ~/system \\( -type p -o -type c -o -type b -o -type s \\) -print` \
         and run `zakon doctor`.",
        crate::rules::headline(gate, "fail-closed"),
        limit.as_millis()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_knob_only_shortens() {
        // Unit tests share one process environment; this is the only test that sets ENV.
        for (value, want) in [
            (Some("100"), Duration::from_millis(100)),
            (Some("0"), Duration::ZERO),
            (Some("60000"), DEFAULT),
            (Some("-1"), DEFAULT),
            (Some("soon"), DEFAULT),
            (None, DEFAULT),
        ] {
            match value {
                // SAFETY: no other test in this crate reads or writes ZAKON_DEADLINE_MS.
                Some(v) => unsafe { std::env::set_var(ENV, v) },
                None => unsafe { std::env::remove_var(ENV) },
            }
            assert_eq!(effective(), want, "{value:?}");
        }
        unsafe { std::env::remove_var(ENV) };
    }
}
