"""The published scorecard: an issued pack's snapshot made safe for the public.

Only indicators marked publishable appear; partner commentary, people's names and
anything unapproved never do (the pack snapshot holds approved figures only). Counts
from 1 up to below ``PUBLIC_SUPPRESS_BELOW`` (default 5) are shown as "fewer than 5",
and whatever could give them back — totals, comparisons, targets derived from them,
the change on last year, the SPC summary — is withheld with them (``disclosure``). The
public page reads the one row this writes.
"""

from __future__ import annotations

import json
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from core.audit import record_audit
from core.formatting import fixed_places
from core.models import AuditEntry
from core.periods import FinancialQuarter
from indicators.models import Indicator
from indicators.rag import TargetType
from meetings import charts, disclosure
from meetings.models import MeetingPack, PublishedScorecard
from partners.roles import require_coordinator
from partnerships.models import Partnership
from reporting.outputs.exports import EXPORT_COLUMNS, EXTRA_COLUMNS
from reporting.outputs.exports import TEXT_COLUMNS as EXPORT_TEXT_COLUMNS

LICENCE_URL = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"
PUBLISHER = "Southampton Safe City Partnership"
LICENCE = (
    "Contains public sector information licensed under the Open Government Licence v3.0 "
    "(https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/)."
)
CACHE_KEY = "public-scorecard"
PAGE_CACHE_KEY = "public-scorecard-page"
# The export_scorecard columns that are public, then the public note. Not public: the
# partner's commentary, and the SPC limits (they could give small counts away).
NOT_PUBLIC = {"commentary", "spc_mean", "spc_lower", "spc_upper", "spc_points"}
PUBLIC_COLUMNS = [
    *(c for c in EXPORT_COLUMNS + EXTRA_COLUMNS if c not in NOT_PUBLIC),
    "public_note",
    "owner_name",
    # A suppressed figure is a blank number (the column stays numeric for pandas, Power
    # BI and Frictionless) and these say why.
    "suppressed",
    "suppressed_reason",
]
PUBLIC_NUMBERS = (
    "actual", "target", "change_vs_last_year_pct", "comparison", "change_vs_last_year_pp",
)  # fmt: skip
TEXT_COLUMNS = (EXPORT_TEXT_COLUMNS - NOT_PUBLIC) | {"public_note", "owner_name"}


class PublishError(Exception):
    pass


def threshold() -> int:
    return settings.PUBLIC_SUPPRESS_BELOW


def fewer_than() -> str:
    return f"fewer than {threshold()}"


def is_small(value, measure: str) -> bool:
    """A count from 1 up to below the threshold (0 is not disclosive)."""
    if measure != "count" or value in ("", None):
        return False
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return False
    return 0 < number < threshold()


WITHHELD = "withheld (it would reveal a small number)"


def _figures(entry: dict, indicator: Indicator) -> disclosure.Figures:
    def number(text):
        return Decimal(str(text)) if text not in ("", None) else None

    period = FinancialQuarter.parse(entry["period"])
    rule = indicator.target_rule_for(period.year)
    return disclosure.Figures(
        measure=entry["measure"],
        quarters={
            (p["year"], p["quarter"]): number(p.get("value")) for p in entry.get("history", [])
        },
        period=(period.year, period.quarter),
        actual=number(entry["actual"]),
        comparison=number(entry["comparison"]),
        target=number(entry["target"]),
        target_quarter=number(entry.get("target_quarter")),
        target_from_last_year=rule.type == TargetType.CHANGE_VS_LAST_YEAR,
    )


