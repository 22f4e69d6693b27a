//! Days of the week, dates and times of day, as a coordinator writes them: days as
//! `mardi`, `mar`, `tue` or `Tuesday`; dates as `2027-05-06` or `06/05/2027`; times
//! as `09:30` or `9h30`. Times of day are whole seconds after local midnight
//! (Europe/Paris by default); a tour never crosses midnight. Written back, days are
//! `tue`, dates ISO and times `09:30`.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::ops::{Add, Sub};
use std::str::FromStr;

use crate::units::Seconds;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Weekday {
    Mon,
    Tue,
    Wed,
    Thu,
    Fri,
    Sat,
    Sun,
}

impl Weekday {
    pub const ALL: [Weekday; 7] = [
        Weekday::Mon,
        Weekday::Tue,
        Weekday::Wed,
        Weekday::Thu,
        Weekday::Fri,
        Weekday::Sat,
        Weekday::Sun,
    ];

    /// 0 for Monday … 6 for Sunday.
    pub fn index(self) -> u32 {
        self as u32
    }

    pub fn from_chrono(w: chrono::Weekday) -> Weekday {
        Weekday::ALL[w.num_days_from_monday() as usize]
    }

    pub fn to_chrono(self) -> chrono::Weekday {
        match self {
            Weekday::Mon => chrono::Weekday::Mon,
            Weekday::Tue => chrono::Weekday::Tue,
            Weekday::Wed => chrono::Weekday::Wed,
            Weekday::Thu => chrono::Weekday::Thu,
            Weekday::Fri => chrono::Weekday::Fri,
            Weekday::Sat => chrono::Weekday::Sat,
            Weekday::Sun => chrono::Weekday::Sun,
        }
    }

    /// The French name, as printed for residents ("mardi").
    pub fn french(self) -> &'static str {
        [
            "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche",
        ][self as usize]
    }

    /// The name in the user's language ("mardi", "Tuesday").
    pub fn name(self) -> String {
        tournee_i18n::message(
            [
                "weekday-mon",
                "weekday-tue",
                "weekday-wed",
                "weekday-thu",
                "weekday-fri",
                "weekday-sat",
                "weekday-sun",
            ][self as usize],
            &[],
        )
    }

    /// The iCalendar BYDAY code ("TU").
    pub fn ical(self) -> &'static str {
        ["MO", "TU", "WE", "TH", "FR", "SA", "SU"][self as usize]
    }
}

impl FromStr for Weekday {
    type Err = String;
    /// French or English, any case: `mardi`, `mar`, `tue`, `Tuesday`.
    fn from_str(s: &str) -> Result<Weekday, String> {
        const NAMES: [[&str; 4]; 7] = [
            ["lundi", "lun", "mon", "monday"],
            ["mardi", "mar", "tue", "tuesday"],
            ["mercredi", "mer", "wed", "wednesday"],
            ["jeudi", "jeu", "thu", "thursday"],
            ["vendredi", "ven", "fri", "friday"],
            ["samedi", "sam", "sat", "saturday"],
            ["dimanche", "dim", "sun", "sunday"],
        ];
        let w = s.trim().trim_end_matches('.').to_lowercase();
        NAMES
            .iter()
            .position(|names| names.contains(&w.as_str()))
            .map(|i| Weekday::ALL[i])
            .ok_or_else(|| tournee_i18n::tr!("calendar-bad-weekday", value = s))
    }
}

impl<'de> Deserialize<'de> for Weekday {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// Dates as a coordinator writes them: ISO (`2027-05-06`) or French (`06/05/2027`,
/// `6/5/2027`), for `#[serde(deserialize_with = …)]` on date fields.
pub mod date {
    use chrono::NaiveDate;
    use serde::{Deserialize, Deserializer};

    /// `2027-05-06`, `06/05/2027` or `6/5/2027`; an error says which forms are
    /// expected.
    pub fn parse(s: &str) -> Result<NaiveDate, String> {
        let t = s.trim();
        let bad = || tournee_i18n::tr!("calendar-bad-date", value = s);
        let nums = |parts: Vec<&str>| -> Option<Vec<u32>> {
            parts
                .iter()
                .map(|p| {
                    (!p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
                        .then(|| p.parse().ok())
                        .flatten()
                })
                .collect()
        };
        let (y, m, d) = if t.contains('/') {
            match nums(t.split('/').collect()).as_deref() {
                Some(&[d, m, y]) if y >= 1000 => (y, m, d),
                _ => return Err(bad()),
            }
        } else {
            match nums(t.split('-').collect()).as_deref() {
                Some(&[y, m, d]) if y >= 1000 => (y, m, d),
                _ => return Err(bad()),
            }
        };
        NaiveDate::from_ymd_opt(y as i32, m, d)
            .ok_or_else(|| tournee_i18n::tr!("calendar-no-such-date", value = s))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveDate, D::Error> {
        let s = String::deserialize(d)?;
        parse(&s).map_err(serde::de::Error::custom)
    }

    /// A list of dates.
    pub fn deserialize_vec<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<NaiveDate>, D::Error> {
        let v = Vec::<String>::deserialize(d)?;
        v.iter()
            .map(|s| parse(s).map_err(serde::de::Error::custom))
            .collect()
    }
}

impl fmt::Display for Weekday {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(["mon", "tue", "wed", "thu", "fri", "sat", "sun"][*self as usize])
    }
}

/// A time of day, in seconds after midnight. Written `HH:MM` (or `HH:MM:SS` when it
/// has seconds).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct TimeOfDay(pub u32);

impl TimeOfDay {
    pub const MIDNIGHT: TimeOfDay = TimeOfDay(0);
    pub const END_OF_DAY: TimeOfDay = TimeOfDay(24 * 3600);

