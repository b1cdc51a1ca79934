"""The materials bucket's CORS rule names the stage's front ends, never any origin: each
stage's deployment template sets them from its OW_CORS_ORIGINS, the local stack from its
portal's."""
import pytest

from infra import package, template

STAGES = sorted(package.stages())


def _bucket_origins(resources: dict):
    (rule,) = resources["MaterialsBucket"]["Properties"]["CorsConfiguration"]["CorsRules"]
    return rule["AllowedOrigins"]


def test_the_bucket_takes_posts_from_the_front_end_origins_parameter_only():
    rendered = template.render()
    assert _bucket_origins(rendered["Resources"]) == {"Ref": "FrontEndOrigins"}
    assert rendered["Parameters"]["FrontEndOrigins"]["Type"] == "CommaDelimitedList"
    assert "*" not in rendered["Parameters"]["FrontEndOrigins"]["Default"]


@pytest.mark.parametrize("stage", STAGES)
def test_each_stage_sets_them_to_its_cors_origins(stage):
    merged = package.merge_template(stage)
    origins = package.stages()[stage]["environment_variables"]["OW_CORS_ORIGINS"]
    assert merged["Parameters"]["FrontEndOrigins"]["Default"] == origins
    assert merged["Parameters"]["FrontEndOrigins"]["Type"] == "CommaDelimitedList"


def test_a_stage_without_front_end_origins_is_not_packaged(monkeypatch):
    stages = package.stages()
    stage = STAGES[0]
    bare = {**stages[stage], "environment_variables": {
        k: v for k, v in stages[stage]["environment_variables"].items()
        if k != "OW_CORS_ORIGINS"}}
    monkeypatch.setattr(package, "stages", lambda: {**stages, stage: bare})
    with pytest.raises(SystemExit, match="OW_CORS_ORIGINS"):
        package.merge_template(stage)
