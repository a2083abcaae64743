//! The reports' codes as users know them, what each row stands for, who may open each report,
//! and each report's columns.

use crate::domain::form_fields::Label;
use crate::domain::Role;
use serde::{Deserialize, Serialize};

/// A report of the レポート tab, by its code (R2xx for prefectures, R3xx for municipalities).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ReportCode {
    /// R201 都道府県→市町村分配実績
    R201,
    /// R203 納入予定日登録進捗の確認 (per municipality)
    R203,
    /// R204 納入状況の進捗確認 (per municipality)
    R204,
    /// R206 市町村別希望量累計
    R206,
    /// R208 市町村別接種実績累計
    R208,
    /// R210 納入予定日一覧 (the prefecture's sites)
    R210,
    /// R301 市町村→医療機関分配実績
    R301,
    /// R303 納入予定日登録進捗の確認 (per site)
    R303,
    /// R304 納入状況の進捗確認 (per site)
    R304,
    /// R306 医療機関・接種会場別希望量累計
    R306,
    /// R308 医療機関・接種会場別接種実績累計
    R308,
    /// R310 納入予定日一覧 (the municipality's sites)
    R310,
    /// X208 接種実績の推移 (the prefecture's or the country's doses per day)
    X208,
    /// X308 接種実績の推移 (the municipality's or one site's doses per day)
    X308,
    /// X311 在庫受払簿: a site's stock ledger, movement by movement, with the balance per lot
    X311,
    /// X312 納入・移送一覧: a site's deliveries and transfers, cancelled ones too
    X312,
    /// X201 医療機関一覧 (the prefecture's sites)
    X201,
    /// X202 地域卸・倉庫一覧: the suppliers and the areas they serve
    X202,
    /// X203 物流倉庫入庫・在庫一覧 (the prefecture's stock by site and lot)
    X203,
    /// X301 医療機関一覧 (the municipality's sites)
    X301,
    /// X303 物流倉庫入庫・在庫一覧 (the municipality's stock by site and lot)
    X303,
}

/// What one row of a report stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReportLevel {
    /// R2xx: a municipality (a prefecture's view of its municipalities).
    Municipality,
    /// R3xx: a site (a municipality's view of its sites).
    Site,
    /// 接種実績の推移: a 接種日.
    Day,
}

/// What a report's figures are about, which decides the filters it offers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReportSubject {
    /// 希望量, 分配 and 納入: per cool, over the cools delivering in a period.
    Supply,
    /// 接種実績: cumulatives by dose and group, over a period of 接種日.
    Records,
    /// A list as it stands now (sites, suppliers, stock): no cool, no period.
    List,
    /// A site's stock and what moved it, over a period of days.
    Ledger,
}

impl ReportCode {
    /// Every report, in the seed's order.
    pub const ALL: [ReportCode; 21] = [
        Self::R201,
        Self::R203,
        Self::R204,
        Self::R206,
        Self::R208,
        Self::R210,
        Self::R301,
        Self::R303,
        Self::R304,
        Self::R306,
        Self::R308,
        Self::R310,
        Self::X201,
        Self::X202,
        Self::X203,
        Self::X208,
        Self::X301,
        Self::X303,
        Self::X308,
        Self::X311,
        Self::X312,
    ];

