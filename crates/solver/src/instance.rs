//! The optimiser's view of a scenario.

use tournee_coverage::Coverage;
use tournee_model::scenario::Vehicle;
use tournee_model::{Meters, Place, Scenario, Seconds, Site, TravelMode};
use tournee_routing::Matrix;

/// Everything the optimiser needs, already computed.
///
/// Points of the travel table: `0..scenario.depots.len()` are the depots in scenario
/// order, then the sites in `sites` order; when the scenario has cargo bikes, the
/// depots again (`depots + sites + d`) as the bikes leave them, on the bike graph.
/// The table then has a block per travel mode and no leg between blocks
/// ([`Matrix::get`] is `None`), so a vehicle only ever reaches sites of its mode.
pub struct Instance<'a> {
    pub scenario: &'a Scenario,
    /// Usable candidate sites (snapped to the road graph, not closed).
    pub sites: &'a [Site],
    pub places: &'a [Place],
    /// `coverage.by_site[i]` is what `sites[i]` reaches.
    pub coverage: &'a Coverage,
    pub travel: &'a Matrix,
}

impl Instance<'_> {
    /// The point where vehicle `v` leaves from and returns to: its depot, on its
    /// mode's block of the travel table.
    pub fn depot_point(&self, v: &Vehicle) -> Option<usize> {
        let d = self.scenario.depots.iter().position(|d| d.id == v.depot)?;
        match v.mode {
            TravelMode::Car => Some(d),
            TravelMode::CargoBike => {
                let p = self.scenario.depots.len() + self.sites.len() + d;
                (p < self.travel.sources()).then_some(p)
            }
        }
    }

    /// Each site's availability under the scenario (`SiteRule::for_scenario`:
    /// opening hours, school holidays, the coordinator's `[[site]]` days and
    /// hours), by index.
    pub fn site_rules(&self) -> Vec<tournee_model::availability::SiteRule> {
        self.sites
            .iter()
            .map(|s| tournee_model::availability::SiteRule::for_scenario(s, self.scenario))
            .collect()
    }

    /// Index in `sites` of each site, by OSM reference (how plans name sites).
    pub fn site_index(&self) -> std::collections::HashMap<tournee_model::OsmRef, usize> {
        self.sites
            .iter()
            .enumerate()
            .map(|(i, s)| (s.osm, i))
            .collect()
    }

    pub fn site_point(&self, site: usize) -> usize {
        self.scenario.depots.len() + site
    }

    pub fn drive(&self, from: usize, to: usize) -> Option<(Seconds, Meters)> {
        self.travel.get(from, to)
    }

    /// Population × weight of each place: what reaching it is worth per week.
    pub fn place_values(&self) -> Vec<f64> {
        self.places
            .iter()
            .map(|p| {
                p.population.0 as f64
                    * self
                        .scenario
                        .objective
                        .weight_of(&p.name, p.insee.as_deref())
            })
            .collect()
    }
}
