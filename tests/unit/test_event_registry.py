"""The registry of functions (chalicelib/events/registry.py) is what the handlers, the
stack template, the package and the local pump are made from: each of them agrees with it,
and what it names exists."""
import json
import re

import pytest
from chalice.utils import to_cfn_resource_name

from chalicelib.events import registry
from infra import template
from infra.local.pump import EventPump


@pytest.fixture(scope="module")
def event_sources():
    import app
    return {source.name: source for source in app.app.event_sources}


@pytest.fixture(scope="module")
def rendered():
    return template.render()


def test_every_handler_with_an_event_source_is_a_function_of_the_registry(event_sources):
    assert set(event_sources) == {f.handler for f in registry.FUNCTIONS if f.handler}


def test_each_handler_consumes_what_its_function_says(event_sources):
    for function in registry.FUNCTIONS:
        if function.api:
            continue
        source, consumes = event_sources[function.handler], function.source
        if isinstance(consumes, registry.Schedule):
            assert source.schedule_expression.to_string() == f"rate({consumes.minutes} minutes)"
            continue
        assert source.batch_size == function.batch_size
        if isinstance(consumes, registry.Queue):
            assert source.queue_arn == consumes.placeholder
            assert source.maximum_concurrency == function.concurrency
        else:
            assert source.stream_arn == consumes.placeholder
            assert source.starting_position == consumes.starting_position


def test_the_start_queue_is_capped_and_only_the_conclude_queue_reports_item_failures():
    starts = registry.by_handler("start_workflow")
    assert (starts.batch_size, starts.concurrency) == (10, 5)
    assert [f.name for f in registry.FUNCTIONS if f.reports_item_failures] == ["ConcludeCase"]
    with pytest.raises(KeyError):
        registry.by_handler("no_such_handler")


def test_function_names_are_the_ones_chalice_packages_them_under():
    names = [f.name for f in registry.FUNCTIONS]
    assert len(set(names)) == len(names)
    for function in registry.FUNCTIONS:
        if function.routes:     # not Chalice's: infra/package.py writes it
            assert function.api and function.named and function.name == function.named
            continue
        expected = "APIHandler" if function.api else to_cfn_resource_name(function.handler)
        assert function.name == expected


def test_a_function_serving_api_routes_serves_routes_the_api_has():
    import app
    served = {f"{method} {path}" for path, methods in app.app.routes.items()
              for method in methods}
    routed = [route for function in registry.FUNCTIONS for route in function.routes]
    assert routed and set(routed) <= served
    assert len(set(routed)) == len(routed)


def test_each_queue_is_consumed_once_and_has_its_own_dead_letter_queue():
    queues = [q.resource for q in registry.queues()]
    assert len(set(queues)) == len(queues)
    assert len(set(registry.DEAD_LETTER_QUEUES)) == len(registry.DEAD_LETTER_QUEUES)
    # Tests and the runbook read OW_DEAD_LETTER_QUEUE_URLS by position: new ones go last.
    assert registry.DEAD_LETTER_QUEUES[:4] == ("TasksDeadLetterQueue", "ConcludeDeadLetterQueue",
                                               "StartsDeadLetterQueue", "TimelineDeadLetterQueue")
    watch = registry.by_handler("dead_letter_watch")
    assert ("sqs", ("GetQueueAttributes",), registry.DEAD_LETTER_QUEUES) in watch.grants


def _granted(function):
    return {(f"{service}:{action}", resource) for service, actions, resources in function.grants
            for action in actions for resource in resources}


def test_each_role_allows_what_lambda_does_with_it():
    for function in registry.FUNCTIONS:
        assert registry.poller_grants(function) <= _granted(function), function.name
    timeline = registry.by_handler("case_timeline")
    assert ("sqs:SendMessage", "TimelineDeadLetterQueue") in registry.poller_grants(timeline)


def test_every_resource_a_grant_names_is_in_the_template(rendered):
    resources = rendered["Resources"]
    for function in registry.FUNCTIONS:
        for _service, _actions, names in function.grants:
            for name in names:
                logical = re.sub(r"\.(Stream|Objects|Executions)$", "", name)
                assert logical in resources, (function.name, name)
    secrets = {name for service, _, names in registry.API.grants if service == "secretsmanager"
               for name in names}
    assert secrets == set(template.SECRETS)


def test_the_template_has_each_consumers_queue_and_dead_letters(rendered):
    resources, outputs = rendered["Resources"], rendered["Outputs"]
    for queue in registry.queues():
        redrive = resources[queue.resource]["Properties"]["RedrivePolicy"]
        assert redrive["deadLetterTargetArn"] == {"Fn::GetAtt": [queue.dead_letters, "Arn"]}
        assert outputs[queue.url_output] == {"Value": {"Ref": queue.resource}}
    for name in registry.DEAD_LETTER_QUEUES:
        assert resources[name]["Properties"]["MessageRetentionPeriod"] == 1209600
    assert resources["MaterialsQueue"]["Properties"]["VisibilityTimeout"] == 120
    assert resources["StartsQueue"]["Properties"]["RedrivePolicy"]["maxReceiveCount"] == 8
    assert outputs["DeadLetterQueueUrls"]["Value"]["Fn::Join"][1] == [
        {"Ref": name} for name in registry.DEAD_LETTER_QUEUES]


def _names(node, local=()):
    """The logical ids a template fragment refers to (Ref, Fn::GetAtt, Fn::Sub)."""
    if isinstance(node, list):
        for value in node:
            yield from _names(value, local)
    if not isinstance(node, dict):
        return
    for key, value in node.items():
        if key == "Ref":
            yield value
        elif key == "Fn::GetAtt":
            yield value[0]
        elif key == "Fn::Sub":
            body, variables = (value, {}) if isinstance(value, str) else value
            for name in re.findall(r"\$\{([^!}][^}]*)\}", body):
                if name.split(".")[0] not in variables:
                    yield name.split(".")[0]
            yield from _names(variables)
        else:
            yield from _names(value)


def test_every_reference_in_the_template_resolves(rendered):
    """A consumer taken out of the registry takes its queues with it: nothing else in
    infra/template.json may still name them."""
    known = set(rendered["Resources"]) | set(rendered["Parameters"])
    unknown = {name for name in _names(rendered) if not name.startswith("AWS::")} - known
    assert unknown == set()


def test_a_template_defining_a_consumers_queue_itself_is_refused(tmp_path, monkeypatch):
    written = json.loads(template.TEMPLATE.read_text("utf-8"))
    written["Resources"]["TasksQueue"] = {"Type": "AWS::SQS::Queue"}
    copy = tmp_path / "template.json"
    copy.write_text(json.dumps(written), "utf-8")
    monkeypatch.setattr(template, "TEMPLATE", copy)
    with pytest.raises(ValueError, match="TasksQueue"):
        template.render()


def test_the_pump_reads_each_handlers_queue_or_stream_from_the_environment(event_sources):
    import app
    env = {q.env: f"https://sqs.local/{q.resource}" for q in registry.queues()}
    env.update({s.env: f"arn:stream/{s.table}" for s in registry.streams()})
    pump = EventPump(app.app, env, "cn-north-1", endpoint_url="http://127.0.0.1:9")
    try:
        wired = {source.source.name: getattr(source, "url", None) or source.arn
                 for source in pump.sources}
        assert wired == {
            f.handler: env[f.source.env] for f in registry.FUNCTIONS
            if isinstance(f.source, registry.Queue | registry.Stream)}
        assert {s[0].name for s in pump.schedules} == {
            f.handler for f in registry.FUNCTIONS if isinstance(f.source, registry.Schedule)}
    finally:
        pump.close()
