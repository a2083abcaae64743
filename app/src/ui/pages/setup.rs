//! ログインユーザ初期設定: the e-mailed link → 検証コード → 新しいパスワード.

use super::PublicFrame;
use crate::api::{
    setup_begin, setup_password, setup_resend, setup_resume, setup_verify, SetPasswordForm,
    SetupProgress, SetupStarted, VerifyCodeForm,
};
use crate::domain::SecondFactor;
use crate::error::AppError;
use crate::ui::context::use_app;
use crate::ui::form::{on_each_answer, FormMessage, FormState, TextField};
use crate::ui::shell::Loading;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::NavigateOptions;

#[derive(Clone, PartialEq)]
enum Step {
    Code {
        attempt: String,
        login_id: String,
        sent_to: String,
    },
    Password {
        attempt: String,
        login_id: String,
        email: String,
        needs_second_factor: bool,
    },
    Failed(AppError),
}

impl Step {
    /// The code step of an attempt that was just started (or resent).
    fn code(started: SetupStarted) -> Self {
        Step::Code {
            attempt: started.attempt,
            login_id: started.login_id,
            sent_to: started.sent_to,
        }
    }

    /// The step this browser's attempt stands at (after a reload or in a second tab).
    fn resumed(progress: SetupProgress) -> Self {
        match progress.verified {
            Some(verified) => Step::Password {
                attempt: progress.started.attempt,
                login_id: verified.login_id,
                email: verified.email,
                needs_second_factor: verified.needs_second_factor,
            },
            None => Step::code(progress.started),
        }
    }
}

/// Starts the attempt of the link's `token`, or, without one, continues this browser's attempt.
async fn open_attempt(token: String) -> Result<SetupProgress, AppError> {
    if token.is_empty() {
        return setup_resume().await;
    }
    match setup_begin(token).await {
        Ok(started) => Ok(SetupProgress {
            started,
            verified: None,
        }),
        // The link was used by this browser's own attempt (a second tab): continue it.
        Err(error) => setup_resume().await.map_err(|_| error),
    }
}

/// Opens the link, asks for the 検証コード, then the new password. A reload or a second tab
/// continues the same attempt (the server ties it to this browser with an HttpOnly cookie).
#[component]
pub fn SetupPage() -> impl IntoView {
    let app = use_app();
    let navigate = use_navigate();
    // Read once on purpose: the token stays in memory only, out of the address bar and the
    // history.
    let token = use_query_map()
        .get_untracked()
        .get("token")
        .unwrap_or_default();
    navigate(
        "/setup",
        NavigateOptions {
            replace: true,
            ..Default::default()
        },
    );
    let opened = Resource::new(|| (), move |_| open_attempt(token.clone()));
    let title = Signal::derive(move || {
        let is_reset = opened
            .get()
            .and_then(Result::ok)
            .is_some_and(|progress| progress.started.is_reset);
        if is_reset {
            app.t().setup_reset_title.to_string()
        } else {
            app.t().setup_title.to_string()
        }
    });
    view! {
        <PublicFrame title=title>
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    match opened.await {
                        Ok(progress) => view! { <SetupSteps first=Step::resumed(progress)/> }.into_any(),
                        Err(error) => failed(error).into_any(),
                    }
                })}
            </Suspense>
        </PublicFrame>
    }
}

/// Why the attempt cannot go on, with the way back to the login page.
fn failed(error: AppError) -> impl IntoView {
    let app = use_app();
    view! {
        <div class="alert" role="alert">{move || crate::i18n::app_error(app.lang.get(), &error)}</div>
        <A href="/login" attr:class="button link">{move || app.t().back_to_login}</A>
    }
}

