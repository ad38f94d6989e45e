"""The reading app's pages keep the URL names they have always had (`articles:detail`,
`articles:change_block_kind`, `workspaces:activity`): config/urls.py adds these patterns to
the `articles` and `workspaces` namespaces, so the lower apps never import this one."""

from django.urls import path

from . import views

article_patterns = [
    path("articles/<int:pk>/", views.article_detail, name="detail"),
    path("articles/<int:pk>/title/", views.rename_article, name="rename"),
    path(
        "articles/<int:pk>/blocks/<int:block_pk>/kind/",
        views.change_block_kind,
        name="change_block_kind",
    ),
    path("articles/<int:pk>/versions/", views.versions, name="versions"),
    path("articles/<int:pk>/versions/new/", views.upload_version, name="upload_version"),
    path("articles/<int:pk>/versions/check/", views.check_for_updates, name="check_for_updates"),
    path("articles/<int:pk>/blocks/", views.fix_extraction, name="fix_extraction"),
    path("articles/<int:pk>/blocks/fix/", views.apply_fix, name="apply_fix"),
]

workspace_patterns = [
    path("<int:pk>/activity/", views.activity, name="activity"),
]
