//! The README's `console` blocks run as written: each `$ otp …` line is run
//! (by `sh`, with this build of `otp` first on PATH), and its output must be
//! the lines after it; a last line `[N]` is the exit status when not 0.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing, reason = "a test")]

use std::{path::Path, process::Command};

#[test]
fn the_readme_examples_print_what_they_say() {
    let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let bin_dir = Path::new(env!("CARGO_BIN_EXE_otp")).parent().unwrap();
    let path = format!("{}:{}", bin_dir.display(), std::env::var("PATH").unwrap_or_default());
    // A fresh vault for the vault examples, and their passphrase.
    let vault = std::env::temp_dir().join(format!("otp-readme-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&vault);
    let mut ran = 0;
    for block in readme.split("```console\n").skip(1) {
        let block = block.split("```").next().unwrap();
        let mut lines = block.lines().peekable();
        while let Some(line) = lines.next() {
            let command = line.strip_prefix("$ ").unwrap_or_else(|| panic!("not a command: {line:?}"));
            let mut expected = Vec::new();
            while let Some(next) = lines.peek().filter(|l| !l.starts_with("$ ")) {
                expected.push(*next);
                lines.next();
            }
            let status = match expected.last().and_then(|l| l.strip_prefix('[')?.strip_suffix(']')) {
                Some(code) => {
                    expected.pop();
                    code.parse::<i32>().unwrap()
                }
                None => 0,
            };
            let out = Command::new("sh")
                .arg("-c")
                .arg(command)
                .env("PATH", &path)
                .env("OTP_VAULT", vault.join("vault.json"))
                .env("OTP_PASSPHRASE", "a passphrase for the README")
                .output()
                .unwrap();
            let printed = String::from_utf8([out.stdout, out.stderr].concat()).unwrap();
            assert_eq!(printed.lines().collect::<Vec<_>>(), expected, "{command}");
            assert_eq!(out.status.code(), Some(status), "{command}");
            ran += 1;
        }
    }
    let _ = std::fs::remove_dir_all(&vault);
    assert!(ran >= 14, "{ran} commands");
}
