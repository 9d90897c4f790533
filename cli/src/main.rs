//! `otp`: one-time passwords in the shell, over otp-core.
//!
//! `otp code` generates and `otp verify` validates HOTP and TOTP codes with
//! oathtool's options where they mean the same thing (`--totp[=SHA1|SHA256|SHA512]`,
//! `--hotp`, `-b/--base32`, `-d/--digits`, `-s/--time-step-size`,
//! `-S/--start-time`, `-N/--now`, `-c/--counter`, `-w/--window`; a key or
//! code of `-` is read from standard input, `@FILE` from a file), and an
//! otpauth URI in place of the key. Every rule is the core's; this file
//! reads arguments, calls the core and prints.
//!
//! Exit status: 0 generated or accepted, 1 rejected, 2 a usage or input error.
//! No message ever contains a key.
#![allow(clippy::print_stdout, clippy::print_stderr, reason = "a command-line tool prints")]

mod args;

use std::process::ExitCode;

use clap::Parser;

use crate::args::{Cli, Command, Generator, Options};

/// What went wrong, said once on stderr (never with a key in it).
#[derive(Debug)]
pub(crate) struct Failure(String);

impl From<otp_core::Error> for Failure {
    fn from(e: otp_core::Error) -> Self {
        Failure(format!("{} ({})", e.message(), e.code()))
    }
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // clap prints help and version to stdout (exit 0), usage errors to stderr (2).
            let _ = e.print();
            return if e.use_stderr() { ExitCode::from(2) } else { ExitCode::SUCCESS };
        }
    };
    match run(cli.command) {
        Ok(code) => code,
        Err(Failure(message)) => {
            eprintln!("otp: {message}");
            ExitCode::from(2)
        }
    }
}

fn run(command: Command) -> Result<ExitCode, Failure> {
    match command {
        Command::Code(options) => code(&options),
        Command::Verify { options, otp } => verify(&options, &otp),
    }
}

/// `otp code`: the code now (or at `-N`, or of counter `-c`), and the next
/// `-w` ones, one per line, as oathtool prints them.
fn code(options: &Options) -> Result<ExitCode, Failure> {
    match options.generator()? {
        Generator::Hotp { hotp, counter } => {
            for offset in 0..=u64::from(options.window) {
                let c = counter.checked_add(offset).ok_or(otp_core::Error::InvalidCounter)?;
                println!("{}", hotp.at(c).as_str());
            }
        }
        Generator::Totp(totp) => {
            let step = totp.step(options.now()?)?;
            for offset in 0..=u64::from(options.window) {
                let s = step.checked_add(offset).ok_or(otp_core::Error::InvalidTime)?;
                println!("{}", totp.at_step(s).as_str());
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `otp verify KEY OTP`: accepted within the window (HOTP: counters `-c` to
/// `-c + -w`; TOTP: `-w` steps either side of now) prints the distance from
/// the counter or the current step, as oathtool does, and exits 0; rejected
/// says so on stderr and exits 1.
fn verify(options: &Options, otp: &str) -> Result<ExitCode, Failure> {
    let otp = args::read_value(otp)?;
    let found = match options.generator()? {
        Generator::Hotp { hotp, counter } => {
            hotp.verify(&otp, counter, options.window)?.map(|matched| matched.saturating_sub(counter))
        }
        Generator::Totp(totp) => {
            let window = otp_core::Window::symmetric(options.window)?;
            totp.verify(&otp, options.now()?, window, None)?.map(|m| m.offset.unsigned_abs())
        }
    };
    match found {
        Some(distance) => {
            println!("{distance}");
            Ok(ExitCode::SUCCESS)
        }
        None => {
            eprintln!("otp: the code was not accepted (window {})", options.window);
            Ok(ExitCode::from(1))
        }
    }
}
