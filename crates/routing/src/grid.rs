//! A uniform grid over the plane, for the nearest node or road segment to a point
//! (snapping). Each item (a point or a segment's bounding box) is listed in every
//! cell it overlaps (CSR: four bytes per listing), so a département's few million
//! segments take tens of megabytes, where an R-tree of `rstar` objects took ten
//! times more.
//!
//! A query looks at the cells in rings around the point's cell, nearest first, and
//! stops once no cell left can hold anything nearer than the best item found: an
//! item not yet seen lies wholly outside the cells looked at. Ties go to the lower
//! item index, so answers do not depend on the order items were listed in.

/// Items per cell aimed at when the grid is sized.
const ITEMS_PER_CELL: f64 = 2.0;

#[derive(Debug, Clone, Default)]
pub(crate) struct Grid {
    /// South-west corner of the grid.
    origin: [f64; 2],
    /// Side of a cell.
    cell: f64,
    cols: u32,
    rows: u32,
    /// Items of cell `k` (row-major): `items[first[k]..first[k + 1]]`.
    first: Vec<u32>,
    items: Vec<u32>,
}

impl Grid {
    /// The grid of the items that `boxes` lists as `(item, [min x, min y, max x, max
    /// y])`; `boxes` is called twice and must list the same items both times.
    pub(crate) fn build<I>(boxes: impl Fn() -> I) -> Grid
    where
        I: Iterator<Item = (u32, [f64; 4])>,
    {
        let (mut lo, mut hi) = ([f64::MAX; 2], [f64::MIN; 2]);
        let mut count = 0usize;
        for (_, b) in boxes() {
            lo = [lo[0].min(b[0]), lo[1].min(b[1])];
            hi = [hi[0].max(b[2]), hi[1].max(b[3])];
            count += 1;
        }
        if count == 0 {
            return Grid::default();
        }
        let (w, h) = ((hi[0] - lo[0]).max(1e-9), (hi[1] - lo[1]).max(1e-9));
        let cells = (count as f64 / ITEMS_PER_CELL).max(1.0);
        let cell = (w * h / cells).sqrt().max(w.max(h) / 65_536.0);
        let cols = ((w / cell).floor() as u32 + 1).max(1);
        let rows = ((h / cell).floor() as u32 + 1).max(1);
        let mut grid = Grid {
            origin: lo,
            cell,
            cols,
            rows,
            first: vec![0; (cols * rows) as usize + 1],
            items: Vec::new(),
        };
        for (_, b) in boxes() {
            let (c0, r0, c1, r1) = grid.span(&b);
            for r in r0..=r1 {
                for c in c0..=c1 {
                    grid.first[(r * cols + c) as usize + 1] += 1;
                }
            }
        }
        for k in 0..grid.first.len() - 1 {
            grid.first[k + 1] += grid.first[k];
        }
        let mut fill: Vec<u32> = grid.first[..grid.first.len() - 1].to_vec();
        grid.items = vec![0; *grid.first.last().unwrap_or(&0) as usize];
        for (item, b) in boxes() {
            let (c0, r0, c1, r1) = grid.span(&b);
            for r in r0..=r1 {
                for c in c0..=c1 {
                    let k = (r * cols + c) as usize;
                    grid.items[fill[k] as usize] = item;
                    fill[k] += 1;
                }
            }
        }
        grid
    }

    /// The column and row of `p`, clamped to the grid.
    fn cell_of(&self, p: [f64; 2]) -> (u32, u32) {
        let at = |v: f64, o: f64, n: u32| {
            let k = ((v - o) / self.cell).floor();
            if k.is_nan() || k < 0.0 {
                0
            } else {
                (k as u64).min(n as u64 - 1) as u32
            }
        };
        (
            at(p[0], self.origin[0], self.cols),
            at(p[1], self.origin[1], self.rows),
        )
    }

    /// The cells a box overlaps: (first column, first row, last column, last row).
    fn span(&self, b: &[f64; 4]) -> (u32, u32, u32, u32) {
        let (c0, r0) = self.cell_of([b[0], b[1]]);
        let (c1, r1) = self.cell_of([b[2], b[3]]);
        (c0, r0, c1, r1)
    }

