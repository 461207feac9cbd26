"""Controls rows for tests.

Risks (functions named make_risk…):
make_risk(project, manager, probability=4, impact=5)   # RISK-n through the service
make_risk_row(project, status="closed", score=...)    # straight to the table, next free key
"""

from liaison.controls.models import Risk
from liaison.controls.services.risks import risk_create
from liaison.projects.keys import next_number

# -- Risks


def make_risk(project, by, **fields) -> Risk:
    """A risk recorded by `by` (a manager or member); fields as risk_create takes."""
    return risk_create(project=project, by=by, **{"title": "RF scanners arrive late", **fields})


def make_risk_row(project, **fields) -> Risk:
    """A risk written to the table, in any state: "Risk n"; its score from its
    probability and impact unless given."""
    number = next_number(project=project, prefix="RISK")
    probability, impact = fields.pop("probability", 3), fields.pop("impact", 3)
    return Risk.objects.create(
        project=project,
        key=f"RISK-{number}",
        number=number,
        probability=probability,
        impact=impact,
        **{"title": f"Risk {number}", "score": probability * impact, **fields},
    )
