import json

from django.core.management.base import CommandError

from core.periods import FinancialQuarter, PeriodError
from partnerships.commands import PartnershipCommand
from reporting import exports
from reporting.selectors import scorecard_rows


class Command(PartnershipCommand):
    help = "Write the scorecard for a period to stdout, one row per indicator."

    def add_arguments(self, parser):
        parser.add_argument("--period", required=True, help='e.g. "2019-20 Q4"')
        parser.add_argument("--format", choices=["csv", "json"], default="csv")

    def handle(self, *args, period, format, **options):
        try:
            fq = FinancialQuarter.parse(period)
        except PeriodError as error:
            raise CommandError(str(error)) from None
        records = exports.export_records(scorecard_rows(fq), fq)
        if format == "json":
            payload = [exports.json_record(r) for r in records]
            self.stdout.write(json.dumps(payload, indent=2, ensure_ascii=False))
        else:
            exports.write_csv(records, self.stdout)
