//! Geometry for maps: the road path between two stops, and the area around a stop
//! from which it can be reached within a drive time.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use tournee_model::{LonLat, Meters, Seconds};

use crate::graph::{NodeIdx, RoadGraph};
use crate::matrix::Direction;
use crate::table::{unpack, INF};

/// The road path of least weight between two graph nodes ([`crate::table`]'s order).
#[derive(Debug, Clone, PartialEq)]
pub struct Route {
    /// Node coordinates from the start to the end, at least one.
    pub coords: Vec<LonLat>,
    pub time: Seconds,
    pub distance: Meters,
}

impl RoadGraph {
    /// The path of least weight from `from` to `to` (Dijkstra stopped at the target), or
    /// `None` when `to` cannot be reached. Its time and distance equal those of
    /// [`RoadGraph::shortest_paths`].
    pub fn route(&self, from: NodeIdx, to: NodeIdx) -> Option<Route> {
        if from == to {
            return Some(Route {
                coords: vec![self.coords[from.0 as usize]],
                time: Seconds(0),
                distance: Meters(0),
            });
        }
        let (f, t) = (&self.forward, &self.turns);
        let mut cost = vec![INF; self.state_count()];
        let mut pred = vec![u32::MAX; self.state_count()];
        let mut heap = BinaryHeap::new();
        for e in f.edges(from.0) {
            let c = self.arc(e);
            if c < cost[e] {
                cost[e] = c;
                heap.push(Reverse((c, e as u32)));
            }
        }
        let mut last = None;
        while let Some(Reverse((c, x))) = heap.pop() {
            if c > cost[x as usize] {
                continue;
            }
            if f.head[x as usize] == to.0 {
                last = Some(x);
                break;
            }
            for i in t.out(x) {
                let y = t.to[i] as usize;
                let turn = self.turn_cost(x, t.to[i], t.turn_ds[i]);
                let nc = c.saturating_add(turn + self.arc(y));
                if nc < cost[y] {
                    cost[y] = nc;
                    pred[y] = x;
                    heap.push(Reverse((nc, y as u32)));
                }
            }
        }
        let last = last?;
        let mut states = vec![last];
        let mut x = last;
        while pred[x as usize] != u32::MAX {
            x = pred[x as usize];
            states.push(x);
        }
        states.reverse();
        let mut coords = vec![self.coords[f.tail[states[0] as usize] as usize]];
        coords.extend(
            states
                .iter()
                .map(|&s| self.coords[f.head[s as usize] as usize]),
        );
        let (time, dist) = unpack(cost[last as usize]);
        Some(Route {
            coords,
            time: Seconds((time + 5) / 10),
            distance: Meters((dist + 5) / 10),
        })
    }

    /// The convex hull of the graph nodes within `limit` of `node` (to it when
    /// `dir` is backward: where residents can drive from), as a closed ring
    /// (first = last). Fewer than three such nodes give the nodes themselves.
    pub fn reach_area(&self, node: NodeIdx, limit: Seconds, dir: Direction) -> Vec<LonLat> {
        let sp = self.shortest_paths(node, dir, Some(limit));
        let points: Vec<LonLat> = (0..self.node_count() as u32)
            .filter(|&v| sp.get(NodeIdx(v)).is_some())
            .map(|v| self.coords[v as usize])
            .collect();
        convex_hull(&points, self.lon_scale)
    }
}

/// Andrew's monotone chain on the plane (lon × `lon_scale`, lat); a closed ring.
fn convex_hull(points: &[LonLat], lon_scale: f64) -> Vec<LonLat> {
    let mut pts: Vec<LonLat> = points.to_vec();
    pts.sort_by(|a, b| a.lon.total_cmp(&b.lon).then(a.lat.total_cmp(&b.lat)));
    pts.dedup_by(|a, b| a.lon == b.lon && a.lat == b.lat);
    if pts.len() < 3 {
        return pts;
    }
    let cross = |o: &LonLat, a: &LonLat, b: &LonLat| {
        (a.lon - o.lon) * lon_scale * (b.lat - o.lat)
            - (a.lat - o.lat) * (b.lon - o.lon) * lon_scale
    };
    let mut hull: Vec<LonLat> = Vec::with_capacity(2 * pts.len());
    for pass in 0..2 {
        let start = hull.len();
        let iter: Box<dyn Iterator<Item = &LonLat>> = if pass == 0 {
            Box::new(pts.iter())
        } else {
            Box::new(pts.iter().rev())
        };
        for p in iter {
            while hull.len() >= start + 2
                && cross(&hull[hull.len() - 2], &hull[hull.len() - 1], p) <= 0.0
            {
                hull.pop();
            }
            hull.push(*p);
        }
        hull.pop();
    }
    hull.push(hull[0]);
    hull
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hull_of_a_square_with_inner_points() {
        let p = |lon, lat| LonLat::new(lon, lat);
        let pts = [
            p(0.0, 0.0),
            p(1.0, 0.0),
            p(1.0, 1.0),
            p(0.0, 1.0),
            p(0.5, 0.5),
            p(0.2, 0.7),
        ];
        let h = convex_hull(&pts, 1.0);
        assert_eq!(h.len(), 5, "{h:?}");
        assert_eq!(h.first(), h.last());
        for corner in &pts[..4] {
            assert!(h.contains(corner));
        }
        assert!(!h.contains(&pts[4]));
    }
}
