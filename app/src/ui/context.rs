//! State shared by every page: the session, the language, and a one-line notice; plus what the
//! browser remembers between visits (gloo-storage).

use crate::api::{current_session, SessionInfo};
use crate::error::AppError;
use crate::i18n::{Lang, Texts};
use gloo_storage::{LocalStorage, Storage};
use leptos::prelude::*;
use leptos::task::spawn_local;

const LANG_KEY: &str = "vsys.lang";
const REMEMBERED_USER_KEY: &str = "vsys.remembered_login_id";

/// The application context.
#[derive(Clone, Copy)]
pub struct AppContext {
    /// The logged-in user, once [`AppContext::loaded`].
    pub session: RwSignal<Option<SessionInfo>>,
    /// True once the first session check has answered.
    pub loaded: RwSignal<bool>,
    /// The interface language.
    pub lang: RwSignal<Lang>,
    /// A message for the next page (e.g. "session expired").
    pub notice: RwSignal<Option<String>>,
}

impl AppContext {
    /// The texts of the current language (reactive).
    pub fn t(&self) -> &'static Texts {
        self.lang.get().texts()
    }

    /// Switches between Japanese and English and remembers the choice.
    pub fn toggle_lang(&self) {
        let next = match self.lang.get_untracked() {
            Lang::Ja => Lang::En,
            Lang::En => Lang::Ja,
        };
        let _ = LocalStorage::set(LANG_KEY, next);
        self.lang.set(next);
    }

    /// Asks the server who is logged in.
    pub fn refresh_session(&self) {
        let this = *self;
        // The answer goes straight into the app-wide session, which login, logout and 代理入力
        // also set from their own answers; nothing waits on this request's own state, and the
        // task must outlive the page that asked (a lost onboarding step), so a plain task fits.
        spawn_local(async move {
            let session = current_session().await.unwrap_or(None);
            this.session.set(session);
            this.loaded.set(true);
        });
    }

    /// Reacts to errors that concern the whole app: a lost session sends the user to the login
    /// page with a notice. Returns the message to show for other errors.
    pub fn handle_error(&self, error: &AppError) -> String {
        let text = crate::i18n::app_error(self.lang.get_untracked(), error);
        if matches!(error, AppError::Unauthenticated) {
            self.notice.set(Some(
                self.lang
                    .get_untracked()
                    .texts()
                    .session_expired
                    .to_string(),
            ));
            self.session.set(None);
        }
        if matches!(error, AppError::OnboardingRequired(_)) {
            self.refresh_session();
        }
        text
    }
}

/// Creates the context and starts the first session check.
pub fn provide_app_context() {
    let lang = LocalStorage::get::<Lang>(LANG_KEY).unwrap_or_default();
    let context = AppContext {
        session: RwSignal::new(None),
        loaded: RwSignal::new(false),
        lang: RwSignal::new(lang),
        notice: RwSignal::new(None),
    };
    provide_context(context);
    context.refresh_session();
}

/// The application context.
pub fn use_app() -> AppContext {
    expect_context::<AppContext>()
}

/// The user name remembered by ログイン情報を保存する, if any.
pub fn remembered_login_id() -> Option<String> {
    LocalStorage::get::<String>(REMEMBERED_USER_KEY).ok()
}

/// Remembers (or forgets) the user name on this device.
pub fn remember_login_id(login_id: Option<&str>) {
    match login_id {
        Some(id) => {
            let _ = LocalStorage::set(REMEMBERED_USER_KEY, id);
        }
        None => LocalStorage::delete(REMEMBERED_USER_KEY),
    }
}
