//! The HTTP surface: server functions under /api, the built frontend (hashed assets cached for a
//! year and sent pre-compressed), compression of the rest, cross-site request refusal and security
//! headers.

use crate::security::client_ip;
use crate::service::{RequestBackend, RequestClient, ResponseChanges};
use crate::state::AppState;
use app::api::protocol::POSTCARD;
use app::error::AppError;
use axum::body::Body;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::any;
use axum::Router;
use http_body_util::BodyExt;
use sha2::Digest;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use tower_http::compression::{CompressionLayer, CompressionLevel};
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;

/// Content-Security-Policy: scripts only from this origin (the WASM loader is an external
/// module, so no inline script is needed), WebAssembly compilation allowed, no framing.
const CSP: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; \
    img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; \
    form-action 'self'; frame-ancestors 'none'";

/// The compression of answers made per request (server functions, `index.html`). Brotli's own
/// default, quality 11, is meant for files compressed once: per request it costs more CPU than
/// the search it compresses (the finder bench: 998 compressed searches/s against 2,687
/// uncompressed). Level 4 is the usual choice for dynamic content (brotli and gzip alike).
const DYNAMIC_COMPRESSION: CompressionLevel = CompressionLevel::Precise(4);

/// Builds the router.
pub fn router(state: AppState) -> Router {
    let assets = tower::ServiceBuilder::new()
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("public, max-age=31536000, immutable"),
        ))
        // The compression layer adds this only to what it compresses itself; a shared cache
        // must not hand the brotli copy to a browser that did not ask for it.
        .layer(SetResponseHeaderLayer::if_not_present(
            header::VARY,
            HeaderValue::from_static("accept-encoding"),
        ))
        // The build writes a .br (brotli quality 11) and a .gz beside every asset: sent as they
        // are, smaller than the compression layer's per-request brotli and without its CPU cost.
        .service(
            ServeDir::new(state.config.dist_dir.join("assets"))
                .precompressed_br()
                .precompressed_gzip(),
        );
    let https = state.config.is_https();
    let router = Router::new()
        // The body is limited per function by `limited_body` before server_fn reads it; axum's own
        // 2 MB default would otherwise refuse an attachment as unreadable (400).
        .route(
            "/api/{*function}",
            any(server_function).layer(axum::extract::DefaultBodyLimit::disable()),
        )
        .route("/files/{id}", axum::routing::get(download_file))
        .nest_service("/assets", assets)
        .fallback(index)
        .layer(middleware::from_fn(security_headers));
    // Behind HTTPS, browsers are told to never try plain HTTP again (a first visit over HTTP
    // could be intercepted and downgraded).
    let router = if https {
        router.layer(SetResponseHeaderLayer::overriding(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000; includeSubDomains"),
        ))
    } else {
        router
    };
    router
        .layer(CompressionLayer::new().quality(DYNAMIC_COMPRESSION))
        .with_state(state)
}

/// The largest request body a server function takes (every form of the app is far smaller).
pub const MAX_BODY_BYTES: usize = 2 * 1024 * 1024;

/// The largest request body of the functions that carry a file: a video of 100 MB as base64
/// (JSON clients) with room for the rest of the form.
pub const MAX_UPLOAD_BODY_BYTES: usize = 140 * 1024 * 1024;

/// The body limit of the server function at `path`.
fn body_limit(path: &str) -> usize {
    match path {
        "/api/upload_article_file" | "/api/send_inquiry" | "/api/follow_up_inquiry" => {
            MAX_UPLOAD_BODY_BYTES
        }
        _ => MAX_BODY_BYTES,
    }
}

fn error_response(error: &AppError, compact: bool) -> Response {
    let status =
        StatusCode::from_u16(error.status_code()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let (content_type, body) = encode_error(error, compact);
    (status, [(header::CONTENT_TYPE, content_type)], body).into_response()
}

/// An error's body: postcard for the app in the browser (which asked for it), else JSON.
fn encode_error(error: &AppError, compact: bool) -> (&'static str, Vec<u8>) {
    if compact {
        if let Ok(body) = postcard::to_allocvec(error) {
            return (POSTCARD, body);
        }
    }
    (
        "application/json",
        serde_json::to_vec(error).unwrap_or_default(),
    )
}

/// True when the caller asked for postcard answers (the app in the browser).
fn accepts_postcard(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|accept| accept.contains(POSTCARD))
}

