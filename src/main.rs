use std::process::ExitCode;

fn main() -> ExitCode {
    llmops::cli::main()
}
