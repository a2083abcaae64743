//! ワクチン・針・シリンジマスタ (every role reads it; national and admin users edit a vaccine in
//! place) and 納入ロット (every role reads them; suppliers and national users register them).

use super::{all_fields, new_entry_form, small_editor, vaccine_options, EntryTexts};
use crate::api::{
    list_lots, list_vaccines, register_lot, save_vaccine, LotList, LotRow, VaccineEdit,
    VaccineMasterList, VaccineRow,
};
use crate::domain::{LotForm, VaccineForm};
use crate::error::AppError;
use crate::i18n::supply::supply_texts;
use crate::i18n::Lang;
use crate::ui::context::use_app;
use crate::ui::fields::{summary_fields, FieldSignals};
use crate::ui::form::{on_each_answer, ErrorSummary, FormMessage, FormState};
use crate::ui::shell::{loaded, Loading};
use leptos::prelude::*;

/// ワクチン・針・シリンジマスタ.
#[component]
pub fn VaccineMasterPage() -> impl IntoView {
    let app = use_app();
    let list = Resource::new(|| (), |_| list_vaccines());
    view! {
        <h1>{move || supply_texts(app.lang.get()).master_title}</h1>
        <Transition fallback=Loading>
            {loaded(list, |list| view! { <VaccineMaster list/> })}
        </Transition>
    }
}

#[component]
fn VaccineMaster(list: VaccineMasterList) -> impl IntoView {
    let app = use_app();
    let rows = RwSignal::new(list.vaccines);
    let editing = RwSignal::new(None::<VaccineRow>);
    let notice = RwSignal::new(None::<String>);
    let editable = list.editable;
    view! {
        {move || notice.get().map(|m| view! { <div class="notice" role="status">{m}</div> })}
        {move || vaccines_table(app.lang.get(), rows.get(), editable, editing)}
        {move || editing.get().map(|row| view! { <VaccineEditor row rows editing notice/> })}
    }
}

