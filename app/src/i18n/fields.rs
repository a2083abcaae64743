//! How any form built from a field table reads: the words every form shares (選択してください,
//! （未入力）, はい/いいえ) and a stored value as users read it, chosen by the field's input kind.

use super::Lang;
use crate::api::Choice as GivenOption;
use crate::domain::form_fields::{Field, Form, Input, Label, Options};
use std::collections::BTreeMap;

/// The options the server sent with a form, by list name (see [`Options::Given`]).
pub type GivenOptions = BTreeMap<&'static str, Vec<GivenOption>>;

/// The first option of a drop-down that allows no choice.
pub const CHOOSE: Label = Label::new("選択してください", "Choose");
/// An empty value on a read page.
pub const NOT_SET: Label = Label::new("（未入力）", "(not set)");
/// A flag that is set.
pub const YES: Label = Label::new("はい", "Yes");
/// A flag that is not set.
pub const NO: Label = Label::new("いいえ", "No");

/// The label of `value` among `options`; `None` when it is not one of them.
pub fn option_label(
    lang: Lang,
    options: Options,
    value: &str,
    given: &GivenOptions,
) -> Option<String> {
    match options {
        Options::Fixed(options) => options()
            .into_iter()
            .find(|(name, _)| *name == value)
            .map(|(_, label)| label.get(lang).to_string()),
        Options::Given(list) => given
            .get(list)?
            .iter()
            .find(|option| option.value == value)
            .map(|option| option.label.clone()),
    }
}

/// A stored value of `field` as users read it: options by their label (an option no longer
/// offered by its value, an id as `#id`), lists of options joined by 「、」, flags as はい/いいえ,
/// text as it is.
pub fn display_value<F: Form>(
    lang: Lang,
    field: &Field<F>,
    raw: &str,
    given: &GivenOptions,
) -> String {
    if raw.is_empty() {
        return NOT_SET.get(lang).to_string();
    }
    match field.input {
        Input::Flag => if raw == "true" { YES } else { NO }.get(lang).to_string(),
        Input::Checks(options) | Input::AnswerEach { options, .. } => raw
            .split(',')
            .map(|value| {
                option_label(lang, options, value, given).unwrap_or_else(|| value.to_string())
            })
            .collect::<Vec<_>>()
            .join("、"),
        Input::Select { options, .. } | Input::Radio(options) => {
            option_label(lang, options, raw, given).unwrap_or_else(|| match options {
                Options::Given(_) => format!("#{raw}"),
                Options::Fixed(_) => raw.to_string(),
            })
        }
        _ => raw.to_string(),
    }
}
