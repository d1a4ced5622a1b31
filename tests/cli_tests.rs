//! Snapshot tests of every CLI surface: one `.toml` per case under `tests/cmd/`, fixtures in
//! `tests/cmd/<case>.in/`. Review `TRYCMD=overwrite` updates like code.

#[test]
fn cli_tests() {
    trycmd::TestCases::new().case("tests/cmd/*.toml");
}
