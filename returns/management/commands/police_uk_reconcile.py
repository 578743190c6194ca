import csv
import json

from partnerships.commands import QuarterReportCommand
from returns.quality.reconciliation import RECONCILE_COLUMNS, csv_row, json_row, period_rows


class Command(QuarterReportCommand):
    help = (
        "For every indicator mapped to police.uk crime types: the submitted (approved, or "
        "else submitted) figure for a quarter against police.uk's sum of the mapped types "
        "in the partnership's area over the quarter's three months."
    )

    def handle(self, *args, period, format, **options):
        rows = period_rows(period)
        if format == "json":
            self.stdout.write(
                json.dumps([json_row(i, period, check) for i, check in rows], indent=2)
            )
            return
        writer = csv.DictWriter(self.stdout, fieldnames=RECONCILE_COLUMNS, lineterminator="\n")
        writer.writeheader()
        for indicator, check in rows:
            writer.writerow(csv_row(indicator, period, check))
