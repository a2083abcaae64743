//! コロナワクチンナビ: the public finder (no login). Searches 一般向け sites by prefecture,
//! municipality, vaccine and status, in 日本語, やさしい日本語 or English.

use crate::api::{
    finder_options, finder_search, FinderChoices, FinderQuery, FinderResult, FinderSite,
    NamedChoice,
};
use crate::domain::ReservationStatus;
use crate::i18n::finder::{booking_note, finder_status_name, FinderLang};
use crate::i18n::{short_time, Lang};
use crate::ui::context::use_app;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// `preferred` when given, else the Japanese text.
fn or_japanese(preferred: &str, japanese: &str) -> String {
    if preferred.trim().is_empty() {
        japanese.to_string()
    } else {
        preferred.to_string()
    }
}

fn name_of(choice: &NamedChoice, lang: FinderLang) -> String {
    match lang {
        FinderLang::English => or_japanese(&choice.en, &choice.ja),
        _ => choice.ja.clone(),
    }
}

fn site_card(site: FinderSite, lang: FinderLang) -> impl IntoView {
    let t = lang.texts();
    let title = match lang {
        FinderLang::English => or_japanese(&site.name_en, &site.name),
        _ => site.name.clone(),
    };
    let reading =
        (lang != FinderLang::English && !site.name_kana.is_empty()).then(|| site.name_kana.clone());
    let notice = match lang {
        FinderLang::Japanese => site.notice.clone(),
        FinderLang::Easy => or_japanese(&site.notice_easy, &site.notice),
        FinderLang::English => or_japanese(&site.notice_en, &site.notice),
    };
    let hours = match lang {
        FinderLang::English => or_japanese(&site.hours_en, &site.hours),
        _ => site.hours.clone(),
    };
    // The street part is as the site wrote it; the municipality and prefecture are translated.
    let address = match lang {
        FinderLang::English => format!(
            "{}, {} {}",
            site.address, site.municipality_en, site.postal_code
        ),
        _ => format!(
            "〒{} {} {}",
            site.postal_code, site.municipality, site.address
        ),
    };
    let status = ReservationStatus::parse(&site.status).unwrap_or(ReservationStatus::Unregistered);
    let vaccines = site
        .vaccines
        .iter()
        .map(|v| name_of(v, lang))
        .collect::<Vec<_>>()
        .join(", ");
    let line = |label: &'static str, value: String| {
        (!value.is_empty())
            .then(|| view! { <div class="row"><dt>{label}</dt><dd>{value}</dd></div> })
    };
    let article_label = title.clone();
    view! {
        <article class="finder-site" aria-label=article_label>
            <h3>{title}</h3>
            {reading.map(|r| view! { <p class="muted">{r}</p> })}
            <p class="status">
                <strong>{finder_status_name(lang, status)}</strong>
                {site.status_updated_at.clone().map(|at| format!(" {}: {}", t.updated_at, short_time(&at)))}
            </p>
            {site.stale.then(|| view! { <p class="stale" role="note">{t.stale_mark}</p> })}
            <dl class="record">
                {line(t.address, address)}
                {line(t.vaccines, vaccines)}
                {line(t.reservation_phone, if site.phone.is_empty() { String::new() } else { format!("{}{}", site.phone, booking_note(lang, &site.booking_phone)) })}
                {(!site.url.is_empty()).then(|| view! {
                    <div class="row"><dt>{t.reservation_web}</dt><dd>
                        <a href=site.url.clone() rel="noopener noreferrer" target="_blank">{site.url.clone()}</a>
                        {booking_note(lang, &site.booking_web)}
                    </dd></div>
                })}
                {line(t.hours, hours)}
                {(!site.homepage.is_empty()).then(|| view! {
                    <div class="row"><dt>{t.homepage}</dt><dd><a href=site.homepage.clone() rel="noopener noreferrer" target="_blank">{site.homepage.clone()}</a></dd></div>
                })}
                {line(t.parking, site.parking.clone())}
                {line(t.notice, notice)}
            </dl>
        </article>
    }
}

