"""The client's risk pages: only the risks the team shares, never the internal
notes, the residual score only when shared; anything else is 404."""

import pytest

from liaison.controls.tests.factories import make_risk

LIST = "/portal/p/OWN/risks/"


def _text(response) -> str:
    return response.content.decode()


def test_the_client_lists_only_shared_risks(login, project, manager, client_user):
    make_risk(project, manager, title="Internal worry")
    make_risk(project, manager, title="Peak season go-live", client_visible=True)
    page = _text(login(client_user).get(LIST))
    assert "Peak season go-live" in page
    assert "Internal worry" not in page
    assert 'data-key="RISK-2"' in page


def test_the_client_reads_a_shared_risk_without_what_is_internal(
    login, project, manager, client_user
):
    make_risk(
        project,
        manager,
        title="Peak season go-live",
        client_visible=True,
        internal_notes="The vendor is shaky",
        residual_probability=2,
        residual_impact=3,
        preventive_actions="Rehearse the cut-over",
    )
    client = login(client_user)
    page = _text(client.get(LIST + "RISK-1/"))
    assert "Rehearse the cut-over" in page
    assert "The vendor is shaky" not in page
    assert 'id="risk-residual"' not in page
    from liaison.controls.models import Risk

    Risk.objects.update(share_residual=True)
    assert '<dd id="risk-residual">6</dd>' in _text(client.get(LIST + "RISK-1/"))


def test_an_internal_risk_is_404(login, project, manager, client_user):
    make_risk(project, manager)
    client = login(client_user)
    assert client.get(LIST + "RISK-1/").status_code == 404
    assert client.get(LIST + "RISK-9/").status_code == 404


@pytest.mark.parametrize("role", ["manager", "member"])
def test_the_team_gets_404_in_the_portal(login, project, manager, role, request):
    make_risk(project, manager, client_visible=True)
    assert login(request.getfixturevalue(role)).get(LIST).status_code == 404


def test_the_portal_has_a_risks_tab(login, project, client_user):
    page = _text(login(client_user).get("/portal/p/OWN/"))
    assert 'href="/portal/p/OWN/risks/"' in page
