//! How every server function travels: [`AppHttp`], server_fn's `Http` protocol with one shared
//! exchange in the browser and a compact format for the app.
//!
//! server_fn's own `Http<In, Out>` protocol is generic all the way down: in the browser, each
//! server function gets its own copy of sending the request, checking the status, decoding an
//! error and reading the body, inlined into every page that calls it. [`AppHttp`] keeps the
//! per-function part to what differs between functions (encoding the arguments, decoding the
//! answer) and sends every request through one [`exchange`], behind a boxed future so that the
//! compiler cannot copy it into each caller.
//!
//! The app in the browser speaks postcard (`application/x-postcard`): its arguments (a POST's
//! body; a GET keeps them in the URL, which caches key on) and the answers and errors it asks
//! for. postcard's decoders read a struct's fields in order, where JSON's must match field names,
//! so each type costs the WebAssembly a fraction of the code. Every other client (curl, the
//! black-box tests, a monitoring probe) speaks JSON, as before: the server reads a body by its
//! `Content-Type` and answers by `Accept`. The server's HTTP layer (`server/src/http.rs`) writes
//! the errors.

use crate::error::AppError;
use server_fn::codec::{Encoding, FromReq, IntoReq, IntoRes, Json};
use server_fn::error::{FromServerFnError, ServerFnErrorErr};
use server_fn::request::{ClientReq, Req};
use server_fn::response::{ClientRes, TryRes};
use server_fn::{Bytes, Protocol};
use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;

/// The media type of compact answers, asked for by the app in the browser.
pub const POSTCARD: &str = "application/x-postcard";

/// The protocol of every server function of the app: arguments in `InputEncoding` (`Json` for a
/// POST, `GetUrl` for the cacheable reads) or, in a POST's body, [`POSTCARD`]; answers and errors
/// in JSON or, when accepted, [`POSTCARD`].
pub struct AppHttp<InputEncoding>(PhantomData<InputEncoding>);

impl<InputEncoding, Input, Output, Client, Server> Protocol<Input, Output, Client, Server, AppError>
    for AppHttp<InputEncoding>
where
    Input: IntoReq<InputEncoding, Client::Request, AppError>
        + FromReq<InputEncoding, Server::Request, AppError>
        + serde::Serialize
        + serde::de::DeserializeOwned
        + Send,
    Output: IntoRes<Json, Server::Response, AppError>
        + serde::Serialize
        + serde::de::DeserializeOwned
        + Send,
    InputEncoding: Encoding,
    Client: server_fn::client::Client<AppError> + 'static,
    Client::Request: 'static,
    Server: server_fn::server::Server<AppError>,
{
    const METHOD: http::Method = InputEncoding::METHOD;

    async fn run_server<F, Fut>(
        request: Server::Request,
        server_fn: F,
    ) -> Result<Server::Response, AppError>
    where
        F: Fn(Input) -> Fut + Send,
        Fut: Future<Output = Result<Output, AppError>> + Send,
    {
        let compact = request
            .accepts()
            .is_some_and(|accepts| accepts.contains(POSTCARD));
        let compact_body = request
            .to_content_type()
            .is_some_and(|content_type| content_type.contains(POSTCARD));
        let input = if compact_body {
            let body = request.try_into_bytes().await?;
            postcard::from_bytes(&body).map_err(|error| {
                AppError::from_server_fn_error(ServerFnErrorErr::Args(error.to_string()))
            })?
        } else {
            Input::from_req(request).await?
        };
        let output = server_fn(input).await?;
        if compact {
            let data = postcard::to_allocvec(&output).map_err(unencodable)?;
            Server::Response::try_from_bytes(POSTCARD, Bytes::from(data))
        } else {
            Output::into_res(output).await
        }
    }

    fn run_client(
        path: &str,
        input: Input,
    ) -> impl Future<Output = Result<Output, AppError>> + Send {
        // A POST sends its arguments in postcard too; a GET keeps them in its URL, which caches
        // and proxies key on.
        let request = if InputEncoding::METHOD == http::Method::POST {
            postcard::to_allocvec(&input)
                .map_err(|error| {
                    AppError::from_server_fn_error(ServerFnErrorErr::Serialization(
                        error.to_string(),
                    ))
                })
                .and_then(|body| {
                    Client::Request::try_new_req_bytes(
                        path,
                        POSTCARD,
                        POSTCARD,
                        Bytes::from(body),
                        http::Method::POST,
                    )
                })
        } else {
            input.into_req(path, POSTCARD)
        };
        async move {
            let body = exchange::<Client>(request?).await?;
            postcard::from_bytes(&body).map_err(|error| {
                AppError::from_server_fn_error(ServerFnErrorErr::Deserialization(error.to_string()))
            })
        }
    }
}

/// An answer postcard cannot write (a serde feature it does not support, such as
/// `skip_serializing_if`): a logged 500, never a silently different answer.
fn unencodable(error: postcard::Error) -> AppError {
    #[cfg(feature = "ssr")]
    tracing::error!(%error, "an answer does not encode as postcard");
    #[cfg(not(feature = "ssr"))]
    let _ = error;
    AppError::Internal
}

/// A boxed exchange: the one future every server function call awaits in the browser.
type Exchange = Pin<Box<dyn Future<Output = Result<Bytes, AppError>> + Send>>;

/// Sends `request` and reads the answer's body: an error status becomes the [`AppError`] the
/// body carries; a redirect calls server_fn's redirect hook, as its own protocol does.
fn exchange<Client>(request: Client::Request) -> Exchange
where
    Client: server_fn::client::Client<AppError> + 'static,
    Client::Request: 'static,
{
    Box::pin(async move {
        let response = Client::send(request).await?;
        let status = response.status();
        let location = response.location();
        let redirected = response.has_redirect();
        let body = response.try_into_bytes().await?;
        if (400..=599).contains(&status) {
            // The server answers the app's errors in postcard too; anything else (a proxy's
            // error page) is a failure to reach the app's server.
            return Err(postcard::from_bytes(&body)
                .unwrap_or_else(|_| AppError::Network(format!("HTTP {status}"))));
        }
        if (300..=399).contains(&status) || redirected {
            server_fn::redirect::call_redirect_hook(&location);
        }
        Ok(body)
    })
}
