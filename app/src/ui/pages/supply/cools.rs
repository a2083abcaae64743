//! クール一覧 and クールの作成; one cool with the caller's part of it (a site's 希望量の登録, its
//! municipality's table of basic sites); and 希望量の登録 for one site (the site's own, or its
//! municipality's 代理入力).

use super::{cool_facts, new_entry_form, vaccine_options, EntryTexts};
use crate::api::{
    create_cool, list_cools, load_municipality_requests, load_site_request, save_site_request,
    CoolList, CoolSummary, MunicipalityRequests, SiteRequest,
};
use crate::domain::{jst_minute, parse_boxes, CoolForm, CoolState, Role, MAX_BOXES};
use crate::error::FieldErrors;
use crate::i18n::supply::{cool_state_name, deadline_text, supply_texts};
use crate::i18n::{short_time, Lang};
use crate::ui::context::use_app;

use crate::ui::form::{FormMessage, FormState, TextField};
use crate::ui::pages::site_record::route_id;
use crate::ui::shell::{loaded, Loading};
use leptos::prelude::*;

/// クール一覧, and for national users クールの作成.
#[component]
pub fn CoolsPage() -> impl IntoView {
    let app = use_app();
    let list = Resource::new(|| (), |_| list_cools());
    view! {
        <h1>{move || supply_texts(app.lang.get()).cools_title}</h1>
        <Transition fallback=Loading>
            {loaded(list, |list| view! { <CoolsView list/> })}
        </Transition>
    }
}

#[component]
fn CoolsView(list: CoolList) -> impl IntoView {
    let app = use_app();
    let cools = RwSignal::new(list.cools);
    let notice = RwSignal::new(None::<String>);
    let form = list.may_create.then(|| {
        let (given, codes) = vaccine_options(&list.vaccines);
        new_entry_form(
            "cool-",
            given,
            CoolForm::default(),
            move |form: &CoolForm| form.validate(&codes).err().unwrap_or_default(),
            create_cool,
            EntryTexts {
                title: |l| supply_texts(l).new_cool_title,
                button: |l| supply_texts(l).create_cool_button,
                saved: |l| supply_texts(l).cool_created,
            },
            notice,
            move |created: CoolSummary| cools.update(|c| c.insert(0, created)),
        )
    });
    view! {
        {move || notice.get().map(|m| view! { <div class="notice" role="status">{m}</div> })}
        {move || cools_table(app.lang.get(), cools.get())}
        {form}
    }
}

