//! The demo's ナレッジ (40 articles written for this project, `knowledge.json`), a PDF attached to
//! each マニュアル and 動画マニュアル, and notices from the country, 東京都 and 千代田区.

use crate::db::audit::{self, Actor, Change};
use crate::db::knowledge::{self, NewArticle};
use crate::db::notices::{self, Author, NewNotice};
use crate::db::{files, DbKind};
use app::domain::help::{ArticleCategory, ArticleKind, NoticeRegion};
use app::domain::Role;
use chrono::{DateTime, TimeDelta, Utc};
use serde::Deserialize;
use sqlx::AnyConnection;

const KNOWLEDGE_JSON: &str = include_str!("knowledge.json");

#[derive(Deserialize)]
struct ArticleSeed {
    number: String,
    title: String,
    kind: String,
    audiences: Vec<String>,
    category: String,
    published: String,
    body: String,
}

/// The demo users who write notices and own the attachments.
pub struct HelpAuthors {
    /// システム管理者 (所有者 of the attachments).
    pub admin: i64,
    /// 厚生労働省.
    pub national: i64,
    /// 東京都.
    pub prefecture: i64,
    /// 千代田区.
    pub municipality: i64,
    /// 千代田区's code.
    pub chiyoda: String,
}

/// Loads the articles (when there are none), their PDFs and the demo notices.
pub async fn load_demo_help(
    conn: &mut AnyConnection,
    kind: DbKind,
    authors: &HelpAuthors,
    now: DateTime<Utc>,
) -> anyhow::Result<()> {
    if knowledge::count(conn).await? > 0 {
        return Ok(());
    }
    for (id, article) in load_knowledge(conn, kind, now).await? {
        if article.kind != ArticleKind::Faq {
            let pdf = demo_pdf(article.number, article.body);
            let name = format!("{}.pdf", article.title.replace(['/', '\\'], "・"));
            let file =
                files::insert(conn, &name, "application/pdf", &pdf, authors.admin, now).await?;
            knowledge::add_version(conn, id, file).await?;
        }
    }
    for (author, notice) in demo_notices(authors, now) {
        let writer = match author.role {
            Role::Prefecture => authors.prefecture,
            Role::Municipality => authors.municipality,
            _ => authors.national,
        };
        let id = notices::insert(conn, &author, &notice, writer, now).await?;
        let change = Change {
            entity: "notice",
            entity_id: id.to_string(),
            field: "notice",
            old_value: None,
            new_value: Some(format!("{} (demo)", notice.title)),
        };
        audit::record(conn, now, Actor::SYSTEM, change).await?;
    }
    Ok(())
}

/// Stores the 40 articles of `knowledge.json` with their passages and index rows; returns each
/// with its id.
pub async fn load_knowledge(
    conn: &mut AnyConnection,
    kind: DbKind,
    now: DateTime<Utc>,
) -> anyhow::Result<Vec<(i64, NewArticle<'static>)>> {
    let seeds: &'static [ArticleSeed] =
        Box::leak(serde_json::from_str::<Vec<ArticleSeed>>(KNOWLEDGE_JSON)?.into_boxed_slice());
    let mut stored = Vec::with_capacity(seeds.len());
    for seed in seeds {
        let article_kind = ArticleKind::parse(&seed.kind)
            .map_err(|_| anyhow::anyhow!("{}: unknown kind {}", seed.number, seed.kind))?;
        let roles = seed
            .audiences
            .iter()
            .map(|r| Role::parse(r).map_err(|_| anyhow::anyhow!("{}: role {r}", seed.number)))
            .collect::<Result<Vec<_>, _>>()?;
        let article = NewArticle {
            number: &seed.number,
            title: &seed.title,
            kind: article_kind,
            category: ArticleCategory::parse(&seed.category)
                .map_err(|_| anyhow::anyhow!("{}: category {}", seed.number, seed.category))?,
            audiences: notices::roles_column(&roles),
            body: &seed.body,
            published_on: &seed.published,
        };
        let id = knowledge::insert_article(conn, kind, &article, now).await?;
        stored.push((id, article));
    }
    Ok(stored)
}

