from partnerships.resolution import is_operator, partnerships_for


def partnership(request):
    """The partnership the page is about (its name heads every page) and, for someone
    in several, the ones the header's switcher offers."""
    current = getattr(request, "partnership", None)
    user = getattr(request, "user", None)
    choices = partnerships_for(user) if user is not None and user.is_authenticated else []
    operator = user is not None and is_operator(user)
    return {"partnership": current, "my_partnerships": choices, "user_is_operator": operator}
