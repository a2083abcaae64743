//! The supply chain's pages: クール一覧 with クールの作成, one cool with 希望量の登録 (a site's
//! form, its municipality's table and 代理入力), ワクチン・針・シリンジマスタ and 納入ロット; and
//! what ホーム shows of a cool whose window is open.

mod allocation;
mod cools;
mod delivery;
mod master;
mod stock;
mod suppliers;

pub use allocation::AllocationPage;
pub use cools::{CoolPage, CoolsPage, SiteRequestPage};
pub use delivery::DeliveriesPage;
pub use master::{LotsPage, VaccineMasterPage};
pub use stock::{HomeStock, SiteStockPage};
pub use suppliers::SuppliersPage;

use crate::api::{home_cools, Choice, CoolSummary, HomeCool};
use crate::domain::{jst_minute, Form, VACCINE_LIST};
use crate::error::FieldErrors;
use crate::i18n::fields::GivenOptions;
use crate::i18n::supply::{cool_state_name, deadline_text, period_text, supply_texts};
use crate::i18n::Lang;
use crate::ui::context::{use_app, AppContext};
use crate::ui::fields::{field_view, summary_fields, FieldSignals, FieldsEditor};
use crate::ui::form::{ErrorSummary, FormMessage, FormState};
use leptos::prelude::*;
use std::collections::BTreeMap;

/// An editor over a small form's `values`: the server's `given` lists, nothing locked and no
/// hints, its element ids starting with `id_prefix`.
fn small_editor<F: Form>(
    values: FieldSignals<F>,
    errors: Memo<FieldErrors>,
    state: FormState,
    given: GivenOptions,
    id_prefix: &'static str,
) -> FieldsEditor<F> {
    FieldsEditor {
        values,
        errors: errors.into(),
        state,
        given: Signal::derive(move || given.clone()),
        locked: Signal::derive(BTreeMap::new),
        hint: Callback::new(|_| String::new()),
        id_prefix,
    }
}

/// Every field of a small form, each rendered by its input kind.
fn all_fields<F: Form>(app: AppContext, ed: FieldsEditor<F>) -> impl IntoView {
    F::fields()
        .iter()
        .map(|field| field_view(app, ed, field))
        .collect_view()
}

/// The words of a new-entry form: its heading, its button, and what it says once saved.
struct EntryTexts {
    title: fn(Lang) -> &'static str,
    button: fn(Lang) -> &'static str,
    saved: fn(Lang) -> &'static str,
}

/// The options of a form that chooses a vaccine of the master, and their codes.
fn vaccine_options(vaccines: &[Choice]) -> (GivenOptions, Vec<String>) {
    let given = [(VACCINE_LIST, vaccines.to_vec())].into_iter().collect();
    (given, vaccines.iter().map(|v| v.value.clone()).collect())
}

/// A form that adds one entry (クールの作成, 納入ロットの登録, 移送・融通, 廃棄) with the lists
/// `given`, starting from `start` (today's date where a date is asked for): checked by `check` as
/// the user types, sent by `send`; each saved entry goes to `added`, the form starts again from
/// `start` and `notice` says so. Errors show as every form shows them.
#[allow(clippy::too_many_arguments)]
fn new_entry_form<F, T, Fut>(
    id_prefix: &'static str,
    given: GivenOptions,
    start: F,
    check: impl Fn(&F) -> FieldErrors + Send + Sync + 'static,
    send: impl Fn(F) -> Fut + Send + Sync + 'static,
    texts: EntryTexts,
    notice: RwSignal<Option<String>>,
    added: impl Fn(T) + 'static,
) -> impl IntoView
where
    F: Form,
    T: Clone + Send + Sync + 'static,
    Fut: std::future::Future<Output = Result<T, crate::error::AppError>> + Send + 'static,
{
    let app = use_app();
    let values = FieldSignals::<F>::new();
    values.set_all(&start);
    let state = FormState::new();
    let errors = Memo::new(move |_| values.form.with(&check));
    let ed = small_editor(values, errors, state, given, id_prefix);
    let save = state
        .action(move |form: &F| send(form.clone()))
        .on_success(move |entry: T| {
            added(entry);
            values.set_all(&start);
            state.reset();
            notice.set(Some((texts.saved)(app.lang.get_untracked()).to_string()));
        });
    let pending = save.pending();
    let summary = Signal::derive(move || summary_fields::<F>(app.lang.get(), id_prefix));
    let title_id = format!("{id_prefix}title");
    view! {
        <section class="panel" aria-labelledby=title_id.clone()>
            <h2 id=title_id.clone()>{move || (texts.title)(app.lang.get())}</h2>
            <FormMessage message=state.message/>
            <form novalidate class="record-form" on:submit=move |ev| {
                ev.prevent_default();
                notice.set(None);
                save.submit(&errors.get_untracked(), values.form.get_untracked());
            }>
                <ErrorSummary state=state errors=errors fields=summary/>
                {all_fields(app, ed)}
                <div class="form-actions">
                    <button type="submit" class="button primary" disabled=move || pending.get()>
                        {move || (texts.button)(app.lang.get())}
                    </button>
                </div>
            </form>
        </section>
    }
}

