"""Changes to a partnership's police.uk set-up and figures, each in one transaction,
each audited: the area, an indicator's crime types, and an import of street files."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from core.audit import Action, record_audit
from indicators.models import Indicator
from policeuk import archive
from policeuk.crime_types import CRIME_TYPES
from policeuk.models import Lsoa, PoliceUkCount, PoliceUkMapping, PoliceUkMonth, SeenLsoa


def area_codes() -> list[str]:
    return list(Lsoa.objects.order_by("code").values_list("code", flat=True))


def area_signature(codes: Iterable[str]) -> str:
    """A fingerprint of the area, so the pages can say which months were counted
    against a different one."""
    return hashlib.sha256(",".join(sorted(codes)).encode()).hexdigest()


# --- the area -------------------------------------------------------------------------


def area_add(*, lsoas: list[tuple[str, str]], by=None, replace: bool = False) -> dict:
    """Add (or with ``replace``, set) the area's LSOAs, given as (code, name) pairs.
    Adding one already there updates its name; nothing is added twice."""
    now = timezone.now()
    with transaction.atomic():
        existing = {lsoa.code: lsoa for lsoa in Lsoa.objects.all()}
        wanted = dict(lsoas)
        removed = 0
        if replace:
            gone = [code for code in existing if code not in wanted]
            removed = Lsoa.objects.filter(code__in=gone).delete()[0]
        created = [
            Lsoa(code=c, name=n, updated_at=now) for c, n in wanted.items() if c not in existing
        ]
        Lsoa.objects.bulk_create(created)
        renamed = [
            existing[c] for c, n in wanted.items() if c in existing and existing[c].name != n
        ]
        for lsoa in renamed:
            lsoa.name, lsoa.updated_at = wanted[lsoa.code], now
        Lsoa.objects.bulk_update(renamed, ["name", "updated_at"])
        if created or removed or renamed:
            record_audit(
                actor=by,
                action=Action.POLICE_UK,
                field="area",
                new_value=f"{Lsoa.objects.count()} LSOAs",
                comment=f"{len(created)} added, {removed} removed, {len(renamed)} renamed",
            )
    return {"rows": len(wanted), "created": len(created), "removed": removed}


def lsoas_for_local_authority(name: str) -> list[SeenLsoa]:
    """The LSOAs seen in imported files whose name is the local authority's followed by
    its number: "Southampton" selects "Southampton 001A", never "Southamptonshire"."""
    name = name.strip()
    if not name:
        return []
    return [
        lsoa
        for lsoa in SeenLsoa.objects.filter(name__istartswith=f"{name} ").order_by("name")
        if lsoa.name[len(name) + 1 :][:3].isdigit()
    ]


# --- the mapping ----------------------------------------------------------------------


@dataclass(frozen=True)
class MappingChoice:
    indicator: Indicator
    crime_types: list[str]
    tolerance_pct: Decimal | None = None  # None keeps the one it has (or the default)


def mapping_save(*, choices: list[MappingChoice], by=None) -> int:
    """Set each indicator's crime types (none removes its mapping); audited."""
    changed = 0
    with transaction.atomic():
        current = {
            m.indicator_id: m
            for m in PoliceUkMapping.objects.filter(indicator__in=[c.indicator for c in choices])
        }
        for choice in choices:
            unknown = [t for t in choice.crime_types if t not in CRIME_TYPES]
            if unknown:
                raise ValueError(f"'{unknown[0]}' is not one of police.uk's 14 crime types")
            types = [t for t in CRIME_TYPES if t in choice.crime_types]
            mapping = current.get(choice.indicator.id)
            old = ", ".join(mapping.crime_types) if mapping else ""
            old_tolerance = mapping.tolerance if mapping else None
            if not types:
                if mapping is not None:
                    mapping.delete()
                    _audit_mapping(choice.indicator, by, old, "")
                    changed += 1
                continue
            if mapping is None:
                mapping = PoliceUkMapping(indicator=choice.indicator)
            mapping.crime_types = types
            if choice.tolerance_pct is not None:
                mapping.tolerance_pct = choice.tolerance_pct
            mapping.save()
            if old != ", ".join(types) or old_tolerance != mapping.tolerance:
                _audit_mapping(
                    choice.indicator, by, old, f"{', '.join(types)} (±{mapping.tolerance}%)"
                )
                changed += 1
    return changed


def _audit_mapping(indicator, by, old, new):
    record_audit(
        actor=by,
        action=Action.DEFINITION_CHANGED,
        indicator=indicator,
        field="police_uk_crime_types",
        old_value=old,
        new_value=new,
    )


# --- the import -----------------------------------------------------------------------


def police_uk_import(
    *, sources: Iterable, by=None, max_uncompressed: int = archive.MAX_UNCOMPRESSED_BYTES
) -> dict:
    """Count the street files in ``sources`` (paths or uploaded files, CSV or zip) and
    replace the counts of every force-month they hold. Raises ``ArchiveRefused`` (and
    changes nothing) if any row is bad."""
    codes = area_codes()
    tally = archive.tally_sources(sources, codes, max_uncompressed=max_uncompressed)
    signature = area_signature(codes)
    now = timezone.now()
    with transaction.atomic():
        for month, force in tally.months:
            PoliceUkCount.objects.filter(month=month, force=force).delete()
            PoliceUkMonth.objects.filter(month=month, force=force).delete()
        PoliceUkCount.objects.bulk_create(
            PoliceUkCount(month=m, force=f, crime_type=t, location=loc, count=n)
            for (m, f, t, loc), n in tally.counts.items()
        )
        PoliceUkMonth.objects.bulk_create(
            PoliceUkMonth(
                month=m,
                force=f,
                file_name=held.file[-255:],
                rows=held.rows,
                area_lsoas=len(codes),
                area_signature=signature,
                imported_at=now,
                imported_by=by,
            )
            for (m, f), held in tally.months.items()
        )
        known = set(
            SeenLsoa.objects.filter(code__in=list(tally.seen_lsoas)).values_list("code", flat=True)
        )
        SeenLsoa.objects.bulk_create(
            SeenLsoa(code=c, name=n[:100]) for c, n in tally.seen_lsoas.items() if c not in known
        )
        months = sorted({m for m, _ in tally.months})
        record_audit(
            actor=by,
            action=Action.POLICE_UK,
            field="import",
            new_value=f"{tally.rows} rows",
            comment=f"{months[0]:%Y-%m} to {months[-1]:%Y-%m}, {len(tally.months)} force-months",
        )
    return {
        "rows": tally.rows,
        "months": len(months),
        "first": f"{months[0]:%Y-%m}",
        "last": f"{months[-1]:%Y-%m}",
        "skipped files": len(tally.skipped),
    }
