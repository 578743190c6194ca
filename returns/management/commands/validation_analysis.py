import csv
import json

from partners.models import Partner
from partnerships.commands import QuarterReportCommand
from returns.quality.checks import ANALYSIS_COLUMNS, period_analysis


class Command(QuarterReportCommand):
    help = (
        "Run every validation rule and the outlier tests over one period's figures: a row "
        "per rule and partner owning an indicator it names, and per figure and outlier test."
    )

    def handle(self, *args, period, format, **options):
        rows = period_analysis(period, list(Partner.objects.order_by("code")))
        if format == "json":
            self.stdout.write(json.dumps(rows, indent=2))
            return
        writer = csv.DictWriter(self.stdout, fieldnames=ANALYSIS_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
