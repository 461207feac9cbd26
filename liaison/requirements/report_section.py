"""The requirements' section of a status report (core.registry.ReportSection):
its facts come from requirements/selectors.py; this is the entry
requirements/apps.py registers."""

from liaison.core.registry import ReportSection
from liaison.requirements.selectors import REPORT_DEFAULTS, requirements_report_facts

SECTION = ReportSection(
    "requirements",
    order=40,
    facts=requirements_report_facts,
    defaults=REPORT_DEFAULTS,
    stats="requirements/_report_stats.html",
    template="requirements/_report_section.html",
)
