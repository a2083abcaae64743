//! The load generator of `scripts/bench-finder.sh`: keeps CONNECTIONS keep-alive HTTP/1.1
//! connections busy with GETs, back to back, against a running server, and prints requests per
//! second and latency percentiles for the static page and for realistic public finder searches
//! (Tokyo, with and without a municipality, later pages by cursor), each without
//! `If-None-Match` (uncached).
//!
//! `cargo run --release -p server --example bench_finder -- --help`

use app::api::{FinderChoices, FinderQuery, FinderResult, FinderSearch};
use clap::Parser;
use http_body_util::{BodyExt, Empty};
use hyper::body::Bytes;
use hyper::client::conn::http1;
use hyper::{header, Request, StatusCode};
use hyper_util::rt::TokioIo;
use std::time::{Duration, Instant};
use tokio::net::TcpStream;

/// Load generator for the public finder.
#[derive(Parser)]
struct Args {
    /// The server, e.g. 127.0.0.1:3000.
    #[arg(long, default_value = "127.0.0.1:3000")]
    server: String,
    /// Connections kept busy at once.
    #[arg(long, default_value_t = 64)]
    connections: usize,
    /// Seconds measured per scenario.
    #[arg(long, default_value_t = 10.0)]
    seconds: f64,
    /// Seconds of load before measuring (not counted).
    #[arg(long, default_value_t = 2.0)]
    warmup: f64,
    /// Also measure a search whose client accepts compressed answers (`br, gzip`), as browsers
    /// and CDNs do.
    #[arg(long)]
    compressed: bool,
    /// Only the lines whose name contains this (e.g. `first page`), to profile one of them.
    #[arg(long)]
    only: Option<String>,
}

/// What one scenario measured.
#[derive(Default)]
struct Measured {
    latencies_us: Vec<u32>,
    bytes: u64,
    failures: u64,
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let tokyo = FinderQuery {
        prefecture: 13,
        ..FinderQuery::default()
    };
    let choices: FinderChoices = serde_json::from_slice(
        &get_once(&args.server, "/api/finder_options?prefecture=13").await?,
    )?;
    let municipalities: Vec<String> = choices
        .municipalities
        .iter()
        .map(|m| {
            search_path(&FinderQuery {
                municipality: m.value.clone(),
                ..tokyo.clone()
            })
        })
        .collect::<anyhow::Result<_>>()?;
    let later_pages = later_pages(&args.server, &tokyo).await?;
    let first_page = vec![search_path(&tokyo)?];
    let mut scenarios: Vec<(String, Vec<String>, Option<&str>)> = vec![
        (
            "static page: GET /login (index.html)".into(),
            vec!["/login".into()],
            None,
        ),
        ("search: Tokyo, first page".into(), first_page.clone(), None),
        (
            format!(
                "search: Tokyo, one municipality ({} in turn)",
                municipalities.len()
            ),
            municipalities,
            None,
        ),
        (
            format!(
                "search: Tokyo, later pages by cursor ({} in turn)",
                later_pages.len()
            ),
            later_pages,
            None,
        ),
    ];
    if args.compressed {
        scenarios.push((
            "search: Tokyo, first page, Accept-Encoding: br, gzip".into(),
            first_page,
            Some("br, gzip"),
        ));
    }
    println!(
        "{} connections, {} s measured after {} s of warm-up per line; no If-None-Match",
        args.connections, args.seconds, args.warmup
    );
    println!(
        "{:<58} {:>10} {:>9} {:>9} {:>9} {:>10} {:>6}",
        "", "requests/s", "p50 ms", "p99 ms", "max ms", "bytes/answer", "failed"
    );
    let chosen = scenarios.into_iter().filter(|(name, _, _)| {
        args.only
            .as_ref()
            .is_none_or(|only| name.contains(only.as_str()))
    });
    for (name, paths, encoding) in chosen {
        let measured = load(&args, &paths, encoding).await?;
        let mut latencies = measured.latencies_us;
        latencies.sort_unstable();
        let count = latencies.len().max(1);
        let percentile = |p: f64| {
            let index = ((count as f64 * p).ceil() as usize).clamp(1, count) - 1;
            f64::from(latencies.get(index).copied().unwrap_or_default()) / 1000.0
        };
        println!(
            "{:<58} {:>10.0} {:>9.1} {:>9.1} {:>9.1} {:>10} {:>6}",
            name,
            latencies.len() as f64 / args.seconds,
            percentile(0.50),
            percentile(0.99),
            percentile(1.0),
            measured.bytes / count as u64,
            measured.failures
        );
    }
    Ok(())
}

