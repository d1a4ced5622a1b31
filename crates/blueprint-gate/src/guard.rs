//! The files that switch the gates off: the zakon config (its sections can empty a gate's
//! word lists or accept any evidence) and Claude Code's settings (they register the hooks).
//!
//! The config is guarded like the registry (rule `zakon-config-write`): an agent never writes
//! it; `BLUEPRINT_OVERRIDE=ceo-approved-<digits>` lets a Write/Edit through, audit-logged, when
//! the result is still a valid config. Settings stay editable (rule `zakon-hooks-removed`): an
//! edit is blocked only when a zakon hook registration present before is gone after, when it
//! sets `disableAllHooks`, or when it leaves invalid JSON over a file that had zakon hooks.

use crate::edit::{self, Change};
use crate::scope::Scoped;
use crate::{
    OVERRIDE_ENV, OVERRIDE_PREFIX, is_post, override_form, override_mc_id, read_text, shown,
    truncate,
};
use serde_json::{Value, json};
use zakon_core::shell::{self, Heredocs, basename, program_index};
use zakon_core::{Context, Error, HookInput, Reason, Verdict};

/// The config's default place, relative to `$HOME`, and the variable that moves it.
pub const DEFAULT_CONFIG: &str = ".claude/zakon/config.json";
pub const CONFIG_ENV: &str = "ZAKON_CONFIG";
/// A hook whose command runs one of these programs is a zakon registration.
pub const GATE_PROGRAMS: [&str; 3] = ["claim-gate", "artifact-gate", "blueprint-gate"];

/// One zakon hook registration: event, matcher (empty when none), the command as written,
/// its `type` and its `timeout` (as JSON text, empty when unset). Changing any of them can
/// switch the gate off (`"type": "prompt"` never runs it; a 0.001 s timeout always passes).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Registration {
    pub event: String,
    pub matcher: String,
    pub command: String,
    pub kind: String,
    pub timeout: String,
}

impl Registration {
    fn describe(&self) -> String {
        let mut s = if self.matcher.is_empty() {
            format!("{} → {}", self.event, self.command)
        } else {
            format!("{} [{}] → {}", self.event, self.matcher, self.command)
        };
        if self.kind != "command" || !self.timeout.is_empty() {
            s.push_str(&format!(" (type {}", self.kind));
            if !self.timeout.is_empty() {
                s.push_str(&format!(", timeout {}", self.timeout));
            }
            s.push(')');
        }
        s
    }
}

/// Whether a hook command runs a zakon gate: the program of any of its simple commands
/// (after `env`/assignments/`sudo`…) has a gate's name as its basename.
pub fn runs_gate(command: &str) -> bool {
    shell::commands(command, Heredocs::Data).any(|c| {
        program_index(&c.words).is_some_and(|i| GATE_PROGRAMS.contains(&basename(&c.words[i])))
    })
}

