from django.contrib import admin
from django.urls import include, path

from village.operations.views import healthz

urlpatterns = [
    path("", include("village.portal.urls")),
    path("", include("village.orgs.urls")),
    path("", include("village.messaging.urls")),
    path("language/", include("village.languages.urls")),
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
]
