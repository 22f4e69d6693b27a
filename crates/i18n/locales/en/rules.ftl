# The coordinator's rules (model::rules, solver::rules, solver::check_rules) and the
# scenario's warnings.
rules-every-weeks = at least one visit every { $weeks } weeks
rules-every-weeks-range = { $weeks } week(s): the rule "every commune at least every k weeks" expects a number of weeks from 1 to 52
rules-site-lat-lon = a site added by its coordinates gives `lat` and `lon` together (e.g. lat = 52.67, lon = -0.72)
rules-site-coordinate = { $value } is not a valid coordinate (latitude from -90 to 90, longitude from -180 to 180, in decimal degrees)
rules-site-osm-and-coordinates = a site is either an OSM object (`osm`) or a site added by its coordinates (`lat`, `lon`): not both
rules-site-added-name = a site added by its coordinates needs a name (`name`), which names it in the plan
rules-site-added-only = `{ $field }` is only given for a site added by its coordinates (`lat`, `lon`); an OSM site keeps its commune and kind
rules-site-max-zero = max_visits = 0 forbids every visit: to close a site, add it to `sites.closed`
rules-commune-not-kept = commune { $commune } has no visit { $rule }
rules-no-site-in-commune = no usable site in the commune
rules-day-no-crew = no full crew is free that day within its hours (weekly hours, 11 h rest)
rules-day-no-site = no free and open site fits the vehicle's hours that day
rules-day-capped = every site usable that day has reached its maximum number of visits (max_visits)
check-rule-site-max-visits = site's maximum visits
check-rule-every-commune = every commune every k weeks
check-rule-every-vehicle-day = every vehicle-day used
check-site-max-visits = { $site } ({ $osm }) has { $count } visits in the cycle, for { $max } at most (`[[site]] max_visits`)
check-commune-rule-broken = { $commune }: { $why }, and the plan does not declare it ("{ $prefix }")
check-vehicle-day-unused = { $vehicle } on { $date }: no visit, and no acceptable reason (the rule use_every_vehicle_day accepts only its own reasons: no crew, no site fits, sites at their maximum)
warning-holiday-outside = the holiday { $date } is outside the cycle ({ $first } – { $last }): it does not count
warning-weights-unknown = no commune `{ $commune }` in the territory: this weight applies to no place{ $hint }
rules-did-you-mean = { " " }(did you mean `{ $name }`?)
warning-scenario = warning: { $place }: { $message }
validate-slot-no-vehicle = no vehicle can hold slot `{ $slot }` ({ $start }–{ $end }, with { $setup } min of setting up before and packing up after) within its departure and return hours; move the slot, or widen a vehicle's hours (earliest_departure, latest_return)
rules-partner-no-hours = partner venue without opening hours (opening_hours): its days are unknown
rules-partner-closed = partner venue closed on { $weekday } { $date } from { $from } to { $to }
