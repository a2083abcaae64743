//! Master data (prefectures, municipalities, vaccines) loaded on every start when missing, and
//! the data sets: the demo (one prefecture for trying the app, [`demo`]) and national scale for
//! benchmarks ([`national`]).

mod demo;
mod demo_deliveries;
mod demo_help;
mod demo_records;
mod demo_supply;
mod national;
mod national_records;
mod national_supply;

pub use demo::*;
pub use demo_help::{demo_pdf, load_knowledge};
pub use national::*;
pub use national_records::*;
pub use national_supply::*;

use crate::db::audit::{self, Actor, Change};
use crate::db::master::{self, PrefectureRecord};
use crate::db::{users, Db};
use crate::security::{totp, SecretBox};
use chrono::{DateTime, Utc};

const PREFECTURES_CSV: &str = include_str!("../data/prefjp-utf8.csv");
const MUNICIPALITIES_CSV: &str = include_str!("../data/localgovjp-utf8.csv");

/// A vaccine of the master data.
pub struct VaccineSeed {
    /// Stable code.
    pub code: &'static str,
    /// Name as users know it.
    pub name_ja: &'static str,
    /// English name.
    pub name_en: &'static str,
    /// Doses drawn from one vial.
    pub doses_per_vial: i64,
    /// Storage temperature range, ℃.
    pub storage_c: (i64, i64),
    /// Vials in one box.
    pub vials_per_box: i64,
    /// Needles and syringes delivered with each vial (one each per dose).
    pub needles_and_syringes_per_vial: i64,
    /// What kind of needles and syringes travel with the vaccine.
    pub needle_syringe_note: &'static str,
}

/// The vaccines V-SYS distributed.
pub const VACCINES: &[VaccineSeed] = &[
    VaccineSeed {
        code: "pfizer",
        name_ja: "ファイザー社",
        name_en: "Pfizer",
        doses_per_vial: 6,
        storage_c: (-90, -60),
        vials_per_box: 195,
        needles_and_syringes_per_vial: 6,
        needle_syringe_note: "低デッドスペースシリンジ（1mL）・注射針（25G 25mm）",
    },
    VaccineSeed {
        code: "moderna",
        name_ja: "武田（モデルナ）社",
        name_en: "Takeda (Moderna)",
        doses_per_vial: 10,
        storage_c: (-25, -15),
        vials_per_box: 10,
        needles_and_syringes_per_vial: 10,
        needle_syringe_note: "シリンジ（1mL）・注射針（23G 25mm）",
    },
    VaccineSeed {
        code: "astrazeneca",
        name_ja: "アストラゼネカ社",
        name_en: "AstraZeneca",
        doses_per_vial: 10,
        storage_c: (2, 8),
        vials_per_box: 10,
        needles_and_syringes_per_vial: 10,
        needle_syringe_note: "シリンジ（1mL）・注射針（23G 25mm）",
    },
];

/// A municipality parsed from the reference CSV.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MunicipalitySeed {
    /// 全国地方公共団体コード.
    pub code: String,
    /// Prefecture.
    pub prefecture_code: i64,
    /// Name.
    pub name: String,
    /// Reading.
    pub name_kana: String,
}

/// The 47 prefectures from the reference CSV.
pub fn prefecture_seeds() -> anyhow::Result<Vec<PrefectureRecord>> {
    let mut reader =
        csv::Reader::from_reader(PREFECTURES_CSV.trim_start_matches('\u{feff}').as_bytes());
    let mut out = Vec::new();
    for row in reader.records() {
        let row = row?;
        out.push(PrefectureRecord {
            code: row[0].parse()?,
            name: row[1].to_string(),
            name_kana: row[2].to_string(),
            name_en: row[5].to_string(),
        });
    }
    Ok(out)
}