    /// The code as users know it (R308).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::R201 => "R201",
            Self::R203 => "R203",
            Self::R204 => "R204",
            Self::R206 => "R206",
            Self::R208 => "R208",
            Self::R210 => "R210",
            Self::R301 => "R301",
            Self::R303 => "R303",
            Self::R304 => "R304",
            Self::R306 => "R306",
            Self::R308 => "R308",
            Self::R310 => "R310",
            Self::X201 => "X201",
            Self::X208 => "X208",
            Self::X308 => "X308",
            Self::X311 => "X311",
            Self::X312 => "X312",
            Self::X202 => "X202",
            Self::X203 => "X203",
            Self::X301 => "X301",
            Self::X303 => "X303",
        }
    }

    /// The report of a code, as in a URL.
    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == code)
    }

    /// The report's name, exactly as in the seed.
    pub fn name(self) -> Label {
        match self {
            Self::R201 => Label::new(
                "都道府県→市町村分配実績",
                "Allocations, prefecture to municipalities",
            ),
            Self::R203 | Self::R303 => {
                Label::new("納入予定日登録進捗の確認", "Delivery dates entered")
            }
            Self::R204 | Self::R304 => Label::new("納入状況の進捗確認", "Delivery progress"),
            Self::R206 => Label::new(
                "市町村別希望量累計",
                "Requested quantities by municipality, cumulative",
            ),
            Self::R208 => Label::new(
                "市町村別接種実績累計",
                "Vaccinations by municipality, cumulative",
            ),
            Self::R210 | Self::R310 => Label::new("納入予定日一覧", "Delivery dates"),
            Self::R301 => Label::new(
                "市町村→医療機関分配実績",
                "Allocations, municipality to sites",
            ),
            Self::R306 => Label::new(
                "医療機関・接種会場別希望量累計",
                "Requested quantities by site, cumulative",
            ),
            Self::R308 => Label::new(
                "医療機関・接種会場別接種実績累計",
                "Vaccinations by site, cumulative",
            ),
            Self::X201 | Self::X301 => Label::new("医療機関一覧", "Sites"),
            Self::X208 | Self::X308 => Label::new("接種実績の推移", "Vaccinations over time"),
            Self::X311 => Label::new("在庫受払簿", "Stock ledger"),
            Self::X312 => Label::new("納入・移送一覧", "Deliveries and transfers"),
            Self::X202 => Label::new("地域卸・倉庫一覧", "Wholesalers and their areas"),
            Self::X203 | Self::X303 => {
                Label::new("物流倉庫入庫・在庫一覧", "Stock by site and lot")
            }
        }
    }

    /// What a row stands for.
    pub fn level(self) -> ReportLevel {
        match self {
            Self::R201 | Self::R203 | Self::R204 | Self::R206 | Self::R208 | Self::X202 => {
                ReportLevel::Municipality
            }
            Self::X208 | Self::X308 => ReportLevel::Day,
            _ => ReportLevel::Site,
        }
    }

    /// What the figures are about.
    pub fn subject(self) -> ReportSubject {
        match self {
            Self::R208 | Self::R308 | Self::X208 | Self::X308 => ReportSubject::Records,
            Self::X311 | Self::X312 => ReportSubject::Ledger,
            Self::X201 | Self::X202 | Self::X203 | Self::X301 | Self::X303 => ReportSubject::List,
            _ => ReportSubject::Supply,
        }
    }

    /// The same report one level down (a municipality's row of R208 opens R308 for it).
    pub fn drill_down(self) -> Option<Self> {
        match self {
            Self::R201 => Some(Self::R301),
            Self::R203 => Some(Self::R303),
            Self::R204 => Some(Self::R304),
            Self::R206 => Some(Self::R306),
            Self::R208 => Some(Self::R308),
            // A day of 接種実績の推移 opens that day's figures per municipality or per site.
            Self::X208 => Some(Self::R208),
            Self::X308 => Some(Self::R308),
            _ => None,
        }
    }

    /// ★: also a large button on ホーム (seed: ★はホーム画面のボタンからも利用可能).
    pub fn starred(self) -> bool {
        matches!(
            self,
            Self::R204 | Self::R208 | Self::R210 | Self::R304 | Self::R308 | Self::R310
        )
    }

    /// The roles that may open it: the 200s are for prefectures (and 国, システム管理者), the
    /// 300s for municipalities and those above them, and for a site on its own figures. Each
    /// sees its own region only (the server's guard).
    pub fn readers(self) -> &'static [Role] {
        if self.as_str().as_bytes()[1] == b'2' {
            &[Role::Prefecture, Role::National, Role::Admin]
        } else {
            &[
                Role::Site,
                Role::Municipality,
                Role::Prefecture,
                Role::National,
                Role::Admin,
            ]
        }
    }

    /// The report's columns, in order.
    pub fn columns(self) -> &'static [Column] {
        match self {
            Self::R201 => R201_COLUMNS,
            Self::R203 => R203_COLUMNS,
            Self::R204 => R204_COLUMNS,
            Self::R206 => R206_COLUMNS,
            Self::R208 => R208_COLUMNS,
            Self::R210 | Self::R310 => DATES_COLUMNS,
            Self::R301 => R301_COLUMNS,
            Self::R303 => R303_COLUMNS,
            Self::R304 => R304_COLUMNS,
            Self::R306 => R306_COLUMNS,
            Self::R308 => R308_COLUMNS,
            Self::X201 | Self::X301 => SITES_COLUMNS,
            Self::X202 => SUPPLIERS_COLUMNS,
            Self::X203 | Self::X303 => STOCK_COLUMNS,
            Self::X208 | Self::X308 => TREND_COLUMNS,
            Self::X311 => LEDGER_COLUMNS,
            Self::X312 => ARRIVALS_COLUMNS,
        }
    }

    /// Its path in the app.
    pub fn path(self) -> String {
        format!("/reports/{}", self.as_str())
    }
}

