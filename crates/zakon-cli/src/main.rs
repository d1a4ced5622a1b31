//! The `zakon-cli` binary: everything lives in the library.

fn main() -> std::process::ExitCode {
    zakon_cli::main()
}
