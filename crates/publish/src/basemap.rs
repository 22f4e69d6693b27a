//! The roads under a sheet's map: drawn from the territory's road graph (no tile
//! server), main roads wider than streets, and the names of the streets the stops
//! stand on; labels placed so that they do not overlap.

use std::fmt::Write;

use tournee_model::LonLat;

use crate::html::escape;

/// A road of the territory as the map draws it.
#[derive(Debug, Clone, PartialEq)]
pub struct RoadLine {
    pub points: Vec<LonLat>,
    pub name: Option<String>,
    pub class: RoadClass,
}

/// How a road is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum RoadClass {
    /// Motorways, trunk and primary roads.
    Main,
    /// Secondary and tertiary roads.
    Secondary,
    /// Streets and lanes.
    Street,
}

impl RoadClass {
    /// From OSM `highway=*`; `None` for what a sheet does not draw (paths, tracks).
    pub fn of_highway(highway: &str) -> Option<RoadClass> {
        let h = highway.trim_end_matches("_link");
        match h {
            "motorway" | "trunk" | "primary" => Some(RoadClass::Main),
            "secondary" | "tertiary" => Some(RoadClass::Secondary),
            "unclassified" | "residential" | "living_street" | "pedestrian" | "road" => {
                Some(RoadClass::Street)
            }
            _ => None,
        }
    }

    fn style(self) -> (&'static str, f64) {
        match self {
            RoadClass::Main => ("#e8a33d", 4.0),
            RoadClass::Secondary => ("#f3d27a", 3.0),
            RoadClass::Street => ("#ffffff", 2.0),
        }
    }
}

/// Rectangles taken by labels and markers, in SVG units.
#[derive(Debug, Default)]
pub struct Placed {
    boxes: Vec<[f64; 4]>,
}

impl Placed {
    /// Reserves a box (x0, y0, x1, y1).
    pub fn take(&mut self, b: [f64; 4]) {
        self.boxes.push(b);
    }

    fn free(&self, b: [f64; 4], w: f64, h: f64) -> bool {
        b[0] >= 2.0
            && b[1] >= 2.0
            && b[2] <= w - 2.0
            && b[3] <= h - 2.0
            && self
                .boxes
                .iter()
                .all(|o| b[2] <= o[0] || b[0] >= o[2] || b[3] <= o[1] || b[1] >= o[3])
    }

    /// Places a label of `text` at `size` next to (x, y), trying right, left,
    /// above and below; returns its `<text>` or `None` when every place is taken.
    pub fn label(
        &mut self,
        (x, y): (f64, f64),
        text: &str,
        size: f64,
        style: &str,
        (w, h): (f64, f64),
    ) -> Option<String> {
        let tw = text.chars().count() as f64 * size * 0.56;
        // Clear of a stop marker (radius 11 and its 2-point outline).
        let gap = 14.0;
        let candidates = [
            (x + gap, y + size * 0.35, "start"),
            (x - gap, y + size * 0.35, "end"),
            (x, y - gap, "middle"),
            (x, y + gap + size * 0.8, "middle"),
            (x + gap, y - gap, "start"),
            (x + gap, y + gap + size * 0.6, "start"),
        ];
        for (lx, ly, anchor) in candidates {
            let x0 = match anchor {
                "start" => lx,
                "end" => lx - tw,
                _ => lx - tw / 2.0,
            };
            let b = [x0, ly - size * 0.85, x0 + tw, ly + size * 0.25];
            if self.free(b, w, h) {
                self.take(b);
                return Some(format!(
                    "<text x=\"{lx:.1}\" y=\"{ly:.1}\" font-size=\"{size}\" text-anchor=\"{anchor}\" \
                     {style} paint-order=\"stroke\" stroke=\"#fff\" stroke-width=\"3\">{}</text>\n",
                    escape(text)
                ));
            }
        }
        None
    }
}

