//! Prose preparation: what of a message is the agent's own prose (no fenced code, inline
//! code, `>` quotes or quoted strings), split into sentences and clauses, and tokenised with
//! case and diacritics folded so `Urađeno`, `uradjeno` and `URAĐENO` look alike.

use crate::lexicon;
use unicode_normalization::UnicodeNormalization;

/// One sentence of prose: a heading, a list item, a table cell or a `.`/`!`/`?` sentence.
#[derive(Debug, Clone, PartialEq)]
pub struct Sentence {
    /// As the agent wrote it (markup stripped), for messages.
    pub text: String,
    pub question: bool,
    pub clauses: Vec<Clause>,
    /// Under a heading that announces a plan, options or steps ("## Option 1", "**Steps:**").
    pub section_plan: Option<String>,
    /// A step of a numbered list of instructions for the user ("5. Done!" after "4. Save").
    pub instruction: bool,
    /// A ticked checklist item (`- [x] Run tests`): the agent marks it done.
    pub ticked: bool,
    /// In a findings report: under a heading such as "## Root Cause", or after a message
    /// opener such as "Based on my analysis"; holds the findings word.
    pub section_findings: Option<&'static str>,
    /// Under a heading over the agent's own results ("### What We Changed").
    pub section_own_work: bool,
    /// The line opens with a check mark (✅, ✓, ✔): a status item.
    pub checked_line: bool,
    /// A ticked item of a checklist that still has open items (`- [ ]`, ⬜, ☐): progress so
    /// far, not the work's end state.
    pub open_list_item: bool,
}

impl Sentence {
    /// The sentence's folded words, every clause in order.
    pub fn words(&self) -> Vec<&str> {
        self.clauses
            .iter()
            .flat_map(|c| c.tokens.iter().map(|t| t.folded.as_str()))
            .collect()
    }
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Clause {
    pub tokens: Vec<Token>,
    /// This clause is the question part of a sentence ending in `?`.
    pub question: bool,
    /// This clause stands in parentheses: "Project settings (committed)".
    pub paren: bool,
    /// This clause follows an `=`: the value of a definition ("exit 0 = pass").
    pub equals: bool,
    /// This clause opened with a contrastive conjunction ("but", "ali", "however"), which is
    /// not among its tokens.
    pub contrast: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Token {
    /// Lowercased, NFC, diacritics folded (č ć → c, š → s, ž → z, đ → dj).
    pub folded: String,
    /// As written (NFC), for messages and the ALL-CAPS rule.
    pub raw: String,
}

impl Token {
    pub fn is_all_caps(&self) -> bool {
        let mut letters = self.raw.chars().filter(|c| c.is_alphabetic()).peekable();
        letters.peek().is_some() && letters.all(|c| c.is_uppercase())
    }
}

/// Check marks agents put in front of a status ("✓ Running", "✅ Deployed").
pub const CHECK: &str = "✓";

/// Folds one already-lowercased string: diacritics of Bosnian/Croatian/Serbian Latin and the
/// common Latin accents go to ASCII; `đ` becomes `dj` as people type it without diacritics.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            'č' | 'ć' => out.push('c'),
            'š' => out.push('s'),
            'ž' => out.push('z'),
            'đ' => out.push_str("dj"),
            'á' | 'à' | 'â' | 'ä' | 'ã' => out.push('a'),
            'é' | 'è' | 'ê' | 'ë' => out.push('e'),
            'í' | 'ì' | 'î' | 'ï' => out.push('i'),
            'ó' | 'ò' | 'ô' | 'ö' | 'õ' => out.push('o'),
            'ú' | 'ù' | 'û' | 'ü' => out.push('u'),
            '’' | 'ʼ' | '`' => out.push('\''),
            // Serbian Cyrillic, transliterated as Serbian Latin (then folded like it).
            'а' => out.push('a'),
            'б' => out.push('b'),
            'в' => out.push('v'),
            'г' => out.push('g'),
            'д' => out.push('d'),
            'ђ' => out.push_str("dj"),
            'е' => out.push('e'),
            'ж' | 'з' => out.push('z'),
            'и' => out.push('i'),
            'ј' => out.push('j'),
            'к' => out.push('k'),
            'л' => out.push('l'),
            'љ' => out.push_str("lj"),
            'м' => out.push('m'),
            'н' => out.push('n'),
            'њ' => out.push_str("nj"),
            'о' => out.push('o'),
            'п' => out.push('p'),
            'р' => out.push('r'),
            'с' => out.push('s'),
            'т' => out.push('t'),
            'ћ' | 'ц' | 'ч' => out.push('c'),
            'у' => out.push('u'),
            'ф' => out.push('f'),
            'х' => out.push('h'),
            'џ' => out.push_str("dz"),
            'ш' => out.push('s'),
            other => out.push(other),
        }
    }
    out
}

