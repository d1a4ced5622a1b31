//! Managed mode end to end in a temporary root (`install.sh --managed --root DIR`, never the
//! real /etc): the install's files and their ownership, idempotence, uninstall, doctor
//! --managed, and the gates' own behaviour once the root-owned config exists — they ignore
//! `$ZAKON_REGISTRY`/`$ZAKON_CONFIG`/`$HOME`, and `BLUEPRINT_OVERRIDE` needs root's approval
//! file. The real client is exercised by `e2e/` (scenarios `managed_*`).
//!
//! Managed files must be owned by uid 0, so these tests need root; as another user they
//! print why and return (CI runs them as root).

mod support;
use serde_json::{Value, json};
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use support::*;

fn is_root() -> bool {
    std::fs::metadata("/proc/self").is_ok_and(|m| m.uid() == 0)
}

fn not_root(test: &str) -> bool {
    if is_root() {
        return false;
    }
    eprintln!("{test}: not run — managed files must be owned by uid 0 and this is not root");
    true
}

fn build_dir() -> PathBuf {
    bin_path("zakon").parent().unwrap().to_path_buf()
}

/// A managed root inside the sandbox (mode 0755, as root makes it).
fn managed_root(sb: &Sandbox) -> PathBuf {
    let root = sb.root.join("mroot");
    std::fs::create_dir_all(&root).unwrap();
    std::fs::set_permissions(&sb.root, std::fs::Permissions::from_mode(0o755)).unwrap();
    std::fs::set_permissions(&root, std::fs::Permissions::from_mode(0o755)).unwrap();
    root
}

fn install_sh(sb: &Sandbox, args: &[&str]) -> Output {
    let mut c = Command::new(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("install.sh"));
    c.env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", &sb.home)
        .env("TMPDIR", &sb.tmp)
        .current_dir(&sb.cwd)
        .args(args);
    c.output().unwrap()
}

fn install(sb: &Sandbox, root: &Path) {
    let reg = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("registry/zakon-registry.json");
    let o = install_sh(
        sb,
        &[
            "--managed",
            "--root",
            root.to_str().unwrap(),
            "--from",
            build_dir().to_str().unwrap(),
            "--registry-source",
            reg.to_str().unwrap(),
        ],
    );
    assert_eq!(code(&o), 0, "{}{}", stdout(&o), stderr(&o));
    // A staging root changes nothing on this machine, and the last line says so (it used to
    // say every user's Claude Code now runs the gates).
    let out = stdout(&o);
    let done = out.lines().rfind(|l| l.starts_with("Done:")).unwrap_or("");
    assert!(
        done.contains("staging root") && done.contains("changes nothing on this machine"),
        "{out}"
    );
    assert!(!done.contains("now runs the gates"), "{out}");
}

const DROP_IN: &str = "etc/claude-code/managed-settings.d/50-zakon.json";

