//! The Rust call the Node binding's `validate` is measured against
//! (`make bench-node` runs this first): ns per `Totp::verify` of a
//! well-formed invalid code at T = 1111111109 with a ±1 window (the fixture
//! of benches/node/compare.mjs), best of 7 runs of about 0.2 s, printed as
//! one number. Not a test: a measurement.
#![allow(clippy::unwrap_used, clippy::print_stdout, missing_docs)]

use std::{hint::black_box, time::Instant};

use otp_core::{Secret, Totp, Window};

fn main() {
    let totp = Totp::new(&Secret::from_bytes(b"12345678901234567890").unwrap());
    let window = Window::symmetric(1).unwrap();
    let code = ["000000", "111111", "222222"]
        .into_iter()
        .find(|c| totp.verify(c, 1_111_111_109, Window::symmetric(10).unwrap(), None).unwrap().is_none())
        .unwrap();
    let run = |n: u64| {
        let start = Instant::now();
        for _ in 0..n {
            black_box(totp.verify(black_box(code), black_box(1_111_111_109), window, None).unwrap());
        }
        start.elapsed().as_secs_f64()
    };
    let mut n = 1_000u64;
    while run(n) < 0.05 {
        n *= 2;
    }
    let n = (n as f64 * 0.2 / run(n)) as u64;
    let best = (0..7).map(|_| run(n) / n as f64).fold(f64::INFINITY, f64::min);
    println!("{:.0}", best * 1e9);
}
