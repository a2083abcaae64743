//! 医療機関・接種会場の詳細 (read view with its doctors, pending request and history) and
//! 医療機関・接種会場の編集 (the whole form, checked as the user types, kept as a draft in the
//! browser until saved).

use crate::api::{
    load_site_record, save_site_record, site_history, Choice, HistoryRow, SiteRecordEdit,
    SiteRecordView, SiteRef,
};
use crate::domain::ReservationStatus;
use crate::domain::{site_field, FieldChange, Section, SiteForm, SITE_FIELDS};
use crate::error::{AppError, FieldError, FieldErrors};
use crate::i18n::site::{
    choice_name, display_value, field_label, request_status_name, section_title, site_texts,
    SiteTexts,
};
use crate::i18n::{choice_error, field_error, reservation_status_name, short_time, Lang};
use crate::ui::context::{use_app, AppContext};
use crate::ui::form::{focus_first_error, required_mark, ErrorSummary, FormState, SummaryField};
use gloo_storage::{LocalStorage, Storage};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::{use_navigate, use_params_map};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The `:id` of the route.
pub(super) fn site_id_param() -> Option<i64> {
    use_params_map()
        .get_untracked()
        .get("id")
        .and_then(|id| id.parse().ok())
}

fn texts(app: AppContext) -> &'static SiteTexts {
    site_texts(app.lang.get())
}

/// Whether a section applies to the record as it stands (hospital-only sections,
/// dry ice only with Pfizer).
fn section_applies(section: Section, form: &SiteForm) -> bool {
    match section {
        Section::Storage | Section::Needle => form.is_hospital(),
        Section::DryIce => form.handles_pfizer(),
        _ => true,
    }
}

/// The order of the sections on the page.
const SECTIONS: [Section; 12] = [
    Section::Info,
    Section::Reception,
    Section::CodeChange,
    Section::VaccinesAndType,
    Section::Explanation,
    Section::Doctor,
    Section::Storage,
    Section::Needle,
    Section::DryIce,
    Section::Weekend,
    Section::Public,
    Section::Municipality,
];

