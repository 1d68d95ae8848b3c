# kea: generated from CLDR (Babel) by `manage.py formats_generate`; do not edit by hand.

DATE_FORMAT = "j \\d\\i F \\d\\i Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j \\d\\i F \\d\\i Y, H:i"
YEAR_MONTH_FORMAT = "F \\d\\i Y"
MONTH_DAY_FORMAT = "j \\d\\i F"
SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = "d/m/Y, H:i"
FIRST_DAY_OF_WEEK = 1
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "\u00a0"
NUMBER_GROUPING = 3
