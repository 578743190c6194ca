"""For the migrations that gave every owned row its partnership key: an existing
database's rows all go into one partnership (the default one, from the settings), so
no figure changes; a fresh database has no rows and gets its partnership when first
needed."""

from django.conf import settings


def default_partnership(apps):
    Partnership = apps.get_model("partnerships", "Partnership")
    first = Partnership.objects.order_by("pk").first()
    if first is not None:
        return first
    return Partnership.objects.create(**settings.DEFAULT_PARTNERSHIP)


def into_default_partnership(*labels):
    """A RunPython function filling ``partnership`` on the models named
    ``app_label.Model``."""

    def forwards(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            # Check the new keys now: an ALTER after an UPDATE with deferred checks
            # pending fails on PostgreSQL.
            schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for label in labels:
            model = apps.get_model(label)
            unset = model.objects.filter(partnership__isnull=True)
            if unset.exists():
                unset.update(partnership=default_partnership(apps))

    return forwards


ROLE_ORDER = ["Administrator", "Coordinator", "Partner lead", "SCP member"]


def partners_and_people_into_default(apps, schema_editor):
    """Every agency joins the default partnership and each person's role group becomes
    their role in it (the most capable one, as the pages showed)."""
    Partner = apps.get_model("partners", "Partner")
    Link = apps.get_model("partnerships", "PartnershipPartner")
    Membership = apps.get_model("partnerships", "Membership")
    User = apps.get_model(*settings.AUTH_USER_MODEL.split("."))
    people = User.objects.filter(groups__name__in=ROLE_ORDER).distinct()
    if not Partner.objects.exists() and not people.exists():
        return
    partnership = default_partnership(apps)
    for partner in Partner.objects.all():
        Link.objects.get_or_create(partnership=partnership, partner=partner)
    for user in people:
        names = set(user.groups.values_list("name", flat=True))
        role = next(r for r in ROLE_ORDER if r in names)
        if role == "Administrator":
            continue  # administrators are superusers: they see every partnership
        Membership.objects.get_or_create(
            partnership=partnership, user=user, defaults={"role": role}
        )


def people_back_into_groups(apps, schema_editor):
    """The reverse: each role in the default partnership becomes a group again."""
    Group = apps.get_model("auth", "Group")
    Membership = apps.get_model("partnerships", "Membership")
    for membership in Membership.objects.exclude(partnership=None).select_related("user"):
        group, _ = Group.objects.get_or_create(name=membership.role)
        membership.user.groups.add(group)
