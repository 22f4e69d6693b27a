# Words and forms shared by every area.
common-yes = yes
common-no = no
common-violations = { $count ->
    [one] { $count } violation
   *[other] { $count } violations
}
weekday-mon = Monday
weekday-tue = Tuesday
weekday-wed = Wednesday
weekday-thu = Thursday
weekday-fri = Friday
weekday-sat = Saturday
weekday-sun = Sunday
io-not-found = no such file or directory
io-permission-denied = permission denied
io-already-exists = already exists
io-invalid-data = invalid data
io-unexpected-eof = unexpected end of file
io-is-a-directory = is a directory
io-not-a-directory = not a directory
io-storage-full = no space left on device
io-read-only = read-only file system
json-position = line { $line }, column { $column }
serde-unknown-field = unknown field { $name }, expected one of { $expected }
serde-no-fields = unknown field { $name }, there are no fields{ $expected }
serde-unknown-variant = unknown variant { $name }, expected one of { $expected }
serde-unknown-variant-none = unknown variant { $name }{ $expected }
serde-missing-field = missing field { $name }
serde-duplicate-field = duplicate field { $name }
serde-invalid-type = invalid type: { $found }, expected { $expected }
serde-invalid-value = invalid value: { $found }, expected { $expected }
serde-invalid-length = invalid length { $found }, expected { $expected }
