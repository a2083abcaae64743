//! The rest of the first login: authenticator app (required or offered by role), then consent
//! to 「V-SYSにおける個人情報保護方針」.

use super::PublicFrame;
use crate::api::{current_policy, give_consent, totp_begin, totp_confirm, totp_skip};
use crate::domain::OneTimeCode;
use crate::error::{FieldErrors, OnboardingStep};
use crate::i18n::Lang;
use crate::ui::context::use_app;
use crate::ui::form::{on_each_answer, FormMessage, FormState, TextField};
use crate::ui::shell::{loaded, Loading};
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

/// Shows the step the session still needs, and goes home when none is left.
#[component]
pub fn OnboardingPage() -> impl IntoView {
    let app = use_app();
    let navigate = use_navigate();
    // Recovery codes stay on screen after enrolment until the user presses 次へ.
    let recovery_codes = RwSignal::new(None::<Vec<String>>);
    Effect::new(move |_| {
        if !app.loaded.get() || recovery_codes.with(Option::is_some) {
            return;
        }
        match app.session.get() {
            None => navigate("/login", Default::default()),
            Some(s) if s.onboarding.is_none() => {
                navigate(&crate::ui::shell::landing_path(&s), Default::default())
            }
            Some(_) => {}
        }
    });
    let step = move || app.session.get().and_then(|s| s.onboarding);
    view! {
        {move || match (recovery_codes.get(), step()) {
            (Some(codes), _) => view! { <RecoveryCodes codes=codes done=move |_| { recovery_codes.set(None); app.refresh_session(); }/> }.into_any(),
            (None, Some(OnboardingStep::Totp)) => view! { <TotpStep on_enrolled=move |codes| recovery_codes.set(Some(codes))/> }.into_any(),
            (None, Some(OnboardingStep::Consent)) => view! { <ConsentStep/> }.into_any(),
            (None, None) => view! { <Loading/> }.into_any(),
        }}
    }
}

#[component]
fn TotpStep(#[prop(into)] on_enrolled: Callback<Vec<String>>) -> impl IntoView {
    let app = use_app();
    let enrolment = Resource::new(|| (), |_| totp_begin());
    let code = RwSignal::new(String::new());
    let form = FormState::new();
    let errors = Memo::new(move |_| {
        let mut errors = FieldErrors::new();
        errors.check("code", OneTimeCode::parse(&code.get()));
        errors
    });
    let confirm = form
        .action(|code: &String| totp_confirm(code.clone()))
        .on_success(move |codes| on_enrolled.run(codes));
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        confirm.submit(&errors.get_untracked(), code.get_untracked());
    };
    let skip = Action::new(|_: &()| totp_skip());
    let skipping = skip.pending();
    on_each_answer(skip, move |answer| match answer {
        Ok(info) => app.session.set(Some(info)),
        Err(error) => form.show_error(app, error),
    });
    let busy = move || confirm.pending().get() || skipping.get();
    let title = Signal::derive(move || app.t().totp_title.to_string());
    view! {
        <PublicFrame title=title>
            <FormMessage message=form.message/>
            <Suspense fallback=Loading>
                {loaded(enrolment, move |e| {
                let required = e.required;
                view! {
                    <p>{move || if required { app.t().totp_required_intro } else { app.t().totp_optional_intro }}</p>
                    <div class="totp">
                        <img class="qr" src=e.qr_svg_data_uri.clone() alt="QR code" width="200" height="200"/>
                        <div>
                            <p class="label">{move || app.t().totp_secret}</p>
                            <p class="secret" data-testid="totp-secret">{e.secret.clone()}</p>
                        </div>
                    </div>
                    <form class="form" on:submit=on_submit novalidate>
                        <TextField
                            id="totp_code"
                            label=Signal::derive(move || app.t().totp_code.to_string())
                            value=code
                            required=true
                            autocomplete="one-time-code"
                            inputmode="numeric"
                            error=Signal::derive(move || form.error("code", &errors.get()))
                            on_blur=move |_| form.touch("code")
                            on_input=move |_| form.edited("code")
                        />
                        <button type="submit" class="button primary" disabled=busy>{move || app.t().totp_register}</button>
                        {(!required).then(|| view! {
                            <button type="button" class="button secondary" disabled=busy on:click=move |_| { skip.dispatch(()); }>{move || app.t().totp_skip}</button>
                        })}
                    </form>
                }
            })}
            </Suspense>
        </PublicFrame>
    }
}

#[component]
fn RecoveryCodes(codes: Vec<String>, #[prop(into)] done: Callback<()>) -> impl IntoView {
    let app = use_app();
    let title = Signal::derive(move || app.t().recovery_title.to_string());
    view! {
        <PublicFrame title=title>
            <p>{move || app.t().recovery_intro}</p>
            <ul class="recovery-codes" data-testid="recovery-codes">
                {codes.into_iter().map(|c| view! { <li><code>{c}</code></li> }).collect_view()}
            </ul>
            <button type="button" class="button primary" on:click=move |_| done.run(())>{move || app.t().next_button}</button>
        </PublicFrame>
    }
}

#[component]
fn ConsentStep() -> impl IntoView {
    let app = use_app();
    let policy = Resource::new(|| (), |_| current_policy());
    let agreed = RwSignal::new(false);
    let form = FormState::new();
    let consent = form
        .action(|version: &i64| give_consent(*version))
        .on_success(move |info| app.session.set(Some(info)));
    let on_next = move |_| {
        if let Some(Ok(shown)) = policy.get_untracked() {
            consent.submit(&FieldErrors::new(), shown.version);
        }
    };
    let title = Signal::derive(move || app.t().consent_title.to_string());
    view! {
        <PublicFrame title=title>
            <p>{move || app.t().consent_intro}</p>
            <FormMessage message=form.message/>
            <Suspense fallback=Loading>
                {loaded(policy, move |p| view! {
                    <p class="muted">{move || app.t().policy_version} " " {p.version}</p>
                    <div class="policy" tabindex="0">
                        {move || {
                            let body = if app.lang.get() == Lang::En && !p.body_en.is_empty() { &p.body_en } else { &p.body_ja };
                            body.lines().map(|line| view! { <p>{line.to_string()}</p> }).collect_view()
                        }}
                    </div>
                })}
            </Suspense>
            <div class="check">
                <input type="checkbox" id="consent" bind:checked=agreed/>
                <label for="consent">{move || app.t().consent_agree}</label>
            </div>
            <button type="button" class="button primary" disabled=move || !agreed.get() || consent.pending().get() on:click=on_next>
                {move || app.t().next_button}
            </button>
        </PublicFrame>
    }
}
