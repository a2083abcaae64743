//! The demo's finished cool (第1クール): requested, allocated down to the sites and locked by
//! 東京都, delivered by the demo wholesaler and confirmed by the sites, with transfers to the
//! satellites (one still in transit), some waste and a count, so that every screen of the
//! supply chain shows something with `scripts/run.sh`. 千代田区's sites take no part: the tests
//! switch them between 基本型 and サテライト型, which stock would forbid.

use super::demo::DEMO_PREFECTURE;
use crate::db::allocation::{self, Given};
use crate::db::delivery::{self, NewShipmentRecord};
use crate::db::master::MunicipalityRecord;
use crate::db::stock::{self, Movement, NewTransferRecord, NewWasteRecord};
use crate::db::supply;
use app::domain::{jst_date, CoolWindow, MovementKind, NewCool, WasteReason};
use chrono::{DateTime, DurationRound, TimeDelta, Utc};
use sqlx::AnyConnection;

/// Who did what in the finished cool.
pub(super) struct DemoActors {
    /// The prefecture's user (the lock).
    pub prefecture_user: i64,
    /// The wholesaler's user (dates and deliveries) and the wholesaler.
    pub supplier_user: i64,
    pub supplier: i64,
}

/// Loads 第1クール as finished. `sites` are the demo's wards with their site ids (three basic
/// sites, then two satellites: D接種会場 of A病院, E接種会場 of Bクリニック).
pub(super) async fn load_finished_cool(
    conn: &mut AnyConnection,
    sites: &[(MunicipalityRecord, Vec<i64>)],
    actors: &DemoActors,
    now: DateTime<Utc>,
) -> anyhow::Result<()> {
    let today = jst_date(now);
    let hour = now.duration_trunc(TimeDelta::hours(1))?;
    let cool = NewCool {
        name: "第1クール".into(),
        vaccine: "pfizer".into(),
        total_boxes: 200,
        window: CoolWindow {
            opens: hour - TimeDelta::days(63),
            closes: hour - TimeDelta::days(49),
            delivery_from: today - TimeDelta::days(42),
            delivery_until: today - TimeDelta::days(31),
        },
    };
    let cool_id = supply::insert_cool(conn, &cool, now).await?;
    let vials_per_box = 195;
    let lot = lot_id(conn, "FF2153").await?;
    let mut by_municipality = Vec::new();
    let mut total = 0;
    for (m, ids) in sites.iter().skip(1) {
        let mut given = Vec::new();
        for (si, site_id) in ids.iter().take(3).enumerate() {
            let boxes = 1 + (si % 2) as i64;
            let at = cool.window.opens + TimeDelta::hours(6 + si as i64);
            supply::save_request(conn, cool_id, *site_id, boxes as u32, at, None).await?;
            given.push((site_id.to_string(), boxes));
        }
        let sum: i64 = given.iter().map(|(_, b)| b).sum();
        total += sum;
        by_municipality.push((m.code.clone(), sum));
        allocation::give_many(conn, cool_id, Given::Sites, &given).await?;
    }
    allocation::give_many(conn, cool_id, Given::Municipalities, &by_municipality).await?;
    let prefecture = [(DEMO_PREFECTURE.to_string(), total)];
    allocation::give_many(conn, cool_id, Given::Prefectures, &prefecture).await?;
    let locked_at = cool.window.closes + TimeDelta::days(3);
    allocation::lock(
        conn,
        cool_id,
        DEMO_PREFECTURE,
        locked_at,
        actors.prefecture_user,
    )
    .await?;

    for (wi, (_, ids)) in sites.iter().skip(1).enumerate() {
        for (si, site_id) in ids.iter().take(3).enumerate() {
            let boxes = 1 + (si % 2) as i64;
            let day = cool.window.delivery_from + TimeDelta::days((wi % 5) as i64);
            let at = locked_at + TimeDelta::days(1);
            delivery::set_schedule(conn, cool_id, *site_id, day, Some(actors.supplier), at).await?;
            let shipment = NewShipmentRecord {
                cool_id,
                site_id: *site_id,
                supplier_id: Some(actors.supplier),
                delivered_on: day,
                at,
                user_id: actors.supplier_user,
            };
            let id = delivery::insert_shipment(conn, &shipment).await?;
            let vials = boxes * vials_per_box;
            delivery::add_shipment_lot(conn, id, lot, vials).await?;
            let received = at + TimeDelta::days(1);
            delivery::mark_received(conn, id, "", received, actors.supplier_user).await?;
            let movement = Movement {
                site_id: *site_id,
                lot_id: lot,
                kind: MovementKind::Receipt,
                vials,
                occurred_on: day,
                reference_id: Some(id),
                note: "",
                at: received,
                user_id: None,
            };
            move_vials(conn, &movement).await?;
        }
        // A病院 sends 10 vials to its satellite D接種会場, received; in the fourth ward the
        // transfer is still in transit (未受領).
        let (basic, satellite) = (ids[0], ids[3]);
        let sent_on = cool.window.delivery_until;
        let at = now - TimeDelta::days(20);
        let transfer = NewTransferRecord {
            from_site_id: basic,
            to_site_id: satellite,
            lot_id: lot,
            vials: 10,
            sent_on,
            at,
            user_id: actors.supplier_user,
        };
        let id = stock::insert_transfer(conn, &transfer).await?;
        let out = Movement {
            site_id: basic,
            lot_id: lot,
            kind: MovementKind::TransferOut,
            vials: -10,
            occurred_on: sent_on,
            reference_id: Some(id),
            note: "",
            at,
            user_id: None,
        };
        move_vials(conn, &out).await?;
        if wi != 3 {
            stock::settle_transfer(conn, id, Some(sent_on), at, actors.supplier_user).await?;
            let arrived = Movement {
                site_id: satellite,
                kind: MovementKind::TransferIn,
                vials: 10,
                ..out
            };
            move_vials(conn, &arrived).await?;
        }
        // Bクリニック wasted a vial that broke.
        let waste = NewWasteRecord {
            site_id: ids[1],
            lot_id: lot,
            vials: 1,
            occurred_on: sent_on,
            reason: WasteReason::Damaged,
            note: "",
            at,
            user_id: actors.supplier_user,
        };
        let id = stock::insert_waste(conn, &waste).await?;
        let wasted = Movement {
            site_id: ids[1],
            lot_id: lot,
            kind: MovementKind::Waste,
            vials: -1,
            occurred_on: sent_on,
            reference_id: Some(id),
            note: "破損・汚染",
            at,
            user_id: None,
        };
        move_vials(conn, &wasted).await?;
    }
    Ok(())
}

async fn lot_id(conn: &mut AnyConnection, number: &str) -> anyhow::Result<i64> {
    supply::lots(conn)
        .await?
        .into_iter()
        .find(|l| l.lot_number == number)
        .map(|l| l.id)
        .ok_or_else(|| anyhow::anyhow!("demo lot {number} missing"))
}

async fn move_vials(conn: &mut AnyConnection, movement: &Movement<'_>) -> anyhow::Result<()> {
    stock::record_movement(conn, movement)
        .await?
        .map_err(|o| anyhow::anyhow!("demo stock overdrawn: {o:?}"))
}
