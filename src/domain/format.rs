//! How numbers, money and percentages read to a person: one place, so the
//! register, dashboard, health explanations and exports agree.

/// A whole amount with thousands separators: `1234567.6` → `"1,234,568"`.
pub fn amount(value: f64) -> String {
    if !value.is_finite() {
        return "—".into();
    }
    let rounded = value.round();
    let negative = rounded < 0.0;
    let digits = format!("{:.0}", rounded.abs());
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if negative && out != "0" {
        out.insert(0, '-');
    }
    out
}

/// Money with its currency code: `"EUR 1,250,000"`.
pub fn money(value: f64, currency: &str) -> String {
    if currency.is_empty() {
        amount(value)
    } else {
        format!("{currency} {}", amount(value))
    }
}

/// Money shortened for tiles: `"EUR 12.4M"`, `"EUR 850k"`.
pub fn money_short(value: f64, currency: &str) -> String {
    let abs = value.abs();
    let text = if abs >= 1e9 {
        format!("{:.1}bn", value / 1e9)
    } else if abs >= 1e6 {
        format!("{:.1}M", value / 1e6)
    } else if abs >= 1e4 {
        format!("{:.0}k", value / 1e3)
    } else {
        amount(value)
    };
    if currency.is_empty() {
        text
    } else {
        format!("{currency} {text}")
    }
}

/// A signed amount for variances: `"+1,200"`, `"-300"`, `"0"`.
pub fn signed_amount(value: f64) -> String {
    let text = amount(value);
    if value.round() > 0.0 {
        format!("+{text}")
    } else {
        text
    }
}

/// A percentage with at most one decimal: `12.5` → `"12.5%"`, `40.0` → `"40%"`.
pub fn percent(value: f64) -> String {
    format!("{}%", trim_number(value, 1))
}

/// A number for an input field or CSV: shortest plain form, no separators.
pub fn plain_number(value: f64) -> String {
    trim_number(value, 2)
}

fn trim_number(value: f64, decimals: usize) -> String {
    if !value.is_finite() {
        return String::new();
    }
    let s = format!("{value:.decimals$}");
    let s = if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    };
    if s == "-0" {
        "0".into()
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_group_thousands_and_round() {
        assert_eq!(amount(0.0), "0");
        assert_eq!(amount(999.4), "999");
        assert_eq!(amount(1000.0), "1,000");
        assert_eq!(amount(1_234_567.6), "1,234,568");
        assert_eq!(amount(-45_000.0), "-45,000");
        assert_eq!(amount(-0.2), "0");
        assert_eq!(money(1_250_000.0, "EUR"), "EUR 1,250,000");
        assert_eq!(money(5.0, ""), "5");
    }

    #[test]
    fn short_money_and_percentages() {
        assert_eq!(money_short(12_400_000.0, "EUR"), "EUR 12.4M");
        assert_eq!(money_short(850_000.0, "USD"), "USD 850k");
        assert_eq!(money_short(2_500.0, "USD"), "USD 2,500");
        assert_eq!(money_short(3.2e9, ""), "3.2bn");
        assert_eq!(percent(12.5), "12.5%");
        assert_eq!(percent(40.0), "40%");
        assert_eq!(percent(-3.04), "-3%");
        assert_eq!(signed_amount(1200.0), "+1,200");
        assert_eq!(signed_amount(-300.0), "-300");
        assert_eq!(plain_number(1500.0), "1500");
        assert_eq!(plain_number(0.126), "0.13");
        assert_eq!(plain_number(-0.001), "0");
    }
}
