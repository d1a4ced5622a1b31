//! artifact-gate — PreToolUse(Bash) hook: closing a Mission Control task with
//! `mc.js done|ready <id>` needs the artifacts its claims demand.
//!
//! Seed incident: agents closed tasks whose claims were about a registration screen or an
//! end-to-end flow with no screenshot and no trace anywhere — "available ≠ working".
//! A UI claim needs a real screenshot, an E2E claim a real trace or results file, and every
//! `done`/`ready` at least one non-empty evidence file (ZAKON #21).

pub mod artifacts;
pub mod claims;
pub mod command;
pub mod lexicon;
pub mod settings;

use clap::Parser;
use serde_json::json;
use std::fmt::Write as _;
use std::path::Path;
use std::process::ExitCode;
use zakon_core::{Context, Error, HookInput, Reason, Verdict};

use artifacts::Found;
use claims::Source;
use command::Target;
use settings::Settings;

pub const GATE: &str = "artifact-gate";

/// Claims shown in one block message; the rest are counted.
const MAX_CLAIMS_SHOWN: usize = 10;
/// Claim text longer than this is cut in messages.
const MAX_CLAIM_CHARS: usize = 200;

#[derive(Parser)]
#[command(
    name = "artifact-gate",
    version,
    about = "PreToolUse(Bash) hook: `mc.js done|ready <id>` needs the artifacts its claims demand",
    long_about = "PreToolUse(Bash) hook: `mc.js done|ready <id>` needs the artifacts its claims demand.\n\n\
Run with no arguments as a Claude Code hook: it reads the hook JSON on stdin and exits 0 \
(allow) or 2 (block, reason on stderr).\n\n\
Claims come from /tmp/verify-<id>/claims.json, else from the task's dod_evidence in \
~/system/databases/mission-control.db. A UI claim (ui, wizard, mobile, screen, \
registracija, onboarding) needs a real .png/.jpg/.jpeg/.webp screenshot; an E2E claim \
(e2e, flow, journey, walkthrough) needs a real .zip trace or a valid non-empty \
trace*.json / results.json; every done/ready needs at least one non-empty evidence file. \
Artifacts are looked for in /tmp/verify-<id>/ and /tmp/evidence-<id>/.\n\n\
Config: ~/.claude/zakon/config.json (or $ZAKON_CONFIG), section \"artifact_gate\": \
ui_keywords, e2e_keywords, tmp_root, mc_db."
)]
struct Cli {}

/// The command-line interface, for `zakon completions` and `zakon man`.
pub fn command() -> clap::Command {
    <Cli as clap::CommandFactory>::command()
}

pub fn main() -> ExitCode {
    // Hook mode has no arguments; only parse when there are some (--help, --version).
    if std::env::args_os().len() > 1 {
        Cli::parse();
    }
    zakon_core::run(GATE, judge)
}

/// The gate. Out of scope (another tool, another event, a command that does not close a
/// task) returns before any config, regex or disk access.
pub fn judge(ctx: &Context, input: &HookInput) -> Result<Verdict, Error> {
    if input.tool() != "Bash" {
        return Ok(Verdict::Allow);
    }
    // A missing event name is judged (a hand-run test is still a PreToolUse for us).
    if !matches!(input.event(), "" | "PreToolUse") {
        return Ok(Verdict::Allow);
    }
    let Some(cmd) = input.tool_str("command")? else {
        return Ok(Verdict::Allow);
    };
    if !command::mentions_script(cmd) {
        return Ok(Verdict::Allow);
    }
    let targets = command::targets(cmd);
    if targets.is_empty() {
        return Ok(Verdict::Allow);
    }
    if targets.len() > command::MAX_TARGETS {
        return Err(Error::new(format!(
            "the command closes more than {} Mission Control tasks at once; close them in \
             smaller batches",
            command::MAX_TARGETS
        )));
    }
    let settings = Settings::load(ctx)?;
    let mut blocks = Vec::new();
    for target in &targets {
        if let Some(reason) = check(target, &settings, &ctx.home)? {
            blocks.push(reason);
        }
    }
    Ok(merge(blocks))
}

