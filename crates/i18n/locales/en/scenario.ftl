# scenario messages.
calendar-bad-weekday = `{ $value }` is not a day of the week: write monday, tuesday… sunday or mon, tue… sun (or in French lundi, mardi… / lun, mar…)
calendar-bad-date = `{ $value }` is not a date: write it 2027-05-06 (year-month-day) or 06/05/2027 (day/month/year)
calendar-no-such-date = `{ $value }` is not a day of the calendar
calendar-bad-time = `{ $value }` is not a time of day: write it 09:30 or 9h30
whatif-no-vehicle = there is no vehicle `{ $id }`
whatif-no-mediator = there is no mediator `{ $id }`
whatif-vehicle-exists = vehicle `{ $id }` already exists
whatif-mediator-exists = mediator `{ $id }` already exists
whatif-last-vehicle = a scenario needs at least one vehicle
whatif-not-in-cycle = { $date } is not a day of the cycle that starts on { $start }
whatif-day-not-run = tours do not run on { $day } already
whatif-no-day-left = no day of the week would be left
whatif-bad-reach = a reach of { $minutes } min is outside 1–60
whatif-bad-weight = a weight must be ≥ 0, not { $weight }
whatif-empty-commune = the commune is empty
whatif-no-promise = `{ $commune }` has no promise to remove
scenario-error-scenario = scenario
scenario-error-file = { $place } { $path }
scenario-error-line = { $place }, line { $line }
scenario-error-field = { $place }, field `{ $field }`
scenario-error = { $place }: { $message }

