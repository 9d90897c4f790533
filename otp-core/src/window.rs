//! Verification windows, drift and replay protection, and the constant-time
//! scan that every verifier shares.

use subtle::{Choice, ConditionallySelectable, ConstantTimeEq};

use crate::{
    Error,
    algorithm::{Algorithm, KeyedMac},
    code::{Code, Format},
};

/// Largest `past` or `future` TOTP window, in steps. RFC 6238 §5.2 recommends
/// at most one step of network delay; ten is generous for slow-typed codes and
/// keeps a verification at 21 HMACs at most.
pub const MAX_WINDOW: u32 = 10;

/// Largest accepted clock offset of a device, in steps, whatever the window
/// and drift centre. A matched step further than this from the server's step is
/// never accepted, so the drift a caller stores (the returned
/// [`Match::offset`]) can never run away: each verification moves it by at
/// most the window, and never beyond `±MAX_DRIFT` (django-otp's drift is
/// uncapped).
pub const MAX_DRIFT: i64 = 10;

/// `drift` moved into `±`[`MAX_DRIFT`]: how a stored drift that the core
/// would refuse (written by older code, or imported from django-otp, whose
/// drift is uncapped) is read. The next accepted code stores its own offset,
/// which is always within the bound.
#[must_use]
pub const fn clamp_drift(drift: i64) -> i64 {
    if drift < -MAX_DRIFT {
        -MAX_DRIFT
    } else if drift > MAX_DRIFT {
        MAX_DRIFT
    } else {
        drift
    }
}

/// Largest HOTP look-ahead (RFC 4226 §7.4's resynchronisation parameter `s`).
pub const MAX_LOOK_AHEAD: u32 = 100;

/// Which TOTP steps a verification may accept: `past` steps before and
/// `future` steps after a centre that is the current step shifted by `drift`.
///
/// The default is one step each way around no drift, as RFC 6238 §5.2 advises.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Window {
    past: u8,
    future: u8,
    drift: i8,
}

impl Default for Window {
    fn default() -> Self {
        Window { past: 1, future: 1, drift: 0 }
    }
}

impl Window {
    /// Only the current step.
    pub const EXACT: Window = Window { past: 0, future: 0, drift: 0 };

    /// `past` steps before and `future` steps after the current step.
    ///
    /// # Errors
    /// [`Error::InvalidWindow`] when either exceeds [`MAX_WINDOW`].
    pub fn new(past: u32, future: u32) -> Result<Self, Error> {
        if past > MAX_WINDOW || future > MAX_WINDOW {
            return Err(Error::InvalidWindow);
        }
        Ok(Window { past: past as u8, future: future as u8, drift: 0 })
    }

    /// `steps` each way (pyotp's `valid_window`).
    ///
    /// # Errors
    /// [`Error::InvalidWindow`] when `steps` exceeds [`MAX_WINDOW`].
    pub fn symmetric(steps: u32) -> Result<Self, Error> {
        Self::new(steps, steps)
    }

    /// The same window centred `drift` steps from the current step: the
    /// device's known clock offset, as returned in [`Match::offset`] last time.
    ///
    /// # Errors
    /// [`Error::InvalidDrift`] when `|drift|` exceeds [`MAX_DRIFT`].
    pub fn with_drift(self, drift: i64) -> Result<Self, Error> {
        if !(-MAX_DRIFT..=MAX_DRIFT).contains(&drift) {
            return Err(Error::InvalidDrift);
        }
        Ok(Window { drift: drift as i8, ..self })
    }

    /// Steps accepted before the centre.
    #[must_use]
    pub fn past(&self) -> u32 {
        u32::from(self.past)
    }

    /// Steps accepted after the centre.
    #[must_use]
    pub fn future(&self) -> u32 {
        u32::from(self.future)
    }

    /// The same window centred on `drift` moved into `±`[`MAX_DRIFT`]
    /// ([`clamp_drift`]): for a drift read from storage.
    #[must_use]
    pub fn with_clamped_drift(self, drift: i64) -> Self {
        // `clamp_drift` is within the bound, which fits an `i8`.
        Window { drift: clamp_drift(drift) as i8, ..self }
    }

    /// The centre's offset from the current step.
    #[must_use]
    pub fn drift(&self) -> i64 {
        i64::from(self.drift)
    }
}

/// A successful TOTP verification.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Match {
    /// The time step the code belongs to. Store it as the next `last_step`:
    /// codes of this step and earlier are then refused (replay protection).
    pub step: u64,
    /// `step` minus the server's current step: the device's clock offset in
    /// steps, always within `±`[`MAX_DRIFT`]. Store it as the next drift.
    pub offset: i64,
}

/// A keyed MAC and the format of its codes: what HOTP, TOTP and Steam share.
#[derive(Clone)]
pub(crate) struct Generator {
    mac: KeyedMac,
    format: Format,
    algorithm: Algorithm,
}