/// One task's verdict: `None` when its claims are backed.
fn check(target: &Target, s: &Settings, home: &Path) -> Result<Option<Reason>, Error> {
    let Some(id) = target.id else {
        return Ok(Some(unknown_id(target)));
    };
    let verify = s.tmp_root.join(format!("verify-{id}"));
    let evidence = s.tmp_root.join(format!("evidence-{id}"));
    let claims = claims::load(&verify.join(artifacts::CLAIMS_FILE), &s.mc_db, id)?;
    let found = artifacts::scan(&[verify.clone(), evidence.clone()])?;

    let mut missing: Vec<Missing> = Vec::new();
    for text in &claims.texts {
        let words = claims::words(text);
        let ui = claims::matches(&words, &s.ui);
        let e2e = claims::matches(&words, &s.e2e);
        let mut needs = Vec::new();
        if !ui.is_empty() && found.screenshot.is_none() {
            needs.push(Need::Screenshot);
        }
        if !e2e.is_empty() && found.trace.is_none() {
            needs.push(Need::Trace);
        }
        if !needs.is_empty() {
            missing.push(Missing {
                claim: text,
                ui,
                e2e,
                needs,
            });
        }
    }
    // ZAKON #21: no done without evidence — even when no claim names a type.
    let no_evidence = found.evidence.is_none();
    if missing.is_empty() && !no_evidence {
        return Ok(None);
    }
    let ctx = Report {
        target,
        id,
        claims: &claims,
        found: &found,
        evidence_dir: &evidence,
        home,
    };
    Ok(Some(if missing.is_empty() {
        ctx.no_evidence()
    } else {
        ctx.missing_artifacts(&missing)
    }))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Need {
    Screenshot,
    Trace,
}

impl Need {
    fn type_name(self) -> &'static str {
        match self {
            Need::Screenshot => "UI",
            Need::Trace => "E2E",
        }
    }

    fn artifact(self) -> &'static str {
        match self {
            Need::Screenshot => {
                "a screenshot: a non-empty .png/.jpg/.jpeg/.webp whose bytes really are that image"
            }
            Need::Trace => {
                "a Playwright trace: a real .zip, or a valid non-empty trace*.json or results.json"
            }
        }
    }

    fn key(self) -> &'static str {
        match self {
            Need::Screenshot => "screenshot",
            Need::Trace => "trace",
        }
    }
}

struct Missing<'a> {
    claim: &'a str,
    ui: Vec<&'a str>,
    e2e: Vec<&'a str>,
    needs: Vec<Need>,
}

struct Report<'a> {
    target: &'a Target,
    id: u64,
    claims: &'a claims::Claims,
    found: &'a Found,
    evidence_dir: &'a Path,
    home: &'a Path,
}

