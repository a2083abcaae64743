//! The demo's supply chain: lots, a cool whose 希望量 window closed three weeks ago and one
//! whose window is open now, with the requests of most of the demo's basic sites, so that every
//! screen of 希望量の登録 shows something with `scripts/run.sh`.

use crate::db::audit::{self, Actor, Change};
use crate::db::master::MunicipalityRecord;
use crate::db::supply;
use app::domain::{jst_date, CoolWindow, NewCool, NewLot};
use chrono::{DateTime, DurationRound, TimeDelta, Utc};
use sqlx::AnyConnection;

/// The demo lots: (vaccine, lot number, days until expiry). One expires within two weeks.
const DEMO_LOTS: &[(&str, &str, i64)] = &[
    ("pfizer", "FF2153", 120),
    ("pfizer", "EW4811", 10),
    ("moderna", "3005236", 90),
];

/// Loads the demo's lots, cools and requests. `sites` are the demo's wards with their site ids
/// (three basic sites, then two satellites, each).
pub(super) async fn load_demo_supply(
    conn: &mut AnyConnection,
    sites: &[(MunicipalityRecord, Vec<i64>)],
    supplier_id: i64,
    now: DateTime<Utc>,
) -> anyhow::Result<()> {
    let today = jst_date(now);
    for (vaccine, number, days) in DEMO_LOTS {
        let lot = NewLot {
            vaccine: vaccine.to_string(),
            lot_number: number.to_string(),
            expires_on: today + TimeDelta::days(*days),
        };
        supply::insert_lot(conn, &lot, Some(supplier_id), now).await?;
    }
    // Windows on whole hours, as a national officer would set them.
    let hour = now.duration_trunc(TimeDelta::hours(1))?;
    let past = NewCool {
        name: "第2クール".into(),
        vaccine: "pfizer".into(),
        total_boxes: 400,
        window: CoolWindow {
            opens: hour - TimeDelta::days(35),
            closes: hour - TimeDelta::days(21),
            delivery_from: today - TimeDelta::days(14),
            delivery_until: today - TimeDelta::days(3),
        },
    };
    let open = NewCool {
        name: "第3クール".into(),
        vaccine: "pfizer".into(),
        total_boxes: 360,
        window: CoolWindow {
            opens: hour - TimeDelta::days(2),
            closes: hour + TimeDelta::days(5),
            delivery_from: today + TimeDelta::days(12),
            delivery_until: today + TimeDelta::days(23),
        },
    };
    for (cool, requested_by) in [(past, 3), (open, 2)] {
        let cool_id = supply::insert_cool(conn, &cool, now).await?;
        let change = Change {
            entity: "cool",
            entity_id: cool_id.to_string(),
            field: "created",
            old_value: None,
            new_value: Some(format!("{} (demo)", cool.name)),
        };
        audit::record(conn, now, Actor::SYSTEM, change).await?;
        // In the open cool the third basic site of each ward (C診療所) has not registered yet,
        // nor has site-a's own site (the first basic site of the first ward).
        for (wi, (_, ids)) in sites.iter().enumerate() {
            for (si, site_id) in ids.iter().take(requested_by).enumerate() {
                if requested_by == 2 && wi == 0 && si == 0 {
                    continue;
                }
                let boxes = 1 + ((wi + si) % 4) as u32;
                let at = cool.window.opens + TimeDelta::hours(6 + (wi * 3 + si) as i64);
                supply::save_request(conn, cool_id, *site_id, boxes, at, None).await?;
            }
        }
    }
    Ok(())
}
