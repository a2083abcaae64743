//! お知らせ: who reads which notice (role, region, validity) and who writes them (national,
//! prefecture and municipality users, each within its own area).

use super::access::{municipality_in_scope, prefecture_in_scope};
use super::{Caller, OrInternal, RequestBackend};
use crate::db::audit::{self, Change};
use crate::db::master;
use crate::db::notices::{self as db, Author, NewNotice, NoticeRecord, Reader};
use app::api::{AuthoredNotice, NoticePage, NoticeState, NoticeView, NoticesApi, RegionOption};
use app::domain::help::{
    NoticeForm, NoticeRegion, ValidNotice, HOME_NOTICES, NOTICE_AUTHORS, NOTICE_PAGE,
};
use app::domain::{jst, Role};
use app::error::{AppError, FieldError, FieldErrors, RefusalReason};
use chrono::{DateTime, NaiveDate, TimeDelta, TimeZone, Utc};
use sqlx::AnyConnection;

/// Every role reads notices (each sees those addressed to it).
const READERS: &[Role] = &Role::ALL;

#[async_trait::async_trait]
impl NoticesApi for RequestBackend {
    async fn home_notices(&self) -> Result<NoticePage, AppError> {
        let caller = self.require_role(READERS).await?;
        let mut conn = self.conn().await?;
        page_for(&mut conn, &caller, self.now(), "", HOME_NOTICES as i64, 0).await
    }

    async fn list_notices(&self, query: String, page: u32) -> Result<NoticePage, AppError> {
        let caller = self.require_role(READERS).await?;
        let mut conn = self.conn().await?;
        let offset = i64::from(page) * NOTICE_PAGE as i64;
        page_for(
            &mut conn,
            &caller,
            self.now(),
            query.trim(),
            NOTICE_PAGE as i64,
            offset,
        )
        .await
    }

    /// Only a notice the caller may read now can be marked read: another id reads as not found.
    async fn mark_notice_read(&self, id: i64) -> Result<(), AppError> {
        let caller = self.require_role(READERS).await?;
        let now = self.now();
        let mut conn = self.conn().await?;
        let notice = db::by_id(&mut conn, id, caller.user.id)
            .await
            .or_internal("load notice")?
            .ok_or(AppError::NotFound)?;
        if !reaches(&mut conn, &notice, &reader_of(&caller), now).await? {
            return Err(AppError::NotFound);
        }
        // Reading is no change to the record: no audit row, as for any page view.
        db::mark_read(&mut conn, id, caller.user.id, now)
            .await
            .or_internal("mark notice read")
    }

    async fn authored_notices(&self) -> Result<Vec<AuthoredNotice>, AppError> {
        let caller = self.require_role(NOTICE_AUTHORS).await?;
        let author = author_of(&caller);
        let now = self.now();
        let mut conn = self.conn().await?;
        let rows = db::authored(&mut conn, &author, caller.user.id)
            .await
            .or_internal("load authored notices")?;
        let mut notices = Vec::with_capacity(rows.len());
        for row in rows {
            notices.push(authored_view(&mut conn, row, now).await?);
        }
        Ok(notices)
    }

    async fn notice_regions(&self) -> Result<Vec<RegionOption>, AppError> {
        let caller = self.require_role(NOTICE_AUTHORS).await?;
        let mut conn = self.conn().await?;
        let mut options = Vec::new();
        match caller.role {
            Role::National => {
                for p in master::prefectures(&mut conn)
                    .await
                    .or_internal("load prefectures")?
                {
                    options.push(RegionOption {
                        code: NoticeRegion::Prefecture(p.code).code(),
                        name: p.name,
                    });
                }
            }
            Role::Prefecture => {
                let code = caller.user.prefecture_code.ok_or(AppError::Forbidden)?;
                for m in master::municipalities_of(&mut conn, code)
                    .await
                    .or_internal("load municipalities")?
                {
                    options.push(RegionOption {
                        code: m.code,
                        name: m.name,
                    });
                }
            }
            // A municipality's notices reach its own area only.
            _ => {}
        }
        Ok(options)
    }

