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
