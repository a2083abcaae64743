//! Words of the supply chain's pages: クール, 希望量の登録, ワクチン・針・シリンジマスタ and 納入ロット,
//! and how a cool's state and deadline read.

use super::Lang;
use crate::domain::{jst_minute, CoolState, Deadline};

/// The strings of the supply pages.
#[allow(missing_docs)]
pub struct SupplyTexts {
    pub tab_cools: &'static str,
    pub tab_master: &'static str,
    pub tab_lots: &'static str,
    pub cools_title: &'static str,
    pub cools_empty: &'static str,
    pub new_cool_title: &'static str,
    pub create_cool_button: &'static str,
    pub cool_created: &'static str,
    pub col_cool: &'static str,
    pub col_vaccine: &'static str,
    pub col_state: &'static str,
    pub col_supply: &'static str,
    pub col_window: &'static str,
    pub col_delivery: &'static str,
    pub col_deadline: &'static str,
    pub state_label: &'static str,
    pub next_deadline: &'static str,
    pub window_label: &'static str,
    pub delivery_label: &'static str,
    pub supply_label: &'static str,
    pub request_title: &'static str,
    pub request_button: &'static str,
    pub boxes_label: &'static str,
    pub boxes_hint: &'static str,
    pub request_saved: &'static str,
    pub request_none: &'static str,
    pub request_current: &'static str,
    pub request_by_municipality: &'static str,
    pub request_closed: &'static str,
    pub request_not_open: &'static str,
    pub satellite_note: &'static str,
    pub no_request_warning: &'static str,
    pub requests_title: &'static str,
    pub col_site: &'static str,
    pub col_boxes: &'static str,
    pub col_updated: &'static str,
    pub not_registered: &'static str,
    pub proxy_button: &'static str,
    pub total_label: &'static str,
    pub open_cool_button: &'static str,
    pub home_request_button: &'static str,
    pub home_unregistered: &'static str,
    pub home_all_registered: &'static str,
    pub home_registered: &'static str,
    pub master_title: &'static str,
    pub col_doses: &'static str,
    pub col_vials: &'static str,
    pub col_needles: &'static str,
    pub col_syringes: &'static str,
    pub col_note: &'static str,
    pub col_storage: &'static str,
    pub edit_button: &'static str,
    pub save_button: &'static str,
    pub cancel_button: &'static str,
    pub vaccine_saved: &'static str,
    pub lots_title: &'static str,
    pub lots_empty: &'static str,
    pub register_lot_title: &'static str,
    pub register_lot_button: &'static str,
    pub lot_registered: &'static str,
    pub col_lot: &'static str,
    pub col_expiry: &'static str,
    pub col_supplier: &'static str,
    pub expired: &'static str,
    pub back_to_cools: &'static str,
    pub boxes_unit: &'static str,
    pub vials_unit: &'static str,
    pub doses_unit: &'static str,
}

const JA: SupplyTexts = SupplyTexts {
    tab_cools: "クール",
    tab_master: "ワクチン・針・シリンジマスタ",
    tab_lots: "納入ロット",
    cools_title: "クール一覧",
    cools_empty: "クールはまだありません。",
    new_cool_title: "クールの作成",
    create_cool_button: "作成",
    cool_created: "クールを作成しました。",
    col_cool: "クール",
    col_vaccine: "ワクチン",
    col_state: "状態",
    col_supply: "供給量（箱）",
    col_window: "希望量登録期間",
    col_delivery: "納入期間",
    col_deadline: "次の期限",
    state_label: "状態",
    next_deadline: "次の期限",
    window_label: "希望量登録期間",
    delivery_label: "納入期間",
    supply_label: "供給量",
    request_title: "希望量の登録",
    request_button: "登録",
    boxes_label: "希望量（箱）",
    boxes_hint: "箱数を入力してください。今回不要な場合は 0 を登録します。",
    request_saved: "希望量を登録しました。",
    request_none: "未登録",
    request_current: "登録済みの希望量",
    request_by_municipality: "（市町村による代理入力）",
    request_closed: "希望量登録期間は終了しました。",
    request_not_open: "希望量登録期間はまだ始まっていません。",
    satellite_note: "サテライト型は希望量を登録しません。基本型の医療機関から移送を受けます。",
    no_request_warning: "希望量が入っていないと、分配されません。",
    requests_title: "医療機関・接種会場別の希望量",
    col_site: "医療機関・接種会場",
    col_boxes: "希望量（箱）",
    col_updated: "登録日時",
    not_registered: "未登録",
    proxy_button: "代理入力",
    total_label: "合計",
    open_cool_button: "開く",
    home_request_button: "希望量の登録",
    home_unregistered: "希望量が未登録の基本型医療機関",
    home_all_registered: "すべての基本型医療機関が登録済みです。",
    home_registered: "登録済み",
    master_title: "ワクチン・針・シリンジマスタ",
    col_doses: "1バイアルあたり接種回数",
    col_vials: "1箱あたりバイアル数",
    col_needles: "1バイアルあたり針（本）",
    col_syringes: "1バイアルあたりシリンジ（本）",
    col_note: "針・シリンジの種類",
    col_storage: "保管温度",
    edit_button: "編集",
    save_button: "保存",
    cancel_button: "キャンセル",
    vaccine_saved: "ワクチン・針・シリンジマスタを保存しました。",
    lots_title: "納入ロット",
    lots_empty: "納入ロットはまだ登録されていません。",
    register_lot_title: "納入ロットの登録",
    register_lot_button: "登録",
    lot_registered: "納入ロットを登録しました。",
    col_lot: "ロット番号",
    col_expiry: "有効期限",
    col_supplier: "登録した卸",
    expired: "期限切れ",
    back_to_cools: "クール一覧へ戻る",
    boxes_unit: "箱",
    vials_unit: "バイアル",
    doses_unit: "回分",
};

