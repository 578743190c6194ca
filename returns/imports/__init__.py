"""Files into the database: a reader that is safe with hostile files (size, rows,
cells, zip bombs) and importers that check every row before saving any.

- ``reader``: CSV/XLSX to a ``Table``, with the limits, and the row-numbered errors.
- ``catalogue``: partners, indicators and series breaks.
- ``figures``: quarterly figures (returns), for ``import_csv returns`` and uploads.
"""

from returns.imports.catalogue import (
    INDICATOR_COLUMNS,
    INDICATOR_OPTIONAL,
    PARTNER_COLUMNS,
    SERIES_BREAK_COLUMNS,
    import_indicators,
    import_partners,
    import_series_breaks,
)
from returns.imports.figures import (
    RETURN_COLUMNS,
    ReturnRow,
    import_returns,
    reporting_period_for,
    validate_returns,
)
from returns.imports.reader import (
    MAX_CELL_CHARS,
    MAX_COLUMNS,
    MAX_ROWS,
    MAX_UNCOMPRESSED_BYTES,
    UPLOAD_MAX_ROWS,
    UPLOAD_MAX_UNCOMPRESSED_BYTES,
    ImportFailed,
    RowError,
    Table,
    parse_decimal,
    read_table,
)

__all__ = [
    "INDICATOR_COLUMNS", "INDICATOR_OPTIONAL", "MAX_CELL_CHARS", "MAX_COLUMNS", "MAX_ROWS",
    "MAX_UNCOMPRESSED_BYTES", "PARTNER_COLUMNS", "RETURN_COLUMNS", "SERIES_BREAK_COLUMNS",
    "UPLOAD_MAX_ROWS", "UPLOAD_MAX_UNCOMPRESSED_BYTES", "ImportFailed", "ReturnRow", "RowError",
    "Table", "import_indicators", "import_partners", "import_returns", "import_series_breaks",
    "parse_decimal", "read_table", "reporting_period_for", "validate_returns",
]  # fmt: skip
