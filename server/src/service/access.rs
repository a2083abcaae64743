//! The one guard every server function goes through: role, first-login steps, and scope.

use super::{Caller, OrInternal, RequestBackend};
use crate::db::master;
use crate::db::reports::Region;
use crate::db::suppliers::AreaRecord;
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

/// The region a report covers: the caller's own (a site itself, a municipality its sites, a
/// prefecture its municipalities and their sites; national and admin the country), narrowed by
/// the prefecture, municipality and site the caller chose. The guard has already refused a choice
/// outside the caller's own region (`within_scope`).
pub fn report_region(
    caller: &Caller,
    prefecture: Option<i64>,
    municipality: Option<String>,
    site: Option<i64>,
) -> Region {
    let user = &caller.user;
    let own = match caller.role {
        Role::Site => Region {
            site: Some(user.site_id.unwrap_or(-1)),
            ..Region::default()
        },
        Role::Municipality => Region {
            municipality: Some(user.municipality_code.clone().unwrap_or_default()),
            ..Region::default()
        },
        Role::Prefecture => Region {
            prefecture: Some(user.prefecture_code.unwrap_or(-1)),
            ..Region::default()
        },
        Role::National | Role::Admin => Region::default(),
        Role::Supplier => Region {
            site: Some(-1),
            ..Region::default()
        },
    };
    Region {
        prefecture: own.prefecture.or(prefecture),
        municipality: own.municipality.or(municipality),
        site: own.site.or(site),
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

/// True when a supplier whose service area is `area` delivers to a site of `municipality` in
/// `prefecture`: the area holds the whole prefecture or that municipality.
pub fn supplier_covers(area: &[AreaRecord], municipality: &str, prefecture: i64) -> bool {
    area.iter().any(|a| {
        a.prefecture_code == prefecture
            && a.municipality_code
                .as_deref()
                .is_none_or(|code| code == municipality)
    })
}

/// True when `caller` may look at the deliveries of a prefecture: national and admin users
/// all; a prefecture its own; a municipality the prefecture it lies in; a supplier any
/// prefecture its area touches.
pub fn may_see_deliveries(
    caller: &Caller,
    prefecture: i64,
    own_prefecture: Option<i64>,
    area: &[AreaRecord],
) -> bool {
    match caller.role {
        Role::National | Role::Admin => true,
        Role::Prefecture | Role::Municipality => own_prefecture == Some(prefecture),
        Role::Supplier => area.iter().any(|a| a.prefecture_code == prefecture),
        Role::Site => false,
    }
}

/// One end of a transfer: the site, its type, its basic site and its prefecture.
#[derive(Debug, Clone, Copy)]
pub struct TransferEnd {
    pub id: i64,
    pub satellite: bool,
    pub basic_site_id: Option<i64>,
    pub prefecture: i64,
}

/// True when vials may go from `from` to `to`: a satellite receives only from its basic site;
/// any other transfer stays within the prefecture.
pub fn transfer_allowed(from: TransferEnd, to: TransferEnd) -> bool {
    if from.id == to.id {
        return false;
    }
    if to.satellite {
        return to.basic_site_id == Some(from.id);
    }
    from.prefecture == to.prefecture
}

#[cfg(test)]
mod tests {
    use super::*;

    fn end(id: i64, basic: Option<i64>, prefecture: i64) -> TransferEnd {
        TransferEnd {
            id,
            satellite: basic.is_some(),
            basic_site_id: basic,
            prefecture,
        }
    }

    #[test]
    fn a_satellite_receives_only_from_its_own_basic_site() {
        assert!(transfer_allowed(end(1, None, 13), end(2, Some(1), 13)));
        assert!(!transfer_allowed(end(3, None, 13), end(2, Some(1), 13)));
        assert!(!transfer_allowed(end(4, Some(3), 13), end(2, Some(1), 13)));
    }

    #[test]
    fn other_transfers_stay_within_the_prefecture() {
        assert!(transfer_allowed(end(1, None, 13), end(5, None, 13)));
        assert!(transfer_allowed(end(2, Some(1), 13), end(1, None, 13)));
        assert!(!transfer_allowed(end(1, None, 13), end(6, None, 14)));
        assert!(!transfer_allowed(end(1, None, 13), end(1, None, 13)));
    }

    #[test]
    fn a_supplier_covers_whole_prefectures_or_single_municipalities() {
        let area = [
            AreaRecord {
                prefecture_code: 13,
                municipality_code: Some("131016".into()),
            },
            AreaRecord {
                prefecture_code: 14,
                municipality_code: None,
            },
        ];
        assert!(supplier_covers(&area, "131016", 13));
        assert!(!supplier_covers(&area, "131032", 13));
        assert!(supplier_covers(&area, "141003", 14));
        assert!(!supplier_covers(&area, "271004", 27));
    }
}
