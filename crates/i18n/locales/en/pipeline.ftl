# The pipeline's stages (progress) and errors.
pipeline-no-car-roads = the OSM file { $path } has roads, but none a car may use (all tracks, paths or private)
pipeline-depot-off-road = depot `{ $depot }` is { $distance } from the nearest road a car may use (at most { $max } m): check its lon/lat in the scenario — is it inside the territory { $pbf }?
pipeline-depot-off-bike-road = depot `{ $depot }` of cargo bike `{ $vehicle }` is { $distance } from the nearest road a cargo bike may use (at most { $max } m): move it, or check the ways around it in { $pbf } (footways need bicycle=yes)
pipeline-no-active-roads = the OSM file { $path } has no road { $mode } may use
pipeline-mode-bike = a cargo bike
pipeline-mode-walker = a walker
pipeline-mode-car = a car
pipeline-unknown-bike-commune = scenario field `vehicles[{ $index }].communes`: no commune `{ $commune }` (place name or INSEE code) in the territory { $pbf }
pipeline-no-usable-sites = no candidate site is usable: { $detail }
pipeline-all-excluded = { $count } candidate site(s) in { $pbf }, all excluded
pipeline-all-excluded-example = { $count } candidate site(s) in { $pbf }, all excluded (e.g. { $site }: { $reason })
pipeline-rejected-plan = the optimiser produced a plan the checker rejects ({ $count } problem(s)); first: { $at }: { $message }
pipeline-unknown-commune = scenario field `promises[{ $index }].commune`: no commune `{ $commune }` (place name or INSEE code) in the territory { $pbf }{ $hint }
pipeline-did-you-mean = { " " }(did you mean `{ $name }`?)
pipeline-communes-not-read = scenario field `demand.communes`: the commune table { $path } was not read (the scenario was not loaded from its file); load it with `Scenario::load`
pipeline-cancelled = the work was cancelled before it finished
pipeline-excluded-kind = kind { $kind } not chosen in the scenario
pipeline-excluded-closed = closed by the scenario
pipeline-excluded-far = { $distance } from the nearest road { $who } may use (at most { $max } m)

pipeline-stage-graph = building the road graph
pipeline-graph-done = { $nodes } nodes, { $edges } edges, { $km } km of roads ({ $dropped } nodes cut off)
pipeline-stage-drive-table = computing drive times between depots and sites
pipeline-drive-table-done = { $n }×{ $n } drive-time table
pipeline-stage-bike-table = computing cargo-bike times between depots and sites
pipeline-bike-table-done = { $n }×{ $n } cargo-bike table
pipeline-stage-exact = solving to optimality (integer linear program)
pipeline-exact-done = optimum { $optimum } ({ $patterns } day patterns); the heuristic had { $heuristic }
pipeline-exact-not-better = the exact plan is not better; keeping the heuristic's
pipeline-exact-failed = not solved exactly: { $why }
pipeline-stage-bound = computing an upper bound (linear relaxations)
pipeline-bound-done = { $bound } ({ $variables } variables, { $constraints } constraints); gap ≤ { $gap } %
pipeline-bound-failed = no bound: { $why }
pipeline-stage-home = planning home visits
pipeline-home-done = { $served } of { $requests } requests visited over { $days } days
pipeline-stage-check = checking the plan independently
pipeline-check-done = { $count } violation(s); objective recomputed: { $objective }