def public_entry(entry: dict, indicator: Indicator) -> dict:
    """The entry as the public may see it: small counts suppressed, and everything that
    would give them back (``disclosure``: totals, targets, changes, SPC)."""
    measure = entry["measure"]
    hidden = disclosure.suppress(_figures(entry, indicator), threshold())

    def shown(value, name, display):
        if name not in hidden:
            return value, display, False
        return "", fewer_than() if is_small(value, measure) else WITHHELD, True

    actual, actual_display, actual_small = shown(entry["actual"], "actual", entry["actual_display"])
    comparison, comparison_display, comparison_small = shown(
        entry["comparison"], "comparison", entry["comparison_display"]
    )
    history = []
    for point in entry.get("history", []):
        cell = disclosure.quarter_cell(point["year"], point["quarter"])
        value, display, suppressed = shown(point.get("value"), cell, point.get("display", ""))
        history.append({**point, "value": value, "display": display, "suppressed": suppressed})
    target_hidden = "target" in hidden
    spc_hidden = "spc" in hidden
    change_hidden = "change" in hidden
    return {
        "code": entry["code"],
        "name": entry["name"],
        "priority": entry["priority"],
        "owner": entry["owner"],
        "owner_code": entry.get("owner_code", ""),
        "measure": measure,
        "unit": entry["unit"],
        "period": entry["period"],
        "actual": actual,
        "actual_display": actual_display,
        "actual_suppressed": actual_small,
        "comparison": comparison,
        "comparison_display": comparison_display,
        "comparison_suppressed": comparison_small,
        "target": "" if target_hidden else entry["target"],
        "target_display": WITHHELD if target_hidden else entry["target_display"],
        "rag": entry["rag"],
        "rag_label": entry["rag_label"],
        "direction": entry["direction"],
        "direction_label": entry["direction_label"],
        "change_pct": "" if change_hidden else entry["change_pct"],
        "change_pp": "" if change_hidden else entry.get("change_pp", ""),
        "change_display": "suppressed (small numbers)"
        if change_hidden
        else entry["change_display"],
        "caution": entry["caution"],
        "caution_reason": entry["caution_reason"],
        # The pack's exceptions (one rule: reporting.exceptions); an outlier reason would
        # tell how far a suppressed figure moved, so it goes with the change.
        "exception_reasons": [
            reason
            for reason in entry.get("exception_reasons", [])
            if not (change_hidden and reason.startswith("Outlier"))
        ],
        "caveats": entry.get("caveats", ""),
        "public_note": indicator.public_note,
        "public_note_period": indicator.public_note_period,
        "target_quarter": "" if "target_quarter" in hidden else entry.get("target_quarter", ""),
        "variation": entry.get("variation", ""),
        "variation_label": entry.get("variation_label", ""),
        "assurance": entry.get("assurance", ""),
        "assurance_label": entry.get("assurance_label", ""),
        "spc_summary": "" if spc_hidden else entry.get("spc_summary", ""),
        "history": history,
    }


def public_snapshot(pack: MeetingPack) -> dict:
    snapshot = pack.snapshot
    codes = [e["code"] for e in snapshot["indicators"]]
    # targets prefetched: disclosure asks each indicator's target rule (no query a row)
    publishable = {
        i.code: i
        for i in Indicator.objects.filter(code__in=codes, publishable=True).prefetch_related(
            "targets"
        )
    }
    indicators = [
        public_entry(e, publishable[e["code"]])
        for e in snapshot["indicators"]
        if e["code"] in publishable
    ]
    summary: dict[str, dict] = {}
    for item in indicators:
        counts = summary.setdefault(item["priority"], {})
        counts[item["rag"]] = counts.get(item["rag"], 0) + 1
    partnership = Partnership.objects.get(pk=pack.partnership_id)
    return {
        "title": f"{partnership.name} scorecard",
        "partnership": partnership.name,
        "partnership_slug": partnership.slug,
        "period": snapshot["period"],
        "meeting_date": snapshot["meeting"]["date"],
        "meeting_date_display": snapshot["meeting"]["date_display"],
        "threshold": threshold(),
        "licence": LICENCE,
        "published_on": timezone.localdate().isoformat(),
        "indicators": indicators,
        "summary": [{"priority": p, "counts": c} for p, c in summary.items()],
        "provisional": snapshot.get("provisional"),
    }