    pub fn hm(h: u32, m: u32) -> TimeOfDay {
        TimeOfDay(h * 3600 + m * 60)
    }
    pub fn seconds(self) -> u32 {
        self.0
    }
    pub fn to_naive_time(self) -> chrono::NaiveTime {
        chrono::NaiveTime::from_num_seconds_from_midnight_opt(self.0.min(86_399), 0)
            .expect("seconds below 86400 are a valid time")
    }
    /// `b - a`, or `None` when `b` is before `a`.
    pub fn span_to(self, later: TimeOfDay) -> Option<Seconds> {
        later.0.checked_sub(self.0).map(Seconds)
    }
}

impl Add<Seconds> for TimeOfDay {
    type Output = TimeOfDay;
    fn add(self, s: Seconds) -> TimeOfDay {
        TimeOfDay(self.0 + s.0)
    }
}

impl Sub<Seconds> for TimeOfDay {
    type Output = TimeOfDay;
    fn sub(self, s: Seconds) -> TimeOfDay {
        TimeOfDay(self.0.saturating_sub(s.0))
    }
}

impl fmt::Display for TimeOfDay {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (h, m, s) = (self.0 / 3600, self.0 / 60 % 60, self.0 % 60);
        if s == 0 {
            write!(f, "{h:02}:{m:02}")
        } else {
            write!(f, "{h:02}:{m:02}:{s:02}")
        }
    }
}

impl FromStr for TimeOfDay {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || tournee_i18n::tr!("calendar-bad-time", value = s);
        // French users write 9h30 and 9h as often as 09:30.
        let lower = s.trim().to_lowercase();
        let norm = match lower.split_once('h') {
            Some((h, "")) => format!("{h}:00"),
            Some((h, m)) => format!("{h}:{m}"),
            None => lower,
        };
        let parts: Vec<&str> = norm.split(':').collect();
        if !(2..=3).contains(&parts.len()) {
            return Err(bad());
        }
        let num = |p: &str, max: u32| -> Result<u32, String> {
            if p.is_empty() || p.len() > 2 || !p.bytes().all(|b| b.is_ascii_digit()) {
                return Err(bad());
            }
            let v: u32 = p.parse().map_err(|_| bad())?;
            if v > max {
                return Err(bad());
            }
            Ok(v)
        };
        let h = num(parts[0], 24)?;
        let m = num(parts[1], 59)?;
        let sec = if parts.len() == 3 {
            num(parts[2], 59)?
        } else {
            0
        };
        let t = h * 3600 + m * 60 + sec;
        if t > 24 * 3600 {
            return Err(bad());
        }
        Ok(TimeOfDay(t))
    }
}

impl Serialize for TimeOfDay {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for TimeOfDay {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn weekdays_in_french_and_english() {
        for s in [
            "mardi", "Mardi", "mar", "tue", "Tue", "TUESDAY", "tuesday", "mar.",
        ] {
            assert_eq!(s.parse::<Weekday>(), Ok(Weekday::Tue), "{s}");
        }
        assert_eq!("dimanche".parse::<Weekday>(), Ok(Weekday::Sun));
        let e = tournee_i18n::with_lang(tournee_i18n::Lang::Fr, || {
            "mardy".parse::<Weekday>().unwrap_err()
        });
        assert!(
            e.contains("`mardy`") && e.contains("lundi") && e.contains("mon"),
            "{e}"
        );
        // Written back as before.
        assert_eq!(serde_json::to_string(&Weekday::Tue).unwrap(), "\"tue\"");
    }

    #[test]
    fn dates_in_french_and_iso_forms() {
        let may6 = chrono::NaiveDate::from_ymd_opt(2027, 5, 6).unwrap();
        for s in ["2027-05-06", "06/05/2027", "6/5/2027", " 06/05/2027 "] {
            assert_eq!(date::parse(s), Ok(may6), "{s}");
        }
        let fr = |s: &str| {
            tournee_i18n::with_lang(tournee_i18n::Lang::Fr, || date::parse(s).unwrap_err())
        };
        let e = fr("05-06-2027");
        assert!(e.contains("06/05/2027") && e.contains("2027-05-06"), "{e}");
        assert!(fr("31/02/2027").contains("n'existe pas"));
        assert!(fr("2027/05/06").contains("jour/mois/année"));
        assert!(fr("06/05/27").contains("jour/mois/année"));
    }

    #[test]
    fn parses_and_prints_times() {
        assert_eq!("09:30".parse::<TimeOfDay>().unwrap(), TimeOfDay::hm(9, 30));
        assert_eq!(TimeOfDay(9 * 3600 + 30 * 60 + 5).to_string(), "09:30:05");
        assert_eq!("9h30".parse::<TimeOfDay>().unwrap(), TimeOfDay::hm(9, 30));
        assert_eq!("14h".parse::<TimeOfDay>().unwrap(), TimeOfDay::hm(14, 0));
        assert!("9h3h".parse::<TimeOfDay>().is_err());
        assert!("h30".parse::<TimeOfDay>().is_err());
        assert!("25:00".parse::<TimeOfDay>().is_err());
        assert!("12:60".parse::<TimeOfDay>().is_err());
    }

    proptest! {
        #[test]
        fn time_of_day_round_trips(t in 0u32..=86_400) {
            let tod = TimeOfDay(t);
            prop_assert_eq!(tod.to_string().parse::<TimeOfDay>().unwrap(), tod);
        }
    }

    #[test]
    fn weekday_matches_chrono() {
        for w in Weekday::ALL {
            assert_eq!(Weekday::from_chrono(w.to_chrono()), w);
        }
    }
}
