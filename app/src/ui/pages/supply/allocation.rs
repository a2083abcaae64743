//! 分配: one level's table of a cool (national → prefectures, prefecture → municipalities,
//! municipality → basic sites) with the requests, a proposal pro rata to them, the live sum and
//! what remains; and the prefecture's データロック.

use super::cool_facts;
use crate::api::{
    load_allocation, save_allocation, set_data_lock, AllocationSave, AllocationTable,
};
use crate::domain::{check_allocation, parse_boxes, AllocationLevel, Role, MAX_BOXES};
use crate::error::{AppError, FieldErrors};
use crate::i18n::supply::supply_texts;
use crate::i18n::{field_error, Lang};
use crate::ui::context::use_app;
use crate::ui::form::{focus_first_error, on_each_answer, FormMessage};
use crate::ui::pages::site_record::{route_id, route_param};
use crate::ui::shell::{loaded, Loading};
use leptos::prelude::*;

/// `/cools/:id/allocation` (the caller's own level) and `/cools/:id/allocation/prefecture/:code`
/// (a prefecture's table, for national users and the prefecture itself).
#[component]
pub fn AllocationPage() -> impl IntoView {
    let app = use_app();
    let cool_id = route_id("id");
    let prefecture = route_param("code");
    let level = move || {
        let session = app.session.get()?;
        Some(match (prefecture.get(), session.role) {
            (Some(code), _) => AllocationLevel::Prefecture(code),
            (None, Role::Prefecture) => {
                AllocationLevel::Prefecture(i64::from(session.prefecture_code?))
            }
            (None, Role::Municipality) => AllocationLevel::Municipality(session.municipality_code?),
            (None, _) => AllocationLevel::National,
        })
    };
    let table = Resource::new(
        move || (cool_id.get(), level()),
        |(cool, level)| async move {
            match level {
                Some(level) => load_allocation(cool, level).await,
                None => Err(AppError::Forbidden),
            }
        },
    );
    view! {
        <h1>{move || supply_texts(app.lang.get()).allocation_title}</h1>
        <Transition fallback=Loading>
            {loaded(table, |table| view! { <AllocationEditor table/> })}
        </Transition>
    }
}

