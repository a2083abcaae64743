//! The people responsible: the doctor in charge, the managers of vaccine storage, of needles
//! and syringes and of dry ice, and the weekend and holiday contact.

use super::{email, field, furigana, l, line, parsed, phone, wants_doctor_email};
use crate::domain::form_fields::{Access, Field, Input};
use crate::domain::site_record::{SiteForm, SiteSection::*};

/// The doctor in charge, the storage, needle and dry ice managers, and the weekend contact.
pub(super) const FIELDS: &[Field<SiteForm>] = &[
    line(
        "doctor_affiliation",
        Doctor,
        l(
            "ワクチン接種の責任者の所属先",
            "Affiliation of the doctor in charge",
        ),
        100,
        |f| &f.doctor_affiliation,
        |f| &mut f.doctor_affiliation,
    ),
    parsed(
        "doctor_phone",
        Doctor,
        l(
            "ワクチン接種の担当部署の電話番号",
            "Phone of the vaccination department",
        ),
        Input::Tel,
        phone,
        |f| &f.doctor_phone,
        |f| &mut f.doctor_phone,
    )
    .required(),
    line(
        "doctor_name",
        Doctor,
        l(
            "ワクチン接種の責任者（医師）氏名（厚労 太郎）",
            "Doctor in charge (name)",
        ),
        50,
        |f| &f.doctor_name,
        |f| &mut f.doctor_name,
    )
    .required(),
    parsed(
        "doctor_kana",
        Doctor,
        l(
            "ワクチン接種の責任者（医師）氏名（こうろう たろう）",
            "Doctor in charge (reading in hiragana)",
        ),
        Input::Text,
        furigana,
        |f| &f.doctor_kana,
        |f| &mut f.doctor_kana,
    )
    .required(),
    parsed(
        "doctor_email",
        Doctor,
        l(
            "ワクチン接種の担当部署のメールアドレス",
            "E-mail of the vaccination department",
        ),
        Input::Email,
        email,
        |f| &f.doctor_email,
        |f| &mut f.doctor_email,
    )
    .required_when(wants_doctor_email),
    field(
        "doctor_no_email",
        Doctor,
        l(
            "メールアドレス登録を希望しない",
            "Do not register an e-mail address",
        ),
        Input::Flag,
        Access::Flag {
            get: |f| &f.doctor_no_email,
            get_mut: |f| &mut f.doctor_no_email,
        },
    ),
    line(
        "storage_affiliation",
        Storage,
        l(
            "ワクチンの保管管理の責任者の所属先",
            "Affiliation of the storage manager",
        ),
        100,
        |f| &f.storage.affiliation,
        |f| &mut f.storage.affiliation,
    )
    .required_when(SiteForm::is_hospital)
    .applies_when(SiteForm::is_hospital),
    parsed(
        "storage_phone",
        Storage,
        l(
            "ワクチンの保管管理の担当部署の電話番号",
            "Phone of the storage department",
        ),
        Input::Tel,
        phone,
        |f| &f.storage.phone,
        |f| &mut f.storage.phone,
    )
    .required_when(SiteForm::is_hospital)
    .applies_when(SiteForm::is_hospital),
    line(
        "storage_name",
        Storage,
        l(
            "ワクチンの保管管理の責任者氏名（厚労 太郎）",
            "Storage manager (name)",
        ),
        50,
        |f| &f.storage.name,
        |f| &mut f.storage.name,
    )
    .required_when(SiteForm::is_hospital)
    .applies_when(SiteForm::is_hospital),
    parsed(
        "storage_email",
        Storage,
        l(
            "ワクチンの保管管理の担当部署のメールアドレス",
            "E-mail of the storage department",
        ),
        Input::Email,
        email,
        |f| &f.storage.email,
        |f| &mut f.storage.email,
    )
    .applies_when(SiteForm::is_hospital),
    line(
        "needle_affiliation",
        Needle,
        l(
            "針・シリンジ保管管理の責任者の所属先",
            "Affiliation of the needle and syringe manager",
        ),
        100,
        |f| &f.needle.affiliation,
        |f| &mut f.needle.affiliation,
    )
    .applies_when(SiteForm::is_hospital),
    parsed(
        "needle_phone",
        Needle,
        l(
            "針・シリンジ保管管理の担当部署の電話番号",
            "Phone of the needle and syringe department",
        ),
        Input::Tel,
        phone,
        |f| &f.needle.phone,
        |f| &mut f.needle.phone,
    )
    .applies_when(SiteForm::is_hospital),
    line(
        "needle_name",
        Needle,
        l(
            "針・シリンジ保管管理の責任者氏名（厚労 太郎）",
            "Needle and syringe manager (name)",
        ),
        50,
        |f| &f.needle.name,
        |f| &mut f.needle.name,
    )
    .applies_when(SiteForm::is_hospital),
    parsed(
        "needle_email",
        Needle,
        l(
            "針・シリンジ保管管理の担当部署のメールアドレス",
            "E-mail of the needle and syringe department",
        ),
        Input::Email,
        email,
        |f| &f.needle.email,
        |f| &mut f.needle.email,
    )
    .applies_when(SiteForm::is_hospital),
    line(
        "dryice_affiliation",
        DryIce,
        l(
            "ドライアイス保管管理の責任者の所属先",
            "Affiliation of the dry ice manager",
        ),
        100,
        |f| &f.dryice.affiliation,
        |f| &mut f.dryice.affiliation,
    )
    .applies_when(SiteForm::handles_pfizer),
    parsed(
        "dryice_phone",
        DryIce,
        l(
            "ドライアイス保管管理の担当部署の電話番号",
            "Phone of the dry ice department",
        ),
        Input::Tel,
        phone,
        |f| &f.dryice.phone,
        |f| &mut f.dryice.phone,
    )
    .applies_when(SiteForm::handles_pfizer),
    line(
        "dryice_name",
        DryIce,
        l(
            "ドライアイス保管管理の責任者氏名（厚労 太郎）",
            "Dry ice manager (name)",
        ),
        50,
        |f| &f.dryice.name,
        |f| &mut f.dryice.name,
    )
    .applies_when(SiteForm::handles_pfizer),
    parsed(
        "dryice_email",
        DryIce,
        l(
            "ドライアイス保管管理の担当部署のメールアドレス",
            "E-mail of the dry ice department",
        ),
        Input::Email,
        email,
        |f| &f.dryice.email,
        |f| &mut f.dryice.email,
    )
    .applies_when(SiteForm::handles_pfizer),
    line(
        "weekend_name",
        Weekend,
        l(
            "土日祝日の連絡担当者氏名",
            "Weekend and holiday contact (name)",
        ),
        50,
        |f| &f.weekend.name,
        |f| &mut f.weekend.name,
    ),
    parsed(
        "weekend_phone",
        Weekend,
        l(
            "土日祝日の連絡担当者電話番号",
            "Weekend and holiday contact (phone)",
        ),
        Input::Tel,
        phone,
        |f| &f.weekend.phone,
        |f| &mut f.weekend.phone,
    ),
];
