//! The `artifact-gate` binary: everything lives in the library.

fn main() -> std::process::ExitCode {
    artifact_gate::main()
}