/// True when the request comes from a page of another site. Browsers send `Sec-Fetch-Site`
/// (and `Origin` on every POST); clients that send neither are not browsers, so they carry no
/// ambient cookies of a victim and are not a cross-site-request risk.
fn is_cross_site(headers: &HeaderMap, public_url: &str) -> bool {
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        return !matches!(site, "same-origin" | "none");
    }
    if let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) {
        let host = headers
            .get(header::HOST)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        let authority = origin.split_once("://").map(|(_, a)| a).unwrap_or(origin);
        return !(origin == public_url || authority == host);
    }
    false
}

async fn server_function(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    request: Request,
) -> Response {
    let path = request.uri().path().to_string();
    let public = cache_policy(&path) == CachePolicy::Public;
    let compact = accepts_postcard(request.headers());
    let method = if public { Method::GET } else { Method::POST };
    if request.method() != method {
        return (
            StatusCode::METHOD_NOT_ALLOWED,
            [(header::ALLOW, method.as_str())],
        )
            .into_response();
    }
    // A public read carries no session and changes nothing, so another site gains nothing by
    // making a browser send it.
    if !public && is_cross_site(request.headers(), &state.config.public_url) {
        return error_response(&AppError::CrossSiteRequest, compact);
    }
    let Some(mut service) = server_fn::axum::get_server_fn_service(&path, method) else {
        return error_response(&AppError::NotFound, compact);
    };
    let if_none_match = request.headers().get(header::IF_NONE_MATCH).cloned();
    let request = match limited_body(request, body_limit(&path)).await {
        Ok(request) => request,
        Err(error) => return error_response(&error, compact),
    };
    let headers = request.headers();
    let text = |name: header::HeaderName| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    let forwarded_for = text(header::HeaderName::from_static("x-forwarded-for"));
    let client = RequestClient {
        peer: peer.ip(),
        ip: client_ip(
            peer.ip(),
            forwarded_for.as_deref(),
            &state.config.trusted_proxies,
        ),
        host: text(header::HOST),
    };
    // A public answer is the same for everyone: it never sees the caller's cookies.
    let cookie = if public { None } else { text(header::COOKIE) };
    let changes = Arc::new(Mutex::new(ResponseChanges::default()));
    let backend = Arc::new(RequestBackend::new(
        state,
        client,
        cookie.as_deref(),
        changes.clone(),
    ));
    let response = app::backend::scope(backend, service.run(request)).await;
    let mut response = with_error_status(response, compact).await;
    if public {
        return public_answer(response, if_none_match.as_ref(), compact).await;
    }
    let headers = response.headers_mut();
    for cookie in std::mem::take(&mut changes.lock().expect("response lock").set_cookies) {
        if let Ok(value) = HeaderValue::from_str(&cookie) {
            headers.append(header::SET_COOKIE, value);
        }
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// Who may keep a server function's answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum CachePolicy {
    /// The public finder's reads (GET): the same answer for everyone, kept by browsers, CDNs and
    /// reverse proxies for [`PUBLIC_MAX_AGE_SECS`], so a peak of the public is absorbed in front
    /// of the server.
    Public,
    /// Every other function (POST): personal or a change, never kept (`no-store`).
    Private,
}

/// How long a public answer may be kept: a new reservation status shows within this time.
const PUBLIC_MAX_AGE_SECS: u32 = 30;

/// The cache policy of the server function at `path`.
fn cache_policy(path: &str) -> CachePolicy {
    match path {
        "/api/finder_options" | "/api/finder_search" => CachePolicy::Public,
        _ => CachePolicy::Private,
    }
}

/// A public answer: a 200 gets `Cache-Control: public` and an `ETag` of its body, and a request
/// that already holds that body (`If-None-Match`) gets 304 without it. Errors are not kept.
async fn public_answer(
    response: Response,
    if_none_match: Option<&HeaderValue>,
    compact: bool,
) -> Response {
    if response.status() != StatusCode::OK {
        let mut response = response;
        let headers = response.headers_mut();
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = body.collect().await.map(|b| b.to_bytes()) else {
        return error_response(&AppError::Internal, compact);
    };
    // Weak: the compression layer may send the same body in another encoding.
    let digest = sha2::Sha256::digest(&bytes);
    let etag = format!(
        "W/\"{}\"",
        data_encoding::BASE64URL_NOPAD.encode(&digest[..18])
    );
    let etag = HeaderValue::from_str(&etag).expect("base64 is a valid header value");
    parts.headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_str(&format!("public, max-age={PUBLIC_MAX_AGE_SECS}"))
            .expect("a valid header value"),
    );
    parts.headers.insert(header::ETAG, etag.clone());
    // The app in the browser asks for postcard, everyone else gets JSON: a cache keeps both.
    parts
        .headers
        .append(header::VARY, HeaderValue::from_static("accept"));
    if if_none_match.is_some_and(|tags| etag_matches(tags, &etag)) {
        parts.status = StatusCode::NOT_MODIFIED;
        parts.headers.remove(header::CONTENT_TYPE);
        parts.headers.remove(header::CONTENT_LENGTH);
        return Response::from_parts(parts, Body::empty());
    }
    Response::from_parts(parts, Body::from(bytes))
}

/// True when an `If-None-Match` list names `etag` (weak comparison) or is `*`.
fn etag_matches(if_none_match: &HeaderValue, etag: &HeaderValue) -> bool {
    let opaque = |tag: &str| tag.trim().trim_start_matches("W/").to_string();
    let Ok(list) = if_none_match.to_str() else {
        return false;
    };
    let ours = opaque(etag.to_str().unwrap_or_default());
    list.split(',')
        .any(|tag| tag.trim() == "*" || opaque(tag) == ours)
}

/// Reads the body up to `limit` bytes; a larger one is refused with 413 before any of it is
/// decoded.
async fn limited_body(request: Request, limit: usize) -> Result<Request, AppError> {
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|length| length > limit) {
        return Err(AppError::PayloadTooLarge);
    }
    let (parts, body) = request.into_parts();
    let bytes = axum::body::to_bytes(body, limit)
        .await
        .map_err(|_| AppError::PayloadTooLarge)?;
    Ok(Request::from_parts(parts, Body::from(bytes)))
}