impl Report<'_> {
    fn missing_artifacts(&self, missing: &[Missing]) -> Reason {
        let id = self.id;
        let mut msg = format!(
            "`{}` is blocked — task {id}'s claims need artifacts that \
             are not there.\n",
            self.target.shown
        );
        for m in missing.iter().take(MAX_CLAIMS_SHOWN) {
            let mut types = Vec::new();
            if !m.ui.is_empty() {
                types.push(format!("a UI claim (keyword: {})", m.ui.join(", ")));
            }
            if !m.e2e.is_empty() {
                types.push(format!("an E2E claim (keyword: {})", m.e2e.join(", ")));
            }
            let _ = writeln!(
                msg,
                "  - claim \"{}\" is {} — missing {}.",
                shorten(m.claim),
                types.join(" and "),
                m.needs
                    .iter()
                    .map(|n| n.artifact())
                    .collect::<Vec<_>>()
                    .join("; and ")
            );
        }
        if missing.len() > MAX_CLAIMS_SHOWN {
            let _ = writeln!(
                msg,
                "  - … and {} more claims like these.",
                missing.len() - MAX_CLAIMS_SHOWN
            );
        }
        self.context(&mut msg);
        let needs: Vec<Need> = [Need::Screenshot, Need::Trace]
            .into_iter()
            .filter(|n| missing.iter().any(|m| m.needs.contains(n)))
            .collect();
        let dir = self.dir_shown(self.evidence_dir);
        let mut steps = Vec::new();
        if needs.contains(&Need::Screenshot) {
            steps.push(format!(
                "a screenshot of the claimed screen, e.g. `npx playwright screenshot <url> \
                 {dir}screen.png`"
            ));
        }
        if needs.contains(&Need::Trace) {
            steps.push(format!(
                "a trace of the claimed flow, e.g. run it with `npx playwright test --trace on` \
                 and copy the trace.zip to {dir}, or save `--reporter=json` output as \
                 {dir}results.json"
            ));
        }
        let _ = write!(
            msg,
            "Fix: save {} — then run `{}` again. If a claim is not verified, say so instead of \
             closing the task.",
            steps.join("; and "),
            self.target.shown
        );
        Reason::new("artifact-gate/claim-artifacts", msg).with_details(json!({
            "task_id": id,
            "action": self.target.action,
            "claims_source": self.source_shown(),
            "missing": missing.iter().map(|m| json!({
                "claim": shorten(m.claim),
                "types": m.needs.iter().map(|n| n.type_name()).collect::<Vec<_>>(),
                "needs": m.needs.iter().map(|n| n.key()).collect::<Vec<_>>(),
            })).collect::<Vec<_>>(),
            "dirs": self.dirs_json(),
        }))
    }

    fn no_evidence(&self) -> Reason {
        let id = self.id;
        let mut msg = format!(
            "`{}` is blocked — no done without evidence, and task \
             {id} has no non-empty evidence file.\n",
            self.target.shown
        );
        self.context(&mut msg);
        let _ = write!(
            msg,
            "Fix: save the proof that task {id} works (command output, test log, screenshot) \
             as a non-empty file under {} — then run `{}` again.",
            self.dir_shown(self.evidence_dir),
            self.target.shown
        );
        Reason::new("artifact-gate/no-evidence", msg).with_details(json!({
            "task_id": id,
            "action": self.target.action,
            "claims_source": self.source_shown(),
            "claims": self.claims.texts.len(),
            "dirs": self.dirs_json(),
        }))
    }

    /// Where the claims came from, what was rejected and where the gate looked.
    fn context(&self, msg: &mut String) {
        let n = self.claims.texts.len();
        let _ = match &self.claims.source {
            Source::File(p) => writeln!(msg, "  Claims ({n}) from {}.", self.path_shown(p)),
            Source::Db(p) => writeln!(
                msg,
                "  Claims ({n}) from dod_evidence of task {} in {}.",
                self.id,
                self.path_shown(p)
            ),
            Source::Nothing => writeln!(
                msg,
                "  No claims: no verify-{}/claims.json and no dod_evidence for the task.",
                self.id
            ),
        };
        for (path, why) in self.found.rejected.iter().take(MAX_CLAIMS_SHOWN) {
            let _ = writeln!(msg, "  Rejected: {} {why}.", self.path_shown(path));
        }
        let dirs: Vec<String> = self
            .found
            .dirs
            .iter()
            .map(|d| match d.files {
                None => format!("{} (does not exist)", self.dir_shown(&d.path)),
                Some(1) => format!("{} (1 file)", self.dir_shown(&d.path)),
                Some(k) => format!("{} ({k} files)", self.dir_shown(&d.path)),
            })
            .collect();
        let _ = writeln!(msg, "  Looked in: {}.", dirs.join(", "));
    }

    fn dirs_json(&self) -> serde_json::Value {
        json!(
            self.found
                .dirs
                .iter()
                .map(|d| json!({"path": d.path.display().to_string(), "files": d.files}))
                .collect::<Vec<_>>()
        )
    }

    fn source_shown(&self) -> String {
        match &self.claims.source {
            Source::File(p) => p.display().to_string(),
            Source::Db(p) => format!("{} (dod_evidence)", p.display()),
            Source::Nothing => "none".into(),
        }
    }

    fn path_shown(&self, p: &Path) -> String {
        zakon_core::paths::display_tilde(p, self.home)
    }

    fn dir_shown(&self, p: &Path) -> String {
        let mut s = self.path_shown(p);
        if !s.ends_with('/') {
            s.push('/');
        }
        s
    }
}

fn unknown_id(target: &Target) -> Reason {
    Reason::new(
        "artifact-gate/task-id",
        format!(
            "`{}` closes a Mission Control task but does not name a \
             literal numeric task id, so its claims and artifacts cannot be checked. Fix: write \
             the id itself, e.g. `node ~/system/tools/mc.js {} 12345`.",
            target.shown, target.action
        ),
    )
    .with_details(json!({ "command": target.shown, "action": target.action }))
}

/// Several blocked tasks in one command become one block.
fn merge(mut blocks: Vec<Reason>) -> Verdict {
    match blocks.len() {
        0 => Verdict::Allow,
        1 => Verdict::Block(blocks.remove(0)),
        _ => {
            let rule = blocks[0].rule.clone();
            let message = blocks
                .iter()
                .map(|b| b.message.as_str())
                .collect::<Vec<_>>()
                .join("\n\n");
            let details: Vec<_> = blocks.into_iter().map(|b| b.details).collect();
            Verdict::Block(Reason::new(rule, message).with_details(json!({ "tasks": details })))
        }
    }
}

fn shorten(text: &str) -> String {
    let one_line: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.chars().count() <= MAX_CLAIM_CHARS {
        one_line
    } else {
        let cut: String = one_line.chars().take(MAX_CLAIM_CHARS).collect();
        format!("{cut}…")
    }
}
