//! The `zakon-registry` binary: everything lives in the library.

fn main() -> std::process::ExitCode {
    zakon_registry::main()
}
