//! blueprint-gate end to end: the real binary, a temporary HOME and cwd, hook JSON on stdin.

mod support;
use serde_json::{Value, json};
use std::path::Path;
use support::*;

const BIN: &str = "blueprint-gate";

/// A blueprint with all five elements, verified yesterday-ish (a fixed past date is fine:
/// only `scan` cares about age).
const VALID: &str = "# api\n\nOwner: platform-team\nLast-Verified: 2026-01-15\n\n## Deploy\n\n\
    1. `git pull && make release`\n\n## Verify\n\n```sh\ncurl -fsS https://api.example.com/health\n```\n\n\
    ## Rollback\n\nRedeploy the previous tag with `make release TAG=prev`.\n";

fn hook(event: &str, tool: &str, input: Value, cwd: &Path) -> Vec<u8> {
    json!({
        "session_id": "s1",
        "cwd": cwd,
        "hook_event_name": event,
        "tool_name": tool,
        "tool_input": input,
    })
    .to_string()
    .into_bytes()
}

fn pre(sb: &Sandbox, tool: &str, input: Value) -> std::process::Output {
    sb.run(BIN, &[], &hook("PreToolUse", tool, input, &sb.cwd), &[])
}

fn write_input(path: &Path, content: &str) -> Value {
    json!({"file_path": path, "content": content})
}

fn without(section: &str) -> String {
    match section {
        "Owner" => VALID.replace("Owner: platform-team\n", ""),
        "Last-Verified" => VALID.replace("Last-Verified: 2026-01-15\n", ""),
        heading => {
            let start = VALID.find(&format!("## {heading}")).unwrap();
            let end = VALID[start + 3..]
                .find("## ")
                .map_or(VALID.len(), |e| start + 3 + e);
            format!("{}{}", &VALID[..start], &VALID[end..])
        }
    }
}

#[test]
fn valid_blueprint_passes() {
    let sb = Sandbox::new("bp-valid");
    for name in ["BUILD-BLUEPRINT.md", "DEPLOY-MAP.md"] {
        let out = pre(&sb, "Write", write_input(&sb.cwd.join(name), VALID));
        assert_eq!(code(&out), 0, "{name}: {}", stderr(&out));
    }
    assert!(sb.audit_lines().is_empty());
}

#[test]
fn each_missing_element_is_named() {
    let sb = Sandbox::new("bp-missing");
    let path = sb.cwd.join("BUILD-BLUEPRINT.md");
    for element in ["Owner", "Last-Verified", "Deploy", "Verify", "Rollback"] {
        let out = pre(&sb, "Write", write_input(&path, &without(element)));
        assert_eq!(code(&out), 2, "{element}");
        let err = stderr(&out);
        assert!(
            err.contains(&format!("schema 4/5: missing {element}")),
            "{element}: {err}"
        );
    }
    let out = pre(&sb, "Write", write_input(&path, "# nothing\n"));
    assert!(
        stderr(&out).contains("schema 0/5: missing Owner, Last-Verified, Deploy, Verify, Rollback")
    );
    let lines = sb.audit_lines();
    assert_eq!(lines.len(), 6);
    assert!(
        lines
            .iter()
            .all(|l| l["decision"] == "block" && l["gate"] == BIN)
    );
}

#[test]
fn bad_last_verified_dates_do_not_count() {
    let sb = Sandbox::new("bp-dates");
    let path = sb.cwd.join("BUILD-BLUEPRINT.md");
    for (date, why) in [
        ("2026-02-30", "not a real date"),
        ("15.01.2026", "malformed"),
        ("2999-01-01", "in the future"),
    ] {
        let text = VALID.replace("2026-01-15", date);
        let out = pre(&sb, "Write", write_input(&path, &text));
        assert_eq!(code(&out), 2, "{date}");
        assert!(stderr(&out).contains(why), "{date}: {}", stderr(&out));
        assert!(stderr(&out).contains("missing Last-Verified"));
    }
}

#[test]
fn edit_that_breaks_and_edit_that_fixes() {
    let sb = Sandbox::new("bp-edit");
    let path = sb.write(&sb.cwd.join("svc/BUILD-BLUEPRINT.md"), VALID);
    let breaks = json!({"file_path": path, "old_string": "## Rollback", "new_string": "## Notes"});
    let out = pre(&sb, "Edit", breaks);
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("missing Rollback"),
        "{}",
        stderr(&out)
    );

    let broken = without("Verify");
    sb.write(&path, &broken);
    let fixes = json!({"file_path": path, "old_string": "## Rollback",
        "new_string": "## Verify\n\n- `curl -f https://api.example.com/login`\n\n## Rollback"});
    let out = pre(&sb, "Edit", fixes);
    assert_eq!(code(&out), 0, "{}", stderr(&out));

    // An edit whose old_string is not in the file is reported as such.
    let absent = json!({"file_path": path, "old_string": "## Nowhere", "new_string": "x"});
    let out = pre(&sb, "Edit", absent);
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("\"## Nowhere\" is absent"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn replace_all_is_honoured() {
    let sb = Sandbox::new("bp-replace-all");
    let text = format!("{VALID}\n## Deploy notes\n\nsee above\n");
    let path = sb.write(&sb.cwd.join("BUILD-BLUEPRINT.md"), &text);
    // Renaming every "## Deploy" heading removes the Deploy element: only visible with
    // replace_all applied to both occurrences.
    let all = json!({"file_path": path, "old_string": "## Deploy", "new_string": "## Ship",
        "replace_all": true});
    let out = pre(&sb, "Edit", all);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("missing Deploy"), "{}", stderr(&out));
    // Without replace_all the same edit is ambiguous, which Claude Code refuses.
    let one = json!({"file_path": path, "old_string": "## Deploy", "new_string": "## Ship"});
    let out = pre(&sb, "Edit", one);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("occurs 2 times"), "{}", stderr(&out));
}

#[test]
fn multiedit_applies_edits_in_order() {
    let sb = Sandbox::new("bp-multi");
    let path = sb.write(&sb.cwd.join("DEPLOY-MAP.md"), without("Rollback"));
    // The second edit only matches text the first one created.
    let ok = json!({"file_path": path, "edits": [
        {"old_string": "health\n```\n", "new_string": "health\n```\n\n## Rollback\n\nTODO\n"},
        {"old_string": "## Rollback\n\nTODO", "new_string": "## Rollback\n\nRedeploy v1."}
    ]});
    let out = pre(&sb, "MultiEdit", ok);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let half = json!({"file_path": path, "edits": [
        {"old_string": "health\n```\n", "new_string": "health\n```\n\n## Rollback\n\nTODO\n"}
    ]});
    let out = pre(&sb, "MultiEdit", half);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("missing Rollback"));
    let bad = json!({"file_path": path, "edits": [
        {"old_string": "Owner: platform-team", "new_string": "Owner: ops"},
        {"old_string": "Owner: platform-team", "new_string": "Owner: x"}
    ]});
    let out = pre(&sb, "MultiEdit", bad);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("edit #2"), "{}", stderr(&out));
}

