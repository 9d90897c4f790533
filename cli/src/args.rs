//! The command line: oathtool's options where they mean the same thing,
//! read into otp-core's generators. Conversions only: every rule (secret
//! lengths, digits, periods, windows, time before `t0`) is the core's.

use std::{
    io::{BufRead, IsTerminal},
    time::UNIX_EPOCH,
};

use clap::{Args, Parser, Subcommand};
use otp_core::{Algorithm, Hotp, OtpAuth, OtpKind, Secret, SecretPolicy, Totp};
use zeroize::Zeroizing;

use crate::Failure;

/// One-time passwords (HOTP, TOTP) over otp-core. Without a command: the
/// current code of every TOTP account of the vault, with the seconds left.
#[derive(Debug, Parser)]
#[command(name = "otp", version, about, propagate_version = true)]
pub(crate) struct Cli {
    #[command(subcommand)]
    pub(crate) command: Option<Command>,
    /// The vault file [default: $OTP_VAULT, else $XDG_DATA_HOME/otp/vault.json]
    #[arg(long, global = true, value_name = "FILE")]
    pub(crate) vault: Option<std::path::PathBuf>,
    /// Read the vault's passphrase from FILE's first line (else $OTP_PASSPHRASE, else a prompt)
    #[arg(long, global = true, value_name = "FILE")]
    pub(crate) passphrase_file: Option<std::path::PathBuf>,
    /// Print JSON (the commands that read)
    #[arg(long, global = true)]
    pub(crate) json: bool,
}

// `defer`: a subcommand's arguments are built only when it is the one
// used (start-up time: `otp code` runs as often as oathtool).
#[derive(Debug, Subcommand)]
#[command(defer = true)]
pub(crate) enum Command {
    /// Print the code (and the next WIDTH ones with -w), as `oathtool` does.
    Code(Options),
    /// Check OTP against KEY within the window; print its distance, exit 1 when rejected.
    Verify {
        #[command(flatten)]
        options: Options,
        /// The code to check ("-": read it from standard input, "@FILE": from a file).
        otp: String,
    },
    /// Add an account to the vault (made on first use): NAME, then the key as for `code`.
    Add {
        /// The account's name in the vault.
        name: String,
        /// The account name written in its otpauth URI [default: NAME].
        #[arg(long, value_name = "ACCOUNT")]
        account: Option<String>,
        /// The issuer (the service).
        #[arg(long, value_name = "ISSUER")]
        issuer: Option<String>,
        #[command(flatten)]
        options: Options,
    },
    /// Print the otpauth URI of a key and its options (or check a URI with --lint).
    Uri {
        /// The account name written in the URI.
        #[arg(long, value_name = "ACCOUNT")]
        account: Option<String>,
        /// The issuer (the service).
        #[arg(long, value_name = "ISSUER")]
        issuer: Option<String>,
        /// Also list what authenticator apps are documented to misread in it (the compatibility lint).
        #[arg(long)]
        lint: bool,
        #[command(flatten)]
        options: Options,
    },
    /// Show the otpauth URI's QR code in the terminal, or write it as PNG or SVG.
    Qr {
        /// The account name written in the URI.
        #[arg(long, value_name = "ACCOUNT")]
        account: Option<String>,
        /// The issuer (the service).
        #[arg(long, value_name = "ISSUER")]
        issuer: Option<String>,
        /// Write a PNG image to FILE (mode 0600: it holds the secret).
        #[arg(long, value_name = "FILE", conflicts_with = "svg")]
        png: Option<std::path::PathBuf>,
        /// Write an SVG image to FILE (mode 0600: it holds the secret).
        #[arg(long, value_name = "FILE")]
        svg: Option<std::path::PathBuf>,
        #[command(flatten)]
        options: Options,
    },
    /// Import a Google Authenticator export into the vault: otpauth-migration
    /// URIs, text files of them (or of otpauth URIs), or PNG images of the QR codes.
    Import {
        /// URIs, files ("-": standard input); a .png file is read as a QR code image.
        #[arg(required = true)]
        sources: Vec<String>,
    },
    /// Export vault accounts as Google Authenticator migration QR codes.
    Export {
        /// Write Google Authenticator's format (the only one).
        #[arg(long, required = true)]
        ga: bool,
        /// Write PREFIX-1.png, PREFIX-2.png, … (mode 0600) instead of the terminal.
        #[arg(long, value_name = "PREFIX")]
        png: Option<std::path::PathBuf>,
        /// Also print the migration URIs as text (they hold the secrets).
        #[arg(long)]
        show_secret: bool,
        /// The accounts [default: every one].
        names: Vec<String>,
    },
    /// List the vault's accounts (never a secret or a code).
    List,
    /// Print an account's current code (an HOTP account's counter then advances).
    Show {
        /// The account's name in the vault.
        name: String,
        /// Also print its otpauth URI, secret included.
        #[arg(long)]
        show_secret: bool,
    },
    /// Remove an account from the vault.
    Rm {
        /// The account's name in the vault.
        name: String,
    },
}