#[component]
fn AllocationEditor(table: AllocationTable) -> impl IntoView {
    let app = use_app();
    let current = RwSignal::new(table.clone());
    let typed: Vec<RwSignal<String>> = table
        .rows
        .iter()
        .map(|r| RwSignal::new(r.boxes.to_string()))
        .collect();
    let typed = StoredValue::new(typed);
    let submitted = RwSignal::new(false);
    let server_errors = RwSignal::new(FieldErrors::new());
    let message = RwSignal::new(None::<String>);
    let notice = RwSignal::new(None::<String>);
    let rows_typed = move || {
        current.with(|t| {
            typed.with_value(|typed| {
                t.rows
                    .iter()
                    .zip(typed)
                    .map(|(r, v)| (r.target.clone(), v.get()))
                    .collect::<Vec<_>>()
            })
        })
    };
    let client_errors = Memo::new(move |_| {
        let rows = rows_typed();
        current.with(|t| {
            let requested = |target: &str| {
                t.rows
                    .iter()
                    .find(|r| r.target == target)
                    .map(|r| r.requested)
            };
            check_allocation(&rows, requested, t.available)
                .err()
                .unwrap_or_default()
        })
    });
    let error_of = move |key: &str| {
        server_errors.with(|e| e.get(key).cloned()).or_else(|| {
            submitted
                .get()
                .then(|| client_errors.with(|e| e.get(key).cloned()))
                .flatten()
        })
    };
    let sum = Memo::new(move |_| {
        typed.with_value(|typed| {
            typed
                .iter()
                .map(|v| u64::from(parse_boxes(&v.get(), MAX_BOXES).unwrap_or(0)))
                .sum::<u64>()
        })
    });

    let save = Action::new(|save: &AllocationSave| save_allocation(save.clone()));
    let saving = save.pending();
    let take = move |saved: AllocationTable| {
        typed.with_value(|typed| {
            for (signal, row) in typed.iter().zip(&saved.rows) {
                signal.set(row.boxes.to_string());
            }
        });
        current.set(saved);
        submitted.set(false);
        server_errors.set(FieldErrors::new());
    };
    on_each_answer(save, move |answer| match answer {
        Ok(saved) => {
            take(saved);
            notice.set(Some(
                supply_texts(app.lang.get_untracked())
                    .allocation_saved
                    .to_string(),
            ));
        }
        Err(AppError::Validation(errors)) => {
            server_errors.set(errors);
            focus_first_error();
        }
        Err(error) => message.set(Some(app.handle_error(&error))),
    });
    let lock = Action::new(|(cool, prefecture, locked): &(i64, i64, bool)| {
        set_data_lock(*cool, *prefecture, *locked)
    });
    let locking = lock.pending();
    on_each_answer(lock, move |answer| match answer {
        Ok(table) => {
            let t = supply_texts(app.lang.get_untracked());
            notice.set(Some(
                if table.locked {
                    t.lock_saved
                } else {
                    t.unlock_saved
                }
                .to_string(),
            ));
            take(table);
        }
        Err(error) => message.set(Some(app.handle_error(&error))),
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        submitted.set(true);
        server_errors.set(FieldErrors::new());
        message.set(None);
        notice.set(None);
        if !client_errors.with(FieldErrors::is_empty) {
            focus_first_error();
            return;
        }
        if saving.get_untracked() {
            return;
        }
        let t = current.get_untracked();
        save.dispatch(AllocationSave {
            cool_id: t.cool.id,
            level: t.level.clone(),
            version: t.version,
            rows: rows_typed(),
        });
    };
    let apply_proposal = move |_| {
        current.with_untracked(|t| {
            typed.with_value(|typed| {
                for (signal, row) in typed.iter().zip(&t.rows) {
                    signal.set(row.proposed.to_string());
                }
            })
        });
    };
    let t = move || supply_texts(app.lang.get());
    let lock_controls = move || {
        let table = current.get();
        let AllocationLevel::Prefecture(prefecture) = table.level else {
            return None;
        };
        table.may_lock.then(|| {
            let cool = table.cool.id;
            let locked = table.locked;
            view! {
                <button type="button" class="button secondary" disabled=move || locking.get()
                    on:click=move |_| { message.set(None); lock.dispatch((cool, prefecture, !locked)); }>
                    {move || if locked { t().unlock_button } else { t().lock_button }}
                </button>
            }
        })
    };
    view! {
        {move || current.with(|t| cool_facts(app.lang.get(), &t.cool))}
        <section class="panel" aria-labelledby="allocation-title">
            <h2 id="allocation-title">{move || format!("{} — {}", t().allocation_title, current.with(|t| t.area.clone()))}</h2>
            {move || current.with(|t| t.locked).then(|| view! { <p class="alert warning" role="status">{t().locked_note}</p> })}
            {move || notice.get().map(|m| view! { <div class="notice" role="status">{m}</div> })}
            <FormMessage message=message/>
            <dl class="counts">
                <div class="count"><dt>{move || t().available_label}</dt><dd>{move || current.with(|t| t.available)}</dd></div>
                <div class="count"><dt>{move || t().allocated_label}</dt><dd>{move || sum.get()}</dd></div>
                <div class="count"><dt>{move || t().remaining_label}</dt>
                    <dd>{move || current.with(|t| t.available as i64) - sum.get() as i64}</dd></div>
            </dl>
            {move || error_of("total").map(|e| view! { <p class="alert" role="alert" id="allocation-total-error">{field_error(app.lang.get(), &e)}</p> })}
            <form novalidate on:submit=submit>
                {move || allocation_rows(app.lang.get(), current.get(), typed.get_value(), error_of)}
                <div class="form-actions">
                    {move || current.with(|t| t.editable).then(|| view! {
                        <button type="button" class="button secondary" on:click=apply_proposal>{t().apply_proposal}</button>
                        <button type="submit" class="button primary" disabled=move || saving.get()>{t().save_button}</button>
                    })}
                    {lock_controls}
                </div>
            </form>
        </section>
    }
}

fn allocation_rows(
    lang: Lang,
    table: AllocationTable,
    typed: Vec<RwSignal<String>>,
    error_of: impl Fn(&str) -> Option<crate::error::FieldError> + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let t = supply_texts(lang);
    let editable = table.editable;
    let national = matches!(table.level, AllocationLevel::National);
    let cool_id = table.cool.id;
    view! {
        <div class="table-wrap">
            <table class="table" aria-label=format!("{} — {}", t.allocation_title, table.area)>
                <thead><tr>
                    <th scope="col">{match table.level {
                        AllocationLevel::National => t.col_prefecture,
                        AllocationLevel::Prefecture(_) => t.col_municipality,
                        AllocationLevel::Municipality(_) => t.col_site,
                    }}</th>
                    <th scope="col" class="num">{t.col_requested}</th>
                    <th scope="col" class="num">{t.col_proposed}</th>
                    <th scope="col" class="num">{t.col_allocated}</th>
                </tr></thead>
                <tbody>
                    {table.rows.into_iter().zip(typed).map(|(row, value)| {
                        let target = row.target.clone();
                        let id = format!("allocation-{}", row.target);
                        let error_id = format!("{id}-error");
                        let requested = row.requested;
                        let over = move || {
                            let boxes = u64::from(parse_boxes(&value.get(), MAX_BOXES).unwrap_or(0));
                            requested.is_some_and(|r| boxes > r)
                        };
                        let error_target = target.clone();
                        let invalid_target = target.clone();
                        let message = move || error_of(&error_target).map(|e| field_error(lang, &e));
                        let label = format!("{} {}", t.col_allocated, row.name);
                        let name = if national && row.boxes > 0 {
                            view! { <a href=format!("/cools/{cool_id}/allocation/prefecture/{}", row.target)>{row.name.clone()}</a> }.into_any()
                        } else {
                            view! { <span>{row.name.clone()}</span> }.into_any()
                        };
                        view! { <tr class:missing=requested.is_none()>
                            <th scope="row">{name} {row.locked.then(|| view! { " " <span class="state-badge warning">{t.lock_button}</span> })}</th>
                            <td class="num">{requested.map(|r| r.to_string()).unwrap_or_else(|| t.not_registered.to_string())}</td>
                            <td class="num">{row.proposed}</td>
                            <td class="num">
                                {if editable && !row.locked {
                                    view! {
                                        <input id=id class="boxes-input" type="text" inputmode="numeric" aria-label=label
                                            aria-invalid=move || if error_of(&invalid_target).is_some() { "true" } else { "false" }
                                            aria-describedby=error_id.clone()
                                            prop:value=move || value.get() on:input=move |ev| value.set(event_target_value(&ev))/>
                                    }.into_any()
                                } else {
                                    view! { <span>{move || value.get()}</span> }.into_any()
                                }}
                                <span class="field-error" id=error_id role="alert">{message}</span>
                                {move || over().then(|| view! { <span class="state-badge warning">{t.over_request}</span> })}
                            </td>
                        </tr> }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}
