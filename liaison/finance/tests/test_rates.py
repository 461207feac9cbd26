from decimal import Decimal

from conftest import TODAY
from liaison.finance.models import Rate
from liaison.finance.selectors.rates import rates_in_force


def rate(project, *, person=None, role="", cost, days_ago, currency=None):
    return Rate.objects.create(
        organization=project.organization,
        person=person,
        role=role,
        currency=currency or project.currency,
        cost_rate=Decimal(cost),
        bill_rate=Decimal(cost) * 2,
        effective_from=TODAY.fromordinal(TODAY.toordinal() - days_ago),
    )


def day(n):
    return TODAY.fromordinal(TODAY.toordinal() + n)


def test_a_persons_own_rate_wins_over_the_role_and_changes_on_its_day(project, member):
    rate(project, role="member", cost="50", days_ago=100)
    rate(project, person=member, cost="60", days_ago=10)
    rate(project, person=member, cost="70", days_ago=0)
    rate(project, person=member, cost="99", days_ago=30, currency="XXX")
    found = rates_in_force(project=project, person_id=member.pk, days=[day(-20), day(-5), day(0)])
    assert {d: r.cost_rate for d, r in found.items()} == {
        day(-20): Decimal("50"),  # before their own rate: the role's
        day(-5): Decimal("60"),
        day(0): Decimal("70"),
    }


def test_no_rate_in_force_is_a_gap(project, member, django_assert_num_queries):
    rate(project, role="manager", cost="80", days_ago=10)
    rate(project, role="member", cost="50", days_ago=10)
    with django_assert_num_queries(2):
        found = rates_in_force(project=project, person_id=member.pk, days=[day(-11), day(-10)])
    assert found[day(-11)] is None
    assert found[day(-10)].cost_rate == Decimal("50")
    assert rates_in_force(project=project, person_id=member.pk, days=[]) == {}
