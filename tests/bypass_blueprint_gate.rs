//! blueprint-gate's bypass corpus (`tests/corpus/bypass/blueprint-gate.jsonl`): ways an agent that was blocked once
//! tries to change a guarded file anyway. Each case runs in its own temporary HOME and
//! project, as Claude Code would run it: the PreToolUse hooks; if they allow, the attempt
//! really runs (`sh -c` in the project, or the tool's effect on disk); then the PostToolUse
//! hook. A case holds when it was blocked before it ran, or when the Post check (or, for a
//! replaced blueprint-gate, claim-gate at the next Stop) exits 2 and every guarded file is
//! byte-for-byte and mode-for-mode what it was before.
//!
//! Attempts only name paths through `{home}` and `{proj}`, both inside the sandbox.

mod support;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::os::unix::fs::{FileTypeExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use support::*;

const VALID: &str = "# api\n\nOwner: platform-team\nLast-Verified: 2026-01-15\n\n## Deploy\n\n\
    1. `git pull && make release`\n\n## Verify\n\n```sh\ncurl -fsS https://api.example.com/health\n```\n\n\
    ## Rollback\n\nRedeploy the previous tag with `make release TAG=prev`.\n";

const REGISTRY: &str = r#"{"version":"1","registry":[
 {"zakon_id":"feasibility-check","file_path":"~/system/rules/zakon-feasibility-check.md","mc_task":null,
  "ceo_approved_token":"GRANDFATHERED-PRE-2026-05-12","status":"legacy-pre-registry"},
 {"zakon_id":"draft-rule","file_path":"~/system/rules/zakon-draft-rule.md","mc_task":7,
  "ceo_approved_token":null,"status":"proposed"}]}"#;

/// The gates the installed copy holds (what the install cases replace and restore).
const GATES: [&str; 3] = ["claim-gate", "artifact-gate", "blueprint-gate"];

struct World {
    sb: Sandbox,
    install: bool,
}

impl World {
    fn new(case: &Value) -> World {
        let sb = Sandbox::new("bypass");
        let install = case["install"].as_bool().unwrap_or(false);
        let w = World { sb, install };
        let (home, proj) = (&w.sb.home, &w.sb.cwd);
        let bin = w.bin_dir();
        std::fs::create_dir_all(&bin).unwrap();
        if install {
            for g in GATES {
                std::fs::copy(bin_path(g), bin.join(g)).unwrap();
            }
        }
        // The user's settings with zakon's registrations, as the installer writes them.
        let out = w.sb.run(
            "zakon",
            &["hooks", "show", "--bin-dir", &bin.to_string_lossy()],
            b"",
            &[],
        );
        assert_eq!(code(&out), 0, "{}", stderr(&out));
        w.sb.write(&home.join(".claude/settings.json"), stdout(&out));
        w.sb.write(&home.join(".claude/zakon/config.json"), "{}\n");
        w.sb.write(&home.join("system/rules/zakon-registry.json"), REGISTRY);
        w.sb.write(
            &home.join("system/rules/zakon-feasibility-check.md"),
            "# feasibility\n",
        );
        w.sb.write(&proj.join("BUILD-BLUEPRINT.md"), VALID);
        w.sb.write(&proj.join("svc/BUILD-BLUEPRINT.md"), VALID);
        w.sb.write(
            &proj.join(".claude/settings.json"),
            "{\"permissions\": {}}\n",
        );
        w.sb.write(&proj.join("notes.txt"), "notes\n");
        // What the installer does last: seed the snapshot store.
        let out = w.sb.run(
            "blueprint-gate",
            &["snapshot", "--init", "--bin-dir", &bin.to_string_lossy()],
            b"",
            &[],
        );
        assert_eq!(code(&out), 0, "{}", stderr(&out));
        w
    }

    fn bin_dir(&self) -> PathBuf {
        self.sb.home.join(".claude/zakon/bin")
    }

    fn fill(&self, s: &str) -> String {
        s.replace("{home}", &self.sb.home.to_string_lossy())
            .replace("{proj}", &self.sb.cwd.to_string_lossy())
    }