/// The roads as SVG paths, streets first and main roads on top; `xy` projects a
/// point. A road is drawn when some segment of it crosses the view (with a margin),
/// even with both ends outside; the SVG clips the rest.
pub fn roads_svg(
    roads: &[RoadLine],
    xy: impl Fn(LonLat) -> (f64, f64),
    (w, h): (f64, f64),
) -> String {
    let mut svg = String::new();
    let mut order: Vec<&RoadLine> = roads.iter().collect();
    order.sort_by_key(|r| std::cmp::Reverse(r.class));
    let margin = 20.0;
    // A segment's bounding box meets the view: enough to draw it (the view clips).
    let crosses = |(ax, ay): (f64, f64), (bx, by): (f64, f64)| {
        ax.max(bx) > -margin
            && ax.min(bx) < w + margin
            && ay.max(by) > -margin
            && ay.min(by) < h + margin
    };
    for r in order {
        let pts: Vec<(f64, f64)> = r.points.iter().map(|p| xy(*p)).collect();
        let seen = match pts.as_slice() {
            [one] => crosses(*one, *one),
            _ => pts.windows(2).any(|s| crosses(s[0], s[1])),
        };
        if !seen {
            continue;
        }
        let (colour, width) = r.class.style();
        let mut d = String::new();
        for (i, (x, y)) in pts.iter().enumerate() {
            let _ = write!(d, "{}{x:.1} {y:.1}", if i == 0 { "M" } else { " L" });
        }
        let _ = writeln!(
            svg,
            "<path d=\"{d}\" fill=\"none\" stroke=\"#9a9a9a\" stroke-width=\"{:.1}\" \
             stroke-linecap=\"round\" stroke-linejoin=\"round\"/>\
             <path d=\"{d}\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"{width:.1}\" \
             stroke-linecap=\"round\" stroke-linejoin=\"round\"/>",
            width + 1.2
        );
    }
    svg
}

/// The named road nearest to `p` (within `max_m` metres), by its segments.
pub fn nearest_street(roads: &[RoadLine], p: LonLat, max_m: f64) -> Option<&str> {
    let k = p.lat.to_radians().cos() * 111_320.0;
    let m = 110_540.0;
    let mut best: Option<(f64, &str)> = None;
    for r in roads {
        let Some(name) = r.name.as_deref() else {
            continue;
        };
        for w in r.points.windows(2) {
            let (ax, ay) = ((w[0].lon - p.lon) * k, (w[0].lat - p.lat) * m);
            let (bx, by) = ((w[1].lon - p.lon) * k, (w[1].lat - p.lat) * m);
            let (dx, dy) = (bx - ax, by - ay);
            let len2 = dx * dx + dy * dy;
            let t = if len2 > 0.0 {
                (-(ax * dx + ay * dy) / len2).clamp(0.0, 1.0)
            } else {
                0.0
            };
            let d = ((ax + t * dx).powi(2) + (ay + t * dy).powi(2)).sqrt();
            if d <= max_m && best.is_none_or(|(bd, _)| d < bd) {
                best = Some((d, name));
            }
        }
    }
    best.map(|(_, n)| n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_never_overlap_and_give_up_when_full() {
        let mut placed = Placed::default();
        let area = (300.0, 100.0);
        let a = placed.label((50.0, 50.0), "Beausoleil", 10.0, "", area);
        let b = placed.label((52.0, 50.0), "Centre social de Beausoleil", 10.0, "", area);
        assert!(a.is_some() && b.is_some());
        for i in 0..2 {
            for j in 0..i {
                let (p, q) = (placed.boxes[i], placed.boxes[j]);
                assert!(p[2] <= q[0] || p[0] >= q[2] || p[3] <= q[1] || p[1] >= q[3]);
            }
        }
        let mut tiny = Placed::default();
        assert!(tiny
            .label((5.0, 5.0), "Un nom bien trop long", 10.0, "", (40.0, 20.0))
            .is_none());
    }

    #[test]
    fn classes_and_the_nearest_street() {
        assert_eq!(RoadClass::of_highway("primary_link"), Some(RoadClass::Main));
        assert_eq!(RoadClass::of_highway("footway"), None);
        let roads = vec![RoadLine {
            points: vec![LonLat::new(0.0, 45.0), LonLat::new(0.01, 45.0)],
            name: Some("Rue du Moulin".into()),
            class: RoadClass::Street,
        }];
        assert_eq!(
            nearest_street(&roads, LonLat::new(0.005, 45.0003), 100.0),
            Some("Rue du Moulin")
        );
        assert_eq!(
            nearest_street(&roads, LonLat::new(0.005, 45.01), 100.0),
            None
        );
    }
}
