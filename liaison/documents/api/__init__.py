"""API: a project's documents (folders, documents, versions, the reviews the
manager asks for) and the document versions its milestones deliver, with the
client's review decision; one module each, one router."""

from ninja import Router

from liaison.documents.api import deliverables, documents

router = Router(tags=["documents"])
for resource in (documents, deliverables):
    router.add_router("", resource.router)
