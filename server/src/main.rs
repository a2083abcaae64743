//! `vsys` command line (`vsys --help`, and `--help` after each command). Configuration comes
//! from the environment (see the README); the commands choose what to do with it.

use clap::{Parser, Subcommand};
use server::clock::{Clock, SystemClock};
use server::config::Config;
use server::seed;
use std::sync::Arc;
use tracing_subscriber::EnvFilter;

// Every request allocates and frees many small buffers (rows, JSON, headers) on several threads;
// mimalloc does that with far less locking and consolidation than the C library's allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// V-SYS (ワクチン接種円滑化システム): the server and its data tools.
#[derive(Parser)]
#[command(version)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Migrate the database, load the master data and serve on VSYS_BIND (the default command).
    Serve {
        /// Load the demo data set first and print the demo logins.
        #[arg(long)]
        demo: bool,
    },
    /// Load the demo data set and print the demo logins.
    Demo,
    /// Generate national-scale data: SITES 一般向け sites over all 1,741 municipalities, a cool
    /// with their requests and allocations, and their daily 接種実績 (for benchmarks).
    National {
        /// How many sites to generate.
        #[arg(default_value_t = 70_000)]
        sites: usize,
        /// Days of 接種実績 every site registers, up to today (0 for none; a year, 365, takes
        /// about two hours on SQLite on two cores: the records go in at about 4,000 a second).
        #[arg(long, default_value_t = 30)]
        record_days: u32,
        /// Only in this prefecture's municipalities (its code, 1–47).
        #[arg(long, value_parser = clap::value_parser!(i64).range(1..=47))]
        prefecture: Option<i64>,
    },
    /// Print a user's current authenticator code (development aid for the demo logins).
    Totp {
        /// The user name, e.g. admin.
        login_id: String,
    },
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn")),
        )
        .init();
    let config = Config::from_env()?;
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    let command = cli.command.unwrap_or(Command::Serve { demo: false });
    if matches!(command, Command::Serve { .. }) {
        if let Some(reason) = config.refusal_to_serve() {
            anyhow::bail!("not starting: {reason}");
        }
    }
    let state = server::build_state(config.clone(), clock.clone()).await?;
    match command {
        Command::Serve { demo } => {
            if demo {
                let logins = seed::load_demo(&state.db, &state.secrets, clock.now()).await?;
                print_demo(&logins, &config);
            }
            if config.dev_outbox {
                tracing::warn!(
                    "DEVELOPMENT OUTBOX ON (VSYS_DEV_OUTBOX=1): mail is not delivered; it is readable at {}/dev/outbox from this machine only. Never use this in production.",
                    config.public_url
                );
            }
            let listener = tokio::net::TcpListener::bind(config.bind).await?;
            tracing::info!("V-SYS listening on {}", config.public_url);
            server::serve(listener, state).await
        }
        Command::Demo => {
            let logins = seed::load_demo(&state.db, &state.secrets, clock.now()).await?;
            print_demo(&logins, &config);
            Ok(())
        }
        Command::National {
            sites,
            record_days,
            prefecture,
        } => {
            let started = std::time::Instant::now();
            // Only the sites generated now get records: the demo's stay as they are.
            let before = {
                let mut conn = state.db.pool.acquire().await?;
                server::db::master::max_site_id(&mut conn).await?
            };
            let count = seed::load_national(&state.db, sites, prefecture, clock.now()).await?;
            let cool = seed::load_national_supply(&state.db, clock.now()).await?;
            let records =
                seed::load_national_records(&state.db, record_days, before, clock.now()).await?;
            println!(
                "generated {sites} sites in {:.1} s; {count} sites in the database; \
                 cool #{cool} with a request from every basic site, allocated to every \
                 prefecture and municipality; {records} registrations of 接種実績 \
                 ({record_days} days)",
                started.elapsed().as_secs_f64()
            );
            Ok(())
        }
        Command::Totp { login_id } => {
            println!(
                "{}",
                seed::current_totp(&state.db, &state.secrets, &login_id, clock.now()).await?
            );
            Ok(())
        }
    }
}

fn print_demo(logins: &[seed::DemoLogin], config: &Config) {
    println!("\nV-SYS demo — open {}", config.public_url);
    println!("Password for every demo user: {}\n", seed::DEMO_PASSWORD);
    println!("ユーザ名     second step         役割 / 所属");
    for login in logins {
        let step = if login.totp {
            "authenticator"
        } else {
            "mail (new browser)"
        };
        println!(
            "{:<12} {:<19} {} / {}",
            login.login_id, step, login.role, login.organisation
        );
    }
    println!("\nAuthenticator code of a demo user: `bash scripts/demo-totp.sh LOGIN_ID`.");
    if config.dev_outbox {
        println!(
            "Mail (login codes, links) is not delivered: read it at {}/dev/outbox (this machine only).\n",
            config.public_url
        );
    }
}
