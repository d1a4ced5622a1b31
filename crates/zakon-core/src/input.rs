//! The hook JSON Claude Code sends on stdin, for every event zakon registers.
//!
//! Unknown fields are ignored (Claude Code adds fields between versions); a known field with
//! the wrong type is an error, which the runner turns into exit 2.

use serde::Deserialize;
use serde_json::Value;

/// How the error for empty input starts (the runner writes no audit line for it).
pub const EMPTY: &str = "hook input is empty";

#[derive(Debug, Clone, Default, Deserialize)]
pub struct HookInput {
    #[serde(default)]
    pub session_id: Option<String>,
    #[serde(default)]
    pub transcript_path: Option<String>,
    #[serde(default)]
    pub cwd: Option<String>,
    #[serde(default)]
    pub hook_event_name: Option<String>,
    /// Stop / SubagentStop.
    #[serde(default)]
    pub stop_hook_active: Option<bool>,
    /// Stop / SubagentStop, newer Claude Code: the final message, which the asynchronously
    /// written transcript may not hold yet.
    #[serde(default)]
    pub last_assistant_message: Option<String>,
    /// Stop, Claude Code ≥ 2.1: the id of the prompt being answered; the transcript's prompt
    /// line carries it as `promptId`.
    #[serde(default)]
    pub prompt_id: Option<String>,
    /// SubagentStop: the subagent's own transcript — the one to judge.
    #[serde(default)]
    pub agent_transcript_path: Option<String>,
    /// PreToolUse / PostToolUse.
    #[serde(default)]
    pub tool_name: Option<String>,
    #[serde(default)]
    pub tool_input: Option<Value>,
    #[serde(default)]
    pub tool_response: Option<Value>,
    /// SessionStart: startup, resume, clear or compact.
    #[serde(default)]
    pub source: Option<String>,
}

impl HookInput {
    pub fn parse(bytes: &[u8]) -> Result<Self, crate::Error> {
        let text = std::str::from_utf8(bytes)
            .map_err(|e| crate::Error::new(format!("hook input is not valid UTF-8: {e}")))?;
        if text.trim().is_empty() {
            return Err(crate::Error::new(format!(
                "{EMPTY}; expected one JSON object on stdin"
            )));
        }
        serde_json::from_str(text).map_err(|e| {
            crate::Error::new(format!("hook input is not a valid hook JSON object: {e}"))
        })
    }

    pub fn session(&self) -> &str {
        self.session_id.as_deref().unwrap_or("")
    }

    pub fn event(&self) -> &str {
        self.hook_event_name.as_deref().unwrap_or("")
    }

    pub fn tool(&self) -> &str {
        self.tool_name.as_deref().unwrap_or("")
    }

    /// A string field of `tool_input`; `Ok(None)` when absent, an error when it has the
    /// wrong type (fail closed rather than guess).
    pub fn tool_str(&self, key: &str) -> Result<Option<&str>, crate::Error> {
        if let Some(t) = &self.tool_input
            && !t.is_object()
            && !t.is_null()
        {
            return Err(crate::Error::new(format!(
                "tool_input should be an object, found {}",
                json_kind(t)
            )));
        }
        match self.tool_input.as_ref().and_then(|t| t.get(key)) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(other) => Err(crate::Error::new(format!(
                "tool_input.{key} should be a string, found {}",
                json_kind(other)
            ))),
        }
    }
}

/// How a JSON value's type reads in a message ("a string", "an array").
pub fn json_kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_stop_input_and_ignores_unknown_fields() {
        let i = HookInput::parse(
            br#"{"session_id":"s","transcript_path":"/t","hook_event_name":"Stop","stop_hook_active":true,"new_field":[1]}"#,
        )
        .unwrap();
        assert_eq!(i.session(), "s");
        assert_eq!(i.stop_hook_active, Some(true));
    }

    #[test]
    fn rejects_bad_input() {
        for bad in [
            &b""[..],
            b"  ",
            b"not json",
            b"{\"session_id\":5}",
            b"[1,2]",
            b"\xff\xfe",
            b"{\"cwd\":",
        ] {
            assert!(HookInput::parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn tool_str_checks_types() {
        let i = HookInput::parse(br#"{"tool_input":{"command":"ls","n":3}}"#).unwrap();
        assert_eq!(i.tool_str("command").unwrap(), Some("ls"));
        assert_eq!(i.tool_str("missing").unwrap(), None);
        assert!(i.tool_str("n").is_err());
        let s = HookInput::parse(br#"{"tool_input":"node mc.js done 12"}"#).unwrap();
        assert!(s.tool_str("command").is_err());
    }
}
