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
mod transfer;
mod vault;

use std::{path::PathBuf, process::ExitCode};

use clap::Parser;
use otp_core::{Otp, OtpAuth};
use zeroize::Zeroizing;

use crate::{
    args::{Cli, Command, Generator, Options},
    vault::Vault,
};

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
    match run(cli) {
        Ok(code) => code,
        Err(Failure(message)) => {
            eprintln!("otp: {message}");
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli) -> Result<ExitCode, Failure> {
    let store = Store { path: cli.vault.clone(), passphrase_file: cli.passphrase_file.clone(), json: cli.json };
    match cli.command {
        Some(Command::Code(options)) => code(&options, cli.json),
        Some(Command::Verify { options, otp }) => verify(&options, &otp, cli.json),
        Some(Command::Add { name, account, issuer, options }) => {
            let auth = options.auth(&name, account.as_deref(), issuer.as_deref())?;
            let mut vault = store.open_or_create()?;
            vault.add(&name, &auth)?;
            vault.save()?;
            eprintln!("otp: added {name:?} to the vault");
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Uri { account, issuer, lint, options }) => {
            let auth = options.auth("", account.as_deref(), issuer.as_deref())?;
            uri(&auth, lint, store.json)
        }
        Some(Command::Qr { account, issuer, png, svg, options }) => {
            let auth = options.auth("", account.as_deref(), issuer.as_deref())?;
            qr(&auth, png.as_deref(), svg.as_deref())
        }
        Some(Command::Import { sources }) => {
            let mut vault = store.open_or_create()?;
            let summary = transfer::import(&mut vault, &sources)?;
            vault.save()?;
            if store.json {
                println!("{}", serde_json::to_string(&summary).map_err(|e| Failure(e.to_string()))?);
            } else {
                summary.print();
            }
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Export { ga: _, png, show_secret, names }) => {
            let vault = store.open()?;
            transfer::export(&vault, &names, png.as_deref(), show_secret)
        }
        Some(Command::List) => list(&store),
        Some(Command::Show { name, show_secret }) => show(&store, &name, show_secret),
        Some(Command::Rm { name }) => {
            let mut vault = store.open()?;
            vault.entry(&name)?;
            vault.file.entries.retain(|e| e.name != name);
            vault.save()?;
            eprintln!("otp: removed {name:?}");
            Ok(ExitCode::SUCCESS)
        }
        None => all_codes(&store),
    }
}

/// `otp uri`: the account's otpauth URI (what a QR code holds), and with
/// `--lint` what apps are documented to misread in it, one finding a line
/// (`severity code: message [app] source`); exit 1 when a finding is an error.
fn uri(auth: &OtpAuth, lint: bool, json: bool) -> Result<ExitCode, Failure> {
    let uri = Zeroizing::new(auth.to_uri()?);
    let findings = if lint { otp_core::lint::lint(auth) } else { Vec::new() };
    if json {
        let rows: Vec<_> = findings
            .iter()
            .map(|f| {
                serde_json::json!({"code": f.code, "severity": f.severity.as_str(), "message": f.message, "app": f.app, "source": f.source})
            })
            .collect();
        let mut out = serde_json::Map::new();
        out.insert("uri".into(), uri.as_str().into());
        if lint {
            out.insert("findings".into(), rows.into());
        }
        println!("{}", serde_json::Value::Object(out));
    } else {
        println!("{}", uri.as_str());
        for f in &findings {
            let app = f.app.map(|a| format!(" [{a}]")).unwrap_or_default();
            let source = f.source.map(|s| format!(" {s}")).unwrap_or_default();
            println!("{} {}: {}{app}{source}", f.severity.as_str(), f.code, f.message);
        }
    }
    let errors = findings.iter().any(|f| f.severity == otp_core::Severity::Error);
    Ok(if errors { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

/// `otp qr`: the URI's QR code on the terminal, or as a PNG or SVG file
/// (created 0600, replaced whole: it holds the secret).
fn qr(auth: &OtpAuth, png: Option<&std::path::Path>, svg: Option<&std::path::Path>) -> Result<ExitCode, Failure> {
    let uri = Zeroizing::new(auth.to_uri()?);
    match (png, svg) {
        (Some(path), _) => vault::write_private(path, &otp_core::qr::png(&uri)?)?,
        (_, Some(path)) => vault::write_private(path, otp_core::qr::svg(&uri)?.as_bytes())?,
        _ => print!("{}", otp_core::qr::terminal(&uri)?),
    }
    Ok(ExitCode::SUCCESS)
}

/// Where the vault is and how its passphrase is read.
struct Store {
    path: Option<PathBuf>,
    passphrase_file: Option<PathBuf>,
    json: bool,
}

impl Store {
    fn path(&self) -> Result<PathBuf, Failure> {
        self.path.clone().map_or_else(vault::default_path, Ok)
    }

    /// The passphrase: `--passphrase-file`'s first line, `$OTP_PASSPHRASE`,
    /// or a prompt on the terminal (twice when `confirm`).
    fn passphrase(&self, confirm: bool) -> Result<Zeroizing<String>, Failure> {
        if let Some(file) = &self.passphrase_file {
            let text = Zeroizing::new(
                std::fs::read_to_string(file).map_err(|e| Failure(format!("cannot read {}: {e}", file.display())))?,
            );
            return Ok(Zeroizing::new(text.lines().next().unwrap_or("").to_owned()));
        }
        if let Ok(p) = std::env::var("OTP_PASSPHRASE") {
            return Ok(Zeroizing::new(p));
        }
        let prompt = |text: &str| {
            rpassword::prompt_password(text).map(Zeroizing::new).map_err(|e| {
                Failure(format!("no passphrase: {e} (use a terminal, --passphrase-file or OTP_PASSPHRASE)"))
            })
        };
        let first = prompt("Vault passphrase: ")?;
        if confirm && *prompt("The same passphrase again: ")? != *first {
            return Err(Failure("the two passphrases differ".into()));
        }
        if first.is_empty() {
            return Err(Failure("an empty passphrase protects nothing".into()));
        }
        Ok(first)
    }

    fn open(&self) -> Result<Vault, Failure> {
        let path = self.path()?;
        if !path.exists() {
            return Err(Failure(format!("no vault at {} (otp add makes one)", path.display())));
        }
        Vault::open(&path, &self.passphrase(false)?)
    }

    fn open_or_create(&self) -> Result<Vault, Failure> {
        let path = self.path()?;
        if path.exists() {
            Vault::open(&path, &self.passphrase(false)?)
        } else {
            Vault::create(&path, &self.passphrase(true)?)
        }
    }
}

/// `otp list`: the accounts, never a secret.
fn list(store: &Store) -> Result<ExitCode, Failure> {
    let vault = store.open()?;
    if store.json {
        #[derive(serde::Serialize)]
        struct Listed<'a> {
            name: &'a str,
            #[serde(rename = "type")]
            kind: &'a str,
            issuer: Option<&'a str>,
            account: &'a str,
        }
        let listed: Vec<Listed<'_>> = vault
            .file
            .entries
            .iter()
            .map(|e| Listed { name: &e.name, kind: &e.kind, issuer: e.issuer.as_deref(), account: &e.account })
            .collect();
        println!("{}", serde_json::to_string(&listed).map_err(|e| Failure(e.to_string()))?);
    } else {
        for e in &vault.file.entries {
            let issuer = e.issuer.as_deref().map(|i| format!(" ({i})")).unwrap_or_default();
            println!("{}\t{}\t{}{issuer}", e.name, e.kind, e.account);
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The code of `auth` now (TOTP, with its seconds left) or at its counter (HOTP).
fn current(auth: &OtpAuth) -> Result<(String, Option<u64>), Failure> {
    match auth.otp()? {
        Otp::Totp(totp) => {
            let now = otp_core::unix_now()?;
            Ok((totp.at(now)?.as_str().to_owned(), Some(totp.seconds_remaining(now)?)))
        }
        Otp::Hotp(hotp, counter) => Ok((hotp.at(counter).as_str().to_owned(), None)),
    }
}

/// `otp show NAME`: the code; an HOTP account's counter is then advanced
/// (and saved) before the code is printed.
fn show(store: &Store, name: &str, show_secret: bool) -> Result<ExitCode, Failure> {
    let mut vault = store.open()?;
    let auth = vault.account(vault.entry(name)?)?;
    let (code, left) = current(&auth)?;
    if let Some(entry) = vault.file.entries.iter_mut().find(|e| e.name == name)
        && let Some(counter) = entry.counter.as_mut()
    {
        *counter = counter.checked_add(1).ok_or(otp_core::Error::InvalidCounter)?;
        vault.save()?;
    }
    let uri = if show_secret { Some(Zeroizing::new(auth.to_uri()?)) } else { None };
    let row = CodeRow { name, code: Some(code), seconds_left: left, uri: uri.as_deref().map(String::as_str) };
    if store.json {
        println!("{}", serde_json::to_string(&row).map_err(|e| Failure(e.to_string()))?);
    } else {
        println!("{}", row.line(false));
        if let Some(uri) = row.uri {
            println!("{uri}");
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// A code as printed: `CODE\tNs` (with the name first in the summary), or
/// JSON.
#[derive(serde::Serialize)]
struct CodeRow<'a> {
    name: &'a str,
    code: Option<String>,
    seconds_left: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    uri: Option<&'a str>,
}

impl CodeRow<'_> {
    fn line(&self, with_name: bool) -> String {
        let name = if with_name { format!("{}\t", self.name) } else { String::new() };
        match (&self.code, self.seconds_left) {
            (Some(code), Some(left)) => format!("{name}{code}\t{left}s"),
            (Some(code), None) => format!("{name}{code}"),
            (None, _) => format!("{name}(HOTP: otp show {})", self.name),
        }
    }
}

/// `otp`: every TOTP account's current code and seconds left (HOTP accounts
/// are listed with how to get theirs: `otp show` advances a counter).
fn all_codes(store: &Store) -> Result<ExitCode, Failure> {
    let vault = store.open()?;
    let mut rows = Vec::new();
    for entry in &vault.file.entries {
        let (code, left) = current(&vault.account(entry)?)?;
        // An HOTP code is not shown here: showing it uses it up (`otp show` advances the counter).
        let code = left.map(|_| code);
        rows.push(CodeRow { name: &entry.name, code, seconds_left: left, uri: None });
    }
    if store.json {
        println!("{}", serde_json::to_string(&rows).map_err(|e| Failure(e.to_string()))?);
    } else {
        for row in &rows {
            println!("{}", row.line(true));
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `otp code`: the code now (or at `-N`, or of counter `-c`), and the next
/// `-w` ones, one per line, as oathtool prints them (`--json`: `{"codes":
/// […], "first": step or counter}`).
fn code(options: &Options, json: bool) -> Result<ExitCode, Failure> {
    let (first, codes): (u64, Vec<String>) = match options.generator()? {
        Generator::Hotp { hotp, counter } => (
            counter,
            (0..=u64::from(options.window))
                .map(|offset| {
                    Ok(hotp.at(counter.checked_add(offset).ok_or(otp_core::Error::InvalidCounter)?).as_str().to_owned())
                })
                .collect::<Result<_, Failure>>()?,
        ),
        Generator::Totp(totp) => {
            let step = totp.step(options.now()?)?;
            let codes = (0..=u64::from(options.window))
                .map(|offset| {
                    Ok(totp.at_step(step.checked_add(offset).ok_or(otp_core::Error::InvalidTime)?).as_str().to_owned())
                })
                .collect::<Result<_, Failure>>()?;
            (step, codes)
        }
    };
    if json {
        println!("{}", serde_json::json!({"first": first, "codes": codes}));
    } else {
        for c in &codes {
            println!("{c}");
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `otp verify KEY OTP`: accepted within the window (HOTP: counters `-c` to
/// `-c + -w`; TOTP: `-w` steps either side of now) prints the distance from
/// the counter or the current step, as oathtool does, and exits 0; rejected
/// says so on stderr and exits 1.
fn verify(options: &Options, otp: &str, json: bool) -> Result<ExitCode, Failure> {
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
    if json {
        println!("{}", serde_json::json!({"accepted": found.is_some(), "distance": found}));
    }
    match found {
        Some(distance) => {
            if !json {
                println!("{distance}");
            }
            Ok(ExitCode::SUCCESS)
        }
        None => {
            eprintln!("otp: the code was not accepted (window {})", options.window);
            Ok(ExitCode::from(1))
        }
    }
}
