"""The documents part of the demo (`manage.py demo_data`): on ACME-WMS, folders
(a shared specifications folder, an internal one, "From the client" open to
the client's uploads), a specification in two versions whose second the
client reviewed and approved, the pilot report delivered with the accepted
pilot milestone, and the floor plans the client sent. HN-EMR the same, in
Chinese. Imported only by the demo app, never in production."""

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from liaison.core.registry import DemoStep, DemoWorld, registry
from liaison.documents.models import Deliverable, Document
from liaison.documents.services.client import client_upload, review_decide, review_request
from liaison.documents.services.deliverables import deliverable_add, record_accepted
from liaison.documents.services.documents import (
    document_create,
    document_set_visibility,
    version_upload,
)
from liaison.documents.services.folders import folder_create
from liaison.planning.models import Milestone

TEXTS: dict[str, dict[str, Any]] = {
    "ACME-WMS": {
        "folders": ("Specifications", "Internal", "From the client"),
        "spec": ("Warehouse system specification", "wms-specification.md", "spec, scope"),
        "spec_v1": "# WMS specification\n\nDraft for the team: scanning, picking, shipping.\n",
        "spec_v2": "# WMS specification\n\nScanning, wave picking, shipping labels, returns.\n",
        "note": "Returns added after the workshop",
        "ask": "Please check the returns section before we build it.",
        "internal": ("Estimate workings", "estimate.csv", "hours,task\n40,Scanning\n60,Picking\n"),
        "report": ("Pilot go-live report", "pilot-report.txt", "Pilot live in Reno: 2,140 scans."),
        "plans": ("Floor plans, Reno warehouse", "floor-plans.txt", "Aisles A-F, docks 1-4."),
    },
    "HN-EMR": {
        "folders": ("需求与设计", "内部资料", "客户提供"),
        "spec": ("电子病历系统需求规格说明书", "需求规格说明书.md", "需求, 范围"),
        "spec_v1": "# 需求规格说明书\n\n初稿：门诊病历、医嘱、检验报告。\n",
        "spec_v2": "# 需求规格说明书\n\n门诊病历、住院医嘱、检验报告、电子签名。\n",
        "note": "根据评审会增加电子签名",
        "ask": "请审阅电子签名一节，确认后我们开始开发。",
        "internal": ("工作量估算", "估算.csv", "工时,任务\n80,病历模块\n"),
        "report": ("一期上线报告", "一期上线报告.txt", "一期已在门诊上线，运行稳定。"),
        "plans": ("科室布局图", "科室布局.txt", "门诊楼一至三层。"),
    },
}


def _file(name: str, text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode())


def _project(world: DemoWorld, code: str, client) -> None:
    project, pm = world.projects[code], world.people["pm"]
    t = TEXTS[code]
    shared_name, internal_name, inbox_name = t["folders"]
    shared = folder_create(project=project, by=pm, name=shared_name, client_visible=True)
    internal = folder_create(project=project, by=pm, name=internal_name)
    inbox = folder_create(project=project, by=pm, name=inbox_name, client_uploads=True)
    title, name, tags = t["spec"]
    # The first draft stays internal: the document is shared from its second version on.
    spec = document_create(
        project=project,
        by=pm,
        folder=shared,
        title=title,
        tags=tags,
        upload=_file(name, t["spec_v1"]),
        client_visible=False,
    )
    version_upload(
        document=spec, by=pm, upload=_file(name, t["spec_v2"]), note=t["note"], version=spec.version
    )
    spec = Document.objects.get(pk=spec.pk)
    spec = document_set_visibility(document=spec, by=pm, version=spec.version, client_visible=True)
    assert spec.latest is not None
    review = review_request(document=spec, version=spec.latest, by=pm, message=t["ask"])
    review_decide(review=review, by=client, approve=True)
    title, name, text = t["internal"]
    document_create(project=project, by=pm, folder=internal, title=title, upload=_file(name, text))
    title, name, text = t["report"]
    report = document_create(
        project=project, by=pm, folder=shared, title=title, upload=_file(name, text)
    )
    assert report.latest is not None and spec.latest is not None
    _deliveries(project, pm, client, report=report.latest, spec=spec.latest)
    title, name, text = t["plans"]
    client_upload(project=project, by=client, folder=inbox, upload=_file(name, text), title=title)


def _deliveries(project, pm, client, *, report, spec) -> None:
    """The report delivered with the milestone the planning step already sent
    to the client (accepted on ACME-WMS: its hash recorded as the acceptance
    would have; awaiting them on HN-EMR), and the specification delivered by
    the manager with the next open milestone."""
    Status = Milestone.Status
    milestones = Milestone.objects.filter(project=project).order_by("due_date", "id")
    sent = milestones.filter(status__in=(Status.ACCEPTED, Status.SUBMITTED)).first()
    if sent is not None:
        # Delivered before it was submitted: written as the service would have then.
        Deliverable.objects.create(project=project, milestone=sent, version=report, added_by=pm)
        if sent.status == Status.ACCEPTED:
            record_accepted(milestone=sent, by=client)
    upcoming = milestones.exclude(status__in=(Status.ACCEPTED, Status.SUBMITTED)).first()
    if upcoming is not None:
        deliverable_add(milestone=upcoming, version=spec, by=pm)


def load(world: DemoWorld) -> None:
    _project(world, "ACME-WMS", world.people["client"])
    _project(world, "HN-EMR", world.people["doctor"])


registry.add(DemoStep("documents", order=46, load=load))
