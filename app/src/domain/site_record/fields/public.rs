//! What the public finder shows, and what the municipality checks.

use super::{field, furigana, l, line, notice, parsed, phone, web_url};
use crate::domain::form_fields::{
    choice_name, options_of, set_choice, Access, Field, Input, Options,
};
use crate::domain::site_record::{Booking, GeneralPublic, ProxyBooking, SiteForm, SiteSection::*};

/// ▼ コロナワクチンナビでの公開情報 and ▼ 市町村による確認箇所.
pub(super) const FIELDS: &[Field<SiteForm>] = &[
    parsed(
        "public_phone",
        Public,
        l("予約受付の電話番号", "Phone for reservations"),
        Input::Tel,
        phone,
        |f| &f.public_phone,
        |f| &mut f.public_phone,
    ),
    parsed(
        "public_url",
        Public,
        l("予約受付サイトURL", "Reservation website"),
        Input::Url,
        web_url,
        |f| &f.public_url,
        |f| &mut f.public_url,
    ),
    field(
        "booking_phone",
        Public,
        l("予約可否(電話番号)", "Reservations by phone"),
        Input::Select {
            options: Options::Fixed(options_of::<Booking>),
            blank: true,
        },
        Access::Choice {
            get: |f| choice_name(f.booking_phone),
            set: |f, v| set_choice(&mut f.booking_phone, v),
        },
    ),
    field(
        "booking_web",
        Public,
        l("予約可否(Web)", "Reservations on the web"),
        Input::Select {
            options: Options::Fixed(options_of::<Booking>),
            blank: true,
        },
        Access::Choice {
            get: |f| choice_name(f.booking_web),
            set: |f, v| set_choice(&mut f.booking_web, v),
        },
    ),
    line(
        "hours",
        Public,
        l("受付時間", "Reception hours"),
        200,
        |f| &f.hours,
        |f| &mut f.hours,
    ),
    line(
        "hours_en",
        Public,
        l("受付時間(英語)", "Reception hours (English)"),
        200,
        |f| &f.hours_en,
        |f| &mut f.hours_en,
    ),
    field(
        "general_public",
        Public,
        l("一般受入", "Open to the public"),
        Input::Radio(Options::Fixed(options_of::<GeneralPublic>)),
        Access::Choice {
            get: |f| choice_name(f.general_public),
            set: |f, v| set_choice(&mut f.general_public, v),
        },
    )
    .required()
    .needs_approval(),
    parsed(
        "name_kana",
        Public,
        l("医療機関・接種会場名(ふりがな)", "Site name (hiragana)"),
        Input::Text,
        furigana,
        |f| &f.name_kana,
        |f| &mut f.name_kana,
    ),
    line(
        "name_en",
        Public,
        l("医療機関・接種会場名(英語)", "Site name (English)"),
        100,
        |f| &f.name_en,
        |f| &mut f.name_en,
    ),
    notice(
        "notice",
        l("医療機関・接種会場からのお知らせ", "Notice from the site"),
        |f| &f.notice,
        |f| &mut f.notice,
    ),
    notice(
        "notice_easy",
        l(
            "医療機関・接種会場からのお知らせ(やさしい日本語)",
            "Notice from the site (easy Japanese)",
        ),
        |f| &f.notice_easy,
        |f| &mut f.notice_easy,
    ),
    notice(
        "notice_en",
        l(
            "医療機関・接種会場からのお知らせ(英語)",
            "Notice from the site (English)",
        ),
        |f| &f.notice_en,
        |f| &mut f.notice_en,
    ),
    field(
        "proxy_booking",
        Municipality,
        l("代行入力フラグ", "Municipality takes reservations"),
        Input::Radio(Options::Fixed(options_of::<ProxyBooking>)),
        Access::Choice {
            get: |f| choice_name(f.proxy_booking),
            set: |f, v| set_choice(&mut f.proxy_booking, v),
        },
    )
    .required()
    .needs_approval(),
];
