"""Lights, notices and the bulletin over a workspace of plans, and the bulletin's
"completed since" as `report --since` gives it."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from measures.domain.lights import Light
from measures.domain.notice import build_notice
from measures.domain.plans import views
from measures.ledger.workspace import read_folder
from measures.render import charts

from .conftest import Run
from .docx_helpers import AS_OF, document, first_column, sample, text_of

DAY = date(2026, 3, 2)

# Plan a warns 30 days ahead; plan b keeps the default 14. 区税务局 goes by its long name
# in some measures, which units.toml maps to it.
PLAN_A = """\
[plan]
name = "甲方案"
issued = 2026-01-01
key = "a"
yellow_days = 30

[[measures]]
id = 1
title = "甲一：逾期未办"
owner = "区税务局"
deadline = 2026-02-20
status = "todo"

[[measures]]
id = 2
title = "甲二：30天内到期"
owner = "区财政局"
partners = ["国家税务总局包头市昆都仑区税务局"]
deadline = 2026-03-25
status = "doing"

[[measures.log]]
at = 2026-02-25T09:00:00+08:00
by = "wang"
action = "note"
note = "推进中"

[[measures]]
id = 3
title = "甲三：长期坚持"
owner = "区税务局"
deadline_text = "长期坚持"
status = "doing"

[[measures.log]]
at = 2026-02-26T09:00:00+08:00
by = "wang"
action = "note"
note = "常态化开展"

[[measures]]
id = 4
title = "甲四：已完成"
owner = "区税务局"
deadline = 2026-12-31
status = "done"
done_on = 2026-02-10

[[measures.log]]
at = 2026-02-10T09:00:00+08:00
by = "wang"
action = "done"
from = "doing"
to = "done"
"""

PLAN_B = """\
[plan]
name = "乙方案"
issued = 2026-02-15
key = "b"

[[measures]]
id = 1
title = "乙一：8天后到期"
owner = "国家税务总局包头市昆都仑区税务局"
deadline = 2026-03-10
status = "todo"

[[measures]]
id = 2
title = "乙二：受阻逾期"
owner = "区财政局"
partners = ["区税务局"]
deadline = 2026-01-31
status = "blocked"

[[measures]]
id = 3
title = "乙三：23天后到期"
owner = "区税务局"
deadline = 2026-03-25
status = "todo"

