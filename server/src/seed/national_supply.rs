//! The national data set's supply chain: a cool whose 希望量 window closed yesterday, a request
//! from every basic site, and each prefecture and municipality given what was requested beneath
//! it, so that the allocation tables have national-scale rows (see `bench_allocation`); and a
//! finished cool before it, delivered to every basic site and passed on to every satellite, for
//! the delivery and stock lists at national scale.

use crate::db::{delivery, stock, supply, Db};
use app::domain::{jst_date, CoolWindow, NewCool, NewLot};
use chrono::{DateTime, DurationRound, TimeDelta, Utc};

/// Name of the national data set's cool.
pub const NATIONAL_COOL: &str = "全国第1クール";
/// Name of the national data set's finished cool.
pub const NATIONAL_DELIVERED_COOL: &str = "全国第0クール";
/// The lot every site of the finished cool received.
const NATIONAL_LOT: &str = "NAT0001";

/// Creates the cool, the requests and the prefecture and municipality allocations; returns the
/// cool's id. Idempotent: a second run returns the existing cool.
pub async fn load_national_supply(db: &Db, now: DateTime<Utc>) -> anyhow::Result<i64> {
    let mut tx = db.begin().await?;
    if let Some(existing) = supply::cools(&mut tx)
        .await?
        .into_iter()
        .find(|c| c.name == NATIONAL_COOL)
    {
        return Ok(existing.id);
    }
    let hour = now.duration_trunc(TimeDelta::hours(1))?;
    let today = jst_date(now);
    let cool = NewCool {
        name: NATIONAL_COOL.into(),
        vaccine: "pfizer".into(),
        total_boxes: 200_000,
        window: CoolWindow {
            opens: hour - TimeDelta::days(14),
            closes: hour - TimeDelta::days(1),
            delivery_from: today + TimeDelta::days(6),
            delivery_until: today + TimeDelta::days(17),
        },
    };
    let delivered = NewCool {
        name: NATIONAL_DELIVERED_COOL.into(),
        total_boxes: 200_000,
        window: CoolWindow {
            opens: hour - TimeDelta::days(63),
            closes: hour - TimeDelta::days(49),
            delivery_from: today - TimeDelta::days(42),
            delivery_until: today - TimeDelta::days(31),
        },
        ..cool.clone()
    };
    let lot = NewLot {
        vaccine: "pfizer".into(),
        lot_number: NATIONAL_LOT.into(),
        expires_on: today + TimeDelta::days(90),
    };
    let lot_id = supply::insert_lot(&mut tx, &lot, None, now).await?;
    let finished = supply::insert_cool(&mut tx, &delivered, now).await?;
    supply::request_from_every_basic_site(&mut tx, finished, now).await?;
    supply::give_what_was_requested(&mut tx, finished).await?;
    let day = delivered.window.delivery_from;
    delivery::deliver_everything(&mut tx, finished, lot_id, day, now).await?;
    stock::transfer_to_every_satellite(&mut tx, lot_id, 6, day + TimeDelta::days(1), now).await?;

    let cool_id = supply::insert_cool(&mut tx, &cool, now).await?;
    supply::request_from_every_basic_site(&mut tx, cool_id, now).await?;
    supply::give_what_was_requested(&mut tx, cool_id).await?;
    tx.commit().await?;
    Ok(cool_id)
}
