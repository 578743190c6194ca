from django.contrib.auth import get_user_model
from django.core.management.base import CommandError

from partnerships.commands import PartnershipCommand
from policeuk.archive import ArchiveRefused
from policeuk.services import police_uk_import


class Command(PartnershipCommand):
    help = (
        "Import police.uk street-level files (YYYY-MM-<force>-street.csv, or zips of them "
        "as police.uk's archive and custom download give) as counts for the partnership's "
        "area. Re-importing a month replaces that month's counts; any bad row refuses the "
        "whole import and changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH")
        parser.add_argument("--by", help="username of the person importing (for the audit)")

    def handle(self, *args, paths, by, **options):
        user = None
        if by and (user := get_user_model().objects.filter(username=by).first()) is None:
            raise CommandError(f"No user called '{by}'")
        try:
            summary = police_uk_import(sources=paths, by=user)
        except ArchiveRefused as refused:
            for error in refused.errors:
                self.stderr.write(str(error))
            if refused.total > len(refused.errors):
                more = refused.total - len(refused.errors)
                self.stderr.write(
                    f"... and {more} more (the first {len(refused.errors)} are shown)"
                )
            raise CommandError(f"{refused.total} problem(s); nothing was imported.") from None
        details = ", ".join(f"{k}: {v}" for k, v in summary.items())
        self.stdout.write(self.style.SUCCESS(f"Imported police.uk figures ({details})"))
