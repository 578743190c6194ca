"""The return form's police.uk side: the figure beside each mapped indicator, *Use
police.uk figures* (fills only the empty ones), and the commentary a figure outside
tolerance needs before it can be submitted."""

from returns.quality import reconciliation


def source(contexts, fq) -> reconciliation.PoliceUkSource:
    return reconciliation.PoliceUkSource.read([c.indicator.id for c in contexts], [fq])


def checks(fq, forms, figures: dict, read: reconciliation.PoliceUkSource | None = None) -> dict:
    """{indicator id: the page's figure (by code in ``figures``) against police.uk's}."""
    values = {f.context.indicator.id: figures.get(f.context.indicator.code) for f in forms}
    return reconciliation.checks_for(values, fq, read)


def fill(data, contexts, fq, read: reconciliation.PoliceUkSource):
    """The posted data with each empty mapped figure filled from a complete police.uk
    quarter, and the codes filled. A figure typed, or marked not available, is never
    replaced; nothing is saved (the lead still saves or submits)."""
    found = reconciliation.checks_for({c.indicator.id: None for c in contexts}, fq, read)
    data = data.copy()
    filled = []
    for context in contexts:
        check = found.get(context.indicator.id)
        code = context.indicator.code
        if check is None or not check.result.complete or check.figure.police_uk is None:
            continue
        if data.get(f"{code}-value", "").strip() or data.get(f"{code}-not_available"):
            continue
        data[f"{code}-value"] = str(check.figure.police_uk)
        filled.append(code)
    return data, filled


def filled_message(filled: list[str]) -> str:
    if not filled:
        return (
            "No figure was filled: each figure police.uk has a complete quarter for is "
            "typed already (a typed figure is never replaced)."
        )
    were = "figures were" if len(filled) != 1 else "figure was"
    return (
        f"{len(filled)} empty {were} filled from police.uk ({', '.join(filled)}). Nothing "
        "is saved yet: check them, add any commentary, then save a draft or submit."
    )


def block(forms, found: dict) -> bool:
    """A figure outside police.uk's tolerance needs a commentary: True if one lacks it."""
    blocked = False
    for form in forms:
        check = found.get(form.context.indicator.id)
        if check and check.flagged and not form.cleaned_data.get("commentary", "").strip():
            form.add_error("commentary", check.commentary_needed)
            blocked = True
    return blocked
