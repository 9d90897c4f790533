//! The `uniffi-bindgen` command of this crate's UniFFI version (feature `cli`).

fn main() {
    uniffi::uniffi_bindgen_main()
}
