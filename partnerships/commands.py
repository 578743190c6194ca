"""The base of every command that works in one partnership."""

from django.core.management.base import BaseCommand, CommandError

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
