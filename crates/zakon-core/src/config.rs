//! The optional config file: `$ZAKON_CONFIG`, else `~/.claude/zakon/config.json`; in managed
//! mode only `/etc/zakon/config.json` (see [`crate::mode`]).
//!
//! Missing file = defaults. A file that exists but cannot be read (or is not a regular file:
//! a FIFO or device there is an error, never a wait), is not JSON, or has a key
//! zakon does not know is an error (a misspelt key silently ignored would be a rule that
//! silently does not apply). Each gate owns the shape of its own section and parses it with
//! [`Config::section`].

use crate::Error;
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::Value;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Where blocks and overrides are appended (default `~/.claude/zakon/audit.jsonl`).
    #[serde(default)]
    pub audit_log: Option<String>,
    #[serde(default)]
    pub claim_gate: Option<Value>,
    #[serde(default)]
    pub artifact_gate: Option<Value>,
    #[serde(default)]
    pub blueprint_gate: Option<Value>,
    #[serde(default)]
    pub registry: Option<Value>,
    /// Free text for the humans editing the file.
    #[serde(default, rename = "_comment")]
    pub comment: Option<Value>,
    /// Where this config was read from (None = defaults).
    #[serde(skip)]
    pub source: Option<PathBuf>,
}

impl Config {
    /// The path the config is read from. In managed mode only the root-owned managed config
    /// counts (`zakon_core::mode`): `$ZAKON_CONFIG` and the file in `~` are ignored.
    pub fn path(home: &Path) -> PathBuf {
        if let Some(m) = crate::mode::managed() {
            return m.config();
        }
        match std::env::var_os("ZAKON_CONFIG") {
            Some(p) if !p.is_empty() => PathBuf::from(p),
            _ => home.join(".claude/zakon/config.json"),
        }
    }

    pub fn load(home: &Path) -> Result<Config, Error> {
        // A managed install that is unsound, or a user without a home, fails closed here:
        // every in-scope judgement loads the config.
        if let Some(m) = crate::mode::current()? {
            m.home()?;
        }
        let path = Config::path(home);
        let text = match crate::fsio::read_regular_string(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Config::default()),
            Err(e) => return Err(Error::io("read config", &path, &e)),
        };
        Config::parse(&text, &path)
    }

    /// Parses config text as [`Config::load`] does (`source` names it in errors): a JSON
    /// object with only known top-level keys.
    pub fn parse(text: &str, source: &Path) -> Result<Config, Error> {
        let invalid = |e: String| {
            Error::new(format!(
                "config {} is invalid: {e}. Fix the file or move it aside to use the defaults.",
                source.display()
            ))
        };
        // serde would fill a struct from an array by position: only an object is a config.
        let value: Value = serde_json::from_str(text).map_err(|e| invalid(e.to_string()))?;
        if !value.is_object() {
            return Err(invalid("the top level must be a JSON object".into()));
        }
        let mut cfg: Config = serde_json::from_value(value).map_err(|e| invalid(e.to_string()))?;
        cfg.source = Some(source.to_path_buf());
        Ok(cfg)
    }

    /// Parses one gate's section into its own type; `T::default()` when absent.
    pub fn section<T: DeserializeOwned + Default>(
        &self,
        name: &str,
        raw: &Option<Value>,
    ) -> Result<T, Error> {
        match raw {
            None | Some(Value::Null) => Ok(T::default()),
            Some(v) => {
                let at = self
                    .source
                    .as_ref()
                    .map(|p| p.display().to_string())
                    .unwrap_or_default();
                // serde would fill a struct from an array by position
                if !v.is_object() {
                    return Err(Error::new(format!(
                        "config {at}: section \"{name}\" must be a JSON object"
                    )));
                }
                T::deserialize(v).map_err(|e| {
                    Error::new(format!("config {at}: section \"{name}\" is invalid: {e}"))
                })
            }
        }
    }

    /// The audit log path, `~` expanded.
    pub fn audit_log_path(&self, home: &Path) -> PathBuf {
        match &self.audit_log {
            Some(p) => crate::paths::resolve(p, home, None),
            None => home.join(".claude/zakon/audit.jsonl"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Default, Deserialize, PartialEq)]
    #[serde(deny_unknown_fields)]
    struct Section {
        #[serde(default)]
        words: Vec<String>,
    }

    #[test]
    fn unknown_top_level_key_is_an_error() {
        assert!(serde_json::from_str::<Config>(r#"{"claim_gates":{}}"#).is_err());
        assert!(serde_json::from_str::<Config>(r#"{"claim_gate":{},"_comment":"x"}"#).is_ok());
    }

    #[test]
    fn section_parses_or_defaults() {
        let cfg: Config = serde_json::from_str(r#"{"claim_gate":{"words":["a"]}}"#).unwrap();
        let s: Section = cfg.section("claim_gate", &cfg.claim_gate).unwrap();
        assert_eq!(s.words, vec!["a".to_string()]);
        let s: Section = cfg.section("artifact_gate", &cfg.artifact_gate).unwrap();
        assert_eq!(s, Section::default());
        let bad: Config = serde_json::from_str(r#"{"claim_gate":{"wordz":1}}"#).unwrap();
        assert!(
            bad.section::<Section>("claim_gate", &bad.claim_gate)
                .is_err()
        );
        let array: Config = serde_json::from_str(r#"{"claim_gate":[["a"]]}"#).unwrap();
        assert!(
            array
                .section::<Section>("claim_gate", &array.claim_gate)
                .is_err()
        );
    }

    #[test]
    fn only_an_object_is_a_config() {
        let dir = std::env::temp_dir().join(format!("zakon-config-{}", std::process::id()));
        let home = dir.join("home");
        std::fs::create_dir_all(home.join(".claude/zakon")).unwrap();
        for (text, ok) in [
            ("[]", false),
            ("[\"/tmp/x.jsonl\"]", false),
            ("null", false),
            ("{}", true),
        ] {
            std::fs::write(home.join(".claude/zakon/config.json"), text).unwrap();
            assert_eq!(Config::load(&home).is_ok(), ok, "{text}");
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
