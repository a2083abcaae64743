//! 詳細のエクスポート → カンマ区切り形式（csv）: a report as a CSV file, built in the browser from
//! what the screen shows. RFC 4180 quoting and CRLF lines; UTF-8 with a BOM by default (Excel then
//! opens the Japanese intact), or Shift_JIS for older systems, where a character that has no
//! Shift_JIS code is an error naming its row and column rather than a silent `?`. A text cell that
//! a spreadsheet would read as a formula (`=`, `+`, `-`, `@`, tab, carriage return first) is
//! neutralised with a leading `'`; figures stay numbers.

use super::{Cell, Column, ReportRow};
use crate::i18n::Lang;
use encoding_rs::SHIFT_JIS;

/// The byte order mark that tells Excel the file is UTF-8.
pub const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// The file's character encoding.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum CsvEncoding {
    /// UTF-8 with a BOM.
    #[default]
    Utf8Bom,
    /// Shift_JIS (Windows' 日本語).
    ShiftJis,
}

/// A character Shift_JIS cannot hold, and where it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unmappable {
    /// The row: 0 for the header, then 1 for the first row as on screen.
    pub row: usize,
    /// The column's header.
    pub column: String,
    /// The character.
    pub character: char,
}

/// One field as written: a figure as it is, text neutralised and quoted where needed.
pub fn field(cell: &Cell) -> String {
    let mut out = String::new();
    push_field(&mut out, cell);
    out
}

/// Appends `cell` as written (see [`field`]).
fn push_field(out: &mut String, cell: &Cell) {
    match cell {
        Cell::Number(n) => {
            use std::fmt::Write;
            // Writing into a String cannot fail.
            let _ = write!(out, "{n}");
        }
        Cell::Text(text) => push_text(out, text),
    }
}

/// Appends a text field: neutralised against formulas (a leading `'`), then quoted (RFC 4180)
/// where it holds a comma, a quote or a line break.
fn push_text(out: &mut String, text: &str) {
    let formula = matches!(
        text.chars().next(),
        Some('=' | '+' | '-' | '@' | '\t' | '\r')
    );
    let quoted = text.contains([',', '"', '\r', '\n']);
    if quoted {
        out.push('"');
    }
    if formula {
        out.push('\'');
    }
    if quoted {
        out.push_str(&text.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(text);
    }
}

/// The report as CSV text: the header, then every row, each line ending in CRLF. Written into
/// one string without a string per field: 70,000 rows of 16 cells are a million fields.
pub fn to_text(lang: Lang, columns: &[Column], rows: &[ReportRow]) -> String {
    let mut out = String::with_capacity(96 * (rows.len() + 1));
    for (i, column) in columns.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        push_text(&mut out, column.label.get(lang));
    }
    out.push_str("\r\n");
    for row in rows {
        for (i, cell) in row.cells.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            push_field(&mut out, cell);
        }
        out.push_str("\r\n");
    }
    out
}

/// The report as the bytes of a CSV file in `encoding`.
pub fn to_bytes(
    lang: Lang,
    columns: &[Column],
    rows: &[ReportRow],
    encoding: CsvEncoding,
) -> Result<Vec<u8>, Unmappable> {
    let text = to_text(lang, columns, rows);
    match encoding {
        CsvEncoding::Utf8Bom => {
            let mut bytes = UTF8_BOM.to_vec();
            bytes.extend_from_slice(text.as_bytes());
            Ok(bytes)
        }
        CsvEncoding::ShiftJis => {
            let (bytes, _, unmappable) = SHIFT_JIS.encode(&text);
            if unmappable {
                return Err(first_unmappable(lang, columns, rows));
            }
            Ok(bytes.into_owned())
        }
    }
}

/// Where the first character without a Shift_JIS code is (only called once the whole text
/// failed, so the common case encodes once).
fn first_unmappable(lang: Lang, columns: &[Column], rows: &[ReportRow]) -> Unmappable {
    let fits = |c: char| !SHIFT_JIS.encode(c.encode_utf8(&mut [0; 4])).2;
    let header = columns.iter().map(|c| c.label.get(lang).to_string());
    let cells = rows.iter().map(|row| row.cells.iter().map(Cell::display));
    let lines =
        std::iter::once(header.collect::<Vec<_>>()).chain(cells.map(Iterator::collect::<Vec<_>>));
    for (row, line) in lines.enumerate() {
        for (index, text) in line.iter().enumerate() {
            if let Some(character) = text.chars().find(|c| !fits(*c)) {
                return Unmappable {
                    row,
                    column: columns
                        .get(index)
                        .map(|c| c.label.get(lang).to_string())
                        .unwrap_or_default(),
                    character,
                };
            }
        }
    }
    Unmappable {
        row: 0,
        column: String::new(),
        character: char::REPLACEMENT_CHARACTER,
    }
}

