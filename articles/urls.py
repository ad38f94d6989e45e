from django.urls import path

from . import views

app_name = "articles"
urlpatterns = [
    path("", views.library, name="library"),
    path("articles/import/", views.import_article, name="import"),
    path("articles/<int:pk>/", views.article_detail, name="detail"),
    path(
        "articles/<int:pk>/blocks/<int:block_pk>/kind/",
        views.change_block_kind,
        name="change_block_kind",
    ),
]