/// server_fn 0.8 answers every error of a server function with 500 (`Res::error_response`) and
/// a body encoded by the error type's own encoder. The status is carried by that type: decode
/// the body as the [`AppError`] the function returned and answer with its
/// [`AppError::status_code`], in the representation the caller asked for. No message text is
/// read.
async fn with_error_status(response: Response, compact: bool) -> Response {
    if response.status() != StatusCode::INTERNAL_SERVER_ERROR {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let bytes = body
        .collect()
        .await
        .map(|b| b.to_bytes())
        .unwrap_or_default();
    let Ok(error) = serde_json::from_slice::<AppError>(&bytes) else {
        return Response::from_parts(parts, Body::from(bytes));
    };
    parts.status =
        StatusCode::from_u16(error.status_code()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let (content_type, body) = encode_error(&error, compact);
    parts
        .headers
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(body))
}

/// Serves index.html for every page path (the router runs in the browser). Never cached, so a
/// new deployment's hashed asset names are picked up at once.
async fn index(State(state): State<AppState>, method: Method) -> Response {
    if method != Method::GET && method != Method::HEAD {
        return StatusCode::METHOD_NOT_ALLOWED.into_response();
    }
    match tokio::fs::read_to_string(state.config.dist_dir.join("index.html")).await {
        Ok(html) => (
            [
                (header::CONTENT_TYPE, "text/html; charset=utf-8"),
                (header::CACHE_CONTROL, "no-cache"),
            ],
            html,
        )
            .into_response(),
        Err(_) => (
            StatusCode::SERVICE_UNAVAILABLE,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            "The frontend is not built. Run scripts/build-frontend.sh (or scripts/run.sh).",
        )
            .into_response(),
    }
}

async fn security_headers(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    // A downloaded file sets a stricter policy of its own (sandbox, nothing loaded).
    headers
        .entry(header::CONTENT_SECURITY_POLICY)
        .or_insert(HeaderValue::from_static(CSP));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    // The first-login link carries its token in the URL: never send it on as a referrer.
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    headers.insert(
        "cross-origin-opener-policy",
        HeaderValue::from_static("same-origin"),
    );
    response
}

/// `/files/{id}`: an uploaded file, always as a download (`Content-Disposition: attachment`) with
/// the type its content was checked to be, never sniffed (`nosniff`), never rendered as a page
/// (`sandbox`), and kept by no shared cache. Who may read it is the service's rule
/// ([`RequestBackend::download_file`]); a stranger gets 401, another's file 404.
async fn download_file(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    axum::extract::Path(id): axum::extract::Path<String>,
    headers: HeaderMap,
) -> Response {
    let Ok(id) = id.parse::<i64>() else {
        return error_response(&AppError::NotFound, false);
    };
    let text = |name: header::HeaderName| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    let client = RequestClient {
        peer: peer.ip(),
        ip: client_ip(
            peer.ip(),
            text(header::HeaderName::from_static("x-forwarded-for")).as_deref(),
            &state.config.trusted_proxies,
        ),
        host: text(header::HOST),
    };
    let changes = Arc::new(Mutex::new(ResponseChanges::default()));
    let backend = RequestBackend::new(state, client, text(header::COOKIE).as_deref(), changes);
    match backend.download_file(id).await {
        Ok((file, media_type)) => {
            let disposition = format!(
                "attachment; filename=\"{}\"; filename*=UTF-8''{}",
                ascii_file_name(&file.name),
                app::text::percent_encode(&file.name)
            );
            let mut response = (StatusCode::OK, file.content).into_response();
            let headers = response.headers_mut();
            headers.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static(media_type.mime()),
            );
            if let Ok(value) = HeaderValue::from_str(&disposition) {
                headers.insert(header::CONTENT_DISPOSITION, value);
            }
            headers.insert(
                header::CACHE_CONTROL,
                HeaderValue::from_static("private, no-store"),
            );
            headers.insert(
                header::CONTENT_SECURITY_POLICY,
                HeaderValue::from_static("sandbox; default-src 'none'"),
            );
            response
        }
        Err(error) => error_response(&error, false),
    }
}

