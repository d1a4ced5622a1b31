//! zakon-registry end to end: validate's 0/2/3 contract, list/stats/audit, against registries
//! written into a temporary HOME.

mod support;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use support::*;

const BIN: &str = "zakon-registry";

fn entry(id: &str, status: &str, token: Value, mc: Value) -> Value {
    json!({"zakon_id": id, "file_path": format!("~/system/rules/zakon-{id}.md"),
           "mc_task": mc, "ceo_approved_token": token, "status": status})
}

fn registry(entries: Vec<Value>) -> String {
    json!({"version": "1.0.0", "description": "test", "policy": {}, "backfill_metadata": {},
           "registry": entries})
    .to_string()
}

fn standard() -> String {
    registry(vec![
        entry(
            "old",
            "legacy-pre-registry",
            json!("GRANDFATHERED-PRE-2026-05-12"),
            Value::Null,
        ),
        entry("live", "active", json!("[CEO_APPROVED]"), json!(99911)),
        entry(
            "pending",
            "approved-pending-author",
            json!("[CEO_APPROVED]"),
            json!(12),
        ),
        entry("draft", "proposed", Value::Null, json!(13)),
        entry("tokenless", "approved-live", Value::Null, json!(14)),
    ])
}

fn with_registry(tag: &str, text: &str) -> Sandbox {
    let sb = Sandbox::new(tag);
    sb.write(&sb.home.join("system/rules/zakon-registry.json"), text);
    sb
}

fn validate(sb: &Sandbox, path: &str) -> std::process::Output {
    sb.run(BIN, &["validate", path], b"", &[])
}

#[test]
fn validate_pass_and_block() {
    let sb = with_registry("zr-validate", &standard());
    for (path, want) in [
        ("~/system/rules/zakon-old.md", 0),
        ("~/system/rules/zakon-live.md", 0),
        ("~/system/rules/zakon-pending.md", 0),
        ("~/system/rules/zakon-draft.md", 2),
        ("~/system/rules/zakon-tokenless.md", 2),
        ("~/system/rules/zakon-unknown.md", 2),
    ] {
        let out = validate(&sb, path);
        assert_eq!(code(&out), want, "{path}: {}{}", stdout(&out), stderr(&out));
        if want == 0 {
            assert!(stdout(&out).starts_with("PASS: "));
        } else {
            assert!(stderr(&out).starts_with("BLOCK: ") && stderr(&out).contains("\nFIX: "));
        }
    }
    assert!(stderr(&validate(&sb, "~/system/rules/zakon-unknown.md")).contains("not registered"));
    assert!(stderr(&validate(&sb, "~/system/rules/zakon-draft.md")).contains("not approved"));
    assert!(
        stderr(&validate(&sb, "~/system/rules/zakon-tokenless.md")).contains("ceo_approved_token")
    );
}

#[test]
fn validate_normalises_paths() {
    let sb = with_registry("zr-paths", &standard());
    let rules = sb.home.join("system/rules");
    std::os::unix::fs::symlink(&rules, sb.cwd.join("rules-link")).unwrap();
    let abs = rules.join("zakon-live.md");
    for path in [
        abs.to_str().unwrap(),
        "~/system/../system/rules/./zakon-live.md",
        "rules-link/zakon-live.md",
    ] {
        let out = validate(&sb, path);
        assert_eq!(code(&out), 0, "{path}: {}", stderr(&out));
    }
}

