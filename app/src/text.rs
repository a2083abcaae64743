//! Text normalisation shared by every parser: users type on Japanese keyboards, so full-width
//! digits, letters and hyphen variants arrive as often as ASCII ones; and text that other people
//! read (the public finder above all) must not carry invisible or direction-changing characters.

/// True for characters no stored text keeps: C0 and C1 controls (the caller decides about tab
/// and newline), DEL, the bidirectional overrides, embeddings and isolates (which can make
/// 「ecnetsixe-on.jp」 read as another address), and invisible zero-width characters. The zero-width
/// joiner stays: emoji sequences need it.
fn is_hidden_control(c: char) -> bool {
    matches!(c,
        '\u{0}'..='\u{1F}' | '\u{7F}'..='\u{9F}'
        | '\u{061C}' | '\u{200B}' | '\u{200E}' | '\u{200F}'
        | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{2069}'
        | '\u{FEFF}' | '\u{FFF9}'..='\u{FFFB}')
}

/// Text of one line: every control and invisible character removed, tabs and line breaks
/// turned into spaces.
pub fn single_line(input: &str) -> String {
    input
        .chars()
        .filter_map(|c| match c {
            '\t' | '\n' | '\r' => Some(' '),
            c if is_hidden_control(c) => None,
            c => Some(c),
        })
        .collect()
}

/// Text of several lines: line breaks (CR LF and CR become LF) and tabs kept, every other
/// control and invisible character removed.
pub fn multi_line(input: &str) -> String {
    input
        .replace("\r\n", "\n")
        .chars()
        .filter_map(|c| match c {
            '\r' => Some('\n'),
            '\t' | '\n' => Some(c),
            c if is_hidden_control(c) => None,
            c => Some(c),
        })
        .collect()
}

/// Converts full-width ASCII (Ｕ+FF01..Ｕ+FF5E) to ASCII, the ideographic space to a space, and the
/// many dash look-alikes that IMEs produce to `-`; control and invisible characters go (see
/// [`single_line`]).
pub fn normalize_width(input: &str) -> String {
    single_line(input)
        .chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '\u{3000}' => ' ',
            '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2014}' | '\u{2015}'
            | '\u{2212}' | '\u{30FC}' | '\u{FF70}' | '\u{FE63}' => '-',
            other => other,
        })
        .collect()
}

/// Normalises width and trims surrounding white space.
pub fn clean(input: &str) -> String {
    normalize_width(input).trim().to_string()
}

/// Keeps only the ASCII digits of `input` after width normalisation, dropping spaces and hyphens.
pub fn digits_only(input: &str) -> Option<String> {
    let normalized = normalize_width(input);
    let mut out = String::new();
    for c in normalized.chars() {
        match c {
            '0'..='9' => out.push(c),
            ' ' | '-' => {}
            _ => return None,
        }
    }
    Some(out)
}

/// Percent-encodes `text` as UTF-8 (RFC 3986's unreserved characters stay): a query value, or a
/// file name in `Content-Disposition`'s `filename*` (RFC 5987).
pub fn percent_encode(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_width_digits_and_letters_become_ascii() {
        assert_eq!(normalize_width("１２３ＡＢｃ"), "123ABc");
    }

    #[test]
    fn dash_variants_become_a_hyphen() {
        assert_eq!(normalize_width("100ー0001"), "100-0001");
        assert_eq!(normalize_width("100－0001"), "100-0001");
        assert_eq!(normalize_width("100‐0001"), "100-0001");
        assert_eq!(normalize_width("100−0001"), "100-0001");
    }

    #[test]
    fn ideographic_space_becomes_a_space_and_clean_trims_it() {
        assert_eq!(clean("\u{3000}abc\u{3000}"), "abc");
    }

    #[test]
    fn direction_overrides_zero_width_and_control_characters_are_removed() {
        assert_eq!(single_line("abc\u{202E}gpj.exe"), "abcgpj.exe");
        assert_eq!(
            single_line("A\u{200B}B\u{0}C\u{7}\u{2066}D\u{FEFF}"),
            "ABCD"
        );
        assert_eq!(single_line("一行目\n二行目\t終"), "一行目 二行目 終");
        assert_eq!(
            multi_line("一行目\r\n二行目\r三\t行目\u{202D}\u{0}"),
            "一行目\n二行目\n三\t行目"
        );
        assert_eq!(clean(" \u{202E}東京都\u{200B} "), "東京都");
        // Emoji sequences keep their joiner.
        assert_eq!(single_line("👩\u{200D}⚕️"), "👩\u{200D}⚕️");
    }

    #[test]
    fn digits_only_drops_separators_and_refuses_letters() {
        assert_eq!(digits_only("１２ 34-56").as_deref(), Some("123456"));
        assert_eq!(digits_only("12a4"), None);
    }
}
