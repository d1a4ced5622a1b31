//! The blueprint schema (DEPLOY-BLUEPRINT v2 §4) as data, and scoring a document against it.
//!
//! The default schema is `registry/blueprint-schema.json`, compiled in; config
//! `blueprint_gate.schema_path` replaces it. Text inside fenced code and HTML comments never
//! satisfies a field or a heading — a commented-out `<!-- Owner: x -->` is not an owner.

use serde::Deserialize;
use zakon_core::Error;
use zakon_core::time::parse_date;

/// The schema shipped with zakon.
pub const DEFAULT_SCHEMA: &str = include_str!("../../../registry/blueprint-schema.json");

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Schema {
    pub name: String,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default, rename = "_comment")]
    pub comment: Option<String>,
    /// Values that count as empty (`Owner: TBD`).
    #[serde(default)]
    pub placeholders: Vec<String>,
    /// First words that make a plain line a concrete check.
    #[serde(default)]
    pub check_commands: Vec<String>,
    /// Checks that only show the service runs (`systemctl status`), not the product.
    #[serde(default)]
    pub service_only: Vec<String>,
    pub elements: Vec<Element>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Element {
    /// The name used in "missing Verify, Rollback".
    pub label: String,
    pub kind: Kind,
    /// `field` and `date`: the key before the colon.
    #[serde(default)]
    pub key: Option<String>,
    /// `section`: the `##` heading.
    #[serde(default)]
    pub heading: Option<String>,
    /// `section`: the body must hold a concrete check.
    #[serde(default)]
    pub check: bool,
    /// What to do when the element is missing.
    pub fix: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// `Key: value` with a non-empty, non-placeholder value.
    Field,
    /// `Key: YYYY-MM-DD`, a real date not in the future.
    Date,
    /// `## Heading` with a non-empty body.
    Section,
}

/// One element a document lacks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Missing {
    pub label: String,
    pub why: String,
    pub fix: String,
}

/// A document's score.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    pub score: usize,
    pub total: usize,
    pub missing: Vec<Missing>,
    /// The valid date of the first `date` element (days since the epoch), for ages.
    pub last_verified: Option<i64>,
}

impl Report {
    pub fn passes(&self) -> bool {
        self.missing.is_empty()
    }

    /// `schema 3/5: missing Verify, Rollback`.
    pub fn summary(&self) -> String {
        let labels: Vec<&str> = self.missing.iter().map(|m| m.label.as_str()).collect();
        if labels.is_empty() {
            format!("schema {}/{}", self.score, self.total)
        } else {
            format!(
                "schema {}/{}: missing {}",
                self.score,
                self.total,
                labels.join(", ")
            )
        }
    }
}

impl Schema {
    pub fn default_schema() -> Result<Schema, Error> {
        Schema::parse(DEFAULT_SCHEMA, "the built-in blueprint schema")
    }

    pub fn parse(text: &str, origin: &str) -> Result<Schema, Error> {
        let schema: Schema = serde_json::from_str(text)
            .map_err(|e| Error::new(format!("{origin} is invalid: {e}")))?;
        if schema.elements.is_empty() {
            return Err(Error::new(format!("{origin} has no elements")));
        }
        for el in &schema.elements {
            let ok = match el.kind {
                Kind::Field | Kind::Date => el.key.as_deref().is_some_and(|k| !k.is_empty()),
                Kind::Section => el.heading.as_deref().is_some_and(|h| !h.is_empty()),
            };
            if !ok {
                return Err(Error::new(format!(
                    "{origin}: element \"{}\" needs a non-empty {}",
                    el.label,
                    if el.kind == Kind::Section {
                        "heading"
                    } else {
                        "key"
                    }
                )));
            }
        }
        Ok(schema)
    }

    /// Scores `text`; `today` is days since the epoch (UTC).
    pub fn evaluate(&self, text: &str, today: i64) -> Report {
        let doc = Document::parse(text);
        let mut missing = Vec::new();
        let mut last_verified = None;
        for el in &self.elements {
            let why = match el.kind {
                Kind::Field => self.check_field(&doc, el.key.as_deref().unwrap_or("")),
                Kind::Date => match check_date(&doc, el.key.as_deref().unwrap_or(""), today) {
                    Ok(days) => {
                        last_verified.get_or_insert(days);
                        None
                    }
                    Err(why) => Some(why),
                },
                Kind::Section => self.check_section(&doc, el),
            };
            if let Some(why) = why {
                missing.push(Missing {
                    label: el.label.clone(),
                    why,
                    fix: el.fix.clone(),
                });
            }
        }
        Report {
            score: self.elements.len() - missing.len(),
            total: self.elements.len(),
            missing,
            last_verified,
        }
    }

