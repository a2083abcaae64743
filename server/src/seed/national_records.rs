//! The national data set's 接種実績: every site registers its first vaccine every day of the last
//! `days` days, about 25 people a day on average (1.7 million a day over 70,000 sites, as at the
//! 2021 peak), as growing cumulatives; so that R208 and R308 have national-scale figures.

use crate::db::records::{self, NewRecord};
use crate::db::Db;
use app::domain::{jst_date, Tally, CELLS};
use chrono::{DateTime, TimeDelta, Utc};

/// Registrations per INSERT (16 parameters each, under both engines' limits).
const BATCH: usize = 1_000;

/// A day's people at a site, by cell (1回目 then 2回目, each 医療従事者, 高齢者, 基礎疾患保有者,
/// 高齢者施設従事者, その他), varying with the site so that sorting has something to sort.
fn daily(site_id: i64) -> [u32; CELLS] {
    let people = 10 + u32::try_from(site_id.rem_euclid(31)).unwrap_or(0);
    let first = people * 3 / 5;
    let second = people - first;
    let split = |n: u32| {
        [
            n / 10,
            n / 2,
            n / 5,
            n / 20,
            n - n / 10 - n / 2 - n / 5 - n / 20,
        ]
    };
    let (a, b) = (split(first), split(second));
    [a[0], a[1], a[2], a[3], a[4], b[0], b[1], b[2], b[3], b[4]]
}

/// Registers the last `days` days for every site above `after_id` (the generated ones: the demo's
/// sites and whatever the tests gave them stay as they are) that handles a vaccine and has no
/// registration yet (a second run adds nothing); returns the number of registrations stored.
pub async fn load_national_records(
    db: &Db,
    days: u32,
    after_id: i64,
    now: DateTime<Utc>,
) -> anyhow::Result<u64> {
    let mut conn = db.pool.acquire().await?;
    let sites = records::first_vaccine_per_unrecorded_site(&mut conn, after_id).await?;
    drop(conn);
    if days == 0 {
        return Ok(0);
    }
    let today = jst_date(now);
    let mut stored = 0u64;
    let mut batch: Vec<NewRecord> = Vec::with_capacity(BATCH);
    let mut tx = db.begin().await?;
    for day in 0..days {
        let on = today - TimeDelta::days(i64::from(days - 1 - day));
        for (site_id, vaccine) in &sites {
            let per_day = daily(*site_id);
            batch.push(NewRecord {
                site_id: *site_id,
                vaccine,
                administered_on: on,
                tally: Tally(per_day.map(|n| n * (day + 1))),
                correction: false,
                at: now,
                user_id: None,
            });
            if batch.len() == BATCH {
                records::insert_many(&mut tx, &batch).await?;
                stored += BATCH as u64;
                batch.clear();
            }
        }
        // One transaction per day keeps each commit a few seconds long at most.
        tx.commit().await?;
        tx = db.begin().await?;
    }
    if !batch.is_empty() {
        records::insert_many(&mut tx, &batch).await?;
        stored += batch.len() as u64;
    }
    tx.commit().await?;
    Ok(stored)
}
