"""The base of every command that works in one partnership."""

from django.core.management.base import BaseCommand, CommandError

from core.periods import FinancialQuarter, PeriodError
from core.tenancy import scoped_to
from partnerships.resolution import by_slug


class PartnershipCommand(BaseCommand):
    """Adds ``--partnership SLUG`` (optional when the installation has exactly one, so
    a single partnership's documented commands work as they always did) and runs the
    command in that partnership."""

    def create_parser(self, prog_name, subcommand, **kwargs):
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.add_argument(
            "--partnership",
            metavar="SLUG",
            help="The partnership to work in (needed when the installation has several)",
        )
        return parser

    def execute(self, *args, **options):
        try:
            self.partnership = by_slug(options.get("partnership"))
        except LookupError as error:
            raise CommandError(str(error)) from error
        with scoped_to(self.partnership):
            return super().execute(*args, **options)


class QuarterReportCommand(PartnershipCommand):
    """A report on one quarter of one partnership: ``--period "2019-20 Q4"`` (given to
    ``handle`` as a ``FinancialQuarter``) and ``--format csv|json``."""

    def add_arguments(self, parser):
        parser.add_argument("--period", required=True, help='a quarter like "2019-20 Q4"')
        parser.add_argument("--format", choices=["csv", "json"], default="csv")

    def execute(self, *args, **options):
        try:
            options["period"] = FinancialQuarter.parse(options["period"])
        except PeriodError as error:
            raise CommandError(str(error)) from None
        return super().execute(*args, **options)
