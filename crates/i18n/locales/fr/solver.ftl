# The optimiser's progress (solver, coverage).
solver-stage-greedy = construction des tournées
solver-greedy-done = { $visits } passage(s), { $population } habitants atteints par semaine
solver-stage-local = amélioration par recherche locale (une journée de véhicule à la fois)
solver-local-done = { $moves } changement(s) ; { $before } → { $after } personnes atteintes par semaine
solver-stage-lns = recherche à grand voisinage (journées d'une semaine défaites et refaites, { $chains } chaînes)
solver-lns-none = aucune amélioration
solver-lns-done = meilleure chaîne : { $kept } tour(s) gardé(s) sur { $done } ; { $population } personnes atteintes par semaine
coverage-stage = calcul des lieux atteints par chaque arrêt
coverage-done = { $pairs } paires (arrêt, lieu) à { $minutes } min ou moins