/// The path and query of a `finder_search` GET, encoded as the browser's client encodes it.
fn search_path(query: &FinderQuery) -> anyhow::Result<String> {
    let args = FinderSearch {
        query: query.clone(),
    };
    Ok(format!(
        "/api/finder_search?{}",
        serde_qs::to_string(&args)?
    ))
}

/// The paths of every page of `query` after the first, following the cursors.
async fn later_pages(server: &str, query: &FinderQuery) -> anyhow::Result<Vec<String>> {
    let mut paths = Vec::new();
    let mut page: FinderResult =
        serde_json::from_slice(&get_once(server, &search_path(query)?).await?)?;
    while let Some(cursor) = page.next.take() {
        let path = search_path(&query.after(cursor))?;
        page = serde_json::from_slice(&get_once(server, &path).await?)?;
        paths.push(path);
    }
    anyhow::ensure!(
        !paths.is_empty(),
        "the search has a single page: load the national data set"
    );
    Ok(paths)
}

/// One GET on a new connection; its body (which must be a 200).
async fn get_once(server: &str, path: &str) -> anyhow::Result<Bytes> {
    let mut sender = connect(server).await?;
    let (status, body) = send(&mut sender, server, path, None).await?;
    anyhow::ensure!(status == StatusCode::OK, "GET {path}: {status}");
    Ok(body)
}

async fn connect(server: &str) -> anyhow::Result<http1::SendRequest<Empty<Bytes>>> {
    let stream = TcpStream::connect(server).await?;
    stream.set_nodelay(true)?;
    let (sender, connection) = http1::handshake(TokioIo::new(stream)).await?;
    tokio::spawn(connection);
    Ok(sender)
}

async fn send(
    sender: &mut http1::SendRequest<Empty<Bytes>>,
    server: &str,
    path: &str,
    encoding: Option<&str>,
) -> anyhow::Result<(StatusCode, Bytes)> {
    let mut request = Request::get(path).header(header::HOST, server);
    if let Some(encoding) = encoding {
        request = request.header(header::ACCEPT_ENCODING, encoding);
    }
    sender.ready().await?;
    let response = sender.send_request(request.body(Empty::new())?).await?;
    let status = response.status();
    Ok((status, response.into_body().collect().await?.to_bytes()))
}

/// Keeps `args.connections` connections busy with `paths` in turn; measures after the warm-up.
async fn load(args: &Args, paths: &[String], encoding: Option<&str>) -> anyhow::Result<Measured> {
    let start = Instant::now();
    let measure_from = start + Duration::from_secs_f64(args.warmup);
    let end = measure_from + Duration::from_secs_f64(args.seconds);
    let mut tasks = tokio::task::JoinSet::new();
    for connection in 0..args.connections {
        let server = args.server.clone();
        let paths = paths.to_vec();
        let encoding = encoding.map(str::to_string);
        tasks.spawn(async move {
            let mut measured = Measured::default();
            let mut sender = connect(&server).await?;
            let mut turn = connection;
            loop {
                let path = &paths[turn % paths.len()];
                turn += 1;
                let sent = Instant::now();
                let (status, body) = send(&mut sender, &server, path, encoding.as_deref()).await?;
                let done = Instant::now();
                if done >= end {
                    return anyhow::Ok(measured);
                }
                if sent >= measure_from {
                    if status == StatusCode::OK {
                        let micros = (done - sent).as_micros();
                        measured
                            .latencies_us
                            .push(u32::try_from(micros).unwrap_or(u32::MAX));
                        measured.bytes += body.len() as u64;
                    } else {
                        measured.failures += 1;
                    }
                }
            }
        });
    }
    let mut total = Measured::default();
    while let Some(result) = tasks.join_next().await {
        let measured = result??;
        total.latencies_us.extend(measured.latencies_us);
        total.bytes += measured.bytes;
        total.failures += measured.failures;
    }
    Ok(total)
}
