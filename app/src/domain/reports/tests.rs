use super::*;
use crate::i18n::Lang;

fn row(key: &str, cells: Vec<Cell>) -> ReportRow {
    ReportRow {
        key: key.into(),
        cells,
    }
}

fn sample() -> Vec<ReportRow> {
    vec![
        row("1", vec![Cell::Text("A病院".into()), Cell::Number(32)]),
        row("2", vec![Cell::Text("B病院".into()), Cell::Number(168)]),
        row("3", vec![Cell::Text("C病院".into()), Cell::Number(28)]),
        row("4", vec![Cell::Text("D病院".into()), Cell::Number(168)]),
    ]
}

fn keys(rows: &[ReportRow]) -> Vec<&str> {
    rows.iter().map(|r| r.key.as_str()).collect()
}

#[test]
fn sorting_by_a_figure_is_numeric_and_ties_keep_the_report_s_order_both_ways() {
    let mut rows = sample();
    sort_rows(
        &mut rows,
        Some(Sort {
            column: 1,
            descending: false,
        }),
    );
    assert_eq!(keys(&rows), ["3", "1", "2", "4"]);
    let mut rows = sample();
    sort_rows(
        &mut rows,
        Some(Sort {
            column: 1,
            descending: true,
        }),
    );
    assert_eq!(keys(&rows), ["2", "4", "1", "3"]);
}

#[test]
fn no_sort_keeps_the_report_s_own_order() {
    let mut rows = sample();
    sort_rows(&mut rows, None);
    assert_eq!(keys(&rows), ["1", "2", "3", "4"]);
}

#[test]
fn totals_add_up_figure_columns_and_leave_names_empty() {
    let columns = [text("名前", "Name"), figure("人数", "People")];
    assert_eq!(totals(&columns, &sample()), vec![None, Some(396)]);
}

#[test]
fn r308_has_the_seed_s_columns_in_the_seed_s_order() {
    let labels: Vec<&str> = ReportCode::R308
        .columns()
        .iter()
        .map(|c| c.label.ja)
        .collect();
    assert_eq!(
        labels,
        [
            "都道府県",
            "市区町村",
            "医療機関・接種会場",
            "1回目 その他",
            "1回目 医療従事者",
            "1回目 基礎疾患保有者",
            "1回目 高齢者",
            "1回目 高齢者施設従事者",
            "1回目 小計",
            "2回目 その他",
            "2回目 医療従事者",
            "2回目 基礎疾患保有者",
            "2回目 高齢者",
            "2回目 高齢者施設従事者",
            "2回目 小計",
            "総計",
        ]
    );
}

#[test]
fn a_query_survives_its_url_with_japanese_and_dates() {
    let query = ReportQuery {
        code: ReportCode::R308,
        filter: ReportFilter {
            cool: "3".into(),
            vaccine: "pfizer".into(),
            from: "2021-04-01".into(),
            until: "2021-11-24".into(),
            prefecture: "13".into(),
            municipality: "131016".into(),
            site: "42".into(),
            status: "received".into(),
        },
        sort: Some(Sort {
            column: 15,
            descending: true,
        }),
        page: 2,
        all: false,
    };
    let url = query.to_url();
    assert_eq!(
        url,
        "/reports/R308?cool=3&vaccine=pfizer&from=2021-04-01&until=2021-11-24&pref=13&muni=131016&site=42&status=received&sort=15&desc=1&page=2"
    );
    let params: Vec<(String, String)> = url
        .split_once('?')
        .map(|(_, q)| {
            q.split('&')
                .map(|p| {
                    p.split_once('=')
                        .map(|(k, v)| (k.to_string(), v.to_string()))
                        .unwrap()
                })
                .collect()
        })
        .unwrap();
    let get = |key: &str| {
        params
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
    };
    assert_eq!(ReportQuery::from_url(ReportCode::R308, get), query);
    assert_eq!(
        encode_component("千代田 区"),
        "%E5%8D%83%E4%BB%A3%E7%94%B0%20%E5%8C%BA"
    );
}

#[test]
fn a_sort_on_a_column_the_report_does_not_have_is_dropped() {
    let query = ReportQuery::from_url(ReportCode::R201, |key| (key == "sort").then(|| "40".into()));
    assert_eq!(query.sort, None);
    assert_eq!(
        ReportQuery::from_url(ReportCode::R201, |_| None).to_url(),
        "/reports/R201"
    );
}

#[test]
fn a_filter_s_bad_dates_and_ids_are_field_errors_and_an_empty_one_means_all() {
    let bad = ReportFilter {
        cool: "x".into(),
        from: "2021-13-01".into(),
        ..Default::default()
    };
    let errors = bad.validate(ReportCode::R308).unwrap_err();
    assert_eq!(errors.get("cool"), Some(&FieldError::InvalidChoice));
    assert_eq!(errors.get("from"), Some(&FieldError::DateFormat));
    let reversed = ReportFilter {
        from: "2021-06-01".into(),
        until: "2021-05-01".into(),
        ..Default::default()
    };
    assert_eq!(
        reversed
            .validate(ReportCode::R308)
            .unwrap_err()
            .get("until"),
        Some(&FieldError::DateOrder)
    );
    assert_eq!(
        ReportFilter::default().validate(ReportCode::R308),
        Ok(CheckedFilter::default())
    );
}

