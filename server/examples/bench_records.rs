//! The write-path bench of `scripts/bench-records.sh` (issue 10 §4, the national evening peak):
//! starts the real server in-process (`server::build_state` + `server::serve` on a free port,
//! the production pool and durability settings of `server/src/db.rs`) on a fresh database
//! (DATABASE_URL, SQLite or PostgreSQL), and then:
//!
//! 1. seeds three equal sets of sites (not timed): each site handles pfizer, holds a lot with
//!    enough vials for every day of the run, and has its own site user with a password;
//! 2. logs every site of the first set in through the real login flow over HTTP: password, then
//!    the code the server e-mailed (read from the outbox table, where a server without SMTP keeps
//!    its mail), as a browser the server has not seen before;
//! 3. **bare limit, sequential**: the rows one registration writes (the record, the stock
//!    movement with its balance, the audit row), one transaction per record, by a plain loop over
//!    the server's own pool, for the second set;
//! 4. **the server**: `clients` concurrent clients (one HTTP connection each, each owning
//!    distinct sites, so no two write the same site and day) call `register_records` over HTTP
//!    with JSON, as any non-browser client does, one site's day per request, day after day;
//! 5. **bare limit, concurrent**: step 3 again from `clients` concurrent tasks, for the third
//!    set.
//!
//! It prints records/s, p50 and p99 latency for each, and the server's rate as a share of the
//! higher of the two bare rates (on SQLite the one writer makes the sequential loop the faster;
//! PostgreSQL commits concurrent transactions together, so there the concurrent one is).
//!
//! The only setting relaxed for the bench is the per-address rate limit of the login endpoints
//! (every simulated site logs in from 127.0.0.1 within seconds; at the real peak each site has
//! its own address). The server runs on a multi-threaded runtime of its own, as `vsys serve`
//! does; the clients run on one thread beside it, on the same cores.
//!
//! `DATABASE_URL=sqlite:///tmp/x.db cargo run --release -p server --example bench_records -- --help`

use app::api::LoginOutcome;
use app::domain::{jst_date, MovementKind, NewLot, RecordForm, Tally, TallyForm};
use chrono::{DateTime, NaiveDate, TimeDelta, Utc};
use clap::Parser;
use serde_json::json;
use server::clock::{Clock, SystemClock};
use server::config::{Config, MailConfig};
use server::db::audit::{self, Actor, Change};
use server::db::records::{self, NewRecord};
use server::db::stock::{self, Movement};
use server::db::{master, policy, supply, users, Db, DbKind};
use server::security::hash_password;
use server::service::SESSION_COOKIE;
use sqlx::AnyPool;
use std::sync::Arc;
use std::time::{Duration, Instant};

// As in `vsys serve` (main.rs).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The password of every bench site user.
const PASSWORD: &str = "an evening of many vaccinations";
/// The vaccine every bench site registers.
const VACCINE: &str = "pfizer";
/// People vaccinated per site and day: about the peak's 1.7 million doses over 70,000 sites.
const PEOPLE_PER_DAY: u32 = 24;
/// Vials a day takes (6 doses a vial).
const VIALS_PER_DAY: i64 = 4;

/// Write-path bench: the national evening peak of 接種実績.
#[derive(Parser)]
struct Args {
    /// Sites logged in and registering over HTTP (as many again are seeded for each bare loop).
    #[arg(long, default_value_t = 1_000)]
    sites: usize,
    /// Days each site registers, one request each, oldest first.
    #[arg(long, default_value_t = 10)]
    days: usize,
    /// Concurrent clients (and tasks of the concurrent bare loop).
    #[arg(long, default_value_t = 64)]
    clients: usize,
}

/// One seeded site and its user.
#[derive(Clone, Debug)]
struct Site {
    id: i64,
    user_id: i64,
    login_id: String,
    email: String,
    lot_id: i64,
}

/// What one line measured.
struct Measured {
    latencies: Vec<Duration>,
    elapsed: Duration,
    failures: usize,
}

fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    anyhow::ensure!(
        args.sites >= args.clients && args.clients > 0 && args.days > 0,
        "need at least one site per client, and a day"
    );
    let url = std::env::var("DATABASE_URL")?;
    // A key for this run only (before any other thread starts), instead of data/totp.key.
    let key = data_encoding::HEXLOWER.encode(&server::security::random_bytes::<32>());
    std::env::set_var("VSYS_TOTP_KEY", key);
    let server_runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let client_runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;

    let started = Instant::now();
    let (db, address) = server_runtime.block_on(start_server(&url))?;
    let now = Utc::now();
    let today = jst_date(now);
    let days: Vec<NaiveDate> = (0..args.days)
        .rev()
        .map(|back| today - TimeDelta::days(back as i64))
        .collect();
    let vials = VIALS_PER_DAY * args.days as i64 + 10;
    let mut sets = Vec::new();
    for set in ["http", "seq", "par"] {
        sets.push(server_runtime.block_on(seed_sites(&db, set, args.sites, vials, now))?);
    }
    let [http_sites, sequential_sites, concurrent_sites] =
        <[Vec<Site>; 3]>::try_from(sets).map_err(|_| anyhow::anyhow!("three sets"))?;
    println!(
        "engine: {:?}; {} sites × {} days = {} records per line; {} clients; seeded 3 × {} sites in {:.1} s",
        db.kind,
        args.sites,
        args.days,
        args.sites * args.days,
        args.clients,
        args.sites,
        started.elapsed().as_secs_f64()
    );

    let login_started = Instant::now();
    let clients = client_runtime.block_on(log_in_all(&url, &address, &http_sites, args.clients))?;
    println!(
        "{} site users logged in over HTTP (password, then the e-mailed code) in {:.1} s",
        http_sites.len(),
        login_started.elapsed().as_secs_f64()
    );

    let sequential = server_runtime.block_on(bare(&db, &sequential_sites, &days, 1, now))?;
    let served = client_runtime.block_on(register_all(&address, clients, &days))?;
    let concurrent =
        server_runtime.block_on(bare(&db, &concurrent_sites, &days, args.clients, now))?;

    println!(
        "{:<56} {:>10} {:>8} {:>8} {:>8} {:>7}",
        "", "records/s", "p50 ms", "p99 ms", "max ms", "failed"
    );
    let server_rate = report(
        &format!("register_records over HTTP, {} clients", args.clients),
        served,
        "goal ≥ 3,000/s, p99 < 50 ms",
    );
    let sequential_rate = report(
        "bare limit: plain loop, 1 transaction per record",
        sequential,
        "",
    );
    let concurrent_rate = report(
        &format!(
            "bare limit: {} tasks, 1 transaction per record",
            args.clients
        ),
        concurrent,
        "",
    );
    let limit = sequential_rate.max(concurrent_rate);
    println!(
        "server / bare limit (the higher of the two bare lines): {:.0} % (goal ≥ 60 %); / plain loop {:.0} %, / {} tasks {:.0} %",
        100.0 * server_rate / limit,
        100.0 * server_rate / sequential_rate,
        args.clients,
        100.0 * server_rate / concurrent_rate
    );
    Ok(())
}

/// Starts the real server on a free port against `url`; returns its database and address.
async fn start_server(url: &str) -> anyhow::Result<(Db, String)> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let bind = listener.local_addr()?;
    let address = format!("http://{bind}");
    // The production configuration (as `vsys serve` reads it), on this database and port.
    let mut config = Config::from_env()?;
    config.database_url = url.to_string();
    config.bind = bind;
    config.public_url = address.clone();
    config.dist_dir = std::env::temp_dir().join("vsys-bench-no-frontend");
    config.mail = MailConfig::Outbox;
    config.dev_outbox = false;
    // Every simulated site logs in from 127.0.0.1; the production limit is per address.
    config.auth_rate_limit_per_minute = u32::MAX;
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    let state = server::build_state(config, clock).await?;
    let db = state.db.clone();
    tokio::spawn(server::serve(listener, state));
    Ok((db, address))
}

