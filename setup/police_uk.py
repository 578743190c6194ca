"""Set-up: police.uk (coordinators only). The area, the upload of street files, what
has been imported and when, and each count indicator's crime types."""

from django.conf import settings
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods, require_POST

from core.models import AuditEntry
from indicators.models import Indicator
from partners.access import coordinator_required
from policeuk import selectors, services
from policeuk.archive import UPLOAD_MAX_UNCOMPRESSED_BYTES, ArchiveRefused
from policeuk.models import Lsoa
from returns import imports
from returns.imports.police_uk import import_lsoas
from returns.uploads import LimitedTemporaryFileUploadHandler
from setup.forms import LocalAuthorityForm, LsoaFileForm, PoliceUkMappingForm, PoliceUkUploadForm


def _page(request, *, upload=None, authority=None, lsoa_file=None, refused=None, status=200):
    return render(
        request,
        "setup/police_uk.html",
        {
            "area": Lsoa.objects.all(),
            "months": selectors.imported_months(),
            "mappings": selectors.mappings().values(),
            "upload": upload
            or PoliceUkUploadForm(max_bytes=settings.SCORECARD_POLICE_UK_UPLOAD_MAX_BYTES),
            "authority": authority or LocalAuthorityForm(),
            "lsoa_file": lsoa_file or LsoaFileForm(),
            "refused": refused,
            "audit": AuditEntry.objects.filter(action=AuditEntry.Action.POLICE_UK).select_related(
                "actor"
            )[:20],
        },
        status=status,
    )


@coordinator_required
def police_uk(request):
    return _page(request)


@csrf_exempt  # the upload handler must be set before the CSRF check reads the body
@require_POST
@coordinator_required
def police_uk_upload(request):
    request.upload_handlers = [
        LimitedTemporaryFileUploadHandler(
            request, limit=settings.SCORECARD_POLICE_UK_UPLOAD_MAX_BYTES
        )
    ]
    return _upload(request)


@csrf_protect
def _upload(request):
    form = PoliceUkUploadForm(
        request.POST,
        request.FILES,
        max_bytes=settings.SCORECARD_POLICE_UK_UPLOAD_MAX_BYTES,
        request=request,
    )
    if not form.is_valid():
        return _page(request, upload=form, status=400)
    try:
        summary = services.police_uk_import(
            sources=[form.cleaned_data["files"]],
            by=request.user,
            max_uncompressed=UPLOAD_MAX_UNCOMPRESSED_BYTES,
        )
    except ArchiveRefused as refused:
        return _page(request, upload=form, refused=refused, status=400)
    messages.success(
        request,
        f"Imported {summary['rows']:,} police.uk rows for {summary['months']} month"
        f"{'s' if summary['months'] != 1 else ''} ({summary['first']} to {summary['last']}).",
    )
    return redirect("setup_police_uk")


@require_http_methods(["GET", "POST"])
@coordinator_required
def area_choose(request):
    """Choose the area by local authority name: shown first, saved on confirmation."""
    form = LocalAuthorityForm(request.POST or request.GET or None)
    if not form.is_valid():
        return _page(request, authority=form, status=400 if form.is_bound else 200)
    name = form.cleaned_data["local_authority"].strip()
    found = services.lsoas_for_local_authority(name)
    if request.method == "POST" and found:
        services.area_add(lsoas=[(s.code, s.name) for s in found], by=request.user, replace=True)
        messages.success(request, f"The area is now {len(found)} LSOAs in {name}.")
        return redirect("setup_police_uk")
    if not found:
        form.add_error(
            "local_authority",
            f"No LSOA named like “{name} 001A” is in the police.uk files imported so far: "
            "import a month of the force's street files first, or upload the LSOAs",
        )
        return _page(request, authority=form, status=400)
    return render(
        request, "setup/police_uk_area.html", {"name": name, "found": found, "form": form}
    )


@require_POST
@coordinator_required
def area_upload(request):
    form = LsoaFileForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, lsoa_file=form, status=400)
    upload = form.cleaned_data["lsoa_file"]
    try:
        table = imports.read_table(upload, upload.name, max_rows=imports.UPLOAD_MAX_ROWS)
        summary = import_lsoas(table, by=request.user)
    except imports.ImportFailed as failure:
        for error in failure.errors[:100]:
            form.add_error("lsoa_file", f"Line {error.line}: {error.message}")
        return _page(request, lsoa_file=form, status=400)
    messages.success(request, f"The area is now the file's {summary['rows']} LSOAs.")
    return redirect("setup_police_uk")


@require_POST
@coordinator_required
def indicator_mapping(request, code):
    indicator = get_object_or_404(Indicator, code=code, measure=Indicator.Measure.COUNT)
    form = PoliceUkMappingForm(request.POST, prefix="police_uk")
    if not form.is_valid():
        for field, problems in form.errors.items():
            for problem in problems:
                messages.error(request, f"{form.fields[field].label}: {problem}")
        return redirect("setup_indicator", code=code)
    services.mapping_save(
        choices=[
            services.MappingChoice(
                indicator, form.cleaned_data["crime_types"], form.cleaned_data["tolerance_pct"]
            )
        ],
        by=request.user,
    )
    types = form.cleaned_data["crime_types"]
    messages.success(
        request,
        f"{code} is compared with police.uk's {', '.join(types)}."
        if types
        else f"{code} is no longer compared with police.uk.",
    )
    return redirect("setup_indicator", code=code)
