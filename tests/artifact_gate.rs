//! artifact-gate end to end: the real binary, a temporary HOME, real fixture files (PNG and
//! zip encoded here, a SQLite Mission Control database created here).
//!
//! Most tests point `artifact_gate.tmp_root` at the sandbox so `verify-<id>/` and
//! `evidence-<id>/` live inside it; `literal_tmp_is_the_default` uses the real `/tmp` with
//! an id derived from the process id and removes what it creates.

mod support;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use support::artifact_files::*;
use support::*;

const BIN: &str = "artifact-gate";

// ---- the sandboxed gate --------------------------------------------------------------

struct Gate {
    sb: Sandbox,
}

impl Gate {
    /// A sandbox whose config points `tmp_root` at the sandbox's tmp dir.
    fn new(tag: &str) -> Gate {
        let g = Gate::bare(tag);
        g.config(json!({ "artifact_gate": { "tmp_root": g.sb.tmp } }));
        g
    }

    /// No config at all: the defaults (literal /tmp).
    fn bare(tag: &str) -> Gate {
        Gate {
            sb: Sandbox::new(&format!("artifact-{tag}")),
        }
    }

    fn config(&self, cfg: Value) {
        self.sb.write(
            &self.sb.home.join(".claude/zakon/config.json"),
            cfg.to_string(),
        );
    }

    fn verify(&self, id: u64) -> PathBuf {
        self.sb.tmp.join(format!("verify-{id}"))
    }

    fn evidence(&self, id: u64) -> PathBuf {
        self.sb.tmp.join(format!("evidence-{id}"))
    }

    fn claims(&self, id: u64, claims: Value) {
        self.sb
            .write(&self.verify(id).join("claims.json"), claims.to_string());
    }

    fn db_path(&self) -> PathBuf {
        self.sb.home.join("system/databases/mission-control.db")
    }

    /// A Mission Control database with `tasks(id, title, status, dod_evidence)`.
    fn db(&self, tasks: &[(i64, Option<&str>)]) {
        let path = self.db_path();
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch(
            "CREATE TABLE tasks (id INTEGER PRIMARY KEY, title TEXT, status TEXT, dod_evidence TEXT);",
        )
        .unwrap();
        for (id, dod) in tasks {
            conn.execute(
                "INSERT INTO tasks (id, title, status, dod_evidence) VALUES (?1, 'task', 'in_progress', ?2)",
                rusqlite::params![id, dod],
            )
            .unwrap();
        }
    }

    fn bash(&self, command: &str) -> std::process::Output {
        let input = json!({
            "session_id": "sess-1",
            "transcript_path": "/dev/null",
            "cwd": self.sb.cwd,
            "hook_event_name": "PreToolUse",
            "tool_name": "Bash",
            "tool_input": { "command": command, "description": "close the task" }
        });
        self.sb.run(BIN, &[], input.to_string().as_bytes(), &[])
    }
}

fn allowed(o: &std::process::Output) {
    assert_eq!(code(o), 0, "expected allow, stderr: {}", stderr(o));
    assert!(stderr(o).is_empty(), "{}", stderr(o));
}

fn blocked(o: &std::process::Output) -> String {
    assert_eq!(code(o), 2, "expected block, stderr: {}", stderr(o));
    stderr(o)
}

fn done(id: u64) -> String {
    format!("node ~/system/tools/mc.js done {id}")
}

// ---- UI claims -------------------------------------------------------------------------

#[test]
fn ui_claim_needs_a_real_screenshot() {
    let g = Gate::new("ui");
    g.claims(101, json!(["Registration screen works on mobile"]));
    let err = blocked(&g.bash(&done(101)));
    for want in [
        "ZAKON #21 artifact-gate [artifact-gate/claim-artifacts] (no done without evidence: a UI or E2E claim needs its artifact): `mc.js done 101`",
        "\"Registration screen works on mobile\"",
        "a UI claim (keyword: mobile, screen)",
        "missing a screenshot",
        &format!("{}/ (1 file)", g.verify(101).display()),
        &format!("{}/ (does not exist)", g.evidence(101).display()),
        "Fix: save a screenshot",
        &format!("{}/screen.png", g.evidence(101).display()),
    ] {
        assert!(err.contains(want), "missing {want:?} in:\n{err}");
    }
    let audit = g.sb.audit_lines();
    assert_eq!(audit.len(), 1);
    assert_eq!(audit[0]["gate"], "artifact-gate");
    assert_eq!(audit[0]["decision"], "block");
    assert_eq!(audit[0]["rule"], "artifact-gate/claim-artifacts");
    assert_eq!(audit[0]["session_id"], "sess-1");
    assert_eq!(audit[0]["details"]["task_id"], 101);
    assert_eq!(
        audit[0]["details"]["missing"][0]["needs"],
        json!(["screenshot"])
    );

    g.sb.write(&g.evidence(101).join("register.png"), png(16, 16));
    allowed(&g.bash(&done(101)));
    assert_eq!(g.sb.audit_lines().len(), 1, "an allow is not audit-logged");
}