#[test]
fn path_tricks_stay_in_scope() {
    let sb = Sandbox::new("bp-paths");
    std::fs::create_dir_all(sb.cwd.join("real/svc")).unwrap();
    std::os::unix::fs::symlink(sb.cwd.join("real"), sb.cwd.join("link")).unwrap();
    sb.write(&sb.cwd.join("real/svc/BUILD-BLUEPRINT.md"), VALID);
    std::os::unix::fs::symlink(
        sb.cwd.join("real/svc/BUILD-BLUEPRINT.md"),
        sb.cwd.join("notes.md"),
    )
    .unwrap();
    for path in [
        "build-blueprint.md",
        "Build-Blueprint.MD",
        "docs/../DEPLOY-MAP.md",
        "./svc/./BUILD-BLUEPRINT.md",
        "link/svc/BUILD-BLUEPRINT.md",
        "notes.md",
    ] {
        let out = pre(
            &sb,
            "Write",
            json!({"file_path": path, "content": "# empty\n"}),
        );
        assert_eq!(code(&out), 2, "{path}");
        assert!(
            stderr(&out).contains("schema 0/5"),
            "{path}: {}",
            stderr(&out)
        );
    }
    // An Edit through a symlinked directory reads the real file.
    let edit = json!({"file_path": "link/svc/BUILD-BLUEPRINT.md",
        "old_string": "Owner: platform-team", "new_string": "Owner:"});
    let out = pre(&sb, "Edit", edit);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("missing Owner"), "{}", stderr(&out));
}

#[test]
fn unrelated_writes_pass() {
    let sb = Sandbox::new("bp-unrelated");
    for path in ["README.md", "BUILD-BLUEPRINT.md.bak", "docs/zakon-notes.md"] {
        let out = pre(&sb, "Write", json!({"file_path": path, "content": "x"}));
        assert_eq!(code(&out), 0, "{path}: {}", stderr(&out));
    }
    let out = pre(&sb, "Read", json!({"file_path": "BUILD-BLUEPRINT.md"}));
    assert_eq!(code(&out), 0);
}

#[test]
fn override_accepted_and_rejected() {
    let sb = Sandbox::new("bp-override");
    let path = sb.cwd.join("BUILD-BLUEPRINT.md");
    let input = hook(
        "PreToolUse",
        "Write",
        write_input(&path, "# draft\n"),
        &sb.cwd,
    );
    let out = sb.run(
        BIN,
        &[],
        &input,
        &[("BLUEPRINT_OVERRIDE", "ceo-approved-99911")],
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let lines = sb.audit_lines();
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0]["decision"], "override");
    assert_eq!(lines[0]["details"]["mc_id"], "99911");
    assert_eq!(lines[0]["session_id"], "s1");

    for bad in ["yes", "ceo-approved-", "ceo-approved-12x", "CEO-APPROVED-1"] {
        let out = sb.run(BIN, &[], &input, &[("BLUEPRINT_OVERRIDE", bad)]);
        assert_eq!(code(&out), 2, "{bad}");
        assert!(
            stderr(&out).contains("not a valid override"),
            "{bad}: {}",
            stderr(&out)
        );
    }
    let lines = sb.audit_lines();
    let rejected = lines
        .iter()
        .filter(|l| l["decision"] == "override-rejected")
        .count();
    assert_eq!(rejected, 4);
}

#[test]
fn skip_comment_has_no_effect_and_is_logged() {
    let sb = Sandbox::new("bp-skip");
    let path = sb.cwd.join("BUILD-BLUEPRINT.md");
    let text = "<!-- blueprint-schema-validator: skip -->\n# draft\n";
    let out = pre(&sb, "Write", write_input(&path, text));
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("has no effect"));
    let decisions: Vec<Value> = sb
        .audit_lines()
        .iter()
        .map(|l| l["decision"].clone())
        .collect();
    assert_eq!(
        decisions,
        vec![json!("skip-comment-ignored"), json!("block")]
    );
}

#[test]
fn skip_comment_is_logged_with_any_override_and_on_a_pass() {
    // Every Write of content holding the comment is logged, whatever else happens: with an
    // invalid override (rejected, blocked), a valid one (allowed) and a passing blueprint.
    // `zakon log --session` shows the lines, in order.
    let sb = Sandbox::new("bp-skip-override");
    let path = sb.cwd.join("BUILD-BLUEPRINT.md");
    let skip = "<!-- blueprint-schema-validator: skip -->\n";
    let draft = format!("{skip}# draft\n");
    let valid = format!("{skip}{VALID}");
    let input = hook("PreToolUse", "Write", write_input(&path, &draft), &sb.cwd);
    let out = sb.run(BIN, &[], &input, &[("BLUEPRINT_OVERRIDE", "yes")]);
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    let out = sb.run(
        BIN,
        &[],
        &input,
        &[("BLUEPRINT_OVERRIDE", "ceo-approved-4242")],
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let input = hook("PreToolUse", "Write", write_input(&path, &valid), &sb.cwd);
    assert_eq!(code(&sb.run(BIN, &[], &input, &[])), 0);

    let out = sb.run("zakon", &["log", "--session", "s1", "--json"], b"", &[]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let v: Value =
        serde_json::from_str(&stdout(&out)).unwrap_or_else(|e| panic!("{e}: {}", stdout(&out)));
    let records = v
        .as_array()
        .cloned()
        .or_else(|| v["records"].as_array().cloned())
        .unwrap();
    let decisions: Vec<&str> = records
        .iter()
        .map(|r| r["decision"].as_str().unwrap())
        .collect();
    assert_eq!(
        decisions,
        [
            "skip-comment-ignored",
            "override-rejected",
            "block",
            "skip-comment-ignored",
            "override",
            "skip-comment-ignored"
        ],
        "{v:#}"
    );
}

#[test]
fn post_tool_use_puts_an_invalid_blueprint_out_of_the_way() {
    let sb = Sandbox::new("bp-post");
    // No earlier call saw this file: it is what the tool wrote, so it is judged, not trusted.
    let path = sb.write(&sb.cwd.join("BUILD-BLUEPRINT.md"), without("Verify"));
    let input = hook(
        "PostToolUse",
        "Edit",
        json!({"file_path": path, "old_string": "a", "new_string": "b"}),
        &sb.cwd,
    );
    let out = sb.run(BIN, &[], &input, &[]);
    assert_eq!(code(&out), 2);
    let err = stderr(&out);
    assert!(
        err.contains("was created: it fails the blueprint schema")
            && err.contains("missing Verify")
            && err.contains("zakon moved it out of the way"),
        "{err}"
    );
    assert!(
        !path.exists(),
        "the invalid blueprint is moved into the quarantine"
    );
    // A valid one is accepted, then an invalid edit of it is rolled back to it.
    sb.write(&path, VALID);
    let out = sb.run(BIN, &[], &input, &[]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    sb.write(&path, without("Rollback"));
    let out = sb.run(BIN, &[], &input, &[]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("zakon restored the last good version"));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), VALID);
}

#[test]
fn bash_writes_into_scope_are_blocked() {
    let sb = Sandbox::new("bp-bash");
    std::fs::create_dir_all(sb.cwd.join("backup")).unwrap();
    for cmd in [
        "echo 'Owner: x' > BUILD-BLUEPRINT.md",
        "echo x >> svc/DEPLOY-MAP.md",
        "printf x | tee BUILD-BLUEPRINT.md",
        "cp /tmp/draft.md svc/BUILD-BLUEPRINT.md",
        "cp BUILD-BLUEPRINT.md backup",
        "mv draft.md DEPLOY-MAP.md",
        "sed -i 's/Owner: a/Owner: b/' BUILD-BLUEPRINT.md",
        "cat <<EOF > BUILD-BLUEPRINT.md\nOwner: x\nEOF",
        "cd ~/system/rules && cat > zakon-mine.md <<'EOF'\nmy rule\nEOF",
    ] {
        let out = pre(&sb, "Bash", json!({"command": cmd}));
        assert_eq!(code(&out), 2, "{cmd}");
        assert!(
            stderr(&out).contains("Use the Write or Edit"),
            "{cmd}: {}",
            stderr(&out)
        );
    }
    for cmd in [
        "cat BUILD-BLUEPRINT.md",
        "grep -n Owner BUILD-BLUEPRINT.md > /tmp/owners.txt",
        "cp BUILD-BLUEPRINT.md /tmp/copy.md",
        "ls -la",
        "cargo build --release",
    ] {
        let out = pre(&sb, "Bash", json!({"command": cmd}));
        assert_eq!(code(&out), 0, "{cmd}: {}", stderr(&out));
    }
}

fn rules_home(sb: &Sandbox, registry: &str) -> std::path::PathBuf {
    let rules = sb.home.join("system/rules");
    sb.write(&rules.join("zakon-registry.json"), registry);
    rules
}

const REGISTRY: &str = r#"{"version":"1","registry":[
 {"zakon_id":"feasibility-check","file_path":"~/system/rules/zakon-feasibility-check.md","mc_task":null,
  "ceo_approved_token":"GRANDFATHERED-PRE-2026-05-12","status":"legacy-pre-registry"},
 {"zakon_id":"draft-rule","file_path":"~/system/rules/zakon-draft-rule.md","mc_task":7,
  "ceo_approved_token":null,"status":"proposed"}]}"#;

