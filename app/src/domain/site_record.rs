//! The whole site record (医療機関・接種会場の編集) as one form: what the user typed,
//! the rules that turn it into a stored record, and the table of its fields with the labels
//! users know, which history, change requests and conflicts use to name a field.

use crate::domain::{
    parse_date, ContractDates, Count, EmailAddress, Furigana, PhoneNumber, PostalCode,
    ReservationStatus, WebUrl,
};
use crate::error::{FieldError, FieldErrors};
use crate::text::{clean, digits_only};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The sections of the form, in the order of the seed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Section {
    /// ▼ 情報
    Info,
    /// ▼ 医療機関情報(受付システム)
    Reception,
    /// 保険医療機関コード等の変更 (5/31 release)
    CodeChange,
    /// 取扱ワクチン and 型
    VaccinesAndType,
    /// ▼ メーカーによる詳細説明の要否
    Explanation,
    /// ▼ ワクチン接種の責任者等（医師）
    Doctor,
    /// ▼ ワクチン保管管理の責任者等 (hospitals)
    Storage,
    /// ▼ 針・シリンジの保管管理の責任者等 (hospitals)
    Needle,
    /// ▼ ドライアイス保管管理の責任者等 (sites handling Pfizer)
    DryIce,
    /// 保管等に関する土日祝日の連絡担当者
    Weekend,
    /// ▼ コロナワクチンナビでの公開情報
    Public,
    /// ▼ 市町村による確認箇所
    Municipality,
}

/// One field of the record: its key (the [`SiteForm`] field name, also the key of its errors),
/// its labels, and whether changing it needs the municipality's approval.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FieldSpec {
    /// The [`SiteForm`] field name.
    pub key: &'static str,
    /// The section it is shown in.
    pub section: Section,
    /// The Japanese label, exactly as users know it.
    pub ja: &'static str,
    /// The English label.
    pub en: &'static str,
    /// A change creates a 申請 instead of applying at once.
    pub needs_approval: bool,
}

const fn spec(
    key: &'static str,
    section: Section,
    ja: &'static str,
    en: &'static str,
) -> FieldSpec {
    FieldSpec {
        key,
        section,
        ja,
        en,
        needs_approval: false,
    }
}

const fn approval(
    key: &'static str,
    section: Section,
    ja: &'static str,
    en: &'static str,
) -> FieldSpec {
    FieldSpec {
        key,
        section,
        ja,
        en,
        needs_approval: true,
    }
}

use Section::*;