/// A change list (pending request, conflict) as a small table.
fn changes_table(
    lang: Lang,
    changes: Vec<FieldChange>,
    vaccines: Vec<Choice>,
    sites: Vec<SiteRef>,
    old_header: &'static str,
    new_header: &'static str,
) -> impl IntoView {
    let t = site_texts(lang);
    view! {
        <div class="table-wrap">
            <table class="changes">
                <thead><tr><th scope="col">{t.col_field}</th><th scope="col">{old_header}</th><th scope="col">{new_header}</th></tr></thead>
                <tbody>
                    {changes.into_iter().map(|c| view! {
                        <tr>
                            <th scope="row">{field_label(lang, &c.field)}</th>
                            <td>{display_value(lang, &c.field, &c.old, &vaccines, &sites)}</td>
                            <td>{display_value(lang, &c.field, &c.new, &vaccines, &sites)}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

/// 医療機関・接種会場の詳細.
#[component]
pub fn SiteDetailPage() -> impl IntoView {
    let app = use_app();
    let site_id = site_id_param().unwrap_or_default();
    let record = RwSignal::new(None::<SiteRecordView>);
    let history = RwSignal::new(Vec::<HistoryRow>::new());
    let older = RwSignal::new(None::<i64>);
    let loading_older = RwSignal::new(false);
    let message = RwSignal::new(None::<String>);
    let flash = RwSignal::new(app.notice.get_untracked());
    app.notice.set(None);
    spawn_local(async move {
        match load_site_record(site_id).await {
            Ok(view) => record.set(Some(view)),
            Err(error) => message.set(Some(app.handle_error(&error))),
        }
        if let Ok(page) = site_history(site_id, None).await {
            history.set(page.rows);
            older.set(page.next_before);
        }
    });
    // 「さらに表示」: the next older page, appended.
    let show_more = move |_| {
        let Some(before_id) = older.get_untracked() else {
            return;
        };
        if loading_older.get_untracked() {
            return;
        }
        loading_older.set(true);
        spawn_local(async move {
            match site_history(site_id, Some(before_id)).await {
                Ok(page) => {
                    history.update(|rows| rows.extend(page.rows));
                    older.set(page.next_before);
                }
                Err(error) => message.set(Some(app.handle_error(&error))),
            }
            loading_older.set(false);
        });
    };
    view! {
        <div class="page-head">
            <h1>{move || texts(app).detail_title}</h1>
            {move || record.get().filter(|r| r.editable).map(|_| view! {
                <a class="button primary" href=format!("/sites/{site_id}/edit")>{texts(app).edit_button}</a>
            })}
        </div>
        {move || flash.get().map(|m| view! { <div class="notice" role="status">{m}</div> })}
        {move || message.get().map(|m| view! { <div class="alert" role="alert">{m}</div> })}
        {move || record.get().map(|r| {
            let lang = app.lang.get();
            let t = site_texts(lang);
            let values = r.record.values();
            let sections = SECTIONS
                .into_iter()
                .filter(|s| section_applies(*s, &r.record))
                .map(|section| {
                    let rows = SITE_FIELDS
                        .iter()
                        .filter(|f| f.section == section)
                        .filter(|f| f.key != "basic_site_id" || r.record.is_satellite())
                        .map(|f| {
                            let raw = values.get(f.key).cloned().unwrap_or_default();
                            let shown = display_value(lang, f.key, &raw, &r.vaccines, &r.basic_sites);
                            view! { <div class="row"><dt>{field_label(lang, f.key)}</dt><dd>{shown}</dd></div> }
                        })
                        .collect_view();
                    view! {
                        <section class="record-section">
                            <h2>{section_title(lang, section)}</h2>
                            <dl class="record">{rows}</dl>
                        </section>
                    }
                })
                .collect_view();
            view! {
                <h2 class="site-name">{r.site.name.clone()}</h2>
                <p class="muted">{t.municipality_label} ": " {r.municipality_name.clone()}
                    {r.reservation_updated_at.clone().map(|at| format!(" / {}: {}", t.reservation_updated_label, short_time(&at)))}
                </p>
                {r.doctors.is_empty().then(|| view! { <div class="alert warning" role="alert">{t.no_doctor_warning}</div> })}
                <RequestBanners view=r.clone()/>
                {sections}
                <DoctorsSection view=r.clone()/>
            }
        })}
        <section class="record-section" aria-labelledby="history-title">
            <h2 id="history-title">{move || texts(app).history_title}</h2>
            {move || {
                let lang = app.lang.get();
                let t = site_texts(lang);
                let rows = history.get();
                let (vaccines, sites) = record
                    .get()
                    .map(|r| (r.vaccines, r.basic_sites))
                    .unwrap_or_default();
                if rows.is_empty() {
                    return view! { <p class="muted">{t.history_empty}</p> }.into_any();
                }
                view! {
                    <div class="table-wrap">
                        <table aria-labelledby="history-title">
                            <thead><tr>
                                <th scope="col">{t.col_when}</th><th scope="col">{t.col_who}</th>
                                <th scope="col">{t.col_acting_for}</th><th scope="col">{t.col_field}</th>
                                <th scope="col">{t.col_old}</th><th scope="col">{t.col_new}</th>
                            </tr></thead>
                            <tbody>
                                {rows.into_iter().map(|h| {
                                    let old = h.old.map(|v| display_value(lang, &h.field, &v, &vaccines, &sites)).unwrap_or_default();
                                    let new = h.new.map(|v| display_value(lang, &h.field, &v, &vaccines, &sites)).unwrap_or_default();
                                    view! { <tr>
                                        <td>{short_time(&h.at)}</td>
                                        <td>{h.actor.unwrap_or_default()}</td>
                                        <td>{h.acting_for.unwrap_or_default()}</td>
                                        <td>{field_label(lang, &h.field)}</td>
                                        <td>{old}</td>
                                        <td>{new}</td>
                                    </tr> }
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any()
            }}
            <Show when=move || older.get().is_some()>
                <div class="form-actions">
                    <button type="button" class="button secondary" on:click=show_more
                        disabled=move || loading_older.get()>{move || texts(app).history_more}</button>
                    <span class="muted" role="status">{move || format!("{} {}", history.with(Vec::len), texts(app).history_shown)}</span>
                </div>
            </Show>
        </section>
    }
}

/// The pending request (申請中) and the latest decision, on the detail page and the site's home.
#[component]
pub fn RequestBanners(view: SiteRecordView) -> impl IntoView {
    let app = use_app();
    let lang = app.lang.get_untracked();
    let t = site_texts(lang);
    let pending = view.pending.clone().map(|p| {
        view! {
            <section class="panel pending" aria-labelledby="pending-title">
                <h2 id="pending-title">{t.pending_title} " (" {request_status_name(lang, p.status)} ")"</h2>
                <p>{t.pending_intro} " " {t.requested_at} ": " {short_time(&p.requested_at)}</p>
                {changes_table(lang, p.changes, view.vaccines.clone(), view.basic_sites.clone(), t.col_current, t.col_requested)}
            </section>
        }
    });
    let decided = view.last_decided.clone().map(|d| {
        let approved = d.status == crate::api::RequestStatus::Approved;
        view! {
            <div class=if approved { "notice" } else { "alert warning" } role="status">
                <strong>{if approved { t.decided_approved } else { t.decided_rejected }}</strong>
                {d.decided_at.map(|at| format!("（{}）", short_time(&at)))}
                {(!d.comment.is_empty()).then(|| view! { <p>{t.comment_label} ": " {d.comment.clone()}</p> })}
            </div>
        }
    });
    view! { {pending} {decided} }
}

/// The doctors of the site with links to 医師情報の編集.
#[component]
fn DoctorsSection(view: SiteRecordView) -> impl IntoView {
    let app = use_app();
    let lang = app.lang.get_untracked();
    let t = site_texts(lang);
    let site_id = view.site.id;
    let vaccines = view.vaccines.clone();
    view! {
        <section class="record-section" aria-labelledby="doctors-title">
            <div class="page-head">
                <h2 id="doctors-title">{t.doctors_title}</h2>
                {view.editable.then(|| view! {
                    <a class="button primary" href=format!("/sites/{site_id}/doctors/new")>{t.new_doctor_button}</a>
                })}
            </div>
            <div class="table-wrap">
                <table aria-labelledby="doctors-title">
                    <thead><tr>
                        <th scope="col">{t.doctor_name}</th><th scope="col">{t.doctor_kana}</th>
                        <th scope="col">{t.doctor_phone}</th><th scope="col">{t.doctor_email}</th>
                        <th scope="col">{t.doctor_vaccines}</th>
                        <th scope="col"><span class="visually-hidden">{lang.texts().actions_column}</span></th>
                    </tr></thead>
                    <tbody>
                        {view.doctors.into_iter().map(|d| view! {
                            <tr>
                                <td>{d.doctor.name.clone()}</td>
                                <td>{d.doctor.kana.clone()}</td>
                                <td>{d.doctor.phone.clone()}</td>
                                <td>{d.doctor.email.clone()}</td>
                                <td>{display_value(lang, "doctor_vaccines", &d.doctor.vaccines.join(","), &vaccines, &[])}</td>
                                <td>{view.editable.then(|| view! {
                                    <a class="button secondary" href=format!("/sites/{site_id}/doctors/{}", d.id)
                                        aria-label=format!("{} {}", t.edit_button, d.doctor.name)>{t.edit_button}</a>
                                })}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
    }
}

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

/// How a field is entered.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Text,
    Tel,
    Email,
    Url,
    Date,
    Count,
    Code,
    Area,
    Select(&'static [&'static str]),
    Radio(&'static [&'static str]),
    Check,
    Vaccines,
    BasicSite,
    Status,
}

impl Kind {
    /// Chosen from options rather than typed: a missing value reads 「選択してください。」.
    fn is_choice(self) -> bool {
        matches!(
            self,
            Kind::Select(_) | Kind::Radio(_) | Kind::Vaccines | Kind::BasicSite | Kind::Status
        )
    }
}

fn kind_of(key: &str) -> Kind {
    use crate::domain::{BOOKING, FACILITY_CLASSES, GENERAL_PUBLIC, PROXY_BOOKING};
    match key {
        "fax" | "phone" | "doctor_phone" | "storage_phone" | "needle_phone" | "dryice_phone"
        | "weekend_phone" | "public_phone" => Kind::Tel,
        "doctor_email" | "storage_email" | "needle_email" | "dryice_email" => Kind::Email,
        "homepage" | "public_url" => Kind::Url,
        "contract_joined" | "contract_left" | "code_change_date" => Kind::Date,
        "freezer_deep" | "freezer_cold" | "parking" => Kind::Count,
        "insurance_code" | "care_code" | "insurance_code_new" | "care_code_new" => Kind::Code,
        "notice" | "notice_easy" | "notice_en" => Kind::Area,
        "facility_class" => Kind::Select(&FACILITY_CLASSES),
        "booking_phone" | "booking_web" => Kind::Select(&BOOKING),
        "site_type" => Kind::Radio(&["basic", "satellite"]),
        "general_public" => Kind::Radio(&GENERAL_PUBLIC),
        "proxy_booking" => Kind::Radio(&PROXY_BOOKING),
        "doctor_no_email" => Kind::Check,
        "vaccines" => Kind::Vaccines,
        "basic_site_id" => Kind::BasicSite,
        "reservation_status" => Kind::Status,
        _ => Kind::Text,
    }
}

/// Everything a field of the edit form needs, shared by all fields.
#[derive(Clone, Copy)]
struct Editor {
    fields: StoredValue<BTreeMap<&'static str, RwSignal<String>>>,
    form: Memo<SiteForm>,
    errors: Memo<FieldErrors>,
    state: FormState,
    view: RwSignal<Option<SiteRecordView>>,
}

impl Editor {
    fn signal(&self, key: &'static str) -> RwSignal<String> {
        self.fields
            .with_value(|f| f.get(key).copied())
            .expect("every field has a signal")
    }

    fn error(&self, key: &'static str) -> Option<FieldError> {
        self.errors.with(|errors| self.state.error(key, errors))
    }

    fn locked(&self, key: &str) -> Option<FieldError> {
        self.view
            .with(|v| v.as_ref().and_then(|v| v.locked.get(key).cloned()))
    }

    fn set_all(&self, form: &SiteForm) {
        let values = form.values();
        self.fields.with_value(|fields| {
            for (key, signal) in fields {
                signal.set(values.get(*key).cloned().unwrap_or_default());
            }
        });
    }
}

/// One field with its label, ※, hints, input and error.
fn field_view(app: AppContext, ed: Editor, key: &'static str) -> impl IntoView {
    let value = ed.signal(key);
    let kind = kind_of(key);
    let spec = site_field(key).expect("known field");
    let error_id = format!("{key}-error");
    let hint_id = format!("{key}-hint");
    let described_by = format!("{error_id} {hint_id}");
    let invalid = move || {
        if ed.error(key).is_some() {
            "true"
        } else {
            "false"
        }
    };
    let disabled = move || ed.locked(key).is_some();
    let required = move || ed.form.with(|f| f.is_required(key));
    let label = move || field_label(app.lang.get(), key);
    let mark = move || required().then(required_mark);
    let aria_required = move || required().to_string();
    let hint = move || {
        let lang = app.lang.get();
        let t = site_texts(lang);
        let mut lines = Vec::new();
        if let Some(reason) = ed.locked(key) {
            lines.push(field_error(lang, &reason));
        } else if spec.needs_approval {
            let approves = ed
                .view
                .with(|v| v.as_ref().is_some_and(|v| v.caller_approves));
            lines.push(
                if approves {
                    t.approval_applies_directly
                } else {
                    t.needs_approval_hint
                }
                .to_string(),
            );
        }
        lines.join(" ")
    };
    let message = move || {
        ed.error(key).map(|e| {
            if kind.is_choice() {
                choice_error(app.lang.get(), &e)
            } else {
                field_error(app.lang.get(), &e)
            }
        })
    };
    let on_input = move |ev: leptos::ev::Event| {
        value.set(event_target_value(&ev));
        ed.state.edited(key);
    };
    let on_blur = move |_| ed.state.touch(key);
    let input: AnyView = match kind {
        Kind::Text | Kind::Tel | Kind::Email | Kind::Url | Kind::Date | Kind::Count | Kind::Code => {
            let (input_type, mode, auto) = match kind {
                Kind::Tel => ("tel", None, Some("tel")),
                Kind::Email => ("email", None, Some("email")),
                Kind::Url => ("url", None, Some("url")),
                Kind::Count | Kind::Code => ("text", Some("numeric"), None),
                Kind::Date => ("text", None, None),
                _ => ("text", None, None),
            };
            let placeholder = match kind {
                Kind::Date => Some("2021-03-06"),
                _ if key == "postal_code" => Some("000-0000"),
                _ => None,
            };
            view! {
                <input id=key name=key type=input_type inputmode=mode autocomplete=auto placeholder=placeholder
                    prop:value=move || value.get() on:input=on_input on:blur=on_blur
                    disabled=disabled aria-invalid=invalid aria-describedby=described_by.clone()
                    aria-required=aria_required/>
            }.into_any()
        }
        Kind::Area => view! {
            <textarea id=key name=key rows="3" prop:value=move || value.get() on:input=on_input on:blur=on_blur
                disabled=disabled aria-invalid=invalid aria-describedby=described_by.clone()
                aria-required=aria_required></textarea>
        }.into_any(),
        Kind::Select(options) => view! {
            <select id=key name=key prop:value=move || value.get() on:change=on_input on:blur=on_blur
                disabled=disabled aria-invalid=invalid aria-describedby=described_by.clone()
                aria-required=aria_required>
                <option value="">{move || texts(app).choose}</option>
                {options.iter().map(|o| view! {
                    <option value=*o selected=move || value.get() == *o>{move || choice_name(app.lang.get(), o).unwrap_or(o)}</option>
                }).collect_view()}
            </select>
        }.into_any(),
        Kind::Status => view! {
            <select id=key name=key prop:value=move || value.get() on:change=on_input on:blur=on_blur
                disabled=disabled aria-invalid=invalid aria-describedby=described_by.clone()
                aria-required=aria_required>
                // 未登録 is a status a site may keep until it is ready to announce one (one of the five statuses).
                {ReservationStatus::ALL.into_iter().map(|s| view! {
                    <option value=s.as_str() selected=move || value.get() == s.as_str()>{move || reservation_status_name(app.lang.get(), s)}</option>
                }).collect_view()}
            </select>
        }.into_any(),
        Kind::BasicSite => view! {
            <select id=key name=key prop:value=move || value.get() on:change=on_input on:blur=on_blur
                disabled=disabled aria-invalid=invalid aria-describedby=described_by.clone()
                aria-required=aria_required>
                <option value="">{move || texts(app).choose}</option>
                {move || ed.view.get().map(|v| v.basic_sites).unwrap_or_default().into_iter().map(|s| {
                    let id = s.id.to_string();
                    let selected = id.clone();
                    view! { <option value=id selected=move || value.get() == selected>{s.name}</option> }
                }).collect_view()}
            </select>
        }.into_any(),
        Kind::Check => view! {
            <label class="check">
                <input id=key name=key type="checkbox" prop:checked=move || value.get() == "true"
                    on:change=move |ev| { value.set(event_target_checked(&ev).to_string()); ed.state.edited(key); }
                    disabled=disabled aria-describedby=described_by.clone()/>
                {label}
            </label>
        }.into_any(),
        Kind::Radio(options) => view! {
            <div class="choices" id=key role="radiogroup" aria-labelledby=format!("{key}-label")
                aria-required=aria_required>
                {options.iter().enumerate().map(|(i, o)| {
                    let id = format!("{key}-{o}");
                    let for_id = id.clone();
                    view! {
                        <label class="check" for=for_id>
                            <input id=id type="radio" name=key value=*o prop:checked=move || value.get() == *o
                                on:change=move |_| { value.set(o.to_string()); ed.state.edited(key); ed.state.touch(key); }
                                disabled=disabled
                                aria-invalid=move || if i == 0 { invalid() } else { "false" }
                                aria-describedby=described_by.clone()/>
                            {move || choice_name(app.lang.get(), o).unwrap_or(o)}
                        </label>
                    }
                }).collect_view()}
            </div>
        }.into_any(),
        Kind::Vaccines => view! {
            <div class="choices" id=key role="group" aria-labelledby=format!("{key}-label")>
                {move || ed.view.get().map(|v| v.vaccines).unwrap_or_default().into_iter().enumerate().map(|(i, v)| {
                    let id = format!("vaccines-{}", v.value);
                    let code = v.value.clone();
                    let code_for_check = code.clone();
                    let for_id = id.clone();
                    view! {
                        <label class="check" for=for_id>
                            <input id=id type="checkbox"
                                prop:checked=move || value.get().split(',').any(|c| c == code_for_check)
                                on:change=move |ev| {
                                    let on = event_target_checked(&ev);
                                    let mut codes: Vec<String> = value.get_untracked().split(',').filter(|c| !c.is_empty() && *c != code).map(str::to_string).collect();
                                    if on { codes.push(code.clone()); }
                                    value.set(codes.join(","));
                                    ed.state.edited(key);
                                    ed.state.touch(key);
                                }
                                disabled=disabled
                                aria-invalid=move || if i == 0 { invalid() } else { "false" }
                                aria-describedby=described_by.clone()/>
                            {v.label}
                        </label>
                    }
                }).collect_view()}
            </div>
        }.into_any(),
    };
    let labelled_group = matches!(kind, Kind::Radio(_) | Kind::Vaccines);
    view! {
        <div class="field" class:has-error=move || ed.error(key).is_some() class:needs-approval=spec.needs_approval>
            {(kind != Kind::Check).then(|| view! {
                <div class="field-label">
                    {if labelled_group {
                        view! { <span class="label" id=format!("{key}-label")>{label}</span> }.into_any()
                    } else {
                        view! { <label for=key>{label}</label> }.into_any()
                    }}
                    {mark}
                </div>
            })}
            {input}
            <p class="hint" id=hint_id>{hint}</p>
            <p class="field-error" id=error_id role="alert">{message}</p>
        </div>
    }
}

/// ▼ メーカーによる詳細説明の要否: per vaccine, 求める／求めない (stored as the declined list).
fn explanation_view(app: AppContext, ed: Editor) -> impl IntoView {
    let declined = ed.signal("explanation_declined");
    move || {
        let lang = app.lang.get();
        let t = site_texts(lang);
        ed.view.get().map(|v| v.vaccines).unwrap_or_default().into_iter().map(|v| {
            let code = v.value.clone();
            let question = format!("{}{}", v.label, t.explain_question);
            let is_declined = {
                let code = code.clone();
                move || declined.get().split(',').any(|c| c == code)
            };
            let set = move |decline: bool| {
                let mut codes: Vec<String> = declined.get_untracked().split(',').filter(|c| !c.is_empty() && *c != code).map(str::to_string).collect();
                if decline { codes.push(code.clone()); }
                declined.set(codes.join(","));
            };
            let set_want = set.clone();
            let want_id = format!("explain-{}-want", v.value);
            let decline_id = format!("explain-{}-decline", v.value);
            let is_declined_2 = is_declined.clone();
            let want_for = want_id.clone();
            let decline_for = decline_id.clone();
            view! {
                <fieldset class="field">
                    <legend>{question}</legend>
                    <div class="choices">
                        <label class="check" for=want_for>
                            <input id=want_id type="radio" name=format!("explain-{}", v.value)
                                prop:checked=move || !is_declined() on:change=move |_| set_want(false)/>
                            {t.explain_want}
                        </label>
                        <label class="check" for=decline_for>
                            <input id=decline_id type="radio" name=format!("explain-{}", v.value)
                                prop:checked=is_declined_2 on:change=move |_| set(true)/>
                            {t.explain_decline}
                        </label>
                    </div>
                </fieldset>
            }
        }).collect_view()
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

/// 医療機関・接種会場の編集.
#[component]
pub fn SiteEditPage() -> impl IntoView {
    let app = use_app();
    let navigate = use_navigate();
    let site_id = site_id_param().unwrap_or_default();
    let view_signal = RwSignal::new(None::<SiteRecordView>);
    let base = RwSignal::new(SiteForm::default());
    let version = RwSignal::new(0_i64);
    let message = RwSignal::new(None::<String>);
    let notice = RwSignal::new(None::<String>);
    let conflict = RwSignal::new(None::<Vec<FieldChange>>);
    let draft_offer = RwSignal::new(None::<Draft>);
    let drafting = RwSignal::new(false);
    let state = FormState::new();
    let fields: BTreeMap<&'static str, RwSignal<String>> = SITE_FIELDS
        .iter()
        .map(|f| (f.key, RwSignal::new(String::new())))
        .collect();
    let fields = StoredValue::new(fields);
    let form = Memo::new(move |_| {
        let values: BTreeMap<String, String> =
            fields.with_value(|f| f.iter().map(|(k, s)| (k.to_string(), s.get())).collect());
        SiteForm::from_values(&values)
    });
    let errors = Memo::new(move |_| {
        let form = form.get();
        view_signal.with(|v| match v {
            Some(v) => v.validate(&form).err().unwrap_or_default(),
            None => FieldErrors::new(),
        })
    });
    let ed = Editor {
        fields,
        form,
        errors,
        state,
        view: view_signal,
    };

    // Load the record, then offer a draft kept from an earlier visit.
    spawn_local(async move {
        match load_site_record(site_id).await {
            Ok(v) => {
                base.set(v.record.clone());
                version.set(v.version);
                ed.set_all(&v.record);
                let saved = LocalStorage::get::<Draft>(draft_key(site_id)).ok();
                view_signal.set(Some(v));
                match saved {
                    Some(draft) if draft.form != draft.base => draft_offer.set(Some(draft)),
                    _ => drafting.set(true),
                }
            }
            Err(error) => message.set(Some(app.handle_error(&error))),
        }
    });

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
        if let (Some(draft), Some(latest)) =
            (draft_offer.get_untracked(), view_signal.get_untracked())
        {
            // The record may have changed since: keep the user's edits on top of the latest.
            let merged = draft.form.rebased(&draft.base, &latest.record);
            ed.set_all(&merged);
        }
        draft_offer.set(None);
        drafting.set(true);
    };
    let discard = move |_| {
        LocalStorage::delete(draft_key(site_id));
        draft_offer.set(None);
        drafting.set(true);
    };

    let take_latest = move |_| {
        spawn_local(async move {
            match load_site_record(site_id).await {
                Ok(latest) => {
                    let merged = form
                        .get_untracked()
                        .rebased(&base.get_untracked(), &latest.record);
                    base.set(latest.record.clone());
                    version.set(latest.version);
                    view_signal.set(Some(latest));
                    ed.set_all(&merged);
                    conflict.set(None);
                    message.set(None);
                    notice.set(Some(
                        site_texts(app.lang.get_untracked())
                            .conflict_merged
                            .to_string(),
                    ));
                }
                Err(error) => message.set(Some(app.handle_error(&error))),
            }
        });
    };

    let navigate_after_save = navigate.clone();
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        notice.set(None);
        let client = errors.get_untracked();
        if !state.submit(&client) || state.busy.get_untracked() {
            return;
        }
        state.busy.set(true);
        let edit = SiteRecordEdit {
            site_id,
            version: version.get_untracked(),
            base: base.get_untracked(),
            record: form.get_untracked(),
        };
        let navigate = navigate_after_save.clone();
        spawn_local(async move {
            match save_site_record(edit).await {
                Ok(saved) => {
                    LocalStorage::delete(draft_key(site_id));
                    let t = site_texts(app.lang.get_untracked());
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
                    app.notice.set(Some(lines.join(" ")));
                    drafting.set(false);
                    navigate(&format!("/sites/{site_id}"), Default::default());
                }
                Err(AppError::Validation(errors)) => {
                    message.set(Some(
                        app.handle_error(&AppError::Validation(FieldErrors::new())),
                    ));
                    state.show_server_errors(errors);
                }
                Err(AppError::EditConflict(changes)) => {
                    message.set(Some(app.handle_error(&AppError::EditConflict(Vec::new()))));
                    conflict.set(Some(changes));
                }
                Err(error) => message.set(Some(app.handle_error(&error))),
            }
            state.busy.set(false);
            if message.get_untracked().is_some() {
                focus_first_error();
            }
        });
    };
    let cancel = move |_| {
        LocalStorage::delete(draft_key(site_id));
        drafting.set(false);
        navigate(&format!("/sites/{site_id}"), Default::default());
    };

    let section = move |section: Section| {
        let keys: Vec<&'static str> = SITE_FIELDS
            .iter()
            .filter(|f| f.section == section)
            .map(|f| f.key)
            .collect();
        let applies = move || form.with(|f| section_applies(section, f));
        view! {
            <Show when=applies>
                <section class="record-section">
                    <h2>{move || section_title(app.lang.get(), section)}</h2>
                    {match section {
                        Section::Explanation => explanation_view(app, ed).into_any(),
                        _ => keys.iter().map(|key| {
                            let key = *key;
                            let extra = match key {
                                "reservation_status" => Some(read_only("reservation_updated_at", move || texts(app).reservation_updated_label.to_string(), move || view_signal.get().and_then(|v| v.reservation_updated_at).map(|t| short_time(&t)).unwrap_or_default(), false).into_any()),
                                "postal_code" => Some(read_only("municipality", move || texts(app).municipality_label.to_string(), move || view_signal.get().map(|v| v.municipality_name).unwrap_or_default(), true).into_any()),
                                "insurance_code_new" => Some(view! {
                                    {read_only("old_insurance_code", move || texts(app).old_insurance_code.to_string(), move || base.get().insurance_code, false)}
                                    {read_only("old_care_code", move || texts(app).old_care_code.to_string(), move || base.get().care_code, false)}
                                }.into_any()),
                                _ => None,
                            };
                            let shown = move || key != "basic_site_id" || form.with(|f| f.is_satellite());
                            // The old codes read above the new ones; the others follow their field.
                            let (above, below) = if key == "insurance_code_new" { (extra, None) } else { (None, extra) };
                            view! {
                                {above}
                                <Show when=shown>{field_view(app, ed, key)}</Show>
                                {below}
                            }
                        }).collect_view().into_any(),
                    }}
                </section>
            </Show>
        }
    };

    let summary_fields = Signal::derive(move || {
        let lang = app.lang.get();
        SITE_FIELDS
            .iter()
            .map(|f| {
                let label = field_label(lang, f.key);
                if kind_of(f.key).is_choice() {
                    SummaryField::choice(f.key, f.key, label)
                } else {
                    SummaryField::text(f.key, f.key, label)
                }
            })
            .collect::<Vec<_>>()
    });
    view! {
        <h1>{move || texts(app).edit_title}</h1>
        <Show when=move || draft_offer.get().is_some()>
            <div class="alert warning" role="alert">
                <p>{move || texts(app).draft_found}</p>
                <button type="button" class="button primary" on:click=restore>{move || texts(app).draft_restore}</button>
                " "
                <button type="button" class="button secondary" on:click=discard>{move || texts(app).draft_discard}</button>
            </div>
        </Show>
        {move || message.get().map(|m| view! { <div class="alert" role="alert">{m}</div> })}
        {move || notice.get().map(|m| view! { <div class="notice" role="status">{m}</div> })}
        {move || conflict.get().map(|changes| {
            let lang = app.lang.get();
            let t = site_texts(lang);
            let (vaccines, sites) = view_signal.get().map(|v| (v.vaccines, v.basic_sites)).unwrap_or_default();
            view! {
                <section class="panel pending" aria-labelledby="conflict-title">
                    <h2 id="conflict-title">{t.conflict_title}</h2>
                    {changes_table(lang, changes, vaccines, sites, t.col_old, t.col_new)}
                    <button type="button" class="button primary" on:click=take_latest>{t.conflict_take_latest}</button>
                </section>
            }
        })}
        {move || view_signal.get().map(|v| view! {
            <p class="site-name"><strong>{v.site.name.clone()}</strong></p>
            <RequestBanners view=v.clone()/>
        })}
        <Show when=move || view_signal.get().is_some()>
            <form novalidate on:submit=on_submit.clone() class="record-form">
                <ErrorSummary state=state errors=errors fields=summary_fields/>
                {SECTIONS.into_iter().map(section).collect_view()}
                <p class="muted">{move || texts(app).draft_kept}</p>
                <div class="form-actions sticky">
                    <button type="submit" class="button primary" disabled=move || state.busy.get()>{move || texts(app).save_request_button}</button>
                    <button type="button" class="button secondary" on:click=cancel.clone()>{move || texts(app).cancel_button}</button>
                </div>
            </form>
        </Show>
    }
}
