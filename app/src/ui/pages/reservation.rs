//! 予約の受付情報の変更 (on the home of a site, or of a municipality acting for it), and the
//! municipality's overview of its sites' statuses with the 未登録 list.

use crate::api::{
    load_reservation_state, load_reservation_summary, set_reservation_status, ReservationState,
    ReservationSummary,
};
use crate::domain::ReservationStatus;
use crate::i18n::{reservation_status_name, short_time};
use crate::ui::context::use_app;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// The site's current status and one large button per status.
#[component]
pub fn ReservationPanel(site_id: i64) -> impl IntoView {
    let app = use_app();
    let state = RwSignal::new(None::<ReservationState>);
    let message = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    spawn_local(async move {
        match load_reservation_state(site_id).await {
            Ok(s) => state.set(Some(s)),
            Err(error) => message.set(Some(app.handle_error(&error))),
        }
    });
    let choose = move |status: ReservationStatus| {
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        spawn_local(async move {
            match set_reservation_status(site_id, status).await {
                Ok(s) => {
                    message.set(None);
                    state.set(Some(s));
                }
                Err(error) => message.set(Some(app.handle_error(&error))),
            }
            busy.set(false);
        });
    };
    let current = move || state.get().map(|s| s.status);
    view! {
        <section class="panel" aria-labelledby="reservation-title">
            <h2 id="reservation-title">{move || app.t().reservation_title}</h2>
            {move || message.get().map(|m| view! { <div class="alert" role="alert">{m}</div> })}
            <p role="status">
                {move || app.t().reservation_current} " "
                <strong>{move || current().map(|s| reservation_status_name(app.lang.get(), s)).unwrap_or_default()}</strong>
                {move || state.get().and_then(|s| s.updated_at).map(|at| format!("（{} {}）", app.t().reservation_updated, short_time(&at)))}
            </p>
            <div class="choice-grid">
                {ReservationStatus::ALL
                    .into_iter()
                    .map(|status| view! {
                        <button
                            type="button"
                            class="choice"
                            aria-pressed=move || if current() == Some(status) { "true" } else { "false" }
                            disabled=move || busy.get()
                            on:click=move |_| choose(status)
                        >
                            {move || reservation_status_name(app.lang.get(), status)}
                        </button>
                    })
                    .collect_view()}
            </div>
        </section>
    }
}

/// A municipality's sites counted by status, and the 未登録医療機関・接種会場.
#[component]
pub fn ReservationOverview(municipality: String) -> impl IntoView {
    let app = use_app();
    let summary = RwSignal::new(None::<ReservationSummary>);
    let message = RwSignal::new(None::<String>);
    spawn_local(async move {
        match load_reservation_summary(municipality).await {
            Ok(s) => summary.set(Some(s)),
            Err(error) => message.set(Some(app.handle_error(&error))),
        }
    });
    view! {
        <section class="panel" aria-labelledby="overview-title">
            <h2 id="overview-title">{move || app.t().reservation_summary_title}</h2>
            {move || message.get().map(|m| view! { <div class="alert" role="alert">{m}</div> })}
            {move || summary.get().map(|s| {
                let unregistered = s.unregistered.clone();
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
        </section>
    }
}
