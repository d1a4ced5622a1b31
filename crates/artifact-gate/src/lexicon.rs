//! The claim-type keyword lists (data): a claim naming one of these words demands the
//! matching artifact. Matched as whole words, case- and diacritic-insensitive; config
//! `artifact_gate.ui_keywords` / `e2e_keywords` replace a list.

/// UI claims need a screenshot.
pub const UI: &[&str] = &[
    "ui", // "UI works", "UI/UX" — whole word, so "guide" and "build" do not count
    "wizard",
    "wizards",
    "mobile",
    "screen",
    "screens",      // "registration screens" is the same claim as "registration screen"
    "registracija", // Bosnian "registration" — the seed incident was a registration screen
    "registracije", // …its inflected forms (genitive/plural, accusative, locative)
    "registraciju",
    "registraciji",
    "onboarding",
];

/// E2E claims need a Playwright trace (zip) or a trace / results JSON.
pub const E2E: &[&str] = &[
    "e2e", // also "E2E-tests": hyphens split words
    "flow",
    "flows", // "workflow" / "overflow" are one word and do not count
    "journey",
    "journeys",
    "walkthrough",
    "walkthroughs",
];