#[test]
fn rule_files_go_through_the_registry() {
    let sb = Sandbox::new("bp-zakon");
    rules_home(&sb, REGISTRY);
    let write = |p: &str| {
        pre(
            &sb,
            "Write",
            json!({"file_path": p, "content": "rule text"}),
        )
    };
    let out = write("~/system/rules/zakon-feasibility-check.md");
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    // Same file through `..`: still registered.
    let out = write("~/system/other/../rules/zakon-feasibility-check.md");
    assert_eq!(code(&out), 0, "{}", stderr(&out));

    let out = write("~/system/rules/zakon-invented.md");
    assert_eq!(code(&out), 2);
    let err = stderr(&out);
    assert!(
        err.contains("not registered") && err.contains("FIX:"),
        "{err}"
    );

    let out = write("~/system/rules/ZAKON-Invented.md");
    assert_eq!(code(&out), 2, "case variant: {}", stderr(&out));

    let out = write("~/system/rules/zakon-draft-rule.md");
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("not approved"), "{}", stderr(&out));

    // A symlinked directory pointing at the rules dir does not escape the registry.
    std::os::unix::fs::symlink(sb.home.join("system/rules"), sb.cwd.join("r")).unwrap();
    let out = write("r/zakon-invented.md");
    assert_eq!(code(&out), 2, "{}", stderr(&out));
}

#[test]
fn broken_registry_blocks_rule_writes() {
    let sb = Sandbox::new("bp-zakon-broken");
    let input = json!({"file_path": "~/system/rules/zakon-feasibility-check.md", "content": "x"});
    let out = pre(&sb, "Write", input.clone());
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("ZAKON_REGISTRY_ERROR: registry file not found"));
    assert!(stderr(&out).contains("FIX:"));
    rules_home(&sb, "{ not json");
    let out = pre(&sb, "Write", input);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("not valid JSON"), "{}", stderr(&out));
}

#[test]
fn invalid_config_fails_closed_in_scope_only() {
    let sb = Sandbox::new("bp-config");
    sb.write(
        &sb.home.join(".claude/zakon/config.json"),
        "{\"blueprint_gate\": {\"nope\": 1}}",
    );
    let out = pre(
        &sb,
        "Write",
        write_input(&sb.cwd.join("BUILD-BLUEPRINT.md"), VALID),
    );
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("fail-closed"), "{}", stderr(&out));
    let out = pre(&sb, "Write", write_input(&sb.cwd.join("README.md"), "x"));
    assert_eq!(code(&out), 0);
}

