//! The coordinator's rules on the plan as a whole (`[rules]`) and on single sites
//! (`[[site]] max_visits`, sites added by coordinates): one definition here, read by
//! the optimiser (which keeps them) and by the checker (which verifies them).
//!
//! - `[[site]] max_visits = n`: at most `n` visits of that site in the cycle;
//! - `[[site]]` with `lat`, `lon` and a `name`: a site the coordinator adds (a spot
//!   not in OSM), kind `parking` unless `kind` says, in the `commune` given or else
//!   the nearest commune seat's ([`crate::commune`]'s rule); its OSM reference is a
//!   stable negative node id derived from the name ([`added_site_ref`]);
//! - `rules.every_commune_every_weeks = k`: every commune with population (the
//!   commune of [`crate::commune::place_communes`] of the places counted) gets a
//!   stop at a site in it at least once in every run of `k` weeks (around the
//!   cycle, as promises count weeks: [`crate::promise::Frequency::EveryWeeks`]);
//!   the optimiser treats it as a promise to every commune that has none; a commune
//!   it cannot serve is declared in `Plan::unplaced` with a reason starting
//!   [`RULE_NOT_KEPT`];
//! - `rules.use_every_vehicle_day = true`: every vehicle-day that can run (vehicle
//!   in service, not a day off, not in maintenance) has at least one visit, or a
//!   stated reason in `Plan::unplaced` starting [`DAY_NOT_USED`] (no crew, no
//!   site fits, every site at its cap: "nothing useful to do" is no reason then).

use serde::{Deserialize, Serialize};

use crate::geo::LonLat;
use crate::ids::{OsmRef, SiteId};
use crate::promise::{Frequency, Promise};
use crate::publication::SiteEntry;
use crate::scenario::{CycleDay, Scenario};
use crate::site::{Place, Site, SiteKind};

/// Why a vehicle-day that could run stays at the depot when nothing is worth
/// doing: not a reason the rule `use_every_vehicle_day` accepts.
pub const IDLE_REASON: &str =
    "aucun arrêt possible n'ajoute de population atteinte ce jour : véhicule et équipage laissés libres";

/// How the reason of a vehicle-day left unused starts under the rule
/// `use_every_vehicle_day`: the checker accepts no other reason for a day that
/// can run (not a day off, not in maintenance) and has no visit.
pub const DAY_NOT_USED: &str = "règle « chaque jour de véhicule utilisé »";

/// How every `Plan::unplaced` reason for a scenario rule not kept starts; the
/// checker accepts a broken `every_commune_every_weeks` only when declared so.
pub const RULE_NOT_KEPT: &str = "règle non tenue";

/// `[rules]`: what the coordinator requires of the plan as a whole.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rules {
    /// Every commune with population gets a visit at least once in every run of
    /// this many weeks (around the cycle).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub every_commune_every_weeks: Option<u32>,
    /// Every vehicle-day that can run has at least one visit, or says why not.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub use_every_vehicle_day: bool,
}

impl Rules {
    pub fn is_default(&self) -> bool {
        *self == Rules::default()
    }
}