    fn is_placeholder(&self, value: &str) -> bool {
        let v = value
            .trim()
            .trim_matches(|c| c == '*' || c == '_' || c == '`')
            .trim();
        let lower = v.to_lowercase();
        v.is_empty()
            || (v.starts_with('<') && v.ends_with('>'))
            || (v.starts_with('[') && v.ends_with(']'))
            || self.placeholders.iter().any(|p| p.to_lowercase() == lower)
    }

    fn check_field(&self, doc: &Document, key: &str) -> Option<String> {
        match doc.field(key) {
            None => Some(format!("no `{key}:` line")),
            Some(v) if v.trim().is_empty() => Some(format!("`{key}:` has no value")),
            Some(v) if self.is_placeholder(v) => Some(format!(
                "`{key}: {}` is a placeholder, not a value",
                v.trim()
            )),
            Some(_) => None,
        }
    }

    fn check_section(&self, doc: &Document, el: &Element) -> Option<String> {
        let heading = el.heading.as_deref().unwrap_or("");
        let bodies = doc.sections(heading);
        if bodies.is_empty() {
            return Some(format!("no `## {heading}` section"));
        }
        let filled: Vec<&[Line]> = bodies
            .into_iter()
            .filter(|b| b.iter().any(|l| self.is_content(l)))
            .collect();
        if filled.is_empty() {
            return Some(format!("the `## {heading}` section is empty"));
        }
        if !el.check {
            return None;
        }
        let mut service_only = false;
        for body in filled {
            match self.find_check(body) {
                CheckFound::Concrete => return None,
                CheckFound::ServiceOnly => service_only = true,
                CheckFound::None => {}
            }
        }
        Some(if service_only {
            format!(
                "the `## {heading}` section only checks that the service runs (e.g. \
                 `systemctl status`), not that the product works"
            )
        } else {
            format!(
                "the `## {heading}` section has no concrete check (a fenced code block, a \
                 command line or a URL)"
            )
        })
    }

    fn is_content(&self, line: &Line) -> bool {
        match line.kind {
            LineKind::Fence => false,
            LineKind::Code => !line.text.trim().is_empty(),
            LineKind::Text => {
                let t = strip_list_marker(line.text.trim());
                !t.is_empty() && !t.starts_with('#') && !self.is_placeholder(t)
            }
        }
    }

    fn is_service_only(&self, command: &str) -> bool {
        let lower = command.trim().to_lowercase();
        let lower = lower.strip_prefix("sudo ").unwrap_or(&lower).trim_start();
        self.service_only.iter().any(|p| {
            let p = p.to_lowercase();
            lower == p || lower.starts_with(&format!("{p} "))
        })
    }

    fn find_check(&self, body: &[Line]) -> CheckFound {
        let mut service_only = false;
        let mut judge = |command: &str, any_command: bool| -> bool {
            let command = command.trim();
            if command.is_empty() {
                return false;
            }
            if self.is_service_only(command) {
                service_only = true;
                return false;
            }
            let first = command.split_whitespace().next().unwrap_or("");
            any_command
                || first.starts_with("./")
                || self
                    .check_commands
                    .iter()
                    .any(|c| c.eq_ignore_ascii_case(first))
        };
        for line in body {
            match line.kind {
                LineKind::Fence => {}
                LineKind::Code => {
                    let t = line.text.trim();
                    let t = t.strip_prefix("$ ").unwrap_or(t);
                    if !t.starts_with('#') && judge(t, true) {
                        return CheckFound::Concrete;
                    }
                }
                LineKind::Text => {
                    let t = strip_list_marker(line.text.trim());
                    if has_url(t) {
                        return CheckFound::Concrete;
                    }
                    if let Some(cmd) = t.strip_prefix("$ ")
                        && judge(cmd, true)
                    {
                        return CheckFound::Concrete;
                    }
                    if judge(t, false) {
                        return CheckFound::Concrete;
                    }
                    for span in inline_code(t) {
                        let words = span.split_whitespace().count();
                        if judge(span, words >= 2) {
                            return CheckFound::Concrete;
                        }
                    }
                }
            }
        }
        if service_only {
            CheckFound::ServiceOnly
        } else {
            CheckFound::None
        }
    }
}