    fn fill_json(&self, v: &Value) -> Value {
        serde_json::from_str(&self.fill(&v.to_string())).unwrap()
    }

    /// Runs a gate as Claude Code would: the installed copy in install cases (which the
    /// attempt may have replaced or made unrunnable), the built one otherwise. `None` when
    /// it cannot be started (Claude Code: a non-blocking error).
    fn gate(&self, name: &str, input: &Value) -> (Option<i32>, String) {
        let program = if self.install {
            self.bin_dir().join(name)
        } else {
            bin_path(name)
        };
        let mut c = Command::new(program);
        c.env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", &self.sb.home)
            .env("ZAKON_HOME", &self.sb.home)
            .env("TMPDIR", &self.sb.tmp)
            .env("CLAUDE_PROJECT_DIR", &self.sb.cwd)
            .current_dir(&self.sb.cwd)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        match c.spawn() {
            Err(e) => (None, format!("cannot start {name}: {e}")),
            Ok(mut child) => {
                use std::io::Write;
                let mut pipe = child.stdin.take().unwrap();
                let _ = pipe.write_all(input.to_string().as_bytes());
                drop(pipe);
                let out = child.wait_with_output().unwrap();
                (out.status.code(), stderr(&out))
            }
        }
    }

    fn hook_input(&self, id: &str, event: &str, tool: &str, input: &Value, resp: Value) -> Value {
        let mut v = json!({
            "session_id": format!("bypass-{id}"),
            "transcript_path": self.sb.tmp.join("transcript.jsonl"),
            "cwd": self.sb.cwd,
            "hook_event_name": event,
            "tool_name": tool,
            "tool_input": input,
        });
        if event == "PostToolUse" {
            v["tool_response"] = resp;
        }
        v
    }

