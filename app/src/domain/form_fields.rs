//! Forms as data. A form is a struct plus one table of its fields; each field carries its key,
//! labels, section, input kind, rule, required condition, approval flag and accessor. Everything
//! else follows from the table: the field's stored string, the changes between two versions, the
//! check of every field, the ※ mark, the JSON shape on the wire and in the database, and (in
//! [`crate::ui::fields`]) how each field renders. The site record is the first such form; the
//! coming ones (希望量, 分配, 接種実績, 請求) declare a table of their own.

mod choice;
mod wire;

pub use choice::{choice_name, options_of, set_choice, Choice, Label};
pub use wire::{deserialize_form, serialize_form};

use crate::error::{FieldError, FieldErrors};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

/// Where the options of a choice come from.
#[derive(Clone, Copy)]
pub enum Options {
    /// A closed set known to the program: (stored name, label) in order (see [`options_of`]).
    Fixed(fn() -> Vec<(&'static str, Label)>),
    /// A list the server sends with the form (the vaccines, the basic sites), by its name.
    Given(&'static str),
}

/// How a field is entered. Each kind renders the same way in every form.
#[derive(Clone, Copy)]
pub enum Input {
    /// One line of text.
    Text,
    /// A phone or fax number.
    Tel,
    /// An e-mail address.
    Email,
    /// A web address.
    Url,
    /// Digits (counts, codes): tablets show a number pad.
    Numeric,
    /// One line whose expected form the placeholder shows (dates, postal codes).
    Patterned(&'static str),
    /// Several lines.
    Lines,
    /// A drop-down list; `blank` offers 「選択してください」 first.
    Select {
        /// The options.
        options: Options,
        /// Whether nothing may be chosen.
        blank: bool,
    },
    /// Radio buttons.
    Radio(Options),
    /// Check boxes: the value is the list of options checked.
    Checks(Options),
    /// One check box.
    Flag,
    /// For each option, a question `{option}{question}` answered `yes` or `no`: the value is the
    /// list of options answered no.
    AnswerEach {
        /// The options asked about.
        options: Options,
        /// The question after each option's name.
        question: Label,
        /// The first answer.
        yes: Label,
        /// The second answer (what the value lists).
        no: Label,
    },
}

impl Input {
    /// Chosen from options rather than typed: a missing value reads 「選択してください。」.
    pub fn is_choice(self) -> bool {
        self.options().is_some()
    }

    /// The options of a choice.
    pub fn options(self) -> Option<Options> {
        match self {
            Input::Select { options, .. }
            | Input::Radio(options)
            | Input::Checks(options)
            | Input::AnswerEach { options, .. } => Some(options),
            _ => None,
        }
    }
}

/// How typed text is checked and stored.
#[derive(Clone, Copy)]
pub enum TextRule {
    /// Free text on one line (controls and invisible characters removed, trimmed), at most `max`
    /// characters.
    Line(usize),
    /// Free text over several lines (line breaks kept), at most `max` characters.
    Lines(usize),
    /// A value with one normal form, which is what is stored; what was typed stays on error.
    Parsed(fn(&str) -> Result<String, FieldError>),
    /// One of the options of the field's input (a list the server sent).
    Chosen,
}

/// When a field must be filled (the ※ mark follows it).
pub enum Required<F: 'static> {
    /// Never.
    Never,
    /// Always.
    Always,
    /// When the form as it stands says so.
    When(fn(&F) -> bool),
}

/// How a field's value is read from and written to the form struct.
pub enum Access<F: 'static> {
    /// Typed text, kept as typed until checked by `rule`.
    Text {
        /// Reads it.
        get: fn(&F) -> &String,
        /// Writes it.
        get_mut: fn(&mut F) -> &mut String,
        /// How it is checked and stored.
        rule: TextRule,
    },
    /// One option of a closed set, by its stored name (empty: none; see [`set_choice`]).
    Choice {
        /// Reads the stored name.
        get: fn(&F) -> &'static str,
        /// Writes it from a stored name.
        set: fn(&mut F, &str) -> Result<(), FieldError>,
    },
    /// A list of option values (a [`Input::Checks`] or [`Input::AnswerEach`] field).
    List {
        /// Reads it.
        get: fn(&F) -> &Vec<String>,
        /// Writes it.
        get_mut: fn(&mut F) -> &mut Vec<String>,
    },
    /// A yes/no flag.
    Flag {
        /// Reads it.
        get: fn(&F) -> &bool,
        /// Writes it.
        get_mut: fn(&mut F) -> &mut bool,
    },
}

/// One field of a form.
pub struct Field<F: Form> {
    /// The key of its value, its errors and its changes.
    pub key: &'static str,
    /// Its label.
    pub label: Label,
    /// The section it is shown in.
    pub section: F::Section,
    /// How it is entered.
    pub input: Input,
    /// When it must be filled.
    pub required: Required<F>,
    /// When it applies at all (`None`: always). A field that does not apply is hidden and stored
    /// empty, so what is stored is what the user actually declared.
    pub applies: Option<fn(&F) -> bool>,
    /// A change needs the approval of the level above (it becomes a 申請).
    pub needs_approval: bool,
    /// Its value on the form struct.
    pub access: Access<F>,
}

// Tables are constants copied into one (see `join_fields`): every part is a plain value or a
// function pointer, whatever the form type.
impl<F> Clone for Required<F> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<F> Copy for Required<F> {}

impl<F> Clone for Access<F> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<F> Copy for Access<F> {}

impl<F: Form> Clone for Field<F> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<F: Form> Copy for Field<F> {}

/// The parts of a table written apart (by section, in files of their own) as one table of `N`
/// fields, in order; a wrong `N` does not compile.
pub const fn join_fields<F: Form, const N: usize>(parts: &[&[Field<F>]]) -> [Field<F>; N] {
    let mut joined = [parts[0][0]; N];
    let (mut part, mut at) = (0, 0);
    while part < parts.len() {
        let mut i = 0;
        while i < parts[part].len() {
            assert!(at < N, "more fields than N");
            joined[at] = parts[part][i];
            at += 1;
            i += 1;
        }
        part += 1;
    }
    assert!(at == N, "fewer fields than N");
    joined
}

impl<F: Form> Field<F> {
    /// A field that is optional, always applies and needs no approval.
    pub const fn new(
        key: &'static str,
        section: F::Section,
        label: Label,
        input: Input,
        access: Access<F>,
    ) -> Self {
        Self {
            key,
            label,
            section,
            input,
            required: Required::Never,
            applies: None,
            needs_approval: false,
            access,
        }
    }

    /// This field, always required.
    pub const fn required(mut self) -> Self {
        self.required = Required::Always;
        self
    }

    /// This field, required when `condition` holds.
    pub const fn required_when(mut self, condition: fn(&F) -> bool) -> Self {
        self.required = Required::When(condition);
        self
    }

    /// This field, shown and stored only when `condition` holds.
    pub const fn applies_when(mut self, condition: fn(&F) -> bool) -> Self {
        self.applies = Some(condition);
        self
    }

    /// This field, whose changes need approval.
    pub const fn needs_approval(mut self) -> Self {
        self.needs_approval = true;
        self
    }

    /// Whether it must be filled in `form` as it stands.
    pub fn is_required(&self, form: &F) -> bool {
        match self.required {
            Required::Never => false,
            Required::Always => true,
            Required::When(condition) => condition(form),
        }
    }

    /// Whether it applies to `form` as it stands.
    pub fn applies_to(&self, form: &F) -> bool {
        self.applies.is_none_or(|condition| condition(form))
    }

    /// Its value as one string: text as typed, a choice by its stored name, a list joined by
    /// `,`, a flag as `true` or `false`. Changes, history and requests store this string.
    pub fn value(&self, form: &F) -> String {
        match self.access {
            Access::Text { get, .. } => get(form).clone(),
            Access::Choice { get, .. } => get(form).to_string(),
            Access::List { get, .. } => get(form).join(","),
            Access::Flag { get, .. } => get(form).to_string(),
        }
    }

    /// Sets it from its string (see [`Field::value`]); a choice that is not an option is refused.
    pub fn set(&self, form: &mut F, value: &str) -> Result<(), FieldError> {
        match self.access {
            Access::Text { get_mut, .. } => *get_mut(form) = value.to_string(),
            Access::Choice { set, .. } => set(form, value)?,
            Access::List { get_mut, .. } => {
                *get_mut(form) = value
                    .split(',')
                    .filter(|v| !v.is_empty())
                    .map(str::to_string)
                    .collect();
            }
            Access::Flag { get_mut, .. } => *get_mut(form) = value == "true",
        }
        Ok(())
    }

    /// Empties it in `form` (a field that does not apply).
    fn clear(&self, form: &mut F) {
        match self.access {
            Access::Text { get_mut, .. } => get_mut(form).clear(),
            Access::Choice { set, .. } => {
                // Clearing a choice cannot fail: the empty name means none.
                let _ = set(form, "");
            }
            Access::List { get_mut, .. } => get_mut(form).clear(),
            Access::Flag { get_mut, .. } => *get_mut(form) = false,
        }
    }

    /// Checks this field of `input` into `out` (the normal form, or what was typed on error).
    fn check(
        &self,
        input: &F,
        out: &mut F,
        offered: &impl Fn(&str) -> Vec<String>,
        errors: &mut FieldErrors,
    ) {
        if !self.applies_to(input) {
            self.clear(out);
            return;
        }
        let required = self.is_required(input);
        let given = match self.input.options() {
            Some(Options::Given(list)) => Some(offered(list)),
            _ => None,
        };
        match self.access {
            Access::Text { get, get_mut, rule } => {
                let typed = get(input);
                let (stored, error) = check_text(typed, rule, given.as_deref(), required);
                if let Some(error) = error {
                    errors.add(self.key, error);
                }
                *get_mut(out) = stored;
            }
            Access::Choice { get, .. } => {
                if required && get(input).is_empty() {
                    errors.add(self.key, FieldError::Required);
                }
            }
            Access::List { get, get_mut } => {
                let chosen = get(input);
                let kept: Vec<String> = match &given {
                    Some(offered) => offered
                        .iter()
                        .filter(|value| chosen.contains(value))
                        .cloned()
                        .collect(),
                    None => chosen.clone(),
                };
                // Unknown options of a check-box group are refused; the answers of an
                // AnswerEach about options no longer offered are simply dropped.
                let unknown = kept.len() < chosen.len();
                if unknown && matches!(self.input, Input::Checks(_)) {
                    errors.add(self.key, FieldError::InvalidChoice);
                } else if required && kept.is_empty() {
                    errors.add(self.key, FieldError::Required);
                }
                *get_mut(out) = kept;
            }
            Access::Flag { .. } => {}
        }
    }
}

/// Checks one typed text under `rule`: the value to store and the error, if any.
fn check_text(
    typed: &str,
    rule: TextRule,
    offered: Option<&[String]>,
    required: bool,
) -> (String, Option<FieldError>) {
    let (value, error) = match rule {
        TextRule::Line(max) => bounded(crate::text::single_line(typed), max),
        TextRule::Lines(max) => bounded(crate::text::multi_line(typed), max),
        TextRule::Parsed(parse) if !typed.trim().is_empty() => match parse(typed) {
            Ok(normal) => (normal, None),
            Err(error) => (typed.to_string(), Some(error)),
        },
        TextRule::Chosen if !typed.trim().is_empty() => {
            let value = typed.trim().to_string();
            match offered {
                Some(offered) if !offered.contains(&value) => {
                    (typed.to_string(), Some(FieldError::InvalidChoice))
                }
                _ => (value, None),
            }
        }
        TextRule::Parsed(_) | TextRule::Chosen => (String::new(), None),
    };
    if value.is_empty() && required {
        return (value, Some(FieldError::Required));
    }
    (value, error)
}

/// Free text trimmed and held to `max` characters.
fn bounded(value: String, max: usize) -> (String, Option<FieldError>) {
    let value = value.trim().to_string();
    let error = (value.chars().count() > max).then_some(FieldError::TooLong { max });
    (value, error)
}

/// The sections of a form, which group its fields under headings.
pub trait Section: Copy + Eq + fmt::Debug + Send + Sync + 'static {
    /// Every section, in the order shown.
    const ALL: &'static [Self];

    /// Its heading.
    fn title(self) -> Label;
}

/// One field's value before and after a change, as stored (see [`Field::value`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldChange {
    /// The field key.
    pub field: String,
    /// Before.
    pub old: String,
    /// After.
    pub new: String,
}

