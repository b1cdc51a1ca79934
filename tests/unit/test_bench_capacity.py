"""The bench's DynamoDB capacity arithmetic (bench/capacity.py), which the cost per case
rests on: item sizes by DynamoDB's rules, write units by size, transaction and index."""
from bench.capacity import TOKEN_BYTES, item_size, read_units, value_size, write_units

INBOX = [(["inboxDept", "deadline"], None)]  # one index, all attributes projected
KEYS = ["pk", "sk"]


def test_sizes_follow_dynamodbs_rules():
    assert value_size({"S": "办件"}) == 6            # UTF-8 bytes
    assert value_size({"N": "12345"}) == 4           # 5 digits: ceil(5/2) + 1
    assert value_size({"BOOL": True}) == 1
    assert value_size({"L": [{"S": "ab"}, {"N": "1"}]}) == 3 + (1 + 2) + (1 + 2)
    assert value_size({"M": {"k": {"S": "v"}}}) == 3 + 1 + 1 + 1
    assert item_size({"pk": {"S": "C1"}, "rt": {"S": "case"}}) == 2 + 2 + 2 + 4
    assert item_size({"token": {"S": "short-in-moto"}}) == 5 + TOKEN_BYTES
    assert item_size({"tokens": {"SS": ["a", "b"]}}) == 6 + 2 * TOKEN_BYTES


def _item(extra_bytes=0, **attrs):
    item = {"pk": {"S": "C1"}, "sk": {"S": "TASK#1"}, "pad": {"S": "x" * extra_bytes}}
    item.update({k: {"S": v} for k, v in attrs.items()})
    return item


def test_a_write_is_billed_by_the_larger_item_in_kilobytes_twice_in_a_transaction():
    small, large = _item(100), _item(1500)
    assert write_units(None, small, [], KEYS) == 1
    assert write_units(small, large, [], KEYS) == 2
    assert write_units(large, small, [], KEYS, transactional=True) == 4


def test_index_entries_cost_a_write_when_put_changed_or_removed():
    out = _item(100)
    inbox = _item(100, inboxDept="SCJG", deadline="2026-12-01")
    moved = _item(100, inboxDept="SCJG", deadline="2026-12-03")
    assert write_units(None, out, INBOX, KEYS) == 1             # not in the index
    assert write_units(out, inbox, INBOX, KEYS) == 2            # enters it
    assert write_units(inbox, {**inbox, "x": {"S": "y"}}, INBOX, KEYS) == 2  # rewritten
    assert write_units(inbox, moved, INBOX, KEYS) == 3          # key changed: delete + put
    assert write_units(inbox, out, INBOX, KEYS) == 2            # leaves it
    keys_only = [(["inboxDept", "deadline"], [])]
    assert write_units(inbox, {**inbox, "x": {"S": "y"}}, keys_only, KEYS) == 1


def test_reads_are_billed_in_four_kilobytes_half_when_eventually_consistent():
    assert read_units([100], consistent=True) == 1
    assert read_units([3000, 3000], consistent=True) == 2
    assert read_units([3000, 3000], consistent=False) == 1


def test_write_units_by_table_are_named_as_the_template_names_the_tables():
    from bench.run import _by_table
    env = {"OW_SUPERVISION_TABLE": "onewindow-SupervisionTable-X1",
           "OW_CASES_TABLE": "onewindow-CasesTable-Y2", "OW_AREA_CODE": "440300"}
    assert _by_table(env, {"onewindow-CasesTable-Y2": 20,
                           "onewindow-SupervisionTable-X1": 31, "other": 1}) == {
        "supervision": 31, "cases": 20, "other": 1}
    assert list(_by_table(env, {"onewindow-CasesTable-Y2": 20,
                                "onewindow-SupervisionTable-X1": 31})) == ["supervision",
                                                                           "cases"]
