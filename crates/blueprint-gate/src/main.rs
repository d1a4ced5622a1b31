//! The `blueprint-gate` binary: everything lives in the library.

fn main() -> std::process::ExitCode {
    blueprint_gate::main()
}
