//! The vault, through the real binary: accounts added, listed, shown and
//! removed; no secret in the file, in any output or message (but with
//! `--show-secret`); a wrong passphrase, an edited entry and a missing vault
//! refused with exit status 2 and the file unchanged; an HOTP counter that
//! advances on disk; the passphrase read from a file, from the environment,
//! and typed at the prompt of a real terminal (a pty, by `script`).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing, reason = "a test")]

use std::{
    os::unix::fs::PermissionsExt,
    path::{Path, PathBuf},
    process::{Command, Output, Stdio},
};

const OTP: &str = env!("CARGO_BIN_EXE_otp");
const B32: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
const HEX: &str = "3132333435363738393031323334353637383930";

struct Dir(PathBuf);

impl Dir {
    fn new(name: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("otp-cli-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Dir(dir)
    }
    fn vault(&self) -> PathBuf {
        self.0.join("sub").join("vault.json")
    }
}

impl Drop for Dir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn otp(vault: &Path, passphrase: &str, args: &[&str]) -> Output {
    Command::new(OTP)
        .args(args)
        .env("OTP_VAULT", vault)
        .env("OTP_PASSPHRASE", passphrase)
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

fn text(o: &Output) -> String {
    String::from_utf8([o.stdout.clone(), o.stderr.clone()].concat()).unwrap()
}

/// Every spelling of the test secret: base32, hex and the raw bytes.
fn assert_no_secret(haystack: &str) {
    for needle in [B32, &B32.to_lowercase(), HEX, "12345678901234567890"] {
        assert!(!haystack.contains(needle), "a secret in: {haystack}");
    }
}

#[test]
fn accounts_in_and_out_and_never_a_secret_in_the_clear() {
    let dir = Dir::new("roundtrip");
    let v = dir.vault();
    let pass = "correct horse battery staple";
    let add = otp(&v, pass, &["add", "github", "--issuer", "GitHub", "--totp", "-b", B32]);
    assert!(add.status.success(), "{}", text(&add));
    assert!(otp(&v, pass, &["add", "bank", HEX, "-c", "3"]).status.success());
    let uri = format!("otpauth://totp/ACME:alice?secret={B32}&issuer=ACME&digits=8");
    assert!(otp(&v, pass, &["add", "acme", &uri]).status.success());
    // A taken name is refused.
    let again = otp(&v, pass, &["add", "bank", HEX]);
    assert_eq!(again.status.code(), Some(2));
    assert!(text(&again).contains("already has an account named \"bank\""));

    let file = std::fs::read_to_string(&v).unwrap();
    assert_no_secret(&file);
    assert_eq!(std::fs::metadata(&v).unwrap().permissions().mode() & 0o777, 0o600);
    assert_eq!(std::fs::metadata(v.parent().unwrap()).unwrap().permissions().mode() & 0o777, 0o700);
    assert!(file.contains("\"algorithm\": \"argon2id\"") && file.contains("\"memory_kib\": 65536"));

    let list = otp(&v, pass, &["list"]);
    assert_eq!(stdout(&list), "github\ttotp\tgithub (GitHub)\nbank\thotp\tbank\nacme\ttotp\talice (ACME)\n");
    let json: serde_json::Value = serde_json::from_slice(&otp(&v, pass, &["list", "--json"]).stdout).unwrap();
    assert_eq!(json[2]["issuer"], "ACME");

    // Codes: the same as `otp code` computes from the key.
    let now_code = |args: &[&str]| stdout(&Command::new(OTP).args(args).output().unwrap());
    let all: serde_json::Value = serde_json::from_slice(&otp(&v, pass, &["--json"]).stdout).unwrap();
    let github = all[0]["code"].as_str().unwrap().to_owned();
    let expected = now_code(&["code", "--totp", "-b", B32]);
    let expected_next = now_code(&["code", "--totp", "-b", B32, "-N", &format!("@{}", unix_now() + 1)]);
    assert!(github == expected.trim() || github == expected_next.trim(), "{github} vs {expected}");
    assert_eq!(all[1]["code"], serde_json::Value::Null, "HOTP is not shown by the summary");
    assert_eq!(all[2]["code"].as_str().unwrap().len(), 8);

    // HOTP: each show gives the next counter's code, kept on disk.
    assert_eq!(stdout(&otp(&v, pass, &["show", "bank"])), "969429\n");
    assert_eq!(stdout(&otp(&v, pass, &["show", "bank"])), "338314\n");
    assert!(std::fs::read_to_string(&v).unwrap().contains("\"counter\": 5"));

    // Nothing secret in any output, unless asked for.
    for args in [&["list"][..], &[], &["show", "github"], &["--json"], &["show", "acme", "--json"]] {
        assert_no_secret(&text(&otp(&v, pass, args)));
    }
    let shown = text(&otp(&v, pass, &["show", "github", "--show-secret"]));
    assert!(shown.contains(&format!("secret={B32}")), "{shown}");

    assert!(otp(&v, pass, &["rm", "acme"]).status.success());
    assert_eq!(stdout(&otp(&v, pass, &["list"])).lines().count(), 2);
    let missing = otp(&v, pass, &["rm", "acme"]);
    assert_eq!((missing.status.code(), text(&missing)), (Some(2), "otp: no account named \"acme\"\n".into()));
}

#[test]
fn refusals_leave_the_vault_as_it_was() {
    let dir = Dir::new("refusals");
    let v = dir.vault();
    let none = otp(&v, "p", &["list"]);
    assert_eq!(none.status.code(), Some(2));
    assert!(text(&none).contains("no vault at"));
    assert!(otp(&v, "right passphrase", &["add", "github", "--totp", "-b", B32]).status.success());
    let before = std::fs::read(&v).unwrap();

    let wrong = otp(&v, "wrong passphrase", &["add", "other", "--totp", "-b", B32]);
    assert_eq!((wrong.status.code(), text(&wrong)), (Some(2), "otp: wrong passphrase for this vault\n".into()));
    assert_eq!(std::fs::read(&v).unwrap(), before);

    // A parameter edited in the file: the entry no longer opens (its
    // parameters are bound into the envelope), rather than giving other codes.
    let edited = String::from_utf8(before.clone()).unwrap().replace("\"digits\": 6", "\"digits\": 8");
    std::fs::write(&v, &edited).unwrap();
    let out = otp(&v, "right passphrase", &["show", "github"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out).contains("does not open: its entry was changed or damaged"), "{}", text(&out));
    std::fs::write(&v, &before).unwrap();

    // Not a vault: a clear error, and nothing written.
    std::fs::write(&v, "{}").unwrap();
    let out = otp(&v, "right passphrase", &["list"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out).contains("is not a vault file"));
    assert_eq!(std::fs::read_to_string(&v).unwrap(), "{}");
    // No temporary file is left beside the vault: only the vault and its lock file.
    let mut names: Vec<String> = std::fs::read_dir(v.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    assert_eq!(names, [".vault.json.lock", "vault.json"]);
}

#[test]
fn the_passphrase_from_a_file_and_from_a_terminal_prompt() {
    let dir = Dir::new("prompt");
    let v = dir.vault();
    let file = dir.0.join("passphrase");
    std::fs::write(&file, "from a file\nsecond line ignored\n").unwrap();
    let run = |args: &[&str]| {
        Command::new(OTP)
            .args(args)
            .arg("--passphrase-file")
            .arg(&file)
            .env("OTP_VAULT", &v)
            .env_remove("OTP_PASSPHRASE")
            .output()
            .unwrap()
    };
    assert!(run(&["add", "github", "--totp", "-b", B32]).status.success());
    assert_eq!(stdout(&run(&["list"])), "github\ttotp\tgithub\n");

    // A terminal: `script` gives otp a pty, and the passphrase is typed at
    // the prompt (not echoed); without a terminal and no other source, a
    // clear error.
    let typed = Command::new("script")
        .args(["-qec", &format!("{OTP} list --vault {}", v.display()), "/dev/null"])
        .env_remove("OTP_PASSPHRASE")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            use std::io::Write;
            // Give the prompt time to switch the terminal to no-echo.
            std::thread::sleep(std::time::Duration::from_millis(300));
            child.stdin.take().unwrap().write_all(b"from a file\n")?;
            child.wait_with_output()
        })
        .unwrap();
    let screen = String::from_utf8_lossy(&typed.stdout).replace('\r', "");
    assert!(screen.contains("Vault passphrase: "), "{screen}");
    assert!(screen.contains("github\ttotp\tgithub"), "{screen}");
    assert!(!screen.contains("from a file"), "the passphrase was echoed: {screen}");

