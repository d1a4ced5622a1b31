//! The SessionStart banner is per project: it shows this project's unseen verdicts with a
//! count, marks them seen, and leaves other projects' verdicts unseen for their own sessions.

mod support;
use serde_json::json;
use support::*;

fn block_in(sb: &Sandbox, project: &std::path::Path, session: &str, reply: &str) {
    std::fs::create_dir_all(project).unwrap();
    let input = json!({"session_id": session, "hook_event_name": "Stop", "cwd": project,
                       "last_assistant_message": reply});
    let out = sb.run("claim-gate", &[], input.to_string().as_bytes(), &[]);
    assert_eq!(code(&out), 2, "{}", stderr(&out));
}

fn banner(sb: &Sandbox, project: &std::path::Path) -> String {
    let input = json!({"session_id": "new", "hook_event_name": "SessionStart",
                       "source": "startup", "cwd": project});
    let out = sb.run("claim-gate", &["banner"], input.to_string().as_bytes(), &[]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    stdout(&out)
}

#[test]
fn banner_shows_only_this_projects_unseen_verdicts_with_a_count() {
    let sb = Sandbox::new("banner-project");
    let a = sb.root.join("project-a");
    let b = sb.root.join("project-b");
    block_in(&sb, &a, "sa1", "Deployed to production and verified.");
    block_in(&sb, &b, "sb1", "Migration finished, all green.");
    block_in(&sb, &a, "sa2", "The fix is live.");

    let shown = banner(&sb, &a);
    assert!(
        shown.contains("the last verdicts for this project"),
        "{shown}"
    );
    assert!(
        shown.contains("Deployed to production and verified."),
        "{shown}"
    );
    assert!(shown.contains("The fix is live."), "{shown}");
    assert!(!shown.contains("Migration finished"), "{shown}");
    // Seen now: the next session in A starts clean.
    assert_eq!(banner(&sb, &a), "");

    // B's verdict waited for B.
    let shown = banner(&sb, &b);
    assert!(
        shown.contains("the last verdict for this project"),
        "{shown}"
    );
    assert!(shown.contains("Migration finished, all green."), "{shown}");
    assert_eq!(banner(&sb, &b), "");
    // A project with nothing prints nothing.
    assert_eq!(banner(&sb, &sb.root.join("project-c")), "");
}

#[test]
fn claude_project_dir_names_the_project_for_both_sides() {
    let sb = Sandbox::new("banner-env");
    let a = sb.root.join("project-a");
    let sub = a.join("src/deep");
    std::fs::create_dir_all(&sub).unwrap();
    // The agent cd'ed into a subdirectory; Claude Code's CLAUDE_PROJECT_DIR still names A.
    let input = json!({"session_id": "s", "hook_event_name": "Stop", "cwd": sub,
                       "last_assistant_message": "Done and verified."});
    let dir = a.display().to_string();
    let env = [("CLAUDE_PROJECT_DIR", dir.as_str())];
    let out = sb.run("claim-gate", &[], input.to_string().as_bytes(), &env);
    assert_eq!(code(&out), 2);
    let input = json!({"session_id": "n", "hook_event_name": "SessionStart", "cwd": a});
    let out = sb.run("claim-gate", &["banner"], input.to_string().as_bytes(), &[]);
    assert!(stdout(&out).contains("1 unseen"), "{}", stdout(&out));
}