    /// The item nearest to `q` by `distance2` (a squared planar distance from `q`
    /// to the item, never below the distance to its box), ties to the lower index;
    /// `None` when the grid is empty.
    pub(crate) fn nearest(
        &self,
        q: [f64; 2],
        mut distance2: impl FnMut(u32) -> f64,
    ) -> Option<u32> {
        if self.items.is_empty() {
            return None;
        }
        let (cx, cy) = self.cell_of(q);
        let mut best: Option<(f64, u32)> = None;
        let max_ring = self.cols.max(self.rows);
        for ring in 0..=max_ring {
            // Everything not yet looked at lies outside the square of rings
            // 0..ring-1: stop when the best item is nearer than that square's edge.
            if ring > 0 {
                if let Some((d2, _)) = best {
                    let r = ring - 1;
                    let edge = |open: bool, d: f64| if open { d } else { f64::INFINITY };
                    let x0 = self.origin[0] + (cx.saturating_sub(r)) as f64 * self.cell;
                    let x1 = self.origin[0] + ((cx + r + 1) as f64) * self.cell;
                    let y0 = self.origin[1] + (cy.saturating_sub(r)) as f64 * self.cell;
                    let y1 = self.origin[1] + ((cy + r + 1) as f64) * self.cell;
                    let reach = edge(cx >= ring, q[0] - x0)
                        .min(edge(cx + ring < self.cols, x1 - q[0]))
                        .min(edge(cy >= ring, q[1] - y0))
                        .min(edge(cy + ring < self.rows, y1 - q[1]));
                    if reach.is_infinite() || (reach > 0.0 && d2 <= reach * reach) {
                        break;
                    }
                }
            }
            let mut look = |c: u32, r: u32| {
                let k = (r * self.cols + c) as usize;
                for &item in &self.items[self.first[k] as usize..self.first[k + 1] as usize] {
                    let d2 = distance2(item);
                    if best.is_none_or(|(b, i)| (d2, item) < (b, i)) {
                        best = Some((d2, item));
                    }
                }
            };
            // The ring's cells inside the grid: its bottom and top rows, then the
            // rest of its left and right columns.
            let (c0, c1) = (cx.saturating_sub(ring), (cx + ring).min(self.cols - 1));
            let (r0, r1) = (cy.saturating_sub(ring), (cy + ring).min(self.rows - 1));
            let rows = [cy.checked_sub(ring), Some(cy + ring)];
            for r in rows.into_iter().flatten().filter(|&r| r < self.rows) {
                for c in c0..=c1 {
                    look(c, r);
                }
                if ring == 0 {
                    break;
                }
            }
            let cols = [cx.checked_sub(ring), Some(cx + ring)];
            for c in cols
                .into_iter()
                .flatten()
                .filter(|&c| c < self.cols && ring > 0)
            {
                for r in r0..=r1 {
                    if r + ring != cy && r != cy + ring {
                        look(c, r);
                    }
                }
            }
        }
        best.map(|(_, i)| i)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn brute(points: &[[f64; 2]], q: [f64; 2]) -> u32 {
        let d2 = |p: [f64; 2]| (p[0] - q[0]).powi(2) + (p[1] - q[1]).powi(2);
        (0..points.len() as u32)
            .min_by(|&a, &b| {
                (d2(points[a as usize]), a)
                    .partial_cmp(&(d2(points[b as usize]), b))
                    .unwrap()
            })
            .unwrap()
    }

    proptest::proptest! {
        /// The grid's nearest point is the brute force's, for queries inside and
        /// far outside the points' box, ties included (points on a lattice).
        #[test]
        fn nearest_point_equals_brute_force(
            pts in proptest::collection::vec((0u8..40, 0u8..40), 1..300),
            queries in proptest::collection::vec((-100.0f64..140.0, -100.0f64..140.0), 1..20),
        ) {
            let points: Vec<[f64; 2]> = pts.iter().map(|&(x, y)| [x as f64, y as f64 * 0.5]).collect();
            let grid = Grid::build(|| {
                points.iter().enumerate().map(|(i, p)| (i as u32, [p[0], p[1], p[0], p[1]]))
            });
            for &(x, y) in &queries {
                for q in [[x, y], [x.round(), (y * 0.5).round() * 0.5]] {
                    let got = grid.nearest(q, |i| {
                        let p = points[i as usize];
                        (p[0] - q[0]).powi(2) + (p[1] - q[1]).powi(2)
                    });
                    proptest::prop_assert_eq!(got, Some(brute(&points, q)));
                }
            }
        }
    }

    /// Points on a line make a grid one cell high: a query far off the line looks
    /// at two cells a ring, not a whole square (this took minutes once).
    #[test]
    fn a_query_far_from_a_line_of_points_is_quick_and_right() {
        let points: Vec<[f64; 2]> = (0..2000).map(|i| [i as f64 * 0.001, 0.0]).collect();
        let grid = Grid::build(|| {
            points
                .iter()
                .enumerate()
                .map(|(i, p)| (i as u32, [p[0], p[1], p[0], p[1]]))
        });
        for q in [[0.7003, 50.0], [-3.0, -2.0], [0.5, 0.0]] {
            let got = grid.nearest(q, |i| {
                let p = points[i as usize];
                (p[0] - q[0]).powi(2) + (p[1] - q[1]).powi(2)
            });
            assert_eq!(got, Some(brute(&points, q)), "{q:?}");
        }
    }

    #[test]
    fn an_empty_grid_has_no_nearest_item() {
        let grid = Grid::build(std::iter::empty);
        assert_eq!(grid.nearest([0.0, 0.0], |_| 0.0), None);
    }
}