/// Removes what is not the agent's own claim: fenced code blocks (an unclosed fence runs to
/// the end), `>` quote lines, inline code and short quoted strings. Each removed span leaves
/// a neutral placeholder so sentences around it stay apart.
pub fn strip_non_prose(text: &str) -> String {
    let text: String = text.nfc().collect();
    let mut out = String::with_capacity(text.len());
    let mut fence: Option<&str> = None;
    for line in text.lines() {
        let t = line.trim_start();
        if let Some(marker) = fence {
            if t.starts_with(marker) {
                fence = None;
            }
            continue;
        }
        if t.starts_with("```") || t.starts_with("~~~") {
            fence = Some(&t[..3]);
            out.push('\n');
            continue;
        }
        if t.starts_with('>') {
            out.push('\n');
            continue;
        }
        out.push_str(&strip_inline(line));
        out.push('\n');
    }
    out
}

/// Inline code, links and quoted strings within one line.
fn strip_inline(line: &str) -> String {
    let chars: Vec<char> = line.chars().collect();
    let mut out = String::with_capacity(line.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        // `code` (also ``code``): a name, a command, an enum value — never the claim.
        if c == '`' {
            let ticks = chars[i..].iter().take_while(|&&x| x == '`').count();
            if let Some(end) = find_run(&chars, i + ticks, '`', ticks) {
                // a bare number (`200`, `0`) is a value the sentence reports, not a name
                let inner: String = chars[i + ticks..end].iter().collect();
                if !inner.is_empty() && inner.chars().all(|c| c.is_ascii_digit()) {
                    out.push_str(&inner);
                    i = end + ticks;
                    continue;
                }
                out.push_str(" ‹…› ");
                i = end + ticks;
                continue;
            }
        }
        // Quoted strings: a label, a button text, a message printed by a program.
        if let Some(close) = closing_quote(c) {
            let opens = i == 0 || !chars[i - 1].is_alphanumeric();
            if opens && let Some(end) = find_quote_end(&chars, i + 1, close) {
                out.push_str(" ‹…› ");
                i = end + 1;
                continue;
            }
        }
        // URLs carry dots that would split sentences and words like "done" in paths.
        if (c == 'h' || c == 'w') && starts_url(&chars[i..]) {
            while i < chars.len()
                && !chars[i].is_whitespace()
                && !matches!(chars[i], ')' | '>' | ']' | '|')
            {
                i += 1;
            }
            out.push_str(" url ");
            continue;
        }
        out.push(c);
        i += 1;
    }
    out
}

fn find_run(chars: &[char], from: usize, c: char, n: usize) -> Option<usize> {
    let mut j = from;
    while j + n <= chars.len() {
        if chars[j..j + n].iter().all(|&x| x == c) {
            return Some(j);
        }
        j += 1;
    }
    None
}

fn closing_quote(c: char) -> Option<char> {
    match c {
        '"' => Some('"'),
        '\'' => Some('\''),
        '“' => Some('”'),
        '„' => Some('“'),
        '‘' => Some('’'),
        '«' => Some('»'),
        _ => None,
    }
}

