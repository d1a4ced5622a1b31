//! Colour only on a terminal, and never when `NO_COLOR` is set (<https://no-color.org>):
//! escape codes in a file or a pipe are noise, and some people cannot read red on green.

use std::io::IsTerminal;

/// Paints text for stdout when stdout is a terminal and `NO_COLOR` is unset or empty.
#[derive(Clone, Copy)]
pub struct Paint {
    on: bool,
}

impl Paint {
    pub fn stdout() -> Paint {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        Paint {
            on: !no_color && std::io::stdout().is_terminal(),
        }
    }

    fn wrap(&self, code: &str, s: &str) -> String {
        if self.on {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }

    pub fn green(&self, s: &str) -> String {
        self.wrap("32", s)
    }

    pub fn red(&self, s: &str) -> String {
        self.wrap("31", s)
    }

    pub fn yellow(&self, s: &str) -> String {
        self.wrap("33", s)
    }

    pub fn cyan(&self, s: &str) -> String {
        self.wrap("36", s)
    }

    pub fn dim(&self, s: &str) -> String {
        self.wrap("2", s)
    }

    /// A decision from the audit log, coloured by what it means.
    pub fn decision(&self, d: &str, width: usize) -> String {
        let padded = format!("{d:<width$}");
        match d {
            "block" | "violation" | "pause-refused" => self.red(&padded),
            "override" | "paused" | "pause" => self.yellow(&padded),
            "resume" => self.green(&padded),
            _ => padded,
        }
    }
}
