//! The doctors (医師) of a site: list, add or edit, delete.

use super::change_requests::request_view;
use super::site_record::{actor_for, load, site_change, READERS, WRITERS};
use super::{OrInternal, RequestBackend, Scope};
use crate::db::audit::{self};
use crate::db::site_record::{self as db};
use app::api::{Choice, DoctorEdit, DoctorList, DoctorRow, DoctorsApi, SiteRef};
use app::domain::{DoctorForm, Form};
use app::error::{AppError, RefusalReason};

#[async_trait::async_trait]
impl DoctorsApi for RequestBackend {
    async fn load_doctors(&self, site_id: i64) -> Result<DoctorList, AppError> {
        self.authorize(READERS, Scope::Site(site_id)).await?;
        let mut conn = self.conn().await?;
        let loaded = load(&mut conn, site_id).await?;
        let doctors = db::doctors_of(&mut conn, site_id)
            .await
            .or_internal("load doctors")?;
        // Vaccines the pending request adds: selectable for a doctor once it is approved.
        let requested: Vec<String> = db::pending_request(&mut conn, site_id)
            .await
            .or_internal("load pending request")?
            .map(request_view)
            .transpose()?
            .and_then(|r| r.changes.into_iter().find(|c| c.field == "vaccines"))
            .map(|c| c.new.split(',').map(str::to_string).collect())
            .unwrap_or_default();
        let (site_vaccines, rest): (Vec<Choice>, Vec<Choice>) = loaded
            .vaccines
            .into_iter()
            .partition(|v| loaded.form.vaccines.contains(&v.value));
        Ok(DoctorList {
            site: SiteRef {
                id: site_id,
                name: loaded.row.name.clone(),
            },
            site_vaccines,
            pending_vaccines: rest
                .into_iter()
                .filter(|v| requested.contains(&v.value))
                .collect(),
            doctors: doctors.into_iter().map(doctor_row).collect(),
        })
    }

    async fn save_doctor(&self, edit: DoctorEdit) -> Result<DoctorRow, AppError> {
        let site_id = edit.site_id;
        let caller = self.authorize(WRITERS, Scope::Site(site_id)).await?;
        let now = self.now();
        let mut tx = self.state.db.begin().await.or_internal("begin")?;
        let site_vaccines = db::vaccines_of(&mut tx, site_id)
            .await
            .or_internal("load site vaccines")?;
        let doctor = edit
            .doctor
            .validate(&site_vaccines)
            .map_err(AppError::Validation)?;
        let actor = actor_for(&caller, site_id);
        let (id, before) = match edit.doctor_id {
            None => {
                let id = db::insert_doctor(&mut tx, site_id, &doctor, now)
                    .await
                    .or_internal("insert doctor")?;
                (id, DoctorForm::default())
            }
            Some(id) => {
                let before = db::doctors_of(&mut tx, site_id)
                    .await
                    .or_internal("load doctors")?
                    .into_iter()
                    .find(|d| d.id == id)
                    .map(|d| doctor_row(d).doctor)
                    .ok_or(AppError::NotFound)?;
                if !db::update_doctor(&mut tx, site_id, id, &doctor, now)
                    .await
                    .or_internal("update doctor")?
                {
                    return Err(AppError::NotFound);
                }
                (id, before)
            }
        };
        let some = |s: String| (!s.is_empty()).then_some(s);
        for change in doctor.changes_from(&before) {
            let field = format!("doctor:{id}:{}", change.field);
            let row = site_change(site_id, &field, some(change.old), some(change.new));
            audit::record(&mut tx, now, actor, row)
                .await
                .or_internal("audit")?;
        }
        tx.commit().await.or_internal("commit")?;
        Ok(DoctorRow { id, doctor })
    }

    async fn delete_doctor(&self, site_id: i64, doctor_id: i64) -> Result<(), AppError> {
        let caller = self.authorize(WRITERS, Scope::Site(site_id)).await?;
        let now = self.now();
        let mut tx = self.state.db.begin().await.or_internal("begin")?;
        let doctors = db::doctors_of(&mut tx, site_id)
            .await
            .or_internal("load doctors")?;
        let doctor = doctors
            .iter()
            .find(|d| d.id == doctor_id)
            .cloned()
            .ok_or(AppError::NotFound)?;
        if doctors.len() == 1 {
            return Err(AppError::Refused(RefusalReason::LastDoctor));
        }
        db::delete_doctor(&mut tx, site_id, doctor_id)
            .await
            .or_internal("delete doctor")?;
        let field = format!("doctor:{doctor_id}:name");
        audit::record(
            &mut tx,
            now,
            actor_for(&caller, site_id),
            site_change(site_id, &field, Some(doctor.name), None),
        )
        .await
        .or_internal("audit")?;
        tx.commit().await.or_internal("commit")?;
        Ok(())
    }
}

pub(super) fn doctor_row(record: db::DoctorRecord) -> DoctorRow {
    DoctorRow {
        id: record.id,
        doctor: DoctorForm {
            name: record.name,
            kana: record.kana,
            phone: record.phone,
            email: record.email,
            vaccines: record
                .vaccines
                .split(',')
                .filter(|v| !v.is_empty())
                .map(str::to_string)
                .collect(),
        },
    }
}
