from partners.roles import Role, has_role, is_coordinator, primary_role


def role(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "user_role": primary_role(user),
        "user_is_coordinator": is_coordinator(user),
        "user_is_lead": has_role(user, Role.PARTNER_LEAD),
    }
