//! Forms built from a field table ([`crate::domain::form_fields`]) in the browser: the edit
//! state (one signal per field, so nothing typed is lost), each field rendered by its input kind
//! with its label, ※, hint and error, the error summary's list, and the read view of a record.

use crate::domain::form_fields::{Field, Form, Input, Label, Options, Section};
use crate::error::{FieldError, FieldErrors};
use crate::i18n::fields::{display_value, GivenOptions, CHOOSE};
use crate::i18n::{choice_error, field_error, Lang};
use crate::ui::context::AppContext;
use crate::ui::form::{required_mark, FormState, SummaryField};
use leptos::prelude::*;
use std::collections::BTreeMap;

/// The values of a form being edited: one signal per field holding its string (see
/// [`Field::value`]), and the form rebuilt from them on every change.
pub struct FieldSignals<F: Form> {
    signals: StoredValue<BTreeMap<&'static str, RwSignal<String>>>,
    /// The form as it stands.
    pub form: Memo<F>,
}

impl<F: Form> Clone for FieldSignals<F> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<F: Form> Copy for FieldSignals<F> {}

impl<F: Form> FieldSignals<F> {
    /// The signals of a new form, holding its defaults.
    pub fn new() -> Self {
        let blank = F::default();
        let signals: BTreeMap<&'static str, RwSignal<String>> = F::fields()
            .iter()
            .map(|f| (f.key, RwSignal::new(f.value(&blank))))
            .collect();
        let signals = StoredValue::new(signals);
        let form = Memo::new(move |_| {
            let mut form = F::default();
            signals.with_value(|signals| {
                for field in F::fields() {
                    if let Some(signal) = signals.get(field.key) {
                        // Only offered values reach a signal; one that is not keeps the default.
                        let _ = field.set(&mut form, &signal.get());
                    }
                }
            });
            form
        });
        Self { signals, form }
    }

    /// The signal of field `key`.
    pub fn signal(&self, key: &'static str) -> RwSignal<String> {
        self.signals
            .with_value(|s| s.get(key).copied())
            .unwrap_or_else(|| panic!("{key} is not a field of this form"))
    }

    /// Shows `form` in every field.
    pub fn set_all(&self, form: &F) {
        self.signals.with_value(|signals| {
            for field in F::fields() {
                if let Some(signal) = signals.get(field.key) {
                    signal.set(field.value(form));
                }
            }
        });
    }
}

impl<F: Form> Default for FieldSignals<F> {
    fn default() -> Self {
        Self::new()
    }
}

/// Everything the fields of one form need to render, shared by all of them.
pub struct FieldsEditor<F: Form> {
    /// The values.
    pub values: FieldSignals<F>,
    /// The browser-side check of the form as it stands.
    pub errors: Signal<FieldErrors>,
    /// When errors show, and the server's.
    pub state: FormState,
    /// The options the server sent (see [`Options::Given`]).
    pub given: Signal<GivenOptions>,
    /// Fields the user may not change now, and why.
    pub locked: Signal<BTreeMap<String, FieldError>>,
    /// The help under a field, by key (why it is locked, that it needs approval).
    pub hint: Callback<&'static str, String>,
    /// Put before each key to make the element ids (unique on the page).
    pub id_prefix: &'static str,
}

impl<F: Form> Clone for FieldsEditor<F> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<F: Form> Copy for FieldsEditor<F> {}

impl<F: Form> FieldsEditor<F> {
    /// The error to show for `key` now.
    pub fn error(&self, key: &'static str) -> Option<FieldError> {
        self.errors.with(|errors| self.state.error(key, errors))
    }

    fn is_locked(&self, key: &str) -> bool {
        self.locked.with(|locked| locked.contains_key(key))
    }
}

/// The options of a choice, in order, as (value, label): a fixed set, or a list the server sent.
fn options_in(given: Signal<GivenOptions>, lang: Lang, options: Options) -> Vec<(String, String)> {
    match options {
        Options::Fixed(options) => options()
            .into_iter()
            .map(|(value, label)| (value.to_string(), label.get(lang).to_string()))
            .collect(),
        Options::Given(list) => given.with(|given| {
            given
                .get(list)
                .map(|options| {
                    options
                        .iter()
                        .map(|o| (o.value.clone(), o.label.clone()))
                        .collect()
                })
                .unwrap_or_default()
        }),
    }
}

