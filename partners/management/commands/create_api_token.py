from django.contrib.auth import get_user_model
from django.core.management.base import CommandError

from partners.models import ApiToken
from partnerships.commands import PartnershipCommand
from partnerships.resolution import partnerships_for


class Command(PartnershipCommand):
    help = (
        "Create a read-only API token for a user and print it (it is shown only once). "
        "The token reads the one partnership (--partnership, or the only one), or with "
        "--all-partnerships every partnership the user may read."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="API client")
        parser.add_argument(
            "--all-partnerships",
            action="store_true",
            help="Let the token read every partnership the user belongs to",
        )

    def handle(self, *args, username, name, all_partnerships=False, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user called '{username}'")
        if self.partnership not in partnerships_for(user):
            raise CommandError(f"{username} has no role in {self.partnership}")
        bound = None if all_partnerships else self.partnership
        _, key = ApiToken.issue(user=user, name=name, partnership=bound)
        self.stdout.write(key)
