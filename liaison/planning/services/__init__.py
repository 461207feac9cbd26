"""Every write of the plan: tasks, milestones and their acceptance, dependencies,
rescheduling, plan baselines and the working calendar."""