/// Seeds `count` sites named after `set`, each handling pfizer, holding `vials` of a lot of its
/// own and with a site user who has a password, consented and declined the authenticator app.
async fn seed_sites(
    db: &Db,
    set: &str,
    count: usize,
    vials: i64,
    now: DateTime<Utc>,
) -> anyhow::Result<Vec<Site>> {
    let municipalities: Vec<String> = server::seed::municipality_seeds()?
        .into_iter()
        .map(|m| m.code)
        .collect();
    let hash = tokio::task::spawn_blocking(|| hash_password(PASSWORD)).await?;
    let mut tx = db.begin().await?;
    let lot_id = supply::insert_lot(
        &mut tx,
        &NewLot {
            vaccine: VACCINE.into(),
            lot_number: format!("BENCH-{set}"),
            expires_on: jst_date(now) + TimeDelta::days(365),
        },
        None,
        now,
    )
    .await?;
    let consent = policy::current(&mut tx).await?.version;
    let first = master::max_site_id(&mut tx).await? + 1;
    let rows: Vec<master::NewSiteRow> = (0..count)
        .map(|n| master::NewSiteRow {
            id: first + n as i64,
            municipality: municipalities[n % municipalities.len()].clone(),
            name: format!("夜間接種会場-{set}-{n:05}"),
            kind: "basic",
            basic: None,
            postal_code: String::new(),
            address: String::new(),
            general_public: "restricted",
            reservation_status: "unregistered",
            reservation_updated_at: None,
            details: "{}".into(),
        })
        .collect();
    for chunk in rows.chunks(500) {
        master::insert_sites_with_ids(&mut tx, chunk, now).await?;
    }
    if db.kind == DbKind::Postgres {
        master::sync_site_id_sequence(&mut tx).await?;
    }
    let mut sites = Vec::with_capacity(count);
    for row in &rows {
        sqlx::query("INSERT INTO site_vaccines (site_id, vaccine_code) VALUES ($1, $2)")
            .bind(row.id)
            .bind(VACCINE)
            .execute(&mut *tx)
            .await?;
        let login_id = format!("bench-{set}-{}", row.id);
        let email = format!("{login_id}@bench.vsys.example.jp");
        let user = users::NewUserRecord {
            login_id: &login_id,
            email: &email,
            display_name: "接種 夜子",
            role: "site",
            site_id: Some(row.id),
            ..Default::default()
        };
        let user_id = users::insert(&mut tx, &user, now).await?;
        users::set_password_hash(&mut tx, user_id, &hash).await?;
        users::set_totp_offered(&mut tx, user_id).await?;
        policy::consent(&mut tx, user_id, consent, now).await?;
        // A delivery it confirmed: enough vials for every day of the run.
        let receipt = Movement {
            site_id: row.id,
            lot_id,
            kind: MovementKind::Receipt,
            vials,
            occurred_on: jst_date(now) - TimeDelta::days(30),
            reference_id: None,
            note: "",
            at: now,
            user_id: None,
        };
        stock::record_movement(&mut tx, &receipt)
            .await?
            .map_err(|e| anyhow::anyhow!("receipt refused: {e:?}"))?;
        sites.push(Site {
            id: row.id,
            user_id,
            login_id,
            email,
            lot_id,
        });
    }
    tx.commit().await?;
    Ok(sites)
}

/// One HTTP client: its connection and the sites it registers for, each with its session.
struct Client {
    http: reqwest::Client,
    sites: Vec<(Site, String)>,
}

/// Logs every site in, `clients` logins at a time; returns the clients with their sites.
async fn log_in_all(
    url: &str,
    address: &str,
    sites: &[Site],
    clients: usize,
) -> anyhow::Result<Vec<Client>> {
    // The bench's own connection for reading mail, on this runtime.
    let mail = sqlx::any::AnyPoolOptions::new()
        .max_connections(4)
        .connect(url)
        .await?;
    let tasks = (0..clients).map(|c| {
        let mine: Vec<Site> = sites.iter().skip(c).step_by(clients).cloned().collect();
        let mail = mail.clone();
        async move {
            let http = reqwest::Client::builder().build()?;
            let mut sites = Vec::with_capacity(mine.len());
            for site in mine {
                let session = log_in(&http, address, &mail, &site).await?;
                sites.push((site, session));
            }
            anyhow::Ok(Client { http, sites })
        }
    });
    let clients = futures::future::try_join_all(tasks).await?;
    mail.close().await;
    Ok(clients)
}

