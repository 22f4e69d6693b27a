# The `tournee` command's lines and errors.
cli-error = erreur : { $message }
cli-warning = attention : { $message }
cli-planning = Calcul du plan « { $scenario } » sur { $pbf }
cli-seconds-positive = --seconds doit être un nombre de secondes positif, pas { $value }
cli-threads-positive = --threads doit valoir au moins 1
cli-writing-outputs = écriture des documents dans { $folder }
cli-promise-not-kept = Promesse non tenue — { $commune } : { $reason }
cli-plan-note = Remarque — { $message }
cli-home-visits = Visites à domicile : { $served } demande(s) sur { $requests } visitée(s) (prioritaires : { $priority_served } sur { $priority_requested }) en { $days } jour(s) ; les autres sont listées avec leur raison dans plan.html.
cli-checked = Vérifié de façon indépendante : { $routes } tournée(s), { $visits } passage(s), aucune anomalie.
cli-excluded-sites = { $count } site(s) candidat(s) non retenu(s) (loin d'une route, fermé(s) ou d'un autre type).
cli-wrote = { $count } fichier(s) écrit(s) dans { $folder }
cli-cannot-read-plan = impossible de lire le plan { $path } : { $reason }
cli-not-a-plan = { $path } n'est pas un plan.json de Tournée ({ $position })
cli-previous-other-scenario = le plan précédent { $path } est celui du scénario « { $previous } », pas de « { $current } »
cli-not-sequences = { $path } n'est pas un fichier de séquences
cli-cannot-read = impossible de lire { $path }
cli-no-change = Aucun changement pour aucune commune depuis le plan précédent.
cli-communes-to-notify = { $count } commune(s) à prévenir (changements.md) : { $names }
cli-check-ok = OK : { $routes } tournée(s), { $visits } passage(s) ; population atteinte par semaine { $population } (recalculée), { $km } km.
cli-check-violations = { $count ->
    [one] { $count } anomalie :
   *[other] { $count } anomalies :
}
cli-check-violation =   [{ $rule }] { $at } : { $message }
cli-opening-database = ouverture de la base de données { $db }
cli-async-runtime = démarrage de l'exécution asynchrone
cli-planning-base = calcul du plan du scénario de base { $path }
cli-data-folder = dossier de données { $path }
cli-no-web-page = pas de page web dans { $folder } (lancez scripts/setup.sh) ; seule l'API est servie
cli-token-shown-once = jeton pour « { $org } » ({ $label }) ; il n'est affiché que maintenant, gardez-le en lieu sûr
cli-cannot-read-instance = impossible de lire l'instance { $path }
cli-vehicles-positive = --vehicles doit valoir au moins 1
cli-seconds-positive-number = --seconds doit être un nombre positif
cli-infeasible-tours = erreur interne, tournées irréalisables : { $detail }
cli-search-iterations = { $count } itérations de recherche en tout
cli-stage-done = { $stage } : { $message } ({ $seconds } s)
cli-communes-guessed = Commune de certains arrêts prise au lieu habité le plus proche (l'extrait n'a pas de limite communale à cet endroit) : { $communes }
cli-no-boundaries = L'extrait n'a aucune limite communale : la commune de chaque arrêt est celle du lieu habité le plus proche.
cli-worker-started = worker { $id } : prend les calculs de la base de données, { $jobs } à la fois (dossier de données { $folder })
cli-worker-jobs-positive = --jobs doit valoir au moins 1
cli-worker-attempts-positive = --attempts doit valoir au moins 1
cli-worker-lease-positive = --lease-seconds doit valoir au moins 1

# Folders and access tokens (tournee publish, tournee token).
cli-cannot-create = impossible de créer { $path }
cli-token-until = , valable jusqu'au { $date }
cli-token-made = jeton pour « { $org } » ({ $label }){ $until } ; il n'est montré qu'ici, gardez-le en lieu sûr
cli-token-none = aucun jeton (tournee token --org NOM en crée un)
cli-token-header = id	organisation	libellé	créé	dernier usage	expire	révoqué
cli-token-revoked = jeton { $id } révoqué : il reçoit désormais 401
cli-token-unknown = aucun jeton actif n'a l'identifiant `{ $id }` (tournee token --list les montre)
