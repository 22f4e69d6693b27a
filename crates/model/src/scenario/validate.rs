//! Consistency checks of a scenario before planning; each error names its field.

use super::*;
use chrono::Datelike;
use std::collections::BTreeSet;
use std::path::PathBuf;

use crate::calendar::Weekday;
use tournee_i18n::tr;

impl Scenario {
    /// Checks internal consistency. The error names the first field at fault.
    pub fn validate(&self) -> Result<(), ScenarioError> {
        let bad = |field: String, message: String| {
            Err(ScenarioError {
                path: None,
                line: None,
                field: Some(field),
                message,
            })
        };
        if self.name.trim().is_empty() {
            return bad("name".into(), tr!("validate-no-name"));
        }
        if let Some((field, message)) = self.publication_problem() {
            return bad(field, message);
        }
        if self.start_date.weekday() != chrono::Weekday::Mon {
            return bad(
                "start_date".into(),
                tr!(
                    "validate-start-monday",
                    date = self.start_date.to_string(),
                    weekday = Weekday::from_chrono(self.start_date.weekday()).name()
                ),
            );
        }
        if !(1..=52).contains(&self.cycle_weeks) {
            return bad(
                "cycle_weeks".into(),
                tr!("validate-cycle-weeks", weeks = self.cycle_weeks),
            );
        }
        if self.days.is_empty() {
            return bad("days".into(), tr!("validate-no-days"));
        }
        if let Some(d) = duplicate(self.days.iter().map(|d| d.to_string())) {
            return bad("days".into(), tr!("validate-listed-twice", value = d));
        }
        for (i, p) in self.school_holidays.iter().enumerate() {
            if p.from > p.to {
                return bad(
                    format!("school_holidays[{i}].to"),
                    tr!(
                        "validate-school-holidays-order",
                        to = p.to.to_string(),
                        from = p.from.to_string()
                    ),
                );
            }
        }
        if self.setup_minutes > 120 {
            return bad(
                "setup_minutes".into(),
                tr!("validate-setup", minutes = self.setup_minutes),
            );
        }
        if let Err((field, message)) = self.reach.validate() {
            return bad(field, message);
        }
        if !(1..=60).contains(&self.reach.walk_minutes) {
            return bad(
                "reach.walk_minutes".into(),
                tr!("validate-walk", minutes = self.reach.walk_minutes),
            );
        }
        if let Some(k) = self.rules.every_commune_every_weeks {
            if !(1..=52).contains(&k) {
                return bad(
                    "rules.every_commune_every_weeks".into(),
                    tr!("rules-every-weeks-range", weeks = k),
                );
            }
        }
        if self.sites.kinds.is_empty() {
            return bad("sites.kinds".into(), tr!("validate-no-kinds"));
        }
        if !valid_weight(self.objective.default_weight) {
            return bad(
                "objective.default_weight".into(),
                format!(
                    "poids {} invalide : un poids est un nombre de 0 à {MAX_WEIGHT}",
                    self.objective.default_weight
                ),
            );
        }
        for (k, w) in &self.objective.weights {
            if !valid_weight(*w) {
                return bad(
                    format!("objective.weights.{k}"),
                    format!("poids {w} invalide : un poids est un nombre de 0 à {MAX_WEIGHT}"),
                );
            }
        }
        if let Some(d) = &self.demand {
            let empty = |p: &Option<PathBuf>| p.as_ref().is_some_and(|p| p.as_os_str().is_empty());
            if empty(&d.communes) {
                return bad("demand.communes".into(), tr!("validate-empty-path"));
            }
            if empty(&d.weights) {
                return bad("demand.weights".into(), tr!("validate-empty-path"));
            }
            if let Some(r) = d.weight_reference {
                if !(r.is_finite() && r > 0.0) {
                    return bad(
                        "demand.weight_reference".into(),
                        format!(
                            "{r} : la valeur de référence des poids doit être un nombre positif"
                        ),
                    );
                }
            }
            if empty(&d.served) {
                return bad("demand.served".into(), "le chemin est vide".into());
            }
            match (&d.communes, d.vintage) {
                (Some(_), None) => {
                    return bad("demand.communes".into(), tr!("validate-no-vintage"))
                }
                (None, Some(_)) => {
                    return bad("demand.vintage".into(), tr!("validate-vintage-alone"))
                }
                (Some(_), Some(v)) if !crate::demand::VINTAGE_RANGE.contains(&v) => {
                    return bad(
                        "demand.vintage".into(),
                        tr!(
                            "validate-vintage-range",
                            year = v,
                            first = *crate::demand::VINTAGE_RANGE.start(),
                            last = *crate::demand::VINTAGE_RANGE.end()
                        ),
                    )
                }
                _ => {}
            }
            if let Some(w) = &d.weight_column {
                if w.trim().is_empty() {
                    return bad("demand.weight_column".into(), tr!("validate-empty-column"));
                }
                if d.communes.is_none() && d.weights.is_none() {
                    return bad("demand.weight_column".into(), tr!("validate-column-alone"));
                }
            }
            if d.communes.is_none() && d.weights.is_none() {
                return bad("demand".into(), tr!("validate-demand-empty"));
            }
        }
        let mut previous = 1.0;
        for &f in &self.objective.repeat_factors {
            if !(f.is_finite() && (0.0..=previous).contains(&f)) {
                return bad(
                    "objective.repeat_factors".into(),
                    tr!(
                        "validate-repeat-factor",
                        factor = f.to_string(),
                        previous = previous.to_string()
                    ),
                );
            }
            previous = f;
        }
        if let Some(c) = &self.contact {
            let given = |x: &Option<String>| x.as_deref().is_some_and(|v| !v.trim().is_empty());
            if c.name.trim().is_empty() {
                return bad("contact.name".into(), tr!("validate-contact-name"));
            }
            if !(given(&c.phone) || given(&c.email) || given(&c.web)) {
                return bad("contact".into(), tr!("validate-contact-means"));
            }
            if let Some(e) = c.email.as_deref().filter(|e| !e.contains('@')) {
                return bad(
                    "contact.email".into(),
                    tr!("validate-contact-email", value = e),
                );
            }
            if let Some(w) = c
                .web
                .as_deref()
                .filter(|w| !(w.starts_with("https://") || w.starts_with("http://")))
            {
                return bad("contact.web".into(), tr!("validate-contact-web", value = w));
            }
        }
        if let Some((field, message)) = self.organisation.as_ref().and_then(|o| o.problem()) {
            return bad(format!("organisation.{field}"), message);
        }
        if self.slots.is_empty() {
            return bad("slots".into(), tr!("validate-no-slots"));
        }
        if let Some(n) = duplicate(self.slots.iter().map(|s| s.name.clone())) {
            return bad("slots".into(), tr!("validate-slot-twice", name = n));
        }
        for (i, s) in self.slots.iter().enumerate() {
            if s.start >= s.end {
                return bad(
                    format!("slots[{i}].end"),
                    tr!(
                        "validate-slot-order",
                        name = &s.name,
                        end = s.end.to_string(),
                        start = s.start.to_string()
                    ),
                );
            }
            if s.start.0 < self.setup().0 || s.end.0 + self.setup().0 > 24 * 3600 {
                return bad(
                    format!("slots[{i}].start"),
                    tr!("validate-slot-day", name = &s.name),
                );
            }
            if i > 0 && self.slots[i - 1].end > s.start {
                return bad(
                    format!("slots[{i}].start"),
                    tr!(
                        "validate-slot-overlap",
                        name = &s.name,
                        start = s.start.to_string(),
                        previous = &self.slots[i - 1].name,
                        end = self.slots[i - 1].end.to_string()
                    ),
                );
            }
        }
        if self.lunch_minutes > 180 {
            return bad(
                "lunch_minutes".into(),
                format!(
                    "a lunch break of {} minutes is more than the 180 allowed",
                    self.lunch_minutes
                ),
            );
        }
        for (i, w) in self.slots.windows(2).enumerate() {
            if crate::lunch::between(self, &w[0], &w[1]) > Seconds::ZERO
                && crate::lunch::longest_drive(self, &w[0], &w[1]).is_none()
            {
                let setup = self.setup();
                return bad(
                    "lunch_minutes".into(),
                    format!(
                        "between slot `{}` (packed up at {}) and slot `{}` (set-up from {}) \
                         there is no room for a {} min lunch break: move slot `{}` \
                         (slots[{}]) later, or lower lunch_minutes",
                        w[0].name,
                        w[0].end + setup,
                        w[1].name,
                        w[1].start - setup,
                        self.lunch_minutes,
                        w[1].name,
                        i + 1
                    ),
                );
            }
        }
        if self.depots.is_empty() {
            return bad("depots".into(), tr!("validate-no-depots"));
        }
        if let Some(d) = duplicate(self.depots.iter().map(|d| d.id.clone())) {
            return bad("depots".into(), tr!("validate-depot-twice", id = d));
        }
        for (i, d) in self.depots.iter().enumerate() {
            if !d.location().is_valid() {
                return bad(
                    format!("depots[{i}].lon"),
                    tr!(
                        "validate-depot-coordinates",
                        id = &d.id,
                        lon = d.lon.to_string(),
                        lat = d.lat.to_string()
                    ),
                );
            }
        }
        let depot_ids: Vec<&str> = self.depots.iter().map(|d| d.id.as_str()).collect();
        if self.vehicles.is_empty() {
            return bad("vehicles".into(), tr!("validate-no-vehicles"));
        }
        if let Some(v) = duplicate(self.vehicles.iter().map(|v| v.id.clone())) {
            return bad("vehicles".into(), tr!("validate-vehicle-twice", id = v));
        }
        if let Some(m) = duplicate(self.mediators.iter().map(|m| m.id.clone())) {
            return bad("mediators".into(), tr!("validate-mediator-twice", id = m));
        }
        for (i, m) in self.mediators.iter().enumerate() {
            if !depot_ids.contains(&m.base.as_str()) {
                return bad(
                    format!("mediators[{i}].base"),
                    tr!(
                        "validate-mediator-base",
                        id = &m.id,
                        base = &m.base,
                        depots = depot_ids.join(", ")
                    ),
                );
            }
            if !(m.max_hours_per_day > 0.0 && m.max_hours_per_day <= LEGAL_MAX_HOURS_PER_DAY) {
                return bad(
                    format!("mediators[{i}].max_hours_per_day"),
                    tr!(
                        "validate-hours-day",
                        id = &m.id,
                        hours = m.max_hours_per_day.to_string(),
                        max = LEGAL_MAX_HOURS_PER_DAY.to_string()
                    ),
                );
            }
            if let Some(l) = m.licences.iter().find(|l| !LICENCES.contains(&l.as_str())) {
                return bad(
                    format!("mediators[{i}].licences"),
                    tr!(
                        "validate-licence",
                        id = &m.id,
                        licence = l,
                        known = LICENCES.join(", ")
                    ),
                );
            }
            if !(m.max_hours_per_week > 0.0 && m.max_hours_per_week <= LEGAL_MAX_HOURS_PER_WEEK) {
                return bad(
                    format!("mediators[{i}].max_hours_per_week"),
                    tr!(
                        "validate-hours-week",
                        id = &m.id,
                        hours = m.max_hours_per_week.to_string(),
                        max = LEGAL_MAX_HOURS_PER_WEEK.to_string()
                    ),
                );
            }
        }
        for (i, v) in self.vehicles.iter().enumerate() {
            if !depot_ids.contains(&v.depot.as_str()) {
                return bad(
                    format!("vehicles[{i}].depot"),
                    tr!(
                        "validate-vehicle-depot",
                        id = &v.id,
                        depot = &v.depot,
                        depots = depot_ids.join(", ")
                    ),
                );
            }
            if !(1..=6).contains(&v.crew_size) {
                return bad(
                    format!("vehicles[{i}].crew_size"),
                    tr!("validate-crew-size", size = v.crew_size),
                );
            }
            if v.earliest_departure >= v.latest_return {
                return bad(
                    format!("vehicles[{i}].latest_return"),
                    tr!(
                        "validate-vehicle-hours",
                        id = &v.id,
                        back = v.latest_return.to_string(),
                        depart = v.earliest_departure.to_string()
                    ),
                );
            }
            // Some slot must fit the vehicle's hours, even with no drive at all:
            // otherwise every plan has 0 visits for it, for no visible reason.
            let setup = self.setup();
            let fits = |s: &Slot| {
                v.earliest_departure <= s.start - setup && s.end + setup <= v.latest_return
            };
            if !self.slots.iter().any(fits) {
                let first = &self.slots[0];
                let (field, message) = if first.end + setup > v.latest_return {
                    (
                        "latest_return",
                        format!(
                            "vehicle `{}` must be back by {}, before the end of the first slot \
                             `{}` and its packing-up ({}): no slot fits its hours. Did you mean \
                             latest_return = \"{}\" or later?",
                            v.id,
                            v.latest_return,
                            first.name,
                            first.end + setup,
                            first.end + setup
                        ),
                    )
                } else {
                    let last = &self.slots[self.slots.len() - 1];
                    (
                        "earliest_departure",
                        format!(
                            "vehicle `{}` leaves at {}, after the set-up of the last slot `{}` \
                             ({}): no slot fits its hours. Did you mean earliest_departure = \
                             \"{}\" or earlier?",
                            v.id,
                            v.earliest_departure,
                            last.name,
                            last.start - setup,
                            last.start - setup
                        ),
                    )
                };
                return bad(format!("vehicles[{i}].{field}"), message);
            }
            if let Some(t) = v
                .gross_weight_tonnes
                .filter(|t| !(t.is_finite() && *t > 0.0 && *t <= 44.0))
            {
                return bad(
                    format!("vehicles[{i}].gross_weight_tonnes"),
                    tr!("validate-weight-tonnes", id = &v.id, tonnes = t.to_string()),
                );
            }
            if v.mode == TravelMode::CargoBike {
                if v.gross_weight_tonnes.is_some() {
                    return bad(
                        format!("vehicles[{i}].gross_weight_tonnes"),
                        tr!("validate-bike-weight", id = &v.id),
                    );
                }
                if let Some(k) = v
                    .speed_kmh
                    .filter(|k| !(k.is_finite() && (5.0..=30.0).contains(k)))
                {
                    return bad(
                        format!("vehicles[{i}].speed_kmh"),
                        tr!("validate-bike-speed", id = &v.id, speed = k.to_string()),
                    );
                }
                if let Some(other) = self.vehicles[..i]
                    .iter()
                    .find(|o| o.mode == TravelMode::CargoBike && o.bike_kmh() != v.bike_kmh())
                {
                    return bad(
                        format!("vehicles[{i}].speed_kmh"),
                        tr!(
                            "validate-bike-speeds",
                            first = &other.id,
                            first_speed = other.bike_kmh().to_string(),
                            second = &v.id,
                            second_speed = v.bike_kmh().to_string()
                        ),
                    );
                }
                if v.communes.is_empty() {
                    return bad(
                        format!("vehicles[{i}].communes"),
                        tr!("validate-bike-communes", id = &v.id),
                    );
                }
            } else {
                let field = if v.speed_kmh.is_some() {
                    Some("speed_kmh")
                } else if !v.communes.is_empty() {
                    Some("communes")
                } else {
                    None
                };
                if let Some(f) = field {
                    return bad(
                        format!("vehicles[{i}].{f}"),
                        tr!("validate-bike-only", id = &v.id, field = f),
                    );
                }
            }
            // An impossible crew rule is an error, with the explanation of why.
            let crew_days: Vec<Weekday> = self
                .days
                .iter()
                .copied()
                .filter(|&d| v.runs_on(self, d))
                .filter(|&d| {
                    self.mediators
                        .iter()
                        .filter(|m| m.base == v.depot && m.works_on(self, d))
                        .count()
                        >= v.crew_size as usize
                })
                .collect();
            let driver_days: Vec<Weekday> = crew_days
                .iter()
                .copied()
                .filter(|&d| {
                    self.mediators
                        .iter()
                        .any(|m| m.base == v.depot && m.works_on(self, d) && m.can_drive(v))
                })
                .collect();
            if !crew_days.is_empty() && driver_days.is_empty() {
                let field = if v.is_heavy() {
                    format!("vehicles[{i}].gross_weight_tonnes")
                } else {
                    format!("vehicles[{i}].depot")
                };
                return bad(
                    field,
                    tr!(
                        "validate-no-driver",
                        id = &v.id,
                        weight = v
                            .gross_weight_tonnes
                            .map(|t| format!(" ({t} t)"))
                            .unwrap_or_default(),
                        licence = v.licence_needed().to_string(),
                        depot = &v.depot
                    ),
                );
            }
            if crew_days.is_empty() {
                let based = self.mediators.iter().filter(|m| m.base == v.depot).count();
                return bad(
                    format!("vehicles[{i}].crew_size"),
                    tr!(
                        "validate-no-crew",
                        id = &v.id,
                        size = v.crew_size,
                        depot = &v.depot,
                        based = based
                    ),
                );
            }
        }
        // Every slot must fit some vehicle's hours, even with no drive at all.
        let setup = self.setup();
        for (i, s) in self.slots.iter().enumerate() {
            let fits = |v: &Vehicle| {
                v.earliest_departure <= s.start - setup && s.end + setup <= v.latest_return
            };
            if !self.vehicles.iter().any(fits) {
                return bad(
                    format!("slots[{i}].start"),
                    tr!(
                        "validate-slot-no-vehicle",
                        slot = &s.name,
                        start = s.start.to_string(),
                        end = s.end.to_string(),
                        setup = self.setup_minutes
                    ),
                );
            }
        }
        self.validate_promises()?;
        self.validate_home_visits()
    }

