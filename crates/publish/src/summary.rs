//! The plan's headline figures, as labelled lines: printed in the terminal by
//! [`summary_text`] and as a table at the end of the weekly grid. Both read the same
//! [`figures`], so they never disagree.

use tournee_model::Plan;

/// One headline figure: a French label and its value, already formatted.
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    pub label: &'static str,
    pub value: String,
}

fn figure(label: &'static str, value: String) -> Figure {
    Figure { label, value }
}

/// The headline figures of a plan, in reading order.
pub fn figures(plan: &Plan) -> Vec<Figure> {
    let s = &plan.summary;
    let mut figures = vec![
        figure(
            "Population atteignable par semaine",
            format!(
                "{:.0} habitants sur {} (pondérée : {:.0})",
                s.reachable_inhabitants_per_week,
                s.population_total,
                s.reachable_population_per_week
            ),
        ),
        figure(
            "Lieux atteints",
            format!("{} / {}", s.places_reached, s.places_total),
        ),
        figure(
            "Passages",
            format!("{} en {} semaine(s)", s.visits, plan.cycle_weeks),
        ),
        figure(
            "Borne supérieure (pondérée)",
            match (s.upper_bound, s.gap_percent()) {
                (Some(b), Some(gap)) => {
                    format!("{b:.0} : écart au meilleur plan possible ≤ {gap:.1} %")
                }
                _ => "non calculée".to_string(),
            },
        ),
        figure("Distance", format!("{:.1} km", s.distance.as_km_f64())),
        figure("Conduite", format!("{:.1} h", s.driving.as_hours_f64())),
        figure("Temps de médiateurs", format!("{:.1} h", s.mediator_hours)),
        figure("Non planifié", plan.unplaced.len().to_string()),
    ];
    // Home visits, counted apart from the buses' reach.
    if let Some(h) = &s.home {
        figures.push(figure(
            "Visites à domicile",
            format!(
                "{} demande(s) visitée(s) sur {} (priorité {} sur {}), {} journée(s), {:.1} h, {:.1} km",
                h.served,
                h.requests,
                h.priority_served,
                h.priority_requested,
                h.days,
                h.hours,
                h.distance.as_km_f64()
            ),
        ));
    }
    figures
}

/// A few lines for the terminal, one figure a line ("Lieux atteints : 12 / 40").
pub fn summary_text(plan: &Plan) -> String {
    figures(plan)
        .iter()
        .map(|f| format!("{} : {}", f.label, f.value))
        .collect::<Vec<_>>()
        .join("\n")
}
