"""What every page's template knows: the navigation to each resource the person may see,
and the section (resource list) the page belongs to, for a way back from error pages."""

from django.utils.functional import SimpleLazyObject

from galtea_admin.lists.registry import site


def navigation(request):
    if not hasattr(request, "user"):
        return {}
    pages = SimpleLazyObject(lambda: site.navigation(request))

    def section():
        return next(((title, url) for title, url, current in pages if current), None)

    return {"navigation": pages, "section": SimpleLazyObject(section)}
