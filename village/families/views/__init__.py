"""Family directory pages: `staff` (directory, households, contact log, caseload,
duplicates, export), `imports` (roster uploads and their progress) and `family` (a family's own
details through a magic link)."""