/// The file's name: `R308_医療機関・接種会場別接種実績累計_20211124.csv` (the day in JST).
pub fn file_name(code: &str, name: &str, day: &str) -> String {
    format!("{code}_{name}_{}.csv", day.replace('-', ""))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::reports::ReportCode;

    /// The rules written plainly, as the reference [`field`] must agree with: a text a spreadsheet would run as a formula, made inert with a leading `'`.
    fn neutralise(text: &str) -> String {
        match text.chars().next() {
            Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{text}"),
            _ => text.to_string(),
        }
    }

    /// RFC 4180: a field with a comma, a quote or a line break is quoted, its quotes doubled.
    fn quote(text: &str) -> String {
        if text.contains([',', '"', '\r', '\n']) {
            format!("\"{}\"", text.replace('"', "\"\""))
        } else {
            text.to_string()
        }
    }

    fn row(cells: Vec<Cell>) -> ReportRow {
        ReportRow {
            key: String::new(),
            cells,
        }
    }

    fn text(value: &str) -> Cell {
        Cell::Text(value.into())
    }

    #[test]
    fn fields_with_commas_quotes_or_line_breaks_are_quoted_with_quotes_doubled() {
        assert_eq!(quote("A病院"), "A病院");
        assert_eq!(quote("A,B"), "\"A,B\"");
        assert_eq!(quote("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(quote("two\r\nlines"), "\"two\r\nlines\"");
    }

    #[test]
    fn text_that_a_spreadsheet_would_run_is_neutralised_but_figures_stay_numbers() {
        for formula in ["=1+1", "+81", "-2", "@SUM(A1)", "\tx", "\rx"] {
            assert!(
                field(&text(formula))
                    .trim_start_matches('"')
                    .starts_with('\''),
                "{formula:?}"
            );
        }
        assert_eq!(
            field(&text("=HYPERLINK(\"x\")")),
            "\"'=HYPERLINK(\"\"x\"\")\""
        );
        assert_eq!(field(&Cell::Number(-5)), "-5");
        assert_eq!(field(&text("A病院")), "A病院");
        for text in ["=1,2", "-\"x\"", "a,b", "plain", "@"] {
            assert_eq!(
                field(&Cell::Text(text.into())),
                quote(&neutralise(text)),
                "{text:?}"
            );
        }
    }

    #[test]
    fn utf8_starts_with_the_bom_and_lines_end_in_crlf() {
        let columns = ReportCode::R201.columns();
        let rows = [row(vec![
            text("第1クール"),
            text("東京都"),
            text("千代田区"),
            Cell::Number(3),
            Cell::Number(2),
            Cell::Number(2),
            Cell::Number(390),
        ])];
        let bytes = to_bytes(Lang::Ja, columns, &rows, CsvEncoding::Utf8Bom).unwrap();
        assert!(bytes.starts_with(UTF8_BOM));
        let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
        assert_eq!(
            text,
            "クール,都道府県,市区町村,希望量（箱）,分配量（箱）,医療機関への分配量（箱）,納入済（バイアル）\r\n第1クール,東京都,千代田区,3,2,2,390\r\n"
        );
    }

    #[test]
    fn shift_jis_encodes_japanese_and_has_no_bom() {
        let columns = ReportCode::R201.columns();
        let bytes = to_bytes(Lang::Ja, columns, &[], CsvEncoding::ShiftJis).unwrap();
        assert!(!bytes.starts_with(UTF8_BOM));
        let (decoded, _, errors) = SHIFT_JIS.decode(&bytes);
        assert!(!errors);
        assert!(decoded.starts_with("クール,都道府県,"));
        // ク is 0x83 0x4E in Shift_JIS.
        assert_eq!(&bytes[..2], &[0x83, 0x4E]);
    }

    #[test]
    fn a_character_shift_jis_cannot_hold_names_its_row_and_column() {
        let columns = ReportCode::R201.columns();
        let rows = [
            row(vec![text("第1クール"), text("東京都"), text("千代田区")]),
            row(vec![text("第1クール"), text("東京都"), text("𠮷野町")]),
        ];
        let error = to_bytes(Lang::Ja, columns, &rows, CsvEncoding::ShiftJis).unwrap_err();
        assert_eq!(
            error,
            Unmappable {
                row: 2,
                column: "市区町村".into(),
                character: '𠮷',
            }
        );
        assert!(to_bytes(Lang::Ja, columns, &rows, CsvEncoding::Utf8Bom).is_ok());
    }

    #[test]
    fn the_file_is_named_by_code_name_and_day() {
        assert_eq!(
            file_name("R308", "医療機関・接種会場別接種実績累計", "2021-11-24"),
            "R308_医療機関・接種会場別接種実績累計_20211124.csv"
        );
    }
}
