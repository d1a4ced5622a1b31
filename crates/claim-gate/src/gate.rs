//! The Stop / SubagentStop judgement: read the current turn, find claims, check evidence,
//! block with a message that says exactly how to get through, record the violation once per
//! session and write the verdict.

use crate::config::ClaimGateConfig;
use crate::detector::{self, Finding, Lexicon};
use crate::evidence::{self, Citation};
use crate::transcript::{self, Turn};
use crate::trust::{self, Assessment};
use crate::{dedup, discourse, scorer, verdict};
use serde_json::{Value, json};
use zakon_core::{Context, Error, HookInput, Reason, Verdict};

pub const GATE: &str = "claim-gate";

/// Everything the gate needs from config, resolved.
pub struct Settings {
    pub lexicon: Lexicon,
    pub patterns: evidence::Patterns,
    pub config: ClaimGateConfig,
}

impl Settings {
    pub fn load(ctx: &Context) -> Result<Settings, Error> {
        let cfg = ctx.config()?;
        let config: ClaimGateConfig = cfg.section("claim_gate", &cfg.claim_gate)?;
        Settings::from_config(config)
    }

    pub fn from_config(config: ClaimGateConfig) -> Result<Settings, Error> {
        let lexicon = Lexicon::new(&config.extra_claim_words, &config.disabled_claim_words);
        let patterns = match &config.evidence_patterns {
            Some(p) => evidence::Patterns::Custom(evidence::compile(p).map_err(Error::new)?),
            None => evidence::Patterns::Default,
        };
        Ok(Settings {
            lexicon,
            patterns,
            config,
        })
    }
}

/// Whether claim-gate judges this event: Stop and SubagentStop (no event name is read as Stop).
pub fn in_scope(input: &HookInput) -> bool {
    matches!(input.event(), "Stop" | "SubagentStop" | "")
}

/// Hook mode.
pub fn judge(ctx: &Context, input: &HookInput) -> Result<Verdict, Error> {
    let subagent = match input.event() {
        "Stop" | "" => false,
        "SubagentStop" => true,
        _ => return Ok(Verdict::Allow), // registered elsewhere by mistake: not our event
    };
    let turn = read_turn(ctx, input, subagent)?;
    let settings = Settings::load(ctx)?;
    // The final prose, plus narration before a tool call that states a result without
    // announcing the check that follows it (see `discourse::working_note`).
    let judged_blocks: Vec<&String> = turn
        .notes
        .iter()
        .filter(|n| !discourse::working_note(n))
        .chain(turn.judged.iter())
        .collect();
    // Fabricated paths count anywhere since the last feedback line, narration included; an
    // answer to a block that withdraws a fabricated citation is not held to it.
    let answer = turn
        .notes
        .iter()
        .chain(turn.judged.iter())
        .map(String::as_str)
        .collect::<Vec<_>>()
        .join("\n\n");
    // Each text block is its own piece of prose: a heading in one does not rule the next.
    let mut findings: Vec<Finding> = judged_blocks
        .iter()
        .flat_map(|b| detector::analyze(b, &settings.lexicon))
        .collect();
    // The scorer reads the prose as one message, as it was trained.
    let prose = judged_blocks
        .iter()
        .map(|b| b.as_str())
        .collect::<Vec<_>>()
        .join("\n\n");
    scorer::review(&prose, &mut findings, &settings.config);
    let claims: Vec<&Finding> = detector::claims(&findings).collect();
    let all_text = turn.all.join("\n\n");
    let cited = settings
        .patterns
        .citations(&all_text, &ctx.home, ctx.cwd())
        .map_err(Error::new)?;
    let judged_cited = settings
        .patterns
        .citations(&answer, &ctx.home, ctx.cwd())
        .map_err(Error::new)?;
    let fabricated: Vec<&Citation> = judged_cited.iter().filter(|c| !c.exists).collect();
    // Evidence v2: an existing file is proof only when it can be trusted (see trust.rs).
    let assessed = if claims.is_empty() {
        Vec::new()
    } else {
        let transcript = transcript_for(ctx, input, subagent);
        let opts = trust::Options {
            evidence: &settings.config.evidence,
            transcript: transcript.as_deref().filter(|p| p.exists()),
            home: &ctx.home,
            cwd: ctx.cwd(),
        };
        let claimed = |c: &Citation| judged_cited.iter().any(|j| j.cited == c.cited);
        trust::assess(&cited.iter().collect::<Vec<_>>(), &claimed, &opts)?
    };
    let proven = assessed.iter().any(|a| a.provenance.accepted());
    if fabricated.is_empty() && (claims.is_empty() || proven) {
        return Ok(Verdict::Allow);
    }
    block(ctx, input, &settings, &claims, &fabricated, &assessed)
}

