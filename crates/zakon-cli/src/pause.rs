//! `zakon pause <gate> --for 30m` and `zakon resume`: the way out for a human when a gate
//! misfires, short of uninstalling or `disableAllHooks`.
//!
//! A pause switches a rule off, so only a human may set one:
//! - it needs an interactive terminal (stdin and stdout): an agent's Bash tool has none (and
//!   blueprint-gate blocks the command before it runs);
//! - in managed mode only root may pause, and the pause file is under the root-owned tree;
//! - every pause, resume and refused attempt is an audit line (gate `zakon`, rule
//!   `zakon-pause`).

use clap::Args;
use serde_json::json;
use std::io::IsTerminal;
use zakon_core::paths::display_tilde;
use zakon_core::pause::{self, ALL, GATES, Pause};

/// The longest pause: a forgotten pause must not become an uninstall.
const MAX_SECS: i64 = 7 * 86_400;

#[derive(Args)]
pub struct PauseArgs {
    /// The gate to pause: claim-gate, artifact-gate, blueprint-gate, or all
    #[arg(value_name = "GATE", required_unless_present = "list")]
    gate: Option<String>,
    /// How long: 30m, 2h, 1d (at most 7d)
    #[arg(
        long = "for",
        value_name = "DURATION",
        required_unless_present = "list"
    )]
    duration: Option<String>,
    /// Why (kept in the audit log)
    #[arg(long, value_name = "TEXT")]
    reason: Option<String>,
    /// Show the active pauses instead
    #[arg(long, conflicts_with_all = ["gate", "duration", "reason"])]
    list: bool,
}

#[derive(Args)]
pub struct ResumeArgs {
    /// The gate to resume [default: every paused gate]
    #[arg(value_name = "GATE")]
    gate: Option<String>,
}

/// The real uid of this process.
fn uid() -> u32 {
    // SAFETY: getuid(2) takes nothing and cannot fail; std already links libc.
    unsafe extern "C" {
        safe fn getuid() -> u32;
    }
    getuid()
}

fn who() -> String {
    let name = std::env::var("USER")
        .or_else(|_| std::env::var("LOGNAME"))
        .unwrap_or_default();
    if name.is_empty() {
        format!("uid {}", uid())
    } else {
        format!("{name} (uid {})", uid())
    }
}

/// Why this process may not change pauses, if it may not.
pub fn refusal(interactive: bool, managed: bool, uid: u32) -> Option<String> {
    if !interactive {
        return Some(
            "needs an interactive terminal (stdin and stdout). Pausing a gate switches a rule \
             off, so it is a human's decision: run it yourself in a terminal, not from a script \
             or an agent's Bash tool."
                .to_string(),
        );
    }
    if managed && uid != 0 {
        return Some(format!(
            "zakon runs in managed mode (root-owned config at /{}), where only root may pause \
             or resume a gate; ask your administrator (sudo zakon …).",
            pause::MANAGED_CONFIG
        ));
    }
    None
}

fn audit(decision: &str, details: serde_json::Value) -> Result<(), String> {
    let home = crate::home();
    let cfg = zakon_core::config::Config::load(&home).unwrap_or_default();
    let entry = zakon_core::audit::Entry {
        gate: "zakon",
        session_id: "",
        decision,
        rule: "zakon-pause",
        details,
    };
    zakon_core::audit::append(&cfg.audit_log_path(&home), &entry).map_err(|e| e.to_string())
}

/// Refuses (and logs the attempt) unless a human at a terminal, with the right to, asked.
fn authorize(what: &str, details: &serde_json::Value) -> Result<(), String> {
    let interactive = std::io::stdin().is_terminal() && std::io::stdout().is_terminal();
    match refusal(interactive, pause::is_managed(), uid()) {
        None => Ok(()),
        Some(why) => {
            let mut d = details.clone();
            d["why"] = json!(why);
            d["by"] = json!(who());
            let _ = audit("pause-refused", d);
            Err(format!("{what} refused: {why}"))
        }
    }
}

