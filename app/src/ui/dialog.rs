//! An in-app confirmation dialog (instead of the browser's `confirm()`): modal and labelled by
//! its question, focus moved into it and kept there, Escape or キャンセル cancels, and focus goes
//! back to the button that opened it.

use leptos::ev::KeyboardEvent;
use leptos::html;
use leptos::prelude::*;
use wasm_bindgen::JsValue;

/// Asks before a destructive action. Starts on キャンセル, the safe choice.
#[component]
pub fn ConfirmDialog(
    /// Whether the dialog is open; the caller opens it, the dialog closes it.
    open: RwSignal<bool>,
    /// The question: the dialog's heading and accessible name.
    #[prop(into)]
    title: Signal<String>,
    /// What it is about (e.g. the name of what is deleted), shown in bold.
    #[prop(into)]
    subject: Signal<String>,
    /// What follows (e.g. that it cannot be undone).
    #[prop(into)]
    detail: Signal<String>,
    /// The label of the button that goes ahead.
    #[prop(into)]
    confirm_label: Signal<String>,
    /// The label of the button that cancels.
    #[prop(into)]
    cancel_label: Signal<String>,
    /// Gets focus back when the dialog closes.
    return_focus: NodeRef<html::Button>,
    /// Called when the user goes ahead (after the dialog closed).
    on_confirm: Callback<()>,
) -> impl IntoView {
    let cancel_button = NodeRef::<html::Button>::new();
    let confirm_button = NodeRef::<html::Button>::new();
    let close = move || {
        open.set(false);
        if let Some(button) = return_focus.get_untracked() {
            let _ = button.focus();
        }
    };
    Effect::new(move |_| {
        if open.get() {
            request_animation_frame(move || {
                if let Some(button) = cancel_button.get_untracked() {
                    let _ = button.focus();
                }
            });
        }
    });
    // Tab and Shift+Tab cycle between the two buttons; Escape cancels.
    let on_keydown = move |ev: KeyboardEvent| match ev.key().as_str() {
        "Escape" => {
            ev.prevent_default();
            close();
        }
        "Tab" => {
            let (Some(first), Some(last)) = (
                cancel_button.get_untracked(),
                confirm_button.get_untracked(),
            ) else {
                return;
            };
            let active = document().active_element();
            let on = |button: &web_sys::HtmlButtonElement| {
                active.as_ref().is_some_and(|a| {
                    AsRef::<JsValue>::as_ref(a) == AsRef::<JsValue>::as_ref(button)
                })
            };
            let target = if ev.shift_key() {
                (on(&first) || !on(&last)).then_some(last)
            } else {
                (on(&last) || !on(&first)).then_some(first)
            };
            if let Some(target) = target {
                ev.prevent_default();
                let _ = target.focus();
            }
        }
        _ => {}
    };
    view! {
        <Show when=move || open.get()>
            <div class="dialog-backdrop">
                <div class="dialog" role="dialog" aria-modal="true"
                    aria-labelledby="confirm-dialog-title" aria-describedby="confirm-dialog-detail"
                    on:keydown=on_keydown>
                    <h2 id="confirm-dialog-title">{move || title.get()}</h2>
                    <div id="confirm-dialog-detail">
                        <p><strong>{move || subject.get()}</strong></p>
                        <p>{move || detail.get()}</p>
                    </div>
                    <div class="form-actions">
                        <button type="button" class="button secondary" node_ref=cancel_button
                            on:click=move |_| close()>{move || cancel_label.get()}</button>
                        <button type="button" class="button danger" node_ref=confirm_button
                            on:click=move |_| { close(); on_confirm.run(()); }>{move || confirm_label.get()}</button>
                    </div>
                </div>
            </div>
        </Show>
    }
}
