//! The fleet and its crews: depots, vehicles and how they travel, mediators, and the
//! labour and driving rules that bind them.

use super::*;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::calendar::{TimeOfDay, Weekday};
use crate::geo::LonLat;
use crate::units::Seconds;

/// Labour-law ceilings that no contract may exceed (Code du travail: 10 h a day,
/// 48 h a week, 11 h of daily rest).
pub const LEGAL_MAX_HOURS_PER_DAY: f64 = 10.0;
pub const LEGAL_MAX_HOURS_PER_WEEK: f64 = 48.0;
pub const LEGAL_MIN_DAILY_REST_HOURS: f64 = 11.0;

/// How a vehicle travels between stops, and so how residents come to its stops.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum TravelMode {
    /// A bus or van on the car graph; residents drive to its stops.
    #[default]
    Car,
    /// A cargo bike (triporteur) on the bike graph; residents walk to its stops.
    CargoBike,
}

impl TravelMode {
    pub fn is_car(&self) -> bool {
        *self == TravelMode::Car
    }

    /// English name, as written in scenarios and plans.
    pub fn as_str(&self) -> &'static str {
        match self {
            TravelMode::Car => "car",
            TravelMode::CargoBike => "cargo_bike",
        }
    }
}

/// Cruising speed of a cargo bike when its scenario does not say, km/h.
pub const DEFAULT_BIKE_KMH: f64 = 15.0;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Depot {
    pub id: String,
    pub name: String,
    pub lon: f64,
    pub lat: f64,
}