const EN: SupplyTexts = SupplyTexts {
    tab_cools: "Cools",
    tab_master: "Vaccine master",
    tab_lots: "Lots",
    cools_title: "Cools",
    cools_empty: "There are no cools yet.",
    new_cool_title: "New cool",
    create_cool_button: "Create",
    cool_created: "The cool was created.",
    col_cool: "Cool",
    col_vaccine: "Vaccine",
    col_state: "State",
    col_supply: "Supply (boxes)",
    col_window: "Request window",
    col_delivery: "Deliveries",
    col_deadline: "Next deadline",
    state_label: "State",
    next_deadline: "Next deadline",
    window_label: "Request window",
    delivery_label: "Deliveries",
    supply_label: "Supply",
    request_title: "Register the request",
    request_button: "Register",
    boxes_label: "Requested boxes",
    boxes_hint: "Enter the number of boxes; register 0 when none are needed this time.",
    request_saved: "The request was registered.",
    request_none: "Not registered",
    request_current: "Registered request",
    request_by_municipality: "(entered by the municipality)",
    request_closed: "The request window has closed.",
    request_not_open: "The request window has not opened yet.",
    satellite_note: "A satellite site registers no request: it receives vaccine by transfer from its basic site.",
    no_request_warning: "A site without a request receives nothing.",
    requests_title: "Requests by site",
    col_site: "Site",
    col_boxes: "Boxes",
    col_updated: "Registered at",
    not_registered: "Not registered",
    proxy_button: "Enter for the site",
    total_label: "Total",
    open_cool_button: "Open",
    home_request_button: "Register the request",
    home_unregistered: "Basic sites without a request",
    home_all_registered: "Every basic site has registered.",
    home_registered: "Registered",
    master_title: "Vaccines, needles and syringes",
    col_doses: "Doses per vial",
    col_vials: "Vials per box",
    col_needles: "Needles per vial",
    col_syringes: "Syringes per vial",
    col_note: "Needles and syringes",
    col_storage: "Storage",
    edit_button: "Edit",
    save_button: "Save",
    cancel_button: "Cancel",
    vaccine_saved: "The vaccine master was saved.",
    lots_title: "Lots",
    lots_empty: "No lots are registered yet.",
    register_lot_title: "Register a lot",
    register_lot_button: "Register",
    lot_registered: "The lot was registered.",
    col_lot: "Lot number",
    col_expiry: "Expiry",
    col_supplier: "Registered by",
    expired: "Expired",
    back_to_cools: "Back to the cools",
    boxes_unit: "boxes",
    vials_unit: "vials",
    doses_unit: "doses",
};

/// The strings of the supply pages in `lang`.
pub fn supply_texts(lang: Lang) -> &'static SupplyTexts {
    match lang {
        Lang::Ja => &JA,
        Lang::En => &EN,
    }
}

/// The name of a cool's state.
pub fn cool_state_name(lang: Lang, state: CoolState) -> &'static str {
    state.label().get(lang)
}

/// A deadline with what it is and how many days are left: 「締切 2026-04-14 17:00（あと3日）」.
pub fn deadline_text(lang: Lang, deadline: Deadline, days_left: Option<i64>) -> String {
    let (what, when) = match (lang, deadline) {
        (Lang::Ja, Deadline::Opens(at)) => ("受付開始", jst_minute(at)),
        (Lang::Ja, Deadline::Closes(at)) => ("締切", jst_minute(at)),
        (Lang::Ja, Deadline::DeliveryFrom(day)) => ("納入開始", day.to_string()),
        (Lang::Ja, Deadline::DeliveryUntil(day)) => ("納入終了", day.to_string()),
        (Lang::En, Deadline::Opens(at)) => ("Opens", jst_minute(at)),
        (Lang::En, Deadline::Closes(at)) => ("Closes", jst_minute(at)),
        (Lang::En, Deadline::DeliveryFrom(day)) => ("Deliveries from", day.to_string()),
        (Lang::En, Deadline::DeliveryUntil(day)) => ("Deliveries until", day.to_string()),
    };
    let left = match (lang, days_left) {
        (_, None) => String::new(),
        (Lang::Ja, Some(0)) => "（本日）".into(),
        (Lang::Ja, Some(days)) => format!("（あと{days}日）"),
        (Lang::En, Some(0)) => " (today)".into(),
        (Lang::En, Some(1)) => " (1 day left)".into(),
        (Lang::En, Some(days)) => format!(" ({days} days left)"),
    };
    format!("{what} {when}{left}")
}

/// 「2026-04-01 09:00 〜 2026-04-14 17:00」.
pub fn period_text(from: &str, until: &str) -> String {
    format!("{from} 〜 {until}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::parse_jst_minute;

    #[test]
    fn a_deadline_reads_with_the_days_left() {
        let at = parse_jst_minute("2026-04-14 17:00").unwrap();
        assert_eq!(
            deadline_text(Lang::Ja, Deadline::Closes(at), Some(3)),
            "締切 2026-04-14 17:00（あと3日）"
        );
        assert_eq!(
            deadline_text(Lang::Ja, Deadline::Closes(at), Some(0)),
            "締切 2026-04-14 17:00（本日）"
        );
        assert_eq!(
            deadline_text(Lang::En, Deadline::Closes(at), Some(1)),
            "Closes 2026-04-14 17:00 (1 day left)"
        );
    }
}
