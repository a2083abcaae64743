//! Master data (prefectures, municipalities, vaccines) loaded on every start when missing, and
//! the demo data sets: one prefecture for trying the app, or national scale for benchmarks.

use crate::db::audit::{self, Actor, Change};
use crate::db::master::{self, PrefectureRecord};
use crate::db::{policy, users, Db, DbKind};
use crate::security::{hash_password, totp};

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
}

/// The vaccines V-SYS distributed.
pub const VACCINES: &[VaccineSeed] = &[
    VaccineSeed {
        code: "pfizer",
        name_ja: "ファイザー社",
        name_en: "Pfizer",
        doses_per_vial: 6,
        storage_c: (-90, -60),
    },
    VaccineSeed {
        code: "moderna",
        name_ja: "武田（モデルナ）社",
        name_en: "Takeda (Moderna)",
        doses_per_vial: 10,
        storage_c: (-25, -15),
    },
    VaccineSeed {
        code: "astrazeneca",
        name_ja: "アストラゼネカ社",
        name_en: "AstraZeneca",
        doses_per_vial: 10,
        storage_c: (2, 8),
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
pub async fn ensure_master_data(db: &Db, now: i64) -> anyhow::Result<()> {
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
        master::upsert_vaccine(
            &mut tx,
            v.code,
            v.name_ja,
            v.name_en,
            v.doses_per_vial,
            v.storage_c,
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Where a demo user belongs.
enum Affiliation {
    Nationwide,
    Prefecture(i64),
    Municipality(String),
    Site(i64),
    Supplier(i64),
}

/// The password of every demo user.
pub const DEMO_PASSWORD: &str = "hanami-no-kisetsu-26";

/// A demo login to print.
#[derive(Debug, Clone)]
pub struct DemoLogin {
    /// User name.
    pub login_id: &'static str,
    /// Role (Japanese).
    pub role: &'static str,
    /// Organisation.
    pub organisation: String,
    /// Whether logging in asks for an authenticator code.
    pub totp: bool,
}

/// The demo prefecture (東京都).
pub const DEMO_PREFECTURE: i64 = 13;

/// Loads the demo data set: 東京都 with its municipalities, about 50 sites of both types in ten
/// of them, a supplier, and a user of every role. Idempotent: a second run changes nothing.
pub async fn load_demo(db: &Db, now: i64) -> anyhow::Result<Vec<DemoLogin>> {
    let mut tx = db.begin().await?;
    let municipalities = master::municipalities_of(&mut tx, DEMO_PREFECTURE).await?;
    let chiyoda = municipalities
        .iter()
        .find(|m| m.name == "千代田区")
        .ok_or_else(|| anyhow::anyhow!("千代田区 missing"))?
        .code
        .clone();
    if users::by_login_id(&mut tx, "admin").await?.is_none() {
        let mut first_site = None;
        for m in municipalities.iter().take(10) {
            let mut basic_ids = Vec::new();
            for (i, (label, class)) in [
                ("A病院", "hospital"),
                ("Bクリニック", "clinic"),
                ("C診療所", "clinic"),
            ]
            .iter()
            .enumerate()
            {
                let id = master::insert_site(
                    &mut tx,
                    &m.code,
                    &format!("{}{}", m.name, label),
                    "basic",
                    None,
                    class,
                    now,
                )
                .await?;
                if i == 0 && first_site.is_none() {
                    first_site = Some(id);
                }
                basic_ids.push(id);
            }
            for (i, label) in ["D接種会場", "E接種会場"].iter().enumerate() {
                master::insert_site(
                    &mut tx,
                    &m.code,
                    &format!("{}{}", m.name, label),
                    "satellite",
                    Some(basic_ids[i]),
                    "venue",
                    now,
                )
                .await?;
            }
        }
        let supplier = master::ensure_supplier(&mut tx, "さくら医薬品卸（デモ）").await?;
        let site = first_site.ok_or_else(|| anyhow::anyhow!("no demo site"))?;
        let hash = hash_password(DEMO_PASSWORD);
        let consent = policy::current(&mut tx).await?.version;
        let demo_users = [
            ("admin", "管理 太郎", Affiliation::Nationwide, "admin"),
            ("mhlw", "厚労 花子", Affiliation::Nationwide, "national"),
            (
                "tokyo",
                "東京 一郎",
                Affiliation::Prefecture(DEMO_PREFECTURE),
                "prefecture",
            ),
            (
                "chiyoda",
                "千代田 二郎",
                Affiliation::Municipality(chiyoda.clone()),
                "municipality",
            ),
            (
                "minato",
                "港 三郎",
                Affiliation::Municipality("131032".into()),
                "municipality",
            ),
            ("site-a", "病院 四郎", Affiliation::Site(site), "site"),
            (
                "supplier",
                "卸 五郎",
                Affiliation::Supplier(supplier),
                "supplier",
            ),
        ];
        for (login_id, name, affiliation, role) in demo_users {
            let email = format!("{login_id}@demo.vsys.example.jp");
            let record = users::NewUserRecord {
                login_id,
                email: &email,
                display_name: name,
                role,
                prefecture_code: match affiliation {
                    Affiliation::Prefecture(p) => Some(p),
                    _ => None,
                },
                municipality_code: match &affiliation {
                    Affiliation::Municipality(m) => Some(m.as_str()),
                    _ => None,
                },
                site_id: match affiliation {
                    Affiliation::Site(s) => Some(s),
                    _ => None,
                },
                supplier_id: match affiliation {
                    Affiliation::Supplier(s) => Some(s),
                    _ => None,
                },
                created_by: None,
            };
            let id = users::insert(&mut tx, &record, now).await?;
            users::set_password_hash(&mut tx, id, &hash).await?;
            let requires_totp =
                matches!(role, "admin" | "national" | "prefecture" | "municipality");
            if requires_totp {
                users::confirm_totp(&mut tx, id, &totp::new_secret(), 0).await?;
            } else {
                users::set_totp_offered(&mut tx, id).await?;
            }
            policy::consent(&mut tx, id, consent, now).await?;
            let change = Change::user(
                id,
                "issued",
                None,
                Some(format!("{login_id} {role} (demo)")),
            );
            audit::record(&mut tx, now, Actor::SYSTEM, change).await?;
        }
    }
    tx.commit().await?;
    let mut conn = db.pool.acquire().await?;
    let mut logins = Vec::new();
    for (login_id, role) in [
        ("admin", "システム管理者"),
        ("mhlw", "国（厚生労働省）"),
        ("tokyo", "都道府県"),
        ("chiyoda", "市町村"),
        ("minato", "市町村"),
        ("site-a", "医療機関・接種会場"),
        ("supplier", "製薬メーカー・卸"),
    ] {
        if let Some(user) = users::by_login_id(&mut conn, login_id).await? {
            logins.push(DemoLogin {
                login_id,
                role,
                organisation: user.organisation.unwrap_or_else(|| "—".into()),
                totp: user.totp_secret.is_some(),
            });
        }
    }
    Ok(logins)
}

/// The current authenticator code of a user (development aid for the demo logins).
pub async fn current_totp(db: &Db, login_id: &str, now: i64) -> anyhow::Result<String> {
    let mut conn = db.pool.acquire().await?;
    let user = users::by_login_id(&mut conn, login_id)
        .await?
        .ok_or_else(|| anyhow::anyhow!("no user {login_id}"))?;
    let secret = user
        .totp_secret
        .ok_or_else(|| anyhow::anyhow!("{login_id} has no authenticator app"))?;
    totp::code_at(&secret, now.div_euclid(totp::STEP)).ok_or_else(|| anyhow::anyhow!("bad secret"))
}

/// Generates `total` sites spread over every municipality (national scale, for benchmarks):
/// each municipality gets its share, one in four a satellite of the basic site before it.
/// Returns the number of sites in the database afterwards.
pub async fn load_national(db: &Db, total: usize, now: i64) -> anyhow::Result<i64> {
    let mut conn = db.pool.acquire().await?;
    let municipalities: Vec<String> = municipality_seeds()?.into_iter().map(|m| m.code).collect();
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
            rows.push(master::NewSiteRow {
                id: next_id,
                municipality: code.clone(),
                name: format!("接種会場{code}-{n:03}"),
                kind,
                basic,
            });
        }
    }
    for chunk in rows.chunks(500) {
        master::insert_sites_with_ids(&mut conn, chunk, now).await?;
    }
    if db.kind == DbKind::Postgres {
        master::sync_site_id_sequence(&mut conn).await?;
    }
    Ok(master::site_count(&mut conn).await?)
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
