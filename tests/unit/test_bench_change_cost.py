"""The change-cost bench (bench/change_cost.py): its recorded walk-throughs agree with the
code as it is and with CONTRIBUTING.md, and its measures find what they look for."""
import json
import re
import subprocess
from pathlib import Path

from bench import change_cost

ROOT = Path(__file__).resolve().parents[2]
WALK_AGAIN = ("the recorded walk-through no longer says what a new one costs: walk it again "
              "and update bench/change_cost.py and CONTRIBUTING.md")


def test_the_recorded_walk_throughs_still_hold_for_the_code_as_it_is():
    result = change_cost.run()
    decision = result["add_review_decision"]["check"]
    assert decision["naming_decisions_now"] == decision["recorded"], WALK_AGAIN
    consumer = result["add_event_consumer"]["check"]
    assert set(consumer["naming_each_lifecycle_consumer_now"]) == {
        "record_supervision", "send_notifications", "count_statistics"}
    for places in consumer["naming_each_lifecycle_consumer_now"].values():
        assert places == consumer["recorded"], WALK_AGAIN
    assert result["pass"] is True
    assert (result["add_review_decision"]["files"], result["add_review_decision"]["by_hand"],
            result["add_event_consumer"]["files"], result["add_event_consumer"]["edits"]) == (
        10, 7, 4, 6)


def _section(text: str, heading: str) -> str:
    """A section of `text`, its lines joined (a phrase may break across two)."""
    start = text.index(f"## {heading}\n")
    return " ".join(text[start:text.index("\n## ", start + 1)].split())


def test_contributing_prints_the_recorded_counts_and_files():
    text = (ROOT / "CONTRIBUTING.md").read_text("utf-8")
    decision = _section(text, "Adding a review decision")
    by_hand = len(change_cost.DECISION_BY_HAND)
    total = by_hand + len(change_cost.DECISION_REGENERATED)
    assert f"**{total} files, {by_hand} of them by hand**" in decision
    for name in change_cost.DECISION_BY_HAND + change_cost.DECISION_REGENERATED:
        assert f"`{name}`" in decision, name
    consumer = _section(text, "Adding an event consumer")
    edits = sum(change_cost.CONSUMER_EDITS.values())
    assert f"**{len(change_cost.CONSUMER_EDITS)} files, {edits} edits**" in consumer
    for name in change_cost.CONSUMER_EDITS:
        assert f"`{name}`" in consumer, name


def _repository(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, "utf-8")
    subprocess.run(["git", "init", "-q"], cwd=root, check=True)
    subprocess.run(["git", "add", "."], cwd=root, check=True)
    return root


def test_a_decision_named_anywhere_but_the_table_tests_and_written_text_is_found(tmp_path):
    root = _repository(tmp_path, {
        "chalicelib/domain/decisions.py": 'Name = Literal["accept", "not_accept"]\n',
        "chalicelib/services/routing.py": 'if decision in ("refuse", "not_accept"):\n',
        "chalicelib/services/other.py": "error = 'material_not_accepted'\n",
        "docs/api.md": "`accept` | `not_accept`\n",
        "docs/events.md": "<!-- event-fields: x -->\n| `not_accept` |\n<!-- /event-fields -->\n",
        "docs/events.schema.json": '{"enum": ["not_accept"]}\n',
        "tests/unit/test_x.py": '"not_accept"\n'})
    assert change_cost.decision_places(root) == ["chalicelib/services/routing.py",
                                                 "docs/api.md"]


def test_the_template_edits_are_the_lists_that_name_a_queue():
    template = {"Resources": {
        "Rule": {"Properties": {"Targets": [
            {"Id": "x", "Arn": {"Fn::GetAtt": ["XQueue", "Arn"]},
             "DeadLetterConfig": {"Arn": {"Fn::GetAtt": ["XDeadLetterQueue", "Arn"]}}},
            {"Id": "y", "Arn": {"Fn::GetAtt": ["YQueue", "Arn"]}}]}},
        "Policy": {"Properties": {
            "Queues": [{"Ref": "XQueue"}, {"Ref": "XDeadLetterQueue"}, {"Ref": "YQueue"}],
            "PolicyDocument": {"Statement": [{"Resource": [
                {"Fn::GetAtt": ["XQueue", "Arn"]}, {"Fn::GetAtt": ["YQueue", "Arn"]}]}]}}},
        "Other": {"Properties": {"Names": ["ZQueue"]}}}}
    names = {"XQueue", "XDeadLetterQueue"}
    assert change_cost._lists_naming(json.loads(json.dumps(template)), names) == 3
    assert change_cost._lists_naming(template, {"ZQueue"}) == 1
    assert change_cost._lists_naming(template, {"Nothing"}) == 0


def test_the_written_table_is_what_infra_events_schema_writes():
    from infra import events_schema
    page = events_schema.PAGE.read_text("utf-8")
    assert len(change_cost.WRITTEN_TABLE.findall(page)) == 1
    assert re.search(r"\bnot_accept\b", change_cost.WRITTEN_TABLE.search(page).group())