    async fn save_notice(
        &self,
        id: Option<i64>,
        form: NoticeForm,
    ) -> Result<AuthoredNotice, AppError> {
        let caller = self.require_role(NOTICE_AUTHORS).await?;
        let notice = form.validate(caller.role).map_err(AppError::Validation)?;
        let author = author_of(&caller);
        let now = self.now();
        let mut tx = self.state.db.begin().await.or_internal("begin")?;
        let regions = regions_within(&mut tx, &caller, &notice.regions).await?;
        let roles = db::roles_column(&notice.roles);
        let new = NewNotice {
            title: &notice.title,
            body: &notice.body,
            important: notice.important,
            valid_from: start_of(notice.valid_from),
            valid_until: start_of(notice.valid_until + TimeDelta::days(1)),
            roles,
            regions: &regions,
        };
        let (id, old) = match id {
            Some(id) => {
                let old = owned_notice(&mut tx, &caller, &author, id).await?;
                if old.withdrawn_at.is_some() || old.valid_until <= now {
                    return Err(AppError::Refused(RefusalReason::NoticeClosed));
                }
                db::update(&mut tx, id, &new, now)
                    .await
                    .or_internal("update notice")?;
                (id, Some(summary(&old)))
            }
            None => {
                let id = db::insert(&mut tx, &author, &new, caller.user.id, now)
                    .await
                    .or_internal("insert notice")?;
                (id, None)
            }
        };
        audit::record(
            &mut tx,
            now,
            caller.actor(),
            notice_change(id, "notice", old, Some(summary_of_valid(&notice, &regions))),
        )
        .await
        .or_internal("audit")?;
        let view = reloaded(&mut tx, &caller, id, now).await?;
        tx.commit().await.or_internal("commit")?;
        Ok(view)
    }

    async fn withdraw_notice(&self, id: i64) -> Result<AuthoredNotice, AppError> {
        let caller = self.require_role(NOTICE_AUTHORS).await?;
        let author = author_of(&caller);
        let now = self.now();
        let mut tx = self.state.db.begin().await.or_internal("begin")?;
        let old = owned_notice(&mut tx, &caller, &author, id).await?;
        if old.withdrawn_at.is_some() || old.valid_until <= now {
            return Err(AppError::Refused(RefusalReason::NoticeClosed));
        }
        db::withdraw(&mut tx, id, now)
            .await
            .or_internal("withdraw notice")?;
        audit::record(
            &mut tx,
            now,
            caller.actor(),
            notice_change(id, "withdrawn", None, Some("取り下げ".into())),
        )
        .await
        .or_internal("audit")?;
        let view = reloaded(&mut tx, &caller, id, now).await?;
        tx.commit().await.or_internal("commit")?;
        Ok(view)
    }
}

/// A notice as its author's organisation sees it after a change, inside the change's
/// transaction.
async fn reloaded(
    conn: &mut AnyConnection,
    caller: &Caller,
    id: i64,
    now: DateTime<Utc>,
) -> Result<AuthoredNotice, AppError> {
    let row = db::by_id(conn, id, caller.user.id)
        .await
        .or_internal("reload notice")?
        .ok_or(AppError::Internal)?;
    authored_view(conn, row, now).await
}

/// The reader's role and region.
fn reader_of(caller: &Caller) -> Reader {
    Reader {
        user_id: caller.user.id,
        role: caller.role,
        prefecture: caller.user.region_prefecture,
        municipality: caller.user.region_municipality.clone(),
    }
}

