//! The demo's 接種実績: outside 千代田区, each ward's A病院 registered its pfizer vaccinations on
//! each of the last seven days, the vials coming off the lot 第1クール delivered, so that the
//! records page, its chart and the reconciliation show something with `scripts/run.sh`. The
//! fourth ward's A病院 has not registered yesterday, so its municipality's ホーム names it.
//! 千代田区 registers nothing: the tests and the browser test start it from an empty history.

use crate::db::master::MunicipalityRecord;
use crate::db::records::{self, NewRecord};
use crate::db::stock::{self, Movement};
use crate::db::supply;
use app::domain::{cell, jst_date, vials_for, Dose, Group, MovementKind, Tally};
use chrono::{DateTime, TimeDelta, Utc};
use sqlx::AnyConnection;

/// Doses a pfizer vial gives (the demo's vaccine master).
const PFIZER_DOSES_PER_VIAL: u32 = 6;

/// Loads the last seven days of records. `sites` are the demo's wards with their site ids, the
/// first of each its A病院.
pub(super) async fn load_recent_records(
    conn: &mut AnyConnection,
    sites: &[(MunicipalityRecord, Vec<i64>)],
    now: DateTime<Utc>,
) -> anyhow::Result<()> {
    let today = jst_date(now);
    let lot = supply::lots(conn)
        .await?
        .into_iter()
        .find(|l| l.lot_number == "FF2153")
        .map(|l| l.id)
        .ok_or_else(|| anyhow::anyhow!("demo lot FF2153 missing"))?;
    for (wi, (_, ids)) in sites.iter().enumerate().skip(1) {
        let site_id = ids[0];
        let mut cumulative = Tally::default();
        let mut previous = cumulative;
        for back in (1..=7i64).rev() {
            if wi == 4 && back == 1 {
                continue;
            }
            let day = today - TimeDelta::days(back);
            let vary = |k: usize| ((back as usize) * 3 + wi * 5 + k * 7) as u32 % 11;
            cumulative.0[cell(Dose::First, Group::Elderly)] += 6 + vary(0);
            cumulative.0[cell(Dose::First, Group::Medical)] += vary(1) % 3;
            cumulative.0[cell(Dose::First, Group::Underlying)] += vary(2) % 4;
            cumulative.0[cell(Dose::Second, Group::Elderly)] += 3 + vary(3) % 5;
            cumulative.0[cell(Dose::Second, Group::Other)] += vary(4) % 2;
            let record = NewRecord {
                site_id,
                vaccine: "pfizer",
                administered_on: day,
                tally: cumulative,
                correction: false,
                at: now - TimeDelta::days(back) + TimeDelta::hours(9),
                user_id: None,
            };
            let id = records::save(conn, &record).await?;
            let vials = vials_for(cumulative.since(&previous).total(), PFIZER_DOSES_PER_VIAL);
            let used = Movement {
                site_id,
                lot_id: lot,
                kind: MovementKind::Use,
                vials: -vials,
                occurred_on: day,
                reference_id: Some(id),
                note: "",
                at: record.at,
                user_id: None,
            };
            stock::record_movement(conn, &used)
                .await?
                .map_err(|o| anyhow::anyhow!("demo stock overdrawn: {o:?}"))?;
            previous = cumulative;
        }
    }
    Ok(())
}
