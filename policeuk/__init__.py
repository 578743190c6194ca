"""Police figures from police.uk: the partnership's area (LSOAs), which crime types an
indicator counts, the monthly street-level archive reduced to counts, and the rule that
compares a submitted figure with police.uk's.

- ``crime_types``: the file's columns and its 14 crime types (plain Python).
- ``reconcile``: submitted against police.uk, the tolerance rule (plain Python).
- ``archive``: street CSVs and zips of them, streamed to counts, never held in memory.
- ``services``: the area, the mapping and the import, each all-or-nothing.
- ``selectors``: police.uk's figure for an indicator and quarter, and what was imported.
"""
