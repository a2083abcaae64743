//! 在庫・移送・廃棄 (`/sites/:id/stock`): a site's lots with their expiry, 受領確認 of its
//! deliveries, 移送・融通 sent and received, 廃棄, 棚卸 and the ledger; and the part of ホーム that
//! flags lots expiring within 14 days and deliveries waiting for confirmation.

use super::delivery::{shipments_list, status_badge};
use super::{new_entry_form, EntryTexts};
use crate::api::{
    cancel_transfer, confirm_receipt, load_site_stock, receive_transfer, record_count,
    record_waste, send_transfer, Choice, SiteStock, StockLot, TransferRow,
};
use crate::domain::form_fields::Section as _;
use crate::domain::{
    Choice as _, CountForm, CountLineForm, DeliveryStatus, SupplySection, TransferForm, WasteForm,
    STOCK_LOT_LIST, TRANSFER_TARGET_LIST,
};
use crate::error::{AppError, FieldErrors};
use crate::i18n::stock::stock_texts;
use crate::i18n::supply::supply_texts;
use crate::i18n::{field_error, Lang};
use crate::ui::context::use_app;
use crate::ui::form::{focus_first_error, on_each_answer, FormMessage};
use crate::ui::pages::site_record::route_id;
use crate::ui::shell::{loaded, Loading};
use leptos::prelude::*;
use std::future::Future;

/// `/sites/:id/stock`.
#[component]
pub fn SiteStockPage() -> impl IntoView {
    let app = use_app();
    let site_id = route_id("id");
    let stock = Resource::new(move || site_id.get(), load_site_stock);
    view! {
        <h1>{move || stock_texts(app.lang.get()).stock_title}</h1>
        <Transition fallback=Loading>
            {loaded(stock, |stock| view! { <StockView stock/> })}
        </Transition>
    }
}

/// Runs one of the page's actions and takes its answer: the new stock, a notice, or the error
/// in `message` (field errors go to `errors`).
struct PageAnswers {
    stock: RwSignal<SiteStock>,
    notice: RwSignal<Option<String>>,
    message: RwSignal<Option<String>>,
    errors: RwSignal<FieldErrors>,
}

impl Clone for PageAnswers {
    fn clone(&self) -> Self {
        *self
    }
}

impl Copy for PageAnswers {}

impl PageAnswers {
    fn action<I, Fut>(
        self,
        run: impl Fn(&I) -> Fut + Send + Sync + 'static,
        saved: fn(Lang) -> &'static str,
    ) -> Action<I, Result<SiteStock, AppError>>
    where
        I: Send + Sync + 'static,
        Fut: Future<Output = Result<SiteStock, AppError>> + Send + 'static,
    {
        let app = use_app();
        let action = Action::new(run);
        on_each_answer(action, move |answer| match answer {
            Ok(stock) => {
                self.stock.set(stock);
                self.errors.set(FieldErrors::new());
                self.message.set(None);
                self.notice
                    .set(Some(saved(app.lang.get_untracked()).to_string()));
            }
            Err(AppError::Validation(errors)) => {
                self.errors.set(errors);
                focus_first_error();
            }
            Err(error) => self.message.set(Some(app.handle_error(&error))),
        });
        action
    }

    fn error(self, key: String) -> impl Fn() -> Option<String> + Send + Sync + 'static {
        let app = use_app();
        move || {
            self.errors
                .with(|e| e.get(&key).cloned())
                .map(|e| field_error(app.lang.get(), &e))
        }
    }
}

