//! Prefecture and municipality names in English, for the finder's English pages: Hepburn
//! romanisation of the master data's kana reading, the way Japanese place names are written in
//! English (千代田区 ちよだく → Chiyoda-ku, 東京都 とうきょうと → Tokyo, 中央区 → Chuo-ku).

use wana_kana::ConvertJapanese;

/// How a name's last character reads and is written in English. `None`: the suffix is left
/// out, as English writes prefectures (Tokyo, Osaka, Aomori).
const SUFFIXES: &[(char, &str, Option<&str>)] = &[
    ('都', "と", None),
    ('府', "ふ", None),
    ('県', "けん", None),
    ('市', "し", Some("shi")),
    ('区', "く", Some("ku")),
    ('町', "まち", Some("machi")),
    ('町', "ちょう", Some("cho")),
    ('村', "むら", Some("mura")),
    ('村', "そん", Some("son")),
];

/// The English name of a prefecture or municipality from its name and kana reading. A designated
/// city's ward (札幌市 中央区 / さっぽろし ちゅうおうく) gives each part in turn. A reading that
/// does not end as its name's suffix reads is romanised whole.
pub fn place_name_en(name: &str, kana: &str) -> String {
    let names: Vec<&str> = name.split_whitespace().collect();
    let readings: Vec<&str> = kana.split_whitespace().collect();
    if names.len() != readings.len() {
        return capitalised(&hepburn(&readings.concat()));
    }
    names
        .iter()
        .zip(&readings)
        .map(|(name, reading)| part_en(name, reading))
        .collect::<Vec<_>>()
        .join(" ")
}

fn part_en(name: &str, reading: &str) -> String {
    let last = name.chars().last();
    let suffix = SUFFIXES.iter().find_map(|(kanji, kana, english)| {
        let stem = reading.strip_suffix(kana)?;
        (Some(*kanji) == last && !stem.is_empty()).then_some((stem, *english))
    });
    match suffix {
        Some((stem, Some(english))) => format!("{}-{english}", capitalised(&hepburn(stem))),
        Some((stem, None)) => capitalised(&hepburn(stem)),
        None => capitalised(&hepburn(reading)),
    }
}

/// Hepburn without macrons, as place names are written: long vowels are not doubled
/// (とうきょう → tokyo, おおた → ota, ちゅうおう → chuo).
fn hepburn(kana: &str) -> String {
    let romaji = kana.to_romaji();
    let mut out = String::with_capacity(romaji.len());
    for c in romaji.chars() {
        let long = matches!(
            (out.chars().last(), c),
            (Some('o'), 'u' | 'o') | (Some('u'), 'u')
        );
        if !long {
            out.push(c);
        }
    }
    out
}

fn capitalised(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::place_name_en;

    #[test]
    fn prefectures_drop_their_suffix_and_long_vowels() {
        assert_eq!(place_name_en("東京都", "とうきょうと"), "Tokyo");
        assert_eq!(place_name_en("北海道", "ほっかいどう"), "Hokkaido");
        assert_eq!(place_name_en("大阪府", "おおさかふ"), "Osaka");
        assert_eq!(place_name_en("京都府", "きょうとふ"), "Kyoto");
        assert_eq!(place_name_en("青森県", "あおもりけん"), "Aomori");
        assert_eq!(place_name_en("兵庫県", "ひょうごけん"), "Hyogo");
    }

    #[test]
    fn municipalities_keep_their_suffix_after_a_hyphen() {
        assert_eq!(place_name_en("千代田区", "ちよだく"), "Chiyoda-ku");
        assert_eq!(place_name_en("港区", "みなとく"), "Minato-ku");
        assert_eq!(place_name_en("中央区", "ちゅうおうく"), "Chuo-ku");
        assert_eq!(place_name_en("大田区", "おおたく"), "Ota-ku");
        assert_eq!(place_name_en("八王子市", "はちおうじし"), "Hachioji-shi");
        assert_eq!(place_name_en("郡山市", "こおりやまし"), "Koriyama-shi");
        assert_eq!(place_name_en("奥多摩町", "おくたままち"), "Okutama-machi");
        assert_eq!(place_name_en("当別町", "とうべつちょう"), "Tobetsu-cho");
        assert_eq!(place_name_en("檜原村", "ひのはらむら"), "Hinohara-mura");
        assert_eq!(place_name_en("読谷村", "よみたんそん"), "Yomitan-son");
        assert_eq!(
            place_name_en("神津島村", "こうづしまむら"),
            "Kozushima-mura"
        );
        // Vowels that only meet across syllables stay: し・り・う・ち.
        assert_eq!(place_name_en("知内町", "しりうちちょう"), "Shiriuchi-cho");
        assert_eq!(
            place_name_en("札幌市 中央区", "さっぽろし ちゅうおうく"),
            "Sapporo-shi Chuo-ku"
        );
    }

    #[test]
    fn every_prefecture_of_the_master_data_reads_as_its_english_name() {
        let csv = include_str!("../../data/prefjp-utf8.csv");
        let mut checked = 0;
        for line in csv.lines().skip(1) {
            let columns: Vec<&str> = line.split(',').collect();
            let (name, kana, english) = (columns[1], columns[2], columns[5]);
            assert_eq!(place_name_en(name, kana), english, "{name}");
            checked += 1;
        }
        assert_eq!(checked, 47);
    }

    #[test]
    fn every_municipality_gets_a_latin_name_with_its_suffix() {
        let csv = include_str!("../../data/localgovjp-utf8.csv");
        for line in csv.lines().skip(1) {
            let columns: Vec<&str> = line.split(',').collect();
            let (name, kana) = (columns[3], columns[4]);
            let english = place_name_en(name, kana);
            assert!(english.is_ascii(), "{name} {kana} → {english}");
            assert!(
                ["-shi", "-ku", "-machi", "-cho", "-mura", "-son"]
                    .iter()
                    .any(|s| english.ends_with(s)),
                "{name} {kana} → {english}"
            );
        }
    }
}
