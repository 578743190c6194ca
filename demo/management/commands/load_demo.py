import csv
import io
import tempfile
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from actions import services as actions
from core.periods import FinancialQuarter, financial_year_label
from core.tenancy import scoped_to
from demo import data as demo
from demo import police_uk as demo_police_uk
from demo import second
from indicators import services as setup
from indicators.models import Indicator, Priority, Strategy, Target
from meetings.models import Meeting
from meetings.packs import meeting_pack_issue
from meetings.publishing import scorecard_publish
from partners.models import Partner
from partners.roles import Role, ensure_role_groups
from partnerships.commands import PartnershipCommand
from partnerships.models import Membership, Partnership, Population
from policeuk import services as police_uk
from returns import imports, services
from returns.imports.validation_rules import VALIDATION_RULE_COLUMNS, import_validation_rules
from returns.models import QuarterlyReturn, ReportingPeriod


def _table(columns, rows) -> imports.Table:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(columns)
    writer.writerows(rows)
    return imports.read_table(io.BytesIO(buffer.getvalue().encode()), "demo.csv")


class Command(PartnershipCommand):
    help = (
        "Load the Southampton demo partnership and an illustrative second one, Eastleigh "
        "(safe to run again: it updates in place). --partnership names the one the "
        "Southampton demo goes into."
    )

    def execute(self, *args, **options):
        # Run again on an installation of two, the demo goes back into the partnership
        # the default one is (by its slug) without being told.
        if not options.get("partnership"):
            default = settings.DEFAULT_PARTNERSHIP["slug"]
            if Partnership.objects.filter(slug=default).exists():
                options["partnership"] = default
        return super().execute(*args, **options)

    @transaction.atomic
    def handle(self, *args, **options):
        ensure_role_groups()
        self._southampton()
        with scoped_to(None):
            self._second_partnership()
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        self.stdout.write(f"Demo logins (password for all: {demo.DEMO_PASSWORD}):")
        for username, role, partners, _ in demo.USERS:
            extra = f" for {', '.join(partners)}" if partners else ""
            self.stdout.write(f"  {username:<15} {role}{extra}")
        for username, role, partners, name in second.USERS:
            if name:
                extra = f" for {', '.join(partners)}" if partners else ""
                self.stdout.write(f"  {username:<22} {role}{extra} ({second.SHORT_NAME})")
        self.stdout.write(f"  police.lead is also the {second.SHORT_NAME} police lead.")

    def _southampton(self):
        imports.import_partners(_table(imports.PARTNER_COLUMNS, demo.PARTNERS))
        users = self._users()
        imports.import_indicators(self._indicator_table())
        imports.import_returns(self._returns_table(), approve=True, by=users["coordinator"])
        imports.import_series_breaks(
            _table(imports.SERIES_BREAK_COLUMNS, demo.SERIES_BREAKS), by=users["coordinator"]
        )
        self._strategies(users["coordinator"])
        for name, short_name in demo.PRIORITY_SHORT_NAMES.items():
            Priority.objects.filter(name=name).update(short_name=short_name)
        import_validation_rules(
            _table(VALIDATION_RULE_COLUMNS, demo.VALIDATION_RULES), by=users["coordinator"]
        )
        self._open_next_period()
        self._submitted_return(users["fire.lead"])
        self._meeting(users["coordinator"])
        self._residents(self.partnership, second.POPULATIONS["southampton"])
        Indicator.objects.filter(code__in=second.SHARED).update(share_with_peers=True)
        self._police_uk(users["coordinator"])

    def _users(self):
        User = get_user_model()
        users = {}
        for username, role, partner_codes, full_name in demo.USERS:
            first, _, last = full_name.partition(" ")
            user, created = User.objects.get_or_create(
                username=username,
                defaults={
                    "first_name": first,
                    "last_name": last,
                    "email": f"{username}@demo.invalid",
                },
            )
            if created:
                user.set_password(demo.DEMO_PASSWORD)
            user.is_staff = role in (Role.ADMINISTRATOR, Role.COORDINATOR)
            user.is_superuser = role == Role.ADMINISTRATOR
            user.save()
            if role != Role.ADMINISTRATOR:  # superusers see every partnership
                Membership.objects.get_or_create(partnership=self.partnership, user=user, role=role)
            for code in partner_codes:
                Partner.objects.get(code=code).leads.add(user)
            users[username] = user
        return users

    def _indicator_table(self):
        columns = imports.INDICATOR_COLUMNS + imports.INDICATOR_OPTIONAL
        rows = []
        for spec in demo.INDICATORS:
            target_type, target = spec["target"]
            for year in (2018, 2019):
                row = {
                    "code": spec["code"],
                    "name": spec["name"],
                    "priority": spec["priority"],
                    "owner": spec["owner"],
                    "measure": spec["measure"],
                    "polarity": spec["polarity"],
                    "target_type": target_type,
                    "target": target,
                    "tolerance_pct": "",
                    "caution_below": spec.get("caution_below", ""),
                    "stable_band_pct": "",
                    "strategy": demo.STRATEGY,
                    "year": financial_year_label(year),
                    "description": spec.get("description", ""),
                    "data_source": "; ".join(
                        filter(
                            None,
                            [
                                spec.get("data_source", ""),
                                demo.BACK_SERIES_NOTE if 2018 in spec["years"] else "",
                            ],
                        )
                    ),
                    "caveats": spec.get("caveats", ""),
                    "rate_per": spec.get("rate_per", ""),
                    "rate_denominator_label": spec.get("rate_denominator_label", ""),
                    "outlier_band_pct": "",
                }
                rows.append([row[c] for c in columns])
        return _table(columns, rows)

    def _returns_table(self):
        rows = []
        for spec in demo.INDICATORS:
            for year, values in demo.quarterly_values(spec).items():
                for quarter, value in enumerate(values, start=1):
                    fq = FinancialQuarter(year, quarter)
                    commentary = demo.COMMENTARY.get((spec["code"], year, quarter), "")
                    rows.append([spec["owner"], spec["code"], fq.label, str(value), commentary])
        return _table(imports.RETURN_COLUMNS, rows)

    def _submitted_return(self, lead):
        """Hampshire Fire's 2020-21 Q1 return waits in the coordinators' review queue."""
        period = imports.reporting_period_for(FinancialQuarter(2020, 1))
        partner = Partner.objects.get(code="HFRS")
        existing = QuarterlyReturn.objects.filter(partner=partner, period=period).first()
        if existing is not None:
            return
        quarterly_return = services.quarterly_return_get_or_start(
            partner=partner, period=period, by=lead
        )
        figures = {
            "ARSON-01": ("44", "Arson continues to fall; joint patrols with the police in Q1."),
            "SWV-01": (
                "410",
                "Physical visits paused in April under COVID restrictions; "
                "telephone Safe and Well calls instead.",
            ),
        }
        indicators = {i.code: i for i in partner.indicators.all()}
        services.return_values_save(
            quarterly_return=quarterly_return,
            by=lead,
            entries=[
                services.ValueEntry(
                    indicator_id=indicators[code].id, value=Decimal(value), commentary=text
                )
                for code, (value, text) in figures.items()
            ],
        )
        services.quarterly_return_submit(quarterly_return=quarterly_return, by=lead)

    def _meeting(self, coordinator):
        """The first of the year's six meetings, with its pack issued and published."""

        Indicator.objects.update(publishable=True)
        Indicator.objects.filter(code__in=demo.NOT_PUBLISHED).update(publishable=False)
        for code, note in demo.PUBLIC_NOTES.items():
            Indicator.objects.filter(code=code).update(
                public_note=note, public_note_period=FinancialQuarter(2019, 4).label
            )
        period = ReportingPeriod.objects.get(year=2019, quarter=4)
        held = timezone.localdate() - timedelta(days=demo.MEETING_DAYS_AGO)
        meeting = Meeting.objects.filter(period=period, theme="Domestic abuse").first()
        created = meeting is None
        if created:
            meeting = Meeting.objects.create(
                title=demo.meeting_title(held),
                date=held,
                theme="Domestic abuse",
                period=period,
                created_by=coordinator,
            )
            meeting.theme_indicators.set(Indicator.objects.filter(code__in=demo.THEME_INDICATORS))
            pack = meeting_pack_issue(meeting=meeting, by=coordinator)
            scorecard_publish(pack=pack, by=coordinator)
            self._action(meeting, coordinator)

    def _strategies(self, coordinator):
        """The review's strategy runs to 2020-21 with last year's targets carried
        forward; the refreshed 2021–2026 strategy has its priorities and continuing
        indicators, and its 2021-22 targets are left to set (the yearly cycle to try)."""

        old = Strategy.objects.get(name=demo.STRATEGY)
        old.start_year, old.end_year = demo.STRATEGY_YEARS
        old.save(update_fields=["start_year", "end_year"])
        setup.targets_save(
            year=2020,
            choices=[
                setup.TargetChoice(
                    indicator=t.indicator,
                    target_type=t.target_type,
                    value=t.value,
                    note=demo.CARRIED_TARGET_NOTE,
                )
                for t in Target.objects.filter(year=2019).select_related("indicator")
            ],
            by=coordinator,
        )
        first, last = demo.NEW_STRATEGY_YEARS
        new, _ = Strategy.objects.get_or_create(
            name=demo.NEW_STRATEGY, defaults={"start_year": first, "end_year": last}
        )
        priorities = {
            name: Priority.objects.get_or_create(strategy=new, name=name, defaults={"order": n})[0]
            for n, name in enumerate(demo.NEW_PRIORITIES, start=1)
        }
        indicators = dict(Indicator.objects.values_list("code", "id"))
        setup.strategy_carry_forward(
            strategy=new,
            places={indicators[code]: priorities[p] for code, p in demo.CARRIED_FORWARD.items()},
            by=coordinator,
        )

    def _action(self, meeting, coordinator):
        spec = demo.DEMO_ACTION
        lead = get_user_model().objects.get(username=spec["lead"])
        action = actions.action_record(
            meeting=meeting,
            title=spec["title"],
            description=spec["description"],
            owner=Partner.objects.get(code=spec["owner"]),
            lead=lead,
            due_date=timezone.localdate() + timedelta(days=demo.ACTION_DUE_IN_DAYS),
            indicators=list(Indicator.objects.filter(code__in=spec["indicators"])),
            by=coordinator,
        )
        actions.action_update(action=action, text=spec["update"], status="in_progress", by=lead)

    def _police_uk(self, coordinator):
        """The area, the four police indicators' crime types, and an illustrative
        police.uk archive (15 months) imported the way a coordinator would."""
        police_uk.area_add(lsoas=demo_police_uk.area(), by=coordinator, replace=True)
        indicators = {i.code: i for i in Indicator.objects.filter(code__in=demo_police_uk.MAPPING)}
        police_uk.mapping_save(
            choices=[
                police_uk.MappingChoice(indicators[code], types)
                for code, types in demo_police_uk.MAPPING.items()
            ],
            by=coordinator,
        )
        with tempfile.TemporaryDirectory() as folder:
            archive = demo_police_uk.write_archive(Path(folder) / "police-uk-demo.zip")
            police_uk.police_uk_import(sources=[archive], by=coordinator)

    def _open_next_period(self):
        """2020-21 Q1 is open for entry so the returns workflow has something to do."""
        period = imports.reporting_period_for(FinancialQuarter(2020, 1))
        deadline = timezone.localdate() + timedelta(days=demo.OPEN_DEADLINE_IN_DAYS)
        ReportingPeriod.objects.filter(pk=period.pk).update(is_open=True, deadline=deadline)

    def _residents(self, partnership, populations):
        for year, residents in populations.items():
            Population.objects.update_or_create(
                partnership=partnership, year=year, defaults={"residents": residents}
            )

    def _second_partnership(self):
        """Eastleigh (illustrative), sharing Hampshire Constabulary and its police lead."""
        partnership, _ = Partnership.objects.update_or_create(
            slug=second.SLUG,
            defaults={
                "name": second.NAME,
                "short_name": second.SHORT_NAME,
                "area_description": second.AREA,
            },
        )
        self._residents(partnership, second.POPULATIONS[second.SLUG])
        with scoped_to(partnership):
            imports.import_partners(_table(imports.PARTNER_COLUMNS, second.PARTNERS))
            users = self._second_users(partnership)
            columns = imports.INDICATOR_COLUMNS + imports.INDICATOR_OPTIONAL
            rows = [[row[c] for c in columns] for row in second.indicator_rows()]
            imports.import_indicators(_table(columns, rows))
            Strategy.objects.filter(name=second.STRATEGY).update(start_year=2018, end_year=2021)
            Indicator.objects.filter(code__in=second.SHARED).update(share_with_peers=True)
            imports.import_returns(
                _table(imports.RETURN_COLUMNS, second.return_rows()),
                approve=True,
                by=users["eastleigh.coordinator"],
            )
            period = imports.reporting_period_for(second.OPEN_PERIOD)
            ReportingPeriod.objects.filter(pk=period.pk).update(
                is_open=True, deadline=second.open_deadline()
            )

    def _second_users(self, partnership):
        User = get_user_model()
        users = {}
        for username, role, partner_codes, full_name in second.USERS:
            user = User.objects.filter(username=username).first()
            if user is None:
                first, _, last = full_name.partition(" ")
                user = User.objects.create(
                    username=username,
                    first_name=first,
                    last_name=last,
                    email=f"{username}@demo.invalid",
                    is_staff=role == Role.COORDINATOR,
                )
                user.set_password(demo.DEMO_PASSWORD)
                user.save()
            Membership.objects.get_or_create(partnership=partnership, user=user, role=role)
            for code in partner_codes:
                Partner.objects.get(code=code).leads.add(user)
            users[username] = user
        return users
