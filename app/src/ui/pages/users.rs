//! ユーザ一覧 (unlock, disable, resend link) and ID発行.

use crate::api::{
    issue_user, list_municipalities, list_sites, list_users, load_issue_options, resend_setup_link,
    reset_totp, set_user_disabled, unlock_user, Choice, IssueUserForm,
};
use crate::domain::Role;
use crate::error::AppError;
use crate::i18n::{role_name, short_time};
use crate::ui::context::use_app;
use crate::ui::form::{
    on_each_answer, required_mark, ErrorSummary, FormMessage, FormState, SummaryField, TextField,
};
use crate::ui::shell::{loaded, Loading};
use leptos::prelude::*;
use leptos_router::components::A;

/// What can be done to one user from the list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum UserChange {
    Unlock,
    ResendLink,
    ResetTotp,
    SetDisabled(bool),
}

/// Asks the server for `change` to user `user_id`.
async fn change_user(user_id: i64, change: UserChange) -> Result<(), AppError> {
    match change {
        UserChange::Unlock => unlock_user(user_id).await,
        UserChange::ResendLink => resend_setup_link(user_id).await,
        UserChange::ResetTotp => reset_totp(user_id).await,
        UserChange::SetDisabled(disabled) => set_user_disabled(user_id, disabled).await,
    }
}

/// The users in the caller's scope.
#[component]
pub fn UsersPage() -> impl IntoView {
    let app = use_app();
    let text = RwSignal::new(String::new());
    let search = RwSignal::new(String::new());
    let users = Resource::new(move || search.get(), list_users);
    let message = RwSignal::new(None::<String>);
    let change =
        Action::new(|(user_id, change): &(i64, UserChange)| change_user(*user_id, *change));
    let changing = change.pending();
    on_each_answer(change, move |answer| match answer {
        Ok(()) => {
            message.set(Some(app.t().done.to_string()));
            users.refetch();
        }
        Err(error) => message.set(Some(app.handle_error(&error))),
    });
    let on_search = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let typed = text.get_untracked();
        if typed == search.get_untracked() {
            users.refetch();
        } else {
            search.set(typed);
        }
    };
    let act = move |user_id: i64, what: UserChange| {
        change.dispatch((user_id, what));
    };
    view! {
        <h1>{move || app.t().users_title}</h1>
        <form class="toolbar" on:submit=on_search>
            <label for="user-search">{move || app.t().search}</label>
            <input id="user-search" type="search" bind:value=text/>
            <button type="submit" class="button secondary">{move || app.t().search}</button>
            <A href="/users/new" attr:class="button primary">{move || app.t().task_issue_id}</A>
        </form>
        {move || message.get().map(|m| view! { <div class="notice" role="status">{m}</div> })}
        // The list stays on screen while it is asked for again (after a search or a change).
        <Transition fallback=Loading>
            {loaded(users, move |list| view! {
                // Below the tablet breakpoint each row is a card whose cells carry their column's
                // name (data-label), so the buttons stay on screen.
                <div class="table-wrap"><table class="table cards" aria-label=move || app.t().users_title>
                    <thead><tr>
                        <th scope="col">{move || app.t().user_name}</th>
                        <th scope="col">{move || app.t().display_name}</th>
                        <th scope="col">{move || app.t().role}</th>
                        <th scope="col">{move || app.t().organisation}</th>
                        <th scope="col">{move || app.t().email}</th>
                        <th scope="col">{move || app.t().status}</th>
                        <th scope="col"><span class="visually-hidden">{move || app.t().actions_column}</span></th>
                    </tr></thead>
                    <tbody>
                        {list.into_iter().map(|u| {
                            let id = u.id;
                            let disabled = u.disabled;
                            let locked = u.locked_until.clone();
                            let status = {
                                let locked = locked.clone();
                                move || {
                                    let t = app.t();
                                    if disabled { t.status_disabled.to_string() }
                                    else if let Some(until) = &locked { format!("{} ({})", t.status_locked, short_time(until)) }
                                    else if !u.activated { t.status_pending.to_string() }
                                    else { t.status_active.to_string() }
                                }
                            };
                            view! { <tr>
                                <td data-label=move || app.t().user_name>{u.login_id.clone()}</td>
                                <td data-label=move || app.t().display_name>{u.display_name.clone()}</td>
                                <td data-label=move || app.t().role>{move || role_name(app.lang.get(), u.role)}</td>
                                <td data-label=move || app.t().organisation>{u.organisation.clone()}</td>
                                <td data-label=move || app.t().email>{u.email.clone()}</td>
                                <td class="nowrap" data-label=move || app.t().status>{status}</td>
                                <td class="actions">
                                    {locked.is_some().then(|| view! {
                                        <button type="button" class="button secondary" disabled=move || changing.get() on:click=move |_| act(id, UserChange::Unlock)>{move || app.t().unlock}</button>
                                    })}
                                    <button type="button" class="button secondary" disabled=move || changing.get() on:click=move |_| act(id, UserChange::ResendLink)>{move || app.t().resend_link}</button>
                                    {u.totp_enrolled.then(|| view! {
                                        <button type="button" class="button secondary" disabled=move || changing.get() on:click=move |_| act(id, UserChange::ResetTotp)>{move || app.t().reset_totp}</button>
                                    })}
                                    <button type="button" class="button secondary" disabled=move || changing.get() on:click=move |_| act(id, UserChange::SetDisabled(!disabled))>
                                        {move || if disabled { app.t().enable } else { app.t().disable }}
                                    </button>
                                </td>
                            </tr> }
                        }).collect_view()}
                    </tbody>
                </table></div>
            })}
        </Transition>
    }
}

