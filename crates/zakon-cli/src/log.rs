//! `zakon log`: the recent blocks, overrides, pauses and violations, read from the audit log
//! and the violation log — instead of `tail` on raw JSON Lines.

use crate::color::Paint;
use clap::Args;
use serde_json::Value;
use std::path::{Path, PathBuf};
use zakon_core::paths::display_tilde;

#[derive(Args)]
pub struct LogArgs {
    /// Only this gate (claim-gate, artifact-gate, blueprint-gate, zakon)
    #[arg(long, value_name = "GATE")]
    pub gate: Option<String>,
    /// Only this session id
    #[arg(long, value_name = "ID")]
    pub session: Option<String>,
    /// Only since then: a duration back from now (30m, 2h, 3d, 1w), a date (2026-12-05) or an RFC 3339 time
    #[arg(long, value_name = "WHEN")]
    pub since: Option<String>,
    /// How many of the most recent records to show (0 = all)
    #[arg(short = 'n', long, value_name = "N", default_value_t = 50)]
    pub limit: usize,
    /// Print a JSON array of the records as logged (plus "source")
    #[arg(long)]
    pub json: bool,
}

/// What to keep.
#[derive(Default)]
pub struct Filter {
    pub gate: Option<String>,
    pub session: Option<String>,
    pub since: Option<i64>,
}

impl Filter {
    pub fn new(
        gate: Option<String>,
        session: Option<String>,
        since: Option<&str>,
    ) -> Result<Filter, String> {
        let since = match since {
            Some(s) => Some(
                zakon_core::timespec::parse_since(s, zakon_core::time::unix_now()).ok_or_else(
                    || {
                        format!(
                            "--since {s:?} is neither a duration (30m, 2h, 3d, 1w) nor an RFC 3339 \
                         time (2026-12-05T10:00:00Z, 2026-12-05)"
                        )
                    },
                )?,
            ),
            None => None,
        };
        Ok(Filter {
            gate,
            session,
            since,
        })
    }

    fn keeps(&self, r: &Record) -> bool {
        self.gate.as_ref().is_none_or(|g| *g == r.gate)
            && self.session.as_ref().is_none_or(|s| *s == r.session)
            && self.since.is_none_or(|t| r.unix >= t)
    }
}

/// One line of either log.
pub struct Record {
    pub unix: i64,
    pub timestamp: String,
    pub gate: String,
    pub session: String,
    /// The audit `decision` (block, override, paused, pause, …) or `violation`.
    pub decision: String,
    pub rule: String,
    pub raw: Value,
    pub source: &'static str,
}

impl Record {
    fn from_json(v: Value, source: &'static str) -> Option<Record> {
        let text = |k: &str| v.get(k).and_then(Value::as_str).unwrap_or("").to_string();
        let timestamp = text("timestamp");
        let unix = zakon_core::time::parse_rfc3339(&timestamp)?;
        let decision = if source == "violations" {
            "violation".to_string()
        } else {
            text("decision")
        };
        Some(Record {
            unix,
            gate: text("gate"),
            session: text("session_id"),
            rule: text("rule"),
            timestamp,
            decision,
            raw: v,
            source,
        })
    }

    /// What the record is about, in a few words: the claim, the file, the command, the error.
    pub fn summary(&self) -> String {
        let d = if self.source == "violations" {
            &self.raw
        } else {
            self.raw.get("details").unwrap_or(&Value::Null)
        };
        let d = d.get("would_block").filter(|w| !w.is_null()).unwrap_or(d);
        let s = |v: Option<&Value>| v.and_then(Value::as_str).map(str::to_string);
        let first =
            |v: Option<&Value>| v.and_then(Value::as_array).and_then(|a| a.first().cloned());
        let found = s(first(d.get("claims"))
            .as_ref()
            .and_then(|c| c.get("sentence")))
        .map(|c| format!("{c:?}"))
        .or_else(|| {
            s(d.get("claim"))
                .filter(|c| !c.is_empty())
                .map(|c| format!("{c:?}"))
        })
        .or_else(|| s(first(d.get("fabricated")).as_ref()).map(|p| format!("fabricated {p}")))
        .or_else(|| s(d.get("file")))
        .or_else(|| s(first(d.get("targets")).as_ref()))
        .or_else(|| s(d.get("command")))
        .or_else(|| s(d.get("gate")).map(|g| format!("gate {g}")))
        .or_else(|| s(d.get("error")))
        .unwrap_or_else(|| {
            if d.is_null() {
                String::new()
            } else {
                d.to_string()
            }
        });
        zakon_core::verdict::shorten(&found, 120)
    }
}

