//! `.claude-plugin/marketplace.json` makes the repository a Claude Code plugin marketplace, so
//! `/plugin marketplace add <path-or-repo>` and `/plugin install zakon@zakon` work. Checked
//! against the documented shape (code.claude.com/docs/en/plugins/marketplace-reference):
//! `name` (kebab-case, not reserved), `owner.name`, `plugins[]` with `name` and `source`; a
//! relative source starts with `./`, has no `..`, and resolves from the marketplace root (the
//! directory holding `.claude-plugin/`) to a plugin whose manifest has the same name.

use serde_json::Value;
use std::path::PathBuf;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn load(rel: &str) -> Value {
    let text = std::fs::read_to_string(repo().join(rel)).unwrap();
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn kebab(s: &str) -> bool {
    !s.is_empty()
        && !s.starts_with('-')
        && !s.ends_with('-')
        && !s.contains("--")
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// Names the docs reserve for Anthropic's own marketplaces.
const RESERVED: [&str; 8] = [
    "claude-code-marketplace",
    "claude-code-plugins",
    "claude-plugins-official",
    "anthropic-marketplace",
    "anthropic-plugins",
    "agent-skills",
    "inline",
    "builtin",
];

const TOP_KEYS: [&str; 7] = [
    "$schema",
    "name",
    "owner",
    "metadata",
    "plugins",
    "description",
    "version",
];
const PLUGIN_KEYS: [&str; 16] = [
    "name",
    "source",
    "description",
    "version",
    "author",
    "homepage",
    "repository",
    "license",
    "keywords",
    "category",
    "tags",
    "strict",
    "commands",
    "agents",
    "hooks",
    "mcpServers",
];

#[test]
fn marketplace_json_has_the_documented_shape() {
    let m = load(".claude-plugin/marketplace.json");
    let obj = m.as_object().expect("an object");
    for k in obj.keys() {
        assert!(TOP_KEYS.contains(&k.as_str()), "unknown top-level key {k}");
    }
    let name = m["name"].as_str().expect("name");
    assert!(kebab(name) && !RESERVED.contains(&name), "{name}");
    assert!(
        m["owner"]["name"].as_str().is_some_and(|n| !n.is_empty()),
        "owner.name"
    );
    let plugins = m["plugins"].as_array().expect("plugins array");
    assert!(!plugins.is_empty());
    for p in plugins {
        for k in p.as_object().expect("plugin entry object").keys() {
            assert!(PLUGIN_KEYS.contains(&k.as_str()), "unknown plugin key {k}");
        }
        let pname = p["name"].as_str().expect("plugin name");
        assert!(kebab(pname), "{pname}");
        let source = p["source"].as_str().expect("a relative path source");
        assert!(
            source.starts_with("./") && !source.contains(".."),
            "{source}"
        );
        // Relative to the marketplace root, not to .claude-plugin/.
        let dir = repo().join(source);
        let manifest: Value = serde_json::from_str(
            &std::fs::read_to_string(dir.join(".claude-plugin/plugin.json")).unwrap(),
        )
        .unwrap();
        assert_eq!(
            manifest["name"], pname,
            "entry name and plugin.json name differ"
        );
        if let Some(v) = p.get("version") {
            assert_eq!(
                v, &manifest["version"],
                "entry and plugin.json versions differ"
            );
            assert_eq!(v, env!("CARGO_PKG_VERSION"));
        }
        assert!(dir.join("hooks/hooks.json").is_file(), "the plugin's hooks");
        if let Some(a) = p.get("author") {
            assert!(a["name"].as_str().is_some(), "author.name");
        }
    }
}

#[test]
fn readme_documents_the_marketplace_commands() {
    let m = load(".claude-plugin/marketplace.json");
    let market = m["name"].as_str().unwrap();
    let plugin = m["plugins"][0]["name"].as_str().unwrap();
    let readme = std::fs::read_to_string(repo().join("README.md")).unwrap();
    assert!(
        readme.contains("/plugin marketplace add"),
        "README lacks /plugin marketplace add"
    );
    let install = format!("/plugin install {plugin}@{market}");
    assert!(readme.contains(&install), "README lacks {install}");
}
