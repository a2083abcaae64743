//! Words of コロナワクチンナビ (the public finder) in its three languages: 日本語, やさしい日本語
//! (easy Japanese: short phrases with spaces between them, readings after harder kanji) and
//! English.

use super::{reservation_status_name, Lang};
use crate::domain::ReservationStatus;

/// The finder's three languages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FinderLang {
    /// 日本語
    Japanese,
    /// やさしい日本語
    Easy,
    /// English
    English,
}

impl FinderLang {
    /// Every language, in the order of the language menu.
    pub const ALL: [FinderLang; 3] = [FinderLang::Japanese, FinderLang::Easy, FinderLang::English];

    /// The interface language of the rest of the app (やさしい日本語 is Japanese).
    pub fn ui(self) -> Lang {
        match self {
            FinderLang::English => Lang::En,
            _ => Lang::Ja,
        }
    }

    /// The value of the language menu.
    pub fn value(self) -> &'static str {
        match self {
            FinderLang::Japanese => "ja",
            FinderLang::Easy => "easy",
            FinderLang::English => "en",
        }
    }

    /// The language's own name in the menu.
    pub fn own_name(self) -> &'static str {
        match self {
            FinderLang::Japanese => "日本語",
            FinderLang::Easy => "やさしい日本語",
            FinderLang::English => "English",
        }
    }

    /// The language of a menu value (日本語 for anything else).
    pub fn from_value(value: &str) -> Self {
        Self::ALL
            .into_iter()
            .find(|l| l.value() == value)
            .unwrap_or(FinderLang::Japanese)
    }

    /// The finder's words in this language.
    pub fn texts(self) -> &'static FinderTexts {
        match self {
            FinderLang::Japanese => &JA,
            FinderLang::Easy => &EASY,
            FinderLang::English => &EN,
        }
    }
}

/// Every label of the finder.
#[allow(missing_docs)]
pub struct FinderTexts {
    pub title: &'static str,
    pub intro: &'static str,
    pub language: &'static str,
    pub prefecture: &'static str,
    pub municipality: &'static str,
    pub vaccine: &'static str,
    pub status: &'static str,
    pub all: &'static str,
    pub search_button: &'static str,
    pub results: &'static str,
    pub no_results: &'static str,
    /// The button that adds the next page of results.
    pub more_button: &'static str,
    /// While the choices load.
    pub loading: &'static str,
    pub stale_mark: &'static str,
    pub updated_at: &'static str,
    pub reservation_phone: &'static str,
    pub reservation_web: &'static str,
    pub hours: &'static str,
    pub notice: &'static str,
    pub address: &'static str,
    pub vaccines: &'static str,
    pub homepage: &'static str,
    pub parking: &'static str,
    /// After a phone number or booking site that takes bookings (予約可否: 可).
    pub booking_possible: &'static str,
    /// After one that does not (予約可否: 不可).
    pub booking_impossible: &'static str,
}

/// 日本語.
pub const JA: FinderTexts = FinderTexts {
    title: "コロナワクチンナビ",
    intro: "新型コロナワクチンを接種できる医療機関・接種会場を探せます。",
    language: "表示言語",
    prefecture: "都道府県",
    municipality: "市区町村",
    vaccine: "ワクチン",
    status: "予約の受付状況",
    all: "すべて",
    search_button: "検索",
    results: "検索結果",
    no_results: "条件に合う医療機関・接種会場はありません。",
    more_button: "さらに表示",
    loading: "読み込み中…",
    stale_mark: "14日以上更新されていません。最新の情報ではない可能性があります。",
    updated_at: "更新日時",
    reservation_phone: "予約受付の電話番号",
    reservation_web: "予約受付サイト",
    hours: "受付時間",
    notice: "お知らせ",
    address: "住所",
    vaccines: "取扱ワクチン",
    homepage: "ホームページ",
    parking: "駐車場(台)",
    booking_possible: "（予約: 可）",
    booking_impossible: "（予約: 不可）",
};

