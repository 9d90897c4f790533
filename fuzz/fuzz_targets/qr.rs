//! QR renderings of arbitrary short text (≤ 300 bytes, to keep it fast).
//!
//! Properties:
//! * `svg`, `png`, `png_data_uri` and `terminal` succeed for every text up to
//!   300 bytes (far below a version-40 QR code's capacity) and refuse text
//!   over MAX_URI_LEN with `InputTooLong`;
//! * the three renderings draw the same matrix: the dark modules of the SVG
//!   path, of the terminal half blocks and of the decoded PNG (sampled at each
//!   module's pixels) are identical, with the 4-module quiet zone light;
//! * the size is 21 + 4k + 8 modules (a QR version plus the quiet zone);
//! * the data URI is exactly the base64 of `png()` (checked up to 64 bytes).
#![no_main]

use std::io::Cursor;

use base64::{Engine, engine::general_purpose::STANDARD};
use libfuzzer_sys::fuzz_target;
use otp_core::{Error, qr, uri::MAX_URI_LEN};

fn svg_matrix(svg: &str) -> (usize, Vec<bool>) {
    let head = "viewBox=\"0 0 ";
    let start = svg.find(head).expect("viewBox") + head.len();
    let size: usize = svg[start..].split(' ').next().expect("size").parse().expect("numeric size");
    assert!(svg.starts_with("<svg ") && svg.ends_with("\"/></svg>"));
    let tag = &svg[..svg.find('>').expect("tag")];
    assert!(!tag.contains(" width=") && !tag.contains(" height="), "no fixed size: {tag}");
    let d_start = svg.find(" d=\"").expect("path") + 4;
    let d = &svg[d_start..svg.len() - "\"/></svg>".len()];
    let mut dark = vec![false; size * size];
    for seg in d.split('M').filter(|s| !s.is_empty()) {
        // The qrcode crate's rectangle: M{x} {y}h{w}v{h}H{x}V{y}
        let (x, rest) = seg.split_once(' ').expect("x");
        let (y, rest) = rest.split_once('h').expect("y");
        let (w, rest) = rest.split_once('v').expect("w");
        let (h, rest) = rest.split_once('H').expect("h");
        let (x2, y2) = rest.split_once('V').expect("closing");
        assert_eq!((x, y), (x2, y2), "rectangle does not close: {seg:?}");
        let [x, y, w, h]: [usize; 4] = [x, y, w, h].map(|n| n.parse().expect("number"));
        assert!(w > 0 && h > 0 && x + w <= size && y + h <= size);
        for yy in y..y + h {
            for xx in x..x + w {
                assert!(!dark[yy * size + xx], "overlapping rectangles");
                dark[yy * size + xx] = true;
            }
        }
    }
    (size, dark)
}

fn terminal_matrix(text: &str, size: usize) -> Vec<bool> {
    let lines: Vec<&str> = text.split_terminator('\n').collect();
    assert_eq!(lines.len(), size.div_ceil(2));
    let mut dark = vec![false; size * size];
    for (row, line) in lines.iter().enumerate() {
        let chars: Vec<char> = line.chars().collect();
        assert_eq!(chars.len(), size);
        for (x, c) in chars.into_iter().enumerate() {
            // Light modules are drawn.
            let (top_light, bottom_light) = match c {
                '█' => (true, true),
                '▀' => (true, false),
                '▄' => (false, true),
                ' ' => (false, false),
                c => panic!("unexpected character {c:?}"),
            };
            let y = 2 * row;
            dark[y * size + x] = !top_light;
            if y + 1 < size {
                dark[(y + 1) * size + x] = !bottom_light;
            } else {
                assert!(!bottom_light, "drawn half below the last row");
            }
        }
    }
    dark
}

fn png_matrix(png: &[u8], size: usize) -> Vec<bool> {
    let decoder = png::Decoder::new(Cursor::new(png));
    let mut reader = decoder.read_info().expect("PNG header");
    let mut buf = vec![0u8; reader.output_buffer_size().expect("buffer size")];
    let info = reader.next_frame(&mut buf).expect("PNG frame");
    let px = qr::PNG_MODULE_PX;
    assert_eq!((info.width as usize, info.height as usize), (size * px, size * px));
    assert_eq!(info.color_type, png::ColorType::Grayscale);
    assert_eq!(info.bit_depth, png::BitDepth::Eight);
    let stride = info.line_size;
    let mut dark = vec![false; size * size];
    for y in 0..size {
        for x in 0..size {
            let v = buf[(y * px) * stride + x * px];
            // Every pixel of a module has the module's colour.
            let corner = buf[(y * px + px - 1) * stride + x * px + px - 1];
            assert_eq!(v, corner);
            assert!(v == 0 || v == 255);
            dark[y * size + x] = v == 0;
        }
    }
    dark
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let text = &text[..text.floor_char_boundary(300)];

    let svg = qr::svg(text).expect("short text must encode");
    let (size, from_svg) = svg_matrix(&svg);
    let modules = size - 2 * qr::QUIET_ZONE;
    assert!(modules >= 21 && (modules - 21).is_multiple_of(4) && modules <= 177, "bad size {size}");
    for y in 0..size {
        for x in 0..size {
            let quiet =
                x < qr::QUIET_ZONE || y < qr::QUIET_ZONE || x >= size - qr::QUIET_ZONE || y >= size - qr::QUIET_ZONE;
            if quiet {
                assert!(!from_svg[y * size + x], "dark module in the quiet zone");
            }
        }
    }
    // Finder pattern corner: the top-left module of the symbol is dark.
    assert!(from_svg[qr::QUIET_ZONE * size + qr::QUIET_ZONE]);

    let term = qr::terminal(text).expect("short text must encode");
    assert_eq!(terminal_matrix(&term, size), from_svg, "terminal and SVG differ");

    let png = qr::png(text).expect("short text must encode");
    assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"));
    assert_eq!(png_matrix(&png, size), from_svg, "PNG and SVG differ");

    // The data URI repeats the whole PNG encoding (the slowest step under
    // coverage instrumentation), so check it on short inputs only.
    if text.len() <= 64 {
        let uri = qr::png_data_uri(text).expect("short text must encode");
        let b64 = uri.strip_prefix("data:image/png;base64,").expect("data URI prefix");
        assert_eq!(STANDARD.decode(b64).expect("base64"), png);
    }

    // Over the length bound: refused before any encoding work.
    let mut long = String::with_capacity(MAX_URI_LEN + 1);
    while long.len() <= MAX_URI_LEN {
        long.push_str(if text.is_empty() { "x" } else { text });
    }
    assert_eq!(qr::svg(&long), Err(Error::InputTooLong));
    assert_eq!(qr::png(&long), Err(Error::InputTooLong));
    assert_eq!(qr::terminal(&long), Err(Error::InputTooLong));
    assert_eq!(qr::png_data_uri(&long), Err(Error::InputTooLong));
});