// oathtool's options, with the same names and defaults (a plain comment: a
// doc comment would replace each subcommand's own help line).
#[derive(Debug, Args)]
pub(crate) struct Options {
    /// Time-based (TOTP), with SHA1 (the default), SHA256 or SHA512.
    #[arg(long, value_name = "MODE", num_args = 0..=1, require_equals = true, default_missing_value = "SHA1")]
    totp: Option<String>,
    /// Counter-based (HOTP, SHA1): the default.
    #[arg(long, conflicts_with = "totp")]
    hotp: bool,
    /// KEY is base32 (otherwise hexadecimal).
    #[arg(short = 'b', long)]
    base32: bool,
    /// HOTP counter [default: 0, or the URI's].
    #[arg(short = 'c', long, value_name = "COUNTER")]
    counter: Option<u64>,
    /// TOTP time step: seconds, or a duration such as 30s or 1m [default: 30s].
    #[arg(short = 's', long = "time-step-size", value_name = "DURATION")]
    time_step_size: Option<String>,
    /// When TOTP step 0 begins [default: 1970-01-01 00:00:00 UTC].
    #[arg(short = 'S', long = "start-time", value_name = "TIME")]
    start_time: Option<String>,
    /// The time to use as now: @SECONDS, "YYYY-MM-DD HH:MM:SS [UTC]", RFC 3339, or now.
    #[arg(short = 'N', long = "now", value_name = "TIME")]
    pub(crate) now: Option<String>,
    /// Digits per code, 6 to 10 [default: 6].
    #[arg(short = 'd', long, value_name = "DIGITS")]
    digits: Option<u32>,
    /// Additional codes to print, or to accept: HOTP counters after -c, TOTP steps either side of now.
    #[arg(short = 'w', long, value_name = "WIDTH", default_value_t = 0)]
    pub(crate) window: u32,
    /// The key: hexadecimal (base32 with -b), an otpauth:// URI, "-" (standard input) or "@FILE".
    key: String,
}

/// The generator the options describe.
pub(crate) enum Generator {
    /// Counter-based, from `counter`.
    Hotp { hotp: Hotp, counter: u64 },
    /// Time-based.
    Totp(Totp),
}

impl Options {
    /// The account of the key and the options, and the TOTP `-S` start time
    /// (`t0`), or of the otpauth URI given as the key: the URI sets the type,
    /// algorithm, digits and period; `-c` may still set an HOTP counter.
    fn account(&self) -> Result<(OtpAuth, u64), Failure> {
        let key = read_value(&self.key)?;
        if key.get(..10).is_some_and(|scheme| scheme.eq_ignore_ascii_case("otpauth://")) {
            let given = [
                (self.totp.is_some() || self.hotp, "--totp/--hotp"),
                (self.base32, "--base32"),
                (self.digits.is_some(), "--digits"),
                (self.time_step_size.is_some(), "--time-step-size"),
                (self.start_time.is_some(), "--start-time"),
            ];
            if let Some((_, name)) = given.iter().find(|(set, _)| *set) {
                return Err(Failure(format!("{name} cannot be used with an otpauth URI, which sets it")));
            }
            let mut auth = OtpAuth::parse_with(&key, SecretPolicy::AllowLegacy)?;
            if let (OtpKind::Hotp { counter }, Some(c)) = (&mut auth.kind, self.counter) {
                *counter = c;
            }
            return Ok((auth, 0));
        }
        let secret = if self.base32 {
            Secret::from_base32_with(&key, SecretPolicy::AllowLegacy)?
        } else {
            Secret::from_hex_with(&key, SecretPolicy::AllowLegacy)?
        };
        let (kind, algorithm) = match &self.totp {
            None => (OtpKind::Hotp { counter: self.counter.unwrap_or(0) }, Algorithm::Sha1),
            Some(mode) => {
                let period = match &self.time_step_size {
                    Some(d) => duration_secs(d)?,
                    None => otp_core::DEFAULT_PERIOD,
                };
                (OtpKind::Totp { period }, Algorithm::parse(mode)?)
            }
        };
        let t0 = match &self.start_time {
            Some(t) => time_secs(t)?,
            None => 0,
        };
        let digits = self.digits.unwrap_or(6);
        Ok((OtpAuth { kind, secret, algorithm, digits, account: String::new(), issuer: None, image: None }, t0))
    }

    /// The generator of the key and the options (or of the otpauth URI given as the key).
    pub(crate) fn generator(&self) -> Result<Generator, Failure> {
        let (auth, t0) = self.account()?;
        match auth.kind {
            OtpKind::Hotp { counter } => Ok(Generator::Hotp {
                hotp: Hotp::builder(&auth.secret).algorithm(auth.algorithm).digits(auth.digits).build()?,
                counter,
            }),
            OtpKind::Totp { period } => Ok(Generator::Totp(
                Totp::builder(&auth.secret)
                    .algorithm(auth.algorithm)
                    .digits(auth.digits)
                    .period(period)
                    .t0(t0)
                    .build()?,
            )),
        }
    }