enum CheckFound {
    Concrete,
    ServiceOnly,
    None,
}

fn check_date(doc: &Document, key: &str, today: i64) -> Result<i64, String> {
    let Some(value) = doc.field(key) else {
        return Err(format!("no `{key}:` line"));
    };
    let value = value.trim().trim_matches(|c| c == '*' || c == '`').trim();
    let token = value.split_whitespace().next().unwrap_or("");
    if token.is_empty() {
        return Err(format!("`{key}:` has no date"));
    }
    let shaped = token.len() == 10
        && token.bytes().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                b == b'-'
            } else {
                b.is_ascii_digit()
            }
        });
    if !shaped {
        return Err(format!(
            "`{key}: {token}` is malformed (expected YYYY-MM-DD)"
        ));
    }
    match parse_date(token) {
        None => Err(format!("`{key}: {token}` is not a real date")),
        Some(days) if days > today => Err(format!(
            "`{key}: {token}` is in the future (today is {})",
            format_days(today)
        )),
        Some(days) => Ok(days),
    }
}

/// `YYYY-MM-DD` for days since the epoch.
pub fn format_days(days: i64) -> String {
    let (y, m, d) = zakon_core::time::civil_from_days(days);
    format!("{y:04}-{m:02}-{d:02}")
}

fn has_url(t: &str) -> bool {
    let lower = t.to_ascii_lowercase();
    ["http://", "https://"].iter().any(|p| {
        lower
            .match_indices(p)
            .any(|(i, _)| lower.len() > i + p.len())
    })
}

/// The contents of `` `…` `` spans on a line.
fn inline_code(t: &str) -> Vec<&str> {
    let mut spans = Vec::new();
    let mut rest = t;
    while let Some(start) = rest.find('`') {
        let after = &rest[start + 1..];
        match after.find('`') {
            Some(end) => {
                spans.push(&after[..end]);
                rest = &after[end + 1..];
            }
            None => break,
        }
    }
    spans
}

