//! `/master/prices`: 単価マスタ. Everyone who bills reads the prices; national users add the
//! prices that apply from a day on (today or later: a bill already submitted keeps its own).

use crate::api::{list_unit_prices, save_unit_prices};
use crate::domain::billing::{PriceForm, UnitPrices};
use crate::domain::Role;
use crate::i18n::billing::{billing_texts, grouped};
use crate::ui::context::use_app;
use crate::ui::form::{FormMessage, FormState, TextField};
use crate::ui::shell::{loaded, Loading};
use leptos::prelude::*;

/// `/master/prices`.
#[component]
pub fn PricesPage() -> impl IntoView {
    let app = use_app();
    let t = move || billing_texts(app.lang.get());
    let prices = Resource::new(|| (), |_| list_unit_prices());
    view! {
        <h1>{move || t().prices_title}</h1>
        <p class="muted">{move || t().prices_note}</p>
        <Transition fallback=Loading>
            {loaded(prices, |prices| view! { <Prices prices/> })}
        </Transition>
    }
}

#[component]
fn Prices(prices: Vec<UnitPrices>) -> impl IntoView {
    let app = use_app();
    let t = move || billing_texts(app.lang.get());
    let prices = RwSignal::new(prices);
    let keeper = move || {
        app.session
            .get()
            .is_some_and(|s| matches!(s.role, Role::National | Role::Admin))
    };
    let values: [RwSignal<String>; 5] = std::array::from_fn(|_| RwSignal::new(String::new()));
    let form = move || {
        let [applies_from, vaccination, screening_only, after_hours, holiday] =
            values.map(|v| v.get());
        PriceForm {
            applies_from,
            vaccination,
            screening_only,
            after_hours,
            holiday,
        }
    };
    let state = FormState::new();
    let notice = RwSignal::new(None::<String>);
    let save = state
        .action(|form: &PriceForm| save_unit_prices(form.clone()))
        .on_success(move |saved| {
            prices.set(saved);
            notice.set(Some(
                billing_texts(app.lang.get_untracked())
                    .price_saved
                    .to_string(),
            ));
        });
    let today = crate::domain::jst_date(chrono::Utc::now());
    let client = Memo::new(move |_| form().validate(today).err().unwrap_or_default());
    const KEYS: [&str; 5] = [
        "applies_from",
        "vaccination",
        "screening_only",
        "after_hours",
        "holiday",
    ];
    let fields = move || {
        KEYS.iter()
            .enumerate()
            .map(|(i, key)| {
                let key: &'static str = key;
                let label = move || {
                    let t = t();
                    [
                        t.applies_from,
                        t.price_vaccination,
                        t.price_screening,
                        t.price_after_hours,
                        t.price_holiday,
                    ][i]
                        .to_string()
                };
                view! {
                    <TextField
                        id=format!("price-{key}")
                        label=Signal::derive(label)
                        value=values[i]
                        on_input=Callback::new(move |_| state.edited(key))
                        on_blur=Callback::new(move |_| state.touch(key))
                        error=Signal::derive(move || state.error(key, &client.get()))
                        inputmode=if i == 0 { "text" } else { "numeric" }
                    />
                }
            })
            .collect_view()
    };
    let rows = move || {
        prices
            .get()
            .into_iter()
            .rev()
            .map(|p| {
                view! {
                    <tr>
                        <td>{p.applies_from.to_string()}</td>
                        <td class="num">{grouped(p.vaccination)}</td>
                        <td class="num">{grouped(p.screening_only)}</td>
                        <td class="num">{grouped(p.after_hours)}</td>
                        <td class="num">{grouped(p.holiday)}</td>
                    </tr>
                }
            })
            .collect_view()
    };
    view! {
        {move || notice.get().map(|m| view! { <div class="notice" role="status">{m}</div> })}
        <div class="table-wrap" tabindex="0"><table class="table report">
            <thead><tr>
                <th scope="col">{move || t().applies_from}</th>
                <th scope="col" class="num">{move || t().price_vaccination}</th>
                <th scope="col" class="num">{move || t().price_screening}</th>
                <th scope="col" class="num">{move || t().price_after_hours}</th>
                <th scope="col" class="num">{move || t().price_holiday}</th>
            </tr></thead>
            <tbody>{rows}</tbody>
        </table></div>
        <Show when=keeper>
            <form class="panel" novalidate on:submit=move |ev| {
                ev.prevent_default();
                notice.set(None);
                save.submit(&client.get_untracked(), form());
            }>
                <h2>{move || t().price_add}</h2>
                <FormMessage message=state.message/>
                {fields}
                <div class="form-actions">
                    <button type="submit" class="button primary" disabled=move || save.pending().get()>{move || t().price_add}</button>
                </div>
            </form>
        </Show>
    }
}
