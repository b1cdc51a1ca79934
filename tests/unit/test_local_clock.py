"""The local stack's clock set ahead (`make clock`): read by services/clock.py whenever
its file changes, refused in Lambda."""
import json
from datetime import UTC, datetime, timedelta

import pytest

from chalicelib import config, wiring
from chalicelib.services import clock
from infra.local import clock as local_clock


@pytest.fixture
def clock_file(tmp_path, monkeypatch):
    monkeypatch.setenv("OW_LOCAL_DIR", str(tmp_path))   # this stack's files (paths.py)
    path = tmp_path / "local-clock.json"
    monkeypatch.setenv("OW_CLOCK_FILE", str(path))
    config.reset()
    yield path
    monkeypatch.undo()
    config.reset()


def test_spans():
    assert local_clock.parse_span("2d") == timedelta(days=2)
    assert local_clock.parse_span("1d12h30m") == timedelta(days=1, hours=12, minutes=30)
    for bad in ("", "2", "2w", "d2", "2d 3h", "-1d"):
        with pytest.raises(ValueError):
            local_clock.parse_span(bad)


def test_the_service_clock_follows_the_file(clock_file, monkeypatch, capsys):
    real = datetime.now(UTC)
    assert abs(clock.now() - real) < timedelta(seconds=5)  # no file yet: the real time
    assert local_clock.main(["advance", "3d"]) == 0
    assert abs(clock.now() - real - timedelta(days=3)) < timedelta(seconds=5)
    assert local_clock.main(["advance", "6h"]) == 0
    assert json.loads(clock_file.read_text())["offsetSeconds"] == 3 * 86400 + 6 * 3600
    assert abs(clock.now() - real - timedelta(days=3, hours=6)) < timedelta(seconds=5)
    shown = json.loads(capsys.readouterr().out.splitlines()[-1])
    assert shown["offsetSeconds"] == 3 * 86400 + 6 * 3600
    assert local_clock.main(["reset"]) == 0
    assert abs(clock.now() - real) < timedelta(seconds=5)


def test_a_function_in_lambda_refuses_the_local_clock(clock_file, monkeypatch):
    monkeypatch.setenv("AWS_LAMBDA_FUNCTION_NAME", "onewindow-dev-OverdueSweep")
    with pytest.raises(RuntimeError, match="never in Lambda"):
        wiring.configure()


def test_working_days_land_mid_morning_past_weekends_and_holidays():
    from zoneinfo import ZoneInfo
    shanghai = ZoneInfo("Asia/Shanghai")
    friday_evening = datetime(2026, 11, 27, 21, 30, tzinfo=shanghai)
    assert local_clock.workdays_on(friday_evening, 1, shanghai) == \
        datetime(2026, 11, 30, 10, tzinfo=shanghai)  # Monday
    # 23:30 UTC on Thursday is Friday in Shanghai: days count from the region's date.
    assert local_clock.workdays_on(datetime(2026, 11, 26, 23, 30, tzinfo=UTC), 2,
                                   shanghai) == datetime(2026, 12, 1, 10, tzinfo=shanghai)
    # National Day (1-7 October 2026) is skipped.
    assert local_clock.workdays_on(datetime(2026, 9, 30, 9, tzinfo=shanghai), 1, shanghai) \
        .date() > datetime(2026, 10, 7).date()
    assert local_clock.parse_advance("4wd") == 4
    assert local_clock.parse_advance("1d") == timedelta(days=1)
    for bad in ("wd", "4w", "1.5wd", "4wd2h"):
        with pytest.raises(ValueError):
            local_clock.parse_advance(bad)


def test_advancing_working_days_moves_the_service_clock(clock_file, monkeypatch, capsys):
    monkeypatch.setenv("OW_TIMEZONE", "Asia/Shanghai")
    assert local_clock.main(["advance", "3wd"]) == 0
    moved = clock.now().astimezone(clock.zone())
    from chalicelib.domain.workdays import add_workdays
    today = datetime.now(UTC).astimezone(clock.zone()).date()
    assert (moved.date(), moved.hour) == (add_workdays(today, 3), 10)
    assert local_clock.main(["advance", "0wd"]) == 0  # never back
    assert clock.now() >= moved


def test_advancing_working_days_shows_10_00_however_slow_the_command(clock_file,
                                                                      monkeypatch, capsys):
    """`make clock ARGS="advance 1wd"` prints the moment it set the clock to — 10:00
    exactly — even when the machine is so loaded that seconds pass while it runs (each
    reading of the real time here is 7 s after the one before)."""
    from zoneinfo import ZoneInfo
    start = datetime(2026, 12, 1, 1, 0, tzinfo=UTC)   # Tuesday 09:00 in Shanghai
    readings = iter(start + timedelta(seconds=7 * n) for n in range(100))

    class SlowMachine(datetime):
        @classmethod
        def now(cls, tz=None):
            return next(readings)
    monkeypatch.setattr(local_clock, "datetime", SlowMachine)
    monkeypatch.setattr(local_clock, "_region_zone", lambda: ZoneInfo("Asia/Shanghai"))
    assert local_clock.main(["advance", "1wd"]) == 0
    shown = json.loads(capsys.readouterr().out.splitlines()[-1])
    assert shown["now"] == "2026-12-02T02:00:00Z"   # Wednesday 10:00 in Shanghai
