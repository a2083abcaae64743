//! 請求 (`/bills`): what each role sees of a month's bills. A site: its bills of every month. A
//! municipality: its sites' bills (代理入力 from there) and the 市区町村別請求書 addressed to it from
//! any site in Japan, which it may return (差戻し). A prefecture or national user: the area's
//! totals per municipality. And ホーム's 請求 with its deadline.

mod bill;
mod invoice;
mod lines;
mod prices;

pub use bill::BillPage;
pub use prices::PricesPage;

use crate::api::{
    home_billing, load_bills, return_bill, AddressedBill, AreaBillTotal, BillRow, BillsOverview,
};
use crate::domain::billing::BillingMonth;
use crate::domain::reports::csv::{file_name, to_bytes, CsvEncoding};
use crate::domain::reports::{figure, text, Cell, Column, ReportRow};
use crate::domain::{Choice as _, Role};
use crate::error::AppError;
use crate::i18n::billing::{billing_texts, grouped, BillingTexts};
use crate::i18n::{field_error, Lang};
use crate::ui::context::use_app;
use crate::ui::form::{on_each_answer, FormMessage};
use crate::ui::shell::{loaded, Loading};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_query_map};

/// `/bills?month=2026-11` (the month ホーム bills when none is given).
#[component]
pub fn BillsPage() -> impl IntoView {
    let app = use_app();
    let t = move || billing_texts(app.lang.get());
    let query = use_query_map();
    let asked = Memo::new(move |_| query.with(|q| q.get("month")));
    let month = Resource::new(
        move || asked.get(),
        |asked| async move {
            match asked {
                Some(month) => Ok(month),
                None => home_billing().await.map(|h| h.month.to_string()),
            }
        },
    );
    view! {
        <h1>{move || t().title}</h1>
        <Transition fallback=Loading>
            {loaded(month, |month| view! { <MonthBills month/> })}
        </Transition>
    }
}

#[component]
fn MonthBills(month: String) -> impl IntoView {
    let app = use_app();
    let t = move || billing_texts(app.lang.get());
    let typed = RwSignal::new(month.clone());
    let navigate = use_navigate();
    let show = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if let Ok(m) = BillingMonth::parse(&typed.get_untracked()) {
            navigate(&format!("/bills?month={m}"), Default::default());
        }
    };
    let month_error = move || {
        BillingMonth::parse(&typed.get())
            .err()
            .map(|e| field_error(app.lang.get(), &e))
    };
    let bills = RwSignal::new(None::<Result<BillsOverview, AppError>>);
    let notice = RwSignal::new(None::<String>);
    let first = Resource::new(move || month.clone(), load_bills);
    view! {
        <form class="filters panel no-print" on:submit=show>
            <div class="field inline">
                <label for="bills-month">{move || t().month_label}</label>
                <input id="bills-month" type="month" prop:value=move || typed.get()
                    on:input=move |ev| typed.set(event_target_value(&ev))/>
                <button type="submit" class="button secondary">{move || t().show}</button>
            </div>
            <p class="field-error" role="alert">{month_error}</p>
        </form>
        {move || notice.get().map(|m| view! { <div class="notice" role="status">{m}</div> })}
        <Transition fallback=Loading>
            {loaded(first, move |found: BillsOverview| {
                bills.set(Some(Ok(found)));
                view! { <Overview bills notice/> }
            })}
        </Transition>
    }
}

#[component]
fn Overview(
    bills: RwSignal<Option<Result<BillsOverview, AppError>>>,
    notice: RwSignal<Option<String>>,
) -> impl IntoView {
    let app = use_app();
    move || {
        let lang = app.lang.get();
        let role = app.session.get().map(|s| s.role);
        let Some(Ok(found)) = bills.get() else {
            return view! { <Loading/> }.into_any();
        };
        let t = billing_texts(lang);
        let due = format!("{} {}", t.due, found.due_on);
        match role {
            Some(Role::Site) => {
                let site = app.session.get().and_then(|s| s.own_site);
                view! {
                    <p>{due}</p>
                    {site.map(|s| view! {
                        <A href=format!("/bills/{}/{}", s.id, found.month) attr:class="button primary">
                            {format!("{} {}", month_words(lang, found.month), t.create_for)}
                        </A>
                    })}
                    <section class="panel" aria-labelledby="bills-own">
                        <h2 id="bills-own">{t.own_bills}</h2>
                        {bill_table(lang, &found.bills, true)}
                    </section>
                }
                .into_any()
            }
            Some(Role::Municipality) => view! {
                <p>{due}</p>
                <section class="panel" aria-labelledby="bills-sites">
                    <h2 id="bills-sites">{t.sites_bills}</h2>
                    {bill_table(lang, &found.bills, false)}
                </section>
                <Addressed bills notice found=found.clone()/>
            }
            .into_any(),
            _ => view! {
                <p>{due}</p>
                {totals_table(lang, &found)}
            }
            .into_any(),
        }
    }
}

