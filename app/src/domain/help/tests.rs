use super::files::{base64_decode, base64_encode, human_size};
use super::knowledge::question_terms;
use super::*;
use crate::error::FieldError;

fn notice(roles: Vec<Role>) -> NoticeForm {
    NoticeForm {
        title: "年末年始の納入について".into(),
        body: "詳しくは https://www.mhlw.go.jp/ をご覧ください。".into(),
        important: true,
        valid_from: "2026-12-01".into(),
        valid_until: "2026-12-31".into(),
        roles,
        regions: vec![],
    }
}

#[test]
fn a_municipality_reaches_its_sites_but_not_the_prefecture_or_suppliers() {
    assert!(notice(vec![Role::Site])
        .validate(Role::Municipality)
        .is_ok());
    for role in [Role::Prefecture, Role::Supplier, Role::National] {
        let errors = notice(vec![role]).validate(Role::Municipality).unwrap_err();
        assert_eq!(
            errors.get("roles"),
            Some(&FieldError::OrganisationOutOfScope)
        );
    }
    assert!(notice(vec![Role::Supplier])
        .validate(Role::National)
        .is_ok());
}

#[test]
fn a_notice_needs_a_role_a_title_and_dates_in_order() {
    let mut form = notice(vec![]);
    form.title = " ".into();
    form.valid_until = "2026-11-30".into();
    let errors = form.validate(Role::National).unwrap_err();
    assert_eq!(errors.get("roles"), Some(&FieldError::Required));
    assert_eq!(errors.get("title"), Some(&FieldError::Required));
    assert_eq!(errors.get("valid_until"), Some(&FieldError::DateOrder));
}

#[test]
fn regions_are_prefecture_or_municipality_codes() {
    assert_eq!(NoticeRegion::parse("13"), Ok(NoticeRegion::Prefecture(13)));
    assert_eq!(
        NoticeRegion::parse("131016"),
        Ok(NoticeRegion::Municipality("131016".into()))
    );
    assert_eq!(NoticeRegion::parse("48"), Err(FieldError::InvalidChoice));
    assert_eq!(NoticeRegion::parse("1310"), Err(FieldError::InvalidChoice));
    assert_eq!(NoticeRegion::Prefecture(1).code(), "01");
}

#[test]
fn addresses_in_a_body_become_links_and_nothing_else_is_markup() {
    let parts = linkify("<b>手順</b>は https://example.jp/a?b=1 を参照。次は http://x.jp。");
    assert_eq!(
        parts,
        vec![
            BodyPart::Text("<b>手順</b>は ".into()),
            BodyPart::Link("https://example.jp/a?b=1".into()),
            BodyPart::Text(" を参照。次は ".into()),
            BodyPart::Link("http://x.jp".into()),
            BodyPart::Text("。".into()),
        ]
    );
    assert_eq!(
        linkify("https:// だけ"),
        vec![
            BodyPart::Text("https://".into()),
            BodyPart::Text(" だけ".into())
        ]
    );
}

fn upload(name: &str, content: &[u8]) -> Upload {
    Upload {
        name: name.into(),
        content: FileBytes(content.to_vec()),
    }
}

#[test]
fn a_file_is_what_its_content_is_not_what_its_name_says() {
    let pdf = b"%PDF-1.4\n...";
    assert_eq!(
        FileRules::ARTICLE.check(&upload("manual.PDF", pdf)),
        Ok(MediaType::Pdf)
    );
    assert_eq!(
        FileRules::ARTICLE.check(&upload("manual.pdf", b"<html><script>")),
        Err(FieldError::FileContentMismatch)
    );
    assert_eq!(
        FileRules::ARTICLE.check(&upload("page.html", b"<html>")),
        Err(FieldError::FileTypeNotTaken)
    );
    let mp4 = b"\0\0\0\x18ftypmp42\0\0\0\0";
    assert_eq!(
        FileRules::ARTICLE.check(&upload("video.mp4", mp4)),
        Err(FieldError::FileTypeNotTaken)
    );
    assert_eq!(
        FileRules::VIDEO_ARTICLE.check(&upload("video.mp4", mp4)),
        Ok(MediaType::Mp4)
    );
    assert_eq!(
        FileRules::INQUIRY.check(&upload("../etc/x.pdf", pdf)),
        Err(FieldError::FileName)
    );
}

#[test]
fn a_pdf_one_byte_over_twenty_megabytes_is_refused_with_the_limit() {
    let mut big = b"%PDF-".to_vec();
    big.resize(20 * 1024 * 1024, b' ');
    assert!(FileRules::ARTICLE.check(&upload("a.pdf", &big)).is_ok());
    big.push(b' ');
    assert_eq!(
        FileRules::ARTICLE.check(&upload("a.pdf", &big)),
        Err(FieldError::FileTooLarge { max_mb: 20 })
    );
}

#[test]
fn base64_round_trips_every_length_and_json_carries_it() {
    for n in 0..10u8 {
        let bytes: Vec<u8> = (0..n).map(|i| i.wrapping_mul(97)).collect();
        assert_eq!(base64_decode(&base64_encode(&bytes)), Some(bytes));
    }
    assert_eq!(base64_encode(b"PDF"), "UERG");
    assert_eq!(base64_encode(b"%PDF-"), "JVBERi0=");
    let json = serde_json::to_string(&FileBytes(b"%PDF-".to_vec())).unwrap();
    assert_eq!(json, "\"JVBERi0=\"");
    let back: FileBytes = serde_json::from_str(&json).unwrap();
    assert_eq!(back.0, b"%PDF-");
    assert!(base64_decode("a*b").is_none());
}

#[test]
fn sizes_read_as_people_write_them() {
    assert_eq!(human_size(7_235_174), "6.9 MB");
    assert_eq!(human_size(2048), "2 KB");
    assert_eq!(human_size(10), "10 B");
}

#[test]
fn script_changes_become_spaces_so_two_kanji_words_stand_alone() {
    assert_eq!(
        script_terms("請求書は毎月１０日までに提出。V-SYSへ"),
        " 請求書 は 毎月 10 日 までに 提出 v sys へ "
    );
    assert_eq!(
        question_terms("請求の期限はいつですか？請求"),
        vec!["請求".to_string(), "期限".to_string()]
    );
    assert_eq!(
        question_terms("パスワードを忘れた"),
        vec!["パスワード".to_string()]
    );
}

#[test]
fn an_inquiry_needs_a_category_subject_and_body() {
    let errors = InquiryForm::default().validate().unwrap_err();
    for field in ["category", "subject", "body"] {
        assert_eq!(errors.get(field), Some(&FieldError::Required), "{field}");
    }
    let form = InquiryForm {
        category: "billing".into(),
        subject: "請求の差戻し".into(),
        body: "理由が分かりません".into(),
        attachment: Some(upload("screen.png", b"\x89PNG\r\n\x1a\n....")),
    };
    let valid = form.validate().unwrap();
    assert_eq!(valid.category, InquiryCategory::Billing);
    assert_eq!(valid.attachment.map(|(_, t)| t), Some(MediaType::Png));
}

#[test]
fn a_line_diff_keeps_shared_lines_and_marks_the_rest() {
    assert_eq!(
        line_diff("第1条\n第2条\n第3条", "第1条\n第2条（改正）\n第3条\n第4条"),
        vec![
            DiffLine::Same("第1条".into()),
            DiffLine::Removed("第2条".into()),
            DiffLine::Added("第2条（改正）".into()),
            DiffLine::Same("第3条".into()),
            DiffLine::Added("第4条".into()),
        ]
    );
}