#[test]
fn broken_registry_exits_3_with_fix() {
    let sb = Sandbox::new("zr-missing");
    let out = validate(&sb, "~/system/rules/zakon-old.md");
    assert_eq!(code(&out), 3);
    let err = stderr(&out);
    assert!(
        err.starts_with("ZAKON_REGISTRY_ERROR: registry file not found"),
        "{err}"
    );
    assert!(
        err.contains("Expected registry: ~/system/rules/zakon-registry.json"),
        "{err}"
    );
    assert!(err.contains("\nFIX: "), "{err}");

    let dup = registry(vec![
        entry("a", "active", json!("[CEO_APPROVED]"), json!(1)),
        entry("a", "active", json!("[CEO_APPROVED]"), json!(2)),
    ]);
    let mut same_path = entry("b", "active", json!("[CEO_APPROVED]"), json!(3));
    same_path["file_path"] = json!("~/system/x/../rules/zakon-a.md");
    let dup_path = registry(vec![
        entry("a", "active", json!("[CEO_APPROVED]"), json!(1)),
        same_path,
    ]);
    let no_status = registry(vec![
        json!({"zakon_id": "a", "file_path": "~/a.md", "mc_task": 1}),
    ]);
    for (text, why) in [
        ("{ not json", "not valid JSON"),
        ("[]", "not a JSON object"),
        ("{\"version\": \"1\"}", "\"registry\" array is missing"),
        (dup.as_str(), "duplicate zakon_id \"a\""),
        (dup_path.as_str(), "name the same file"),
        (no_status.as_str(), "has no status"),
    ] {
        let sb = with_registry("zr-broken", text);
        for args in [
            vec!["validate", "~/system/rules/zakon-a.md"],
            vec!["list"],
            vec!["stats"],
            vec!["audit"],
        ] {
            let out = sb.run(BIN, &args, b"", &[]);
            assert_eq!(code(&out), 3, "{why} {args:?}");
            assert!(stderr(&out).contains(why), "{why}: {}", stderr(&out));
            assert!(stderr(&out).contains("FIX: "));
        }
    }
}

#[test]
fn registry_flag_and_env_choose_the_file() {
    let sb = Sandbox::new("zr-flag");
    let elsewhere = sb.write(&sb.root.join("elsewhere.json"), standard());
    let p = elsewhere.to_str().unwrap();
    let out = sb.run(
        BIN,
        &["validate", "--registry", p, "~/system/rules/zakon-live.md"],
        b"",
        &[],
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let out = sb.run(
        BIN,
        &["validate", "~/system/rules/zakon-live.md"],
        b"",
        &[("ZAKON_REGISTRY", p)],
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let out = sb.run(BIN, &["list"], b"", &[]);
    assert_eq!(code(&out), 3, "default path does not exist here");
}

#[test]
fn list_and_stats() {
    let sb = with_registry("zr-list", &standard());
    let out = sb.run(BIN, &["list", "--json"], b"", &[]);
    assert_eq!(code(&out), 0);
    let v: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(v["entries"].as_array().unwrap().len(), 5);
    assert_eq!(v["entries"][1]["mc_task"], 99911);
    assert_eq!(v["entries"][1]["approved"], true);
    assert_eq!(v["entries"][3]["approved"], false);
    let out = sb.run(BIN, &["list"], b"", &[]);
    assert!(stdout(&out).contains("live") && stdout(&out).contains("[CEO_APPROVED]"));

    let out = sb.run(BIN, &["stats", "--json"], b"", &[]);
    let v: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(v["total"], 5);
    assert_eq!(v["approved"], 3);
    assert_eq!(v["by_status"]["legacy-pre-registry"], 1);
    assert_eq!(v["by_status"]["proposed"], 1);
}

#[test]
fn shipped_registry_holds_the_four_entries() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/registry/zakon-registry.json"
    ))
    .unwrap();
    let sb = with_registry("zr-shipped", &text);
    let out = sb.run(BIN, &["list", "--json"], b"", &[]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let v: Value = serde_json::from_str(&stdout(&out)).unwrap();
    let ids: Vec<&str> = v["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["zakon_id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        [
            "feasibility-check",
            "pi2-deploy-verification",
            "qa19-mapping",
            "blueprint-enforcement"
        ]
    );
    let raw: Value = serde_json::from_str(&text).unwrap();
    for key in ["version", "description", "policy", "backfill_metadata"] {
        assert!(raw.get(key).is_some(), "{key}");
    }
    let be = &raw["registry"][3];
    assert_eq!(be["mc_task"], 99911);
    assert_eq!(be["status"], "active");
    assert_eq!(be["ceo_approved_token"], "[CEO_APPROVED]");
    assert_eq!(
        be["published_sha256"],
        "b17e7ce18fd570224a61d18cd89333336bf61e427fb86e3f2378b0bc124e794f"
    );
    for e in &raw["registry"].as_array().unwrap()[..3] {
        assert_eq!(e["status"], "legacy-pre-registry");
        assert_eq!(e["ceo_approved_token"], "GRANDFATHERED-PRE-2026-05-12");
        assert!(e["mc_task"].is_null());
    }
}

