//! お知らせ, ナレッジ, the chatbot and the 問い合わせフォーム (SPEC §10): the notices' audience and
//! validity, the body's links, and the forms of this area, parsed once for the browser and the
//! server.

/// Declares the stored names of a choice: `ALL` (in the order screens list them), `as_str`, and
/// `parse` (an unknown name is [`FieldError::InvalidChoice`]), through which rows decode it.
macro_rules! stored_names {
    ($ty:ident { $($variant:ident => $name:literal),+ $(,)? }) => {
        impl $ty {
            /// Every value, in the order screens list them.
            pub const ALL: [Self; [$(stringify!($variant)),+].len()] = [$(Self::$variant),+];

            /// The stored name.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Self::$variant => $name,)+
                }
            }

            /// Parses the stored name.
            pub fn parse(value: &str) -> Result<Self, crate::error::FieldError> {
                Self::ALL
                    .into_iter()
                    .find(|k| k.as_str() == value)
                    .ok_or(crate::error::FieldError::InvalidChoice)
            }
        }

        choice_from_string!($ty);
    };
}

pub mod diff;
pub mod files;
pub mod inquiries;
pub mod knowledge;
#[cfg(test)]
mod tests;

use super::{parse_date, Role};
use crate::error::{FieldError, FieldErrors};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

pub use diff::{line_diff, DiffLine};
pub use files::{FileBytes, FileRules, MediaType, Upload};
pub use inquiries::{InquiryCategory, InquiryForm, InquiryStatus, ValidInquiry};
pub use knowledge::{script_terms, ArticleCategory, ArticleKind, AUDIENCES};

/// The longest notice title.
pub const NOTICE_TITLE_MAX: usize = 100;
/// The longest notice body.
pub const NOTICE_BODY_MAX: usize = 4000;
/// How many notices ホーム shows (seed 5/31リリース機能④: 表示は最新のお知らせ10件のみ).
pub const HOME_NOTICES: usize = 10;
/// How many notices a page of 過去のお知らせ一覧 shows.
pub const NOTICE_PAGE: usize = 20;

/// The roles a notice of `author` may reach: a municipality its own users and its sites; a
/// prefecture its own, its municipalities and their sites; national everyone.
pub fn reachable_roles(author: Role) -> &'static [Role] {
    match author {
        Role::National => &Role::ALL,
        Role::Prefecture => &[Role::Prefecture, Role::Municipality, Role::Site],
        Role::Municipality => &[Role::Municipality, Role::Site],
        Role::Site | Role::Supplier | Role::Admin => &[],
    }
}

/// Who writes notices.
pub const NOTICE_AUTHORS: &[Role] = &[Role::National, Role::Prefecture, Role::Municipality];

/// A notice as its author types it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoticeForm {
    /// 件名.
    pub title: String,
    /// 本文: plain text; addresses (https://…) become links.
    pub body: String,
    /// 重要.
    pub important: bool,
    /// 掲載開始日.
    pub valid_from: String,
    /// 掲載終了日 (shown through the whole day).
    pub valid_until: String,
    /// The audience's roles.
    pub roles: Vec<Role>,
    /// The audience's regions: prefecture codes (`13`) and municipality codes (`131016`); empty
    /// for the author's whole area.
    pub regions: Vec<String>,
}

/// A region a notice reaches.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum NoticeRegion {
    /// A prefecture, by code.
    Prefecture(i64),
    /// A municipality, by its 6-digit code.
    Municipality(String),
}

impl NoticeRegion {
    /// Parses `13` (a prefecture) or `131016` (a municipality).
    pub fn parse(code: &str) -> Result<Self, FieldError> {
        let code = code.trim();
        let digits = code.bytes().all(|b| b.is_ascii_digit());
        match (digits, code.len()) {
            (true, 1 | 2) => match code.parse::<i64>() {
                Ok(n @ 1..=47) => Ok(Self::Prefecture(n)),
                _ => Err(FieldError::InvalidChoice),
            },
            (true, 6) => Ok(Self::Municipality(code.to_string())),
            _ => Err(FieldError::InvalidChoice),
        }
    }

    /// The code as typed in the form.
    pub fn code(&self) -> String {
        match self {
            Self::Prefecture(code) => format!("{code:02}"),
            Self::Municipality(code) => code.clone(),
        }
    }
}

