//! What each audit `rule` name means, for the first words of every block message: the rule
//! name exactly as the audit log writes it, the ZAKON rule it enforces and that rule in plain
//! words — "ZAKON #18B" alone told an agent nothing it could act on.

/// `(audit rule, ZAKON rule id, what the rule says)`. Data, not code: a new rule is a line.
pub const RULES: &[(&str, &str, &str)] = &[
    (
        "claim-without-evidence",
        "ZAKON #18B",
        "no claim of success without evidence",
    ),
    (
        "fabricated-evidence",
        "ZAKON #18B",
        "no claim of success without evidence; cited evidence must exist",
    ),
    (
        "hand-written-evidence",
        "ZAKON #18B",
        "evidence is what a check produced, not text the agent typed",
    ),
    (
        "foreign-evidence",
        "ZAKON #18B",
        "evidence is the agent's own file, owned by it and writable by no one else",
    ),
    (
        "stale-evidence",
        "ZAKON #18B",
        "evidence must come from this session",
    ),
    (
        "evidence-contradicts-claim",
        "ZAKON #18B",
        "evidence that shows failure does not prove success",
    ),
    (
        "artifact-gate/claim-artifacts",
        "ZAKON #21",
        "no done without evidence: a UI or E2E claim needs its artifact",
    ),
    (
        "artifact-gate/no-evidence",
        "ZAKON #21",
        "no done without evidence",
    ),
    (
        "artifact-gate/task-id",
        "ZAKON #21",
        "no done without evidence: the task must be named to be checked",
    ),
    (
        "blueprint-schema",
        "ZAKON blueprint-enforcement",
        "deploy blueprints must pass the DEPLOY-BLUEPRINT v2 schema",
    ),
    (
        "blueprint-edit",
        "ZAKON blueprint-enforcement",
        "deploy blueprints must pass the DEPLOY-BLUEPRINT v2 schema",
    ),
    (
        "blueprint-bash-write",
        "ZAKON blueprint-enforcement",
        "blueprints and rule files are written with Write/Edit, where they are checked",
    ),
    (
        "zakon-registry",
        "ZAKON registry",
        "a rule file exists only with an approved registry entry",
    ),
    (
        "zakon-registry-error",
        "ZAKON registry",
        "a rule file exists only with an approved registry entry; the registry must be readable",
    ),
    (
        "zakon-registry-write",
        "ZAKON registry",
        "only the CEO changes the registry",
    ),
    (
        "zakon-config-write",
        "zakon guard",
        "an agent does not change the rules it is judged by",
    ),
    (
        "zakon-hooks-removed",
        "zakon guard",
        "an agent does not switch off the hooks that judge it",
    ),
    (
        "zakon-effects-restored",
        "zakon guard",
        "what a tool changed in a guarded file without authorisation is put back",
    ),
    (
        "zakon-install-write",
        "zakon guard",
        "an agent does not change zakon's own installation",
    ),
    (
        "zakon-install-changed",
        "zakon guard",
        "zakon's gates are changed only by its installer",
    ),
    (
        "zakon-pause",
        "zakon guard",
        "only a human at a terminal pauses a gate",
    ),
    ("fail-closed", "zakon", "a gate that cannot judge blocks"),
];

/// The ZAKON id and the plain-words rule for an audit rule name.
pub fn lookup(rule: &str) -> Option<(&'static str, &'static str)> {
    RULES
        .iter()
        .find(|(r, _, _)| *r == rule)
        .map(|(_, id, what)| (*id, *what))
}

/// The first words of a block message: the ZAKON rule, the gate, the audit rule name in
/// brackets and what the rule says — `ZAKON #18B claim-gate [claim-without-evidence] (no claim
/// of success without evidence):`. "ZAKON #18B claim-gate" stays first: agents, users' scripts
/// and the real-client checks recognise a block by it.
pub fn headline(gate: &str, rule: &str) -> String {
    match lookup(rule) {
        Some((id, what)) => format!("{id} {gate} [{rule}] ({what}):"),
        None => format!("{gate} [{rule}]:"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headline_names_the_audit_rule_first_and_explains_the_zakon_id() {
        for (gate, rule, want) in [
            (
                "claim-gate",
                "claim-without-evidence",
                "ZAKON #18B claim-gate [claim-without-evidence] (no claim of success without evidence):",
            ),
            ("x", "unknown-rule", "x [unknown-rule]:"),
        ] {
            assert_eq!(headline(gate, rule), want);
        }
    }

    #[test]
    fn every_rule_is_listed_once_and_explained() {
        for (i, (rule, id, what)) in RULES.iter().enumerate() {
            assert!(!id.is_empty() && !what.is_empty(), "{rule}");
            assert!(
                RULES[i + 1..].iter().all(|(r, _, _)| r != rule),
                "{rule} twice"
            );
        }
    }
}
