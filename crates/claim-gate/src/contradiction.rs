//! Evidence whose content contradicts a claim of success: a test runner's own summary with
//! failures, a non-zero exit code, an HTTP 4xx/5xx status line. The recognisers are data
//! (`rules/evidence-contradictions.txt`, one a line with its reason). A recogniser's regex is
//! compiled only when the file holds one of its needles, once, as an ASCII byte regex:
//! compiling all of them with Unicode classes cost a cited-evidence Stop run 2 ms.

use once_cell::sync::{Lazy, OnceCell};
use regex::Regex;
use regex::bytes::{Regex as BytesRegex, RegexBuilder};
use std::io::{Read, Seek, SeekFrom};
use std::path::Path;

const RULES: &str = include_str!("../rules/evidence-contradictions.txt");

/// A file this big or smaller is read whole; a bigger one by its first and last parts, where
/// runners print status lines and summaries.
const WHOLE_FILE_BYTES: u64 = 4 * 1024 * 1024;
const HEAD_BYTES: u64 = 1024 * 1024;
const TAIL_BYTES: u64 = 2 * 1024 * 1024;

/// One recogniser from the data file.
#[derive(Debug)]
pub struct Recogniser {
    pub runner: String,
    pub reason: String,
}

struct Rule {
    /// Lowercase literals, one of which every match contains.
    needles: Vec<String>,
    pattern: String,
    regex: OnceCell<Result<BytesRegex, String>>,
    recogniser: Recogniser,
}

impl Rule {
    fn regex(&self) -> Result<&BytesRegex, String> {
        self.regex
            .get_or_init(|| {
                RegexBuilder::new(&self.pattern)
                    .unicode(false)
                    .build()
                    .map_err(|e| {
                        format!(
                            "evidence-contradictions.txt: invalid regex {:?}: {e}",
                            self.pattern
                        )
                    })
            })
            .as_ref()
            .map_err(Clone::clone)
    }
}

struct Compiled {
    rules: Vec<Rule>,
}

static COMPILED: Lazy<Result<Compiled, String>> = Lazy::new(|| compile(RULES));

/// ANSI colour and cursor sequences (runners colour their summaries on a terminal).
static ANSI: Lazy<Option<Regex>> = Lazy::new(|| Regex::new(r"\x1b\[[0-9;?]*[A-Za-z]").ok());

fn compile(text: &str) -> Result<Compiled, String> {
    let mut rules = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let parts: Vec<&str> = line.splitn(4, " :: ").collect();
        let [runner, needles, pattern, reason] = parts[..] else {
            return Err(format!(
                "evidence-contradictions.txt line {}: expected `runner :: needles :: regex :: reason`",
                n + 1
            ));
        };
        rules.push(Rule {
            needles: needles.split('|').map(|s| s.to_ascii_lowercase()).collect(),
            pattern: pattern.to_string(),
            regex: OnceCell::new(),
            recogniser: Recogniser {
                runner: runner.trim().to_string(),
                reason: reason.trim().to_string(),
            },
        });
    }
    Ok(Compiled { rules })
}

/// The first line of a text that shows failure.
#[derive(Debug, Clone, PartialEq)]
pub struct Contradiction {
    /// 1-based line number in the part of the file read.
    pub line_no: usize,
    /// The line as it reads (colours removed, shortened for messages).
    pub line: String,
    pub runner: String,
    pub reason: String,
}

/// The first failure line in `text`, if any.
pub fn find_in_text(text: &str) -> Result<Option<Contradiction>, String> {
    let compiled = COMPILED.as_ref().map_err(Clone::clone)?;
    let lower = text.to_ascii_lowercase();
    let candidates: Vec<&Rule> = compiled
        .rules
        .iter()
        .filter(|r| r.needles.iter().any(|n| lower.contains(n.as_str())))
        .collect();
    if candidates.is_empty() {
        return Ok(None);
    }
    for (i, raw) in text.lines().enumerate() {
        let plain = match ANSI.as_ref() {
            Some(re) if raw.contains('\x1b') => re.replace_all(raw, "").into_owned(),
            _ => raw.to_string(),
        };
        let line = plain.trim_end();
        for rule in &candidates {
            if !rule.regex()?.is_match(line.as_bytes()) {
                continue;
            }
            let r = &rule.recogniser;
            return Ok(Some(Contradiction {
                line_no: i + 1,
                line: zakon_core::verdict::shorten(line.trim_start(), 200),
                runner: r.runner.clone(),
                reason: r.reason.clone(),
            }));
        }
    }
    Ok(None)
}

