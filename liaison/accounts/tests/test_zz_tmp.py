import pytest
@pytest.mark.parametrize("i", range(3))
def test_x(role_users, foreign_project, i):
    pass