fn check_gate(gate: &str) -> Result<(), String> {
    if gate == ALL || GATES.contains(&gate) {
        Ok(())
    } else {
        Err(format!(
            "unknown gate {gate:?}; name one of {} or {ALL}",
            GATES.join(", ")
        ))
    }
}

/// The pause's length in seconds, or why it is refused.
fn requested_secs(gate: &str, duration: &str) -> Result<i64, String> {
    check_gate(gate)?;
    let secs = zakon_core::timespec::parse_duration(duration)
        .ok_or_else(|| format!("--for {duration:?} is not a duration such as 30m, 2h or 1d"))?;
    if secs > MAX_SECS {
        return Err(format!(
            "--for {duration} is longer than 7 days; a gate that is wrong for that long needs a \
             fix in the config or an uninstall, not a pause"
        ));
    }
    Ok(secs)
}

pub fn run_pause(args: &PauseArgs) -> Result<(), String> {
    let home = crate::home();
    let path = pause::path(&home);
    let now = zakon_core::time::unix_now();
    if args.list {
        let active: Vec<Pause> = pause::load(&path)
            .map_err(|e| e.to_string())?
            .into_iter()
            .filter(|p| p.until > now)
            .collect();
        if active.is_empty() {
            zakon_core::outln!("No gate is paused.");
        }
        for p in active {
            zakon_core::outln!(
                "{} paused until {} (by {}, at {})",
                p.gate,
                zakon_core::time::rfc3339(p.until),
                p.by,
                p.at
            );
        }
        return Ok(());
    }
    let gate = args.gate.clone().unwrap_or_default();
    let duration = args.duration.clone().unwrap_or_default();
    let details = json!({"gate": gate, "for": duration, "reason": args.reason});
    // A pause refused for what it asks (unknown gate, no duration, too long) is an attempt
    // too: the audit log shows it like a refusal for want of a terminal.
    let secs = requested_secs(&gate, &duration).inspect_err(|why| {
        let mut d = details.clone();
        d["why"] = json!(why);
        d["by"] = json!(who());
        let _ = audit("pause-refused", d);
    })?;
    authorize("pause", &details)?;
    let mut pauses: Vec<Pause> = pause::load(&path)
        .unwrap_or_default()
        .into_iter()
        .filter(|p| p.until > now && p.gate != gate)
        .collect();
    let p = Pause {
        gate: gate.clone(),
        until: now + secs,
        by: who(),
        at: zakon_core::time::rfc3339(now),
    };
    pauses.push(p.clone());
    pause::save(&path, &pauses).map_err(|e| e.to_string())?;
    let mut d = p.to_json();
    d["reason"] = json!(args.reason);
    audit("pause", d)?;
    let what = if gate == ALL {
        "every gate".to_string()
    } else {
        gate.clone()
    };
    zakon_core::outln!(
        "Paused {what} until {} ({}). While paused, what it would block is allowed and written \
         to the audit log as \"paused\". Undo with: {} resume",
        zakon_core::time::rfc3339(p.until),
        display_tilde(&path, &home),
        zakon_core::runnable::command("zakon")
    );
    Ok(())
}

