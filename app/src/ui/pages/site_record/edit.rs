//! 医療機関・接種会場の編集: the whole form by section, checked as the user types; unsaved input
//! kept in the browser as a draft; a save that meets someone else's newer save shows what they
//! changed and takes it in without losing what the user typed.

use super::{changes_table, given_options, use_site_id, RequestBanners};
use crate::api::{load_site_record, save_site_record, SiteRecordEdit, SiteRecordView, SiteSaved};
use crate::domain::form_fields::Section;
use crate::domain::{FieldChange, Form, SiteForm, SiteSection};
use crate::error::{AppError, FieldErrors};
use crate::i18n::site::site_texts;
use crate::i18n::{field_error, short_time, Lang};
use crate::ui::context::use_app;
use crate::ui::fields::{field_view, summary_fields, FieldSignals, FieldsEditor};
use crate::ui::form::{focus_first_error, on_each_answer, required_mark, ErrorSummary, FormState};
use crate::ui::shell::{loaded, Loading};
use gloo_storage::{LocalStorage, Storage};
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use serde::{Deserialize, Serialize};

/// What the browser keeps of an unsaved edit.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
struct Draft {
    version: i64,
    base: SiteForm,
    form: SiteForm,
}

fn draft_key(site_id: i64) -> String {
    format!("vsys.draft.site.{site_id}")
}

/// 医療機関・接種会場の編集.
#[component]
pub fn SiteEditPage() -> impl IntoView {
    let app = use_app();
    let site_id = use_site_id();
    let record = Resource::new(move || site_id.get(), load_site_record);
    view! {
        <h1>{move || site_texts(app.lang.get()).edit_title}</h1>
        <Transition fallback=Loading>
            {loaded(record, |loaded| view! { <SiteEditor loaded/> })}
        </Transition>
    }
}

/// A read-only line in the form (市町村, 予約空き状況更新日時, old codes).
fn read_only(
    id: &'static str,
    label: impl Fn() -> String + Send + Sync + 'static,
    value: impl Fn() -> String + Send + Sync + 'static,
    required: bool,
) -> impl IntoView {
    view! {
        <div class="field">
            <div class="field-label">
                <label for=id>{label}</label>
                {required.then(required_mark)}
            </div>
            <input id=id type="text" readonly prop:value=value aria-required=required.then_some("true")/>
        </div>
    }
}

