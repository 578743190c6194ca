"""Partners and people (coordinators), and everyone's own password: set from an
invitation or reset when forgotten (Django's views with GOV.UK templates)."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth import views as auth_views
from django.db.models import Prefetch
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.views.decorators.http import require_http_methods

from core.models import AuditEntry
from partners import password_reset, services
from partners.access import coordinator_required
from partners.client_address import client_address
from partners.forms import (
    GovukSetPasswordForm,
    InviteForm,
    OutboxPasswordResetForm,
    PartnerForm,
    PersonForm,
    SignInForm,
)
from partners.models import Partner
from partners.oidc import providers as oidc_providers
from partners.roles import (
    Role,
    has_role,
    is_coordinator,
    people_of_partnership,
    primary_role,
    user_roles,
)
from partnerships.resolution import is_operator


@require_http_methods(["GET", "POST"])
@coordinator_required
def partners(request):
    form = PartnerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        partner = services.partner_create(
            code=form.cleaned_data["code"], name=form.cleaned_data["name"], by=request.user
        )
        messages.success(request, f"{partner.name} was added. Invite its leads next.")
        return redirect("setup_partners")
    items = Partner.objects.prefetch_related(
        Prefetch("leads", queryset=get_user_model().objects.order_by("first_name", "last_name"))
    ).order_by("name")
    return render(
        request,
        "setup/partners.html",
        {"partners": items, "form": form},
        status=400 if form.errors else 200,
    )


@coordinator_required
def people(request):
    users = list(
        people_of_partnership()
        .prefetch_related("memberships", "led_partners")
        .order_by("-is_active", "first_name", "last_name", "username")
    )
    for user in users:
        user.role_name = primary_role(user) or "No role"
    return render(request, "setup/people.html", {"people": users})


@require_http_methods(["GET", "POST"])
@coordinator_required
def invite(request):
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            person = services.person_invite(
                email=data["email"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                role=Role(data["role"]),
                partners=list(data["partners"]),
                by=request.user,
            )
        except services.PeopleError as error:
            form.add_error("email", str(error))
        else:
            messages.success(
                request, f"An invitation was sent to {person.email}. The link expires in 3 days."
            )
            return redirect("setup_people")
    return render(request, "setup/invite.html", {"form": form}, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
@coordinator_required
def person_edit(request, pk):
    person = get_object_or_404(people_of_partnership(), pk=pk)
    if request.method == "POST" and request.POST.get("action") == "resend":
        try:
            services.person_resend_invite(person=person, by=request.user)
        except services.PeopleError as error:
            messages.error(request, str(error))
            return redirect("setup_person", pk=person.pk)
        messages.success(request, f"The invitation was sent again to {person.email}.")
        return redirect("setup_person", pk=person.pk)
    initial = {
        "role": primary_role(person) or Role.SCP_MEMBER.value,
        "partners": list(Partner.objects.filter(leads=person)),
        "is_active": person.is_active,
    }
    form = PersonForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.person_update(
                person=person,
                role=Role(data["role"]),
                partners=list(data["partners"]),
                is_active=data["is_active"],
                by=request.user,
            )
        except services.PeopleError as error:
            form.add_error("role" if person.is_superuser else "is_active", str(error))
        else:
            messages.success(request, f"{person.get_full_name() or person.username} was saved.")
            return redirect("setup_people")
    audit = AuditEntry.objects.filter(person=person).select_related("actor")[:30]
    return render(
        request,
        "setup/person.html",
        {
            "person": person,
            "form": form,
            "audit": audit,
            "invited_only": not person.has_usable_password(),
        },
        status=400 if form.errors else 200,
    )


class SignIn(auth_views.LoginView):
    """A malformed username or password field is bad input (400, with its message);
    a wrong password is an ordinary failed sign-in (200, as Django answers it)."""

    authentication_form = SignInForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "providers": oidc_providers.configured()}

    def form_invalid(self, form):
        response = super().form_invalid(form)
        if any(name in form.errors for name in form.fields):
            response.status_code = 400
        return response


class PasswordReset(auth_views.PasswordResetView):
    form_class = OutboxPasswordResetForm
    success_url = reverse_lazy("password_reset_done")

    def form_valid(self, form):
        # Not form.save(): looking the address up here would make a known address
        # slower to answer than an unknown one.
        password_reset.password_reset_request(
            email=form.cleaned_data["email"], client=client_address(self.request)
        )
        return HttpResponseRedirect(self.get_success_url())


class PasswordSet(auth_views.PasswordResetConfirmView):
    form_class = GovukSetPasswordForm
    success_url = reverse_lazy("password_reset_complete")


def home(request):
    """Each role lands where its work is."""
    if is_coordinator(request.user):
        return redirect("review_queue")
    if has_role(request.user, Role.PARTNER_LEAD):
        return redirect("my_returns")
    if is_operator(request.user) and not user_roles(request.user):
        return redirect("hosting_overview")
    return redirect("dashboard")