/// ID発行: the issuer chooses role and organisation within their scope.
#[component]
pub fn IssueUserPage() -> impl IntoView {
    let app = use_app();
    let session = app.session.get_untracked();
    let issuer_role = session.as_ref().map(|s| s.role);
    let options = Resource::new(|| (), |_| load_issue_options());
    let login_id = RwSignal::new(String::new());
    let email = RwSignal::new(String::new());
    let display_name = RwSignal::new(String::new());
    let role = RwSignal::new(String::new());
    let prefecture = RwSignal::new(
        session
            .as_ref()
            .and_then(|s| s.prefecture_code)
            .map(|p| p.to_string())
            .unwrap_or_default(),
    );
    let municipality = RwSignal::new(if issuer_role == Some(Role::Municipality) {
        session
            .as_ref()
            .and_then(|s| s.municipality_code.clone())
            .unwrap_or_default()
    } else {
        String::new()
    });
    let site_id = RwSignal::new(String::new());
    let supplier_id = RwSignal::new(String::new());
    // A municipality issues only within itself: it chooses no municipality.
    let municipalities = Resource::new(
        move || prefecture.get(),
        move |code| async move {
            match code.parse::<u8>() {
                Ok(code) if issuer_role != Some(Role::Municipality) => {
                    list_municipalities(code).await.map(|list| {
                        list.into_iter()
                            .map(|m| Choice {
                                value: m.code,
                                label: m.name,
                            })
                            .collect()
                    })
                }
                _ => Ok(Vec::new()),
            }
        },
    );
    let sites = Resource::new(
        move || municipality.get(),
        |code| async move {
            if code.is_empty() {
                return Ok(Vec::new());
            }
            list_sites(code).await.map(|list| {
                list.into_iter()
                    .map(|s| Choice {
                        value: s.id.to_string(),
                        label: s.name,
                    })
                    .collect()
            })
        },
    );
    let form = FormState::new();
    let request = move || IssueUserForm {
        login_id: login_id.get(),
        email: email.get(),
        display_name: display_name.get(),
        role: role.get(),
        prefecture: prefecture.get(),
        municipality: municipality.get(),
        site_id: site_id.get(),
        supplier_id: supplier_id.get(),
    };
    let errors = Memo::new(move |_| request().validate().err().unwrap_or_default());
    let issue = form
        .action(|body: &IssueUserForm| issue_user(body.clone()))
        .on_success(move |_| {
            login_id.set(String::new());
            email.set(String::new());
            display_name.set(String::new());
            // The emptied form is a new entry: nothing to complain about yet.
            form.reset();
        });
    let issued = move || issue.value().get().and_then(Result::ok);
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        issue.submit(&errors.get_untracked(), request());
    };

    let select = move |id: &'static str,
                       label: Signal<String>,
                       value: RwSignal<String>,
                       choices: Signal<Vec<Choice>>| {
        let error = Signal::derive(move || form.error(id, &errors.get()));
        view! {
            <div class="field" class:has-error=move || error.get().is_some()>
                <div class="field-label">
                    <label for=id>{move || label.get()}</label>
                    {required_mark()}
                </div>
                <select id=id required=true
                    aria-invalid=move || if error.get().is_some() { "true" } else { "false" }
                    aria-describedby=format!("{id}-error")
                    on:change=move |ev| { value.set(event_target_value(&ev)); form.edited(id); }
                    on:blur=move |_| form.touch(id)
                >
                    <option value="" selected=move || value.get().is_empty()>{move || app.t().choose}</option>
                    {move || choices.get().into_iter().map(|c| {
                        let selected = c.value == value.get();
                        view! { <option value=c.value.clone() selected=selected>{c.label.clone()}</option> }
                    }).collect_view()}
                </select>
                <p class="field-error" id=format!("{id}-error") role="alert">
                    {move || error.get().map(|e| crate::i18n::choice_error(app.lang.get(), &e))}
                </p>
            </div>
        }
    };
    let loaded_choices = move |choices: Resource<Result<Vec<Choice>, AppError>>| {
        Signal::derive(move || choices.get().and_then(Result::ok).unwrap_or_default())
    };
    let chosen = move || Role::parse(&role.get()).ok();
    let needs_prefecture = move || {
        matches!(
            chosen(),
            Some(Role::Prefecture | Role::Municipality | Role::Site)
        ) && issuer_role == Some(Role::Admin)
    };
    let needs_municipality = move || {
        matches!(chosen(), Some(Role::Municipality | Role::Site))
            && issuer_role != Some(Role::Municipality)
    };
    let needs_site = move || chosen() == Some(Role::Site);
    let needs_supplier = move || chosen() == Some(Role::Supplier);

    let summary_fields = Signal::derive(move || {
        let t = app.t();
        vec![
            SummaryField::text("login_id", "login_id", t.user_name),
            SummaryField::text("email", "email", t.email),
            SummaryField::text("display_name", "display_name", t.display_name),
            SummaryField::choice("role", "role", t.role),
            SummaryField::choice("prefecture", "prefecture", t.prefecture),
            SummaryField::choice("municipality", "municipality", t.municipality),
            SummaryField::choice("site_id", "site_id", t.site_id),
            SummaryField::choice("supplier_id", "supplier_id", t.supplier),
        ]
    });
    view! {
        <h1>{move || app.t().issue_title}</h1>
        <p>{move || app.t().issue_intro}</p>
        {move || issued().map(|done| view! {
            <div class="notice" role="status">{move || format!("{} {} → {}", app.t().issued, done.login_id, done.sent_to)}</div>
        })}
        // The choices of municipality and site follow the ones above them; meanwhile the form
        // stays as it is.
        <Transition fallback=Loading>
            {loaded(options, move |options| {
                let roles = options.roles;
                let role_choices = Signal::derive(move || {
                    roles
                        .iter()
                        .map(|r| Choice {
                            value: r.as_str().into(),
                            label: role_name(app.lang.get(), *r).into(),
                        })
                        .collect()
                });
                let prefectures = options.prefectures;
                let suppliers = options.suppliers;
                view! {
                    <form class="form wide" on:submit=on_submit novalidate>
                        <ErrorSummary state=form errors=errors fields=summary_fields/>
                        <FormMessage message=form.message/>
                        <TextField id="login_id" label=Signal::derive(move || app.t().user_name.to_string()) value=login_id required=true
                            autocomplete="off"
                            error=Signal::derive(move || form.error("login_id", &errors.get()))
                            on_blur=move |_| form.touch("login_id") on_input=move |_| form.edited("login_id")/>
                        <TextField id="email" label=Signal::derive(move || app.t().email.to_string()) value=email required=true
                            input_type="email" autocomplete="off"
                            error=Signal::derive(move || form.error("email", &errors.get()))
                            on_blur=move |_| form.touch("email") on_input=move |_| form.edited("email")/>
                        <TextField id="display_name" label=Signal::derive(move || app.t().display_name.to_string()) value=display_name required=true
                            autocomplete="off"
                            error=Signal::derive(move || form.error("display_name", &errors.get()))
                            on_blur=move |_| form.touch("display_name") on_input=move |_| form.edited("display_name")/>
                        {select("role", Signal::derive(move || app.t().role.to_string()), role, role_choices)}
                        <Show when=needs_prefecture>
                            {select("prefecture", Signal::derive(move || app.t().prefecture.to_string()), prefecture, Signal::stored(prefectures.clone()))}
                        </Show>
                        <Show when=needs_municipality>
                            {select("municipality", Signal::derive(move || app.t().municipality.to_string()), municipality, loaded_choices(municipalities))}
                        </Show>
                        <Show when=needs_site>
                            {select("site_id", Signal::derive(move || app.t().site_id.to_string()), site_id, loaded_choices(sites))}
                        </Show>
                        <Show when=needs_supplier>
                            {select("supplier_id", Signal::derive(move || app.t().supplier.to_string()), supplier_id, Signal::stored(suppliers.clone()))}
                        </Show>
                        <button type="submit" class="button primary" disabled=move || issue.pending().get()>{move || app.t().issue_button}</button>
                    </form>
                }
            })}
        </Transition>
    }
}
