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
