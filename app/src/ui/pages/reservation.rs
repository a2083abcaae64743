//! 予約の受付情報の変更 (on the home of a site, or of a municipality acting for it), and the
//! municipality's overview of its sites' statuses with the 未登録 list.

use crate::api::{load_reservation_state, load_reservation_summary, set_reservation_status};
use crate::domain::ReservationStatus;
use crate::i18n::{reservation_status_name, short_time};
use crate::ui::context::use_app;
use crate::ui::form::on_each_answer;
use crate::ui::shell::{loaded, LoadError, Loading};
use leptos::prelude::*;

/// The site's current status and one large button per status.
#[component]
pub fn ReservationPanel(site_id: i64) -> impl IntoView {
    let app = use_app();
    let state = Resource::new(move || site_id, load_reservation_state);
    let message = RwSignal::new(None::<String>);
    let choose =
        Action::new(move |status: &ReservationStatus| set_reservation_status(site_id, *status));
    let busy = choose.pending();
    // The answer is the new state: it replaces the loaded one without asking again.
    on_each_answer(choose, move |answer| match answer {
        Ok(new_state) => {
            message.set(None);
            state.set(Some(Ok(new_state)));
        }
        Err(error) => message.set(Some(app.handle_error(&error))),
    });
    let current = move || state.get().and_then(Result::ok);
    let status = move || current().map(|s| s.status);
    // Read piece by piece (not rebuilt on each answer), so the pressed button keeps the focus.
    view! {
        <section class="panel" aria-labelledby="reservation-title">
            <h2 id="reservation-title">{move || app.t().reservation_title}</h2>
            {move || message.get().map(|m| view! { <div class="alert" role="alert">{m}</div> })}
            <Suspense fallback=Loading>
                {move || state.get().and_then(Result::err).map(|error| view! { <LoadError error=error/> })}
                <Show when=move || current().is_some()>
                    <p role="status">
                        {move || app.t().reservation_current} " "
                        <strong>{move || status().map(|s| reservation_status_name(app.lang.get(), s))}</strong>
                        {move || current().and_then(|s| s.updated_at).map(|at| format!("（{} {}）", app.t().reservation_updated, short_time(&at)))}
                    </p>
                    <div class="choice-grid">
                        {ReservationStatus::ALL
                            .into_iter()
                            .map(|choice| view! {
                                <button
                                    type="button"
                                    class="choice"
                                    aria-pressed=move || if status() == Some(choice) { "true" } else { "false" }
                                    disabled=move || busy.get()
                                    on:click=move |_| { choose.dispatch(choice); }
                                >
                                    {move || reservation_status_name(app.lang.get(), choice)}
                                </button>
                            })
                            .collect_view()}
                    </div>
                </Show>
            </Suspense>
        </section>
    }
}

/// A municipality's sites counted by status, and the 未登録医療機関・接種会場.
#[component]
pub fn ReservationOverview(municipality: String) -> impl IntoView {
    let app = use_app();
    let summary = Resource::new(move || municipality.clone(), load_reservation_summary);
    view! {
        <section class="panel" aria-labelledby="overview-title">
            <h2 id="overview-title">{move || app.t().reservation_summary_title}</h2>
            <Suspense fallback=Loading>
                {loaded(summary, move |s| {
                    let unregistered = s.unregistered;
                    view! {
                        <dl class="counts">
                            {s.counts.iter().map(|(status, count)| {
                                let status = *status;
                                let count = *count;
                                view! {
                                    <div class="count">
                                        <dt>{move || reservation_status_name(app.lang.get(), status)}</dt>
                                        <dd>{count}</dd>
                                    </div>
                                }
                            }).collect_view()}
                        </dl>
                        <h3>{move || app.t().unregistered_sites}</h3>
                        {if unregistered.is_empty() {
                            view! { <p class="muted">{move || app.t().none_unregistered}</p> }.into_any()
                        } else {
                            view! {
                                <ul class="site-list" aria-label=move || app.t().unregistered_sites>
                                    {unregistered.into_iter().map(|site| view! { <li>{site.name}</li> }).collect_view()}
                                </ul>
                            }.into_any()
                        }}
                    }
                })}
            </Suspense>
        </section>
    }
}
