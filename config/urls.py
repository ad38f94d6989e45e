from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from ratelimits import views as ratelimits_views

# The admin's sign-in form takes passwords too: the same limits on failed attempts.
admin.site.login = ratelimits_views.limit_failed_sign_ins(admin.site.login)

urlpatterns = [
    path("", include("articles.urls")),
    path("", include("annotations.urls")),
    path("workspaces/", include("workspaces.urls")),
    path("invite/", include("workspaces.invite_urls")),
    path("accounts/login/", ratelimits_views.login, name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
]
