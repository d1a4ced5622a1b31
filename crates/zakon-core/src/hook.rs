//! The one fail-closed runner every gate's hook mode goes through.
//!
//! It owns the contract once for all gates: arm the deadline, read bounded stdin, parse, call
//! the gate, catch panics, map `Allow` → 0 and `Block` / every error / every panic → 2 with
//! the reason on stderr, and append the audit line. Claude Code treats any other exit code,
//! and a hook that outlives its timeout, as a non-blocking error — fail-open — so nothing
//! else may leave this function, and nothing may outlast [`crate::deadline`].

use crate::audit::{self, Entry};
use crate::config::Config;
use crate::{Error, HookInput, Reason, Verdict};
use serde_json::{Value, json};
use std::cell::OnceCell;
use std::io::{IsTerminal, Read, Write};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Hook input larger than this is refused (exit 2). Real hook JSON is KBs; a Write of a
/// huge file is the only big case and it is far below this.
pub const MAX_INPUT_BYTES: u64 = 64 * 1024 * 1024;

/// What a gate may ask of its surroundings while it judges.
pub struct Context {
    pub gate: &'static str,
    pub home: PathBuf,
    pub session_id: String,
    cwd: Option<PathBuf>,
    config: OnceCell<Result<Config, Error>>,
    /// False when there was no input at all: nothing happened worth an audit line.
    logged: bool,
}

impl Context {
    pub fn new(gate: &'static str, input: &HookInput) -> Self {
        let home = crate::paths::home();
        Context {
            gate,
            session_id: input.session().to_string(),
            cwd: input
                .cwd
                .as_deref()
                .filter(|c| !c.is_empty())
                .map(PathBuf::from),
            home,
            config: OnceCell::new(),
            logged: true,
        }
    }

    /// The config, loaded on first use so out-of-scope calls never touch the disk.
    pub fn config(&self) -> Result<&Config, Error> {
        self.config
            .get_or_init(|| Config::load(&self.home))
            .as_ref()
            .map_err(Clone::clone)
    }

    pub fn cwd(&self) -> Option<&Path> {
        self.cwd.as_deref()
    }

    /// `~` and cwd-relative resolution, normalised.
    pub fn resolve(&self, path: &str) -> PathBuf {
        crate::paths::resolve(path, &self.home, self.cwd())
    }

    fn audit_path(&self) -> PathBuf {
        match self.config() {
            Ok(cfg) => cfg.audit_log_path(&self.home),
            Err(_) => Config::default().audit_log_path(&self.home),
        }
    }

    /// Appends an audit line (overrides, ignored skip comments); blocks are logged by the
    /// runner itself.
    pub fn audit(&self, decision: &str, rule: &str, details: Value) -> Result<(), Error> {
        let entry = Entry {
            gate: self.gate,
            session_id: &self.session_id,
            decision,
            rule,
            details,
        };
        audit::append(&self.audit_path(), &entry)
    }
}

