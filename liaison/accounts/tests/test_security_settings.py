"""Security settings that only production turns on, read from a fresh
interpreter: the test process runs the development settings."""

import json
import os
import subprocess
import sys

import pytest
from django.conf import settings as django_settings


def _production_settings(tmp_path, **env) -> dict:
    """The settings module's values with LIAISON_ENV=production and `env`."""
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("SECURE_", "DJANGO_SETTINGS"))
    }
    environment.update(
        LIAISON_ENV="production",
        SECRET_KEY="test-only-secret",
        LIAISON_VAR_DIR=str(tmp_path),
        **env,
    )
    code = (
        "import json, liaison.settings as s; "
        "print(json.dumps({'preload': s.SECURE_HSTS_PRELOAD, 'seconds': s.SECURE_HSTS_SECONDS}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=django_settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(result.stdout)


def test_hsts_preload_is_off_unless_asked_for(tmp_path):
    """Preloading is a promise to browsers that is hard to take back: a firm
    opts in, it is never the default."""
    values = _production_settings(tmp_path)
    assert values == {"preload": False, "seconds": 31536000}


@pytest.mark.parametrize(("value", "expected"), [("true", True), ("0", False)])
def test_hsts_preload_follows_its_setting(tmp_path, value, expected):
    assert _production_settings(tmp_path, SECURE_HSTS_PRELOAD=value)["preload"] is expected
