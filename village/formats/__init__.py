"""Date, time and number formats from CLDR; see `manage.py formats_generate`."""