/// Runs a gate in hook mode and returns the process exit code (0 or 2, nothing else).
pub fn run<F>(gate: &'static str, judge: F) -> ExitCode
where
    F: FnOnce(&Context, &HookInput) -> Result<Verdict, Error>,
{
    silence_default_panic_output();
    crate::deadline::arm(gate);
    if std::io::stdin().is_terminal() {
        // Someone typed the gate's name: Claude Code never gives a hook a terminal. Waiting
        // silently for JSON looked like a hang; say how to use it and log nothing.
        eprintln!("{}", usage(gate));
        return Verdict::block("usage", "").exit_code();
    }
    let (verdict, ctx) = decide(gate, read_input, judge);
    finish(&ctx, verdict)
}

/// What a gate prints when it is started on a terminal.
pub fn usage(gate: &str) -> String {
    let example = match gate {
        "claim-gate" => {
            r#"{"hook_event_name":"Stop","session_id":"try","last_assistant_message":"Done and verified."}"#
        }
        "artifact-gate" => {
            r#"{"hook_event_name":"PreToolUse","tool_name":"Bash","tool_input":{"command":"node mc.js done 12"}}"#
        }
        _ => {
            r##"{"hook_event_name":"PreToolUse","tool_name":"Write","tool_input":{"file_path":"BUILD-BLUEPRINT.md","content":"# x"}}"##
        }
    };
    let cmd = crate::runnable::command(gate);
    format!(
        "{gate} is a Claude Code hook: it reads one hook JSON object on stdin and answers with \
         exit 0 (allow) or exit 2 (block, reason on stderr). It was started on a terminal, so \
         it read nothing and logged nothing.\n\
         Try it:  echo '{example}' | {cmd}; echo \"exit $?\"\n\
         Subcommands and options:  {cmd} --help"
    )
}

/// Reads the input, calls the gate, and turns every error and every panic — in reading or
/// judging — into a fail-closed block. A panic while judging keeps the session id for the
/// audit line.
fn decide<R, F>(gate: &'static str, read: R, judge: F) -> (Verdict, Context)
where
    R: FnOnce() -> Result<HookInput, Error>,
    F: FnOnce(&Context, &HookInput) -> Result<Verdict, Error>,
{
    let input = match catch_unwind(AssertUnwindSafe(read)) {
        Ok(Ok(i)) => i,
        Ok(Err(e)) => {
            let mut ctx = Context::new(gate, &HookInput::default());
            ctx.logged = !e.message.starts_with(crate::input::EMPTY);
            return (fail_closed(gate, &e.message), ctx);
        }
        Err(p) => {
            return (
                panicked(gate, &p),
                Context::new(gate, &HookInput::default()),
            );
        }
    };
    let ctx = Context::new(gate, &input);
    let verdict = match catch_unwind(AssertUnwindSafe(|| judge(&ctx, &input))) {
        Ok(Ok(v)) => v,
        Ok(Err(e)) => fail_closed(gate, &e.message),
        Err(p) => panicked(gate, &p),
    };
    (verdict, ctx)
}

fn panicked(gate: &str, payload: &Box<dyn std::any::Any + Send>) -> Verdict {
    fail_closed(
        gate,
        &format!("internal error (panic: {})", panic_message(payload)),
    )
}

fn read_input() -> Result<HookInput, Error> {
    let mut buf = Vec::new();
    std::io::stdin()
        .lock()
        .take(MAX_INPUT_BYTES + 1)
        .read_to_end(&mut buf)
        .map_err(|e| Error::new(format!("cannot read hook input from stdin: {e}")))?;
    if buf.len() as u64 > MAX_INPUT_BYTES {
        return Err(Error::new(format!(
            "hook input is larger than {MAX_INPUT_BYTES} bytes"
        )));
    }
    HookInput::parse(&buf)
}

/// The block every error turns into.
pub fn fail_closed(gate: &str, what: &str) -> Verdict {
    Verdict::Block(
        Reason::new(
            "fail-closed",
            format!(
                // `what` may end its own sentence; one period between the two.
                "{}. The gate blocks when it cannot judge; fix the cause above, or run \
                 `{} --help` to see what it expects.",
                what.trim_end().trim_end_matches('.'),
                crate::runnable::command(gate)
            ),
        )
        .with_details(json!({ "error": what })),
    )
}

fn finish(ctx: &Context, verdict: Verdict) -> ExitCode {
    if let Verdict::Block(reason) = &verdict {
        let mut stderr = std::io::stderr().lock();
        // A human paused this gate (`zakon pause`): what it would have blocked goes through,
        // and the audit log keeps it. Read only here, so allows never pay for it.
        if let Some(p) = crate::pause::active(&ctx.home, ctx.gate) {
            let _ = writeln!(
                stderr,
                "zakon {}: paused until {} (by {}); allowed what rule {} would have blocked.",
                ctx.gate,
                crate::time::rfc3339(p.until),
                p.by,
                reason.rule
            );
            let entry = Entry {
                gate: ctx.gate,
                session_id: &ctx.session_id,
                decision: "paused",
                rule: &reason.rule,
                details: json!({"pause": p.to_json(), "would_block": reason.details}),
            };
            if ctx.logged {
                let _ = audit::append(&ctx.audit_path(), &entry);
            }
            return Verdict::Allow.exit_code();
        }
        let _ = writeln!(
            stderr,
            "{} {}",
            crate::rules::headline(ctx.gate, &reason.rule),
            reason.message
        );
        if !ctx.logged {
            return verdict.exit_code();
        }
        let entry = Entry {
            gate: ctx.gate,
            session_id: &ctx.session_id,
            decision: "block",
            rule: &reason.rule,
            details: reason.details.clone(),
        };
        // A block stays a block even when the audit log cannot be written; say so.
        if let Err(e) = audit::append(&ctx.audit_path(), &entry) {
            let _ = writeln!(stderr, "zakon {}: audit log not written: {e}", ctx.gate);
        }
    }
    verdict.exit_code()
}

fn silence_default_panic_output() {
    // The runner prints its own fail-closed message; Rust's default "thread main panicked"
    // banner would only confuse the agent reading stderr.
    std::panic::set_hook(Box::new(|_| {}));
}

fn panic_message(payload: &Box<dyn std::any::Any + Send>) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_string()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "unknown".to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> Result<HookInput, Error> {
        HookInput::parse(br#"{"session_id":"s","hook_event_name":"Stop"}"#)
    }

    #[test]
    fn panics_and_errors_become_fail_closed_blocks() {
        silence_default_panic_output();
        type Judge = Box<dyn FnOnce(&Context, &HookInput) -> Result<Verdict, Error>>;
        let cases: Vec<(&str, Judge)> = vec![
            ("panic", Box::new(|_, _| panic!("boom"))),
            ("error", Box::new(|_, _| Err(Error::new("disk on fire")))),
        ];
        for (name, judge) in cases {
            let (v, ctx) = decide("t", input, judge);
            assert_eq!(v.code(), 2, "{name}");
            assert_eq!(ctx.session_id, "s", "{name}");
            let Verdict::Block(r) = v else { unreachable!() };
            assert_eq!(r.rule, "fail-closed", "{name}");
        }
        let (v, _) = decide("t", || panic!("reader"), |_, _| Ok(Verdict::Allow));
        assert_eq!(v.code(), 2);
        let (v, _) = decide("t", input, |_, _| Ok(Verdict::Allow));
        assert_eq!(v.code(), 0);
    }
}
