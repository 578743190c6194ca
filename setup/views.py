"""The coordinators' set-up area: strategies and priorities, indicators and annual
targets — the yearly cycle run in the app instead of Django admin."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from core.models import AuditEntry
from core.periods import FinancialQuarter, PeriodError, financial_year_label, parse_financial_year
from indicators import services
from indicators.forms import (
    CarryForwardForm,
    ChangeAllForm,
    IndicatorForm,
    PriorityForm,
    PriorityShortNameForm,
    StrategyForm,
    TargetForm,
)
from indicators.models import Indicator, Priority, Strategy, Target
from partners.access import coordinator_required
from policeuk.models import PoliceUkMapping
from setup.forms import PoliceUkMappingForm
from setup.selectors import target_setting_rows


def _this_year() -> int:
    return FinancialQuarter.containing(timezone.localdate()).year


def _target_years() -> list[int]:
    """Every year of every strategy, newest first, for the year picker."""
    years = set()
    for start, end in Strategy.objects.values_list("start_year", "end_year"):
        years.update(range(start, end + 1))
    return sorted(years, reverse=True)


@coordinator_required
def index(request):
    strategies = list(Strategy.objects.prefetch_related("priorities"))
    next_year = _next_target_year()
    _, rows = target_setting_rows(next_year) if strategies else (None, [])
    return render(
        request,
        "setup/index.html",
        {
            "strategies": strategies,
            "next_year": next_year,
            "next_year_label": financial_year_label(next_year),
            "missing_targets": [r for r in rows if r.needs_target],
        },
    )


def _next_target_year() -> int:
    """The year after the latest that has targets (or this year when none has): the
    year a coordinator should be setting."""
    latest = Target.objects.order_by("-year").values_list("year", flat=True).first()
    return (latest + 1) if latest is not None else _this_year()


# --- strategies ---------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@coordinator_required
def strategies(request):
    form = StrategyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            strategy = services.strategy_create(
                name=data["name"],
                start_year=data["first_year"],
                end_year=data["last_year"],
                by=request.user,
            )
        except services.SetupError as error:
            form.add_error("last_year", str(error))
        else:
            messages.success(request, f"{strategy.name} was created. Add its priorities next.")
            return redirect("setup_strategy", pk=strategy.pk)
    return render(
        request,
        "setup/strategies.html",
        {"strategies": Strategy.objects.prefetch_related("priorities", "places"), "form": form},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@coordinator_required
def strategy_detail(request, pk):
    strategy = get_object_or_404(Strategy, pk=pk)
    form = PriorityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.priority_add(
                strategy=strategy,
                name=form.cleaned_data["name"],
                short_name=form.cleaned_data["short_name"].strip(),
                by=request.user,
            )
        except services.SetupError as error:
            form.add_error("name", str(error))
        else:
            messages.success(request, f"‘{form.cleaned_data['name']}’ was added.")
            return redirect("setup_strategy", pk=strategy.pk)
    priorities = list(strategy.priorities.order_by("order", "name"))
    places = list(
        strategy.places.select_related("indicator__owner", "priority").order_by(
            "priority__order", "indicator__code"
        )
    )
    return render(
        request,
        "setup/strategy_detail.html",
        {
            "strategy": strategy,
            "priorities": priorities,
            "places": places,
            "form": form,
            "previous": services.previous_strategy(strategy),
        },
        status=400 if form.errors else 200,
    )


@require_POST
@coordinator_required
def priority_short_name(request, pk, priority_pk):
    priority = get_object_or_404(Priority, pk=priority_pk, strategy_id=pk)
    form = PriorityShortNameForm(request.POST)
    if form.is_valid():
        services.priority_set_short_name(
            priority=priority, short_name=form.cleaned_data["short_name"], by=request.user
        )
        messages.success(
            request,
            f"‘{priority.name}’ is now ‘{priority.short_name or priority.name}’ on sheet tabs.",
        )
    else:
        messages.error(request, f"{priority.name}: {form.errors['short_name'][0]}")
    return redirect(reverse("setup_strategy", args=[pk]) + "#priorities")


@require_POST
@coordinator_required
def priority_move(request, pk, priority_pk):
    priority = get_object_or_404(Priority, pk=priority_pk, strategy_id=pk)
    services.priority_move(
        priority=priority, up=request.POST.get("direction") == "up", by=request.user
    )
    return redirect(reverse("setup_strategy", args=[pk]) + "#priorities")


@require_http_methods(["GET", "POST"])
@coordinator_required
def carry_forward(request, pk):
    strategy = get_object_or_404(Strategy, pk=pk)
    previous = services.previous_strategy(strategy)
    if previous is None:
        raise Http404("There is no earlier strategy to carry indicators from")
    priorities = list(strategy.priorities.order_by("order", "name"))
    places = list(
        previous.places.select_related("indicator", "priority").order_by(
            "priority__order", "indicator__code"
        )
    )
    current = dict(strategy.places.values_list("indicator_id", "priority_id"))
    initial = {}
    for place in places:
        code = place.indicator.code
        if place.indicator_id in current:
            initial[f"{code}-continue"] = True
            initial[f"{code}-priority"] = str(current[place.indicator_id])
        else:
            same = next((p for p in priorities if p.name == place.priority.name), None)
            initial[f"{code}-priority"] = str(same.pk) if same else ""
    form = CarryForwardForm(
        request.POST or None, initial=initial, places=places, priorities=priorities
    )
    if request.method == "POST" and form.is_valid():
        changed = services.strategy_carry_forward(
            strategy=strategy, places=form.cleaned_data["places"], by=request.user
        )
        messages.success(
            request,
            f"{len(form.cleaned_data['places'])} indicators continue into {strategy.name} "
            f"({changed} added or moved).",
        )
        return redirect("setup_strategy", pk=strategy.pk)
    return render(
        request,
        "setup/carry_forward.html",
        {"strategy": strategy, "previous": previous, "form": form, "priorities": priorities},
        status=400 if form.errors else 200,
    )


# --- indicators ---------------------------------------------------------------------


@coordinator_required
def indicators(request):
    items = Indicator.objects.select_related("owner").prefetch_related(
        "places__strategy", "places__priority"
    )
    return render(request, "setup/indicators.html", {"indicators": items})


@require_http_methods(["GET", "POST"])
@coordinator_required
def indicator_new(request):
    strategy = Strategy.objects.order_by("-start_year", "-id").first()
    form = IndicatorForm(request.POST or None, strategy=strategy)
    if request.method == "POST" and form.is_valid():
        indicator = services.indicator_save(
            indicator=form.save(commit=False),
            before=None,
            by=request.user,
            place=form.cleaned_data["priority"],
        )
        messages.success(request, f"{indicator.code} was created. Set its targets next.")
        return redirect("setup_indicator", code=indicator.code)
    return render(
        request,
        "setup/indicator_form.html",
        {"form": form, "strategy": strategy, "creating": True},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@coordinator_required
def indicator_edit(request, code):
    indicator = get_object_or_404(Indicator, code=code)
    before = services.definition_of(indicator)
    form = IndicatorForm(request.POST or None, instance=indicator)
    if request.method == "POST" and form.is_valid():
        services.indicator_save(indicator=form.save(commit=False), before=before, by=request.user)
        messages.success(request, f"{indicator.code} was saved.")
        if before.get("publishable") and not indicator.publishable:
            messages.warning(
                request,
                f"{indicator.code} stays on the public scorecard until the next publication: "
                "to take it off now, publish the current pack again from its meeting's page.",
            )
        return redirect("setup_indicator", code=indicator.code)
    audit = (
        AuditEntry.objects.filter(indicator=indicator)
        .exclude(action=AuditEntry.Action.VALUE_CHANGED)
        .select_related("actor", "indicator")[:50]
    )
    police_uk_form = None
    if indicator.measure == Indicator.Measure.COUNT:
        mapping = PoliceUkMapping.objects.filter(indicator=indicator).first()
        police_uk_form = PoliceUkMappingForm(
            prefix="police_uk",
            initial={"crime_types": mapping.crime_types, "tolerance_pct": mapping.tolerance}
            if mapping
            else {},
        )
    return render(
        request,
        "setup/indicator_form.html",
        {
            "form": form,
            "indicator": indicator,
            "audit": audit,
            "creating": False,
            "police_uk_form": police_uk_form,
        },
        status=400 if form.errors else 200,
    )


@require_POST
@coordinator_required
def indicator_retire(request, code):
    indicator = get_object_or_404(Indicator, code=code)
    before = services.definition_of(indicator)
    indicator.active = request.POST.get("action") == "reinstate"
    services.indicator_save(indicator=indicator, before=before, by=request.user)
    if indicator.active:
        messages.success(request, f"{indicator.code} is reinstated: partners report it again.")
    else:
        messages.success(
            request,
            f"{indicator.code} is retired: partners are no longer asked for it. "
            "Its history stays on the scorecards of the years it reported.",
        )
    return redirect("setup_indicator", code=indicator.code)


# --- annual targets -----------------------------------------------------------------


def _start_from(request, rows) -> tuple[dict, str]:
    """Initial data for "copy last year's targets" or "set all to x% on last year"."""
    start = request.GET.get("start")
    initial: dict = {}
    if start == "copy":
        for row in rows:
            t = row.last_year_target
            if t is not None:
                initial[row.indicator.code] = {
                    "target_type": t.target_type,
                    "value": t.value,
                    "note": f"Carried forward from {t.financial_year}",
                }
        return initial, "last year's targets"
    if start == "change":
        form = ChangeAllForm(request.GET)
        if form.is_valid():
            pct = form.cleaned_data["pct"]
            for row in rows:
                if row.is_rated:
                    initial[row.indicator.code] = {
                        "target_type": Target.Type.CHANGE_VS_LAST_YEAR,
                        "value": pct,
                        "note": f"{pct.normalize():f}% on last year",
                    }
            return initial, f"{pct.normalize():f}% on last year for every rated indicator"
    return initial, ""


def _stored(row) -> dict:
    t = row.target
    if t is None:
        return {}
    return {"target_type": t.target_type, "value": t.value, "note": t.note}


@require_http_methods(["GET", "POST"])
@coordinator_required
def targets(request, year_slug):
    try:
        year = parse_financial_year(year_slug)
    except PeriodError:
        raise Http404("No such financial year") from None
    strategy, rows = target_setting_rows(year)
    started_from, starting_point = {}, ""
    if request.method == "GET":
        started_from, starting_point = _start_from(request, rows)
    change_form = ChangeAllForm(request.GET if request.GET.get("start") == "change" else None)
    forms = [
        TargetForm(
            request.POST or None,
            indicator=row.indicator,
            initial=started_from.get(row.indicator.code, _stored(row)),
        )
        for row in rows
    ]
    if request.method == "POST" and all([f.is_valid() for f in forms]):
        changed = services.targets_save(
            year=year,
            choices=[
                services.TargetChoice(
                    indicator=f.indicator,
                    target_type=f.cleaned_data["target_type"],
                    value=f.cleaned_data["value"],
                    note=f.cleaned_data["note"],
                )
                for f in forms
            ],
            by=request.user,
        )
        messages.success(
            request, f"Targets for {financial_year_label(year)} saved ({changed} changed)."
        )
        return redirect("setup_targets", year_slug=year_slug)
    years = _target_years()
    return render(
        request,
        "setup/targets.html",
        {
            "year": year,
            "year_label": financial_year_label(year),
            "last_year_label": financial_year_label(year - 1),
            "strategy": strategy,
            "rows": list(zip(rows, forms, strict=True)),
            "forms": forms,
            "missing": [r for r in rows if r.needs_target],
            "error_list": [
                (f[name].id_for_label, f"{f.indicator.code} {f.indicator.name}", message)
                for f in forms
                for name, messages_ in f.errors.items()
                for message in messages_
            ],
            "starting_point": starting_point,
            "change_form": change_form,
            "years": [(y, financial_year_label(y)) for y in years],
            "year_slug": year_slug,
            "has_started": year <= _this_year(),
        },
        status=400 if any(f.errors for f in forms) else 200,
    )
