from django.core.management.base import BaseCommand, CommandError

from hosting.services import PartnershipError, parse_population, partnership_create


class Command(BaseCommand):
    help = (
        'Create a partnership: create_partnership SLUG "NAME" [--population YEAR=N ...] '
        "(it starts empty; import its partners, indicators and returns with "
        "import_csv --partnership SLUG)."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("name")
        parser.add_argument("--short-name", default="")
        parser.add_argument("--area", default="", help="A sentence on the area it covers")
        parser.add_argument(
            "--population",
            action="append",
            default=[],
            metavar="YEAR=N",
            help="Residents in a financial year, e.g. 2019=252796 (repeat for more years)",
        )

    def handle(self, *args, slug, name, short_name, area, population, **options):
        try:
            populations = [parse_population(text) for text in population]
            partnership = partnership_create(
                slug=slug,
                name=name,
                short_name=short_name,
                area_description=area,
                populations=populations,
            )
        except PartnershipError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(f"Created {partnership.name} ({partnership.slug})."))