/// The real login of one site user: password, then the code e-mailed to the user. Returns the
/// session cookie's value.
async fn log_in(
    http: &reqwest::Client,
    address: &str,
    mail: &AnyPool,
    site: &Site,
) -> anyhow::Result<String> {
    let form = json!({"form": {"login_id": site.login_id, "password": PASSWORD}});
    let response = http
        .post(format!("{address}/api/login"))
        .json(&form)
        .send()
        .await?;
    anyhow::ensure!(
        response.status().is_success(),
        "login: {}",
        response.status()
    );
    let LoginOutcome::EmailCode { challenge, .. } = response.json().await? else {
        anyhow::bail!("expected the e-mailed code step for {}", site.login_id);
    };
    let body: String = sqlx::query_scalar(
        "SELECT body FROM mail_outbox WHERE to_addr = $1 ORDER BY id DESC LIMIT 1",
    )
    .bind(&site.email)
    .fetch_one(mail)
    .await?;
    let label = "確認コード: ";
    let start = body
        .find(label)
        .ok_or_else(|| anyhow::anyhow!("no login code in {body}"))?
        + label.len();
    let code: String = body[start..].chars().take(6).collect();
    let form = json!({"form": {"challenge": challenge, "code": code}});
    let response = http
        .post(format!("{address}/api/login_second_factor"))
        .json(&form)
        .send()
        .await?;
    anyhow::ensure!(
        response.status().is_success(),
        "second step: {}",
        response.status()
    );
    let prefix = format!("{SESSION_COOKIE}=");
    response
        .headers()
        .get_all(reqwest::header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|v| v.strip_prefix(&prefix))
        .and_then(|v| v.split(';').next())
        .map(|v| format!("{prefix}{v}"))
        .ok_or_else(|| anyhow::anyhow!("no session cookie"))
}

/// The cumulative a site registers for the `k`-th day of the run (from 1): half the day's people
/// 高齢者 1回目, half 2回目.
fn tally_of(k: usize) -> Tally {
    let half = PEOPLE_PER_DAY / 2 * k as u32;
    let mut cells = [0; app::domain::CELLS];
    cells[1] = half;
    cells[6] = half;
    Tally(cells)
}

/// Every client registers every day of its sites over HTTP, one request per site and day.
async fn register_all(
    address: &str,
    clients: Vec<Client>,
    days: &[NaiveDate],
) -> anyhow::Result<Measured> {
    let started = Instant::now();
    let tasks = clients.into_iter().map(|client| async move {
        let mut latencies = Vec::with_capacity(client.sites.len() * days.len());
        let mut failures = 0;
        for (k, day) in days.iter().enumerate() {
            let tally = tally_of(k + 1);
            for (site, session) in &client.sites {
                let form = RecordForm {
                    administered_on: day.to_string(),
                    vaccines: vec![TallyForm {
                        vaccine: VACCINE.into(),
                        cells: tally.0.iter().map(u32::to_string).collect(),
                        lot: String::new(),
                    }],
                    confirm_correction: false,
                };
                let start = Instant::now();
                let response = client
                    .http
                    .post(format!("{address}/api/register_records"))
                    .header(reqwest::header::COOKIE, session)
                    .json(&json!({"site_id": site.id, "form": form}))
                    .send()
                    .await?;
                let status = response.status();
                let body = response.bytes().await?;
                latencies.push(start.elapsed());
                if !status.is_success() {
                    failures += 1;
                    if failures == 1 {
                        eprintln!(
                            "site {}: {status} {}",
                            site.id,
                            String::from_utf8_lossy(&body)
                        );
                    }
                }
            }
        }
        anyhow::Ok((latencies, failures))
    });
    let results = futures::future::try_join_all(tasks).await?;
    let elapsed = started.elapsed();
    let mut measured = Measured {
        latencies: Vec::new(),
        elapsed,
        failures: 0,
    };
    for (latencies, failures) in results {
        measured.latencies.extend(latencies);
        measured.failures += failures;
    }
    Ok(measured)
}

