//! install.sh as a user meets it: the commands land on PATH (links in ~/.local/bin, or the
//! exact line to add), completions and man pages are installed, uninstall finds the install
//! from the registrations without --prefix and says plainly when nothing matched, leaves no
//! `{}` where there was no settings file, --purge asks first, and --dry-run never builds.

mod support;
use serde_json::json;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use support::*;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn build_dir() -> PathBuf {
    bin_path("zakon").parent().unwrap().to_path_buf()
}

/// install.sh with the debug build, this sandbox's HOME and `path` as PATH (prepended to the
/// test's own, so sh and cmp are found).
fn install_sh(sb: &Sandbox, args: &[&str], path_first: Option<&Path>, prebuilt: bool) -> Output {
    let mut c = Command::new("sh");
    c.arg(repo().join("install.sh"));
    if prebuilt {
        c.arg("--no-build").arg("--from").arg(build_dir());
    }
    c.arg("--registry-source")
        .arg(repo().join("registry/zakon-registry.json"))
        .arg("--no-doctor")
        .args(args);
    let base = std::env::var_os("PATH").unwrap_or_default();
    let path = match path_first {
        Some(p) => {
            let mut v = p.as_os_str().to_os_string();
            v.push(":");
            v.push(&base);
            v
        }
        None => base,
    };
    c.env_clear()
        .env("PATH", path)
        .env("HOME", &sb.home)
        .env("TMPDIR", &sb.tmp)
        .current_dir(&sb.cwd);
    run_with_stdin(c, b"")
}

#[test]
fn commands_are_linked_into_local_bin_when_it_is_on_path() {
    let sb = Sandbox::new("inst-path");
    let local_bin = sb.home.join(".local/bin");
    let out = install_sh(&sb, &[], Some(&local_bin), true);
    assert_eq!(code(&out), 0, "{}{}", stdout(&out), stderr(&out));
    let prefix = sb.home.join(".claude/zakon/bin");
    for b in BINS {
        let link = local_bin.join(b);
        assert_eq!(std::fs::read_link(&link).unwrap(), prefix.join(b), "{b}");
    }
    // The commands run by name, as messages and the README write them.
    let mut c = Command::new("sh");
    c.arg("-c")
        .arg("zakon-registry list >/dev/null && claim-gate --version && zakon --version")
        .env_clear()
        .env("PATH", format!("{}:/usr/bin:/bin", local_bin.display()))
        .env("HOME", &sb.home);
    let out = c.output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));

    // Completions and man pages, where bash-completion, zsh, fish and man look.
    for f in [
        ".local/share/bash-completion/completions/zakon",
        ".local/share/bash-completion/completions/claim-gate",
        ".local/share/zsh/site-functions/_zakon",
        ".config/fish/completions/zakon.fish",
        ".local/share/man/man1/zakon.1",
        ".local/share/man/man1/blueprint-gate.1",
    ] {
        let text = std::fs::read_to_string(sb.home.join(f)).unwrap_or_else(|e| panic!("{f}: {e}"));
        assert!(text.contains("zakon") || text.contains("gate"), "{f}");
    }
    // A second install changes nothing and says nothing about links.
    let again = install_sh(&sb, &[], Some(&local_bin), true);
    assert_eq!(code(&again), 0);
    assert!(!stdout(&again).contains("linked"), "{}", stdout(&again));
    // Nor claims to have installed anything: every file is already identical.
    let said = stdout(&again);
    let installed: Vec<&str> = said.lines().filter(|l| l.contains("installed")).collect();
    assert_eq!(
        installed,
        ["~/.claude/settings.json: zakon hooks already installed; nothing written."],
        "{said}"
    );
    assert!(
        said.contains(&format!(
            "completions (bash, zsh, fish) and man pages up to date under {}",
            sb.home.join(".local/share").display()
        )),
        "{said}"
    );
    // A completion file that differs is written again, and said so.
    let fish = sb.home.join(".config/fish/completions/zakon.fish");
    std::fs::write(&fish, "# edited\n").unwrap();
    let again = install_sh(&sb, &[], Some(&local_bin), true);
    assert_eq!(code(&again), 0);
    assert!(
        stdout(&again).contains("installed completions (bash, zsh, fish) and man pages"),
        "{}",
        stdout(&again)
    );
    assert!(std::fs::read_to_string(&fish).unwrap().contains("zakon"));

    // Uninstall takes the links, completions and man pages away too, and says so.
    let verdicts = sb.write(
        &sb.home.join("system/state/validator-verdicts.jsonl"),
        "{}\n",
    );
    let out = install_sh(&sb, &["--uninstall"], Some(&local_bin), false);
    assert_eq!(code(&out), 0, "{}{}", stdout(&out), stderr(&out));
    let said = stdout(&out);
    for f in [
        ".local/share/man/man1/zakon.1",
        ".config/fish/completions/zakon.fish",
        ".claude/zakon/snapshots",
    ] {
        let shown = sb.home.join(f);
        assert!(
            said.contains(&format!("removed {}", shown.display()))
                || said.contains(&format!("snapshot store {}", shown.display())),
            "{f} not reported:\n{said}"
        );
    }
    assert!(
        said.contains(&format!("kept {}", verdicts.display())),
        "{said}"
    );
    for b in BINS {
        assert!(
            std::fs::symlink_metadata(local_bin.join(b)).is_err(),
            "{b} link left"
        );
    }
    assert!(!sb.home.join(".local/share/man/man1/zakon.1").exists());
    assert!(
        !sb.home
            .join(".local/share/bash-completion/completions/zakon")
            .exists()
    );
}