fn vaccines_table(
    lang: Lang,
    rows: Vec<VaccineRow>,
    editable: bool,
    editing: RwSignal<Option<VaccineRow>>,
) -> impl IntoView {
    let t = supply_texts(lang);
    view! {
        <div class="table-wrap">
            <table class="table" aria-label=t.master_title>
                <thead><tr>
                    <th scope="col">{t.col_vaccine}</th><th scope="col" class="num">{t.col_doses}</th>
                    <th scope="col" class="num">{t.col_vials}</th><th scope="col" class="num">{t.col_needles}</th>
                    <th scope="col" class="num">{t.col_syringes}</th><th scope="col">{t.col_note}</th>
                    <th scope="col">{t.col_storage}</th>
                    {editable.then(|| view! { <th scope="col"><span class="visually-hidden">{lang.texts().actions_column}</span></th> })}
                </tr></thead>
                <tbody>
                    {rows.into_iter().map(|v| {
                        let name = if lang == Lang::Ja { v.name.clone() } else { v.name_en.clone() };
                        let label = format!("{} {}", t.edit_button, name);
                        let row = v.clone();
                        view! { <tr>
                            <th scope="row">{name}</th>
                            <td class="num">{v.master.doses_per_vial}</td>
                            <td class="num">{v.master.vials_per_box}</td>
                            <td class="num">{v.master.needles_per_vial}</td>
                            <td class="num">{v.master.syringes_per_vial}</td>
                            <td>{v.needle_syringe_note.clone()}</td>
                            <td>{format!("{}〜{}℃", v.storage_min_c, v.storage_max_c)}</td>
                            {editable.then(|| view! { <td>
                                <button type="button" class="button secondary" aria-label=label
                                    on:click=move |_| editing.set(Some(row.clone()))>{t.edit_button}</button>
                            </td> })}
                        </tr> }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

/// One vaccine of the master being edited. A conflict reloads the master and keeps what the
/// user typed.
#[component]
fn VaccineEditor(
    row: VaccineRow,
    rows: RwSignal<Vec<VaccineRow>>,
    editing: RwSignal<Option<VaccineRow>>,
    notice: RwSignal<Option<String>>,
) -> impl IntoView {
    let app = use_app();
    let values = FieldSignals::<VaccineForm>::new();
    values.set_all(&row.form());
    let state = FormState::new();
    let errors = Memo::new(move |_| values.form.with(|f| f.validate().err().unwrap_or_default()));
    let ed = small_editor(values, errors, state, Default::default(), "vaccine-");
    let version = RwSignal::new(row.version);
    let code = row.code.clone();
    let save = state
        .action(|edit: &VaccineEdit| save_vaccine(edit.clone()))
        .on_success(move |saved: VaccineRow| {
            rows.update(|rows| {
                if let Some(slot) = rows.iter_mut().find(|r| r.code == saved.code) {
                    *slot = saved;
                }
            });
            editing.set(None);
            notice.set(Some(
                supply_texts(app.lang.get_untracked())
                    .vaccine_saved
                    .to_string(),
            ));
        });
    // After a conflict the latest master is shown and the next save goes against it.
    let reload = Action::new(|_: &()| list_vaccines());
    on_each_answer(reload, move |answer| {
        if let Ok(list) = answer {
            if let Some(latest) = list.vaccines.iter().find(|v| v.code == code) {
                version.set(latest.version);
            }
            rows.set(list.vaccines);
        }
    });
    Effect::new(move |_| {
        if let Some(Err(AppError::EditConflict(_))) = save.value().get() {
            reload.dispatch(());
        }
    });
    let pending = save.pending();
    let t = move || supply_texts(app.lang.get());
    let summary = Signal::derive(move || summary_fields::<VaccineForm>(app.lang.get(), "vaccine-"));
    let title = row.name.clone();
    let submit_code = row.code.clone();
    view! {
        <section class="panel" aria-labelledby="vaccine-edit-title">
            <h2 id="vaccine-edit-title">{title}</h2>
            <FormMessage message=state.message/>
            <form novalidate class="record-form" on:submit=move |ev| {
                ev.prevent_default();
                let edit = VaccineEdit {
                    code: submit_code.clone(),
                    version: version.get_untracked(),
                    form: values.form.get_untracked(),
                };
                save.submit(&errors.get_untracked(), edit);
            }>
                <ErrorSummary state=state errors=errors fields=summary/>
                {all_fields(app, ed)}
                <div class="form-actions">
                    <button type="submit" class="button primary" disabled=move || pending.get()>{move || t().save_button}</button>
                    <button type="button" class="button secondary" on:click=move |_| editing.set(None)>{move || t().cancel_button}</button>
                </div>
            </form>
        </section>
    }
}

/// 納入ロット: the lots, and for suppliers and national users 納入ロットの登録.
#[component]
pub fn LotsPage() -> impl IntoView {
    let app = use_app();
    let list = Resource::new(|| (), |_| list_lots());
    view! {
        <h1>{move || supply_texts(app.lang.get()).lots_title}</h1>
        <Transition fallback=Loading>
            {loaded(list, |list| view! { <Lots list/> })}
        </Transition>
    }
}

#[component]
fn Lots(list: LotList) -> impl IntoView {
    let app = use_app();
    let lots = RwSignal::new(list.lots);
    let notice = RwSignal::new(None::<String>);
    let form = list.may_register.then(|| {
        let (given, codes) = vaccine_options(&list.vaccines);
        new_entry_form(
            "lot-",
            given,
            LotForm::default(),
            move |form: &LotForm| form.validate(&codes).err().unwrap_or_default(),
            register_lot,
            EntryTexts {
                title: |l| supply_texts(l).register_lot_title,
                button: |l| supply_texts(l).register_lot_button,
                saved: |l| supply_texts(l).lot_registered,
            },
            notice,
            move |lot: LotRow| lots.update(|l| l.insert(0, lot)),
        )
    });
    view! {
        {move || notice.get().map(|m| view! { <div class="notice" role="status">{m}</div> })}
        {move || lots_table(app.lang.get(), lots.get())}
        {form}
    }
}

fn lots_table(lang: Lang, lots: Vec<LotRow>) -> impl IntoView {
    let t = supply_texts(lang);
    if lots.is_empty() {
        return view! { <p class="muted">{t.lots_empty}</p> }.into_any();
    }
    view! {
        <div class="table-wrap">
            <table class="table" aria-label=t.lots_title>
                <thead><tr>
                    <th scope="col">{t.col_vaccine}</th><th scope="col">{t.col_lot}</th>
                    <th scope="col">{t.col_expiry}</th><th scope="col">{t.col_supplier}</th>
                </tr></thead>
                <tbody>
                    {lots.into_iter().map(|l| view! { <tr class:expired=l.expired>
                        <td>{l.vaccine_name.clone()}</td>
                        <td>{l.lot_number.clone()}</td>
                        <td>{l.expires_on.clone()} {l.expired.then(|| view! { " " <span class="state-badge warning">{t.expired}</span> })}</td>
                        <td>{l.supplier.clone().unwrap_or_else(|| "—".into())}</td>
                    </tr> }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}