/// The public finder.
#[component]
pub fn FinderPage() -> impl IntoView {
    let app = use_app();
    let lang = RwSignal::new(match app.lang.get_untracked() {
        Lang::En => FinderLang::English,
        Lang::Ja => FinderLang::Japanese,
    });
    let prefecture = RwSignal::new(13_u8);
    let municipality = RwSignal::new(String::new());
    let vaccine = RwSignal::new(String::new());
    let status = RwSignal::new(String::new());
    let choices = RwSignal::new(FinderChoices::default());
    let result = RwSignal::new(None::<FinderResult>);
    let message = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    Effect::new(move |_| {
        let code = prefecture.get();
        municipality.set(String::new());
        spawn_local(async move {
            match finder_options(Some(code)).await {
                Ok(c) => choices.set(c),
                Err(error) => message.set(Some(app.handle_error(&error))),
            }
        });
    });
    Effect::new(move |_| {
        let ui = lang.get().ui();
        if app.lang.get_untracked() != ui {
            app.toggle_lang();
        }
    });
    let search = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let query = FinderQuery {
            prefecture: prefecture.get_untracked(),
            municipality: municipality.get_untracked(),
            vaccine: vaccine.get_untracked(),
            status: status.get_untracked(),
        };
        busy.set(true);
        spawn_local(async move {
            match finder_search(query).await {
                Ok(r) => {
                    message.set(None);
                    result.set(Some(r));
                }
                Err(error) => message.set(Some(app.handle_error(&error))),
            }
            busy.set(false);
        });
    };
    let t = move || lang.get().texts();
    view! {
        <div class="public finder">
            <header class="public-header">
                <div class="brand">
                    <span class="brand-name">{move || t().title}</span>
                </div>
                <div class="field inline">
                    <label for="finder-language">{move || t().language}</label>
                    <select id="finder-language" on:change=move |ev| {
                        lang.set(FinderLang::from_value(&event_target_value(&ev)));
                    }>
                        {FinderLang::ALL
                            .into_iter()
                            .map(|l| view! { <option value=l.value() lang=l.ui().tag() selected=move || lang.get() == l>{l.own_name()}</option> })
                            .collect_view()}
                    </select>
                </div>
            </header>
            <main class="card wide">
                <h1>{move || t().title}</h1>
                <p>{move || t().intro}</p>
                {move || message.get().map(|m| view! { <div class="alert" role="alert">{m}</div> })}
                <form class="finder-form" on:submit=search>
                    <div class="field">
                        <label for="finder-prefecture">{move || t().prefecture}</label>
                        <select id="finder-prefecture" on:change=move |ev| {
                            if let Ok(code) = event_target_value(&ev).parse() { prefecture.set(code) }
                        }>
                            {move || choices.get().prefectures.into_iter().map(|p| {
                                let selected = p.value == prefecture.get().to_string();
                                let name = name_of(&p, lang.get());
                                view! { <option value=p.value selected=selected>{name}</option> }
                            }).collect_view()}
                        </select>
                    </div>
                    <div class="field">
                        <label for="finder-municipality">{move || t().municipality}</label>
                        <select id="finder-municipality" on:change=move |ev| municipality.set(event_target_value(&ev))>
                            <option value="">{move || t().all}</option>
                            {move || choices.get().municipalities.into_iter().map(|m| {
                                let name = name_of(&m, lang.get());
                                view! { <option value=m.value>{name}</option> }
                            }).collect_view()}
                        </select>
                    </div>
                    <div class="field">
                        <label for="finder-vaccine">{move || t().vaccine}</label>
                        <select id="finder-vaccine" on:change=move |ev| vaccine.set(event_target_value(&ev))>
                            <option value="">{move || t().all}</option>
                            {move || choices.get().vaccines.into_iter().map(|v| {
                                let name = name_of(&v, lang.get());
                                view! { <option value=v.value>{name}</option> }
                            }).collect_view()}
                        </select>
                    </div>
                    <div class="field">
                        <label for="finder-status">{move || t().status}</label>
                        <select id="finder-status" on:change=move |ev| status.set(event_target_value(&ev))>
                            <option value="">{move || t().all}</option>
                            {move || ReservationStatus::ALL.into_iter().map(|s| view! {
                                <option value=s.as_str()>{finder_status_name(lang.get(), s)}</option>
                            }).collect_view()}
                        </select>
                    </div>
                    <button type="submit" class="button primary" disabled=move || busy.get()>{move || t().search_button}</button>
                </form>
                {move || result.get().map(|r| {
                    let current = lang.get();
                    let t = current.texts();
                    view! {
                        <section aria-labelledby="finder-results">
                            <h2 id="finder-results">{t.results} " (" {r.sites.len()} ")"</h2>
                            {r.more.then(|| view! { <p class="muted">{t.more_results}</p> })}
                            {r.sites.is_empty().then(|| view! { <p class="muted">{t.no_results}</p> })}
                            <div class="finder-results">
                                {r.sites.into_iter().map(|s| site_card(s, current)).collect_view()}
                            </div>
                        </section>
                    }
                })}
            </main>
        </div>
    }
}