/// Every field of the record, in form order.
pub const SITE_FIELDS: &[FieldSpec] = &[
    spec("facility_class", Info, "施設分類", "Facility type"),
    spec("fax", Info, "ファクシミリ", "Fax"),
    spec("homepage", Info, "ホームページ", "Website"),
    spec(
        "freezer_deep",
        Info,
        "ディープフリーザー(-75℃)(台)",
        "Deep freezers (-75°C)",
    ),
    spec(
        "freezer_cold",
        Info,
        "ディープフリーザー(-20℃)(台)",
        "Freezers (-20°C)",
    ),
    spec("parking", Info, "駐車場(例:10台)", "Parking spaces"),
    spec(
        "delivery_name",
        Info,
        "納入先施設名",
        "Delivery facility name",
    ),
    spec("delivery_address", Info, "納入先住所", "Delivery address"),
    spec(
        "reservation_status",
        Info,
        "予約空き状況",
        "Reservation status",
    ),
    spec(
        "insurance_code",
        Reception,
        "保険医療機関コード",
        "Medical institution code",
    ),
    spec(
        "care_code",
        Reception,
        "介護保険事業所番号",
        "Care insurance provider number",
    ),
    spec("name", Reception, "医療機関・接種会場名", "Site name"),
    approval("representative", Reception, "代表者名", "Representative"),
    spec(
        "postal_code",
        Reception,
        "郵便番号(000-0000)",
        "Postal code (000-0000)",
    ),
    spec("address", Reception, "町名・番地", "Street address"),
    spec("phone", Reception, "代表電話番号", "Main phone"),
    approval(
        "contract_joined",
        Reception,
        "集合契約加入日",
        "Joined the collective contract",
    ),
    approval(
        "contract_left",
        Reception,
        "集合契約脱退日",
        "Left the collective contract",
    ),
    approval(
        "insurance_code_new",
        CodeChange,
        "新保険医療機関コード",
        "New medical institution code",
    ),
    approval(
        "care_code_new",
        CodeChange,
        "新介護保険事業所番号",
        "New care insurance provider number",
    ),
    approval(
        "code_change_date",
        CodeChange,
        "コード変更日",
        "Code change date",
    ),
    approval(
        "vaccines",
        VaccinesAndType,
        "取扱ワクチン",
        "Vaccines handled",
    ),
    approval("site_type", VaccinesAndType, "型", "Type"),
    approval(
        "basic_site_id",
        VaccinesAndType,
        "基本型の医療機関・接種会場",
        "Basic site",
    ),
    spec(
        "explanation_declined",
        Explanation,
        "メーカーによる詳細説明",
        "Explanation by the manufacturer",
    ),
    spec(
        "doctor_affiliation",
        Doctor,
        "ワクチン接種の責任者の所属先",
        "Affiliation of the doctor in charge",
    ),
    spec(
        "doctor_phone",
        Doctor,
        "ワクチン接種の担当部署の電話番号",
        "Phone of the vaccination department",
    ),
    spec(
        "doctor_name",
        Doctor,
        "ワクチン接種の責任者（医師）氏名（厚労 太郎）",
        "Doctor in charge (name)",
    ),
    spec(
        "doctor_kana",
        Doctor,
        "ワクチン接種の責任者（医師）氏名（こうろう たろう）",
        "Doctor in charge (reading in hiragana)",
    ),
    spec(
        "doctor_email",
        Doctor,
        "ワクチン接種の担当部署のメールアドレス",
        "E-mail of the vaccination department",
    ),
    spec(
        "doctor_no_email",
        Doctor,
        "メールアドレス登録を希望しない",
        "Do not register an e-mail address",
    ),
    spec(
        "storage_affiliation",
        Storage,
        "ワクチンの保管管理の責任者の所属先",
        "Affiliation of the storage manager",
    ),
    spec(
        "storage_phone",
        Storage,
        "ワクチンの保管管理の担当部署の電話番号",
        "Phone of the storage department",
    ),
    spec(
        "storage_name",
        Storage,
        "ワクチンの保管管理の責任者氏名（厚労 太郎）",
        "Storage manager (name)",
    ),
    spec(
        "storage_email",
        Storage,
        "ワクチンの保管管理の担当部署のメールアドレス",
        "E-mail of the storage department",
    ),
    spec(
        "needle_affiliation",
        Needle,
        "針・シリンジ保管管理の責任者の所属先",
        "Affiliation of the needle and syringe manager",
    ),
    spec(
        "needle_phone",
        Needle,
        "針・シリンジ保管管理の担当部署の電話番号",
        "Phone of the needle and syringe department",
    ),
    spec(
        "needle_name",
        Needle,
        "針・シリンジ保管管理の責任者氏名（厚労 太郎）",
        "Needle and syringe manager (name)",
    ),
    spec(
        "needle_email",
        Needle,
        "針・シリンジ保管管理の担当部署のメールアドレス",
        "E-mail of the needle and syringe department",
    ),
    spec(
        "dryice_affiliation",
        DryIce,
        "ドライアイス保管管理の責任者の所属先",
        "Affiliation of the dry ice manager",
    ),
    spec(
        "dryice_phone",
        DryIce,
        "ドライアイス保管管理の担当部署の電話番号",
        "Phone of the dry ice department",
    ),
    spec(
        "dryice_name",
        DryIce,
        "ドライアイス保管管理の責任者氏名（厚労 太郎）",
        "Dry ice manager (name)",
    ),
    spec(
        "dryice_email",
        DryIce,
        "ドライアイス保管管理の担当部署のメールアドレス",
        "E-mail of the dry ice department",
    ),
    spec(
        "weekend_name",
        Weekend,
        "土日祝日の連絡担当者氏名",
        "Weekend and holiday contact (name)",
    ),
    spec(
        "weekend_phone",
        Weekend,
        "土日祝日の連絡担当者電話番号",
        "Weekend and holiday contact (phone)",
    ),
    spec(
        "public_phone",
        Public,
        "予約受付の電話番号",
        "Phone for reservations",
    ),
    spec(
        "public_url",
        Public,
        "予約受付サイトURL",
        "Reservation website",
    ),
    spec(
        "booking_phone",
        Public,
        "予約可否(電話番号)",
        "Reservations by phone",
    ),
    spec(
        "booking_web",
        Public,
        "予約可否(Web)",
        "Reservations on the web",
    ),
    spec("hours", Public, "受付時間", "Reception hours"),
    spec(
        "hours_en",
        Public,
        "受付時間(英語)",
        "Reception hours (English)",
    ),
    approval("general_public", Public, "一般受入", "Open to the public"),
    spec(
        "name_kana",
        Public,
        "医療機関・接種会場名(ふりがな)",
        "Site name (hiragana)",
    ),
    spec(
        "name_en",
        Public,
        "医療機関・接種会場名(英語)",
        "Site name (English)",
    ),
    spec(
        "notice",
        Public,
        "医療機関・接種会場からのお知らせ",
        "Notice from the site",
    ),
    spec(
        "notice_easy",
        Public,
        "医療機関・接種会場からのお知らせ(やさしい日本語)",
        "Notice from the site (easy Japanese)",
    ),
    spec(
        "notice_en",
        Public,
        "医療機関・接種会場からのお知らせ(英語)",
        "Notice from the site (English)",
    ),
    approval(
        "proxy_booking",
        Municipality,
        "代行入力フラグ",
        "Municipality takes reservations",
    ),
];

/// The field with this key.
pub fn site_field(key: &str) -> Option<&'static FieldSpec> {
    SITE_FIELDS.iter().find(|f| f.key == key)
}

/// 施設分類: hospitals get the storage sections.
pub const FACILITY_CLASSES: [&str; 3] = ["hospital", "clinic", "venue"];
/// 一般受入: 一般向け (anyone) or 一般不可 (specific people only).
pub const GENERAL_PUBLIC: [&str; 2] = ["general", "restricted"];
/// 代行入力フラグ: 要 or 不要.
pub const PROXY_BOOKING: [&str; 2] = ["required", "not_required"];
/// 予約可否: 可 or 不可 (or not said).
pub const BOOKING: [&str; 2] = ["possible", "impossible"];
/// The vaccine whose sites fill in the dry ice section.
pub const PFIZER: &str = "pfizer";

/// One field's value before and after a change, as stored (see [`SiteForm::values`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldChange {
    /// The field key.
    pub field: String,
    /// Before.
    pub old: String,
    /// After.
    pub new: String,
}