/// The form over one loaded record: a new record (another id) mounts a new editor.
#[component]
fn SiteEditor(loaded: SiteRecordView) -> impl IntoView {
    let app = use_app();
    let navigate = use_navigate();
    let site_id = loaded.site.id;
    let t = move || site_texts(app.lang.get());
    // The record as last loaded (it moves on when the user takes in someone else's save).
    let latest = RwSignal::new(loaded.clone());
    let base = RwSignal::new(loaded.record.clone());
    let version = RwSignal::new(loaded.version);
    let message = RwSignal::new(None::<String>);
    let notice = RwSignal::new(None::<String>);
    let conflict = RwSignal::new(None::<Vec<FieldChange>>);
    let state = FormState::new();
    let values = FieldSignals::<SiteForm>::new();
    values.set_all(&loaded.record);
    let form = values.form;
    // A draft kept from an earlier visit is offered; meanwhile nothing is kept over it.
    let draft_offer = RwSignal::new(
        LocalStorage::get::<Draft>(draft_key(site_id))
            .ok()
            .filter(|draft| draft.form != draft.base),
    );
    let drafting = RwSignal::new(draft_offer.get_untracked().is_none());
    let errors = Memo::new(move |_| {
        let form = form.get();
        latest.with(|v| v.validate(&form).err().unwrap_or_default())
    });
    let hint = Callback::new(move |key: &'static str| {
        let lang = app.lang.get();
        let t = site_texts(lang);
        latest.with(|v| match v.locked.get(key) {
            Some(reason) => field_error(lang, reason),
            None if SiteForm::field(key).is_some_and(|f| f.needs_approval) => {
                if v.caller_approves {
                    t.approval_applies_directly
                } else {
                    t.needs_approval_hint
                }
                .to_string()
            }
            None => String::new(),
        })
    });
    let ed = FieldsEditor {
        values,
        errors: errors.into(),
        state,
        given: Signal::derive(move || latest.with(given_options)),
        locked: Signal::derive(move || latest.with(|v| v.locked.clone())),
        hint,
        id_prefix: "",
    };

    // Keep unsaved input in the browser while it differs from what was loaded.
    Effect::new(move |_| {
        let current = form.get();
        if !drafting.get() {
            return;
        }
        let key = draft_key(site_id);
        if current == base.get_untracked() {
            LocalStorage::delete(&key);
        } else {
            let draft = Draft {
                version: version.get_untracked(),
                base: base.get_untracked(),
                form: current,
            };
            let _ = LocalStorage::set(&key, draft);
        }
    });
    let restore = move |_| {
        if let Some(draft) = draft_offer.get_untracked() {
            // The record may have changed since: keep the user's edits on top of the latest.
            let merged = draft
                .form
                .rebased(&draft.base, &latest.get_untracked().record);
            values.set_all(&merged);
        }
        draft_offer.set(None);
        drafting.set(true);
    };
    let discard = move |_| {
        LocalStorage::delete(draft_key(site_id));
        draft_offer.set(None);
        drafting.set(true);
    };

    // 最新の内容を取り込む: the latest record, with the user's edits kept on top.
    let take_latest = Action::new(move |_: &()| load_site_record(site_id));
    on_each_answer(take_latest, move |answer| match answer {
        Ok(newer) => {
            let merged = form.get().rebased(&base.get(), &newer.record);
            base.set(newer.record.clone());
            version.set(newer.version);
            latest.set(newer);
            values.set_all(&merged);
            conflict.set(None);
            message.set(None);
            notice.set(Some(site_texts(app.lang.get()).conflict_merged.to_string()));
        }
        Err(error) => message.set(Some(app.handle_error(&error))),
    });

    // 申請・保存.
    let save = Action::new(|edit: &SiteRecordEdit| save_site_record(edit.clone()));
    let saving = save.pending();
    // To the detail page with what happened; or the server's field errors next to their
    // fields; or what changed since the record was loaded.
    on_each_answer(save, move |answer| {
        match answer {
            Ok(saved) => {
                LocalStorage::delete(draft_key(site_id));
                app.notice.set(Some(saved_notice(app.lang.get(), &saved)));
                drafting.set(false);
                navigate(&format!("/sites/{site_id}"), Default::default());
            }
            Err(AppError::Validation(errors)) => {
                let invalid = AppError::Validation(FieldErrors::new());
                message.set(Some(app.handle_error(&invalid)));
                state.show_server_errors(errors);
            }
            Err(AppError::EditConflict(changes)) => {
                message.set(Some(app.handle_error(&AppError::EditConflict(Vec::new()))));
                conflict.set(Some(changes));
            }
            Err(error) => message.set(Some(app.handle_error(&error))),
        }
        if message.get().is_some() {
            focus_first_error();
        }
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        notice.set(None);
        if !state.submit(&errors.get_untracked()) || saving.get_untracked() {
            return;
        }
        save.dispatch(SiteRecordEdit {
            site_id,
            version: version.get_untracked(),
            base: base.get_untracked(),
            record: form.get_untracked(),
        });
    };
    let navigate = use_navigate();
    let cancel = move |_| {
        LocalStorage::delete(draft_key(site_id));
        drafting.set(false);
        navigate(&format!("/sites/{site_id}"), Default::default());
    };

    let extra = move |key: &'static str| {
        match key {
        "reservation_status" => Some(
            read_only(
                "reservation_updated_at",
                move || t().reservation_updated_label.to_string(),
                move || {
                    latest
                        .with(|v| v.reservation_updated_at.clone())
                        .map(|at| short_time(&at))
                        .unwrap_or_default()
                },
                false,
            )
            .into_any(),
        ),
        "postal_code" => Some(
            read_only(
                "municipality",
                move || t().municipality_label.to_string(),
                move || latest.with(|v| v.municipality_name.clone()),
                true,
            )
            .into_any(),
        ),
        "insurance_code_new" => Some(
            view! {
                {read_only("old_insurance_code", move || t().old_insurance_code.to_string(), move || base.with(|b| b.insurance_code.clone()), false)}
                {read_only("old_care_code", move || t().old_care_code.to_string(), move || base.with(|b| b.care_code.clone()), false)}
            }
            .into_any(),
        ),
        _ => None,
    }
    };
    let section_fields = move |section: SiteSection| {
        SiteForm::fields()
            .iter()
            .filter(|f| f.section == section)
            .map(|field| {
                // The old codes read above the new ones; the others follow their field.
                let (above, below) = match field.key {
                    "insurance_code_new" => (extra(field.key), None),
                    key => (None, extra(key)),
                };
                view! { {above} {field_view(app, ed, field)} {below} }
            })
            .collect_view()
    };
    let section = move |section: SiteSection| {
        let applies = move || form.with(|f| f.section_applies(section));
        view! {
            <Show when=applies>
                <section class="record-section">
                    <h2>{move || section.title().get(app.lang.get())}</h2>
                    {section_fields(section)}
                </section>
            </Show>
        }
    };
    let summary = Signal::derive(move || summary_fields::<SiteForm>(app.lang.get(), ""));
    view! {
        <Show when=move || draft_offer.get().is_some()>
            <div class="alert warning" role="alert">
                <p>{move || t().draft_found}</p>
                <button type="button" class="button primary" on:click=restore>{move || t().draft_restore}</button>
                " "
                <button type="button" class="button secondary" on:click=discard>{move || t().draft_discard}</button>
            </div>
        </Show>
        {move || message.get().map(|m| view! { <div class="alert" role="alert">{m}</div> })}
        {move || notice.get().map(|m| view! { <div class="notice" role="status">{m}</div> })}
        {move || conflict.get().map(|changes| {
            let lang = app.lang.get();
            let t = site_texts(lang);
            let (vaccines, sites) = latest.with(|v| (v.vaccines.clone(), v.basic_sites.clone()));
            view! {
                <section class="panel pending" aria-labelledby="conflict-title">
                    <h2 id="conflict-title">{t.conflict_title}</h2>
                    {changes_table(lang, changes, vaccines, sites, t.col_old, t.col_new)}
                    <button type="button" class="button primary" disabled=move || take_latest.pending().get()
                        on:click=move |_| { take_latest.dispatch(()); }>{t.conflict_take_latest}</button>
                </section>
            }
        })}
        {move || {
            let v = latest.get();
            view! {
                <p class="site-name"><strong>{v.site.name.clone()}</strong></p>
                <RequestBanners view=v/>
            }
        }}
        <form novalidate on:submit=on_submit class="record-form">
            <ErrorSummary state=state errors=errors fields=summary/>
            {SiteSection::ALL.iter().copied().map(section).collect_view()}
            <p class="muted">{move || t().draft_kept}</p>
            <div class="form-actions sticky">
                <button type="submit" class="button primary" disabled=move || saving.get()>{move || t().save_request_button}</button>
                <button type="button" class="button secondary" on:click=cancel>{move || t().cancel_button}</button>
            </div>
        </form>
    }
}

/// What a save did, for the detail page: applied, sent for approval, or nothing changed.
fn saved_notice(lang: Lang, saved: &SiteSaved) -> String {
    let t = site_texts(lang);
    let mut lines = Vec::new();
    if !saved.applied.is_empty() {
        lines.push(t.saved_applied);
    }
    if !saved.requested.is_empty() {
        lines.push(t.saved_requested);
    }
    if lines.is_empty() {
        lines.push(t.saved_nothing);
    }
    lines.join(" ")
}
