//! 住所地外接種: the municipality where the person is vaccinated registers and decides the
//! application; the municipality of residence reads its residents' applications without the
//! phone number. Both are municipalities acting in their own name: no other role reads this
//! personal data.

use super::{Caller, OrInternal, RequestBackend, Scope};
use crate::db::audit::{self, Change};
use crate::db::out_of_area::{self as db, ApplicationRecord, Side};
use app::api::{ApplicationRow, OutOfAreaApi, OutOfAreaList};
use app::domain::{jst_date, Choice as _, DecisionForm, OutOfAreaFilter, OutOfAreaForm, Role};
use app::error::AppError;
use chrono::{DateTime, Utc};
use sqlx::AnyConnection;

/// Who may read and write applications: municipalities only (personal data).
const MUNICIPALITIES: &[Role] = &[Role::Municipality];

#[async_trait::async_trait]
impl OutOfAreaApi for RequestBackend {
    async fn load_out_of_area(
        &self,
        municipality: String,
        filter: OutOfAreaFilter,
    ) -> Result<OutOfAreaList, AppError> {
        let caller = self
            .authorize(MUNICIPALITIES, Scope::Municipality(municipality.clone()))
            .await?;
        let now = self.now();
        let mut conn = self.conn().await?;
        let found = list(&mut conn, &municipality, &filter, now).await?;
        // The lists hold personal data: who read whose is on the audit log.
        let change = Change {
            entity: "out_of_area",
            entity_id: municipality.clone(),
            field: "list_read",
            old_value: None,
            new_value: Some(format!(
                "受付 {}件 / 住民 {}件",
                found.registered.len(),
                found.residents.len()
            )),
        };
        audit::record(&mut conn, now, caller.actor(), change)
            .await
            .or_internal("audit")?;
        Ok(found)
    }

    async fn register_out_of_area(
        &self,
        municipality: String,
        form: OutOfAreaForm,
    ) -> Result<OutOfAreaList, AppError> {
        let caller = self
            .authorize(MUNICIPALITIES, Scope::Municipality(municipality.clone()))
            .await?;
        let now = self.now();
        let mut tx = self.state.db.begin().await.or_internal("begin")?;
        let residence = form.residence.trim().to_string();
        let known = db::is_municipality(&mut tx, &residence)
            .await
            .or_internal("load municipality")?;
        let application = form
            .validate(
                &municipality,
                |code| known && code == residence,
                jst_date(now),
            )
            .map_err(AppError::Validation)?;
        let id = db::insert(&mut tx, &municipality, &application, now, caller.user.id)
            .await
            .or_internal("insert application")?;
        let summary = format!(
            "{} {} → {}",
            application.received_on,
            application.reason.label().ja,
            application.residence
        );
        record(&mut tx, &caller, now, id, "received", summary).await?;
        tx.commit().await.or_internal("commit")?;
        let mut conn = self.conn().await?;
        list(&mut conn, &municipality, &OutOfAreaFilter::default(), now).await
    }

    async fn decide_out_of_area(
        &self,
        id: i64,
        decision: DecisionForm,
    ) -> Result<OutOfAreaList, AppError> {
        let caller = self.require_role(MUNICIPALITIES).await?;
        let now = self.now();
        let mut tx = self.state.db.begin().await.or_internal("begin")?;
        let municipality = db::owner(&mut tx, id)
            .await
            .or_internal("load application")?
            .ok_or(AppError::NotFound)?;
        // Only the municipality that registered it decides; the one of residence only reads.
        let caller = self
            .within_scope(caller, Scope::Municipality(municipality.clone()))
            .await?;
        let (status, reason) = decision.validate().map_err(AppError::Validation)?;
        db::decide(&mut tx, id, status, &reason, now, caller.user.id)
            .await
            .or_internal("decide application")?;
        let value = match reason.as_str() {
            "" => status.label().ja.to_string(),
            reason => format!("{}: {reason}", status.label().ja),
        };
        record(&mut tx, &caller, now, id, "status", value).await?;
        tx.commit().await.or_internal("commit")?;
        let mut conn = self.conn().await?;
        list(&mut conn, &municipality, &OutOfAreaFilter::default(), now).await
    }
}

async fn record(
    conn: &mut AnyConnection,
    caller: &Caller,
    now: DateTime<Utc>,
    id: i64,
    field: &str,
    new: String,
) -> Result<(), AppError> {
    let change = Change {
        entity: "out_of_area",
        entity_id: id.to_string(),
        field,
        old_value: None,
        new_value: Some(new),
    };
    audit::record(conn, now, caller.actor(), change)
        .await
        .or_internal("audit")
}

fn row(record: ApplicationRecord, with_phone: bool) -> ApplicationRow {
    ApplicationRow {
        id: record.id,
        municipality: record.municipality_name,
        applicant_name: record.applicant_name,
        birth_date: record.birth_date.to_string(),
        phone: with_phone.then_some(record.phone),
        residence: format!("{}{}", record.residence_prefecture, record.residence_name),
        reason: record.reason,
        reason_note: record.reason_note,
        received_on: record.received_on.to_string(),
        status: record.status,
        rejection_reason: record.rejection_reason,
    }
}

/// Both sides of R300 for `municipality`, filtered.
async fn list(
    conn: &mut AnyConnection,
    municipality: &str,
    filter: &OutOfAreaFilter,
    now: DateTime<Utc>,
) -> Result<OutOfAreaList, AppError> {
    let checked = filter.validate().map_err(AppError::Validation)?;
    let mut sides = Vec::new();
    for side in [Side::Registered, Side::Residents] {
        let rows = db::list(conn, municipality, side, &checked)
            .await
            .or_internal("list applications")?;
        sides.push(
            rows.into_iter()
                .map(|r| row(r, side == Side::Registered))
                .collect::<Vec<_>>(),
        );
    }
    let residents = sides.pop().unwrap_or_default();
    let registered = sides.pop().unwrap_or_default();
    Ok(OutOfAreaList {
        today: jst_date(now).to_string(),
        registered,
        residents,
    })
}