    let no_tty = Command::new(OTP)
        .args(["list", "--vault"])
        .arg(&v)
        .env_remove("OTP_PASSPHRASE")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(no_tty.status.code(), Some(2));
    assert!(text(&no_tty).contains("no passphrase"), "{}", text(&no_tty));
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn unix_now() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs()
}

#[test]
fn concurrent_adds_all_land() {
    // Six `otp add` at once on one vault (the first of them creates it):
    // each waits for the vault's lock, reads the others' entries, and adds
    // its own. Without the lock, they read the same file and the last
    // rename wins (lost updates).
    let dir = Dir::new("concurrent");
    let vault = dir.vault();
    let children: Vec<_> = (0..6)
        .map(|i| {
            Command::new(OTP)
                .args(["add", &format!("account-{i}"), "--totp", "-b", B32])
                .env("OTP_VAULT", &vault)
                .env("OTP_PASSPHRASE", "correct horse")
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for child in children {
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    }
    let list = otp(&vault, "correct horse", &["list", "--json"]);
    assert!(list.status.success(), "{}", text(&list));
    let names: Vec<String> = serde_json::from_slice::<serde_json::Value>(&list.stdout)
        .unwrap()
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["name"].as_str().unwrap().to_owned())
        .collect();
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(sorted, (0..6).map(|i| format!("account-{i}")).collect::<Vec<_>>(), "{names:?}");
}