[[measures]]
id = 5
title = "乙五：长期坚持"
owner = "区税务局"
deadline_text = "长期坚持"
status = "todo"
"""

UNITS = """\
[[units]]
name = "区税务局"
aliases = ["国家税务总局包头市昆都仑区税务局"]
"""


@pytest.fixture
def plans(isolated: Path) -> Path:
    folder = isolated / "plans"
    folder.mkdir()
    (folder / "a.toml").write_text(PLAN_A, encoding="utf-8")
    (folder / "b.toml").write_text(PLAN_B, encoding="utf-8")
    (folder / "units.toml").write_text(UNITS, encoding="utf-8")
    return folder


def keyed(run: Run, *args: str) -> list[tuple[str, int, str | None]]:
    result = run("list", *AS_OF, "--format", "json", *args)
    assert result.exit_code == 0, result.stderr
    return [(r["plan"], r["id"], r["light"]) for r in json.loads(result.stdout)]


class TestList:
    def test_each_measure_lit_by_its_own_plans_thresholds(self, run: Run, plans: Path) -> None:
        assert keyed(run) == [
            ("a", 1, "red"),
            ("a", 2, "yellow"),  # 23 days ahead: within plan a's 30
            ("a", 3, "green"),  # ongoing: never red, and reported lately
            ("a", 4, "green"),
            ("b", 1, "yellow"),
            ("b", 2, "red"),
            ("b", 3, "green"),  # 23 days ahead too, but plan b warns at 14
            ("b", 5, "green"),  # ongoing
        ]

    def test_light_red_across_plans(self, run: Run, plans: Path) -> None:
        assert keyed(run, "--light", "red") == [("a", 1, "red"), ("b", 2, "red")]
        assert keyed(run, "--light", "黄") == [("a", 2, "yellow"), ("b", 1, "yellow")]
        single = json.loads(
            run("list", *AS_OF, "--format", "json", "--light", "red", "--plan", "b").stdout
        )
        assert [(r["id"], r["light"]) for r in single] == [(2, "red")] and "plan" not in single[0]

    def test_the_table_has_the_plan_and_the_light(
        self, run: Run, plans: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setenv("COLUMNS", "120")
        result = run("--lang", "zh", "list", *AS_OF, "--light", "red")
        assert result.exit_code == 0, result.stderr
        lines = result.stdout.splitlines()
        assert lines[0].split() == [
            "方案",
            "编号",
            "举措",
            "牵头单位",
            "完成时限",
            "预警",
            "状态",
            "逾期",
        ]
        rows = [line.split() for line in lines[2:] if line.strip() and line.split()[0] in "ab"]
        assert [(row[0], row[1], row[5]) for row in rows] == [
            ("a", "1", "红灯"),
            ("b", "2", "红灯"),
        ]
        csv = run("list", *AS_OF, "--light", "red", "--format", "csv").stdout.splitlines()
        assert csv[0].startswith("plan,id,") and csv[0].endswith(",owner_basis,light")
        assert [line.split(",")[0] for line in csv[1:]] == ["a", "b"]
        assert all(line.endswith(",red") for line in csv[1:])

    def test_export_json_lights_them_by_the_plans_thresholds(
        self, run: Run, isolated: Path
    ) -> None:
        # `export` has no --as-of: a deadline 100 days from today, yellow by the plan's 365.
        today = date.today()
        (isolated / "measures.toml").write_text(
            f'[plan]\nname = "方案"\nissued = {today.isoformat()}\nyellow_days = 365\n\n'
            f'[[measures]]\nid = 1\ntitle = "甲"\nowner = "区税务局"\n'
            f"deadline = {date.fromordinal(today.toordinal() + 100).isoformat()}\n"
            'status = "todo"\n',
            encoding="utf-8",
        )
        assert run("export", "--format", "json", "-o", "a.json").exit_code == 0
        exported = json.loads((isolated / "a.json").read_text(encoding="utf-8"))
        listed = json.loads(run("list", "--format", "json").stdout)
        assert [m["light"] for m in exported] == [m["light"] for m in listed] == ["yellow"]


class TestReport:
    def test_light_counts_across_plans(self, run: Run, plans: Path) -> None:
        whole = json.loads(run("report", *AS_OF, "--format", "json").stdout)
        assert whole["lights"] == {"red": 2, "yellow": 2, "green": 4}
        each = {
            key: json.loads(run("report", *AS_OF, "--format", "json", "--plan", key).stdout)
            for key in ("a", "b")
        }
        assert [row["lights"] for row in whole["by_plan"]] == [
            each["a"]["lights"],
            each["b"]["lights"],
        ]
        assert each["a"]["lights"] == {"red": 1, "yellow": 1, "green": 2}
        # By owner across the plans (canonical names), each by its own plan's thresholds.
        owners = {row["owner"]: row["lights"] for row in whole["by_owner"]}
        assert owners["区税务局"] == {"red": 1, "yellow": 1, "green": 4}
        assert owners["区财政局"] == {"red": 1, "yellow": 1, "green": 0}

    def test_the_table_by_plan_counts_the_lights(
        self, run: Run, plans: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setenv("COLUMNS", "100")
        out = run("--lang", "en", "report", *AS_OF).stdout
        by_plan = out[out.index("By plan") : out.index("By unit")]
        assert [
            line.split()[-2] for line in by_plan.splitlines() if line.startswith(("a ", "b "))
        ] == [
            "1/1/2",
            "1/1/2",
        ]


class TestNotice:
    def test_a_unit_owes_its_red_and_yellow_measures_of_both_plans(self, plans: Path) -> None:
        workspace = read_folder(plans)
        both = [(view.key, view.ledger) for view in views(workspace)]
        from measures.domain.plans import units_of

        notice = build_notice(both, "区税务局", DAY, names=units_of(workspace))
        assert notice.plans == ("甲方案", "乙方案")
        # Lead: a:1 red; b:1 yellow (written under the unit's long name). Not the green
        # ones: a:3 and b:5 ongoing, a:4 done, b:3 due beyond plan b's 14 days.
        assert [(i.ident, i.light) for i in notice.led] == [
            ("a:1", Light.RED),
            ("b:1", Light.YELLOW),
        ]
        # Partner: b:2 red first, then a:2 yellow (partner under the long name).
        assert [(i.ident, i.light) for i in notice.partnered] == [
            ("b:2", Light.RED),
            ("a:2", Light.YELLOW),
        ]

    def test_the_command_over_the_workspace(self, run: Run, plans: Path, isolated: Path) -> None:
        # Found by its other name (units.toml), shown by its canonical one.
        result = run(
            "--lang", "zh", "notice", "国家税务总局包头市昆都仑区税务局", *AS_OF, "-o", "n.docx"
        )
        assert result.exit_code == 0, result.stderr
        doc = document(isolated / "n.docx")
        text = text_of(doc)
        assert "区税务局：" in text and "根据《甲方案》《乙方案》" in text
        led, partnered, _reply = doc.tables
        assert first_column(led) == ["a:1", "b:1"]
        assert first_column(partnered) == ["b:2", "a:2"]
        assert [row.cells[2].text for row in partnered.rows[1:]] == ["区财政局", "区财政局"]
        assert [row.cells[6].text for row in partnered.rows[1:]] == ["红灯", "黄灯"]

    def test_plan_narrows_to_one(self, run: Run, plans: Path) -> None:
        result = run("notice", "税务", *AS_OF, "--plan", "b", "--format", "markdown")
        assert result.exit_code == 0, result.stderr
        assert "| 1 | 乙一：8天后到期 |" in result.stdout
        assert "a:" not in result.stdout and "b:" not in result.stdout and "甲" not in result.stdout

    def test_all_writes_the_units_that_owe_in_any_plan(
        self, run: Run, plans: Path, isolated: Path
    ) -> None:
        result = run("notice", "--all", *AS_OF, "--format", "markdown", "--output-dir", "out")
        assert result.exit_code == 0, result.stderr
        assert sorted(p.name for p in (isolated / "out").iterdir()) == [
            "区税务局.markdown",
            "区财政局.markdown",
        ]


def test_an_inferred_lead_is_marked_in_the_notice_and_the_bulletin(
    run: Run, isolated: Path
) -> None:
    (isolated / "measures.toml").write_text(
        PLAN_B.replace('key = "b"\n', "").replace(
            'owner = "区税务局"\ndeadline = 2026-03-25',
            'owner = "区税务局"\nowner_basis = "inferred"\ndeadline = 2026-02-25',
        ),
        encoding="utf-8",
    )
    notice = run("--lang", "zh", "notice", "区税务局", *AS_OF, "--format", "markdown").stdout
    assert "第3项的牵头单位来源未列明，系推定为你单位" in notice
    assert run("--lang", "zh", "report", *AS_OF, "--format", "docx", "-o", "b.docx").exit_code == 0
    doc = document(isolated / "b.docx")
    ranked, late, *_rest = doc.tables
    assert "区税务局（推定）" in [row.cells[1].text for row in ranked.rows[1:]]
    assert ["3", "区税务局（推定）"] in [
        [row.cells[0].text, row.cells[2].text] for row in late.rows
    ]


def completed_rows(doc: Any) -> list[tuple[str, str]]:
    """The bulletin's table of what was completed, as (id, day); [] when it has none."""
    for table in doc.tables:
        if table.rows[0].cells[-1].text == "Completed on":
            return [(row.cells[0].text, row.cells[3].text) for row in table.rows[1:]]
    return []


