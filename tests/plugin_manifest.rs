//! The plugin packaging: `plugin/hooks/hooks.json` (Claude Code plugin format, commands under
//! `${CLAUDE_PLUGIN_ROOT}/bin/`) must register the same events, matchers, binaries and timeouts as
//! the installer, and `plugin/.claude-plugin/plugin.json` must be a manifest Claude Code
//! accepts. The plugin is the small `plugin/` directory, not the repository: Claude Code
//! copies a plugin whole into its cache, and the repository holds target/ (gigabytes after a
//! `cargo test`).

mod support;
use serde_json::Value;
use std::path::PathBuf;
use support::*;

const PLUGIN_PREFIX: &str = "${CLAUDE_PLUGIN_ROOT}/bin/";

/// The spec §5 registrations: (event, matcher, command after the binary directory).
const SPEC: [(&str, &str, &str); 8] = [
    // issue 13: after every Bash call artifact-gate's check of the tasks' state, after every
    // tool but the read-only ones blueprint-gate's effects check (sorted as the tests sort)
    ("PostToolUse", "Bash", "artifact-gate"),
    ("PostToolUse", "^(?!(Read|Glob|Grep)$).*", "blueprint-gate"),
    ("PreToolUse", "Bash", "artifact-gate"),
    ("PreToolUse", "Bash", "blueprint-gate"),
    ("PreToolUse", "Write|Edit|MultiEdit", "blueprint-gate"),
    ("SessionStart", "", "claim-gate banner"),
    ("Stop", "", "claim-gate"),
    ("SubagentStop", "", "claim-gate"),
];

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn load(rel: &str) -> Value {
    let text = std::fs::read_to_string(repo().join(rel)).unwrap();
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// (event, matcher, command with `prefix` stripped, timeout), sorted.
fn registrations(doc: &Value, prefix: &str) -> Vec<(String, String, String, u64)> {
    let mut out = Vec::new();
    for (event, groups) in doc["hooks"].as_object().expect("a hooks object") {
        for g in groups.as_array().expect("an array of matcher groups") {
            let matcher = g["matcher"].as_str().unwrap_or("").to_string();
            for h in g["hooks"].as_array().expect("a hooks array") {
                assert_eq!(h["type"], "command", "{h}");
                let cmd = h["command"].as_str().unwrap().replace('"', "");
                let rest = cmd
                    .strip_prefix(prefix)
                    .unwrap_or_else(|| panic!("{cmd} does not start with {prefix}"));
                let timeout = h["timeout"].as_u64().expect("a timeout in seconds");
                out.push((event.clone(), matcher.clone(), rest.to_string(), timeout));
            }
        }
    }
    out.sort();
    out
}

fn spec() -> Vec<(String, String, String)> {
    SPEC.iter()
        .map(|(e, m, c)| (e.to_string(), m.to_string(), c.to_string()))
        .collect()
}

fn without_timeouts(regs: &[(String, String, String, u64)]) -> Vec<(String, String, String)> {
    regs.iter()
        .map(|(e, m, c, _)| (e.clone(), m.clone(), c.clone()))
        .collect()
}

#[test]
fn hooks_json_registers_what_the_installer_registers() {
    let plugin = registrations(&load("plugin/hooks/hooks.json"), PLUGIN_PREFIX);
    assert_eq!(without_timeouts(&plugin), spec());

    // The installer's set, as `zakon hooks install` really writes it.
    let sb = Sandbox::new("plugin-manifest");
    let out = sb.run(
        "zakon",
        &["hooks", "show", "--bin-dir", "/opt/zakon/bin"],
        b"",
        &[],
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let installed: Value = serde_json::from_str(&stdout(&out)).unwrap();
    let installer = registrations(&installed, "/opt/zakon/bin/");
    assert_eq!(
        plugin, installer,
        "hooks/hooks.json and the installer disagree"
    );
    for (e, m, c, t) in &plugin {
        assert!((5..=60).contains(t), "{e} {m} {c}: timeout {t}");
    }
}

#[test]
fn plugin_commands_name_real_binaries_and_use_the_plugin_root() {
    let doc = load("plugin/hooks/hooks.json");
    assert!(doc["description"].as_str().is_some_and(|d| !d.is_empty()));
    for (_, _, cmd, _) in registrations(&doc, PLUGIN_PREFIX) {
        let bin = cmd.split_whitespace().next().unwrap();
        // bin_path panics on a name that is not one of the package's binaries.
        assert!(bin_path(bin).exists(), "{bin}");
    }
}

#[test]
fn plugin_manifest_is_valid() {
    let m = load("plugin/.claude-plugin/plugin.json");
    assert_eq!(m["name"], "zakon");
    assert_eq!(m["version"], env!("CARGO_PKG_VERSION"));
    assert!(m["description"].as_str().is_some_and(|d| !d.is_empty()));
    // hooks/hooks.json is loaded automatically; naming it again in the manifest makes Claude
    // Code load the hooks twice.
    assert!(
        m.get("hooks").is_none(),
        "plugin.json must not repeat hooks/hooks.json"
    );
}

#[test]
fn doctor_proves_a_plugin_install_blocks() {
    // A plugin directory whose bin/ is this build: doctor runs every hooks.json command with
    // CLAUDE_PLUGIN_ROOT set, as Claude Code would.
    let sb = Sandbox::new("plugin-doctor");
    let root = sb.root.join("plugin");
    std::fs::create_dir_all(root.join("hooks")).unwrap();
    std::fs::copy(
        repo().join("plugin/hooks/hooks.json"),
        root.join("hooks/hooks.json"),
    )
    .unwrap();
    let build = bin_path("claim-gate").parent().unwrap().to_path_buf();
    std::os::unix::fs::symlink(&build, root.join("bin")).unwrap();
    // Claude Code's own record of the install (what `/plugin install` writes).
    sb.write(
        &sb.home.join(".claude/plugins/installed_plugins.json"),
        serde_json::json!({"version": 2, "plugins": {"zakon@zakon": [
            {"scope": "user", "installPath": root, "version": "0.1.0"}]}})
        .to_string(),
    );
    sb.write(
        &sb.home.join(".claude/settings.json"),
        r#"{"enabledPlugins": {"zakon@zakon": true}}"#,
    );
    let registry = repo().join("registry/zakon-registry.json");
    if registry.exists() {
        sb.write(
            &sb.home.join("system/rules/zakon-registry.json"),
            std::fs::read(&registry).unwrap(),
        );
    }
    let out = sb.run(
        "zakon",
        &["doctor", "--plugin", root.to_str().unwrap()],
        b"",
        &[],
    );
    assert_eq!(code(&out), 0, "{}{}", stdout(&out), stderr(&out));
    let report = stdout(&out);
    // 8 since issue 13: artifact-gate's PostToolUse check is probed too.
    assert_eq!(report.matches("✔  gate").count(), 8, "{report}");

    // A "gate" that lets everything through is caught by its known-bad probe.
    let fake = sb.root.join("fake-release");
    std::fs::create_dir_all(&fake).unwrap();
    for b in ["claim-gate", "blueprint-gate", "zakon-registry", "zakon"] {
        std::os::unix::fs::symlink(build.join(b), fake.join(b)).unwrap();
    }
    sb.write(
        &fake.join("artifact-gate"),
        "#!/bin/sh\ncat > /dev/null\nexit 0\n",
    );
    std::fs::set_permissions(
        fake.join("artifact-gate"),
        std::os::unix::fs::PermissionsExt::from_mode(0o755),
    )
    .unwrap();
    std::fs::remove_file(root.join("bin")).unwrap();
    std::os::unix::fs::symlink(&fake, root.join("bin")).unwrap();
    let out = sb.run(
        "zakon",
        &["doctor", "--plugin", root.to_str().unwrap()],
        b"",
        &[],
    );
    assert_eq!(code(&out), 1, "{}", stdout(&out));
    let report = stdout(&out);
    let failed: Vec<&str> = report
        .lines()
        .filter(|l| l.trim_start().starts_with('✘'))
        .collect();
    // Both of its registrations (PreToolUse and PostToolUse) are caught.
    assert_eq!(failed.len(), 2, "{report}");
    for f in &failed {
        assert!(
            f.contains("artifact-gate") && f.contains("should block (exit 2), got exit 0"),
            "{report}"
        );
    }

    // Without the build, every hook row names the fix.
    std::fs::remove_file(root.join("bin")).unwrap();
    let out = sb.run(
        "zakon",
        &["doctor", "--plugin", root.to_str().unwrap()],
        b"",
        &[],
    );
    assert_eq!(code(&out), 1);
    assert!(
        stdout(&out).contains("cargo build --release"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn the_plugin_directory_is_small_and_links_the_release_binaries() {
    // plugin/bin holds exactly the five binaries, each a relative link to
    // ../../target/release/<name> (Claude Code 2.1.328 copies a link's target into its cache,
    // so the copy has the binaries and nothing else of target/).
    let dir = repo().join("plugin");
    let mut names: Vec<String> = std::fs::read_dir(dir.join("bin"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    let mut want: Vec<String> = BINS.iter().map(|b| b.to_string()).collect();
    want.sort();
    assert_eq!(names, want);
    for b in BINS {
        let link = std::fs::read_link(dir.join("bin").join(b)).unwrap();
        assert_eq!(link, PathBuf::from(format!("../../target/release/{b}")));
    }
    // Everything else in the plugin directory is a few small text files.
    fn walk(p: &std::path::Path, total: &mut u64, files: &mut u32) {
        for e in std::fs::read_dir(p).unwrap().flatten() {
            let m = std::fs::symlink_metadata(e.path()).unwrap();
            if m.is_dir() {
                walk(&e.path(), total, files);
            } else if m.is_file() {
                *total += m.len();
                *files += 1;
            }
        }
    }
    let (mut total, mut files) = (0, 0);
    walk(&dir, &mut total, &mut files);
    assert!(
        files <= 5 && total < 64 * 1024,
        "{files} files, {total} bytes"
    );
}