def scorecard_publish(*, pack: MeetingPack, by) -> PublishedScorecard:
    require_coordinator(by, "Only the Stronger Communities team publishes the scorecard")
    if pack.status == MeetingPack.Status.FAILED:
        raise PublishError("This version failed to generate: reissue the pack, then publish it")
    with transaction.atomic():
        public = PublishedScorecard.objects.create(
            pack=pack, published_by=by, snapshot=public_snapshot(pack)
        )
        record_audit(
            actor=by,
            action=AuditEntry.Action.PUBLISHED,
            field="published scorecard",
            new_value=f"{pack} ({len(public.snapshot['indicators'])} indicators)",
        )
        partnership = Partnership.objects.get(pk=public.partnership_id)
        if not partnership.publishes:
            Partnership.objects.filter(pk=partnership.pk).update(publishes=True)
        transaction.on_commit(lambda: forget_public_pages(partnership))
    return public


def shared_cache() -> bool:
    """A cache every web process shares (Redis, Memcached): publishing's delete reaches
    them all. A per-process cache (the default) cannot be told, so its keys carry the
    latest publication's id, read from the database on each visit."""
    backend = settings.CACHES["default"]["BACKEND"]
    return not backend.endswith(("locmem.LocMemCache", "dummy.DummyCache"))


def _where_key(slug: str | None) -> str:
    return f"{CACHE_KEY}:where:{slug or ''}"


def public_keys(slug: str | None = None) -> tuple[int, tuple[str, str]] | None:
    """(partnership id, (snapshot key, page key)) for the scorecard the public should
    see at ``/public/<slug>/`` (or ``/public/`` in an installation of one partnership),
    in one query a visit at most: none with a shared cache, the partnership and its
    latest publication's id with a per-process one. None: no such partnership."""
    # The page links to its own route's downloads (CSVW wants the CSV's own address).
    route = slug or ""
    if shared_cache():
        pid = cache.get(_where_key(slug))
        if pid is None:
            found = _public_partnerships(slug)
            pid = found[0][0] if len(found) == 1 else 0
            cache.set(_where_key(slug), pid, timeout=settings.PUBLIC_CACHE_SECONDS)
        keys = (f"{CACHE_KEY}:{pid}", f"{PAGE_CACHE_KEY}:{pid}:{route}")
        return (pid, keys) if pid else None
    found = _public_partnerships(slug)
    if len(found) != 1:
        return None
    pid, version = found[0]
    return pid, (f"{CACHE_KEY}:{pid}:{version}", f"{PAGE_CACHE_KEY}:{pid}:{route}:{version}")


def _public_partnerships(slug):
    latest = (
        PublishedScorecard.objects.across_partnerships()
        .filter(partnership=OuterRef("pk"))
        .order_by("-published_at", "-pk")
        .values("pk")[:1]
    )
    partnerships = Partnership.objects.filter(slug=slug) if slug else Partnership.objects
    return list(
        partnerships.annotate(version=Subquery(latest))
        .order_by("pk")
        .values_list("pk", "version")[:2]
    )


def latest_publication(pid: int, keys: tuple[str, str]) -> dict | None:
    """The snapshot the public sees, from the cache when it can."""
    found = cache.get(keys[0])
    if found is None:
        latest = PublishedScorecard.objects.in_partnership(pid).only("snapshot").first()
        found = latest.snapshot if latest else {}
        cache.set(keys[0], found, timeout=settings.PUBLIC_CACHE_SECONDS)
    return found or None


def forget_public_pages(partnership) -> None:
    """After publishing (or a new partnership, which makes ``/public/`` a list)."""
    cache.delete_many(
        [
            f"{CACHE_KEY}:{partnership.pk}",
            f"{PAGE_CACHE_KEY}:{partnership.pk}:",
            f"{PAGE_CACHE_KEY}:{partnership.pk}:{partnership.slug}",
            _where_key(partnership.slug),
            _where_key(None),
        ]
    )


