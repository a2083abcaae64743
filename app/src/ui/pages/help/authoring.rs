//! `/notices/manage`: the notices of the author's organisation (national, prefecture,
//! municipality): write, edit and withdraw them, with their audience (roles, and regions inside
//! the author's own area) and 掲載期間; and `/policy`, where a system administrator writes a new
//! 個人情報保護方針, previews it, sees what changed, and publishes it (everyone consents again).

use crate::api::{
    authored_notices, current_policy, notice_regions, publish_policy, save_notice, withdraw_notice,
    AuthoredNotice, NoticeState, RegionOption,
};
use crate::domain::help::{line_diff, reachable_roles, DiffLine, NoticeForm};
use crate::error::{AppError, FieldErrors};
use crate::i18n::errors::{app_error, field_error};
use crate::i18n::help::help_texts;
use crate::i18n::{role_name, Lang};
use crate::ui::context::use_app;
use crate::ui::dialog::ConfirmDialog;
use crate::ui::shell::{loaded, Loading};
use leptos::html;
use leptos::prelude::*;

fn state_name(lang: Lang, state: NoticeState) -> &'static str {
    match (lang, state) {
        (Lang::Ja, NoticeState::Scheduled) => "掲載前",
        (Lang::Ja, NoticeState::Showing) => "掲載中",
        (Lang::Ja, NoticeState::Ended) => "掲載終了",
        (Lang::Ja, NoticeState::Withdrawn) => "取り下げ",
        (Lang::En, NoticeState::Scheduled) => "Scheduled",
        (Lang::En, NoticeState::Showing) => "Showing",
        (Lang::En, NoticeState::Ended) => "Ended",
        (Lang::En, NoticeState::Withdrawn) => "Withdrawn",
    }
}

/// `/notices/manage`.
#[component]
pub fn NoticeAuthoringPage() -> impl IntoView {
    let app = use_app();
    let t = move || help_texts(app.lang.get());
    let data = Resource::new(
        || (),
        |_| async { Ok::<_, AppError>((authored_notices().await?, notice_regions().await?)) },
    );
    view! {
        <h1>{move || t().manage_notices}</h1>
        <Transition fallback=Loading>
            {loaded(data, |(notices, regions)| view! { <Authoring notices regions/> })}
        </Transition>
    }
}

fn today() -> String {
    crate::domain::jst_date(chrono::Utc::now()).to_string()
}

