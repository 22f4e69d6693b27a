# Reading the OpenStreetMap extract (osm::import).
osm-open = impossible d'ouvrir le fichier OSM { $path } : { $reason }
osm-corrupt = le fichier OSM { $path } ne se lit pas comme un PBF ({ $detail }) ; il est peut-être tronqué ou corrompu : téléchargez-le à nouveau, ou vérifiez-le avec `osmium fileinfo`
osm-no-roads = le fichier OSM { $path } n'a aucune route (highway=*) : est-ce bien l'extrait voulu ?
osm-stage-check = vérification du fichier PBF
osm-check-done = { $blobs } blocs, { $mb } Mo décompressés
osm-stage-ways = lecture des voies et des nœuds étiquetés
osm-ways-done = { $ways } voies routières, { $sites } sites candidats, { $places } lieux habités
osm-stage-coords = lecture des coordonnées des nœuds
osm-coords-done = { $count } positions de nœuds
osm-stage-buildings = estimation des populations à partir des bâtiments
osm-buildings-done = { $buildings } bâtiments, { $dwellings } logements dans { $residential } bâtiments résidentiels ({ $assigned } à portée d'un lieu), { $places } lieu(x) estimé(s) ainsi
osm-stage-boundaries = lecture des limites communales
osm-boundaries-done = { $boundaries } limite(s) communale(s) ; { $placed } site(s) sur { $sites } placé(s) dans la leur
