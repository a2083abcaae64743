//! Labels in both languages and closed sets of options stored by name (the choices of a form).

use crate::error::FieldError;
use crate::i18n::Lang;

/// A text in each language of the interface.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Label {
    /// 日本語, exactly as users know it.
    pub ja: &'static str,
    /// English.
    pub en: &'static str,
}

impl Label {
    /// A label from its two texts.
    pub const fn new(ja: &'static str, en: &'static str) -> Self {
        Self { ja, en }
    }

    /// The text in `lang`.
    pub fn get(self, lang: Lang) -> &'static str {
        match lang {
            Lang::Ja => self.ja,
            Lang::En => self.en,
        }
    }
}

/// A closed set of options stored by a stable name (施設分類, 型, 一般受入, …).
pub trait Choice: Copy + Eq + 'static {
    /// Every option, in the order offered.
    const ALL: &'static [Self];

    /// The stable name stored in the database and sent over the wire.
    fn as_str(self) -> &'static str;

    /// How the option reads.
    fn label(self) -> Label;

    /// The option stored as `value`.
    fn from_name(value: &str) -> Result<Self, FieldError> {
        Self::ALL
            .iter()
            .copied()
            .find(|c| c.as_str() == value)
            .ok_or(FieldError::InvalidChoice)
    }
}

/// Every option of `C` as (stored name, label), in order: the options of a fixed choice.
pub fn options_of<C: Choice>() -> Vec<(&'static str, Label)> {
    C::ALL.iter().map(|c| (c.as_str(), c.label())).collect()
}

/// The stored name of an optional choice: empty when nothing is chosen.
pub fn choice_name<C: Choice>(choice: Option<C>) -> &'static str {
    choice.map(C::as_str).unwrap_or_default()
}

/// Sets an optional choice from its stored name; an empty name clears it.
pub fn set_choice<C: Choice>(slot: &mut Option<C>, value: &str) -> Result<(), FieldError> {
    *slot = if value.is_empty() {
        None
    } else {
        Some(C::from_name(value)?)
    };
    Ok(())
}
