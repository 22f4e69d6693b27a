//! What the scenario says about how the service and its stops are shown to the
//! public: the service's name and label (`[service]`), the stops' names,
//! descriptions, addresses and access (`[[site]]`), and how far calendars run
//! (`publish_until`).

use serde::{Deserialize, Serialize};

use crate::calendar::Weekday;
use crate::ids::OsmRef;
use crate::scenario::Scenario;
use crate::site::Site;

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
    /// The only weekdays the site may host a stop ("the village hall is free on
    /// Tuesdays only"); empty: any day. A rule for the optimiser and the checker
    /// alike (`availability::SiteRule::for_scenario`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub days: Vec<Weekday>,
    /// When the site may host a stop, in OSM `opening_hours` syntax ("We
    /// 08:00-13:00" for a market on Wednesday mornings); the whole stop, set-up
    /// included, must fall inside. For a market square it replaces OSM's hours
    /// (the market day the coordinator knows).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hours: Option<String>,
    /// At most this many visits of the site in the cycle (`model::rules`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_visits: Option<u32>,
    /// A site the coordinator adds by coordinates (with `lon` and a `name`): a spot
    /// OSM does not have (`model::rules::added_site_ref` gives its reference).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lat: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lon: Option<f64>,
    /// An added site's commune; else the nearest commune seat's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub commune: Option<String>,
    /// An added site's kind (`parking` by default), for its availability rules.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<crate::site::SiteKind>,
}

impl SiteEntry {
    /// What is wrong with the entry, if anything: (field, message).
    pub fn problem(&self) -> Option<(&'static str, String)> {
        use tournee_i18n::tr;
        if self.is_added() {
            let Some(lat) = self.lat else {
                return Some(("lat", tr!("rules-site-lat-lon")));
            };
            let Some(lon) = self.lon else {
                return Some(("lon", tr!("rules-site-lat-lon")));
            };
            if !(lat.is_finite() && (-90.0..=90.0).contains(&lat)) {
                return Some(("lat", tr!("rules-site-coordinate", value = lat.to_string())));
            }
            if !(lon.is_finite() && (-180.0..=180.0).contains(&lon)) {
                return Some(("lon", tr!("rules-site-coordinate", value = lon.to_string())));
            }
            if self.osm.is_some() {
                return Some(("osm", tr!("rules-site-osm-and-coordinates")));
            }
            if self.name.as_deref().is_none_or(|n| n.trim().is_empty()) {
                return Some(("name", tr!("rules-site-added-name")));
            }
        } else if self.commune.is_some() || self.kind.is_some() {
            let field = if self.commune.is_some() {
                "commune"
            } else {
                "kind"
            };
            return Some((field, tr!("rules-site-added-only", field = field)));
        }
        if self.max_visits == Some(0) {
            return Some(("max_visits", tr!("rules-site-max-zero")));
        }
        if self.osm.is_none() && self.name.is_none() {
            return Some((
                "osm",
                "a site entry needs `osm` (\"node/123\") or the `name` of a site".into(),
            ));
        }
        if let Some(w) = &self.wheelchair {
            if !matches!(w.as_str(), "yes" | "limited" | "no") {
                return Some(("wheelchair", format!("`{w}`: write yes, limited or no")));
            }
        }
        if let Some(h) = &self.hours {
            if let Err(e) = h.parse::<opening_hours::OpeningHours>() {
                return Some((
                    "hours",
                    format!(
                        "`{h}` n'est pas un horaire au format opening_hours d'OSM (par exemple \"Tu 08:00-13:00\") : {e}"
                    ),
                ));
            }
        }
        None
    }

    /// Whether this entry is about `site` (its OSM reference, else its name).
    pub fn is_about(&self, site: &Site) -> bool {
        match self.osm {
            Some(osm) => osm == site.osm,
            None => self.name.as_deref() == Some(site.name.as_str()),
        }
    }
}

impl Scenario {
    /// The service's public name ("Bus numérique" unless `[service]` says).
    pub fn service_name(&self) -> &str {
        self.service
            .as_ref()
            .map_or(DEFAULT_SERVICE_NAME, |s| s.name.as_str())
    }

    /// The `[[site]]` entry about an imported site, by OSM reference, else by name.
    pub fn site_entry(&self, osm: OsmRef, name: &str) -> Option<&SiteEntry> {
        self.site_entries
            .iter()
            .find(|e| e.osm == Some(osm))
            .or_else(|| {
                self.site_entries
                    .iter()
                    .find(|e| e.osm.is_none() && e.name.as_deref() == Some(name))
            })
    }

    /// What is wrong with `[service]`, `[[site]]` or `publish_until`: (field,
    /// message).
    pub(crate) fn publication_problem(&self) -> Option<(String, String)> {
        if let Some(s) = &self.service {
            if s.name.trim().is_empty() {
                return Some(("service.name".into(), "the service needs a name".into()));
            }
            if let Some(u) = &s.calendars_url {
                if !(u.starts_with("https://") || u.starts_with("http://")) {
                    return Some((
                        "service.calendars_url".into(),
                        format!("`{u}` is not a web address (https://…)"),
                    ));
                }
            }
        }
        for (i, e) in self.site_entries.iter().enumerate() {
            if let Some((field, message)) = e.problem() {
                return Some((format!("site[{i}].{field}"), message));
            }
        }
        match self.publish_until {
            Some(until) if until < self.start_date => Some((
                "publish_until".into(),
                format!(
                    "{until} is before the cycle's first day {}",
                    self.start_date
                ),
            )),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::scenario::tests::MINIMAL;
    use crate::Scenario;

    fn with(extra: &str) -> Result<Scenario, crate::ScenarioError> {
        Scenario::parse(&format!("{MINIMAL}\n{extra}"), None)
    }

    #[test]
    fn service_sites_and_horizon_parse_and_are_checked() {
        let s = with(
            "[service]\nname = \"Bus France Services\"\nlabel = \"France Services\"\n\
             calendars_url = \"https://cs.example/cal/\"\n\
             [[site]]\nosm = \"node/12\"\npublic_name = \"Place de l'église\"\nwheelchair = \"yes\"\n",
        )
        .unwrap();
        assert_eq!(s.service_name(), "Bus France Services");
        assert_eq!(
            s.service.as_ref().unwrap().calendar_link("bors").as_deref(),
            Some("https://cs.example/cal/bors.ics")
        );
        let e = s.site_entry(crate::OsmRef::node(12), "x").unwrap();
        assert_eq!(e.public_name.as_deref(), Some("Place de l'église"));
        assert_eq!(with("").unwrap().service_name(), "Bus numérique");
        let bad = with("[[site]]\npublic_name = \"X\"\n").unwrap_err();
        assert_eq!(bad.field.as_deref(), Some("site[0].osm"), "{bad}");
        let bad = with("[[site]]\nosm = \"node/1\"\nwheelchair = \"maybe\"\n").unwrap_err();
        assert_eq!(bad.field.as_deref(), Some("site[0].wheelchair"), "{bad}");
        let bad = with("[service]\nname = \"B\"\ncalendars_url = \"ftp://x\"\n").unwrap_err();
        assert_eq!(bad.field.as_deref(), Some("service.calendars_url"), "{bad}");
    }
}
