from django.apps import AppConfig


class ReturnsConfig(AppConfig):
    name = "returns"
    # The label predates the split into domain packages: it keeps the migration history,
    # the table names (scorecard_quarterlyreturn, ...) and the permission names
    # (scorecard.review_return) that existing databases and groups already hold.
    label = "scorecard"
    verbose_name = "Quarterly returns"