/// One column of a report.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Column {
    /// The header.
    pub label: Label,
    /// Figures (right-aligned, numbers in the CSV) rather than names.
    pub numeric: bool,
    /// Added up in the totals row (not a running sum or a balance, whose sum means nothing).
    pub summed: bool,
}

/// A column of names, dates or codes.
pub const fn text(ja: &'static str, en: &'static str) -> Column {
    Column {
        label: Label::new(ja, en),
        numeric: false,
        summed: false,
    }
}

/// A column of figures.
pub const fn figure(ja: &'static str, en: &'static str) -> Column {
    Column {
        label: Label::new(ja, en),
        numeric: true,
        summed: true,
    }
}

/// A column of figures the totals row leaves blank: a running sum or a balance.
pub const fn running(ja: &'static str, en: &'static str) -> Column {
    Column {
        label: Label::new(ja, en),
        numeric: true,
        summed: false,
    }
}

const PREFECTURE: Column = text("都道府県", "Prefecture");
const MUNICIPALITY: Column = text("市区町村", "Municipality");
const SITE: Column = text("医療機関・接種会場", "Site");
const COOL: Column = text("クール", "Cool");
const SUPPLIER: Column = text("製薬メーカー・卸", "Supplier");
/// 状況: the column a status filter reads (see [`ReportCode::status_column`]).
pub(super) const STATUS: Column = text("状況", "Status");

/// 接種実績の内訳, as in the seed's table: 1回目 by group and 小計, 2回目 the same, and 総計.
macro_rules! record_columns {
    ($($head:expr),*) => {
        &[
            $($head,)*
            figure("1回目 その他", "1st: others"),
            figure("1回目 医療従事者", "1st: healthcare workers"),
            figure("1回目 基礎疾患保有者", "1st: underlying conditions"),
            figure("1回目 高齢者", "1st: older people"),
            figure("1回目 高齢者施設従事者", "1st: care home staff"),
            figure("1回目 小計", "1st: subtotal"),
            figure("2回目 その他", "2nd: others"),
            figure("2回目 医療従事者", "2nd: healthcare workers"),
            figure("2回目 基礎疾患保有者", "2nd: underlying conditions"),
            figure("2回目 高齢者", "2nd: older people"),
            figure("2回目 高齢者施設従事者", "2nd: care home staff"),
            figure("2回目 小計", "2nd: subtotal"),
            figure("総計", "Total"),
        ]
    };
}

