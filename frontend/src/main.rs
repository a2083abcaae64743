//! The browser entry point: mounts the V-SYS single-page application.

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(app::ui::App);
}
