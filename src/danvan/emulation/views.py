"""Pages of the emulation app."""

from django.http import HttpResponse

from danvan.core.views import page


@page("record.view")
def commendations(request):
    return HttpResponse("")