pub fn run_resume(args: &ResumeArgs) -> Result<(), String> {
    let home = crate::home();
    let path = pause::path(&home);
    if let Some(g) = &args.gate {
        check_gate(g)?;
    }
    // `resume all` is `resume`: every pause ends.
    let gate = args.gate.as_deref().filter(|g| *g != ALL);
    let details = json!({"gate": gate.unwrap_or(ALL)});
    authorize("resume", &details)?;
    let now = zakon_core::time::unix_now();
    let before: Vec<Pause> = pause::load(&path)
        .unwrap_or_default()
        .into_iter()
        .filter(|p| p.until > now)
        .collect();
    let (ended, kept) = resume(before, gate);
    pause::save(&path, &kept).map_err(|e| e.to_string())?;
    if ended.is_empty() {
        match gate {
            Some(g) => zakon_core::outln!("Nothing to resume: {g} is not paused."),
            None => zakon_core::outln!("Nothing to resume: no gate is paused."),
        }
        return Ok(());
    }
    audit("resume", json!({"gates": ended, "by": who()}))?;
    if kept.is_empty() {
        // one gate ("Resumed blueprint-gate: it blocks again"), or several / "all"
        let verb = if ended.len() == 1 && ended[0] != "all" {
            "it blocks again"
        } else {
            "the gates block again"
        };
        zakon_core::outln!("Resumed {}: {verb}.", ended.join(", "));
        return Ok(());
    }
    let still: Vec<String> = kept
        .iter()
        .map(|p| format!("{} until {}", p.gate, zakon_core::time::rfc3339(p.until)))
        .collect();
    zakon_core::outln!(
        "Resumed {}: it blocks again. Still paused: {}. End those with: {} resume",
        ended.join(", "),
        still.join(", "),
        zakon_core::runnable::command("zakon")
    );
    Ok(())
}

/// Ends the pauses of `gate` (every pause when `None`): the gates that stop being paused,
/// and the pauses that remain. A pause of `all` covers `gate` too, so resuming one gate
/// turns it into a pause of each other gate with the same expiry (a gate that also has a
/// pause of its own keeps the later of the two).
fn resume(active: Vec<Pause>, gate: Option<&str>) -> (Vec<String>, Vec<Pause>) {
    let Some(gate) = gate else {
        return (active.into_iter().map(|p| p.gate).collect(), Vec::new());
    };
    let mut ended = false;
    let mut kept: Vec<Pause> = Vec::new();
    let mut all: Vec<Pause> = Vec::new();
    for p in active {
        if p.gate == gate {
            ended = true;
        } else if p.gate == ALL {
            ended = true;
            all.push(p);
        } else {
            kept.push(p);
        }
    }
    for a in all {
        for g in GATES.iter().filter(|g| **g != gate) {
            match kept.iter_mut().find(|p| p.gate == *g) {
                Some(own) if own.until >= a.until => {}
                Some(own) => {
                    *own = Pause {
                        gate: g.to_string(),
                        ..a.clone()
                    }
                }
                None => kept.push(Pause {
                    gate: g.to_string(),
                    ..a.clone()
                }),
            }
        }
    }
    let ended = if ended {
        vec![gate.to_string()]
    } else {
        Vec::new()
    };
    (ended, kept)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(gate: &str, until: i64) -> Pause {
        Pause {
            gate: gate.into(),
            until,
            by: "me".into(),
            at: "t".into(),
        }
    }

    #[test]
    fn resuming_one_gate_of_all_keeps_the_others_paused() {
        let (ended, kept) = resume(
            vec![p(ALL, 100), p("artifact-gate", 500)],
            Some("claim-gate"),
        );
        assert_eq!(ended, ["claim-gate"]);
        let kept: Vec<(String, i64)> = kept.into_iter().map(|p| (p.gate, p.until)).collect();
        assert_eq!(
            kept,
            [
                ("artifact-gate".to_string(), 500),
                ("blueprint-gate".to_string(), 100)
            ]
        );
        let (ended, kept) = resume(vec![p("artifact-gate", 5)], Some("claim-gate"));
        assert!(ended.is_empty());
        assert_eq!(kept.len(), 1);
    }

    #[test]
    fn only_a_human_at_a_terminal_and_root_in_managed_mode() {
        for (interactive, managed, uid, allowed) in [
            (true, false, 1000, true),
            (false, false, 1000, false),
            (false, false, 0, false),
            (true, true, 1000, false),
            (true, true, 0, true),
        ] {
            assert_eq!(
                refusal(interactive, managed, uid).is_none(),
                allowed,
                "{interactive} {managed} {uid}"
            );
        }
    }
}
