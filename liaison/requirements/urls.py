from django.urls import path

from liaison.requirements.views import baselines, requirements, transfer

app_name = "requirements"
R = "p/<str:code>/requirements/"
B = "p/<str:code>/baselines/"
urlpatterns = [
    path(R, requirements.requirement_list, name="list"),
    path(R + "new/", requirements.requirement_create, name="create"),
    path(R + "priorities/", requirements.priorities, name="priorities"),
    path(R + "export.<str:fmt>", transfer.export, name="export"),
    path(R + "import/", transfer.import_start, name="import"),
    path(R + "import/template.xlsx", transfer.import_template, name="import-template"),
    path(R + "import/<int:job_id>/", transfer.import_status, name="import-status"),
    path(R + "<str:key>/", requirements.requirement_detail, name="detail"),
    path(R + "<str:key>/edit/", requirements.requirement_edit, name="edit"),
    path(R + "<str:key>/status/", requirements.requirement_transition, name="transition"),
    path(R + "<str:key>/score/", requirements.requirement_score, name="score"),
    path(R + "<str:key>/comments/", requirements.requirement_comment, name="comment"),
    path(R + "<str:key>/revisions/", requirements.requirement_revisions, name="revisions"),
    path(B, baselines.baseline_list, name="baselines"),
    path(B + "new/", baselines.baseline_propose, name="baseline-propose"),
    path(B + "diff/", baselines.baseline_diff_view, name="baseline-diff"),
    path(B + "<int:number>/", baselines.baseline_detail, name="baseline"),
    path(B + "<int:number>.pdf", baselines.baseline_pdf, name="baseline-pdf"),
]