/// The organisation that owns the caller's notices.
fn author_of(caller: &Caller) -> Author {
    let name = match caller.role {
        Role::National => "厚生労働省".to_string(),
        _ => caller.user.organisation.clone().unwrap_or_default(),
    };
    Author {
        role: caller.role,
        prefecture: match caller.role {
            Role::National => None,
            _ => caller.user.region_prefecture,
        },
        municipality: match caller.role {
            Role::Municipality => caller.user.municipality_code.clone(),
            _ => None,
        },
        name,
    }
}

/// The regions a notice of `caller` reaches: those chosen, each inside the caller's area (a
/// region outside it is a field error), or else the caller's whole area (none for national).
async fn regions_within(
    conn: &mut AnyConnection,
    caller: &Caller,
    chosen: &[NoticeRegion],
) -> Result<Vec<NoticeRegion>, AppError> {
    for region in chosen {
        let inside = match region {
            NoticeRegion::Prefecture(code) => prefecture_in_scope(caller, *code),
            NoticeRegion::Municipality(code) => master::municipality(conn, code)
                .await
                .or_internal("load municipality")?
                .is_some_and(|m| municipality_in_scope(caller, &m.code, m.prefecture_code)),
        };
        if !inside {
            let mut errors = FieldErrors::new();
            errors.add("regions", FieldError::OrganisationOutOfScope);
            return Err(AppError::Validation(errors));
        }
    }
    if !chosen.is_empty() {
        return Ok(chosen.to_vec());
    }
    Ok(match caller.role {
        Role::Prefecture => vec![NoticeRegion::Prefecture(
            caller.user.prefecture_code.ok_or(AppError::Forbidden)?,
        )],
        Role::Municipality => vec![NoticeRegion::Municipality(
            caller
                .user
                .municipality_code
                .clone()
                .ok_or(AppError::Forbidden)?,
        )],
        _ => Vec::new(),
    })
}

/// A notice of the caller's organisation; another's reads as not found.
async fn owned_notice(
    conn: &mut AnyConnection,
    caller: &Caller,
    author: &Author,
    id: i64,
) -> Result<NoticeRecord, AppError> {
    let row = db::by_id(conn, id, caller.user.id)
        .await
        .or_internal("load notice")?
        .ok_or(AppError::NotFound)?;
    let same = row.author_role == author.role
        && row.author_prefecture == author.prefecture
        && row.author_municipality == author.municipality;
    if same {
        Ok(row)
    } else {
        Err(AppError::NotFound)
    }
}

/// Whether `notice` reaches `reader` at `now` (the same rule as the list's SQL).
async fn reaches(
    conn: &mut AnyConnection,
    notice: &NoticeRecord,
    reader: &Reader,
    now: DateTime<Utc>,
) -> Result<bool, AppError> {
    let roles = db::parse_roles(&notice.roles).or_internal("decode notice roles")?;
    if notice.withdrawn_at.is_some()
        || now < notice.valid_from
        || notice.valid_until <= now
        || !roles.contains(&reader.role)
    {
        return Ok(false);
    }
    let regions = db::regions(conn, notice.id)
        .await
        .or_internal("load notice regions")?;
    Ok(regions.is_empty()
        || regions.iter().any(|region| match region {
            NoticeRegion::Prefecture(code) => reader.prefecture == Some(*code),
            NoticeRegion::Municipality(code) => reader.municipality.as_deref() == Some(code),
        }))
}

async fn page_for(
    conn: &mut AnyConnection,
    caller: &Caller,
    now: DateTime<Utc>,
    search: &str,
    limit: i64,
    offset: i64,
) -> Result<NoticePage, AppError> {
    let reader = reader_of(caller);
    let rows = db::visible(conn, &reader, now, search, limit, offset)
        .await
        .or_internal("load notices")?;
    let (total, unread) = db::visible_counts(conn, &reader, now, search)
        .await
        .or_internal("count notices")?;
    Ok(NoticePage {
        notices: rows.into_iter().map(view).collect(),
        total: total as u32,
        unread: unread as u32,
    })
}

