//! Snapshot tests of every CLI surface: one `.toml` per case under `tests/cmd/`, fixtures in
//! `tests/cmd/<case>.in/`. Review `TRYCMD=overwrite` updates like code.
//!
//! Block messages name zakon's commands by absolute path when PATH does not hold them (it
//! does not here), so the build directory is written `[BIN]` in the snapshots.

#[test]
fn cli_tests() {
    let bin_dir = std::path::Path::new(env!("CARGO_BIN_EXE_zakon"))
        .parent()
        .expect("the build directory")
        .display()
        .to_string();
    let cases = trycmd::TestCases::new();
    cases
        .insert_var("[BIN]", bin_dir)
        .expect("a valid variable");
    cases.case("tests/cmd/*.toml");
}
