//! Words of お知らせ, ナレッジ, the chatbot, the 問い合わせフォーム and the service desk.

use super::Lang;
use crate::api::MessageKind;
use crate::domain::help::{ArticleCategory, ArticleKind, InquiryCategory, InquiryStatus};

/// Declares the texts once, each with its Japanese and English words side by side.
macro_rules! help_words {
    ($($field:ident: $ja:expr, $en:expr;)+) => {
        /// The strings of the help pages.
        #[allow(missing_docs)]
        pub struct HelpTexts {
            $(pub $field: &'static str,)+
        }

        static JA: HelpTexts = HelpTexts { $($field: $ja,)+ };
        static EN: HelpTexts = HelpTexts { $($field: $en,)+ };
    };
}

help_words! {
    notices: "お知らせ", "Notices";
    past_notices: "過去のお知らせ一覧を見る", "See all notices";
    past_title: "過去のお知らせ一覧", "All notices";
    important: "重要", "Important";
    unread: "未読", "Unread";
    no_notices: "現在、お知らせはありません。", "There are no notices.";
    notice_search: "お知らせを検索", "Search notices";
    search: "検索", "Search";
    period: "掲載期間", "Shown";
    author: "発信元", "From";
    prev: "前へ", "Previous";
    next: "次へ", "Next";
    count_unit: "件", "";
    knowledge: "ナレッジ", "Knowledge";
    articles: "記事", "Articles";
    search_placeholder: "ナレッジを検索...", "Search knowledge...";
    audience: "対象者", "Audience";
    info_type: "情報種類", "Kind of information";
    article_type: "すべての記事タイプ", "All article types";
    all: "すべて", "All";
    reset: "リセット", "Reset";
    apply: "適用", "Apply";
    cancel: "キャンセル", "Cancel";
    published: "最終公開日", "Last published";
    no_articles: "該当する記事はありません。", "No article matches.";
    download: "ダウンロード", "Download";
    owner: "所有者", "Owner";
    updated: "最終更新日", "Last updated";
    version: "バージョン", "Version";
    all_versions: "すべてのバージョンを表示", "Show all versions";
    upload_title: "新しいバージョンをアップロード", "Upload a new version";
    file: "ファイル", "File";
    upload: "アップロード", "Upload";
    uploaded: "アップロードしました。", "Uploaded.";
    back_to_knowledge: "ナレッジに戻る", "Back to knowledge";
    chat_title: "AI自動応答チャットボット", "AI chatbot";
    chat_button: "24時間対応！質問はこちらへ", "Questions? Ask any time";
    chat_fab: "チャットボットに質問する", "Ask the chatbot";
    chat_intro: "V-SYSの操作や手続きについて質問してください。ナレッジの記事からお答えします。", "Ask about V-SYS and its procedures. Answers come from the knowledge articles.";
    question: "質問", "Question";
    ask: "質問する", "Ask";
    chat_found: "ナレッジから見つかった回答です。", "From the knowledge articles:";
    chat_not_found: "申し訳ありません。確かな回答が見つかりませんでした。", "Sorry, no sure answer was found.";
    read_article: "記事を読む", "Read the article";
    related: "関連する記事", "Related articles";
    unresolved: "解決しない場合はこちらへ", "Not solved? Ask us";
    inquiry_form: "問い合わせフォーム", "Inquiry form";
    inquiries: "問い合わせ", "Inquiries";
    category: "問い合わせ種別", "Category";
    choose: "選択してください", "Choose";
    subject: "件名", "Subject";
    body: "問い合わせ内容", "Your question";
    attachment: "添付ファイル（PDF・PNG・JPEG、20 MBまで）", "Attachment (PDF, PNG, JPEG, up to 20 MB)";
    send: "送信", "Send";
    sent: "送信しました。回答はこの画面とメールでお知らせします。", "Sent. The answer will appear here and be mailed to you.";
    my_inquiries: "これまでの問い合わせ", "Your inquiries";
    no_inquiries: "問い合わせはまだありません。", "No inquiries yet.";
    number: "受付番号", "No.";
    status: "状況", "Status";
    received: "受付日時", "Received";
    follow_up: "追加で質問する", "Add a question";
    message: "メッセージ", "Message";
    desk: "サービスデスク", "Service desk";
    requester: "送信者", "From";
    age: "経過時間", "Waiting";
    hours: "時間", "h";
    assignee: "担当者", "Assignee";
    unassigned: "未割当", "Unassigned";
    assign: "担当者を変更", "Assign";
    note: "社内メモ（利用者には表示されません）", "Internal note (not shown to the user)";
    add_note: "メモを追加", "Add note";
    reply: "回答", "Answer";
    send_reply: "回答する", "Send answer";
    reply_close: "回答して完了にする", "Answer and complete";
    set_status: "状況を変更", "Change status";
    you: "あなた", "You";
    desk_name: "サービスデスク", "Service desk";
    unanswered: "チャットボットが回答できなかった質問", "Questions the chatbot could not answer";
    times: "回数", "Times";
    last_asked: "最終質問日時", "Last asked";
    manage_notices: "お知らせの作成・管理", "Write and manage notices";
    new_notice: "新しいお知らせ", "New notice";
    edit_notice: "お知らせの編集", "Edit the notice";
    notice_body: "本文（https:// で始まるアドレスはリンクになります）", "Text (addresses starting with https:// become links)";
    valid_from: "掲載開始日", "Shown from";
    valid_until: "掲載終了日", "Shown until";
    audience_roles: "対象", "Audience";
    audience_regions: "対象地域", "Regions";
    regions_hint: "選ばない場合は、管轄する地域すべてに掲載されます。", "None chosen: your whole area.";
    save_notice: "保存して掲載", "Save and publish";
    notice_saved: "お知らせを保存しました。", "The notice was saved.";
    own_notices: "作成したお知らせ", "Notices of your organisation";
    actions: "操作", "Actions";
    edit: "編集", "Edit";
    withdraw: "取り下げ", "Withdraw";
    withdraw_title: "このお知らせを取り下げますか？", "Withdraw this notice?";
    withdraw_detail: "取り下げたお知らせは、利用者に表示されなくなります。元に戻せません。", "A withdrawn notice is no longer shown. This cannot be undone.";
    withdrawn: "お知らせを取り下げました。", "The notice was withdrawn.";
    policy_title: "個人情報保護方針の改定", "Revise the privacy policy";
    current_version: "バージョン", "Version";
    policy_ja: "V-SYSにおける個人情報保護方針（日本語）", "Privacy policy (Japanese)";
    policy_en: "V-SYSにおける個人情報保護方針（英語）", "Privacy policy (English)";
    preview: "プレビュー", "Preview";
    changes: "現在の版からの変更点", "Changes from the current version";
    publish: "公開する", "Publish";
    publish_title: "新しい版を公開しますか？", "Publish the new version?";
    publish_note: "公開すると、すべての利用者が次回ログイン時に改めて同意を求められます。", "Once published, every user is asked to consent again at their next login.";
    published_version: "公開しました。バージョン", "Published: version";
}

/// The words in `lang`.
pub fn help_texts(lang: Lang) -> &'static HelpTexts {
    match lang {
        Lang::Ja => &JA,
        Lang::En => &EN,
    }
}