/// A stored change that the form cannot hold: its field is unknown or its value is not one of
/// the field's options.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChangeRefused(pub FieldChange);

impl fmt::Display for ChangeRefused {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the form cannot hold {:?} in {}",
            self.0.new, self.0.field
        )
    }
}

impl std::error::Error for ChangeRefused {}

/// A form described by its table of fields.
pub trait Form: Clone + Default + PartialEq + Send + Sync + Sized + 'static {
    /// The sections its fields are grouped in.
    type Section: Section;

    /// Every field, in form order.
    fn fields() -> &'static [Field<Self>];

    /// The field with this key.
    fn field(key: &str) -> Option<&'static Field<Self>> {
        Self::fields().iter().find(|f| f.key == key)
    }

    /// Every field's value as one string (see [`Field::value`]), by key.
    fn values(&self) -> BTreeMap<String, String> {
        Self::fields()
            .iter()
            .map(|f| (f.key.to_string(), f.value(self)))
            .collect()
    }

    /// The form with field `key` set from its string; an unknown key or a value that is not
    /// one of the field's options is refused.
    fn with_value(&self, key: &str, value: &str) -> Result<Self, FieldError> {
        let field = Self::field(key).ok_or(FieldError::InvalidChoice)?;
        let mut form = self.clone();
        field.set(&mut form, value)?;
        Ok(form)
    }

    /// The form with each change's new value applied, in order; a change this form cannot hold
    /// (an unknown field, a value that is not an option) is refused by name.
    fn with_changes(&self, changes: &[FieldChange]) -> Result<Self, ChangeRefused> {
        changes.iter().try_fold(self.clone(), |form, change| {
            form.with_value(&change.field, &change.new)
                .map_err(|_| ChangeRefused(change.clone()))
        })
    }

    /// Builds a form from strings by key; missing keys and values that are not options keep
    /// their defaults. One pass, so the browser can rebuild the form on every keystroke.
    fn from_values(values: &BTreeMap<String, String>) -> Self {
        let mut form = Self::default();
        for field in Self::fields() {
            if let Some(value) = values.get(field.key) {
                // A value the browser never offers keeps the default, which the check reports.
                let _ = field.set(&mut form, value);
            }
        }
        form
    }

    /// The fields whose value differs from `before`, in form order.
    fn changes_from(&self, before: &Self) -> Vec<FieldChange> {
        Self::fields()
            .iter()
            .filter_map(|f| {
                let (old, new) = (f.value(before), f.value(self));
                (old != new).then(|| FieldChange {
                    field: f.key.to_string(),
                    old,
                    new,
                })
            })
            .collect()
    }

    /// Three-way merge after a conflict: starts from `latest` and keeps every field the user
    /// changed from `base` (what they loaded), so their input survives and others' changes to
    /// fields they did not touch are taken.
    fn rebased(&self, base: &Self, latest: &Self) -> Self {
        let mut merged = latest.clone();
        for change in self.changes_from(base) {
            if let Some(field) = Self::field(&change.field) {
                // The value came from this very form, so it is one of the field's options.
                let _ = field.set(&mut merged, &change.new);
            }
        }
        merged
    }

    /// Whether field `key` must be filled in this form as it stands.
    fn is_required(&self, key: &str) -> bool {
        Self::field(key).is_some_and(|f| f.is_required(self))
    }

    /// Whether `section` applies to this form as it stands (any of its fields does).
    fn section_applies(&self, section: Self::Section) -> bool {
        Self::fields()
            .iter()
            .any(|f| f.section == section && f.applies_to(self))
    }

    /// Checks every field by its rule, required condition and options: the form to store
    /// (normal forms; fields that do not apply emptied) and the errors by key. `offered` gives
    /// the values of a list the server sent (see [`Options::Given`]).
    fn check_fields(&self, offered: impl Fn(&str) -> Vec<String>) -> (Self, FieldErrors) {
        let mut out = self.clone();
        let mut errors = FieldErrors::new();
        for field in Self::fields() {
            field.check(self, &mut out, &offered, &mut errors);
        }
        (out, errors)
    }
}

#[cfg(test)]
mod tests;