    /// `sh -c` in the project with the sandbox HOME; killed after 30 s.
    fn sh(&self, script: &str) -> String {
        let mut child = Command::new("sh")
            .arg("-c")
            .arg(script)
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", &self.sb.home)
            .env("TMPDIR", &self.sb.tmp)
            .current_dir(&self.sb.cwd)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let start = Instant::now();
        while child.try_wait().unwrap().is_none() {
            if start.elapsed() > Duration::from_secs(30) {
                let _ = child.kill();
                break;
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        let out = child.wait_with_output().unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Every guarded file under the sandbox: path → (type, sha256, mode). Never opens a
    /// non-regular file.
    fn manifest(&self) -> BTreeMap<PathBuf, String> {
        let mut out = BTreeMap::new();
        for root in [&self.sb.home, &self.sb.cwd] {
            walk(root, &mut |p: &Path| {
                if !self.guarded(p) {
                    return;
                }
                let Ok(m) = std::fs::symlink_metadata(p) else {
                    return;
                };
                let t = m.file_type();
                let mode = m.permissions().mode() & 0o7777;
                let what = if t.is_file() {
                    let bytes = std::fs::read(p).unwrap();
                    format!("file {:x} {mode:o}", Sha256::digest(&bytes))
                } else if t.is_symlink() {
                    format!("symlink {:?}", std::fs::read_link(p).ok())
                } else if t.is_fifo() {
                    "fifo".into()
                } else {
                    "other".into()
                };
                out.insert(p.to_path_buf(), what);
            });
        }
        out
    }

    fn guarded(&self, p: &Path) -> bool {
        let home = &self.sb.home;
        let name = p
            .file_name()
            .map(|n| n.to_string_lossy().to_ascii_lowercase())
            .unwrap_or_default();
        let parent_is_claude = p
            .parent()
            .and_then(|d| d.file_name())
            .is_some_and(|n| n == ".claude");
        p.starts_with(self.bin_dir())
            || p == home.join(".claude/zakon/config.json")
            || p.starts_with(home.join("system/rules"))
            || (parent_is_claude && name.starts_with("settings"))
            || name == "build-blueprint.md"
            || name == "deploy-map.md"
    }
}

/// Every path under `root` (directories not followed through symlinks; the snapshot store is
/// zakon's own and skipped).
fn walk(root: &Path, f: &mut dyn FnMut(&Path)) {
    let Ok(rd) = std::fs::read_dir(root) else {
        return;
    };
    for e in rd.flatten() {
        let p = e.path();
        if p.ends_with(".claude/zakon/snapshots") {
            continue;
        }
        f(&p);
        if e.file_type().is_ok_and(|t| t.is_dir()) {
            walk(&p, f);
        }
    }
}

/// The tool's effect on disk, for tool-call cases that Pre allowed.
fn apply_tool(name: &str, input: &Value, effect: &Value) {
    if let Some(path) = effect["path"].as_str() {
        let p = Path::new(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, effect["content"].as_str().unwrap()).unwrap();
        return;
    }
    assert_eq!(name, "Edit", "a {name} case needs an effect");
    let p = PathBuf::from(input["file_path"].as_str().unwrap());
    let text = std::fs::read_to_string(&p).unwrap();
    let (old, new) = (
        input["old_string"].as_str().unwrap(),
        input["new_string"].as_str().unwrap(),
    );
    let after = if input["replace_all"].as_bool() == Some(true) {
        text.replace(old, new)
    } else {
        text.replacen(old, new, 1)
    };
    std::fs::write(&p, after).unwrap();
}

/// Runs one case; `Err` says how it failed.
fn run_case(case: &Value) -> Result<(), String> {
    let id = case["id"].as_str().unwrap();
    let expect = case["expect"].as_str().unwrap();
    let w = World::new(case);
    if let Some(setup) = case["setup"].as_str() {
        w.sh(&w.fill(setup));
    }
    let before = w.manifest();
    let (tool, input) = match (case["bash"].as_str(), case.get("tool")) {
        (Some(cmd), _) => ("Bash".to_string(), json!({"command": w.fill(cmd)})),
        (None, Some(t)) => (
            t["name"].as_str().unwrap().to_string(),
            w.fill_json(&t["input"]),
        ),
        _ => return Err("neither bash nor tool".into()),
    };
    // The PreToolUse registrations: Bash → artifact-gate, blueprint-gate; Write|Edit|MultiEdit
    // → blueprint-gate; other tools (MCP, NotebookEdit) have none.
    let pre: &[&str] = match tool.as_str() {
        "Bash" => &["artifact-gate", "blueprint-gate"],
        "Write" | "Edit" | "MultiEdit" => &["blueprint-gate"],
        _ => &[],
    };
    let pre_input = w.hook_input(id, "PreToolUse", &tool, &input, Value::Null);
    let mut pre_err = String::new();
    for g in pre {
        let (c, err) = w.gate(g, &pre_input);
        if c == Some(2) {
            if expect != "blocked-before" {
                return Err(format!(
                    "expected {expect}, but {g} blocked it before: {err}"
                ));
            }
            let after = w.manifest();
            return (before == after)
                .then_some(())
                .ok_or_else(|| "blocked, yet files changed".into());
        }
        pre_err.push_str(&err);
    }
    if expect == "blocked-before" {
        return Err(format!(
            "expected blocked-before, but Pre allowed it ({pre_err})"
        ));
    }
    let response = if tool == "Bash" {
        json!({"stdout": w.sh(input["command"].as_str().unwrap_or_default()), "stderr": "",
               "interrupted": false})
    } else {
        let effect = w.fill_json(&case["tool"]["effect"]);
        apply_tool(&tool, &input, &effect);
        json!({"filePath": input.get("file_path").or(input.get("path"))
                   .or(input.get("notebook_path")), "success": true})
    };
    if w.manifest() == before {
        return Err("the attempt changed nothing, so the case proves nothing".into());
    }
    let post_input = w.hook_input(id, "PostToolUse", &tool, &input, response);
    let (c, err) = w.gate("blueprint-gate", &post_input);
    let mut reported = c == Some(2) && err.contains("zakon");
    if case["restored_by"] == "claim-gate" {
        if c == Some(2) {
            return Err(format!(
                "expected the replaced blueprint-gate to pass, got: {err}"
            ));
        }
        let stop = json!({"session_id": format!("bypass-{id}"), "cwd": w.sb.cwd,
            "hook_event_name": "Stop", "stop_hook_active": false,
            "transcript_path": w.sb.tmp.join("transcript.jsonl")});
        let (c, err) = w.gate("claim-gate", &stop);
        reported = c == Some(2) && err.contains("zakon put the installed version back");
        if !reported {
            return Err(format!("claim-gate at Stop did not restore: {c:?} {err}"));
        }
    }
    if !reported {
        return Err(format!("Post did not block: {c:?} {err}"));
    }
    let after = w.manifest();
    if after != before {
        let diff: Vec<String> = before
            .keys()
            .chain(after.keys())
            .filter(|k| before.get(*k) != after.get(*k))
            .map(|k| format!("{}: {:?} → {:?}", k.display(), before.get(k), after.get(k)))
            .collect();
        return Err(format!("Post blocked but left changes: {diff:?}\n{err}"));
    }
    Ok(())
}

fn corpus() -> Vec<Value> {
    let file =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus/bypass/blueprint-gate.jsonl");
    let mut out = Vec::new();
    for (n, line) in std::fs::read_to_string(&file).unwrap().lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let v: Value = serde_json::from_str(line)
            .unwrap_or_else(|e| panic!("{}:{}: {e}", file.display(), n + 1));
        for k in ["id", "class", "expect", "why"] {
            assert!(v[k].is_string(), "{}:{}: no {k}", file.display(), n + 1);
        }
        out.push(v);
    }
    out
}

#[test]
fn every_bypass_is_blocked_before_or_undone_after() {
    let mut cases = corpus();
    assert!(cases.len() >= 50, "the corpus shrank to {}", cases.len());
    // BYPASS_ONLY=id,id runs just those (while working on a case). An id that names no case
    // fails the run: a filter that runs nothing must not read as a pass.
    if let Ok(only) = std::env::var("BYPASS_ONLY") {
        let only: Vec<&str> = only
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .collect();
        let unknown: Vec<&str> = only
            .iter()
            .copied()
            .filter(|id| !cases.iter().any(|c| c["id"].as_str() == Some(*id)))
            .collect();
        assert!(
            !only.is_empty() && unknown.is_empty(),
            "BYPASS_ONLY names no bypass case: {unknown:?} (of {:?}); the ids are the \"id\" \
             fields of tests/corpus/bypass/blueprint-gate.jsonl. Nothing was run.",
            only
        );
        cases.retain(|c| only.contains(&c["id"].as_str().unwrap_or("")));
    }
    let mut ids = std::collections::BTreeSet::new();
    let mut failures = Vec::new();
    for case in &cases {
        let id = case["id"].as_str().unwrap();
        assert!(ids.insert(id.to_string()), "duplicate id {id}");
        let start = Instant::now();
        let result = run_case(case);
        eprintln!("bypass {id}: {:?} in {:?}", result.is_ok(), start.elapsed());
        if let Err(why) = result {
            failures.push(format!("{id}: {why}"));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} bypass cases failed:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n\n")
    );
}

#[test]
fn a_bypass_filter_that_matches_nothing_fails() {
    // This very test binary, asked for the corpus test with a filter that names no case.
    let me = std::env::current_exe().unwrap();
    for filter in ["no-such-case", "", "bp-nothing,also-nothing"] {
        let out = std::process::Command::new(&me)
            .args(["every_bypass_is_blocked_before_or_undone_after", "--exact"])
            .env("BYPASS_ONLY", filter)
            .output()
            .unwrap();
        let text = format!("{}{}", stdout(&out), stderr(&out));
        assert!(
            !out.status.success(),
            "BYPASS_ONLY={filter:?} passed:\n{text}"
        );
        assert!(text.contains("BYPASS_ONLY names no bypass case"), "{text}");
    }
    // A filter naming a real case runs it and passes.
    let first = corpus()[0]["id"].as_str().unwrap().to_string();
    let out = std::process::Command::new(&me)
        .args([
            "every_bypass_is_blocked_before_or_undone_after",
            "--exact",
            "--nocapture",
        ])
        .env("BYPASS_ONLY", &first)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
    assert!(
        stderr(&out).contains(&format!("bypass {first}: true")),
        "{}",
        stderr(&out)
    );
}
