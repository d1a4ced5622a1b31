//! artifact-gate — closing a Mission Control task needs the artifacts its claims demand.
//! PreToolUse(Bash) blocks `mc.js done|ready <id>` before it runs (the fast first line);
//! PostToolUse checks the tasks' state after the tool ran and sets back a task that was
//! closed any other way (`sqlite3 … UPDATE`, a wrapper script, `base64 -d | sh`, …).
//!
//! Seed incident: agents closed tasks whose claims were about a registration screen or an
//! end-to-end flow with no screenshot and no trace anywhere — "available ≠ working".
//! A UI claim needs a real screenshot, an E2E claim a real trace or results file, and every
//! `done`/`ready` at least one non-empty evidence file (ZAKON #21).

pub mod artifacts;
pub mod claims;
pub mod command;
pub mod decode;
pub mod lexicon;
pub mod settings;
pub mod state;
pub mod watch;

use clap::Parser;
use serde_json::json;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use zakon_core::{Context, Error, HookInput, Reason, Verdict};

use artifacts::Found;
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
    about = "PreToolUse(Bash) hook: `mc.js done|ready <id>` needs the artifacts its claims demand; PostToolUse: a task closed any other way is set back",
    long_about = "PreToolUse(Bash) hook: `mc.js done|ready <id>` needs the artifacts its claims demand.\n\n\
Run with no arguments as a Claude Code hook: it reads the hook JSON on stdin and exits 0 \
(allow) or 2 (block, reason on stderr).\n\n\
PreToolUse: blocks `mc.js done|ready <id>` before it runs. PostToolUse: when the Mission \
Control database changed, a task that became done/ready without its artifacts is set back \
to its previous status (last known state: ~/.claude/zakon/state/mc-tasks.json) and reported.\n\n\
Claims: the task's dod_evidence in ~/system/databases/mission-control.db, plus any that \
/tmp/verify-<id>/claims.json adds. A UI claim (ui, wizard, mobile, screen, registracija, \
onboarding) needs a PNG/JPEG/WebP screenshot that decodes to at least 16x16 pixels; an E2E \
claim (e2e, flow, journey, walkthrough) needs a Playwright trace.zip or JSON report; every \
done/ready needs at least one non-empty evidence file. Artifacts are looked for in \
/tmp/verify-<id>/ and /tmp/evidence-<id>/ and count only when owned by the user running the \
gate and not writable by group or others.\n\n\
Config: ~/.claude/zakon/config.json (or $ZAKON_CONFIG), section \"artifact_gate\": \
ui_keywords, e2e_keywords, tmp_root, mc_db, closed_statuses, reopen_status, mc_command."
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
    // Every gate puts back a replaced gate binary, since a replaced one cannot.
    zakon_core::run(GATE, |c, i| zakon_snapshot::install::guarded(c, i, judge))
}

/// The gate. Out of scope (another tool, another event, a command that does not close a
/// task) returns before any config, regex or disk access; after a tool ran, the check costs
/// a few `stat` calls unless the database changed.
pub fn judge(ctx: &Context, input: &HookInput) -> Result<Verdict, Error> {
    match input.event() {
        // After any tool: judge the effect (the tasks' state), whatever the command said.
        "PostToolUse" => watch::after_tool(ctx, &Settings::load(ctx)?),
        // A missing event name is judged (a hand-run test is still a PreToolUse for us).
        "" | "PreToolUse" => before_bash(ctx, input),
        _ => Ok(Verdict::Allow),
    }
}

/// The fast first line: block `mc.js done|ready <id>` before it runs.
fn before_bash(ctx: &Context, input: &HookInput) -> Result<Verdict, Error> {
    if input.tool() != "Bash" {
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
        let Some(id) = target.id else {
            blocks.push(unknown_id(target));
            continue;
        };
        let id =
            i64::try_from(id).map_err(|_| Error::new(format!("task id {id} is out of range")))?;
        let dod = claims::dod_evidence(&settings.mc_db, id)?;
        let a = assess(id, dod, &settings)?;
        let how = How::Command {
            shown: target.shown.clone(),
        };
        if let Some(reason) = a.reason(id, target.action, &how, &settings, &ctx.home) {
            blocks.push(reason);
        }
    }
    Ok(merge(blocks))
}

/// What a task's claims demand and what its directories hold.
pub struct Assessment {
    pub claims: claims::Claims,
    pub found: Found,
    pub missing: Vec<Missing>,
    pub evidence_dir: PathBuf,
}

