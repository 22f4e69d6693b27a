# `tournee matrix` : ses erreurs, son avertissement et son bilan.
matrix-header-unreadable = { $path } : ligne 1 : en-tête illisible
matrix-bad-header = { $path } : ligne 1 : l'en-tête doit être `id,lon,lat`, pas `{ $found }`
matrix-bad-line = { $path } : ligne { $line } : { $reason }
matrix-field-count = { $path } : ligne { $line } : 3 champs attendus (id,lon,lat), { $count } trouvé(s)
matrix-empty-id = { $path } : ligne { $line } : identifiant vide
matrix-not-a-number = { $path } : ligne { $line } : champ { $field } : `{ $value }` n'est pas un nombre
matrix-not-wgs84 = { $path } : ligne { $line } : ({ $lon } ; { $lat }) n'est pas une longitude et une latitude WGS84
matrix-duplicate-id = { $path } : ligne { $line } : l'identifiant `{ $id }` est déjà pris à la ligne { $first }
matrix-no-point = { $path } : aucun point après l'en-tête
matrix-max-snap = --max-snap-meters doit être un nombre de mètres, 0 ou plus
matrix-no-car-road = { $pbf } : aucune route praticable en voiture
matrix-far-point = le point `{ $id }` est à { $distance } m de la route praticable en voiture la plus proche (plus de { $max } m) : sa ligne et sa colonne restent vides
matrix-cannot-write = impossible d'écrire { $path }
matrix-summary = { $points } points, graphe de { $nodes } nœuds et { $edges } arcs ; import { $import } s, graphe { $graph } s, accrochage { $snap } s, contraction { $contract } s ({ $shortcuts } raccourcis), table { $table } s ({ $engine }), écriture { $write } s, total { $total } s
