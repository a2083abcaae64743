//! The one error type of the application and the field-level validation errors of forms.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Why one field of a form was refused. Carries no text: [`crate::i18n`] turns it into words in
/// the user's language, so the same error reads right in Japanese and in English.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum FieldError {
    /// The field must not be empty.
    Required,
    /// The value is longer than the field allows.
    TooLong { max: usize },
    /// The value is shorter than the field needs.
    TooShort { min: usize },
    /// A user name may contain only letters, digits and `. _ - @`.
    LoginIdFormat,
    /// This user name is taken.
    LoginIdTaken,
    /// Not an e-mail address.
    EmailFormat,
    /// Codes are six digits.
    CodeFormat,
    /// The code is wrong, expired or used.
    CodeRejected,
    /// Password is on the list of common passwords or too predictable.
    PasswordCommon,
    /// Password contains the user's own ID or e-mail name.
    PasswordContainsIdentity,
    /// Password and its confirmation differ.
    PasswordMismatch,
    /// The chosen option is not one of those offered.
    InvalidChoice,
    /// The organisation does not exist or lies outside the caller's scope.
    OrganisationOutOfScope,
    /// Postal codes are 000-0000.
    PostalCodeFormat,
    /// Not a Japanese phone or fax number.
    PhoneFormat,
    /// Not an http(s) address.
    UrlFormat,
    /// Readings are written in hiragana (spaces and ー allowed).
    FuriganaFormat,
    /// A whole number of zero or more is needed.
    CountFormat,
    /// The number is larger than the field allows.
    TooLarge { max: u32 },
    /// Dates are written 2021-03-06 (or 2021/03/06).
    DateFormat,
    /// This date must not be before the one it follows (e.g. 脱退日 before 加入日).
    DateOrder,
    /// 保険医療機関コード and 介護保険事業所番号 are ten digits.
    TenDigitCode,
    /// A change request for this field is waiting for the municipality (承認中は再修正不可).
    PendingApproval,
    /// Fixed once the municipality approved it (new codes).
    LockedAfterApproval,
    /// 基本型⇔サテライト型 needs an empty stock.
    StockHeld,
    /// A doctor's vaccine must be one the site handles.
    VaccineNotHandled,
    /// A full address begins with the prefecture (東京都…).
    AddressNeedsPrefecture,
    /// The number is smaller than the field allows.
    TooSmall { min: u32 },
    /// Date and time are written 2026-04-01 09:00.
    DateTimeFormat,
    /// Lot numbers are capital letters, digits and hyphens.
    LotNumberFormat,
    /// This lot number is already registered for this vaccine.
    LotNumberTaken,
    /// This name is already used.
    NameTaken,
    /// The end of a period must come after its start.
    EndsBeforeStart,
    /// Deliveries begin on or after the day the 希望量 window closes.
    DeliveryBeforeClose,
    /// A site that registered no 希望量 receives nothing (希望量が入っていないと、分配されません).
    NotRequested,
    /// An allocation table gives more boxes than the level above gave it.
    OverAllocated { available: u32 },
    /// 納入予定日 falls inside the cool's delivery weeks (`from`..=`until`, YYYY-MM-DD).
    OutsideDeliveryWeeks { from: String, until: String },
    /// No lot of this number is registered for the vaccine.
    UnknownLot,
    /// The lot expired on this day and may not be delivered or transferred, only wasted.
    LotExpired { expired_on: String },
    /// The same lot is named twice in one delivery.
    DuplicateLot,
    /// The delivery would bring more vials than are still outstanding.
    OverDelivered { outstanding: u32 },
    /// More vials than the site holds of the lot.
    MoreThanHeld { held: u32 },
    /// A day that has not come yet.
    DateInFuture,
    /// A satellite receives only from its basic site; other transfers stay within the
    /// prefecture.
    TransferTargetNotAllowed,
    /// The row's target has already passed this many boxes on to the level beneath it.
    BelowPassedOn { given: u32 },
    /// The supplier already covers this area (the municipality, or its whole prefecture).
    AreaAlreadyCovered,
    /// 接種日 before the site's 集合契約加入日 (YYYY-MM-DD).
    BeforeContract { joined: String },
    /// 接種日 after the site's 集合契約脱退日 (YYYY-MM-DD).
    AfterContract { left: String },
    /// 接種日 before the vaccine's latest registration (YYYY-MM-DD): a wrong cumulative is
    /// corrected by the next registration, not by one in the past.
    BeforeLastRecord { last: String },
    /// The cumulative is lower than the one registered last, and the user has not confirmed
    /// that it is a correction.
    CumulativeDecreased { previous: u32 },
    /// The day's doses need `needed` vials; the site holds `held` received ones, and `awaiting`
    /// more are on their way to it (a transfer or a delivery it has not registered as received).
    StockShort {
        needed: u32,
        held: u32,
        awaiting: u32,
    },
    /// 住所地外接種: the 住所地 is the municipality that registers the application.
    ResidenceIsOwnMunicipality,
    /// A date before today where only today or later makes sense (a slot, a booking).
    DateInPast,
    /// 予約受付枠: fewer places than the hour already has bookings.
    BelowBooked { booked: u32 },
    /// The site has no slot at that hour of that day.
    NoSlot,
    /// Every place of the slot is taken.
    SlotFull,
    /// This 接種券番号 is already booked for this vaccine and dose in the municipality.
    TicketAlreadyBooked,
    /// Months are written 2026-11.
    MonthFormat,
    /// 時間外 and 休日 are counted among the visits: together no more than their `visits`.
    ExtrasExceedVisits { visits: u32 },
    /// The same municipality appears twice in one part of the bill.
    DuplicateLine,
    /// The doses billed differ from those recorded in 接種実績, and the user has not confirmed
    /// seeing it.
    DifferenceNotAcknowledged,
    /// A file name may not hold a path or be longer than 200 characters.
    FileName,
    /// This place takes no file of this type (by its name's extension).
    FileTypeNotTaken,
    /// The file is larger than its type allows, in MB.
    FileTooLarge { max_mb: u32 },
    /// The content is not what the file's name says (a file named .pdf that is no PDF).
    FileContentMismatch,
}

