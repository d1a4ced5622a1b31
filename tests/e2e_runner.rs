//! The e2e runner's scenario filter: an argument that names no scenario fails the run before
//! anything runs, with the names there are — a filter that runs nothing never reads as a pass.
//! (The suite itself needs the real client and runs from `.ci/run`.)

mod support;
use std::path::Path;
use std::process::Command;
use support::*;

#[test]
fn a_scenario_filter_that_matches_nothing_fails() {
    let sb = Sandbox::new("e2e-filter");
    let run = Path::new(env!("CARGO_MANIFEST_DIR")).join("e2e/run.py");
    for args in [
        vec!["no_such_scenario"],
        vec!["sessionstart_banner", "no_such_scenario"],
        vec!["e2e/scenarios/nothing-here.json"],
    ] {
        let out = Command::new("python3")
            .arg(&run)
            .args(&args)
            .current_dir(&sb.cwd)
            // A client that does not exist: the filter must be what stops the run.
            .env("CLAUDE_BIN", sb.root.join("no-claude"))
            .output()
            .expect("python3");
        let err = stderr(&out);
        assert_eq!(code(&out), 2, "{args:?}: {err}{}", stdout(&out));
        assert!(err.contains("e2e: FAIL: no scenario matches"), "{err}");
        assert!(err.contains("Nothing was run"), "{err}");
        // It lists what could be run.
        assert!(err.contains("sessionstart_banner"), "{err}");
        assert!(stdout(&out).is_empty(), "{}", stdout(&out));
    }
    // A real name gets past the filter (and then stops at the missing client, exit 2).
    let out = Command::new("python3")
        .arg(&run)
        .arg("sessionstart_banner")
        .current_dir(&sb.cwd)
        .env("CLAUDE_BIN", sb.root.join("no-claude"))
        .output()
        .expect("python3");
    assert!(
        !stderr(&out).contains("no scenario matches"),
        "{}",
        stderr(&out)
    );
    assert!(
        stderr(&out).contains("no Claude Code client"),
        "{}",
        stderr(&out)
    );
}
