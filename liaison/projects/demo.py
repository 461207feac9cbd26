"""The demo's capacities: part-time and a week of leave, so that the people
view and the workload pages have something to say (DemoStep order 25, after the
plan, whose tasks load people across ACME-WMS and HN-EMR)."""

from liaison.core.registry import DemoStep, DemoWorld, registry
from liaison.projects.capacity_services import capacity_set, time_off_add


def load(world: DemoWorld) -> None:
    organization, people, admin = world.organization, world.people, world.people["admin"]
    # 张伟 works four days a week, in two projects at once: over in the weeks
    # where both plans want them.
    capacity_set(
        organization=organization,
        person=people["qa"],
        by=admin,
        version=1,
        hours_per_week=32,
        working_weekdays="0123",
    )
    capacity_set(
        organization=organization, person=people["pm"], by=admin, version=1, hours_per_week=40
    )
    # Dev Li is away for a week in a fortnight, recorded by himself.
    monday = world.days(14 - world.today.weekday())
    time_off_add(
        organization=organization,
        person=people["dev"],
        by=people["dev"],
        start_date=monday,
        end_date=world.days(18 - world.today.weekday()),
        note="Annual leave",
    )


registry.add(DemoStep("capacity", order=25, load=load))