/// The 1,741 municipalities: every row of the reference CSV except designated-city wards.
pub fn municipality_seeds() -> anyhow::Result<Vec<MunicipalitySeed>> {
    let mut reader =
        csv::Reader::from_reader(MUNICIPALITIES_CSV.trim_start_matches('\u{feff}').as_bytes());
    let mut out = Vec::new();
    for row in reader.records() {
        let row = row?;
        let name = &row[3];
        if name.contains(' ') {
            continue;
        }
        let code = app::domain::MunicipalityCode::parse(&row[9])
            .map_err(|e| anyhow::anyhow!("bad municipality code {}: {e:?}", &row[9]))?;
        out.push(MunicipalitySeed {
            code: code.as_str().to_string(),
            prefecture_code: row[0].parse()?,
            name: name.to_string(),
            name_kana: row[4].to_string(),
        });
    }
    Ok(out)
}

/// Loads prefectures, municipalities and vaccines when the database has none (idempotent).
pub async fn ensure_master_data(db: &Db, now: DateTime<Utc>) -> anyhow::Result<()> {
    let mut tx = db.begin().await?;
    if master::prefecture_count(&mut tx).await? == 0 {
        for prefecture in prefecture_seeds()? {
            master::insert_prefecture(&mut tx, &prefecture).await?;
        }
        for m in municipality_seeds()? {
            master::insert_municipality(&mut tx, &m.code, m.prefecture_code, &m.name, &m.name_kana)
                .await?;
        }
        let change = Change {
            entity: "master",
            entity_id: "municipalities".into(),
            field: "imported",
            old_value: None,
            new_value: Some("localgovjp".into()),
        };
        audit::record(&mut tx, now, Actor::SYSTEM, change).await?;
    }
    for v in VACCINES {
        master::upsert_vaccine(&mut tx, v).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// The current authenticator code of a user (development aid for the demo logins).
pub async fn current_totp(
    db: &Db,
    secrets: &SecretBox,
    login_id: &str,
    now: DateTime<Utc>,
) -> anyhow::Result<String> {
    let mut conn = db.pool.acquire().await?;
    let user = users::by_login_id(&mut conn, login_id)
        .await?
        .ok_or_else(|| anyhow::anyhow!("no user {login_id}"))?;
    let sealed = user
        .totp_secret
        .ok_or_else(|| anyhow::anyhow!("{login_id} has no authenticator app"))?;
    let secret = secrets
        .open_totp(user.id, &sealed)
        .ok_or_else(|| anyhow::anyhow!("the secret does not open with this key (VSYS_TOTP_KEY)"))?;
    totp::code_at(&secret, totp::step_at(now)).ok_or_else(|| anyhow::anyhow!("bad secret"))
}

/// Encrypts authenticator secrets that a database from before encryption at rest still holds in
/// plain text (idempotent: sealed values are left alone).
pub async fn seal_plain_totp_secrets(db: &Db, secrets: &SecretBox) -> anyhow::Result<()> {
    let mut tx = db.begin().await?;
    let mut sealed = 0;
    for (user_id, secret, pending) in users::stored_totp_secrets(&mut tx).await? {
        let seal = |value: Option<String>| match value {
            Some(v) if !SecretBox::is_sealed(&v) => Some(secrets.seal_totp(user_id, &v)),
            other => other,
        };
        let (new_secret, new_pending) = (seal(secret.clone()), seal(pending.clone()));
        if new_secret != secret || new_pending != pending {
            users::replace_totp_secrets(&mut tx, user_id, new_secret, new_pending).await?;
            sealed += 1;
        }
    }
    tx.commit().await?;
    if sealed > 0 {
        tracing::info!(users = sealed, "encrypted plain-text authenticator secrets");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reference_data_has_47_prefectures_and_1741_municipalities() {
        assert_eq!(prefecture_seeds().unwrap().len(), 47);
        let municipalities = municipality_seeds().unwrap();
        assert_eq!(municipalities.len(), 1741);
        assert!(municipalities
            .iter()
            .any(|m| m.name == "千代田区" && m.code == "131016"));
        assert!(municipalities.iter().all(|m| !m.name.contains(' ')));
    }

    #[test]
    fn demo_password_passes_the_password_rules() {
        assert!(app::domain::NewPassword::parse(
            DEMO_PASSWORD,
            "site-a",
            "site-a@demo.vsys.example.jp"
        )
        .is_ok());
    }
}
