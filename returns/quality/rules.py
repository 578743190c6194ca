"""Validation rules over one partner's figures for one quarter, as DHIS2 has them:
``left operator right``, each side a sum or difference of indicator references and
numbers (``[ROB-01] + [BUR-01] - 3``, ``[ROB-01]@last_year``), read by a small
recursive-descent parser (never ``eval``), with DHIS2's missing-value strategies.

Plain Python: expressions in, a result out; the caller says how to look a figure up."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum


class Operator(StrEnum):
    EQUAL = "=="
    NOT_EQUAL = "!="
    LESS = "<"
    LESS_OR_EQUAL = "<="
    GREATER = ">"
    GREATER_OR_EQUAL = ">="
    COMPULSORY_PAIR = "compulsory_pair"
    EXCLUSIVE_PAIR = "exclusive_pair"


class MissingValueStrategy(StrEnum):
    SKIP_IF_ANY_MISSING = "skip_if_any_missing"
    SKIP_IF_ALL_MISSING = "skip_if_all_missing"
    NEVER_SKIP = "never_skip"


class Importance(StrEnum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


class Result(StrEnum):
    PASSED = "passed"
    VIOLATED = "violated"
    SKIPPED = "skipped"


OPERATOR_WORDS = {
    Operator.EQUAL: "equal to",
    Operator.NOT_EQUAL: "different from",
    Operator.LESS: "less than",
    Operator.LESS_OR_EQUAL: "at most",
    Operator.GREATER: "more than",
    Operator.GREATER_OR_EQUAL: "at least",
    Operator.COMPULSORY_PAIR: "given together with",
    Operator.EXCLUSIVE_PAIR: "not given together with",
}
LAST_YEAR = "@last_year"


class ExpressionError(ValueError):
    """A syntax error, with the 1-based position of the character where it was found."""

    def __init__(self, message: str, position: int):
        super().__init__(f"{message} at position {position}")
        self.message = message
        self.position = position


@dataclass(frozen=True)
class Term:
    sign: int  # +1 or -1
    code: str = ""  # an indicator reference, or "" for a number
    number: Decimal | None = None
    last_year: bool = False  # the same quarter last year (``@last_year``)


@dataclass(frozen=True)
class Expression:
    text: str
    terms: tuple[Term, ...]

    @property
    def references(self) -> list[Term]:
        return [t for t in self.terms if t.code]

    @property
    def codes(self) -> list[str]:
        return list(dict.fromkeys(t.code for t in self.references))


_CODE = re.compile(r"[A-Za-z0-9_-]+")
_NUMBER = re.compile(r"\d+(?:\.\d+)?")


class _Parser:
    """expression := term (("+" | "-") term)* ; term := "-"* (reference | number) ;
    reference := "[" CODE "]" ["@last_year"] ; spaces anywhere between tokens."""

    def __init__(self, text: str):
        self.text = text
        self.at = 0

    def _skip_spaces(self):
        while self.at < len(self.text) and self.text[self.at].isspace():
            self.at += 1

    def _fail(self, message: str):
        raise ExpressionError(message, self.at + 1)

    def parse(self) -> Expression:
        self._skip_spaces()
        if self.at == len(self.text):
            self._fail("The expression is empty")
        terms = [self._term(+1)]
        while True:
            self._skip_spaces()
            if self.at == len(self.text):
                return Expression(self.text.strip(), tuple(terms))
            symbol = self.text[self.at]
            if symbol not in "+-":
                self._fail(f"Expected + or - but found '{symbol}'")
            self.at += 1
            terms.append(self._term(+1 if symbol == "+" else -1))

    def _term(self, sign: int) -> Term:
        self._skip_spaces()
        while self.at < len(self.text) and self.text[self.at] == "-":  # unary minus
            sign = -sign
            self.at += 1
            self._skip_spaces()
        if self.at == len(self.text):
            self._fail("Expected an indicator reference like [ROB-01] or a number")
        if self.text[self.at] == "[":
            return self._reference(sign)
        number = _NUMBER.match(self.text, self.at)
        if number is None:
            self._fail(
                f"Expected an indicator reference like [ROB-01] or a number but found "
                f"'{self.text[self.at]}'"
            )
        self.at = number.end()
        return Term(sign=sign, number=Decimal(number.group()))

    def _reference(self, sign: int) -> Term:
        self.at += 1  # "["
        code = _CODE.match(self.text, self.at)
        if code is None:
            self._fail("Expected an indicator code after [")
        self.at = code.end()
        if self.at == len(self.text) or self.text[self.at] != "]":
            self._fail("Expected ] to close the indicator reference")
        self.at += 1
        last_year = False
        if self.text.startswith("@", self.at):
            if not self.text.startswith(LAST_YEAR, self.at):
                self._fail(f"Unknown period after @ (only {LAST_YEAR} is known)")
            self.at += len(LAST_YEAR)
            last_year = True
        return Term(sign=sign, code=code.group(), last_year=last_year)


def parse_expression(text: str) -> Expression:
    return _Parser(text).parse()


Lookup = Callable[[str, bool], Decimal | None]  # (code, last_year) → the figure or None


@dataclass(frozen=True)
class Side:
    value: Decimal | None  # None when a reference is missing and counts for nothing
    present: int  # references with a figure
    missing: int  # references without one

    @property
    def has_value(self) -> bool:
        """A side "has a value" for the pair operators when any reference has a figure
        (a side of numbers alone always has one)."""
        return self.present > 0 or (self.present == 0 and self.missing == 0)


def evaluate(expression: Expression, lookup: Lookup, *, missing_as_zero: bool) -> Side:
    total, present, missing = Decimal(0), 0, 0
    for term in expression.terms:
        if not term.code:
            total += term.sign * term.number
            continue
        value = lookup(term.code, term.last_year)
        if value is None:
            missing += 1
            continue
        present += 1
        total += term.sign * value
    if missing and not missing_as_zero:
        return Side(None, present, missing)
    return Side(total, present, missing)


@dataclass(frozen=True)
class Outcome:
    result: Result
    left: Decimal | None
    right: Decimal | None


_COMPARE = {
    Operator.EQUAL: lambda a, b: a == b,
    Operator.NOT_EQUAL: lambda a, b: a != b,
    Operator.LESS: lambda a, b: a < b,
    Operator.LESS_OR_EQUAL: lambda a, b: a <= b,
    Operator.GREATER: lambda a, b: a > b,
    Operator.GREATER_OR_EQUAL: lambda a, b: a >= b,
}


def check(
    left: Expression,
    operator: Operator,
    right: Expression,
    strategy: MissingValueStrategy,
    lookup: Lookup,
) -> Outcome:
    """One rule for one partner and quarter.

    - ``skip_if_any_missing``: skipped when any reference on either side is missing.
    - ``skip_if_all_missing``: skipped only when every reference is missing; otherwise a
      missing reference counts 0.
    - ``never_skip``: never skipped; a missing reference counts 0.
    The pair operators look only at which sides have a figure, whatever the strategy
    (as DHIS2 does)."""
    operator, strategy = Operator(operator), MissingValueStrategy(strategy)
    zero = strategy != MissingValueStrategy.SKIP_IF_ANY_MISSING
    a = evaluate(left, lookup, missing_as_zero=zero)
    b = evaluate(right, lookup, missing_as_zero=zero)
    if operator in (Operator.COMPULSORY_PAIR, Operator.EXCLUSIVE_PAIR):
        if operator == Operator.COMPULSORY_PAIR:
            ok = a.has_value == b.has_value
        else:
            ok = not (a.has_value and b.has_value)
        return Outcome(Result.PASSED if ok else Result.VIOLATED, a.value, b.value)
    references = a.present + a.missing + b.present + b.missing
    missing = a.missing + b.missing
    if strategy == MissingValueStrategy.SKIP_IF_ANY_MISSING and missing:
        return Outcome(Result.SKIPPED, a.value, b.value)
    if (
        strategy == MissingValueStrategy.SKIP_IF_ALL_MISSING
        and references
        and missing == references
    ):
        return Outcome(Result.SKIPPED, a.value, b.value)
    ok = _COMPARE[operator](a.value, b.value)
    return Outcome(Result.PASSED if ok else Result.VIOLATED, a.value, b.value)


RULE_CODE = re.compile(r"^[A-Za-z0-9_-]{1,50}$")


def rule_problems(
    *,
    code: str,
    name: str,
    left: str,
    operator: str,
    right: str,
    missing_value_strategy: str,
    importance: str,
    known_codes: set[str],
) -> dict[str, str]:
    """{field: message} for a rule as typed in set-up or a CSV row; empty when it is
    good. Shared by the importer and the set-up form so both refuse the same things."""
    problems: dict[str, str] = {}
    if not RULE_CODE.match(code or ""):
        problems["code"] = "code must be 1 to 50 letters, digits, - or _"
    if not (name or "").strip():
        problems["name"] = "name is required"
    elif len(name) > 200:
        problems["name"] = "name is longer than 200 characters"
    for side, text in (("left", left), ("right", right)):
        try:
            expression = parse_expression(text or "")
        except ExpressionError as error:
            problems[side] = f"{side}: {error}"
            continue
        unknown = [c for c in expression.codes if c not in known_codes]
        if unknown:
            problems[side] = f"{side}: no indicator with code {', '.join(unknown)}"
    if operator not in {o.value for o in Operator}:
        problems["operator"] = (
            f"unknown operator '{operator}' (use one of {', '.join(o.value for o in Operator)})"
        )
    if missing_value_strategy not in {m.value for m in MissingValueStrategy}:
        problems["missing_value_strategy"] = (
            f"unknown missing_value_strategy '{missing_value_strategy}' (use one of "
            f"{', '.join(m.value for m in MissingValueStrategy)})"
        )
    if importance not in {i.value for i in Importance}:
        problems["importance"] = f"unknown importance '{importance}' (use high, medium or low)"
    return problems
