# `tournee matrix`: its errors, its warning and its summary.
matrix-header-unreadable = { $path }: line 1: cannot read the header
matrix-bad-header = { $path }: line 1: the header must be `id,lon,lat`, not `{ $found }`
matrix-bad-line = { $path }: line { $line }: { $reason }
matrix-field-count = { $path }: line { $line }: expected 3 fields (id,lon,lat), found { $count }
matrix-empty-id = { $path }: line { $line }: empty id
matrix-not-a-number = { $path }: line { $line }: field { $field }: `{ $value }` is not a number
matrix-not-wgs84 = { $path }: line { $line }: ({ $lon }, { $lat }) is not a WGS84 longitude and latitude
matrix-duplicate-id = { $path }: line { $line }: id `{ $id }` already used on line { $first }
matrix-no-point = { $path }: no point after the header
matrix-max-snap = --max-snap-meters must be a number of metres, 0 or more
matrix-no-car-road = { $pbf }: no road usable by car
matrix-far-point = point `{ $id }` is { $distance } m from the nearest road a car may use (more than { $max } m): its row and column are left empty
matrix-cannot-write = cannot write { $path }
matrix-summary = { $points } points, graph of { $nodes } nodes and { $edges } edges; import { $import } s, graph { $graph } s, snapping { $snap } s, contraction { $contract } s ({ $shortcuts } shortcuts), table { $table } s ({ $engine }), writing { $write } s, total { $total } s