/// A quote closes within 120 characters, at a quote not followed by a letter (so the `'` in
/// "it's" neither opens nor closes a quote).
fn find_quote_end(chars: &[char], from: usize, close: char) -> Option<usize> {
    if from >= chars.len() || chars[from].is_whitespace() {
        return None;
    }
    let limit = (from + 120).min(chars.len());
    (from..limit).find(|&j| {
        chars[j] == close
            && j > from
            && !chars[j - 1].is_whitespace()
            && chars.get(j + 1).is_none_or(|n| !n.is_alphanumeric())
    })
}

fn starts_url(chars: &[char]) -> bool {
    let head: String = chars.iter().take(8).collect();
    head.starts_with("http://") || head.starts_with("https://") || head.starts_with("www.")
}

/// Splits prepared prose into sentences: every line (heading, list item), every table cell,
/// and `.`/`!`/`?` followed by space. Each sentence knows the section it stands in.
pub fn sentences(prose: &str) -> Vec<Sentence> {
    let lines: Vec<&str> = prose.lines().collect();
    // A checklist with open items is a progress report: its ticked items are not claims.
    let open_items = lines.iter().any(|l| {
        let t = l
            .trim_start()
            .trim_start_matches(['-', '*', '+'])
            .trim_start();
        (t.starts_with("[ ]") || t.starts_with(['⬜', '☐', '◻', '🔲'])) && !deferred(t)
    });
    let instruction = instruction_lines(&lines);
    let status = status_rows(&lines);
    let mut out = Vec::new();
    // A heading (`#`, all-bold line) sets the plan state for its section, itself included;
    // a label line ("Steps to try:") sets it for the lines after it, up to a blank line (one
    // blank line right after the label, before its list, does not end it).
    let mut section: Option<String> = None;
    let mut label: Option<Option<String>> = None;
    let mut last_text_is_label = false;
    // A findings opener in the message's first line rules until the next heading.
    // (heading level, findings word): a sub-heading inherits its parent's findings role.
    let mut findings: Option<(usize, &'static str)> = lines
        .iter()
        .find(|l| !l.trim().is_empty())
        .and_then(|l| crate::discourse::findings_opener(l))
        .map(|w| (0, w));
    let mut own_work = false;
    // "Results of the smoke test:" over a ✅ list: a label line with an own-work word rules
    // its list as a heading would
    let mut label_own_work = false;
    for (n, line) in lines.iter().enumerate() {
        if line.trim().is_empty() {
            let list_next = lines[n + 1..]
                .iter()
                .find(|l| !l.trim().is_empty())
                .is_some_and(|l| list_item(l));
            if !(last_text_is_label && list_next) {
                label = None;
                label_own_work = false;
            }
            last_text_is_label = false;
            continue;
        }
        let heading = heading_kind(line);
        last_text_is_label = matches!(heading, Heading::Label);
        if matches!(heading, Heading::Section) {
            let level = heading_level(line);
            // A findings sub-heading inside a findings section keeps the section's level, so
            // the next sibling heading ("### Proposed Solution") still inherits the role.
            let parent = findings.filter(|&(l, _)| l > 0 && l < level);
            findings = match crate::discourse::findings_heading(line) {
                Some(w) => Some((parent.map_or(level, |(l, _)| l), w)),
                None => parent,
            };
            own_work = crate::discourse::own_work_heading(line);
            // "### Fix" or "### Verification" under "## Investigation": the agent's own
            // results start there, and the findings role ends ("### Proposed fix" is a plan
            // and keeps it)
            if own_work && plan_heading(line).is_none() {
                findings = None;
            }
        }
        // ("- `make test` ✔": the mark may close the item too)
        let checked_line = line
            .trim_start()
            .trim_start_matches(['-', '*', '+'])
            .trim_start()
            .starts_with(['✅', '✓', '✔', '☑'])
            || (list_item(line) && line.trim_end().ends_with(['✅', '✓', '✔', '☑']));
        let section_plan = match heading {
            Heading::Section => {
                section = plan_heading(line);
                label = None;
                label_own_work = false;
                section.clone()
            }
            Heading::Label => {
                let here = label.clone().flatten().or_else(|| section.clone());
                label = Some(plan_heading(line));
                // ("Proposed fix:" is a plan, not the agent's results)
                // ("IAM audit results:" is a findings report)
                label_own_work = crate::discourse::own_work_heading(line)
                    && label.as_ref().is_some_and(Option::is_none)
                    && crate::discourse::findings_heading(line).is_none();
                here
            }
            Heading::None => label.clone().flatten().or_else(|| section.clone()),
        };
        // a ticked row of a status table is one sentence: the item and its tick
        let joined;
        let cells: Vec<&str> = if status[n] {
            joined = line
                .split('|')
                .map(str::trim)
                .filter(|c| !c.is_empty())
                .collect::<Vec<_>>()
                .join(" — ");
            vec![joined.as_str()]
        } else {
            line.split('|').collect()
        };
        for cell in cells {
            let cell = clean_markup(cell);
            let mut start = 0;
            let bytes: Vec<(usize, char)> = cell.char_indices().collect();
            let mut parts = Vec::new();
            for (k, &(pos, c)) in bytes.iter().enumerate() {
                let next = bytes.get(k + 1).map(|&(_, n)| n);
                let ends =
                    matches!(c, '.' | '!' | '?' | '…') && next.is_none_or(|n| n.is_whitespace());
                // (a run of four or more dots is a leader — "build ........ ok" — not an end)
                let leader = c == '.' && k >= 3 && bytes[k - 3..k].iter().all(|&(_, p)| p == '.');
                if ends && !leader && next.is_none_or(|n| n != '.') {
                    parts.push(&cell[start..pos + c.len_utf8()]);
                    start = pos + c.len_utf8();
                }
            }
            parts.push(&cell[start..]);
            for p in parts {
                if let Some(mut s) = make_sentence(p) {
                    s.section_plan = section_plan.clone();
                    s.instruction = instruction[n];
                    s.open_list_item = open_items && (s.ticked || checked_line);
                    s.ticked &= !open_items;
                    s.section_findings = findings.map(|(_, w)| w);
                    s.section_own_work = own_work || label_own_work || status[n];
                    s.checked_line = checked_line || status[n];
                    out.push(s);
                }
            }
        }
    }
    out
}

/// The body rows of a status table (a header with a word of `status-columns.txt`) that have
/// a ticked cell and no cross, pending or warning mark: "| `cargo test` (312) | ✅ |".
fn status_rows(lines: &[&str]) -> Vec<bool> {
    let mut rows = vec![false; lines.len()];
    let table = |l: &str| l.trim_start().starts_with('|');
    let mut n = 0;
    while n < lines.len() {
        if !table(lines[n]) {
            n += 1;
            continue;
        }
        let header = fold(&lines[n].to_lowercase());
        let status_table = crate::discourse::words_of(&header)
            .iter()
            .any(|w| crate::discourse::STATUS_COLUMNS.contains(w));
        n += 1;
        while n < lines.len() && table(lines[n]) {
            let row = lines[n];
            // ("| 1.9s | 140ms ✅ |": the mark may close the cell)
            let ticked = row.split('|').any(|c| {
                c.trim_start()
                    .trim_start_matches(['*', '_'])
                    .starts_with(['✅', '✓', '✔', '☑'])
                    || c.trim_end().ends_with(['✅', '✓', '✔', '☑'])
            });
            let open = row.contains(['❌', '⏳', '⬜', '🔄', '🟡', '⚠', '✗', '✘']);
            rows[n] = status_table && ticked && !open;
            n += 1;
        }
    }
    rows
}

/// An open item put off by design, not work still to do: "- [ ] Remove the alias after 2
/// weeks", "- [ ] (optional) dark mode", "- [ ] follow-up: …".
fn deferred(item: &str) -> bool {
    let folded = crate::text::fold(&item.to_lowercase());
    let w = crate::discourse::words_of(&folded);
    crate::discourse::find_phrase(&w, crate::discourse::DEFERRED).is_some()
        || w.windows(3).any(|x| {
            matches!(x[0], "after" | "in" | "nakon" | "za")
                && (x[1].chars().all(|c| c.is_ascii_digit())
                    || matches!(x[1], "a" | "one" | "two" | "dvije" | "dva"))
                && [
                    "day", "week", "month", "sprint", "dan", "sedmic", "nedjelj", "mjesec", "mesec",
                ]
                .iter()
                .any(|n| x[2].starts_with(n))
        })
}

/// A bullet, numbered item or table row: the list a label line introduces.
fn list_item(line: &str) -> bool {
    let t = line.trim_start();
    // (a line that opens with a status mark is an item too: "✅ DNS resolves")
    t.starts_with(['-', '*', '+', '|', '✅', '✓', '✔', '☑', '❌', '⏳'])
        || numbered_item(line).is_some()
}

/// `#` count of a markdown heading; a bold line ranks below every `#` heading.
fn heading_level(line: &str) -> usize {
    match line.trim_start().chars().take_while(|&c| c == '#').count() {
        0 => 7,
        n => n,
    }
}

enum Heading {
    /// A markdown heading or a line that is all bold.
    Section,
    /// A line of up to 14 words ending in `:` that introduces what follows.
    Label,
    None,
}

fn heading_kind(line: &str) -> Heading {
    let t = line.trim();
    if t.starts_with('#') {
        return Heading::Section;
    }
    let core = t.trim_end_matches(':').trim();
    if core.len() > 4
        && core.starts_with("**")
        && core.ends_with("**")
        && !core[2..core.len() - 2].contains("**")
    {
        return Heading::Section;
    }
    if t.ends_with(':') && t.split_whitespace().count() <= 14 && !t.starts_with(['-', '*', '+']) {
        return Heading::Label;
    }
    Heading::None
}

/// The plan word of a heading that announces options, a plan, steps or conditions.
fn plan_heading(line: &str) -> Option<String> {
    let words: Vec<String> = line
        .split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '-'))
        .filter(|w| !w.is_empty())
        .map(|w| fold(&w.to_lowercase()))
        .collect();
    let k = words.iter().position(|w| {
        let w = w.as_str();
        lexicon::en::PLAN_WORDS.contains(&w)
            || lexicon::bs::PLAN_WORDS.contains(&w)
            || lexicon::is_irrealis(w)
    })?;
    // "## ✅ Plan Complete": a status heading on the plan the agent wrote
    (!crate::discourse::plan_reported_done(&words, k)).then(|| words[k].clone())
}

