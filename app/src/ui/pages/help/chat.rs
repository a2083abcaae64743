//! `/chat`: the AI自動応答チャットボット (24時間対応). It answers from ナレッジ on the server; when
//! the match is weak it says so and offers the 問い合わせフォーム with the question carried over.

use crate::api::{ask_chatbot, ChatAnswer};
use crate::i18n::help::{help_texts, kind_name};
use crate::ui::context::use_app;
use leptos::prelude::*;
use leptos_router::components::A;

/// `/chat`.
#[component]
pub fn ChatPage() -> impl IntoView {
    let app = use_app();
    let t = move || help_texts(app.lang.get());
    let typed = RwSignal::new(String::new());
    let answers = RwSignal::new(Vec::<ChatAnswer>::new());
    let failed = RwSignal::new(None::<String>);
    let ask = Action::new(|question: &String| ask_chatbot(question.clone()));
    let pending = ask.pending();
    crate::ui::form::on_each_answer(ask, move |answer| match answer {
        Ok(answer) => {
            failed.set(None);
            answers.update(|list| list.push(answer));
            typed.set(String::new());
        }
        Err(error) => failed.set(Some(crate::i18n::errors::app_error(
            app.lang.get_untracked(),
            &error,
        ))),
    });
    view! {
        <h1>{move || t().chat_title}</h1>
        <p class="muted">{move || t().chat_intro}</p>
        <ol class="chat-log" aria-live="polite">
            {move || answers.get().into_iter().map(|answer| {
                let lang = app.lang.get();
                let t = help_texts(lang);
                let form_link = format!("/inquiries?q={}", crate::text::percent_encode(&answer.question));
                view! {
                    <li class="chat-question"><strong>{t.you}</strong>": "{answer.question.clone()}</li>
                    <li class="chat-answer">
                        {if answer.answered {
                            view! {
                                <p>{t.chat_found}</p>
                                <blockquote class="pre-line">{crate::ui::pages::help::body_view(answer.passage.as_deref().unwrap_or_default())}</blockquote>
                                {answer.articles.first().map(|a| view! {
                                    <p><A href=format!("/knowledge/{}", a.number)>{format!("{}: {}", t.read_article, a.title)}</A></p>
                                })}
                            }.into_any()
                        } else {
                            view! { <p role="status">{t.chat_not_found}</p> }.into_any()
                        }}
                        {(answer.articles.len() > usize::from(answer.answered)).then(|| view! {
                            <p class="muted">{t.related}</p>
                            <ul>
                                {answer.articles.iter().skip(usize::from(answer.answered)).map(|a| view! {
                                    <li><A href=format!("/knowledge/{}", a.number)>{format!("{} ({})", a.title, kind_name(lang, a.kind))}</A></li>
                                }).collect_view()}
                            </ul>
                        })}
                        <p>{t.unresolved} " "<A href=form_link attr:class="button secondary">{t.inquiry_form}</A></p>
                    </li>
                }
            }).collect_view()}
        </ol>
        {move || failed.get().map(|m| view! { <div class="alert" role="alert">{m}</div> })}
        <form class="chat-form" on:submit=move |ev| {
            ev.prevent_default();
            let question = typed.get_untracked();
            if !question.trim().is_empty() {
                ask.dispatch(question);
            }
        }>
            <label for="chat-question">{move || t().question}</label>
            <textarea id="chat-question" rows="2" prop:value=move || typed.get()
                on:input=move |ev| typed.set(event_target_value(&ev))></textarea>
            <button type="submit" class="button primary" disabled=move || pending.get()>{move || t().ask}</button>
        </form>
    }
}
