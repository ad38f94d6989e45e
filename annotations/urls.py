from django.urls import path

from . import blind_views, export_views, suggestion_views, views

app_name = "annotations"
urlpatterns = [
    path("articles/<int:pk>/claims/", views.create_claim, name="create"),
    path("articles/<int:pk>/events/", views.article_events, name="article_events"),
    path("claims/<int:pk>/", views.claim_detail, name="detail"),
    path("claims/<int:pk>/edit/", views.update_claim, name="update"),
    path("claims/<int:pk>/delete/", views.delete_claim, name="delete"),
    path("claims/<int:pk>/tags/", views.add_tag, name="add_tag"),
    path("claims/<int:pk>/reattach/", views.reattach_claim, name="reattach"),
    path("claims/<int:pk>/tags/<int:tag_pk>/remove/", views.remove_tag, name="remove_tag"),
    path("claims/<int:pk>/replies/", views.add_reply, name="add_reply"),
    path("replies/<int:pk>/edit/", views.update_reply, name="update_reply"),
    path("replies/<int:pk>/delete/", views.delete_reply, name="delete_reply"),
    path("articles/<int:pk>/suggestions/", suggestion_views.compute, name="suggest"),
    path(
        "articles/<int:pk>/suggestions/decide/",
        suggestion_views.decide_all,
        name="decide_suggestions",
    ),
    path("suggestions/<int:pk>/accept/", suggestion_views.accept, name="accept_suggestion"),
    path("suggestions/<int:pk>/dismiss/", suggestion_views.dismiss, name="dismiss_suggestion"),
    path("articles/<int:pk>/blind/", blind_views.blind_round, name="blind_round"),
    path("articles/<int:pk>/blind/done/", blind_views.blind_done, name="blind_done"),
    path("articles/<int:pk>/agreement/", blind_views.article_agreement, name="article_agreement"),
    path("agreement/", blind_views.workspace_agreement, name="workspace_agreement"),
    path("articles/<int:pk>/curation/", blind_views.curation, name="curation"),
    path(
        "articles/<int:pk>/curation/<int:claim_pk>/adopt/",
        blind_views.curation_adopt,
        name="curation_adopt",
    ),
    path(
        "articles/<int:pk>/curation/<int:claim_pk>/merge/",
        blind_views.curation_merge,
        name="curation_merge",
    ),
    path("tags/", views.tag_list, name="tags"),
    path("tags/suggestions/", views.tag_suggestions, name="tag_suggestions"),
    path("tags/<int:pk>/manage/", views.manage_tag, name="manage_tag"),
    path("tags/<int:pk>/rename/", views.rename_tag, name="rename_tag"),
    path("tags/<int:pk>/merge/", views.merge_tag, name="merge_tag"),
    path("tags/changes/<int:pk>/undo/", views.undo_tag_change, name="undo_tag_change"),
    path("tags/<int:pk>/anonymous/", views.toggle_tag_anonymous, name="tag_anonymous"),
    path("export/", export_views.export_page, name="export"),
    path("export/download/", export_views.export_download, name="export_download"),
    path("export/articles/", export_views.export_article_search, name="export_articles"),
    path(
        "articles/<int:pk>/export.csv", export_views.article_export_csv, name="article_export_csv"
    ),
    path(
        "articles/<int:pk>/export.jsonld",
        export_views.article_export_jsonld,
        name="article_export_jsonld",
    ),
]