/// Numbered-list lines that belong to a list of instructions: at least two items, half or
/// more of them opening with an imperative ("1. Open …", "2. Copy …", "5. Done!").
fn instruction_lines(lines: &[&str]) -> Vec<bool> {
    let mut flags = vec![false; lines.len()];
    let mut i = 0;
    while i < lines.len() {
        if numbered_item(lines[i]).is_none() {
            i += 1;
            continue;
        }
        let start = i;
        let mut items = Vec::new();
        while i < lines.len()
            && (numbered_item(lines[i]).is_some()
                || (lines[i].starts_with("   ") && !items.is_empty()))
        {
            if let Some(rest) = numbered_item(lines[i]) {
                items.push(rest);
            }
            i += 1;
        }
        let imperative = items
            .iter()
            .filter(|rest| {
                let first = rest
                    .trim_start_matches(|c: char| !c.is_alphanumeric())
                    .split(|c: char| !(c.is_alphanumeric() || c == '-'))
                    .next();
                first.is_some_and(|w| {
                    lexicon::en::IMPERATIVES.contains(&fold(&w.to_lowercase()).as_str())
                })
            })
            .count();
        if items.len() >= 2 && imperative * 2 >= items.len() {
            flags[start..i].iter_mut().for_each(|f| *f = true);
        }
    }
    flags
}

