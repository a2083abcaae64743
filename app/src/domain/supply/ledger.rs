//! The stock ledger's movements.

use crate::domain::form_fields::Label;
use crate::error::FieldError;
use serde::{Deserialize, Serialize};

/// A movement on the stock ledger of one site and lot (SPEC §5): what adds vials and what
/// takes them away.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum MovementKind {
    /// 受領: a delivery confirmed by the site (+).
    Receipt,
    /// 移送（出）: vials sent to another site (−).
    TransferOut,
    /// 移送（受）: vials received from another site (+).
    TransferIn,
    /// 接種使用: vials used for vaccinations (−).
    Use,
    /// 廃棄: vials wasted (−).
    Waste,
    /// 棚卸調整: the difference a physical count found (±).
    Adjustment,
}

impl crate::domain::form_fields::Choice for MovementKind {
    const ALL: &'static [Self] = &[
        Self::Receipt,
        Self::TransferOut,
        Self::TransferIn,
        Self::Use,
        Self::Waste,
        Self::Adjustment,
    ];

    fn as_str(self) -> &'static str {
        match self {
            Self::Receipt => "receipt",
            Self::TransferOut => "transfer_out",
            Self::TransferIn => "transfer_in",
            Self::Use => "use",
            Self::Waste => "waste",
            Self::Adjustment => "adjustment",
        }
    }

    fn label(self) -> Label {
        match self {
            Self::Receipt => Label::new("受領", "Received"),
            Self::TransferOut => Label::new("移送（出）", "Transferred out"),
            Self::TransferIn => Label::new("移送（受）", "Transferred in"),
            Self::Use => Label::new("接種使用", "Used"),
            Self::Waste => Label::new("廃棄", "Wasted"),
            Self::Adjustment => Label::new("棚卸調整", "Count adjustment"),
        }
    }
}

impl MovementKind {
    /// Whether the movement adds vials (an adjustment goes either way, by its sign).
    pub fn adds(self) -> Option<bool> {
        match self {
            Self::Receipt | Self::TransferIn => Some(true),
            Self::TransferOut | Self::Use | Self::Waste => Some(false),
            Self::Adjustment => None,
        }
    }
}

impl TryFrom<String> for MovementKind {
    type Error = FieldError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        <Self as crate::domain::form_fields::Choice>::from_name(&value)
    }
}
