//! Text normalisation shared by every parser: users type on Japanese keyboards, so full-width
//! digits, letters and hyphen variants arrive as often as ASCII ones.

/// Converts full-width ASCII (Ｕ+FF01..Ｕ+FF5E) to ASCII, the ideographic space to a space, and the
/// many dash look-alikes that IMEs produce to `-`.
pub fn normalize_width(input: &str) -> String {
    input
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
    fn digits_only_drops_separators_and_refuses_letters() {
        assert_eq!(digits_only("１２ 34-56").as_deref(), Some("123456"));
        assert_eq!(digits_only("12a4"), None);
    }
}
