//! Secrets do not outlive their use in freed heap memory: a global
//! allocator scans every block freed (or moved by a reallocation) on the
//! checking thread for a secret's bytes and for its base32 text, while the
//! core parses, writes, imports, exports, seals and opens it. Values the
//! caller receives (a URI, an envelope) are the caller's to wipe; the test
//! wipes them before they are dropped, so only the core's own copies count.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing, missing_docs, unsafe_code)]

use std::{
    alloc::{GlobalAlloc, Layout, System},
    cell::Cell,
    sync::atomic::{AtomicUsize, Ordering},
};

use otp_core::{Keyring, OtpAuth, Secret, SecretPolicy, base32, migration};
use zeroize::Zeroizing;

/// The secret looked for: 20 bytes unlikely anywhere else.
const SECRET: [u8; 20] = *b"\xA7\x5C\x11otp-core-marker!x";
/// Its base32 text (checked against the encoder below).
const SECRET_B32: &str = "U5OBC33UOAWWG33SMUWW2YLSNNSXEILY";

struct Scanning;

static FOUND: AtomicUsize = AtomicUsize::new(0);

thread_local! {
    static SCANNING: Cell<bool> = const { Cell::new(false) };
}

fn scanning() -> bool {
    SCANNING.try_with(Cell::get).unwrap_or(false)
}

fn holds_secret(block: &[u8]) -> bool {
    let contains = |needle: &[u8]| block.windows(needle.len()).any(|w| w == needle);
    contains(&SECRET[..12]) || contains(&SECRET[8..]) || contains(&SECRET_B32.as_bytes()[..16])
}

/// Scans a block about to be freed.
///
/// # Safety
/// `ptr` must point to `size` readable bytes.
unsafe fn scan(ptr: *const u8, size: usize) {
    // SAFETY: the caller's contract.
    let block = unsafe { std::slice::from_raw_parts(ptr, size) };
    if holds_secret(block) {
        FOUND.fetch_add(1, Ordering::SeqCst);
    }
}

// SAFETY: forwards to the system allocator; while scanning, a reallocation
// always moves (allocate, copy, scan and free the old block), so that the
// old block is read before it is freed.
unsafe impl GlobalAlloc for Scanning {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: same contract as the caller's.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        if scanning() {
            // SAFETY: a live block of `layout.size()` bytes.
            unsafe { scan(ptr, layout.size()) };
        }
        // SAFETY: same contract as the caller's.
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if !scanning() {
            // SAFETY: same contract as the caller's.
            return unsafe { System.realloc(ptr, layout, new_size) };
        }
        // SAFETY: `new_size` is non-zero and valid for the alignment (the
        // caller's contract); both blocks are live for the copy.
        unsafe {
            let new = System.alloc(Layout::from_size_align_unchecked(new_size, layout.align()));
            if !new.is_null() {
                std::ptr::copy_nonoverlapping(ptr, new, layout.size().min(new_size));
                scan(ptr, layout.size());
                System.dealloc(ptr, layout);
            }
            new
        }
    }
}

#[global_allocator]
static GLOBAL: Scanning = Scanning;

/// How many freed blocks held the secret while `f` ran on this thread.
fn freed_with_secret(f: impl FnOnce()) -> usize {
    let before = FOUND.load(Ordering::SeqCst);
    SCANNING.with(|c| c.set(true));
    f();
    SCANNING.with(|c| c.set(false));
    FOUND.load(Ordering::SeqCst) - before
}

fn auth() -> OtpAuth {
    OtpAuth::totp(Secret::from_bytes(&SECRET).unwrap(), "alice@example.com").with_issuer("ACME")
}

/// One test function: the count is global (only the checking thread scans).
#[test]
fn no_freed_block_holds_a_secret() {
    assert_eq!(base32::encode(&SECRET), SECRET_B32);
    // The scanner sees a secret left in freed memory.
    assert_eq!(freed_with_secret(|| drop(SECRET_B32.to_string())), 1);
    assert_eq!(freed_with_secret(|| drop(Zeroizing::new(SECRET_B32.to_string()))), 0);

    let uri = Zeroizing::new(auth().to_uri().unwrap());
    let exported: Vec<Zeroizing<String>> =
        migration::to_migration_uris(&[auth()], 7).unwrap().into_iter().map(Zeroizing::new).collect();
    let cases: [(&str, &dyn Fn()); 9] = [
        ("migration export", &|| {
            drop(
                migration::to_migration_uris(&[auth()], 7).unwrap().into_iter().map(Zeroizing::new).collect::<Vec<_>>(),
            )
        }),
        // prost copied each secret into a temporary allocation, freed
        // unwiped, until the import decoded from a buffer it slices.
        ("migration import", &|| {
            let batch = migration::parse_migration_uri(&exported[0]).unwrap();
            assert_eq!(batch.entries[0].otp.secret.as_bytes(), SECRET);
        }),
        ("Secret::from_base32", &|| drop(Secret::from_base32(SECRET_B32).unwrap())),
        ("base32::encode", &|| drop(Zeroizing::new(base32::encode(&SECRET)))),
        ("OtpAuth::to_uri", &|| drop(Zeroizing::new(auth().to_uri().unwrap()))),
        ("OtpAuth::parse", &|| drop(OtpAuth::parse(&uri).unwrap())),
        ("OtpAuth::parse_lenient", &|| drop(OtpAuth::parse_lenient(&uri).unwrap())),
        ("Account::parse", &|| drop(otp_core::Account::parse(&uri, SecretPolicy::Standard).unwrap())),
        ("seal and open", &|| {
            let key = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8";
            let ring = Keyring::new([("k", key)], "k").unwrap();
            let secret = Secret::from_bytes(&SECRET).unwrap();
            let envelope = Zeroizing::new(ring.seal_with_nonce(&secret, b"ctx", &[9; 24]).unwrap());
            assert_eq!(ring.open(&envelope, b"ctx").unwrap(), secret);
        }),
    ];
    let leaks: Vec<(&str, usize)> =
        cases.iter().map(|(name, f)| (*name, freed_with_secret(f))).filter(|(_, n)| *n > 0).collect();
    assert!(leaks.is_empty(), "freed blocks holding the secret: {leaks:?}");
}