/// What the municipality's choices allow: vaccines that exist and the basic sites a satellite
/// may name. The browser gets these with the record and the server reads them again.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SiteRules {
    /// Codes of every vaccine.
    pub vaccine_codes: Vec<String>,
    /// Ids of the basic sites of the municipality, other than the site itself.
    pub basic_site_ids: Vec<i64>,
}

/// The site record as typed: every field a string (or a flag, or a list of codes), so that
/// nothing the user typed is lost while it is still invalid. [`SiteForm::validate`] returns the
/// normalised form that is stored.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
#[allow(missing_docs)] // each field is named in `SITE_FIELDS` with its label
pub struct SiteForm {
    pub facility_class: String,
    pub fax: String,
    pub homepage: String,
    pub freezer_deep: String,
    pub freezer_cold: String,
    pub parking: String,
    pub delivery_name: String,
    pub delivery_address: String,
    pub reservation_status: String,
    pub insurance_code: String,
    pub care_code: String,
    pub name: String,
    pub representative: String,
    pub postal_code: String,
    pub address: String,
    pub phone: String,
    pub contract_joined: String,
    pub contract_left: String,
    pub insurance_code_new: String,
    pub care_code_new: String,
    pub code_change_date: String,
    pub vaccines: Vec<String>,
    pub site_type: String,
    pub basic_site_id: String,
    pub explanation_declined: Vec<String>,
    pub doctor_affiliation: String,
    pub doctor_phone: String,
    pub doctor_name: String,
    pub doctor_kana: String,
    pub doctor_email: String,
    pub doctor_no_email: bool,
    pub storage_affiliation: String,
    pub storage_phone: String,
    pub storage_name: String,
    pub storage_email: String,
    pub needle_affiliation: String,
    pub needle_phone: String,
    pub needle_name: String,
    pub needle_email: String,
    pub dryice_affiliation: String,
    pub dryice_phone: String,
    pub dryice_name: String,
    pub dryice_email: String,
    pub weekend_name: String,
    pub weekend_phone: String,
    pub public_phone: String,
    pub public_url: String,
    pub booking_phone: String,
    pub booking_web: String,
    pub hours: String,
    pub hours_en: String,
    pub general_public: String,
    pub name_kana: String,
    pub name_en: String,
    pub notice: String,
    pub notice_easy: String,
    pub notice_en: String,
    pub proxy_booking: String,
}

impl Default for SiteForm {
    fn default() -> Self {
        Self {
            facility_class: "clinic".into(),
            fax: String::new(),
            homepage: String::new(),
            freezer_deep: String::new(),
            freezer_cold: String::new(),
            parking: String::new(),
            delivery_name: String::new(),
            delivery_address: String::new(),
            reservation_status: ReservationStatus::Unregistered.as_str().into(),
            insurance_code: String::new(),
            care_code: String::new(),
            name: String::new(),
            representative: String::new(),
            postal_code: String::new(),
            address: String::new(),
            phone: String::new(),
            contract_joined: String::new(),
            contract_left: String::new(),
            insurance_code_new: String::new(),
            care_code_new: String::new(),
            code_change_date: String::new(),
            vaccines: Vec::new(),
            site_type: "basic".into(),
            basic_site_id: String::new(),
            explanation_declined: Vec::new(),
            doctor_affiliation: String::new(),
            doctor_phone: String::new(),
            doctor_name: String::new(),
            doctor_kana: String::new(),
            doctor_email: String::new(),
            doctor_no_email: false,
            storage_affiliation: String::new(),
            storage_phone: String::new(),
            storage_name: String::new(),
            storage_email: String::new(),
            needle_affiliation: String::new(),
            needle_phone: String::new(),
            needle_name: String::new(),
            needle_email: String::new(),
            dryice_affiliation: String::new(),
            dryice_phone: String::new(),
            dryice_name: String::new(),
            dryice_email: String::new(),
            weekend_name: String::new(),
            weekend_phone: String::new(),
            public_phone: String::new(),
            public_url: String::new(),
            booking_phone: String::new(),
            booking_web: String::new(),
            hours: String::new(),
            hours_en: String::new(),
            general_public: String::new(),
            name_kana: String::new(),
            name_en: String::new(),
            notice: String::new(),
            notice_easy: String::new(),
            notice_en: String::new(),
            proxy_booking: "not_required".into(),
        }
    }
}

/// Free text of one line: controls and invisible characters removed, trimmed, at most `max`
/// characters, required or not.
fn text(errors: &mut FieldErrors, key: &str, value: &str, max: usize, required: bool) -> String {
    checked_text(errors, key, crate::text::single_line(value), max, required)
}

/// Free text of several lines (the notices): line breaks kept, otherwise as [`text`].
fn long_text(errors: &mut FieldErrors, key: &str, value: &str, max: usize) -> String {
    checked_text(errors, key, crate::text::multi_line(value), max, false)
}

fn checked_text(
    errors: &mut FieldErrors,
    key: &str,
    value: String,
    max: usize,
    required: bool,
) -> String {
    let value = value.trim().to_string();
    if value.is_empty() {
        if required {
            errors.add(key, FieldError::Required);
        }
    } else if value.chars().count() > max {
        errors.add(key, FieldError::TooLong { max });
    }
    value
}