/// The transcript judged: a subagent's own file for SubagentStop, as `read_turn` reads it.
fn transcript_for(ctx: &Context, input: &HookInput, subagent: bool) -> Option<std::path::PathBuf> {
    let path = if subagent {
        input
            .agent_transcript_path
            .as_deref()
            .or(input.transcript_path.as_deref())
    } else {
        input.transcript_path.as_deref()
    };
    path.filter(|p| !p.is_empty()).map(|p| ctx.resolve(p))
}

/// The current turn, with `last_assistant_message` added when the transcript lags behind it.
fn read_turn(ctx: &Context, input: &HookInput, subagent: bool) -> Result<Turn, Error> {
    let path = transcript_for(ctx, input, subagent);
    let last = input
        .last_assistant_message
        .as_deref()
        .filter(|m| !m.trim().is_empty());
    let mut turn = match (path, last) {
        (Some(p), _) => {
            match transcript::current_turn(&p, subagent, input.prompt_id.as_deref()) {
                Ok(t) => t,
                // Judge the message we were handed rather than fail when only the file is gone.
                Err(_) if last.is_some() && !p.exists() => Turn::default(),
                Err(e) => return Err(e),
            }
        }
        (None, Some(_)) => Turn::default(),
        (None, None) => {
            return Err(Error::new(
                "Stop input has no transcript_path and no last_assistant_message to judge",
            ));
        }
    };
    if let Some(msg) = last
        && !ends_with_message(&turn.judged, msg)
    {
        turn.all.push(msg.to_string());
        if input.stop_hook_active == Some(true) {
            // After a block Claude Code may call the hook again before it has written the
            // feedback line and the agent's answer: the transcript still ends with the prose
            // that was blocked. The message we were handed is the answer; judge it alone.
            turn.judged.clear();
            turn.notes.clear();
        }
        turn.judged.push(msg.to_string());
    }
    Ok(turn)
}

fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn ends_with_message(judged: &[String], msg: &str) -> bool {
    let have = squash(&judged.join("\n"));
    let want = squash(msg);
    have.ends_with(&want) || (!want.is_empty() && have.contains(&want))
}

