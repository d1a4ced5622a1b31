//! `zakon doctor`'s fix lines run as written from any directory (install.sh exists only in
//! the checkout, so it is only the alternative), a hook timeout too short for the gate's own
//! deadline is a failure, and a broken config is quoted as the user's file, in whole
//! sentences.

mod support;
use serde_json::Value;
use support::doctor::{build_dir, doctor, failed, hooks_install, sandbox};
use support::*;

/// Every fix that mentions install.sh says it runs from the zakon checkout, and never as the
/// first thing to run.
fn install_sh_only_as_the_checkout_alternative(rows: &[Value]) {
    for r in rows {
        let fix = r["fix"].as_str().unwrap_or("");
        if fix.contains("install.sh") {
            assert!(
                fix.contains("from the zakon checkout")
                    || fix.contains("in the zakon checkout")
                    || fix.contains("in a zakon checkout")
                    || fix.starts_with("run `cd /"),
                "{r:#}"
            );
        }
        assert!(!fix.starts_with("run ./install.sh"), "{r:#}");
    }
}

/// The first backquoted command of a fix, run with `sh -c` in the sandbox's project
/// directory (where there is no install.sh).
fn run_fix(sb: &Sandbox, fix: &str) -> std::process::Output {
    let cmd = fix
        .split('`')
        .nth(1)
        .unwrap_or_else(|| panic!("no `command` in: {fix}"));
    let mut c = std::process::Command::new("sh");
    c.arg("-c")
        .arg(cmd)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", &sb.home)
        .env("ZAKON_HOME", &sb.home)
        .env("TMPDIR", &sb.tmp)
        .current_dir(&sb.cwd);
    run_with_stdin(c, b"")
}