/// An optional value that must parse when given; the normal form, or what was typed on error.
fn optional<T>(
    errors: &mut FieldErrors,
    key: &str,
    value: &str,
    parse: impl FnOnce(&str) -> Result<T, FieldError>,
    shown: impl FnOnce(T) -> String,
) -> String {
    if value.trim().is_empty() {
        return String::new();
    }
    match parse(value) {
        Ok(parsed) => shown(parsed),
        Err(error) => {
            errors.add(key, error);
            value.to_string()
        }
    }
}

/// A value that must be given and parse.
fn required<T>(
    errors: &mut FieldErrors,
    key: &str,
    value: &str,
    parse: impl FnOnce(&str) -> Result<T, FieldError>,
    shown: impl FnOnce(T) -> String,
) -> String {
    if value.trim().is_empty() {
        errors.add(key, FieldError::Required);
        return String::new();
    }
    optional(errors, key, value, parse, shown)
}

fn choice(
    errors: &mut FieldErrors,
    key: &str,
    value: &str,
    allowed: &[&str],
    required: bool,
) -> String {
    if value.is_empty() {
        if required {
            errors.add(key, FieldError::Required);
        }
    } else if !allowed.contains(&value) {
        errors.add(key, FieldError::InvalidChoice);
    }
    value.to_string()
}

/// 保険医療機関コード and 介護保険事業所番号: ten digits (hyphens and full width allowed).
pub fn parse_ten_digit_code(input: &str) -> Result<String, FieldError> {
    match digits_only(&clean(input)) {
        Some(digits) if digits.len() == 10 => Ok(digits),
        _ => Err(FieldError::TenDigitCode),
    }
}

/// A full address begins with its prefecture (東京都…, 北海道…, 大阪府…, 神奈川県…).
fn parse_full_address(input: &str) -> Result<String, FieldError> {
    let value = input.trim().to_string();
    let head: String = value.chars().take(4).collect();
    if head.contains(['都', '道', '府', '県']) {
        Ok(value)
    } else {
        Err(FieldError::AddressNeedsPrefecture)
    }
}

fn phone(value: &str) -> Result<String, FieldError> {
    PhoneNumber::parse(value).map(|p| p.as_str().to_string())
}

fn email(value: &str) -> Result<String, FieldError> {
    EmailAddress::parse(value).map(|e| e.as_str().to_string())
}

fn same<T: Into<String>>(value: T) -> String {
    value.into()
}

impl SiteForm {
    /// 施設分類 is 病院: the storage sections apply.
    pub fn is_hospital(&self) -> bool {
        self.facility_class == "hospital"
    }

    /// Handles Pfizer: the dry ice section applies.
    pub fn handles_pfizer(&self) -> bool {
        self.vaccines.iter().any(|v| v == PFIZER)
    }

    /// サテライト型: names its basic site.
    pub fn is_satellite(&self) -> bool {
        self.site_type == "satellite"
    }

    /// Approved new codes exist; they cannot change any more.
    pub fn codes_fixed(&self) -> bool {
        !self.code_change_date.is_empty()
    }

