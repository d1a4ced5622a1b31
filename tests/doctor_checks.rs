//! `zakon doctor` checks what can switch zakon off besides a missing registration:
//! `disableAllHooks` in any settings scope, unknown keys inside config sections (with the
//! valid names), a plugin folder Claude Code was never told about; it prints whole messages,
//! has `--json`, and colours only a terminal (never with NO_COLOR).

mod support;
use serde_json::{Value, json};
use std::path::PathBuf;
use support::doctor::{build_dir, doctor, failed, sandbox};
use support::*;

#[test]
fn disable_all_hooks_in_any_scope_is_a_failure() {
    let sb = sandbox("doctor-disable", true);
    let (c, v) = doctor(&sb, &[]);
    assert_eq!(c, 0, "{v:#}");
    assert_eq!(v["ok"], true);
    let user = sb.home.join(".claude/settings.json");
    let scopes = [
        (sb.home.join(".claude/settings.local.json"), "user-local"),
        (sb.cwd.join(".claude/settings.json"), "project"),
        (sb.cwd.join(".claude/settings.local.json"), "project-local"),
    ];
    for (file, scope) in &scopes {
        sb.write(file, r#"{"disableAllHooks": true}"#);
        let (c, v) = doctor(&sb, &[]);
        assert_eq!(c, 1, "{scope}");
        let f = failed(&v);
        assert_eq!(f.len(), 1, "{scope}: {f:#?}");
        assert_eq!(f[0]["check"], "hooks on");
        let detail = f[0]["detail"].as_str().unwrap();
        assert!(detail.contains(&format!("{scope} settings")), "{detail}");
        assert!(f[0]["fix"].as_str().unwrap().contains("disableAllHooks"));
        std::fs::remove_file(file).unwrap();
    }
    // In the same file as the registrations (the case doctor used to pass).
    let mut s: Value = serde_json::from_slice(&std::fs::read(&user).unwrap()).unwrap();
    s["disableAllHooks"] = json!(true);
    std::fs::write(&user, s.to_string()).unwrap();
    let (c, v) = doctor(&sb, &[]);
    assert_eq!(c, 1);
    assert!(
        failed(&v)[0]["detail"]
            .as_str()
            .unwrap()
            .contains("user settings")
    );
}

#[test]
fn an_unknown_nested_config_key_fails_with_the_valid_names() {
    let sb = sandbox("doctor-config", true);
    sb.write(
        &sb.home.join(".claude/zakon/config.json"),
        r#"{"claim_gate": {"disabled_claim_word": ["ready"]}}"#,
    );
    let (c, v) = doctor(&sb, &[]);
    assert_eq!(c, 1);
    let config = failed(&v)
        .into_iter()
        .find(|r| r["check"] == "config")
        .unwrap_or_else(|| panic!("{v:#}"));
    let detail = config["detail"].as_str().unwrap();
    for want in [
        "disabled_claim_word",
        "disabled_claim_words",
        "extra_claim_words",
        "evidence_patterns",
    ] {
        assert!(detail.contains(want), "{want} not in {detail}");
    }
    // The other sections too.
    for (text, want) in [
        (r#"{"artifact_gate": {"ui_keyword": []}}"#, "ui_keywords"),
        (r#"{"blueprint_gate": {"schema_pth": "x"}}"#, "schema_path"),
        (r#"{"registry": {"pth": "x"}}"#, "path"),
        (
            r#"{"claim_gate": {"evidence_patterns": ["("]}}"#,
            "claim_gate",
        ),
    ] {
        sb.write(&sb.home.join(".claude/zakon/config.json"), text);
        let (c, v) = doctor(&sb, &[]);
        assert_eq!(c, 1, "{text}");
        let row = failed(&v)
            .into_iter()
            .find(|r| r["check"] == "config")
            .unwrap();
        assert!(
            row["detail"].as_str().unwrap().contains(want),
            "{text}: {row}"
        );
    }
}

#[test]
fn messages_are_printed_whole() {
    let sb = sandbox("doctor-whole", true);
    // A registry error has several lines: the headline, the expected path and the fix.
    sb.write(
        &sb.home.join("system/rules/zakon-registry.json"),
        "{ broken",
    );
    let bin = build_dir();
    let out = sb.run(
        "zakon",
        &["doctor", "--bin-dir", bin.to_str().unwrap()],
        b"",
        &[],
    );
    assert_eq!(code(&out), 1);
    let text = stdout(&out);
    assert!(text.contains("ZAKON_REGISTRY_ERROR"), "{text}");
    assert!(text.contains("Expected registry:"), "{text}");
    assert!(!text.contains('…'), "a message was cut short:\n{text}");
}

#[test]
fn a_plugin_folder_claude_code_does_not_know_is_a_failure() {
    let sb = Sandbox::new("doctor-plugin");
    let root = sb.root.join("zakon-plugin");
    std::fs::create_dir_all(root.join("hooks")).unwrap();
    let repo = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    std::fs::copy(
        repo.join("plugin/hooks/hooks.json"),
        root.join("hooks/hooks.json"),
    )
    .unwrap();
    std::os::unix::fs::symlink(build_dir(), root.join("bin")).unwrap();
    sb.write(
        &sb.home.join("system/rules/zakon-registry.json"),
        std::fs::read(repo.join("registry/zakon-registry.json")).unwrap(),
    );
    let run = |sb: &Sandbox| {
        let out = sb.run(
            "zakon",
            &["doctor", "--plugin", root.to_str().unwrap(), "--json"],
            b"",
            &[],
        );
        (
            code(&out),
            serde_json::from_str::<Value>(&stdout(&out)).unwrap(),
        )
    };
    let (c, v) = run(&sb);
    assert_eq!(c, 1);
    let f = failed(&v);
    assert_eq!(f.len(), 1, "{f:#?}");
    assert_eq!(f[0]["check"], "plugin");
    assert!(
        f[0]["detail"]
            .as_str()
            .unwrap()
            .contains("never told about")
    );
    assert!(
        f[0]["fix"]
            .as_str()
            .unwrap()
            .contains("/plugin marketplace add")
    );

    // Marketplace added, plugin installed from it (Claude Code's cache copy), enabled.
    let plugins = sb.home.join(".claude/plugins");
    sb.write(
        &plugins.join("known_marketplaces.json"),
        json!({"zakon": {"source": {"source": "directory", "path": root},
                         "installLocation": root}})
        .to_string(),
    );
    let (c, v) = run(&sb);
    assert_eq!(c, 1);
    assert!(
        failed(&v)[0]["fix"]
            .as_str()
            .unwrap()
            .contains("/plugin install zakon@zakon")
    );
    sb.write(
        &plugins.join("installed_plugins.json"),
        json!({"version": 2, "plugins": {"zakon@zakon": [
            {"scope": "user", "installPath": root, "version": "0.1.0"}]}})
        .to_string(),
    );
    sb.write(
        &sb.home.join(".claude/settings.json"),
        r#"{"enabledPlugins": {"zakon@zakon": false}}"#,
    );
    let (c, v) = run(&sb);
    assert_eq!(c, 1);
    assert!(
        failed(&v)[0]["detail"]
            .as_str()
            .unwrap()
            .contains("disabled")
    );
    sb.write(
        &sb.home.join(".claude/settings.json"),
        r#"{"enabledPlugins": {"zakon@zakon": true}}"#,
    );
    let (c, v) = run(&sb);
    assert_eq!(c, 0, "{v:#}");
}

#[test]
fn colour_only_on_a_terminal_and_never_with_no_color() {
    let sb = sandbox("doctor-colour", true);
    let bin = build_dir();
    let piped = sb.run(
        "zakon",
        &["doctor", "--bin-dir", bin.to_str().unwrap()],
        b"",
        &[],
    );
    assert!(!stdout(&piped).contains('\x1b'), "escape codes in a pipe");
    if tty::script().is_none() {
        eprintln!("skipped the terminal half: util-linux `script` is not installed");
        return;
    }
    let words: Vec<String> = [
        bin.join("zakon").display().to_string(),
        "doctor".into(),
        "--bin-dir".into(),
        bin.display().to_string(),
    ]
    .to_vec();
    let out = tty::run(sb.cmd("zakon"), &words);
    assert!(stdout(&out).contains("\x1b[32m✔"), "{}", stdout(&out));
    let mut no_color = sb.cmd("zakon");
    no_color.env("NO_COLOR", "1");
    let out = tty::run(no_color, &words);
    assert!(stdout(&out).contains('✔'));
    assert!(!stdout(&out).contains('\x1b'), "{}", stdout(&out));
}

/// The snapshot store as files: relative path → bytes (the lock file left out: it is empty
/// and only ever created).
fn store_files(sb: &Sandbox) -> std::collections::BTreeMap<String, Vec<u8>> {
    fn walk(
        dir: &std::path::Path,
        rel: &str,
        out: &mut std::collections::BTreeMap<String, Vec<u8>>,
    ) {
        for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let name = format!("{rel}{}", e.file_name().to_string_lossy());
            if e.path().is_dir() {
                walk(&e.path(), &format!("{name}/"), out);
            } else if name != "lock" {
                out.insert(name, std::fs::read(e.path()).unwrap());
            }
        }
    }
    let mut out = std::collections::BTreeMap::new();
    walk(&sb.home.join(".claude/zakon/snapshots"), "", &mut out);
    out
}

#[test]
fn doctor_leaves_no_trace_in_the_snapshot_store() {
    let sb = sandbox("doctor-trace", true);
    let bin = build_dir();
    let out = sb.run(
        "blueprint-gate",
        &["snapshot", "--init", "--bin-dir", bin.to_str().unwrap()],
        b"",
        &[],
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let before = store_files(&sb);
    assert!(before.contains_key("index.json"));
    for _ in 0..2 {
        let (c, v) = doctor(&sb, &[]);
        assert_eq!(c, 0, "{v:#}");
    }
    let after = store_files(&sb);
    let index = String::from_utf8_lossy(&after["index.json"]).into_owned();
    assert!(!index.contains("zakon-doctor-"), "{index}");
    assert_eq!(
        before.keys().collect::<Vec<_>>(),
        after.keys().collect::<Vec<_>>()
    );
    assert!(
        before == after,
        "doctor changed the snapshot store:\n{index}"
    );
    // And `blueprint-gate snapshot` reports nothing changed since the last check.
    let out = sb.run("blueprint-gate", &["snapshot"], b"", &[]);
    assert!(!stdout(&out).contains("zakon-doctor-"), "{}", stdout(&out));
}

#[test]
fn plugin_and_settings_registrations_together_are_a_failure() {
    // install.sh's registrations in ~/.claude/settings.json, and the zakon plugin installed
    // and enabled: every gate would run twice.
    let sb = sandbox("doctor-twice", true);
    let (c, v) = doctor(&sb, &[]);
    assert_eq!(c, 0, "{v:#}");
    let root = sb.root.join("zakon-plugin");
    let repo = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    sb.write(
        &root.join("hooks/hooks.json"),
        std::fs::read(repo.join("plugin/hooks/hooks.json")).unwrap(),
    );
    let plugins = sb.home.join(".claude/plugins");
    sb.write(
        &plugins.join("installed_plugins.json"),
        json!({"version": 2, "plugins": {"zakon@zakon": [
            {"scope": "user", "installPath": root, "version": "0.1.0"}]}})
        .to_string(),
    );
    let (c, v) = doctor(&sb, &[]);
    assert_eq!(c, 1, "{v:#}");
    let f = failed(&v);
    assert_eq!(f.len(), 1, "{f:#?}");
    assert_eq!(f[0]["check"], "runs once");
    let detail = f[0]["detail"].as_str().unwrap();
    assert!(
        detail.contains("zakon runs twice") && detail.contains("zakon@zakon"),
        "{detail}"
    );
    assert!(detail.contains("~/.claude/settings.json"), "{detail}");
    let fix = f[0]["fix"].as_str().unwrap();
    assert!(
        fix.contains("./install.sh --uninstall") && fix.contains("/plugin uninstall zakon@zakon"),
        "{fix}"
    );
    // The command comes first and runs as written from the project directory (install.sh
    // exists only in the checkout); it leaves the plugin as the one that runs.
    assert!(fix.starts_with("keep one: `"), "{fix}");
    assert!(
        fix.contains("./install.sh --uninstall from the zakon checkout"),
        "{fix}"
    );
    let cmd = fix.split('`').nth(1).unwrap();
    let mut c = std::process::Command::new("sh");
    c.arg("-c")
        .arg(cmd)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", &sb.home)
        .env("ZAKON_HOME", &sb.home)
        .current_dir(&sb.cwd);
    let out = run_with_stdin(c, b"");
    assert_eq!(code(&out), 0, "{cmd}: {}", stderr(&out));
    let (_, v) = doctor(&sb, &[]);
    assert!(
        v["checks"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["check"] == "runs once" && r["ok"] == true),
        "{v:#}"
    );
    assert_eq!(
        code(&sb.run(
            "zakon",
            &[
                "hooks",
                "install",
                "--bin-dir",
                build_dir().to_str().unwrap()
            ],
            b"",
            &[]
        )),
        0
    );

    // The plugin switched off in a scope: it no longer runs, so zakon runs once.
    sb.write(
        &sb.cwd.join(".claude/settings.local.json"),
        r#"{"enabledPlugins": {"zakon@zakon": false}}"#,
    );
    let (c, v) = doctor(&sb, &[]);
    assert_eq!(c, 0, "{v:#}");
    // A plugin whose hooks are not zakon's is not counted.
    std::fs::remove_file(sb.cwd.join(".claude/settings.local.json")).unwrap();
    sb.write(
        &root.join("hooks/hooks.json"),
        r#"{"hooks": {"Stop": [{"hooks": [{"type": "command", "command": "echo hi"}]}]}}"#,
    );
    let (c, v) = doctor(&sb, &[]);
    assert_eq!(c, 0, "{v:#}");
}

#[test]
fn the_plugin_folder_of_a_checkout_is_known_through_the_checkouts_marketplace() {
    // zakon's own layout: <checkout>/.claude-plugin/marketplace.json lists ./plugin.
    let sb = Sandbox::new("doctor-plugin-checkout");
    let checkout = sb.root.join("zakon");
    let root = checkout.join("plugin");
    std::fs::create_dir_all(root.join("hooks")).unwrap();
    let repo = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    std::fs::copy(
        repo.join("plugin/hooks/hooks.json"),
        root.join("hooks/hooks.json"),
    )
    .unwrap();
    std::os::unix::fs::symlink(build_dir(), root.join("bin")).unwrap();
    sb.write(
        &checkout.join(".claude-plugin/marketplace.json"),
        std::fs::read(repo.join(".claude-plugin/marketplace.json")).unwrap(),
    );
    sb.write(
        &sb.home.join("system/rules/zakon-registry.json"),
        std::fs::read(repo.join("registry/zakon-registry.json")).unwrap(),
    );
    let run = |sb: &Sandbox| {
        let out = sb.run(
            "zakon",
            &["doctor", "--plugin", root.to_str().unwrap(), "--json"],
            b"",
            &[],
        );
        (
            code(&out),
            serde_json::from_str::<Value>(&stdout(&out)).unwrap(),
        )
    };
    // Unknown: the fix names the checkout, where the marketplace file is.
    let (c, v) = run(&sb);
    assert_eq!(c, 1);
    let fix = failed(&v)[0]["fix"].as_str().unwrap().to_string();
    assert!(
        fix.contains(&format!("/plugin marketplace add {},", checkout.display())),
        "{fix}"
    );
    // The checkout's marketplace added and the plugin installed from it (a cache copy).
    let plugins = sb.home.join(".claude/plugins");
    let cache = plugins.join("cache/zakon/zakon/0.1.0");
    std::fs::create_dir_all(&cache).unwrap();
    sb.write(
        &plugins.join("known_marketplaces.json"),
        json!({"zakon": {"source": {"source": "directory", "path": checkout},
                         "installLocation": checkout}})
        .to_string(),
    );
    sb.write(
        &plugins.join("installed_plugins.json"),
        json!({"version": 2, "plugins": {"zakon@zakon": [
            {"scope": "user", "installPath": cache, "version": "0.1.0"}]}})
        .to_string(),
    );
    sb.write(
        &sb.home.join(".claude/settings.json"),
        r#"{"enabledPlugins": {"zakon@zakon": true}}"#,
    );
    let (_, v) = run(&sb);
    let plugin_row = v["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["check"] == "plugin")
        .cloned()
        .unwrap();
    assert_eq!(plugin_row["ok"], true, "{plugin_row:#}");
    // From a local-directory marketplace the client runs the hooks from the checkout.
    assert!(
        !plugin_row["detail"]
            .as_str()
            .unwrap()
            .contains("runs its copy"),
        "{plugin_row:#}"
    );
}

#[test]
fn a_config_value_that_points_nowhere_gets_a_fix_that_says_so() {
    let sb = sandbox("doctor-config-value", true);
    sb.write(
        &sb.home.join(".claude/zakon/config.json"),
        r#"{"blueprint_gate": {"schema_path": "~/system/rules/blueprint-schema.json"}}"#,
    );
    let (c, v) = doctor(&sb, &[]);
    assert_eq!(c, 1);
    let config = failed(&v)
        .into_iter()
        .find(|r| r["check"] == "config")
        .unwrap_or_else(|| panic!("{v:#}"));
    let fix = config["fix"].as_str().unwrap();
    assert!(fix.contains("create the file it points at"), "{fix}");
    assert!(!fix.contains("listed above"), "{fix}");
    // The unknown-key case keeps its pointer to the valid names.
    sb.write(
        &sb.home.join(".claude/zakon/config.json"),
        r#"{"claim_gate": {"disabled_claim_word": ["ready"]}}"#,
    );
    let (_, v) = doctor(&sb, &[]);
    let config = failed(&v)
        .into_iter()
        .find(|r| r["check"] == "config")
        .unwrap_or_else(|| panic!("{v:#}"));
    assert!(config["fix"].as_str().unwrap().contains("listed above"));
}

/// A settings file given with `--settings` is named by what it is: the project settings
/// when it is the project's `.claude/settings.json`, else "given with --settings" — never
/// "user settings", which is `~/.claude/settings.json` (read by Claude Code in any case).
#[test]
fn a_settings_file_given_with_settings_is_not_called_user_settings() {
    let sb = sandbox("doctor-given-settings", true);
    let bin = build_dir();
    let project = sb.cwd.join(".claude/settings.json");
    let other = sb.root.join("s3.json");
    for (file, want) in [
        (&project, format!("project settings {}", project.display())),
        (
            &other,
            format!("settings {} (given with --settings)", other.display()),
        ),
    ] {
        let f = file.to_str().unwrap();
        let out = sb.run(
            "zakon",
            &[
                "hooks",
                "install",
                "--bin-dir",
                bin.to_str().unwrap(),
                "--settings",
                f,
            ],
            b"",
            &[],
        );
        assert_eq!(code(&out), 0, "{}", stderr(&out));
        let (_, v) = doctor(&sb, &["--settings", f]);
        let listed = v["checks"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["check"] == "hooks on")
            .unwrap()["detail"]
            .as_str()
            .unwrap()
            .to_string();
        if file == &other {
            assert!(
                listed.contains(&format!("--settings {}", other.display())),
                "{listed}"
            );
        }
        let mut s: Value = serde_json::from_slice(&std::fs::read(file).unwrap()).unwrap();
        s["disableAllHooks"] = json!(true);
        std::fs::write(file, s.to_string()).unwrap();
        let (c, v) = doctor(&sb, &["--settings", f]);
        assert_eq!(c, 1, "{v:#}");
        let f = failed(&v);
        let detail = f
            .iter()
            .find(|r| r["check"] == "hooks on")
            .unwrap_or_else(|| panic!("{f:#?}"))["detail"]
            .as_str()
            .unwrap();
        assert!(detail.contains(&want), "{want} not in {detail}");
        assert!(!detail.contains("user settings"), "{detail}");
        // Both files register zakon: each is named by its own scope.
        let runs = v["checks"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["check"] == "runs once")
            .unwrap()["detail"]
            .as_str()
            .unwrap();
        assert!(
            runs.contains("user settings ~/.claude/settings.json"),
            "{runs}"
        );
        assert!(runs.contains(&want), "{runs}");
        std::fs::remove_file(file).unwrap();
    }
}

/// Hooks registered only in the project's settings are registered: doctor run in that
/// project (without --settings) passes. A registration missing there gets a fix that
/// installs into the same file, never a second install into the user's settings.
#[test]
fn hooks_in_the_project_settings_count_as_registered() {
    let sb = Sandbox::new("doctor-project-scope");
    let registry = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("registry/zakon-registry.json");
    sb.write(
        &sb.home.join("system/rules/zakon-registry.json"),
        std::fs::read(registry).unwrap(),
    );
    let project = sb.cwd.join(".claude/settings.json");
    let bin = build_dir();
    let out = sb.run(
        "zakon",
        &[
            "hooks",
            "install",
            "--bin-dir",
            bin.to_str().unwrap(),
            "--settings",
            project.to_str().unwrap(),
        ],
        b"",
        &[],
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let (c, v) = doctor(&sb, &[]);
    assert_eq!(c, 0, "{v:#}");
    let hooks: Vec<&Value> = v["checks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["check"] == "hook")
        .collect();
    assert_eq!(hooks.len(), 8, "{v:#}");
    for h in hooks {
        let d = h["detail"].as_str().unwrap();
        assert!(
            d.contains(&format!("project settings {}", project.display())),
            "{d}"
        );
    }
    // One registration gone from the project's file: the fix names that file.
    let mut s: Value = serde_json::from_slice(&std::fs::read(&project).unwrap()).unwrap();
    s["hooks"].as_object_mut().unwrap().remove("SessionStart");
    std::fs::write(&project, s.to_string()).unwrap();
    let (c, v) = doctor(&sb, &[]);
    assert_eq!(c, 1, "{v:#}");
    let f = failed(&v);
    assert_eq!(f.len(), 1, "{f:#?}");
    assert!(f[0]["detail"].as_str().unwrap().contains("SessionStart"));
    let fix = f[0]["fix"].as_str().unwrap();
    assert!(
        fix.contains(&format!("--settings {}", project.display())),
        "{fix}"
    );
}

/// The allowing probes run in a scratch home with a copy of the user's config: its `~`
/// paths still name the user's files (a schema in `~` loads), and the files a gate writes
/// (`audit_log` here) are not the user's.
#[test]
fn allowing_probes_use_the_users_config_with_its_home_paths() {
    let sb = sandbox("doctor-config-home", true);
    let schema = r#"{"name":"mini","elements":[{"label":"Owner","kind":"field","key":"Owner","fix":"add Owner"}]}"#;
    sb.write(&sb.home.join("schema.json"), schema);
    let log = sb.home.join("my-audit.jsonl");
    sb.write(
        &sb.home.join(".claude/zakon/config.json"),
        json!({"audit_log": log, "blueprint_gate": {"schema_path": "~/schema.json"}}).to_string(),
    );
    let (c, v) = doctor(&sb, &[]);
    assert_eq!(c, 0, "{v:#}");
    assert!(!log.exists());
    assert!(!sb.home.join(".claude/zakon/audit.jsonl").exists());
    // The copy is the user's config: a schema that rejects the probe's valid blueprint
    // shows up as a failed allowing probe.
    let strict = r#"{"name":"strict","elements":[{"label":"Approver","kind":"field","key":"Approver","fix":"add Approver"}]}"#;
    sb.write(&sb.home.join("schema.json"), strict);
    let (c, v) = doctor(&sb, &[]);
    assert_eq!(c, 1, "{v:#}");
    let f = failed(&v);
    assert!(
        f.iter().all(|r| r["check"] == "gate"
            && r["detail"].as_str().unwrap().contains("valid")
            && r["detail"].as_str().unwrap().contains("should allow")),
        "{f:#?}"
    );
    assert!(!log.exists());
}