/// The OSM reference of a site added by coordinates: a negative node id (never an
/// OSM object's), the same for the same name in every run (FNV-1a of the name).
pub fn added_site_ref(name: &str) -> OsmRef {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in name.trim().as_bytes() {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    OsmRef::node(-((h >> 11) as i64) - 1)
}

impl SiteEntry {
    /// Whether the entry adds a site by coordinates (`lat` and `lon`).
    pub fn is_added(&self) -> bool {
        self.lat.is_some() || self.lon.is_some()
    }
}

impl Scenario {
    /// The sites the coordinator adds by coordinates, their commune found among
    /// `places` when the entry does not give it.
    pub fn added_sites(&self, places: &[Place]) -> Vec<Site> {
        self.site_entries
            .iter()
            .filter(|e| e.is_added())
            .filter_map(|e| {
                let (lat, lon, name) = (e.lat?, e.lon?, e.name.as_deref()?.trim());
                let location = LonLat::new(lon, lat);
                let commune = e
                    .commune
                    .clone()
                    .or_else(|| crate::commune::commune_at(places, location))
                    .unwrap_or_else(|| name.to_string());
                Some(Site {
                    id: SiteId(0),
                    osm: added_site_ref(name),
                    kind: e.kind.unwrap_or(SiteKind::Parking),
                    name: name.to_string(),
                    location,
                    commune,
                    opening_hours: None,
                    reason: "[[site]] lat/lon".into(),
                })
            })
            .collect()
    }

    /// The most visits `site` may have in the cycle (`[[site]] max_visits`, the
    /// smallest when several entries are about it); `None`: no cap.
    pub fn max_visits_of(&self, site: &Site) -> Option<u32> {
        self.site_entries
            .iter()
            .filter(|e| e.is_about(site))
            .filter_map(|e| e.max_visits)
            .min()
    }

    /// The vehicle-days that can run: the vehicle works that weekday, it is not a
    /// day off, the vehicle is not in maintenance. (Crews are the plan's to find.)
    pub fn vehicle_days(&self) -> Vec<(usize, CycleDay)> {
        let mut out = Vec::new();
        for day in self.cycle_days() {
            for (vi, v) in self.vehicles.iter().enumerate() {
                if v.runs_on(self, day.weekday)
                    && !self.is_day_off(day.date)
                    && !v.unavailable.contains(&day.date)
                {
                    out.push((vi, day));
                }
            }
        }
        out
    }

    /// The promise `every_commune_every_weeks` makes to `commune`.
    pub fn rule_promise(&self, commune: &str) -> Option<Promise> {
        let k = self.rules.every_commune_every_weeks?;
        let frequency = match k {
            1 => Frequency::Weekly,
            2 => Frequency::Fortnightly,
            4 => Frequency::Monthly,
            5 => Frequency::Every5Weeks,
            k => Frequency::EveryWeeks(k),
        };
        Some(Promise {
            commune: commune.to_string(),
            frequency: Some(frequency),
            min_visits: None,
            max_visits: None,
            weekday: None,
            slot: None,
            strict: false,
            stable: false,
        })
    }

    /// This scenario with the promises `every_commune_every_weeks` makes to every
    /// commune of `communes` that has none of its own: what the optimiser plans.
    pub fn with_rule_promises(&self, communes: &[String]) -> Scenario {
        let mut s = self.clone();
        for c in communes {
            let promised = self.promises.iter().any(|p| p.commune == *c);
            if let Some(p) = self.rule_promise(c).filter(|_| !promised) {
                s.promises.push(p);
            }
        }
        s
    }
}

/// The name of `names` closest to `query` (by normalised name, then by edit
/// distance: at most 2 edits, or a quarter of the name), for "did you mean".
pub fn closest_name<'a>(query: &str, names: &[&'a str]) -> Option<&'a str> {
    let q = crate::demand::normalise_name(query);
    let limit = (q.chars().count() / 4).max(2);
    names
        .iter()
        .map(|n| {
            (
                strsim::levenshtein(&q, &crate::demand::normalise_name(n)),
                *n,
            )
        })
        .filter(|(d, _)| *d <= limit)
        .min()
        .map(|(_, n)| n)
}

