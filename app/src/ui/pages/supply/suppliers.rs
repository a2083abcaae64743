//! 製薬メーカー・卸と担当地域 (`/suppliers`): who delivers where, one prefecture at a time.
//! National and admin users register suppliers and add or remove areas; a prefecture reads who
//! serves it.

use super::{new_entry_form, EntryTexts};
use crate::api::{
    add_supplier_area, load_supplier_areas, register_supplier, remove_supplier_area, AreaRow,
    Choice, SupplierAreas,
};
use crate::domain::form_fields::Section as _;
use crate::domain::{AreaForm, SupplierForm, SupplySection, AREA_MUNICIPALITY_LIST, SUPPLIER_LIST};
use crate::i18n::stock::stock_texts;
use crate::i18n::supply::supply_texts;
use crate::i18n::Lang;
use crate::ui::context::use_app;
use crate::ui::form::{on_each_answer, FormMessage};
use crate::ui::shell::{loaded, Loading};
use leptos::prelude::*;

/// `/suppliers`.
#[component]
pub fn SuppliersPage() -> impl IntoView {
    let app = use_app();
    let chosen = RwSignal::new(None::<u8>);
    let areas = Resource::new(move || chosen.get(), load_supplier_areas);
    view! {
        <h1>{move || supply_texts(app.lang.get()).suppliers_title}</h1>
        <Transition fallback=Loading>
            {loaded(areas, move |areas| view! { <Areas areas chosen/> })}
        </Transition>
    }
}

#[component]
fn Areas(areas: SupplierAreas, chosen: RwSignal<Option<u8>>) -> impl IntoView {
    let app = use_app();
    let t = move || supply_texts(app.lang.get());
    let shown = areas.prefecture;
    let editable = areas.editable;
    let choices = areas.prefectures.clone();
    let areas = RwSignal::new(areas);
    let notice = RwSignal::new(None::<String>);
    let message = RwSignal::new(None::<String>);
    let picker = (choices.len() > 1).then(|| {
        view! {
            <div class="field inline">
                <label for="suppliers-prefecture">{move || stock_texts(app.lang.get()).prefecture_label}</label>
                <select id="suppliers-prefecture" on:change=move |ev| chosen.set(event_target_value(&ev).parse().ok())>
                    {choices.iter().map(|c| {
                        let selected = c.value == shown.to_string();
                        view! { <option value=c.value.clone() selected=selected>{c.label.clone()}</option> }
                    }).collect_view()}
                </select>
            </div>
        }
    });
    let remove = Action::new(move |(supplier, municipality): &(i64, Option<String>)| {
        remove_supplier_area(shown, *supplier, municipality.clone())
    });
    on_each_answer(remove, move |answer| match answer {
        Ok(updated) => {
            areas.set(updated);
            message.set(None);
            notice.set(Some(t().area_removed.to_string()));
        }
        Err(error) => message.set(Some(app.handle_error(&error))),
    });
    let removing = remove.pending();
    // The forms offer the suppliers and municipalities of the areas shown: rebuilt when those
    // change (a new supplier, an area added or removed), so their checks see what stands now.
    let offered = Memo::new(move |_| {
        areas.with(|a| (a.suppliers.clone(), a.municipalities.clone(), a.entries()))
    });
    let forms = move || {
        if !editable {
            return None;
        }
        let (suppliers, municipalities, entries) = offered.get();
        let whole = Choice {
            value: String::new(),
            label: format!(
                "{}（{}）",
                areas.with_untracked(|a| a.prefecture_name.clone()),
                supply_texts(app.lang.get_untracked()).whole_prefecture
            ),
        };
        let names: Vec<String> = suppliers.iter().map(|s| s.label.clone()).collect();
        let supplier_ids: Vec<String> = suppliers.iter().map(|s| s.value.clone()).collect();
        let codes: Vec<String> = municipalities.iter().map(|m| m.value.clone()).collect();
        let given = [
            (SUPPLIER_LIST, suppliers),
            (
                AREA_MUNICIPALITY_LIST,
                std::iter::once(whole).chain(municipalities).collect(),
            ),
        ];
        Some(view! {
            {new_entry_form(
                "area-",
                given.into_iter().collect(),
                AreaForm::default(),
                move |form: &AreaForm| form.validate(&supplier_ids, &codes, &entries).err().unwrap_or_default(),
                move |form: AreaForm| add_supplier_area(shown, form),
                EntryTexts {
                    title: |l| SupplySection::Area.title().get(l),
                    button: |l| supply_texts(l).add_area_button,
                    saved: |l| supply_texts(l).area_added,
                },
                notice,
                move |updated: SupplierAreas| areas.set(updated),
            )}
            {new_entry_form(
                "supplier-",
                Default::default(),
                SupplierForm::default(),
                move |form: &SupplierForm| form.validate(&names).err().unwrap_or_default(),
                move |form: SupplierForm| register_supplier(shown, form),
                EntryTexts {
                    title: |l| SupplySection::Supplier.title().get(l),
                    button: |l| supply_texts(l).register_supplier_button,
                    saved: |l| supply_texts(l).supplier_registered,
                },
                notice,
                move |updated: SupplierAreas| areas.set(updated),
            )}
        })
    };
    view! {
        {picker}
        {(!editable).then(|| view! { <p class="muted">{move || t().areas_read_only}</p> })}
        <FormMessage message=message/>
        {move || notice.get().map(|m| view! { <div class="notice" role="status">{m}</div> })}
        <section class="panel" aria-labelledby="areas-title">
            <h2 id="areas-title">{move || format!("{} — {}", t().col_area, areas.with(|a| a.prefecture_name.clone()))}</h2>
            {move || areas.with(|a| areas_table(app.lang.get(), &a.rows, editable, remove, removing))}
        </section>
        {forms}
    }
}

/// The areas in the prefecture, one row per supplier and part, with 担当から外す for editors.
fn areas_table(
    lang: Lang,
    rows: &[AreaRow],
    editable: bool,
    remove: Action<(i64, Option<String>), Result<SupplierAreas, crate::error::AppError>>,
    removing: Memo<bool>,
) -> AnyView {
    let t = supply_texts(lang);
    if rows.is_empty() {
        return view! { <p class="muted">{t.areas_empty}</p> }.into_any();
    }
    let rows = rows
        .iter()
        .map(|r| {
            let area = r
                .municipality
                .clone()
                .unwrap_or_else(|| t.whole_prefecture.to_string());
            let label = format!("{} {} {}", t.remove_area_button, r.supplier, area);
            let target = (r.supplier_id, r.municipality_code.clone());
            view! {
                <tr>
                    <th scope="row">{r.supplier.clone()}</th>
                    <td>{area}</td>
                    {editable.then(|| view! {
                        <td>
                            <button type="button" class="button secondary" aria-label=label
                                disabled=move || removing.get()
                                on:click=move |_| { remove.dispatch(target.clone()); }>
                                {t.remove_area_button}
                            </button>
                        </td>
                    })}
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="table-wrap">
            <table class="table" aria-label=t.suppliers_title>
                <thead><tr>
                    <th scope="col">{t.tab_suppliers}</th>
                    <th scope="col">{t.col_area}</th>
                    {editable.then(|| view! { <th scope="col"><span class="visually-hidden">{lang.texts().actions_column}</span></th> })}
                </tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
    .into_any()
}
