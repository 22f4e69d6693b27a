//! Consistency checks of a scenario before planning; each error names its field.

use super::*;
use chrono::Datelike;
use std::collections::BTreeSet;
use std::path::PathBuf;

use crate::calendar::Weekday;

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
            return bad("name".into(), "the scenario needs a name".into());
        }
        if let Some((field, message)) = self.publication_problem() {
            return bad(field, message);
        }
        if self.start_date.weekday() != chrono::Weekday::Mon {
            return bad(
                "start_date".into(),
                format!(
                    "the cycle must start on a Monday, and {} is a {}",
                    self.start_date,
                    Weekday::from_chrono(self.start_date.weekday()).french()
                ),
            );
        }
        if !(1..=52).contains(&self.cycle_weeks) {
            return bad(
                "cycle_weeks".into(),
                format!("a cycle lasts 1 to 52 weeks, not {}", self.cycle_weeks),
            );
        }
        if self.days.is_empty() {
            return bad(
                "days".into(),
                "at least one day of the week is needed".into(),
            );
        }
        if let Some(d) = duplicate(self.days.iter().map(|d| d.to_string())) {
            return bad("days".into(), format!("`{d}` is listed twice"));
        }
        for (i, p) in self.school_holidays.iter().enumerate() {
            if p.from > p.to {
                return bad(
                    format!("school_holidays[{i}].to"),
                    format!(
                        "school holidays end ({}) before they start ({})",
                        p.to, p.from
                    ),
                );
            }
        }
        if self.setup_minutes > 120 {
            return bad(
                "setup_minutes".into(),
                format!(
                    "{} minutes of set-up is more than the 120 allowed",
                    self.setup_minutes
                ),
            );
        }
        if let Err((field, message)) = self.reach.validate() {
            return bad(field, message);
        }
        if !(1..=60).contains(&self.reach.walk_minutes) {
            return bad(
                "reach.walk_minutes".into(),
                format!(
                    "the walk to a cargo bike's stop must be 1 to 60 minutes, not {}",
                    self.reach.walk_minutes
                ),
            );
        }
        if self.sites.kinds.is_empty() {
            return bad(
                "sites.kinds".into(),
                "at least one kind of site is needed".into(),
            );
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
                return bad("demand.communes".into(), "the path is empty".into());
            }
            if empty(&d.weights) {
                return bad("demand.weights".into(), "the path is empty".into());
            }
            if let Some(r) = d.weight_reference {
                if !(r.is_finite() && r > 0.0) {
                    return bad(
                        "demand.weight_reference".into(),
                        format!("{r} : la valeur de référence des poids doit être un nombre positif"),
                    );
                }
            }
            if empty(&d.served) {
                return bad("demand.served".into(), "le chemin est vide".into());
            }
            match (&d.communes, d.vintage) {
                (Some(_), None) => {
                    return bad(
                        "demand.communes".into(),
                        "a commune table needs its `vintage`, the year of the Code officiel géographique its codes follow (e.g. vintage = 2024)".into(),
                    )
                }
                (None, Some(_)) => {
                    return bad(
                        "demand.vintage".into(),
                        "`vintage` is the year of the commune table's codes: set `communes` too, or remove it".into(),
                    )
                }
                (Some(_), Some(v)) if !crate::demand::VINTAGE_RANGE.contains(&v) => {
                    return bad(
                        "demand.vintage".into(),
                        format!(
                            "{v} is not a year of the Code officiel géographique ({} to {})",
                            crate::demand::VINTAGE_RANGE.start(),
                            crate::demand::VINTAGE_RANGE.end()
                        ),
                    )
                }
                _ => {}
            }
            if let Some(w) = &d.weight_column {
                if w.trim().is_empty() {
                    return bad(
                        "demand.weight_column".into(),
                        "the column name is empty".into(),
                    );
                }
                if d.communes.is_none() && d.weights.is_none() {
                    return bad(
                        "demand.weight_column".into(),
                        "names a column of the commune table or weights file: set `communes` or `weights` too".into(),
                    );
                }
            }
            if d.communes.is_none() && d.weights.is_none() {
                return bad(
                    "demand".into(),
                    "set `communes` (an INSEE commune table) or `weights` (a weights file), or remove [demand]".into(),
                );
            }
        }
        let mut previous = 1.0;
        for &f in &self.objective.repeat_factors {
            if !(f.is_finite() && (0.0..=previous).contains(&f)) {
                return bad(
                    "objective.repeat_factors".into(),
                    format!(
                        "repeat factor {f}: each must be within [0, 1] and not above the one before ({previous})"
                    ),
                );
            }
            previous = f;
        }
        if let Some(c) = &self.contact {
            let given = |x: &Option<String>| x.as_deref().is_some_and(|v| !v.trim().is_empty());
            if c.name.trim().is_empty() {
                return bad("contact.name".into(), "the contact needs a name".into());
            }
            if !(given(&c.phone) || given(&c.email) || given(&c.web)) {
                return bad(
                    "contact".into(),
                    "the contact needs at least a phone, an email or a web page".into(),
                );
            }
            if let Some(e) = c.email.as_deref().filter(|e| !e.contains('@')) {
                return bad(
                    "contact.email".into(),
                    format!("`{e}` is not an email address"),
                );
            }
            if let Some(w) = c
                .web
                .as_deref()
                .filter(|w| !(w.starts_with("https://") || w.starts_with("http://")))
            {
                return bad(
                    "contact.web".into(),
                    format!("`{w}` is not a web address (https://…)"),
                );
            }
        }
        if let Some((field, message)) = self.organisation.as_ref().and_then(|o| o.problem()) {
            return bad(format!("organisation.{field}"), message);
        }
        if self.slots.is_empty() {
            return bad("slots".into(), "at least one slot is needed".into());
        }
        if let Some(n) = duplicate(self.slots.iter().map(|s| s.name.clone())) {
            return bad("slots".into(), format!("two slots are named `{n}`"));
        }
        for (i, s) in self.slots.iter().enumerate() {
            if s.start >= s.end {
                return bad(
                    format!("slots[{i}].end"),
                    format!(
                        "slot `{}` ends ({}) before it starts ({})",
                        s.name, s.end, s.start
                    ),
                );
            }
            if s.start.0 < self.setup().0 || s.end.0 + self.setup().0 > 24 * 3600 {
                return bad(
                    format!("slots[{i}].start"),
                    format!(
                        "slot `{}` with its set-up time does not fit in one day",
                        s.name
                    ),
                );
            }
            if i > 0 && self.slots[i - 1].end > s.start {
                return bad(
                    format!("slots[{i}].start"),
                    format!(
                        "slot `{}` starts at {} before slot `{}` ends at {}: slots must be in order and not overlap",
                        s.name, s.start, self.slots[i - 1].name, self.slots[i - 1].end
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
            return bad("depots".into(), "at least one depot is needed".into());
        }
        if let Some(d) = duplicate(self.depots.iter().map(|d| d.id.clone())) {
            return bad("depots".into(), format!("two depots have the id `{d}`"));
        }
        for (i, d) in self.depots.iter().enumerate() {
            if !d.location().is_valid() {
                return bad(
                    format!("depots[{i}].lon"),
                    format!(
                        "depot `{}` has coordinates ({}, {}) that are not longitude/latitude",
                        d.id, d.lon, d.lat
                    ),
                );
            }
        }
        let depot_ids: Vec<&str> = self.depots.iter().map(|d| d.id.as_str()).collect();
        if self.vehicles.is_empty() {
            return bad("vehicles".into(), "at least one vehicle is needed".into());
        }
        if let Some(v) = duplicate(self.vehicles.iter().map(|v| v.id.clone())) {
            return bad("vehicles".into(), format!("two vehicles have the id `{v}`"));
        }
        if let Some(m) = duplicate(self.mediators.iter().map(|m| m.id.clone())) {
            return bad(
                "mediators".into(),
                format!("two mediators have the id `{m}`"),
            );
        }
        for (i, m) in self.mediators.iter().enumerate() {
            if !depot_ids.contains(&m.base.as_str()) {
                return bad(
                    format!("mediators[{i}].base"),
                    format!(
                        "mediator `{}` is based at unknown depot `{}` (depots: {})",
                        m.id,
                        m.base,
                        depot_ids.join(", ")
                    ),
                );
            }
            if !(m.max_hours_per_day > 0.0 && m.max_hours_per_day <= LEGAL_MAX_HOURS_PER_DAY) {
                return bad(
                    format!("mediators[{i}].max_hours_per_day"),
                    format!(
                        "mediator `{}`: {} hours a day is outside (0, {}] (legal daily maximum)",
                        m.id, m.max_hours_per_day, LEGAL_MAX_HOURS_PER_DAY
                    ),
                );
            }
            if let Some(l) = m.licences.iter().find(|l| !LICENCES.contains(&l.as_str())) {
                return bad(
                    format!("mediators[{i}].licences"),
                    format!(
                        "mediator `{}`: unknown licence `{l}` (known: {})",
                        m.id,
                        LICENCES.join(", ")
                    ),
                );
            }
            if !(m.max_hours_per_week > 0.0 && m.max_hours_per_week <= LEGAL_MAX_HOURS_PER_WEEK) {
                return bad(
                    format!("mediators[{i}].max_hours_per_week"),
                    format!(
                        "mediator `{}`: {} hours a week is outside (0, {}] (legal weekly maximum)",
                        m.id, m.max_hours_per_week, LEGAL_MAX_HOURS_PER_WEEK
                    ),
                );
            }
        }
        for (i, v) in self.vehicles.iter().enumerate() {
            if !depot_ids.contains(&v.depot.as_str()) {
                return bad(
                    format!("vehicles[{i}].depot"),
                    format!(
                        "vehicle `{}` leaves from unknown depot `{}` (depots: {})",
                        v.id,
                        v.depot,
                        depot_ids.join(", ")
                    ),
                );
            }
            if !(1..=6).contains(&v.crew_size) {
                return bad(
                    format!("vehicles[{i}].crew_size"),
                    format!("a crew of {} is outside 1 to 6", v.crew_size),
                );
            }
            if v.earliest_departure >= v.latest_return {
                return bad(
                    format!("vehicles[{i}].latest_return"),
                    format!(
                        "vehicle `{}` must be back ({}) after it leaves ({})",
                        v.id, v.latest_return, v.earliest_departure
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
                    format!("vehicle `{}`: {t} t is not a weight (0 to 44 t)", v.id),
                );
            }
            if v.mode == TravelMode::CargoBike {
                if v.gross_weight_tonnes.is_some() {
                    return bad(
                        format!("vehicles[{i}].gross_weight_tonnes"),
                        format!(
                            "vehicle `{}` is a cargo bike: it has no gross weight (no licence or driving-time rules for bikes)",
                            v.id
                        ),
                    );
                }
                if let Some(k) = v
                    .speed_kmh
                    .filter(|k| !(k.is_finite() && (5.0..=30.0).contains(k)))
                {
                    return bad(
                        format!("vehicles[{i}].speed_kmh"),
                        format!("cargo bike `{}`: {k} km/h is outside 5 to 30 km/h", v.id),
                    );
                }
                if let Some(other) = self.vehicles[..i]
                    .iter()
                    .find(|o| o.mode == TravelMode::CargoBike && o.bike_kmh() != v.bike_kmh())
                {
                    return bad(
                        format!("vehicles[{i}].speed_kmh"),
                        format!(
                            "cargo bikes `{}` ({} km/h) and `{}` ({} km/h): every cargo bike of a scenario rides at the same speed",
                            other.id,
                            other.bike_kmh(),
                            v.id,
                            v.bike_kmh()
                        ),
                    );
                }
                if v.communes.is_empty() {
                    return bad(
                        format!("vehicles[{i}].communes"),
                        format!(
                            "cargo bike `{}`: list the communes it serves (place names or INSEE codes), e.g. communes = [\"Brumeval\"]",
                            v.id
                        ),
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
                        format!(
                            "vehicle `{}`: `{f}` is for cargo bikes (mode = \"cargo_bike\")",
                            v.id
                        ),
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
                    format!(
                        "vehicle `{}`{} needs a driver with licence {}, and no mediator based at depot `{}` who holds it works on the vehicle's days",
                        v.id,
                        v.gross_weight_tonnes.map(|t| format!(" ({t} t)")).unwrap_or_default(),
                        v.licence_needed(),
                        v.depot
                    ),
                );
            }
            if crew_days.is_empty() {
                let based = self.mediators.iter().filter(|m| m.base == v.depot).count();
                return bad(
                    format!("vehicles[{i}].crew_size"),
                    format!(
                        "vehicle `{}` needs a crew of {} mediators based at depot `{}`, but on none of its days do that many work there ({} mediator(s) based there in all)",
                        v.id, v.crew_size, v.depot, based
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
                    format!(
                        "no mediator `{}` (mediators: {})",
                        h.mediator,
                        self.mediators
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
                return bad(
                    at("mediator"),
                    format!(
                        "mediator `{}` has two home_visits sections: merge them",
                        h.mediator
                    ),
                );
            }
            if h.days.is_empty() {
                return bad(at("days"), "at least one weekday is needed".into());
            }
            if let Some(d) = duplicate(h.days.iter().map(|d| d.to_string())) {
                return bad(at("days"), format!("`{d}` is listed twice"));
            }
            if let Some(d) = h
                .days
                .iter()
                .find(|&&d| !m.works_on_weekday(self, d) || !self.days.contains(&d))
            {
                return bad(
                    at("days"),
                    format!(
                        "mediator `{}` does not work on {} (or it is not one of the scenario's days)",
                        m.id,
                        d.french()
                    ),
                );
            }
            if let Some(b) = h.base.as_deref().filter(|b| self.depot(b).is_none()) {
                return bad(at("base"), format!("no depot `{b}`"));
            }
            if !(h.radius_km.is_finite() && h.radius_km > 0.0 && h.radius_km <= 200.0) {
                return bad(
                    at("radius_km"),
                    format!("a radius of {} km is outside (0, 200]", h.radius_km),
                );
            }
            if !(5..=480).contains(&h.visit_minutes) {
                return bad(
                    at("visit_minutes"),
                    format!("a visit of {} minutes is outside 5 to 480", h.visit_minutes),
                );
            }
            if h.start >= h.end {
                return bad(
                    at("end"),
                    format!("the day ends ({}) before it starts ({})", h.end, h.start),
                );
            }
            // Two home-visit days in a row then always leave 11 h of rest.
            if h.end.0 - h.start.0 > 24 * 3600 - (LEGAL_MIN_DAILY_REST_HOURS * 3600.0) as u32 {
                return bad(
                    at("end"),
                    format!(
                        "a day from {} to {} leaves less than {} h of rest before the next",
                        h.start, h.end, LEGAL_MIN_DAILY_REST_HOURS
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
                return bad(
                    at("commune"),
                    "a promise names its commune (place name or INSEE code)".into(),
                );
            }
            if !seen.insert(p.commune.trim().to_lowercase()) {
                return bad(
                    at("commune"),
                    format!(
                        "commune `{}` has two promises: merge them into one",
                        p.commune
                    ),
                );
            }
            if p.frequency.is_none() && p.min_visits.is_none() {
                return bad(
                    format!("promises[{i}]"),
                    format!(
                        "the promise to `{}` needs a frequency (weekly, two_in_three, fortnightly, monthly, every_5_weeks) or min_visits",
                        p.commune
                    ),
                );
            }
            if p.max_visits == Some(0) {
                return bad(
                    at("max_visits"),
                    format!(
                        "a promise to `{}` of at most 0 visits promises nothing: remove it",
                        p.commune
                    ),
                );
            }
            if let (Some(min), Some(max)) = (p.min_visits, p.max_visits) {
                if min > max {
                    return bad(
                        at("max_visits"),
                        format!(
                            "`{}`: max_visits {max} is below min_visits {min}",
                            p.commune
                        ),
                    );
                }
            }
            if let (Some(f), Some(max)) = (p.frequency, p.max_visits) {
                let need = f.min_weeks(self.cycle_weeks);
                if need > max {
                    return bad(
                        at("max_visits"),
                        format!(
                            "`{}`: {} needs at least {need} visits in a {}-week cycle, more than max_visits {max}",
                            p.commune,
                            f.french(),
                            self.cycle_weeks
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
                        format!(
                            "`{}`: {min} visits cannot fit in a {}-week cycle ({most} at most{})",
                            p.commune,
                            self.cycle_weeks,
                            if p.stable {
                                ": a stable weekday and slot allows one a week"
                            } else {
                                ""
                            }
                        ),
                    );
                }
            }
            if let Some(d) = p.weekday.filter(|d| !self.days.contains(d)) {
                return bad(
                    at("weekday"),
                    format!(
                        "`{}`: no tour runs on {} (days: {})",
                        p.commune,
                        d.french(),
                        self.days
                            .iter()
                            .map(|d| d.to_string())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                );
            }
            if let Some(s) = p.slot.as_deref().filter(|s| self.slot(s).is_none()) {
                return bad(
                    at("slot"),
                    format!(
                        "`{}`: no slot `{s}` (slots: {})",
                        p.commune,
                        self.slots
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
