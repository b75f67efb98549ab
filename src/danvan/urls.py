from django.urls import include, path

from danvan.api.api import api
from danvan.core.health import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("api/v1/", api.urls),
    path("units/", include("danvan.units.urls")),
    path("petitions/", include("danvan.petitions.urls")),
    path("reception/", include("danvan.reception.urls")),
    path("outreach/", include("danvan.outreach.urls")),
    path("practices/", include("danvan.practices.urls")),
    path("emulation/", include("danvan.emulation.urls")),
    path("reports/", include("danvan.reports.urls")),
    path("imports/", include("danvan.imports.urls")),
    path("", include("danvan.core.urls")),
]
