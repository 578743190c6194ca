import csv
import json

from django.core.management.base import CommandError

from core.periods import FinancialQuarter, PeriodError
from partners.models import Partner
from partnerships.commands import PartnershipCommand
from returns.quality.checks import ANALYSIS_COLUMNS, period_analysis


class Command(PartnershipCommand):
    help = (
        "Run every validation rule and the outlier tests over one period's figures: a row "
        "per rule and partner owning an indicator it names, and per figure and outlier test."
    )

    def add_arguments(self, parser):
        parser.add_argument("--period", required=True, help='e.g. "2019-20 Q4"')
        parser.add_argument("--format", choices=["csv", "json"], default="csv")

    def handle(self, *args, period, format, **options):
        try:
            fq = FinancialQuarter.parse(period)
        except PeriodError as error:
            raise CommandError(str(error)) from None
        rows = period_analysis(fq, list(Partner.objects.order_by("code")))
        if format == "json":
            self.stdout.write(json.dumps(rows, indent=2))
            return
        writer = csv.DictWriter(self.stdout, fieldnames=ANALYSIS_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
