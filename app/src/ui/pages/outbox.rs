//! The development outbox: mail kept while no SMTP server is configured.

use super::PublicFrame;
use crate::api::{dev_outbox, OutboxMail};
use crate::ui::context::use_app;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// Lists the kept mails; links in them are clickable.
#[component]
pub fn OutboxPage() -> impl IntoView {
    let app = use_app();
    let mails = RwSignal::new(None::<Vec<OutboxMail>>);
    let message = RwSignal::new(None::<String>);
    spawn_local(async move {
        match dev_outbox().await {
            Ok(list) => mails.set(Some(list)),
            Err(error) => message.set(Some(app.handle_error(&error))),
        }
    });
    let title = Signal::derive(move || app.t().outbox_title.to_string());
    view! {
        <PublicFrame title=title>
            <p>{move || app.t().outbox_intro}</p>
            {move || message.get().map(|m| view! { <div class="alert" role="alert">{m}</div> })}
            {move || mails.get().filter(|list| list.is_empty()).map(|_| view! { <p class="muted">{move || app.t().outbox_empty}</p> })}
            {move || mails.get().map(|list| list.into_iter().map(|m| view! {
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
            }).collect_view())}
        </PublicFrame>
    }
}
