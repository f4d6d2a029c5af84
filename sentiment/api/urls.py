"""API routes of the sentiment app, mounted under /api/."""

from django.urls import path

from sentiment.api import views

urlpatterns = [
    path("news/", views.NewsListView.as_view(), name="news-list"),
    path("posts/", views.PostListView.as_view(), name="posts-list"),
    path("sentiment/", views.SentimentListView.as_view(), name="sentiment-list"),
]