/// The fields of a form for the error summary, in form order, their ids made with `id_prefix`.
pub fn summary_fields<F: Form>(lang: Lang, id_prefix: &str) -> Vec<SummaryField> {
    F::fields()
        .iter()
        .map(|f| {
            let target = format!("{id_prefix}{}", f.key);
            let label = f.label.get(lang);
            if f.input.is_choice() {
                SummaryField::choice(f.key, target, label)
            } else {
                SummaryField::text(f.key, target, label)
            }
        })
        .collect()
}

/// A record read-only, by section: each section that applies with a heading, each field that
/// applies with its label and its value as users read it.
pub fn record_view<F: Form>(lang: Lang, record: &F, given: &GivenOptions) -> impl IntoView {
    <F::Section as Section>::ALL
        .iter()
        .filter(|section| record.section_applies(**section))
        .map(|section| {
            let rows = F::fields()
                .iter()
                .filter(|f| f.section == *section && f.applies_to(record))
                .map(|f| {
                    let shown = display_value(lang, f, &f.value(record), given);
                    view! { <div class="row"><dt>{f.label.get(lang)}</dt><dd>{shown}</dd></div> }
                })
                .collect_view();
            view! {
                <section class="record-section">
                    <h2>{section.title().get(lang)}</h2>
                    <dl class="record">{rows}</dl>
                </section>
            }
        })
        .collect_view()
}

/// One field with its label, ※, hint, input and error, rendered by its input kind. A field
/// that does not apply to the form as it stands is hidden.
///
/// Only this part knows the form's type: it hands the rendering a [`FieldUi`], so one copy of
/// the rendering code in the WebAssembly serves every form.
pub fn field_view<F: Form>(
    app: AppContext,
    ed: FieldsEditor<F>,
    field: &'static Field<F>,
) -> impl IntoView {
    let key = field.key;
    let ui = FieldUi {
        key,
        id_prefix: ed.id_prefix,
        label: field.label,
        input: field.input,
        needs_approval: field.needs_approval,
        value: ed.values.signal(key),
        error: Signal::derive(move || ed.error(key)),
        locked: Signal::derive(move || ed.is_locked(key)),
        required: Signal::derive(move || ed.values.form.with(|form| field.is_required(form))),
        given: ed.given,
        state: ed.state,
        hint: ed.hint,
    };
    let applies = Signal::derive(move || ed.values.form.with(|form| field.applies_to(form)));
    field_ui(app, ui, applies)
}

/// What rendering one field needs, whatever the form.
#[derive(Clone, Copy)]
struct FieldUi {
    key: &'static str,
    id_prefix: &'static str,
    label: Label,
    input: Input,
    needs_approval: bool,
    value: RwSignal<String>,
    error: Signal<Option<FieldError>>,
    locked: Signal<bool>,
    required: Signal<bool>,
    given: Signal<GivenOptions>,
    state: FormState,
    hint: Callback<&'static str, String>,
}

impl FieldUi {
    /// The options of a choice, in order, as (value, label).
    fn options(&self, lang: Lang, options: Options) -> Vec<(String, String)> {
        options_in(self.given, lang, options)
    }
}

fn field_ui(app: AppContext, ui: FieldUi, applies: Signal<bool>) -> AnyView {
    let body = move || match ui.input {
        Input::AnswerEach {
            options,
            question,
            yes,
            no,
        } => answer_each(app, ui, options, [question, yes, no]).into_any(),
        _ => labelled_field(app, ui).into_any(),
    };
    view! { <Show when=move || applies.get()>{body}</Show> }.into_any()
}