#[test]
fn a_missing_registration_gets_a_fix_that_runs_from_a_project_directory() {
    let settings_dir = Sandbox::new("doctor-fix-settings");
    let settings = settings_dir.root.join("other.json");
    let s = settings.to_str().unwrap();
    let sb = sandbox("doctor-fix-missing", false);
    // No such settings file: the settings row and every hook row fail.
    let (c, v) = doctor(&sb, &["--settings", s]);
    assert_eq!(c, 1);
    let rows = failed(&v);
    install_sh_only_as_the_checkout_alternative(&rows);
    let row = rows
        .iter()
        .find(|r| r["check"] == "settings")
        .unwrap_or_else(|| panic!("{v:#}"));
    let fix = row["fix"].as_str().unwrap();
    assert!(fix.starts_with("run `"), "{fix}");
    assert!(fix.contains(&format!("--settings {s}")), "{fix}");
    let out = run_fix(&sb, fix);
    assert_eq!(code(&out), 0, "{fix}: {}{}", stdout(&out), stderr(&out));
    let (c, v) = doctor(&sb, &["--settings", s]);
    assert_eq!(c, 0, "{v:#}");

    // Unparseable settings: fix by hand, then the same command.
    std::fs::write(&settings, "{ broken").unwrap();
    let (c, v) = doctor(&sb, &["--settings", s]);
    assert_eq!(c, 1);
    let rows = failed(&v);
    install_sh_only_as_the_checkout_alternative(&rows);
    let fix = rows.iter().find(|r| r["check"] == "settings").unwrap()["fix"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(fix.contains("hooks install --bin-dir"), "{fix}");

    // A settings file without one of the hooks: the hook row's fix registers it.
    std::fs::write(&settings, "{}").unwrap();
    let (c, v) = doctor(&sb, &["--settings", s]);
    assert_eq!(c, 1);
    let rows = failed(&v);
    install_sh_only_as_the_checkout_alternative(&rows);
    let hook = rows.iter().find(|r| r["check"] == "hook").unwrap();
    let fix = hook["fix"].as_str().unwrap();
    assert!(fix.starts_with("run `"), "{fix}");
    let out = run_fix(&sb, fix);
    assert_eq!(code(&out), 0, "{fix}: {}{}", stdout(&out), stderr(&out));
    assert_eq!(doctor(&sb, &["--settings", s]).0, 0);
}

#[test]
fn a_stale_registration_gets_a_fix_that_runs_from_a_project_directory() {
    let sb = sandbox("doctor-fix-stale", false);
    let settings = sb.home.join(".claude/settings.json");
    // Registered by hand, then the install directory went away.
    let gone = sb.root.join("gone/bin");
    std::fs::create_dir_all(&gone).unwrap();
    hooks_install(&sb, &gone, &settings);
    let (c, v) = doctor(&sb, &[]);
    assert_eq!(c, 1);
    let rows = failed(&v);
    install_sh_only_as_the_checkout_alternative(&rows);
    let stale = rows
        .iter()
        .find(|r| {
            r["check"] == "hook"
                && r["detail"]
                    .as_str()
                    .unwrap()
                    .contains("does not exist or is not executable")
                && r["fix"].as_str().unwrap().contains("hooks uninstall")
        })
        .unwrap_or_else(|| panic!("{v:#}"));
    let out = run_fix(&sb, stale["fix"].as_str().unwrap());
    assert_eq!(code(&out), 0, "{stale:#}: {}{}", stdout(&out), stderr(&out));
    let text = std::fs::read_to_string(&settings).unwrap_or_default();
    assert!(!text.contains(gone.to_str().unwrap()), "{text}");
}

#[test]
fn a_hook_timeout_shorter_than_the_gates_deadline_is_a_failure() {
    let sb = sandbox("doctor-timeout", true);
    let settings = sb.home.join(".claude/settings.json");
    let set_stop_timeout = |t: u64| {
        let mut v: Value = serde_json::from_slice(&std::fs::read(&settings).unwrap()).unwrap();
        v["hooks"]["Stop"][0]["hooks"][0]["timeout"] = t.into();
        std::fs::write(&settings, v.to_string()).unwrap();
    };
    set_stop_timeout(1);
    let (c, v) = doctor(&sb, &[]);
    assert_eq!(c, 1, "{v:#}");
    let rows = failed(&v);
    assert_eq!(rows.len(), 1, "{rows:#?}");
    let detail = rows[0]["detail"].as_str().unwrap();
    assert!(
        detail.starts_with("Stop → claim-gate: timeout 1 s"),
        "{detail}"
    );
    let fix = rows[0]["fix"].as_str().unwrap();
    let out = run_fix(&sb, fix);
    assert_eq!(code(&out), 0, "{fix}: {}{}", stdout(&out), stderr(&out));
    let (c, v) = doctor(&sb, &[]);
    assert_eq!(c, 0, "{v:#}");
    // A longer timeout is fine: the gate's own deadline still fires first.
    set_stop_timeout(60);
    let (c, v) = doctor(&sb, &[]);
    assert_eq!(c, 0, "{v:#}");
}

#[test]
fn a_short_timeout_is_found_in_every_scope_and_named_for_its_event() {
    let sb = sandbox("doctor-timeout-scopes", true);
    // The project registers zakon too, with a short timeout on a tool hook.
    let project = sb.cwd.join(".claude/settings.json");
    hooks_install(&sb, &build_dir(), &project);
    let mut v: Value = serde_json::from_slice(&std::fs::read(&project).unwrap()).unwrap();
    let pre = v["hooks"]["PreToolUse"].as_array_mut().unwrap();
    pre[0]["hooks"][0]["timeout"] = 1.into();
    std::fs::write(&project, v.to_string()).unwrap();
    let (c, v) = doctor(&sb, &[]);
    assert_eq!(c, 1, "{v:#}");
    let rows = failed(&v);
    let row = rows
        .iter()
        .find(|r| r["detail"].as_str().unwrap().contains("timeout 1 s"))
        .unwrap_or_else(|| panic!("{v:#}"));
    let detail = row["detail"].as_str().unwrap();
    assert!(detail.starts_with("PreToolUse"), "{detail}");
    assert!(detail.contains("project settings"), "{detail}");
    // a tool hook with onFailure "block" is not a Stop hook
    assert!(detail.contains("blocks the tool call"), "{detail}");
    assert!(!detail.contains("Stop hook"), "{detail}");
    let fix = row["fix"].as_str().unwrap();
    let out = run_fix(&sb, fix);
    assert_eq!(code(&out), 0, "{fix}: {}{}", stdout(&out), stderr(&out));
    let (c, v) = doctor(&sb, &[]);
    assert_eq!(c, 0, "{v:#}");
}

#[test]
fn a_broken_config_is_quoted_as_the_users_file_in_whole_sentences() {
    let sb = sandbox("doctor-config-path", true);
    let config = sb.home.join(".claude/zakon/config.json");
    for text in [
        "{ broken",
        r#"{"claim_gate": {"disabled_claim_word": ["ready"]}}"#,
    ] {
        sb.write(&config, text);
        let (c, v) = doctor(&sb, &[]);
        assert_eq!(c, 1, "{text}");
        let gates: Vec<Value> = failed(&v)
            .into_iter()
            .filter(|r| r["check"] == "gate")
            .collect();
        assert!(!gates.is_empty(), "{text}: {v:#}");
        for g in &gates {
            let detail = g["detail"].as_str().unwrap();
            assert!(!detail.contains("zakon-doctor-"), "{text}: {detail}");
            assert!(
                detail.contains("~/.claude/zakon/config.json"),
                "{text}: {detail}"
            );
            assert!(!detail.contains(".."), "{text}: {detail}");
        }
    }
    // The gate itself joins its sentences with one period too.
    sb.write(&config, "{ broken");
    let stop = serde_json::json!({"session_id": "p", "cwd": sb.cwd, "hook_event_name": "Stop",
        "last_assistant_message": "I read the file."});
    let out = sb.run("claim-gate", &[], stop.to_string().as_bytes(), &[]);
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("use the defaults. The gate"),
        "{}",
        stderr(&out)
    );
    assert!(!stderr(&out).contains(".."), "{}", stderr(&out));
}

