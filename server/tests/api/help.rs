//! お知らせ, ナレッジ, the chatbot and the 問い合わせフォーム on the demo data set: the test clock
//! starts on 1 April 2026, 09:00 JST, when the demo's notices were written.

use crate::helpers::{spawn_app, TestApp, TestClient};
use app::api::{
    ArticleSummary, ArticleView, AuthoredNotice, ChatAnswer, InboxPage, InquirySummary,
    InquiryView, MessageKind, NoticePage, UnansweredQuestion,
};
use app::domain::help::files::base64_encode as b64;
use app::domain::help::{ArticleKind, InquiryStatus};
use app::error::{AppError, FieldError};
use chrono::TimeDelta;
use serde_json::{json, Value};

async fn demo() -> TestApp {
    let app = spawn_app().await;
    app.load_demo().await;
    app
}

fn notice(title: &str, from: &str, until: &str, roles: Value, regions: Value) -> Value {
    json!({"id": null, "form": {"title": title, "body": "本文 https://example.jp/x", "important": false,
        "valid_from": from, "valid_until": until, "roles": roles, "regions": regions}})
}

async fn titles(client: &TestClient) -> Vec<String> {
    let page: NoticePage = client
        .call("list_notices", json!({"query": "", "page": 0}))
        .await
        .ok();
    page.notices.into_iter().map(|n| n.title).collect()
}

#[tokio::test]
async fn a_notice_reaches_its_roles_and_region_from_its_first_day_to_the_end_of_its_last() {
    let app = demo().await;
    let chiyoda = app.logged_in("chiyoda").await;
    let saved: AuthoredNotice = chiyoda
        .call(
            "save_notice",
            notice(
                "区からの連絡",
                "2026-04-02",
                "2026-04-03",
                json!(["Site"]),
                json!([]),
            ),
        )
        .await
        .ok();
    assert_eq!(saved.notice.valid_until, "2026-04-03");
    let seen_by = |login: &'static str| {
        let app = &app;
        async move {
            titles(&app.logged_in(login).await)
                .await
                .contains(&"区からの連絡".to_string())
        }
    };
    assert!(!seen_by("site-a").await, "before 掲載開始");
    // 2 April 00:00 JST.
    app.advance(TimeDelta::hours(15));
    assert!(seen_by("site-a").await);
    assert!(seen_by("site-d").await, "every site of 千代田区");
    assert!(
        !seen_by("minato").await,
        "a municipality's role is not addressed"
    );
    assert!(!seen_by("tokyo").await);
    // 3 April 23:59:59 JST, then 4 April 00:00:00.
    app.advance(TimeDelta::hours(48) - TimeDelta::seconds(1));
    assert!(seen_by("site-a").await);
    app.advance(TimeDelta::seconds(1));
    assert!(!seen_by("site-a").await, "after 掲載終了日");
}

#[tokio::test]
async fn authors_write_only_inside_their_own_area_and_for_roles_below_them() {
    let app = demo().await;
    let chiyoda = app.logged_in("chiyoda").await;
    chiyoda
        .call(
            "save_notice",
            notice(
                "港区へ",
                "2026-04-01",
                "2026-04-30",
                json!(["Site"]),
                json!(["131032"]),
            ),
        )
        .await
        .assert_field_error("regions", FieldError::OrganisationOutOfScope);
    chiyoda
        .call(
            "save_notice",
            notice(
                "卸へ",
                "2026-04-01",
                "2026-04-30",
                json!(["Supplier"]),
                json!([]),
            ),
        )
        .await
        .assert_field_error("roles", FieldError::OrganisationOutOfScope);
    let tokyo = app.logged_in("tokyo").await;
    let saved: AuthoredNotice = tokyo
        .call(
            "save_notice",
            notice(
                "千代田区だけへ",
                "2026-04-01",
                "2026-04-30",
                json!(["Municipality"]),
                json!(["131016"]),
            ),
        )
        .await
        .ok();
    assert_eq!(saved.region_names, vec!["千代田区".to_string()]);
    assert!(titles(&chiyoda)
        .await
        .contains(&"千代田区だけへ".to_string()));
    let minato = app.logged_in("minato").await;
    assert!(!titles(&minato)
        .await
        .contains(&"千代田区だけへ".to_string()));
    // Another organisation's notice reads as not found; the author's own is withdrawn, audited.
    minato
        .call("withdraw_notice", json!({"id": saved.notice.id}))
        .await
        .assert_error(AppError::NotFound);
    let audits = app.audit_count().await;
    let withdrawn: AuthoredNotice = tokyo
        .call("withdraw_notice", json!({"id": saved.notice.id}))
        .await
        .ok();
    assert_eq!(withdrawn.state, app::api::NoticeState::Withdrawn);
    assert_eq!(app.audit_count().await, audits + 1);
    assert!(!titles(&chiyoda)
        .await
        .contains(&"千代田区だけへ".to_string()));
    tokyo
        .call(
            "save_notice",
            json!({"id": saved.notice.id, "form": saved.form}),
        )
        .await
        .assert_error(AppError::Refused(app::error::RefusalReason::NoticeClosed));
}

