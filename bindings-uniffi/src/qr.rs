//! QR codes of otpauth URIs, by otp-core's `qr` module.

use otp_core::qr;
use zeroize::Zeroizing;

use crate::errors::OtpError;

/// A QR code of `data` (an otpauth URI) as SVG text.
///
/// # Errors
/// `InputTooLong` beyond the core's bound (2048 bytes); `QrEncoding` when
/// the data does not fit.
#[uniffi::export]
pub fn qr_svg(data: String) -> Result<String, OtpError> {
    let data = Zeroizing::new(data);
    Ok(qr::svg(&data)?)
}

/// A QR code of `data` (an otpauth URI) as PNG bytes.
///
/// # Errors
/// `InputTooLong` beyond the core's bound (2048 bytes); `QrEncoding` when
/// the data does not fit.
#[uniffi::export]
pub fn qr_png(data: String) -> Result<Vec<u8>, OtpError> {
    let data = Zeroizing::new(data);
    Ok(qr::png(&data)?)
}