/// Drops `- `, `* `, `+ `, `1. `, `1) ` and `> ` from the start of a line.
fn strip_list_marker(t: &str) -> &str {
    let mut t = t;
    loop {
        let before = t;
        for m in ["- ", "* ", "+ ", "> "] {
            if let Some(r) = t.strip_prefix(m) {
                t = r.trim_start();
            }
        }
        let digits = t.bytes().take_while(u8::is_ascii_digit).count();
        if digits > 0
            && let Some(r) = t[digits..]
                .strip_prefix(". ")
                .or_else(|| t[digits..].strip_prefix(") "))
        {
            t = r.trim_start();
        }
        if t == before {
            return t;
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum LineKind {
    /// Prose (HTML comments removed).
    Text,
    /// A ``` or ~~~ fence line.
    Fence,
    /// Inside a fenced block.
    Code,
}

#[derive(Debug, Clone)]
struct Line {
    text: String,
    kind: LineKind,
}

/// A Markdown document split into lines that know whether they are prose or code.
struct Document {
    lines: Vec<Line>,
}

impl Document {
    fn parse(text: &str) -> Document {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let mut lines = Vec::new();
        let mut fence: Option<(char, usize)> = None;
        let mut in_comment = false;
        for raw in text.lines() {
            let indent = raw.len() - raw.trim_start_matches(' ').len();
            let t = raw.trim_start_matches(' ');
            let marker = ['`', '~'].into_iter().find_map(|c| {
                let n = t.chars().take_while(|&x| x == c).count();
                (n >= 3 && indent <= 3).then_some((c, n))
            });
            match (fence, marker) {
                (None, Some(m)) if !in_comment => {
                    fence = Some(m);
                    lines.push(Line {
                        text: raw.to_string(),
                        kind: LineKind::Fence,
                    });
                }
                (Some((c, n)), Some((mc, mn)))
                    if c == mc && mn >= n && t.trim_start_matches(c).trim().is_empty() =>
                {
                    fence = None;
                    lines.push(Line {
                        text: raw.to_string(),
                        kind: LineKind::Fence,
                    });
                }
                (Some(_), _) => lines.push(Line {
                    text: raw.to_string(),
                    kind: LineKind::Code,
                }),
                (None, _) => {
                    let (visible, still) = strip_comments(raw, in_comment);
                    in_comment = still;
                    lines.push(Line {
                        text: visible,
                        kind: LineKind::Text,
                    });
                }
            }
        }
        Document { lines }
    }

    /// The value of the first prose line `Key: value` (also `- **Key:** value`, any case).
    fn field(&self, key: &str) -> Option<&str> {
        self.lines
            .iter()
            .filter(|l| l.kind == LineKind::Text)
            .find_map(|l| field_value(&l.text, key))
    }

    /// The bodies of every `## heading` section (until the next heading of level 1 or 2).
    fn sections(&self, heading: &str) -> Vec<&[Line]> {
        let mut out = Vec::new();
        let mut i = 0;
        while i < self.lines.len() {
            if let Some((2, title)) = heading_of(&self.lines[i])
                && heading_matches(title, heading)
            {
                let start = i + 1;
                let mut end = start;
                while end < self.lines.len()
                    && !matches!(heading_of(&self.lines[end]), Some((1 | 2, _)))
                {
                    end += 1;
                }
                out.push(&self.lines[start..end]);
                i = end;
            } else {
                i += 1;
            }
        }
        out
    }
}

/// Removes `<!-- … -->` from a line; returns the rest and whether a comment is still open.
fn strip_comments(line: &str, mut in_comment: bool) -> (String, bool) {
    let mut out = String::new();
    let mut rest = line;
    loop {
        if in_comment {
            match rest.find("-->") {
                Some(i) => {
                    rest = &rest[i + 3..];
                    in_comment = false;
                }
                None => return (out, true),
            }
        } else {
            match rest.find("<!--") {
                Some(i) => {
                    out.push_str(&rest[..i]);
                    rest = &rest[i + 4..];
                    in_comment = true;
                }
                None => {
                    out.push_str(rest);
                    return (out, false);
                }
            }
        }
    }
}

fn heading_of(line: &Line) -> Option<(usize, &str)> {
    if line.kind != LineKind::Text {
        return None;
    }
    let t = line.text.trim_start_matches(' ');
    if line.text.len() - t.len() > 3 {
        return None;
    }
    let level = t.bytes().take_while(|&b| b == b'#').count();
    if !(1..=6).contains(&level) {
        return None;
    }
    let rest = &t[level..];
    if !(rest.is_empty() || rest.starts_with(' ') || rest.starts_with('\t')) {
        return None;
    }
    Some((level, rest.trim().trim_end_matches('#').trim()))
}

/// `Verify`, `Verify (production)`, `verify: smoke test` match `Verify`; `Verification` does not.
fn heading_matches(title: &str, heading: &str) -> bool {
    let title = title.trim_matches(|c| c == '*' || c == '_').trim();
    match title.get(..heading.len()) {
        Some(head) if head.eq_ignore_ascii_case(heading) => title[heading.len()..]
            .chars()
            .next()
            .is_none_or(|c| !c.is_alphanumeric()),
        _ => false,
    }
}

/// `Owner: x`, `- Owner: x`, `**Owner:** x`, `**Owner**: x`, any case → `x`.
fn field_value<'a>(line: &'a str, key: &str) -> Option<&'a str> {
    let t = strip_list_marker(line.trim());
    let t = t.trim_start_matches(['*', '_']);
    let head = t.get(..key.len())?;
    if !head.eq_ignore_ascii_case(key) {
        return None;
    }
    let rest = t[key.len()..].trim_start_matches(['*', '_']).trim_start();
    let value = rest.strip_prefix(':')?;
    Some(value.trim_start_matches(['*', '_']).trim())
}

#[cfg(test)]
mod tests {
    use super::*;

    const TODAY: i64 = 20_585; // 2026-05-12

    fn full() -> String {
        "# Service X\n\nOwner: platform-team\nLast-Verified: 2026-05-01\n\n## Deploy\n\n\
         1. `git pull && make release`\n\n## Verify\n\n```sh\ncurl -fsS https://x.example.com/health\n```\n\n\
         ## Rollback\n\nRedeploy the previous tag.\n"
            .to_string()
    }

    fn labels(text: &str) -> Vec<String> {
        let s = Schema::default_schema().unwrap();
        s.evaluate(text, TODAY)
            .missing
            .into_iter()
            .map(|m| m.label)
            .collect()
    }

    #[test]
    fn today_constant_is_2026_05_12() {
        assert_eq!(parse_date("2026-05-12"), Some(TODAY));
    }

    #[test]
    fn element_cases() {
        let base = full();
        let cases: Vec<(String, &[&str])> = vec![
            (base.clone(), &[]),
            (base.replace("Owner: platform-team\n", ""), &["Owner"]),
            (base.replace("platform-team", ""), &["Owner"]),
            (base.replace("platform-team", "TBD"), &["Owner"]),
            (base.replace("platform-team", "<team>"), &["Owner"]),
            (
                base.replace("Owner: platform-team", "- **Owner:** ops"),
                &[],
            ),
            (base.replace("Owner: platform-team", "**Owner**: ops"), &[]),
            (
                base.replace("Owner: platform-team", "<!-- Owner: ops -->"),
                &["Owner"],
            ),
            (
                base.replace("Owner: platform-team", "Ownership: ops"),
                &["Owner"],
            ),
            (base.replace("2026-05-01", "2026-02-30"), &["Last-Verified"]),
            (base.replace("2026-05-01", "2026-5-1"), &["Last-Verified"]),
            (base.replace("2026-05-01", "2026-05-13"), &["Last-Verified"]),
            (base.replace("2026-05-01", "2026-05-12"), &[]),
            (base.replace("2026-05-01", "2026-05-01 (by ana)"), &[]),
            (base.replace("2026-05-01", "yesterday"), &["Last-Verified"]),
            (base.replace("## Deploy", "## Deployment"), &["Deploy"]),
            (base.replace("## Deploy", "## Deploy (prod)"), &[]),
            (base.replace("## Deploy", "### Deploy"), &["Deploy"]),
            (
                base.replace("1. `git pull && make release`", "TODO"),
                &["Deploy"],
            ),
            (
                base.replace("1. `git pull && make release`", "<!-- later -->"),
                &["Deploy"],
            ),
            (
                base.replace(
                    "```sh\ncurl -fsS https://x.example.com/health\n```",
                    "Looks fine.",
                ),
                &["Verify"],
            ),
            (
                base.replace(
                    "```sh\ncurl -fsS https://x.example.com/health\n```",
                    "Open https://x.example.com/login",
                ),
                &[],
            ),
            (
                base.replace(
                    "```sh\ncurl -fsS https://x.example.com/health\n```",
                    "- Run `npm run smoke`",
                ),
                &[],
            ),
            (
                base.replace(
                    "```sh\ncurl -fsS https://x.example.com/health\n```",
                    "```\nsystemctl status x\n```",
                ),
                &["Verify"],
            ),
            (
                base.replace(
                    "```sh\ncurl -fsS https://x.example.com/health\n```",
                    "Test the login.",
                ),
                &["Verify"],
            ),
            (
                base.replace("Redeploy the previous tag.", ""),
                &["Rollback"],
            ),
            (
                base.replace("## Rollback", "```\n## Rollback"),
                &["Rollback"],
            ),
            (
                String::new(),
                &["Owner", "Last-Verified", "Deploy", "Verify", "Rollback"],
            ),
        ];
        for (text, want) in cases {
            assert_eq!(labels(&text), want, "{text}");
        }
    }

    #[test]
    fn summary_lists_every_missing_element() {
        let s = Schema::default_schema().unwrap();
        let text = full()
            .replace("## Verify", "## Later")
            .replace("## Rollback", "## Notes");
        let r = s.evaluate(&text, TODAY);
        assert_eq!(r.summary(), "schema 3/5: missing Verify, Rollback");
    }

    #[test]
    fn bad_schemas_are_errors() {
        assert!(Schema::parse("{}", "x").is_err());
        assert!(Schema::parse(r#"{"name":"x","elements":[]}"#, "x").is_err());
        assert!(
            Schema::parse(
                r#"{"name":"x","elements":[{"label":"A","kind":"field","fix":"f"}]}"#,
                "x"
            )
            .is_err()
        );
    }
}
