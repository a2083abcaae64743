//! The allocation bench of `scripts/bench-allocation.sh`: on a fresh database (DATABASE_URL,
//! SQLite or PostgreSQL) loads the national data set (70,000 sites and the cool of
//! `vsys national`) plus 1,000 basic sites in one municipality, then times, as the server
//! functions run them after their guard:
//! * the allocation table of the prefecture with the most municipalities, with its proposal
//!   (`load_allocation`);
//! * that municipality saving an allocation to its 1,000+ sites, every row changed and audited
//!   (`save_allocation`).
//!
//! `DATABASE_URL=sqlite:///tmp/x.db cargo run --release -p server --example bench_allocation`

use app::api::AllocationSave;
use app::domain::{AllocationLevel, Role};
use chrono::Utc;
use server::db::audit::Actor;
use server::db::{master, Db};
use server::seed;
use server::service::{allocation_table, save_allocation_table};
use std::collections::BTreeMap;
use std::time::{Duration, Instant};

/// Sites added to the one municipality that allocates to a thousand.
const CROWD: usize = 1_000;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let url = std::env::var("DATABASE_URL")?;
    let db = Db::connect_and_migrate(&url).await?;
    let now = Utc::now();
    seed::ensure_master_data(&db, now).await?;
    let started = Instant::now();
    seed::load_national(&db, 70_000, None, now).await?;

    // The prefecture with the most municipalities, and its first municipality for the crowd.
    let mut per_prefecture: BTreeMap<i64, Vec<String>> = BTreeMap::new();
    for m in seed::municipality_seeds()? {
        per_prefecture
            .entry(m.prefecture_code)
            .or_default()
            .push(m.code);
    }
    let (prefecture, municipalities) = per_prefecture
        .iter()
        .max_by_key(|(_, ms)| ms.len())
        .map(|(p, ms)| (*p, ms.clone()))
        .ok_or_else(|| anyhow::anyhow!("no municipalities"))?;
    let crowded = municipalities[0].clone();
    add_crowd(&db, &crowded, now).await?;
    let cool_id = seed::load_national_supply(&db, now).await?;
    println!(
        "engine: {:?}; data loaded in {:.1} s (70,000 sites + {CROWD} in {crowded}, the cool's requests and allocations)",
        db.kind,
        started.elapsed().as_secs_f64()
    );

    let level = AllocationLevel::Prefecture(prefecture);
    let mut times = Vec::new();
    let mut rows = 0;
    for _ in 0..20 {
        let mut conn = db.pool.acquire().await?;
        let start = Instant::now();
        let table = allocation_table(&mut conn, Role::Prefecture, cool_id, &level, now).await?;
        times.push(start.elapsed());
        rows = table.rows.len();
    }
    report(
        &format!("prefecture {prefecture} table with its proposal ({rows} municipalities)"),
        &mut times,
    );

    let level = AllocationLevel::Municipality(crowded.clone());
    let mut conn = db.pool.acquire().await?;
    let table = allocation_table(&mut conn, Role::Municipality, cool_id, &level, now).await?;
    drop(conn);
    let sites = table.rows.len();
    let mut times = Vec::new();
    let mut version = table.version;
    for round in 0..10 {
        // Two allocations that differ in every row: the proposal, and one box less each.
        let rows: Vec<(String, String)> = table
            .rows
            .iter()
            .map(|r| {
                let boxes = if round % 2 == 0 {
                    r.proposed
                } else {
                    r.proposed.saturating_sub(1)
                };
                (r.target.clone(), boxes.to_string())
            })
            .collect();
        let save = AllocationSave {
            cool_id,
            level: level.clone(),
            version,
            rows,
        };
        let start = Instant::now();
        let saved = save_allocation_table(&db, Actor::SYSTEM, Role::Municipality, save, now)
            .await
            .map_err(|e| anyhow::anyhow!("save refused: {e:?}"))?;
        times.push(start.elapsed());
        version = saved.version;
    }
    report(
        &format!("municipality {crowded} saves its allocation to {sites} sites (every row changed and audited)"),
        &mut times,
    );
    Ok(())
}

/// Adds `CROWD` basic sites to one municipality (before the national cool is made, so that they
/// register too).
async fn add_crowd(db: &Db, municipality: &str, now: chrono::DateTime<Utc>) -> anyhow::Result<()> {
    let mut tx = db.begin().await?;
    let first = master::max_site_id(&mut tx).await? + 1;
    let rows: Vec<master::NewSiteRow> = (0..CROWD)
        .map(|n| master::NewSiteRow {
            id: first + n as i64,
            municipality: municipality.to_string(),
            name: format!("大規模接種会場{n:04}"),
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
    if db.kind == server::db::DbKind::Postgres {
        master::sync_site_id_sequence(&mut tx).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Prints the median and the slowest of `times`.
fn report(what: &str, times: &mut [Duration]) {
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "{what}: median {:.1} ms, slowest {:.1} ms over {} runs (goal < 200 ms)",
        ms(times[times.len() / 2]),
        ms(times[times.len() - 1]),
        times.len()
    );
}
