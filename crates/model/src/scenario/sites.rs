//! Rules on candidate sites: which kinds, how far from the road, which are closed.

use super::*;
use serde::{Deserialize, Serialize};

use crate::ids::OsmRef;
use crate::site::SiteKind;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SiteRulesConfig {
    /// Which kinds of OSM features are candidate stops.
    #[serde(default = "all_kinds")]
    pub kinds: Vec<SiteKind>,
    /// A site farther than this from a usable road is not used.
    #[serde(default = "three_hundred")]
    pub max_snap_meters: u32,
    /// Sites the coordinator excludes (works, refusal of the commune…).
    #[serde(default)]
    pub closed: Vec<OsmRef>,
    /// Partner venues (`amenity=social_facility`, `library`, `community_centre`,
    /// `cafe`) are candidates too, each during its `opening_hours` only (a venue
    /// without them is never used). Off by default.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub partner_venues: bool,
}

impl SiteRulesConfig {
    /// Whether sites of `kind` are candidates: a kind listed in `kinds`, or a
    /// partner venue's with `partner_venues`.
    pub fn allows(&self, kind: SiteKind) -> bool {
        self.kinds.contains(&kind)
            || (self.partner_venues && (kind.is_partner() || kind == SiteKind::CommunityCentre))
    }
}

impl Default for SiteRulesConfig {
    fn default() -> Self {
        SiteRulesConfig {
            kinds: all_kinds(),
            max_snap_meters: 300,
            closed: Vec::new(),
            partner_venues: false,
        }
    }
}
