//! What the `zakon doctor` tests share: a sandbox with the default registry (and, when asked,
//! the hooks of this build registered in ~/.claude/settings.json), doctor's JSON report, and
//! its failed rows.

use super::{Sandbox, bin_path, code, stderr, stdout};
use serde_json::Value;
use std::path::{Path, PathBuf};

/// The directory holding the binaries of this build.
pub fn build_dir() -> PathBuf {
    bin_path("zakon").parent().unwrap().to_path_buf()
}

/// A sandbox with the default registry; with `register`, the hooks (this build) in
/// ~/.claude/settings.json.
pub fn sandbox(tag: &str, register: bool) -> Sandbox {
    let sb = Sandbox::new(tag);
    let registry = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("registry/zakon-registry.json");
    sb.write(
        &sb.home.join("system/rules/zakon-registry.json"),
        std::fs::read(registry).unwrap(),
    );
    if register {
        hooks_install(&sb, &build_dir(), &sb.home.join(".claude/settings.json"));
    }
    sb
}

/// `zakon hooks install --bin-dir BIN_DIR --settings SETTINGS`, which must succeed.
pub fn hooks_install(sb: &Sandbox, bin_dir: &Path, settings: &Path) {
    let out = sb.run(
        "zakon",
        &[
            "hooks",
            "install",
            "--bin-dir",
            bin_dir.to_str().unwrap(),
            "--settings",
            settings.to_str().unwrap(),
        ],
        b"",
        &[],
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
}

/// `zakon doctor --bin-dir <this build> --json EXTRA…`: its exit code and report.
pub fn doctor(sb: &Sandbox, extra: &[&str]) -> (i32, Value) {
    let bin = build_dir();
    let mut args = vec!["doctor", "--bin-dir", bin.to_str().unwrap(), "--json"];
    args.extend_from_slice(extra);
    let out = sb.run("zakon", &args, b"", &[]);
    let v: Value = serde_json::from_str(&stdout(&out))
        .unwrap_or_else(|e| panic!("{e}: {}{}", stdout(&out), stderr(&out)));
    (code(&out), v)
}

/// The report's failed rows.
pub fn failed(v: &Value) -> Vec<Value> {
    v["checks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["ok"] == false)
        .cloned()
        .collect()
}