/// The install.sh alternative of a fix ("(or ./install.sh … from the zakon checkout)"), run
/// as written from the checkout, with this build's zakon on PATH (the one install.sh edits
/// the settings with).
fn run_install_sh_alternative(sb: &Sandbox, fix: &str) -> std::process::Output {
    let alt = fix
        .split("(or ")
        .nth(1)
        .and_then(|a| a.split(" from the zakon checkout").next())
        .filter(|a| a.starts_with("./install.sh"))
        .unwrap_or_else(|| panic!("no install.sh alternative in: {fix}"));
    let mut path = build_dir().into_os_string();
    path.push(":");
    path.push(std::env::var_os("PATH").unwrap_or_default());
    let mut c = std::process::Command::new("sh");
    c.arg("-c")
        .arg(alt)
        .env_clear()
        .env("PATH", path)
        .env("HOME", &sb.home)
        .env("ZAKON_HOME", &sb.home)
        .env("TMPDIR", &sb.tmp)
        .current_dir(env!("CARGO_MANIFEST_DIR"));
    run_with_stdin(c, b"")
}

/// A project's settings still registering an install that moved away: the install.sh
/// alternative names that file (install.sh edits ~/.claude/settings.json unless told), and
/// runs as written from the checkout.
#[test]
fn a_stale_registration_in_project_settings_names_the_file_for_install_sh_too() {
    let sb = sandbox("doctor-fix-stale-project", true);
    let project_settings = sb.cwd.join(".claude/settings.json");
    let gone = sb.root.join("old/bin");
    std::fs::create_dir_all(&gone).unwrap();
    hooks_install(&sb, &gone, &project_settings);
    std::fs::remove_dir_all(&gone).unwrap();
    let (c, v) = doctor(&sb, &[]);
    assert_eq!(c, 1);
    let rows = failed(&v);
    install_sh_only_as_the_checkout_alternative(&rows);
    let stale = rows
        .iter()
        .find(|r| {
            r["check"] == "hook"
                && r["detail"]
                    .as_str()
                    .unwrap()
                    .contains("does not exist or is not executable")
        })
        .unwrap_or_else(|| panic!("{v:#}"));
    let fix = stale["fix"].as_str().unwrap();
    assert!(
        fix.contains(&format!(
            "./install.sh --uninstall --prefix {} --settings {}",
            gone.display(),
            project_settings.display()
        )),
        "{fix}"
    );
    // The user's install keeps its completions, man pages and snapshot store: removing a
    // project's stale entries must not take them (the dry run says the same).
    let man = sb.home.join(".local/share/man/man1/zakon.1");
    let completion = sb
        .home
        .join(".local/share/bash-completion/completions/zakon");
    let snapshots = sb.home.join(".claude/zakon/snapshots");
    sb.write(&man, ".TH zakon 1");
    sb.write(&completion, "complete -F _zakon zakon");
    std::fs::create_dir_all(&snapshots).unwrap();
    let dry = run_install_sh_alternative(&sb, &fix.replace("--uninstall", "--uninstall --dry-run"));
    assert_eq!(code(&dry), 0, "{}{}", stdout(&dry), stderr(&dry));
    let said = stdout(&dry);
    assert!(!said.contains("would remove the snapshot store"), "{said}");
    assert!(
        !said.contains("would remove ") || !said.contains("man1"),
        "{said}"
    );
    assert!(
        said.contains("would keep the completions, man pages and snapshot store"),
        "{said}"
    );
    let out = run_install_sh_alternative(&sb, fix);
    assert_eq!(code(&out), 0, "{fix}: {}{}", stdout(&out), stderr(&out));
    assert!(
        man.exists() && completion.exists() && snapshots.exists(),
        "{}",
        stdout(&out)
    );
    assert!(
        stdout(&out).contains("kept the completions, man pages and snapshot store"),
        "{}",
        stdout(&out)
    );
    let text = std::fs::read_to_string(&project_settings).unwrap_or_default();
    assert!(!text.contains(gone.to_str().unwrap()), "{text}");
    // The user's own install is untouched: doctor is green again.
    let (c, v) = doctor(&sb, &[]);
    assert_eq!(c, 0, "{v:#}");
}

