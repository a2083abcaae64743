//! コロナワクチンナビ: the public finder (no login). Searches 一般向け sites by prefecture,
//! municipality, vaccine and status, in 日本語, やさしい日本語 or English, 50 at a time: さらに表示
//! adds the next page.

use crate::api::{
    finder_options, finder_search, FinderChoices, FinderQuery, FinderSite, NamedChoice,
};
use crate::domain::ReservationStatus;
use crate::error::AppError;
use crate::i18n::finder::{booking_note, finder_status_name, FinderLang};
use crate::i18n::{app_error, short_time, Lang};
use crate::ui::context::use_app;
use leptos::prelude::*;

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

/// A site found, with the search it was found by (a new search renders its cards anew, even
/// for sites found before).
#[derive(Clone, Debug, PartialEq)]
struct Found {
    search: u32,
    site: FinderSite,
}

/// The choices of one select, from the loaded choices: its value, its name in `lang`, and
/// whether it is the one chosen.
fn options(
    choices: Option<Result<FinderChoices, AppError>>,
    list: fn(FinderChoices) -> Vec<NamedChoice>,
    lang: FinderLang,
    chosen: String,
) -> impl IntoView {
    choices
        .and_then(Result::ok)
        .map(list)
        .unwrap_or_default()
        .into_iter()
        .map(|choice| {
            let selected = choice.value == chosen;
            let name = name_of(&choice, lang);
            view! { <option value=choice.value selected=selected>{name}</option> }
        })
        .collect_view()
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
    // The choices follow the prefecture; <Transition> keeps the last ones shown while the next load.
    let choices = LocalResource::new(move || finder_options(Some(prefecture.get())));
    let found = RwSignal::new(None::<Vec<Found>>);
    let next = RwSignal::new(None::<FinderQuery>);
    let searches = RwSignal::new(0_u32);
    let message = RwSignal::new(None::<String>);
    // One page: the first of a new search replaces what was found; a later one (さらに表示) is
    // appended.
    let load_page = Action::new_local(move |query: &FinderQuery| {
        let query = query.clone();
        async move {
            let appending = query.after.is_some();
            match finder_search(query.clone()).await {
                Ok(page) => {
                    message.set(None);
                    if !appending {
                        searches.update(|n| *n += 1);
                    }
                    let search = searches.get_untracked();
                    let sites = page.sites.into_iter().map(|site| Found { search, site });
                    found.update(|found| match found {
                        Some(shown) if appending => shown.extend(sites),
                        _ => *found = Some(sites.collect()),
                    });
                    next.set(page.next.map(|cursor| query.after(cursor)));
                }
                Err(error) => message.set(Some(app.handle_error(&error))),
            }
        }
    });
    let loading = load_page.pending();
    Effect::new(move |_| {
        let ui = lang.get().ui();
        if app.lang.get_untracked() != ui {
            app.toggle_lang();
        }
    });
    let search = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if loading.get_untracked() {
            return;
        }
        load_page.dispatch(FinderQuery {
            prefecture: prefecture.get_untracked(),
            municipality: municipality.get_untracked(),
            vaccine: vaccine.get_untracked(),
            status: status.get_untracked(),
            after: None,
        });
    };
    let show_more = move |_| {
        if let Some(query) = next.get_untracked().filter(|_| !loading.get_untracked()) {
            load_page.dispatch(query);
        }
    };
    let t = move || lang.get().texts();
    let choices_error = move || {
        choices
            .get()
            .and_then(Result::err)
            .map(|error| view! { <div class="alert" role="alert">{app_error(lang.get().ui(), &error)}</div> })
    };
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
                <Transition fallback=move || view! { <p class="muted" role="status">{t().loading}</p> }>
                    {choices_error}
                    <form class="finder-form" on:submit=search>
                        <div class="field">
                            <label for="finder-prefecture">{move || t().prefecture}</label>
                            <select id="finder-prefecture" on:change=move |ev| {
                                if let Ok(code) = event_target_value(&ev).parse() {
                                    if code != prefecture.get_untracked() {
                                        municipality.set(String::new());
                                        prefecture.set(code);
                                    }
                                }
                            }>
                                {move || options(choices.get(), |c| c.prefectures, lang.get(), prefecture.get().to_string())}
                            </select>
                        </div>
                        <div class="field">
                            <label for="finder-municipality">{move || t().municipality}</label>
                            <select id="finder-municipality" on:change=move |ev| municipality.set(event_target_value(&ev))>
                                <option value="">{move || t().all}</option>
                                {move || options(choices.get(), |c| c.municipalities, lang.get(), municipality.get())}
                            </select>
                        </div>
                        <div class="field">
                            <label for="finder-vaccine">{move || t().vaccine}</label>
                            <select id="finder-vaccine" on:change=move |ev| vaccine.set(event_target_value(&ev))>
                                <option value="">{move || t().all}</option>
                                {move || options(choices.get(), |c| c.vaccines, lang.get(), vaccine.get())}
                            </select>
                        </div>
                        <div class="field">
                            <label for="finder-status">{move || t().status}</label>
                            <select id="finder-status" on:change=move |ev| status.set(event_target_value(&ev))>
                                <option value="">{move || t().all}</option>
                                {move || ReservationStatus::ALL.into_iter().map(|s| view! {
                                    <option value=s.as_str() selected=move || status.get() == s.as_str()>{finder_status_name(lang.get(), s)}</option>
                                }).collect_view()}
                            </select>
                        </div>
                        <button type="submit" class="button primary" disabled=move || loading.get()>{move || t().search_button}</button>
                    </form>
                </Transition>
                <Show when=move || found.with(Option::is_some)>
                    <section aria-labelledby="finder-results" aria-busy=move || loading.get().to_string()>
                        <h2 id="finder-results">
                            {move || format!("{} ({})", t().results, found.with(|f| f.as_ref().map_or(0, Vec::len)))}
                        </h2>
                        <Show when=move || found.with(|f| f.as_ref().is_some_and(Vec::is_empty))>
                            <p class="muted">{move || t().no_results}</p>
                        </Show>
                        <div class="finder-results">
                            <For
                                each=move || found.get().unwrap_or_default()
                                key=|found| (found.search, found.site.id)
                                let:found
                            >
                                {move || site_card(found.site.clone(), lang.get())}
                            </For>
                        </div>
                        <Show when=move || next.with(Option::is_some)>
                            <button type="button" class="button more" on:click=show_more disabled=move || loading.get()>
                                {move || t().more_button}
                            </button>
                        </Show>
                    </section>
                </Show>
            </main>
        </div>
    }
}
