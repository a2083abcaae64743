//! Form building blocks: labelled fields with their error next to them, the rule for when an
//! error shows (after the user leaves the field, then live while they type; all at submit), the
//! error summary above a submitted form (each error a link to its field), and a form's submit as
//! a Leptos [`Action`] ([`FormAction`]).

use crate::error::{AppError, FieldError, FieldErrors};
use crate::i18n::{choice_error, field_error};
use crate::ui::context::{use_app, AppContext};
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::collections::BTreeSet;
use std::future::Future;
use wasm_bindgen::JsCast;

/// Which fields were left, the server's errors, and whether the form was submitted.
#[derive(Clone, Copy)]
pub struct FormState {
    touched: RwSignal<BTreeSet<&'static str>>,
    server: RwSignal<FieldErrors>,
    submitted: RwSignal<bool>,
    /// A message about the whole form (not one field).
    pub message: RwSignal<Option<String>>,
    /// True while a request is running.
    pub busy: RwSignal<bool>,
}

impl Default for FormState {
    fn default() -> Self {
        Self::new()
    }
}

impl FormState {
    /// A fresh state.
    pub fn new() -> Self {
        Self {
            touched: RwSignal::new(BTreeSet::new()),
            server: RwSignal::new(FieldErrors::new()),
            submitted: RwSignal::new(false),
            message: RwSignal::new(None),
            busy: RwSignal::new(false),
        }
    }

    /// Starts over for a new entry (保存 & 新規): no field touched, not submitted.
    pub fn reset(&self) {
        self.touched.set(BTreeSet::new());
        self.server.set(FieldErrors::new());
        self.submitted.set(false);
    }

    /// The user left `field`: its error may show from now on.
    pub fn touch(&self, field: &'static str) {
        self.touched.update(|t| {
            t.insert(field);
        });
    }

    /// The user typed in `field`: a server error about the old value no longer applies.
    pub fn edited(&self, field: &'static str) {
        if self.server.with_untracked(|s| s.get(field).is_some()) {
            self.server.update(|s| {
                s.0.remove(field);
            });
        }
    }

    /// The error to show for `field`, given the browser-side validation result.
    pub fn error(&self, field: &'static str, client: &FieldErrors) -> Option<FieldError> {
        if let Some(server) = self.server.with(|s| s.get(field).cloned()) {
            return Some(server);
        }
        let visible = self.submitted.get() || self.touched.with(|t| t.contains(field));
        visible.then(|| client.get(field).cloned()).flatten()
    }

    /// Marks the form submitted; returns false (and focuses the first error) when `client` has
    /// errors, so the caller does not send it.
    pub fn submit(&self, client: &FieldErrors) -> bool {
        self.submitted.set(true);
        self.message.set(None);
        if client.is_empty() {
            true
        } else {
            focus_first_error();
            false
        }
    }

    /// Makes the form's submit an [`Action`] that runs `request`: see [`FormAction`].
    pub fn action<I, T, Fut>(
        &self,
        request: impl Fn(&I) -> Fut + Send + Sync + 'static,
    ) -> FormAction<I, T>
    where
        I: Send + Sync + 'static,
        T: Clone + Send + Sync + 'static,
        Fut: Future<Output = Result<T, AppError>> + Send + 'static,
    {
        let app = use_app();
        let action = Action::new(request);
        let form = *self;
        on_each_answer(action, move |answer| {
            if let Err(error) = answer {
                form.show_error(app, error);
            }
        });
        FormAction {
            action,
            pending: action.pending(),
            value: action.value(),
            form,
        }
    }

    /// Shows an error answer: field errors next to their fields (the first focused), any other
    /// error above the form (a lost session also goes back to the login page).
    pub fn show_error(&self, app: AppContext, error: AppError) {
        match error {
            AppError::Validation(errors) => self.show_server_errors(errors),
            error => self.message.set(Some(app.handle_error(&error))),
        }
    }

    /// Sends the form when the browser-side check passes and no request is running: field
    /// errors from the server show next to their fields, other errors above the form; what the
    /// user typed stays. `on_ok` gets the answer.
    pub fn send<T, Fut>(
        &self,
        app: AppContext,
        client: &FieldErrors,
        request: impl FnOnce() -> Fut,
        on_ok: impl FnOnce(T) + 'static,
    ) where
        T: 'static,
        Fut: Future<Output = Result<T, AppError>> + 'static,
    {
        if !self.submit(client) || self.busy.get_untracked() {
            return;
        }
        self.busy.set(true);
        let form = *self;
        let pending = request();
        // Each call brings its own request and handler, so there is no one Action to make with
        // the page; a page with one submit uses `FormState::action` instead.
        spawn_local(async move {
            match pending.await {
                Ok(value) => on_ok(value),
                Err(error) => form.show_error(app, error),
            }
            form.busy.set(false);
        });
    }

