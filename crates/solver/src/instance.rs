//! The optimiser's view of a scenario.

use tournee_coverage::Coverage;
use tournee_model::{Meters, Place, Scenario, Seconds, Site};
use tournee_routing::Matrix;

/// Everything the optimiser needs, already computed.
///
/// Points of the travel table: `0..scenario.depots.len()` are the depots in scenario
/// order, then the sites in `sites` order.
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
    pub fn depot_point(&self, depot_id: &str) -> Option<usize> {
        self.scenario.depots.iter().position(|d| d.id == depot_id)
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
