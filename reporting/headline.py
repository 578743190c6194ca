"""The scorecard in one line, for the top of the dashboard and the pack's cover: "6 of 26
red, 3 worsening, 2 special-cause concerns; 5 actions overdue", each part a link to
its list."""

from __future__ import annotations

from dataclasses import dataclass

from indicators.rag import Direction, Rag


@dataclass(frozen=True)
class Part:
    count: int
    words: str
    query: dict  # the dashboard filter (or the actions list) that lists them
    target: str = "dashboard"  # or "actions"

    @property
    def text(self) -> str:
        return f"{self.count} {self.words}"


def _plural(n: int, one: str, many: str) -> str:
    return one if n == 1 else many


def headline(
    *, reds: int, total: int, worsening: int, concerns: int, overdue: int | None
) -> list[Part]:
    parts = [
        Part(reds, f"of {total} red", {"rag": Rag.RED.value}),
        Part(worsening, "worsening", {"direction": Direction.WORSENING.value}),
        Part(
            concerns,
            _plural(concerns, "special-cause concern", "special-cause concerns"),
            {"variation": "concern"},
        ),
    ]
    if overdue is not None:
        parts.append(
            Part(
                overdue,
                _plural(overdue, "action overdue", "actions overdue"),
                {"show": "overdue"},
                "actions",
            )
        )
    return parts


def from_rows(rows, overdue: int | None) -> list[Part]:
    return headline(
        reds=sum(1 for r in rows if r.assessment.rag == Rag.RED),
        total=len(rows),
        worsening=sum(1 for r in rows if r.assessment.direction == Direction.WORSENING),
        concerns=sum(1 for r in rows if r.is_special_cause_concern),
        overdue=overdue,
    )


def from_snapshot(indicators: list[dict], actions: list[dict]) -> str:
    """The pack's cover line, from its frozen snapshot."""
    parts = headline(
        reds=sum(1 for i in indicators if i["rag"] == Rag.RED.value),
        total=len(indicators),
        worsening=sum(1 for i in indicators if i["direction"] == Direction.WORSENING.value),
        concerns=sum(1 for i in indicators if (i.get("variation") or "").startswith("concern")),
        overdue=sum(1 for a in actions if a.get("overdue")),
    )
    return text(parts)


def text(parts: list[Part]) -> str:
    scorecard = ", ".join(p.text for p in parts if p.target == "dashboard")
    rest = [p.text for p in parts if p.target != "dashboard"]
    return "; ".join([scorecard, *rest])
