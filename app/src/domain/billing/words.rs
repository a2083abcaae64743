//! An amount in words as a paper invoice writes it: 大字 (壱, 弐, 参, 拾), which cannot be
//! changed into another figure with one stroke, between 金 and 円也.

const DIGITS: [&str; 10] = ["", "壱", "弐", "参", "四", "伍", "六", "七", "八", "九"];
const SMALL_UNITS: [&str; 4] = ["", "拾", "百", "千"];
const LARGE_UNITS: [&str; 4] = ["", "万", "億", "兆"];

/// `123456` → `金壱拾弐万参千四百伍拾六円也`; zero is `金零円也`. Every digit is written, 壱 too
/// (壱拾, not 拾), as on a cheque.
pub fn yen_in_words(amount: i64) -> String {
    let mut text = String::from("金");
    if amount < 0 {
        text.push_str("マイナス");
    }
    let mut rest = amount.unsigned_abs();
    if rest == 0 {
        text.push_str("零円也");
        return text;
    }
    let mut groups = Vec::new();
    while rest > 0 {
        groups.push(rest % 10_000);
        rest /= 10_000;
    }
    for (index, group) in groups.iter().enumerate().rev() {
        if *group == 0 {
            continue;
        }
        let mut value = *group;
        let mut digits = [0u64; 4];
        for digit in &mut digits {
            *digit = value % 10;
            value /= 10;
        }
        for (place, digit) in digits.iter().enumerate().rev() {
            if *digit > 0 {
                text.push_str(DIGITS[*digit as usize]);
                text.push_str(SMALL_UNITS[place]);
            }
        }
        text.push_str(LARGE_UNITS.get(index).copied().unwrap_or("京"));
    }
    text.push_str("円也");
    text
}