#[test]
fn config_schema_replaces_the_default() {
    let sb = Sandbox::new("bp-config-schema");
    let schema = r#"{"name":"mini","elements":[{"label":"Owner","kind":"field","key":"Owner","fix":"add Owner"}]}"#;
    sb.write(&sb.home.join("schema.json"), schema);
    sb.write(
        &sb.home.join(".claude/zakon/config.json"),
        r#"{"blueprint_gate": {"schema_path": "~/schema.json"}}"#,
    );
    let path = sb.cwd.join("BUILD-BLUEPRINT.md");
    let out = pre(&sb, "Write", write_input(&path, "Owner: me\n"));
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let out = pre(&sb, "Write", write_input(&path, "nothing\n"));
    assert!(
        stderr(&out).contains("schema 0/1: missing Owner"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn scan_scores_and_ages() {
    let sb = Sandbox::new("bp-scan");
    sb.write(&sb.cwd.join("a/BUILD-BLUEPRINT.md"), VALID);
    sb.write(&sb.cwd.join("b/DEPLOY-MAP.md"), without("Rollback"));
    sb.write(&sb.cwd.join("node_modules/x/BUILD-BLUEPRINT.md"), "junk");
    sb.write(&sb.cwd.join("c/README.md"), "not a blueprint");
    let out = sb.run(
        BIN,
        &["scan", ".", "--json", "--max-age-days", "100000"],
        b"",
        &[],
    );
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    let v: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(v["total"], 2);
    assert_eq!(v["failing"], 1);
    assert_eq!(v["blueprints"][0]["score"], 5);
    assert_eq!(v["blueprints"][1]["score"], 4);
    assert_eq!(v["blueprints"][1]["missing"][0]["element"], "Rollback");

    let out = sb.run(BIN, &["scan", "a", "--max-age-days", "100000"], b"", &[]);
    assert_eq!(code(&out), 0, "{}", stdout(&out));
    // 2026-01-15 is more than one day ago: stale at --max-age-days 1.
    let out = sb.run(BIN, &["scan", "a", "--max-age-days", "1"], b"", &[]);
    assert_eq!(code(&out), 1);
    assert!(stdout(&out).contains("stale"), "{}", stdout(&out));
}

// --- The registry file itself: an agent that may not write its own rule file must not be
// able to add its own entry to the registry instead.

const REGISTRY_PATH: &str = "~/system/rules/zakon-registry.json";

/// The registry with `draft-rule` approved: what a self-approving agent would write.
fn self_approved() -> String {
    REGISTRY.replace(
        r#""ceo_approved_token":null,"status":"proposed""#,
        r#""ceo_approved_token":"[CEO_APPROVED]","status":"active""#,
    )
}

fn approve_edit(path: &str) -> Value {
    json!({"file_path": path, "old_string": r#""ceo_approved_token":null,"status":"proposed""#,
        "new_string": r#""ceo_approved_token":"[CEO_APPROVED]","status":"active""#})
}

fn assert_registry_block(out: &std::process::Output, what: &str) {
    let err = stderr(out);
    assert_eq!(code(out), 2, "{what}: {err}");
    assert!(
        err.contains("ZAKON registry blueprint-gate [zakon-registry-write] (only the CEO changes the registry):")
            && err.contains("would change the ZAKON registry")
            && err.contains("FIX:")
            && err.contains("BLUEPRINT_OVERRIDE=ceo-approved-<MC task id>"),
        "{what}: {err}"
    );
}

#[test]
fn registry_write_is_blocked() {
    let sb = Sandbox::new("bp-reg-write");
    let rules = rules_home(&sb, REGISTRY);
    let out = pre(
        &sb,
        "Write",
        json!({"file_path": REGISTRY_PATH, "content": self_approved()}),
    );
    assert_registry_block(&out, "Write");
    assert!(stderr(&out).contains("~/system/rules/zakon-registry.json"));
    // The approval it tried to give itself does not exist: the rule write is still blocked.
    let out = pre(
        &sb,
        "Write",
        json!({"file_path": "~/system/rules/zakon-draft-rule.md", "content": "x"}),
    );
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    assert_eq!(
        std::fs::read_to_string(rules.join("zakon-registry.json")).unwrap(),
        REGISTRY
    );
    let lines = sb.audit_lines();
    assert_eq!(lines[0]["decision"], "block");
    assert_eq!(lines[0]["rule"], "zakon-registry-write");
    // MultiEdit is a write too.
    let multi = json!({"file_path": REGISTRY_PATH, "edits": [
        {"old_string": "proposed", "new_string": "active"}]});
    assert_registry_block(&pre(&sb, "MultiEdit", multi), "MultiEdit");
}

#[test]
fn registry_path_tricks_are_blocked() {
    let sb = Sandbox::new("bp-reg-paths");
    let rules = rules_home(&sb, REGISTRY);
    std::os::unix::fs::symlink(&rules, sb.cwd.join("r")).unwrap();
    std::os::unix::fs::symlink(rules.join("zakon-registry.json"), sb.cwd.join("notes.json"))
        .unwrap();
    for path in [
        "~/system/other/../rules/zakon-registry.json",
        "~/system/rules/./zakon-registry.json",
        "r/zakon-registry.json",
        "notes.json",
        "~/system/rules/ZAKON-Registry.JSON",
        "~/System/Rules/zakon-registry.json",
    ] {
        assert_registry_block(&pre(&sb, "Edit", approve_edit(path)), path);
    }
    // An absolute path through the symlinked directory as well.
    let abs = sb.cwd.join("r/zakon-registry.json");
    let out = pre(&sb, "Edit", approve_edit(abs.to_str().unwrap()));
    assert_registry_block(&out, "absolute symlinked dir");
}

#[test]
fn registry_override_is_accepted_and_logged() {
    let sb = Sandbox::new("bp-reg-override");
    rules_home(&sb, REGISTRY);
    let input = hook("PreToolUse", "Edit", approve_edit(REGISTRY_PATH), &sb.cwd);
    let out = sb.run(
        BIN,
        &[],
        &input,
        &[("BLUEPRINT_OVERRIDE", "ceo-approved-4242")],
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(
        stderr(&out).contains("allowed by BLUEPRINT_OVERRIDE (MC #4242), audit-logged"),
        "{}",
        stderr(&out)
    );
    let lines = sb.audit_lines();
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0]["decision"], "override");
    assert_eq!(lines[0]["rule"], "zakon-registry-write");
    assert_eq!(lines[0]["details"]["mc_id"], "4242");
    assert_eq!(lines[0]["details"]["entries"], 2);
    assert_eq!(
        lines[0]["details"]["file"],
        "~/system/rules/zakon-registry.json"
    );

    // A new entry is named in the audit line.
    let added = REGISTRY.replace(
        "]}",
        r#", {"zakon_id":"new-rule","file_path":"~/system/rules/zakon-new-rule.md","mc_task":4242,
  "ceo_approved_token":"[CEO_APPROVED]","status":"active"}]}"#,
    );
    let write = hook(
        "PreToolUse",
        "Write",
        json!({"file_path": REGISTRY_PATH, "content": added}),
        &sb.cwd,
    );
    let out = sb.run(
        BIN,
        &[],
        &write,
        &[("BLUEPRINT_OVERRIDE", "ceo-approved-4242")],
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(sb.audit_lines()[1]["details"]["added"], json!(["new-rule"]));

    // Even with the override, the result must still be a usable registry.
    let broken = hook(
        "PreToolUse",
        "Write",
        json!({"file_path": REGISTRY_PATH, "content": "{ not json"}),
        &sb.cwd,
    );
    let out = sb.run(
        BIN,
        &[],
        &broken,
        &[("BLUEPRINT_OVERRIDE", "ceo-approved-4242")],
    );
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("would leave") && stderr(&out).contains("not valid JSON"),
        "{}",
        stderr(&out)
    );

    // A malformed override is rejected and logged.
    let out = sb.run(BIN, &[], &input, &[("BLUEPRINT_OVERRIDE", "yes")]);
    assert_registry_block(&out, "bad override");
    assert!(stderr(&out).contains("not a valid override"));
    let lines = sb.audit_lines();
    assert!(
        lines
            .iter()
            .any(|l| l["decision"] == "override-rejected" && l["details"]["value"] == "yes")
    );
}

#[test]
fn registry_post_tool_use_restores_the_change() {
    let sb = Sandbox::new("bp-reg-post");
    let rules = rules_home(&sb, REGISTRY);
    let reg = rules.join("zakon-registry.json");
    // The first call (before any tool) takes the registry as it is.
    let out = pre(&sb, "Read", json!({"file_path": "README.md"}));
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let input = hook("PostToolUse", "Edit", approve_edit(REGISTRY_PATH), &sb.cwd);
    sb.write(&reg, self_approved());
    let out = sb.run(BIN, &[], &input, &[]);
    assert_eq!(code(&out), 2);
    let err = stderr(&out);
    assert!(
        err.contains("~/system/rules/zakon-registry.json was changed")
            && err.contains("only the CEO changes the ZAKON registry")
            && err.contains("zakon restored the last good version")
            && err.contains("BLUEPRINT_OVERRIDE=ceo-approved-<MC task id>"),
        "{err}"
    );
    assert_eq!(std::fs::read_to_string(&reg).unwrap(), REGISTRY);
    // Even the override does not keep a registry that no longer validates.
    sb.write(&reg, "{ broken");
    let ok = ("BLUEPRINT_OVERRIDE", "ceo-approved-7");
    let out = sb.run(BIN, &[], &input, &[ok]);
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("no longer validates"),
        "{}",
        stderr(&out)
    );
    assert_eq!(std::fs::read_to_string(&reg).unwrap(), REGISTRY);
    // The override keeps a valid change, audit-logged.
    sb.write(&reg, self_approved());
    let out = sb.run(BIN, &[], &input, &[ok]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(std::fs::read_to_string(&reg).unwrap(), self_approved());
    assert!(
        sb.audit_lines()
            .iter()
            .any(|l| l["decision"] == "override" && l["details"]["mc_id"] == "7")
    );
}

#[test]
fn bash_writes_to_the_registry_are_blocked_reads_pass() {
    let sb = Sandbox::new("bp-reg-bash");
    rules_home(&sb, REGISTRY);
    for cmd in [
        "echo '{}' > ~/system/rules/zakon-registry.json",
        "sed -i 's/\"proposed\"/\"active\"/' ~/system/rules/zakon-registry.json",
        "jq '.registry[1].status=\"active\"' /tmp/r.json | tee ~/system/rules/zakon-registry.json",
        "cp /tmp/mine.json ~/system/rules/zakon-registry.json",
        "cd ~/system/rules && cat > ZAKON-REGISTRY.json <<'EOF'\n{}\nEOF",
    ] {
        // The override never allows a Bash write of the registry.
        for env in [&[][..], &[("BLUEPRINT_OVERRIDE", "ceo-approved-1")][..]] {
            let out = sb.run(
                BIN,
                &[],
                &hook("PreToolUse", "Bash", json!({"command": cmd}), &sb.cwd),
                env,
            );
            assert_eq!(code(&out), 2, "{cmd}");
            assert!(
                stderr(&out).contains("blueprint-gate [zakon-registry-write]")
                    && stderr(&out).contains("never a Bash write"),
                "{cmd}: {}",
                stderr(&out)
            );
        }
    }
    for cmd in [
        "cat ~/system/rules/zakon-registry.json",
        "jq . ~/system/rules/zakon-registry.json",
        "jq '.registry[].status' ~/system/rules/zakon-registry.json > /tmp/statuses.txt",
        "zakon-registry list --json",
        "cp ~/system/rules/zakon-registry.json /tmp/registry-backup.json",
    ] {
        let out = pre(&sb, "Bash", json!({"command": cmd}));
        assert_eq!(code(&out), 0, "{cmd}: {}", stderr(&out));
    }
}

#[test]
fn unrelated_registry_files_pass() {
    let sb = Sandbox::new("bp-reg-unrelated");
    rules_home(&sb, REGISTRY);
    for path in [
        "registry.json",
        "~/system/rules/registry.json",
        "~/projects/zakon/registry/zakon-registry.json",
        "package.json",
    ] {
        let out = pre(&sb, "Write", json!({"file_path": path, "content": "{}"}));
        assert_eq!(code(&out), 0, "{path}: {}", stderr(&out));
    }
    for cmd in [
        "echo '{}' > registry.json",
        "sed -i s/a/b/ ~/projects/app/registry.json",
    ] {
        let out = pre(&sb, "Bash", json!({"command": cmd}));
        assert_eq!(code(&out), 0, "{cmd}: {}", stderr(&out));
    }
    assert!(sb.audit_lines().is_empty());
}

#[test]
fn registry_elsewhere_is_guarded_by_env_and_config() {
    let sb = Sandbox::new("bp-reg-located");
    sb.write(&sb.home.join("custom/reg.json"), REGISTRY);
    sb.write(&sb.home.join("cfg/org-registry.json"), REGISTRY);
    let env = [("ZAKON_REGISTRY", "~/custom/reg.json")];
    let run = |tool: &str, input: Value, env: &[(&str, &str)]| {
        sb.run(BIN, &[], &hook("PreToolUse", tool, input, &sb.cwd), env)
    };
    let out = run("Edit", approve_edit("~/custom/reg.json"), &env);
    assert_registry_block(&out, "$ZAKON_REGISTRY");
    let out = run(
        "Bash",
        json!({"command": "echo x > ~/custom/reg.json"}),
        &env,
    );
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    // Without the variable that file is just a file.
    let out = run("Edit", approve_edit("~/custom/reg.json"), &[]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    // The default location stays guarded when the variable points elsewhere.
    let out = run(
        "Write",
        json!({"file_path": REGISTRY_PATH, "content": "{}"}),
        &env,
    );
    assert_registry_block(&out, "default with $ZAKON_REGISTRY set");

    sb.write(
        &sb.home.join(".claude/zakon/config.json"),
        r#"{"registry": {"path": "~/cfg/org-registry.json"}}"#,
    );
    let out = run("Edit", approve_edit("~/cfg/org-registry.json"), &[]);
    assert_registry_block(&out, "config registry.path");
    let out = run(
        "Bash",
        json!({"command": "sed -i s/a/b/ ~/cfg/org-registry.json"}),
        &[],
    );
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    let out = run(
        "Write",
        json!({"file_path": "other.json", "content": "{}"}),
        &[],
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
}

/// Symlinks with harmless names into scope: an existing blueprint, a blueprint that does not
/// exist yet (dangling link), a rule file and the registry.
fn harmless_links(sb: &Sandbox) {
    sb.write(&sb.cwd.join("app/BUILD-BLUEPRINT.md"), VALID);
    std::fs::create_dir_all(sb.home.join("system/rules")).unwrap();
    let link = |target: &str, name: &str| {
        std::os::unix::fs::symlink(target, sb.cwd.join(name)).unwrap();
    };
    link("app/BUILD-BLUEPRINT.md", "harmless.txt");
    link("newdir/BUILD-BLUEPRINT.md", "dangling.txt");
    let rules = sb.home.join("system/rules");
    link(rules.join("zakon-sneaky.md").to_str().unwrap(), "rule.txt");
    link(
        rules.join("zakon-registry.json").to_str().unwrap(),
        "reg.txt",
    );
}

#[test]
fn bash_writes_through_harmless_symlinks_are_blocked() {
    let sb = Sandbox::new("bp-bash-links");
    harmless_links(&sb);
    for (link, lands) in [
        ("harmless.txt", "app/BUILD-BLUEPRINT.md"),
        ("dangling.txt", "newdir/BUILD-BLUEPRINT.md"),
        ("rule.txt", "zakon-sneaky.md"),
        ("reg.txt", "zakon-registry.json"),
    ] {
        for cmd in [
            format!("echo x > {link}"),
            format!("printf 'Owner: x' | tee {link}"),
            format!("cp /etc/hostname {link}"),
            format!("sed -i 's/a/b/' {link}"),
            format!("cargo build 2>&1 && echo ok >> ./{link}"),
            format!("curl -fsSo {link} https://example.com/x"),
        ] {
            let out = pre(&sb, "Bash", json!({"command": cmd}));
            let err = stderr(&out);
            assert_eq!(code(&out), 2, "{cmd}: {err}");
            assert!(err.contains(&format!("{link} → ")), "{cmd}: {err}");
            assert!(err.contains(lands), "{cmd}: {err}");
            if link == "reg.txt" {
                assert!(
                    err.contains("blueprint-gate [zakon-registry-write]"),
                    "{cmd}: {err}"
                );
            } else {
                assert!(err.contains("Use the Write or Edit"), "{cmd}: {err}");
            }
        }
    }
    // The gate only judges: nothing was written through the links.
    assert!(!sb.cwd.join("newdir").exists());
    assert_eq!(
        std::fs::read_to_string(sb.cwd.join("app/BUILD-BLUEPRINT.md")).unwrap(),
        VALID
    );
    let blocks = sb.audit_lines();
    assert_eq!(blocks.len(), 24);
    assert!(
        blocks
            .iter()
            .all(|l| l["decision"] == "block" && l["gate"] == "blueprint-gate"),
        "{blocks:?}"
    );
}

#[test]
fn harmless_symlinks_stay_readable_and_unrelated_writes_pass() {
    let sb = Sandbox::new("bp-bash-links-ok");
    harmless_links(&sb);
    sb.write(&sb.cwd.join("plain.txt"), "x");
    std::os::unix::fs::symlink(sb.cwd.join("plain.txt"), sb.cwd.join("notes.txt")).unwrap();
    for cmd in [
        "cat harmless.txt dangling.txt",
        "cp harmless.txt /tmp/copy.md",
        "grep Owner harmless.txt > summary.txt",
        "echo x > plain.txt",
        "echo x > notes.txt",
        "cargo build 2>&1 | tee build.log",
        // mv and ln replace the link itself; the blueprint behind it is untouched.
        "mv draft.txt harmless.txt",
        "ln -sf elsewhere.md dangling.txt",
        "git status && git diff",
    ] {
        let out = pre(&sb, "Bash", json!({"command": cmd}));
        assert_eq!(code(&out), 0, "{cmd}: {}", stderr(&out));
    }
    assert!(sb.audit_lines().is_empty());
}

#[test]
fn write_through_a_dangling_symlink_is_checked() {
    let sb = Sandbox::new("bp-dangling");
    harmless_links(&sb);
    let out = pre(
        &sb,
        "Write",
        json!({"file_path": "dangling.txt", "content": "# empty\n"}),
    );
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    assert!(stderr(&out).contains("schema 0/5"), "{}", stderr(&out));
    let out = pre(
        &sb,
        "Write",
        json!({"file_path": "dangling.txt", "content": VALID}),
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    // A dangling link to a rule file goes through the registry (none here: fail closed).
    let out = pre(
        &sb,
        "Write",
        json!({"file_path": "rule.txt", "content": "# rule\n"}),
    );
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    assert!(stderr(&out).contains("ZAKON registry"), "{}", stderr(&out));
}

#[test]
fn stored_versions_and_downloads_into_scope_are_blocked() {
    let sb = Sandbox::new("bp-git-curl");
    for (cmd, hint) in [
        (
            "git checkout HEAD~1 -- app/BUILD-BLUEPRINT.md",
            "git show REF:PATH",
        ),
        ("git checkout main DEPLOY-MAP.md", "git show REF:PATH"),
        (
            "git restore --source v1.2 BUILD-BLUEPRINT.md",
            "git show REF:PATH",
        ),
        ("git restore BUILD-BLUEPRINT.md", "git show REF:PATH"),
        (
            "git show HEAD~3:BUILD-BLUEPRINT.md > BUILD-BLUEPRINT.md",
            "Use the Write or Edit",
        ),
        (
            "curl -fsSL -o svc/BUILD-BLUEPRINT.md https://example.com/bp.md",
            "scratch name",
        ),
        (
            "curl -O https://example.com/a/DEPLOY-MAP.md",
            "scratch name",
        ),
        (
            "wget -qO DEPLOY-MAP.md https://example.com/map",
            "scratch name",
        ),
        (
            "wget -O ~/system/rules/zakon-x.md https://example.com/r",
            "rule file",
        ),
    ] {
        let out = pre(&sb, "Bash", json!({"command": cmd}));
        let err = stderr(&out);
        assert_eq!(code(&out), 2, "{cmd}: {err}");
        assert!(err.contains(hint), "{cmd}: {err}");
    }
    for cmd in [
        "git show HEAD:BUILD-BLUEPRINT.md",
        "git restore --staged BUILD-BLUEPRINT.md",
        "git log -p -- BUILD-BLUEPRINT.md",
        "git checkout -- src/main.rs",
        "curl -fsS https://example.com/BUILD-BLUEPRINT.md | head",
        "curl -o /tmp/bp-draft.md https://example.com/BUILD-BLUEPRINT.md",
        "wget -O - https://example.com/DEPLOY-MAP.md",
    ] {
        let out = pre(&sb, "Bash", json!({"command": cmd}));
        assert_eq!(code(&out), 0, "{cmd}: {}", stderr(&out));
    }
}

#[test]
fn tool_input_that_is_not_an_object_fails_closed() {
    let sb = Sandbox::new("bp-input-string");
    for (tool, input) in [
        ("Bash", json!("echo x > BUILD-BLUEPRINT.md")),
        ("Bash", json!("ls")),
        ("Write", json!("BUILD-BLUEPRINT.md")),
        ("Edit", json!(["BUILD-BLUEPRINT.md"])),
    ] {
        let out = pre(&sb, tool, input.clone());
        assert_eq!(code(&out), 2, "{tool} {input}: {}", stderr(&out));
        assert!(
            stderr(&out).contains("tool_input should be an object"),
            "{tool} {input}: {}",
            stderr(&out)
        );
    }
}

#[test]
fn bash_writes_inside_compound_commands_are_blocked() {
    let sb = Sandbox::new("bp-compound");
    for cmd in [
        "if true; then tee BUILD-BLUEPRINT.md < draft.md; fi",
        "{ tee DEPLOY-MAP.md; } < draft.md",
        "! cp draft.md BUILD-BLUEPRINT.md",
        "for f in draft.md; do cp $f BUILD-BLUEPRINT.md; done",
        "while read l; do echo $l >> BUILD-BLUEPRINT.md; done < draft.md",
    ] {
        let out = pre(&sb, "Bash", json!({"command": cmd}));
        assert_eq!(code(&out), 2, "{cmd}: {}", stderr(&out));
    }
    let out = pre(
        &sb,
        "Bash",
        json!({"command": "if true; then cat BUILD-BLUEPRINT.md; fi"}),
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
}

// --- the zakon config and Claude Code settings -------------------------------------------

const OVERRIDE_OK: (&str, &str) = ("BLUEPRINT_OVERRIDE", "ceo-approved-4242");

fn config_path(sb: &Sandbox) -> std::path::PathBuf {
    sb.home.join(".claude/zakon/config.json")
}

fn assert_block(out: &std::process::Output, rule: &str, what: &str) {
    assert_eq!(code(out), 2, "{what}: {}", stderr(out));
    let line = sb_rule(out);
    assert_eq!(line, rule, "{what}: {}", stderr(out));
}

/// The rule a block names, from the message's guard name.
fn sb_rule(out: &std::process::Output) -> &'static str {
    let err = stderr(out);
    if err.contains("[zakon-config-write]") {
        "zakon-config-write"
    } else if err.contains("[zakon-hooks-removed]") {
        "zakon-hooks-removed"
    } else {
        "other"
    }
}

#[test]
fn config_writes_are_blocked() {
    let sb = Sandbox::new("bp-config");
    let cfg = config_path(&sb);
    sb.write(&cfg, "{}\n");
    let evil = r#"{"claim_gate": {"disabled_claim_words": ["done"]}}"#;
    let out = pre(&sb, "Write", write_input(&cfg, evil));
    assert_block(&out, "zakon-config-write", "Write");
    assert!(stderr(&out).contains("~/.claude/zakon/config.json"));
    // Edit through `..`, and `~`.
    let out = pre(
        &sb,
        "Edit",
        json!({"file_path": "~/.claude/../.claude/zakon/./config.json",
               "old_string": "{}", "new_string": evil}),
    );
    assert_block(&out, "zakon-config-write", "Edit via ..");
    let lines = sb.audit_lines();
    assert_eq!(lines.len(), 2);
    assert!(lines.iter().all(|l| l["rule"] == "zakon-config-write"));
    // A config.json elsewhere is nobody's business.
    let out = pre(&sb, "Write", write_input(&sb.cwd.join("config.json"), evil));
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    // After a write that happened anyway, the effects check puts the config back.
    sb.write(&cfg, evil);
    let out = sb.run(
        BIN,
        &[],
        &hook("PostToolUse", "Write", write_input(&cfg, evil), &sb.cwd),
        &[],
    );
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    assert!(
        stderr(&out).contains("~/.claude/zakon/config.json was changed: only the CEO"),
        "{}",
        stderr(&out)
    );
    assert_eq!(std::fs::read_to_string(&cfg).unwrap(), "{}\n");
}

#[test]
fn zakon_config_env_path_is_guarded() {
    let sb = Sandbox::new("bp-config-env");
    let moved = sb.home.join("etc/zakon.json");
    sb.write(&moved, "{}\n");
    let env = [("ZAKON_CONFIG", moved.to_str().unwrap())];
    let out = sb.run(
        BIN,
        &[],
        &hook(
            "PreToolUse",
            "Write",
            write_input(
                &moved,
                r#"{"artifact_gate": {"evidence_patterns": [".*"]}}"#,
            ),
            &sb.cwd,
        ),
        &env,
    );
    assert_block(&out, "zakon-config-write", "$ZAKON_CONFIG");
    // The default place stays guarded too.
    let out = sb.run(
        BIN,
        &[],
        &hook(
            "PreToolUse",
            "Write",
            write_input(&config_path(&sb), "{}"),
            &sb.cwd,
        ),
        &env,
    );
    assert_block(&out, "zakon-config-write", "default path");
    let out = sb.run(
        BIN,
        &[],
        &hook(
            "PreToolUse",
            "Bash",
            json!({"command": format!("echo '{{}}' > {}", moved.display())}),
            &sb.cwd,
        ),
        &env,
    );
    assert_block(&out, "zakon-config-write", "Bash to $ZAKON_CONFIG");
}

#[test]
fn config_override_is_logged_and_must_leave_a_valid_config() {
    let sb = Sandbox::new("bp-config-override");
    let cfg = config_path(&sb);
    sb.write(&cfg, "{}\n");
    let run = |content: &str| {
        sb.run(
            BIN,
            &[],
            &hook("PreToolUse", "Write", write_input(&cfg, content), &sb.cwd),
            &[OVERRIDE_OK],
        )
    };
    let out = run(r#"{"audit_log": "~/.claude/zakon/audit.jsonl"}"#);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(stderr(&out).contains("MC #4242"));
    let lines = sb.audit_lines();
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0]["decision"], "override");
    assert_eq!(lines[0]["rule"], "zakon-config-write");
    for bad in ["[1]", "{not json", r#"{"claim_gates": {}}"#] {
        let out = run(bad);
        assert_block(&out, "zakon-config-write", bad);
        assert!(stderr(&out).contains("invalid"), "{bad}: {}", stderr(&out));
    }
    // Bash never gets the override.
    let out = sb.run(
        BIN,
        &[],
        &hook(
            "PreToolUse",
            "Bash",
            json!({"command": "echo '{}' > ~/.claude/zakon/config.json"}),
            &sb.cwd,
        ),
        &[OVERRIDE_OK],
    );
    assert_block(&out, "zakon-config-write", "Bash with override");
}

#[test]
fn bash_writes_to_the_config_are_blocked_reads_pass() {
    let sb = Sandbox::new("bp-config-bash");
    sb.write(&config_path(&sb), "{}\n");
    for cmd in [
        "echo '{}' > ~/.claude/zakon/config.json",
        "echo '{}' > $HOME/.claude/zakon/config.json",
        "jq '.claim_gate={}' /tmp/c.json | tee ~/.claude/zakon/config.json",
        "sed -i 's/a/b/' ~/.claude/zakon/../zakon/config.json",
        "cp /tmp/c.json ~/.claude/zakon/config.json",
        "mv /tmp/c.json ~/.claude/zakon/config.json",
    ] {
        let out = pre(&sb, "Bash", json!({"command": cmd}));
        assert_block(&out, "zakon-config-write", cmd);
    }
    for cmd in [
        "cat ~/.claude/zakon/config.json",
        "jq . ~/.claude/zakon/config.json",
        "jq . ~/.claude/zakon/config.json > /tmp/c.json",
        "echo '{}' > config.json",
    ] {
        let out = pre(&sb, "Bash", json!({"command": cmd}));
        assert_eq!(code(&out), 0, "{cmd}: {}", stderr(&out));
    }
}

const SETTINGS: &str = r#"{
  "permissions": {"allow": ["Bash(ls:*)"]},
  "hooks": {
    "Stop": [{"hooks": [{"type": "command", "command": "claim-gate"}]}],
    "PreToolUse": [
      {"matcher": "Write|Edit|MultiEdit|Bash", "hooks": [{"type": "command", "command": "blueprint-gate"}]}
    ]
  }
}
"#;

fn settings_path(sb: &Sandbox) -> std::path::PathBuf {
    let p = sb.home.join(".claude/settings.json");
    sb.write(&p, SETTINGS);
    p
}

#[test]
fn settings_edit_that_removes_a_zakon_hook_is_blocked() {
    let sb = Sandbox::new("bp-settings-remove");
    let p = settings_path(&sb);
    let edit = json!({"file_path": p,
        "old_string": r#""Stop": [{"hooks": [{"type": "command", "command": "claim-gate"}]}],"#,
        "new_string": ""});
    let out = pre(&sb, "Edit", edit.clone());
    assert_block(&out, "zakon-hooks-removed", "remove Stop hook");
    assert!(
        stderr(&out).contains("Stop → claim-gate"),
        "{}",
        stderr(&out)
    );
    // `|| true` after the gate changes the registration too.
    let out = pre(
        &sb,
        "Edit",
        json!({"file_path": p, "old_string": "\"command\": \"claim-gate\"",
               "new_string": "\"command\": \"claim-gate || true\""}),
    );
    assert_block(&out, "zakon-hooks-removed", "|| true");
    let out = pre(
        &sb,
        "Edit",
        json!({"file_path": p, "old_string": "\"permissions\"",
               "new_string": "\"disableAllHooks\": true, \"permissions\""}),
    );
    assert_block(&out, "zakon-hooks-removed", "disableAllHooks");
    // The override lets it through, audit-logged.
    let out = sb.run(
        BIN,
        &[],
        &hook("PreToolUse", "Edit", edit, &sb.cwd),
        &[OVERRIDE_OK],
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let lines = sb.audit_lines();
    let last = lines.last().unwrap();
    assert_eq!(last["decision"], "override");
    assert_eq!(last["rule"], "zakon-hooks-removed");
}

#[test]
fn settings_edits_that_keep_zakon_hooks_pass() {
    let sb = Sandbox::new("bp-settings-keep");
    let p = settings_path(&sb);
    let out = pre(
        &sb,
        "Edit",
        json!({"file_path": p, "old_string": "\"Bash(ls:*)\"",
               "new_string": "\"Bash(ls:*)\", \"Bash(cargo test:*)\""}),
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    // Adding an own hook, and a Write that keeps the zakon ones.
    let mut v: Value = serde_json::from_str(SETTINGS).unwrap();
    v["hooks"]["PostToolUse"] = json!([{"matcher": "Write",
        "hooks": [{"type": "command", "command": "prettier --write"}]}]);
    v["model"] = json!("opus");
    let out = pre(&sb, "Write", write_input(&p, &v.to_string()));
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(sb.audit_lines().is_empty());
}

#[test]
fn settings_write_with_invalid_json_is_blocked_only_over_zakon_hooks() {
    let sb = Sandbox::new("bp-settings-json");
    let p = settings_path(&sb);
    let out = pre(&sb, "Write", write_input(&p, "{\"hooks\": {"));
    assert_block(&out, "zakon-hooks-removed", "invalid JSON");
    assert!(stderr(&out).contains("not valid JSON"));
    // No zakon hooks: anything goes, even removing every hook.
    sb.write(
        &p,
        r#"{"hooks": {"PostToolUse": [{"hooks": [{"type": "command", "command": "prettier"}]}]}}"#,
    );
    for content in ["{}", "{\"hooks\": {"] {
        let out = pre(&sb, "Write", write_input(&p, content));
        assert_eq!(code(&out), 0, "{content}: {}", stderr(&out));
    }
    // A new settings file has nothing to lose either.
    let fresh = sb.cwd.join(".claude/settings.json");
    let out = pre(&sb, "Write", write_input(&fresh, "{}"));
    assert_eq!(code(&out), 0, "{}", stderr(&out));
}

#[test]
fn project_settings_local_is_covered() {
    let sb = Sandbox::new("bp-settings-local");
    let p = sb.cwd.join(".claude/settings.local.json");
    sb.write(&p, SETTINGS);
    let out = pre(
        &sb,
        "Write",
        write_input(Path::new(".claude/settings.local.json"), "{}"),
    );
    assert_block(&out, "zakon-hooks-removed", "settings.local.json");
    assert!(stderr(&out).contains("PreToolUse [Write|Edit|MultiEdit|Bash] → blueprint-gate"));
}

#[test]
fn bash_writes_to_settings_are_blocked_reads_pass() {
    let sb = Sandbox::new("bp-settings-bash");
    settings_path(&sb);
    sb.write(&sb.cwd.join(".claude/settings.local.json"), SETTINGS);
    for cmd in [
        "sed -i '/claim-gate/d' ~/.claude/settings.json",
        "echo '{}' > ~/.claude/settings.json",
        "jq 'del(.hooks)' ~/.claude/settings.json | tee .claude/settings.local.json",
        "cp /tmp/s.json ~/.claude/settings.json",
        "mv /tmp/s.json .claude/settings.local.json",
    ] {
        let out = pre(&sb, "Bash", json!({"command": cmd}));
        assert_block(&out, "zakon-hooks-removed", cmd);
        assert!(stderr(&out).contains("Edit tool"), "{cmd}");
    }
    for cmd in [
        "cat ~/.claude/settings.json",
        "jq . ~/.claude/settings.json",
        "jq .hooks .claude/settings.local.json > /tmp/hooks.json",
        "echo x > settings.json",
    ] {
        let out = pre(&sb, "Bash", json!({"command": cmd}));
        assert_eq!(code(&out), 0, "{cmd}: {}", stderr(&out));
    }
}

#[test]
fn deleting_a_guarded_file_through_bash_is_blocked() {
    let sb = Sandbox::new("bp-rm");
    for cmd in [
        "rm ~/.claude/settings.json",
        "rm -f ~/.claude/zakon/config.json",
        "rm ~/system/rules/zakon-feasibility-check.md",
        "unlink ~/system/rules/zakon-registry.json",
    ] {
        let out = pre(&sb, "Bash", json!({"command": cmd}));
        assert_eq!(code(&out), 2, "{cmd}: {}", stderr(&out));
        assert!(
            stderr(&out).contains(&format!("via {}", cmd.split(' ').next().unwrap())),
            "{cmd}: {}",
            stderr(&out)
        );
    }
    // deleting a blueprint or build output is not a rule change
    for cmd in ["rm BUILD-BLUEPRINT.md", "rm -rf target", "git rm -r old"] {
        let out = pre(&sb, "Bash", json!({"command": cmd}));
        assert_eq!(code(&out), 0, "{cmd}: {}", stderr(&out));
    }
}

/// A user PreToolUse hook rewrote `Write notes.md` into a schema-less `BUILD-BLUEPRINT.md`
/// after zakon had allowed `notes.md`. The Post check judges the disk, not the tool input:
/// it finds the new blueprint and moves it out of the way, whatever either hook input said.
#[test]
fn a_write_rewritten_by_another_hook_is_caught_after() {
    let sb = Sandbox::new("bp-rewrite");
    sb.write(&sb.cwd.join("README.md"), "x\n");
    let notes = json!({"file_path": sb.cwd.join("notes.md"), "content": "no schema\n"});
    let out = pre(&sb, "Write", notes.clone());
    assert_eq!(code(&out), 0, "Pre saw only notes.md: {}", stderr(&out));
    // What the rewritten tool call really did.
    let written = sb.write(&sb.cwd.join("docs/BUILD-BLUEPRINT.md"), "no schema\n");
    let out = sb.run(BIN, &[], &hook("PostToolUse", "Write", notes, &sb.cwd), &[]);
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("docs/BUILD-BLUEPRINT.md was created: it fails the blueprint schema")
            && err.contains("zakon moved it out of the way"),
        "{err}"
    );
    assert!(!written.exists());
}