fn cools_table(lang: Lang, cools: Vec<CoolSummary>) -> impl IntoView {
    let t = supply_texts(lang);
    if cools.is_empty() {
        return view! { <p class="muted">{t.cools_empty}</p> }.into_any();
    }
    view! {
        <div class="table-wrap">
            <table class="table" aria-label=t.cools_title>
                <thead><tr>
                    <th scope="col">{t.col_cool}</th><th scope="col">{t.col_vaccine}</th>
                    <th scope="col">{t.col_state}</th><th scope="col" class="num">{t.col_supply}</th>
                    <th scope="col">{t.col_window}</th><th scope="col">{t.col_delivery}</th>
                    <th scope="col">{t.col_deadline}</th>
                </tr></thead>
                <tbody>
                    {cools.into_iter().map(|c| {
                        let w = c.window;
                        let deadline = c.deadline.map(|d| deadline_text(lang, d, c.days_left)).unwrap_or_default();
                        view! { <tr>
                            <td><a href=format!("/cools/{}", c.id)>{c.name.clone()}</a></td>
                            <td>{c.vaccine_name.clone()}</td>
                            <td><span class="state-badge">{cool_state_name(lang, c.state)}</span></td>
                            <td class="num">{c.total_boxes}</td>
                            <td class="period">{period_cell(jst_minute(w.opens), jst_minute(w.closes))}</td>
                            <td class="period">{period_cell(w.delivery_from.to_string(), w.delivery_until.to_string())}</td>
                            <td class="period">{deadline}</td>
                        </tr> }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

/// A period in a table cell, broken (when it must be) only between its two ends.
fn period_cell(from: String, until: String) -> impl IntoView {
    view! { <span class="nowrap">{from} " 〜"</span> " " <span class="nowrap">{until}</span> }
}

/// One cool (`/cools/:id`): its facts, and the caller's part: a basic site's 希望量の登録, a
/// municipality's table of its basic sites.
#[component]
pub fn CoolPage() -> impl IntoView {
    let app = use_app();
    let id = route_id("id");
    let list = Resource::new(move || id.get(), |_| list_cools());
    view! {
        <Transition fallback=Loading>
            {loaded(list, move |list| {
                let cool = list.cools.into_iter().find(|c| c.id == id.get_untracked());
                match cool {
                    Some(cool) => view! { <CoolView cool/> }.into_any(),
                    None => view! { <p role="alert">{move || app.t().not_found_title}</p> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn CoolView(cool: CoolSummary) -> impl IntoView {
    let app = use_app();
    let session = app.session.get_untracked();
    let role = session.as_ref().map(|s| s.role);
    let site = session
        .as_ref()
        .and_then(|s| s.acting_for.clone().or(s.own_site.clone()));
    let municipality = session.as_ref().and_then(|s| s.municipality_code.clone());
    let id = cool.id;
    let facts = cool.clone();
    let part = match (role, site, municipality) {
        (_, Some(site), _) => view! { <SiteRequestForm cool_id=id site_id=site.id/> }.into_any(),
        (Some(Role::Municipality), None, Some(code)) => {
            view! { <MunicipalityRequestsTable cool_id=id municipality=code/> }.into_any()
        }
        _ => ().into_any(),
    };
    // The levels that allocate open their table once the window has closed.
    let allocates = matches!(
        role,
        Some(Role::National | Role::Prefecture | Role::Municipality | Role::Admin)
    ) && site_none_acting(&session)
        && cool.state != CoolState::Preparing
        && cool.state != CoolState::Accepting;
    // Deliveries are listed once some prefecture has locked the cool.
    let delivers = matches!(
        role,
        Some(Role::National | Role::Prefecture | Role::Municipality | Role::Admin | Role::Supplier)
    ) && site_none_acting(&session)
        && matches!(
            cool.state,
            CoolState::Allocating | CoolState::Locked | CoolState::Delivering | CoolState::Done
        );
    view! {
        <h1>{cool.name.clone()}</h1>
        {move || cool_facts(app.lang.get(), &facts)}
        <div class="task-grid">
            {allocates.then(|| view! {
                <a class="task-button" href=format!("/cools/{id}/allocation")>{move || supply_texts(app.lang.get()).allocation_button}</a>
            })}
            {delivers.then(|| view! {
                <a class="task-button" href=format!("/cools/{id}/deliveries")>{move || crate::i18n::stock::stock_texts(app.lang.get()).deliveries_button}</a>
            })}
        </div>
        {part}
        <p><a href="/cools">{move || supply_texts(app.lang.get()).back_to_cools}</a></p>
    }
}

/// True unless a municipality user is acting for a site (代理入力), when the page is the site's.
fn site_none_acting(session: &Option<crate::api::SessionInfo>) -> bool {
    session.as_ref().is_none_or(|s| s.acting_for.is_none())
}

/// 希望量の登録 for one site (`/cools/:id/sites/:site`): the site's own, or its municipality's
/// 代理入力.
#[component]
pub fn SiteRequestPage() -> impl IntoView {
    let app = use_app();
    let cool_id = route_id("id");
    let site_id = route_id("site");
    view! {
        <h1>{move || supply_texts(app.lang.get()).request_title}</h1>
        {move || view! { <SiteRequestForm cool_id=cool_id.get() site_id=site_id.get()/> }}
        <p><a href=move || format!("/cools/{}", cool_id.get())>{move || supply_texts(app.lang.get()).back_to_cools}</a></p>
    }
}

/// A site's 希望量 in a cool: what is registered, and the form while the window is open.
#[component]
fn SiteRequestForm(cool_id: i64, site_id: i64) -> impl IntoView {
    let request = Resource::new(
        move || (cool_id, site_id),
        |(cool, site)| load_site_request(cool, site),
    );
    view! {
        <Transition fallback=Loading>
            {loaded(request, |request| view! { <SiteRequestEditor request/> })}
        </Transition>
    }
}

#[component]
fn SiteRequestEditor(request: SiteRequest) -> impl IntoView {
    let app = use_app();
    let current = RwSignal::new(request.clone());
    let boxes = RwSignal::new(request.boxes.map(|b| b.to_string()).unwrap_or_default());
    let state = FormState::new();
    let notice = RwSignal::new(None::<String>);
    let errors = Memo::new(move |_| {
        let mut errors = FieldErrors::new();
        errors.check("boxes", parse_boxes(&boxes.get(), MAX_BOXES));
        errors
    });
    let error = Signal::derive(move || errors.with(|e| state.error("boxes", e)));
    let (cool_id, site_id) = (request.cool.id, request.site.id);
    let save = state
        .action(move |typed: &String| save_site_request(cool_id, site_id, typed.clone()))
        .on_success(move |saved: SiteRequest| {
            current.set(saved);
            notice.set(Some(
                supply_texts(app.lang.get_untracked())
                    .request_saved
                    .to_string(),
            ));
        });
    let pending = save.pending();
    let t = move || supply_texts(app.lang.get());
    // What the registered boxes hold, so a nurse can check the number against doses.
    let hint = Signal::derive(move || {
        let t = t();
        let c = current.with(|r| r.cool.clone());
        match parse_boxes(&boxes.get(), MAX_BOXES) {
            Ok(n) => {
                let vials = u64::from(n) * u64::from(c.vials_per_box);
                let doses = vials * u64::from(c.doses_per_vial);
                format!(
                    "{n} {} = {vials} {} = {doses} {}",
                    t.boxes_unit, t.vials_unit, t.doses_unit
                )
            }
            Err(_) => t.boxes_hint.to_string(),
        }
    });
    let status = move || {
        let t = t();
        current.with(|r| match r.boxes {
            Some(b) => {
                let by = if r.by_municipality {
                    t.request_by_municipality
                } else {
                    ""
                };
                let at = r.updated_at.as_deref().map(short_time).unwrap_or_default();
                format!("{}: {b} {} {at} {by}", t.request_current, t.boxes_unit)
            }
            None => format!(
                "{}: {} — {}",
                t.request_current, t.request_none, t.no_request_warning
            ),
        })
    };
    // 分配量 and 納入予定日 show together once the prefecture has locked the cool.
    let allocated = move || {
        current.with(|r| r.allocated.map(|boxes| (boxes, r.scheduled_on.clone()))).map(|(boxes, day)| {
            let t = t();
            let day = day.unwrap_or_else(|| t.scheduled_not_yet.to_string());
            view! {
                <p class="notice" role="status">
                    <strong>{format!("{}: {boxes} {}", t.allocated_to_site, t.boxes_unit)}</strong>
                    " "
                    <span>{format!("{}: {day}", t.scheduled_for_site)}</span>
                </p>
            }
        })
    };
    let closed_note = move || {
        let t = t();
        current.with(|r| {
            if r.satellite {
                Some(t.satellite_note)
            } else if r.editable {
                None
            } else if r.cool.state == CoolState::Preparing {
                Some(t.request_not_open)
            } else {
                Some(t.request_closed)
            }
        })
    };
    let editable = move || current.with(|r| r.editable);
    view! {
        <section class="panel" aria-labelledby="request-title">
            <h2 id="request-title">{move || t().request_title} " — " {request.site.name.clone()}</h2>
            {move || cool_line(app.lang.get(), &current.with(|r| r.cool.clone()))}
            <p role="status">{status}</p>
            {allocated}
            {move || notice.get().map(|m| view! { <div class="notice" role="status">{m}</div> })}
            {move || closed_note().map(|note| view! { <p class="alert warning">{note}</p> })}
            <FormMessage message=state.message/>
            <Show when=editable>
                <form novalidate class="record-form request-form" on:submit=move |ev| {
                    ev.prevent_default();
                    notice.set(None);
                    save.submit(&errors.get_untracked(), boxes.get_untracked());
                }>
                    <TextField id="request-boxes" label=Signal::derive(move || t().boxes_label.to_string())
                        value=boxes error=error required=true inputmode="numeric" hint=hint
                        on_blur=move |_| state.touch("boxes") on_input=move |_| state.edited("boxes")/>
                    <div class="form-actions">
                        <button type="submit" class="button primary large" disabled=move || pending.get()>{move || t().request_button}</button>
                    </div>
                </form>
            </Show>
        </section>
    }
}

/// 「第5クール ファイザー社 締切 …（あと3日）」.
fn cool_line(lang: Lang, cool: &CoolSummary) -> impl IntoView {
    let deadline = cool
        .deadline
        .map(|d| deadline_text(lang, d, cool.days_left))
        .unwrap_or_default();
    view! { <p class="cool-line"><strong>{cool.name.clone()}</strong> " " {cool.vaccine_name.clone()} " " <span class="state-badge">{cool_state_name(lang, cool.state)}</span> " " {deadline}</p> }
}

/// A municipality's basic sites and their 希望量, with 代理入力 while the window is open.
#[component]
fn MunicipalityRequestsTable(cool_id: i64, municipality: String) -> impl IntoView {
    let app = use_app();
    let table = Resource::new(
        move || (cool_id, municipality.clone()),
        |(cool, code)| load_municipality_requests(cool, code),
    );
    view! {
        <Transition fallback=Loading>
            {loaded(table, move |table| move || requests_table(app.lang.get(), table.clone()))}
        </Transition>
    }
}

fn requests_table(lang: Lang, table: MunicipalityRequests) -> impl IntoView {
    let t = supply_texts(lang);
    let cool_id = table.cool.id;
    let proxy = table.proxy;
    let title = format!("{} — {}", t.requests_title, table.municipality);
    view! {
        <section class="panel" aria-labelledby="requests-title">
            <h2 id="requests-title">{title.clone()}</h2>
            <div class="table-wrap">
                <table class="table" aria-label=title>
                    <thead><tr>
                        <th scope="col">{t.col_site}</th><th scope="col" class="num">{t.col_boxes}</th>
                        <th scope="col">{t.col_updated}</th>
                        <th scope="col"><span class="visually-hidden">{lang.texts().actions_column}</span></th>
                    </tr></thead>
                    <tbody>
                        {table.rows.into_iter().map(|r| {
                            let boxes = r.boxes.map(|b| b.to_string()).unwrap_or_else(|| t.not_registered.to_string());
                            let missing = r.boxes.is_none();
                            view! { <tr class:missing=missing>
                                <td>{r.site.name.clone()}</td>
                                <td class="num">{boxes}</td>
                                <td>{r.updated_at.as_deref().map(short_time).unwrap_or_default()}</td>
                                <td>{proxy.then(|| view! {
                                    <a class="button secondary" href=format!("/cools/{cool_id}/sites/{}", r.site.id)
                                        aria-label=format!("{} {}", t.proxy_button, r.site.name)>{t.proxy_button}</a>
                                })}</td>
                            </tr> }
                        }).collect_view()}
                    </tbody>
                    <tfoot><tr>
                        <th scope="row">{t.total_label}</th><td class="num">{table.total_boxes}</td><td></td><td></td>
                    </tr></tfoot>
                </table>
            </div>
        </section>
    }
}
