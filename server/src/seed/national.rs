//! The national-scale data set for benchmarks: generated 一般向け sites over every municipality.

use super::municipality_seeds;
use crate::db::{master, Db, DbKind};
use chrono::{DateTime, TimeDelta, Utc};

/// The public part of the `n`-th generated site of municipality `code`, as a typical clinic
/// fills it in (reading, booking phone and site, hours, a notice), so that the finder's answers
/// at national scale have their real size.
fn national_details(code: &str, n: usize) -> anyhow::Result<String> {
    let form = app::domain::SiteForm {
        facility_class: Some(app::domain::FacilityClass::Clinic),
        name_kana: format!("せっしゅかいじょう {code} {n}"),
        public_phone: format!("03-{:04}-{:04}", 1000 + n % 9000, 1000 + (n * 7) % 9000),
        public_url: format!("https://site-{code}-{n:03}.example.jp/yoyaku"),
        booking_phone: Some(app::domain::Booking::Possible),
        booking_web: Some(if n.is_multiple_of(3) {
            app::domain::Booking::Impossible
        } else {
            app::domain::Booking::Possible
        }),
        hours: "月〜金 9:00〜17:00（土 9:00〜12:00）".into(),
        hours_en: "Mon–Fri 9:00–17:00 (Sat 9:00–12:00)".into(),
        notice: "予約は電話またはWebで受け付けています。接種当日は予診票と本人確認書類をお持ちください。".into(),
        homepage: format!("https://site-{code}-{n:03}.example.jp/"),
        parking: (n % 30).to_string(),
        ..app::domain::SiteForm::default()
    };
    Ok(serde_json::to_string(&form)?)
}

/// Generates `total` 一般向け sites spread over every municipality (national scale, for
/// benchmarks): each municipality gets its share, one in four a satellite of the basic site
/// before it, each with a public record, a reservation status and one to three vaccines.
/// With `prefecture`, only that prefecture's municipalities get sites. Returns the number of
/// sites in the database afterwards.
pub async fn load_national(
    db: &Db,
    total: usize,
    prefecture: Option<i64>,
    now: DateTime<Utc>,
) -> anyhow::Result<i64> {
    // One transaction: all or nothing, and one commit instead of one per batch.
    let mut conn = db.begin().await?;
    let municipalities: Vec<String> = municipality_seeds()?
        .into_iter()
        .filter(|m| prefecture.is_none_or(|p| p == m.prefecture_code))
        .map(|m| m.code)
        .collect();
    anyhow::ensure!(
        !municipalities.is_empty(),
        "no municipality in prefecture {prefecture:?}"
    );
    let mut next_id = master::max_site_id(&mut conn).await?;
    let per = total / municipalities.len();
    let extra = total % municipalities.len();
    let mut rows: Vec<master::NewSiteRow> = Vec::with_capacity(total);
    for (i, code) in municipalities.iter().enumerate() {
        let count = per + usize::from(i < extra);
        let mut last_basic = None;
        for n in 0..count {
            next_id += 1;
            let satellite = n % 4 == 3 && last_basic.is_some();
            let (kind, basic) = if satellite {
                ("satellite", last_basic)
            } else {
                ("basic", None)
            };
            if !satellite {
                last_basic = Some(next_id);
            }
            let status = app::domain::ReservationStatus::ALL[n % 5];
            let set = status != app::domain::ReservationStatus::Unregistered;
            rows.push(master::NewSiteRow {
                id: next_id,
                municipality: code.clone(),
                name: format!("接種会場{code}-{n:03}"),
                kind,
                basic,
                postal_code: format!("{}-{:04}", &code[..3], n % 10_000),
                address: format!("{}丁目{}-{}", n % 9 + 1, n % 30 + 1, n % 12 + 1),
                general_public: "general",
                reservation_status: status.as_str(),
                reservation_updated_at: set.then(|| now - TimeDelta::days(n as i64 % 20)),
                details: national_details(code, n)?,
            });
        }
    }
    for chunk in rows.chunks(500) {
        master::insert_sites_with_ids(&mut conn, chunk, now).await?;
    }
    if let Some(first) = rows.first() {
        for (code, every) in [("pfizer", 1), ("moderna", 2), ("astrazeneca", 5)] {
            master::add_vaccine_to_sites(&mut conn, code, first.id - 1, every).await?;
        }
    }
    if db.kind == DbKind::Postgres {
        master::sync_site_id_sequence(&mut conn).await?;
    }
    let count = master::site_count(&mut conn).await?;
    conn.commit().await?;
    Ok(count)
}
