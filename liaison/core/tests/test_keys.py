from liaison.projects.keys import next_key
from liaison.projects.models import KeyCounter
from liaison.projects.tests.factories import make_project


def test_next_key_is_sequential_per_project_and_prefix(project):
    keys = [next_key(project=project, prefix="REQ") for _ in range(3)]
    assert keys == ["REQ-1", "REQ-2", "REQ-3"]


def test_next_key_counts_each_prefix_separately(project):
    assert next_key(project=project, prefix="REQ") == "REQ-1"
    assert next_key(project=project, prefix="T") == "T-1"
    assert next_key(project=project, prefix="REQ") == "REQ-2"
    assert next_key(project=project, prefix="T") == "T-2"


def test_next_key_counts_each_project_separately(project, org, manager):
    second = make_project(org, manager, "SECOND")
    assert next_key(project=project, prefix="CR") == "CR-1"
    assert next_key(project=second, prefix="CR") == "CR-1"
    assert next_key(project=project, prefix="CR") == "CR-2"


def test_next_key_keeps_the_counter_in_the_database(project):
    next_key(project=project, prefix="RISK")
    next_key(project=project, prefix="RISK")
    counter = KeyCounter.objects.get(project=project, prefix="RISK")
    assert counter.last == 2


def test_next_key_continues_from_the_stored_counter(project):
    # The counter is the source of truth, not max()+1 over existing rows.
    next_key(project=project, prefix="SUP")
    KeyCounter.objects.filter(project=project, prefix="SUP").update(last=41)
    assert next_key(project=project, prefix="SUP") == "SUP-42"