/// Every hook entry in a settings document (`hooks.<Event>[].hooks[]`), zakon's or not. The
/// `command` is the entry's `command`, or its `prompt` for other types.
pub fn all_hooks(settings: &Value) -> Vec<Registration> {
    let mut out = Vec::new();
    let Some(events) = settings.get("hooks").and_then(Value::as_object) else {
        return out;
    };
    for (event, groups) in events {
        for group in groups.as_array().into_iter().flatten() {
            let matcher = group.get("matcher").and_then(Value::as_str).unwrap_or("");
            for hook in group
                .get("hooks")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                let text = |k: &str| hook.get(k).and_then(Value::as_str).unwrap_or("");
                let command = match text("command") {
                    "" => text("prompt"),
                    c => c,
                };
                out.push(Registration {
                    event: event.clone(),
                    matcher: matcher.to_string(),
                    command: command.to_string(),
                    kind: text("type").to_string(),
                    timeout: hook
                        .get("timeout")
                        .map(Value::to_string)
                        .unwrap_or_default(),
                });
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

/// The zakon registrations in a settings document: entries whose command runs a gate.
pub fn zakon_hooks(settings: &Value) -> Vec<Registration> {
    all_hooks(settings)
        .into_iter()
        .filter(|r| runs_gate(&r.command))
        .collect()
}

/// `disableAllHooks` set to anything but `false`/`null` (Claude Code's reading of other values
/// is not ours to guess).
fn disables_all_hooks(settings: &Value) -> bool {
    settings
        .get("disableAllHooks")
        .is_some_and(|v| !matches!(v, Value::Bool(false) | Value::Null))
}

/// `env` names that reach the hook processes and can switch a gate off: the override, zakon's
/// own variables, the home it finds files under, and the dynamic loader's preload hooks.
pub fn forbidden_env(name: &str) -> bool {
    const EXACT: [&str; 5] = [
        "BLUEPRINT_OVERRIDE",
        "HOME",
        "LD_PRELOAD",
        "LD_AUDIT",
        "LD_LIBRARY_PATH",
    ];
    EXACT.contains(&name) || name.starts_with("ZAKON_") || name.starts_with("DYLD_")
}

/// What a settings change (`before` → `after`; `before` is `None` for a new file) does to
/// zakon, one sentence each; empty when it leaves zakon as it was:
/// `disableAllHooks`, a zakon registration removed or changed (command, type, timeout,
/// matcher), an `env` entry that reaches the gates, or a new PreToolUse hook of someone
/// else's (it runs beside zakon's and may rewrite the tool input zakon has judged).
pub fn settings_problems(before: Option<&Value>, after: &Value) -> Vec<String> {
    let mut out = Vec::new();
    let had = before.map(zakon_hooks).unwrap_or_default();
    let kept = zakon_hooks(after);
    let lost: Vec<String> = had
        .iter()
        .filter(|r| !kept.contains(r))
        .map(Registration::describe)
        .collect();
    if !lost.is_empty() {
        out.push(format!(
            "it removes or changes the zakon hook registration{} {}",
            if lost.len() == 1 { "" } else { "s" },
            lost.join("; ")
        ));
    }
    if disables_all_hooks(after) && !before.is_some_and(disables_all_hooks) {
        out.push(
            "it sets \"disableAllHooks\", which switches every hook off, zakon's included".into(),
        );
    }
    let env_of = |v: &Value, k: &str| v.get("env").and_then(|e| e.get(k)).cloned();
    if let Some(env) = after.get("env").and_then(Value::as_object) {
        let mut bad: Vec<&str> = env
            .iter()
            .filter(|(k, v)| {
                forbidden_env(k) && before.and_then(|b| env_of(b, k)).as_ref() != Some(*v)
            })
            .map(|(k, _)| k.as_str())
            .collect();
        bad.sort();
        if !bad.is_empty() {
            out.push(format!(
                "it sets env {} — settings env reaches every hook process, so it can hand a \
                 gate an override, another config or home, or a library that makes it exit 0",
                bad.join(", ")
            ));
        }
    }
    let old_all = before.map(all_hooks).unwrap_or_default();
    let new_pre: Vec<String> = all_hooks(after)
        .into_iter()
        .filter(|r| r.event == "PreToolUse" && !runs_gate(&r.command) && !old_all.contains(r))
        .map(|r| r.describe())
        .collect();
    if !new_pre.is_empty() {
        out.push(format!(
            "it adds the PreToolUse hook{} {}, which can rewrite a tool's input after zakon has \
             judged it",
            if new_pre.len() == 1 { "" } else { "s" },
            new_pre.join("; ")
        ));
    }
    out
}

/// The CEO override from the environment: `(raw value, MC id when valid)`.
fn override_from_env() -> (Option<String>, Option<String>) {
    let value = std::env::var(OVERRIDE_ENV).ok().filter(|v| !v.is_empty());
    let id = value
        .as_deref()
        .and_then(override_mc_id)
        .map(str::to_string);
    (value, id)
}

/// The text a Write/Edit/MultiEdit would leave, or why it cannot be computed.
fn content_after(
    input: &HookInput,
    current: Option<&str>,
    file: &str,
) -> Result<Result<String, String>, Error> {
    let tool = input.tool();
    let change = edit::change_from_input(input)?;
    let base = match &change {
        Change::Write(_) => None,
        Change::Edits(_) => current,
    };
    Ok(edit::apply(base, &change).map_err(|problem| {
        format!(
            "{tool} on {file}: {}. Read the file again and retry with old_string copied exactly \
             from its current content.",
            problem.describe(tool == "MultiEdit")
        )
    }))
}

/// The zakon config: PreToolUse blocks unless the CEO override is set (and then only if the
/// result is still a valid config); PostToolUse always reports the change.
pub fn judge_config(ctx: &Context, input: &HookInput, scoped: &Scoped) -> Result<Verdict, Error> {
    let file = shown(ctx, scoped);
    let tool = input.tool();
    let (value, mc_id) = override_from_env();
    if is_post(input) {
        let state = match read_text(&scoped.real) {
            Ok(Some(text)) => match zakon_core::config::Config::parse(&text, &scoped.lexical) {
                Ok(_) => "It is still a valid config.".to_string(),
                Err(e) => {
                    format!("It is no longer a valid config, so every gate now fails closed: {e}")
                }
            },
            Ok(None) => "The file is gone, so the gates run on their defaults.".into(),
            Err(e) => format!("It cannot be read back: {e}."),
        };
        let how = match &mc_id {
            Some(id) => format!("allowed by {OVERRIDE_ENV}, MC #{id}"),
            None => format!("without a valid {OVERRIDE_ENV}"),
        };
        return Ok(Verdict::Block(
            Reason::new(
                "zakon-config-write",
                format!(
                    "{tool} changed the zakon config {file} \
                     ({how}). {state}\nOnly the CEO changes the config — it can switch the \
                     gates' rules off. If the CEO did not approve this exact change, restore the \
                     previous content now and say so in your reply."
                ),
            )
            .with_details(json!({"file": file, "event": input.event(), "tool": tool,
                                 "mc_id": mc_id})),
        ));
    }
    if let Some(id) = mc_id {
        let current = read_text(&scoped.real)?;
        let after = content_after(input, current.as_deref(), &file)?.and_then(|text| {
            zakon_core::config::Config::parse(&text, &scoped.lexical)
                .map(|_| text)
                .map_err(|e| {
                    format!(
                        "this {tool} would leave {file} invalid, and an invalid config makes \
                         every gate fail closed: {e}\nCorrect the content, then run the same \
                         tool again."
                    )
                })
        });
        if let Err(why) = after {
            return Ok(Verdict::Block(
                Reason::new(
                    "zakon-config-write",
                    format!(
                        "{OVERRIDE_ENV} (MC #{id}) allows \
                         editing the config, but {why}"
                    ),
                )
                .with_details(json!({"file": file, "mc_id": id})),
            ));
        }
        ctx.audit(
            "override",
            "zakon-config-write",
            json!({"mc_id": id, "file": file, "event": input.event(), "tool": tool}),
        )?;
        eprintln!(
            "blueprint-gate: {tool} of the zakon config {file} allowed by {OVERRIDE_ENV} \
             (MC #{id}), audit-logged."
        );
        return Ok(Verdict::Allow);
    }
    let mut msg = format!(
        "this {tool} would change the zakon config {file}. \
         The config decides what the gates accept (claim words, evidence patterns, schemas), so \
         an agent writing it could switch the rules off.\nFIX: do not edit the config. Ask the \
         CEO in a Mission Control task; the CEO edits it by hand, or sets \
         {OVERRIDE_ENV}={OVERRIDE_PREFIX}<MC task id> in the environment Claude Code runs in so \
         this edit is allowed and audit-logged. Reading it stays allowed (`cat`, `jq`)."
    );
    reject_note(ctx, value, &file, &mut msg);
    Ok(Verdict::Block(
        Reason::new("zakon-config-write", msg)
            .with_details(json!({"file": file, "event": input.event(), "tool": tool})),
    ))
}

/// Logs and explains an override value that is set but not valid.
pub(crate) fn reject_note(ctx: &Context, value: Option<String>, file: &str, msg: &mut String) {
    if let Some(value) = value {
        let _ = ctx.audit(
            "override-rejected",
            "blueprint-override",
            json!({"value": truncate(&value), "file": file}),
        );
        msg.push_str(&format!(
            " {OVERRIDE_ENV}={:?} is not a valid override and was rejected (expected {}).",
            truncate(&value),
            override_form()
        ));
    }
}

/// A Claude Code settings file, in any scope: any change is fine except one that disables or
/// weakens zakon ([`settings_problems`]). PostToolUse is judged by the effects check, which
/// restores the file.
pub fn judge_settings(ctx: &Context, input: &HookInput, scoped: &Scoped) -> Result<Verdict, Error> {
    if is_post(input) {
        return Ok(Verdict::Allow);
    }
    let current = read_text(&scoped.real)?;
    let before: Option<Value> = current
        .as_deref()
        .and_then(|t| serde_json::from_str(t).ok());
    let file = shown(ctx, scoped);
    let tool = input.tool();
    let problem = match content_after(input, current.as_deref(), &file)? {
        Err(why) => Some(format!(
            "its result cannot be checked — {}",
            why.trim_end_matches('.')
        )),
        Ok(text) => match serde_json::from_str::<Value>(&text) {
            // A file that registers nothing of zakon's may be left broken; Claude Code says so.
            Err(_)
                if before
                    .as_ref()
                    .map(zakon_hooks)
                    .unwrap_or_default()
                    .is_empty() =>
            {
                None
            }
            Err(e) => Some(format!(
                "the result is not valid JSON ({e}), so Claude Code would drop every hook in it, \
                 zakon's included"
            )),
            Ok(after) => {
                let found = settings_problems(before.as_ref(), &after);
                (!found.is_empty()).then(|| found.join("; and "))
            }
        },
    };
    let Some(problem) = problem else {
        return Ok(Verdict::Allow);
    };
    let (value, mc_id) = override_from_env();
    if let Some(id) = mc_id {
        ctx.audit(
            "override",
            "zakon-hooks-removed",
            json!({"mc_id": id, "file": file, "tool": tool, "problem": problem}),
        )?;
        eprintln!(
            "blueprint-gate: {tool} of {file} allowed by {OVERRIDE_ENV} (MC #{id}), \
             audit-logged: {problem}."
        );
        return Ok(Verdict::Allow);
    }
    let mut msg = format!(
        "this {tool} of the Claude Code settings {file} \
         is blocked because {problem}.\nFIX: {SETTINGS_FIX} Removing zakon's hooks is the \
         CEO's call: `{} hooks uninstall` run by the user, or \
         {OVERRIDE_ENV}={OVERRIDE_PREFIX}<MC task id> in the environment Claude Code runs in.",
        zakon_core::runnable::command("zakon")
    );
    reject_note(ctx, value, &file, &mut msg);
    Ok(Verdict::Block(
        Reason::new("zakon-hooks-removed", msg)
            .with_details(json!({"file": file, "tool": tool, "problem": problem})),
    ))
}

/// The approved way to change settings, for the Pre block and the Post restore.
pub const SETTINGS_FIX: &str = "keep every zakon hook entry (claim-gate, artifact-gate, \
     blueprint-gate) exactly as it is — command, type, timeout, matcher — and change only what \
     you need; permissions, model and PostToolUse/Stop hooks of your own are fine. Do not set \
     disableAllHooks or env BLUEPRINT_OVERRIDE, ZAKON_*, HOME, LD_*/DYLD_*, and do not add \
     PreToolUse hooks: ask the user to make such a change by hand in a terminal.";

/// A Bash write to the config or a settings file: its content cannot be checked, and no
/// override lets it through.
pub fn bash_block(command: &str, targets: &[String], config: bool) -> Verdict {
    let list = targets.join(", ");
    if config {
        Verdict::Block(
            Reason::new(
                "zakon-config-write",
                format!(
                    "this Bash command writes {list} — the \
                     zakon config, which decides what the gates accept, so an agent never writes \
                     it.\nFIX: leave the config alone and ask the CEO in a Mission Control task; \
                     the CEO edits it by hand, or sets {OVERRIDE_ENV}={OVERRIDE_PREFIX}<MC task \
                     id>, which allows a Write/Edit of it (never a Bash write) and audit-logs \
                     it. Reading it stays allowed (`cat`, `jq`)."
                ),
            )
            .with_details(json!({"targets": targets, "command": truncate(command)})),
        )
    } else {
        Verdict::Block(
            Reason::new(
                "zakon-hooks-removed",
                format!(
                    "this Bash command writes {list} — a \
                     Claude Code settings file that registers zakon's hooks, and what a Bash \
                     write leaves there cannot be checked.\nFIX: make the change with the Edit \
                     tool (it is checked: any change that keeps zakon's hooks is allowed). \
                     Reading it stays allowed (`cat`, `jq .`)."
                ),
            )
            .with_details(json!({"targets": targets, "command": truncate(command)})),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gate_programs_are_recognised() {
        for (cmd, want) in [
            ("claim-gate", true),
            ("/usr/local/bin/artifact-gate", true),
            ("~/.cargo/bin/blueprint-gate --x", true),
            ("FOO=1 claim-gate", true),
            ("echo claim-gate", false),
            ("my-claim-gate", false),
            ("prettier --write", false),
        ] {
            assert_eq!(runs_gate(cmd), want, "{cmd}");
        }
    }

    #[test]
    fn registrations_are_listed() {
        let v: Value = serde_json::from_str(
            r#"{"hooks":{"Stop":[{"hooks":[{"type":"command","command":"claim-gate"}]}],
            "PreToolUse":[{"matcher":"Bash","hooks":[{"type":"command","command":"blueprint-gate"},
            {"type":"command","command":"my-linter"}]}]},"model":"x"}"#,
        )
        .unwrap();
        let got: Vec<String> = zakon_hooks(&v).iter().map(Registration::describe).collect();
        assert_eq!(
            got,
            vec!["PreToolUse [Bash] → blueprint-gate", "Stop → claim-gate"]
        );
        assert!(zakon_hooks(&json!({"hooks": []})).is_empty());
        assert!(zakon_hooks(&json!([1])).is_empty());
    }
}
