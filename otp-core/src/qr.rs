//! QR codes of otpauth URIs (feature `qr`): SVG, PNG, data URIs of either,
//! and a terminal rendering. Feature `qr-svg` alone leaves PNG out.
//!
//! The `qrcode` crate encodes (error-correction level M, the byte mode it
//! picks) and renders the SVG and the terminal text, with the 4-module quiet
//! zone that ISO/IEC 18004 requires. Two thin layers on its output: the SVG
//! loses its XML declaration and its fixed size (so it can be inlined in HTML
//! and scaled by CSS) and gains an accessible name; the terminal text is
//! inverted (light modules drawn), as `qrencode -t UTF8` does. The PNG is
//! drawn here (the crate's PNG renderer needs the `image` crate) with the
//! `png` crate.

#[cfg(feature = "qr")]
use alloc::vec::Vec;
use alloc::{format, string::String};

use base64::{Engine, engine::general_purpose::STANDARD};
#[cfg(feature = "qr")]
use qrcode::Color;
use qrcode::{
    EcLevel, QrCode,
    render::{svg, unicode::Dense1x2},
};

use crate::{Error, uri::MAX_URI_LEN};

/// Quiet zone around the symbol, in modules (ISO/IEC 18004 §6.3.8).
pub const QUIET_ZONE: usize = 4;
/// Pixels per module in [`png()`] output.
#[cfg(feature = "qr")]
pub const PNG_MODULE_PX: usize = 8;

fn encode(data: &str) -> Result<QrCode, Error> {
    if data.len() > MAX_URI_LEN {
        return Err(Error::InputTooLong);
    }
    QrCode::with_error_correction_level(data.as_bytes(), EcLevel::M).map_err(|_| Error::QrEncoding)
}

#[cfg(feature = "qr")]
struct Matrix {
    width: usize,
    dark: Vec<bool>,
}

#[cfg(feature = "qr")]
impl Matrix {
    fn new(data: &str) -> Result<Self, Error> {
        let code = encode(data)?;
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
        // Past the last row, `get` finds nothing: only the column needs a bound.
        x < self.width && self.dark.get(y * self.width + x).copied().unwrap_or(false)
    }

    fn size(&self) -> usize {
        self.width + 2 * QUIET_ZONE
    }
}

/// An SVG image of the QR code of `data`, one user unit per module, with no
/// fixed size (set its CSS width), ready to inline in HTML: the `qrcode`
/// crate's rendering without its XML declaration and `width`/`height`, with
/// `role="img"` and `aria-label="QR code"`.
///
/// # Errors
/// [`Error::InputTooLong`] beyond [`MAX_URI_LEN`] bytes; [`Error::QrEncoding`]
/// if the data does not fit a QR code.
pub fn svg(data: &str) -> Result<String, Error> {
    let code = encode(data)?;
    let rendered = code.render::<svg::Color<'_>>().quiet_zone(true).module_dimensions(1, 1).build();
    let size = code.width() + 2 * QUIET_ZONE;
    let start = rendered.find("<svg").ok_or(Error::QrEncoding)?;
    let fixed_size = format!(r#" width="{size}" height="{size}""#);
    let svg = rendered.get(start..).ok_or(Error::QrEncoding)?.replacen(&fixed_size, "", 1);
    Ok(svg.replacen("<svg ", r#"<svg role="img" aria-label="QR code" "#, 1))
}

/// A PNG image (8-bit greyscale, [`PNG_MODULE_PX`] pixels per module) of the
/// QR code of `data`.
///
/// # Errors
/// As [`svg()`]; [`Error::QrEncoding`] if PNG encoding fails.
#[cfg(feature = "qr")]
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
#[cfg(feature = "qr")]
pub fn png_data_uri(data: &str) -> Result<String, Error> {
    let png = png(data)?;
    let mut out = String::from("data:image/png;base64,");
    STANDARD.encode_string(&png, &mut out);
    Ok(out)
}

/// `data:image/svg+xml;base64,…` of [`svg()`], for an `<img src>` (every
/// browser renders it; the same QR code as [`png_data_uri()`], in fewer
/// bytes, and without the PNG encoder).
///
/// # Errors
/// As [`svg()`].
pub fn svg_data_uri(data: &str) -> Result<String, Error> {
    let svg = svg(data)?;
    let mut out = String::from("data:image/svg+xml;base64,");
    STANDARD.encode_string(svg.as_bytes(), &mut out);
    Ok(out)
}

/// The QR code as text, two modules per character with the half blocks
/// `▀ ▄ █` (the `qrcode` crate's `Dense1x2`), one line per two rows, each
/// ending in `\n`. Light modules are drawn and dark ones left blank, as
/// `qrencode -t UTF8` does, so it scans as light text on a dark terminal.
///
/// # Errors
/// As [`svg()`].
pub fn terminal(data: &str) -> Result<String, Error> {
    let code = encode(data)?;
    let rendered = code
        .render::<Dense1x2>()
        .quiet_zone(true)
        .module_dimensions(1, 1)
        .dark_color(Dense1x2::Light)
        .light_color(Dense1x2::Dark)
        .build();
    let mut out = String::with_capacity(rendered.len() + rendered.len() / 32 + 1);
    for line in rendered.lines() {
        out.push_str(line);
        out.push('\n');
    }
    Ok(out)
}
