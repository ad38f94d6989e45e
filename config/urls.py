from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

urlpatterns = [
    path("", include("articles.urls")),
    path("", include("annotations.urls")),
    path("workspaces/", include("workspaces.urls")),
    path("invite/", include("workspaces.invite_urls")),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/", include("workspaces.account_urls")),
    path("admin/", admin.site.urls),
]
