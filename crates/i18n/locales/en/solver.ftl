# The optimiser's progress (solver, coverage).
solver-stage-greedy = planning tours
solver-greedy-done = { $visits } visits, { $population } inhabitants reachable per week
solver-stage-local = improving by local search (one vehicle-day at a time)
solver-local-done = { $moves } move(s); { $before } → { $after } reachable per week
solver-stage-lns = large-neighbourhood search (destroy and repair days of a week, { $chains } chains)
solver-lns-none = no improvement
solver-lns-done = best chain: { $kept } of { $done } round(s) kept; { $population } reachable per week
coverage-stage = computing who each stop reaches
coverage-done = { $pairs } (stop, place) pairs within { $minutes } min
