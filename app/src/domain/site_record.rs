//! The whole site record (医療機関・接種会場の編集) as one form: what the user typed
//! ([`SiteForm`]), the table of its fields with the labels users know ([`SITE_FIELDS`]), which
//! history, change requests and conflicts use to name a field, and the rules that turn it into a
//! stored record ([`SiteForm::validate`]).

mod choices;
mod doctor;
mod fields;
mod validate;

pub use choices::*;
pub use doctor::*;
pub use fields::*;
pub use validate::*;

use crate::domain::form_fields::{deserialize_form, serialize_form, Label, Section};
use crate::domain::{ReservationStatus, SiteType};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The sections of the form, in the order shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum SiteSection {
    /// ▼ 情報
    Info,
    /// ▼ 医療機関情報(受付システム)
    Reception,
    /// 保険医療機関コード等の変更
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

impl Section for SiteSection {
    const ALL: &'static [Self] = &[
        Self::Info,
        Self::Reception,
        Self::CodeChange,
        Self::VaccinesAndType,
        Self::Explanation,
        Self::Doctor,
        Self::Storage,
        Self::Needle,
        Self::DryIce,
        Self::Weekend,
        Self::Public,
        Self::Municipality,
    ];

    fn title(self) -> Label {
        match self {
            Self::Info => Label::new("▼ 情報", "▼ Information"),
            Self::Reception => Label::new(
                "▼ 医療機関情報(受付システム)",
                "▼ Institution (contract system)",
            ),
            Self::CodeChange => Label::new(
                "▼ 保険医療機関コード・介護保険事業所番号の変更",
                "▼ Change of institution codes",
            ),
            Self::VaccinesAndType => Label::new("▼ 取扱ワクチン・型", "▼ Vaccines and type"),
            Self::Explanation => Label::new(
                "▼ メーカーによる詳細説明の要否",
                "▼ Explanation by the manufacturer",
            ),
            Self::Doctor => Label::new(
                "▼ ワクチン接種の責任者等（医師）",
                "▼ Doctor in charge of vaccination",
            ),
            Self::Storage => {
                Label::new("▼ ワクチン保管管理の責任者等", "▼ Vaccine storage manager")
            }
            Self::Needle => Label::new(
                "▼ 針・シリンジの保管管理の責任者等",
                "▼ Needle and syringe storage manager",
            ),
            Self::DryIce => Label::new(
                "▼ ドライアイス保管管理の責任者等（ファイザーを取扱う施設のみ記載）",
                "▼ Dry ice manager (sites handling Pfizer)",
            ),
            Self::Weekend => Label::new(
                "▼ 保管等に関する土日祝日の連絡担当者",
                "▼ Weekend and holiday contact for storage",
            ),
            Self::Public => Label::new(
                "▼ コロナワクチンナビでの公開情報",
                "▼ Published on the Vaccine Navi",
            ),
            Self::Municipality => {
                Label::new("▼ 市町村による確認箇所", "▼ Checked by the municipality")
            }
        }
    }
}

/// Someone responsible for a part of the site's work, reached by phone and e-mail: the
/// managers of vaccine storage, of needles and syringes and of dry ice, and the weekend and
/// holiday contact (who is asked only for a name and a phone number).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Contact {
    /// …の責任者の所属先
    pub affiliation: String,
    /// …の担当部署の電話番号
    pub phone: String,
    /// …の責任者氏名
    pub name: String,
    /// …の担当部署のメールアドレス
    pub email: String,
}

/// The site record as typed: text as typed, so that nothing the user typed is lost while it is
/// still invalid; choices as their options. [`SiteForm::validate`] returns the normalised form
/// that is stored. On the wire and in the database it is one flat object keyed by the
/// [`SITE_FIELDS`] keys (`storage_name`, not `storage.name`).
#[derive(Clone, Debug, PartialEq, Eq)]
#[allow(missing_docs)] // each field is named in `SITE_FIELDS` with its label
pub struct SiteForm {
    pub facility_class: Option<FacilityClass>,
    pub fax: String,
    pub homepage: String,
    pub freezer_deep: String,
    pub freezer_cold: String,
    pub parking: String,
    pub delivery_name: String,
    pub delivery_address: String,
    pub reservation_status: Option<ReservationStatus>,
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
    pub site_type: Option<SiteType>,
    pub basic_site_id: String,
    pub explanation_declined: Vec<String>,
    pub doctor_affiliation: String,
    pub doctor_phone: String,
    pub doctor_name: String,
    pub doctor_kana: String,
    pub doctor_email: String,
    pub doctor_no_email: bool,
    pub storage: Contact,
    pub needle: Contact,
    pub dryice: Contact,
    pub weekend: Contact,
    pub public_phone: String,
    pub public_url: String,
    pub booking_phone: Option<Booking>,
    pub booking_web: Option<Booking>,
    pub hours: String,
    pub hours_en: String,
    pub general_public: Option<GeneralPublic>,
    pub name_kana: String,
    pub name_en: String,
    pub notice: String,
    pub notice_easy: String,
    pub notice_en: String,
    pub proxy_booking: Option<ProxyBooking>,
}

impl Default for SiteForm {
    /// A new record: a clinic, 基本型, 未登録, 代行入力 不要.
    fn default() -> Self {
        Self {
            facility_class: Some(FacilityClass::Clinic),
            fax: String::new(),
            homepage: String::new(),
            freezer_deep: String::new(),
            freezer_cold: String::new(),
            parking: String::new(),
            delivery_name: String::new(),
            delivery_address: String::new(),
            reservation_status: Some(ReservationStatus::Unregistered),
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
            site_type: Some(SiteType::Basic),
            basic_site_id: String::new(),
            explanation_declined: Vec::new(),
            doctor_affiliation: String::new(),
            doctor_phone: String::new(),
            doctor_name: String::new(),
            doctor_kana: String::new(),
            doctor_email: String::new(),
            doctor_no_email: false,
            storage: Contact::default(),
            needle: Contact::default(),
            dryice: Contact::default(),
            weekend: Contact::default(),
            public_phone: String::new(),
            public_url: String::new(),
            booking_phone: None,
            booking_web: None,
            hours: String::new(),
            hours_en: String::new(),
            general_public: None,
            name_kana: String::new(),
            name_en: String::new(),
            notice: String::new(),
            notice_easy: String::new(),
            notice_en: String::new(),
            proxy_booking: Some(ProxyBooking::NotRequired),
        }
    }
}

impl Serialize for SiteForm {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serialize_form(self, serializer)
    }
}

impl<'de> Deserialize<'de> for SiteForm {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserialize_form(deserializer)
    }
}

/// The vaccine whose sites fill in the dry ice section.
pub const PFIZER: &str = "pfizer";

impl SiteForm {
    /// 施設分類 is 病院: the storage sections apply.
    pub fn is_hospital(&self) -> bool {
        self.facility_class == Some(FacilityClass::Hospital)
    }

    /// Handles Pfizer: the dry ice section applies.
    pub fn handles_pfizer(&self) -> bool {
        self.vaccines.iter().any(|v| v == PFIZER)
    }

    /// サテライト型: names its basic site.
    pub fn is_satellite(&self) -> bool {
        self.site_type == Some(SiteType::Satellite)
    }

    /// Approved new codes exist; they cannot change any more.
    pub fn codes_fixed(&self) -> bool {
        !self.code_change_date.is_empty()
    }

    /// New codes are given (a change date must go with them).
    pub fn has_new_codes(&self) -> bool {
        !self.insurance_code_new.trim().is_empty() || !self.care_code_new.trim().is_empty()
    }
}

#[cfg(test)]
mod tests;
