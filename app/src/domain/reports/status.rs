//! The 状況 a report's row can stand in, the words its 状況 column shows, and the filter that
//! keeps the rows in one of them.

use super::codes::STATUS;
use super::{Cell, ReportCode, ReportRow};
use crate::domain::form_fields::Label;
use crate::i18n::Lang;

/// The 状況 of a row of R303, R304 or X312.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ReportStatus {
    /// R303: the supplier entered the 納入予定日.
    DateEntered,
    /// R303: no 納入予定日 yet.
    DateMissing,
    /// R304: no 納入予定日 yet.
    NoDate,
    /// R304: a 納入予定日, nothing delivered.
    Dated,
    /// R304: part of the allocation delivered.
    Partial,
    /// R304: all delivered, not all received.
    Delivered,
    /// R304 and X312: received.
    Received,
    /// X312: a delivery not yet received.
    Awaiting,
    /// X312: a transfer on its way.
    InTransit,
    /// X312: a cancelled transfer (its vials went back to the sender).
    Cancelled,
}

impl ReportStatus {
    /// The status as the URL carries it (`status=received`).
    pub fn key(self) -> &'static str {
        match self {
            Self::DateEntered => "entered",
            Self::DateMissing => "not-entered",
            Self::NoDate => "no-date",
            Self::Dated => "dated",
            Self::Partial => "partial",
            Self::Delivered => "delivered",
            Self::Received => "received",
            Self::Awaiting => "awaiting",
            Self::InTransit => "in-transit",
            Self::Cancelled => "cancelled",
        }
    }

    /// The status of a key, as in a URL.
    pub fn parse(key: &str) -> Option<Self> {
        ALL.into_iter().find(|s| s.key() == key)
    }

    /// The words of the 状況 column (the cell shows the Japanese, as the CSV does).
    pub fn label(self) -> Label {
        match self {
            Self::DateEntered => Label::new("登録済", "Entered"),
            Self::DateMissing => Label::new("未登録", "Not entered"),
            Self::NoDate => Label::new("納入予定日未登録", "No delivery date"),
            Self::Dated => Label::new("納入予定日登録済", "Delivery date entered"),
            Self::Partial => Label::new("一部納入", "Partly delivered"),
            Self::Delivered => Label::new("納入済", "Delivered"),
            Self::Received => Label::new("受領済", "Received"),
            Self::Awaiting => Label::new("受領待ち", "Awaiting receipt"),
            Self::InTransit => Label::new("輸送中", "In transit"),
            Self::Cancelled => Label::new("取消", "Cancelled"),
        }
    }
}

const ALL: [ReportStatus; 10] = [
    ReportStatus::DateEntered,
    ReportStatus::DateMissing,
    ReportStatus::NoDate,
    ReportStatus::Dated,
    ReportStatus::Partial,
    ReportStatus::Delivered,
    ReportStatus::Received,
    ReportStatus::Awaiting,
    ReportStatus::InTransit,
    ReportStatus::Cancelled,
];

impl ReportCode {
    /// The statuses a row of this report can stand in, in the order of the work (none for a
    /// report without a 状況 column, which then offers no status filter).
    pub fn statuses(self) -> &'static [ReportStatus] {
        use ReportStatus::*;
        match self {
            Self::R303 => &[DateMissing, DateEntered],
            Self::R304 => &[NoDate, Dated, Partial, Delivered, Received],
            Self::X312 => &[Awaiting, InTransit, Received, Cancelled],
            _ => &[],
        }
    }

    /// The rows' 状況 in `lang`. The server writes them in Japanese (the words the filter and the
    /// order read); an English screen shows and exports them in English.
    pub fn localise_statuses(self, lang: Lang, rows: &mut [ReportRow]) {
        let Some(column) = self.status_column() else {
            return;
        };
        for row in rows {
            if let Some(Cell::Text(words)) = row.cells.get_mut(column) {
                if let Some(status) = self.statuses().iter().find(|s| s.label().ja == words) {
                    *words = status.label().get(lang).to_string();
                }
            }
        }
    }

    /// The index of the 状況 column, where the report has one.
    pub fn status_column(self) -> Option<usize> {
        if self.statuses().is_empty() {
            return None;
        }
        self.columns().iter().position(|c| *c == STATUS)
    }
}
