//! claim-gate: the Stop / SubagentStop hook that blocks a turn whose prose claims success
//! without citing evidence that exists. Also `check` (explain findings) and `banner`
//! (SessionStart: show the last unseen verdict once).

pub mod bash_writes;
pub mod config;
pub mod constructions;
mod context;
pub mod contradiction;
pub mod dedup;
pub mod detector;
pub mod discourse;
pub mod evidence;
pub mod gate;
pub mod lexicon;
pub mod provenance;
pub mod scorer;
mod senses;
pub mod text;
pub mod train;
pub mod transcript;
pub mod trust;
pub mod verdict;
pub mod weights_file;

use clap::{Parser, Subcommand};
use std::io::{Read, Write};
use std::process::ExitCode;

/// Blocks a Claude Code turn that claims success (done, verified, LIVE, urađeno, radi…)
/// without citing evidence that exists.
///
/// Hook mode (no subcommand): reads the Stop / SubagentStop hook JSON on stdin; exit 0 =
/// allow, exit 2 = block with the reason on stderr.
#[derive(Parser)]
#[command(name = "claim-gate", version, about, long_about)]
struct Cli {
    #[command(subcommand)]
    command: Option<Cmd>,
}

#[derive(Subcommand)]
enum Cmd {
    /// Explain every claim word in a text: sentence, keyword, and why it counts or not.
    /// Exit 0 when the verdict is allow, 1 when it is block, 2 when the text or the config
    /// cannot be read.
    Check {
        /// File to read; `-` or nothing reads stdin.
        file: Option<String>,
        /// Print the verdict and every finding as one JSON object.
        #[arg(long)]
        json: bool,
        /// The session transcript: show who wrote each cited evidence file (program,
        /// hand-written, stale, foreign-owned, contradicts). Without FILE, the text judged is
        /// the transcript's current turn.
        #[arg(long, value_name = "FILE")]
        transcript: Option<std::path::PathBuf>,
    },
    /// Train the scorer from a labelled corpus and write its weights file (the repository's
    /// `crates/claim-gate/rules/scorer/weights.txt`; rebuild to compile it in).
    TrainScorer {
        /// Folder of labelled `*.jsonl` files (`text`, `claim`, `ambiguous`).
        #[arg(long, default_value = "tests/corpus/claims")]
        corpus: std::path::PathBuf,
        /// Where to write the weights; `-` for stdout.
        #[arg(long, default_value = "crates/claim-gate/rules/scorer/weights.txt")]
        out: String,
        /// Leave these corpus files (by stem, e.g. `blind-ao`) out of training.
        #[arg(long, value_delimiter = ',')]
        leave_out: Vec<String>,
        /// Instead of writing weights, print `id<TAB>p<TAB>p_clause` for each message of FILE
        /// with the model just trained (for held-out evaluation).
        #[arg(long, value_name = "FILE")]
        eval: Option<std::path::PathBuf>,
    },
    /// SessionStart hook: print this project's unseen verdicts once (a count, the five newest listed), then mark them seen.
    Banner,
}

/// The command-line interface, for `zakon completions` and `zakon man`.
pub fn command() -> clap::Command {
    <Cli as clap::CommandFactory>::command()
}

pub fn main() -> ExitCode {
    // Hook mode has no arguments: skip building the clap parser, it costs more than the rest
    // of a Stop run.
    if std::env::args_os().len() <= 1 {
        return zakon_core::run(gate::GATE, hook);
    }
    let cli = Cli::parse();
    match cli.command {
        None => zakon_core::run(gate::GATE, hook),
        Some(Cmd::Check {
            file,
            json,
            transcript,
        }) => check(file.as_deref(), json, transcript.as_deref()),
        Some(Cmd::TrainScorer {
            corpus,
            out,
            leave_out,
            eval,
        }) => train_scorer(&corpus, &out, &leave_out, eval.as_deref()),
        Some(Cmd::Banner) => banner(),
    }
}