def _suppressed_reason(item: dict) -> str:
    hidden = [
        name
        for name, flag in (
            ("actual", item["actual_suppressed"]),
            ("comparison", item["comparison_suppressed"]),
        )
        if flag
    ]
    if not hidden:
        return ""
    return (
        f"{' and '.join(hidden)} withheld: counts {fewer_than()} are not published, nor "
        "the figures that would give them back"
    )


def public_record(item: dict) -> dict:
    """One row of the public CSV: the internal export's columns mean and look the same
    (``owner`` is the partner's code, a change has one decimal place), numbers stay
    numbers (blank when suppressed) and ``suppressed`` says why a number is blank."""
    change = item["change_pct"]
    return {
        "indicator": item["code"],
        "name": item["name"],
        "priority": item["priority"],
        "period": item["period"],
        "actual": "" if item["actual_suppressed"] else item["actual"],
        "target": item["target"],
        "rag": item["rag"],
        "direction": item["direction"],
        "change_vs_last_year_pct": fixed_places(Decimal(change), 1) if change != "" else "",
        "caution": "yes" if item["caution"] else "no",
        "owner": item.get("owner_code") or item["owner"],
        "owner_name": item["owner"],
        "measure": item["measure"],
        "comparison": "" if item["comparison_suppressed"] else item["comparison"],
        "caution_reason": item["caution_reason"],
        "variation": item["variation"],
        "assurance": item["assurance"],
        "public_note": item["public_note"],
        "suppressed": "yes" if item["actual_suppressed"] or item["comparison_suppressed"] else "no",
        "suppressed_reason": _suppressed_reason(item),
        "change_vs_last_year_pp": (
            fixed_places(Decimal(item["change_pp"]), 1)
            if item.get("change_pp") and item["measure"] == "percentage"
            else ""
        ),
        "exception_reasons": list(item.get("exception_reasons", [])),
    }


def public_json_record(item: dict) -> dict:
    """The public CSV row with the API's types: numbers as numbers, missing as null,
    yes/no as booleans, and each suppressed number's own flag and display text."""
    record = public_record(item)
    typed = {
        **record,
        **{k: json.loads(record[k]) if record[k] != "" else None for k in PUBLIC_NUMBERS},
        "caution": item["caution"],
        "suppressed": record["suppressed"] == "yes",
        "suppressed_reason": record["suppressed_reason"] or None,
        "variation": record["variation"] or None,
        "assurance": record["assurance"] or None,
        "actual_suppressed": item["actual_suppressed"],
        "actual_display": item["actual_display"],
        "comparison_suppressed": item["comparison_suppressed"],
        "comparison_display": item["comparison_display"],
    }
    return typed


def page_context(snapshot: dict) -> dict:
    """Priorities in order with their indicators and charts (drawn per request from the
    stored, already suppressed, history; the page is cached)."""

    groups: dict[str, list] = {}
    for item in snapshot["indicators"]:
        drawn = {**item, "chart_svg": charts.to_svg(charts.quarterly_chart(item))}
        groups.setdefault(item["priority"], []).append(drawn)
    summary = []
    for entry in snapshot["summary"]:
        counts = entry["counts"]
        summary.append(
            {
                "priority": entry["priority"],
                "red": counts.get("red", 0),
                "amber": counts.get("amber", 0),
                "green": counts.get("green", 0),
                "other": sum(
                    n for rag, n in counts.items() if rag not in ("red", "amber", "green")
                ),
            }
        )
    return {
        "groups": [{"priority": p, "indicators": items} for p, items in groups.items()],
        "summary": summary,
        "attention": [i for i in snapshot["indicators"] if i.get("exception_reasons")],
    }
