"""``import_csv validation_rules FILE``: columns exactly
``code,name,left,operator,right,missing_value_strategy,importance,instruction``;
all or nothing, row-numbered errors (an unknown indicator, a syntax error with its
position, an unknown operator or strategy); idempotent by ``code``."""

from __future__ import annotations

from django.db import transaction

from returns.imports.reader import ImportFailed, RowError, Table, row_error
from returns.quality import rules
from returns.quality.services import RULE_FIELDS, known_codes, validation_rule_save

VALIDATION_RULE_COLUMNS = RULE_FIELDS


def import_validation_rules(table: Table, *, by=None) -> dict:
    missing = [c for c in VALIDATION_RULE_COLUMNS if c not in table.columns]
    extra = [c for c in table.columns if c not in VALIDATION_RULE_COLUMNS]
    if missing or extra:
        parts = []
        if missing:
            parts.append(f"missing column(s): {', '.join(missing)}")
        if extra:
            parts.append(f"unknown column(s): {', '.join(extra)}")
        raise ImportFailed(
            [RowError(1, f"{'; '.join(parts)} (expected {','.join(VALIDATION_RULE_COLUMNS)})")]
        )
    codes = known_codes()
    errors, parsed, seen = [], [], {}
    for line, row in table.rows:
        if error := row_error(line, row):
            errors.append(error)
            continue
        values = {c: (row.get(c) or "").strip() for c in VALIDATION_RULE_COLUMNS}
        if not values["missing_value_strategy"]:
            values["missing_value_strategy"] = rules.MissingValueStrategy.SKIP_IF_ANY_MISSING
        if not values["importance"]:
            values["importance"] = rules.Importance.MEDIUM
        problems = list(
            rules.rule_problems(
                known_codes=codes, **{k: v for k, v in values.items() if k != "instruction"}
            ).values()
        )
        if values["code"] in seen:
            problems.append(f"duplicate of line {seen[values['code']]} (same code)")
        seen.setdefault(values["code"], line)
        errors += [RowError(line, p) for p in problems]
        if not problems:
            parsed.append(values)
    if errors:
        raise ImportFailed(errors)
    changed = 0
    with transaction.atomic():
        for values in parsed:
            _, fields = validation_rule_save(values=values, by=by, codes=codes)
            changed += bool(fields)
    return {"rows": len(parsed), "changed": changed}