/// The steps of an opened attempt, from `first`.
#[component]
fn SetupSteps(first: Step) -> impl IntoView {
    let app = use_app();
    let navigate = use_navigate();
    let step = RwSignal::new(first);
    let code = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let confirm = RwSignal::new(String::new());
    let second_factor = RwSignal::new(String::new());
    let code_form = FormState::new();
    let password_form = FormState::new();

    let resend = Action::new(|_: &()| setup_resend());
    on_each_answer(resend, move |answer| match answer {
        Ok(started) => {
            code.set(String::new());
            step.set(Step::code(started));
        }
        Err(error) => step.set(Step::Failed(error)),
    });

    let code_request = move || match step.get() {
        Step::Code { attempt, .. } => VerifyCodeForm {
            attempt,
            code: code.get(),
        },
        _ => VerifyCodeForm {
            attempt: String::new(),
            code: code.get(),
        },
    };
    let code_errors = Memo::new(move |_| code_request().validate().err().unwrap_or_default());
    let verify = code_form
        .action(|request: &VerifyCodeForm| {
            let attempt = request.attempt.clone();
            let verified = setup_verify(request.clone());
            async move { verified.await.map(|verified| (attempt, verified)) }
        })
        .on_success(move |(attempt, verified)| {
            step.set(Step::Password {
                attempt,
                login_id: verified.login_id,
                email: verified.email,
                needs_second_factor: verified.needs_second_factor,
            })
        });
    let on_code = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        verify.submit(&code_errors.get_untracked(), code_request());
    };

    let password_request = move || match step.get() {
        Step::Password { attempt, .. } => SetPasswordForm {
            attempt,
            password: password.get(),
            confirm: confirm.get(),
            second_factor: second_factor.get(),
        },
        _ => SetPasswordForm::default(),
    };
    let identity = move || match step.get() {
        Step::Password {
            login_id, email, ..
        } => (login_id, email),
        _ => (String::new(), String::new()),
    };
    let needs_second_factor = move || {
        matches!(
            step.get(),
            Step::Password {
                needs_second_factor: true,
                ..
            }
        )
    };
    let password_errors = Memo::new(move |_| {
        let (login_id, email) = identity();
        let request = password_request();
        let mut errors = request
            .validate(&login_id, &email)
            .err()
            .unwrap_or_default();
        if needs_second_factor() {
            if let Err(error) = SecondFactor::parse(&request.second_factor) {
                errors.add("second_factor", error);
            }
        }
        errors
    });
    let set_password = password_form
        .action(|request: &SetPasswordForm| setup_password(request.clone()))
        .on_success(move |info| {
            let next = if info.onboarding.is_some() {
                "/onboarding".to_string()
            } else {
                crate::ui::shell::landing_path(&info)
            };
            app.notice.set(None);
            app.session.set(Some(info));
            app.loaded.set(true);
            navigate(&next, Default::default());
        });
    let on_password = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        set_password.submit(&password_errors.get_untracked(), password_request());
    };

    view! {
        {move || match step.get() {
            Step::Failed(error) => failed(error).into_any(),
            Step::Code { login_id, sent_to, .. } => view! {
                <form class="form" on:submit=on_code novalidate>
                    <p>{move || app.t().setup_for_user} " " <strong>{login_id.clone()}</strong></p>
                    <p>{move || app.t().setup_code_sent} " " {sent_to.clone()}</p>
                    <FormMessage message=code_form.message/>
                    <TextField
                        id="verification_code"
                        label=Signal::derive(move || app.t().verification_code.to_string())
                        value=code
                        required=true
                        autocomplete="one-time-code"
                        inputmode="numeric"
                        error=Signal::derive(move || code_form.error("code", &code_errors.get()))
                        on_blur=move |_| code_form.touch("code")
                        on_input=move |_| code_form.edited("code")
                    />
                    <button type="submit" class="button primary" disabled=move || verify.pending().get()>{move || app.t().verify_button}</button>
                    <button type="button" class="button link" disabled=move || resend.pending().get() on:click=move |_| { resend.dispatch(()); }>{move || app.t().resend_code}</button>
                </form>
            }
            .into_any(),
            Step::Password { login_id, .. } => view! {
                <form class="form" on:submit=on_password novalidate>
                    <p>{move || app.t().setup_for_user} " " <strong>{login_id.clone()}</strong></p>
                    <FormMessage message=password_form.message/>
                    <input type="text" class="visually-hidden" autocomplete="username" value=login_id.clone() readonly tabindex="-1" aria-hidden="true"/>
                    <TextField
                        id="new_password"
                        label=Signal::derive(move || app.t().new_password.to_string())
                        value=password
                        required=true
                        input_type="password"
                        autocomplete="new-password"
                        hint=Signal::derive(move || app.t().password_rules.to_string())
                        error=Signal::derive(move || password_form.error("password", &password_errors.get()))
                        on_blur=move |_| password_form.touch("password")
                        on_input=move |_| password_form.edited("password")
                    />
                    <TextField
                        id="confirm_password"
                        label=Signal::derive(move || app.t().confirm_password.to_string())
                        value=confirm
                        required=true
                        input_type="password"
                        autocomplete="new-password"
                        error=Signal::derive(move || password_form.error("confirm", &password_errors.get()))
                        on_blur=move |_| password_form.touch("confirm")
                        on_input=move |_| password_form.edited("confirm")
                    />
                    <Show when=needs_second_factor>
                        <TextField
                            id="reset_second_factor"
                            label=Signal::derive(move || app.t().totp_or_recovery.to_string())
                            value=second_factor
                            required=true
                            autocomplete="one-time-code"
                            hint=Signal::derive(move || app.t().reset_needs_authenticator.to_string())
                            error=Signal::derive(move || password_form.error("second_factor", &password_errors.get()))
                            on_blur=move |_| password_form.touch("second_factor")
                            on_input=move |_| password_form.edited("second_factor")
                        />
                    </Show>
                    <button type="submit" class="button primary" disabled=move || set_password.pending().get()>{move || app.t().change_password_button}</button>
                </form>
            }
            .into_any(),
        }}
    }
}
