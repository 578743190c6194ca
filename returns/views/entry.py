"""Partner leads' screens: my returns, the return form, and the upload alternative."""

import csv
from decimal import Decimal

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from actions.selectors import actions_for_partners
from core import workbooks
from core.formatting import escape_formula, plain_number
from partners.models import Partner
from partners.roles import is_coordinator
from returns import imports, services
from returns.forms import ENTRY_FIELDS, ReturnValueForm, UploadForm
from returns.models import ApprovedValue, QuarterlyReturn
from returns.permissions import can_enter_figures, get_return_slot_for_user
from returns.quality import checks as quality
from returns.selectors import entry_contexts, lead_returns_everywhere, return_history
from returns.views import police_uk_prefill


def my_returns(request):
    """Every return due across the person's partnerships, grouped by partnership (the
    current partnership's actions below)."""
    partners = Partner.objects.led_by(request.user).order_by("name")
    today = timezone.localdate()
    groups = lead_returns_everywhere(request.user, today)
    return render(
        request,
        "returns/my_returns.html",
        {
            "groups": groups,
            "several": len(groups) > 1,
            "partners": partners,
            "is_coordinator": is_coordinator(request.user),
            "actions": actions_for_partners([p.pk for p in partners]),
            "today": today,
        },
    )


def _forms(contexts, period, quarterly_return, data=None, submitting=False):
    stored, approved = {}, {}
    if quarterly_return is not None:
        stored = {v.indicator_id: v for v in quarterly_return.values.all()}
        if quarterly_return.status == QuarterlyReturn.Status.REOPENED:
            approved = dict(
                ApprovedValue.objects.filter(quarterly_return=quarterly_return).values_list(
                    "indicator_id", "value"
                )
            )
    forms = []
    for context in contexts:
        row = stored.get(context.indicator.id)
        initial = {}
        if row is not None:
            initial = {f: getattr(row, f) for f in ENTRY_FIELDS}
        forms.append(
            ReturnValueForm(
                data,
                prefix=context.indicator.code,
                initial=initial,
                context=context,
                period=period.fq,
                submitting=submitting,
                approved=approved.get(context.indicator.id),
            )
        )
        forms[-1].stored = row
        forms[-1].guide = context.target_guide(period.fq)
    return forms


def _save_valid_fields(request, partner, period, quarterly_return, forms):
    """Save as draft keeps every valid field; the invalid ones stay on the page, as
    typed, with their errors. Returns the return (started here if it was not), so the
    page shows its status as it now is."""
    try:
        if quarterly_return is None:
            quarterly_return = services.quarterly_return_get_or_start(
                partner=partner, period=period, by=request.user
            )
        changed = services.return_values_save(
            quarterly_return=quarterly_return,
            by=request.user,
            entries=[
                services.ValueEntry(
                    indicator_id=f.context.indicator.id, **vars(f.draft_entry(f.stored))
                )
                for f in forms
            ],
        )
    except services.InvalidTransition as error:
        messages.error(request, str(error))
        return quarterly_return
    bad = sum(1 for f in forms if f.errors)
    saved = "Your other figures were saved as a draft. " if changed else ""
    messages.warning(
        request,
        f"{saved}{bad} figure{'s' if bad != 1 else ''} need{'s' if bad == 1 else ''} "
        "correcting before they can be saved: see the errors below.",
    )
    return quarterly_return


def _typed_figures(forms) -> dict:
    return {
        f.context.indicator.code: f.cleaned_data.get("value")
        for f in forms
        if hasattr(f, "cleaned_data") and "value" not in f.errors
    }


def _rule_checks(partner, period, quarterly_return, forms) -> tuple[dict, dict]:
    """The figures on the page (as typed, or as stored when nothing was posted) and the
    rules they break, by indicator code: run once a request, for both the submit check
    and the warnings beside the figures."""
    if any(hasattr(f, "cleaned_data") for f in forms):
        figures = _typed_figures(forms)
    else:
        figures = quality.return_figures(quarterly_return) if quarterly_return else {}
    checks = quality.partner_rule_checks(partner, period.fq, figures)
    return figures, quality.violations_by_code(checks)


def _block_on_rules(forms, broken: dict) -> bool:
    """A high-importance rule broken by the figures typed: each figure it names needs a
    commentary before the return can be submitted. True when something blocks."""
    blocked = False
    for form in forms:
        for check in broken.get(form.context.indicator.code, []):
            if check.is_high and not form.cleaned_data.get("commentary", "").strip():
                form.add_error(
                    "commentary",
                    f"{check.message} Add a commentary on this figure explaining it",
                )
                blocked = True
    return blocked


