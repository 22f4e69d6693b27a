# The pipeline's stages (progress) and errors.
pipeline-no-car-roads = le fichier OSM { $path } a des routes, mais aucune qu'une voiture puisse emprunter (toutes des chemins, des sentiers ou privées)
pipeline-depot-off-road = le dépôt `{ $depot }` est à { $distance } de la route la plus proche qu'une voiture peut emprunter (au plus { $max } m) : vérifiez ses lon/lat dans le scénario — est-il bien dans le territoire { $pbf } ?
pipeline-depot-off-bike-road = le dépôt `{ $depot }` du vélo cargo `{ $vehicle }` est à { $distance } de la voie la plus proche qu'un vélo cargo peut emprunter (au plus { $max } m) : déplacez-le, ou vérifiez les voies autour de lui dans { $pbf } (les trottoirs et sentiers doivent avoir bicycle=yes)
pipeline-no-active-roads = le fichier OSM { $path } n'a aucune voie pour { $mode }
pipeline-mode-bike = un vélo cargo
pipeline-mode-walker = un piéton
pipeline-mode-car = une voiture
pipeline-unknown-bike-commune = champ `vehicles[{ $index }].communes` du scénario : pas de commune `{ $commune }` (nom de lieu ou code INSEE) dans le territoire { $pbf }
pipeline-no-usable-sites = aucun site candidat n'est utilisable : { $detail }
pipeline-all-excluded = { $count } site(s) candidat(s) dans { $pbf }, tous exclus
pipeline-all-excluded-example = { $count } site(s) candidat(s) dans { $pbf }, tous exclus (par exemple { $site } : { $reason })
pipeline-rejected-plan = l'optimiseur a produit un plan que le vérificateur rejette ({ $count } problème(s)) ; le premier : { $at } : { $message }
pipeline-unknown-commune = champ `promises[{ $index }].commune` du scénario : pas de commune `{ $commune }` (nom de lieu ou code INSEE) dans le territoire { $pbf }{ $hint }
pipeline-did-you-mean = { " " }(vouliez-vous dire `{ $name }` ?)
pipeline-communes-not-read = champ `demand.communes` du scénario : la table des communes { $path } n'a pas été lue (le scénario n'a pas été chargé depuis son fichier) ; chargez-le avec `Scenario::load`
pipeline-cancelled = le calcul a été annulé avant la fin
pipeline-excluded-kind = type { $kind } non retenu dans le scénario
pipeline-excluded-closed = fermé par le scénario
pipeline-excluded-far = à { $distance } de la voie la plus proche que { $who } peut emprunter (au plus { $max } m)

pipeline-stage-graph = construction du réseau routier
pipeline-graph-done = { $nodes } nœuds, { $edges } arcs, { $km } km de routes ({ $dropped } nœuds isolés écartés)
pipeline-stage-drive-table = calcul des temps de trajet entre dépôts et sites
pipeline-drive-table-done = table des temps de trajet { $n }×{ $n }
pipeline-stage-bike-table = calcul des temps à vélo cargo entre dépôts et sites
pipeline-bike-table-done = table des temps à vélo cargo { $n }×{ $n }
pipeline-stage-exact = recherche de l'optimum (programme linéaire en nombres entiers)
pipeline-exact-done = optimum { $optimum } ({ $patterns } journées types) ; l'heuristique avait { $heuristic }
pipeline-exact-not-better = le plan exact n'est pas meilleur ; celui de l'heuristique est gardé
pipeline-exact-failed = pas de résolution exacte : { $why }
pipeline-stage-bound = calcul d'une borne supérieure (relaxations linéaires)
pipeline-bound-done = { $bound } ({ $variables } variables, { $constraints } contraintes) ; écart ≤ { $gap } %
pipeline-bound-failed = pas de borne : { $why }
pipeline-stage-home = planification des visites à domicile
pipeline-home-done = { $served } demande(s) visitée(s) sur { $requests } en { $days } jour(s)
pipeline-stage-check = vérification indépendante du plan
pipeline-check-done = { $count } anomalie(s) ; objectif recalculé : { $objective }
