import json

from partnerships.commands import QuarterReportCommand
from reporting.outputs import exports
from reporting.selectors import scorecard_rows


class Command(QuarterReportCommand):
    help = "Write the scorecard for a period to stdout, one row per indicator."

    def handle(self, *args, period, format, **options):
        records = exports.export_records(scorecard_rows(period), period)
        if format == "json":
            payload = [exports.json_record(r) for r in records]
            self.stdout.write(json.dumps(payload, indent=2, ensure_ascii=False))
        else:
            exports.write_csv(records, self.stdout)
