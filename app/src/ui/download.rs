//! Files made in the browser (a report's CSV) offered for download: a `Blob`, an object URL and
//! a link with `download`, clicked for the user; no round trip to the server.

/// Offers `bytes` as a file named `name` of type `mime`; the error says, in words, what the
/// browser refused.
#[cfg(feature = "csr")]
pub fn offer(bytes: &[u8], name: &str, mime: &str) -> Result<(), String> {
    use leptos::prelude::{document, set_timeout};
    use wasm_bindgen::JsCast;
    use web_sys::js_sys::{Array, Uint8Array};
    use web_sys::{Blob, BlobPropertyBag, HtmlAnchorElement, Url};

    let failed = |e: wasm_bindgen::JsValue| format!("{e:?}");
    let parts = Array::of1(&Uint8Array::from(bytes));
    let options = BlobPropertyBag::new();
    options.set_type(mime);
    let blob = Blob::new_with_u8_array_sequence_and_options(&parts, &options).map_err(failed)?;
    let url = Url::create_object_url_with_blob(&blob).map_err(failed)?;
    let link: HtmlAnchorElement = document()
        .create_element("a")
        .map_err(failed)?
        .dyn_into()
        .map_err(|_| "no link element".to_string())?;
    link.set_href(&url);
    link.set_download(name);
    link.set_hidden(true);
    let body = document().body().ok_or("no document body")?;
    body.append_child(&link).map_err(failed)?;
    link.click();
    link.remove();
    // The download has started from the URL; it is released once the browser has read it.
    set_timeout(
        move || {
            let _ = Url::revoke_object_url(&url);
        },
        std::time::Duration::from_secs(30),
    );
    Ok(())
}

/// On the server there is no browser to download into; the pages never call this there.
#[cfg(not(feature = "csr"))]
pub fn offer(_bytes: &[u8], _name: &str, _mime: &str) -> Result<(), String> {
    Err("downloads are made in the browser".into())
}

/// The file chosen in the file input `input_id`, read whole, as an [`Upload`]; none when no file
/// is chosen or the browser could not read it.
///
/// [`Upload`]: crate::domain::help::Upload
#[cfg(feature = "csr")]
pub async fn chosen_file(input_id: &str) -> Option<crate::domain::help::Upload> {
    use leptos::prelude::document;
    use wasm_bindgen::JsCast;
    use web_sys::js_sys::Uint8Array;

    let input: web_sys::HtmlInputElement =
        document().get_element_by_id(input_id)?.dyn_into().ok()?;
    let file = input.files()?.get(0)?;
    let buffer = wasm_bindgen_futures::JsFuture::from(file.array_buffer())
        .await
        .ok()?;
    Some(crate::domain::help::Upload {
        name: file.name(),
        content: crate::domain::help::FileBytes(Uint8Array::new(&buffer).to_vec()),
    })
}

/// On the server there is no file input; the pages never call this there.
#[cfg(not(feature = "csr"))]
pub async fn chosen_file(_input_id: &str) -> Option<crate::domain::help::Upload> {
    None
}