impl Generator {
    pub(crate) fn new(algorithm: Algorithm, key: &[u8], format: Format) -> Self {
        Generator { mac: KeyedMac::new(algorithm, key), format, algorithm }
    }

    pub(crate) fn algorithm(&self) -> Algorithm {
        self.algorithm
    }

    pub(crate) fn format(&self) -> Format {
        self.format
    }

    #[inline]
    pub(crate) fn code(&self, counter: u64) -> Code {
        self.format.render(self.mac.truncated(counter))
    }

    /// Compares `input` with the codes of the `count` counters starting at
    /// `first` (which may lie outside `u64`: such counters never match).
    /// `eligible` says which counters may be accepted. Every candidate is
    /// computed and compared in constant time, with no early exit; the lowest
    /// eligible matching counter is returned. Nothing is allocated.
    ///
    /// The input is read once, as the number it shows (`Format::parse`), and
    /// each candidate's truncated value is reduced to the number its code
    /// shows (`Format::reduce`): comparing the numbers is comparing the codes,
    /// without writing any code out.
    pub(crate) fn scan(&self, input: &str, first: i128, count: u32, eligible: impl Fn(i128) -> bool) -> Option<u64> {
        let wanted = self.format.parse(input.as_bytes());
        let readable = Choice::from(u8::from(wanted.is_some()));
        let wanted = wanted.unwrap_or(u32::MAX);
        let mut found = Choice::from(0);
        let mut matched = 0u64;
        for i in 0..count {
            let candidate = first + i128::from(i);
            let counter = u64::try_from(candidate);
            let ok = counter.is_ok() && eligible(candidate);
            let counter = counter.unwrap_or(0);
            let shown = self.format.reduce(self.mac.truncated(counter));
            let hit = shown.ct_eq(&wanted) & readable & Choice::from(u8::from(ok)) & !found;
            matched.conditional_assign(&counter, hit);
            found |= hit;
        }
        bool::from(found).then_some(matched)
    }

    /// Compares `input` with the codes of the `count` counters starting at
    /// `first`, in constant time and in full, as [`scan`](Self::scan) does,
    /// and reports both the lowest matching counter above `floor` that
    /// `reach` allows (to accept) and the highest matching counter at or
    /// below `floor` (a replay: that code was accepted already).
    pub(crate) fn find(
        &self,
        input: &str,
        first: i128,
        count: u32,
        floor: i128,
        reach: impl Fn(i128) -> bool,
    ) -> Found {
        let wanted = self.format.parse(input.as_bytes());
        let readable = Choice::from(u8::from(wanted.is_some()));
        let wanted = wanted.unwrap_or(u32::MAX);
        let (mut accepted, mut accepted_found) = (0u64, Choice::from(0));
        let (mut replayed, mut replayed_found) = (0u64, Choice::from(0));
        for i in 0..count {
            let candidate = first + i128::from(i);
            let counter = u64::try_from(candidate);
            let usable = Choice::from(u8::from(counter.is_ok() && reach(candidate)));
            let counter = counter.unwrap_or(0);
            let hit = self.format.reduce(self.mac.truncated(counter)).ct_eq(&wanted) & readable & usable;
            let above = Choice::from(u8::from(candidate > floor));
            let accept = hit & above & !accepted_found;
            accepted.conditional_assign(&counter, accept);
            accepted_found |= accept;
            // Later (higher) replays overwrite earlier ones.
            let replay = hit & !above;
            replayed.conditional_assign(&counter, replay);
            replayed_found |= replay;
        }
        Found {
            accepted: bool::from(accepted_found).then_some(accepted),
            replayed: bool::from(replayed_found).then_some(replayed),
        }
    }

    /// The counter within `radius` of `centre` whose code is `input`,
    /// nearest to `centre` (the earlier of two as near): every candidate is
    /// computed and compared, nearest first, with no early exit.
    pub(crate) fn nearest(&self, input: &str, centre: i128, radius: u32) -> Option<u64> {
        let wanted = self.format.parse(input.as_bytes());
        let readable = Choice::from(u8::from(wanted.is_some()));
        let wanted = wanted.unwrap_or(u32::MAX);
        let (mut nearest, mut found) = (0u64, Choice::from(0));
        for distance in 0..=i128::from(radius) {
            for candidate in [centre - distance, centre + distance] {
                let counter = u64::try_from(candidate);
                let usable = Choice::from(u8::from(counter.is_ok()));
                let counter = counter.unwrap_or(0);
                let hit = self.format.reduce(self.mac.truncated(counter)).ct_eq(&wanted) & readable & usable & !found;
                nearest.conditional_assign(&counter, hit);
                found |= hit;
                if distance == 0 {
                    break;
                }
            }
        }
        bool::from(found).then_some(nearest)
    }
}

/// What [`Generator::find`] found.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Found {
    /// The lowest matching counter above the floor, within reach.
    pub(crate) accepted: Option<u64>,
    /// The highest matching counter at or below the floor.
    pub(crate) replayed: Option<u64>,
}