/// Judges task `id` with its `dod_evidence` text.
pub fn assess(id: i64, dod: Option<String>, s: &Settings) -> Result<Assessment, Error> {
    let verify = s.tmp_root.join(format!("verify-{id}"));
    let evidence = s.tmp_root.join(format!("evidence-{id}"));
    let claims = claims::load(&verify.join(artifacts::CLAIMS_FILE), dod, &s.mc_db)?;
    let found = artifacts::scan(&[verify, evidence.clone()])?;
    let mut missing = Vec::new();
    for text in &claims.texts {
        let words = claims::words(text);
        let ui: Vec<String> = claims::matches(&words, &s.ui)
            .into_iter()
            .map(String::from)
            .collect();
        let e2e: Vec<String> = claims::matches(&words, &s.e2e)
            .into_iter()
            .map(String::from)
            .collect();
        let mut needs = Vec::new();
        if !ui.is_empty() && found.screenshot.is_none() {
            needs.push(Need::Screenshot);
        }
        if !e2e.is_empty() && found.trace.is_none() {
            needs.push(Need::Trace);
        }
        if !needs.is_empty() {
            missing.push(Missing {
                claim: text.clone(),
                ui,
                e2e,
                needs,
            });
        }
    }
    Ok(Assessment {
        claims,
        found,
        missing,
        evidence_dir: evidence,
    })
}

impl Assessment {
    /// `None` when the claims are backed and there is evidence (ZAKON #21: no done without
    /// evidence — even when no claim names a type).
    pub fn reason(
        &self,
        id: i64,
        action: &str,
        how: &How,
        s: &Settings,
        home: &Path,
    ) -> Option<Reason> {
        let no_evidence = self.found.evidence.is_none();
        if self.missing.is_empty() && !no_evidence {
            return None;
        }
        let report = Report {
            id,
            action,
            how,
            a: self,
            home,
            mc_command: &s.mc_command,
        };
        Some(if self.missing.is_empty() {
            report.no_evidence()
        } else {
            report.missing_artifacts()
        })
    }
}

/// How the task was being closed, for the message.
pub enum How {
    /// `mc.js done|ready <id>` in a Bash command, blocked before it ran.
    Command { shown: String },
    /// The task's status changed to `to` after a tool ran; zakon set it back to `back`.
    Reverted { to: String, back: String },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
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
                "a screenshot: a .png/.jpg/.jpeg/.webp that decodes to a picture of at least \
                 16×16 pixels"
            }
            Need::Trace => {
                "a Playwright trace: a trace.zip as Playwright writes it, or a Playwright JSON \
                 report (results.json) with passing tests"
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

/// A claim whose artifact is missing.
pub struct Missing {
    pub claim: String,
    pub ui: Vec<String>,
    pub e2e: Vec<String>,
    pub needs: Vec<Need>,
}

struct Report<'a> {
    id: i64,
    action: &'a str,
    how: &'a How,
    a: &'a Assessment,
    home: &'a Path,
    mc_command: &'a str,
}