/// `2026年11月分` / `2026-11`.
fn month_words(lang: Lang, month: BillingMonth) -> String {
    match lang {
        Lang::Ja => format!("{}分", month.japanese()),
        Lang::En => month.to_string(),
    }
}

fn status_words(lang: Lang, t: &BillingTexts, row: &BillRow) -> String {
    let status = row
        .status
        .map(|s| s.label().get(lang).to_string())
        .unwrap_or_else(|| t.not_started.to_string());
    match row.late {
        true => format!("{status}（{}）", t.late),
        false => status,
    }
}

/// A site's bills (every month) or a municipality's sites' bills (one month).
fn bill_table(lang: Lang, rows: &[BillRow], by_month: bool) -> AnyView {
    let t = billing_texts(lang);
    if rows.is_empty() {
        return view! { <p class="muted">{t.addressed_empty}</p> }.into_any();
    }
    let body = rows
        .iter()
        .map(|row| {
            let first = match by_month {
                true => row.month.clone(),
                false => row.site.name.clone(),
            };
            let href = format!("/bills/{}/{}", row.site.id, row.month);
            let open = format!("{} {}", t.open, first);
            view! {
                <tr>
                    <td>{first}</td>
                    <td>{status_words(lang, t, row)}</td>
                    <td>{row.submitted_at.clone().unwrap_or_default()}</td>
                    <td>{row.batch_month.clone().unwrap_or_default()}</td>
                    <td class="num">{grouped(row.amount)}</td>
                    <td><A href=href attr:aria-label=open>{t.open}</A></td>
                </tr>
            }
        })
        .collect_view();
    let first = if by_month { t.month_label } else { t.col_site };
    view! {
        <div class="table-wrap" tabindex="0"><table class="table">
            <thead><tr>
                <th scope="col">{first}</th><th scope="col">{t.status}</th><th scope="col">{t.submitted_at}</th>
                <th scope="col">{t.batch}</th><th scope="col" class="num">{t.amount}</th><th scope="col">{t.col_actions}</th>
            </tr></thead>
            <tbody>{body}</tbody>
        </table></div>
    }
    .into_any()
}

/// The prefecture's or the country's totals per municipality, with their CSV.
fn totals_table(lang: Lang, found: &BillsOverview) -> AnyView {
    let t = billing_texts(lang);
    let rows: Vec<AreaBillTotal> = found.totals.clone();
    let sum = |f: fn(&AreaBillTotal) -> i64| rows.iter().map(f).sum::<i64>();
    let totals = (
        sum(|r| r.sites),
        sum(|r| r.submitted),
        sum(|r| r.late),
        sum(|r| r.amount),
    );
    let body = rows
        .iter()
        .map(|r| {
            view! {
                <tr>
                    <td>{r.name.clone()}</td><td class="num">{r.sites}</td><td class="num">{r.submitted}</td>
                    <td class="num">{r.late}</td><td class="num">{grouped(r.amount)}</td>
                </tr>
            }
        })
        .collect_view();
    const COLUMNS: [Column; 6] = [
        text("市区町村コード", "Code"),
        text("市区町村", "Municipality"),
        figure("医療機関数", "Sites"),
        figure("提出済", "Submitted"),
        figure("期限後提出", "Late"),
        figure("請求金額", "Amount"),
    ];
    let csv_rows: Vec<ReportRow> = rows
        .iter()
        .map(|r| {
            ReportRow::of(
                r.code.clone(),
                [r.code.clone(), r.name.clone()],
                [r.sites, r.submitted, r.late, r.amount],
            )
        })
        .collect();
    let name = format!("{}_{}", t.totals_title, found.month);
    view! {
        <section class="panel" aria-labelledby="bills-totals">
            <h2 id="bills-totals">{t.totals_title}</h2>
            <div class="table-wrap" tabindex="0"><table class="table report">
                <thead><tr>
                    <th scope="col">{t.col_municipality}</th><th scope="col" class="num">{t.col_sites}</th>
                    <th scope="col" class="num">{t.col_submitted}</th><th scope="col" class="num">{t.late}</th>
                    <th scope="col" class="num">{t.amount}</th>
                </tr></thead>
                <tbody>{body}</tbody>
                <tfoot><tr class="totals">
                    <th scope="row">{t.total_row}</th><td class="num">{totals.0}</td><td class="num">{totals.1}</td>
                    <td class="num">{totals.2}</td><td class="num">{grouped(totals.3)}</td>
                </tr></tfoot>
            </table></div>
            <CsvButtons columns=&COLUMNS rows=csv_rows name/>
        </section>
    }
    .into_any()
}

