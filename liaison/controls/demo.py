from liaison.controls import demo_issues  # noqa: F401