#[component]
fn Authoring(notices: Vec<AuthoredNotice>, regions: Vec<RegionOption>) -> impl IntoView {
    let app = use_app();
    let t = move || help_texts(app.lang.get());
    let role = app.session.get_untracked().map(|s| s.role);
    let notices = RwSignal::new(notices);
    let editing = RwSignal::new(None::<i64>);
    let blank = move || NoticeForm {
        valid_from: today(),
        valid_until: crate::domain::jst_date(chrono::Utc::now() + chrono::TimeDelta::days(30))
            .to_string(),
        ..NoticeForm::default()
    };
    let form = RwSignal::new(blank());
    let errors = RwSignal::new(FieldErrors::new());
    let message = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let confirm_open = RwSignal::new(false);
    let withdrawing = RwSignal::new(None::<AuthoredNotice>);
    let withdraw_button = NodeRef::<html::Button>::new();
    let error_of = move |field: &'static str| {
        move || {
            errors
                .get()
                .get(field)
                .map(|e| field_error(app.lang.get(), e))
        }
    };
    let replace = move |saved: AuthoredNotice| {
        notices.update(
            |list| match list.iter_mut().find(|n| n.notice.id == saved.notice.id) {
                Some(slot) => *slot = saved,
                None => list.insert(0, saved),
            },
        )
    };
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let current = form.get_untracked();
        if let Some(Err(found)) = role.map(|role| current.validate(role)) {
            errors.set(found);
            return;
        }
        busy.set(true);
        leptos::task::spawn_local(async move {
            let lang = app.lang.get_untracked();
            let result = save_notice(editing.get_untracked(), current).await;
            busy.set(false);
            match result {
                Ok(saved) => {
                    replace(saved);
                    errors.set(FieldErrors::new());
                    editing.set(None);
                    form.set(blank());
                    message.set(Some(help_texts(lang).notice_saved.to_string()));
                }
                Err(AppError::Validation(found)) => errors.set(found),
                Err(error) => message.set(Some(app_error(lang, &error))),
            }
        });
    };
    let roles = role.map(reachable_roles).unwrap_or(&[]);
    let text_field = move |id: &'static str,
                           label: fn(Lang) -> &'static str,
                           get: fn(&NoticeForm) -> String,
                           set: fn(&mut NoticeForm, String),
                           kind: &'static str| {
        view! {
            <div class="field">
                <label for=format!("notice-{id}")>{move || label(app.lang.get())}</label>
                <input id=format!("notice-{id}") type=kind prop:value=move || get(&form.get())
                    on:input=move |ev| form.update(|f| set(f, event_target_value(&ev)))
                    aria-invalid=move || errors.get().get(id).is_some().to_string()/>
                <p class="field-error" role="alert">{error_of(id)}</p>
            </div>
        }
    };
    view! {
        {move || message.get().map(|m| view! { <div class="notice" role="status">{m}</div> })}
        <form class="panel" novalidate on:submit=save>
            <h2>{move || if editing.get().is_some() { t().edit_notice } else { t().new_notice }}</h2>
            {text_field("title", |l| help_texts(l).subject, |f| f.title.clone(), |f, v| f.title = v, "text")}
            <div class="field">
                <label for="notice-body">{move || t().notice_body}</label>
                <textarea id="notice-body" rows="6" prop:value=move || form.get().body
                    on:input=move |ev| form.update(|f| f.body = event_target_value(&ev))
                    aria-invalid=move || errors.get().get("body").is_some().to_string()></textarea>
                <p class="field-error" role="alert">{error_of("body")}</p>
            </div>
            <div class="field checkbox">
                <label><input type="checkbox" prop:checked=move || form.get().important
                    on:change=move |ev| form.update(|f| f.important = event_target_checked(&ev))/>{move || t().important}</label>
            </div>
            {text_field("valid_from", |l| help_texts(l).valid_from, |f| f.valid_from.clone(), |f, v| f.valid_from = v, "date")}
            {text_field("valid_until", |l| help_texts(l).valid_until, |f| f.valid_until.clone(), |f, v| f.valid_until = v, "date")}
            <fieldset class="field">
                <legend>{move || t().audience_roles}</legend>
                {roles.iter().map(|r| {
                    let r = *r;
                    view! {
                        <label class="checkbox"><input type="checkbox" prop:checked=move || form.get().roles.contains(&r)
                            on:change=move |ev| {
                                let on = event_target_checked(&ev);
                                form.update(|f| {
                                    f.roles.retain(|x| *x != r);
                                    if on { f.roles.push(r); }
                                });
                            }/>{move || role_name(app.lang.get(), r)}</label>
                    }
                }).collect_view()}
                <p class="field-error" role="alert">{error_of("roles")}</p>
            </fieldset>
            {(!regions.is_empty()).then(|| view! {
                <fieldset class="field region-choices">
                    <legend>{move || t().audience_regions}</legend>
                    <p class="hint">{move || t().regions_hint}</p>
                    {regions.iter().map(|region| {
                        let code = region.code.clone();
                        let code_for_check = code.clone();
                        view! {
                            <label class="checkbox"><input type="checkbox" prop:checked=move || form.get().regions.contains(&code_for_check)
                                on:change=move |ev| {
                                    let on = event_target_checked(&ev);
                                    let code = code.clone();
                                    form.update(|f| {
                                        f.regions.retain(|x| *x != code);
                                        if on { f.regions.push(code); }
                                    });
                                }/>{region.name.clone()}</label>
                        }
                    }).collect_view()}
                    <p class="field-error" role="alert">{error_of("regions")}</p>
                </fieldset>
            })}
            <div class="form-actions">
                <button type="submit" class="button primary" disabled=move || busy.get()>{move || t().save_notice}</button>
                <Show when=move || editing.get().is_some()>
                    <button type="button" class="button secondary" on:click=move |_| { editing.set(None); form.set(blank()); errors.set(FieldErrors::new()); }>{move || t().cancel}</button>
                </Show>
            </div>
        </form>
        <h2>{move || t().own_notices}</h2>
        <div class="table-wrap" tabindex="0"><table class="table">
            <thead><tr>
                <th scope="col">{move || t().subject}</th>
                <th scope="col">{move || t().period}</th>
                <th scope="col">{move || t().status}</th>
                <th scope="col">{move || t().audience_roles}</th>
                <th scope="col">{move || t().actions}</th>
            </tr></thead>
            <tbody>
                {move || notices.get().into_iter().map(|n| {
                    let lang = app.lang.get();
                    let open = matches!(n.state, NoticeState::Scheduled | NoticeState::Showing);
                    let for_edit = n.clone();
                    let for_withdraw = n.clone();
                    let roles: Vec<&str> = n.roles.iter().map(|r| role_name(lang, *r)).collect();
                    let regions = if n.region_names.is_empty() { String::new() } else { format!("（{}）", n.region_names.join("・")) };
                    view! {
                        <tr>
                            <td>{n.notice.important.then_some("【重要】")}{n.notice.title.clone()}</td>
                            <td>{format!("{} – {}", n.notice.valid_from, n.notice.valid_until)}</td>
                            <td>{state_name(lang, n.state)}</td>
                            <td>{format!("{}{regions}", roles.join("・"))}</td>
                            <td>
                                {open.then(|| view! {
                                    <button type="button" class="button secondary" on:click=move |_| {
                                        editing.set(Some(for_edit.notice.id));
                                        form.set(for_edit.form.clone());
                                        errors.set(FieldErrors::new());
                                    }>{help_texts(lang).edit}</button>
                                    <button type="button" class="button secondary" node_ref=withdraw_button on:click=move |_| {
                                        withdrawing.set(Some(for_withdraw.clone()));
                                        confirm_open.set(true);
                                    }>{help_texts(lang).withdraw}</button>
                                })}
                            </td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table></div>
        <ConfirmDialog open=confirm_open
            title=Signal::derive(move || help_texts(app.lang.get()).withdraw_title.to_string())
            subject=Signal::derive(move || withdrawing.get().map(|n| n.notice.title).unwrap_or_default())
            detail=Signal::derive(move || help_texts(app.lang.get()).withdraw_detail.to_string())
            confirm_label=Signal::derive(move || help_texts(app.lang.get()).withdraw.to_string())
            cancel_label=Signal::derive(move || help_texts(app.lang.get()).cancel.to_string())
            return_focus=withdraw_button
            on_confirm=Callback::new(move |_| {
                let Some(notice) = withdrawing.get_untracked() else { return };
                leptos::task::spawn_local(async move {
                    let lang = app.lang.get_untracked();
                    match withdraw_notice(notice.notice.id).await {
                        Ok(saved) => {
                            replace(saved);
                            message.set(Some(help_texts(lang).withdrawn.to_string()));
                        }
                        Err(error) => message.set(Some(app_error(lang, &error))),
                    }
                });
            })/>
    }
}

/// `/policy`: a new version of 「V-SYSにおける個人情報保護方針」.
#[component]
pub fn PolicyPage() -> impl IntoView {
    let app = use_app();
    let t = move || help_texts(app.lang.get());
    let current = Resource::new(|| (), |_| current_policy());
    view! {
        <h1>{move || t().policy_title}</h1>
        <Transition fallback=Loading>
            {loaded(current, |policy| view! { <PolicyEditor version=policy.version body_ja=policy.body_ja body_en=policy.body_en/> })}
        </Transition>
    }
}

fn diff_view(old: &str, new: &str) -> impl IntoView {
    line_diff(old, new)
        .into_iter()
        .map(|line| match line {
            DiffLine::Same(text) => {
                view! { <li class="same">{format!("  {text}")}</li> }.into_any()
            }
            DiffLine::Removed(text) => {
                view! { <li class="removed"><del>{format!("− {text}")}</del></li> }.into_any()
            }
            DiffLine::Added(text) => {
                view! { <li class="added"><ins>{format!("+ {text}")}</ins></li> }.into_any()
            }
        })
        .collect_view()
}

#[component]
fn PolicyEditor(version: i64, body_ja: String, body_en: String) -> impl IntoView {
    let app = use_app();
    let t = move || help_texts(app.lang.get());
    let (old_ja, old_en) = (body_ja.clone(), body_en.clone());
    let ja = RwSignal::new(body_ja);
    let en = RwSignal::new(body_en);
    let version = RwSignal::new(version);
    let message = RwSignal::new(None::<String>);
    let error = RwSignal::new(None::<String>);
    let confirm_open = RwSignal::new(false);
    let publish_button = NodeRef::<html::Button>::new();
    let old_ja = StoredValue::new(old_ja);
    let old_en = StoredValue::new(old_en);
    let unchanged = move || {
        ja.get().trim() == old_ja.get_value().trim() && en.get().trim() == old_en.get_value().trim()
    };
    view! {
        <p class="muted">{move || format!("{} {}", t().current_version, version.get())}</p>
        {move || message.get().map(|m| view! { <div class="notice" role="status">{m}</div> })}
        {move || error.get().map(|m| view! { <div class="alert" role="alert">{m}</div> })}
        <div class="policy-editor">
            <div class="field">
                <label for="policy-ja">{move || t().policy_ja}</label>
                <textarea id="policy-ja" rows="14" prop:value=move || ja.get() on:input=move |ev| ja.set(event_target_value(&ev))></textarea>
            </div>
            <div class="field">
                <label for="policy-en">{move || t().policy_en}</label>
                <textarea id="policy-en" rows="14" prop:value=move || en.get() on:input=move |ev| en.set(event_target_value(&ev))></textarea>
            </div>
        </div>
        <section class="panel" aria-labelledby="policy-preview">
            <h2 id="policy-preview">{move || t().preview}</h2>
            <div class="policy-text pre-line">{move || ja.get()}</div>
        </section>
        <section class="panel" aria-labelledby="policy-changes">
            <h2 id="policy-changes">{move || t().changes}</h2>
            <ul class="diff">{move || diff_view(&old_ja.get_value(), &ja.get())}</ul>
            <ul class="diff">{move || diff_view(&old_en.get_value(), &en.get())}</ul>
        </section>
        <p class="hint">{move || t().publish_note}</p>
        <button type="button" class="button primary" node_ref=publish_button disabled=unchanged
            on:click=move |_| confirm_open.set(true)>{move || t().publish}</button>
        <ConfirmDialog open=confirm_open
            title=Signal::derive(move || help_texts(app.lang.get()).publish_title.to_string())
            subject=Signal::derive(move || format!("{} {}", help_texts(app.lang.get()).current_version, version.get() + 1))
            detail=Signal::derive(move || help_texts(app.lang.get()).publish_note.to_string())
            confirm_label=Signal::derive(move || help_texts(app.lang.get()).publish.to_string())
            cancel_label=Signal::derive(move || help_texts(app.lang.get()).cancel.to_string())
            return_focus=publish_button
            on_confirm=Callback::new(move |_| {
                leptos::task::spawn_local(async move {
                    let lang = app.lang.get_untracked();
                    match publish_policy(ja.get_untracked(), en.get_untracked()).await {
                        Ok(published) => {
                            version.set(published);
                            old_ja.set_value(ja.get_untracked());
                            old_en.set_value(en.get_untracked());
                            error.set(None);
                            message.set(Some(format!("{} {published}", help_texts(lang).published_version)));
                        }
                        Err(AppError::Validation(found)) => error.set(found.0.values().next().map(|e| field_error(lang, e))),
                        Err(e) => error.set(Some(app_error(lang, &e))),
                    }
                });
            })/>
    }
}
