from django.contrib.auth import get_user_model
from django.core.management.base import CommandError
from django.db import transaction

from partnerships.commands import PartnershipCommand
from returns import imports
from returns.imports.police_uk import import_lsoas, import_police_uk_mapping
from returns.imports.validation_rules import import_validation_rules
from returns.services import InvalidTransition

SHOWN_ERRORS = 100

KINDS = {
    "partners": imports.import_partners,
    "indicators": imports.import_indicators,
    "returns": imports.import_returns,
    "series_breaks": imports.import_series_breaks,
    "validation_rules": import_validation_rules,
    "lsoas": import_lsoas,
    "police_uk_mapping": import_police_uk_mapping,
}


class Command(PartnershipCommand):
    help = (
        "Import partners, indicators, returns, series breaks, validation rules, the area's "
        "LSOAs or the police.uk mapping from a CSV or .xlsx file. Any bad row "
        "fails the whole file and nothing is changed; re-importing updates in place."
    )

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=sorted(KINDS))
        parser.add_argument("file")
        parser.add_argument(
            "--approve",
            action="store_true",
            help="returns only: record the values as approved (for loading history)",
        )
        parser.add_argument(
            "--by", help="username of the coordinator doing the import (recorded in the audit)"
        )

    def handle(self, *args, kind, file, approve, by, **options):
        if approve and kind != "returns":
            raise CommandError("--approve only applies to returns")
        user = None
        if by:
            user = get_user_model().objects.filter(username=by).first()
            if user is None:
                raise CommandError(f"No user called '{by}'")
        kwargs = {"approve": approve, "by": user} if kind == "returns" else {}
        if kind in ("series_breaks", "validation_rules", "lsoas", "police_uk_mapping"):
            kwargs = {"by": user}
        try:
            table = imports.read_table(file)
            with transaction.atomic():
                summary = KINDS[kind](table, **kwargs)
        except imports.ImportFailed as failure:
            for error in failure.errors[:SHOWN_ERRORS]:
                self.stderr.write(str(error))
            if len(failure.errors) > SHOWN_ERRORS:
                more = len(failure.errors) - SHOWN_ERRORS
                self.stderr.write(f"... and {more} more (the first {SHOWN_ERRORS} are shown)")
            raise CommandError(
                f"{len(failure.errors)} problem(s) in {file}; nothing was imported."
            ) from None
        except FileNotFoundError:
            raise CommandError(f"No such file: {file}") from None
        except InvalidTransition as error:
            raise CommandError(f"{error}; nothing was imported.") from None
        details = ", ".join(f"{k}: {v}" for k, v in summary.items())
        self.stdout.write(self.style.SUCCESS(f"Imported {kind} from {file} ({details})"))