/// JST midnight at the start of `day`.
fn start_of(day: NaiveDate) -> DateTime<Utc> {
    jst()
        .from_local_datetime(&day.and_hms_opt(0, 0, 0).unwrap_or_default())
        .single()
        .map(|at| at.with_timezone(&Utc))
        .unwrap_or_default()
}

/// 掲載終了日: the day before the exclusive end.
fn last_day(until: DateTime<Utc>) -> NaiveDate {
    app::domain::jst_date(until - TimeDelta::seconds(1))
}

fn view(row: NoticeRecord) -> NoticeView {
    NoticeView {
        id: row.id,
        title: row.title,
        body: row.body,
        important: row.important,
        valid_from: app::domain::jst_date(row.valid_from).to_string(),
        valid_until: last_day(row.valid_until).to_string(),
        author: row.author_name,
        read: row.read,
    }
}

async fn authored_view(
    conn: &mut AnyConnection,
    row: NoticeRecord,
    now: DateTime<Utc>,
) -> Result<AuthoredNotice, AppError> {
    let roles = db::parse_roles(&row.roles).or_internal("decode notice roles")?;
    let regions = db::regions(conn, row.id)
        .await
        .or_internal("load notice regions")?;
    let mut region_names = Vec::new();
    for region in &regions {
        let name = match region {
            NoticeRegion::Prefecture(code) => master::prefecture(conn, *code)
                .await
                .or_internal("load prefecture")?
                .map(|p| p.name),
            NoticeRegion::Municipality(code) => master::municipality(conn, code)
                .await
                .or_internal("load municipality")?
                .map(|m| m.name),
        };
        region_names.push(name.unwrap_or_else(|| region.code()));
    }
    // The author's own area is written as the region; the form leaves it empty.
    let own_area = matches!(
        (row.author_role, regions.as_slice()),
        (Role::Municipality, [_]) | (Role::Prefecture, [NoticeRegion::Prefecture(_)])
    );
    let state = if row.withdrawn_at.is_some() {
        NoticeState::Withdrawn
    } else if now < row.valid_from {
        NoticeState::Scheduled
    } else if now < row.valid_until {
        NoticeState::Showing
    } else {
        NoticeState::Ended
    };
    let form = NoticeForm {
        title: row.title.clone(),
        body: row.body.clone(),
        important: row.important,
        valid_from: app::domain::jst_date(row.valid_from).to_string(),
        valid_until: last_day(row.valid_until).to_string(),
        roles: roles.clone(),
        regions: if own_area {
            Vec::new()
        } else {
            regions.iter().map(NoticeRegion::code).collect()
        },
    };
    Ok(AuthoredNotice {
        notice: view(row),
        form,
        roles,
        region_names: if own_area { Vec::new() } else { region_names },
        state,
    })
}

fn notice_change(
    id: i64,
    field: &'static str,
    old: Option<String>,
    new: Option<String>,
) -> Change<'static> {
    Change {
        entity: "notice",
        entity_id: id.to_string(),
        field,
        old_value: old,
        new_value: new,
    }
}

/// What the audit keeps of a stored notice.
fn summary(row: &NoticeRecord) -> String {
    format!(
        "{}{} [{} – {}] {}",
        if row.important { "【重要】" } else { "" },
        row.title,
        app::domain::jst_date(row.valid_from),
        last_day(row.valid_until),
        row.roles
    )
}

/// What the audit keeps of a notice being saved.
fn summary_of_valid(notice: &ValidNotice, regions: &[NoticeRegion]) -> String {
    let regions: Vec<String> = regions.iter().map(NoticeRegion::code).collect();
    format!(
        "{}{} [{} – {}] {} {}",
        if notice.important { "【重要】" } else { "" },
        notice.title,
        notice.valid_from,
        notice.valid_until,
        db::roles_column(&notice.roles),
        regions.join(",")
    )
}