    /// Checks every field under `rules` and returns the normalised record to store, or every
    /// field's error. Sections that do not apply (hospital-only, dry ice, the basic site of a
    /// basic site) are emptied, so what is stored is what the site actually declared.
    pub fn validate(&self, rules: &SiteRules) -> Result<SiteForm, FieldErrors> {
        let mut e = FieldErrors::new();
        let count = |max: u32| move |v: &str| Count::parse(v, max).map(|c| c.get().to_string());
        // 未登録 is a valid choice: a site not ready to announce a status still saves the rest.
        if ReservationStatus::parse(&self.reservation_status).is_err() {
            e.add("reservation_status", FieldError::InvalidChoice);
        }
        let mut out = SiteForm {
            facility_class: choice(
                &mut e,
                "facility_class",
                &self.facility_class,
                &FACILITY_CLASSES,
                true,
            ),
            fax: optional(&mut e, "fax", &self.fax, phone, same),
            homepage: optional(&mut e, "homepage", &self.homepage, WebUrl::parse, |u| {
                u.as_str().into()
            }),
            freezer_deep: optional(&mut e, "freezer_deep", &self.freezer_deep, count(100), same),
            freezer_cold: optional(&mut e, "freezer_cold", &self.freezer_cold, count(100), same),
            parking: optional(&mut e, "parking", &self.parking, count(10_000), same),
            delivery_name: text(&mut e, "delivery_name", &self.delivery_name, 100, false),
            delivery_address: optional(
                &mut e,
                "delivery_address",
                &self.delivery_address,
                parse_full_address,
                same,
            ),
            reservation_status: self.reservation_status.clone(),
            insurance_code: optional(
                &mut e,
                "insurance_code",
                &self.insurance_code,
                parse_ten_digit_code,
                same,
            ),
            care_code: optional(
                &mut e,
                "care_code",
                &self.care_code,
                parse_ten_digit_code,
                same,
            ),
            name: text(&mut e, "name", &self.name, 100, true),
            representative: text(&mut e, "representative", &self.representative, 50, false),
            postal_code: required(
                &mut e,
                "postal_code",
                &self.postal_code,
                PostalCode::parse,
                |p| p.as_str().into(),
            ),
            address: text(&mut e, "address", &self.address, 200, true),
            phone: optional(&mut e, "phone", &self.phone, phone, same),
            contract_joined: String::new(),
            contract_left: String::new(),
            insurance_code_new: optional(
                &mut e,
                "insurance_code_new",
                &self.insurance_code_new,
                parse_ten_digit_code,
                same,
            ),
            care_code_new: optional(
                &mut e,
                "care_code_new",
                &self.care_code_new,
                parse_ten_digit_code,
                same,
            ),
            code_change_date: optional(
                &mut e,
                "code_change_date",
                &self.code_change_date,
                parse_date,
                |d| d.to_string(),
            ),
            vaccines: Vec::new(),
            site_type: choice(
                &mut e,
                "site_type",
                &self.site_type,
                &["basic", "satellite"],
                true,
            ),
            basic_site_id: String::new(),
            explanation_declined: Vec::new(),
            doctor_affiliation: text(
                &mut e,
                "doctor_affiliation",
                &self.doctor_affiliation,
                100,
                false,
            ),
            doctor_phone: required(&mut e, "doctor_phone", &self.doctor_phone, phone, same),
            doctor_name: text(&mut e, "doctor_name", &self.doctor_name, 50, true),
            doctor_kana: required(
                &mut e,
                "doctor_kana",
                &self.doctor_kana,
                Furigana::parse,
                |f| f.as_str().into(),
            ),
            doctor_email: if self.doctor_no_email {
                optional(&mut e, "doctor_email", &self.doctor_email, email, same)
            } else {
                required(&mut e, "doctor_email", &self.doctor_email, email, same)
            },
            doctor_no_email: self.doctor_no_email,
            weekend_name: text(&mut e, "weekend_name", &self.weekend_name, 50, false),
            weekend_phone: optional(&mut e, "weekend_phone", &self.weekend_phone, phone, same),
            public_phone: optional(&mut e, "public_phone", &self.public_phone, phone, same),
            public_url: optional(&mut e, "public_url", &self.public_url, WebUrl::parse, |u| {
                u.as_str().into()
            }),
            booking_phone: choice(
                &mut e,
                "booking_phone",
                &self.booking_phone,
                &BOOKING,
                false,
            ),
            booking_web: choice(&mut e, "booking_web", &self.booking_web, &BOOKING, false),
            hours: text(&mut e, "hours", &self.hours, 200, false),
            hours_en: text(&mut e, "hours_en", &self.hours_en, 200, false),
            general_public: choice(
                &mut e,
                "general_public",
                &self.general_public,
                &GENERAL_PUBLIC,
                true,
            ),
            name_kana: optional(&mut e, "name_kana", &self.name_kana, Furigana::parse, |f| {
                f.as_str().into()
            }),
            name_en: text(&mut e, "name_en", &self.name_en, 100, false),
            notice: long_text(&mut e, "notice", &self.notice, 1000),
            notice_easy: long_text(&mut e, "notice_easy", &self.notice_easy, 1000),
            notice_en: long_text(&mut e, "notice_en", &self.notice_en, 1000),
            proxy_booking: choice(
                &mut e,
                "proxy_booking",
                &self.proxy_booking,
                &PROXY_BOOKING,
                true,
            ),
            ..SiteForm::default()
        };
        if !out.delivery_name.is_empty() && out.delivery_address.is_empty() {
            e.add("delivery_address", FieldError::Required);
        }
        match ContractDates::parse(&self.contract_joined, &self.contract_left) {
            Ok(dates) => {
                out.contract_joined = dates.joined.map(|d| d.to_string()).unwrap_or_default();
                out.contract_left = dates.left.map(|d| d.to_string()).unwrap_or_default();
            }
            Err((field, error)) => {
                let key = if field == "joined" {
                    "contract_joined"
                } else {
                    "contract_left"
                };
                e.add(key, error);
                out.contract_joined = self.contract_joined.clone();
                out.contract_left = self.contract_left.clone();
            }
        }
        let new_codes = !out.insurance_code_new.is_empty() || !out.care_code_new.is_empty();
        if new_codes && self.code_change_date.trim().is_empty() {
            e.add("code_change_date", FieldError::Required);
        }
        if !new_codes && !self.code_change_date.trim().is_empty() {
            e.add("insurance_code_new", FieldError::Required);
        }
        let mut vaccines = Vec::new();
        for code in &rules.vaccine_codes {
            if self.vaccines.contains(code) {
                vaccines.push(code.clone());
            }
        }
        if self
            .vaccines
            .iter()
            .any(|v| !rules.vaccine_codes.contains(v))
        {
            e.add("vaccines", FieldError::InvalidChoice);
        } else if vaccines.is_empty() {
            e.add("vaccines", FieldError::Required);
        }
        out.vaccines = vaccines;
        out.explanation_declined = rules
            .vaccine_codes
            .iter()
            .filter(|code| self.explanation_declined.contains(code))
            .cloned()
            .collect();
        if out.is_satellite() {
            match self.basic_site_id.trim().parse::<i64>() {
                _ if self.basic_site_id.trim().is_empty() => {
                    e.add("basic_site_id", FieldError::Required)
                }
                Ok(id) if rules.basic_site_ids.contains(&id) => out.basic_site_id = id.to_string(),
                _ => e.add("basic_site_id", FieldError::InvalidChoice),
            }
        }
        if out.is_hospital() {
            out.storage_affiliation = text(
                &mut e,
                "storage_affiliation",
                &self.storage_affiliation,
                100,
                true,
            );
            out.storage_phone = required(&mut e, "storage_phone", &self.storage_phone, phone, same);
            out.storage_name = text(&mut e, "storage_name", &self.storage_name, 50, true);
            out.storage_email = optional(&mut e, "storage_email", &self.storage_email, email, same);
            out.needle_affiliation = text(
                &mut e,
                "needle_affiliation",
                &self.needle_affiliation,
                100,
                false,
            );
            out.needle_phone = optional(&mut e, "needle_phone", &self.needle_phone, phone, same);
            out.needle_name = text(&mut e, "needle_name", &self.needle_name, 50, false);
            out.needle_email = optional(&mut e, "needle_email", &self.needle_email, email, same);
        }
        if out.handles_pfizer() {
            out.dryice_affiliation = text(
                &mut e,
                "dryice_affiliation",
                &self.dryice_affiliation,
                100,
                false,
            );
            out.dryice_phone = optional(&mut e, "dryice_phone", &self.dryice_phone, phone, same);
            out.dryice_name = text(&mut e, "dryice_name", &self.dryice_name, 50, false);
            out.dryice_email = optional(&mut e, "dryice_email", &self.dryice_email, email, same);
        }
        if e.is_empty() {
            Ok(out)
        } else {
            Err(e)
        }
    }