const R208_COLUMNS: &[Column] = record_columns!(PREFECTURE, MUNICIPALITY);
const R308_COLUMNS: &[Column] = record_columns!(PREFECTURE, MUNICIPALITY, SITE);
const R201_COLUMNS: &[Column] = &[
    COOL,
    PREFECTURE,
    MUNICIPALITY,
    figure("希望量（箱）", "Requested (boxes)"),
    figure("分配量（箱）", "Allocated (boxes)"),
    figure("医療機関への分配量（箱）", "Passed on to sites (boxes)"),
    figure("納入済（バイアル）", "Delivered (vials)"),
];
const R301_COLUMNS: &[Column] = &[
    COOL,
    PREFECTURE,
    MUNICIPALITY,
    SITE,
    figure("希望量（箱）", "Requested (boxes)"),
    figure("分配量（箱）", "Allocated (boxes)"),
    text("納入予定日", "Delivery date"),
    figure("納入済（バイアル）", "Delivered (vials)"),
    figure("受領済（バイアル）", "Received (vials)"),
];
const R203_COLUMNS: &[Column] = &[
    COOL,
    PREFECTURE,
    MUNICIPALITY,
    figure("分配先の医療機関数", "Sites allocated"),
    figure("納入予定日登録済", "Date entered"),
    figure("納入予定日未登録", "Date not entered"),
];
const R303_COLUMNS: &[Column] = &[
    COOL,
    PREFECTURE,
    MUNICIPALITY,
    SITE,
    SUPPLIER,
    figure("分配量（箱）", "Allocated (boxes)"),
    text("納入予定日", "Delivery date"),
    STATUS,
];
const R204_COLUMNS: &[Column] = &[
    COOL,
    PREFECTURE,
    MUNICIPALITY,
    figure("分配先の医療機関数", "Sites allocated"),
    figure("納入予定日登録済", "Date entered"),
    figure("納入済", "Delivered"),
    figure("受領済", "Received"),
];
const R304_COLUMNS: &[Column] = &[
    COOL,
    PREFECTURE,
    MUNICIPALITY,
    SITE,
    figure("分配量（箱）", "Allocated (boxes)"),
    text("納入予定日", "Delivery date"),
    figure("納入済（バイアル）", "Delivered (vials)"),
    figure("受領済（バイアル）", "Received (vials)"),
    STATUS,
];
const DATES_COLUMNS: &[Column] = &[
    text("納入予定日", "Delivery date"),
    COOL,
    text("ワクチン", "Vaccine"),
    PREFECTURE,
    MUNICIPALITY,
    SITE,
    SUPPLIER,
    figure("分配量（箱）", "Allocated (boxes)"),
];
const SITES_COLUMNS: &[Column] = &[
    PREFECTURE,
    MUNICIPALITY,
    SITE,
    text("型", "Type"),
    text("基本型の医療機関", "Basic site"),
    text("取扱ワクチン", "Vaccines"),
];
const SUPPLIERS_COLUMNS: &[Column] = &[SUPPLIER, PREFECTURE, text("担当地域", "Area")];
const STOCK_COLUMNS: &[Column] = &[
    PREFECTURE,
    MUNICIPALITY,
    SITE,
    text("ワクチン", "Vaccine"),
    text("ロット番号", "Lot"),
    text("有効期限", "Expiry"),
    figure("在庫（バイアル）", "Held (vials)"),
];
const R206_COLUMNS: &[Column] = &[
    PREFECTURE,
    MUNICIPALITY,
    figure("希望した医療機関数", "Sites that requested"),
    figure("希望量累計（箱）", "Requested, cumulative (boxes)"),
    figure("分配量累計（箱）", "Allocated, cumulative (boxes)"),
];
const R306_COLUMNS: &[Column] = &[
    PREFECTURE,
    MUNICIPALITY,
    SITE,
    figure("希望したクール数", "Cools requested"),
    figure("希望量累計（箱）", "Requested, cumulative (boxes)"),
    figure("分配量累計（箱）", "Allocated, cumulative (boxes)"),
];
const TREND_COLUMNS: &[Column] = &[
    text("接種日", "Date"),
    figure("1回目", "1st doses"),
    figure("2回目", "2nd doses"),
    figure("計", "Doses"),
    running("1回目累計", "1st doses, cumulative"),
    running("2回目累計", "2nd doses, cumulative"),
    running("累計", "Doses, cumulative"),
];
const LEDGER_COLUMNS: &[Column] = &[
    SITE,
    text("ワクチン", "Vaccine"),
    text("ロット番号", "Lot"),
    text("有効期限", "Expiry"),
    text("日付", "Date"),
    text("区分", "Movement"),
    figure("受入（バイアル）", "In (vials)"),
    figure("払出（バイアル）", "Out (vials)"),
    running("残高（バイアル）", "Balance (vials)"),
    text("備考", "Note"),
];
const ARRIVALS_COLUMNS: &[Column] = &[
    SITE,
    text("日付", "Date"),
    text("区分", "Kind"),
    text("相手先", "From or to"),
    text("ワクチン", "Vaccine"),
    text("ロット番号", "Lot"),
    running("バイアル", "Vials"),
    STATUS,
];
