from village.portal.page_cache import CSRF_PLACEHOLDER, REQUEST_FLAG


def csrf_placeholder(request):
    """While a public page is rendered for the page cache, its CSRF token is a placeholder
    (each visitor's own is put in when the page is served)."""
    if getattr(request, REQUEST_FLAG, False):
        return {"csrf_token": CSRF_PLACEHOLDER}
    return {}
