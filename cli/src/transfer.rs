//! Moving accounts in and out of the vault: Google Authenticator's export
//! (otpauth-migration URIs, as text or read from QR code images with the
//! pure-Rust decoder rqrr), and otpauth URIs. The format is the core's
//! (`otp_core::migration`); this file reads files and images and prints.

use std::{io::Read, path::Path};

use otp_core::{
    OsRng, OtpAuth,
    migration::{self, Assembler},
};
use serde::Serialize;

use crate::{Failure, vault::Vault};

/// What an import did.
#[derive(Serialize, Default)]
pub(crate) struct Summary {
    /// The names given to the imported accounts.
    imported: Vec<String>,
    /// The accounts left out, and why.
    skipped: Vec<SkippedRow>,
    /// What was accepted leniently (the core's finding codes), by account.
    findings: Vec<(String, String)>,
}

#[derive(Serialize)]
struct SkippedRow {
    name: String,
    reason: String,
}

impl Summary {
    pub(crate) fn print(&self) {
        for name in &self.imported {
            println!("imported\t{name}");
        }
        for s in &self.skipped {
            println!("skipped\t{}\t{}", s.name, s.reason);
        }
        for (name, code) in &self.findings {
            eprintln!("otp: note: {name}: {code}");
        }
        eprintln!("otp: {} imported, {} skipped", self.imported.len(), self.skipped.len());
    }
}

/// The text of the sources: URIs as given, files' contents (`-`: standard
/// input), and QR codes decoded from PNG images.
fn read_sources(sources: &[String]) -> Result<Vec<String>, Failure> {
    let mut lines = Vec::new();
    for source in sources {
        let lower = source.to_ascii_lowercase();
        if lower.starts_with("otpauth-migration://") || lower.starts_with("otpauth://") {
            lines.push(source.clone());
        } else if source == "-" {
            let mut text = String::new();
            std::io::stdin()
                .read_to_string(&mut text)
                .map_err(|e| Failure(format!("cannot read standard input: {e}")))?;
            lines.extend(text.lines().map(str::to_owned));
        } else if lower.ends_with(".png") {
            lines.extend(qr_codes(Path::new(source))?);
        } else {
            let text = std::fs::read_to_string(source).map_err(|e| Failure(format!("cannot read {source}: {e}")))?;
            lines.extend(text.lines().map(str::to_owned));
        }
    }
    Ok(lines.into_iter().map(|l| l.trim().to_owned()).filter(|l| !l.is_empty() && !l.starts_with('#')).collect())
}

/// Every QR code's text in a PNG image.
fn qr_codes(path: &Path) -> Result<Vec<String>, Failure> {
    let failed = |e: &dyn std::fmt::Display| Failure(format!("cannot read the image {}: {e}", path.display()));
    let file = std::fs::File::open(path).map_err(|e| failed(&e))?;
    let mut decoder = png::Decoder::new(std::io::BufReader::new(file));
    decoder.set_transformations(png::Transformations::EXPAND | png::Transformations::STRIP_16);
    let mut reader = decoder.read_info().map_err(|e| failed(&e))?;
    let mut buf = vec![0; reader.output_buffer_size().ok_or_else(|| failed(&"too large"))?];
    let info = reader.next_frame(&mut buf).map_err(|e| failed(&e))?;
    let channels = info.color_type.samples();
    let (w, h) = (info.width as usize, info.height as usize);
    let luma = |x: usize, y: usize| -> u8 {
        let at = (y * w + x) * channels;
        match buf.get(at..at + channels) {
            Some([g]) | Some([g, _]) => *g,
            Some([r, g, b, ..]) => ((u16::from(*r) * 77 + u16::from(*g) * 150 + u16::from(*b) * 29) >> 8) as u8,
            _ => 255,
        }
    };
    let mut image = rqrr::PreparedImage::prepare_from_greyscale(w, h, luma);
    let codes: Vec<String> =
        image.detect_grids().iter().filter_map(|g| g.decode().ok().map(|(_, text)| text)).collect();
    if codes.is_empty() {
        return Err(failed(&"no QR code found"));
    }
    Ok(codes)
}

