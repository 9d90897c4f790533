//! QR codes of otpauth URIs (feature `qr`): SVG, PNG, a PNG data URI, and a
//! terminal rendering.
//!
//! The `qrcode` crate encodes (error-correction level M, the byte mode it
//! picks); the renderings here are ours: every module is a square, with the
//! 4-module quiet zone that ISO/IEC 18004 requires.

use alloc::{string::String, vec::Vec};
use core::fmt::Write;

use base64::{Engine, engine::general_purpose::STANDARD};
use qrcode::{Color, EcLevel, QrCode};

use crate::{Error, uri::MAX_URI_LEN};

/// Quiet zone around the symbol, in modules (ISO/IEC 18004 §6.3.8).
pub const QUIET_ZONE: usize = 4;
/// Pixels per module in [`png()`] output.
pub const PNG_MODULE_PX: usize = 8;

struct Matrix {
    width: usize,
    dark: Vec<bool>,
}

impl Matrix {
    fn new(data: &str) -> Result<Self, Error> {
        if data.len() > MAX_URI_LEN {
            return Err(Error::InputTooLong);
        }
        let code = QrCode::with_error_correction_level(data.as_bytes(), EcLevel::M).map_err(|_| Error::QrEncoding)?;
        let width = code.width();
        let dark = code.to_colors().into_iter().map(|c| c == Color::Dark).collect();
        Ok(Matrix { width, dark })
    }

    /// Whether the module at (x, y) — in coordinates that include the quiet
    /// zone — is dark.
    fn is_dark(&self, x: usize, y: usize) -> bool {
        let (Some(x), Some(y)) = (x.checked_sub(QUIET_ZONE), y.checked_sub(QUIET_ZONE)) else {
            return false;
        };
        x < self.width && y < self.width && self.dark.get(y * self.width + x).copied().unwrap_or(false)
    }

    fn size(&self) -> usize {
        self.width + 2 * QUIET_ZONE
    }
}

/// An SVG image of the QR code of `data`, one user unit per module, scalable
/// (set its CSS width), ready to inline in HTML.
///
/// # Errors
/// [`Error::InputTooLong`] beyond [`MAX_URI_LEN`] bytes; [`Error::QrEncoding`]
/// if the data does not fit a QR code.
pub fn svg(data: &str) -> Result<String, Error> {
    let m = Matrix::new(data)?;
    let size = m.size();
    let mut out = String::with_capacity(size * size);
    let _ = write!(
        out,
        r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" shape-rendering="crispEdges" role="img" aria-label="QR code"><rect width="{size}" height="{size}" fill="#fff"/><path fill="#000" d=""##
    );
    for y in 0..size {
        let mut x = 0;
        while x < size {
            if m.is_dark(x, y) {
                let start = x;
                while x < size && m.is_dark(x, y) {
                    x += 1;
                }
                let _ = write!(out, "M{start} {y}h{}v1h-{}z", x - start, x - start);
            } else {
                x += 1;
            }
        }
    }
    out.push_str(r#""/></svg>"#);
    Ok(out)
}

/// A PNG image (8-bit greyscale, [`PNG_MODULE_PX`] pixels per module) of the
/// QR code of `data`.
///
/// # Errors
/// As [`svg`]; [`Error::QrEncoding`] if PNG encoding fails.
pub fn png(data: &str) -> Result<Vec<u8>, Error> {
    let m = Matrix::new(data)?;
    let px = m.size() * PNG_MODULE_PX;
    let mut pixels = Vec::with_capacity(px * px);
    for y in 0..px {
        for x in 0..px {
            pixels.push(if m.is_dark(x / PNG_MODULE_PX, y / PNG_MODULE_PX) { 0 } else { 255 });
        }
    }
    let side = u32::try_from(px).map_err(|_| Error::QrEncoding)?;
    let mut out = Vec::new();
    let mut encoder = ::png::Encoder::new(&mut out, side, side);
    encoder.set_color(::png::ColorType::Grayscale);
    encoder.set_depth(::png::BitDepth::Eight);
    let mut writer = encoder.write_header().map_err(|_| Error::QrEncoding)?;
    writer.write_image_data(&pixels).map_err(|_| Error::QrEncoding)?;
    writer.finish().map_err(|_| Error::QrEncoding)?;
    Ok(out)
}

/// `data:image/png;base64,…` of [`png()`], for an `<img src>`.
///
/// # Errors
/// As [`png()`].
pub fn png_data_uri(data: &str) -> Result<String, Error> {
    let png = png(data)?;
    let mut out = String::from("data:image/png;base64,");
    STANDARD.encode_string(&png, &mut out);
    Ok(out)
}

/// The QR code as text, two modules per character with the half blocks
/// `▀ ▄ █`. Light modules are drawn and dark ones left blank, as
/// `qrencode -t UTF8` does, so it scans as light text on a dark terminal.
///
/// # Errors
/// As [`svg`].
pub fn terminal(data: &str) -> Result<String, Error> {
    let m = Matrix::new(data)?;
    let size = m.size();
    let mut out = String::with_capacity(size * (size / 2 + 1) * 3);
    for y in (0..size).step_by(2) {
        for x in 0..size {
            let top = !m.is_dark(x, y);
            let bottom = y + 1 < size && !m.is_dark(x, y + 1);
            out.push(match (top, bottom) {
                (true, true) => '█',
                (true, false) => '▀',
                (false, true) => '▄',
                (false, false) => ' ',
            });
        }
        out.push('\n');
    }
    Ok(out)
}
