//! V-SYS shared crate.
//!
//! Everything that both the browser and the server need lives here: the domain types that parse
//! user input, the one error type, the translated texts, and the server function declarations.
//! With the `csr` feature it also holds the pages; with `ssr` it holds the [`backend::Backend`]
//! trait through which server function bodies reach the server crate.

pub mod api;
#[cfg(feature = "ssr")]
pub mod backend;
pub mod domain;
pub mod error;
pub mod i18n;
pub mod text;
#[cfg(feature = "csr")]
pub mod ui;
