# The coordinator's rules (model::rules, solver::rules, solver::check_rules) and the
# scenario's warnings.
rules-every-weeks = au moins un passage toutes les { $weeks } semaines
rules-every-weeks-range = { $weeks } semaine(s) : la règle « chaque commune au moins toutes les k semaines » attend un nombre de semaines de 1 à 52
rules-site-lat-lon = un site ajouté par ses coordonnées donne `lat` et `lon` ensemble (par exemple lat = 52.67, lon = -0.72)
rules-site-coordinate = { $value } n'est pas une coordonnée valide (latitude de -90 à 90, longitude de -180 à 180, en degrés décimaux)
rules-site-osm-and-coordinates = un site est soit un objet OSM (`osm`), soit un site ajouté par ses coordonnées (`lat`, `lon`) : pas les deux
rules-site-added-name = un site ajouté par ses coordonnées a besoin d'un nom (`name`), qui le désigne dans le plan
rules-site-added-only = `{ $field }` ne se donne que pour un site ajouté par ses coordonnées (`lat`, `lon`) ; un site OSM garde sa commune et sa nature
rules-site-max-zero = max_visits = 0 interdit tout passage : pour fermer un site, ajoutez-le à `sites.closed`
rules-commune-not-kept = la commune { $commune } n'a pas de passage { $rule }
rules-no-site-in-commune = aucun site utilisable dans la commune
rules-day-no-crew = aucun équipage complet n'est libre ce jour dans ses heures (heures hebdomadaires, repos de 11 h)
rules-day-no-site = aucun site libre et ouvert ne tient dans les horaires du véhicule ce jour
rules-day-capped = les sites utilisables ce jour ont tous atteint leur nombre maximal de passages (max_visits)
check-rule-site-max-visits = passages maximum du site
check-rule-every-commune = chaque commune toutes les k semaines
check-rule-every-vehicle-day = chaque jour de véhicule utilisé
check-site-max-visits = { $site } ({ $osm }) a { $count } passages dans le cycle, pour { $max } au plus (`[[site]] max_visits`)
check-commune-rule-broken = { $commune } : { $why }, et le plan ne le déclare pas (« { $prefix } »)
check-vehicle-day-unused = { $vehicle } le { $date } : aucun passage, et aucune raison acceptable (la règle use_every_vehicle_day n'admet que ses propres raisons : pas d'équipage, aucun site ne tient, sites à leur maximum)
warning-holiday-outside = le jour férié { $date } est hors du cycle ({ $first } – { $last }) : il ne compte pas
warning-weights-unknown = pas de commune `{ $commune }` dans le territoire : ce poids ne s'applique à aucun lieu{ $hint }
rules-did-you-mean = { " " }(vouliez-vous dire `{ $name }` ?)
warning-scenario = avertissement : { $place } : { $message }
validate-slot-no-vehicle = aucun véhicule ne peut tenir le créneau `{ $slot }` ({ $start }–{ $end }, avec { $setup } min d'installation avant et de rangement après) dans ses horaires de départ et de retour ; avancez ou retardez le créneau, ou élargissez les horaires d'un véhicule (earliest_departure, latest_return)
rules-partner-no-hours = lieu partenaire sans horaires d'ouverture (opening_hours) : ses jours d'accueil sont inconnus
rules-partner-closed = lieu partenaire fermé le { $weekday } { $date } de { $from } à { $to }