/// The communes with population among `places` (each place's commune by
/// [`crate::commune::place_communes`]), sorted, once each.
pub fn communes_with_population(places: &[Place]) -> Vec<String> {
    let communes = crate::commune::place_communes(places);
    let mut out: Vec<String> = places
        .iter()
        .zip(communes)
        .filter(|(p, _)| p.population.0 > 0)
        .map(|(_, c)| c)
        .collect();
    out.sort();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::tests::MINIMAL;
    use crate::site::PopulationSource;
    use crate::units::Population;
    use crate::PlaceId;

    fn with(extra: &str) -> Result<Scenario, crate::ScenarioError> {
        Scenario::parse(&format!("{MINIMAL}\n{extra}"), None)
    }

    fn place(name: &str, kind: &str, lon: f64, pop: u32) -> Place {
        Place {
            id: PlaceId(0),
            osm: OsmRef::node(1),
            name: name.into(),
            place_type: kind.into(),
            location: LonLat::new(lon, 45.0),
            population: Population(pop),
            population_source: PopulationSource::Osm,
            insee: None,
        }
    }

    #[test]
    fn added_sites_have_a_stable_negative_id_and_a_commune() {
        let s = with(
            "[[site]]\nname = \"Parking du lavoir\"\nlat = 45.0\nlon = 0.011\nmax_visits = 2\n\
             [[site]]\nname = \"Cour de la ferme\"\nlat = 45.0\nlon = 0.0\ncommune = \"Ailleurs\"\nkind = \"community_centre\"\n",
        )
        .unwrap();
        let places = [
            place("Bourg", "village", 0.0, 100),
            place("Ville", "town", 0.05, 0),
        ];
        let added = s.added_sites(&places);
        assert_eq!(added.len(), 2);
        assert_eq!(added[0].osm, added_site_ref("Parking du lavoir"));
        assert!(added[0].osm.id < 0);
        assert_ne!(added[0].osm, added[1].osm);
        assert_eq!(added[0].commune, "Bourg");
        assert_eq!(added[0].kind, SiteKind::Parking);
        assert_eq!(added[1].commune, "Ailleurs");
        assert_eq!(added[1].kind, SiteKind::CommunityCentre);
        assert_eq!(s.max_visits_of(&added[0]), Some(2));
        assert_eq!(s.max_visits_of(&added[1]), None);
        assert_eq!(communes_with_population(&places), ["Bourg"]);
    }

    #[test]
    fn bad_site_and_rule_entries_are_refused_with_their_field() {
        let bad = with("[[site]]\nname = \"X\"\nlat = 45.0\n").unwrap_err();
        assert_eq!(bad.field.as_deref(), Some("site[0].lon"), "{bad}");
        let bad = with("[[site]]\nlat = 45.0\nlon = 0.0\n").unwrap_err();
        assert_eq!(bad.field.as_deref(), Some("site[0].name"), "{bad}");
        let bad = with("[[site]]\nname = \"X\"\nlat = 95.0\nlon = 0.0\n").unwrap_err();
        assert_eq!(bad.field.as_deref(), Some("site[0].lat"), "{bad}");
        let bad = with("[[site]]\nosm = \"node/1\"\nmax_visits = 0\n").unwrap_err();
        assert_eq!(bad.field.as_deref(), Some("site[0].max_visits"), "{bad}");
        let bad = with("[rules]\nevery_commune_every_weeks = 0\n").unwrap_err();
        assert_eq!(
            bad.field.as_deref(),
            Some("rules.every_commune_every_weeks"),
            "{bad}"
        );
        assert!(bad.line.is_some());
        let s =
            with("[rules]\nevery_commune_every_weeks = 3\nuse_every_vehicle_day = true\n").unwrap();
        assert!(s.rules.use_every_vehicle_day);
        let p = s.rule_promise("Bourg").unwrap();
        assert_eq!(p.frequency, Some(Frequency::EveryWeeks(3)));
        let s2 = s.with_rule_promises(&["Bourg".into()]);
        assert_eq!(s2.promises.len(), s.promises.len() + 1);
    }

    #[test]
    fn every_k_weeks_is_one_visited_week_in_every_run_of_k() {
        let f = Frequency::EveryWeeks(3);
        assert!(f.kept_by(&[true, false, false, true, false, false]).is_ok());
        assert!(f
            .kept_by(&[true, false, false, false, true, false])
            .is_err());
    }

    #[test]
    fn warnings_name_their_line_and_suggest_a_commune() {
        let text = MINIMAL.replace(
            "[territory]",
            "holidays = [\"2027-01-05\", \"2027-03-01\"]\n\n[objective.weights]\nBourgg = 2.0\nBourg = 1.5\n\n[territory]",
        );
        let s = Scenario::parse(&text, Some(std::path::Path::new("s.toml"))).unwrap();
        let w = s.warnings();
        assert_eq!(w.len(), 1, "{w:?}");
        assert_eq!(w[0].field, "holidays");
        assert_eq!(w[0].line, Some(6));
        assert!(w[0].message.contains("01/03/2027"), "{}", w[0].message);
        let places = [place("Bourg", "village", 0.0, 100)];
        let w = s.weight_warnings(&places);
        assert_eq!(w.len(), 1, "{w:?}");
        assert_eq!(w[0].field, "objective.weights.Bourgg");
        assert_eq!(w[0].line, Some(9));
        assert!(
            w[0].message.contains("vouliez-vous dire `Bourg`"),
            "{}",
            w[0]
        );
        assert!(w[0].to_string().contains("s.toml"), "{}", w[0]);
        assert_eq!(
            closest_name("saint-etienne", &["Saint-Étienne", "Sainte-Anne"]),
            Some("Saint-Étienne")
        );
        assert_eq!(closest_name("Paris", &["Lyon"]), None);
    }

    #[test]
    fn a_slot_no_vehicle_can_hold_is_an_error() {
        let text = MINIMAL.replace(
            "name = \"Bus 1\"",
            "name = \"Bus 1\"\nlatest_return = \"13:00\"",
        );
        let bad = Scenario::parse(&text, None).unwrap_err();
        assert_eq!(bad.field.as_deref(), Some("slots[1].start"), "{bad}");
        assert!(bad.line.is_some());
    }
}
