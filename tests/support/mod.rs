//! What the integration tests share: a temporary HOME/TMPDIR/cwd that is removed on drop,
//! and a way to run the real binaries with hook JSON on stdin.
#![allow(dead_code)]

pub mod artifact_files;
pub mod doctor;
pub mod tty;

/// The five binaries an install puts in its bin directory.
pub const BINS: [&str; 5] = [
    "claim-gate",
    "artifact-gate",
    "blueprint-gate",
    "zakon-registry",
    "zakon",
];

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

static COUNTER: AtomicUsize = AtomicUsize::new(0);

/// A sandbox: `home/`, `tmp/` and `cwd/` under one fresh directory in /tmp, removed on drop.
/// Tests never touch the developer's real `$HOME`.
pub struct Sandbox {
    pub root: PathBuf,
    pub home: PathBuf,
    pub tmp: PathBuf,
    pub cwd: PathBuf,
}

impl Sandbox {
    pub fn new(tag: &str) -> Sandbox {
        let n = COUNTER.fetch_add(1, Ordering::SeqCst);
        let root =
            std::env::temp_dir().join(format!("zakon-test-{tag}-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        let (home, tmp, cwd) = (root.join("home"), root.join("tmp"), root.join("cwd"));
        for d in [&home, &tmp, &cwd] {
            std::fs::create_dir_all(d).unwrap();
        }
        Sandbox {
            root,
            home,
            tmp,
            cwd,
        }
    }

    /// Writes a file (creating parents) and returns its path.
    pub fn write(&self, path: &Path, content: impl AsRef<[u8]>) -> PathBuf {
        if let Some(p) = path.parent() {
            std::fs::create_dir_all(p).unwrap();
        }
        std::fs::write(path, content).unwrap();
        path.to_path_buf()
    }

    /// A command for one of the workspace binaries with this sandbox's home, TMPDIR and cwd.
    /// The gates take their home from `ZAKON_HOME` (never `$HOME`, which a settings `env`
    /// could set), so both point at the sandbox: without `ZAKON_HOME` a gate built under
    /// `target/` would use the real user's home from the password database.
    pub fn cmd(&self, bin: &str) -> Command {
        let mut c = Command::new(bin_path(bin));
        c.env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", &self.home)
            .env("ZAKON_HOME", &self.home)
            .env("TMPDIR", &self.tmp)
            .current_dir(&self.cwd);
        c
    }

    /// Runs `bin` with `stdin` and extra env vars.
    pub fn run(&self, bin: &str, args: &[&str], stdin: &[u8], env: &[(&str, &str)]) -> Output {
        let mut c = self.cmd(bin);
        c.args(args);
        for (k, v) in env {
            c.env(k, v);
        }
        run_with_stdin(c, stdin)
    }

    pub fn audit_lines(&self) -> Vec<serde_json::Value> {
        read_jsonl(&self.home.join(".claude/zakon/audit.jsonl"))
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.root);
    }
}

pub fn run_with_stdin(mut c: Command, stdin: &[u8]) -> Output {
    c.stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = c.spawn().unwrap();
    let mut pipe = child.stdin.take().unwrap();
    let data = stdin.to_vec();
    // Write from a thread: a gate may exit before reading all of a huge input.
    let writer = std::thread::spawn(move || {
        let _ = pipe.write_all(&data);
    });
    let out = child.wait_with_output().unwrap();
    let _ = writer.join();
    out
}

/// Like [`run_with_stdin`], but a child still running after `limit` is killed and the test
/// fails: a gate that hangs must fail its test, not hang CI. Returns the wall time too.
pub fn run_bounded(mut c: Command, stdin: &[u8], limit: Duration) -> (Output, Duration) {
    c.stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let start = Instant::now();
    let mut child = c.spawn().unwrap();
    let mut pipe = child.stdin.take().unwrap();
    let data = stdin.to_vec();
    let writer = std::thread::spawn(move || {
        let _ = pipe.write_all(&data);
    });
    loop {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let out = child.wait_with_output().unwrap();
            panic!(
                "still running after {limit:?} (killed); stderr: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    let elapsed = start.elapsed();
    let out = child.wait_with_output().unwrap();
    let _ = writer.join();
    (out, elapsed)
}

/// Makes a FIFO at `path` (creating parents).
pub fn mkfifo(path: &Path) {
    if let Some(p) = path.parent() {
        std::fs::create_dir_all(p).unwrap();
    }
    let st = Command::new("mkfifo").arg(path).status().unwrap();
    assert!(st.success(), "mkfifo {}", path.display());
}

pub fn bin_path(name: &str) -> PathBuf {
    let p = match name {
        "claim-gate" => env!("CARGO_BIN_EXE_claim-gate"),
        "artifact-gate" => env!("CARGO_BIN_EXE_artifact-gate"),
        "blueprint-gate" => env!("CARGO_BIN_EXE_blueprint-gate"),
        "zakon-registry" => env!("CARGO_BIN_EXE_zakon-registry"),
        "zakon" => env!("CARGO_BIN_EXE_zakon"),
        other => panic!("unknown binary {other}"),
    };
    PathBuf::from(p)
}

pub fn read_jsonl(path: &Path) -> Vec<serde_json::Value> {
    match std::fs::read_to_string(path) {
        Ok(t) => t
            .lines()
            .map(|l| serde_json::from_str(l).expect("intact JSON line"))
            .collect(),
        Err(_) => Vec::new(),
    }
}

pub fn code(o: &Output) -> i32 {
    o.status.code().unwrap_or(-1)
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}
