//! `otp import` and `otp export --ga` through the binary: the vault's
//! accounts exported as migration QR codes (PNG), read back by the pure-Rust
//! decoder into another vault with the same secrets; the published sample
//! exports of migration.json; an account the vault refuses (a 5-byte secret)
//! and the export's own skipped accounts reported; a multi-part export with
//! a part missing refused whole; otpauth URIs from a text file; `uri`,
//! `--lint` and `qr` (a PNG that zbarimg reads back).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing, reason = "a test")]

use std::{
    path::{Path, PathBuf},
    process::{Command, Output, Stdio},
};

const OTP: &str = env!("CARGO_BIN_EXE_otp");
const B32: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

struct Dir(PathBuf);

impl Dir {
    fn new(name: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("otp-cli-transfer-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Dir(dir)
    }
}

impl Drop for Dir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn otp(vault: &Path, args: &[&str]) -> Output {
    Command::new(OTP)
        .args(args)
        .arg("--vault")
        .arg(vault)
        .env("OTP_PASSPHRASE", "transfer test")
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

fn out(o: &Output) -> String {
    String::from_utf8([o.stdout.clone(), o.stderr.clone()].concat()).unwrap()
}

/// The otpauth URIs (secrets included) of a vault's accounts, by name.
fn uris(vault: &Path) -> Vec<(String, String)> {
    let list: serde_json::Value = serde_json::from_slice(&otp(vault, &["list", "--json"]).stdout).unwrap();
    list.as_array()
        .unwrap()
        .iter()
        .map(|e| {
            let name = e["name"].as_str().unwrap().to_owned();
            let shown: serde_json::Value =
                serde_json::from_slice(&otp(vault, &["show", &name, "--show-secret", "--json"]).stdout).unwrap();
            (name, shown["uri"].as_str().unwrap().to_owned())
        })
        .collect()
}

#[test]
fn export_as_qr_images_then_import_them_elsewhere() {
    let dir = Dir::new("roundtrip");
    let (a, b) = (dir.0.join("a.json"), dir.0.join("b.json"));
    assert!(otp(&a, &["add", "github", "--issuer", "GitHub", "--totp", "-b", B32]).status.success());
    assert!(
        otp(&a, &["add", "work", "--totp=SHA256", "-d", "8", "-b", "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"])
            .status
            .success()
    );
    assert!(otp(&a, &["add", "bank", "3132333435363738393031323334353637383930", "-c", "7"]).status.success());
    let prefix = dir.0.join("export");
    let exported = otp(&a, &["export", "--ga", "--png", prefix.to_str().unwrap()]);
    assert!(exported.status.success(), "{}", out(&exported));
    let image = dir.0.join("export-1.png");
    assert!(!out(&exported).contains(B32));

    let imported = otp(&b, &["import", image.to_str().unwrap()]);
    assert!(imported.status.success(), "{}", out(&imported));
    assert!(out(&imported).contains("3 imported, 0 skipped"), "{}", out(&imported));
    // Same secrets and parameters (showing the HOTP account advanced its counter in each).
    let before: Vec<String> = uris(&a).into_iter().map(|(_, u)| u.split_once('?').unwrap().1.to_owned()).collect();
    let after: Vec<String> = uris(&b).into_iter().map(|(_, u)| u.split_once('?').unwrap().1.to_owned()).collect();
    assert_eq!(before, after);
    assert_eq!(uris(&b)[0].0, "GitHub:github");

    // The export's QR codes in the terminal hold no readable secret; --show-secret adds the URIs.
    let terminal = out(&otp(&a, &["export", "--ga"]));
    assert!(terminal.contains("QR code 1 of 1") && terminal.contains('█') && !terminal.contains("otpauth-migration"));
    assert!(out(&otp(&a, &["export", "--ga", "--show-secret"])).contains("otpauth-migration://offline?data="));
}

#[test]
fn published_exports_skipped_accounts_and_missing_parts() {
    let vectors: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../otp-core/tests/vectors/migration.json"),
        )
        .unwrap(),
    )
    .unwrap();
    let case = |name: &str| vectors["parse"].as_array().unwrap().iter().find(|c| c["name"] == name).unwrap().clone();
    let dir = Dir::new("published");
    let v = dir.0.join("v.json");
    // Two published exports (scito/extract_otp_secrets), from a text file.
    let list = dir.0.join("exports.txt");
    let two = case("published_scito_two_accounts");
    let hotp = case("published_scito_hotp_counter_4");
    std::fs::write(
        &list,
        format!("# two exports\n{}\n{}\n", two["uri"].as_str().unwrap(), hotp["uri"].as_str().unwrap()),
    )
    .unwrap();
    let o = otp(&v, &["import", list.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2), "two different exports at once are refused: {}", out(&o));
    assert!(out(&o).contains("migration_mismatch"), "{}", out(&o));
    let o = otp(&v, &["import", two["uri"].as_str().unwrap()]);
    assert!(o.status.success(), "{}", out(&o));
    assert!(out(&o).contains("2 imported, 0 skipped"));

