import pytest

from liaison.accounts import services
from liaison.accounts.models import ApiToken, LoginFailure
from liaison.accounts.tests.factories import PASSWORD

TOKEN_URL = "/api/v1/auth/token"
ME_URL = "/api/v1/me"


def _ask_token(client, email, password=PASSWORD, **extra):
    return client.post(
        TOKEN_URL, {"email": email, "password": password, **extra}, content_type="application/json"
    )


def _bearer(secret: str) -> dict:
    return {"Authorization": f"Bearer {secret}"}


def test_auth_token_returns_201_with_a_working_token(client, member):
    response = _ask_token(client, member.email, name="laptop")
    assert response.status_code == 201
    body = response.json()
    assert body["name"] == "laptop"
    token = ApiToken.objects.get(user=member)
    assert token.digest == ApiToken.digest_of(body["token"])
    me = client.get(ME_URL, headers=_bearer(body["token"]))
    assert me.status_code == 200
    assert me.json()["id"] == member.pk


def test_auth_token_accepts_the_address_in_any_case(client, member):
    assert _ask_token(client, f"  {member.email.upper()} ").status_code == 201


def test_auth_token_wrong_password_is_401_bad_credentials(client, member):
    response = _ask_token(client, member.email, "wrong")
    assert response.status_code == 401
    assert response.json()["code"] == "bad_credentials"
    assert LoginFailure.objects.filter(email=member.email).count() == 1
    assert not ApiToken.objects.exists()


def test_auth_token_for_a_deactivated_user_is_401(client, deactivated):
    response = _ask_token(client, deactivated.email)
    assert response.status_code == 401
    assert response.json()["code"] == "bad_credentials"


def test_auth_token_after_the_limit_is_429_throttled(client, member, settings):
    settings.LOGIN_FAILURE_LIMIT = 2
    assert _ask_token(client, member.email, "bad-1").status_code == 401
    assert _ask_token(client, member.email, "bad-2").status_code == 401
    response = _ask_token(client, member.email)  # even the right password waits
    assert response.status_code == 429
    body = response.json()
    assert body["code"] == "throttled"
    assert "Try again in" in body["message"]
    assert not ApiToken.objects.exists()


def test_auth_token_success_clears_failures(client, member, settings):
    for _ in range(settings.LOGIN_FAILURE_LIMIT - 1):
        services.login_failure_record(email=member.email, ip="127.0.0.1")
    assert _ask_token(client, member.email).status_code == 201
    assert not LoginFailure.objects.exists()


def test_auth_token_stops_password_spraying_from_one_address(client, member, settings):
    for number in range(settings.LOGIN_FAILURE_IP_LIMIT):
        response = _ask_token(client, f"person{number}@test.example", "Winter2026!")
        assert response.status_code == 401
    response = _ask_token(client, member.email)  # even a right password waits
    assert response.status_code == 429
    assert response.json()["code"] == "throttled"
    assert not ApiToken.objects.exists()
    # Another address is not concerned.
    elsewhere = client.post(
        TOKEN_URL,
        {"email": member.email, "password": PASSWORD},
        content_type="application/json",
        REMOTE_ADDR="127.0.0.2",
    )
    assert elsewhere.status_code == 201


def test_auth_token_with_a_malformed_body_is_422(client, db):
    response = client.post(TOKEN_URL, {"email": "x"}, content_type="application/json")
    assert response.status_code == 422
    assert response.json()["code"] == "invalid"


def test_me_with_a_bearer_token(client, member):
    member.language = "zh-hans"
    member.save(update_fields=["language"])
    _, secret = services.api_token_create(by=member, name="script")
    response = client.get(ME_URL, headers=_bearer(secret))
    assert response.status_code == 200
    assert response.json() == {
        "id": member.pk,
        "display_name": member.display_name,
        "email": member.email,
        "language": "zh-hans",
        "time_zone": member.time_zone,
        "is_client": False,
    }


def test_me_tells_a_client_user_apart(client, client_user):
    _, secret = services.api_token_create(by=client_user, name="script")
    assert client.get(ME_URL, headers=_bearer(secret)).json()["is_client"] is True


def test_me_with_a_session(login, member):
    assert login(member).get(ME_URL).json()["email"] == member.email


@pytest.mark.parametrize("header", [{"Authorization": "Bearer lsn_not-a-token"}, {}])
def test_me_without_a_valid_token_is_401_unauthenticated(client, db, header):
    response = client.get(ME_URL, headers=header)
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"


def test_me_with_a_revoked_token_is_401(client, member):
    token, secret = services.api_token_create(by=member, name="script")
    services.api_token_revoke(token=token, by=member)
    assert client.get(ME_URL, headers=_bearer(secret)).status_code == 401


def test_me_with_a_deactivated_users_token_is_401(client, member):
    _, secret = services.api_token_create(by=member, name="script")
    member.is_active = False
    member.save(update_fields=["is_active"])
    response = client.get(ME_URL, headers=_bearer(secret))
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"
