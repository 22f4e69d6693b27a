//! Identifiers. [`SiteId`] and [`PlaceId`] index the site and place lists of one
//! imported territory; they are *not* stable across imports. [`OsmRef`] is the stable
//! key that plans, calendars and the checker use to find a site again.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::str::FromStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct SiteId(pub u32);

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct PlaceId(pub u32);

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum OsmKind {
    Node,
    Way,
    Relation,
}

/// A reference to an OpenStreetMap object, written `node/123`, `way/45`, `relation/6`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct OsmRef {
    pub kind: OsmKind,
    pub id: i64,
}

impl OsmRef {
    pub fn node(id: i64) -> OsmRef {
        OsmRef {
            kind: OsmKind::Node,
            id,
        }
    }
    pub fn way(id: i64) -> OsmRef {
        OsmRef {
            kind: OsmKind::Way,
            id,
        }
    }
}

impl fmt::Display for OsmRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let k = match self.kind {
            OsmKind::Node => "node",
            OsmKind::Way => "way",
            OsmKind::Relation => "relation",
        };
        write!(f, "{k}/{}", self.id)
    }
}

impl FromStr for OsmRef {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (k, id) = s
            .split_once('/')
            .ok_or_else(|| format!("`{s}` is not an OSM reference like node/123"))?;
        let kind = match k {
            "node" => OsmKind::Node,
            "way" => OsmKind::Way,
            "relation" => OsmKind::Relation,
            _ => return Err(format!("`{k}` is not node, way or relation in `{s}`")),
        };
        let id = id
            .parse()
            .map_err(|_| format!("`{id}` is not a numeric OSM id in `{s}`"))?;
        Ok(OsmRef { kind, id })
    }
}

impl Serialize for OsmRef {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for OsmRef {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn osm_ref_round_trips(id in any::<i64>(), k in 0..3u8) {
            let kind = [OsmKind::Node, OsmKind::Way, OsmKind::Relation][k as usize];
            let r = OsmRef { kind, id };
            prop_assert_eq!(r.to_string().parse::<OsmRef>().unwrap(), r);
        }
    }

    #[test]
    fn bad_osm_refs_are_rejected() {
        assert!("node".parse::<OsmRef>().is_err());
        assert!("area/3".parse::<OsmRef>().is_err());
        assert!("way/x".parse::<OsmRef>().is_err());
    }
}