#[component]
fn StockView(stock: SiteStock) -> impl IntoView {
    let app = use_app();
    let editable = stock.editable;
    let site_id = stock.site.id;
    let heading = stock.site.name.clone();
    let satellite = stock.satellite;
    let answers = PageAnswers {
        stock: RwSignal::new(stock),
        notice: RwSignal::new(None),
        message: RwSignal::new(None),
        errors: RwSignal::new(FieldErrors::new()),
    };
    let stock = answers.stock;
    let t = move || stock_texts(app.lang.get());
    // The entry forms offer the lots held and the sites to send to: rebuilt when those change.
    let offered = Memo::new(move |_| {
        stock.with(|s| {
            let lots: Vec<Choice> = s
                .lots
                .iter()
                .map(|l| Choice {
                    value: l.lot_id.to_string(),
                    label: format!("{}（{} {}）", l.lot_number, l.vaccine, l.expires_on),
                })
                .collect();
            (lots, s.targets.clone(), s.today.clone())
        })
    });
    let forms = move || {
        let (lots, targets, _) = offered.get();
        if !editable || lots.is_empty() {
            return None;
        }
        let given = [
            (STOCK_LOT_LIST, lots.clone()),
            (TRANSFER_TARGET_LIST, targets.clone()),
        ];
        let lot_ids: Vec<String> = lots.iter().map(|l| l.value.clone()).collect();
        let target_ids: Vec<String> = targets.iter().map(|t| t.value.clone()).collect();
        let waste_lots = lot_ids.clone();
        let today: chrono::NaiveDate =
            stock.with_untracked(|s| s.today.parse().unwrap_or_default());
        Some(view! {
            {new_entry_form(
                "transfer-",
                given.iter().cloned().collect(),
                TransferForm { sent_on: today.to_string(), ..Default::default() },
                move |form: &TransferForm| form.validate(&lot_ids, &target_ids, today).err().unwrap_or_default(),
                move |form: TransferForm| send_transfer(site_id, form),
                EntryTexts {
                    title: |l| SupplySection::Transfer.title().get(l),
                    button: |l| stock_texts(l).transfer_button,
                    saved: |l| stock_texts(l).transfer_saved,
                },
                answers.notice,
                move |s: SiteStock| stock.set(s),
            )}
            {new_entry_form(
                "waste-",
                given.into_iter().take(1).collect(),
                WasteForm { occurred_on: today.to_string(), ..Default::default() },
                move |form: &WasteForm| form.validate(&waste_lots, today).err().unwrap_or_default(),
                move |form: WasteForm| record_waste(site_id, form),
                EntryTexts {
                    title: |l| SupplySection::Waste.title().get(l),
                    button: |l| stock_texts(l).waste_button,
                    saved: |l| stock_texts(l).waste_saved,
                },
                answers.notice,
                move |s: SiteStock| stock.set(s),
            )}
        })
    };
    view! {
        <h2 class="subtitle">{heading}</h2>
        {satellite.then(|| view! { <p class="notice">{move || t().satellite_note}</p> })}
        <FormMessage message=answers.message/>
        {move || answers.notice.get().map(|m| view! { <div class="notice" role="status">{m}</div> })}
        <section class="panel" aria-labelledby="stock-lots">
            <h2 id="stock-lots">{move || t().lots_title}</h2>
            {move || stock.with(|s| lots_table(app.lang.get(), &s.lots))}
        </section>
        <Incoming answers editable/>
        <section class="panel" aria-labelledby="stock-deliveries">
            <h2 id="stock-deliveries">{move || t().site_deliveries_title}</h2>
            {move || stock.with(|s| deliveries_table(app.lang.get(), s))}
        </section>
        {forms}
        <Transfers answers editable/>
        {move || (editable && stock.with(|s| !s.lots.is_empty())).then(|| view! { <Count answers site_id/> })}
        <section class="panel" aria-labelledby="stock-discrepancies">
            <h2 id="stock-discrepancies">{move || t().discrepancies_title}</h2>
            {move || stock.with(|s| discrepancies(app.lang.get(), s))}
        </section>
        <section class="panel" aria-labelledby="stock-ledger">
            <h2 id="stock-ledger">{move || t().ledger_title}</h2>
            {move || stock.with(|s| ledger_table(app.lang.get(), s))}
        </section>
    }
}