/// The first failure line of a cited file. Binary files (a NUL in the first 8 KiB:
/// screenshots, archives) are not read as text.
pub fn find_in_file(path: &Path) -> Result<Option<Contradiction>, String> {
    let read = || -> std::io::Result<Option<String>> {
        let mut f = std::fs::File::open(path)?;
        let len = f.metadata()?.len();
        let mut bytes = Vec::new();
        if len <= WHOLE_FILE_BYTES {
            f.read_to_end(&mut bytes)?;
        } else {
            f.by_ref().take(HEAD_BYTES).read_to_end(&mut bytes)?;
            bytes.push(b'\n');
            f.seek(SeekFrom::Start(len - TAIL_BYTES))?;
            f.take(TAIL_BYTES).read_to_end(&mut bytes)?;
        }
        if bytes[..bytes.len().min(8192)].contains(&0) {
            return Ok(None);
        }
        Ok(Some(String::from_utf8_lossy(&bytes).into_owned()))
    };
    match read() {
        Ok(Some(text)) => find_in_text(&text),
        Ok(None) => Ok(None),
        Err(e) => Err(format!("cannot read {}: {e}", path.display())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Real runner output, generated on this machine (see the data file for versions), or
    /// the documented format where the runner is not installed here.
    #[test]
    fn recognises_each_runners_failure_and_passes_its_success() {
        for (runner_output, want) in [
            // cargo test (real)
            (
                "failures:\n    bad\n\ntest result: FAILED. 1 passed; 1 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.07s\n\nerror: test failed, to rerun pass `--lib`",
                Some("cargo"),
            ),
            (
                "running 1 test\ntest ok ... ok\n\ntest result: ok. 1 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.00s",
                None,
            ),
            (
                "error[E0425]: cannot find value `x` in this scope\nerror: could not compile `t` (lib test) due to 1 previous error",
                Some("cargo"),
            ),
            // cargo nextest (documented)
            (
                "     Summary [   0.010s] 2 tests run: 1 passed, 1 failed, 0 skipped",
                Some("cargo-nextest"),
            ),
            (
                "     Summary [   0.010s] 2 tests run: 2 passed, 0 skipped",
                None,
            ),
            // pytest 9.2 (real): default, -q, errors
            (
                "FAILED test_a.py::test_bad - assert 1 == 2\n========================= 1 failed, 1 passed in 0.03s ==========================",
                Some("pytest"),
            ),
            (
                "FAILED test_a.py::test_bad - assert 1 == 2\n1 failed, 1 passed in 0.02s",
                Some("pytest"),
            ),
            (
                "============================== 1 passed in 0.01s ===============================",
                None,
            ),
            (
                ".                                                                        [100%]\n1 passed in 0.01s",
                None,
            ),
            (
                "==================== 2 passed, 1 error in 0.05s ====================",
                Some("pytest"),
            ),
            (
                "=========== 3 passed, 1 skipped, 2 warnings in 1.20s ===========",
                None,
            ),
            // python -m unittest (real)
            (
                "Ran 2 tests in 0.000s\n\nFAILED (failures=1)",
                Some("unittest"),
            ),
            ("Ran 2 tests in 0.000s\n\nOK", None),
            // jest 30 (real)
            (
                "Test Suites: 1 failed, 1 total\nTests:       1 failed, 1 passed, 2 total\nSnapshots:   0 total",
                Some("jest"),
            ),
            (
                "Test Suites: 1 passed, 1 total\nTests:       1 passed, 1 total\nSnapshots:   0 total",
                None,
            ),
            // vitest 4 (real, coloured and NO_COLOR)
            (
                "\x1b[2m Test Files \x1b[22m \x1b[1m\x1b[31m1 failed\x1b[39m\x1b[22m\x1b[90m (1)\x1b[39m\n\x1b[2m      Tests \x1b[22m \x1b[1m\x1b[31m1 failed\x1b[39m\x1b[22m\x1b[2m | \x1b[22m\x1b[1m\x1b[32m1 passed\x1b[39m",
                Some("vitest"),
            ),
            ("      Tests  1 failed | 1 passed (2)", Some("vitest")),
            (
                "\x1b[2m Test Files \x1b[22m \x1b[1m\x1b[32m1 passed\x1b[39m\x1b[22m\x1b[90m (1)\x1b[39m\n\x1b[2m      Tests \x1b[22m \x1b[1m\x1b[32m1 passed\x1b[39m\x1b[22m\x1b[90m (1)\x1b[39m",
                None,
            ),
            // node --test (real)
            (
                "1..2\n# tests 2\n# suites 0\n# pass 1\n# fail 1\n# cancelled 0",
                Some("node-test"),
            ),
            ("1..1\n# tests 1\n# pass 1\n# fail 0\n# cancelled 0", None),
            // go test (documented)
            (
                "=== RUN   TestBad\n--- FAIL: TestBad (0.00s)\n    a_test.go:5: 1 != 2\nFAIL\nexit status 1\nFAIL\texample.com/m\t0.003s",
                Some("go-test"),
            ),
            ("FAIL\texample.com/m\t0.003s", Some("go-test")),
            (
                "=== RUN   TestOk\n--- PASS: TestOk (0.00s)\nPASS\nok  \texample.com/m\t0.002s",
                None,
            ),
            // rspec (documented)
            (
                "Finished in 0.01 seconds\n3 examples, 1 failure",
                Some("rspec"),
            ),
            ("Finished in 0.01 seconds\n3 examples, 0 failures", None),
            // npm (documented)
            (
                "npm ERR! Test failed.  See above for more details.",
                Some("npm"),
            ),
            ("npm ERR! code ELIFECYCLE\nnpm ERR! errno 1", Some("npm")),
            (
                "npm error Lifecycle script `test` failed with error:\nnpm error code 1",
                Some("npm"),
            ),
            // make (documented)
            ("make: *** [Makefile:3: test] Error 2", Some("make")),
            // exit codes (real shell output, GitHub Actions documented)
            ("exit code: 1", Some("exit-code")),
            ("Exit status 2", Some("exit-code")),
            ("the server exited with code 137", Some("exit-code")),
            (
                "Error: Process completed with exit code 1.",
                Some("exit-code"),
            ),
            ("exit code: 0", None),
            ("exit 0\nall 12 checks passed", None),
            // HTTP status lines (real: curl -i, curl -v against python -m http.server)
            (
                "HTTP/1.0 404 File not found\nServer: SimpleHTTP/0.6 Python/3.11.7",
                Some("http"),
            ),
            (
                "* Connected\n< HTTP/1.1 503 Service Unavailable",
                Some("http"),
            ),
            ("HTTP/2 500 \ncontent-type: text/html", Some("http")),
            (
                "HTTP/1.0 200 OK\nServer: SimpleHTTP/0.6 Python/3.11.7",
                None,
            ),
            (
                "GET /missing HTTP/1.1 404 in the access log is not a status line",
                None,
            ),
        ] {
            let got = find_in_text(runner_output).unwrap();
            assert_eq!(
                got.as_ref().map(|c| c.runner.as_str()),
                want,
                "{runner_output:?} → {got:?}"
            );
        }
    }

    #[test]
    fn quotes_the_first_failing_line_with_its_number() {
        let c =
            find_in_text("running 2 tests\n\ntest result: FAILED. 1 passed; 1 failed; 0 ignored")
                .unwrap()
                .unwrap();
        assert_eq!(c.line_no, 3);
        assert!(
            c.line
                .starts_with("test result: FAILED. 1 passed; 1 failed")
        );
        assert!(c.reason.contains("cargo test"));
    }

    #[test]
    fn the_data_file_compiles_and_every_line_has_a_reason() {
        let c = compile(RULES).unwrap();
        assert!(c.rules.len() >= 20);
        for r in &c.rules {
            assert!(r.regex().is_ok(), "{}", r.pattern);
            assert!(!r.recogniser.reason.is_empty() && !r.recogniser.runner.is_empty());
            assert!(r.needles.iter().all(|n| !n.is_empty()), "{}", r.pattern);
        }
        assert!(compile("cargo :: x :: ^x").is_err());
        let bad = compile("cargo :: x :: ( :: unbalanced").unwrap();
        assert!(bad.rules[0].regex().is_err());
    }
}
