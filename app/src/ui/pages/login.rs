//! ログイン and パスワードをお忘れですか?

use super::PublicFrame;
use crate::api::{
    dev_outbox_open, login, login_second_factor, request_password_reset, LoginForm, LoginOutcome,
    SecondFactorForm,
};
use crate::domain::{LoginId, SecondFactor};
use crate::error::{AppError, FieldErrors};
use crate::ui::context::{remember_login_id, remembered_login_id, use_app};
use crate::ui::form::{on_each_answer, FormMessage, FormState, TextField};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;

#[derive(Clone, PartialEq)]
enum Step {
    Password,
    EmailCode { challenge: String, sent_to: String },
    Totp { challenge: String },
}

/// The login screen: ユーザ名, パスワード, ログイン情報を保存する, then a code when asked.
#[component]
pub fn LoginPage() -> impl IntoView {
    let app = use_app();
    let navigate = use_navigate();
    let remembered = remembered_login_id();
    let login_id = RwSignal::new(remembered.clone().unwrap_or_default());
    let password = RwSignal::new(String::new());
    let remember = RwSignal::new(remembered.is_some());
    let code = RwSignal::new(String::new());
    let step = RwSignal::new(Step::Password);
    let form = FormState::new();
    let code_form = FormState::new();
    // The development outbox answers only where no mail server is configured.
    let outbox_open = Resource::new(|| (), |_| dev_outbox_open());

    Effect::new(move |_| {
        if let Some(session) = app.session.get() {
            navigate(
                &crate::ui::shell::landing_path(&session),
                Default::default(),
            );
        }
    });

    let login_form = move || LoginForm {
        login_id: login_id.get(),
        password: password.get(),
    };
    let errors = Memo::new(move |_| login_form().validate().err().unwrap_or_default());
    let code_errors = Memo::new(move |_| {
        let mut errors = FieldErrors::new();
        errors.check("code", SecondFactor::parse(&code.get()));
        errors
    });

    let finish = move |info: crate::api::SessionInfo| {
        let id = LoginId::parse(&login_id.get_untracked())
            .map(|id| id.as_str().to_string())
            .ok();
        remember_login_id(if remember.get_untracked() {
            id.as_deref()
        } else {
            None
        });
        app.notice.set(None);
        app.session.set(Some(info));
    };

    let log_in = Action::new(|request: &LoginForm| login(request.clone()));
    let logging_in = log_in.pending();
    on_each_answer(log_in, move |answer| match answer {
        Ok(LoginOutcome::LoggedIn(info)) => finish(info),
        Ok(LoginOutcome::EmailCode { challenge, sent_to }) => {
            step.set(Step::EmailCode { challenge, sent_to })
        }
        Ok(LoginOutcome::Totp { challenge }) => step.set(Step::Totp { challenge }),
        Err(AppError::Validation(errors)) => form.show_server_errors(errors),
        Err(error) => {
            // The refused password is cleared for the next try; the emptied field is a fresh
            // start, not a mistake to flag next to the message that says what went wrong.
            password.set(String::new());
            form.reset();
            form.show_error(app, error);
        }
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if !form.submit(&errors.get_untracked()) || logging_in.get_untracked() {
            return;
        }
        log_in.dispatch(login_form());
    };

    let verify = Action::new(|request: &SecondFactorForm| login_second_factor(request.clone()));
    let verifying = verify.pending();
    on_each_answer(verify, move |answer| match answer {
        Ok(info) => finish(info),
        Err(AppError::AttemptExpired) => {
            // The code step has run out: start again from the password, saying why.
            code.set(String::new());
            password.set(String::new());
            step.set(Step::Password);
            form.show_error(app, AppError::AttemptExpired);
        }
        Err(error) => code_form.show_error(app, error),
    });
    let on_code = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if !code_form.submit(&code_errors.get_untracked()) || verifying.get_untracked() {
            return;
        }
        let challenge = match step.get_untracked() {
            Step::EmailCode { challenge, .. } | Step::Totp { challenge } => challenge,
            Step::Password => return,
        };
        verify.dispatch(SecondFactorForm {
            challenge,
            code: code.get_untracked(),
        });
    };

    let title = Signal::derive(move || app.t().login_title.to_string());
    view! {
        <PublicFrame title=title>
            <Show
                when=move || step.get() == Step::Password
                fallback=move || {
                    let intro = move || match step.get() {
                        Step::EmailCode { sent_to, .. } => format!("{} {}", app.t().email_code_intro, sent_to),
                        _ => app.t().totp_code_intro.to_string(),
                    };
                    let label = Signal::derive(move || match step.get() {
                        Step::EmailCode { .. } => app.t().login_code.to_string(),
                        _ => app.t().totp_or_recovery.to_string(),
                    });
                    view! {
                        <form class="form" on:submit=on_code novalidate>
                            <p>{intro}</p>
                            <FormMessage message=code_form.message/>
                            <TextField
                                id="code"
                                label=label
                                value=code
                                required=true
                                autocomplete="one-time-code"
                                inputmode="text"
                                error=Signal::derive(move || code_form.error("code", &code_errors.get()))
                                on_blur=move |_| code_form.touch("code")
                                on_input=move |_| code_form.edited("code")
                            />
                            <button type="submit" class="button primary" disabled=move || verifying.get()>
                                {move || app.t().verify_button}
                            </button>
                            <button type="button" class="button link" on:click=move |_| { code.set(String::new()); step.set(Step::Password); }>
                                {move || app.t().back_to_login}
                            </button>
                        </form>
                    }
                }
            >
                <form class="form" on:submit=on_submit novalidate>
                    <FormMessage message=form.message/>
                    <TextField
                        id="login_id"
                        label=Signal::derive(move || app.t().user_name.to_string())
                        value=login_id
                        required=true
                        autocomplete="username"
                        error=Signal::derive(move || form.error("login_id", &errors.get()))
                        on_blur=move |_| form.touch("login_id")
                        on_input=move |_| form.edited("login_id")
                    />
                    <TextField
                        id="password"
                        label=Signal::derive(move || app.t().password.to_string())
                        value=password
                        required=true
                        input_type="password"
                        autocomplete="current-password"
                        error=Signal::derive(move || form.error("password", &errors.get()))
                        on_blur=move |_| form.touch("password")
                        on_input=move |_| form.edited("password")
                    />
                    <div class="check">
                        <input type="checkbox" id="remember" bind:checked=remember/>
                        <label for="remember">{move || app.t().remember_me}</label>
                    </div>
                    <button type="submit" class="button primary" disabled=move || logging_in.get()>
                        {move || app.t().login_button}
                    </button>
                    <A href="/forgot" attr:class="button link">{move || app.t().forgot_password}</A>
                    <a href="/navi" class="button link">{move || crate::i18n::site::site_texts(app.lang.get()).finder_link}</a>
                </form>
            </Show>
            <Suspense>
                {move || (outbox_open.get() == Some(Ok(true))).then(|| view! {
                    <p class="dev-link"><A href="/dev/outbox">{move || app.t().outbox_title}</A></p>
                })}
            </Suspense>
        </PublicFrame>
    }
}

