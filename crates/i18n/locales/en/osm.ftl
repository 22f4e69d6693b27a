# Reading the OpenStreetMap extract (osm::import).
osm-open = cannot open the OSM file { $path }: { $reason }
osm-corrupt = the OSM file { $path } cannot be read as PBF ({ $detail }); it may be truncated or corrupted: download it again, or check it with `osmium fileinfo`
osm-no-roads = the OSM file { $path } has no roads (highway=*): is it the extract you meant?
osm-stage-check = checking the PBF file
osm-check-done = { $blobs } blobs, { $mb } MB decompressed
osm-stage-ways = reading OSM ways and tagged nodes
osm-ways-done = { $ways } road ways, { $sites } candidate sites, { $places } places
osm-stage-coords = reading node coordinates
osm-coords-done = { $count } node positions
osm-stage-buildings = estimating populations from buildings
osm-buildings-done = { $buildings } buildings, { $dwellings } dwellings in { $residential } residential ones ({ $assigned } within reach of a place), { $places } place(s) estimated from them
osm-stage-boundaries = reading commune boundaries
osm-boundaries-done = { $boundaries } commune boundaries; { $placed } of { $sites } sites placed in theirs