impl Report<'_> {
    /// The command that closes the task again once the artifacts are there.
    fn redo(&self) -> String {
        match self.how {
            How::Command { shown } => shown.clone(),
            How::Reverted { .. } => format!("{} {} {}", self.mc_command, self.action, self.id),
        }
    }

    /// The first line: which rule, and what happened to the command or the task.
    fn opening(&self, what: &str) -> String {
        let id = self.id;
        match self.how {
            How::Command { shown } => {
                format!("`{shown}` is blocked — {what}.\n")
            }
            How::Reverted { to, back } => format!(
                "task {id} became `{to}` after the last tool call, but \
                 {what}. zakon set its status back to `{back}` in the Mission Control database.\n"
            ),
        }
    }

    fn missing_artifacts(&self) -> Reason {
        let id = self.id;
        let missing = &self.a.missing;
        let mut msg = self.opening(&format!(
            "task {id}'s claims need artifacts that are not there"
        ));
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
                shorten(&m.claim),
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
        let dir = self.dir_shown(&self.a.evidence_dir);
        let mut steps = Vec::new();
        if needs.contains(&Need::Screenshot) {
            steps.push(format!(
                "a screenshot of the claimed screen (at least {side}×{side} pixels), e.g. \
                 `npx playwright screenshot <url> {dir}screen.png`",
                side = decode::MIN_SIDE
            ));
        }
        if needs.contains(&Need::Trace) {
            steps.push(format!(
                "a trace of the claimed flow, e.g. run it with `npx playwright test --trace on` \
                 and copy the trace.zip to {dir}, or save the JSON report with \
                 `npx playwright test --reporter=json > {dir}results.json`"
            ));
        }
        let _ = write!(
            msg,
            "Fix: save {} — then run `{}` again. If a claim is not verified, say so instead of \
             closing the task.",
            steps.join("; and "),
            self.redo()
        );
        Reason::new("artifact-gate/claim-artifacts", msg).with_details(self.details(json!({
            "missing": missing.iter().map(|m| json!({
                "claim": shorten(&m.claim),
                "types": m.needs.iter().map(|n| n.type_name()).collect::<Vec<_>>(),
                "needs": m.needs.iter().map(|n| n.key()).collect::<Vec<_>>(),
            })).collect::<Vec<_>>(),
        })))
    }

    fn no_evidence(&self) -> Reason {
        let id = self.id;
        let mut msg = self.opening(&match self.how {
            How::Command { .. } => {
                format!("no done without evidence, and task {id} has no non-empty evidence file")
            }
            How::Reverted { .. } => {
                "it has no non-empty evidence file (no done without evidence)".to_string()
            }
        });
        self.context(&mut msg);
        let _ = write!(
            msg,
            "Fix: save the proof that task {id} works (command output, test log, screenshot) \
             as a non-empty file under {}, e.g. `mkdir -p {dir} && <your check> 2>&1 | tee \
             {dir}check.log` — then run `{}` again.",
            self.dir_shown(&self.a.evidence_dir),
            self.redo(),
            dir = self.dir_shown(&self.a.evidence_dir),
        );
        Reason::new("artifact-gate/no-evidence", msg).with_details(self.details(json!({
            "claims": self.a.claims.texts.len(),
        })))
    }

    fn details(&self, extra: serde_json::Value) -> serde_json::Value {
        let mut d = json!({
            "task_id": self.id,
            "action": self.action,
            "claims_source": self.source_shown(),
            "dirs": self.dirs_json(),
        });
        if let How::Reverted { to, back } = self.how {
            d["reverted"] = json!({ "status": to, "to": back });
        }
        if let (Some(d), serde_json::Value::Object(e)) = (d.as_object_mut(), extra) {
            d.extend(e);
        }
        d
    }

    /// Where the claims came from, what was rejected and where the gate looked.
    fn context(&self, msg: &mut String) {
        let n = self.a.claims.texts.len();
        let src = &self.a.claims.source;
        let mut from = Vec::new();
        if let Some(p) = &src.db {
            from.push(format!(
                "dod_evidence of task {} in {}",
                self.id,
                self.path_shown(p)
            ));
        }
        if let Some(p) = &src.file {
            from.push(self.path_shown(p));
        }
        let _ = if from.is_empty() {
            writeln!(
                msg,
                "  No claims: no verify-{}/claims.json and no dod_evidence for the task.",
                self.id
            )
        } else {
            writeln!(msg, "  Claims ({n}) from {}.", from.join(" and "))
        };
        for (path, why) in self.a.found.rejected.iter().take(MAX_CLAIMS_SHOWN) {
            let _ = writeln!(msg, "  Rejected: {} {why}.", self.path_shown(path));
        }
        let dirs: Vec<String> = self
            .a
            .found
            .dirs
            .iter()
            .map(|d| match (&d.untrusted, d.files) {
                (Some(u), _) => format!(
                    "{} (not trusted, nothing in it counts: {u}; fix: `{}`)",
                    self.dir_shown(&d.path),
                    u.fix()
                ),
                (None, None) => format!("{} (does not exist)", self.dir_shown(&d.path)),
                (None, Some(1)) => format!("{} (1 file)", self.dir_shown(&d.path)),
                (None, Some(k)) => format!("{} ({k} files)", self.dir_shown(&d.path)),
            })
            .collect();
        let _ = writeln!(msg, "  Looked in: {}.", dirs.join(", "));
    }

    fn dirs_json(&self) -> serde_json::Value {
        json!(
            self.a
                .found
                .dirs
                .iter()
                .map(|d| json!({
                    "path": d.path.display().to_string(),
                    "files": d.files,
                    "untrusted": d.untrusted.as_ref().map(|u| u.to_string()),
                }))
                .collect::<Vec<_>>()
        )
    }

    fn source_shown(&self) -> String {
        let src = &self.a.claims.source;
        let mut parts = Vec::new();
        if let Some(p) = &src.db {
            parts.push(format!("{} (dod_evidence)", p.display()));
        }
        if let Some(p) = &src.file {
            parts.push(p.display().to_string());
        }
        if parts.is_empty() {
            "none".into()
        } else {
            parts.join(" + ")
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