/// A field with its label above (or, for a check box, beside) its input.
fn labelled_field(app: AppContext, ui: FieldUi) -> impl IntoView {
    let key = ui.key;
    let id = format!("{}{key}", ui.id_prefix);
    let value = ui.value;
    let input = ui.input;
    let error_id = format!("{id}-error");
    let hint_id = format!("{id}-hint");
    let label_id = format!("{id}-label");
    let described_by = format!("{error_id} {hint_id}");
    let invalid = move || {
        if ui.error.with(Option::is_some) {
            "true"
        } else {
            "false"
        }
    };
    let disabled = move || ui.locked.get();
    let required = move || ui.required.get();
    let label = move || ui.label.get(app.lang.get());
    let aria_required = move || required().to_string();
    let message = move || {
        ui.error.get().map(|e| {
            if input.is_choice() {
                choice_error(app.lang.get(), &e)
            } else {
                field_error(app.lang.get(), &e)
            }
        })
    };
    let on_input = move |ev: leptos::ev::Event| {
        value.set(event_target_value(&ev));
        ui.state.edited(key);
    };
    let on_blur = move |_| ui.state.touch(key);
    let options = move |options: Options| ui.options(app.lang.get(), options);
    let control: AnyView = match input {
        Input::Text
        | Input::Tel
        | Input::Email
        | Input::Url
        | Input::Numeric
        | Input::Patterned(_) => {
            let (kind, mode, auto) = match input {
                Input::Tel => ("tel", None, Some("tel")),
                Input::Email => ("email", None, Some("email")),
                Input::Url => ("url", None, Some("url")),
                Input::Numeric => ("text", Some("numeric"), None),
                _ => ("text", None, None),
            };
            let placeholder = match input {
                Input::Patterned(pattern) => Some(pattern),
                _ => None,
            };
            view! {
                <input id=id.clone() name=id.clone() type=kind inputmode=mode autocomplete=auto placeholder=placeholder
                    prop:value=move || value.get() on:input=on_input on:blur=on_blur
                    disabled=disabled aria-invalid=invalid aria-describedby=described_by.clone()
                    aria-required=aria_required/>
            }
            .into_any()
        }
        Input::Lines => view! {
            <textarea id=id.clone() name=id.clone() rows="3" prop:value=move || value.get() on:input=on_input on:blur=on_blur
                disabled=disabled aria-invalid=invalid aria-describedby=described_by.clone()
                aria-required=aria_required></textarea>
        }
        .into_any(),
        Input::Select { options: choices, blank } => view! {
            <select id=id.clone() name=id.clone() prop:value=move || value.get() on:change=on_input on:blur=on_blur
                disabled=disabled aria-invalid=invalid aria-describedby=described_by.clone()
                aria-required=aria_required>
                {blank.then(|| view! { <option value="">{move || CHOOSE.get(app.lang.get())}</option> })}
                {move || options(choices).into_iter().map(|(option, text)| {
                    let selected = option.clone();
                    view! { <option value=option selected=move || value.get() == selected>{text}</option> }
                }).collect_view()}
            </select>
        }
        .into_any(),
        Input::Flag => view! {
            <label class="check">
                <input id=id.clone() name=id.clone() type="checkbox" prop:checked=move || value.get() == "true"
                    on:change=move |ev| { value.set(event_target_checked(&ev).to_string()); ui.state.edited(key); }
                    disabled=disabled aria-describedby=described_by.clone()/>
                {label}
            </label>
        }
        .into_any(),
        Input::Radio(choices) => {
            let group = id.clone();
            view! {
                <div class="choices" id=id.clone() role="radiogroup" aria-labelledby=label_id.clone()
                    aria-required=aria_required>
                    {move || options(choices).into_iter().enumerate().map(|(i, (option, text))| {
                        let option_id = format!("{group}-{option}");
                        let label_for = option_id.clone();
                        let checked = option.clone();
                        view! {
                            <label class="check" for=label_for>
                                <input id=option_id type="radio" name=group.clone() value=option.clone()
                                    prop:checked=move || value.get() == checked
                                    on:change=move |_| { value.set(option.clone()); ui.state.edited(key); ui.state.touch(key); }
                                    disabled=disabled
                                    aria-invalid=move || if i == 0 { invalid() } else { "false" }
                                    aria-describedby=described_by.clone()/>
                                {text}
                            </label>
                        }
                    }).collect_view()}
                </div>
            }
            .into_any()
        }
        Input::Checks(choices) => {
            let group = id.clone();
            view! {
                <div class="choices" id=id.clone() role="group" aria-labelledby=label_id.clone()>
                    {move || options(choices).into_iter().enumerate().map(|(i, (option, text))| {
                        let option_id = format!("{group}-{option}");
                        let label_for = option_id.clone();
                        let checked = option.clone();
                        view! {
                            <label class="check" for=label_for>
                                <input id=option_id type="checkbox"
                                    prop:checked=move || value.get().split(',').any(|c| c == checked)
                                    on:change=move |ev| {
                                        let on = event_target_checked(&ev);
                                        value.set(toggled(&value.get_untracked(), &option, on));
                                        ui.state.edited(key);
                                        ui.state.touch(key);
                                    }
                                    disabled=disabled
                                    aria-invalid=move || if i == 0 { invalid() } else { "false" }
                                    aria-describedby=described_by.clone()/>
                                {text}
                            </label>
                        }
                    }).collect_view()}
                </div>
            }
            .into_any()
        }
        // Rendered by `answer_each`.
        Input::AnswerEach { .. } => ().into_any(),
    };
    let grouped = matches!(input, Input::Radio(_) | Input::Checks(_));
    let label_for = id.clone();
    view! {
        <div class="field" class:has-error=move || ui.error.with(Option::is_some) class:needs-approval=ui.needs_approval>
            {(!matches!(input, Input::Flag)).then(|| view! {
                <div class="field-label">
                    {if grouped {
                        view! { <span class="label" id=label_id.clone()>{label}</span> }.into_any()
                    } else {
                        view! { <label for=label_for.clone()>{label}</label> }.into_any()
                    }}
                    {move || required().then(required_mark)}
                </div>
            })}
            {control}
            <p class="hint" id=hint_id>{move || ui.hint.run(key)}</p>
            <p class="field-error" id=error_id role="alert">{message}</p>
        </div>
    }
}

