//! Who is reached in a week, with what share: the bookkeeping that greedy, local
//! search and LNS share to count the objective as `Objective::weekly_value` does.
//!
//! For one week, `shares[place]` lists the reach shares (`Reach::share`, from
//! `Coverage`) of the stops reaching the place that week, in decreasing order. With
//! a hard radius every share is 1 and a list's length is the old count of stops.

use tournee_model::scenario::Objective;

/// Per place, the shares of the week's stops reaching it, in decreasing order.
pub(crate) type WeekShares = Vec<Vec<f64>>;

/// Adds one reach with `share`, keeping the list in decreasing order.
pub(crate) fn insert(list: &mut Vec<f64>, share: f64) {
    let at = list.partition_point(|&s| s >= share);
    list.insert(at, share);
}

/// Removes one reach with `share` (one added before with [`insert`]).
pub(crate) fn remove(list: &mut Vec<f64>, share: f64) {
    if let Some(at) = list.iter().position(|&s| s == share) {
        list.remove(at);
    }
}

/// What adding the reaches `places` — (place, share), sorted by place then share
/// in decreasing order, once per stop reaching the place — to a week reached as
/// `week` earns: calls `each(place, added)` for every reach in order, where
/// `added` is the share of the place's value it adds after the ones before it.
pub(crate) fn added_values(
    objective: &Objective,
    week: &[Vec<f64>],
    places: &[(usize, f64)],
    mut each: impl FnMut(usize, f64),
) {
    let mut scratch: Vec<f64> = Vec::new();
    for group in places.chunk_by(|a, b| a.0 == b.0) {
        let place = group[0].0;
        if let [(_, share)] = group {
            each(place, objective.added_value(&week[place], *share));
            continue;
        }
        scratch.clear();
        scratch.extend_from_slice(&week[place]);
        for &(_, share) in group {
            each(place, objective.added_value(&scratch, share));
            insert(&mut scratch, share);
        }
    }
}

/// Sorts a pattern's reaches as [`added_values`] wants them.
pub(crate) fn sort_reaches(places: &mut [(usize, f64)]) {
    places.sort_unstable_by(|a, b| a.0.cmp(&b.0).then(b.1.total_cmp(&a.1)));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn added_values_add_up_to_the_weekly_value() {
        let objective = Objective {
            repeat_factors: vec![0.5, 0.25],
            ..Objective::default()
        };
        let mut week: WeekShares = vec![vec![], vec![0.5], vec![1.0, 0.25]];
        let mut new = vec![(2, 0.75), (0, 0.5), (1, 1.0), (2, 0.5), (0, 0.25)];
        sort_reaches(&mut new);
        let mut added = [0.0; 3];
        added_values(&objective, &week, &new, |p, a| added[p] += a);
        for (p, list) in week.iter_mut().enumerate() {
            let before = objective.weekly_value(&mut list.clone());
            for &(q, s) in &new {
                if q == p {
                    insert(list, s);
                }
            }
            let after = objective.weekly_value(&mut list.clone());
            assert!((after - before - added[p]).abs() < 1e-12, "place {p}");
            assert!(list.windows(2).all(|w| w[0] >= w[1]));
        }
        remove(&mut week[2], 0.75);
        assert_eq!(week[2], vec![1.0, 0.5, 0.25]);
    }
}