def _show_checks(period, forms, figures: dict, broken: dict) -> None:
    """Each figure's broken rules (warnings unless high importance) and outlier reading,
    shown beside it."""
    for form in forms:
        indicator = form.context.indicator
        form.rule_violations = broken.get(indicator.code, [])
        check = form.context.outlier_check(period.fq, figures.get(indicator.code))
        form.outlier_note = check.reason(period.fq, indicator.measure)


@require_http_methods(["GET", "POST"])
def return_edit(request, partner_code, period_slug):
    partner, period, quarterly_return = get_return_slot_for_user(
        request.user, partner_code, period_slug
    )
    may_edit = can_enter_figures(request.user, partner) and (
        quarterly_return.is_editable if quarterly_return else period.is_open
    )
    contexts = entry_contexts(partner, period.fq)
    submitting = request.method == "POST" and "submit" in request.POST
    broken = None  # the rules the page's figures break, worked out once when needed
    police_uk = None
    read = None  # police.uk's figures, when this request needs them twice
    if request.method == "POST" and "police_uk" in request.POST:
        if not may_edit:
            raise PermissionDenied("This return cannot be edited now")
        read = police_uk_prefill.source(contexts, period.fq)
        data, filled = police_uk_prefill.fill(request.POST, contexts, period.fq, read)
        forms = _forms(contexts, period, quarterly_return, data)
        [form.is_valid() for form in forms]  # the typed figures, for the checks beside them
        messages.info(request, police_uk_prefill.filled_message(filled))
        status = 200
    elif request.method == "POST":
        if not may_edit:
            raise PermissionDenied("This return cannot be edited now")
        forms = _forms(contexts, period, quarterly_return, request.POST, submitting)
        # Every form is checked (no short cut), so every error shows at once.
        valid = all([form.is_valid() for form in forms])
        if valid and submitting:
            figures, broken = _rule_checks(partner, period, quarterly_return, forms)
            police_uk = police_uk_prefill.checks(period.fq, forms, figures)
            blocked = [_block_on_rules(forms, broken), police_uk_prefill.block(forms, police_uk)]
            valid = not any(blocked)
        if valid:
            try:
                if quarterly_return is None:
                    quarterly_return = services.quarterly_return_get_or_start(
                        partner=partner, period=period, by=request.user
                    )
                entries = [
                    services.ValueEntry(indicator_id=f.context.indicator.id, **vars(f.entry()))
                    for f in forms
                ]
                services.return_values_save(
                    quarterly_return=quarterly_return, by=request.user, entries=entries
                )
                if submitting:
                    services.quarterly_return_submit(
                        quarterly_return=quarterly_return, by=request.user
                    )
                    messages.success(
                        request,
                        f"{partner.name}'s {period.label} return was submitted to the "
                        "Stronger Communities team.",
                    )
                else:
                    messages.success(request, "Your figures were saved as a draft.")
                return redirect("return_edit", partner.code, period.slug)
            except services.InvalidTransition as error:
                messages.error(request, str(error))
        elif not submitting:
            quarterly_return = _save_valid_fields(request, partner, period, quarterly_return, forms)
        status = 400
    else:
        forms = _forms(contexts, period, quarterly_return)
        status = 200
    if broken is None:
        figures, broken = _rule_checks(partner, period, quarterly_return, forms)
    _show_checks(period, forms, figures, broken)
    if police_uk is None:
        police_uk = police_uk_prefill.checks(period.fq, forms, figures, read)
    for form in forms:
        form.police_uk = police_uk.get(form.context.indicator.id)
    errors = [
        (f"id_{form.prefix}-{field}", form.context.indicator.name, message)
        for form in forms
        for field, field_errors in form.errors.items()
        for message in field_errors
    ]
    return render(
        request,
        "returns/return_form.html",
        {
            "partner": partner,
            "period": period,
            "quarterly_return": quarterly_return,
            "forms": forms,
            "may_edit": may_edit,
            "error_list": errors,
            "history": return_history(quarterly_return),
            "today": timezone.localdate(),
            "police_uk_fillable": any(
                f.police_uk and f.police_uk.figure.months == 3 for f in forms
            ),
        },
        status=status,
    )


UPLOAD_SESSION_KEY = "return-upload"
SHOWN_ERRORS = 100


