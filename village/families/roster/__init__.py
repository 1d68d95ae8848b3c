"""Roster import: OneRoster 1.1/1.2 CSV bundles and the Village CSV template.

`files` reads an upload safely (size, zip paths, encodings); `oneroster` and `template` turn
rows into records and problems. Writing a checked roster (`roster_apply`, one transaction,
idempotent by source id) is a write, so it lives in `village.families.services`.
"""
