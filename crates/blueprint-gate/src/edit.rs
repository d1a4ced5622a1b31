//! The content a Write, Edit or MultiEdit will leave on disk, computed before the tool runs
//! with Claude Code's own rules: `old_string` must occur (exactly once unless `replace_all`),
//! MultiEdit edits apply in order, and an empty `old_string` creates a new file.

use serde_json::Value;
use zakon_core::{Error, HookInput};

/// One replacement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EditOp {
    pub old: String,
    pub new: String,
    pub replace_all: bool,
}

/// What the tool asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    Write(String),
    Edits(Vec<EditOp>),
}

/// Why the edit cannot be applied — Claude Code would refuse it too, so there is nothing
/// to judge; the agent is told exactly what went wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EditProblem {
    /// `old_string` of edit `index` (1-based) does not occur.
    Absent { index: usize, old: String },
    /// It occurs `count` times and `replace_all` is not set.
    Ambiguous { index: usize, count: usize },
    /// The file does not exist and the edit does not create it.
    NoFile { index: usize },
    /// Empty `old_string` on a file that already has content.
    EmptyOld { index: usize },
}

impl EditProblem {
    pub fn describe(&self, multi: bool) -> String {
        let which = |i: &usize| {
            if multi {
                format!("edit #{i}: ")
            } else {
                String::new()
            }
        };
        match self {
            EditProblem::Absent { index, old } => {
                let mut preview: String = old.chars().take(60).collect();
                if old.chars().count() > 60 {
                    preview.push('…');
                }
                format!(
                    "{}old_string {preview:?} is absent from the file, so the edit cannot be \
                     applied",
                    which(index)
                )
            }
            EditProblem::Ambiguous { index, count } => format!(
                "{}old_string occurs {count} times and replace_all is not set, so the edit \
                 cannot be applied",
                which(index)
            ),
            EditProblem::NoFile { index } => format!(
                "{}the file does not exist and the edit does not create it (old_string is not \
                 empty)",
                which(index)
            ),
            EditProblem::EmptyOld { index } => format!(
                "{}old_string is empty but the file already has content",
                which(index)
            ),
        }
    }
}

/// Reads the change from the tool input; a field with the wrong type is an error (fail
/// closed), and so is a missing one — a blueprint write we cannot read is not waved through.
pub fn change_from_input(input: &HookInput) -> Result<Change, Error> {
    match input.tool() {
        "Write" => match input.tool_str("content")? {
            Some(c) => Ok(Change::Write(c.to_string())),
            None => Err(Error::new("Write without tool_input.content")),
        },
        "Edit" => {
            let t = input.tool_input.as_ref().unwrap_or(&Value::Null);
            Ok(Change::Edits(vec![op_from(t, "tool_input")?]))
        }
        "MultiEdit" => {
            let edits = input
                .tool_input
                .as_ref()
                .and_then(|t| t.get("edits"))
                .and_then(Value::as_array)
                .ok_or_else(|| Error::new("MultiEdit without a tool_input.edits array"))?;
            let ops = edits
                .iter()
                .enumerate()
                .map(|(i, e)| op_from(e, &format!("tool_input.edits[{i}]")))
                .collect::<Result<Vec<_>, _>>()?;
            Ok(Change::Edits(ops))
        }
        other => Err(Error::new(format!("unexpected tool {other}"))),
    }
}

fn op_from(v: &Value, at: &str) -> Result<EditOp, Error> {
    let text = |key: &str| -> Result<String, Error> {
        match v.get(key) {
            Some(Value::String(s)) => Ok(s.clone()),
            None | Some(Value::Null) => Err(Error::new(format!("{at}.{key} is missing"))),
            Some(_) => Err(Error::new(format!("{at}.{key} should be a string"))),
        }
    };
    let replace_all = match v.get("replace_all") {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(_) => {
            return Err(Error::new(format!("{at}.replace_all should be a boolean")));
        }
    };
    Ok(EditOp {
        old: text("old_string")?,
        new: text("new_string")?,
        replace_all,
    })
}

/// Applies the change to the current content (`None` = the file does not exist).
pub fn apply(current: Option<&str>, change: &Change) -> Result<String, EditProblem> {
    let ops = match change {
        Change::Write(c) => return Ok(c.clone()),
        Change::Edits(ops) => ops,
    };
    let mut content: Option<String> = current.map(str::to_string);
    for (i, op) in ops.iter().enumerate() {
        let index = i + 1;
        let next = match content {
            None if op.old.is_empty() => op.new.clone(),
            None => return Err(EditProblem::NoFile { index }),
            Some(c) if op.old.is_empty() => {
                if c.is_empty() {
                    op.new.clone()
                } else {
                    return Err(EditProblem::EmptyOld { index });
                }
            }
            Some(c) => {
                let count = c.matches(op.old.as_str()).count();
                if count == 0 {
                    return Err(EditProblem::Absent {
                        index,
                        old: op.old.clone(),
                    });
                }
                if count > 1 && !op.replace_all {
                    return Err(EditProblem::Ambiguous { index, count });
                }
                if op.replace_all {
                    c.replace(op.old.as_str(), &op.new)
                } else {
                    c.replacen(op.old.as_str(), &op.new, 1)
                }
            }
        };
        content = Some(next);
    }
    Ok(content.unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn op(old: &str, new: &str, all: bool) -> EditOp {
        EditOp {
            old: old.into(),
            new: new.into(),
            replace_all: all,
        }
    }

    #[test]
    fn applies_like_claude_code() {
        let edits = |ops: Vec<EditOp>| Change::Edits(ops);
        let cases: Vec<(Option<&str>, Change, Result<&str, EditProblem>)> = vec![
            (Some("a b a"), edits(vec![op("b", "c", false)]), Ok("a c a")),
            (
                Some("a b a"),
                edits(vec![op("a", "x", false)]),
                Err(EditProblem::Ambiguous { index: 1, count: 2 }),
            ),
            (Some("a b a"), edits(vec![op("a", "x", true)]), Ok("x b x")),
            (
                Some("a"),
                edits(vec![op("z", "x", false)]),
                Err(EditProblem::Absent {
                    index: 1,
                    old: "z".into(),
                }),
            ),
            (
                Some("one two"),
                edits(vec![op("one", "1", false), op("1 two", "12", false)]),
                Ok("12"),
            ),
            (
                Some("one two"),
                edits(vec![op("one", "1", false), op("one", "x", false)]),
                Err(EditProblem::Absent {
                    index: 2,
                    old: "one".into(),
                }),
            ),
            (None, edits(vec![op("", "new", false)]), Ok("new")),
            (
                None,
                edits(vec![op("x", "new", false)]),
                Err(EditProblem::NoFile { index: 1 }),
            ),
            (
                Some("full"),
                edits(vec![op("", "new", false)]),
                Err(EditProblem::EmptyOld { index: 1 }),
            ),
            (Some("old"), Change::Write("w".into()), Ok("w")),
        ];
        for (current, change, want) in cases {
            assert_eq!(
                apply(current, &change),
                want.map(str::to_string),
                "{current:?} {change:?}"
            );
        }
    }
}