/// A cool's state, next deadline, window, deliveries and supply, as a list of facts.
fn cool_facts(lang: Lang, cool: &CoolSummary) -> impl IntoView {
    let t = supply_texts(lang);
    let w = cool.window;
    let deadline = cool
        .deadline
        .map(|d| deadline_text(lang, d, cool.days_left))
        .unwrap_or_else(|| "—".into());
    view! {
        <dl class="record cool-facts">
            <div class="row"><dt>{t.col_cool}</dt><dd>{cool.name.clone()}</dd></div>
            <div class="row"><dt>{t.state_label}</dt><dd><span class="state-badge">{cool_state_name(lang, cool.state)}</span></dd></div>
            <div class="row"><dt>{t.next_deadline}</dt><dd>{deadline}</dd></div>
            <div class="row"><dt>{t.window_label}</dt><dd>{period_text(&jst_minute(w.opens), &jst_minute(w.closes))}</dd></div>
            <div class="row"><dt>{t.delivery_label}</dt><dd>{period_text(&w.delivery_from.to_string(), &w.delivery_until.to_string())}</dd></div>
            <div class="row"><dt>{t.supply_label}</dt><dd>{format!("{} {}（{} × {}）", cool.total_boxes, t.boxes_unit, cool.vaccine_name, cool.vials_per_box)}</dd></div>
        </dl>
    }
}

/// On ホーム while a cool's 希望量 window is open: for a basic site the large 希望量の登録 button
/// with 締切 and the days left; for a municipality the basic sites that have not registered.
#[component]
pub fn HomeCools() -> impl IntoView {
    let cools = Resource::new(|| (), |_| home_cools());
    // The panels add to ホーム when they arrive; the cools page reports a failed load.
    view! {
        <Suspense>
            {move || cools.get().and_then(Result::ok).map(|cools| {
                cools.into_iter().map(|c| view! { <HomeCoolPanel cool=c/> }).collect_view()
            })}
        </Suspense>
    }
}

/// One open cool on ホーム.
#[component]
fn HomeCoolPanel(cool: HomeCool) -> impl IntoView {
    let app = use_app();
    let summary = cool.cool.clone();
    let id = summary.id;
    let deadline = move || {
        summary
            .deadline
            .map(|d| deadline_text(app.lang.get(), d, summary.days_left))
            .unwrap_or_default()
    };
    let name = cool.cool.name.clone();
    let own = cool.own.clone().map(|own| {
        let href = format!("/cools/{id}/sites/{}", own.site.id);
        let status = move || {
            let t = supply_texts(app.lang.get());
            match own.boxes {
                Some(boxes) => format!("{}: {boxes} {}", t.home_registered, t.boxes_unit),
                None => format!("{} — {}", t.request_none, t.no_request_warning),
            }
        };
        view! {
            <div class="task-grid">
                <a class="task-button large" href=href>
                    <span>{move || supply_texts(app.lang.get()).home_request_button}</span>
                    <span class="task-sub">{name.clone()} " " {deadline}</span>
                    <span class="task-sub">{status}</span>
                </a>
            </div>
        }
    });
    let municipality = (cool.basic_sites > 0).then(|| {
        let unregistered = cool.unregistered.clone();
        let count = format!("{} / {}", unregistered.len(), cool.basic_sites);
        let title = cool.cool.name.clone();
        view! {
            <section class="panel" aria-labelledby=format!("cool-{id}-title")>
                <h2 id=format!("cool-{id}-title")>
                    <a href=format!("/cools/{id}")>{title}</a> " " {move || supply_texts(app.lang.get()).home_request_button}
                </h2>
                <p>{deadline}</p>
                <p role="status">{move || supply_texts(app.lang.get()).home_unregistered} ": " <strong>{count}</strong></p>
                {if unregistered.is_empty() {
                    view! { <p class="muted">{move || supply_texts(app.lang.get()).home_all_registered}</p> }.into_any()
                } else {
                    view! {
                        <ul class="site-list" aria-label=move || supply_texts(app.lang.get()).home_unregistered>
                            {unregistered.into_iter().map(|site| view! {
                                <li><a href=format!("/cools/{id}/sites/{}", site.id)>{site.name}</a></li>
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }}
            </section>
        }
    });
    view! { {own} {municipality} }
}
