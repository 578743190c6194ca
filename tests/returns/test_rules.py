"""The validation rules' grammar and checks (returns.quality.rules): plain Python."""

from decimal import Decimal

import pytest

from returns.quality.rules import (
    ExpressionError,
    MissingValueStrategy,
    Operator,
    Result,
    Term,
    check,
    parse_expression,
    rule_problems,
)

D = Decimal


@pytest.mark.parametrize(
    "text, terms",
    [
        ("[ROB-01]", [Term(1, "ROB-01")]),
        ("[ROB-01] + [BUR-01] - 3", [Term(1, "ROB-01"), Term(1, "BUR-01"), Term(-1, number=D(3))]),
        ("  [A]+[B]  ", [Term(1, "A"), Term(1, "B")]),
        ("[A] - [B] + [C]", [Term(1, "A"), Term(-1, "B"), Term(1, "C")]),  # left to right
        ("-[A] + 3", [Term(-1, "A"), Term(1, number=D(3))]),  # unary minus binds first
        ("[A] - -2.5", [Term(1, "A"), Term(1, number=D("2.5"))]),
        ("[ROB-01]@last_year", [Term(1, "ROB-01", last_year=True)]),
        ("[A] - [A]@last_year", [Term(1, "A"), Term(-1, "A", last_year=True)]),
        ("42", [Term(1, number=D(42))]),
    ],
)
def test_expressions_parse(text, terms):
    assert list(parse_expression(text).terms) == terms


@pytest.mark.parametrize(
    "text, message, position",
    [
        ("", "The expression is empty", 1),
        ("   ", "The expression is empty", 4),
        ("[ROB-01] +", "Expected an indicator reference like [ROB-01] or a number", 11),
        ("[ROB-01", "Expected ] to close the indicator reference", 8),
        ("[]", "Expected an indicator code after [", 2),
        ("[A] * 2", "Expected + or - but found '*'", 5),
        ("[A] + x", "Expected an indicator reference like [ROB-01] or a number but found 'x'", 7),
        ("[A]@lastyear", "Unknown period after @ (only @last_year is known)", 4),
        ("[A] [B]", "Expected + or - but found '['", 5),
        (
            "__import__('os')",
            "Expected an indicator reference like [ROB-01] or a number but found '_'",
            1,
        ),
    ],
)
def test_syntax_errors_say_where(text, message, position):
    with pytest.raises(ExpressionError) as raised:
        parse_expression(text)
    assert (raised.value.message, raised.value.position) == (message, position)
    assert str(raised.value) == f"{message} at position {position}"


FIGURES = {"A": D(5), "B": D(3), "C": None}


def lookup(code, last_year):
    return {"A": D(4)}.get(code) if last_year else FIGURES.get(code)


def run(left, operator, right, strategy="skip_if_any_missing"):
    return check(parse_expression(left), operator, parse_expression(right), strategy, lookup)


@pytest.mark.parametrize(
    "operator, left, right, result",
    [
        ("==", "[A]", "[B] + 2", Result.PASSED),
        ("==", "[A]", "[B]", Result.VIOLATED),
        ("!=", "[A]", "[B]", Result.PASSED),
        ("!=", "[A]", "5", Result.VIOLATED),
        ("<", "[B]", "[A]", Result.PASSED),
        ("<", "[A]", "[A]", Result.VIOLATED),
        ("<=", "[A]", "[A]", Result.PASSED),
        ("<=", "[A]", "[B]", Result.VIOLATED),
        (">", "[A]", "[B]", Result.PASSED),
        (">", "[B]", "[A]", Result.VIOLATED),
        (">=", "[A]", "[A]@last_year + 1", Result.PASSED),
        (">=", "[B]", "[A]@last_year", Result.VIOLATED),
    ],
)
def test_each_comparison(operator, left, right, result):
    assert run(left, operator, right).result == result


@pytest.mark.parametrize(
    "strategy, left, right, result, values",
    [
        # C is missing
        ("skip_if_any_missing", "[A] + [C]", "[B]", Result.SKIPPED, (None, D(3))),
        ("skip_if_all_missing", "[A] + [C]", "[B]", Result.VIOLATED, (D(5), D(3))),
        ("never_skip", "[A] + [C]", "[B] + 2", Result.PASSED, (D(5), D(5))),
        ("skip_if_any_missing", "[C]", "1", Result.SKIPPED, (None, D(1))),
        ("skip_if_all_missing", "[C]", "1", Result.SKIPPED, (D(0), D(1))),
        ("never_skip", "[C]", "1", Result.PASSED, (D(0), D(1))),
        ("never_skip", "[C]", "-1", Result.VIOLATED, (D(0), D(-1))),
        ("skip_if_any_missing", "[A]", "[B]", Result.VIOLATED, (D(5), D(3))),  # nothing missing
    ],
)
def test_missing_value_strategies(strategy, left, right, result, values):
    outcome = run(left, "<=", right, strategy)
    assert outcome.result == result
    assert (outcome.left, outcome.right) == values


@pytest.mark.parametrize("strategy", [s.value for s in MissingValueStrategy])
@pytest.mark.parametrize(
    "operator, left, right, result",
    [
        ("compulsory_pair", "[A]", "[B]", Result.PASSED),  # both
        ("compulsory_pair", "[C]", "[C]", Result.PASSED),  # neither
        ("compulsory_pair", "[A]", "[C]", Result.VIOLATED),  # one without the other
        ("exclusive_pair", "[A]", "[C]", Result.PASSED),
        ("exclusive_pair", "[C]", "[C]", Result.PASSED),
        ("exclusive_pair", "[A]", "[B]", Result.VIOLATED),
    ],
)
def test_pair_operators_look_at_presence_whatever_the_strategy(
    operator, left, right, result, strategy
):
    assert run(left, operator, right, strategy).result == result


def test_every_operator_is_known():
    assert {o.value for o in Operator} == {
        "==", "!=", "<", "<=", ">", ">=", "compulsory_pair", "exclusive_pair",
    }  # fmt: skip


def test_rule_problems_name_each_field():
    problems = rule_problems(
        code="bad code!",
        name="",
        left="[NOPE-01]",
        operator="=>",
        right="[A] +",
        missing_value_strategy="sometimes",
        importance="urgent",
        known_codes={"A"},
    )
    assert problems == {
        "code": "code must be 1 to 50 letters, digits, - or _",
        "name": "name is required",
        "left": "left: no indicator with code NOPE-01",
        "right": "right: Expected an indicator reference like [ROB-01] or a number at position 6",
        "operator": "unknown operator '=>' (use one of ==, !=, <, <=, >, >=, compulsory_pair, exclusive_pair)",
        "missing_value_strategy": "unknown missing_value_strategy 'sometimes' (use one of skip_if_any_missing, skip_if_all_missing, never_skip)",
        "importance": "unknown importance 'urgent' (use high, medium or low)",
    }
