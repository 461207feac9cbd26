"""The client's controls pages, mounted by the portal under `p/<str:code>/` in its
`portal` namespace (the tabs are registered in apps.py)."""

from django.urls import path

from liaison.controls import portal_views_issues as issues
from liaison.controls import portal_views_quality as quality
from liaison.controls import portal_views_risks

# -- Risks ----------------------------------------------------------------------------
risk_urls = [
    path("risks/", portal_views_risks.risk_list, name="risks"),
    path("risks/<str:key>/", portal_views_risks.risk_detail, name="risk"),
]

# -- Issues ---------------------------------------------------------------------------
issue_urls = [
    path("issues/", issues.issue_list, name="issues"),
    path("issues/new/", issues.issue_raise, name="issue-raise"),
    path("issues/<str:key>/", issues.issue_detail, name="issue"),
    path("issues/<str:key>/verify/", issues.issue_verify, name="issue-verify"),
    path("issues/<str:key>/reopen/", issues.issue_reopen, name="issue-reopen"),
    path("issues/<str:key>/comments/", issues.issue_comment, name="issue-comment"),
    path("issues/<str:key>/position/", issues.issue_position, name="issue-position"),
    path("issues/<str:key>/confirm/", issues.issue_confirm, name="issue-confirm"),
]

# -- Quality: the client's acceptance tests -------------------------------------------
uat_urls = [
    path("acceptance/", quality.round_list, name="uat-rounds"),
    path("acceptance/<str:key>/", quality.round_detail, name="uat-round"),
    path("acceptance/<str:key>/results/", quality.round_results, name="uat-results"),
    path("acceptance/<str:key>/pdf/", quality.round_pdf, name="uat-round-pdf"),
]

urlpatterns = [*risk_urls, *issue_urls, *uat_urls]
