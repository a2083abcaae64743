//! What one keystroke in 医療機関・接種会場の編集 costs in the browser's validation: rebuilding
//! the form from its field values and checking every field, as the page does on each input.
//! Prints the median and the 99th percentile over many keystrokes. Run with
//! `cargo bench -p app --bench site_form` (native code; WebAssembly in Chromium is slower by a
//! small factor, which the browser test's timing covers end to end).

use app::domain::{
    Contact, FacilityClass, Form, GeneralPublic, ReservationStatus, SiteForm, SiteRules,
};
use std::collections::BTreeMap;
use std::hint::black_box;
use std::time::Instant;

fn filled_hospital() -> SiteForm {
    SiteForm {
        facility_class: Some(FacilityClass::Hospital),
        reservation_status: Some(ReservationStatus::Available),
        name: "千代田区A病院".into(),
        representative: "千代田 一郎".into(),
        postal_code: "１００－０００１".into(),
        address: "千代田1-1".into(),
        phone: "03-1111-2222".into(),
        fax: "03-1111-2229".into(),
        homepage: "https://a-hospital.example.jp/".into(),
        parking: "10台".into(),
        contract_joined: "2021/03/06".into(),
        vaccines: vec!["pfizer".into(), "moderna".into()],
        doctor_phone: "03-1111-2223".into(),
        doctor_name: "厚労 太郎".into(),
        doctor_kana: "こうろう たろう".into(),
        doctor_email: "vaccine@a-hospital.example.jp".into(),
        storage: Contact {
            affiliation: "薬剤部".into(),
            phone: "03-1111-2225".into(),
            name: "保管 花子".into(),
            email: String::new(),
        },
        dryice: Contact {
            name: "氷 次郎".into(),
            ..Contact::default()
        },
        public_phone: "03-1111-2224".into(),
        public_url: "https://a-hospital.example.jp/yoyaku".into(),
        hours: "平日 9:00-17:00".into(),
        hours_en: "Weekdays 9:00-17:00".into(),
        general_public: Some(GeneralPublic::General),
        name_kana: "ちよだく えーびょういん".into(),
        notice: "予約は電話でお願いします。".into(),
        ..SiteForm::default()
    }
}

fn main() {
    let rules = SiteRules {
        vaccine_codes: vec!["pfizer".into(), "moderna".into(), "astrazeneca".into()],
        basic_site_ids: vec![1, 2, 3],
    };
    let mut values: BTreeMap<String, String> = filled_hospital().values();
    let typed = "〒１００－０００１";
    let rounds = 20_000;
    let mut samples = Vec::with_capacity(rounds);
    for i in 0..rounds {
        // One keystroke in the postal code: the field grows by one character, cycling.
        let upto = typed
            .char_indices()
            .nth(i % typed.chars().count())
            .map_or(typed.len(), |(at, _)| at);
        values.insert("postal_code".into(), typed[..upto].to_string());
        let started = Instant::now();
        let form = SiteForm::from_values(black_box(&values));
        let result = form.validate(&rules);
        black_box(&result);
        samples.push(started.elapsed().as_nanos() as u64);
    }
    samples.sort_unstable();
    let at = |q: f64| samples[((samples.len() as f64 - 1.0) * q) as usize] as f64 / 1000.0;
    println!(
        "site form, one keystroke (rebuild {} fields + validate all): median {:.1} µs, p99 {:.1} µs, max {:.1} µs over {rounds} keystrokes",
        values.len(),
        at(0.5),
        at(0.99),
        at(1.0)
    );
}