#[tokio::test]
async fn home_shows_the_ten_latest_valid_notices_and_the_list_shows_all_searchable_and_paged() {
    let app = demo().await;
    let site = app.logged_in("site-a").await;
    let home: NoticePage = site.call("home_notices", json!({})).await.ok();
    assert_eq!(home.notices.len(), 10);
    assert_eq!(
        home.total, 13,
        "the demo's valid notices for a site of 千代田区"
    );
    assert_eq!(home.unread, 13);
    assert!(home.notices[0].important);
    assert!(home
        .notices
        .windows(2)
        .all(|w| w[0].valid_from >= w[1].valid_from));
    assert!(!home.notices.iter().any(|n| n.title.contains("【終了】")));
    let first: NoticePage = site
        .call("list_notices", json!({"query": "", "page": 0}))
        .await
        .ok();
    assert_eq!(first.notices.len(), 13, "20 a page");
    let second: NoticePage = site
        .call("list_notices", json!({"query": "", "page": 1}))
        .await
        .ok();
    assert!(second.notices.is_empty());
    let found: NoticePage = site
        .call("list_notices", json!({"query": "請求", "page": 0}))
        .await
        .ok();
    assert_eq!(found.total, 1);
    assert!(found.notices[0].title.contains("請求は毎月10日"));
    site.call("mark_notice_read", json!({"id": found.notices[0].id}))
        .await
        .ok::<()>();
    let home: NoticePage = site.call("home_notices", json!({})).await.ok();
    assert_eq!(home.unread, 12);
    // A notice not addressed to the user cannot be marked either.
    let supplier = app.logged_in("supplier").await;
    supplier
        .call("mark_notice_read", json!({"id": found.notices[0].id}))
        .await
        .assert_error(AppError::NotFound);
}

async fn search(client: &TestClient, text: &str, kind: Option<&str>) -> Vec<ArticleSummary> {
    client
        .call(
            "search_articles",
            json!({"query": {"text": text, "audience": null, "category": null, "kind": kind}}),
        )
        .await
        .ok()
}

#[tokio::test]
async fn knowledge_search_finds_a_substring_inside_a_word_and_filters_by_type() {
    let app = demo().await;
    let site = app.logged_in("site-a").await;
    let all = search(&site, "", None).await;
    assert!(all.len() >= 30);
    // スワー lies inside パスワード: no word boundary is needed.
    let inside = search(&site, "スワー", None).await;
    assert!(!inside.is_empty());
    assert!(inside.iter().any(|a| a.title.contains("パスワード")));
    let short = search(&site, "廃棄", None).await;
    assert!(short.iter().any(|a| a.title.contains("廃棄")));
    let manuals = search(&site, "", Some("Manual")).await;
    assert!(!manuals.is_empty());
    assert!(manuals.iter().all(|a| a.kind == ArticleKind::Manual));
    assert!(search(&site, "存在しない言葉ですよ", None).await.is_empty());
}