/// 記事タイプ.
pub fn kind_name(lang: Lang, kind: ArticleKind) -> &'static str {
    match (lang, kind) {
        (_, ArticleKind::Faq) => "FAQ",
        (Lang::Ja, ArticleKind::Manual) => "マニュアル",
        (Lang::Ja, ArticleKind::Video) => "動画マニュアル",
        (Lang::En, ArticleKind::Manual) => "Manual",
        (Lang::En, ArticleKind::Video) => "Video manual",
    }
}

/// 情報種類.
pub fn category_name(lang: Lang, category: ArticleCategory) -> &'static str {
    match (lang, category) {
        (Lang::Ja, ArticleCategory::Howto) => "操作方法",
        (Lang::Ja, ArticleCategory::Rules) => "制度・運用",
        (Lang::Ja, ArticleCategory::Trouble) => "トラブル対応",
        (Lang::En, ArticleCategory::Howto) => "How to",
        (Lang::En, ArticleCategory::Rules) => "Rules",
        (Lang::En, ArticleCategory::Trouble) => "Troubleshooting",
    }
}

/// 問い合わせ種別.
pub fn inquiry_category_name(lang: Lang, category: InquiryCategory) -> &'static str {
    match (lang, category) {
        (Lang::Ja, InquiryCategory::Login) => "ログイン・アカウント",
        (Lang::Ja, InquiryCategory::Site) => "医療機関・接種会場の情報",
        (Lang::Ja, InquiryCategory::Supply) => "希望量・分配・納入・在庫",
        (Lang::Ja, InquiryCategory::Records) => "接種実績",
        (Lang::Ja, InquiryCategory::Billing) => "請求",
        (Lang::Ja, InquiryCategory::Other) => "その他",
        (Lang::En, InquiryCategory::Login) => "Login and account",
        (Lang::En, InquiryCategory::Site) => "Site record",
        (Lang::En, InquiryCategory::Supply) => "Requests, allocation, delivery, stock",
        (Lang::En, InquiryCategory::Records) => "Vaccination records",
        (Lang::En, InquiryCategory::Billing) => "Billing",
        (Lang::En, InquiryCategory::Other) => "Other",
    }
}

/// 未対応, 対応中, 完了.
pub fn status_name(lang: Lang, status: InquiryStatus) -> &'static str {
    match (lang, status) {
        (Lang::Ja, InquiryStatus::Open) => "未対応",
        (Lang::Ja, InquiryStatus::InProgress) => "対応中",
        (Lang::Ja, InquiryStatus::Closed) => "完了",
        (Lang::En, InquiryStatus::Open) => "Open",
        (Lang::En, InquiryStatus::InProgress) => "In progress",
        (Lang::En, InquiryStatus::Closed) => "Completed",
    }
}

/// Who wrote a message, as its reader sees it.
pub fn message_label(lang: Lang, kind: MessageKind) -> &'static str {
    match (lang, kind) {
        (Lang::Ja, MessageKind::Question) => "質問",
        (Lang::Ja, MessageKind::Reply) => "回答",
        (Lang::Ja, MessageKind::Note) => "社内メモ",
        (Lang::En, MessageKind::Question) => "Question",
        (Lang::En, MessageKind::Reply) => "Answer",
        (Lang::En, MessageKind::Note) => "Internal note",
    }
}
