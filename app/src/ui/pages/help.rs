//! お知らせ (ホーム's latest ten and 過去のお知らせ一覧), and the module of ナレッジ, the chatbot,
//! the 問い合わせフォーム and the service desk.

mod authoring;
mod chat;
mod inquiries;
mod knowledge;

pub use authoring::{NoticeAuthoringPage, PolicyPage};
pub use chat::ChatPage;
pub use inquiries::{DeskPage, InquiriesPage, InquiryPage};
pub use knowledge::{ArticlePage, KnowledgePage};

use crate::api::{home_notices, list_notices, mark_notice_read, NoticeView};
use crate::domain::help::{linkify, BodyPart};
use crate::i18n::help::help_texts;
use crate::ui::context::use_app;
use crate::ui::shell::{loaded, Loading};
use leptos::prelude::*;
use leptos_router::components::A;

/// A body of plain text with its addresses as links; nothing in it is ever HTML.
pub fn body_view(body: &str) -> impl IntoView {
    linkify(body)
        .into_iter()
        .map(|part| match part {
            BodyPart::Text(text) => text.into_any(),
            BodyPart::Link(url) => view! {
                <a href=url.clone() target="_blank" rel="noopener noreferrer">{url.clone()}</a>
            }
            .into_any(),
        })
        .collect_view()
}

/// One notice, opened on a click (which marks it read).
#[component]
fn NoticeItem(notice: NoticeView) -> impl IntoView {
    let app = use_app();
    let t = move || help_texts(app.lang.get());
    let read = RwSignal::new(notice.read);
    let id = notice.id;
    let open = move |_| {
        if !read.get_untracked() {
            read.set(true);
            leptos::task::spawn_local(async move {
                let _ = mark_notice_read(id).await;
            });
        }
    };
    view! {
        <li class="notice-item" class:unread=move || !read.get()>
            <details on:toggle=open>
                <summary>
                    <span class="notice-date">{notice.valid_from.clone()}</span>
                    {notice.important.then(|| view! { <span class="badge danger">{move || t().important}</span> })}
                    <Show when=move || !read.get()>
                        <span class="badge">{move || t().unread}</span>
                    </Show>
                    <span class="notice-title">{notice.title.clone()}</span>
                </summary>
                <div class="notice-body">
                    <p class="pre-line">{body_view(&notice.body)}</p>
                    <p class="muted">
                        {move || t().author} ": " {notice.author.clone()} " ／ " {move || t().period} ": "
                        {format!("{} – {}", notice.valid_from, notice.valid_until)}
                    </p>
                </div>
            </details>
        </li>
    }
}

fn notice_list(notices: Vec<NoticeView>) -> impl IntoView {
    let app = use_app();
    if notices.is_empty() {
        return view! { <p class="muted">{move || help_texts(app.lang.get()).no_notices}</p> }
            .into_any();
    }
    view! {
        <ul class="notice-list">
            {notices.into_iter().map(|notice| view! { <NoticeItem notice/> }).collect_view()}
        </ul>
    }
    .into_any()
}

/// ホーム's お知らせ: the ten latest valid notices for the user, and the way to all of them.
#[component]
pub fn HomeNotices() -> impl IntoView {
    let app = use_app();
    let t = move || help_texts(app.lang.get());
    let page = Resource::new(|| (), |_| home_notices());
    view! {
        <section class="panel notices" aria-labelledby="notices-title">
            <h2 id="notices-title">{move || t().notices}</h2>
            <Suspense fallback=Loading>
                {loaded(page, |page| notice_list(page.notices))}
            </Suspense>
            <div class="task-grid">
                <A href="/notices" attr:class="button secondary">{move || t().past_notices}</A>
                <A href="/chat" attr:class="task-button">{move || t().chat_button}</A>
            </div>
        </section>
    }
}

/// `/notices`: 過去のお知らせ一覧, every valid notice for the user, searchable, 20 a page.
#[component]
pub fn NoticesPage() -> impl IntoView {
    let app = use_app();
    let t = move || help_texts(app.lang.get());
    let typed = RwSignal::new(String::new());
    let query = RwSignal::new(String::new());
    let page = RwSignal::new(0u32);
    let notices = Resource::new(
        move || (query.get(), page.get()),
        |(q, p)| list_notices(q, p),
    );
    view! {
        <h1>{move || t().past_title}</h1>
        <form class="search-row" role="search" on:submit=move |ev| {
            ev.prevent_default();
            page.set(0);
            query.set(typed.get_untracked());
        }>
            <label for="notice-search" class="visually-hidden">{move || t().notice_search}</label>
            <input id="notice-search" type="search" placeholder=move || t().notice_search bind:value=typed/>
            <button type="submit" class="button primary">{move || t().search}</button>
        </form>
        <Transition fallback=Loading>
            {loaded(notices, move |found| {
                let pages = found.total.div_ceil(20).max(1);
                view! {
                    <p class="muted">{found.total} {move || t().count_unit} " ／ " {move || t().unread} " " {found.unread}</p>
                    {notice_list(found.notices)}
                    <nav class="pager" aria-label="pages">
                        <button type="button" class="button secondary" disabled=move || page.get() == 0
                            on:click=move |_| page.update(|p| *p = p.saturating_sub(1))>{move || t().prev}</button>
                        <span>{move || format!("{} / {pages}", page.get() + 1)}</span>
                        <button type="button" class="button secondary" disabled=move || page.get() + 1 >= pages
                            on:click=move |_| page.update(|p| *p += 1)>{move || t().next}</button>
                    </nav>
                }
            })}
        </Transition>
    }
}

/// An article's body: its paragraphs (separated by blank lines), each with its links.
pub fn body_paragraphs(body: &str) -> impl IntoView {
    body.split("\n\n")
        .filter(|p| !p.trim().is_empty())
        .map(|p| view! { <p class="pre-line">{body_view(p.trim())}</p> })
        .collect_view()
}
