//! Shortest drive times on the [`RoadGraph`]: one-to-all searches (Dijkstra, with an
//! optional time limit) and many-to-many matrices computed in parallel.
//!
//! Times and distances are those of the path of least weight (OSRM's routability:
//! the fastest, but for the ways a driver avoids, [`crate::profile::routability`]),
//! not of the shortest one, as in OSRM tables; among paths of equal weight, the
//! fastest, then the shortest.

use tournee_model::{Meters, Seconds};

use crate::graph::{NodeIdx, RoadGraph};
use crate::table::{time_of, unpack, Packed, INF, ZERO};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// From the source to every node.
    Forward,
    /// From every node to the source.
    Backward,
}

const UNREACHED: u32 = u32::MAX;

/// The result of a one-to-all search: time and distance per graph node.
#[derive(Debug, Clone)]
pub struct ShortestPaths {
    time_ds: Vec<u32>,
    dist_dm: Vec<u32>,
}

fn to_units(time_ds: u32, dist_dm: u32) -> Option<(Seconds, Meters)> {
    (time_ds != UNREACHED).then(|| (Seconds((time_ds + 5) / 10), Meters((dist_dm + 5) / 10)))
}

impl ShortestPaths {
    /// Drive time and distance to (or from) `n`, if reached within the limit.
    pub fn get(&self, n: NodeIdx) -> Option<(Seconds, Meters)> {
        to_units(self.time_ds[n.0 as usize], self.dist_dm[n.0 as usize])
    }
}

impl RoadGraph {
    /// Dijkstra from `source` along turns (to it when `dir` is backward); nodes
    /// farther than `limit` stay unreached. A trip leaves its first node by any
    /// segment and ends on its last node by any segment, without a turn at either.
    /// The path of least weight (then time, then length) gives the time and
    /// distance (the order of every table, see [`crate::table`]); a path enters as
    /// few restricted segments as it can before it weighs the least. With a limit,
    /// searches stop at the limit's time, so a node whose least-entries path is
    /// longer than the limit can be reached by a path within it that enters more
    /// ([`crate::turns`]). Everything that uses a limit (coverage, the checker's
    /// reach) shares this function.
    pub fn shortest_paths(
        &self,
        source: NodeIdx,
        dir: Direction,
        limit: Option<Seconds>,
    ) -> ShortestPaths {
        let limit_ds = limit.map_or(u32::MAX - 1, |s| s.0.saturating_mul(10)) as u64;
        let f = &self.forward;
        let mut node_cost = vec![INF; self.node_count()];
        match dir {
            Direction::Forward => {
                let seeds: Vec<(u32, Packed)> =
                    f.edges(source.0).map(|e| (e as u32, self.arc(e))).collect();
                let cost = self.packed_search(&seeds, false, limit_ds);
                for (s, &c) in cost.iter().enumerate() {
                    let v = f.head[s] as usize;
                    node_cost[v] = node_cost[v].min(c);
                }
            }
            Direction::Backward => {
                let seeds: Vec<(u32, Packed)> = self
                    .states_into(source.0)
                    .iter()
                    .map(|&s| (s, ZERO))
                    .collect();
                let cost = self.packed_search(&seeds, true, limit_ds);
                for (s, &c) in cost.iter().enumerate() {
                    let v = f.tail[s] as usize;
                    node_cost[v] = node_cost[v].min(c.saturating_add(self.arc(s)));
                }
            }
        }
        node_cost[source.0 as usize] = ZERO;
        let (time_ds, dist_dm) = node_cost
            .into_iter()
            .map(|c| {
                if c == INF || time_of(c) > limit_ds {
                    (UNREACHED, UNREACHED)
                } else {
                    unpack(c)
                }
            })
            .unzip();
        ShortestPaths { time_ds, dist_dm }
    }

    /// Drive times and distances from every source to every target, computed on all
    /// available cores. `on_row` is called once per finished source.
    pub fn matrix(
        &self,
        sources: &[NodeIdx],
        targets: &[NodeIdx],
        on_row: &(dyn Fn() + Sync),
    ) -> Matrix {
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
        let chunk = sources.len().div_ceil(threads).max(1);
        let mut rows: Vec<Vec<(u32, u32)>> = vec![Vec::new(); sources.len()];
        std::thread::scope(|scope| {
            for (src_chunk, row_chunk) in sources.chunks(chunk).zip(rows.chunks_mut(chunk)) {
                scope.spawn(move || {
                    for (s, row) in src_chunk.iter().zip(row_chunk.iter_mut()) {
                        let sp = self.shortest_paths(*s, Direction::Forward, None);
                        *row = targets
                            .iter()
                            .map(|t| (sp.time_ds[t.0 as usize], sp.dist_dm[t.0 as usize]))
                            .collect();
                        on_row();
                    }
                });
            }
        });
        Matrix {
            sources: sources.len(),
            targets: targets.len(),
            cells: rows.into_iter().flatten().collect(),
        }
    }
}

/// A drive-time and distance table between two lists of snapped points.
#[derive(Debug, Clone, PartialEq)]
pub struct Matrix {
    sources: usize,
    targets: usize,
    cells: Vec<(u32, u32)>,
}

impl Matrix {
    pub fn sources(&self) -> usize {
        self.sources
    }
    pub fn targets(&self) -> usize {
        self.targets
    }
    pub(crate) fn from_cells(sources: usize, targets: usize, cells: Vec<(u32, u32)>) -> Matrix {
        assert_eq!(cells.len(), sources * targets);
        Matrix {
            sources,
            targets,
            cells,
        }
    }

    /// A square table over `n` points made of independent blocks: `blocks[k]` is a
    /// square table between the points `blocks[k].0` (indices into `0..n`, in the
    /// block's order). Cells outside every block are unreachable: no leg between
    /// points of different blocks (e.g. travel modes on different graphs).
    pub fn from_blocks(n: usize, blocks: &[(&[usize], &Matrix)]) -> Matrix {
        let mut cells = vec![(UNREACHED, UNREACHED); n * n];
        for (points, m) in blocks {
            assert!(m.sources == points.len() && m.targets == points.len());
            for (a, &i) in points.iter().enumerate() {
                for (b, &j) in points.iter().enumerate() {
                    cells[i * n + j] = m.cells[a * m.targets + b];
                }
            }
        }
        Matrix {
            sources: n,
            targets: n,
            cells,
        }
    }

    /// Time in deciseconds and distance in decimetres from source `i` to target
    /// `j`, before rounding; `None` when unreachable.
    pub fn get_tenths(&self, i: usize, j: usize) -> Option<(u32, u32)> {
        let (t, d) = self.cells[i * self.targets + j];
        (t != UNREACHED).then_some((t, d))
    }

    /// Time and distance from source `i` to target `j`; `None` when unreachable.
    pub fn get(&self, i: usize, j: usize) -> Option<(Seconds, Meters)> {
        let (t, d) = self.cells[i * self.targets + j];
        to_units(t, d)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_keep_their_cells_and_nothing_links_them() {
        let a = Matrix::from_cells(2, 2, vec![(0, 0), (100, 200), (110, 210), (0, 0)]);
        let b = Matrix::from_cells(1, 1, vec![(0, 0)]);
        let m = Matrix::from_blocks(3, &[(&[0, 2], &a), (&[1], &b)]);
        assert_eq!(m.get_tenths(0, 2), Some((100, 200)));
        assert_eq!(m.get_tenths(2, 0), Some((110, 210)));
        assert_eq!(m.get_tenths(1, 1), Some((0, 0)));
        assert_eq!(m.get(0, 1), None);
        assert_eq!(m.get(1, 2), None);
    }
}