/// Where the two logs are, from the config (defaults when it cannot be read, with a note).
pub fn sources(home: &Path) -> (PathBuf, PathBuf, Option<String>) {
    let (cfg, note) = match zakon_core::config::Config::load(home) {
        Ok(c) => (c, None),
        Err(e) => (
            zakon_core::config::Config::default(),
            Some(format!("{e} (reading the default paths)")),
        ),
    };
    let audit = cfg.audit_log_path(home);
    let violations = cfg
        .section::<claim_gate::config::ClaimGateConfig>("claim_gate", &cfg.claim_gate)
        .map(|c| c.violations_path(home))
        .unwrap_or_else(|_| home.join(".claude/zakon/violations.jsonl"));
    (audit, violations, note)
}

/// The largest log `zakon log`/`stats` reads (a gate reads at most `fsio::MAX_FILE_BYTES`).
const LOG_MAX_BYTES: u64 = 1 << 30;

/// Every record of both logs that `filter` keeps, oldest first, and notes about lines that
/// could not be read.
pub fn load(home: &Path, filter: &Filter) -> (Vec<Record>, Vec<String>) {
    let (audit, violations, note) = sources(home);
    let mut notes: Vec<String> = note.into_iter().collect();
    let mut out = Vec::new();
    for (path, source) in [(&audit, "audit"), (&violations, "violations")] {
        // Logs grow for months: a larger bound than a gate's, but still non-blocking and
        // regular files only (a FIFO here must not hang `zakon log`).
        let text = match zakon_core::fsio::read_regular_bounded(path, LOG_MAX_BYTES)
            .and_then(|b| String::from_utf8(b).map_err(|_| std::io::ErrorKind::InvalidData.into()))
        {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(e) => {
                notes.push(format!("cannot read {}: {e}", display_tilde(path, home)));
                continue;
            }
        };
        let mut bad = 0;
        for line in text.lines().filter(|l| !l.trim().is_empty()) {
            match serde_json::from_str(line)
                .ok()
                .and_then(|v| Record::from_json(v, source))
            {
                Some(r) if filter.keeps(&r) => out.push(r),
                Some(_) => {}
                None => bad += 1,
            }
        }
        if bad > 0 {
            notes.push(format!(
                "skipped {bad} line(s) of {} that are not JSON records with a timestamp",
                display_tilde(path, home)
            ));
        }
    }
    out.sort_by_key(|r| r.unix);
    (out, notes)
}

pub fn run(args: &LogArgs) -> Result<(), String> {
    let home = crate::home();
    let filter = Filter::new(
        args.gate.clone(),
        args.session.clone(),
        args.since.as_deref(),
    )?;
    let (records, notes) = load(&home, &filter);
    for n in &notes {
        eprintln!("zakon log: note: {n}");
    }
    let total = records.len();
    let start = if args.limit == 0 {
        0
    } else {
        total.saturating_sub(args.limit)
    };
    let shown = &records[start..];
    if args.json {
        let list: Vec<Value> = shown
            .iter()
            .map(|r| {
                let mut v = r.raw.clone();
                if let Some(o) = v.as_object_mut() {
                    o.insert("source".into(), Value::from(r.source));
                }
                v
            })
            .collect();
        zakon_core::outln!(
            "{}",
            serde_json::to_string_pretty(&list).map_err(|e| e.to_string())?
        );
        return Ok(());
    }
    let (audit, violations, _) = sources(&home);
    if shown.is_empty() {
        zakon_core::outln!(
            "No blocks, overrides, pauses or violations{} in {} or {}.",
            if filter.gate.is_some() || filter.session.is_some() || filter.since.is_some() {
                " match"
            } else {
                " recorded"
            },
            display_tilde(&audit, &home),
            display_tilde(&violations, &home)
        );
        return Ok(());
    }
    let paint = Paint::stdout();
    let w = |f: &dyn Fn(&Record) -> usize| shown.iter().map(f).max().unwrap_or(0);
    let session = |r: &Record| {
        if r.session.is_empty() {
            "session -".to_string()
        } else {
            format!("session {}", r.session)
        }
    };
    let (wg, wd, wr, ws) = (
        w(&|r| r.gate.len()),
        w(&|r| r.decision.len()),
        w(&|r| r.rule.chars().count()),
        w(&|r| session(r).chars().count()),
    );
    for r in shown {
        zakon_core::outln!(
            "{}  {:<wg$}  {}  {:<wr$}  {}  {}",
            paint.dim(&r.timestamp),
            r.gate,
            paint.decision(&r.decision, wd),
            r.rule,
            paint.dim(&format!("{:<ws$}", session(r))),
            r.summary()
        );
    }
    if start > 0 {
        zakon_core::outln!("({start} older record(s) not shown; -n 0 shows all)");
    }
    Ok(())
}
