//! 接種実績 (SPEC §6, seed 001): every day with vaccinations a site registers, per vaccine, the
//! **cumulative** number of people vaccinated by dose (1回目, 2回目) and group. A wrong entry is
//! corrected by registering the right cumulative the next time (間違えて登録した場合、次回登録時
//! に正しい累計数を登録), so a day's figure is the difference between two registrations and may
//! be negative on the day of a correction. The same rules run in the browser while the nurse
//! types and on the server.

use crate::domain::form_fields::{Choice, Label};
use crate::domain::{parse_past_date, ContractDates, Count};
use crate::error::{FieldError, FieldErrors};
use crate::text::normalize_width;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Most people one cell of a cumulative may count.
pub const MAX_PEOPLE: u32 = 10_000_000;

/// 接種回数: the dose.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Dose {
    /// 1回目
    First,
    /// 2回目
    Second,
}

impl Dose {
    /// Both doses, in the grid's order.
    pub const ALL: [Dose; 2] = [Dose::First, Dose::Second];

    /// The row of the grid.
    pub fn index(self) -> usize {
        match self {
            Dose::First => 0,
            Dose::Second => 1,
        }
    }

    /// 1回目 / 2回目.
    pub fn label(self) -> Label {
        match self {
            Dose::First => Label::new("1回目", "1st dose"),
            Dose::Second => Label::new("2回目", "2nd dose"),
        }
    }
}

/// 接種対象の区分: who was vaccinated.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Group {
    /// 医療従事者
    Medical,
    /// 高齢者
    Elderly,
    /// 基礎疾患保有者
    Underlying,
    /// 高齢者施設従事者
    FacilityStaff,
    /// その他
    Other,
}

impl Choice for Group {
    const ALL: &'static [Self] = &[
        Self::Medical,
        Self::Elderly,
        Self::Underlying,
        Self::FacilityStaff,
        Self::Other,
    ];

    fn as_str(self) -> &'static str {
        match self {
            Self::Medical => "medical",
            Self::Elderly => "elderly",
            Self::Underlying => "underlying",
            Self::FacilityStaff => "facility_staff",
            Self::Other => "other",
        }
    }

    fn label(self) -> Label {
        match self {
            Self::Medical => Label::new("医療従事者", "Healthcare workers"),
            Self::Elderly => Label::new("高齢者", "Older people"),
            Self::Underlying => Label::new("基礎疾患保有者", "Underlying conditions"),
            Self::FacilityStaff => Label::new("高齢者施設従事者", "Care home staff"),
            Self::Other => Label::new("その他", "Others"),
        }
    }
}

impl Group {
    /// The column of the grid.
    pub fn index(self) -> usize {
        Self::ALL.iter().position(|g| *g == self).unwrap_or(0)
    }
}

/// The number of cells of a grid: two doses by five groups.
pub const CELLS: usize = 10;

/// The cell of `dose` and `group` in a grid's row-major order (the form's `cells`).
pub fn cell(dose: Dose, group: Group) -> usize {
    dose.index() * Group::ALL.len() + group.index()
}

/// People vaccinated, cumulative, per dose and group (row-major: 1回目 then 2回目, each in the
/// order of [`Group::ALL`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tally(pub [u32; CELLS]);

impl Tally {
    /// Everyone, both doses.
    pub fn total(&self) -> u64 {
        self.0.iter().map(|&n| u64::from(n)).sum()
    }

    /// Everyone given `dose`.
    pub fn dose_total(&self, dose: Dose) -> u64 {
        let start = dose.index() * Group::ALL.len();
        self.0[start..start + Group::ALL.len()]
            .iter()
            .map(|&n| u64::from(n))
            .sum()
    }

    /// This cumulative less an earlier one: the people vaccinated in between (negative where
    /// this one corrects the earlier).
    pub fn since(&self, earlier: &Tally) -> Daily {
        let mut out = [0; CELLS];
        for (i, slot) in out.iter_mut().enumerate() {
            *slot = i64::from(self.0[i]) - i64::from(earlier.0[i]);
        }
        Daily(out)
    }
}