/// `list` (values joined by `,`) with `value` added at the end or taken out.
pub fn toggled(list: &str, value: &str, on: bool) -> String {
    let mut values: Vec<&str> = list
        .split(',')
        .filter(|v| !v.is_empty() && *v != value)
        .collect();
    if on {
        values.push(value);
    }
    values.join(",")
}

/// An [`Input::AnswerEach`] field: for each option, its question answered yes or no; the
/// value lists the options answered no.
fn answer_each(
    app: AppContext,
    ui: FieldUi,
    options: Options,
    [question, yes, no]: [Label; 3],
) -> impl IntoView {
    let key = ui.key;
    let value = ui.value;
    let prefix = format!("{}{key}", ui.id_prefix);
    move || {
        let lang = app.lang.get();
        ui.options(lang, options)
            .into_iter()
            .map(|(option, text)| {
                let name = format!("{prefix}-{option}");
                let yes_id = format!("{name}-yes");
                let no_id = format!("{name}-no");
                let (yes_for, no_for) = (yes_id.clone(), no_id.clone());
                let answered_no = {
                    let option = option.clone();
                    move || value.get().split(',').any(|v| v == option)
                };
                let answered_yes = {
                    let answered_no = answered_no.clone();
                    move || !answered_no()
                };
                let answer = move |no: bool| {
                    value.set(toggled(&value.get_untracked(), &option, no));
                    ui.state.edited(key);
                };
                let answer_yes = answer.clone();
                view! {
                    <fieldset class="field">
                        <legend>{format!("{text}{}", question.get(lang))}</legend>
                        <div class="choices">
                            <label class="check" for=yes_for>
                                <input id=yes_id type="radio" name=name.clone()
                                    prop:checked=answered_yes on:change=move |_| answer_yes(false)/>
                                {yes.get(lang)}
                            </label>
                            <label class="check" for=no_for>
                                <input id=no_id type="radio" name=name
                                    prop:checked=answered_no on:change=move |_| answer(true)/>
                                {no.get(lang)}
                            </label>
                        </div>
                    </fieldset>
                }
            })
            .collect_view()
    }
}
