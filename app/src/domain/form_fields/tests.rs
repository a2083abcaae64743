//! The machinery on a form of its own, shaped like the coming ones (a 希望量: a vaccine from
//! a list the server sends, a number of boxes, a date, a flag and a note).

use super::*;
use crate::domain::{parse_date, Count};
use serde::Serializer;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct Wish {
    vaccine: String,
    boxes: String,
    wanted_on: String,
    urgent: bool,
    note: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum WishSection {
    Only,
}

impl Section for WishSection {
    const ALL: &'static [Self] = &[Self::Only];
    fn title(self) -> Label {
        Label::new("希望量", "Requested quantity")
    }
}

const fn wish(key: &'static str, input: Input, access: Access<Wish>) -> Field<Wish> {
    Field::new(key, WishSection::Only, Label::new(key, key), input, access)
}

const WISH_FIELDS: &[Field<Wish>] = &[
    wish(
        "vaccine",
        Input::Select {
            options: Options::Given("vaccines"),
            blank: true,
        },
        Access::Text {
            get: |w| &w.vaccine,
            get_mut: |w| &mut w.vaccine,
            rule: TextRule::Chosen,
        },
    )
    .required(),
    wish(
        "boxes",
        Input::Numeric,
        Access::Text {
            get: |w| &w.boxes,
            get_mut: |w| &mut w.boxes,
            rule: TextRule::Parsed(|v| Count::parse(v, 99).map(|c| c.get().to_string())),
        },
    )
    .required(),
    wish(
        "wanted_on",
        Input::Patterned("2021-03-06"),
        Access::Text {
            get: |w| &w.wanted_on,
            get_mut: |w| &mut w.wanted_on,
            rule: TextRule::Parsed(|v| parse_date(v).map(|d| d.to_string())),
        },
    )
    .required_when(|w| w.urgent),
    wish(
        "urgent",
        Input::Flag,
        Access::Flag {
            get: |w| &w.urgent,
            get_mut: |w| &mut w.urgent,
        },
    ),
    wish(
        "note",
        Input::Lines,
        Access::Text {
            get: |w| &w.note,
            get_mut: |w| &mut w.note,
            rule: TextRule::Lines(10),
        },
    )
    .applies_when(|w| w.urgent),
];

impl Form for Wish {
    type Section = WishSection;
    fn fields() -> &'static [Field<Self>] {
        WISH_FIELDS
    }
}

fn vaccines(list: &str) -> Vec<String> {
    assert_eq!(list, "vaccines");
    vec!["pfizer".into(), "moderna".into()]
}

#[test]
fn a_new_form_is_checked_by_its_table_alone() {
    let typed = Wish {
        vaccine: " moderna ".into(),
        boxes: "３箱".into(),
        urgent: true,
        note: "あ".repeat(11),
        ..Wish::default()
    };
    let (stored, errors) = typed.check_fields(vaccines);
    assert_eq!(stored.vaccine, "moderna");
    assert_eq!(errors.get("boxes"), Some(&FieldError::CountFormat));
    assert_eq!(stored.boxes, "３箱", "what was typed stays on error");
    assert_eq!(errors.get("wanted_on"), Some(&FieldError::Required));
    assert_eq!(errors.get("note"), Some(&FieldError::TooLong { max: 10 }));
    assert!(typed.is_required("wanted_on"));

    let calm = Wish {
        vaccine: "sputnik".into(),
        boxes: "3".into(),
        note: "要らない".into(),
        ..Wish::default()
    };
    let (stored, errors) = calm.check_fields(vaccines);
    assert_eq!(errors.get("vaccine"), Some(&FieldError::InvalidChoice));
    assert_eq!(
        stored.note, "",
        "a field that does not apply is stored empty"
    );
    assert_eq!(errors.0.len(), 1);
}

#[test]
fn a_new_form_has_its_strings_changes_and_json_from_its_table() {
    let before = Wish::default();
    let after = Wish {
        boxes: "3".into(),
        urgent: true,
        ..Wish::default()
    };
    let changed: Vec<_> = after
        .changes_from(&before)
        .into_iter()
        .map(|c| (c.field, c.new))
        .collect();
    assert_eq!(
        changed,
        [
            ("boxes".into(), "3".into()),
            ("urgent".into(), "true".into())
        ]
    );
    assert_eq!(Wish::from_values(&after.values()), after);
    let json = serde_json::to_value(SerializeWith(&after)).unwrap();
    assert_eq!(
        json,
        serde_json::json!({"vaccine": "", "boxes": "3", "wanted_on": "", "urgent": true, "note": ""})
    );
    let mut read = serde_json::Deserializer::from_str(r#"{"boxes":"4","other":[1]}"#);
    let back: Wish = deserialize_form(&mut read).unwrap();
    assert_eq!(back.boxes, "4");
    let mut wrong = serde_json::Deserializer::from_str(r#"{"urgent":"yes"}"#);
    assert!(deserialize_form::<Wish, _>(&mut wrong).is_err());
}

struct SerializeWith<'a>(&'a Wish);

impl Serialize for SerializeWith<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serialize_form(self.0, serializer)
    }
}