/// A small, valid one-page PDF naming the article (Latin text: the standard fonts of PDF hold
/// no Japanese, and the demo needs a real file more than a typeset manual).
pub fn demo_pdf(number: &str, body: &str) -> Vec<u8> {
    let text = format!(
        "BT /F1 18 Tf 72 760 Td (V-SYS manual {number}) Tj 0 -28 Td /F1 11 Tf \
         (Demo attachment of knowledge article {number}, {} characters.) Tj ET",
        body.chars().count()
    );
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_string(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] \
         /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>"
            .to_string(),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_string(),
        format!("<< /Length {} >>\nstream\n{text}\nendstream", text.len()),
    ];
    let mut pdf = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, object) in objects.iter().enumerate() {
        offsets.push(pdf.len());
        pdf.extend_from_slice(format!("{} 0 obj\n{object}\nendobj\n", i + 1).as_bytes());
    }
    let xref = pdf.len();
    pdf.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for offset in offsets {
        pdf.extend_from_slice(format!("{offset:010} 00000 n \n").as_bytes());
    }
    pdf.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    pdf
}

fn demo_notices(authors: &HelpAuthors, now: DateTime<Utc>) -> Vec<(Author, NewNotice<'static>)> {
    let national = Author {
        role: Role::National,
        prefecture: None,
        municipality: None,
        name: "厚生労働省".into(),
    };
    let tokyo = Author {
        role: Role::Prefecture,
        prefecture: Some(13),
        municipality: None,
        name: "東京都".into(),
    };
    let chiyoda = Author {
        role: Role::Municipality,
        prefecture: Some(13),
        municipality: Some(authors.chiyoda.clone()),
        name: "千代田区".into(),
    };
    static TOKYO: [NoticeRegion; 1] = [NoticeRegion::Prefecture(13)];
    let chiyoda_region: &'static [NoticeRegion] =
        Box::leak(Box::new([NoticeRegion::Municipality(
            authors.chiyoda.clone(),
        )]));
    let everyone = notices::roles_column(&[
        Role::National,
        Role::Prefecture,
        Role::Municipality,
        Role::Site,
        Role::Supplier,
    ]);
    let local = notices::roles_column(&[Role::Prefecture, Role::Municipality, Role::Site]);
    let day = TimeDelta::days(1);
    let notice = |title: &'static str,
                  body: &'static str,
                  important,
                  from: i64,
                  until: i64,
                  roles: &str,
                  regions| NewNotice {
        title,
        body,
        important,
        valid_from: now - day * from as i32,
        valid_until: now + day * until as i32,
        roles: roles.to_string(),
        regions,
    };
    let mut list = vec![
        (national.clone(), notice("【重要】年末年始のワクチン配送について", "年末年始（12月29日〜1月3日）は配送を行いません。この期間に納入予定日を登録しないでください。\n納入予定日の登録方法はナレッジの記事をご覧ください。", true, 1, 40, &everyone, &[][..])),
        (national.clone(), notice("V-SYSの定期メンテナンスのお知らせ", "毎週日曜日 2:00〜4:00 はメンテナンスのため、V-SYSを利用できません。\n詳しくは https://www.mhlw.go.jp/ をご覧ください。", false, 2, 20, &everyone, &[][..])),
        (national.clone(), notice("過去のお知らせ一覧を表示できるようになりました", "ホーム画面に表示されるお知らせは最新の10件のみです。\n「過去のお知らせ一覧を見る」を押すと、現在有効なすべてのお知らせを一覧で確認できます。", false, 3, 60, &local, &[][..])),
        (tokyo, notice("【東京都】接種実績の毎日の登録をお願いします", "接種実績は、接種日ごとの累計で毎日登録してください。登録が遅れると、都の分配計画に反映できません。", false, 4, 30, &notices::roles_column(&[Role::Municipality, Role::Site]), &TOKYO[..])),
        (chiyoda, notice("【千代田区】請求は毎月10日までに提出してください", "前月分の請求（請求総括書・市区町村別請求書）は、毎月10日までに提出してください。\n10日を過ぎた請求は翌月分として処理されます。", true, 5, 30, &notices::roles_column(&[Role::Site]), chiyoda_region)),
        (national.clone(), notice("【終了】第1回クール希望量登録のお知らせ", "第1回クールの希望量登録は終了しました。", false, 90, -30, &everyone, &[][..])),
    ];
    for n in 0..8 {
        let titles = [
            "第8回クールの希望量登録期間について",
            "コロナワクチンナビの表示項目を追加しました",
            "ナレッジに動画マニュアルを追加しました",
            "移送・融通の登録画面を改善しました",
            "ロット番号の入力チェックを強化しました",
            "レポートのCSV出力（Shift_JIS）に対応しました",
            "二要素認証の設定をお願いします",
            "問い合わせフォームの受付時間について",
        ];
        list.push((
            national.clone(),
            notice(
                titles[n],
                "詳しくはナレッジの記事をご覧ください。",
                false,
                10 + n as i64 * 4,
                90,
                &everyone,
                &[][..],
            ),
        ));
    }
    list
}
