from django.contrib.auth import get_user_model
from django.core.management.base import CommandError

from partners.models import ApiToken
from partnerships.commands import PartnershipCommand


class Command(PartnershipCommand):
    help = "Create a read-only API token for a user and print it (it is shown only once)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="API client")

    def handle(self, *args, username, name, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user called '{username}'")
        _, key = ApiToken.issue(user=user, name=name)
        self.stdout.write(key)
