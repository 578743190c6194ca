"""The narrative the partnership gives to scrutiny: one sentence per indicator, in the
annual review's own style ("There were 2,615 alcohol-affected crimes in 2019-20, a
decrease of 1.2% (32 crimes) compared with the previous year."), grouped by priority,
with caution and significance notes. Produces Markdown the coordinator edits."""

from __future__ import annotations

from decimal import Decimal

from indicators.rag import round_half_up
from scorecard.formatting import format_value, grouped_number
from scorecard.periods import FinancialQuarter, financial_year_label
from scorecard.significance import poisson_change_significance

COUNT_NOUNS = [
    "crimes", "offences", "incidents", "visits", "entrants", "victims", "admissions",
    "referrals", "people", "reports",
]  # fmt: skip


_MARKDOWN_SPECIAL = str.maketrans({c: "\\" + c for c in "\\`*_{}[]<>#|!"})


def md_text(text: str) -> str:
    """Text from the database written into Markdown as text: an indicator called
    "[x](javascript:...)" or "{: onclick=...}" must not become a link or an attribute."""
    return text.translate(_MARKDOWN_SPECIAL)


def count_noun(name: str) -> str:
    words = [w.strip("(),.").lower() for w in name.split()]
    return next((w for w in words if w in COUNT_NOUNS), "")


def _lower_first(name: str) -> str:
    """'Alcohol-affected crimes' → 'alcohol-affected crimes', but a proper name or an
    acronym keeps its capitals ('Most Serious Violence (MSV) offences', 'HRDA ...')."""
    words = name.split()
    if not words:
        return name
    if words[0].isupper() or (len(words) > 1 and words[1][:1].isupper()):
        return name
    return name[:1].lower() + name[1:]


def _movement(change: Decimal) -> str:
    rounded = round_half_up(change, 1)
    if rounded == 0:
        return None
    word = "an increase" if rounded > 0 else "a decrease"
    return f"{word} of {abs(rounded)}%"


def indicator_sentence(row, year: int) -> str:
    return md_text(_plain_sentence(row, year))


def _caution_sentences(reason: str) -> str:
    out = []
    for part in reason.split("; "):
        if part.startswith("Small numbers"):
            out.append(
                "The numbers are relatively small, so the percentage change should be "
                "interpreted with caution."
            )
        elif part.startswith("Series break in "):
            period, _, why = part.removeprefix("Series break in ").partition(": ")
            out.append(
                f"In {period} the series changed ({why.rstrip('.')}), so the comparison with "
                "the previous year is not like for like."
            )
    return " ".join(dict.fromkeys(out))


def _plain_sentence(row, year: int) -> str:
    indicator = row.indicator
    a = row.assessment
    fy, previous = financial_year_label(year), financial_year_label(year - 1)
    if a.actual is None:
        return f"There is no approved full-year figure for {_lower_first(indicator.name)} in {fy}."
    if indicator.measure == "count":
        noun = count_noun(indicator.name)
        sentence = f"There were {grouped_number(a.actual)} {_lower_first(indicator.name)} in {fy}"
        if a.change_pct is None:
            sentence += ", with no figure for the previous year to compare with."
        elif (movement := _movement(a.change_pct)) is None:
            sentence += ", the same as the previous year."
        else:
            difference = abs(a.actual - a.comparison)
            sentence += f", {movement} ({grouped_number(difference)}{' ' + noun if noun else ''}) compared with the previous year."
        significance = poisson_change_significance(a.actual, a.comparison)
        if significance is not None and a.change_pct is not None and _movement(a.change_pct):
            p = f"{significance.p_value:.2f}" if significance.p_value >= 0.01 else "< 0.01"
            sentence += f" This change is {significance.label} (exact Poisson test, p {'= ' if not p.startswith('<') else ''}{p})."
    else:
        value = format_value(a.actual, indicator.measure, indicator.rate_per)
        sentence = f"{indicator.name} was {value} in {fy}"
        if a.comparison is None:
            sentence += ", with no figure for the previous year to compare with."
        else:
            before = format_value(a.comparison, indicator.measure, indicator.rate_per)
            sentence += f", compared with {before} in {previous}"
            if indicator.measure == "percentage":
                points = round_half_up(a.actual - a.comparison, 1)
                if points == 0:
                    sentence += "."
                else:
                    word = "an increase" if points > 0 else "a decrease"
                    sentence += f", {word} of {abs(points)} percentage points."
            elif (movement := _movement(a.change_pct)) is not None:
                sentence += f", {movement}."
            else:
                sentence += "."
    if a.caution and (caution := _caution_sentences(a.caution_reason)):
        sentence += f" {caution[0].upper()}{caution[1:]}"
    if indicator.caveats:
        sentence += f" {indicator.caveats}"
    return sentence


def annual_review_markdown(rows, year: int) -> str:
    fy = financial_year_label(year)
    lines = [f"# Safe City Partnership annual review {fy}", ""]
    lines.append(
        f"Figures are the partners' approved full-year figures for {fy} "
        f"(April {year} to March {year + 1}), compared with {financial_year_label(year - 1)}."
    )
    current = None
    for row in rows:
        priority = row.indicator.priority.name
        if priority != current:
            lines += ["", f"## {md_text(priority)}", ""]
            current = priority
        lines.append(indicator_sentence(row, year))
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def year_end(year: int) -> FinancialQuarter:
    return FinancialQuarter(year, 4)
