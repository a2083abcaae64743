//! 医療機関・接種会場の詳細 (read view with its doctors, pending request and history) and
//! 医療機関・接種会場の編集 (the whole form, checked as the user types, kept as a draft in the
//! browser until saved), and what they share with the doctor and request pages.

mod detail;
mod edit;

pub use detail::SiteDetailPage;
pub use edit::SiteEditPage;

use crate::api::{Choice, SiteRecordView, SiteRef};
use crate::domain::FieldChange;
use crate::i18n::fields::GivenOptions;
use crate::i18n::site::{
    display_value, field_label, request_status_name, site_options, site_texts,
};
use crate::i18n::{short_time, Lang};
use crate::ui::context::use_app;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

/// The `:id` of the route, followed as it changes (an unknown id reads as 0, which no site has).
pub(super) fn use_site_id() -> Memo<i64> {
    route_id("id")
}

/// The route parameter `name` as an id, followed as it changes; `None` when absent.
pub(super) fn route_param(name: &'static str) -> Memo<Option<i64>> {
    let params = use_params_map();
    Memo::new(move |_| params.with(|p| p.get(name).and_then(|id| id.parse().ok())))
}

/// The route parameter `name` as an id, followed as it changes (an unknown id reads as 0, which
/// nothing has).
pub(super) fn route_id(name: &'static str) -> Memo<i64> {
    let param = route_param(name);
    Memo::new(move |_| param.get().unwrap_or_default())
}

/// The lists the record's choices offer, from the record as loaded.
pub(super) fn given_options(view: &SiteRecordView) -> GivenOptions {
    site_options(&view.vaccines, &view.basic_sites)
}

/// A change list (pending request, conflict) as a small table.
pub(super) fn changes_table(
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
