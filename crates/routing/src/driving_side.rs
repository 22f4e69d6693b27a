//! Which side of the road traffic keeps to, per way, as OSRM 26's car profile decides
//! it (`WayHandlers.driving_side`): the way's own `driving_side=left|right` tag first,
//! else where the way lies. OSRM answers the second from a world index of driving
//! sides built into the extractor (`way:is_left_hand_traffic()`); we carry only the
//! left-hand areas of Europe, as a few polygons (WGS84 degrees, drawn by hand through
//! the sea between each area and its right-hand neighbours):
//!
//! - Great Britain, Ireland (both drive on the left), the Isle of Man and the islands
//!   around them, down the middle of the Channel (Dover–Calais, then south of the
//!   Isle of Wight and of the Scilly Isles, north of the Cotentin and Brittany);
//! - the Channel Islands (Jersey, Guernsey, Alderney, Sark), west of the Cotentin;
//! - Malta and Gozo;
//! - Cyprus (the whole island, its north included).
//!
//! Everywhere else traffic keeps right. A way is placed by its first node.

use tournee_model::LonLat;

/// A left-hand area: its outline, `(lon, lat)` pairs, not closed.
struct Area {
    #[allow(dead_code)]
    name: &'static str,
    outline: &'static [(f64, f64)],
}

const LEFT_HAND_AREAS: &[Area] = &[
    Area {
        name: "Great Britain, Ireland, Isle of Man",
        outline: &[
            (-11.0, 61.0),
            (2.0, 61.0),
            (2.0, 51.3),
            (1.6, 51.0),
            (1.0, 50.55),
            (-1.0, 50.1),
            (-2.1, 49.85),
            (-7.0, 49.3),
            (-11.0, 49.3),
        ],
    },
    Area {
        name: "Channel Islands",
        outline: &[
            (-2.75, 49.15),
            (-1.99, 49.15),
            (-1.99, 49.75),
            (-2.75, 49.75),
        ],
    },
    Area {
        name: "Malta",
        outline: &[(14.15, 35.78), (14.6, 35.78), (14.6, 36.1), (14.15, 36.1)],
    },
    Area {
        name: "Cyprus",
        outline: &[(32.2, 34.5), (34.65, 34.5), (34.65, 35.75), (32.2, 35.75)],
    },
];

/// Whether `p` lies inside `outline` (even–odd rule).
fn inside(p: LonLat, outline: &[(f64, f64)]) -> bool {
    let mut odd = false;
    let mut j = outline.len() - 1;
    for i in 0..outline.len() {
        let (xi, yi) = outline[i];
        let (xj, yj) = outline[j];
        if (yi > p.lat) != (yj > p.lat) && p.lon < (xj - xi) * (p.lat - yi) / (yj - yi) + xi {
            odd = !odd;
        }
        j = i;
    }
    odd
}

/// Whether traffic keeps left at `p`, by the areas of the module doc.
pub fn left_hand_at(p: LonLat) -> bool {
    LEFT_HAND_AREAS.iter().any(|a| inside(p, a.outline))
}

/// Whether traffic keeps left on a way with this `driving_side` tag whose first node
/// is at `first`: the tag decides when it says `left` or `right`, else the place.
pub fn left_hand(driving_side: Option<&str>, first: LonLat) -> bool {
    match driving_side {
        Some("left") => true,
        Some("right") => false,
        _ => left_hand_at(first),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn left_hand_areas() {
        let at = |lon, lat| left_hand_at(LonLat::new(lon, lat));
        // Oakham (Rutland), London, Dover, Dublin, Douglas, Belfast, Penzance.
        assert!(at(-0.727, 52.670));
        assert!(at(-0.128, 51.507));
        assert!(at(1.313, 51.127));
        assert!(at(-6.260, 53.350));
        assert!(at(-4.48, 54.15));
        assert!(at(-5.93, 54.60));
        assert!(at(-5.54, 50.12));
        // St Helier, St Peter Port, Valletta, Nicosia.
        assert!(at(-2.106, 49.186));
        assert!(at(-2.536, 49.455));
        assert!(at(14.514, 35.899));
        assert!(at(33.38, 35.17));
        // Calais, Boulogne, Dieppe, Cherbourg, Cap de la Hague, Dunkirk, Andorra
        // la Vella, Monaco, Paris, Brest, Catania.
        assert!(!at(1.858, 50.951));
        assert!(!at(1.614, 50.726));
        assert!(!at(1.08, 49.92));
        assert!(!at(-1.62, 49.64));
        assert!(!at(-1.94, 49.72));
        assert!(!at(2.377, 51.034));
        assert!(!at(1.521, 42.507));
        assert!(!at(7.42, 43.74));
        assert!(!at(2.35, 48.86));
        assert!(!at(-4.49, 48.39));
        assert!(!at(15.09, 37.50));
    }

    #[test]
    fn the_way_tag_comes_first() {
        let london = LonLat::new(-0.128, 51.507);
        let paris = LonLat::new(2.35, 48.86);
        assert!(left_hand(None, london));
        assert!(!left_hand(Some("right"), london));
        assert!(left_hand(Some("left"), paris));
        assert!(!left_hand(Some("both"), paris));
    }
}
