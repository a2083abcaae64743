//! What the user types in a list's search box.

use crate::error::FieldError;
use crate::text::clean;

/// The longest text a list search takes.
pub const SEARCH_TEXT_MAX_CHARS: usize = 100;

/// A search text for a list (users, audit log): controls removed, trimmed, at most
/// [`SEARCH_TEXT_MAX_CHARS`] characters; empty means "no filter".
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SearchText(String);

impl SearchText {
    /// Parses what the user typed in a search box.
    pub fn parse(input: &str) -> Result<Self, FieldError> {
        let value = clean(input);
        if value.chars().count() > SEARCH_TEXT_MAX_CHARS {
            return Err(FieldError::TooLong {
                max: SEARCH_TEXT_MAX_CHARS,
            });
        }
        Ok(Self(value))
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// True when there is nothing to search for.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// A SQL `LIKE … ESCAPE '\'` pattern matching the text anywhere, with `%`, `_` and `\`
    /// matched literally, lower-cased when `lower` (for case-insensitive columns).
    pub fn like_pattern(&self, lower: bool) -> String {
        let text = if lower {
            self.0.to_lowercase()
        } else {
            self.0.clone()
        };
        let mut pattern = String::with_capacity(text.len() + 2);
        pattern.push('%');
        for c in text.chars() {
            if matches!(c, '%' | '_' | '\\') {
                pattern.push('\\');
            }
            pattern.push(c);
        }
        pattern.push('%');
        pattern
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_texts_are_limited_and_match_wildcards_literally() {
        assert_eq!(
            SearchText::parse(&"あ".repeat(101)),
            Err(FieldError::TooLong { max: 100 })
        );
        let text = SearchText::parse(" 100%_a\\B ").unwrap();
        assert_eq!(text.like_pattern(true), "%100\\%\\_a\\\\b%");
        assert!(SearchText::parse("  ").unwrap().is_empty());
    }
}
