//! ナレッジ: the article types (記事タイプ), kinds of information (情報種類) and audiences (対象者) of
//! seed 000's screen, and the terms the chatbot's index reads.

use crate::domain::Role;
use serde::{Deserialize, Serialize};

/// 記事タイプ.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ArticleKind {
    /// FAQ.
    Faq,
    /// マニュアル.
    Manual,
    /// 動画マニュアル.
    Video,
}

stored_names!(ArticleKind {
    Faq => "faq",
    Manual => "manual",
    Video => "video",
});

/// 情報種類.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ArticleCategory {
    /// 操作方法.
    Howto,
    /// 制度・運用.
    Rules,
    /// トラブル対応.
    Trouble,
}

stored_names!(ArticleCategory {
    Howto => "howto",
    Rules => "rules",
    Trouble => "trouble",
});

/// The 対象者 an article may be for: 医療機関・接種会場, 市町村, 都道府県, 製薬メーカー・卸.
pub const AUDIENCES: [Role; 4] = [
    Role::Site,
    Role::Municipality,
    Role::Prefecture,
    Role::Supplier,
];

/// The script class of a character, for [`script_terms`].
#[derive(Clone, Copy, PartialEq, Eq)]
enum Script {
    Kanji,
    Hiragana,
    Katakana,
    Latin,
    Other,
}

fn script_of(c: char) -> Script {
    match c {
        '々' | '〆' | '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}' => Script::Kanji,
        '\u{3041}'..='\u{309F}' => Script::Hiragana,
        'ー' | '\u{30A1}'..='\u{30FA}' | '\u{30FC}'..='\u{30FF}' | '\u{FF66}'..='\u{FF9F}' => {
            Script::Katakana
        }
        c if c.is_alphanumeric() => Script::Latin,
        _ => Script::Other,
    }
}

/// The runs of one script in `text`, in order: 「請求書は毎月10日までに提出」 gives 請求書, は, 毎月,
/// 10, 日, までに, 提出. Punctuation and spaces separate runs and are dropped; full-width Latin
/// letters and digits are folded to ASCII, capitals to small.
pub fn script_runs(text: &str) -> Vec<(String, bool)> {
    let mut runs: Vec<(String, bool)> = Vec::new();
    let mut current = String::new();
    let mut current_script = Script::Other;
    for c in text.chars() {
        let c = match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            c => c,
        }
        .to_lowercase()
        .next()
        .unwrap_or(c);
        let script = script_of(c);
        if script != current_script && !current.is_empty() {
            runs.push((
                std::mem::take(&mut current),
                current_script != Script::Hiragana,
            ));
        }
        current_script = script;
        if script != Script::Other {
            current.push(c);
        }
    }
    if !current.is_empty() {
        runs.push((current, current_script != Script::Hiragana));
    }
    runs
}

/// `text` with a space at every change of script, as the chatbot's index stores it: a two-kanji
/// word like 請求 then stands between spaces, where a trigram index finds it (" 請求", "請求 ").
pub fn script_terms(text: &str) -> String {
    let runs: Vec<String> = script_runs(text).into_iter().map(|(run, _)| run).collect();
    format!(" {} ", runs.join(" "))
}

/// The content words of a question (runs of kanji, katakana or Latin letters and digits of two
/// characters or more; かな runs are particles and endings), without repeats, in order.
pub fn question_terms(question: &str) -> Vec<String> {
    let mut terms: Vec<String> = Vec::new();
    for (run, content) in script_runs(question) {
        if content && run.chars().count() >= 2 && !terms.contains(&run) {
            terms.push(run);
        }
    }
    terms
}