/// Field name → error, for one form. Field names are the request struct's field names.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldErrors(pub BTreeMap<String, FieldError>);

impl FieldErrors {
    /// An empty map.
    pub fn new() -> Self {
        Self::default()
    }

    /// Records the error for `field`, keeping the first error if one is already recorded.
    pub fn add(&mut self, field: &str, error: FieldError) {
        self.0.entry(field.to_string()).or_insert(error);
    }

    /// Parses one field, recording its error and returning the value when it parsed.
    pub fn check<T>(&mut self, field: &str, result: Result<T, FieldError>) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(error) => {
                self.add(field, error);
                None
            }
        }
    }

    /// The error recorded for `field`.
    pub fn get(&self, field: &str) -> Option<&FieldError> {
        self.0.get(field)
    }

    /// True when no field has an error.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// `Ok(())` when empty, else the map as [`AppError::Validation`].
    pub fn into_result(self) -> Result<(), AppError> {
        if self.is_empty() {
            Ok(())
        } else {
            Err(AppError::Validation(self))
        }
    }
}

/// Which step of the first login the user still has to finish before using the system.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum OnboardingStep {
    /// Enrol an authenticator app (required for the roles that see personal data, offered to others).
    Totp,
    /// Consent to the current version of the privacy policy.
    Consent,
}

/// Every error a server function can return. It carries no SQL, no stack and no internal text:
/// what reaches the browser is only what the user may see.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum AppError {
    /// Input was refused, field by field.
    Validation(FieldErrors),
    /// No valid session (never logged in, logged out, or timed out).
    Unauthenticated,
    /// Logged in, but the role or scope does not allow this.
    Forbidden,
    /// The thing asked for does not exist (or is outside the scope, which reads the same).
    NotFound,
    /// The user must finish a first-login step first.
    OnboardingRequired(OnboardingStep),
    /// Wrong user name or password (never says which).
    InvalidCredentials,
    /// The account is locked until the given time (RFC 3339).
    AccountLocked { until: String },
    /// Too many attempts from this address or for this account; retry after this many seconds.
    TooManyRequests { retry_after_secs: u64 },
    /// The link is expired, used, or replaced by a newer one.
    LinkInvalid,
    /// The verification step expired or ran out of tries; start again.
    AttemptExpired,
    /// The request came from another site.
    CrossSiteRequest,
    /// The feature is switched off in this deployment.
    Disabled,
    /// Something failed on the server; details are in the server log only.
    Internal,
    /// The request did not reach the server or its answer could not be read.
    Network(String),
    /// Someone else saved the record since it was loaded; nothing was saved. The changes they
    /// made are listed so the user can compare.
    EditConflict(Vec<crate::domain::FieldChange>),
    /// The action does not fit the current state (the last doctor, a decided request, …).
    Refused(RefusalReason),
    /// The request could not be read (not the JSON this function takes). The details stay in
    /// the server log.
    BadRequest,
    /// The request body is larger than the server accepts.
    PayloadTooLarge,
    /// 希望量 can be registered only inside the cool's window, which was open from `opens` until
    /// `closes` (RFC 3339, JST).
    RequestWindowClosed { opens: String, closes: String },
    /// The prefecture locked the cool's data (データロック): allocations in its area are fixed
    /// until it, or a national user, unlocks them.
    DataLocked { prefecture: String },
}

