"""The narrative the partnership gives to scrutiny: one sentence per indicator, in the
annual review's own style ("There were 2,615 alcohol-affected crimes in 2019-20, a
decrease of 1.2% (32 crimes) compared with the previous year."), grouped by priority,
with caution and significance notes. Produces Markdown the coordinator edits."""

from __future__ import annotations

from decimal import Decimal

from core.formatting import count_noun, format_value, grouped_number, name_words, round_half_up
from core.periods import FinancialQuarter, financial_year_label
from core.significance import poisson_change_significance

_MARKDOWN_SPECIAL = str.maketrans({c: "\\" + c for c in "\\`*_{}[]<>#|!"})


def md_text(text: str) -> str:
    """Text from the database written into Markdown as text: an indicator called
    "[x](javascript:...)" or "{: onclick=...}" must not become a link or an attribute."""
    return text.translate(_MARKDOWN_SPECIAL)


SINGULAR = {"people": "person", "children": "child", "burglaries": "burglary"}
_CLAUSE_WORDS = {"who", "whose", "with", "as", "on", "to", "in", "within", "per", "of", "where",
                 "that", "by", "for", "reported", "completed", "engaged", "recorded"}  # fmt: skip


def noun_for(number, noun: str) -> str:
    if number != 1 or not noun:
        return noun
    if noun in SINGULAR:
        return SINGULAR[noun]
    return noun.removesuffix("s")


def is_plural(name: str) -> bool:
    """Whether a name is a plural subject ('Victims who …', 'Young people who …',
    'Alcohol-related hospital admissions') or a singular one ('Domestic violence as a
    share …'): the last word before the first clause word."""
    head = []
    for word in name_words(name):
        if word in _CLAUSE_WORDS:
            break
        head.append(word)
    last = head[-1] if head else ""
    return last in SINGULAR or (last.endswith("s") and not last.endswith("ss"))


def _lower_first(name: str) -> str:
    """'Alcohol-affected crimes' → 'alcohol-affected crimes', but a proper name or an
    acronym keeps its capitals ('Most Serious Violence (MSV) offences', 'HRDA ...',
    'Safe and Well visits')."""
    words = name.split()
    if not words:
        return name
    proper = any(w[:1].isupper() and not w.strip("(),.&").isupper() for w in words[1:])
    if words[0].isupper() or proper:
        return name
    return name[:1].lower() + name[1:]


def _same_point(a: str, b: str) -> bool:
    """Two sentences making the same point (a caution rule and the indicator's caveat
    both saying the numbers are small), so only one is written."""
    first, second = set(name_words(a)), set(name_words(b))
    if not first or not second:
        return False
    return len(first & second) / min(len(first), len(second)) >= 0.7


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
            counted = noun_for(difference, noun)
            sentence += f", {movement} ({grouped_number(difference)}{' ' + counted if counted else ''}) compared with the previous year."
        significance = poisson_change_significance(a.actual, a.comparison)
        if significance is not None and a.change_pct is not None and _movement(a.change_pct):
            p = f"{significance.p_value:.2f}" if significance.p_value >= 0.01 else "< 0.01"
            sentence += f" This change is {significance.label} (exact Poisson test, p {'= ' if not p.startswith('<') else ''}{p})."
    else:
        value = format_value(a.actual, indicator.measure, indicator.rate_per)
        verb = "were" if is_plural(indicator.name) else "was"
        sentence = f"{indicator.name} {verb} {value} in {fy}"
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
    caution = _caution_sentences(a.caution_reason) if a.caution else ""
    caveats = indicator.caveats.strip()
    if caution and not (caveats and _same_point(caution, caveats)):
        sentence += f" {caution[0].upper()}{caution[1:]}"
    if caveats:
        sentence += f" {caveats}"
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
