"""Pages of the practices app."""

from django.http import HttpResponse

from danvan.core.views import page


@page("record.view")
def list(request):
    return HttpResponse("")
