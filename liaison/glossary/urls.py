from django.urls import path

from liaison.glossary import views

app_name = "glossary"

G = "p/<str:code>/glossary/"
urlpatterns = [
    path(G, views.term_list, name="terms"),
    path(G + "new/", views.term_create, name="term-create"),
    path(G + "<int:term_id>/", views.term_edit, name="term-edit"),
    path(G + "<int:term_id>/delete/", views.term_delete, name="term-delete"),
]
