from liaison.controls import (
    demo_issues,  # noqa: F401
    demo_quality,  # noqa: F401
    demo_risks,  # noqa: F401
)