fn pdf(size: usize) -> Vec<u8> {
    let mut bytes = b"%PDF-1.4\n".to_vec();
    bytes.resize(size, b'%');
    bytes
}

#[tokio::test]
async fn attachments_keep_their_versions_are_checked_and_download_as_attachments() {
    let app = demo().await;
    let mhlw = app.logged_in("mhlw").await;
    let manual = search(&mhlw, "", Some("Manual")).await.remove(0);
    let upload = |name: &str, bytes: &[u8]| json!({"number": manual.number, "file": {"name": name, "content": b64(bytes)}});
    let content = pdf(3000);
    let view: ArticleView = mhlw
        .call(
            "upload_article_file",
            upload("医療機関用マニュアル.pdf", &content),
        )
        .await
        .ok();
    assert_eq!(view.versions.len(), 2);
    assert_eq!(view.versions[0].version, 2);
    assert_eq!(view.versions[0].owner, "厚労 花子");
    assert_eq!(view.versions[0].size, 3000);
    mhlw.call(
        "upload_article_file",
        upload("fake.pdf", b"<html><script>alert(1)</script>"),
    )
    .await
    .assert_field_error("file", FieldError::FileContentMismatch);
    mhlw.call("upload_article_file", upload("page.html", b"<html>"))
        .await
        .assert_field_error("file", FieldError::FileTypeNotTaken);
    mhlw.call(
        "upload_article_file",
        upload("big.pdf", &pdf(20 * 1024 * 1024 + 1)),
    )
    .await
    .assert_field_error("file", FieldError::FileTooLarge { max_mb: 20 });
    let site = app.logged_in("site-a").await;
    site.call("upload_article_file", upload("x.pdf", &content))
        .await
        .assert_error(AppError::Forbidden);

    let path = format!("/files/{}", view.versions[0].file_id);
    let response = site.get_path(&path).await;
    assert_eq!(response.status(), 200);
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .map(|v| v.to_str().unwrap().to_string())
            .unwrap_or_default()
    };
    assert_eq!(header("content-type"), "application/pdf");
    assert!(header("content-disposition").starts_with("attachment;"));
    assert!(header("content-disposition").contains("filename*=UTF-8''%E5%8C%BB"));
    assert_eq!(header("x-content-type-options"), "nosniff");
    assert!(header("content-security-policy").contains("sandbox"));
    assert_eq!(response.bytes().await.unwrap().to_vec(), content);
    assert_eq!(app.client().get_path(&path).await.status(), 401);

    // Nothing is lost when a server starts again on the same database: a new server, with its
    // own pool, migration run and sessions, serves the same bytes to a new login.
    let url = app.state.config.database_url.clone();
    let again = crate::helpers::spawn_app_with(move |config| config.database_url = url).await;
    let reader = again.logged_in("site-a").await;
    let response = reader.get_path(&path).await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.bytes().await.unwrap().to_vec(), content);
}

async fn ask(client: &TestClient, question: &str) -> ChatAnswer {
    client
        .call("ask_chatbot", json!({"question": question}))
        .await
        .ok()
}

#[tokio::test]
async fn the_chatbot_answers_from_the_articles_and_logs_what_it_cannot_answer() {
    let app = demo().await;
    let site = app.logged_in("site-a").await;
    for (question, word) in [
        ("パスワードを忘れてしまいました", "パスワード"),
        ("請求の提出期限はいつまでですか", "請求"),
        ("廃棄したワクチンはどう登録しますか", "廃棄"),
    ] {
        let answer = ask(&site, question).await;
        assert!(answer.answered, "{question}: {answer:?}");
        assert!(
            answer
                .articles
                .iter()
                .take(3)
                .any(|a| a.title.contains(word)),
            "{question}: {:?}",
            answer.articles
        );
        assert!(answer.passage.is_some_and(|p| !p.is_empty()));
    }
    for _ in 0..2 {
        let answer = ask(&site, "社員食堂のメニューを教えて").await;
        assert!(!answer.answered);
        assert!(answer.passage.is_none());
    }
    let admin = app.logged_in("admin").await;
    let unanswered: Vec<UnansweredQuestion> =
        admin.call("unanswered_questions", json!({})).await.ok();
    assert_eq!(unanswered[0].question, "社員食堂のメニューを教えて");
    assert_eq!(unanswered[0].count, 2);
}