    /// Home visits: an existing mediator and depot, days the mediator works, a
    /// sensible radius and day. Requests outside the radius are not errors (the plan
    /// reports them).
    pub(crate) fn validate_home_visits(&self) -> Result<(), ScenarioError> {
        let bad = |field: String, message: String| {
            Err(ScenarioError {
                path: None,
                line: None,
                field: Some(field),
                message,
            })
        };
        for (i, h) in self.home_visits.iter().enumerate() {
            let at = |f: &str| format!("home_visits[{i}].{f}");
            let Some(m) = self.mediator(&h.mediator) else {
                return bad(
                    at("mediator"),
                    tr!(
                        "validate-home-no-mediator",
                        id = &h.mediator,
                        known = self
                            .mediators
                            .iter()
                            .map(|m| m.id.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                );
            };
            if self.home_visits[..i]
                .iter()
                .any(|o| o.mediator == h.mediator)
            {
                return bad(at("mediator"), tr!("validate-home-twice", id = &h.mediator));
            }
            if h.days.is_empty() {
                return bad(at("days"), tr!("validate-home-no-days"));
            }
            if let Some(d) = duplicate(h.days.iter().map(|d| d.to_string())) {
                return bad(at("days"), tr!("validate-listed-twice", value = d));
            }
            if let Some(d) = h
                .days
                .iter()
                .find(|&&d| !m.works_on_weekday(self, d) || !self.days.contains(&d))
            {
                return bad(
                    at("days"),
                    tr!("validate-home-day", id = &m.id, weekday = d.name()),
                );
            }
            if let Some(b) = h.base.as_deref().filter(|b| self.depot(b).is_none()) {
                return bad(at("base"), tr!("validate-home-base", base = b));
            }
            if !(h.radius_km.is_finite() && h.radius_km > 0.0 && h.radius_km <= 200.0) {
                return bad(
                    at("radius_km"),
                    tr!("validate-home-radius", km = h.radius_km.to_string()),
                );
            }
            if !(5..=480).contains(&h.visit_minutes) {
                return bad(
                    at("visit_minutes"),
                    tr!("validate-home-visit", minutes = h.visit_minutes),
                );
            }
            if h.start >= h.end {
                return bad(
                    at("end"),
                    tr!(
                        "validate-home-order",
                        end = h.end.to_string(),
                        start = h.start.to_string()
                    ),
                );
            }
            // Two home-visit days in a row then always leave 11 h of rest.
            if h.end.0 - h.start.0 > 24 * 3600 - (LEGAL_MIN_DAILY_REST_HOURS * 3600.0) as u32 {
                return bad(
                    at("end"),
                    tr!(
                        "validate-home-rest",
                        start = h.start.to_string(),
                        end = h.end.to_string(),
                        rest = LEGAL_MIN_DAILY_REST_HOURS
                    ),
                );
            }
        }
        Ok(())
    }

    /// Promises: each says what and for whom, and can be kept at all on paper (the
    /// territory's sites are checked later, by the planner).
    pub(crate) fn validate_promises(&self) -> Result<(), ScenarioError> {
        let bad = |field: String, message: String| {
            Err(ScenarioError {
                path: None,
                line: None,
                field: Some(field),
                message,
            })
        };
        let mut seen = BTreeSet::new();
        let slot_days = self.cycle_weeks * self.days.len() as u32 * self.slots.len() as u32;
        for (i, p) in self.promises.iter().enumerate() {
            let at = |f: &str| format!("promises[{i}].{f}");
            if p.commune.trim().is_empty() {
                return bad(at("commune"), tr!("validate-promise-commune"));
            }
            if !seen.insert(p.commune.trim().to_lowercase()) {
                return bad(
                    at("commune"),
                    tr!("validate-promise-twice", commune = &p.commune),
                );
            }
            if p.frequency.is_none() && p.min_visits.is_none() {
                return bad(
                    format!("promises[{i}]"),
                    tr!("validate-promise-what", commune = &p.commune),
                );
            }
            if p.max_visits == Some(0) {
                return bad(
                    at("max_visits"),
                    tr!("validate-promise-zero", commune = &p.commune),
                );
            }
            if let (Some(min), Some(max)) = (p.min_visits, p.max_visits) {
                if min > max {
                    return bad(
                        at("max_visits"),
                        tr!(
                            "validate-promise-min-max",
                            commune = &p.commune,
                            max = max,
                            min = min
                        ),
                    );
                }
            }
            if let (Some(f), Some(max)) = (p.frequency, p.max_visits) {
                let need = f.min_weeks(self.cycle_weeks);
                if need > max {
                    return bad(
                        at("max_visits"),
                        tr!(
                            "validate-promise-frequency-max",
                            commune = &p.commune,
                            frequency = f.french(),
                            need = need,
                            weeks = self.cycle_weeks,
                            max = max
                        ),
                    );
                }
            }
            if let Some(min) = p.min_visits {
                let most = if p.stable {
                    self.cycle_weeks
                } else {
                    slot_days
                };
                if min > most {
                    return bad(
                        at("min_visits"),
                        tr!(
                            "validate-promise-min",
                            commune = &p.commune,
                            min = min,
                            weeks = self.cycle_weeks,
                            most = most,
                            why = if p.stable {
                                tr!("validate-promise-min-stable")
                            } else {
                                String::new()
                            }
                        ),
                    );
                }
            }
            if p.strict && p.weekday.is_none() && p.slot.is_none() {
                return bad(
                    at("strict"),
                    format!(
                        "`{}`: strict makes the promised weekday and slot rules, but the promise gives neither",
                        p.commune
                    ),
                );
            }
            if let Some(d) = p.weekday.filter(|d| !self.days.contains(d)) {
                return bad(
                    at("weekday"),
                    tr!(
                        "validate-promise-weekday",
                        commune = &p.commune,
                        weekday = d.name(),
                        days = self
                            .days
                            .iter()
                            .map(|d| d.name())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                );
            }
            if let Some(s) = p.slot.as_deref().filter(|s| self.slot(s).is_none()) {
                return bad(
                    at("slot"),
                    tr!(
                        "validate-promise-slot",
                        commune = &p.commune,
                        slot = s,
                        slots = self
                            .slots
                            .iter()
                            .map(|s| s.name.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                );
            }
        }
        Ok(())
    }
}

pub(crate) fn duplicate(items: impl Iterator<Item = String>) -> Option<String> {
    let mut seen = BTreeSet::new();
    items.into_iter().find(|i| !seen.insert(i.clone()))
}
