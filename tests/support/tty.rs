//! Running a command on a pseudo-terminal (stdin and stdout are a TTY), the way a human runs
//! it, with util-linux `script`. Tests that need a terminal skip with a printed reason where
//! `script` is missing.

use std::process::{Command, Output, Stdio};

/// `script`, when this machine has it.
pub fn script() -> Option<&'static str> {
    let ok = Command::new("script")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    ok.then_some("script")
}

/// A word for `sh`.
pub fn quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

/// Runs `words` on a pseudo-terminal with `base`'s environment and directory (a command built
/// by `Sandbox::cmd`, whose program and arguments are replaced). Output is the terminal's
/// (stdout and stderr together, with `\r\n` line ends turned into `\n`).
pub fn run(mut base: Command, words: &[String]) -> Output {
    let line: Vec<String> = words.iter().map(|w| quote(w)).collect();
    let mut c = Command::new("script");
    c.args(["-qec", &line.join(" "), "/dev/null"]);
    c.current_dir(base.get_current_dir().unwrap_or(std::path::Path::new(".")));
    c.env_clear();
    for (k, v) in base.get_envs() {
        if let Some(v) = v {
            c.env(k, v);
        }
    }
    base.stdin(Stdio::null());
    c.stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut out = c.output().expect("run script");
    out.stdout = String::from_utf8_lossy(&out.stdout)
        .replace("\r\n", "\n")
        .into_bytes();
    out
}
