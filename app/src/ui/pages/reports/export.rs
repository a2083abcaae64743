//! 詳細のエクスポート → カンマ区切り形式（csv） → エクスポート: every row of the report, as filtered
//! and sorted on screen, fetched once and written into a CSV file in the browser.

use crate::api::load_report;
use crate::domain::reports::csv::{file_name, to_bytes, CsvEncoding};
use crate::domain::reports::ReportQuery;
use crate::i18n::reports::reports_texts;
use crate::ui::context::use_app;
use crate::ui::form::on_each_answer;
use leptos::prelude::*;

/// The export button and its panel.
#[component]
pub fn Export(query: ReportQuery, today: String) -> impl IntoView {
    let app = use_app();
    let t = move || reports_texts(app.lang.get());
    let open = RwSignal::new(false);
    let encoding = RwSignal::new(CsvEncoding::Utf8Bom);
    let message = RwSignal::new(None::<(bool, String)>);
    let fetch = Action::new(|query: &ReportQuery| {
        let query = ReportQuery {
            all: true,
            page: 0,
            ..query.clone()
        };
        load_report(query)
    });
    let pending = fetch.pending();
    let code = query.code;
    on_each_answer(fetch, move |answer| {
        let lang = app.lang.get_untracked();
        let t = reports_texts(lang);
        let mut page = match answer {
            Ok(page) => page,
            Err(error) => return message.set(Some((false, app.handle_error(&error)))),
        };
        code.localise_statuses(lang, &mut page.rows);
        let bytes = match to_bytes(lang, code.columns(), &page.rows, encoding.get_untracked()) {
            Ok(bytes) => bytes,
            Err(e) => {
                return message.set(Some((false, (t.unmappable)(e.row, &e.column, e.character))))
            }
        };
        let name = file_name(code.as_str(), code.name().get(lang), &today);
        match crate::ui::download::offer(&bytes, &name, "text/csv") {
            Ok(()) => message.set(Some((true, (t.exported)(page.total_rows)))),
            Err(error) => message.set(Some((false, error))),
        }
    });
    let choice =
        move |value: CsvEncoding,
              label: fn(&'static crate::i18n::reports::ReportsTexts) -> &'static str| {
            view! {
                <label class="choice">
                    <input type="radio" name="report-encoding" prop:checked=move || encoding.get() == value
                        on:change=move |_| encoding.set(value)/>
                    <span>{move || label(t())}</span>
                </label>
            }
        };
    view! {
        <button type="button" class="button secondary" aria-expanded=move || open.get().to_string()
            on:click=move |_| open.update(|o| *o = !*o)>{move || t().export_open}</button>
        <Show when=move || open.get()>
            <fieldset class="panel export-panel">
                <legend>{move || t().export_format}</legend>
                <label class="choice">
                    <input type="radio" name="report-format" checked=true/>
                    <span>{move || t().export_csv}</span>
                </label>
                <fieldset class="choices">
                    <legend>{move || t().export_encoding}</legend>
                    {choice(CsvEncoding::Utf8Bom, |t| t.utf8)}
                    {choice(CsvEncoding::ShiftJis, |t| t.shift_jis)}
                </fieldset>
                <button type="button" class="button primary" disabled=move || pending.get()
                    on:click={
                        let query = query.clone();
                        move |_| {
                            message.set(None);
                            fetch.dispatch(query.clone());
                        }
                    }>
                    {move || if pending.get() { t().exporting } else { t().export }}
                </button>
            </fieldset>
        </Show>
        {move || message.get().map(|(ok, text)| match ok {
            true => view! { <div class="notice" role="status">{text}</div> }.into_any(),
            false => view! { <div class="alert" role="alert">{text}</div> }.into_any(),
        })}
    }
}