#[test]
fn text_file_named_png_is_not_a_screenshot() {
    let g = Gate::new("fakepng");
    g.claims(102, json!([{ "text": "Onboarding wizard verified" }]));
    g.sb.write(
        &g.verify(102).join("screen.png"),
        "screenshot of the wizard, trust me",
    );
    let err = blocked(&g.bash(&done(102)));
    assert!(
        err.contains("a UI claim (keyword: wizard, onboarding)"),
        "{err}"
    );
    assert!(
        err.contains("screen.png is named .png but is not a PNG image that decodes"),
        "{err}"
    );
    assert!(
        err.contains("starts with text \"screenshot of th\""),
        "{err}"
    );

    // a real JPEG saved as .png is still not "what its extension says"
    g.sb.write(
        &g.verify(102).join("screen.png"),
        [0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10],
    );
    blocked(&g.bash(&done(102)));
    // an empty .png is not a screenshot either
    g.sb.write(&g.verify(102).join("screen.png"), b"");
    let err = blocked(&g.bash(&done(102)));
    assert!(err.contains("screen.png is empty"), "{err}");

    // header-only: the first 33 bytes of a real PNG (signature and IHDR, no pixels)
    g.sb.write(&g.verify(102).join("screen.png"), fake_png_33());
    let err = blocked(&g.bash(&done(102)));
    assert!(
        err.contains("screen.png is named .png but is not a PNG image that decodes (33 bytes"),
        "{err}"
    );
    // a real PNG, but an icon, not a screen
    g.sb.write(&g.verify(102).join("screen.png"), png(8, 8));
    let err = blocked(&g.bash(&done(102)));
    assert!(
        err.contains("screen.png is a 8×8 PNG image; a screenshot is at least 16×16 pixels"),
        "{err}"
    );
    // a real PNG whose pixel data is cut short
    let mut cut = png(32, 32);
    cut.truncate(cut.len() - 200);
    g.sb.write(&g.verify(102).join("screen.png"), cut);
    blocked(&g.bash(&done(102)));

    g.sb.write(&g.verify(102).join("screen.png"), png(16, 16));
    allowed(&g.bash(&done(102)));
}

#[test]
fn jpeg_and_webp_screenshots_count() {
    let g = Gate::new("jpeg");
    g.claims(103, json!(["UI polished"]));
    // the 3-byte "JPEG" of the issue, then a JPEG header with no scan data
    g.sb.write(&g.evidence(103).join("ui.jpeg"), FAKE_JPEG_3);
    let err = blocked(&g.bash(&done(103)));
    assert!(
        err.contains("ui.jpeg is named .jpeg but is not a JPEG image that decodes (3 bytes"),
        "{err}"
    );
    let mut cut = jpeg(64, 48);
    cut.truncate(cut.len() / 2);
    g.sb.write(&g.evidence(103).join("ui.jpeg"), cut);
    blocked(&g.bash(&done(103)));
    g.sb.write(&g.evidence(103).join("ui.jpeg"), jpeg(64, 48));
    allowed(&g.bash(&done(103)));

    g.claims(104, json!(["UI polished"]));
    g.sb.write(
        &g.evidence(104).join("ui.webp"),
        b"RIFF\x1a\0\0\0WEBPVP8L\x0d\0\0\0/\0\0\0\x10\x07\x10\x11\x11\x88\x88\xfe\x07\0",
    );
    let err = blocked(&g.bash(&done(104)));
    assert!(err.contains("ui.webp is a 1×1 WebP image"), "{err}");
    g.sb.write(&g.evidence(104).join("ui.webp"), webp(20, 20));
    allowed(&g.bash(&done(104)));
}

// ---- E2E claims ------------------------------------------------------------------------

#[test]
fn e2e_claim_accepts_results_json_trace_json_or_zip() {
    let g = Gate::new("e2e");
    let claim = json!({ "claims": [{ "claim": "Signup flow passes end to end" }] });
    for (id, file, content) in [
        (201, "results.json", report(3, 0)),
        (
            202,
            "trace-signup.json",
            json!({"traceEvents": [{"name": "navigationStart", "ph": "R", "ts": 1, "pid": 1}]})
                .to_string()
                .into_bytes(),
        ),
        (203, "trace.zip", trace_zip()),
        (204, "test-results/signup-chromium/trace.zip", trace_zip()),
    ] {
        g.claims(id, claim.clone());
        let err = blocked(&g.bash(&done(id)));
        assert!(err.contains("an E2E claim (keyword: flow)"), "{err}");
        assert!(err.contains("missing a Playwright trace"), "{err}");
        g.sb.write(&g.evidence(id).join(file), content);
        allowed(&g.bash(&done(id)));
    }
}

