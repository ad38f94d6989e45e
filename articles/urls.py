from django.urls import path

from . import views

app_name = "articles"
urlpatterns = [
    path("", views.library, name="library"),
    path("articles/import/", views.import_article, name="import"),
]

from . import import_views  # noqa: E402

urlpatterns += [
    path("articles/import/web/", import_views.import_web, name="import_web"),
    path("articles/import/batch/", import_views.import_batch, name="import_batch"),
    path("articles/import/batch/item/", import_views.import_batch_item, name="import_batch_item"),
    path(
        "articles/import/batch/<int:batch_id>/",
        import_views.import_batch_status,
        name="import_batch_status",
    ),
]
