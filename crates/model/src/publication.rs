//! What the scenario says about how the service and its stops are shown to the
//! public: the service's name and label (`[service]`), the stops' names,
//! descriptions, addresses and access (`[[site]]`), and how far calendars run
//! (`publish_until`).

use serde::{Deserialize, Serialize};

use crate::ids::OsmRef;

/// The service's public name, written wherever documents named "the bus".
pub const DEFAULT_SERVICE_NAME: &str = "Bus numérique";

/// `[service]`: the service as the public knows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Service {
    /// "Bus France Services": on every sheet, calendar, panel and notice.
    pub name: String,
    /// The label the service holds ("France Services"), printed with the name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// Where the communes' calendars are published (`https://…/calendriers/`): a
    /// commune's link is this followed by its file name, printed on its sheet with
    /// a QR code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub calendars_url: Option<String>,
}

impl Service {
    /// The link to the calendar file `stem.ics`, when the calendars' URL is known.
    pub fn calendar_link(&self, stem: &str) -> Option<String> {
        let base = self.calendars_url.as_deref()?.trim();
        Some(format!("{}/{stem}.ics", base.trim_end_matches('/')))
    }
}

/// `[[site]]`: what the coordinator says of one stop. It names an OSM site (by
/// `osm = "node/123"`, or by its `name` as imported).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SiteEntry {
    /// The OSM site this entry is about.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub osm: Option<OsmRef>,
    /// The site's name as imported (when `osm` is not given).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The name the public reads ("Parking de la salle des fêtes").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub public_name: Option<String>,
    /// A sentence for the public ("derrière la mairie, entrée par la rue Haute").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Access for people with reduced mobility: `yes`, `limited` or `no`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wheelchair: Option<String>,
    /// The address, when OSM's is missing or wrong.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
}

impl SiteEntry {
    /// What is wrong with the entry, if anything: (field, message).
    pub fn problem(&self) -> Option<(&'static str, String)> {
        if self.osm.is_none() && self.name.is_none() {
            return Some((
                "osm",
                "a site entry needs `osm` (\"node/123\") or the `name` of a site".into(),
            ));
        }
        if let Some(w) = &self.wheelchair {
            if !matches!(w.as_str(), "yes" | "limited" | "no") {
                return Some((
                    "wheelchair",
                    format!("`{w}`: write yes, limited or no"),
                ));
            }
        }
        None
    }
}
