//! `zakon stats`: how often each gate, rule and day blocked, was overridden or paused — the
//! numbers behind "is this gate misfiring?".

use crate::log::{Filter, Record, load, sources};
use clap::Args;
use serde_json::{Map, Value, json};
use std::collections::BTreeMap;
use zakon_core::paths::display_tilde;

#[derive(Args)]
pub struct StatsArgs {
    /// Only since then: a duration back from now (30m, 2h, 3d, 1w), a date (2026-12-05) or an RFC 3339 time
    #[arg(long, value_name = "WHEN")]
    pub since: Option<String>,
    /// Only this gate
    #[arg(long, value_name = "GATE")]
    pub gate: Option<String>,
    /// Print JSON
    #[arg(long)]
    pub json: bool,
}

/// Counts per gate (by decision), per rule and per day (UTC).
#[derive(Default)]
pub struct Counts {
    pub total: usize,
    pub by_gate: BTreeMap<String, BTreeMap<String, usize>>,
    pub by_rule: BTreeMap<String, usize>,
    pub by_day: BTreeMap<String, usize>,
}

pub fn count(records: &[Record]) -> Counts {
    let mut c = Counts::default();
    for r in records {
        c.total += 1;
        *c.by_gate
            .entry(r.gate.clone())
            .or_default()
            .entry(r.decision.clone())
            .or_default() += 1;
        *c.by_rule.entry(r.rule.clone()).or_default() += 1;
        let day = r.timestamp.get(..10).unwrap_or("?").to_string();
        *c.by_day.entry(day).or_default() += 1;
    }
    c
}

pub fn run(args: &StatsArgs) -> Result<(), String> {
    let home = crate::home();
    let filter = Filter::new(args.gate.clone(), None, args.since.as_deref())?;
    let (records, notes) = load(&home, &filter);
    for n in &notes {
        eprintln!("zakon stats: note: {n}");
    }
    let c = count(&records);
    if args.json {
        let by_gate: Map<String, Value> = c
            .by_gate
            .iter()
            .map(|(g, d)| (g.clone(), json!(d)))
            .collect();
        let doc = json!({"total": c.total, "by_gate": by_gate, "by_rule": c.by_rule,
                         "by_day": c.by_day});
        zakon_core::outln!(
            "{}",
            serde_json::to_string_pretty(&doc).map_err(|e| e.to_string())?
        );
        return Ok(());
    }
    let (audit, violations, _) = sources(&home);
    zakon_core::outln!(
        "{} record(s) in {} and {}",
        c.total,
        display_tilde(&audit, &home),
        display_tilde(&violations, &home)
    );
    if c.total == 0 {
        return Ok(());
    }
    zakon_core::outln!("\nby gate");
    for (gate, decisions) in &c.by_gate {
        let n: usize = decisions.values().sum();
        let parts: Vec<String> = decisions.iter().map(|(d, k)| format!("{d} {k}")).collect();
        zakon_core::outln!("  {gate:<16} {n:>6}  ({})", parts.join(", "));
    }
    zakon_core::outln!("\nby rule");
    let width = c
        .by_rule
        .keys()
        .map(|k| k.chars().count())
        .max()
        .unwrap_or(0);
    for (rule, n) in &c.by_rule {
        zakon_core::outln!("  {rule:<width$} {n:>6}");
    }
    zakon_core::outln!("\nby day (UTC)");
    for (day, n) in &c.by_day {
        zakon_core::outln!("  {day} {n:>6}");
    }
    Ok(())
}
