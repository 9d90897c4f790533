//! QR renderings decode back to the exact URI.
#![cfg(feature = "qr")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing, missing_docs)]

use otp_core::{Error, OtpAuth, Secret, qr};

fn uri() -> String {
    let secret = Secret::from_base32("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP").unwrap();
    OtpAuth::totp(secret, "alice@example.com").with_issuer("ACME Co — Ünïcode & more").to_uri().unwrap()
}

fn decode_png(png: &[u8]) -> String {
    let decoder = png::Decoder::new(std::io::Cursor::new(png));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    assert_eq!(info.color_type, png::ColorType::Grayscale);
    let (w, h) = (info.width as usize, info.height as usize);
    let mut img = rqrr::PreparedImage::prepare_from_greyscale(w, h, |x, y| buf[y * w + x]);
    let grids = img.detect_grids();
    assert_eq!(grids.len(), 1, "one QR code in the image");
    grids[0].decode().unwrap().1
}

#[test]
fn png_decodes_to_the_uri() {
    let uri = uri();
    let png = qr::png(&uri).unwrap();
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
    assert_eq!(decode_png(&png), uri);
}

#[test]
fn data_uri_is_the_png_in_base64() {
    use base64::Engine;
    let uri = uri();
    let data = qr::png_data_uri(&uri).unwrap();
    let b64 = data.strip_prefix("data:image/png;base64,").unwrap();
    let png = base64::engine::general_purpose::STANDARD.decode(b64).unwrap();
    assert_eq!(png, qr::png(&uri).unwrap());
    assert_eq!(decode_png(&png), uri);
}

#[test]
fn svg_data_uri_is_the_svg_in_base64() {
    use base64::Engine;
    let uri = uri();
    let data = qr::svg_data_uri(&uri).unwrap();
    let b64 = data.strip_prefix("data:image/svg+xml;base64,").unwrap();
    let svg = base64::engine::general_purpose::STANDARD.decode(b64).unwrap();
    assert_eq!(String::from_utf8(svg).unwrap(), qr::svg(&uri).unwrap());
    assert_eq!(qr::svg_data_uri(&"x".repeat(5000)), Err(Error::InputTooLong));
}

/// The SVG's dark modules (the `qrcode` crate's path: one
/// `M{x} {y}h{w}v{h}H{x}V{y}` rectangle per run), re-read as a grid of
/// `size` × `size` modules, the quiet zone included.
fn svg_modules(svg: &str) -> (usize, Vec<bool>) {
    let size: usize = svg.split("viewBox=\"0 0 ").nth(1).unwrap().split(' ').next().unwrap().parse().unwrap();
    let mut dark = vec![false; size * size];
    let path = svg.split(" d=\"").nth(1).unwrap().trim_end_matches("\"/></svg>");
    for run in path.split('M').filter(|r| !r.is_empty()) {
        let (xy, rest) = run.split_once('h').unwrap();
        let (x, y) = xy.split_once(' ').unwrap();
        let (w, rest) = rest.split_once('v').unwrap();
        let h = rest.split('H').next().unwrap();
        let (x, y, w, h): (usize, usize, usize, usize) =
            (x.parse().unwrap(), y.parse().unwrap(), w.parse().unwrap(), h.parse().unwrap());
        for dy in 0..h {
            for dx in 0..w {
                dark[(y + dy) * size + x + dx] = true;
            }
        }
    }
    (size, dark)
}

/// The PNG draws exactly the SVG's modules, each PNG_MODULE_PX square,
/// with a light quiet zone of QUIET_ZONE modules on every side.
#[test]
fn png_draws_the_svg_modules() {
    let uri = uri();
    let (size, dark) = svg_modules(&qr::svg(&uri).unwrap());
    let png = qr::png(&uri).unwrap();
    let mut reader = png::Decoder::new(std::io::Cursor::new(png)).read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    let m = qr::PNG_MODULE_PX;
    assert_eq!((info.width as usize, info.height as usize), (size * m, size * m));
    for y in 0..size * m {
        for x in 0..size * m {
            let want = if dark[(y / m) * size + x / m] { 0 } else { 255 };
            assert_eq!(buf[y * size * m + x], want, "pixel ({x}, {y})");
        }
    }
    let q = qr::QUIET_ZONE;
    for i in 0..size {
        for j in (0..q).chain(size - q..size) {
            assert!(!dark[i * size + j] && !dark[j * size + i], "quiet zone at ({i}, {j})");
        }
    }
}

#[test]
fn svg_and_terminal_have_the_symbol() {
    let uri = uri();
    let svg = qr::svg(&uri).unwrap();
    assert!(svg.starts_with("<svg "), "no XML declaration: it is inlined in HTML");
    let tag = &svg[..svg.find('>').unwrap()];
    assert!(tag.contains("xmlns=\"http://www.w3.org/2000/svg\""));
    assert!(!tag.contains(" width=") && !tag.contains(" height="), "no fixed size: {tag}");
    assert!(svg.ends_with("</svg>"));
    assert!(svg.contains("role=\"img\" aria-label=\"QR code\""));
    let (size, dark) = svg_modules(&svg);
    let scale = 4;
    let px = size * scale;
    let mut img =
        rqrr::PreparedImage::prepare_from_greyscale(
            px,
            px,
            |x, y| if dark[(y / scale) * size + x / scale] { 0 } else { 255 },
        );
    assert_eq!(img.detect_grids()[0].decode().unwrap().1, uri);

    let text = qr::terminal(&uri).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), size.div_ceil(2));
    assert!(lines.iter().all(|l| l.chars().count() == size));
    // The quiet zone is light, so drawn as full blocks.
    assert!(lines[0].chars().all(|c| c == '█'));
}

#[test]
fn overlong_input_is_refused() {
    assert_eq!(qr::png(&"x".repeat(2049)), Err(Error::InputTooLong));
    // MAX_URI_LEN itself fits (version 40 at level M holds 2,331 bytes).
    assert!(qr::svg(&"x".repeat(2048)).unwrap().starts_with("<svg "));
    assert_eq!(qr::svg(&"x".repeat(2049)), Err(Error::InputTooLong));
}