/// A notice that passed [`NoticeForm::validate`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidNotice {
    /// 件名.
    pub title: String,
    /// 本文.
    pub body: String,
    /// 重要.
    pub important: bool,
    /// 掲載開始日.
    pub valid_from: NaiveDate,
    /// 掲載終了日 (inclusive).
    pub valid_until: NaiveDate,
    /// The audience's roles, without repeats.
    pub roles: Vec<Role>,
    /// The audience's regions, without repeats.
    pub regions: Vec<NoticeRegion>,
}

impl NoticeForm {
    /// Checks the notice of an `author`: a title and body within their limits, the dates in
    /// order, at least one role, and only roles the author may reach. The regions' place inside
    /// the author's area is checked by the server, which knows the municipalities.
    pub fn validate(&self, author: Role) -> Result<ValidNotice, FieldErrors> {
        let mut errors = FieldErrors::new();
        let title = errors.check("title", required_text(&self.title, NOTICE_TITLE_MAX));
        let body = errors.check("body", required_text(&self.body, NOTICE_BODY_MAX));
        let from = errors.check("valid_from", parse_date(&self.valid_from));
        let until = errors.check("valid_until", parse_date(&self.valid_until));
        if let (Some(from), Some(until)) = (from, until) {
            if until < from {
                errors.add("valid_until", FieldError::DateOrder);
            }
        }
        let mut roles = self.roles.clone();
        roles.sort_by_key(|r| Role::ALL.iter().position(|a| a == r));
        roles.dedup();
        if roles.is_empty() {
            errors.add("roles", FieldError::Required);
        } else if roles.iter().any(|r| !reachable_roles(author).contains(r)) {
            errors.add("roles", FieldError::OrganisationOutOfScope);
        }
        let mut regions = Vec::new();
        for code in self.regions.iter().filter(|c| !c.trim().is_empty()) {
            if let Some(region) = errors.check("regions", NoticeRegion::parse(code)) {
                regions.push(region);
            }
        }
        regions.sort();
        regions.dedup();
        match (title, body, from, until) {
            (Some(title), Some(body), Some(valid_from), Some(valid_until)) if errors.is_empty() => {
                Ok(ValidNotice {
                    title,
                    body,
                    important: self.important,
                    valid_from,
                    valid_until,
                    roles,
                    regions,
                })
            }
            _ => Err(errors),
        }
    }
}

/// A text that must be given and stay within `max` characters, trimmed.
pub fn required_text(input: &str, max: usize) -> Result<String, FieldError> {
    let value = input.trim();
    if value.is_empty() {
        Err(FieldError::Required)
    } else if value.chars().count() > max {
        Err(FieldError::TooLong { max })
    } else {
        Ok(value.to_string())
    }
}

/// A piece of a notice's (or an answer's) body: text, or an address shown as a link. Bodies are
/// never rendered as HTML; this is the only markup they get.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BodyPart {
    /// Plain text, line breaks included.
    Text(String),
    /// An `http://` or `https://` address.
    Link(String),
}

/// Splits `body` into text and links: an address starts at `http://` or `https://` and runs to
/// the first space, full-width character or closing bracket; a trailing full stop or comma stays
/// text.
pub fn linkify(body: &str) -> Vec<BodyPart> {
    let mut parts = Vec::new();
    let mut rest = body;
    while let Some(start) = ["https://", "http://"]
        .iter()
        .filter_map(|scheme| rest.find(scheme))
        .min()
    {
        let tail = &rest[start..];
        let mut end = tail
            .find(|c: char| c.is_whitespace() || !c.is_ascii() || "<>\"'()[]{}".contains(c))
            .unwrap_or(tail.len());
        while end > 0 && tail[..end].ends_with(['.', ',', ';', ':', '!', '?']) {
            end -= 1;
        }
        let scheme = if tail.starts_with("https://") { 8 } else { 7 };
        if start > 0 {
            parts.push(BodyPart::Text(rest[..start].to_string()));
        }
        // The scheme alone (end >= scheme: its characters never stop an address) is no address.
        if end > scheme {
            parts.push(BodyPart::Link(tail[..end].to_string()));
        } else {
            parts.push(BodyPart::Text(tail[..end].to_string()));
        }
        rest = &tail[end..];
    }
    if !rest.is_empty() {
        parts.push(BodyPart::Text(rest.to_string()));
    }
    parts
}
