//! French wording shared by the outputs read by people: dates as residents write
//! them ("mardi 5 janvier") and hours ("9 h 30").

use chrono::{Datelike, NaiveDate};
use tournee_model::{TimeOfDay, Visit, Weekday};

const MONTHS: [&str; 12] = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
];

/// "mardi 5 janvier".
pub fn date(d: NaiveDate) -> String {
    format!(
        "{} {} {}",
        Weekday::from_chrono(d.weekday()).french(),
        d.day(),
        MONTHS[d.month0() as usize]
    )
}

/// "mardi 5 janvier 2027".
pub fn date_with_year(d: NaiveDate) -> String {
    format!("{} {}", date(d), d.year())
}

/// "9 h 30", "14 h".
pub fn hour(t: TimeOfDay) -> String {
    let (h, m) = (t.0 / 3600, t.0 / 60 % 60);
    if m == 0 {
        format!("{h} h")
    } else {
        format!("{h} h {m:02}")
    }
}

/// "9 h 30 – 12 h".
pub fn hours(start: TimeOfDay, end: TimeOfDay) -> String {
    format!("{} – {}", hour(start), hour(end))
}

/// "Place de la Halle (place du marché)", or the name alone when it already says
/// what kind of site it is ("Place du marché").
pub fn site_with_kind(v: &Visit) -> String {
    let kind = v.site_kind.french();
    if v.site_name.to_lowercase().contains(kind) {
        v.site_name.clone()
    } else {
        format!("{} ({kind})", v.site_name)
    }
}

/// A reach share below 1 as a percentage ("50 %"), `None` for a full share.
pub fn share(share: f64) -> Option<String> {
    (share < 1.0).then(|| format!("{:.0} %", share * 100.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_hours_read_as_in_french() {
        let d = NaiveDate::from_ymd_opt(2027, 1, 4).unwrap();
        assert_eq!(date(d), "lundi 4 janvier");
        assert_eq!(date_with_year(d), "lundi 4 janvier 2027");
        assert_eq!(hour(TimeOfDay::hm(9, 5)), "9 h 05");
        assert_eq!(hour(TimeOfDay::hm(14, 0)), "14 h");
        assert_eq!(
            hours(TimeOfDay::hm(9, 30), TimeOfDay::hm(12, 0)),
            "9 h 30 – 12 h"
        );
    }
}