    /// Shows the server's field errors and focuses the first.
    pub fn show_server_errors(&self, errors: FieldErrors) {
        self.server.set(errors);
        focus_first_error();
    }

    /// The errors to list in the summary, in form order: the server's, and after a submit
    /// those of the browser-side check.
    fn summary(
        &self,
        client: &FieldErrors,
        fields: &[SummaryField],
    ) -> Vec<(SummaryField, FieldError)> {
        let submitted = self.submitted.get();
        let server = self.server.get();
        if !submitted && server.is_empty() {
            return Vec::new();
        }
        fields
            .iter()
            .filter_map(|field| {
                server
                    .get(field.key)
                    .or_else(|| submitted.then(|| client.get(field.key)).flatten())
                    .map(|error| (field.clone(), error.clone()))
            })
            .collect()
    }
}

/// A form's submit as a Leptos [`Action`], made by [`FormState::action`]. [`FormAction::submit`]
/// sends when the browser-side check passes and no request of the form is running;
/// [`FormAction::pending`] is true while it runs (for the disabled state of the form's buttons);
/// each error answer shows on the form: field errors next to their fields with the first one
/// focused, any other error above the form, a lost session back to the login page. What the
/// user typed stays.
pub struct FormAction<I: 'static, T: 'static> {
    action: Action<I, Result<T, AppError>>,
    pending: Memo<bool>,
    value: MappedSignal<Option<Result<T, AppError>>>,
    form: FormState,
}

impl<I, T> Clone for FormAction<I, T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<I, T> Copy for FormAction<I, T> {}

impl<I, T> FormAction<I, T>
where
    I: Send + Sync + 'static,
    T: Clone + Send + Sync + 'static,
{
    /// Runs `on_ok` with each successful answer.
    pub fn on_success(self, on_ok: impl Fn(T) + 'static) -> Self {
        on_each_answer(self.action, move |answer| {
            if let Ok(value) = answer {
                on_ok(value);
            }
        });
        self
    }

    /// Marks the form submitted and sends `input`, unless the browser-side check (`client`)
    /// finds errors (the first is focused) or a request of this form is still running.
    pub fn submit(&self, client: &FieldErrors, input: I) {
        if !self.form.submit(client) || self.pending.get_untracked() {
            return;
        }
        self.action.dispatch(input);
    }

    /// True while a request runs.
    pub fn pending(&self) -> Memo<bool> {
        self.pending
    }

    /// The last answer, once there is one.
    pub fn value(&self) -> MappedSignal<Option<Result<T, AppError>>> {
        self.value
    }
}

/// Runs `handle` with each answer `action` gets (the latest, when several were running at once),
/// without tracking what `handle` reads: the place for what an answer changes outside the view,
/// such as the session, the step of a form, or where the browser goes next.
pub fn on_each_answer<I, O>(action: Action<I, O>, handle: impl Fn(O) + 'static)
where
    I: 'static,
    O: Clone + 'static,
{
    let answer = action.value();
    Effect::new(move |_| {
        if let Some(answer) = answer.get() {
            untrack(|| handle(answer));
        }
    });
}

/// Moves focus to the error summary, or where a form has none to its first field marked
/// invalid, after the DOM has updated.
pub fn focus_first_error() {
    request_animation_frame(|| {
        let target = document()
            .query_selector(".error-summary, [aria-invalid='true']")
            .ok()
            .flatten()
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
        if let Some(element) = target {
            let _ = element.focus();
        }
    });
}

/// Focuses the control with id `target`, or the first control inside it (a group of radios or
/// check boxes).
pub fn focus_field(target: &str) {
    let Some(element) = document().get_element_by_id(target) else {
        return;
    };
    let control = if matches!(element.tag_name().as_str(), "INPUT" | "SELECT" | "TEXTAREA") {
        Some(element)
    } else {
        element
            .query_selector("input:not([disabled]), select, textarea")
            .ok()
            .flatten()
    };
    if let Some(control) = control.and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) {
        let _ = control.focus();
    }
}

/// A field the error summary may list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SummaryField {
    /// The key of its errors.
    pub key: &'static str,
    /// The id of its control, or of the group that holds its controls.
    pub target: String,
    /// Its label as the form shows it.
    pub label: String,
    /// A choice (select, radios, check boxes): a missing value reads 「選択してください。」.
    pub choice: bool,
}

impl SummaryField {
    /// A field typed into.
    pub fn text(key: &'static str, target: impl Into<String>, label: impl Into<String>) -> Self {
        Self {
            key,
            target: target.into(),
            label: label.into(),
            choice: false,
        }
    }

