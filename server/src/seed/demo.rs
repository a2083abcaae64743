//! The demo data set: one prefecture's users of every role, sites with records, doctors,
//! change requests and reservation statuses, for trying the app.

use super::VACCINES;
use crate::db::audit::{self, Actor, Change};
use crate::db::{master, policy, users, Db};
use crate::security::{hash_password, totp, SecretBox};
use chrono::{DateTime, TimeDelta, Utc};

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
///
/// Every site but one has a full, valid record and one doctor, so the app and the public finder
/// show something real; 千代田区A病院, the site of the demo user site-a, keeps only its name,
/// for its first login walks the record through STEP 2–4.
pub async fn load_demo(
    db: &Db,
    secrets: &SecretBox,
    now: DateTime<Utc>,
) -> anyhow::Result<Vec<DemoLogin>> {
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
        let mut demo_sites = Vec::new();
        for m in municipalities.iter().take(10) {
            let mut basic_ids = Vec::new();
            let mut ids = Vec::new();
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
                ids.push(id);
            }
            for (i, label) in ["D接種会場", "E接種会場"].iter().enumerate() {
                let id = master::insert_site(
                    &mut tx,
                    &m.code,
                    &format!("{}{}", m.name, label),
                    "satellite",
                    Some(basic_ids[i]),
                    "venue",
                    now,
                )
                .await?;
                ids.push(id);
            }
            demo_sites.push((m.clone(), ids));
        }
        for (mi, (m, ids)) in demo_sites.iter().enumerate() {
            for (li, &id) in ids.iter().enumerate() {
                // site-a's own site stays as imported: its first login walks STEP 2–4.
                if Some(id) == first_site {
                    continue;
                }
                write_demo_record(&mut tx, m, mi, li, id, ids, now).await?;
            }
        }
        let supplier = master::ensure_supplier(&mut tx, "さくら医薬品卸（デモ）").await?;
        // The demo wholesaler serves 千代田区 only, so 港区 shows what lies outside an area.
        if crate::db::suppliers::supplier_area(&mut tx, supplier)
            .await?
            .is_empty()
        {
            crate::db::suppliers::add_supplier_area(
                &mut tx,
                supplier,
                DEMO_PREFECTURE,
                Some(chiyoda.as_str()),
            )
            .await?;
        }
        super::demo_supply::load_demo_supply(&mut tx, &demo_sites, supplier, now).await?;
        let site = first_site.ok_or_else(|| anyhow::anyhow!("no demo site"))?;
        // 千代田区D接種会場, site-a's satellite: it receives its vials by transfer.
        let satellite = demo_sites
            .first()
            .and_then(|(_, ids)| ids.get(3).copied())
            .ok_or_else(|| anyhow::anyhow!("no demo satellite"))?;
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
            ("site-d", "会場 六子", Affiliation::Site(satellite), "site"),
            (
                "supplier",
                "卸 五郎",
                Affiliation::Supplier(supplier),
                "supplier",
            ),
        ];
        let (mut prefecture_user, mut supplier_user) = (None, None);
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
            match login_id {
                "tokyo" => prefecture_user = Some(id),
                "supplier" => supplier_user = Some(id),
                _ => {}
            }
            users::set_password_hash(&mut tx, id, &hash).await?;
            let requires_totp =
                matches!(role, "admin" | "national" | "prefecture" | "municipality");
            if requires_totp {
                let sealed = secrets.seal_totp(id, &totp::new_secret());
                users::confirm_totp(&mut tx, id, &sealed, 0).await?;
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
        let actors = super::demo_deliveries::DemoActors {
            prefecture_user: prefecture_user
                .ok_or_else(|| anyhow::anyhow!("no demo prefecture user"))?,
            supplier_user: supplier_user.ok_or_else(|| anyhow::anyhow!("no demo supplier user"))?,
            supplier,
        };
        super::demo_deliveries::load_finished_cool(&mut tx, &demo_sites, &actors, now).await?;
        super::demo_records::load_recent_records(&mut tx, &demo_sites, now).await?;
        let mut ids = Vec::new();
        for login_id in ["admin", "mhlw", "tokyo", "chiyoda"] {
            let user = users::by_login_id(&mut tx, login_id)
                .await?
                .ok_or_else(|| anyhow::anyhow!("demo user {login_id} missing"))?;
            ids.push(user.id);
        }
        let authors = super::demo_help::HelpAuthors {
            admin: ids[0],
            national: ids[1],
            prefecture: ids[2],
            municipality: ids[3],
            chiyoda: chiyoda.clone(),
        };
        super::demo_help::load_demo_help(&mut tx, db.kind, &authors, now).await?;
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
        ("site-d", "医療機関・接種会場"),
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

/// What the demo sites of one ward share: its English name, a postal code and a town.
struct DemoWard {
    name: &'static str,
    en: &'static str,
    postal_code: &'static str,
    town: &'static str,
}

/// The ten wards of the demo data set (the first ten municipalities of 東京都 by code).
const DEMO_WARDS: &[DemoWard] = &[
    DemoWard {
        name: "千代田区",
        en: "Chiyoda",
        postal_code: "101-0021",
        town: "外神田",
    },
    DemoWard {
        name: "中央区",
        en: "Chuo",
        postal_code: "104-0061",
        town: "銀座",
    },
    DemoWard {
        name: "港区",
        en: "Minato",
        postal_code: "106-0032",
        town: "六本木",
    },
    DemoWard {
        name: "新宿区",
        en: "Shinjuku",
        postal_code: "160-0022",
        town: "新宿",
    },
    DemoWard {
        name: "文京区",
        en: "Bunkyo",
        postal_code: "113-0033",
        town: "本郷",
    },
    DemoWard {
        name: "台東区",
        en: "Taito",
        postal_code: "110-0005",
        town: "上野",
    },
    DemoWard {
        name: "墨田区",
        en: "Sumida",
        postal_code: "130-0022",
        town: "江東橋",
    },
    DemoWard {
        name: "江東区",
        en: "Koto",
        postal_code: "135-0016",
        town: "東陽",
    },
    DemoWard {
        name: "品川区",
        en: "Shinagawa",
        postal_code: "141-0032",
        town: "大崎",
    },
    DemoWard {
        name: "目黒区",
        en: "Meguro",
        postal_code: "153-0063",
        town: "目黒",
    },
];

/// Demo doctors and managers: name and reading in hiragana.
const DEMO_PEOPLE: &[(&str, &str)] = &[
    ("佐藤 健一", "さとう けんいち"),
    ("鈴木 美咲", "すずき みさき"),
    ("高橋 誠", "たかはし まこと"),
    ("田中 陽子", "たなか ようこ"),
    ("伊藤 大輔", "いとう だいすけ"),
    ("渡辺 恵", "わたなべ めぐみ"),
    ("山本 拓也", "やまもと たくや"),
    ("中村 由美", "なかむら ゆみ"),
    ("小林 直樹", "こばやし なおき"),
    ("加藤 綾", "かとう あや"),
    ("吉田 悠斗", "よしだ ゆうと"),
    ("山田 真理", "やまだ まり"),
    ("佐々木 翔", "ささき しょう"),
];

/// How long before the demo's start the status of some sites was last set (older than the
/// finder's 14 days, so the finder shows what an out-of-date status looks like).
const DEMO_STALE: TimeDelta = TimeDelta::days(20);

/// Writes the full record and one doctor of demo site `id`, the `li`-th site (A病院, Bクリニック,
/// C診療所, D接種会場, E接種会場) of the `mi`-th demo municipality `m`, whose sites are `ids`.
/// Values vary with `mi` and `li`: vaccines, reservation status (the C診療所 and some
/// E接種会場 never set one), 一般受入 (C診療所 are 一般不可), English names and notices.
async fn write_demo_record(
    conn: &mut sqlx::AnyConnection,
    m: &master::MunicipalityRecord,
    mi: usize,
    li: usize,
    id: i64,
    ids: &[i64],
    now: DateTime<Utc>,
) -> anyhow::Result<()> {
    use crate::db::site_record;
    use app::domain::{
        Booking, Contact, DoctorForm, FacilityClass, GeneralPublic, ReservationStatus, SiteForm,
        SiteRules, SiteType,
    };

    const LABELS: [&str; 5] = ["A病院", "Bクリニック", "C診療所", "D接種会場", "E接種会場"];
    const LABELS_KANA: [&str; 5] = [
        "えーびょういん",
        "びーくりにっく",
        "しーしんりょうじょ",
        "でぃーせっしゅかいじょう",
        "いーせっしゅかいじょう",
    ];
    const LABELS_EN: [&str; 5] = [
        "A Hospital",
        "B Clinic",
        "C Clinic",
        "D Vaccination Site",
        "E Vaccination Site",
    ];
    let ward = DEMO_WARDS.iter().find(|w| w.name == m.name);
    let (ward_en, postal_code, town) = ward
        .map(|w| (w.en, w.postal_code, w.town))
        .unwrap_or(("", "163-8001", ""));
    let slug = format!(
        "{}-{}",
        if ward_en.is_empty() {
            m.code.clone()
        } else {
            ward_en.to_lowercase()
        },
        ["a", "b", "c", "d", "e"][li]
    );
    let n = mi * 5 + li;
    let person = |k: usize| DEMO_PEOPLE[(n * 2 + k) % DEMO_PEOPLE.len()];
    let phone = |line: usize| format!("03-{:04}-{:04}", 3200 + mi * 10 + li, 1000 + line * 111);
    let vaccines: &[&str] = match (li, mi % 3, mi % 2) {
        (0, _, _) => &["pfizer", "moderna"],
        (1, 0, _) | (2, _, _) | (4, _, 0) => &["moderna"],
        (1, 1, _) | (3, _, _) => &["pfizer"],
        (1, _, _) => &["moderna", "astrazeneca"],
        _ => &["astrazeneca"],
    };
    let vaccines: Vec<String> = vaccines.iter().map(|v| v.to_string()).collect();
    use ReservationStatus::{Available, Full, NotAccepting, NotRequired};
    let status = match li {
        0 => Some(Available),
        1 => Some([Full, Available, NotAccepting][mi % 3]),
        2 => None,
        3 => Some([Available, NotRequired][mi % 2]),
        _ => [None, Some(Full)][mi % 2],
    };
    let with_en_name = li == 0 || li == 3 || (li == 1 && mi % 2 == 1);
    let with_web = li != 2 && (li != 1 || mi % 2 == 1);
    let (hours, hours_en) = if li >= 3 {
        ("土日 10:00〜16:00", "Sat–Sun 10:00–16:00")
    } else {
        (
            "月〜金 9:00〜17:00（土 9:00〜12:00）",
            "Mon–Fri 9:00–17:00 (Sat 9:00–12:00)",
        )
    };
    let (doctor_name, doctor_kana) = person(0);
    let form = SiteForm {
        facility_class: Some(
            [
                FacilityClass::Hospital,
                FacilityClass::Clinic,
                FacilityClass::Clinic,
                FacilityClass::Venue,
                FacilityClass::Venue,
            ][li],
        ),
        name: format!("{}{}", m.name, LABELS[li]),
        name_kana: format!("{} {}", m.name_kana, LABELS_KANA[li]),
        name_en: if with_en_name && !ward_en.is_empty() {
            format!("{ward_en} {}", LABELS_EN[li])
        } else {
            String::new()
        },
        representative: person(1).0.into(),
        postal_code: postal_code.into(),
        address: format!("{town}{}-{}-{}", li + 1, mi + 2, (li * 3) % 9 + 1),
        phone: phone(0),
        reservation_status: Some(status.unwrap_or(Available)),
        vaccines: vaccines.clone(),
        site_type: Some(if li >= 3 {
            SiteType::Satellite
        } else {
            SiteType::Basic
        }),
        basic_site_id: if li >= 3 {
            ids[li - 3].to_string()
        } else {
            String::new()
        },
        homepage: if li <= 1 {
            format!("https://{slug}.example.jp/")
        } else {
            String::new()
        },
        parking: if li == 0 { "20".into() } else { String::new() },
        doctor_affiliation: if li >= 3 {
            format!("{}{}", m.name, LABELS[li - 3])
        } else {
            "内科".into()
        },
        doctor_phone: phone(1),
        doctor_name: doctor_name.into(),
        doctor_kana: doctor_kana.into(),
        doctor_email: format!("vaccination@{slug}.example.jp"),
        storage: if li == 0 {
            Contact {
                affiliation: "薬剤部".into(),
                phone: phone(2),
                name: person(2).0.into(),
                email: String::new(),
            }
        } else {
            Contact::default()
        },
        dryice: if vaccines.iter().any(|v| v == "pfizer") {
            Contact {
                name: person(2).0.into(),
                phone: phone(2),
                ..Contact::default()
            }
        } else {
            Contact::default()
        },
        public_phone: phone(3),
        public_url: if with_web {
            format!("https://{slug}.example.jp/yoyaku")
        } else {
            String::new()
        },
        booking_phone: Some(Booking::Possible),
        booking_web: Some(if with_web {
            Booking::Possible
        } else {
            Booking::Impossible
        }),
        hours: hours.into(),
        hours_en: hours_en.into(),
        general_public: Some(if li == 2 {
            GeneralPublic::Restricted
        } else {
            GeneralPublic::General
        }),
        notice: match li {
            0 => "予約は電話またはWebで受け付けています。接種当日は予診票と本人確認書類をお持ちください。".into(),
            3 => "会場には駐車場がありません。公共交通機関をご利用ください。".into(),
            _ => String::new(),
        },
        notice_easy: if li == 0 {
            "よやくは でんわ か インターネットで して ください。ちゅうしゃの ひは、よしんひょうと ほけんしょうを もって きて ください。".into()
        } else {
            String::new()
        },
        notice_en: if li == 0 {
            "Book by phone or online. Please bring your pre-vaccination questionnaire and an ID on the day.".into()
        } else {
            String::new()
        },
        ..SiteForm::default()
    };
    let basic_site_ids: Vec<i64> = ids[..3].iter().copied().filter(|&b| b != id).collect();
    let rules = SiteRules {
        vaccine_codes: VACCINES.iter().map(|v| v.code.to_string()).collect(),
        basic_site_ids,
    };
    // A site that never set its status still has a complete record: it is validated with a
    // status, as its first save will be, and stored as 未登録.
    let mut stored = form
        .validate(&rules)
        .map_err(|e| anyhow::anyhow!("demo record of {} is invalid: {e:?}", form.name))?;
    if status.is_none() {
        stored.reservation_status = Some(ReservationStatus::Unregistered);
    }
    let at = if li == 1 && mi % 3 == 2 {
        now - DEMO_STALE
    } else {
        now
    };
    if !site_record::write(conn, id, 1, &stored, status.is_some(), at).await? {
        anyhow::bail!("demo site {id} changed while it was written");
    }
    let doctor = DoctorForm {
        name: doctor_name.into(),
        kana: doctor_kana.into(),
        phone: phone(1),
        email: format!("vaccination@{slug}.example.jp"),
        vaccines: stored.vaccines.clone(),
    }
    .validate(&stored.vaccines)
    .map_err(|e| anyhow::anyhow!("demo doctor of {} is invalid: {e:?}", stored.name))?;
    site_record::insert_doctor(conn, id, &doctor, now).await?;
    Ok(())
}
