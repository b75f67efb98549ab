"""Pages of the outreach app."""

from django.http import HttpResponse

from danvan.core.views import page


@page("record.view")
def activities(request):
    return HttpResponse("")
