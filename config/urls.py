from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from api.urls import token_urlpatterns as api_token_urlpatterns
from articles.urls import urlpatterns as article_urlpatterns
from ratelimits import views as ratelimits_views
from reading.urls import article_patterns as reading_article_patterns
from reading.urls import workspace_patterns as reading_workspace_patterns
from workspaces.urls import urlpatterns as workspace_urlpatterns

# The admin's sign-in form takes passwords too: the same limits on failed attempts.
admin.site.login = ratelimits_views.limit_failed_sign_ins(admin.site.login)

# The reading page and the activity log live in `reading` (the top layer) but keep their
# `articles:` and `workspaces:` URL names, so the namespaces are put together here.
urlpatterns = [
    path("", include((article_urlpatterns + reading_article_patterns, "articles"))),
    path("", include("annotations.urls")),
    path("", include("insights.urls")),
    path("search/", include("search.urls")),
    path(
        "workspaces/",
        include((workspace_urlpatterns + reading_workspace_patterns, "workspaces")),
    ),
    path("invite/", include("workspaces.invite_urls")),
    path("accounts/login/", ratelimits_views.login, name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/", include("workspaces.account_urls")),
    path("accounts/", include(api_token_urlpatterns)),
    path("api/", include("api.urls")),
    # The header's language switch posts here (django's view: sets the language cookie).
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("admin/", admin.site.urls),
]
