//! Who is reachable from which stop: for each candidate site, the places whose
//! residents can drive to it within the reach radius, with the drive time and the
//! share of the place's value the stop earns (`model::scenario::Reach::share`: 1
//! within a hard radius, the decay curve's value otherwise).
//!
//! The drive is measured from the place to the stop (residents come to the bus), on
//! the car graph, between the snapped nodes. Promises: lists are sorted by place id;
//! a place is listed for a site iff its drive time is at most the reach's radius
//! and its share is above 0.

use std::collections::HashMap;

use tournee_model::scenario::Reach;
use tournee_model::{PlaceId, Progress, Seconds};
use tournee_routing::{Direction, NodeIdx, RoadGraph};

/// A place a site reaches.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Covered {
    pub place: PlaceId,
    /// Drive from the place to the site.
    pub drive: Seconds,
    /// Share of the place's value a stop there earns, within (0, 1].
    pub share: f64,
}

/// Places within reach of each site.
#[derive(Debug, Clone, PartialEq)]
pub struct Coverage {
    pub radius: Seconds,
    /// For site `i` (in the order given to [`Coverage::compute`]): reached places.
    pub by_site: Vec<Vec<Covered>>,
}

impl Coverage {
    /// Computes the places reached by each site. `site_nodes[i]` is site `i`'s
    /// snapped node; `place_nodes[p]` is place `p`'s (or `None` when the place is
    /// not usable, e.g. too far from any road).
    pub fn compute(
        graph: &RoadGraph,
        site_nodes: &[NodeIdx],
        place_nodes: &[Option<NodeIdx>],
        reach: &Reach,
        progress: &dyn Progress,
    ) -> Coverage {
        Coverage::compute_with(
            graph,
            site_nodes,
            place_nodes,
            reach,
            &|_, _| false,
            progress,
        )
    }

    /// [`Coverage::compute`], knowing which places are in a site's own commune
    /// (`own(site, place)`): the share is `Reach::share_at`, in full there with a
    /// decay curve.
    pub fn compute_with(
        graph: &RoadGraph,
        site_nodes: &[NodeIdx],
        place_nodes: &[Option<NodeIdx>],
        reach: &Reach,
        own: &(dyn Fn(usize, PlaceId) -> bool + Sync),
        progress: &dyn Progress,
    ) -> Coverage {
        let radius = reach.radius();
        let mut places_at: HashMap<NodeIdx, Vec<PlaceId>> = HashMap::new();
        for (p, n) in place_nodes.iter().enumerate() {
            if let Some(n) = n {
                places_at.entry(*n).or_default().push(PlaceId(p as u32));
            }
        }
        let mut place_list: Vec<(NodeIdx, Vec<PlaceId>)> = places_at.into_iter().collect();
        place_list.sort();
        progress.begin(
            &tournee_i18n::tr!("coverage-stage"),
            site_nodes.len() as u64,
        );
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
        let chunk = site_nodes.len().div_ceil(threads).max(1);
        let mut by_site: Vec<Vec<Covered>> = vec![Vec::new(); site_nodes.len()];
        std::thread::scope(|scope| {
            for (c, (nodes, out)) in site_nodes
                .chunks(chunk)
                .zip(by_site.chunks_mut(chunk))
                .enumerate()
            {
                let place_list = &place_list;
                scope.spawn(move || {
                    for (k, (site, reached)) in nodes.iter().zip(out.iter_mut()).enumerate() {
                        let index = c * chunk + k;
                        let sp = graph.shortest_paths(*site, Direction::Backward, Some(radius));
                        for (node, places) in place_list {
                            if let Some((t, _)) = sp.get(*node) {
                                if t > radius {
                                    continue;
                                }
                                for &place in places {
                                    let share = reach.share_at(t, own(index, place));
                                    if share > 0.0 {
                                        reached.push(Covered {
                                            place,
                                            drive: t,
                                            share,
                                        });
                                    }
                                }
                            }
                        }
                        reached.sort_by_key(|c| c.place);
                        progress.advance(1);
                    }
                });
            }
        });
        let pairs: usize = by_site.iter().map(Vec::len).sum();
        progress.done(&tournee_i18n::tr!(
            "coverage-done",
            pairs = pairs,
            minutes = radius.0 / 60
        ));
        Coverage { radius, by_site }
    }

    /// Places reached by at least one of `sites`, without repetition.
    pub fn reached_by(&self, sites: impl IntoIterator<Item = usize>) -> Vec<PlaceId> {
        let mut out: Vec<PlaceId> = sites
            .into_iter()
            .flat_map(|s| self.by_site[s].iter().map(|c| c.place))
            .collect();
        out.sort();
        out.dedup();
        out
    }
}