#[test]
fn e2e_rejects_invalid_empty_and_fake_artifacts() {
    let g = Gate::new("e2ebad");
    g.claims(205, json!(["User journey walkthrough recorded"]));
    for (file, content, why) in [
        (
            "results.json",
            &b"{\"suites\": [ {\"title\": "[..],
            "results.json is not valid JSON",
        ),
        ("results.json", b"", "results.json is empty"),
        (
            "results.json",
            b"{}",
            "results.json is not a Playwright JSON report (no config, no suites, no stats)",
        ),
        (
            "results.json",
            FAKE_RESULTS,
            "results.json is not a Playwright JSON report (the top level is an array",
        ),
        (
            "results.json",
            &report(2, 1),
            "results.json is a Playwright report with 1 failed test(s)",
        ),
        (
            "results.json",
            &report(0, 0),
            "results.json is a Playwright report in which no test passed",
        ),
        (
            "trace.json",
            b"[ ]",
            "trace.json is not a trace-event file: no event has a name and a ph",
        ),
        (
            "trace.zip",
            b"this is not a zip",
            "trace.zip is named .zip but has no valid zip central directory",
        ),
        (
            "trace.zip",
            FAKE_ZIP_8,
            "trace.zip is named .zip but has no valid zip central directory (8 bytes",
        ),
        (
            "trace.zip",
            &zip(&[("a.txt", b"nested")]),
            "trace.zip is a zip but not a Playwright trace: it has no *.trace entry with its \
             *.network beside it (entries: a.txt)",
        ),
        (
            "trace.zip",
            &zip(&[("trace.trace", b"hello\n"), ("trace.network", b"")]),
            "its first line is not Playwright's context-options trace event",
        ),
        ("trace.zip", &zip(&[]), "trace.zip is a zip with no entries"),
        ("trace.zip", b"", "trace.zip is empty"),
    ] {
        let dir = g.evidence(205);
        let _ = std::fs::remove_dir_all(&dir);
        g.sb.write(&dir.join(file), content);
        let err = blocked(&g.bash(&done(205)));
        assert!(
            err.contains("an E2E claim (keyword: journey, walkthrough)"),
            "{err}"
        );
        assert!(err.contains(why), "{file}: missing {why:?} in:\n{err}");
    }
    // a zip cut short in transfer has no central directory
    let mut truncated = zip(&[("trace.trace", &[b'x'; 300][..])]);
    truncated.truncate(200);
    let dir = g.evidence(205);
    let _ = std::fs::remove_dir_all(&dir);
    g.sb.write(&dir.join("trace.zip"), truncated);
    let err = blocked(&g.bash(&done(205)));
    assert!(err.contains("has no valid zip central directory"), "{err}");
    // a JSON file with another name is evidence but not a trace
    g.sb.write(&dir.join("notes.json"), b"{\"ok\": true}");
    blocked(&g.bash(&done(205)));
}

#[test]
fn claim_of_both_types_needs_both_artifacts() {
    let g = Gate::new("both");
    g.claims(301, json!(["Mobile onboarding flow verified E2E"]));
    let err = blocked(&g.bash(&done(301)));
    assert!(
        err.contains(
            "is a UI claim (keyword: mobile, onboarding) and an E2E claim (keyword: e2e, flow)"
        ),
        "{err}"
    );
    assert!(err.contains("missing a screenshot"), "{err}");
    assert!(err.contains("; and a Playwright trace"), "{err}");

    g.sb.write(&g.evidence(301).join("home.png"), png(16, 16));
    let err = blocked(&g.bash(&done(301)));
    assert!(!err.contains("missing a screenshot"), "{err}");
    assert!(err.contains("missing a Playwright trace"), "{err}");

    g.sb.write(&g.evidence(301).join("results.json"), report(3, 0));
    allowed(&g.bash(&done(301)));
}

// ---- where the claims come from ---------------------------------------------------------

