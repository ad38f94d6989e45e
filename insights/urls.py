from django.urls import path

from . import views

app_name = "insights"
urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/<slug:chart>.csv", views.chart_csv, name="chart_csv"),
    path("dashboard/<slug:chart>.svg", views.chart_svg, name="chart_svg"),
    path("articles/<int:pk>/summary/", views.article_summary, name="article_summary"),
]
