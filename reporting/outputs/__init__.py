"""What people and other systems take away from the scorecard: the CSV/JSON records
(``exports``, a column contract), the Excel workbooks (``workbooks``) and the API's
OpenAPI document (``openapi``)."""
