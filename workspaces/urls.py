from django.urls import path

from . import views

app_name = "workspaces"
urlpatterns = [
    path("", views.workspace_list, name="list"),
    path("new/", views.create, name="create"),
    path("switch/", views.switch, name="switch"),
    path("<int:pk>/members/", views.members, name="members"),
    path("<int:pk>/members/add/", views.add_member, name="add_member"),
    path("<int:pk>/members/<int:member_pk>/role/", views.change_role, name="change_role"),
    path("<int:pk>/members/<int:member_pk>/remove/", views.remove_member, name="remove_member"),
    path("<int:pk>/leave/", views.leave, name="leave"),
    path(
        "<int:pk>/invitations/<int:invitation_pk>/withdraw/",
        views.withdraw_invitation,
        name="withdraw_invitation",
    ),
    path(
        "invitations/<int:invitation_pk>/accept/",
        views.accept_invitation,
        name="accept_invitation",
    ),
    path(
        "invitations/<int:invitation_pk>/decline/",
        views.decline_invitation,
        name="decline_invitation",
    ),
    path("<int:pk>/invites/", views.create_invite, name="create_invite"),
    path("<int:pk>/invites/<int:invite_pk>/revoke/", views.revoke_invite, name="revoke_invite"),
]