/// A misspelled top-level config key stops zakon-registry too; the registry row's fix names
/// the config file to repair, never an option `zakon doctor` does not have.
#[test]
fn a_broken_config_gives_the_registry_row_a_real_step() {
    let sb = sandbox("doctor-fix-registry-config", true);
    let config = sb.write(
        &sb.home.join(".claude/zakon/config.json"),
        r#"{"registri": {"path": "x"}}"#,
    );
    let (c, v) = doctor(&sb, &[]);
    assert_eq!(c, 1);
    let rows = failed(&v);
    let reg = rows
        .iter()
        .find(|r| r["check"] == "registry")
        .unwrap_or_else(|| panic!("{v:#}"));
    let fix = reg["fix"].as_str().unwrap();
    assert!(!fix.contains("--registry"), "{fix}");
    assert!(fix.contains(".claude/zakon/config.json"), "{fix}");
    assert!(rows.iter().any(|r| r["check"] == "config"), "{v:#}");
    // zakon-registry's own FIX names the file, and the option it offers exists.
    let out = sb.run("zakon-registry", &["stats"], b"", &[]);
    assert_eq!(code(&out), 3, "{}", stderr(&out));
    assert!(
        stderr(&out).contains(".claude/zakon/config.json (or move it aside"),
        "{}",
        stderr(&out)
    );
    let registry = sb.home.join("system/rules/zakon-registry.json");
    let out = sb.run(
        "zakon-registry",
        &["--registry", registry.to_str().unwrap(), "stats"],
        b"",
        &[],
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    // Fixed as the config row says, both rows pass.
    std::fs::remove_file(&config).unwrap();
    let (c, v) = doctor(&sb, &[]);
    assert_eq!(c, 0, "{v:#}");
}