/// A file name for the plain `filename=` parameter: ASCII without quotes or controls (the
/// `filename*` beside it carries the real name).
fn ascii_file_name(name: &str) -> String {
    let ascii: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() && c != '"' && c != '\\' || c == ' ' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if ascii.trim_matches('_').is_empty() {
        "download".into()
    } else {
        ascii
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (k, v) in pairs {
            map.insert(*k, HeaderValue::from_static(v));
        }
        map
    }

    #[test]
    fn same_origin_fetches_are_not_cross_site() {
        assert!(!is_cross_site(
            &headers(&[("sec-fetch-site", "same-origin")]),
            "http://x"
        ));
        assert!(!is_cross_site(
            &headers(&[
                ("origin", "http://127.0.0.1:3000"),
                ("host", "127.0.0.1:3000")
            ]),
            "http://x"
        ));
    }

    #[test]
    fn other_sites_are_cross_site() {
        assert!(is_cross_site(
            &headers(&[("sec-fetch-site", "cross-site")]),
            "http://x"
        ));
        assert!(is_cross_site(
            &headers(&[("sec-fetch-site", "same-site")]),
            "http://x"
        ));
        assert!(is_cross_site(
            &headers(&[
                ("origin", "https://evil.example"),
                ("host", "127.0.0.1:3000")
            ]),
            "http://x"
        ));
    }

    #[test]
    fn only_the_finders_reads_are_public() {
        assert_eq!(cache_policy("/api/finder_search"), CachePolicy::Public);
        assert_eq!(cache_policy("/api/finder_options"), CachePolicy::Public);
        for private in [
            "/api/login",
            "/api/load_site_record",
            "/api/finder_search/x",
        ] {
            assert_eq!(cache_policy(private), CachePolicy::Private, "{private}");
        }
    }

    #[test]
    fn if_none_match_compares_weakly_against_every_listed_tag() {
        let ours = HeaderValue::from_static("W/\"abc\"");
        for matching in ["W/\"abc\"", "\"abc\"", "\"x\", W/\"abc\"", "*"] {
            assert!(
                etag_matches(&HeaderValue::from_static(matching), &ours),
                "{matching}"
            );
        }
        for other in ["W/\"abd\"", "\"ab\"", ""] {
            assert!(
                !etag_matches(&HeaderValue::from_static(other), &ours),
                "{other}"
            );
        }
    }

    #[test]
    fn non_browser_clients_without_origin_are_allowed() {
        assert!(!is_cross_site(&HeaderMap::new(), "http://x"));
    }
}