#[test]
fn install_writes_root_owned_files_once_and_uninstall_removes_them() {
    if not_root("install_writes_root_owned_files") {
        return;
    }
    let sb = Sandbox::new("managed-install");
    let root = managed_root(&sb);
    // A dry run writes nothing.
    let o = install_sh(
        &sb,
        &[
            "--managed",
            "--root",
            root.to_str().unwrap(),
            "--from",
            build_dir().to_str().unwrap(),
            "--dry-run",
        ],
    );
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(stdout(&o).contains("\"allowManagedHooksOnly\": true"));
    assert_eq!(
        std::fs::read_dir(&root).unwrap().count(),
        0,
        "dry run wrote files"
    );

    install(&sb, &root);
    for (rel, mode) in [
        (DROP_IN, 0o644),
        ("etc/zakon/config.json", 0o644),
        ("etc/zakon/zakon-registry.json", 0o644),
        ("etc/zakon/approvals", 0o755),
        ("usr/local/lib/zakon/bin/claim-gate", 0o755),
        ("usr/local/lib/zakon/bin/zakon", 0o755),
    ] {
        let m = std::fs::metadata(root.join(rel)).unwrap();
        assert_eq!((m.uid(), m.mode() & 0o7777), (0, mode), "{rel}");
    }
    let drop_in: Value =
        serde_json::from_str(&std::fs::read_to_string(root.join(DROP_IN)).unwrap()).unwrap();
    assert_eq!(drop_in["allowManagedHooksOnly"], json!(true));
    assert_eq!(
        drop_in["env"],
        json!({"LD_PRELOAD": "", "LD_AUDIT": "", "LD_LIBRARY_PATH": "",
               "ZAKON_CONFIG": "/etc/zakon/config.json",
               "ZAKON_REGISTRY": "/etc/zakon/zakon-registry.json"})
    );
    assert_eq!(
        drop_in["hooks"]["Stop"][0]["hooks"][0]["command"],
        json!("/usr/local/lib/zakon/bin/claim-gate")
    );
    let dir = root.join("etc/claude-code/managed-settings.d");
    let names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        names,
        vec!["50-zakon.json"],
        "no temporary file left beside the drop-in"
    );

    // A second install changes nothing.
    let before = std::fs::read(root.join(DROP_IN)).unwrap();
    install(&sb, &root);
    assert_eq!(std::fs::read(root.join(DROP_IN)).unwrap(), before);

    // `zakon hooks show --managed` prints the installed file as it is.
    let o = sb.run(
        "zakon",
        &[
            "hooks",
            "show",
            "--managed",
            "--root",
            root.to_str().unwrap(),
        ],
        b"",
        &[],
    );
    assert_eq!(o.stdout, before);

    // Uninstall keeps /etc/zakon unless --purge; a second uninstall says nothing matched.
    let from = build_dir();
    let uninstall = |extra: &[&str]| {
        let mut args = vec![
            "--managed",
            "--uninstall",
            "--root",
            root.to_str().unwrap(),
            "--from",
            from.to_str().unwrap(),
        ];
        args.extend_from_slice(extra);
        install_sh(&sb, &args)
    };
    let o = uninstall(&["--dry-run"]);
    assert_eq!(code(&o), 0);
    assert!(root.join(DROP_IN).exists(), "dry run removed the drop-in");
    let o = uninstall(&[]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    // A staging root puts no gate of this machine into managed mode: only the real /etc does.
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(!text.contains("any zakon binary on this machine"), "{text}");
    assert!(text.contains("staging root"), "{text}");
    assert!(!root.join(DROP_IN).exists());
    assert!(!root.join("usr/local/lib/zakon/bin").exists());
    assert!(root.join("etc/zakon/config.json").exists());
    let o = uninstall(&[]);
    assert_eq!(code(&o), 1);
    assert!(
        stderr(&o).contains("no managed zakon install found"),
        "{}",
        stderr(&o)
    );
    let o = uninstall(&["--purge"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(!root.join("etc/zakon").exists());
}

#[test]
fn managed_install_refuses_a_non_root_user_before_writing() {
    if not_root("managed_install_refuses") {
        return;
    }
    let sb = Sandbox::new("managed-nonroot");
    let root = managed_root(&sb);
    let o = Command::new("setpriv")
        .args(["--reuid=65534", "--regid=65534", "--clear-groups", "--"])
        .arg(bin_path("zakon"))
        .args([
            "managed",
            "install",
            "--root",
            root.to_str().unwrap(),
            "--from",
        ])
        .arg(build_dir())
        .output()
        .unwrap();
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    assert!(stderr(&o).contains("run it as root"), "{}", stderr(&o));
    assert_eq!(std::fs::read_dir(&root).unwrap().count(), 0);
}

/// A PreToolUse Write of `file` with `content`.
fn write_input(sb: &Sandbox, file: &Path, content: &str) -> Vec<u8> {
    json!({"session_id": "m1", "cwd": sb.cwd, "hook_event_name": "PreToolUse",
           "tool_name": "Write", "tool_input": {"file_path": file, "content": content}})
    .to_string()
    .into_bytes()
}

/// The shipped registry plus an entry approving `zakon-mine.md`: what an agent would put
/// in a registry of its own.
fn agents_registry(sb: &Sandbox) -> PathBuf {
    let mut reg: Value = serde_json::from_str(
        &std::fs::read_to_string(
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("registry/zakon-registry.json"),
        )
        .unwrap(),
    )
    .unwrap();
    reg["registry"].as_array_mut().unwrap().push(json!({
        "zakon_id": "mine", "file_path": "~/system/rules/zakon-mine.md", "mc_task": 1,
        "ceo_approved_token": "[CEO_APPROVED]", "status": "active"}));
    sb.write(&sb.root.join("agent/registry.json"), reg.to_string())
}

#[test]
fn gates_in_managed_mode_ignore_the_agents_env_and_need_approval_files() {
    if not_root("gates_in_managed_mode") {
        return;
    }
    let sb = Sandbox::new("managed-gates");
    let root = managed_root(&sb);
    install(&sb, &root);
    // The passwd home of uid 0 inside the managed root is the sandbox home; $HOME is not.
    sb.write(
        &root.join("etc/passwd"),
        format!("root:x:0:0:root:{}:/bin/sh\n", sb.home.display()),
    );
    std::fs::set_permissions(
        root.join("etc/passwd"),
        std::fs::Permissions::from_mode(0o644),
    )
    .unwrap();
    let elsewhere = sb.root.join("agent-home");
    std::fs::create_dir_all(&elsewhere).unwrap();
    let registry = agents_registry(&sb);
    let rule = sb.home.join("system/rules/zakon-mine.md");
    let input = write_input(&sb, &rule, "# mine\n");
    let root_env = ("ZAKON_MANAGED_ROOT", root.to_str().unwrap());
    let reg_env = ("ZAKON_REGISTRY", registry.to_str().unwrap());

    // Control: a user install takes the agent's registry and allows its rule file.
    let o = sb.run("blueprint-gate", &[], &input, &[reg_env]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));

    // Managed: the registry is root's, so the same write is blocked, and the block is
    // audited in the passwd home although $HOME points elsewhere.
    let o = sb.run(
        "blueprint-gate",
        &[],
        &input,
        &[root_env, reg_env, ("HOME", elsewhere.to_str().unwrap())],
    );
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    assert!(stderr(&o).contains("zakon-mine.md"), "{}", stderr(&o));
    assert_eq!(sb.audit_lines().len(), 1);
    assert!(!elsewhere.join(".claude/zakon/audit.jsonl").exists());

    // An override root anyone could have built is ignored: world-writable → user mode.
    let loose = sb.root.join("loose");
    std::fs::create_dir_all(loose.join("etc/zakon")).unwrap();
    std::fs::write(loose.join("etc/zakon/config.json"), "{}").unwrap();
    std::fs::set_permissions(&loose, std::fs::Permissions::from_mode(0o777)).unwrap();
    let o = sb.run(
        "blueprint-gate",
        &[],
        &input,
        &[("ZAKON_MANAGED_ROOT", loose.to_str().unwrap()), reg_env],
    );
    assert_eq!(
        code(&o),
        0,
        "a world-writable override root must not count: {}",
        stderr(&o)
    );

    // BLUEPRINT_OVERRIDE: without root's approval file it does not count in managed mode.
    let bp = sb.cwd.join("BUILD-BLUEPRINT.md");
    let input = write_input(&sb, &bp, "Owner: me\n");
    let over = ("BLUEPRINT_OVERRIDE", "ceo-approved-4711");
    let o = sb.run("blueprint-gate", &[], &input, &[root_env, over]);
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    assert!(stderr(&o).contains("approvals"), "{}", stderr(&o));
    let approval = root.join("etc/zakon/approvals/4711");
    std::fs::write(&approval, "approved by the CEO in MC #4711\n").unwrap();
    std::fs::set_permissions(&approval, std::fs::Permissions::from_mode(0o666)).unwrap();
    let o = sb.run("blueprint-gate", &[], &input, &[root_env, over]);
    assert_eq!(
        code(&o),
        2,
        "a world-writable approval must not count: {}",
        stderr(&o)
    );
    std::fs::set_permissions(&approval, std::fs::Permissions::from_mode(0o644)).unwrap();
    let o = sb.run("blueprint-gate", &[], &input, &[root_env, over]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(sb.audit_lines().iter().any(|l| l["decision"] == "override"));

    // A managed config that is not safely root-owned makes every in-scope gate fail closed.
    std::fs::set_permissions(
        root.join("etc/zakon/config.json"),
        std::fs::Permissions::from_mode(0o666),
    )
    .unwrap();
    let o = sb.run("blueprint-gate", &[], &input, &[root_env]);
    assert_eq!(code(&o), 2);
}

#[test]
fn doctor_managed_checks_ownership_pins_and_user_env() {
    if not_root("doctor_managed") {
        return;
    }
    let sb = Sandbox::new("managed-doctor");
    let root = managed_root(&sb);
    install(&sb, &root);
    let doctor = |sb: &Sandbox| {
        sb.run(
            "zakon",
            &["doctor", "--managed", "--root", root.to_str().unwrap()],
            b"",
            &[],
        )
    };
    let o = doctor(&sb);
    assert_eq!(code(&o), 0, "{}", stdout(&o));
    assert!(
        stdout(&o).contains("allowManagedHooksOnly true"),
        "{}",
        stdout(&o)
    );

    // User settings env that reaches zakon is listed; HOME and the override are explained.
    sb.write(
        &sb.home.join(".claude/settings.json"),
        r#"{"env": {"LD_PRELOAD": "/x.so", "HOME": "/tmp", "BLUEPRINT_OVERRIDE": "ceo-approved-1"}}"#,
    );
    let out = stdout(&doctor(&sb));
    for want in [
        "env.LD_PRELOAD reaches zakon but the managed pin wins",
        "env.HOME",
        "env.BLUEPRINT_OVERRIDE",
    ] {
        assert!(out.contains(want), "{want}: {out}");
    }

    // A writable config, a drop-in without the pin, and a later drop-in that undoes it.
    let config = root.join("etc/zakon/config.json");
    std::fs::set_permissions(&config, std::fs::Permissions::from_mode(0o666)).unwrap();
    let drop = root.join(DROP_IN);
    let text = std::fs::read_to_string(&drop).unwrap();
    std::fs::write(&drop, text.replace("\"LD_PRELOAD\": \"\",", "")).unwrap();
    std::fs::write(
        root.join("etc/claude-code/managed-settings.d/90-other.json"),
        r#"{"disableAllHooks": true}"#,
    )
    .unwrap();
    let o = doctor(&sb);
    let out = stdout(&o);
    assert_eq!(code(&o), 1, "{out}");
    for want in [
        "config.json: ",
        "is writable by others (mode 666)",
        "env.LD_PRELOAD is None",
        "90-other.json sets disableAllHooks: true",
        "env.LD_PRELOAD reaches the gates and the drop-in does not pin it",
    ] {
        assert!(out.contains(want), "{want}: {out}");
    }
}