/// Why an action was refused although the caller may do it in general.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum RefusalReason {
    /// A site keeps at least one doctor.
    LastDoctor,
    /// The change request was already approved or rejected.
    AlreadyDecided,
    /// サテライト型 registers no 希望量: it receives by transfer from its basic site.
    SatelliteRequest,
    /// Allocation begins once the 希望量 window has closed.
    WindowStillOpen,
    /// Deliveries to a prefecture begin once it has locked the cool (データロック).
    NotLocked,
    /// The site was allocated nothing in this cool.
    NothingAllocated,
    /// Lots are delivered once the 納入予定日 is entered.
    NoDeliveryDate,
    /// The delivery was already confirmed.
    AlreadyReceived,
    /// The transfer was already received or cancelled.
    TransferSettled,
    /// A prefecture may unlock only while no 納入予定日 is entered in its area.
    DeliveriesScheduled,
    /// The bill was submitted (提出) and is locked until a municipality returns it.
    BillSubmitted,
    /// Only a submitted bill can be returned (差戻し).
    BillNotSubmitted,
    /// A month is billed once it is over.
    MonthNotOver,
    /// No unit price applies to the month's vaccination dates.
    NoUnitPrice,
    /// A withdrawn notice, or one whose 掲載終了 has passed, is no longer edited.
    NoticeClosed,
    /// A completed inquiry (完了) takes no more messages.
    InquiryClosed,
}

impl AppError {
    /// The HTTP status the server answers with for this error.
    pub fn status_code(&self) -> u16 {
        match self {
            AppError::Validation(_) => 422,
            AppError::Unauthenticated | AppError::InvalidCredentials => 401,
            AppError::Forbidden | AppError::CrossSiteRequest | AppError::Disabled => 403,
            AppError::OnboardingRequired(_) => 403,
            AppError::NotFound => 404,
            AppError::AccountLocked { .. } | AppError::DataLocked { .. } => 423,
            AppError::TooManyRequests { .. } => 429,
            AppError::LinkInvalid | AppError::AttemptExpired => 410,
            AppError::Internal | AppError::Network(_) => 500,
            AppError::EditConflict(_)
            | AppError::Refused(_)
            | AppError::RequestWindowClosed { .. } => 409,
            AppError::BadRequest => 400,
            AppError::PayloadTooLarge => 413,
        }
    }

    /// The field errors, when this is a validation error.
    pub fn field_errors(&self) -> Option<&FieldErrors> {
        match self {
            AppError::Validation(errors) => Some(errors),
            _ => None,
        }
    }

    /// A validation error on a single field.
    pub fn field(field: &str, error: FieldError) -> Self {
        let mut errors = FieldErrors::new();
        errors.add(field, error);
        AppError::Validation(errors)
    }
}

impl std::fmt::Display for AppError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{self:?}")
    }
}

impl std::error::Error for AppError {}

/// For logs and for serde, when a value that must parse arrives unparsed; users see the words
/// of [`crate::i18n`] instead.
impl std::fmt::Display for FieldError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "invalid value: {self:?}")
    }
}

impl std::error::Error for FieldError {}

impl server_fn::error::FromServerFnError for AppError {
    type Encoder = server_fn::codec::JsonEncoding;

    /// On the server, server_fn raises these errors only when it cannot read a request into the
    /// function's arguments: the caller's fault, answered with a generic 400 that names no type
    /// (the detail is logged). In the browser they are transport failures.
    fn from_server_fn_error(value: server_fn::error::ServerFnErrorErr) -> Self {
        #[cfg(feature = "ssr")]
        {
            tracing::warn!(error = %value, "unreadable server function request");
            AppError::BadRequest
        }
        #[cfg(not(feature = "ssr"))]
        {
            AppError::Network(value.to_string())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_errors_keep_the_first_error_of_a_field() {
        let mut errors = FieldErrors::new();
        errors.add("email", FieldError::Required);
        errors.add("email", FieldError::EmailFormat);
        assert_eq!(errors.get("email"), Some(&FieldError::Required));
    }

    #[test]
    fn empty_field_errors_are_ok_and_others_are_a_validation_error() {
        assert!(FieldErrors::new().into_result().is_ok());
        let err = AppError::field("code", FieldError::CodeFormat);
        assert_eq!(err.status_code(), 422);
        assert!(err.field_errors().is_some());
    }

    #[test]
    fn errors_round_trip_through_json_unchanged() {
        let err = AppError::AccountLocked {
            until: "2026-01-01T00:00:00+09:00".into(),
        };
        let json = serde_json::to_string(&err).unwrap();
        assert_eq!(serde_json::from_str::<AppError>(&json).unwrap(), err);
    }
}
