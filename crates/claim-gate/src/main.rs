//! The `claim-gate` binary: everything lives in the library.

fn main() -> std::process::ExitCode {
    claim_gate::main()
}
