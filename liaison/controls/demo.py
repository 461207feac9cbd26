from liaison.controls import (
    demo_contingency,  # noqa: F401 (after the risks and issues: DemoStep order 48)
    demo_issues,  # noqa: F401
    demo_quality,  # noqa: F401
    demo_risks,  # noqa: F401
)