#[test]
fn claims_only_in_the_mission_control_db() {
    let g = Gate::new("db");
    g.db(&[
        (401, Some("- Registration screen works\n- API returns 201")),
        (
            402,
            Some(r#"["Checkout flow passes", {"text": "prices correct"}]"#),
        ),
        (403, None),
    ]);
    let err = blocked(&g.bash(&done(401)));
    assert!(
        err.contains("\"Registration screen works\" is a UI claim"),
        "{err}"
    );
    assert!(
        !err.contains("API returns"),
        "untyped claim is not listed: {err}"
    );
    assert!(
        err.contains(
            "Claims (2) from dod_evidence of task 401 in ~/system/databases/mission-control.db"
        ),
        "{err}"
    );
    g.sb.write(&g.evidence(401).join("s.png"), png(16, 16));
    allowed(&g.bash(&done(401)));

    let err = blocked(&g.bash("node mc.js ready 402"));
    assert!(
        err.contains("\"Checkout flow passes\" is an E2E claim (keyword: flow)"),
        "{err}"
    );
    assert!(err.contains("`mc.js ready 402`"), "{err}");

    // NULL dod_evidence and a task missing from the db: no claims, the evidence rule remains
    for id in [403, 499] {
        let err = blocked(&g.bash(&done(id)));
        assert!(err.contains("no done without evidence"), "{err}");
        g.sb.write(&g.evidence(id).join("log.txt"), "curl -s … 200 OK\n");
        allowed(&g.bash(&done(id)));
    }
}

/// Changed with issue 13: the database's dod_evidence is authoritative and claims.json may
/// only add claims (it used to replace them, so an agent could write away a UI claim).
#[test]
fn db_claims_are_authoritative_and_claims_json_only_adds() {
    let g = Gate::new("precedence");
    g.db(&[
        (405, Some("Settings screen redesigned")),
        (406, Some("Backend migration applied")),
    ]);
    g.sb.write(&g.evidence(405).join("log.txt"), "ok\n");
    // a claims file that drops the UI claim does not hide it
    g.claims(405, json!(["Backend migration applied"]));
    let err = blocked(&g.bash(&done(405)));
    assert!(
        err.contains("\"Settings screen redesigned\" is a UI claim"),
        "{err}"
    );
    assert!(
        err.contains(
            "Claims (2) from dod_evidence of task 405 in ~/system/databases/mission-control.db and "
        ),
        "{err}"
    );
    g.claims(405, json!([]));
    let err = blocked(&g.bash(&done(405)));
    assert!(
        err.contains("\"Settings screen redesigned\" is a UI claim"),
        "{err}"
    );
    // …and a claims file may add one
    g.sb.write(&g.evidence(406).join("log.txt"), "ok\n");
    allowed(&g.bash(&done(406)));
    g.claims(406, json!(["Signup flow verified"]));
    let err = blocked(&g.bash(&done(406)));
    assert!(
        err.contains("\"Signup flow verified\" is an E2E claim"),
        "{err}"
    );
    g.sb.write(&g.evidence(406).join("results.json"), report(1, 0));
    allowed(&g.bash(&done(406)));
}

#[test]
fn no_claims_and_no_evidence_blocks() {
    let g = Gate::new("noclaims");
    let err = blocked(&g.bash(&done(501)));
    for want in [
        "`mc.js done 501` is blocked — no done without evidence",
        "No claims: no verify-501/claims.json and no dod_evidence",
        "(does not exist)",
        "as a non-empty file under",
    ] {
        assert!(err.contains(want), "missing {want:?} in:\n{err}");
    }
    assert_eq!(g.sb.audit_lines()[0]["rule"], "artifact-gate/no-evidence");

    // an empty file is not evidence, and the claims file itself never is
    g.sb.write(&g.evidence(501).join("empty.log"), b"");
    blocked(&g.bash(&done(501)));
    g.claims(501, json!(["Backend cache tuned"]));
    let err = blocked(&g.bash(&done(501)));
    assert!(err.contains("no done without evidence"), "{err}");
    assert!(err.contains("Claims (1) from"), "{err}");

    g.sb.write(&g.evidence(501).join("bench.txt"), b"p50 3ms\n");
    allowed(&g.bash(&done(501)));
}

// ---- scope ---------------------------------------------------------------------------------

#[test]
fn chained_and_wrapped_commands_are_in_scope() {
    let g = Gate::new("chain");
    g.claims(601, json!(["Registration screen works"]));
    for cmd in [
        "cd /work/app && node ~/system/tools/mc.js ready 601",
        "npm test; node mc.js done 601",
        "false || node mc.js done 601",
        "(cd x && node \"/Users/me/system/tools/mc.js\" done 601 --force) 2>&1 | tail -3",
        "bash -lc 'node ~/system/tools/mc.js done 601'",
        "echo start && OUT=$(node mc.js done 601) && echo \"$OUT\"",
    ] {
        let err = blocked(&g.bash(cmd));
        assert!(
            err.contains("\"Registration screen works\" is a UI claim"),
            "{cmd}: {err}"
        );
    }
    // two tasks closed in one command: the one without artifacts blocks
    g.sb.write(&g.evidence(601).join("s.png"), png(16, 16));
    allowed(&g.bash("node mc.js done 601"));
    let err = blocked(&g.bash("node mc.js done 601 && node mc.js done 602"));
    assert!(err.contains("`mc.js done 602`"), "{err}");
    assert!(!err.contains("`mc.js done 601`"), "{err}");
}

#[test]
fn a_task_id_that_is_not_literal_blocks() {
    let g = Gate::new("var");
    let err = blocked(&g.bash("node mc.js done \"$TASK\""));
    assert!(
        err.contains("does not name a literal numeric task id"),
        "{err}"
    );
    assert!(err.contains("mc.js done 12345"), "{err}");
}

#[test]
fn out_of_scope_input_is_allowed_without_reading_config() {
    let g = Gate::new("scope");
    // An invalid config would block anything in scope; out-of-scope calls never load it.
    g.config(json!({ "artifact_gate": { "no_such_key": 1 } }));
    for cmd in [
        "ls -la",
        "node ~/system/tools/mc.js list",
        "node ~/system/tools/mc.js show 12",
        "node mc.js add 'finish the registration screen, then mark done 12'",
        "cat ~/system/tools/mc.js | grep done",
        "git commit -m 'node mc.js done 12'",
        "cargo test --workspace",
    ] {
        allowed(&g.bash(cmd));
    }
    let other_tool = json!({
        "hook_event_name": "PreToolUse", "tool_name": "Write",
        "tool_input": {"file_path": "/x/mc.js", "content": "node mc.js done 1"}
    });
    allowed(&g.sb.run(BIN, &[], other_tool.to_string().as_bytes(), &[]));
    let no_command =
        json!({"hook_event_name": "PreToolUse", "tool_name": "Bash", "tool_input": {}});
    allowed(&g.sb.run(BIN, &[], no_command.to_string().as_bytes(), &[]));

    // …and in scope the same config fails closed, naming the section. Since issue 13 every
    // PostToolUse call is in scope (it checks the tasks' state, whatever the command was).
    let post = json!({
        "hook_event_name": "PostToolUse", "tool_name": "Bash",
        "tool_input": {"command": "ls -la"}
    });
    let err = blocked(&g.sb.run(BIN, &[], post.to_string().as_bytes(), &[]));
    assert!(
        err.contains("section \"artifact_gate\" is invalid"),
        "{err}"
    );
    let err = blocked(&g.bash(&done(7)));
    assert!(err.contains("fail-closed"), "{err}");
    assert!(
        err.contains("section \"artifact_gate\" is invalid"),
        "{err}"
    );
    assert!(
        g.sb.audit_lines()
            .iter()
            .all(|l| l["rule"] == "fail-closed")
    );
}

#[test]
fn command_of_the_wrong_type_fails_closed() {
    let g = Gate::new("type");
    let input = json!({"hook_event_name": "PreToolUse", "tool_name": "Bash", "tool_input": {"command": ["node", "mc.js", "done", "1"]}});
    let err = blocked(&g.sb.run(BIN, &[], input.to_string().as_bytes(), &[]));
    assert!(
        err.contains("tool_input.command should be a string"),
        "{err}"
    );
}

#[test]
fn huge_commands_end_fast() {
    let g = Gate::new("huge");
    let mut many = String::new();
    let mut i = 0u64;
    while many.len() < 20 << 20 {
        many.push_str(&format!("node mc.js done {i}; "));
        i += 1;
    }
    let t = std::time::Instant::now();
    let err = blocked(&g.bash(&many));
    assert!(
        err.contains("closes more than 32 Mission Control tasks"),
        "{err}"
    );
    assert!(
        t.elapsed() < std::time::Duration::from_secs(5),
        "{:?}",
        t.elapsed()
    );

    let noise = "cat ~/system/tools/mc.js | grep -c done && ".repeat(100_000) + "true";
    let t = std::time::Instant::now();
    allowed(&g.bash(&noise));
    assert!(
        t.elapsed() < std::time::Duration::from_secs(5),
        "{:?}",
        t.elapsed()
    );
}

// ---- fail closed -----------------------------------------------------------------------------

#[test]
fn corrupt_or_unreadable_db_fails_closed() {
    let g = Gate::new("baddb");
    let db = g.db_path();
    // random bytes where the database should be
    let mut junk = Vec::new();
    let mut x: u32 = 12345;
    for _ in 0..8192 {
        x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
        junk.push((x >> 16) as u8);
    }
    g.sb.write(&db, &junk);
    let err = blocked(&g.bash(&done(701)));
    assert!(err.contains("fail-closed"), "{err}");
    assert!(err.contains(&db.display().to_string()), "{err}");
    assert!(err.contains("file is not a database"), "{err}");

    // a database without the tasks table
    std::fs::remove_file(&db).unwrap();
    rusqlite::Connection::open(&db)
        .unwrap()
        .execute_batch("CREATE TABLE other (x);")
        .unwrap();
    let err = blocked(&g.bash(&done(701)));
    assert!(err.contains("no such table: tasks"), "{err}");

    // unreadable: the path is a directory (tests may run as root, so chmod 000 proves nothing)
    std::fs::remove_file(&db).unwrap();
    std::fs::create_dir_all(&db).unwrap();
    let err = blocked(&g.bash(&done(701)));
    assert!(err.contains("fail-closed"), "{err}");
    assert!(err.contains(&db.display().to_string()), "{err}");

    // evidence does not rescue a database the gate cannot read
    g.sb.write(&g.evidence(701).join("log.txt"), "ok");
    blocked(&g.bash(&done(701)));
}

#[test]
fn corrupt_claims_file_fails_closed() {
    let g = Gate::new("badclaims");
    g.sb.write(&g.evidence(702).join("shot.png"), png(16, 16));
    let file = g.verify(702).join("claims.json");
    for (content, want) in [
        (
            &b"[\"Registration screen works\", "[..],
            "is not valid JSON",
        ),
        (b"", "is not valid JSON"),
        (b"\xff\xfe[]", "is not valid JSON"),
        (b"{\"claims\": \"screen\"}", "has the wrong shape"),
        (
            b"[42]",
            "has the wrong shape: claim 0 is neither a string nor an object",
        ),
        (b"[{\"title\": \"screen\"}]", "has the wrong shape"),
    ] {
        g.sb.write(&file, content);
        let err = blocked(&g.bash(&done(702)));
        assert!(err.contains("fail-closed"), "{err}");
        assert!(err.contains(&file.display().to_string()), "{err}");
        assert!(err.contains(want), "missing {want:?} in:\n{err}");
    }
    // a directory where the file should be
    std::fs::remove_file(&file).unwrap();
    std::fs::create_dir_all(&file).unwrap();
    let err = blocked(&g.bash(&done(702)));
    assert!(err.contains(&file.display().to_string()), "{err}");
}

// ---- config ----------------------------------------------------------------------------------

#[test]
fn keyword_lists_are_overridable() {
    let g = Gate::bare("keywords");
    g.config(json!({ "artifact_gate": {
        "tmp_root": g.sb.tmp,
        "ui_keywords": ["dashboard", "ekran"],
        "e2e_keywords": ["end to end"],
        "mc_db": "~/mc.db",
    }}));
    g.claims(
        801,
        json!([
            "Dashboard shows revenue",
            "Settings screen works",
            "Tested end-to-end"
        ]),
    );
    g.sb.write(&g.evidence(801).join("log.txt"), "ok");
    let err = blocked(&g.bash(&done(801)));
    assert!(
        err.contains("\"Dashboard shows revenue\" is a UI claim (keyword: dashboard)"),
        "{err}"
    );
    assert!(
        err.contains("\"Tested end-to-end\" is an E2E claim (keyword: end to end)"),
        "{err}"
    );
    assert!(
        !err.contains("Settings screen"),
        "default list replaced: {err}"
    );

    // mc_db is read from the configured path
    std::fs::remove_file(g.verify(801).join("claims.json")).unwrap();
    let conn = rusqlite::Connection::open(g.sb.home.join("mc.db")).unwrap();
    conn.execute_batch("CREATE TABLE tasks (id INTEGER PRIMARY KEY, dod_evidence TEXT); INSERT INTO tasks VALUES (801, 'Ekran za prijavu radi');").unwrap();
    let err = blocked(&g.bash(&done(801)));
    assert!(
        err.contains("\"Ekran za prijavu radi\" is a UI claim (keyword: ekran)"),
        "{err}"
    );
    assert!(err.contains("~/mc.db"), "{err}");
}

#[test]
fn diacritics_and_case_do_not_matter() {
    let g = Gate::new("diacritics");
    g.claims(
        802,
        json!(["REGISTRACIJA korisnika radi", "Registráčija 2"]),
    );
    g.sb.write(&g.evidence(802).join("log.txt"), "ok");
    let err = blocked(&g.bash(&done(802)));
    assert!(
        err.contains("\"REGISTRACIJA korisnika radi\" is a UI claim (keyword: registracija)"),
        "{err}"
    );
    assert!(err.contains("\"Registráčija 2\" is a UI claim"), "{err}");
}

// ---- the default: literal /tmp ------------------------------------------------------------

/// Removes the `/tmp` directories a test creates, even when it fails.
struct TmpDirs(Vec<PathBuf>);

impl Drop for TmpDirs {
    fn drop(&mut self) {
        for d in &self.0 {
            let _ = std::fs::remove_dir_all(d);
        }
    }
}

#[test]
fn literal_tmp_is_the_default() {
    let g = Gate::bare("literal");
    // large, per-process ids so parallel runs and real tasks never collide
    let id = 9_000_000_000 + u64::from(std::process::id());
    let verify = Path::new("/tmp").join(format!("verify-{id}"));
    let evidence = Path::new("/tmp").join(format!("evidence-{id}"));
    let _cleanup = TmpDirs(vec![verify.clone(), evidence.clone()]);
    g.sb.write(
        &verify.join("claims.json"),
        json!(["Signup screen done"]).to_string(),
    );

    let err = blocked(&g.bash(&done(id)));
    assert!(
        err.contains(&format!("/tmp/verify-{id}/ (1 file)")),
        "{err}"
    );
    assert!(
        err.contains(&format!("/tmp/evidence-{id}/ (does not exist)")),
        "{err}"
    );

    g.sb.write(&evidence.join("signup.png"), png(16, 16));
    allowed(&g.bash(&done(id)));
    // the sandbox's own tmp is not where the gate looks by default
    assert!(!g.sb.tmp.join(format!("verify-{id}")).exists());
}

#[test]
fn help_and_version() {
    let sb = Sandbox::new("artifact-help");
    let out = sb.run(BIN, &["--help"], b"", &[]);
    assert_eq!(code(&out), 0);
    assert!(
        stdout(&out).contains("mc.js done|ready <id>"),
        "{}",
        stdout(&out)
    );
    let out = sb.run(BIN, &["--version"], b"", &[]);
    assert_eq!(code(&out), 0);
    assert!(
        stdout(&out).starts_with("artifact-gate "),
        "{}",
        stdout(&out)
    );
}

#[test]
fn tool_input_as_a_string_fails_closed() {
    let sb = Sandbox::new("ag-input-string");
    let input =
        r#"{"hook_event_name":"PreToolUse","tool_name":"Bash","tool_input":"node mc.js done 12"}"#;
    let out = sb.run(BIN, &[], input.as_bytes(), &[]);
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    assert!(
        stderr(&out).contains("tool_input should be an object"),
        "{}",
        stderr(&out)
    );
}

// ---- ownership (issue 12): a file someone else left in /tmp is not this agent's evidence ----

fn chown_nobody(p: &Path) {
    std::os::unix::fs::chown(p, Some(65_534), None).unwrap();
}

fn chmod(p: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(p, std::fs::Permissions::from_mode(mode)).unwrap();
}

#[test]
fn evidence_must_be_owned_and_not_writable_by_others() {
    let g = Gate::new("owner");
    g.claims(1001, json!(["Registration screen works"]));
    let shot =
        g.sb.write(&g.evidence(1001).join("screen.png"), png(32, 32));
    chmod(&g.evidence(1001), 0o755);
    allowed(&g.bash(&done(1001)));

    // a file another user left there
    chown_nobody(&shot);
    let err = blocked(&g.bash(&done(1001)));
    assert!(
        err.contains("screen.png is owned by uid 65534, not by uid 0"),
        "{err}"
    );
    assert!(err.contains("missing a screenshot"), "{err}");
    std::os::unix::fs::chown(&shot, Some(0), None).unwrap();

    // group- or world-writable: someone else could have written it
    chmod(&shot, 0o666);
    let err = blocked(&g.bash(&done(1001)));
    assert!(
        err.contains("screen.png is writable by its group and by everyone (mode 666)"),
        "{err}"
    );
    assert!(
        err.contains(&format!("fix: `chmod go-w {}`", shot.display())),
        "{err}"
    );
    chmod(&shot, 0o644);
    allowed(&g.bash(&done(1001)));

    // the whole directory made by someone else: nothing in it counts
    chown_nobody(&g.evidence(1001));
    let err = blocked(&g.bash(&done(1001)));
    assert!(
        err.contains(&format!(
            "{}/ (not trusted, nothing in it counts: {} is owned by uid 65534",
            g.evidence(1001).display(),
            g.evidence(1001).display()
        )),
        "{err}"
    );
    std::os::unix::fs::chown(g.evidence(1001), Some(0), None).unwrap();
    chmod(&g.evidence(1001), 0o777);
    let err = blocked(&g.bash(&done(1001)));
    assert!(err.contains("not trusted, nothing in it counts"), "{err}");
    chmod(&g.evidence(1001), 0o755);
    allowed(&g.bash(&done(1001)));
}

#[test]
fn no_claims_evidence_must_be_ours_too() {
    // the seed incident: a stale log in /tmp let `mc.js done` through
    let g = Gate::new("owner-plain");
    let log =
        g.sb.write(&g.evidence(1002).join("test.log"), "48 passed; 0 failed");
    chown_nobody(&log);
    let err = blocked(&g.bash(&done(1002)));
    assert!(err.contains("no done without evidence"), "{err}");
    assert!(err.contains("test.log is owned by uid 65534"), "{err}");
}

#[test]
fn symlinks_count_only_inside_their_evidence_dir() {
    let g = Gate::new("symlink");
    g.claims(1003, json!(["Mobile onboarding verified"]));
    let elsewhere =
        g.sb.write(&g.sb.root.join("elsewhere/shot.png"), png(32, 32));
    std::fs::create_dir_all(g.evidence(1003)).unwrap();
    let link = g.evidence(1003).join("screen.png");
    std::os::unix::fs::symlink(&elsewhere, &link).unwrap();
    let err = blocked(&g.bash(&done(1003)));
    assert!(
        err.contains(&format!(
            "screen.png is a symlink to {} outside its evidence directory",
            elsewhere.display()
        )),
        "{err}"
    );
    // a link to a file inside the same directory is fine
    std::fs::remove_file(&link).unwrap();
    g.sb.write(&g.evidence(1003).join("real/shot.png"), png(32, 32));
    std::os::unix::fs::symlink(g.evidence(1003).join("real/shot.png"), &link).unwrap();
    allowed(&g.bash(&done(1003)));

    // an evidence directory that is itself a symlink (anyone can plant one in /tmp)
    g.claims(1004, json!(["Mobile onboarding verified"]));
    std::os::unix::fs::symlink(g.evidence(1003), g.evidence(1004)).unwrap();
    let err = blocked(&g.bash(&done(1004)));
    assert!(
        err.contains("is a symlink; an evidence directory must be a real directory"),
        "{err}"
    );
}

// ---- after the tool ran: the tasks' state, not the command line ------------------------------

impl Gate {
    fn post(&self, command: &str) -> std::process::Output {
        let input = json!({
            "session_id": "sess-1",
            "transcript_path": "/dev/null",
            "cwd": self.sb.cwd,
            "hook_event_name": "PostToolUse",
            "tool_name": "Bash",
            "tool_input": { "command": command },
            "tool_response": { "stdout": "", "stderr": "", "interrupted": false }
        });
        self.sb.run(BIN, &[], input.to_string().as_bytes(), &[])
    }

    fn sql(&self, sql: &str) {
        rusqlite::Connection::open(self.db_path())
            .unwrap()
            .execute_batch(sql)
            .unwrap();
    }

    fn status(&self, id: i64) -> Option<String> {
        rusqlite::Connection::open(self.db_path())
            .unwrap()
            .query_row("SELECT status FROM tasks WHERE id = ?1", [id], |r| r.get(0))
            .unwrap()
    }
}

#[test]
fn a_task_closed_by_a_database_write_is_set_back() {
    let g = Gate::new("post");
    g.db(&[
        (901, Some("Registration screen works")),
        (902, Some("Cache tuned")),
    ]);
    // the first call records the baseline
    allowed(&g.post("ls"));
    assert!(
        g.sb.home
            .join(".claude/zakon/state/mc-tasks.json")
            .is_file()
    );

    g.sql("UPDATE tasks SET status = 'done' WHERE id = 901");
    let err = blocked(
        &g.post("sqlite3 mission-control.db \"UPDATE tasks SET status='done' WHERE id=901\""),
    );
    for want in [
        "task 901 became `done` after the last tool call",
        "zakon set its status back to `in_progress` in the Mission Control database",
        "\"Registration screen works\" is a UI claim (keyword: screen)",
        "then run `node ~/system/tools/mc.js done 901` again",
    ] {
        assert!(err.contains(want), "missing {want:?} in:\n{err}");
    }
    assert_eq!(g.status(901).as_deref(), Some("in_progress"));
    let audit = g.sb.audit_lines();
    assert_eq!(
        audit.last().unwrap()["rule"],
        "artifact-gate/claim-artifacts"
    );
    assert_eq!(
        audit.last().unwrap()["details"]["reverted"],
        json!({"status": "done", "to": "in_progress"})
    );
    // nothing changed since: allowed, and the status stays put
    allowed(&g.post("ls"));

    // `ready` and odd spellings of the status close a task too
    g.sql("UPDATE tasks SET status = ' Ready ' WHERE id = 902");
    let err = blocked(&g.post("true"));
    assert!(err.contains("task 902 became ` Ready `"), "{err}");
    assert!(err.contains("no done without evidence"), "{err}");
    assert!(err.contains("node ~/system/tools/mc.js ready 902"), "{err}");
    assert_eq!(g.status(902).as_deref(), Some("in_progress"));

    // with the artifacts in place the same write stands
    g.sb.write(&g.evidence(901).join("screen.png"), png(32, 32));
    g.sql("UPDATE tasks SET status = 'done' WHERE id = 901");
    allowed(&g.post("node ~/system/tools/mc.js done 901"));
    assert_eq!(g.status(901).as_deref(), Some("done"));
    // …and stays accepted afterwards (not newly done any more)
    g.sql("UPDATE tasks SET title = 'renamed' WHERE id = 902");
    allowed(&g.post("true"));
    assert_eq!(g.status(901).as_deref(), Some("done"));

    // the check judges the effect whatever the tool: an MCP SQLite write is caught the same
    // way when the gate is registered for it (matcher `*`)
    g.sql("UPDATE tasks SET status = 'done' WHERE id = 902");
    let mcp = json!({
        "session_id": "sess-1", "hook_event_name": "PostToolUse",
        "tool_name": "mcp__sqlite__write_query",
        "tool_input": {"query": "UPDATE tasks SET status='done' WHERE id=902"},
    });
    let err = blocked(&g.sb.run(BIN, &[], mcp.to_string().as_bytes(), &[]));
    assert!(err.contains("task 902 became `done`"), "{err}");
    assert_eq!(g.status(902).as_deref(), Some("in_progress"));

    // a task that appears already closed goes back to the reopen status
    g.sql("INSERT INTO tasks (id, title, status, dod_evidence) VALUES (903, 't', 'done', 'Signup flow green')");
    let err = blocked(&g.post("true"));
    assert!(err.contains("task 903 became `done`"), "{err}");
    assert!(err.contains("an E2E claim (keyword: flow)"), "{err}");
    assert_eq!(g.status(903).as_deref(), Some("in_progress"));
}

#[test]
fn post_tool_use_without_a_database_or_with_a_broken_one() {
    let g = Gate::new("post-nodb");
    // no database: nothing to guard
    allowed(&g.post("ls"));
    // a database without a status column cannot be checked: fail closed, naming it
    let db = g.db_path();
    std::fs::create_dir_all(db.parent().unwrap()).unwrap();
    rusqlite::Connection::open(&db)
        .unwrap()
        .execute_batch("CREATE TABLE tasks (id INTEGER PRIMARY KEY, dod_evidence TEXT);")
        .unwrap();
    let err = blocked(&g.post("ls"));
    assert!(err.contains("fail-closed"), "{err}");
    assert!(err.contains("no such column: status"), "{err}");
    assert!(err.contains(&db.display().to_string()), "{err}");
    // a FIFO where the database should be is an error, never a hang
    std::fs::remove_file(&db).unwrap();
    let status = std::process::Command::new("mkfifo")
        .arg(&db)
        .status()
        .unwrap();
    assert!(status.success());
    let err = blocked(&g.post("ls"));
    assert!(err.contains("is not a regular file"), "{err}");
}
