//! `vsys` command line.
//!
//! - `vsys serve [--demo]`: migrate, load master data (and the demo set), serve on VSYS_BIND.
//! - `vsys demo`: load the demo set and print the demo logins.
//! - `vsys national [SITES]`: generate national-scale data (default 70,000 sites).
//! - `vsys totp LOGIN_ID`: print a user's current authenticator code (development aid).

use server::clock::{Clock, SystemClock};
use server::config::Config;
use server::seed;
use std::sync::Arc;
use tracing_subscriber::EnvFilter;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn")),
        )
        .init();
    let args: Vec<String> = std::env::args().skip(1).collect();
    let config = Config::from_env()?;
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    let command = args.first().map(String::as_str).unwrap_or("serve");
    if command == "serve" {
        if let Some(reason) = config.refusal_to_serve() {
            anyhow::bail!("not starting: {reason}");
        }
    }
    let state = server::build_state(config.clone(), clock.clone()).await?;
    match command {
        "serve" => {
            if args.iter().any(|a| a == "--demo") {
                let logins = seed::load_demo(&state.db, &state.secrets, clock.unix()).await?;
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
        "demo" => {
            let logins = seed::load_demo(&state.db, &state.secrets, clock.unix()).await?;
            print_demo(&logins, &config);
            Ok(())
        }
        "national" => {
            let total = args
                .get(1)
                .map(|n| n.parse())
                .transpose()?
                .unwrap_or(70_000);
            let started = std::time::Instant::now();
            let count = seed::load_national(&state.db, total, clock.unix()).await?;
            println!(
                "generated {total} sites in {:.1} s; {count} sites in the database",
                started.elapsed().as_secs_f64()
            );
            Ok(())
        }
        "totp" => {
            let login_id = args
                .get(1)
                .ok_or_else(|| anyhow::anyhow!("usage: vsys totp LOGIN_ID"))?;
            println!(
                "{}",
                seed::current_totp(&state.db, &state.secrets, login_id, clock.unix()).await?
            );
            Ok(())
        }
        other => anyhow::bail!("unknown command {other}; use serve, demo, national or totp"),
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