#[test]
fn without_local_bin_on_path_the_exact_line_is_printed() {
    let sb = Sandbox::new("inst-noline");
    let out = install_sh(&sb, &[], None, true);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let prefix = sb.home.join(".claude/zakon/bin");
    let line = format!("  export PATH=\"{}:$PATH\"", prefix.display());
    assert!(
        stdout(&out).lines().any(|l| l == line),
        "{line} not in:\n{}",
        stdout(&out)
    );
    assert!(!sb.home.join(".local/bin/zakon").exists());
    // The printed line works as written.
    let mut c = Command::new("sh");
    c.arg("-c")
        .arg(format!("{}; zakon --version", line.trim()))
        .env_clear()
        .env("PATH", "/usr/bin:/bin");
    assert!(c.output().unwrap().status.success());
}

#[test]
fn uninstall_finds_the_install_from_the_registrations() {
    let sb = Sandbox::new("inst-find");
    let prefix = sb.root.join("opt/zakon bin");
    let out = install_sh(&sb, &["--prefix", prefix.to_str().unwrap()], None, true);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(prefix.join("claim-gate").exists());
    let state = sb.write(&sb.home.join(".claude/zakon/state/mc-tasks.json"), "{}");
    // No --prefix: the registrations' absolute paths say where it is.
    let out = install_sh(&sb, &["--uninstall"], None, false);
    assert_eq!(code(&out), 0, "{}{}", stdout(&out), stderr(&out));
    // artifact-gate's state is data, kept and listed as kept.
    assert!(state.exists());
    let kept = format!("  kept {}", sb.home.join(".claude/zakon/state").display());
    assert!(stdout(&out).contains(&kept), "{}", stdout(&out));
    for b in BINS {
        assert!(!prefix.join(b).exists(), "{b} left in {}", prefix.display());
    }
    // There was no settings file before the install: none is left (not `{}`).
    assert!(
        !sb.home.join(".claude/settings.json").exists(),
        "{:?}",
        std::fs::read_to_string(sb.home.join(".claude/settings.json"))
    );
    // Nothing left: said plainly, exit 1.
    let out = install_sh(&sb, &["--uninstall"], None, false);
    assert_eq!(code(&out), 1);
    assert!(
        stderr(&out).contains("nothing to uninstall"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn zakon_hooks_uninstall_without_bin_dir_and_with_nothing_registered() {
    let sb = Sandbox::new("hooks-uninstall-find");
    let settings = sb.home.join(".claude/settings.json");
    let s = settings.to_str().unwrap();
    let out = sb.run("zakon", &["hooks", "uninstall", "--settings", s], b"", &[]);
    assert_eq!(code(&out), 1);
    assert!(
        stderr(&out).contains("nothing to uninstall"),
        "{}",
        stderr(&out)
    );
    assert!(!settings.exists());
    let other = sb.root.join("elsewhere");
    std::fs::create_dir_all(&other).unwrap();
    for b in BINS {
        std::fs::copy(build_dir().join(b), other.join(b)).unwrap();
    }
    sb.write(&settings, json!({"model": "opus"}).to_string());
    let o = other.to_str().unwrap();
    let out = sb.run(
        "zakon",
        &["hooks", "install", "--bin-dir", o, "--settings", s],
        b"",
        &[],
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let out = sb.run("zakon", &["hooks", "locate", "--settings", s], b"", &[]);
    assert_eq!(stdout(&out).trim(), o);
    let out = sb.run("zakon", &["hooks", "uninstall", "--settings", s], b"", &[]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&std::fs::read_to_string(&settings).unwrap())
            .unwrap(),
        json!({"model": "opus"})
    );
}

#[test]
fn purge_asks_first_and_needs_yes_without_a_terminal() {
    let sb = Sandbox::new("inst-purge");
    assert_eq!(code(&install_sh(&sb, &[], None, true)), 0);
    let data = [
        sb.home.join(".claude/zakon/audit.jsonl"),
        sb.home.join(".claude/zakon/violations.jsonl"),
        sb.home.join("system/state/last-validator-verdict.json"),
        sb.home.join(".claude/zakon/state/mc-tasks.json"),
        sb.home.join(".claude/zakon/state/mc-tasks.stamp"),
        // claim-gate's dedup cache, in the TMPDIR install.sh runs with
        sb.tmp.join("last-violations-s1.sha"),
    ];
    for d in &data {
        sb.write(d, "{}\n");
    }
    // Another user's dedup cache in the same directory is not ours to delete.
    let foreign = sb.write(&sb.tmp.join("last-violations-other.sha"), "x\n");
    let chowned = Command::new("chown")
        .args(["65534", foreign.to_str().unwrap()])
        .output()
        .is_ok_and(|o| o.status.success());
    if !chowned {
        eprintln!("note: not root, so no file of another user can be made; that case is not run");
    }
    // What --purge would delete is listed, state directory and dedup cache included.
    let out = install_sh(&sb, &["--uninstall", "--purge", "--dry-run"], None, false);
    let so = stdout(&out);
    assert_eq!(code(&out), 0, "{so}{}", stderr(&out));
    for d in [
        sb.home.join(".claude/zakon/state"),
        sb.tmp.join("last-violations-s1.sha"),
    ] {
        assert!(
            so.contains(&format!("would delete (--purge) {}", d.display())),
            "{so}"
        );
    }
    assert!(!so.contains("last-violations-other"), "{so}");
    let out = install_sh(&sb, &["--uninstall", "--purge"], None, false);
    assert_eq!(code(&out), 1);
    assert!(stderr(&out).contains("add --yes"), "{}", stderr(&out));
    assert!(
        sb.home.join(".claude/zakon/bin/zakon").exists(),
        "removed before asking"
    );
    assert!(data.iter().all(|d| d.exists()));

    let out = install_sh(&sb, &["--uninstall", "--purge", "--yes"], None, false);
    assert_eq!(code(&out), 0, "{}{}", stdout(&out), stderr(&out));
    assert!(data.iter().all(|d| !d.exists()), "{}", stdout(&out));
    assert!(!sb.home.join(".claude/zakon/bin/zakon").exists());
    // Nothing of zakon's is left under ~/.claude/zakon, so the directory is gone too.
    assert!(!sb.home.join(".claude/zakon").exists(), "{}", stdout(&out));
    if chowned {
        assert!(foreign.exists(), "another user's dedup cache was deleted");
    }
    // The organisation's registry stays.
    assert!(sb.home.join("system/rules/zakon-registry.json").exists());
}

#[test]
fn purge_on_a_terminal_deletes_only_after_yes() {
    let sb = Sandbox::new("inst-purge-tty");
    if tty::script().is_none() {
        eprintln!("skipped: util-linux `script` is not installed, so no terminal can be made");
        return;
    }
    assert_eq!(code(&install_sh(&sb, &[], None, true)), 0);
    let audit = sb.write(&sb.home.join(".claude/zakon/audit.jsonl"), "{}\n");
    let state = sb.write(&sb.home.join(".claude/zakon/state/mc-tasks.json"), "{}");
    let cache = sb.write(&sb.tmp.join("last-violations-t1.sha"), "x\n");
    let mut base = sb.cmd("zakon");
    base.env("PATH", std::env::var_os("PATH").unwrap_or_default());
    let words: Vec<String> = [
        "sh",
        repo().join("install.sh").to_str().unwrap(),
        "--uninstall",
        "--purge",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    // stdin of the terminal is empty: no answer is a no.
    let out = tty::run(base, &words);
    assert_eq!(code(&out), 1, "{}", stdout(&out));
    assert!(
        stdout(&out).contains("Delete these files? [y/N]"),
        "{}",
        stdout(&out)
    );
    // The list shown before the question names every path it would delete.
    let asked = stdout(&out);
    let list = asked.split("Delete these files?").next().unwrap();
    for p in [&audit, &state.parent().unwrap().to_path_buf(), &cache] {
        assert!(
            list.contains(&p.display().to_string()),
            "{} not listed:\n{asked}",
            p.display()
        );
    }
    assert!(audit.exists() && state.exists() && cache.exists());
    assert!(sb.home.join(".claude/zakon/bin/zakon").exists());
}

/// A `cargo` that records being run: (its directory, for PATH; the file it touches).
fn recording_cargo(sb: &Sandbox) -> (std::path::PathBuf, std::path::PathBuf) {
    let fake = sb.root.join("fakebin");
    let marker = sb.root.join("cargo-ran");
    sb.write(
        &fake.join("cargo"),
        format!("#!/bin/sh\ntouch '{}'\nexit 1\n", marker.display()),
    );
    std::fs::set_permissions(
        fake.join("cargo"),
        std::os::unix::fs::PermissionsExt::from_mode(0o755),
    )
    .unwrap();
    (fake, marker)
}

#[test]
fn dry_run_never_builds() {
    let sb = Sandbox::new("inst-dry");
    let (fake, marker) = recording_cargo(&sb);
    let out = install_sh(&sb, &["--dry-run"], Some(&fake), false);
    assert_eq!(code(&out), 0, "{}{}", stdout(&out), stderr(&out));
    assert!(!marker.exists(), "--dry-run ran cargo:\n{}", stdout(&out));
    assert!(stdout(&out).contains("dry run"), "{}", stdout(&out));
    assert!(!sb.home.join(".claude/settings.json").exists());
    assert!(!sb.home.join(".claude/zakon/bin").exists());
}

#[test]
fn uninstall_never_builds() {
    let sb = Sandbox::new("inst-unbuild");
    // An uninstall (plain or managed, with --purge) uses the installed zakon or one already
    // built, never a build (under sudo there is no cargo).
    let (fake, marker) = recording_cargo(&sb);
    let root = sb.root.join("managed-root");
    let root_arg = root.display().to_string();
    for args in [
        vec!["--uninstall"],
        vec![
            "--managed",
            "--uninstall",
            "--purge",
            "--yes",
            "--root",
            &root_arg,
        ],
    ] {
        let out = install_sh(&sb, &args, Some(&fake), false);
        assert!(
            !marker.exists(),
            "{args:?} ran cargo:\n{}{}",
            stdout(&out),
            stderr(&out)
        );
        // nothing is installed: it says so and exits 1
        assert_eq!(code(&out), 1, "{args:?}: {}{}", stdout(&out), stderr(&out));
    }
}

#[test]
fn installing_at_another_prefix_moves_the_install() {
    let sb = Sandbox::new("inst-move");
    let local_bin = sb.home.join(".local/bin");
    let out = install_sh(&sb, &[], Some(&local_bin), true);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let old = sb.home.join(".claude/zakon/bin");
    let new = sb.root.join("opt/zakon");
    let settings_file = sb.home.join(".claude/settings.json");
    let before = std::fs::read_to_string(&settings_file).unwrap();

    // The dry run shows what the real run does: the old registrations leave the diff, the
    // links are relinked (not "left alone"), and nothing is written.
    let out = install_sh(
        &sb,
        &["--prefix", new.to_str().unwrap(), "--dry-run"],
        Some(&local_bin),
        true,
    );
    let (so, se) = (stdout(&out), stderr(&out));
    assert_eq!(code(&out), 0, "{so}{se}");
    assert!(
        so.contains(&format!("would move the install from {}", old.display())),
        "{so}"
    );
    assert!(!se.contains("is not zakon's link"), "{se}");
    for b in BINS {
        let want = format!(
            "would relink {} -> {}",
            local_bin.join(b).display(),
            new.join(b).display()
        );
        assert!(so.contains(&want), "{want}\n{so}");
    }
    let removed: Vec<&str> = so.lines().filter(|l| l.starts_with("-  ")).collect();
    let added: Vec<&str> = so.lines().filter(|l| l.starts_with("+  ")).collect();
    for gate in ["claim-gate", "artifact-gate", "blueprint-gate"] {
        let o = old.join(gate).display().to_string();
        let n = new.join(gate).display().to_string();
        assert!(
            removed.iter().any(|l| l.contains(&o)),
            "{o} not removed:\n{so}"
        );
        assert!(!added.iter().any(|l| l.contains(&o)), "{o} kept:\n{so}");
        assert!(added.iter().any(|l| l.contains(&n)), "{n} not added:\n{so}");
    }
    assert_eq!(std::fs::read_to_string(&settings_file).unwrap(), before);
    assert!(!new.exists(), "the dry run wrote {}", new.display());

    let out = install_sh(
        &sb,
        &["--prefix", new.to_str().unwrap()],
        Some(&local_bin),
        true,
    );
    assert_eq!(code(&out), 0, "{}{}", stdout(&out), stderr(&out));
    assert!(
        stdout(&out).contains(&format!("removed the previous one in {}", old.display())),
        "{}",
        stdout(&out)
    );
    assert!(!stderr(&out).contains("also runs"), "{}", stderr(&out));
    // One install is registered: the new one; the old binaries and links are gone.
    let settings = std::fs::read_to_string(sb.home.join(".claude/settings.json")).unwrap();
    assert!(!settings.contains(old.to_str().unwrap()), "{settings}");
    for b in BINS {
        assert!(!old.join(b).exists(), "{b} left in the old prefix");
        assert!(new.join(b).exists(), "{b} missing in the new prefix");
        assert_eq!(std::fs::read_link(local_bin.join(b)).unwrap(), new.join(b));
    }
    // No gate puts the old binaries back: the snapshot store follows the move.
    let mut c = Command::new(new.join("claim-gate"));
    c.env_clear().env("HOME", &sb.home).current_dir(&sb.cwd);
    let stop = json!({"hook_event_name": "Stop", "session_id": "move",
        "last_assistant_message": "I read the file; nothing changed."});
    let out = run_with_stdin(c, stop.to_string().as_bytes());
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(
        !old.join("claim-gate").exists(),
        "the old install came back"
    );
}

#[test]
fn uninstalling_another_settings_file_keeps_binaries_the_default_one_runs() {
    let sb = Sandbox::new("inst-two-settings");
    let other = sb.root.join("s3.json");
    assert_eq!(code(&install_sh(&sb, &[], None, true)), 0);
    let o = other.to_str().unwrap();
    assert_eq!(code(&install_sh(&sb, &["--settings", o], None, true)), 0);
    // The dry run says what the real run does.
    let dry = install_sh(
        &sb,
        &["--uninstall", "--settings", o, "--dry-run"],
        None,
        false,
    );
    assert_eq!(code(&dry), 0, "{}", stderr(&dry));
    assert!(
        stdout(&dry).contains("would keep the binaries in"),
        "{}",
        stdout(&dry)
    );
    assert!(!stdout(&dry).contains("would remove /"), "{}", stdout(&dry));
    let out = install_sh(&sb, &["--uninstall", "--settings", o], None, false);
    assert_eq!(code(&out), 0, "{}{}", stdout(&out), stderr(&out));
    assert!(
        stdout(&out).contains("still registers them"),
        "{}",
        stdout(&out)
    );
    // The real run lists the data it kept, as the dry run and a plain uninstall do.
    let registry = sb.home.join("system/rules/zakon-registry.json");
    // the dry run in the conditional ("would keep"), the real run in the past ("kept")
    assert!(
        stdout(&dry).contains(&format!("would keep {}", registry.display())),
        "{}",
        stdout(&dry)
    );
    assert!(
        stdout(&out).contains(&format!("kept {}", registry.display())),
        "{}",
        stdout(&out)
    );
    assert!(
        !other.exists(),
        "the other settings file held only zakon's hooks"
    );
    // ~/.claude/settings.json still runs them, so they are all still there.
    for b in BINS {
        assert!(sb.home.join(".claude/zakon/bin").join(b).exists(), "{b}");
    }
}

#[test]
fn purge_after_a_plain_uninstall_deletes_the_data_it_kept() {
    let sb = Sandbox::new("inst-purge-later");
    assert_eq!(code(&install_sh(&sb, &[], None, true)), 0);
    let audit = sb.write(&sb.home.join(".claude/zakon/audit.jsonl"), "{}\n");
    let out = install_sh(&sb, &["--uninstall"], None, false);
    assert_eq!(code(&out), 0);
    // The message names this command; it works with nothing installed any more.
    assert!(stdout(&out).contains("./install.sh --uninstall --purge deletes it"));
    assert!(audit.exists());
    let out = install_sh(&sb, &["--uninstall", "--purge", "--yes"], None, false);
    assert_eq!(code(&out), 0, "{}{}", stdout(&out), stderr(&out));
    assert!(!audit.exists());
    assert!(sb.home.join("system/rules/zakon-registry.json").exists());
    // Nothing installed and no data: said plainly, exit 1.
    let out = install_sh(&sb, &["--uninstall", "--purge", "--yes"], None, false);
    assert_eq!(code(&out), 1);
}

/// A move to another --prefix rewrites the settings file the user already had, so it leaves
/// the same `settings.json.zakon-backup` as any install that rewrites it: the file exactly as
/// it was before the run (not a half-way state), whether it held only zakon's hooks or more.
#[test]
fn moving_the_install_backs_up_the_settings_file_as_it_was() {
    for (tag, own) in [
        ("only-zakon", None),
        ("with-own", Some(r#"{"model": "opus"}"#)),
    ] {
        let sb = Sandbox::new(&format!("inst-move-backup-{tag}"));
        let settings_file = sb.home.join(".claude/settings.json");
        let backup = sb.home.join(".claude/settings.json.zakon-backup");
        if let Some(text) = own {
            sb.write(&settings_file, text);
        }
        let out = install_sh(&sb, &[], None, true);
        assert_eq!(code(&out), 0, "{tag}: {}", stderr(&out));
        let _ = std::fs::remove_file(&backup);
        let before = std::fs::read_to_string(&settings_file).unwrap();

        let new = sb.root.join("opt/zakon");
        let out = install_sh(&sb, &["--prefix", new.to_str().unwrap()], None, true);
        assert_eq!(code(&out), 0, "{tag}: {}{}", stdout(&out), stderr(&out));
        let after = std::fs::read_to_string(&settings_file).unwrap();
        assert!(after.contains(new.to_str().unwrap()), "{tag}: {after}");
        assert_eq!(
            std::fs::read_to_string(&backup).ok().as_deref(),
            Some(before.as_str()),
            "{tag}: the backup is not the file as it was before the move\n{}",
            stdout(&out)
        );
        // Said as for any install that rewrites the file.
        assert!(
            stdout(&out).contains("(previous version: ~/.claude/settings.json.zakon-backup)"),
            "{tag}: {}",
            stdout(&out)
        );
    }
}

/// `zakon hooks uninstall` without --bin-dir takes out every install the registrations name
/// in one write, so the backup is the file as it was before the run — not the state after
/// the first install directory was taken out.
#[test]
fn uninstalling_two_installs_backs_up_the_settings_file_as_it_was() {
    let sb = Sandbox::new("hooks-uninstall-two");
    let settings = sb.write(
        &sb.home.join(".claude/settings.json"),
        "{\n  \"model\": \"opus\"\n}\n",
    );
    let s = settings.to_str().unwrap();
    let second = sb.root.join("second/bin");
    std::fs::create_dir_all(&second).unwrap();
    // Files are enough: the registrations name the directory, and it must hold them.
    for b in BINS {
        sb.write(&second.join(b), "#!/bin/sh\n");
    }
    for dir in [build_dir(), second.clone()] {
        let d = dir.to_str().unwrap();
        let out = sb.run(
            "zakon",
            &["hooks", "install", "--bin-dir", d, "--settings", s],
            b"",
            &[],
        );
        assert_eq!(code(&out), 0, "{}", stderr(&out));
    }
    let before = std::fs::read_to_string(&settings).unwrap();
    assert!(before.contains(second.to_str().unwrap()), "{before}");
    let out = sb.run("zakon", &["hooks", "uninstall", "--settings", s], b"", &[]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(
        std::fs::read_to_string(&settings).unwrap(),
        "{\n  \"model\": \"opus\"\n}\n"
    );
    let backup = sb.home.join(".claude/settings.json.zakon-backup");
    assert_eq!(std::fs::read_to_string(&backup).unwrap(), before);
    // One write, said once.
    let said = stdout(&out);
    assert_eq!(said.matches("changes written").count(), 1, "{said}");
}

/// The installed `zakon` run as the user runs it in a shell: HOME only, no ZAKON_HOME.
fn installed_zakon(sb: &Sandbox, shell: &str) -> Output {
    let mut c = Command::new("sh");
    c.arg("-c")
        .arg(shell)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", &sb.home)
        .env("TMPDIR", &sb.tmp)
        .current_dir(&sb.cwd);
    run_with_stdin(c, b"")
}

/// An install with `--settings` (the project's settings, no user-scope install) prints a
/// doctor command that names that file and passes; and doctor without `--settings`, run in
/// that project, finds the hooks in the project's settings instead of proposing a second
/// install into the user's.
#[test]
fn the_printed_doctor_command_passes_after_an_install_into_project_settings() {
    let sb = Sandbox::new("inst-project-settings");
    let project = sb.cwd.join(".claude/settings.json");
    let out = install_sh(&sb, &["--settings", project.to_str().unwrap()], None, true);
    assert_eq!(code(&out), 0, "{}{}", stdout(&out), stderr(&out));
    assert!(!sb.home.join(".claude/settings.json").exists());
    let text = stdout(&out);
    let printed = text
        .lines()
        .find_map(|l| l.split_once("Check it any time with: ").map(|(_, c)| c))
        .unwrap_or_else(|| panic!("no doctor command in:\n{text}"));
    assert!(
        printed.ends_with(&format!("doctor --settings {}", project.display())),
        "{printed}"
    );
    let out = installed_zakon(&sb, printed);
    assert_eq!(
        code(&out),
        0,
        "{printed}:\n{}{}",
        stdout(&out),
        stderr(&out)
    );
    let doctor = sb.home.join(".claude/zakon/bin/zakon");
    let out = installed_zakon(&sb, &format!("{} doctor", doctor.display()));
    assert_eq!(code(&out), 0, "{}{}", stdout(&out), stderr(&out));
    assert!(!stdout(&out).contains("not registered"), "{}", stdout(&out));
    assert!(
        stdout(&out).contains("in project settings"),
        "{}",
        stdout(&out)
    );
}

/// A binary the user deleted is reported as missing, with install.sh as the fix. Doctor's
/// probes never trip the install check (which would put the binary back mid-probe and make
/// a sound gate look broken), and they write nothing to the user's audit log. A real hook
/// run afterwards still restores the binary and blocks.
#[test]
fn doctor_reports_a_deleted_binary_and_leaves_no_trace() {
    let sb = Sandbox::new("inst-deleted-binary");
    let out = install_sh(&sb, &[], None, true);
    assert_eq!(code(&out), 0, "{}{}", stdout(&out), stderr(&out));
    let bin = sb.home.join(".claude/zakon/bin");
    let audit = sb.home.join(".claude/zakon/audit.jsonl");
    let audit_before = std::fs::read(&audit).unwrap_or_default();
    std::fs::remove_file(bin.join("artifact-gate")).unwrap();
    let out = installed_zakon(
        &sb,
        &format!("{} doctor --json", bin.join("zakon").display()),
    );
    assert_eq!(code(&out), 1, "{}{}", stdout(&out), stderr(&out));
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let failed: Vec<&serde_json::Value> = v["checks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["ok"] == false)
        .collect();
    assert!(!failed.is_empty());
    for f in &failed {
        let all = f.to_string();
        assert!(all.contains("artifact-gate"), "{f:#}");
        assert!(!all.contains("install-changed"), "{f:#}");
        assert!(!all.contains("zakon bug"), "{f:#}");
        assert!(f["fix"].as_str().unwrap().contains("./install.sh"), "{f:#}");
    }
    assert!(
        failed
            .iter()
            .any(|f| f["check"] == "gate" && f["detail"].as_str().unwrap().contains("missing")),
        "{failed:#?}"
    );
    assert_eq!(std::fs::read(&audit).unwrap_or_default(), audit_before);
    assert!(
        !bin.join("artifact-gate").exists(),
        "doctor put the binary back"
    );

    // A real session: the first gate run puts it back and blocks, as before.
    let hook = serde_json::json!({"session_id": "s1", "cwd": sb.cwd, "hook_event_name": "Stop",
        "last_assistant_message": "I read the file.", "stop_hook_active": false});
    let mut c = Command::new(bin.join("claim-gate"));
    c.env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", &sb.home)
        .env("TMPDIR", &sb.tmp)
        .current_dir(&sb.cwd);
    let out = run_with_stdin(c, hook.to_string().as_bytes());
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    assert!(
        stderr(&out).contains("zakon-install-changed"),
        "{}",
        stderr(&out)
    );
    assert!(bin.join("artifact-gate").exists());
}

/// `--uninstall --dry-run` says "dry run: nothing was written." once, as its last line (the
/// settings preview used to say it in the middle, before the binaries it would remove).
#[test]
fn uninstall_dry_run_says_nothing_was_written_once_at_the_end() {
    let sb = Sandbox::new("inst-uninstall-dry");
    let out = install_sh(&sb, &[], None, true);
    assert_eq!(code(&out), 0, "{}{}", stdout(&out), stderr(&out));
    let settings = std::fs::read(sb.home.join(".claude/settings.json")).unwrap();
    let out = install_sh(&sb, &["--uninstall", "--dry-run"], None, false);
    assert_eq!(code(&out), 0, "{}{}", stdout(&out), stderr(&out));
    let text = stdout(&out);
    assert_eq!(
        text.matches("dry run: nothing was written.").count(),
        1,
        "{text}"
    );
    assert_eq!(
        text.trim_end().lines().last(),
        Some("dry run: nothing was written."),
        "{text}"
    );
    assert!(text.contains("would remove"), "{text}");
    assert_eq!(
        std::fs::read(sb.home.join(".claude/settings.json")).unwrap(),
        settings
    );
}

/// claim-gate judges Stop and SubagentStop only: on any other event it exits 0 before any
/// other work, the install check included (README: that check runs at Stop/SubagentStop).
#[test]
fn claim_gate_leaves_other_events_alone_even_after_an_install_change() {
    let sb = Sandbox::new("inst-claim-scope");
    let out = install_sh(&sb, &[], None, true);
    assert_eq!(code(&out), 0, "{}{}", stdout(&out), stderr(&out));
    let bin = sb.home.join(".claude/zakon/bin");
    std::fs::remove_file(bin.join("artifact-gate")).unwrap();
    let claim_gate = |hook: serde_json::Value| {
        let mut c = Command::new(bin.join("claim-gate"));
        c.env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", &sb.home)
            .env("TMPDIR", &sb.tmp)
            .current_dir(&sb.cwd);
        run_with_stdin(c, hook.to_string().as_bytes())
    };
    for event in [
        "PreToolUse",
        "PostToolUse",
        "UserPromptSubmit",
        "SessionStart",
    ] {
        let out = claim_gate(json!({"session_id": "scope", "cwd": sb.cwd,
            "hook_event_name": event, "tool_name": "Bash",
            "tool_input": {"command": "ls"}}));
        assert_eq!(code(&out), 0, "{event}: {}", stderr(&out));
        assert!(stderr(&out).is_empty(), "{event}: {}", stderr(&out));
        assert!(
            !bin.join("artifact-gate").exists(),
            "{event}: the install check ran"
        );
    }
    // At Stop the check runs, puts the binary back and blocks.
    let out = claim_gate(json!({"session_id": "scope", "cwd": sb.cwd,
        "hook_event_name": "Stop", "last_assistant_message": "I read the file."}));
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    assert!(
        stderr(&out).contains("zakon-install-changed"),
        "{}",
        stderr(&out)
    );
    assert!(bin.join("artifact-gate").exists());
}

/// A missing binary: install.sh recorded its checkout in the install directory, so doctor's
/// fix is a command that runs from anywhere (`cd CHECKOUT && ./install.sh` with the
/// install's --prefix and --settings); without that record it says plainly that the binaries
/// are rebuilt from the zakon source.
#[test]
fn a_missing_binary_fix_names_the_checkout_the_install_came_from() {
    let sb = Sandbox::new("inst-missing-checkout");
    let prefix = sb.root.join("tools/zakon");
    let settings = sb.cwd.join(".claude/settings.json");
    let out = install_sh(
        &sb,
        &[
            "--prefix",
            prefix.to_str().unwrap(),
            "--settings",
            settings.to_str().unwrap(),
        ],
        None,
        true,
    );
    assert_eq!(code(&out), 0, "{}{}", stdout(&out), stderr(&out));
    let note = prefix.join(".zakon-checkout");
    assert_eq!(
        std::fs::read_to_string(&note).unwrap().trim_end(),
        repo().to_str().unwrap()
    );
    std::fs::remove_file(prefix.join("artifact-gate")).unwrap();
    let doctor = format!(
        "{} doctor --json --settings {}",
        prefix.join("zakon").display(),
        settings.display()
    );
    let failed = |out: &Output| -> Vec<serde_json::Value> {
        let v: serde_json::Value = serde_json::from_str(&stdout(out)).unwrap();
        v["checks"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|c| c["ok"] == false)
            .cloned()
            .collect()
    };
    let out = installed_zakon(&sb, &doctor);
    assert_eq!(code(&out), 1, "{}{}", stdout(&out), stderr(&out));
    let rows = failed(&out);
    assert!(!rows.is_empty());
    let want = format!(
        "run `cd {} && ./install.sh --prefix {} --settings {}`",
        repo().display(),
        prefix.display(),
        settings.display()
    );
    for r in &rows {
        assert!(r["fix"].as_str().unwrap().starts_with(&want), "{r:#}");
    }
    // Without the record: no guessed path, the plain step.
    std::fs::remove_file(&note).unwrap();
    let out = installed_zakon(&sb, &doctor);
    for r in &failed(&out) {
        let fix = r["fix"].as_str().unwrap();
        assert!(
            fix.starts_with("the binaries must be rebuilt from the zakon source"),
            "{r:#}"
        );
        assert!(!fix.contains("cd "), "{r:#}");
    }
    // The uninstall removes the record with the binaries (the directory goes too).
    let out = install_sh(
        &sb,
        &["--uninstall", "--settings", settings.to_str().unwrap()],
        None,
        false,
    );
    assert_eq!(code(&out), 0, "{}{}", stdout(&out), stderr(&out));
    assert!(!prefix.exists(), "{}", stdout(&out));
}

#[test]
fn a_no_build_dry_run_does_not_promise_a_rebuild() {
    let sb = Sandbox::new("inst-nobuild-dry");
    let (fake, marker) = recording_cargo(&sb);
    let out = install_sh(&sb, &["--no-build", "--dry-run"], Some(&fake), false);
    assert_eq!(code(&out), 0, "{}{}", stdout(&out), stderr(&out));
    assert!(!marker.exists());
    let text = stdout(&out);
    assert!(!text.contains("rebuilds first"), "{text}");
    assert!(!text.contains("A real run would: build"), "{text}");
    assert!(text.contains("does not"), "{text}");
}

/// Moving or uninstalling the user install while the project's settings (in the current
/// directory) still run its gates warns, naming that file and the command that fixes it.
#[test]
fn moving_or_uninstalling_warns_about_project_settings_that_still_use_the_install() {
    let sb = Sandbox::new("inst-project-users");
    let out = install_sh(&sb, &[], None, true);
    assert_eq!(code(&out), 0, "{}{}", stdout(&out), stderr(&out));
    let old = sb.home.join(".claude/zakon/bin");
    let project = sb.cwd.join(".claude/settings.json");
    let out = installed_zakon(
        &sb,
        &format!(
            "{} hooks install --bin-dir {} --settings {}",
            old.join("zakon").display(),
            old.display(),
            project.display()
        ),
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let new = sb.root.join("moved/bin");
    let out = install_sh(&sb, &["--prefix", new.to_str().unwrap()], None, true);
    assert_eq!(code(&out), 0, "{}{}", stdout(&out), stderr(&out));
    let err = stderr(&out);
    let line = err
        .lines()
        .find(|l| l.contains("warning:") && l.contains(project.to_str().unwrap()))
        .unwrap_or_else(|| panic!("no warning about {}:\n{err}", project.display()));
    let cmd = line.split("Re-point it: ").nth(1).unwrap();
    let out = installed_zakon(&sb, cmd);
    assert_eq!(code(&out), 0, "{cmd}: {}", stderr(&out));
    let text = std::fs::read_to_string(&project).unwrap();
    assert!(text.contains(new.to_str().unwrap()), "{text}");
    assert!(!text.contains(old.to_str().unwrap()), "{text}");

    // Uninstalling the user install: the project still runs it.
    let out = install_sh(&sb, &["--uninstall"], None, false);
    assert_eq!(code(&out), 0, "{}{}", stdout(&out), stderr(&out));
    let err = stderr(&out);
    assert!(
        err.lines().any(|l| l.contains("warning:")
            && l.contains(project.to_str().unwrap())
            && l.contains(&format!("--prefix {}", new.display()))),
        "{err}"
    );
}
