"""The team's finance pages: time (`urls_time`), budget, rates, costs and the
invoicing export (`urls_money`), earned value (`urls_value`)."""

from liaison.finance import urls_money, urls_time, urls_value

app_name = "finance"

urlpatterns = [*urls_time.urlpatterns, *urls_money.urlpatterns, *urls_value.urlpatterns]
