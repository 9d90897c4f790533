//! The verify path allocates nothing: a counting global allocator proves it.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs, unsafe_code)]

use std::{
    alloc::{GlobalAlloc, Layout, System},
    cell::Cell,
    sync::atomic::{AtomicUsize, Ordering},
};

use otp_core::{AccountState, Algorithm, DeviceState, Hotp, Secret, Steam, Throttle, Totp, Verifier, Window};

struct Counting;

static ALLOCATIONS: AtomicUsize = AtomicUsize::new(0);

thread_local! {
    // Only the measuring thread counts: the test harness's own threads may
    // allocate meanwhile (a const-initialised Cell needs no allocation).
    static COUNTING: Cell<bool> = const { Cell::new(false) };
}

fn count() {
    if COUNTING.try_with(Cell::get).unwrap_or(false) {
        ALLOCATIONS.fetch_add(1, Ordering::SeqCst);
    }
}

// SAFETY: forwards to the system allocator, only counting calls.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count();
        // SAFETY: same contract as the caller's.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: same contract as the caller's.
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        count();
        // SAFETY: same contract as the caller's.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn allocations_during(f: impl FnOnce()) -> usize {
    let before = ALLOCATIONS.load(Ordering::SeqCst);
    COUNTING.with(|c| c.set(true));
    f();
    COUNTING.with(|c| c.set(false));
    ALLOCATIONS.load(Ordering::SeqCst) - before
}

// One test function only: the counter is global (though only the
// measuring thread counts).
#[test]
fn generation_and_verification_allocate_nothing() {
    let n = allocations_during(|| {
        let secret = Secret::from_base32("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ").unwrap();
        for algorithm in Algorithm::ALL {
            let totp = Totp::builder(&secret).algorithm(algorithm).digits(8).build().unwrap();
            let code = totp.at(1_111_111_109).unwrap();
            let window = Window::symmetric(10).unwrap().with_drift(-3).unwrap();
            assert!(totp.verify(code.as_str(), 1_111_111_109, Window::default(), None).unwrap().is_some());
            assert!(totp.verify("00000000", 1_111_111_109, window, Some(3)).unwrap().is_none());
            assert!(totp.verify("not a code at all", u64::MAX, window, None).unwrap().is_none());
            let hotp = Hotp::builder(&secret).algorithm(algorithm).build().unwrap();
            let c = hotp.at(u64::MAX - 1);
            assert_eq!(hotp.verify(c.as_str(), u64::MAX - 5, 100).unwrap(), Some(u64::MAX - 1));
        }
        let steam = Steam::new(&secret);
        assert!(steam.verify(steam.at(1_000).as_str(), 1_000, Window::default(), None).unwrap().is_some());
        assert_eq!(Throttle::default().retry_after(3, 10, 11), 3);
        // The decision, for every outcome.
        let verifier = Verifier::new().with_clock_diagnosis(20).unwrap();
        let totp = Totp::new(&secret);
        let (now_ms, step) = (1_111_111_109_000, 1_111_111_109 / 30);
        let fresh = DeviceState::default();
        let account = AccountState::default();
        let code = totp.at_step(step);
        let ahead = totp.at_step(step + 5);
        assert_eq!(
            verifier.check_totp(&totp, code.as_str(), now_ms, &fresh, &account).unwrap().outcome.kind(),
            "accepted"
        );
        let used = DeviceState { last_step: Some(step), ..fresh };
        assert_eq!(
            verifier.check_totp(&totp, code.as_str(), now_ms, &used, &account).unwrap().outcome.kind(),
            "replayed"
        );
        assert_eq!(
            verifier.check_totp(&totp, ahead.as_str(), now_ms, &fresh, &account).unwrap().outcome.kind(),
            "rejected"
        );
        let failing = DeviceState { failures: 3, last_failure_at_ms: Some(now_ms), ..fresh };
        assert_eq!(
            verifier.check_totp(&totp, "000000", now_ms, &failing, &account).unwrap().outcome.kind(),
            "throttled"
        );
        let locked = AccountState { failures: 10 };
        assert_eq!(verifier.check_totp(&totp, "000000", now_ms, &fresh, &locked).unwrap().outcome.kind(), "locked");
        let hotp = Hotp::new(&secret);
        assert_eq!(
            verifier.check_hotp(&hotp, hotp.at(3).as_str(), now_ms, &fresh, &account).outcome.kind(),
            "accepted"
        );
    });
    assert_eq!(n, 0, "the OTP paths allocated {n} times");
}
