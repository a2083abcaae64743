//! 問い合わせ: the form a user sends and the states an inquiry goes through at the service desk.

use super::files::{FileRules, MediaType, Upload};
use super::required_text;
use crate::error::{FieldError, FieldErrors};
use serde::{Deserialize, Serialize};

/// The longest subject.
pub const SUBJECT_MAX: usize = 100;
/// The longest message.
pub const MESSAGE_MAX: usize = 4000;

/// What an inquiry is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum InquiryCategory {
    /// ログイン・アカウント.
    Login,
    /// 医療機関・接種会場の情報.
    Site,
    /// 希望量・分配・納入・在庫.
    Supply,
    /// 接種実績.
    Records,
    /// 請求.
    Billing,
    /// その他.
    Other,
}

stored_names!(InquiryCategory {
    Login => "login",
    Site => "site",
    Supply => "supply",
    Records => "records",
    Billing => "billing",
    Other => "other",
});

/// Where an inquiry stands at the service desk.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum InquiryStatus {
    /// 未対応: nobody has answered yet.
    Open,
    /// 対応中.
    InProgress,
    /// 完了.
    Closed,
}

stored_names!(InquiryStatus {
    Open => "open",
    InProgress => "in_progress",
    Closed => "closed",
});

/// An inquiry as the user types it (the chatbot's question comes over as its body).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct InquiryForm {
    /// The category's stored name; empty until chosen.
    pub category: String,
    /// 件名.
    pub subject: String,
    /// 問い合わせ内容.
    pub body: String,
    /// 添付ファイル.
    pub attachment: Option<Upload>,
}

/// An inquiry that passed [`InquiryForm::validate`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidInquiry {
    /// The category.
    pub category: InquiryCategory,
    /// 件名.
    pub subject: String,
    /// 問い合わせ内容.
    pub body: String,
    /// The attachment and its checked type.
    pub attachment: Option<(Upload, MediaType)>,
}

impl InquiryForm {
    /// Checks every field: a category, a subject and a body within their limits, and an
    /// attachment that is what its name says and within its size.
    pub fn validate(&self) -> Result<ValidInquiry, FieldErrors> {
        let mut errors = FieldErrors::new();
        let category = errors.check(
            "category",
            if self.category.is_empty() {
                Err(FieldError::Required)
            } else {
                InquiryCategory::parse(&self.category)
            },
        );
        let subject = errors.check("subject", required_text(&self.subject, SUBJECT_MAX));
        let body = errors.check("body", required_text(&self.body, MESSAGE_MAX));
        let attachment = match &self.attachment {
            Some(upload) => errors
                .check("attachment", FileRules::INQUIRY.check(upload))
                .map(|t| Some((upload.clone(), t))),
            None => Some(None),
        };
        match (category, subject, body, attachment) {
            (Some(category), Some(subject), Some(body), Some(attachment)) => Ok(ValidInquiry {
                category,
                subject,
                body,
                attachment,
            }),
            _ => Err(errors),
        }
    }
}