fn numbered_item(line: &str) -> Option<&str> {
    let t = line.trim_start();
    let digits = t.chars().take_while(|c| c.is_ascii_digit()).count();
    if digits == 0 || digits > 3 {
        return None;
    }
    t[digits..]
        .strip_prefix(". ")
        .or_else(|| t[digits..].strip_prefix(") "))
}

/// Markdown that carries no words: emphasis, heading hashes, list bullets, numbering.
fn clean_markup(s: &str) -> String {
    let s = s.replace("**", " ").replace("__", " ");
    let t = s.trim_start();
    let t = t.trim_start_matches('#').trim_start();
    let t = t
        .strip_prefix("- ")
        .or_else(|| t.strip_prefix("* "))
        .or_else(|| t.strip_prefix("+ "))
        .unwrap_or(t);
    let digits = t.chars().take_while(|c| c.is_ascii_digit()).count();
    let t = if digits > 0 && t[digits..].starts_with(". ") {
        &t[digits + 2..]
    } else {
        t
    };
    t.trim().to_string()
}

fn make_sentence(raw: &str) -> Option<Sentence> {
    let text = raw.trim();
    let (ticked, text) = match text
        .strip_prefix("[x]")
        .or_else(|| text.strip_prefix("[X]"))
    {
        Some(rest) => (true, rest.trim_start()),
        None => (false, text),
    };
    if text.is_empty() {
        return None;
    }
    let trimmed = text.trim_end_matches(|c: char| !c.is_alphanumeric() && c != '?');
    let question = trimmed.ends_with('?');
    let mut clauses = clauses(text);
    clauses.retain(|c| !c.tokens.is_empty());
    if clauses.is_empty() {
        return None;
    }
    if question {
        mark_question(&mut clauses);
    }
    Some(Sentence {
        text: text.to_string(),
        question,
        clauses,
        section_plan: None,
        instruction: false,
        ticked,
        section_findings: None,
        section_own_work: false,
        checked_line: false,
        open_list_item: false,
    })
}

