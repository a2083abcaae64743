//! 分配 (SPEC §5): the three levels that allocate a cool's boxes, the proposal pro rata to the
//! requests (largest remainder, whole boxes), and the check of an allocation table.

use crate::domain::parse_boxes;
use crate::error::{FieldError, FieldErrors};
use serde::{Deserialize, Serialize};

/// Who allocates to whom.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum AllocationLevel {
    /// National users, to the prefectures.
    National,
    /// A prefecture (by code), to its municipalities (R201).
    Prefecture(i64),
    /// A municipality (by code), to its basic sites that registered a request (R301).
    Municipality(String),
}

impl AllocationLevel {
    /// The key of the level's table, for its version: `national`, `prefecture:13`,
    /// `municipality:131016`.
    pub fn scope_key(&self) -> String {
        match self {
            AllocationLevel::National => "national".into(),
            AllocationLevel::Prefecture(code) => format!("prefecture:{code}"),
            AllocationLevel::Municipality(code) => format!("municipality:{code}"),
        }
    }
}

/// Splits `total` boxes pro rata to `weights` (the boxes requested), in whole boxes by the
/// largest remainder: each gets the whole part of its share, and the boxes left go one each to
/// the largest fractional parts (the earlier row first on a tie). Never more than was requested
/// in all: when the supply exceeds the requests, each gets what it asked and the rest stays.
pub fn largest_remainder(total: u64, weights: &[u64]) -> Vec<u64> {
    let requested: u64 = weights.iter().sum();
    if requested == 0 {
        return vec![0; weights.len()];
    }
    let given = total.min(requested);
    // Exact integer arithmetic: share_i = given × w_i / requested, as quotient and remainder.
    let mut shares: Vec<(u64, u64)> = weights
        .iter()
        .map(|&w| {
            let product = u128::from(given) * u128::from(w);
            let requested = u128::from(requested);
            ((product / requested) as u64, (product % requested) as u64)
        })
        .collect();
    let mut left = given - shares.iter().map(|(whole, _)| whole).sum::<u64>();
    let mut order: Vec<usize> = (0..weights.len()).collect();
    order.sort_by(|&a, &b| shares[b].1.cmp(&shares[a].1).then(a.cmp(&b)));
    for i in order {
        if left == 0 {
            break;
        }
        if shares[i].1 > 0 {
            shares[i].0 += 1;
            left -= 1;
        }
    }
    shares.into_iter().map(|(whole, _)| whole).collect()
}

/// One row of an allocation table as typed: its target (a prefecture code, a municipality code
/// or a site id, as text) and the boxes.
pub type TypedRow = (String, String);

/// Checks an allocation table: each row's boxes are a whole number (empty reads as 0); a site
/// that registered no request gets none (`requested` is `None` for it); and the sum does not
/// exceed `available`. Errors are keyed by the row's target, and by `total` for the sum.
pub fn check_allocation(
    rows: &[TypedRow],
    requested: impl Fn(&str) -> Option<Option<u64>>,
    available: u64,
) -> Result<Vec<(String, u64)>, FieldErrors> {
    let mut errors = FieldErrors::new();
    let mut out = Vec::with_capacity(rows.len());
    for (target, typed) in rows {
        let boxes = if typed.trim().is_empty() {
            Ok(0)
        } else {
            parse_boxes(typed, crate::domain::MAX_BOXES)
        };
        match (boxes, requested(target)) {
            (_, None) => errors.add(target, FieldError::InvalidChoice),
            (Err(error), _) => errors.add(target, error),
            (Ok(boxes), Some(None)) if boxes > 0 => errors.add(target, FieldError::NotRequested),
            (Ok(boxes), _) => out.push((target.clone(), u64::from(boxes))),
        }
    }
    let sum: u64 = out.iter().map(|(_, boxes)| boxes).sum();
    if sum > available {
        errors.add(
            "total",
            FieldError::OverAllocated {
                available: u32::try_from(available).unwrap_or(u32::MAX),
            },
        );
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_proposal_follows_the_requests_in_whole_boxes_and_adds_up() {
        assert_eq!(largest_remainder(10, &[10, 10, 10]), [4, 3, 3]);
        assert_eq!(largest_remainder(100, &[50, 30, 20]), [50, 30, 20]);
        assert_eq!(largest_remainder(7, &[10, 20, 40]), [1, 2, 4]);
        assert_eq!(largest_remainder(9, &[10, 20, 40]), [1, 3, 5]);
        // More supply than requests: each row gets exactly what it asked.
        let big = largest_remainder(1_000_003, &[7; 1000]);
        assert_eq!(big.iter().sum::<u64>(), 7_000);
        assert!(big.iter().all(|&b| b == 7));
        // Fewer: the whole supply is given out, none above its request.
        let tight = largest_remainder(6_999, &[7; 1000]);
        assert_eq!(tight.iter().sum::<u64>(), 6_999);
    }

    #[test]
    fn the_proposal_never_gives_more_than_was_requested() {
        assert_eq!(largest_remainder(100, &[3, 0, 5]), [3, 0, 5]);
        assert_eq!(largest_remainder(5, &[0, 0]), [0, 0]);
        assert_eq!(largest_remainder(0, &[4, 4]), [0, 0]);
    }

    #[test]
    fn a_table_over_what_was_given_is_refused_at_its_total() {
        let requested = |_: &str| Some(Some(10));
        let rows = vec![
            ("1".to_string(), "6".to_string()),
            ("2".to_string(), "５".to_string()),
        ];
        let errors = check_allocation(&rows, requested, 10).unwrap_err();
        assert_eq!(
            errors.get("total"),
            Some(&FieldError::OverAllocated { available: 10 })
        );
        assert_eq!(
            check_allocation(&rows, requested, 11).unwrap(),
            [("1".to_string(), 6), ("2".to_string(), 5)]
        );
    }

    #[test]
    fn a_site_without_a_request_gets_nothing_and_an_unknown_row_is_refused() {
        let requested = |target: &str| match target {
            "7" => Some(None),
            "8" => Some(Some(3)),
            _ => None,
        };
        let rows = vec![
            ("7".to_string(), "1".to_string()),
            ("9".to_string(), "1".to_string()),
        ];
        let errors = check_allocation(&rows, requested, 10).unwrap_err();
        assert_eq!(errors.get("7"), Some(&FieldError::NotRequested));
        assert_eq!(errors.get("9"), Some(&FieldError::InvalidChoice));
        let empty = vec![
            ("7".to_string(), String::new()),
            ("8".to_string(), "4".to_string()),
        ];
        assert_eq!(
            check_allocation(&empty, requested, 10).unwrap(),
            [("7".to_string(), 0), ("8".to_string(), 4)]
        );
    }
}