class TestCompletedSince:
    def test_the_bulletin_lists_what_report_since_json_gives(
        self, run: Run, isolated: Path
    ) -> None:
        sample(isolated)
        seen = set()
        for since in ("2026-01-01", "2026-02-01", "2026-02-14", "2026-03-02"):
            data = json.loads(run("report", *AS_OF, "--since", since, "--format", "json").stdout)
            wanted = [(str(item["id"]), item["day"]) for item in data["since"]["completed"]]
            seen.add(len(wanted))
            result = run(
                "--lang", "en", "report", *AS_OF, "--since", since, "--format", "docx",
                "-o", "b.docx",
            )  # fmt: skip
            assert result.exit_code == 0, result.stderr
            doc = document(isolated / "b.docx")
            assert completed_rows(doc) == wanted, since
            if not wanted:
                assert "None." in text_of(doc)
        assert 0 in seen and len(seen) > 1  # some periods with completions, one without

    def test_over_a_workspace_too(self, run: Run, plans: Path, isolated: Path) -> None:
        args = (*AS_OF, "--since", "2026-02-01")
        data = json.loads(run("report", *args, "--format", "json").stdout)
        assert [(i["id"], i["day"]) for i in data["since"]["completed"]] == [(4, "2026-02-10")]
        result = run("--lang", "en", "report", *args, "--format", "docx", "-o", "b.docx")
        assert result.exit_code == 0, result.stderr
        doc = document(isolated / "b.docx")
        assert "Bulletin on the progress of “甲方案”, “乙方案”" in text_of(doc)
        assert completed_rows(doc) == [("a:4", "2026-02-10")]
        # The burn-up's note of a deadline beyond its axis, under the chart's image.
        if charts.available():
            assert "1 more measure is due on 2026-12-31." in text_of(doc)
