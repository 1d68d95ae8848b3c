from django.contrib import admin
from django.urls import include, path

from village.api.registry import api
from village.operations.views import healthz

urlpatterns = [
    path("", include("village.orgs.urls")),
    path("", include("village.messaging.urls")),
    path("", include("village.families.urls")),
    path("", include("village.events.urls")),
    path("", include("village.assessments.urls")),
    path("", include("village.insights.urls")),
    path("language/", include("village.languages.urls")),
    path("healthz", healthz, name="healthz"),
    path("api/v1/", api.urls),
    path("staff/api-tokens/", include("village.api.urls")),
    path("admin/", admin.site.urls),
    path("", include("village.groups.urls")),
    path("", include("village.programs.urls")),
    path("", include("village.titlei.urls")),
    path("", include("village.surveys.urls")),
    # Last: it ends with the organisations' public homes, /<district>/ and /<district>/<school>/.
    path("", include("village.portal.urls")),
]
