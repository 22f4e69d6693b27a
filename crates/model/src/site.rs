//! Candidate stop sites and demand places, as found in a territory.

use serde::{Deserialize, Serialize};
use std::fmt;

use crate::geo::LonLat;
use crate::ids::{OsmRef, PlaceId, SiteId};
use crate::units::Population;

/// Why a site is a candidate stop: the OSM feature it comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SiteKind {
    /// `amenity=marketplace`: only worth (and usable) on market day and hours.
    Marketplace,
    /// `amenity=place_of_worship`: the church square, not during services.
    PlaceOfWorship,
    /// `amenity=school`: the school parking, busy at drop-off and pick-up.
    School,
    /// `amenity=parking`.
    Parking,
    /// `amenity=townhall`: the mairie.
    Townhall,
    /// `amenity=community_centre`: salle des fêtes, village hall.
    CommunityCentre,
    /// `amenity=social_facility`: a partner venue (care home, social centre),
    /// only with `[sites] partner_venues` and during its `opening_hours`.
    SocialFacility,
    /// `amenity=library`: a partner venue, as above.
    Library,
    /// `amenity=cafe`: a partner venue, as above.
    Cafe,
}

impl SiteKind {
    pub const ALL: [SiteKind; 6] = [
        SiteKind::Marketplace,
        SiteKind::PlaceOfWorship,
        SiteKind::School,
        SiteKind::Parking,
        SiteKind::Townhall,
        SiteKind::CommunityCentre,
    ];

    /// Partner venues, where the practice also goes (`[sites] partner_venues`):
    /// candidates only when the scenario asks, used during their opening hours.
    pub const PARTNER: [SiteKind; 3] =
        [SiteKind::SocialFacility, SiteKind::Library, SiteKind::Cafe];

    /// Every kind an import keeps: [`SiteKind::ALL`] and the partner venues.
    pub const IMPORTED: [SiteKind; 9] = [
        SiteKind::Marketplace,
        SiteKind::PlaceOfWorship,
        SiteKind::School,
        SiteKind::Parking,
        SiteKind::Townhall,
        SiteKind::CommunityCentre,
        SiteKind::SocialFacility,
        SiteKind::Library,
        SiteKind::Cafe,
    ];

    /// Whether this kind is a partner venue ([`SiteKind::PARTNER`]).
    pub fn is_partner(self) -> bool {
        SiteKind::PARTNER.contains(&self)
    }

    /// The OSM `amenity=*` value this kind comes from.
    pub fn amenity(self) -> &'static str {
        match self {
            SiteKind::Marketplace => "marketplace",
            SiteKind::PlaceOfWorship => "place_of_worship",
            SiteKind::School => "school",
            SiteKind::Parking => "parking",
            SiteKind::Townhall => "townhall",
            SiteKind::CommunityCentre => "community_centre",
            SiteKind::SocialFacility => "social_facility",
            SiteKind::Library => "library",
            SiteKind::Cafe => "cafe",
        }
    }

    pub fn from_amenity(v: &str) -> Option<SiteKind> {
        SiteKind::IMPORTED.into_iter().find(|k| k.amenity() == v)
    }

    /// How residents call it, in French ("place du marché").
    pub fn french(self) -> &'static str {
        match self {
            SiteKind::Marketplace => "place du marché",
            SiteKind::PlaceOfWorship => "parvis de l'église",
            SiteKind::School => "parking de l'école",
            SiteKind::Parking => "parking",
            SiteKind::Townhall => "mairie",
            SiteKind::CommunityCentre => "salle des fêtes",
            SiteKind::SocialFacility => "structure sociale",
            SiteKind::Library => "médiathèque",
            SiteKind::Cafe => "café",
        }
    }
}

impl fmt::Display for SiteKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.amenity())
    }
}

/// A candidate stop site.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Site {
    pub id: SiteId,
    pub osm: OsmRef,
    pub kind: SiteKind,
    /// `name=*`, or a made-up "parking (way/123)" when the object has none.
    pub name: String,
    pub location: LonLat,
    /// The commune the site belongs to (nearest settlement), by name.
    pub commune: String,
    /// Raw OSM `opening_hours` (markets: the market days and hours).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub opening_hours: Option<String>,
    /// Why this object is a candidate, for the coordinator ("amenity=marketplace").
    pub reason: String,
}

/// Where a place's population figure comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PopulationSource {
    /// `population=*` on the OSM object.
    Osm,
    /// An official table (INSEE).
    Table,
    /// No figure known: a rough estimate from the kind of place; flagged in outputs.
    Estimated,
    /// No figure known: estimated from the dwellings of the residential buildings
    /// around the place (dwellings × persons per household); flagged in outputs.
    Buildings,
}

impl PopulationSource {
    /// Whether the figure is an estimate of ours rather than a count (flagged in
    /// outputs).
    pub fn is_estimate(self) -> bool {
        matches!(
            self,
            PopulationSource::Estimated | PopulationSource::Buildings
        )
    }
}

/// A place where people live (a demand point): a commune, village or hamlet.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Place {
    pub id: PlaceId,
    pub osm: OsmRef,
    pub name: String,
    /// `place=*` value: city, town, village, hamlet…
    pub place_type: String,
    pub location: LonLat,
    pub population: Population,
    pub population_source: PopulationSource,
    /// INSEE code (`ref:INSEE=*`) when mapped.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub insee: Option<String>,
}

impl Place {
    /// A settlement that is a commune seat (town or village or city), as opposed to a
    /// hamlet or isolated dwelling that belongs to a commune.
    pub fn is_commune_seat(&self) -> bool {
        matches!(self.place_type.as_str(), "city" | "town" | "village")
    }
}
