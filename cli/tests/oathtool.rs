//! `otp code` and `otp verify` against Debian's `oathtool` (OATH Toolkit, an
//! independent C implementation) over 10,000 random cases: keys of 10 to 64
//! bytes in hex or base32, HOTP and TOTP with SHA1/SHA256/SHA512, 6 to 8
//! digits, time steps of 1 to 120 s, start times, times, counters and
//! windows of 0 to 10. Every case compares the codes printed with `-w`
//! (both programs print the code and the next WIDTH ones) and the verdict
//! and distance of a verification: of a code inside the window, one just
//! outside it, or a random one. `OTP_ORACLE_CASES` changes the count.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::print_stdout,
    reason = "a test"
)]

use std::{
    process::{Command, Output},
    sync::atomic::{AtomicUsize, Ordering},
    thread,
};

const OTP: &str = env!("CARGO_BIN_EXE_otp");

/// A deterministic generator for the cases (xorshift64*; test data only).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.below(hi - lo + 1)
    }
}

fn run(program: &str, args: &[String]) -> Output {
    Command::new(program).args(args).output().unwrap_or_else(|e| panic!("{program}: {e}"))
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

/// One random case: (oathtool's options, otp's options) — the same but for
/// the subcommand — and the key argument.
struct Case {
    options: Vec<String>,
    key: String,
    totp: bool,
    window: u64,
}

fn case(rng: &mut Rng) -> Case {
    let key: Vec<u8> = (0..rng.range(10, 64)).map(|_| rng.next() as u8).collect();
    let mut options = Vec::new();
    let base32 = rng.below(2) == 0;
    let key_text = if base32 {
        options.push("-b".to_owned());
        base32_padded(&key)
    } else if rng.below(2) == 0 {
        key.iter().map(|b| format!("{b:02x}")).collect()
    } else {
        key.iter().map(|b| format!("{b:02X}")).collect()
    };
    let totp = rng.below(2) == 0;
    let window = rng.range(0, 10);
    options.push(format!("--digits={}", rng.range(6, 8)));
    options.push(format!("--window={window}"));
    if totp {
        options.push(format!("--totp={}", ["SHA1", "SHA256", "SHA512"][rng.below(3) as usize]));
        let step = if rng.below(3) == 0 { [30, 60][rng.below(2) as usize] } else { rng.range(1, 120) };
        options.push(format!("--time-step-size={step}"));
        let start = rng.below(1 << 31);
        if rng.below(2) == 0 {
            options.push(format!("--start-time=@{start}"));
            options.push(format!("--now=@{}", start + rng.below(1 << 33)));
        } else {
            options.push(format!("--now=@{}", rng.below(1 << 34)));
        }
    } else {
        options.push(format!("--counter={}", rng.below(1 << 40)));
    }
    Case { options, key: key_text, totp, window }
}

/// RFC 4648 base32 with padding, as oathtool reads it (test data only).
fn base32_padded(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let mut out = String::new();
    for chunk in bytes.chunks(5) {
        let mut block = [0u8; 5];
        block[..chunk.len()].copy_from_slice(chunk);
        let n = block.iter().fold(0u64, |acc, b| (acc << 8) | u64::from(*b));
        let chars = (chunk.len() * 8).div_ceil(5);
        for i in 0..8 {
            if i < chars {
                out.push(ALPHABET[((n >> (35 - 5 * i)) & 31) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Checks one case: whether the verification accepted, or a description of
/// the first disagreement.
fn check(rng: &mut Rng, c: &Case) -> Result<bool, String> {
    let oath_gen: Vec<String> = [c.options.clone(), vec![c.key.clone()]].concat();
    let ours_gen: Vec<String> = [vec!["code".to_owned()], oath_gen.clone()].concat();
    let theirs = run("oathtool", &oath_gen);
    let ours = run(OTP, &ours_gen);
    if !theirs.status.success() || stdout(&theirs) != stdout(&ours) || !ours.status.success() {
        return Err(format!(
            "code {oath_gen:?}: oathtool {:?} {:?}, otp {:?} {:?}",
            theirs.status.code(),
            stdout(&theirs),
            ours.status.code(),
            String::from_utf8_lossy(&[ours.stdout.clone(), ours.stderr.clone()].concat())
        ));
    }
    // A code to verify: one of the window's, one just after it, or a random one.
    let codes: Vec<String> = stdout(&theirs).lines().map(str::to_owned).collect();
    let digits = codes[0].len();
    let candidate = match rng.below(3) {
        0 => codes[rng.below(codes.len() as u64) as usize].clone(),
        1 => {
            // The code `window + 1` steps (counters) ahead: outside the window.
            let mut wider = c.options.clone();
            wider.retain(|o| !o.starts_with("--window="));
            wider.push(format!("--window={}", c.window + 1));
            let out = run("oathtool", &[wider, vec![c.key.clone()]].concat());
            stdout(&out).lines().last().unwrap().to_owned()
        }
        _ => format!("{:0digits$}", rng.below(10u64.pow(digits as u32))),
    };
    let oath_verify: Vec<String> = [c.options.clone(), vec![c.key.clone(), candidate.clone()]].concat();
    let ours_verify: Vec<String> = [vec!["verify".to_owned()], oath_verify.clone()].concat();
    let theirs = run("oathtool", &oath_verify);
    let ours = run(OTP, &ours_verify);
    // oathtool exits 0 with the distance, or 2 ("not found"); otp exits 0 or 1.
    let theirs_accepted = theirs.status.success();
    let ours_accepted = ours.status.success();
    if theirs_accepted != ours_accepted
        || (theirs_accepted && stdout(&theirs) != stdout(&ours))
        || (!ours_accepted && ours.status.code() != Some(1))
    {
        return Err(format!(
            "verify {oath_verify:?} (totp: {}): oathtool {:?} {:?}, otp {:?} {:?}",
            c.totp,
            theirs.status.code(),
            stdout(&theirs),
            ours.status.code(),
            stdout(&ours)
        ));
    }
    Ok(ours_accepted)
}

#[test]
fn oathtool_and_otp_agree_on_every_code_and_verdict() {
    let cases: usize = std::env::var("OTP_ORACLE_CASES").map_or(10_000, |n| n.parse().unwrap());
    assert!(
        Command::new("oathtool").arg("--version").output().is_ok_and(|o| o.status.success()),
        "oathtool is missing: run the tests through `make cli-test` (apt-get install oathtool)"
    );
    let done = AtomicUsize::new(0);
    let accepted = AtomicUsize::new(0);
    let threads = thread::available_parallelism().map_or(2, |n| n.get()).min(4);
    let failures: Vec<String> = thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                let (done, accepted) = (&done, &accepted);
                scope.spawn(move || {
                    let mut rng = Rng(0x9E37_79B9_7F4A_7C15 ^ (t as u64 + 1));
                    let mut failures = Vec::new();
                    for _ in (t..cases).step_by(threads) {
                        let c = case(&mut rng);
                        match check(&mut rng, &c) {
                            Ok(ok) => _ = accepted.fetch_add(usize::from(ok), Ordering::Relaxed),
                            Err(e) if failures.len() < 5 => failures.push(e),
                            Err(_) => {}
                        }
                        done.fetch_add(1, Ordering::Relaxed);
                    }
                    failures
                })
            })
            .collect();
        handles.into_iter().flat_map(|h| h.join().unwrap()).collect()
    });
    assert!(failures.is_empty(), "disagreements (the first few): {failures:#?}");
    assert_eq!(done.load(Ordering::Relaxed), cases);
    // Both verdicts were exercised: about a third of the codes are the window's.
    let accepted = accepted.load(Ordering::Relaxed);
    assert!(accepted > cases / 5 && accepted < cases * 3 / 5, "{accepted} of {cases} accepted");
    println!("oathtool differential: {cases} cases agree ({accepted} codes accepted, {} rejected)", cases - accepted);
}
