//! 製薬メーカー・卸 and their 担当地域, prefecture by prefecture: national and admin users
//! register suppliers and set their areas (each change audited); a prefecture reads who serves
//! it.

use super::{Caller, OrInternal, RequestBackend, Scope};
use crate::db::audit::{self, Change};
use crate::db::{is_unique_violation, master, suppliers as db};
use app::api::{AreaRow, Choice, SupplierAreas, SuppliersApi};
use app::domain::{AreaForm, Role, SupplierForm};
use app::error::{AppError, FieldError};
use sqlx::{Any, AnyConnection, Transaction};

/// Who reads the areas of a prefecture (a prefecture only its own).
const READERS: &[Role] = &[Role::National, Role::Admin, Role::Prefecture];
/// Who registers suppliers and changes areas.
const EDITORS: &[Role] = &[Role::National, Role::Admin];
/// The prefecture national users see first: 東京都.
const FIRST_PREFECTURE: u8 = 13;

#[async_trait::async_trait]
impl SuppliersApi for RequestBackend {
    async fn load_supplier_areas(&self, prefecture: Option<u8>) -> Result<SupplierAreas, AppError> {
        let caller = self.require_role(READERS).await?;
        let own = caller
            .user
            .prefecture_code
            .and_then(|p| u8::try_from(p).ok());
        let prefecture = prefecture.or(own).unwrap_or(FIRST_PREFECTURE);
        let caller = self
            .within_scope(caller, Scope::Prefecture(i64::from(prefecture)))
            .await?;
        let mut conn = self.conn().await?;
        self.areas(&mut conn, &caller, prefecture).await
    }

    async fn register_supplier(
        &self,
        prefecture: u8,
        form: SupplierForm,
    ) -> Result<SupplierAreas, AppError> {
        let (caller, mut tx, before) = self.begin_edit(prefecture).await?;
        let taken: Vec<String> = before.suppliers.into_iter().map(|s| s.label).collect();
        let name = form.validate(&taken).map_err(AppError::Validation)?;
        let id = match db::insert_supplier(&mut tx, &name).await {
            Ok(id) => id,
            // Registered by someone else a moment ago.
            Err(error) if is_unique_violation(&error) => {
                return Err(AppError::field("name", FieldError::NameTaken))
            }
            Err(error) => return Err(error).or_internal("insert supplier"),
        };
        let change = supplier_change(id, "registered", None, Some(name));
        self.audited(tx, &caller, vec![change], prefecture).await
    }

    async fn add_supplier_area(
        &self,
        prefecture: u8,
        form: AreaForm,
    ) -> Result<SupplierAreas, AppError> {
        let (caller, mut tx, before) = self.begin_edit(prefecture).await?;
        let area = form
            .validate(
                &values(&before.suppliers),
                &values(&before.municipalities),
                &before.entries(),
            )
            .map_err(AppError::Validation)?;
        let code = i64::from(prefecture);
        let mut changes = Vec::new();
        if area.municipality.is_none() {
            // The whole prefecture replaces the municipalities listed in it.
            for replaced in db::remove_municipalities(&mut tx, area.supplier, code)
                .await
                .or_internal("remove municipalities")?
            {
                changes.push(supplier_change(
                    area.supplier,
                    "area_removed",
                    Some(place(&before, Some(&replaced))),
                    None,
                ));
            }
        }
        match db::add_supplier_area(&mut tx, area.supplier, code, area.municipality.as_deref())
            .await
        {
            Ok(()) => {}
            // Added by someone else a moment ago.
            Err(error) if is_unique_violation(&error) => {
                let field = if area.municipality.is_some() {
                    "municipality"
                } else {
                    "supplier"
                };
                return Err(AppError::field(field, FieldError::AreaAlreadyCovered));
            }
            Err(error) => return Err(error).or_internal("add area"),
        }
        let added = place(&before, area.municipality.as_deref());
        changes.push(supplier_change(
            area.supplier,
            "area_added",
            None,
            Some(added),
        ));
        self.audited(tx, &caller, changes, prefecture).await
    }

    async fn remove_supplier_area(
        &self,
        prefecture: u8,
        supplier_id: i64,
        municipality: Option<String>,
    ) -> Result<SupplierAreas, AppError> {
        let (caller, mut tx, before) = self.begin_edit(prefecture).await?;
        let removed = db::remove_supplier_area(
            &mut tx,
            supplier_id,
            i64::from(prefecture),
            municipality.as_deref(),
        )
        .await
        .or_internal("remove area")?;
        if removed == 0 {
            // Removed by someone else already, or never there: nothing to undo.
            return Err(AppError::NotFound);
        }
        let old = place(&before, municipality.as_deref());
        let change = supplier_change(supplier_id, "area_removed", Some(old), None);
        self.audited(tx, &caller, vec![change], prefecture).await
    }
}