    /// The account the key and the options describe, labelled `account`
    /// (else `name`) and `issuer`; an otpauth URI keeps its own labels unless
    /// they are given.
    pub(crate) fn auth(&self, name: &str, account: Option<&str>, issuer: Option<&str>) -> Result<OtpAuth, Failure> {
        let (mut auth, t0) = self.account()?;
        if t0 != 0 {
            return Err(Failure("--start-time cannot be stored: an otpauth account has no t0".into()));
        }
        match account {
            Some(account) => account.clone_into(&mut auth.account),
            None if auth.account.is_empty() => name.clone_into(&mut auth.account),
            None => {}
        }
        if let Some(issuer) = issuer {
            auth.issuer = Some(issuer.to_owned());
        }
        auth.to_uri()?; // what the vault keeps must be a writable account
        Ok(auth)
    }

    /// Now, or the time of `-N`, in Unix seconds.
    pub(crate) fn now(&self) -> Result<u64, Failure> {
        match &self.now {
            Some(t) => time_secs(t),
            None => Ok(otp_core::unix_now()?),
        }
    }
}

/// An argument's value: itself, the first line of standard input for `-`,
/// or a file's contents for `@FILE` (without the final newline).
pub(crate) fn read_value(arg: &str) -> Result<Zeroizing<String>, Failure> {
    let mut value = Zeroizing::new(String::new());
    if arg == "-" {
        let stdin = std::io::stdin();
        if stdin.is_terminal() {
            eprintln!("otp: reading from standard input");
        }
        stdin.lock().read_line(&mut value).map_err(|e| Failure(format!("cannot read standard input: {e}")))?;
    } else if let Some(path) = arg.strip_prefix('@') {
        *value = std::fs::read_to_string(path).map_err(|e| Failure(format!("cannot read {path}: {e}")))?;
    } else {
        value.push_str(arg);
    }
    let end = value.trim_end_matches(['\n', '\r']).len();
    value.truncate(end);
    Ok(value)
}

/// A time step: whole seconds (`30`) or a duration (`30s`, `1m`).
fn duration_secs(text: &str) -> Result<u64, Failure> {
    if let Ok(secs) = text.parse::<u64>() {
        return Ok(secs);
    }
    let duration = humantime::parse_duration(text).map_err(|e| Failure(format!("invalid duration {text:?}: {e}")))?;
    if duration.subsec_nanos() != 0 {
        return Err(Failure(format!("invalid duration {text:?}: not a whole number of seconds")));
    }
    Ok(duration.as_secs())
}

/// A time in Unix seconds: `@SECONDS`, `now`, `YYYY-MM-DD HH:MM:SS` (UTC;
/// a trailing ` UTC` or `Z` is accepted), or RFC 3339.
fn time_secs(text: &str) -> Result<u64, Failure> {
    let text = text.trim();
    if text.eq_ignore_ascii_case("now") {
        return Ok(otp_core::unix_now()?);
    }
    if let Some(secs) = text.strip_prefix('@') {
        return secs.parse::<u64>().map_err(|_| Failure(format!("invalid time {text:?}: not whole seconds from 1970")));
    }
    let bare = text.strip_suffix(" UTC").or_else(|| text.strip_suffix(" GMT")).unwrap_or(text);
    let parsed = humantime::parse_rfc3339_weak(bare)
        .or_else(|_| humantime::parse_rfc3339(text))
        .map_err(|e| Failure(format!("invalid time {text:?}: {e}")))?;
    parsed
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .map_err(|_| Failure(format!("invalid time {text:?}: before 1970")))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "tests")]
mod tests {
    use super::{duration_secs, time_secs};

    #[test]
    fn times_and_durations() {
        assert_eq!(time_secs("@59").unwrap(), 59);
        assert_eq!(time_secs("2009-02-13 23:31:30 UTC").unwrap(), 1_234_567_890);
        assert_eq!(time_secs("2009-02-13 23:31:30").unwrap(), 1_234_567_890);
        assert_eq!(time_secs("2009-02-13T23:31:30Z").unwrap(), 1_234_567_890);
        assert_eq!(time_secs("1970-01-01 00:00:00 UTC").unwrap(), 0);
        assert!(time_secs("@-1").is_err());
        assert!(time_secs("yesterday-ish").is_err());
        assert_eq!(duration_secs("30").unwrap(), 30);
        assert_eq!(duration_secs("30s").unwrap(), 30);
        assert_eq!(duration_secs("1m").unwrap(), 60);
        assert!(duration_secs("1.5s").is_err());
        assert!(duration_secs("soon").is_err());
    }
}