impl Depot {
    pub fn location(&self) -> LonLat {
        LonLat::new(self.lon, self.lat)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Vehicle {
    pub id: String,
    pub name: String,
    /// Depot id the vehicle leaves from and returns to every day.
    pub depot: String,
    /// Mediators needed aboard (safety, reception and help).
    #[serde(default = "two")]
    pub crew_size: u32,
    /// Days the vehicle runs; defaults to the scenario's days.
    #[serde(default)]
    pub days: Option<Vec<Weekday>>,
    #[serde(default = "default_departure")]
    pub earliest_departure: TimeOfDay,
    #[serde(default = "default_return")]
    pub latest_return: TimeOfDay,
    /// Maintenance and other days off the road.
    #[serde(default, deserialize_with = "crate::calendar::date::deserialize_vec")]
    pub unavailable: Vec<NaiveDate>,
    /// Gross vehicle weight in tonnes. Over 3.5 t, the crew needs a driver holding a
    /// C1 (up to 7.5 t) or C licence, and EU driving-time rules apply. Default: a
    /// light vehicle (licence B).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gross_weight_tonnes: Option<f64>,
    /// `car` (default) or `cargo_bike`.
    #[serde(default, skip_serializing_if = "TravelMode::is_car")]
    pub mode: TravelMode,
    /// A cargo bike's cruising speed on a good surface, km/h (default 15; every
    /// cargo bike of a scenario rides at the same speed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub speed_kmh: Option<f64>,
    /// The communes a cargo bike serves (place names or INSEE codes): their sites are
    /// its stops, and only its (a bus does not stop there).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub communes: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mediator {
    pub id: String,
    pub name: String,
    /// Depot id the mediator starts from; they crew vehicles of that depot.
    pub base: String,
    /// Days the mediator works; defaults to the scenario's days.
    #[serde(default)]
    pub days: Option<Vec<Weekday>>,
    #[serde(default = "ten_f64")]
    pub max_hours_per_day: f64,
    #[serde(default = "thirty_five_f64")]
    pub max_hours_per_week: f64,
    /// Leave, training and other days away.
    #[serde(default, deserialize_with = "crate::calendar::date::deserialize_vec")]
    pub leave: Vec<NaiveDate>,
    /// Driving licences held (`B`, `C1`, `C`…). Default `["B"]`; `[]` for a
    /// mediator who does not drive.
    #[serde(default = "licence_b")]
    pub licences: Vec<String>,
}

/// Driving licences a mediator may hold.
pub const LICENCES: [&str; 10] = ["B", "BE", "C1", "C1E", "C", "CE", "D1", "D1E", "D", "DE"];
/// EU driving-time rules for vehicles over 3.5 t (Regulation (EC) 561/2006): at
/// most 9 h of driving a day, and a 45-minute break after 4 h 30 of driving.
pub const MAX_DRIVING_PER_DAY: Seconds = Seconds(9 * 3600);
pub const MAX_DRIVING_WITHOUT_BREAK: Seconds = Seconds(4 * 3600 + 30 * 60);

fn licence_b() -> Vec<String> {
    vec!["B".into()]
}

impl Vehicle {
    /// Over 3.5 t: a heavy-goods licence and EU driving-time rules.
    pub fn is_heavy(&self) -> bool {
        self.gross_weight_tonnes.is_some_and(|t| t > 3.5)
    }

    /// A cargo bike's cruising speed, km/h.
    pub fn bike_kmh(&self) -> f64 {
        self.speed_kmh.unwrap_or(DEFAULT_BIKE_KMH)
    }

    /// The licence the vehicle's driver needs (none for a cargo bike).
    pub fn licence_needed(&self) -> &'static str {
        if self.mode == TravelMode::CargoBike {
            return "aucun";
        }
        match self.gross_weight_tonnes {
            Some(t) if t > 7.5 => "C",
            Some(t) if t > 3.5 => "C1",
            _ => "B",
        }
    }

    /// EU driving-time rules on a day's legs (driving between stops, which last a
    /// slot and so give the 45-minute break) shared by `drivers` crew members who
    /// may drive the vehicle: each driver at most 9 h in the day, the wheel
    /// changing hands only at a stop (consecutive legs per driver), and no leg over
    /// 4 h 30. `Err` says which one is broken. Light vehicles are not concerned.
    pub fn driving_rules(&self, legs: &[Seconds], drivers: usize) -> Result<(), String> {
        if !self.is_heavy() {
            return Ok(());
        }
        if let Some(l) = legs.iter().find(|l| l.0 > MAX_DRIVING_WITHOUT_BREAK.0) {
            return Err(tournee_i18n::tr!(
                "fleet-driving-without-break",
                hours = tournee_i18n::decimal(l.0 as f64 / 3600.0, 2)
            ));
        }
        // Drivers needed: each takes the next legs while they fit in 9 h (the
        // fewest for legs driven in order).
        let (mut needed, mut current) = (0usize, u32::MAX);
        for l in legs {
            if current.saturating_add(l.0) > MAX_DRIVING_PER_DAY.0 {
                needed += 1;
                current = 0;
            }
            current += l.0;
        }
        if needed > drivers.max(1) {
            let total: u32 = legs.iter().map(|l| l.0).sum();
            return Err(tournee_i18n::tr!(
                "fleet-driving-per-day",
                hours = tournee_i18n::decimal(total as f64 / 3600.0, 2),
                drivers = drivers.max(1),
                needed = needed
            ));
        }
        Ok(())
    }
}

impl Mediator {
    /// Whether the mediator may drive `v` (a C licence covers C1, and both cover B).
    pub fn can_drive(&self, v: &Vehicle) -> bool {
        if v.mode == TravelMode::CargoBike {
            // Anyone rides a cargo bike.
            return true;
        }
        let covers: &[&str] = match v.licence_needed() {
            "C" => &["C", "CE"],
            "C1" => &["C1", "C1E", "C", "CE"],
            _ => &LICENCES,
        };
        self.licences.iter().any(|l| covers.contains(&l.as_str()))
    }
}

impl Vehicle {
    pub fn runs_on(&self, scenario: &Scenario, weekday: Weekday) -> bool {
        self.days
            .as_ref()
            .unwrap_or(&scenario.days)
            .contains(&weekday)
    }
}

impl Mediator {
    /// Whether the mediator may crew a bus on `weekday`: a day they work
    /// ([`Mediator::works_on_weekday`]) that is not one of their home-visit days
    /// (`[[home_visits]]`). Every bus module and the checker ask this.
    pub fn works_on(&self, scenario: &Scenario, weekday: Weekday) -> bool {
        self.works_on_weekday(scenario, weekday)
            && !scenario
                .home_visits
                .iter()
                .any(|h| h.mediator == self.id && h.days.contains(&weekday))
    }

    /// Whether `weekday` is one of the mediator's working days (bus or home visits).
    pub fn works_on_weekday(&self, scenario: &Scenario, weekday: Weekday) -> bool {
        self.days
            .as_ref()
            .unwrap_or(&scenario.days)
            .contains(&weekday)
    }
}