# Scenario validation (model::scenario::validate).
validate-no-name = the scenario needs a name
validate-start-monday = the cycle must start on a Monday, and { $date } is a { $weekday }
validate-cycle-weeks = a cycle lasts 1 to 52 weeks, not { $weeks }
validate-no-days = at least one day of the week is needed
validate-listed-twice = `{ $value }` is listed twice
validate-school-holidays-order = school holidays end ({ $to }) before they start ({ $from })
validate-setup = { $minutes } minutes of set-up is more than the 120 allowed
validate-walk = the walk to a cargo bike's stop must be 1 to 60 minutes, not { $minutes }
validate-no-kinds = at least one kind of site is needed
validate-default-weight = weights must be finite and not negative
validate-weight = weight { $weight } must be finite and not negative
validate-empty-path = the path is empty
validate-no-vintage = a commune table needs its `vintage`, the year of the Code officiel géographique its codes follow (e.g. vintage = 2024)
validate-vintage-alone = `vintage` is the year of the commune table's codes: set `communes` too, or remove it
validate-vintage-range = { $year } is not a year of the Code officiel géographique ({ $first } to { $last })
validate-empty-column = the column name is empty
validate-column-alone = names a column of the commune table or weights file: set `communes` or `weights` too
validate-demand-empty = set `communes` (an INSEE commune table) or `weights` (a weights file), or remove [demand]
validate-repeat-factor = repeat factor { $factor }: each must be within [0, 1] and not above the one before ({ $previous })
validate-contact-name = the contact needs a name
validate-contact-means = the contact needs at least a phone, an email or a web page
validate-contact-email = `{ $value }` is not an email address
validate-contact-web = `{ $value }` is not a web address (https://…)
validate-no-slots = at least one slot is needed
validate-slot-twice = two slots are named `{ $name }`
validate-slot-order = slot `{ $name }` ends ({ $end }) before it starts ({ $start })
validate-slot-day = slot `{ $name }` with its set-up time does not fit in one day
validate-slot-overlap = slot `{ $name }` starts at { $start } before slot `{ $previous }` ends at { $end }: slots must be in order and not overlap
validate-no-depots = at least one depot is needed
validate-depot-twice = two depots have the id `{ $id }`
validate-depot-coordinates = depot `{ $id }` has coordinates ({ $lon }, { $lat }) that are not longitude/latitude
validate-no-vehicles = at least one vehicle is needed
validate-vehicle-twice = two vehicles have the id `{ $id }`
validate-mediator-twice = two mediators have the id `{ $id }`
validate-mediator-base = mediator `{ $id }` is based at unknown depot `{ $base }` (depots: { $depots })
validate-hours-day = mediator `{ $id }`: { $hours } hours a day is outside (0, { $max }] (legal daily maximum)
validate-licence = mediator `{ $id }`: unknown licence `{ $licence }` (known: { $known })
validate-hours-week = mediator `{ $id }`: { $hours } hours a week is outside (0, { $max }] (legal weekly maximum)
validate-vehicle-depot = vehicle `{ $id }` leaves from unknown depot `{ $depot }` (depots: { $depots })
validate-crew-size = a crew of { $size } is outside 1 to 6
validate-vehicle-hours = vehicle `{ $id }` must be back ({ $back }) after it leaves ({ $depart })
validate-weight-tonnes = vehicle `{ $id }`: { $tonnes } t is not a weight (0 to 44 t)
validate-bike-weight = vehicle `{ $id }` is a cargo bike: it has no gross weight (no licence or driving-time rules for bikes)
validate-bike-speed = cargo bike `{ $id }`: { $speed } km/h is outside 5 to 30 km/h
validate-bike-speeds = cargo bikes `{ $first }` ({ $first_speed } km/h) and `{ $second }` ({ $second_speed } km/h): every cargo bike of a scenario rides at the same speed
validate-bike-communes = cargo bike `{ $id }`: list the communes it serves (place names or INSEE codes), e.g. communes = ["Brumeval"]
validate-bike-only = vehicle `{ $id }`: `{ $field }` is for cargo bikes (mode = "cargo_bike")
validate-no-driver = vehicle `{ $id }`{ $weight } needs a driver with licence { $licence }, and no mediator based at depot `{ $depot }` who holds it works on the vehicle's days
validate-no-crew = vehicle `{ $id }` needs a crew of { $size } mediators based at depot `{ $depot }`, but on none of its days do that many work there ({ $based } mediator(s) based there in all)
validate-home-no-mediator = no mediator `{ $id }` (mediators: { $known })
validate-home-twice = mediator `{ $id }` has two home_visits sections: merge them
validate-home-no-days = at least one weekday is needed
validate-home-day = mediator `{ $id }` does not work on { $weekday } (or it is not one of the scenario's days)
validate-home-base = no depot `{ $base }`
validate-home-radius = a radius of { $km } km is outside (0, 200]
validate-home-visit = a visit of { $minutes } minutes is outside 5 to 480
validate-home-order = the day ends ({ $end }) before it starts ({ $start })
validate-home-rest = a day from { $start } to { $end } leaves less than { $rest } h of rest before the next
validate-promise-commune = a promise names its commune (place name or INSEE code)
validate-promise-twice = commune `{ $commune }` has two promises: merge them into one
validate-promise-what = the promise to `{ $commune }` needs a frequency (weekly, two_in_three, fortnightly, monthly, every_5_weeks) or min_visits
validate-promise-zero = a promise to `{ $commune }` of at most 0 visits promises nothing: remove it
validate-promise-min-max = `{ $commune }`: max_visits { $max } is below min_visits { $min }
validate-promise-frequency-max = `{ $commune }`: { $frequency } needs at least { $need } visits in a { $weeks }-week cycle, more than max_visits { $max }
validate-promise-min = `{ $commune }`: { $min } visits cannot fit in a { $weeks }-week cycle ({ $most } at most{ $why })
validate-promise-min-stable = : a stable weekday and slot allows one a week
validate-promise-weekday = `{ $commune }`: no tour runs on { $weekday } (days: { $days })
validate-promise-slot = `{ $commune }`: no slot `{ $slot }` (slots: { $slots })

# Promises kept or not (model::promise).
promise-no-week = no week in the cycle
promise-frequency = { $visited } visited week(s) in the { $k } week(s) from week { $week }, { $needed } needed ({ $promise })
promise-too-few = { $count } visit(s) in the cycle, at least { $min } promised
promise-too-many = { $count } visits in the cycle, at most { $max } promised
promise-not-stable = visits on { $first_day } ({ $first_slot }) and on { $other_day } ({ $other_slot }): the weekday and slot must stay the same
promise-off-day = a visit on { $day } { $slot }: the promise says { $promised }
promise-any-day = any day
promise-preference-missed = { $commune }: preferred "{ $preferred }" not honoured for { $off } visit(s) out of { $total } (given: { $given })

# EU driving time over 3.5 t (model::scenario::fleet).
fleet-driving-without-break = { $hours } h of driving without a stop: a 45-minute break is due after 4 h 30
fleet-driving-per-day = { $hours } h of driving in the day: { $needed } driver(s) needed at 9 h each at most, { $drivers } in the crew