impl RequestBackend {
    /// Starts a change in `prefecture` (national and admin users): the caller, the transaction,
    /// and the areas as they stand in it.
    async fn begin_edit(
        &self,
        prefecture: u8,
    ) -> Result<(Caller, Transaction<'static, Any>, SupplierAreas), AppError> {
        let caller = self
            .authorize(EDITORS, Scope::Prefecture(i64::from(prefecture)))
            .await?;
        let mut tx = self.state.db.begin().await.or_internal("begin")?;
        let areas = self.areas(&mut tx, &caller, prefecture).await?;
        Ok((caller, tx, areas))
    }

    /// Ends a change: records `changes` in the audit log, then answers `prefecture`'s areas as
    /// they now stand, all in the one transaction `tx`.
    async fn audited(
        &self,
        mut tx: Transaction<'static, Any>,
        caller: &Caller,
        changes: Vec<Change<'static>>,
        prefecture: u8,
    ) -> Result<SupplierAreas, AppError> {
        audit::record_many(&mut tx, self.now(), caller.actor(), &changes)
            .await
            .or_internal("audit")?;
        let areas = self.areas(&mut tx, caller, prefecture).await?;
        tx.commit().await.or_internal("commit")?;
        Ok(areas)
    }

    /// Who serves `prefecture`, with the lists the caller's forms choose from.
    async fn areas(
        &self,
        conn: &mut AnyConnection,
        caller: &Caller,
        prefecture: u8,
    ) -> Result<SupplierAreas, AppError> {
        let names = &self.state.master_names;
        let code = i64::from(prefecture);
        let prefecture_name = names
            .prefectures()
            .iter()
            .find(|p| p.value == prefecture.to_string())
            .map(|p| p.ja.clone())
            .ok_or(AppError::NotFound)?;
        let municipalities: Vec<Choice> = names
            .municipalities_of(code)
            .iter()
            .map(|m| Choice {
                value: m.value.clone(),
                label: m.ja.clone(),
            })
            .collect();
        let municipality_name = |code: &str| {
            municipalities
                .iter()
                .find(|m| m.value == code)
                .map(|m| m.label.clone())
        };
        let rows = db::areas_in_prefecture(conn, code)
            .await
            .or_internal("load areas")?
            .into_iter()
            .map(|a| AreaRow {
                supplier_id: a.supplier_id,
                supplier: a.supplier_name,
                municipality: a.municipality_code.as_deref().and_then(municipality_name),
                municipality_code: a.municipality_code,
            })
            .collect();
        let suppliers = supplier_choices(conn).await?;
        let prefectures = names
            .prefectures()
            .iter()
            .filter(|p| {
                p.value
                    .parse()
                    .is_ok_and(|p| super::access::prefecture_in_scope(caller, p))
            })
            .map(|p| Choice {
                value: p.value.clone(),
                label: p.ja.clone(),
            })
            .collect();
        Ok(SupplierAreas {
            prefecture,
            prefecture_name,
            prefectures,
            municipalities,
            suppliers,
            rows,
            editable: EDITORS.contains(&caller.role),
        })
    }
}

/// Every supplier as a choice, by name.
pub(super) async fn supplier_choices(conn: &mut AnyConnection) -> Result<Vec<Choice>, AppError> {
    Ok(master::suppliers(conn)
        .await
        .or_internal("load suppliers")?
        .into_iter()
        .map(|(id, name)| Choice {
            value: id.to_string(),
            label: name,
        })
        .collect())
}

/// An area as the audit log shows it: 東京都港区 (131032), or 東京都（全体）.
fn place(areas: &SupplierAreas, municipality: Option<&str>) -> String {
    let prefecture = &areas.prefecture_name;
    match municipality {
        Some(code) => {
            let name = areas
                .municipalities
                .iter()
                .find(|m| m.value == code)
                .map_or("", |m| m.label.as_str());
            format!("{prefecture}{name} ({code})")
        }
        None => format!("{prefecture}（全体）"),
    }
}

/// The values of a list of choices.
fn values(choices: &[Choice]) -> Vec<String> {
    choices.iter().map(|c| c.value.clone()).collect()
}

/// A change to a supplier: registered, or an area added or removed (see [`place`]).
fn supplier_change(
    supplier_id: i64,
    field: &'static str,
    old_value: Option<String>,
    new_value: Option<String>,
) -> Change<'static> {
    Change {
        entity: "supplier",
        entity_id: supplier_id.to_string(),
        field,
        old_value,
        new_value,
    }
}