#[tokio::test]
async fn an_inquiry_reaches_the_desk_and_its_answer_reaches_only_its_sender() {
    let app = demo().await;
    let site = app.logged_in("site-a").await;
    let refused = site
        .call(
            "send_inquiry",
            json!({"form": {"category": "", "subject": "", "body": "", "attachment": null}}),
        )
        .await
        .error();
    let AppError::Validation(errors) = refused else {
        panic!("{refused:?}")
    };
    for field in ["category", "subject", "body"] {
        assert_eq!(errors.get(field), Some(&FieldError::Required));
    }
    let png = b"\x89PNG\r\n\x1a\n-screenshot-";
    let sent: InquiryView = site
        .call(
            "send_inquiry",
            json!({"form": {"category": "billing", "subject": "差戻しの理由", "body": "理由が表示されません",
                   "attachment": {"name": "画面.png", "content": b64(png)}}}),
        )
        .await
        .ok();
    assert_eq!(sent.summary.status, InquiryStatus::Open);
    let id = sent.summary.id;
    let file = sent.messages[0].file.clone().unwrap();
    assert_eq!(
        site.get_path(&format!("/files/{}", file.0)).await.status(),
        200
    );
    // Another user sees neither the inquiry nor its attachment.
    let other = app.logged_in("site-d").await;
    other
        .call("load_inquiry", json!({"id": id}))
        .await
        .assert_error(AppError::NotFound);
    assert_eq!(
        other.get_path(&format!("/files/{}", file.0)).await.status(),
        404
    );
    let mine: Vec<InquirySummary> = other.call("my_inquiries", json!({})).await.ok();
    assert!(mine.is_empty());

    let admin = app.logged_in("admin").await;
    let inbox: InboxPage = admin
        .call("desk_inbox", json!({"status": "Open"}))
        .await
        .ok();
    assert_eq!(inbox.inquiries[0].id, id);
    admin
        .call(
            "desk_act",
            json!({"id": id, "action": {"Note": {"body": "社内メモ"}}}),
        )
        .await
        .ok::<InquiryView>();
    let mail_before = app.last_mail_id().await;
    let answered: InquiryView = admin
        .call("desk_act", json!({"id": id, "action": {"Reply": {"body": "差戻しの理由は請求画面の上部に表示されます。", "close": false}}}))
        .await
        .ok();
    assert_eq!(answered.summary.status, InquiryStatus::InProgress);
    assert_eq!(answered.summary.assignee.as_deref(), Some("管理 太郎"));
    let mail = app
        .wait_for_mail(&app.email_of("site-a").await, mail_before)
        .await;
    assert!(mail.body.contains("差戻しの理由は請求画面"));

    let seen: InquiryView = site.call("load_inquiry", json!({"id": id})).await.ok();
    let kinds: Vec<MessageKind> = seen.messages.iter().map(|m| m.kind).collect();
    assert_eq!(
        kinds,
        vec![MessageKind::Question, MessageKind::Reply],
        "no internal note"
    );
    site.call(
        "follow_up_inquiry",
        json!({"id": id, "body": "分かりました", "attachment": null}),
    )
    .await
    .ok::<InquiryView>();
    admin
        .call(
            "desk_act",
            json!({"id": id, "action": {"SetStatus": {"status": "Closed"}}}),
        )
        .await
        .ok::<InquiryView>();
    site.call(
        "follow_up_inquiry",
        json!({"id": id, "body": "もう一つ", "attachment": null}),
    )
    .await
    .assert_error(AppError::Refused(app::error::RefusalReason::InquiryClosed));
    app.advance(TimeDelta::hours(1));
}