/// Hook mode: an event other than Stop / SubagentStop is not ours and allows before any other
/// work (the install check included: it runs at Stop / SubagentStop, as the README says).
fn hook(
    ctx: &zakon_core::Context,
    input: &zakon_core::HookInput,
) -> Result<zakon_core::Verdict, zakon_core::Error> {
    if !gate::in_scope(input) {
        return Ok(zakon_core::Verdict::Allow);
    }
    zakon_snapshot::install::guarded(ctx, input, gate::judge)
}

fn check(file: Option<&str>, json: bool, transcript: Option<&std::path::Path>) -> ExitCode {
    let text = match (file, transcript) {
        (None, Some(t)) => transcript::current_turn(t, false, None)
            .map(|turn| turn.all.join("\n\n"))
            .map_err(|e| std::io::Error::other(e.to_string())),
        (None | Some("-"), _) => {
            let mut s = String::new();
            std::io::stdin().read_to_string(&mut s).map(|_| s)
        }
        (Some(p), _) => zakon_core::fsio::read_regular_string(std::path::Path::new(p)),
    };
    let text = match text {
        Ok(t) => t,
        Err(e) => {
            eprintln!(
                "claim-gate check: cannot read {}: {e}",
                file.unwrap_or("stdin")
            );
            return ExitCode::from(2);
        }
    };
    let home = zakon_core::paths::home();
    let cfg = config::ClaimGateConfig::load(&home).and_then(gate::Settings::from_config);
    let settings = match cfg {
        Ok(s) => s,
        Err(e) => {
            eprintln!("claim-gate check: {e}");
            return ExitCode::from(2);
        }
    };
    let mut findings = detector::analyze(&text, &settings.lexicon);
    let score = scorer::review(&text, &mut findings, &settings.config);
    let cwd = std::env::current_dir().ok();
    let cited = match settings.patterns.citations(&text, &home, cwd.as_deref()) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("claim-gate check: {e}");
            return ExitCode::from(2);
        }
    };
    let n = findings.iter().filter(|f| f.is_claim()).count();
    // Evidence v2: the same trust checks as hook mode (provenance needs --transcript).
    let opts = trust::Options {
        evidence: &settings.config.evidence,
        transcript,
        home: &home,
        cwd: cwd.as_deref(),
    };
    let assessed = match trust::assess(&cited.iter().collect::<Vec<_>>(), &|_| n > 0, &opts) {
        Ok(a) => a,
        Err(e) => {
            eprintln!("claim-gate check: {e}");
            return ExitCode::from(2);
        }
    };
    let proven = assessed.iter().any(|a| a.provenance.accepted());
    let fabricated = cited.iter().any(|c| !c.exists);
    let (block, summary) = match (n, proven, fabricated) {
        (_, _, true) => (true, "a cited evidence path does not exist".to_string()),
        (0, _, _) => (false, "no claim of success".to_string()),
        (n, true, _) => (false, format!("{n} claim(s), evidence cited and present")),
        (n, false, _) if assessed.is_empty() => (true, format!("{n} claim(s) without evidence")),
        (n, false, _) => (
            true,
            format!("{n} claim(s), no cited evidence can be trusted"),
        ),
    };
    let mut out = std::io::stdout().lock();
    if json {
        let report = serde_json::json!({
            "verdict": if block { "block" } else { "allow" },
            "reason": summary,
            "claims": n,
            "findings": findings.iter().map(|f| serde_json::json!({
                "sentence": f.sentence,
                "keyword": f.keyword,
                "claim": f.is_claim(),
                "judgement": f.judgement_name(),
                "why": f.explain(),
            })).collect::<Vec<_>>(),
            // Rounded: the scorer's say, not float noise that changes with every retraining.
            "scorer": score.as_ref().map(|s| serde_json::json!({
                "p": (s.p * 1000.0).round() / 1000.0,
                "p_clause": (s.p_clause * 1000.0).round() / 1000.0,
                "sentence": s.sentence,
                "top": s.top.iter()
                    .map(|(f, w)| serde_json::json!([f, (f64::from(*w) * 100.0).round() / 100.0]))
                    .collect::<Vec<_>>(),
            })),
            "evidence": cited.iter().map(|c| serde_json::json!({
                "path": c.cited, "exists": c.exists,
                "files": assessed.iter().filter(|a| a.cited == c.cited)
                    .map(trust::Assessment::record).collect::<Vec<_>>(),
            })).collect::<Vec<_>>(),
        });
        let _ = writeln!(out, "{report}");
    } else {
        for f in &findings {
            let _ = writeln!(out, "{}", f.explain());
        }
        if let Some(s) = &score {
            let _ = writeln!(out, "{}", s.explain());
        }
        for c in &cited {
            if !c.exists {
                let _ = writeln!(out, "evidence   {} — MISSING (fabricated)", c.cited);
            }
            for a in assessed.iter().filter(|a| a.cited == c.cited) {
                // Without the transcript nothing is known about the writer: keep it short.
                let line = match transcript {
                    None if a.provenance.accepted() => format!("evidence   {} — exists", a.cited),
                    _ => a.explain(),
                };
                let _ = writeln!(out, "{line}");
            }
        }
        let word = if block { "BLOCK" } else { "allow" };
        let _ = writeln!(out, "verdict: {word} — {summary}");
    }
    if block {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn train_scorer(
    corpus: &std::path::Path,
    out: &str,
    leave_out: &[String],
    eval: Option<&std::path::Path>,
) -> ExitCode {
    let run = || -> Result<(), String> {
        let mut messages = Vec::new();
        for f in train::corpus_files(corpus, leave_out)? {
            messages.extend(train::read(&f)?);
        }
        if messages.is_empty() {
            return Err(format!("no labelled messages in {}", corpus.display()));
        }
        let model = train::train(&messages);
        let mut stdout = std::io::stdout().lock();
        if let Some(file) = eval {
            let (bias, names, offsets, weights) = model.parts()?;
            let model = scorer::Model {
                bias,
                names: &names,
                offsets: &offsets,
                weights: &weights,
            };
            for m in train::read(file)? {
                let s = model.score(&m.text);
                writeln!(stdout, "{}\t{:.6}\t{:.6}", m.id, s.p, s.p_clause)
                    .map_err(|e| e.to_string())?;
            }
            return Ok(());
        }
        let text = model.file();
        if out == "-" {
            stdout.write_all(text.as_bytes()).map_err(|e| e.to_string())
        } else {
            std::fs::write(out, text).map_err(|e| format!("{out}: {e}"))?;
            eprintln!(
                "claim-gate train-scorer: {} messages -> {out}",
                messages.len()
            );
            Ok(())
        }
    };
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("claim-gate train-scorer: {e}");
            ExitCode::from(2)
        }
    }
}

fn banner() -> ExitCode {
    use std::io::IsTerminal;
    // A SessionStart hook: the same deadline as the hook runner.
    zakon_core::deadline::arm("claim-gate banner");
    let home = zakon_core::paths::home();
    // The SessionStart input names the project (`cwd`); by hand on a terminal there is none.
    let mut input = Vec::new();
    if !std::io::stdin().is_terminal() {
        let _ = std::io::stdin()
            .take(zakon_core::hook::MAX_INPUT_BYTES)
            .read_to_end(&mut input);
    }
    let cwd = zakon_core::HookInput::parse(&input)
        .ok()
        .and_then(|i| i.cwd);
    let project = verdict::project(cwd.as_deref());
    let path = config::ClaimGateConfig::load(&home).map(|c| c.verdict_path(&home));
    match path.and_then(|p| verdict::take_banner(&p, project.as_deref())) {
        Ok(Some(text)) => {
            let _ = writeln!(std::io::stdout(), "{text}");
            ExitCode::SUCCESS
        }
        Ok(None) => ExitCode::SUCCESS,
        Err(e) => {
            let _ = writeln!(std::io::stderr(), "claim-gate banner: {e}");
            ExitCode::from(2)
        }
    }
}
