//! The institution: its facility, reception data, code change, vaccines and type.

use super::{
    date, delivery_named, field, freezers, full_address, l, line, parking_spaces,
    parse_ten_digit_code, parsed, phone, postal_code, web_url, DATE,
};
use crate::domain::form_fields::{
    choice_name, options_of, set_choice, Access, Field, Input, Options, TextRule,
};
use crate::domain::site_record::{
    FacilityClass, SiteForm, SiteSection::*, BASIC_SITE_LIST, VACCINE_LIST,
};
use crate::domain::{ReservationStatus, SiteType};

/// ▼ 情報, ▼ 医療機関情報, the code change, 取扱ワクチン・型 and the explanation.
pub(super) const FIELDS: &[Field<SiteForm>] = &[
    field(
        "facility_class",
        Info,
        l("施設分類", "Facility type"),
        Input::Select {
            options: Options::Fixed(options_of::<FacilityClass>),
            blank: true,
        },
        Access::Choice {
            get: |f| choice_name(f.facility_class),
            set: |f, v| set_choice(&mut f.facility_class, v),
        },
    )
    .required(),
    parsed(
        "fax",
        Info,
        l("ファクシミリ", "Fax"),
        Input::Tel,
        phone,
        |f| &f.fax,
        |f| &mut f.fax,
    ),
    parsed(
        "homepage",
        Info,
        l("ホームページ", "Website"),
        Input::Url,
        web_url,
        |f| &f.homepage,
        |f| &mut f.homepage,
    ),
    parsed(
        "freezer_deep",
        Info,
        l("ディープフリーザー(-75℃)(台)", "Deep freezers (-75°C)"),
        Input::Numeric,
        freezers,
        |f| &f.freezer_deep,
        |f| &mut f.freezer_deep,
    ),
    parsed(
        "freezer_cold",
        Info,
        l("ディープフリーザー(-20℃)(台)", "Freezers (-20°C)"),
        Input::Numeric,
        freezers,
        |f| &f.freezer_cold,
        |f| &mut f.freezer_cold,
    ),
    parsed(
        "parking",
        Info,
        l("駐車場(例:10台)", "Parking spaces"),
        Input::Numeric,
        parking_spaces,
        |f| &f.parking,
        |f| &mut f.parking,
    ),
    line(
        "delivery_name",
        Info,
        l("納入先施設名", "Delivery facility name"),
        100,
        |f| &f.delivery_name,
        |f| &mut f.delivery_name,
    ),
    parsed(
        "delivery_address",
        Info,
        l("納入先住所", "Delivery address"),
        Input::Text,
        full_address,
        |f| &f.delivery_address,
        |f| &mut f.delivery_address,
    )
    .required_when(delivery_named),
    // 未登録 is one of the statuses: a site not ready to announce one still saves the rest.
    field(
        "reservation_status",
        Info,
        l("予約空き状況", "Reservation status"),
        Input::Select {
            options: Options::Fixed(options_of::<ReservationStatus>),
            blank: false,
        },
        Access::Choice {
            get: |f| choice_name(f.reservation_status),
            set: |f, v| set_choice(&mut f.reservation_status, v),
        },
    )
    .required(),
    parsed(
        "insurance_code",
        Reception,
        l("保険医療機関コード", "Medical institution code"),
        Input::Numeric,
        parse_ten_digit_code,
        |f| &f.insurance_code,
        |f| &mut f.insurance_code,
    ),
    parsed(
        "care_code",
        Reception,
        l("介護保険事業所番号", "Care insurance provider number"),
        Input::Numeric,
        parse_ten_digit_code,
        |f| &f.care_code,
        |f| &mut f.care_code,
    ),
    line(
        "name",
        Reception,
        l("医療機関・接種会場名", "Site name"),
        100,
        |f| &f.name,
        |f| &mut f.name,
    )
    .required(),
    line(
        "representative",
        Reception,
        l("代表者名", "Representative"),
        50,
        |f| &f.representative,
        |f| &mut f.representative,
    )
    .needs_approval(),
    parsed(
        "postal_code",
        Reception,
        l("郵便番号(000-0000)", "Postal code (000-0000)"),
        Input::Patterned("000-0000"),
        postal_code,
        |f| &f.postal_code,
        |f| &mut f.postal_code,
    )
    .required(),
    line(
        "address",
        Reception,
        l("町名・番地", "Street address"),
        200,
        |f| &f.address,
        |f| &mut f.address,
    )
    .required(),
    parsed(
        "phone",
        Reception,
        l("代表電話番号", "Main phone"),
        Input::Tel,
        phone,
        |f| &f.phone,
        |f| &mut f.phone,
    ),
    parsed(
        "contract_joined",
        Reception,
        l("集合契約加入日", "Joined the collective contract"),
        DATE,
        date,
        |f| &f.contract_joined,
        |f| &mut f.contract_joined,
    )
    .needs_approval(),
    parsed(
        "contract_left",
        Reception,
        l("集合契約脱退日", "Left the collective contract"),
        DATE,
        date,
        |f| &f.contract_left,
        |f| &mut f.contract_left,
    )
    .needs_approval(),
    parsed(
        "insurance_code_new",
        CodeChange,
        l("新保険医療機関コード", "New medical institution code"),
        Input::Numeric,
        parse_ten_digit_code,
        |f| &f.insurance_code_new,
        |f| &mut f.insurance_code_new,
    )
    .needs_approval(),
    parsed(
        "care_code_new",
        CodeChange,
        l("新介護保険事業所番号", "New care insurance provider number"),
        Input::Numeric,
        parse_ten_digit_code,
        |f| &f.care_code_new,
        |f| &mut f.care_code_new,
    )
    .needs_approval(),
    parsed(
        "code_change_date",
        CodeChange,
        l("コード変更日", "Code change date"),
        DATE,
        date,
        |f| &f.code_change_date,
        |f| &mut f.code_change_date,
    )
    .required_when(SiteForm::has_new_codes)
    .needs_approval(),
    field(
        "vaccines",
        VaccinesAndType,
        l("取扱ワクチン", "Vaccines handled"),
        Input::Checks(Options::Given(VACCINE_LIST)),
        Access::List {
            get: |f| &f.vaccines,
            get_mut: |f| &mut f.vaccines,
        },
    )
    .required()
    .needs_approval(),
    field(
        "site_type",
        VaccinesAndType,
        l("型", "Type"),
        Input::Radio(Options::Fixed(options_of::<SiteType>)),
        Access::Choice {
            get: |f| choice_name(f.site_type),
            set: |f, v| set_choice(&mut f.site_type, v),
        },
    )
    .required()
    .needs_approval(),
    field(
        "basic_site_id",
        VaccinesAndType,
        l("基本型の医療機関・接種会場", "Basic site"),
        Input::Select {
            options: Options::Given(BASIC_SITE_LIST),
            blank: true,
        },
        Access::Text {
            get: |f| &f.basic_site_id,
            get_mut: |f| &mut f.basic_site_id,
            rule: TextRule::Chosen,
        },
    )
    .required_when(SiteForm::is_satellite)
    .applies_when(SiteForm::is_satellite)
    .needs_approval(),
    field(
        "explanation_declined",
        Explanation,
        l("メーカーによる詳細説明", "Explanation by the manufacturer"),
        Input::AnswerEach {
            options: Options::Given(VACCINE_LIST),
            question: l(
                "から納入ごとの説明を求める／求めない",
                ": explanation at each delivery",
            ),
            yes: l("求める", "Wanted"),
            no: l("求めない", "Not wanted"),
        },
        Access::List {
            get: |f| &f.explanation_declined,
            get_mut: |f| &mut f.explanation_declined,
        },
    ),
];