    /// Every field's value as one string (lists joined by `,`, flags `true`/`false`), by key.
    pub fn values(&self) -> BTreeMap<String, String> {
        let value = serde_json::to_value(self).unwrap_or_default();
        let mut out = BTreeMap::new();
        if let serde_json::Value::Object(fields) = value {
            for (key, field) in fields {
                let shown = match field {
                    serde_json::Value::String(s) => s,
                    serde_json::Value::Bool(b) => b.to_string(),
                    serde_json::Value::Array(items) => items
                        .iter()
                        .filter_map(|i| i.as_str())
                        .collect::<Vec<_>>()
                        .join(","),
                    other => other.to_string(),
                };
                out.insert(key, shown);
            }
        }
        out
    }

    /// The fields whose value differs from `before`, in form order.
    pub fn changes_from(&self, before: &SiteForm) -> Vec<FieldChange> {
        let old = before.values();
        let new = self.values();
        SITE_FIELDS
            .iter()
            .filter_map(|f| {
                let (o, n) = (old.get(f.key)?, new.get(f.key)?);
                (o != n).then(|| FieldChange {
                    field: f.key.to_string(),
                    old: o.clone(),
                    new: n.clone(),
                })
            })
            .collect()
    }

    /// This form with `field` set from its stored string (see [`SiteForm::values`]); unknown
    /// keys are ignored.
    pub fn with_value(&self, field: &str, value: &str) -> SiteForm {
        let mut json = serde_json::to_value(self).unwrap_or_default();
        if let Some(slot) = json.get_mut(field) {
            *slot = match slot {
                serde_json::Value::Bool(_) => serde_json::Value::Bool(value == "true"),
                serde_json::Value::Array(_) => serde_json::Value::Array(
                    value
                        .split(',')
                        .filter(|v| !v.is_empty())
                        .map(|v| serde_json::Value::String(v.to_string()))
                        .collect(),
                ),
                _ => serde_json::Value::String(value.to_string()),
            };
        }
        serde_json::from_value(json).unwrap_or_else(|_| self.clone())
    }

    /// Builds a form from stored strings by key (see [`SiteForm::values`]); missing keys keep
    /// their defaults. One pass, so the browser can rebuild the form on every keystroke.
    pub fn from_values(values: &BTreeMap<String, String>) -> SiteForm {
        let mut json = serde_json::to_value(SiteForm::default()).unwrap_or_default();
        if let serde_json::Value::Object(fields) = &mut json {
            for (key, slot) in fields.iter_mut() {
                let Some(value) = values.get(key) else {
                    continue;
                };
                *slot = match slot {
                    serde_json::Value::Bool(_) => serde_json::Value::Bool(value == "true"),
                    serde_json::Value::Array(_) => serde_json::Value::Array(
                        value
                            .split(',')
                            .filter(|v| !v.is_empty())
                            .map(|v| serde_json::Value::String(v.to_string()))
                            .collect(),
                    ),
                    _ => serde_json::Value::String(value.clone()),
                };
            }
        }
        serde_json::from_value(json).unwrap_or_default()
    }

    /// Whether `key` must be filled in this form as it stands (the ※ mark follows it).
    pub fn is_required(&self, key: &str) -> bool {
        match key {
            "facility_class" | "reservation_status" | "name" | "postal_code" | "address"
            | "vaccines" | "site_type" | "doctor_phone" | "doctor_name" | "doctor_kana"
            | "general_public" | "proxy_booking" => true,
            "doctor_email" => !self.doctor_no_email,
            "basic_site_id" => self.is_satellite(),
            "storage_affiliation" | "storage_phone" | "storage_name" => self.is_hospital(),
            "delivery_address" => !self.delivery_name.trim().is_empty(),
            "code_change_date" => {
                !self.insurance_code_new.trim().is_empty() || !self.care_code_new.trim().is_empty()
            }
            _ => false,
        }
    }

    /// Three-way merge after a conflict: starts from `latest` and keeps every field the user
    /// changed from `base` (what they loaded), so their input survives and others' changes to
    /// fields they did not touch are taken.
    pub fn rebased(&self, base: &SiteForm, latest: &SiteForm) -> SiteForm {
        self.changes_from(base)
            .into_iter()
            .fold(latest.clone(), |form, change| {
                form.with_value(&change.field, &change.new)
            })
    }
}