/// The lots held, with their expiry flagged.
fn lots_table(lang: Lang, lots: &[StockLot]) -> AnyView {
    let t = stock_texts(lang);
    if lots.is_empty() {
        return view! { <p class="muted">{t.lots_empty}</p> }.into_any();
    }
    let rows = lots
        .iter()
        .map(|l| {
            let flag = if l.expired() {
                Some(("state-badge warn", t.expired))
            } else if l.expiring_soon() {
                Some(("state-badge warn", t.expiring_soon))
            } else {
                None
            };
            view! {
                <tr>
                    <td>{l.lot_number.clone()}</td>
                    <td>{l.vaccine.clone()}</td>
                    <td>{l.expires_on.clone()} " " {flag.map(|(class, text)| view! { <span class=class>{text}</span> })}</td>
                    <td class="num">{l.vials}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="table-wrap" tabindex="0"><table class="table">
            <thead><tr><th>{t.col_lot}</th><th>{t.col_vaccine}</th><th>{t.col_expires}</th><th class="num">{t.col_held}</th></tr></thead>
            <tbody>{rows}</tbody>
        </table></div>
    }
    .into_any()
}

/// The site's allocations per cool with their 納入予定日 and status.
fn deliveries_table(lang: Lang, stock: &SiteStock) -> AnyView {
    let t = stock_texts(lang);
    if stock.deliveries.is_empty() {
        return view! { <p class="muted">"—"</p> }.into_any();
    }
    let rows = stock
        .deliveries
        .iter()
        .map(|d| {
            view! {
                <tr>
                    <td><a href=format!("/cools/{}", d.cool_id)>{d.cool.clone()}</a></td>
                    <td class="num">{d.boxes}</td>
                    <td>{d.scheduled_on.clone().unwrap_or_else(|| "—".into())}</td>
                    <td>{status_badge(lang, d.status)}</td>
                </tr>
            }
        })
        .collect_view();
    let supply = supply_texts(lang);
    view! {
        <div class="table-wrap" tabindex="0"><table class="table">
            <thead><tr><th>{supply.col_cool}</th><th class="num">{t.col_allocated}</th><th>{t.col_scheduled}</th><th>{t.col_status}</th></tr></thead>
            <tbody>{rows}</tbody>
        </table></div>
    }
    .into_any()
}

/// 受領確認: each delivery not yet confirmed, with a note and the button.
#[component]
fn Incoming(answers: PageAnswers, editable: bool) -> impl IntoView {
    let app = use_app();
    let confirm = answers.action(
        |(id, note): &(i64, String)| confirm_receipt(*id, note.clone()),
        |l| stock_texts(l).received_saved,
    );
    let t = move || stock_texts(app.lang.get());
    view! {
        <section class="panel" aria-labelledby="stock-incoming">
            <h2 id="stock-incoming">{move || t().incoming_title}</h2>
            {move || {
                let incoming = answers.stock.with(|s| s.incoming.clone());
                if incoming.is_empty() {
                    return view! { <p class="muted">{move || t().incoming_empty}</p> }.into_any();
                }
                incoming.into_iter().map(|shipment| {
                    let note = RwSignal::new(String::new());
                    let id = shipment.id;
                    let label = format!("{}（{} {}）", stock_texts(app.lang.get_untracked()).receipt_note_label, shipment.cool, shipment.delivered_on);
                    view! {
                        <div class="incoming">
                            {shipments_list(app.lang.get_untracked(), std::slice::from_ref(&shipment))}
                            {editable.then(|| view! {
                                <form class="inline-form" novalidate on:submit=move |ev| {
                                    ev.prevent_default();
                                    confirm.dispatch((id, note.get_untracked()));
                                }>
                                    <input type="text" aria-label=label.clone() placeholder=label.clone()
                                        prop:value=move || note.get() on:input=move |ev| note.set(event_target_value(&ev))/>
                                    <button type="submit" class="button primary" disabled=move || confirm.pending().get()>
                                        {move || t().receipt_button}
                                    </button>
                                </form>
                            })}
                        </div>
                    }
                }).collect_view().into_any()
            }}
        </section>
    }
}

/// 移送・融通の一覧: in transit first; the receiver registers 受領, the sender may 取消.
#[component]
fn Transfers(answers: PageAnswers, editable: bool) -> impl IntoView {
    let app = use_app();
    let receive = answers.action(
        |(id, day): &(i64, String)| receive_transfer(*id, day.clone()),
        |l| stock_texts(l).transfer_received,
    );
    let cancel = answers.action(
        |id: &i64| cancel_transfer(*id),
        |l| stock_texts(l).transfer_cancelled,
    );
    let t = move || stock_texts(app.lang.get());
    let row = move |r: TransferRow| {
        let lang = app.lang.get_untracked();
        let tx = stock_texts(lang);
        let state = if r.cancelled {
            tx.state_cancelled
        } else if r.received_on.is_some() {
            tx.state_received
        } else {
            tx.state_pending
        };
        let id = r.id;
        let day = RwSignal::new(answers.stock.with_untracked(|s| s.today.clone()));
        let act = (editable && r.pending()).then(|| {
            if r.outgoing {
                view! {
                    <button type="button" class="button small" on:click=move |_| { cancel.dispatch(id); }>
                        {tx.cancel_button}
                    </button>
                }
                .into_any()
            } else {
                let label = format!("{}（{} {}）", tx.received_on_label, r.from.name, r.lot_number);
                view! {
                    <form class="inline-form" novalidate on:submit=move |ev| {
                        ev.prevent_default();
                        receive.dispatch((id, day.get_untracked()));
                    }>
                        <input class="date-input" inputmode="numeric" aria-label=label
                            prop:value=move || day.get() on:input=move |ev| day.set(event_target_value(&ev))/>
                        <button type="submit" class="button small primary">{tx.receive_button}</button>
                        <span class="field-error" role="alert">{answers.error("received_on".into())}</span>
                    </form>
                }
                .into_any()
            }
        });
        view! {
            <tr class:pending=r.pending()>
                <td>{r.sent_on.clone()}</td>
                <td>{r.from.name.clone()}</td>
                <td>{r.to.name.clone()}</td>
                <td>{r.lot_number.clone()}</td>
                <td class="num">{r.vials}</td>
                <td>{state} {r.received_on.clone().map(|d| format!("（{d}）"))}</td>
                <td>{act}</td>
            </tr>
        }
    };
    view! {
        <section class="panel" aria-labelledby="stock-transfers">
            <h2 id="stock-transfers">{move || t().transfers_title}</h2>
            {move || {
                let rows = answers.stock.with(|s| s.transfers.clone());
                if rows.is_empty() {
                    return view! { <p class="muted">"—"</p> }.into_any();
                }
                view! {
                    <div class="table-wrap" tabindex="0"><table class="table">
                        <thead><tr>
                            <th>{t().col_day}</th><th>{t().col_from}</th><th>{t().col_to}</th>
                            <th>{t().col_lot}</th><th class="num">{t().col_vials}</th><th>{t().col_status}</th><th>{t().col_action}</th>
                        </tr></thead>
                        <tbody>{rows.into_iter().map(row).collect_view()}</tbody>
                    </table></div>
                }.into_any()
            }}
        </section>
    }
}

/// 棚卸: the vials counted per lot (the ledger's figure to start with) and a reason where they
/// differ.
#[component]
fn Count(answers: PageAnswers, site_id: i64) -> impl IntoView {
    let app = use_app();
    let lots = answers.stock.with_untracked(|s| s.lots.clone());
    let day = RwSignal::new(answers.stock.with_untracked(|s| s.today.clone()));
    let lines: Vec<(StockLot, RwSignal<String>, RwSignal<String>)> = lots
        .into_iter()
        .map(|l| {
            let counted = RwSignal::new(l.vials.to_string());
            (l, counted, RwSignal::new(String::new()))
        })
        .collect();
    let lines = StoredValue::new(lines);
    let count = answers.action(
        move |form: &CountForm| record_count(site_id, form.clone()),
        |l| stock_texts(l).count_saved,
    );
    let t = move || stock_texts(app.lang.get());
    let rows = lines.with_value(|lines| {
        lines
            .iter()
            .enumerate()
            .map(|(index, (lot, counted, reason))| {
                let (counted, reason) = (*counted, *reason);
                let counted_label = format!("{}（{}）", stock_texts(app.lang.get_untracked()).col_counted, lot.lot_number);
                let reason_label = format!("{}（{}）", stock_texts(app.lang.get_untracked()).col_reason, lot.lot_number);
                view! {
                    <tr>
                        <td>{lot.lot_number.clone()}</td>
                        <td class="num">{lot.vials}</td>
                        <td>
                            <input class="boxes-input" inputmode="numeric" aria-label=counted_label
                                prop:value=move || counted.get() on:input=move |ev| counted.set(event_target_value(&ev))/>
                            <span class="field-error" role="alert">{answers.error(format!("lines.{index}.counted"))}</span>
                        </td>
                        <td>
                            <input type="text" aria-label=reason_label
                                prop:value=move || reason.get() on:input=move |ev| reason.set(event_target_value(&ev))/>
                            <span class="field-error" role="alert">{answers.error(format!("lines.{index}.reason"))}</span>
                        </td>
                    </tr>
                }
            })
            .collect_view()
    });
    view! {
        <section class="panel" aria-labelledby="stock-count">
            <h2 id="stock-count">{move || t().count_title}</h2>
            <form novalidate on:submit=move |ev| {
                ev.prevent_default();
                let form = CountForm {
                    counted_on: day.get_untracked(),
                    lines: lines.with_value(|lines| lines.iter().map(|(lot, counted, reason)| CountLineForm {
                        lot: lot.lot_id,
                        counted: counted.get_untracked(),
                        reason: reason.get_untracked(),
                    }).collect()),
                };
                count.dispatch(form);
            }>
                <div class="field inline">
                    <label for="count-day">{move || t().counted_on_label}</label>
                    <input id="count-day" class="date-input" inputmode="numeric" prop:value=move || day.get() on:input=move |ev| day.set(event_target_value(&ev))/>
                </div>
                <span class="field-error" role="alert">{answers.error("counted_on".into())}</span>
                <div class="table-wrap" tabindex="0"><table class="table">
                    <thead><tr><th>{move || t().col_lot}</th><th class="num">{move || t().col_expected}</th><th>{move || t().col_counted}</th><th>{move || t().col_reason}</th></tr></thead>
                    <tbody>{rows}</tbody>
                </table></div>
                <div class="form-actions">
                    <button type="submit" class="button primary" disabled=move || count.pending().get()>{move || t().count_button}</button>
                </div>
            </form>
        </section>
    }
}

fn discrepancies(lang: Lang, stock: &SiteStock) -> AnyView {
    let t = stock_texts(lang);
    if stock.discrepancies.is_empty() {
        return view! { <p class="muted">"—"</p> }.into_any();
    }
    let rows = stock
        .discrepancies
        .iter()
        .map(|d| {
            view! {
                <tr class="pending">
                    <td>{d.counted_on.clone()}</td><td>{d.lot_number.clone()}</td>
                    <td class="num">{d.expected}</td><td class="num">{d.counted}</td><td>{d.reason.clone()}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="table-wrap" tabindex="0"><table class="table">
            <thead><tr><th>{t.col_day}</th><th>{t.col_lot}</th><th class="num">{t.col_expected}</th><th class="num">{t.col_counted}</th><th>{t.col_reason}</th></tr></thead>
            <tbody>{rows}</tbody>
        </table></div>
    }
    .into_any()
}

fn ledger_table(lang: Lang, stock: &SiteStock) -> AnyView {
    let t = stock_texts(lang);
    if stock.ledger.is_empty() {
        return view! { <p class="muted">{t.ledger_empty}</p> }.into_any();
    }
    let rows = stock
        .ledger
        .iter()
        .map(|m| {
            view! {
                <tr>
                    <td>{m.occurred_on.clone()}</td>
                    <td>{m.kind.label().get(lang)}</td>
                    <td>{m.lot_number.clone()}</td>
                    <td class="num">{format!("{:+}", m.vials)}</td>
                    <td>{m.note.clone()}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="table-wrap" tabindex="0"><table class="table">
            <thead><tr><th>{t.col_day}</th><th>{t.col_kind}</th><th>{t.col_lot}</th><th class="num">{t.col_change}</th><th>{t.col_note}</th></tr></thead>
            <tbody>{rows}</tbody>
        </table></div>
    }
    .into_any()
}

/// On a site's ホーム: lots expiring within 14 days with their vials, and deliveries waiting for
/// 受領確認, with the way to the stock page.
#[component]
pub fn HomeStock(site_id: i64) -> impl IntoView {
    let app = use_app();
    let stock = Resource::new(move || site_id, load_site_stock);
    view! {
        <Suspense>
            {move || stock.get().and_then(Result::ok).map(|s| {
                let t = stock_texts(app.lang.get());
                let expiring: Vec<String> = s.lots.iter().filter(|l| l.expiring_soon() || l.expired())
                    .map(|l| format!("{} {}（{}）{} 本", l.vaccine, l.lot_number, l.expires_on, l.vials)).collect();
                let incoming = s.incoming.len();
                // Every allocation still on its way, dated or not (分配量 shows from データロック on).
                let supply = supply_texts(app.lang.get());
                let deliveries: Vec<String> = s.deliveries.iter().filter(|d| d.status != DeliveryStatus::Received)
                    .take(3)
                    .map(|d| format!(
                        "{} {} {}{} — {} {}",
                        d.cool, supply.allocated_to_site, d.boxes, supply.boxes_unit, t.col_scheduled,
                        d.scheduled_on.clone().unwrap_or_else(|| supply.scheduled_not_yet.to_string()),
                    ))
                    .collect();
                view! {
                    <div class="task-grid">
                        <a class="task-button large" href=format!("/sites/{site_id}/stock")>
                            <span>{t.open_stock}</span>
                            {(incoming > 0).then(|| view! { <span class="task-sub">{format!("{}: {incoming}", t.home_incoming)}</span> })}
                            {deliveries.into_iter().map(|d| view! { <span class="task-sub">{d}</span> }).collect_view()}
                        </a>
                    </div>
                    {(!expiring.is_empty()).then(|| view! {
                        <section class="panel warn" aria-labelledby="home-expiring">
                            <h2 id="home-expiring">{t.home_expiring}</h2>
                            <ul>{expiring.into_iter().map(|e| view! { <li>{e}</li> }).collect_view()}</ul>
                        </section>
                    })}
                }
            })}
        </Suspense>
    }
}