/// CSV export (UTF-8 with BOM, or Shift_JIS) of rows shown on the page, built in the browser by
/// the reports' exporter; the file is `請求_{name}_{today}.csv`.
#[component]
fn CsvButtons(
    columns: &'static [Column],
    #[prop(into)] rows: Signal<Vec<ReportRow>>,
    name: String,
) -> impl IntoView {
    let app = use_app();
    let t = move || billing_texts(app.lang.get());
    let message = RwSignal::new(None::<String>);
    let name = StoredValue::new(name);
    let export = move |encoding: CsvEncoding| {
        let lang = app.lang.get_untracked();
        let today = crate::domain::jst_date(chrono::Utc::now()).to_string();
        let bytes = rows.with_untracked(|rows| to_bytes(lang, columns, rows, encoding));
        let result = match bytes {
            Ok(bytes) => name.with_value(|name| {
                crate::ui::download::offer(&bytes, &file_name("請求", name, &today), "text/csv")
            }),
            Err(e) => Err((crate::i18n::reports::reports_texts(lang).unmappable)(
                e.row,
                &e.column,
                e.character,
            )),
        };
        message.set(Some(match result {
            Ok(()) => billing_texts(lang).exported.to_string(),
            Err(error) => error,
        }));
    };
    view! {
        <div class="report-actions no-print">
            <button type="button" class="button secondary" on:click=move |_| export(CsvEncoding::Utf8Bom)>
                {move || format!("{}（{}）", t().export, t().utf8)}
            </button>
            <button type="button" class="button secondary" on:click=move |_| export(CsvEncoding::ShiftJis)>
                {move || format!("{}（{}）", t().export, t().shift_jis)}
            </button>
        </div>
        {move || message.get().map(|m| view! { <p role="status">{m}</p> })}
    }
}