/// Fields the user may not change now, and why: pending requests and approved codes.
pub fn locked_fields(current: &SiteForm, pending: &[String]) -> BTreeMap<String, FieldError> {
    let mut locked = BTreeMap::new();
    for key in pending {
        locked.insert(key.clone(), FieldError::PendingApproval);
    }
    if current.codes_fixed() {
        for key in ["insurance_code_new", "care_code_new", "code_change_date"] {
            locked.insert(key.to_string(), FieldError::LockedAfterApproval);
        }
    }
    locked
}

/// A doctor of a site (医師情報の編集) as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct DoctorForm {
    /// (医師)氏名(厚労 太郎)
    pub name: String,
    /// (医師)氏名(こうろう たろう)
    pub kana: String,
    /// 電話番号
    pub phone: String,
    /// メールアドレス
    pub email: String,
    /// 取扱ワクチン(医師個人): vaccine codes.
    pub vaccines: Vec<String>,
}

impl DoctorForm {
    /// Checks the doctor; `site_vaccines` are the vaccines the site handles, the only ones a
    /// doctor may be given.
    pub fn validate(&self, site_vaccines: &[String]) -> Result<DoctorForm, FieldErrors> {
        let mut e = FieldErrors::new();
        let out = DoctorForm {
            name: text(&mut e, "name", &self.name, 50, true),
            kana: required(&mut e, "kana", &self.kana, Furigana::parse, |f| {
                f.as_str().into()
            }),
            phone: optional(&mut e, "phone", &self.phone, phone, same),
            email: optional(&mut e, "email", &self.email, email, same),
            vaccines: site_vaccines
                .iter()
                .filter(|v| self.vaccines.contains(v))
                .cloned()
                .collect(),
        };
        if self.vaccines.iter().any(|v| !site_vaccines.contains(v)) {
            e.add("vaccines", FieldError::VaccineNotHandled);
        }
        if e.is_empty() {
            Ok(out)
        } else {
            Err(e)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules() -> SiteRules {
        SiteRules {
            vaccine_codes: vec!["pfizer".into(), "moderna".into(), "astrazeneca".into()],
            basic_site_ids: vec![7],
        }
    }

    /// A clinic record that passes every rule.
    pub(crate) fn valid_clinic() -> SiteForm {
        SiteForm {
            reservation_status: "available".into(),
            name: "千代田区A病院".into(),
            postal_code: "100-0001".into(),
            address: "千代田1-1".into(),
            vaccines: vec!["moderna".into()],
            doctor_phone: "03-1234-5678".into(),
            doctor_name: "厚労 太郎".into(),
            doctor_kana: "こうろう たろう".into(),
            doctor_email: "taro@example.jp".into(),
            general_public: "general".into(),
            ..SiteForm::default()
        }
    }

    #[test]
    fn every_field_of_the_form_has_a_label_and_every_label_a_field() {
        let keys = SiteForm::default().values();
        for key in keys.keys() {
            assert!(site_field(key).is_some(), "{key} has no label");
        }
        for field in SITE_FIELDS {
            assert!(keys.contains_key(field.key), "{} is not a field", field.key);
        }
    }

    #[test]
    fn a_complete_clinic_record_is_valid_and_normalised() {
        let mut form = valid_clinic();
        form.postal_code = "１００－０００１".into();
        form.parking = "10台".into();
        let stored = form.validate(&rules()).unwrap();
        assert_eq!(stored.postal_code, "100-0001");
        assert_eq!(stored.parking, "10");
    }

    #[test]
    fn a_bad_postal_code_is_reported_on_its_field_and_the_typed_value_is_kept() {
        let mut form = valid_clinic();
        form.postal_code = "100-001".into();
        let errors = form.validate(&rules()).unwrap_err();
        assert_eq!(
            errors.get("postal_code"),
            Some(&FieldError::PostalCodeFormat)
        );
        assert_eq!(form.postal_code, "100-001");
    }

    #[test]
    fn hospitals_must_name_a_storage_manager_and_clinics_need_not() {
        let mut form = valid_clinic();
        assert!(form.validate(&rules()).is_ok());
        form.facility_class = "hospital".into();
        let errors = form.validate(&rules()).unwrap_err();
        for key in ["storage_affiliation", "storage_phone", "storage_name"] {
            assert_eq!(errors.get(key), Some(&FieldError::Required), "{key}");
        }
    }

    #[test]
    fn sections_that_do_not_apply_are_not_stored() {
        let mut form = valid_clinic();
        form.storage_name = "保管 花子".into();
        form.dryice_name = "氷 次郎".into();
        let stored = form.validate(&rules()).unwrap();
        assert_eq!(stored.storage_name, "");
        assert_eq!(stored.dryice_name, "");
        form.vaccines = vec!["pfizer".into()];
        assert_eq!(form.validate(&rules()).unwrap().dryice_name, "氷 次郎");
    }

    #[test]
    fn a_satellite_must_name_one_of_the_basic_sites_offered() {
        let mut form = valid_clinic();
        form.site_type = "satellite".into();
        assert_eq!(
            form.validate(&rules()).unwrap_err().get("basic_site_id"),
            Some(&FieldError::Required)
        );
        form.basic_site_id = "8".into();
        assert_eq!(
            form.validate(&rules()).unwrap_err().get("basic_site_id"),
            Some(&FieldError::InvalidChoice)
        );
        form.basic_site_id = "7".into();
        assert_eq!(form.validate(&rules()).unwrap().basic_site_id, "7");
        form.site_type = "basic".into();
        assert_eq!(form.validate(&rules()).unwrap().basic_site_id, "");
    }

    #[test]
    fn the_doctor_email_is_required_unless_the_site_declines_to_register_one() {
        let mut form = valid_clinic();
        form.doctor_email.clear();
        assert_eq!(
            form.validate(&rules()).unwrap_err().get("doctor_email"),
            Some(&FieldError::Required)
        );
        form.doctor_no_email = true;
        assert!(form.validate(&rules()).is_ok());
    }

    #[test]
    fn contract_dates_must_be_in_order() {
        let mut form = valid_clinic();
        form.contract_joined = "2021/03/06".into();
        form.contract_left = "2021/03/05".into();
        assert_eq!(
            form.validate(&rules()).unwrap_err().get("contract_left"),
            Some(&FieldError::DateOrder)
        );
        form.contract_left = "２０２２／０１／０１".into();
        let stored = form.validate(&rules()).unwrap();
        assert_eq!(
            (
                stored.contract_joined.as_str(),
                stored.contract_left.as_str()
            ),
            ("2021-03-06", "2022-01-01")
        );
    }

    #[test]
    fn new_codes_need_a_change_date_and_ten_digits() {
        let mut form = valid_clinic();
        form.insurance_code_new = "131234567".into();
        let errors = form.validate(&rules()).unwrap_err();
        assert_eq!(
            errors.get("insurance_code_new"),
            Some(&FieldError::TenDigitCode)
        );
        assert_eq!(errors.get("code_change_date"), Some(&FieldError::Required));
        form.insurance_code_new = "１３１２３４５６７８".into();
        form.code_change_date = "2021-06-01".into();
        assert_eq!(
            form.validate(&rules()).unwrap().insurance_code_new,
            "1312345678"
        );
    }

    #[test]
    fn furigana_counts_and_the_delivery_address_are_checked() {
        let mut form = valid_clinic();
        form.name_kana = "チヨダ".into();
        form.freezer_deep = "-1".into();
        form.delivery_name = "倉庫".into();
        form.delivery_address = "千代田1-1".into();
        let errors = form.validate(&rules()).unwrap_err();
        assert_eq!(errors.get("name_kana"), Some(&FieldError::FuriganaFormat));
        assert_eq!(errors.get("freezer_deep"), Some(&FieldError::CountFormat));
        assert_eq!(
            errors.get("delivery_address"),
            Some(&FieldError::AddressNeedsPrefecture)
        );
    }

    #[test]
    fn changes_name_only_the_fields_that_differ_in_form_order() {
        let before = valid_clinic();
        let mut after = before.clone();
        after.representative = "厚労 一郎".into();
        after.vaccines = vec!["pfizer".into(), "moderna".into()];
        let changes = after.changes_from(&before);
        assert_eq!(
            changes,
            vec![
                FieldChange {
                    field: "representative".into(),
                    old: "".into(),
                    new: "厚労 一郎".into()
                },
                FieldChange {
                    field: "vaccines".into(),
                    old: "moderna".into(),
                    new: "pfizer,moderna".into()
                },
            ]
        );
        let mut applied = before.clone();
        for change in &changes {
            applied = applied.with_value(&change.field, &change.new);
        }
        assert_eq!(applied, after);
    }

    #[test]
    fn a_form_rebuilt_from_its_values_is_the_same_form() {
        let mut form = valid_clinic();
        form.doctor_no_email = true;
        form.vaccines = vec!["pfizer".into(), "moderna".into()];
        assert_eq!(SiteForm::from_values(&form.values()), form);
    }

    #[test]
    fn the_required_mark_follows_the_conditions() {
        let mut form = valid_clinic();
        assert!(form.is_required("doctor_email"));
        assert!(!form.is_required("storage_name"));
        form.doctor_no_email = true;
        form.facility_class = "hospital".into();
        assert!(!form.is_required("doctor_email"));
        assert!(form.is_required("storage_name"));
    }

    #[test]
    fn a_rebase_keeps_the_users_edits_and_takes_the_others() {
        let base = valid_clinic();
        let mut mine = base.clone();
        mine.phone = "03-0000-0000".into();
        let mut theirs = base.clone();
        theirs.hours = "9:00-17:00".into();
        let merged = mine.rebased(&base, &theirs);
        assert_eq!(merged.phone, "03-0000-0000");
        assert_eq!(merged.hours, "9:00-17:00");
    }

    #[test]
    fn approved_codes_and_pending_fields_are_locked() {
        let mut current = valid_clinic();
        current.code_change_date = "2021-06-01".into();
        let locked = locked_fields(&current, &["representative".into()]);
        assert_eq!(
            locked.get("representative"),
            Some(&FieldError::PendingApproval)
        );
        assert_eq!(
            locked.get("insurance_code_new"),
            Some(&FieldError::LockedAfterApproval)
        );
    }

    #[test]
    fn a_doctor_may_only_take_vaccines_the_site_handles() {
        let doctor = DoctorForm {
            name: "厚労 太郎".into(),
            kana: "こうろう　たろう".into(),
            vaccines: vec!["pfizer".into()],
            ..DoctorForm::default()
        };
        assert_eq!(
            doctor
                .validate(&["moderna".into()])
                .unwrap_err()
                .get("vaccines"),
            Some(&FieldError::VaccineNotHandled)
        );
        let stored = doctor.validate(&["pfizer".into()]).unwrap();
        assert_eq!(stored.kana, "こうろう たろう");
    }
}
