from django.urls import path

from liaison.planning.views import (
    board,
    gantt,
    gantt_move,
    milestones,
    people,
    plan,
    tasks,
    workload,
)

app_name = "planning"
P = "p/<str:code>/"
T = P + "tasks/<str:key>/"
M = P + "milestones/<str:key>/"
urlpatterns = [
    # the people view across the organization's projects
    path("people/", people.people, name="people"),
    # the plan: Gantt, its bar panel, baselines and the working calendar
    path(P + "plan/", gantt.gantt, name="gantt"),
    path(P + "plan/gantt.svg", gantt.gantt_svg, name="gantt-svg"),
    path(P + "plan/gantt.<str:fmt>", gantt.gantt_export, name="gantt-export"),
    path(P + "plan/tasks/<str:key>/panel/", gantt.task_panel, name="task-panel"),
    path(P + "plan/tasks/<str:key>/move/", gantt_move.task_gesture, name="task-gesture"),
    path(P + "plan/tasks/<str:key>/link/", gantt_move.task_link, name="task-link"),
    path(P + "plan/baselines/", plan.plan_baselines, name="plan-baselines"),
    path(P + "plan/calendar/", plan.plan_calendar, name="plan-calendar"),
    # tasks
    path(P + "tasks/", tasks.task_list, name="tasks"),
    path(P + "tasks/new/", tasks.task_create, name="task-create"),
    path(T, tasks.task_detail, name="task"),
    path(T + "edit/", tasks.task_edit, name="task-edit"),
    path(T + "preview/", tasks.task_preview, name="task-preview"),
    path(T + "status/", tasks.task_status, name="task-status"),
    path(T + "delete/", tasks.task_delete, name="task-delete"),
    path(T + "comments/", tasks.task_comment, name="task-comment"),
    path(T + "dependencies/", tasks.dependency_create, name="dependency-create"),
    path(
        P + "dependencies/<int:dependency_id>/delete/",
        tasks.dependency_delete,
        name="dependency-delete",
    ),
    path(P + "board/", board.board, name="board"),
    path(P + "board/limits/", board.board_limits_edit, name="board-limits"),
    # workload
    path(P + "workload/", workload.workload, name="workload"),
    # milestones
    path(P + "milestones/", milestones.milestone_list, name="milestones"),
    path(P + "milestones/new/", milestones.milestone_create, name="milestone-create"),
    path(M, milestones.milestone_detail, name="milestone"),
    path(M + "edit/", milestones.milestone_edit, name="milestone-edit"),
    path(M + "status/", milestones.milestone_status, name="milestone-status"),
    path(M + "submit/", milestones.milestone_submit, name="milestone-submit"),
    path(M + "delete/", milestones.milestone_delete, name="milestone-delete"),
    path(P + "milestones/<str:key>.pdf", milestones.milestone_pdf, name="milestone-pdf"),
]