/// Words that open a question ("Is it live?", "Da li je gotovo?", "Radi li?").
const QUESTION_OPENERS: &[&str] = &[
    "is", "are", "was", "were", "do", "does", "did", "can", "could", "should", "would", "will",
    "shall", "has", "have", "had", "may", "might", "must", "what", "why", "how", "which", "who",
    "where", "when", "want", "isn't", "aren't", "doesn't", "don't", "didn't", "any", "anything",
    "da", "je", "jel", "jeli", "jesi", "jesu", "sta", "sto", "kako", "zasto", "gdje", "gde",
    "kada", "koji", "koja", "koje", "mogu", "moze", "treba", "hoces", "hocemo",
];

/// A sentence that opens like a question is a question throughout; otherwise only its last
/// clause asks ("Deployed and verified, want me to promote it?" still claims).
fn mark_question(clauses: &mut [Clause]) {
    let opener = clauses[0]
        .tokens
        .first()
        .map(|t| t.folded.as_str())
        .unwrap_or("");
    let has_li = clauses
        .iter()
        .any(|c| c.tokens.iter().any(|t| t.folded == "li"));
    if QUESTION_OPENERS.contains(&opener) || has_li || clauses.len() == 1 {
        for c in clauses.iter_mut() {
            c.question = true;
        }
    } else if let Some(last) = clauses.last_mut() {
        last.question = true;
    }
}

