//! Geographic points. Longitude first everywhere, as in GeoJSON (RFC 7946).

use serde::{Deserialize, Serialize};

use crate::units::Meters;

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct LonLat {
    pub lon: f64,
    pub lat: f64,
}

const EARTH_RADIUS_M: f64 = 6_371_008.8;

impl LonLat {
    pub fn new(lon: f64, lat: f64) -> LonLat {
        LonLat { lon, lat }
    }

    /// Whether the point is a valid WGS84 coordinate.
    pub fn is_valid(&self) -> bool {
        self.lon.is_finite()
            && self.lat.is_finite()
            && (-180.0..=180.0).contains(&self.lon)
            && (-90.0..=90.0).contains(&self.lat)
    }

    /// Great-circle distance in metres (haversine), as a float.
    pub fn distance_m(&self, other: &LonLat) -> f64 {
        let (p1, p2) = (self.lat.to_radians(), other.lat.to_radians());
        let dp = p2 - p1;
        let dl = (other.lon - self.lon).to_radians();
        let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
        2.0 * EARTH_RADIUS_M * a.sqrt().asin()
    }

    /// Great-circle distance rounded to whole metres.
    pub fn distance(&self, other: &LonLat) -> Meters {
        Meters(self.distance_m(other).round() as u32)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_degree_of_latitude_is_about_111_km() {
        let d = LonLat::new(0.0, 45.0).distance_m(&LonLat::new(0.0, 46.0));
        assert!((d - 111_195.0).abs() < 50.0, "{d}");
    }

    #[test]
    fn invalid_coordinates_are_detected() {
        assert!(!LonLat::new(200.0, 0.0).is_valid());
        assert!(!LonLat::new(0.0, f64::NAN).is_valid());
        assert!(LonLat::new(-0.5, 45.2).is_valid());
    }
}
