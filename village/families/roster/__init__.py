"""Roster import: OneRoster 1.1/1.2 CSV bundles and the Village CSV template.

`files` reads an upload safely (size, zip paths, encodings); `oneroster` and `template` turn
rows into records and problems; `importer` checks everything first and then writes it all in
one transaction, idempotent by source id.
"""
