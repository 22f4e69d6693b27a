# scenario messages.
calendar-bad-weekday = `{ $value }` n'est pas un jour de la semaine : écrivez lundi, mardi, mercredi, jeudi, vendredi, samedi ou dimanche (ou lun, mar…, ou en anglais mon, tue… / monday, tuesday…)
calendar-bad-date = `{ $value }` n'est pas une date : écrivez-la 06/05/2027 (jour/mois/année) ou 2027-05-06 (année-mois-jour)
calendar-no-such-date = `{ $value }` n'existe pas dans le calendrier
calendar-bad-time = `{ $value }` n'est pas une heure : écrivez-la 09:30 ou 9h30
whatif-no-vehicle = il n'y a pas de véhicule `{ $id }`
whatif-no-mediator = il n'y a pas de médiateur `{ $id }`
whatif-vehicle-exists = le véhicule `{ $id }` existe déjà
whatif-mediator-exists = le médiateur `{ $id }` existe déjà
whatif-last-vehicle = un scénario a besoin d'au moins un véhicule
whatif-not-in-cycle = le { $date } n'est pas un jour du cycle qui commence le { $start }
whatif-day-not-run = les tournées ne passent déjà pas le { $day }
whatif-no-day-left = il ne resterait aucun jour de la semaine
whatif-bad-reach = un rayon d'accès de { $minutes } min est hors de 1 à 60
whatif-bad-weight = un poids doit être ≥ 0, pas { $weight }
whatif-empty-commune = la commune est vide
whatif-no-promise = `{ $commune }` n'a pas de promesse à retirer
scenario-error-scenario = scénario
scenario-error-file = { $place } { $path }
scenario-error-line = { $place }, ligne { $line }
scenario-error-field = { $place }, champ `{ $field }`
scenario-error = { $place } : { $message }