/// The bare limit: the rows of each registration (the record, the stock movement and its
/// balance, the audit row) written in one transaction per record through the server's pool,
/// by `tasks` concurrent loops, each over its own sites, day after day.
async fn bare(
    db: &Db,
    sites: &[Site],
    days: &[NaiveDate],
    tasks: usize,
    now: DateTime<Utc>,
) -> anyhow::Result<Measured> {
    let started = Instant::now();
    let handles: Vec<_> = (0..tasks)
        .map(|t| {
            let mine: Vec<Site> = sites.iter().skip(t).step_by(tasks).cloned().collect();
            let db = db.clone();
            let days = days.to_vec();
            tokio::spawn(async move {
                let mut latencies = Vec::with_capacity(mine.len() * days.len());
                for (k, day) in days.iter().enumerate() {
                    let tally = tally_of(k + 1);
                    for site in &mine {
                        let start = Instant::now();
                        write_record(&db, site, *day, tally, now).await?;
                        latencies.push(start.elapsed());
                    }
                }
                anyhow::Ok(latencies)
            })
        })
        .collect();
    let mut latencies = Vec::new();
    for handle in handles {
        latencies.extend(handle.await??);
    }
    Ok(Measured {
        latencies,
        elapsed: started.elapsed(),
        failures: 0,
    })
}

/// One registration's rows in one transaction, as `register_records` writes them.
async fn write_record(
    db: &Db,
    site: &Site,
    day: NaiveDate,
    tally: Tally,
    now: DateTime<Utc>,
) -> anyhow::Result<()> {
    let mut tx = db.begin().await?;
    let record = NewRecord {
        site_id: site.id,
        vaccine: VACCINE,
        administered_on: day,
        tally,
        correction: false,
        at: now,
        user_id: Some(site.user_id),
    };
    let record_id = records::save(&mut tx, &record).await?;
    let use_of_day = Movement {
        site_id: site.id,
        lot_id: site.lot_id,
        kind: MovementKind::Use,
        vials: -VIALS_PER_DAY,
        occurred_on: day,
        reference_id: Some(record_id),
        note: "",
        at: now,
        user_id: Some(site.user_id),
    };
    stock::record_movement(&mut tx, &use_of_day)
        .await?
        .map_err(|e| anyhow::anyhow!("overdrawn: {e:?}"))?;
    let field = format!("records:{VACCINE}:{day}");
    let change = Change {
        entity: "site",
        entity_id: site.id.to_string(),
        field: &field,
        old_value: None,
        new_value: Some(format!("累計 {} 使用 {VIALS_PER_DAY}本", tally.total())),
    };
    audit::record(&mut tx, now, Actor::user(site.user_id), change).await?;
    tx.commit().await?;
    Ok(())
}

/// Prints one line and returns its records per second.
fn report(what: &str, measured: Measured, goal: &str) -> f64 {
    let mut latencies = measured.latencies;
    latencies.sort_unstable();
    let count = latencies.len().max(1);
    let percentile = |p: f64| {
        let index = ((count as f64 * p).ceil() as usize).clamp(1, count) - 1;
        latencies
            .get(index)
            .map_or(0.0, |d| d.as_secs_f64() * 1000.0)
    };
    let rate = latencies.len() as f64 / measured.elapsed.as_secs_f64();
    println!(
        "{:<56} {:>10.0} {:>8.1} {:>8.1} {:>8.1} {:>7}  {goal}",
        what,
        rate,
        percentile(0.50),
        percentile(0.99),
        percentile(1.0),
        measured.failures
    );
    rate
}
