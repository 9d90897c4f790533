//! QR codes of otpauth URIs: SVG text, PNG bytes, a PNG data URI and
//! terminal text, rendered by the core.

use otp_core::{Error, qr};
use pyo3::{
    prelude::*,
    types::{PyBytes, PyString},
};

use crate::{convert::text, errors::OrRaise};

/// One of the four renderings.
#[derive(Clone, Copy)]
pub(crate) enum QrKind {
    Svg,
    Png,
    DataUri,
    Terminal,
}

/// The QR code of `uri`, rendered as `kind` says.
pub(crate) fn render<'py>(py: Python<'py>, uri: &str, kind: QrKind) -> PyResult<Bound<'py, PyAny>> {
    Ok(match kind {
        QrKind::Svg => PyString::new(py, &qr::svg(uri).or_raise(py)?).into_any(),
        QrKind::Png => PyBytes::new(py, &qr::png(uri).or_raise(py)?).into_any(),
        QrKind::DataUri => PyString::new(py, &qr::png_data_uri(uri).or_raise(py)?).into_any(),
        QrKind::Terminal => PyString::new(py, &qr::terminal(uri).or_raise(py)?).into_any(),
    })
}

macro_rules! qr_function {
    ($name:ident, $kind:ident, $doc:literal) => {
        #[doc = $doc]
        #[pyfunction]
        pub(crate) fn $name<'py>(py: Python<'py>, uri: &Bound<'py, PyString>) -> PyResult<Bound<'py, PyAny>> {
            render(py, &text(uri, Error::QrEncoding)?, QrKind::$kind)
        }
    };
}

qr_function!(qr_svg, Svg, "The QR code of `uri` as an SVG image (text).");
qr_function!(qr_png, Png, "The QR code of `uri` as PNG bytes.");
qr_function!(qr_data_uri, DataUri, "The QR code of `uri` as a `data:image/png;base64,…` URI.");
qr_function!(qr_terminal, Terminal, "The QR code of `uri` as text for a terminal.");