    // A 5-byte secret (Google Authenticator exports hold them): skipped, with why.
    let short = case("five_byte_secret_negative_batch_id");
    let o = otp(&v, &["import", short["uri"].as_str().unwrap()]);
    assert!(out(&o).contains("a 40-bit secret: codes too easy to guess"), "{}", out(&o));
    assert!(out(&o).contains("0 imported, 1 skipped"));

    // The export's own skipped accounts are listed with the core's reasons.
    let skipped = case("entries_skipped_with_reasons");
    let o = otp(&v, &["import", skipped["uri"].as_str().unwrap()]);
    assert!(o.status.success());
    for reason in ["unsupported_algorithm", "invalid_digits", "unsupported_type", "secret_too_long"] {
        assert!(out(&o).contains(reason), "{reason}: {}", out(&o));
    }

    // One part of a two-part export: refused whole, the vault unchanged.
    let before = std::fs::read(&v).unwrap();
    let part = otp(&v, &["import", &part_one_of_two()]);
    assert_eq!(part.status.code(), Some(2));
    assert!(out(&part).contains("missing its QR code(s) 2"), "{}", out(&part));
    assert_eq!(std::fs::read(&v).unwrap(), before);

    // otpauth URIs, one a line, from standard input.
    let mut child = Command::new(OTP)
        .args(["import", "-", "--vault"])
        .arg(&v)
        .env("OTP_PASSPHRASE", "transfer test")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(format!("otpauth://totp/ACME:carol?secret={B32}&issuer=ACME\n").as_bytes())
        .unwrap();
    let o = child.wait_with_output().unwrap();
    assert!(out(&o).contains("imported\tACME:carol"), "{}", out(&o));
}

/// A migration URI that says it is the first of two (written by the core's
/// exporter: 11 accounts make two URIs; the first is kept).
fn part_one_of_two() -> String {
    let dir = Dir::new("parts");
    let v = dir.0.join("v.json");
    for i in 0..11 {
        assert!(otp(&v, &["add", &format!("a{i}"), "--totp", "-b", B32]).status.success());
    }
    let shown = out(&otp(&v, &["export", "--ga", "--show-secret"]));
    let uris: Vec<&str> = shown.lines().filter(|l| l.starts_with("otpauth-migration://")).collect();
    assert_eq!(uris.len(), 2);
    uris[0].to_owned()
}

#[test]
fn uri_lint_and_qr() {
    let dir = Dir::new("uri");
    let uri = out(&Command::new(OTP)
        .args(["uri", "--totp", "-b", B32, "--account", "alice", "--issuer", "ACME"])
        .output()
        .unwrap());
    assert_eq!(uri, format!("otpauth://totp/ACME:alice?secret={B32}&issuer=ACME\n"));
    let linted = Command::new(OTP)
        .args([
            "uri",
            "--lint",
            "--json",
            "--totp=SHA256",
            "-d",
            "8",
            "-b",
            B32,
            "--account",
            "alice",
            "--issuer",
            "ACME",
        ])
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&linted.stdout).unwrap();
    let codes: Vec<&str> = json["findings"].as_array().unwrap().iter().map(|f| f["code"].as_str().unwrap()).collect();
    assert!(codes.contains(&"algorithm_ignored") && codes.contains(&"digits_ignored"), "{codes:?}");
    assert_eq!(linted.status.code(), Some(0), "warnings only");
    // A 2-minute-plus period is an error of the lint (NIST): exit 1.
    let nist =
        Command::new(OTP).args(["uri", "--lint", "--totp", "-s", "300", "-b", B32, "--account", "a"]).output().unwrap();
    assert_eq!(nist.status.code(), Some(1), "{}", out(&nist));

    let png = dir.0.join("q.png");
    let made = Command::new(OTP)
        .args(["qr", "--png", png.to_str().unwrap(), &format!("otpauth://totp/ACME:alice?secret={B32}&issuer=ACME")])
        .output()
        .unwrap();
    assert!(made.status.success(), "{}", out(&made));
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(std::fs::metadata(&png).unwrap().permissions().mode() & 0o777, 0o600);
    let read = Command::new("zbarimg").args(["-q", "--raw", "--nodbus"]).arg(&png).output().unwrap();
    assert_eq!(
        String::from_utf8(read.stdout).unwrap().trim(),
        format!("otpauth://totp/ACME:alice?secret={B32}&issuer=ACME")
    );
    let missing_account = Command::new(OTP).args(["uri", "--totp", "-b", B32]).output().unwrap();
    assert_eq!(missing_account.status.code(), Some(2));
}