    /// A field chosen from options.
    pub fn choice(key: &'static str, target: impl Into<String>, label: impl Into<String>) -> Self {
        Self {
            choice: true,
            ..Self::text(key, target, label)
        }
    }
}

/// The error summary at the top of a form (the public-sector pattern): after a submit with
/// errors, a box with a heading lists each error as a link that focuses its field; it takes
/// focus on submit and shrinks as the user fixes fields.
#[component]
pub fn ErrorSummary(
    /// The form's state.
    state: FormState,
    /// The browser-side check of the form as it stands.
    #[prop(into)]
    errors: Signal<FieldErrors>,
    /// The form's fields, in the order they appear.
    #[prop(into)]
    fields: Signal<Vec<SummaryField>>,
) -> impl IntoView {
    let app = use_app();
    let entries = Memo::new(move |_| errors.with(|e| fields.with(|f| state.summary(e, f))));
    view! {
        <Show when=move || entries.with(|e| !e.is_empty())>
            <div class="error-summary" role="alert" tabindex="-1" aria-labelledby="error-summary-title">
                <h2 id="error-summary-title">{move || app.t().error_summary_title}</h2>
                <ul>
                    {move || {
                        let lang = app.lang.get();
                        entries.get().into_iter().map(|(field, error)| {
                            let message = if field.choice { choice_error(lang, &error) } else { field_error(lang, &error) };
                            let target = field.target.clone();
                            view! {
                                <li>
                                    <a href=format!("#{}", field.target) on:click=move |ev| {
                                        ev.prevent_default();
                                        focus_field(&target);
                                    }>{format!("{}: {}", field.label, message)}</a>
                                </li>
                            }
                        }).collect_view()
                    }}
                </ul>
            </div>
        </Show>
    }
}

/// A text input with its label, its required mark and its error.
#[component]
pub fn TextField(
    /// The input's id (the label points at it).
    #[prop(into)]
    id: String,
    /// The label text.
    #[prop(into)]
    label: Signal<String>,
    /// The value, two-way.
    value: RwSignal<String>,
    /// The error to show, if any.
    #[prop(into)]
    error: Signal<Option<FieldError>>,
    /// Shows ※ after the label.
    #[prop(optional)]
    required: bool,
    /// `text`, `password`, `email`, …
    #[prop(optional, into)]
    input_type: Option<String>,
    /// The autocomplete hint.
    #[prop(optional, into)]
    autocomplete: Option<String>,
    /// `numeric` for codes, so tablets show a number pad.
    #[prop(optional, into)]
    inputmode: Option<String>,
    /// A help text under the field.
    #[prop(optional, into)]
    hint: Option<Signal<String>>,
    /// Called when the field loses focus.
    #[prop(optional, into)]
    on_blur: Option<Callback<()>>,
    /// Called on every input.
    #[prop(optional, into)]
    on_input: Option<Callback<()>>,
) -> impl IntoView {
    let app = use_app();
    let error_id = format!("{id}-error");
    let hint_id = format!("{id}-hint");
    let described_by = {
        let mut ids = vec![error_id.clone()];
        if hint.is_some() {
            ids.push(hint_id.clone());
        }
        ids.join(" ")
    };
    let message = move || error.get().map(|e| field_error(app.lang.get(), &e));
    view! {
        <div class="field" class:has-error=move || error.get().is_some()>
            <div class="field-label">
                <label for=id.clone()>{move || label.get()}</label>
                {required.then(required_mark)}
            </div>
            <input
                id=id.clone()
                name=id.clone()
                type=input_type.unwrap_or_else(|| "text".into())
                autocomplete=autocomplete
                inputmode=inputmode
                required=required
                aria-invalid=move || if error.get().is_some() { "true" } else { "false" }
                aria-describedby=described_by
                bind:value=value
                on:blur=move |_| {
                    if let Some(callback) = on_blur {
                        callback.run(());
                    }
                }
                on:input=move |_| {
                    if let Some(callback) = on_input {
                        callback.run(());
                    }
                }
            />
            {hint.map(|h| view! { <p class="hint" id=hint_id.clone()>{move || h.get()}</p> })}
            <p class="field-error" id=error_id role="alert">{message}</p>
        </div>
    }
}

/// The ※ after a required field's label: seen, but not part of its accessible name (the
/// control itself says `required`).
pub fn required_mark() -> impl IntoView {
    view! { <span class="required" aria-hidden="true">"※"</span> }
}

/// A message about the whole form, announced to screen readers.
#[component]
pub fn FormMessage(message: RwSignal<Option<String>>) -> impl IntoView {
    view! {
        <Show when=move || message.get().is_some()>
            <div class="alert" role="alert">{move || message.get().unwrap_or_default()}</div>
        </Show>
    }
}