/// やさしい日本語.
pub const EASY: FinderTexts = FinderTexts {
    title: "コロナワクチンナビ",
    intro: "コロナの ワクチンを 打つ（うつ） ことが できる 病院（びょういん）や 会場（かいじょう）を さがす ことが できます。",
    language: "ことば",
    prefecture: "都道府県（とどうふけん）",
    municipality: "市区町村（しくちょうそん）",
    vaccine: "ワクチンの 種類（しゅるい）",
    status: "よやくが できるか",
    all: "ぜんぶ",
    search_button: "さがす",
    results: "みつかった ところ",
    no_results: "みつかりませんでした。",
    more_button: "もっと 見る（みる）",
    loading: "よみこんで います…",
    stale_mark: "14日（にち）より 前（まえ）の 情報（じょうほう）です。いまは ちがう かも しれません。",
    updated_at: "情報（じょうほう）が かわった 日（ひ）",
    reservation_phone: "よやくの 電話（でんわ）",
    reservation_web: "よやくの ウェブサイト",
    hours: "よやくを うけつける 時間（じかん）",
    notice: "おしらせ",
    address: "住所（じゅうしょ）",
    vaccines: "ここで 打てる（うてる） ワクチン",
    homepage: "ホームページ",
    parking: "車（くるま）を とめる ところ（台（だい））",
    booking_possible: "（よやく できます）",
    booking_impossible: "（よやく できません）",
};

/// English.
pub const EN: FinderTexts = FinderTexts {
    title: "COVID-19 Vaccine Navi",
    intro: "Find medical institutions and sites where you can get a COVID-19 vaccine.",
    language: "Language",
    prefecture: "Prefecture",
    municipality: "Municipality",
    vaccine: "Vaccine",
    status: "Reservations",
    all: "All",
    search_button: "Search",
    results: "Results",
    no_results: "No sites match.",
    more_button: "Show more",
    loading: "Loading...",
    stale_mark: "Not updated for 14 days or more: may be out of date.",
    updated_at: "Updated",
    reservation_phone: "Phone for reservations",
    reservation_web: "Reservation website",
    hours: "Reception hours",
    notice: "Notice",
    address: "Address",
    vaccines: "Vaccines",
    homepage: "Website",
    parking: "Parking spaces",
    booking_possible: " (takes bookings)",
    booking_impossible: " (no bookings)",
};

/// A reservation status as the finder says it.
pub fn finder_status_name(lang: FinderLang, status: ReservationStatus) -> &'static str {
    match (lang, status) {
        (FinderLang::Easy, ReservationStatus::Available) => "よやく できます",
        (FinderLang::Easy, ReservationStatus::Full) => "よやくが いっぱいです",
        (FinderLang::Easy, ReservationStatus::NotAccepting) => {
            "いまは よやくを うけつけて いません"
        }
        (FinderLang::Easy, ReservationStatus::NotRequired) => "よやくは いりません",
        (FinderLang::Easy, ReservationStatus::Unregistered) => "まだ わかりません",
        (other, status) => reservation_status_name(other.ui(), status),
    }
}

/// What follows a phone number or booking site given its 予約可否 (`possible`/`impossible`).
pub fn booking_note(lang: FinderLang, value: &str) -> &'static str {
    match value {
        "possible" => lang.texts().booking_possible,
        "impossible" => lang.texts().booking_impossible,
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(t: &FinderTexts) -> Vec<&'static str> {
        vec![
            t.intro,
            t.language,
            t.prefecture,
            t.municipality,
            t.vaccine,
            t.status,
            t.all,
            t.search_button,
            t.results,
            t.no_results,
            t.more_button,
            t.loading,
            t.stale_mark,
            t.updated_at,
            t.reservation_phone,
            t.reservation_web,
            t.hours,
            t.notice,
            t.address,
            t.vaccines,
            t.parking,
            t.booking_possible,
            t.booking_impossible,
        ]
    }

    #[test]
    fn easy_japanese_has_its_own_text_for_every_label_and_status() {
        for (easy, ja) in labels(&EASY).into_iter().zip(labels(&JA)) {
            assert!(!easy.is_empty());
            assert_ne!(easy, ja);
        }
        for status in ReservationStatus::ALL {
            assert_ne!(
                finder_status_name(FinderLang::Easy, status),
                finder_status_name(FinderLang::Japanese, status)
            );
        }
    }

    #[test]
    fn english_has_no_japanese_in_its_labels_statuses_or_booking_notes() {
        let ascii = |s: &str| s.is_ascii();
        assert!(labels(&EN).into_iter().all(ascii));
        assert!(ReservationStatus::ALL
            .into_iter()
            .all(|s| ascii(finder_status_name(FinderLang::English, s))));
        assert_eq!(
            booking_note(FinderLang::English, "possible"),
            " (takes bookings)"
        );
        assert_eq!(booking_note(FinderLang::English, ""), "");
    }
}
