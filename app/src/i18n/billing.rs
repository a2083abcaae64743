//! Words of the 請求 pages: the bill's editor and its printed 請求総括書 and 市区町村別請求書, the
//! lists of each role, ホーム's 請求, and the unit-price master.

use super::Lang;

/// Declares the texts once, each with its Japanese and English words side by side.
macro_rules! billing_words {
    ($($field:ident: $ja:expr, $en:expr;)+) => {
        /// The strings of the 請求 pages.
        #[allow(missing_docs)]
        pub struct BillingTexts {
            $(pub $field: &'static str,)+
        }

        static JA: BillingTexts = BillingTexts { $($field: $ja,)+ };
        static EN: BillingTexts = BillingTexts { $($field: $en,)+ };
    };
}

billing_words! {
    title: "請求", "Billing";
    bill_title: "請求総括書・市区町村別請求書の作成", "Billing summary and bills per municipality";
    month_label: "請求月（接種月）", "Month of vaccinations";
    show: "表示", "Show";
    due: "提出期限", "Due";
    days_left: "あと", "Days left:";
    days_unit: "日", "";
    overdue: "期限を過ぎています。提出すると翌月分に計上されます（期限後提出）。", "The deadline has passed. A bill submitted now goes into the next month's batch (late).";
    status: "状況", "Status";
    not_started: "未作成", "Not started";
    submitted_at: "提出日時", "Submitted";
    batch: "計上月", "Batch";
    late: "期限後提出", "Late";
    amount: "請求金額", "Amount";
    open: "開く", "Open";
    create_for: "請求を作成", "Prepare the bill";
    own_bills: "請求一覧", "Bills";
    sites_bills: "管内の医療機関・接種会場の請求", "Bills of the sites in the municipality";
    addressed_title: "当市区町村あての市区町村別請求書", "Bills addressed to this municipality";
    addressed_empty: "この月の請求書はまだありません。", "No bill for this month yet.";
    totals_title: "市区町村別の請求状況", "Billing by municipality";
    col_site: "医療機関・接種会場", "Site";
    col_site_municipality: "所在地", "Located in";
    col_municipality: "市区町村", "Municipality";
    col_sites: "医療機関数", "Sites";
    col_submitted: "提出済", "Submitted";
    col_code: "保険医療機関コード", "Medical institution code";
    col_care_code: "介護保険事業所番号", "Care insurance office number";
    col_first: "1回目", "1st dose";
    col_second: "2回目", "2nd dose";
    col_screening: "予診のみ", "Screening only";
    col_after_hours: "時間外", "After hours";
    col_holiday: "休日", "Holiday";
    col_residence: "住所地（市区町村）", "Municipality of residence";
    col_line_amount: "金額", "Amount";
    total_row: "合計", "Total";
    col_kind: "区分", "Item";
    col_actions: "操作", "Actions";
    return_button: "差戻し", "Return";
    return_comment: "差戻しの理由", "Reason for the return";
    return_send: "差戻す", "Return the bill";
    returned: "差し戻しました。", "The bill was returned.";
    returned_note: "差戻しされました", "Returned";
    codes_title: "請求用保険医療機関コード・介護保険事業所番号", "Codes for billing";
    old_code: "旧コード", "Old code";
    new_code: "新コード", "New code";
    change_date: "コード変更日", "Code change day";
    choice_legend: "請求に使うコード", "Code on the bill";
    part_title: "接種日", "Vaccination days";
    residence_hint: "市区町村名・コード・ふりがなで検索できます。", "Search by name, code or reading.";
    add_line: "行を追加", "Add a line";
    remove_line: "削除", "Remove";
    no_lines: "行がありません。「行を追加」で住所地の市区町村ごとに入力してください。", "No lines yet. Add one per municipality of residence.";
    check_title: "接種実績との照合", "Check against the vaccination records";
    check_billed: "請求", "Billed";
    check_recorded: "接種実績", "Recorded";
    check_agrees: "請求する接種回数は接種実績と一致しています。", "The doses billed match the vaccination records.";
    check_differs: "請求する接種回数が接種実績と異なります。内容を確認してください。", "The doses billed differ from the vaccination records. Please check.";
    acknowledge: "差異を確認しました", "I have checked the difference";
    save: "一時保存", "Save draft";
    submit: "提出", "Submit";
    saved: "保存しました。", "Saved.";
    submitted: "提出しました。", "Submitted.";
    locked: "提出済みのため変更できません。", "Submitted: it can no longer be changed.";
    month_open: "月が終わってから提出できます。", "The bill can be submitted once the month is over.";
    print: "印刷", "Print";
    export: "CSVエクスポート", "Export CSV";
    exported: "CSVファイルを作成しました。", "The CSV file was made.";
    utf8: "UTF-8（BOM付き）", "UTF-8 (with BOM)";
    shift_jis: "Shift_JIS", "Shift_JIS";
    preview_title: "印刷イメージ", "Print preview";
    summary_doc: "請求総括書", "Billing summary";
    municipal_doc: "市区町村別請求書", "Bill per municipality";
    doc_subject: "新型コロナウイルスワクチン接種費用", "COVID-19 vaccination costs";
    doc_month: "分", "";
    doc_to_suffix: "長 殿", "";
    doc_from: "請求者", "Billed by";
    doc_period: "対象接種日", "Vaccination days";
    doc_total: "請求金額合計", "Total";
    doc_kind: "区分", "Item";
    doc_count: "件数", "Count";
    doc_prices: "適用単価（税抜）", "Unit prices (tax excluded)";
    doc_vaccination: "接種（1回目・2回目）", "Vaccination (1st and 2nd dose)";
    doc_after_hours: "時間外加算", "After-hours addition";
    doc_holiday: "休日加算", "Holiday addition";
    doc_price_line: "接種 {v}円・予診のみ {s}円・時間外加算 {a}円・休日加算 {h}円（{from}から）", "Vaccination {v} yen, screening only {s} yen, after hours {a} yen, holiday {h} yen (from {from})";
    nothing_to_print: "行を入力すると、請求書がここに表示されます。", "The bills appear here once lines are entered.";
    home_title: "請求", "Billing";
    home_due: "期限", "due";
    home_not_submitted: "未提出の医療機関・接種会場", "Sites yet to submit";
    prices_title: "単価マスタ", "Unit prices";
    prices_tab: "単価", "Prices";
    applies_from: "適用開始日", "Applies from";
    price_vaccination: "接種", "Vaccination";
    price_screening: "予診のみ", "Screening only";
    price_after_hours: "時間外加算", "After-hours addition";
    price_holiday: "休日加算", "Holiday addition";
    price_add: "単価を登録", "Register prices";
    price_saved: "単価を登録しました。", "The prices were registered.";
    prices_note: "金額は税抜、円。請求は接種日に適用される単価で計算されます。", "Yen, tax excluded. A bill uses the prices in force on each vaccination date.";
}

/// The texts in `lang`.
pub fn billing_texts(lang: Lang) -> &'static BillingTexts {
    match lang {
        Lang::Ja => &JA,
        Lang::En => &EN,
    }
}

/// `123456` → `123,456`.
pub fn grouped(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if n < 0 {
        out.push('-');
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figures_are_grouped_by_thousands() {
        assert_eq!(grouped(0), "0");
        assert_eq!(grouped(999), "999");
        assert_eq!(grouped(2070), "2,070");
        assert_eq!(grouped(1_234_567), "1,234,567");
        assert_eq!(grouped(-45_000), "-45,000");
    }
}