fn block(
    ctx: &Context,
    input: &HookInput,
    s: &Settings,
    claims: &[&Finding],
    fabricated: &[&Citation],
    assessed: &[Assessment],
) -> Result<Verdict, Error> {
    let rejected: Vec<&Assessment> = assessed
        .iter()
        .filter(|a| !a.provenance.accepted())
        .collect();
    // One entry per claim sentence, with every keyword that made it one.
    let mut sentences: Vec<(&str, Vec<&str>)> = Vec::new();
    for f in claims {
        match sentences.iter_mut().find(|(s, _)| *s == f.sentence) {
            Some((_, kws)) => kws.push(&f.keyword),
            None => sentences.push((&f.sentence, vec![&f.keyword])),
        }
    }
    let mut msg = String::new();
    let rule;
    if !fabricated.is_empty() {
        rule = "fabricated-evidence";
        let list: Vec<String> = fabricated
            .iter()
            .map(|c| {
                if c.escapes {
                    format!("{} (leaves the evidence directory)", c.cited)
                } else {
                    c.cited.clone()
                }
            })
            .collect();
        msg.push_str(&format!(
            "your reply cites evidence that does not exist: {} (fabricated evidence — no such \
             non-empty file or directory).\n",
            list.join(", ")
        ));
    } else if !rejected.is_empty() {
        rule = trust::rule(&rejected);
    } else {
        rule = "claim-without-evidence";
    }
    msg.push_str(&trust::message(&rejected, ctx.cwd()));
    for (sentence, kws) in sentences.iter().take(3) {
        msg.push_str(&format!(
            "{:?} claims success (keyword{}: {}) but cites no evidence that {}.\n",
            zakon_core::verdict::shorten(sentence, 160),
            if kws.len() > 1 { "s" } else { "" },
            kws.join(", "),
            if rejected.is_empty() {
                "exists"
            } else {
                "can be trusted"
            }
        ));
    }
    if sentences.len() > 3 {
        msg.push_str(&format!(
            "…and {} more claim sentence(s).\n",
            sentences.len() - 3
        ));
    }
    msg.push_str(&format!(
        "To go on, do one of these in your next reply:\n  \
         1. Save real proof (test log, command output, screenshot) under /tmp/evidence-<id>/, docs/evidence/ in the \
         project, or ~/system/state/<name>.json, and name that path in your reply; or\n  \
         2. Say plainly what is not verified (\"not verified yet: …\") instead of claiming it.\n\
         Run `{} check` on your text to see which sentences count as claims.",
        zakon_core::runnable::command(GATE)
    ));

    let keywords: Vec<String> = claims.iter().map(|f| f.keyword.clone()).collect();
    let mut evidence_state = if fabricated.is_empty() {
        "none".to_string()
    } else {
        let mut p: Vec<String> = fabricated.iter().map(|c| c.cited.clone()).collect();
        p.sort();
        format!("fabricated:{}", p.join(","))
    };
    if !rejected.is_empty() {
        evidence_state.push_str(&format!(";untrusted:{}", trust::state(&rejected)));
    }
    let evidence: Vec<Value> = assessed.iter().map(Assessment::record).collect();
    let key = dedup::violation_key(&keywords, &evidence_state);
    let mut violations: Vec<Value> = sentences
        .iter()
        .map(|(s, kws)| json!({"kind": "unverified claim", "sentence": s, "keywords": kws}))
        .collect();
    violations.extend(
        fabricated
            .iter()
            .map(|c| json!({"kind": "fabricated evidence", "path": c.cited})),
    );
    violations.extend(rejected.iter().map(|a| {
        let mut v = a.record();
        v["kind"] = json!("untrusted evidence");
        v
    }));
    let now = zakon_core::time::now_rfc3339();
    let claim_text = claims
        .first()
        .map(|f| f.sentence.clone())
        .unwrap_or_default();
    let record = json!({
        "timestamp": now, "gate": GATE, "session_id": ctx.session_id, "rule": rule,
        "sha256": key, "violations": violations, "claim": claim_text,
        "cwd": input.cwd, "transcript_path": input.transcript_path, "evidence": evidence,
    });
    let details = json!({
        "claims": sentences.iter().map(|(s, kws)| json!({"sentence": s, "keywords": kws})).collect::<Vec<_>>(),
        "fabricated": fabricated.iter().map(|c| c.cited.clone()).collect::<Vec<_>>(),
        "evidence": evidence,
        "sha256": key,
        "stop_hook_active": input.stop_hook_active.unwrap_or(false),
    });
    // A human paused this gate: the runner lets the turn end and audits it as "paused". It is
    // not a violation, and the next session's banner must not report it as one.
    if zakon_core::pause::active(&ctx.home, ctx.gate).is_some() {
        return Ok(Verdict::Block(Reason::new(rule, msg).with_details(details)));
    }
    let sink = s.config.violations_path(&ctx.home);
    let cache = dedup::cache_path(&zakon_core::paths::temp_dir(), &ctx.session_id);
    let new = dedup::record_once(
        &cache,
        &key,
        &sink,
        &record,
        s.config.on_violation.as_deref(),
    )?;

    let verdict_path = s.config.verdict_path(&ctx.home);
    let v = json!({
        "session_id": ctx.session_id, "timestamp": now, "gate": GATE,
        "score": verdict::score(sentences.len(), fabricated.len() + rejected.len()),
        "violations": violations, "claim": claim_text, "seen": false, "evidence": evidence,
        "project": verdict::project(input.cwd.as_deref()),
    });
    verdict::write(&verdict_path, &v)?;

    let mut details = details;
    details["duplicate"] = json!(!new);
    Ok(Verdict::Block(Reason::new(rule, msg).with_details(details)))
}
