# so: generated from CLDR (Babel) by `manage.py formats_generate`; do not edit by hand.

DATE_FORMAT = "F j, Y"
TIME_FORMAT = "g:i\u202fA"
DATETIME_FORMAT = "F j, Y g:i\u202fA"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "F j"
SHORT_DATE_FORMAT = "d/m/y"
SHORT_DATETIME_FORMAT = "d/m/y g:i\u202fA"
FIRST_DAY_OF_WEEK = 1
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