#[test]
fn audit_finds_unregistered_missing_and_tampered() {
    let good = b"# rule\nThe published text.\n";
    let sha: String = Sha256::digest(good)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let mut live = entry("live", "active", json!("[CEO_APPROVED]"), json!(1));
    live["published_sha256"] = json!(sha);
    let text = registry(vec![
        live,
        entry(
            "old",
            "legacy-pre-registry",
            json!("GRANDFATHERED-PRE-2026-05-12"),
            Value::Null,
        ),
    ]);
    let sb = with_registry("zr-audit", &text);
    let rules = sb.home.join("system/rules");
    sb.write(&rules.join("zakon-live.md"), good);
    sb.write(&rules.join("zakon-old.md"), "old rule");
    let out = sb.run(BIN, &["audit"], b"", &[]);
    assert_eq!(code(&out), 0, "{}", stdout(&out));
    assert!(stdout(&out).starts_with("clean:"));

    sb.write(&rules.join("zakon-rogue.md"), "an agent's own rule");
    sb.write(&rules.join("zakon-live.md"), "# rule\nQuietly edited.\n");
    std::fs::remove_file(rules.join("zakon-old.md")).unwrap();
    let out = sb.run(BIN, &["audit", "--json"], b"", &[]);
    assert_eq!(code(&out), 1);
    let v: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(v["unregistered"], json!(["~/system/rules/zakon-rogue.md"]));
    assert_eq!(v["missing"][0]["zakon_id"], "old");
    assert_eq!(v["sha256_mismatch"][0]["zakon_id"], "live");
    assert_eq!(v["sha256_mismatch"][0]["published_sha256"], sha);
    assert_eq!(v["findings"], 3);
    let out = sb.run(BIN, &["audit"], b"", &[]);
    assert_eq!(code(&out), 1);
    let s = stdout(&out);
    assert!(
        s.contains("UNREGISTERED") && s.contains("MISSING") && s.contains("SHA256"),
        "{s}"
    );
}

#[test]
fn help_and_version() {
    let sb = Sandbox::new("zr-help");
    for args in [
        vec!["--help"],
        vec!["--version"],
        vec!["validate", "--help"],
    ] {
        let out = sb.run(BIN, &args, b"", &[]);
        assert_eq!(code(&out), 0, "{args:?}");
    }
    let out = sb.run("blueprint-gate", &["scan", "--help"], b"", &[]);
    assert_eq!(code(&out), 0);
    assert!(stdout(&out).contains("--max-age-days"));
}

/// The command a FIX line tells you to run (the last `…` span).
fn suggested(err: &str) -> String {
    let fix = err
        .lines()
        .find(|l| l.starts_with("FIX: "))
        .expect("a FIX line");
    fix.rsplit('`')
        .nth(1)
        .expect("a command in backquotes")
        .to_string()
}

#[test]
fn a_fix_names_the_registry_the_error_came_from() {
    // A broken registry reached through --registry FILE (a path with a space): the FIX's
    // `zakon-registry … list` carries the same --registry, and running it as written
    // re-checks that file, not the default one.
    let sb = Sandbox::new("zr-fix-registry");
    let file = sb.write(&sb.root.join("other place/reg.json"), "{ not json");
    let f = file.to_str().unwrap();
    for args in [vec!["--registry", f, "list"], vec!["list", "--registry", f]] {
        let out = sb.run(BIN, &args, b"", &[]);
        assert_eq!(code(&out), 3);
        let cmd = suggested(&stderr(&out));
        assert!(cmd.ends_with(&format!("--registry '{f}' list")), "{cmd}");
        let mut sh = std::process::Command::new("sh");
        sh.arg("-c")
            .arg(&cmd)
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", &sb.home)
            .env("ZAKON_HOME", &sb.home)
            .current_dir(&sb.cwd);
        let again = run_with_stdin(sh, b"");
        assert_eq!(code(&again), 3, "{}", stderr(&again));
        assert!(
            stderr(&again).contains("not valid JSON"),
            "{}",
            stderr(&again)
        );
    }
    // The same through $ZAKON_REGISTRY.
    let out = sb.run(BIN, &["list"], b"", &[("ZAKON_REGISTRY", f)]);
    assert!(suggested(&stderr(&out)).ends_with(&format!("--registry '{f}' list")));
    // The default registry broken: plain `list` checks it, so no --registry is added.
    sb.write(
        &sb.home.join("system/rules/zakon-registry.json"),
        "{ not json",
    );
    let out = sb.run(BIN, &["list"], b"", &[]);
    let cmd = suggested(&stderr(&out));
    assert!(cmd.ends_with("zakon-registry list"), "{cmd}");
}