@require_http_methods(["GET", "POST"])
def return_upload(request, partner_code, period_slug):
    """Upload → preview with row errors → confirm. Any bad row and nothing is saved."""
    partner, period, quarterly_return = get_return_slot_for_user(
        request.user, partner_code, period_slug
    )
    editable = quarterly_return.is_editable if quarterly_return else period.is_open
    if not (can_enter_figures(request.user, partner) and editable):
        raise PermissionDenied("This return cannot be edited now")
    session_key = f"{UPLOAD_SESSION_KEY}:{partner.code}:{period.slug}"
    form = UploadForm(max_bytes=settings.SCORECARD_UPLOAD_MAX_BYTES)
    preview, errors = None, None
    if request.method == "POST" and "confirm" in request.POST:
        rows = request.session.pop(session_key, None)
        if not rows:
            messages.error(request, "The upload has expired; please upload the file again.")
            return redirect("return_upload", partner.code, period.slug)
        if quarterly_return is None:
            quarterly_return = services.quarterly_return_get_or_start(
                partner=partner, period=period, by=request.user
            )
        try:
            services.return_values_save(
                quarterly_return=quarterly_return,
                by=request.user,
                entries=[services.ValueEntry(**row) for row in _entries_from_session(rows)],
                comment="Uploaded from a file",
            )
        except services.InvalidTransition as error:
            messages.error(request, str(error))
            return redirect("return_edit", partner.code, period.slug)
        count = "1 figure" if len(rows) == 1 else f"{len(rows)} figures"
        verb = "was" if len(rows) == 1 else "were"
        messages.success(request, f"{count} from your file {verb} saved as a draft.")
        return redirect("return_edit", partner.code, period.slug)
    if request.method == "POST":
        form = UploadForm(
            request.POST,
            request.FILES,
            max_bytes=settings.SCORECARD_UPLOAD_MAX_BYTES,
            request=request,
        )
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                table = imports.read_table(
                    upload,
                    upload.name,
                    max_rows=imports.UPLOAD_MAX_ROWS,
                    max_uncompressed=imports.UPLOAD_MAX_UNCOMPRESSED_BYTES,
                )
                preview = imports.validate_returns(
                    table, only_partner=partner, only_period=period.fq
                )
            except imports.ImportFailed as failure:
                errors = failure.errors
            else:
                request.session[session_key] = [
                    {
                        "indicator_id": row.indicator.id,
                        "value": str(row.value),
                        "commentary": row.commentary,
                        "numerator": plain_number(row.numerator),
                        "denominator": plain_number(row.denominator),
                    }
                    for row in preview
                ]
    return render(
        request,
        "returns/upload.html",
        {
            "partner": partner,
            "period": period,
            "form": form,
            "preview": preview,
            # A page of 85,000 errors helps no one (and weighs 13 MB): the first 100.
            "errors": errors[:SHOWN_ERRORS] if errors else errors,
            "error_count": len(errors) if errors else 0,
            "more_errors": max(0, len(errors) - SHOWN_ERRORS) if errors else 0,
        },
        status=400 if errors or form.errors else 200,
    )


def _entries_from_session(rows):
    def number(text):
        return Decimal(text) if text else None

    return [
        {
            "indicator_id": r["indicator_id"],
            "value": Decimal(r["value"]),
            "commentary": r["commentary"],
            "numerator": number(r.get("numerator", "")),
            "denominator": number(r.get("denominator", "")),
        }
        for r in rows
    ]


TEMPLATE_COLUMNS = [*imports.RETURN_COLUMNS, "numerator", "denominator", "name", "unit"]


@require_GET
def return_upload_template(request, partner_code, period_slug, ext):
    """A file to fill in: one row per indicator the partner owns, with the codes and the
    period filled in, as CSV or Excel (the upload reads either)."""
    partner, period, _ = get_return_slot_for_user(request.user, partner_code, period_slug)
    if ext not in ("csv", "xlsx"):
        raise Http404("CSV or Excel only")
    rows = [
        [
            partner.code,
            c.indicator.code,
            period.fq.label,
            "",
            "",
            "",
            "",
            c.indicator.name,
            c.indicator.unit_label,
        ]
        for c in entry_contexts(partner, period.fq)
    ]
    name = f"scp-return-{partner.code}-{period.slug}.{ext}"
    if ext == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response.write("\ufeff")
        writer = csv.writer(response, lineterminator="\n")
        writer.writerow(TEMPLATE_COLUMNS)
        writer.writerows([[escape_formula(str(cell)) for cell in row] for row in rows])
    else:
        response = HttpResponse(
            workbooks.return_template_workbook(TEMPLATE_COLUMNS, rows),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
