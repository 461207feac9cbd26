"""Sign-in throttling behind a reverse proxy: the visitor's address comes from
X-Forwarded-For only when the proxy is one we trust, and an IPv6 visitor is
counted by their /64."""

import pytest
from django.test import RequestFactory

from liaison.accounts.tests.factories import PASSWORD
from liaison.core.request_info import client_ip, throttle_address

LOGIN = "/accounts/login/"
PROXY = "127.0.0.1"


def _request(remote: str, forwarded: str = ""):
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {}
    return RequestFactory().get("/", REMOTE_ADDR=remote, **extra)


@pytest.mark.parametrize(
    ("remote", "forwarded", "trusted", "expected"),
    [
        ("198.51.100.7", "", [], "198.51.100.7"),
        # Nobody named a proxy: the header is anyone's to write.
        (PROXY, "203.0.113.9", [], PROXY),
        ("198.51.100.7", "203.0.113.9", [PROXY], "198.51.100.7"),
        (PROXY, "203.0.113.9", [PROXY], "203.0.113.9"),
        # The visitor wrote the first hop themselves; our proxy appended the last.
        (PROXY, "10.9.9.9, 203.0.113.9", [PROXY], "203.0.113.9"),
        (PROXY, "203.0.113.9, 127.0.0.2", [PROXY, "127.0.0.2"], "203.0.113.9"),
        (PROXY, "not-an-address", [PROXY], PROXY),
    ],
)
def test_client_ip_believes_only_trusted_proxies(settings, remote, forwarded, trusted, expected):
    settings.TRUSTED_PROXIES = trusted
    assert client_ip(_request(remote, forwarded)) == expected


def test_ipv6_is_throttled_by_its_64():
    assert throttle_address("2001:db8:1:2:aaaa::1") == "2001:db8:1:2::"
    assert throttle_address("2001:db8:1:2:bbbb::9") == "2001:db8:1:2::"
    assert throttle_address("198.51.100.7") == "198.51.100.7"
    assert throttle_address(None) is None


def test_behind_a_trusted_proxy_one_guesser_locks_out_only_themselves(client, member, settings):
    """Every request reaches us from the proxy: counting by its address would
    let one guesser lock every person out of the sign-in page."""
    settings.TRUSTED_PROXIES = [PROXY]
    guesser = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "203.0.113.9"}
    for number in range(settings.LOGIN_FAILURE_IP_LIMIT):
        client.post(LOGIN, {"email": f"p{number}@test.example", "password": "x"}, **guesser)
    assert (
        client.post(LOGIN, {"email": member.email, "password": PASSWORD}, **guesser).status_code
        == 429
    )
    colleague = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "198.51.100.7"}
    response = client.post(LOGIN, {"email": member.email, "password": PASSWORD}, **colleague)
    assert response.status_code == 302


def test_walking_an_ipv6_64_does_not_escape_the_limit(client, member, settings):
    for number in range(settings.LOGIN_FAILURE_LIMIT):
        client.post(
            LOGIN,
            {"email": member.email, "password": "guess"},
            REMOTE_ADDR=f"2001:db8:1:2::{number + 1:x}",
        )
    response = client.post(
        LOGIN, {"email": member.email, "password": PASSWORD}, REMOTE_ADDR="2001:db8:1:2::ff"
    )
    assert response.status_code == 429