/// People vaccinated between two registrations, per cell (negative on a correction).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Daily(pub [i64; CELLS]);

impl Daily {
    /// Everyone, both doses.
    pub fn total(&self) -> i64 {
        self.0.iter().sum()
    }

    /// Everyone given `dose`.
    pub fn dose_total(&self, dose: Dose) -> i64 {
        let start = dose.index() * Group::ALL.len();
        self.0[start..start + Group::ALL.len()].iter().sum()
    }
}

/// Vials a day's doses take from the stock: rounded up, since a vial opened is used up that
/// day. A correction (negative doses) gives back only whole vials it had taken too many of,
/// so it rounds the other way.
pub fn vials_for(doses: i64, doses_per_vial: u32) -> i64 {
    let per_vial = i64::from(doses_per_vial.max(1));
    if doses >= 0 {
        (doses + per_vial - 1) / per_vial
    } else {
        -((-doses) / per_vial)
    }
}

/// One registration: the cumulative on a day.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordPoint {
    /// 接種日
    pub on: NaiveDate,
    /// The cumulative registered for it.
    pub tally: Tally,
}

/// What the rules need to know of one vaccine the site handles.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VaccineBasis {
    /// The vaccine's code.
    pub code: String,
    /// The latest registration.
    pub latest: Option<RecordPoint>,
    /// The one before it (what a new registration on the latest's own day replaces it against).
    pub before_latest: Option<RecordPoint>,
    /// The lots the user may pick (ids).
    pub lots: Vec<i64>,
}

impl VaccineBasis {
    /// The registration a record for `day` is counted from: the latest, or the one before it
    /// when `day` is the latest's own day (registering it again replaces it).
    pub fn base_for(&self, day: NaiveDate) -> Tally {
        match (&self.latest, &self.before_latest) {
            (Some(latest), before) if latest.on == day => {
                before.map(|b| b.tally).unwrap_or_default()
            }
            (Some(latest), _) => latest.tally,
            (None, _) => Tally::default(),
        }
    }
}

/// One vaccine's grid, as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TallyForm {
    /// The vaccine's code.
    pub vaccine: String,
    /// The ten cumulative cells (see [`cell`]), as typed.
    pub cells: Vec<String>,
    /// 使用ロット: a lot's id, or empty for 有効期限の近い順.
    pub lot: String,
}

/// 接種実績の登録, as typed: one day, a grid per vaccine.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordForm {
    /// 接種日
    pub administered_on: String,
    /// One grid per vaccine.
    pub vaccines: Vec<TallyForm>,
    /// The user confirmed that a cumulative lower than the last is a correction.
    pub confirm_correction: bool,
}

/// One vaccine's registration, checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheckedTally {
    /// The vaccine's code.
    pub vaccine: String,
    /// The cumulative.
    pub tally: Tally,
    /// The people vaccinated on the day (against [`VaccineBasis::base_for`]).
    pub daily: Daily,
    /// Whether any cell went down (a correction).
    pub correction: bool,
    /// The lot the user picked, if any.
    pub lot: Option<i64>,
}

/// A registration, checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheckedRecord {
    /// 接種日
    pub administered_on: NaiveDate,
    /// One per vaccine.
    pub vaccines: Vec<CheckedTally>,
}

/// The field of cell `index` of grid `vaccine` (the key of its error).
pub fn cell_field(vaccine: usize, index: usize) -> String {
    format!("vaccines.{vaccine}.cells.{index}")
}

/// A number of people typed (`12`, `１２`, `12人`), 0 or more.
pub fn parse_people(input: &str) -> Result<u32, FieldError> {
    let value = normalize_width(input);
    Count::parse(value.trim(), MAX_PEOPLE).map(Count::get)
}