/// パスワードをお忘れですか?: asks for the user name and sends a reset link.
#[component]
pub fn ForgotPasswordPage() -> impl IntoView {
    let app = use_app();
    let login_id = RwSignal::new(remembered_login_id().unwrap_or_default());
    let form = FormState::new();
    let errors = Memo::new(move |_| {
        let mut errors = FieldErrors::new();
        errors.check("login_id", LoginId::parse(&login_id.get()));
        errors
    });
    let reset = form.action(|id: &String| request_password_reset(id.clone()));
    let sent = move || matches!(reset.value().get(), Some(Ok(())));
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        reset.submit(&errors.get_untracked(), login_id.get_untracked());
    };
    let title = Signal::derive(move || app.t().forgot_title.to_string());
    view! {
        <PublicFrame title=title>
            <Show
                when=move || !sent()
                fallback=move || view! {
                    <div class="notice" role="status">{move || app.t().forgot_sent}</div>
                    <a href="/login" class="button link">{move || app.t().back_to_login}</a>
                }
            >
                <form class="form" on:submit=on_submit novalidate>
                    <p>{move || app.t().forgot_intro}</p>
                    <FormMessage message=form.message/>
                    <TextField
                        id="login_id"
                        label=Signal::derive(move || app.t().user_name.to_string())
                        value=login_id
                        required=true
                        autocomplete="username"
                        error=Signal::derive(move || form.error("login_id", &errors.get()))
                        on_blur=move |_| form.touch("login_id")
                        on_input=move |_| form.edited("login_id")
                    />
                    <button type="submit" class="button primary" disabled=move || reset.pending().get()>{move || app.t().send_button}</button>
                    <A href="/login" attr:class="button link">{move || app.t().back_to_login}</A>
                </form>
            </Show>
        </PublicFrame>
    }
}