/// The vault name of an imported account: `Issuer:account`, or the account,
/// made unique with ` (2)`, ` (3)`, ….
fn name_for(vault: &Vault, auth: &OtpAuth) -> String {
    let base = match &auth.issuer {
        Some(issuer) if !auth.account.starts_with(issuer.as_str()) => format!("{issuer}:{}", auth.account),
        _ => auth.account.clone(),
    };
    let taken = |n: &str| vault.file.entries.iter().any(|e| e.name == n);
    let mut name = base.clone();
    let mut i = 2;
    while taken(&name) {
        name = format!("{base} ({i})");
        i += 1;
    }
    name
}

/// Imports the sources into `vault` (not saved here).
pub(crate) fn import(vault: &mut Vault, sources: &[String]) -> Result<Summary, Failure> {
    let mut summary = Summary::default();
    let mut assembler = Assembler::new();
    let mut any_migration = false;
    for line in read_sources(sources)? {
        if line.to_ascii_lowercase().starts_with("otpauth-migration://") {
            assembler.add(&line)?;
            any_migration = true;
        } else {
            let auth = OtpAuth::parse_with(&line, otp_core::SecretPolicy::AllowLegacy)?;
            let name = name_for(vault, &auth);
            vault.add(&name, &auth)?;
            summary.imported.push(name);
        }
    }
    if any_migration {
        let missing = assembler.missing();
        if !missing.is_empty() {
            let parts: Vec<String> = missing.iter().map(|i| (i + 1).to_string()).collect();
            return Err(Failure(format!(
                "the export is missing its QR code(s) {} (nothing imported)",
                parts.join(", ")
            )));
        }
        let (entries, skipped) = assembler.finish()?;
        for entry in entries {
            let name = name_for(vault, &entry.otp);
            if entry.otp.secret.len() < otp_core::LEGACY_MIN_SECRET_LEN {
                let reason =
                    format!("a {}-bit secret: codes too easy to guess (80 bits at least)", entry.otp.secret.len() * 8);
                summary.skipped.push(SkippedRow { name, reason });
                continue;
            }
            vault.add(&name, &entry.otp)?;
            summary.findings.extend(entry.findings.iter().map(|f| (name.clone(), f.code.to_owned())));
            summary.imported.push(name);
        }
        for s in skipped {
            summary
                .skipped
                .push(SkippedRow { name: s.name, reason: format!("{} ({})", s.reason.message(), s.reason.code()) });
        }
    }
    Ok(summary)
}

/// `otp export --ga`: the accounts as migration QR codes (10 a code, fewer
/// when they would not fit), on the terminal or as PNG files.
pub(crate) fn export(
    vault: &Vault,
    names: &[String],
    png: Option<&Path>,
    show_secret: bool,
) -> Result<std::process::ExitCode, Failure> {
    let entries: Vec<_> = if names.is_empty() {
        vault.file.entries.iter().collect()
    } else {
        names.iter().map(|n| vault.entry(n)).collect::<Result<_, _>>()?
    };
    if entries.is_empty() {
        return Err(Failure("the vault has no account to export".into()));
    }
    let accounts: Vec<OtpAuth> = entries.iter().map(|e| vault.account(e)).collect::<Result<_, _>>()?;
    let batch_id = migration::random_batch_id(&mut OsRng)?;
    let uris = migration::to_migration_uris(&accounts, batch_id).map_err(|(i, e)| {
        Failure(format!(
            "the account {:?} cannot be exported: {} ({})",
            entries.get(i).map_or("?", |e| &e.name),
            e.message(),
            e.code()
        ))
    })?;
    for (i, uri) in uris.iter().enumerate() {
        match png {
            Some(prefix) => {
                let path = format!("{}-{}.png", prefix.display(), i + 1);
                crate::vault::write_private(Path::new(&path), &otp_core::qr::png(uri)?)?;
                eprintln!("otp: wrote {path}");
            }
            None => {
                println!(
                    "QR code {} of {} (scan it with Google Authenticator: Transfer accounts, Import):",
                    i + 1,
                    uris.len()
                );
                print!("{}", otp_core::qr::terminal(uri)?);
            }
        }
        if show_secret {
            println!("{uri}");
        }
    }
    Ok(std::process::ExitCode::SUCCESS)
}
