"""The money pages of the finance app (finance/urls.py joins them): the
organization's rates beside its other pages under /accounts/, and a project's
budget, costs and invoicing."""

from django.urls import path

from liaison.finance import money_views as views

P = "p/<str:code>/"
urlpatterns = [
    path("accounts/rates/", views.rates, name="rates"),
    path("accounts/rates/<int:rate_id>/delete/", views.rate_delete, name="rate-delete"),
    path(P + "budget/", views.budget, name="budget"),
    path(P + "budget/lines/", views.budget_lines, name="budget-lines"),
    path(P + "budget/agree/", views.budget_agree, name="budget-agree"),
    path(P + "budget/rebaseline/", views.budget_rebaseline, name="budget-rebaseline"),
    path(P + "budget/share/", views.budget_share, name="budget-share"),
    path(P + "costs/", views.costs, name="costs"),
    path(P + "costs/<str:key>/edit/", views.expense_edit, name="expense-edit"),
    path(P + "costs/<str:key>/delete/", views.expense_delete, name="expense-delete"),
    path(P + "invoicing/", views.invoicing, name="invoicing"),
    path(P + "invoicing/export/", views.invoicing_export, name="invoicing-export"),
    path(P + "invoicing/mark/", views.invoicing_mark, name="invoicing-mark"),
]