/// Clause boundaries: `, ; : ( ) — –`, a spaced hyphen, and contrastive conjunctions.
fn clauses(sentence: &str) -> Vec<Clause> {
    let mut out = vec![Clause::default()];
    let mut word = String::new();
    let chars: Vec<char> = sentence.chars().collect();
    let flush = |word: &mut String, out: &mut Vec<Clause>| {
        let w = word.trim_matches(|c: char| c == '\'' || c == '-' || c == '’');
        if !w.is_empty() {
            let raw = w.to_string();
            let folded = fold(&raw.to_lowercase());
            if matches!(
                folded.as_str(),
                "but" | "however" | "although" | "though" | "ali" | "medjutim" | "mada"
            ) {
                out.push(Clause {
                    contrast: true,
                    ..Clause::default()
                });
            } else if let Some(c) = out.last_mut() {
                c.tokens.push(Token { folded, raw });
            }
        }
        word.clear();
    };
    for (i, &c) in chars.iter().enumerate() {
        let inner = |x: Option<&char>| x.is_some_and(|x| x.is_alphanumeric());
        // "09:40" is one word, not a clause break
        let digit = |x: Option<&char>| x.is_some_and(char::is_ascii_digit);
        if c.is_alphanumeric()
            || ((c == '\'' || c == '’' || c == '-' || c == '.' || c == '/')
                && inner(chars.get(i + 1))
                && i > 0
                && inner(chars.get(i - 1)))
            || (c == ':' && i > 0 && digit(chars.get(i - 1)) && digit(chars.get(i + 1)))
            // "25%" is one word, so a partial percentage can be read
            || (c == '%' && i > 0 && digit(chars.get(i - 1)))
            // "1,102" is one number: a comma before exactly three digits
            || (c == ','
                && i > 0
                && digit(chars.get(i - 1))
                && (1..=3).all(|k| digit(chars.get(i + k)))
                && !digit(chars.get(i + 4)))
        {
            word.push(c);
            continue;
        }
        flush(&mut word, &mut out);
        let spaced_hyphen = c == '-' && chars.get(i + 1).is_some_and(|n| n.is_whitespace());
        // "Shipped 🚢 v0.9.0 is on npm": a pictograph closes what came before it
        let pictograph = ('\u{1F300}'..='\u{1FAFF}').contains(&c);
        if matches!(c, ',' | ';' | ':' | '(' | ')' | '—' | '–' | '→' | '=')
            || spaced_hyphen
            || pictograph
        {
            out.push(Clause {
                paren: c == '(',
                equals: c == '=',
                ..Clause::default()
            });
        } else if matches!(c, '✓' | '✅' | '✔' | '☑')
            && let Some(cl) = out.last_mut()
        {
            cl.tokens.push(Token {
                folded: CHECK.to_string(),
                raw: c.to_string(),
            });
        }
    }
    flush(&mut word, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &Sentence) -> Vec<Vec<String>> {
        s.clauses
            .iter()
            .map(|c| c.tokens.iter().map(|t| t.folded.clone()).collect())
            .collect()
    }

    #[test]
    fn folds_diacritics_and_nfd() {
        assert_eq!(fold("urađeno"), "uradjeno");
        let nfd: String = "funkcioniše".nfd().collect();
        let prose = strip_non_prose(&nfd);
        assert_eq!(fold(&prose.trim().to_lowercase()), "funkcionise");
    }

    #[test]
    fn strips_code_quotes_and_quoted_strings() {
        for (input, gone) in [
            ("log:\n```\nstatus: LIVE\n```\nstill failing", "LIVE"),
            (
                "You wrote:\n> it's deployed and verified\nbut pods crash",
                "deployed",
            ),
            ("The test asserts `Status::Done` and fails", "Done"),
            ("There's a 'Mark as done' button", "done"),
            ("Each card shows a \"Verified\" badge", "Verified"),
            ("Open https://example.com/done/live now", "live"),
        ] {
            let out = strip_non_prose(input);
            assert!(!out.contains(gone), "{input:?} → {out:?}");
        }
        assert!(strip_non_prose("it's done").contains("it's done"));
    }

    #[test]
    fn splits_sentences_clauses_and_questions() {
        let s = sentences(
            "## ✅ Theme Update Complete\nDone. Is it live for you, or should I redeploy?\n| Frontend | ✓ Running |",
        );
        let texts: Vec<_> = s.iter().map(|s| s.text.as_str()).collect();
        assert_eq!(
            texts,
            vec![
                "✅ Theme Update Complete",
                "Done.",
                "Is it live for you, or should I redeploy?",
                "Frontend",
                "✓ Running"
            ]
        );
        assert!(s[2].clauses.iter().all(|c| c.question));
        assert_eq!(
            words(&s[4]),
            vec![vec!["✓".to_string(), "running".to_string()]]
        );
        let q = sentences("Deployed and verified, want me to promote it?");
        assert!(!q[0].clauses[0].question && q[0].clauses[1].question);
    }
}