impl RecordForm {
    /// Checks the registration against the site's contract and what it registered before:
    /// the day neither in the future, nor outside 集合契約加入日 – 脱退日, nor before a vaccine's
    /// latest registration; every cell a count; a cell lower than the latest only when the user
    /// confirmed the correction; a picked lot one of the vaccine's.
    pub fn validate(
        &self,
        basis: &[VaccineBasis],
        contract: ContractDates,
        today: NaiveDate,
    ) -> Result<CheckedRecord, FieldErrors> {
        let mut errors = FieldErrors::new();
        let day = errors.check(
            "administered_on",
            parse_past_date(&self.administered_on, today).and_then(|day| {
                match (contract.joined, contract.left) {
                    (Some(joined), _) if day < joined => Err(FieldError::BeforeContract {
                        joined: joined.to_string(),
                    }),
                    (_, Some(left)) if day > left => Err(FieldError::AfterContract {
                        left: left.to_string(),
                    }),
                    _ => Ok(day),
                }
            }),
        );
        if self.vaccines.is_empty() {
            errors.add("vaccines", FieldError::Required);
        }
        let mut out = Vec::new();
        for (index, grid) in self.vaccines.iter().enumerate() {
            let Some(known) = basis.iter().find(|b| b.code == grid.vaccine) else {
                errors.add(
                    &format!("vaccines.{index}.vaccine"),
                    FieldError::InvalidChoice,
                );
                continue;
            };
            if self.vaccines[..index]
                .iter()
                .any(|g| g.vaccine == grid.vaccine)
            {
                errors.add(
                    &format!("vaccines.{index}.vaccine"),
                    FieldError::InvalidChoice,
                );
                continue;
            }
            if let (Some(day), Some(latest)) = (day, known.latest) {
                if day < latest.on {
                    errors.add(
                        "administered_on",
                        FieldError::BeforeLastRecord {
                            last: latest.on.to_string(),
                        },
                    );
                }
            }
            let mut tally = Tally::default();
            let mut complete = grid.cells.len() == CELLS;
            for (i, slot) in tally.0.iter_mut().enumerate() {
                let typed = grid.cells.get(i).map(String::as_str).unwrap_or_default();
                match parse_people(typed) {
                    Ok(n) => *slot = n,
                    Err(e) => {
                        errors.add(&cell_field(index, i), e);
                        complete = false;
                    }
                }
            }
            let lot = match grid.lot.trim() {
                "" => None,
                typed => match typed.parse::<i64>() {
                    Ok(id) if known.lots.contains(&id) => Some(id),
                    _ => {
                        errors.add(&format!("vaccines.{index}.lot"), FieldError::InvalidChoice);
                        None
                    }
                },
            };
            if !complete {
                continue;
            }
            let latest = known.latest.map(|l| l.tally).unwrap_or_default();
            let lowered = lowered_cells(&tally, &latest);
            if !self.confirm_correction {
                for &i in &lowered {
                    errors.add(
                        &cell_field(index, i),
                        FieldError::CumulativeDecreased {
                            previous: latest.0[i],
                        },
                    );
                }
            }
            let base = day.map_or(latest, |d| known.base_for(d));
            let daily = tally.since(&base);
            out.push(CheckedTally {
                vaccine: grid.vaccine.clone(),
                tally,
                daily,
                correction: daily.0.iter().any(|&n| n < 0),
                lot,
            });
        }
        match day {
            Some(administered_on) if errors.is_empty() => Ok(CheckedRecord {
                administered_on,
                vaccines: out,
            }),
            _ => Err(errors),
        }
    }
}

/// The cells of `tally` lower than in `latest`: a correction, which the user must confirm.
pub fn lowered_cells(tally: &Tally, latest: &Tally) -> Vec<usize> {
    (0..CELLS).filter(|&i| tally.0[i] < latest.0[i]).collect()
}

#[cfg(test)]
mod tests;