#[test]
fn the_catalog_follows_the_role_and_the_seed_s_groups() {
    let codes = |role| -> Vec<&'static str> {
        catalog(role)
            .into_iter()
            .flat_map(|(_, e)| e.into_iter().map(|e| e.code))
            .collect()
    };
    assert_eq!(
        codes(Role::Municipality),
        [
            "R300", "R301", "R303", "R304", "R305", "R306", "R308", "X308", "R310", "X301", "X303",
            "X311", "X312"
        ]
    );
    assert_eq!(
        codes(Role::Prefecture),
        [
            "R201", "R301", "R203", "R303", "R204", "R304", "R206", "R306", "R208", "R308", "X208",
            "X308", "R210", "R310", "X201", "X202", "X203", "X301", "X303", "X311", "X312"
        ]
    );
    assert_eq!(
        codes(Role::Site),
        ["R301", "R303", "R304", "R306", "R308", "X308", "R310", "X301", "X303", "X311", "X312"]
    );
    assert!(codes(Role::Supplier).is_empty());
    let groups: Vec<ReportGroup> = catalog(Role::Municipality)
        .into_iter()
        .map(|(g, _)| g)
        .collect();
    assert_eq!(
        groups,
        [
            ReportGroup::OutOfArea,
            ReportGroup::Allocation,
            ReportGroup::DeliveryDates,
            ReportGroup::Deliveries,
            ReportGroup::Bookings,
            ReportGroup::Requests,
            ReportGroup::Records,
            ReportGroup::Schedule,
            ReportGroup::Others,
        ]
    );
}

#[test]
fn every_code_parses_back_and_the_200s_are_for_prefectures_and_above() {
    for code in ReportCode::ALL {
        assert_eq!(ReportCode::parse(code.as_str()), Some(code));
        assert_eq!(
            code.readers().contains(&Role::Municipality),
            code.as_str().as_bytes()[1] == b'3',
            "{code:?}"
        );
        assert!(!code.readers().contains(&Role::Supplier));
    }
    assert_eq!(ReportCode::parse("R999"), None);
}

#[test]
fn a_period_covers_its_first_and_last_day_and_an_open_side_covers_everything_beyond() {
    let day = |d: &str| NaiveDate::parse_from_str(d, "%Y-%m-%d").unwrap();
    let filter = ReportFilter {
        from: "2021-04-01".into(),
        until: "2021-04-30".into(),
        ..Default::default()
    }
    .validate(ReportCode::X308)
    .unwrap();
    assert!(filter.covers(day("2021-04-01")) && filter.covers(day("2021-04-30")));
    assert!(!filter.covers(day("2021-03-31")) && !filter.covers(day("2021-05-01")));
    let open = ReportFilter {
        from: "2021-04-01".into(),
        ..Default::default()
    }
    .validate(ReportCode::X308)
    .unwrap();
    assert!(open.covers(day("2030-01-01")) && !open.covers(day("2021-03-31")));
}

#[test]
fn a_status_filter_must_be_one_of_the_report_s_statuses_and_keeps_only_its_rows() {
    let filter = |status: &str| ReportFilter {
        status: status.into(),
        ..Default::default()
    };
    assert_eq!(
        filter("received")
            .validate(ReportCode::R304)
            .unwrap()
            .status,
        Some(ReportStatus::Received)
    );
    for (code, status) in [
        (ReportCode::R308, "received"),
        (ReportCode::R303, "received"),
        (ReportCode::R304, "receivd"),
    ] {
        assert_eq!(
            filter(status).validate(code).unwrap_err().get("status"),
            Some(&FieldError::InvalidChoice),
            "{code:?} {status}"
        );
    }
    for code in ReportCode::ALL {
        assert_eq!(
            code.statuses().is_empty(),
            code.status_column().is_none(),
            "{code:?}"
        );
        for status in code.statuses() {
            assert_eq!(ReportStatus::parse(status.key()), Some(*status));
        }
    }
    let row = |status: &str| ReportRow {
        key: status.into(),
        cells: vec![
            Cell::Text("1".into()),
            Cell::Text("2021-04-01".into()),
            Cell::Text("移送（出）".into()),
            Cell::Text("相手".into()),
            Cell::Text("ワクチン".into()),
            Cell::Text("LOT".into()),
            Cell::Number(5),
            Cell::Text(status.into()),
        ],
    };
    let mut rows = vec![row("取消"), row("輸送中"), row("取消")];
    let cancelled = filter("cancelled").validate(ReportCode::X312).unwrap();
    cancelled.keep_status(ReportCode::X312, &mut rows);
    assert_eq!(rows, vec![row("取消"), row("取消")]);
    let mut english = vec![row("取消"), row("輸送中")];
    ReportCode::X312.localise_statuses(Lang::En, &mut english);
    let words: Vec<&Cell> = english.iter().map(|r| &r.cells[7]).collect();
    assert_eq!(
        words,
        [
            &Cell::Text("Cancelled".into()),
            &Cell::Text("In transit".into())
        ]
    );
    let mut japanese = vec![row("取消")];
    ReportCode::X312.localise_statuses(Lang::Ja, &mut japanese);
    assert_eq!(japanese, vec![row("取消")]);
    let mut all = vec![row("取消"), row("輸送中")];
    ReportFilter::default()
        .validate(ReportCode::X312)
        .unwrap()
        .keep_status(ReportCode::X312, &mut all);
    assert_eq!(all.len(), 2);
}
