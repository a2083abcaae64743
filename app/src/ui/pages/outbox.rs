//! The development outbox: mail kept while no SMTP server is configured.

use super::PublicFrame;
use crate::api::dev_outbox;
use crate::ui::context::use_app;
use crate::ui::shell::{loaded, Loading};
use leptos::prelude::*;

/// Lists the kept mails; links in them are clickable.
#[component]
pub fn OutboxPage() -> impl IntoView {
    let app = use_app();
    let mails = Resource::new(|| (), |_| dev_outbox());
    let title = Signal::derive(move || app.t().outbox_title.to_string());
    view! {
        <PublicFrame title=title>
            <p>{move || app.t().outbox_intro}</p>
            <Suspense fallback=Loading>
                {loaded(mails, move |list| {
                    if list.is_empty() {
                        return view! { <p class="muted">{move || app.t().outbox_empty}</p> }.into_any();
                    }
                    list.into_iter().map(|m| view! {
                        <article class="mail">
                            <h2>{m.subject.clone()}</h2>
                            <p class="muted">{format!("{} → {}", crate::i18n::short_time(&m.at), m.to)}</p>
                            <div class="mail-body">
                                {m.body.lines().map(|line| {
                                    let line = line.to_string();
                                    if line.starts_with("http") {
                                        view! { <p><a href=line.clone()>{line.clone()}</a></p> }.into_any()
                                    } else {
                                        view! { <p>{line}</p> }.into_any()
                                    }
                                }).collect_view()}
                            </div>
                        </article>
                    }).collect_view().into_any()
                })}
            </Suspense>
        </PublicFrame>
    }
}
