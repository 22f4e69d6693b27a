# The `tournee` command's lines and errors.
cli-error = error: { $message }
cli-warning = warning: { $message }
cli-planning = Planning “{ $scenario }” on { $pbf }
cli-seconds-positive = --seconds must be a positive number of seconds, not { $value }
cli-threads-positive = --threads must be at least 1
cli-writing-outputs = writing the outputs into { $folder }
cli-promise-not-kept = Promise not kept — { $commune }: { $reason }
cli-plan-note = Note — { $message }
cli-home-visits = Home visits: { $served } of { $requests } requests visited (priority { $priority_served } of { $priority_requested }) over { $days } day(s); the others are listed with their reason in plan.html.
cli-checked = Checked independently: { $routes } routes, { $visits } visits, no violation.
cli-excluded-sites = { $count } candidate site(s) not used (far from a road, closed or of another kind).
cli-wrote = Wrote { $count } files into { $folder }
cli-cannot-read-plan = cannot read the plan { $path }: { $reason }
cli-not-a-plan = { $path } is not a Tournée plan.json ({ $position })
cli-previous-other-scenario = the previous plan { $path } is for the scenario “{ $previous }”, not “{ $current }”
cli-not-sequences = { $path } is not a sequences file
cli-cannot-read = cannot read { $path }
cli-no-change = No change for any commune since the previous plan.
cli-communes-to-notify = { $count } commune(s) to notify (changements.md): { $names }
cli-check-ok = OK: { $routes } routes, { $visits } visits; reachable population per week { $population } (recomputed), { $km } km.
cli-check-violations = { $count ->
    [one] { $count } violation:
   *[other] { $count } violations:
}
cli-check-violation =   [{ $rule }] { $at }: { $message }
cli-opening-database = opening the database { $db }
cli-async-runtime = starting the async runtime
cli-planning-base = planning the base scenario { $path }
cli-data-folder = data folder { $path }
cli-no-web-page = no web page in { $folder } (run scripts/setup.sh); serving the API only
cli-token-shown-once = token for “{ $org }” ({ $label }); it is shown only now, keep it safe
cli-cannot-read-instance = cannot read the instance { $path }
cli-vehicles-positive = --vehicles must be at least 1
cli-seconds-positive-number = --seconds must be a positive number
cli-infeasible-tours = internal error, infeasible tours: { $detail }
cli-search-iterations = { $count } search iterations in all
cli-stage-done = { $stage }: { $message } ({ $seconds } s)
cli-communes-guessed = Commune of some stops taken from the nearest place (the extract has no commune boundary there): { $communes }
cli-no-boundaries = The extract has no commune boundary: each stop's commune is that of the nearest place.
cli-worker-started = worker { $id }: takes jobs from the database, { $jobs } at a time (data folder { $folder })
cli-worker-jobs-positive = --jobs must be at least 1
cli-worker-attempts-positive = --attempts must be at least 1
cli-worker-lease-positive = --lease-seconds must be at least 1

# Folders and access tokens (tournee publish, tournee token).
cli-cannot-create = cannot create { $path }
cli-token-until = , valid until { $date }
cli-token-made = token for "{ $org }" ({ $label }){ $until }; it is shown only here, keep it safe
cli-token-none = no token (tournee token --org NAME makes one)
cli-token-header = id	organisation	label	created	last used	expires	revoked
cli-token-revoked = token { $id } revoked: it now gets 401
cli-token-unknown = no active token has the id `{ $id }` (tournee token --list shows them)
