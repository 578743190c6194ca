import csv
import json

from django.core.management.base import CommandError

from core.periods import FinancialQuarter, PeriodError
from partnerships.commands import PartnershipCommand
from returns.quality.reconciliation import RECONCILE_COLUMNS, csv_row, json_row, period_rows


class Command(PartnershipCommand):
    help = (
        "For every indicator mapped to police.uk crime types: the submitted (approved, or "
        "else submitted) figure for a quarter against police.uk's sum of the mapped types "
        "in the partnership's area over the quarter's three months."
    )

    def add_arguments(self, parser):
        parser.add_argument("--period", required=True, help='a quarter like "2019-20 Q4"')
        parser.add_argument("--format", choices=["csv", "json"], default="csv")

    def handle(self, *args, period, format, **options):
        try:
            fq = FinancialQuarter.parse(period)
        except PeriodError as error:
            raise CommandError(str(error)) from None
        rows = period_rows(fq)
        if format == "json":
            self.stdout.write(json.dumps([json_row(i, fq, check) for i, check in rows], indent=2))
            return
        writer = csv.DictWriter(self.stdout, fieldnames=RECONCILE_COLUMNS, lineterminator="\n")
        writer.writeheader()
        for indicator, check in rows:
            writer.writerow(csv_row(indicator, fq, check))
