"""Invite links, mounted at the site root: path("invite/", include("workspaces.invite_urls"))."""

from django.urls import path

from . import views

app_name = "invites"
urlpatterns = [
    path("<str:token>/", views.join, name="join"),
    path("<str:token>/signup/", views.invite_signup, name="signup"),
]