/// The 市区町村別請求書 addressed to the municipality, each with 差戻し.
#[component]
fn Addressed(
    bills: RwSignal<Option<Result<BillsOverview, AppError>>>,
    notice: RwSignal<Option<String>>,
    found: BillsOverview,
) -> impl IntoView {
    let app = use_app();
    let t = move || billing_texts(app.lang.get());
    let returning = RwSignal::new(None::<i64>);
    let comment = RwSignal::new(String::new());
    let comment_error = RwSignal::new(None::<String>);
    let message = RwSignal::new(None::<String>);
    let send = Action::new(|(id, comment): &(i64, String)| return_bill(*id, comment.clone()));
    on_each_answer(send, move |answer| match answer {
        Ok(updated) => {
            returning.set(None);
            comment.set(String::new());
            notice.set(Some(
                billing_texts(app.lang.get_untracked()).returned.to_string(),
            ));
            bills.set(Some(Ok(updated)));
        }
        Err(AppError::Validation(errors)) => {
            comment_error.set(
                errors
                    .get("comment")
                    .map(|e| field_error(app.lang.get_untracked(), e)),
            );
        }
        Err(error) => message.set(Some(app.handle_error(&error))),
    });
    let lang = app.lang.get_untracked();
    let rows: Vec<AddressedBill> = found.addressed.clone();
    let body = rows
        .iter()
        .map(|b| {
            let id = b.bill_id;
            let submitted = b.status == crate::domain::billing::BillStatus::Submitted;
            let status = match b.late {
                true => format!(
                    "{}（{}）",
                    b.status.label().get(lang),
                    billing_texts(lang).late
                ),
                false => b.status.label().get(lang).to_string(),
            };
            view! {
                <tr>
                    <td>{b.site.name.clone()}</td><td>{b.site_municipality.clone()}</td>
                    <td>{b.codes.0.clone()}</td><td>{b.codes.1.clone()}</td>
                    {b.counts.iter().map(|c| view! { <td class="num">{*c}</td> }).collect_view()}
                    <td class="num">{grouped(b.amount)}</td>
                    <td>{status}</td>
                    <td>{submitted.then(|| view! {
                        <button type="button" class="button secondary"
                            on:click=move |_| { returning.set(Some(id)); comment_error.set(None); }>
                            {move || t().return_button}
                        </button>
                    })}</td>
                </tr>
            }
        })
        .collect_view();
    const COLUMNS: [Column; 11] = [
        text("医療機関・接種会場", "Site"),
        text("所在地", "Located in"),
        text("保険医療機関コード", "Medical institution code"),
        text("介護保険事業所番号", "Care insurance office number"),
        figure("1回目", "1st dose"),
        figure("2回目", "2nd dose"),
        figure("予診のみ", "Screening only"),
        figure("時間外", "After hours"),
        figure("休日", "Holiday"),
        figure("請求金額", "Amount"),
        text("状況", "Status"),
    ];
    let csv_rows: Vec<ReportRow> = rows
        .iter()
        .map(|b| ReportRow {
            key: b.bill_id.to_string(),
            cells: [
                b.site.name.clone(),
                b.site_municipality.clone(),
                b.codes.0.clone(),
                b.codes.1.clone(),
            ]
            .into_iter()
            .map(Cell::Text)
            .chain(b.counts.iter().copied().chain([b.amount]).map(Cell::Number))
            .chain([Cell::Text(b.status.label().get(lang).to_string())])
            .collect(),
        })
        .collect();
    let t_now = billing_texts(lang);
    let name = format!("{}_{}", t_now.addressed_title, found.month);
    view! {
        <section class="panel" aria-labelledby="bills-addressed">
            <h2 id="bills-addressed">{move || t().addressed_title}</h2>
            <FormMessage message/>
            {if rows.is_empty() {
                view! { <p class="muted">{t_now.addressed_empty}</p> }.into_any()
            } else {
                view! {
                    <div class="table-wrap" tabindex="0"><table class="table report">
                        <thead><tr>
                            <th scope="col">{t_now.col_site}</th><th scope="col">{t_now.col_site_municipality}</th>
                            <th scope="col">{t_now.col_code}</th><th scope="col">{t_now.col_care_code}</th>
                            <th scope="col" class="num">{t_now.col_first}</th><th scope="col" class="num">{t_now.col_second}</th>
                            <th scope="col" class="num">{t_now.col_screening}</th><th scope="col" class="num">{t_now.col_after_hours}</th>
                            <th scope="col" class="num">{t_now.col_holiday}</th><th scope="col" class="num">{t_now.amount}</th>
                            <th scope="col">{t_now.status}</th><th scope="col">{t_now.col_actions}</th>
                        </tr></thead>
                        <tbody>{body}</tbody>
                    </table></div>
                    <CsvButtons columns=&COLUMNS rows=csv_rows name/>
                }.into_any()
            }}
            {move || returning.get().map(|id| view! {
                <form class="panel" novalidate on:submit=move |ev| {
                    ev.prevent_default();
                    send.dispatch((id, comment.get_untracked()));
                }>
                    <div class="field" class:has-error=move || comment_error.with(Option::is_some)>
                        <label for="return-comment">{move || t().return_comment}</label>
                        <textarea id="return-comment" rows="3"
                            aria-invalid=move || comment_error.with(Option::is_some).then_some("true")
                            prop:value=move || comment.get()
                            on:input=move |ev| comment.set(event_target_value(&ev))></textarea>
                        <p class="field-error" role="alert">{move || comment_error.get()}</p>
                    </div>
                    <div class="form-actions">
                        <button type="submit" class="button primary" disabled=move || send.pending().get()>{move || t().return_send}</button>
                    </div>
                </form>
            })}
        </section>
    }
}

/// 請求 on ホーム: the month to bill with its deadline and days left, and where the site stands
/// (a site, or a municipality acting for one) or how many of the municipality's sites have not
/// submitted.
#[component]
pub fn HomeBilling(site_id: Option<i64>) -> impl IntoView {
    let app = use_app();
    let home = Resource::new(|| (), |_| home_billing());
    view! {
        <Suspense>
            {move || home.get().and_then(Result::ok).map(|h| {
                let lang = app.lang.get();
                let t = billing_texts(lang);
                let mut line = format!("{}　{} {}", month_words(lang, h.month), t.home_due, h.due_on);
                if h.days_left >= 0 {
                    line.push_str(&format!("（{} {}{}）", t.days_left, h.days_left, t.days_unit));
                }
                let state = match (h.status, h.not_submitted) {
                    (Some(status), _) => format!("{}: {}", t.status, status.label().get(lang)),
                    (None, Some(n)) => format!("{}: {n}", t.home_not_submitted),
                    (None, None) => format!("{}: {}", t.status, t.not_started),
                };
                let href = match site_id {
                    Some(id) => format!("/bills/{id}/{}", h.month),
                    None => format!("/bills?month={}", h.month),
                };
                view! {
                    <section class="panel" aria-labelledby="home-billing-title">
                        <h2 id="home-billing-title">{t.home_title}</h2>
                        <p>{line}</p>
                        <p>{state}</p>
                        <div class="task-grid"><A href=href attr:class="task-button">{format!("{} {}", t.home_title, month_words(lang, h.month))}</A></div>
                    </section>
                }
            })}
        </Suspense>
    }
}
