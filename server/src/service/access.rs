//! The one guard every server function goes through: role, first-login steps, and scope.

use super::{Caller, OrInternal, RequestBackend};
use crate::db::master;
use crate::db::users::UserRecord;
use app::domain::Role;
use app::error::AppError;

/// Who reads a municipality's lists (change requests, reservation summary): the municipality and
/// those above it.
pub const MUNICIPALITY_READERS: &[Role] = &[
    Role::Municipality,
    Role::Prefecture,
    Role::National,
    Role::Admin,
];

/// What a server function acts on, for the scope check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// Nothing region-bound (the caller's own account, national lists).
    Own,
    /// One site.
    Site(i64),
    /// One municipality, by code.
    Municipality(String),
    /// One prefecture, by code.
    Prefecture(i64),
}

impl RequestBackend {
    /// The guard: the caller must be logged in with every first-login step done, have one of
    /// `roles`, and `scope` must lie inside the caller's region (a site only its own record, a
    /// municipality its own sites, a prefecture its own municipalities; national and admin all).
    pub(super) async fn authorize(&self, roles: &[Role], scope: Scope) -> Result<Caller, AppError> {
        let caller = self.require_role(roles).await?;
        self.within_scope(caller, scope).await
    }

    /// The second half of [`Self::authorize`], for a caller already checked by `require_role`
    /// whose scope is known only after a lookup (a change request's site): `scope` must lie
    /// inside the caller's region.
    pub(super) async fn within_scope(
        &self,
        caller: Caller,
        scope: Scope,
    ) -> Result<Caller, AppError> {
        let inside = match &scope {
            Scope::Own => true,
            Scope::Site(id) => {
                let mut conn = self.conn().await?;
                match master::site(&mut conn, *id)
                    .await
                    .or_internal("load site")?
                {
                    Some(site) => site_in_scope(
                        &caller,
                        site.id,
                        &site.municipality_code,
                        site.prefecture_code,
                    ),
                    None => false,
                }
            }
            Scope::Municipality(code) => {
                let mut conn = self.conn().await?;
                match master::municipality(&mut conn, code)
                    .await
                    .or_internal("load municipality")?
                {
                    Some(m) => municipality_in_scope(&caller, &m.code, m.prefecture_code),
                    None => false,
                }
            }
            Scope::Prefecture(code) => prefecture_in_scope(&caller, *code),
        };
        if inside {
            Ok(caller)
        } else {
            Err(AppError::Forbidden)
        }
    }
}

/// True when `caller` may act on the site.
pub fn site_in_scope(caller: &Caller, site_id: i64, municipality: &str, prefecture: i64) -> bool {
    match caller.role {
        Role::National | Role::Admin => true,
        Role::Prefecture => caller.user.prefecture_code == Some(prefecture),
        Role::Municipality => caller.user.municipality_code.as_deref() == Some(municipality),
        Role::Site => caller.user.site_id == Some(site_id),
        Role::Supplier => false,
    }
}

/// True when `caller` may act on the municipality.
pub fn municipality_in_scope(caller: &Caller, municipality: &str, prefecture: i64) -> bool {
    match caller.role {
        Role::National | Role::Admin => true,
        Role::Prefecture => caller.user.prefecture_code == Some(prefecture),
        Role::Municipality => caller.user.municipality_code.as_deref() == Some(municipality),
        Role::Site | Role::Supplier => false,
    }
}

/// True when `caller` may act on the prefecture.
pub fn prefecture_in_scope(caller: &Caller, prefecture: i64) -> bool {
    match caller.role {
        Role::National | Role::Admin => true,
        Role::Prefecture => caller.user.prefecture_code == Some(prefecture),
        _ => false,
    }
}

/// True when `caller` may manage (unlock, disable, send links to) the user `target`: admins
/// everyone; prefectures the prefecture, municipality and site users of their prefecture;
/// municipalities the municipality and site users of their municipality.
pub fn may_manage_user(caller: &Caller, target: &UserRecord) -> bool {
    let target_role = Some(target.role);
    match caller.role {
        Role::Admin => true,
        Role::Prefecture => {
            matches!(
                target_role,
                Some(Role::Prefecture | Role::Municipality | Role::Site)
            ) && target.region_prefecture == caller.user.prefecture_code
        }
        Role::Municipality => {
            matches!(target_role, Some(Role::Municipality | Role::Site))
                && target.region_municipality == caller.user.municipality_code
        }
        _ => false,
    }
}

/// The roles `issuer` may issue IDs for.
pub fn issuable_roles(issuer: Role) -> Vec<Role> {
    match issuer {
        Role::Admin => Role::ALL.to_vec(),
        Role::Prefecture => vec![Role::Prefecture, Role::Municipality, Role::Site],
        Role::Municipality => vec![Role::Municipality, Role::Site],
        _ => Vec::new(),
    }
}
