"""API: the plan as the Gantt chart shows it."""

from ninja import Query, Router

from liaison.core.schemas import READ
from liaison.planning.schemas import GanttOut, GanttQuery
from liaison.planning.selectors.gantt import GanttFilters, gantt_data
from liaison.projects import access

router = Router()


@router.get(
    "/projects/{code}/gantt",
    response={200: GanttOut, **READ},
    summary="The plan as the Gantt chart shows it",
    description="Dated tasks in WBS order with slack and the critical path, the links, "
    "the milestones and the latest plan baseline's dates. Takes the Gantt page's filters.",
)
def gantt(request, code: str, filters: Query[GanttQuery]):
    project = access.get_project_for(request.user, code)
    data = gantt_data(
        project=project,
        audience=access.audience_of(request.user, project),
        # The page's own parser: repeated `collapsed` values and swapped dates are
        # handled the same way (the schema above documents and type-checks them).
        filters=GanttFilters.from_query(request.GET),
    )
    return {
        "start": data.start,
        "end": data.end,
        "today": data.today,
        "rows": [
            {
                "key": row.key,
                "title": row.title,
                "depth": row.depth,
                "has_children": row.has_children,
                "collapsed": row.collapsed,
                "is_summary": row.is_summary,
                "start": row.start,
                "due": row.due,
                "progress": row.progress,
                "status": row.status,
                "assignee_name": row.assignee_name,
                "critical": row.critical,
                "slack": row.slack,
                "baseline_start": row.baseline_start,
                "baseline_due": row.baseline_due,
                "client_visible": row.client_visible,
                "milestone": row.milestone_key,
            }
            for row in data.rows
        ],
        "links": [
            {
                "predecessor": link.predecessor_key,
                "successor": link.successor_key,
                "kind": link.kind,
                "critical": link.critical,
            }
            for link in data.links
        ],
        "milestones": [
            {
                "key": milestone.key,
                "name": milestone.name,
                "due": milestone.due,
                "status": milestone.status,
                "baseline_due": milestone.baseline_due,
            }
            for milestone in data.milestones
        ],
        "undated_count": data.undated_count,
        "baseline_name": data.baseline_name,
        "cycle": data.cycle,
    }