# Scenario validation (model::scenario::validate).
validate-no-name = le scénario a besoin d'un nom
validate-start-monday = le cycle doit commencer un lundi, et le { $date } est un { $weekday }
validate-cycle-weeks = un cycle dure de 1 à 52 semaines, pas { $weeks }
validate-no-days = il faut au moins un jour de la semaine
validate-listed-twice = `{ $value }` est écrit deux fois
validate-school-holidays-order = les vacances scolaires finissent ({ $to }) avant de commencer ({ $from })
validate-setup = { $minutes } minutes d'installation dépassent les 120 permises
validate-walk = la marche jusqu'à l'arrêt d'un vélo cargo doit durer de 1 à 60 minutes, pas { $minutes }
validate-no-kinds = il faut au moins un type de site
validate-default-weight = les poids doivent être finis et non négatifs
validate-weight = le poids { $weight } doit être fini et non négatif
validate-empty-path = le chemin est vide
validate-no-vintage = une table des communes a besoin de son `vintage`, l'année du Code officiel géographique que suivent ses codes (par exemple vintage = 2024)
validate-vintage-alone = `vintage` est l'année des codes de la table des communes : indiquez aussi `communes`, ou retirez-le
validate-vintage-range = { $year } n'est pas une année du Code officiel géographique ({ $first } à { $last })
validate-empty-column = le nom de colonne est vide
validate-column-alone = désigne une colonne de la table des communes ou du fichier de poids : indiquez aussi `communes` ou `weights`
validate-demand-empty = indiquez `communes` (une table des communes INSEE) ou `weights` (un fichier de poids), ou retirez [demand]
validate-repeat-factor = facteur de répétition { $factor } : chacun doit être entre 0 et 1 et ne pas dépasser le précédent ({ $previous })
validate-contact-name = le contact a besoin d'un nom
validate-contact-means = le contact a besoin au moins d'un téléphone, d'un courriel ou d'une page web
validate-contact-email = `{ $value }` n'est pas une adresse de courriel
validate-contact-web = `{ $value }` n'est pas une adresse web (https://…)
validate-no-slots = il faut au moins un créneau
validate-slot-twice = deux créneaux s'appellent `{ $name }`
validate-slot-order = le créneau `{ $name }` finit ({ $end }) avant de commencer ({ $start })
validate-slot-day = le créneau `{ $name }` avec son temps d'installation ne tient pas dans une journée
validate-slot-overlap = le créneau `{ $name }` commence à { $start } avant la fin du créneau `{ $previous }` à { $end } : les créneaux doivent se suivre sans se chevaucher
validate-no-depots = il faut au moins un dépôt
validate-depot-twice = deux dépôts ont l'identifiant `{ $id }`
validate-depot-coordinates = le dépôt `{ $id }` a des coordonnées ({ $lon }, { $lat }) qui ne sont pas une longitude et une latitude
validate-no-vehicles = il faut au moins un véhicule
validate-vehicle-twice = deux véhicules ont l'identifiant `{ $id }`
validate-mediator-twice = deux médiateurs ont l'identifiant `{ $id }`
validate-mediator-base = le médiateur `{ $id }` est basé au dépôt inconnu `{ $base }` (dépôts : { $depots })
validate-hours-day = médiateur `{ $id }` : { $hours } heures par jour sont hors de ]0, { $max }] (maximum légal par jour)
validate-licence = médiateur `{ $id }` : permis inconnu `{ $licence }` (connus : { $known })
validate-hours-week = médiateur `{ $id }` : { $hours } heures par semaine sont hors de ]0, { $max }] (maximum légal par semaine)
validate-vehicle-depot = le véhicule `{ $id }` part du dépôt inconnu `{ $depot }` (dépôts : { $depots })
validate-crew-size = un équipage de { $size } est hors de 1 à 6
validate-vehicle-hours = le véhicule `{ $id }` doit rentrer ({ $back }) après être parti ({ $depart })
validate-weight-tonnes = véhicule `{ $id }` : { $tonnes } t n'est pas un poids (0 à 44 t)
validate-bike-weight = le véhicule `{ $id }` est un vélo cargo : il n'a pas de poids total (ni permis ni temps de conduite pour les vélos)
validate-bike-speed = vélo cargo `{ $id }` : { $speed } km/h est hors de 5 à 30 km/h
validate-bike-speeds = vélos cargo `{ $first }` ({ $first_speed } km/h) et `{ $second }` ({ $second_speed } km/h) : tous les vélos cargo d'un scénario roulent à la même vitesse
validate-bike-communes = vélo cargo `{ $id }` : indiquez les communes qu'il dessert (noms de lieux ou codes INSEE), par exemple communes = ["Brumeval"]
validate-bike-only = véhicule `{ $id }` : `{ $field }` est pour les vélos cargo (mode = "cargo_bike")
validate-no-driver = le véhicule `{ $id }`{ $weight } a besoin d'un conducteur avec le permis { $licence }, et aucun médiateur basé au dépôt `{ $depot }` qui l'a ne travaille les jours du véhicule
validate-no-crew = le véhicule `{ $id }` a besoin d'un équipage de { $size } médiateurs basés au dépôt `{ $depot }`, mais aucun de ses jours il n'y en a autant au travail ({ $based } médiateur(s) basé(s) là en tout)
validate-home-no-mediator = pas de médiateur `{ $id }` (médiateurs : { $known })
validate-home-twice = le médiateur `{ $id }` a deux sections home_visits : réunissez-les
validate-home-no-days = il faut au moins un jour de la semaine
validate-home-day = le médiateur `{ $id }` ne travaille pas le { $weekday } (ou ce n'est pas un des jours du scénario)
validate-home-base = pas de dépôt `{ $base }`
validate-home-radius = un rayon de { $km } km est hors de ]0, 200]
validate-home-visit = une visite de { $minutes } minutes est hors de 5 à 480
validate-home-order = la journée finit ({ $end }) avant de commencer ({ $start })
validate-home-rest = une journée de { $start } à { $end } laisse moins de { $rest } h de repos avant la suivante
validate-promise-commune = une promesse nomme sa commune (nom de lieu ou code INSEE)
validate-promise-twice = la commune `{ $commune }` a deux promesses : réunissez-les en une
validate-promise-what = la promesse faite à `{ $commune }` a besoin d'une fréquence (weekly, two_in_three, fortnightly, monthly, every_5_weeks) ou de min_visits
validate-promise-zero = une promesse à `{ $commune }` d'au plus 0 passage ne promet rien : retirez-la
validate-promise-min-max = `{ $commune }` : max_visits { $max } est inférieur à min_visits { $min }
validate-promise-frequency-max = `{ $commune }` : { $frequency } demande au moins { $need } passages dans un cycle de { $weeks } semaine(s), plus que max_visits { $max }
validate-promise-min = `{ $commune }` : { $min } passages ne tiennent pas dans un cycle de { $weeks } semaine(s) ({ $most } au plus{ $why })
validate-promise-min-stable = { " " }: un jour et un créneau fixes en permettent un par semaine
validate-promise-weekday = `{ $commune }` : aucune tournée ne passe le { $weekday } (jours : { $days })
validate-promise-slot = `{ $commune }` : pas de créneau `{ $slot }` (créneaux : { $slots })

# Promises kept or not (model::promise).
promise-no-week = aucune semaine dans le cycle
promise-frequency = { $visited } semaine(s) avec passage sur les { $k } semaine(s) à partir de la semaine { $week }, { $needed } nécessaire(s) ({ $promise })
promise-too-few = { $count } passage(s) dans le cycle, au moins { $min } promis
promise-too-many = { $count } passage(s) dans le cycle, au plus { $max } promis
promise-not-stable = passages le { $first_day } ({ $first_slot }) et le { $other_day } ({ $other_slot }) : le jour et le créneau doivent rester les mêmes
promise-off-day = un passage le { $day } { $slot } : la promesse dit { $promised }
promise-any-day = n'importe quel jour
promise-preference-missed = { $commune } : préférence « { $preferred } » non respectée pour { $off } passage(s) sur { $total } (placé(s) : { $given })

# EU driving time over 3.5 t (model::scenario::fleet).
fleet-driving-without-break = { $hours } h de conduite sans arrêt : une pause de 45 minutes est due après 4 h 30
fleet-driving-per-day = { $hours } h de conduite dans la journée : { $needed } conducteur(s) nécessaire(s) à 9 h chacun au plus, { $drivers } dans l'équipage
