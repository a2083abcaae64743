//! The built frontend as the browser receives it.

use crate::helpers::spawn_app_with;
use reqwest::header::{ACCEPT_ENCODING, CACHE_CONTROL, CONTENT_ENCODING, VARY};

/// A dist/ folder with one asset in the layout of scripts/build-frontend.sh: the file and its
/// .br and .gz copies (here recognisable bytes instead of real compressions, so the test sees
/// which file was sent).
fn dist_with_one_asset() -> std::path::PathBuf {
    let dist = std::env::temp_dir().join(format!("vsys-test-dist-{}", std::process::id()));
    let build = dist.join("assets/w-0123456789abcdef");
    std::fs::create_dir_all(&build).expect("create the asset folder");
    std::fs::write(
        build.join("vsys.js"),
        "export const raw = 'the file itself';".repeat(20),
    )
    .expect("write the asset");
    std::fs::write(build.join("vsys.js.br"), "brotli made at build time").expect("write .br");
    std::fs::write(build.join("vsys.js.gz"), "gzip made at build time").expect("write .gz");
    dist
}

#[tokio::test]
async fn assets_are_sent_as_compressed_at_build_time_cached_for_a_year_and_vary_by_encoding() {
    let dist = dist_with_one_asset();
    let app = spawn_app_with(|config| config.dist_dir = dist.clone()).await;
    let url = format!("{}/assets/w-0123456789abcdef/vsys.js", app.address);
    let client = reqwest::Client::new();
    for (accepted, encoding, body) in [
        ("gzip, deflate, br", Some("br"), "brotli made at build time"),
        ("gzip", Some("gzip"), "gzip made at build time"),
        (
            "identity",
            None,
            &*"export const raw = 'the file itself';".repeat(20),
        ),
    ] {
        let answer = client
            .get(&url)
            .header(ACCEPT_ENCODING, accepted)
            .send()
            .await
            .expect("asset request");
        assert_eq!(answer.status(), 200, "Accept-Encoding: {accepted}");
        let headers = answer.headers().clone();
        assert_eq!(
            headers.get(CONTENT_ENCODING).map(|v| v.to_str().unwrap()),
            encoding,
            "Accept-Encoding: {accepted}"
        );
        assert_eq!(
            headers.get(CACHE_CONTROL).map(|v| v.to_str().unwrap()),
            Some("public, max-age=31536000, immutable")
        );
        let vary: Vec<_> = headers.get_all(VARY).iter().collect();
        assert_eq!(vary, ["accept-encoding"], "Accept-Encoding: {accepted}");
        assert_eq!(
            answer.text().await.expect("body"),
            body,
            "Accept-Encoding: {accepted}"
        );
    }
    let _ = std::fs::remove_dir_all(dist);
}
