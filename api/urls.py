from django.urls import path

from . import token_views, views

app_name = "api"
urlpatterns = [
    path("articles/<int:pk>/annotations/", views.article_annotations, name="article_annotations"),
    path("articles/<int:pk>/annotations/<int:claim_pk>", views.annotation, name="annotation"),
    path(
        "workspaces/<slug:slug>/annotations/",
        views.workspace_annotations,
        name="workspace_annotations",
    ),
    path("schema/", views.schema, name="schema"),
]

# Mounted under accounts/ (config/urls.py): the account page's token forms.
token_urlpatterns = [
    path("api-tokens/", token_views.create_token, name="api_token_create"),
    path("api-tokens/<int:pk>/revoke/", token_views.revoke_token, name="api_token_revoke"),
]
