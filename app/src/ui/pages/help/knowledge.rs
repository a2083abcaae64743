//! `/knowledge` (ナレッジ: 記事, ナレッジを検索..., 対象者, 情報種類, すべての記事タイプ with 適用,
//! キャンセル and リセット, as in seed 000) and `/knowledge/:number`, an article with its
//! attachment's versions.

use crate::api::{load_article, search_articles, upload_article_file, ArticleQuery, ArticleView};
use crate::domain::help::files::human_size;
use crate::domain::help::{ArticleCategory, ArticleKind, AUDIENCES};
use crate::domain::Role;
use crate::i18n::help::{category_name, help_texts, kind_name};
use crate::i18n::role_name;
use crate::ui::context::use_app;
use crate::ui::download::chosen_file;
use crate::ui::shell::{loaded, Loading};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

/// The filters being chosen, applied only by 適用.
#[derive(Clone, Copy, Default, PartialEq)]
struct Filters {
    audience: Option<Role>,
    category: Option<ArticleCategory>,
    kind: Option<ArticleKind>,
}

/// `/knowledge`.
#[component]
pub fn KnowledgePage() -> impl IntoView {
    let app = use_app();
    let t = move || help_texts(app.lang.get());
    let typed = RwSignal::new(String::new());
    let text = RwSignal::new(String::new());
    let applied = RwSignal::new(Filters::default());
    let draft = RwSignal::new(Filters::default());
    let articles = Resource::new(
        move || (text.get(), applied.get()),
        |(text, f)| {
            search_articles(ArticleQuery {
                text,
                audience: f.audience,
                category: f.category,
                kind: f.kind,
            })
        },
    );
    let select = move |id: &'static str,
                       label: Signal<String>,
                       options: Vec<(String, String)>,
                       get: fn(&Filters) -> String,
                       set: fn(&mut Filters, &str)| {
        view! {
            <div class="field">
                <label for=id>{move || label.get()}</label>
                <select id=id prop:value=move || get(&draft.get())
                    on:change=move |ev| draft.update(|f| set(f, &event_target_value(&ev)))>
                    {options.into_iter().map(|(value, name)| view! { <option value=value>{name}</option> }).collect_view()}
                </select>
            </div>
        }
    };
    let filters = move || {
        let lang = app.lang.get();
        let t = help_texts(lang);
        let all = || (String::new(), t.all.to_string());
        let mut audiences = vec![all()];
        audiences.extend(
            AUDIENCES
                .iter()
                .map(|r| (r.as_str().to_string(), role_name(lang, *r).to_string())),
        );
        let mut categories = vec![all()];
        categories.extend(
            ArticleCategory::ALL
                .iter()
                .map(|c| (c.as_str().to_string(), category_name(lang, *c).to_string())),
        );
        let mut kinds = vec![(String::new(), t.article_type.to_string())];
        kinds.extend(
            ArticleKind::ALL
                .iter()
                .map(|k| (k.as_str().to_string(), kind_name(lang, *k).to_string())),
        );
        view! {
            {select("filter-audience", Signal::derive(move || help_texts(app.lang.get()).audience.to_string()), audiences,
                |f| f.audience.map(|r| r.as_str().to_string()).unwrap_or_default(),
                |f, v| f.audience = Role::parse(v).ok())}
            {select("filter-category", Signal::derive(move || help_texts(app.lang.get()).info_type.to_string()), categories,
                |f| f.category.map(|c| c.as_str().to_string()).unwrap_or_default(),
                |f, v| f.category = ArticleCategory::parse(v).ok())}
            {select("filter-kind", Signal::derive(move || help_texts(app.lang.get()).article_type.to_string()), kinds,
                |f| f.kind.map(|k| k.as_str().to_string()).unwrap_or_default(),
                |f, v| f.kind = ArticleKind::parse(v).ok())}
        }
    };
    view! {
        <h1>{move || t().knowledge}</h1>
        <form class="search-row" role="search" on:submit=move |ev| {
            ev.prevent_default();
            text.set(typed.get_untracked());
        }>
            <label for="knowledge-search" class="visually-hidden">{move || t().search_placeholder}</label>
            <input id="knowledge-search" type="search" placeholder=move || t().search_placeholder bind:value=typed/>
            <button type="submit" class="button primary">{move || t().search}</button>
        </form>
        <div class="panel filters">
            {filters}
            <div class="form-actions">
                <button type="button" class="button primary" on:click=move |_| applied.set(draft.get_untracked())>{move || t().apply}</button>
                <button type="button" class="button secondary" on:click=move |_| draft.set(applied.get_untracked())>{move || t().cancel}</button>
                <button type="button" class="button secondary" on:click=move |_| {
                    draft.set(Filters::default());
                    applied.set(Filters::default());
                    typed.set(String::new());
                    text.set(String::new());
                }>{move || t().reset}</button>
            </div>
        </div>
        <h2>{move || t().articles}</h2>
        <Transition fallback=Loading>
            {loaded(articles, move |list| {
                let lang = app.lang.get_untracked();
                if list.is_empty() {
                    return view! { <p class="muted">{help_texts(lang).no_articles}</p> }.into_any();
                }
                view! {
                    <ul class="article-list">
                        {list.into_iter().map(|a| view! {
                            <li>
                                <A href=format!("/knowledge/{}", a.number)>{a.title.clone()}</A>
                                <p class="muted">{format!("{} • {} • {} {}", a.number, kind_name(lang, a.kind), help_texts(lang).published, a.published_on)}</p>
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            })}
        </Transition>
    }
}

/// `/knowledge/:number`.
#[component]
pub fn ArticlePage() -> impl IntoView {
    let params = use_params_map();
    let number = move || params.read().get("number").unwrap_or_default();
    let article = Resource::new(number, load_article);
    view! {
        <Transition fallback=Loading>
            {loaded(article, |article| view! { <Article article/> })}
        </Transition>
    }
}

#[component]
fn Article(article: ArticleView) -> impl IntoView {
    let app = use_app();
    let t = move || help_texts(app.lang.get());
    let article = RwSignal::new(article);
    let show_all = RwSignal::new(false);
    let uploading = RwSignal::new(false);
    let message = RwSignal::new(None::<String>);
    let upload = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let number = article.get_untracked().summary.number;
        uploading.set(true);
        leptos::task::spawn_local(async move {
            let lang = app.lang.get_untracked();
            let result = match chosen_file("article-file").await {
                Some(file) => upload_article_file(number, file).await,
                None => Err(crate::error::AppError::Validation({
                    let mut e = crate::error::FieldErrors::new();
                    e.add("file", crate::error::FieldError::Required);
                    e
                })),
            };
            uploading.set(false);
            match result {
                Ok(view) => {
                    article.set(view);
                    message.set(Some(help_texts(lang).uploaded.to_string()));
                }
                Err(crate::error::AppError::Validation(errors)) => {
                    message.set(
                        errors
                            .get("file")
                            .map(|e| crate::i18n::errors::field_error(lang, e)),
                    );
                }
                Err(error) => message.set(Some(crate::i18n::errors::app_error(lang, &error))),
            }
        });
    };
    view! {
        {move || {
            let a = article.get();
            let lang = app.lang.get();
            let audiences: Vec<&str> = a.audiences.iter().map(|r| role_name(lang, *r)).collect();
            view! {
                <p><A href="/knowledge">{help_texts(lang).back_to_knowledge}</A></p>
                <h1>{a.summary.title.clone()}</h1>
                <p class="muted">{format!("{} • {} • {} {} • {} {} • {} {}",
                    a.summary.number, kind_name(lang, a.summary.kind), help_texts(lang).published, a.summary.published_on,
                    help_texts(lang).info_type, category_name(lang, a.category),
                    help_texts(lang).audience, audiences.join("・"))}</p>
                <div class="article-body">
                    {crate::ui::pages::help::body_paragraphs(&a.body)}
                </div>
                {a.versions.first().cloned().map(|latest| {
                    let others = a.versions.clone();
                    view! {
                        <section class="panel attachment" aria-label=help_texts(lang).file>
                            <h2>{latest.name.clone()}</h2>
                            <a class="button primary" href=format!("/files/{}", latest.file_id) download=latest.name.clone()>
                                {format!("{} {} ({})", help_texts(lang).download, latest.media_type.label(), human_size(latest.size))}
                            </a>
                            <dl class="facts">
                                <dt>{help_texts(lang).owner}</dt><dd>{latest.owner.clone()}</dd>
                                <dt>{help_texts(lang).updated}</dt><dd>{latest.uploaded_on.clone()}</dd>
                                <dt>{help_texts(lang).version}</dt><dd>{latest.version}</dd>
                            </dl>
                            <button type="button" class="button secondary" aria-expanded=move || show_all.get().to_string()
                                on:click=move |_| show_all.update(|s| *s = !*s)>{help_texts(lang).all_versions}</button>
                            <Show when=move || show_all.get()>
                                <ul class="versions">
                                    {others.iter().map(|v| view! {
                                        <li>
                                            <a href=format!("/files/{}", v.file_id) download=v.name.clone()>
                                                {format!("{} {} — {} ({}) {} {}", help_texts(lang).version, v.version, v.name, human_size(v.size), v.owner, v.uploaded_on)}
                                            </a>
                                        </li>
                                    }).collect_view()}
                                </ul>
                            </Show>
                        </section>
                    }
                })}
            }
        }}
        <Show when=move || article.get().can_upload>
            <form class="panel" on:submit=upload>
                <h2>{move || t().upload_title}</h2>
                <div class="field">
                    <label for="article-file">{move || t().file}</label>
                    <input id="article-file" type="file" accept=".pdf,.mp4,application/pdf,video/mp4"/>
                </div>
                {move || message.get().map(|m| view! { <p role="status">{m}</p> })}
                <button type="submit" class="button primary" disabled=move || uploading.get()>{move || t().upload}</button>
            </form>
        </Show>
    }
}
