//! The seam between server function bodies (declared in [`crate::api`], in the shared crate) and
//! their implementation in the server crate, which owns the database, sessions and mail.
//!
//! Each area of [`crate::api`] declares a trait beside its server functions; the server crate
//! implements it, in the service file of the same name, on its per-request backend. The server
//! runs every server function inside [`scope`] with that backend, which knows the caller's
//! cookies and address and the application state.

use crate::api::{
    AccountsApi, AllocationApi, AuditApi, BillingApi, BookingsApi, ChangeRequestsApi, DeliveryApi,
    DoctorsApi, FinderApi, InquiriesApi, KnowledgeApi, LoginApi, NoticesApi, OrgApi, OutOfAreaApi,
    OutboxApi, RecordsApi, ReportsApi, ReservationApi, SetupApi, SiteRecordApi, StockApi,
    SuppliersApi, SupplyApi,
};
use crate::error::AppError;
use std::future::Future;
use std::sync::Arc;

/// Every area's server functions: what the server's per-request backend implements (with one
/// empty `impl`, once it implements each area's trait).
pub trait Backend:
    AccountsApi
    + AllocationApi
    + AuditApi
    + BillingApi
    + BookingsApi
    + ChangeRequestsApi
    + DeliveryApi
    + DoctorsApi
    + FinderApi
    + InquiriesApi
    + KnowledgeApi
    + LoginApi
    + NoticesApi
    + OrgApi
    + OutOfAreaApi
    + OutboxApi
    + RecordsApi
    + ReportsApi
    + ReservationApi
    + SetupApi
    + SiteRecordApi
    + StockApi
    + SuppliersApi
    + SupplyApi
{
}

tokio::task_local! {
    static BACKEND: Arc<dyn Backend>;
}

/// The backend of the request being served; outside [`scope`] (a server function called other
/// than through the server's request handler) a logged internal error.
pub fn backend() -> Result<Arc<dyn Backend>, AppError> {
    BACKEND.try_with(Arc::clone).map_err(|_| {
        tracing::error!("a server function ran outside the request handler's scope");
        AppError::Internal
    })
}

/// Runs `future` (a server function call) with `backend` as the request's backend.
pub async fn scope<F: Future>(backend: Arc<dyn Backend>, future: F) -> F::Output {
    BACKEND.scope(backend, future).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_server_function_outside_the_request_scope_is_an_internal_error_not_a_panic() {
        assert_eq!(crate::api::current_session().await, Err(AppError::Internal));
    }
}
