"""Many plans, one office: a workspace of plan files, plan keys, KEY:ID, units (issue 15)."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import pytest

from measures.domain.reports import build_office_report, build_report
from measures.domain.units import Units
from measures.ledger.store import read_ledger
from measures.ledger.workspace import Unit, read_folder

from .conftest import Run

YSHJ = """\
[plan]
name = "昆区营商环境“最佳实践”行动方案"
issued = 2020-11-06
key = "yshj"

[[measures]]
id = 1
title = "企业名称自主申报"
owner = "区市场监督管理局"
partners = ["区政务服务局"]
deadline = 2020-12-31
status = "done"
done_on = 2020-12-20

[[measures]]
id = 3
title = "推行电子税务局"
owner = "区税务局"
partners = ["区财政局"]
deadline = 2020-12-31
status = "todo"
"""

# The same units under other names: 国家税务总局… is 区税务局, 区市场监管局 is 区市场监督管理局.
ZSYZ = """\
[plan]
name = "昆区招商引资行动方案"
issued = 2020-10-28

[[measures]]
id = 3
title = "招商项目税收服务"
owner = "国家税务总局包头市昆都仑区税务局"
deadline = 2021-06-30
status = "doing"

[[measures]]
id = 4
title = "市场准入便利化"
owner = "区发展和改革委员会"
partners = ["区市场监管局"]
deadline = 2021-03-31
status = "todo"
"""

YQJS = """\
[plan]
name = "园区建设三年行动方案（2021—2023年）"
key = "yqjs"

[[measures]]
id = 7
title = "园区道路改造"
owner = "区住房和城乡建设局"
deadline = 2023-12-31
status = "doing"
"""

UNITS = """\
[[units]]
name = "区市场监督管理局"
aliases = ["区市场监管局"]

[[units]]
name = "区税务局"
aliases = ["国家税务总局包头市昆都仑区税务局"]
"""


@pytest.fixture
def plans(isolated: Path) -> Path:
    """A workspace of three plans and units.toml, as `plans/` in the test's folder."""
    folder = isolated / "plans"
    folder.mkdir()
    (folder / "a-yshj.toml").write_text(YSHJ, encoding="utf-8")
    (folder / "zsyz.toml").write_text(ZSYZ, encoding="utf-8")
    (folder / "zz-yqjs.toml").write_text(YQJS, encoding="utf-8")
    (folder / "units.toml").write_text(UNITS, encoding="utf-8")
    (folder / "notes.toml").write_text('title = "not a plan"\n', encoding="utf-8")
    return folder


def listed(run: Run, *args: str) -> list[tuple[str, int]]:
    result = run("list", "--format", "json", *args)
    assert result.exit_code == 0, result.stderr
    return [(record["plan"], record["id"]) for record in json.loads(result.stdout)]


def test_the_folder_is_found_as_plans_without_file_and_keys_come_from_plan_or_stem(
    run: Run, plans: Path
) -> None:
    assert listed(run) == [("yshj", 1), ("yshj", 3), ("zsyz", 3), ("zsyz", 4), ("yqjs", 7)]
    assert listed(run, "-f", str(plans)) == listed(run)


def test_list_unit_finds_a_units_measures_as_owner_and_partner_across_plans(
    run: Run, plans: Path
) -> None:
    # 区市场监督管理局 leads yshj:1 and, as 区市场监管局, partners zsyz:4.
    assert listed(run, "--unit", "市场监督") == [("yshj", 1), ("zsyz", 4)]
    assert listed(run, "--unit", "市场监管局") == [("yshj", 1), ("zsyz", 4)]
    # 区税务局 leads yshj:3 and, by its official name, zsyz:3.
    assert listed(run, "--owner", "区税务局") == [("yshj", 3), ("zsyz", 3)]
    assert listed(run, "--owner", "国家税务总局") == [("yshj", 3), ("zsyz", 3)]
    assert listed(run, "--partner", "财政") == [("yshj", 3)]
    assert listed(run, "--search", "政务服务") == [("yshj", 1)]  # a partner's name
    table = run("list", "--unit", "税务").stdout
    assert "Plan" in table and "zsyz" in table and "国家税务总局" not in table


def test_a_bare_id_in_one_plan_is_taken_and_one_in_two_lists_the_candidates(
    run: Run, plans: Path
) -> None:
    shown = json.loads(run("show", "4", "--format", "json").stdout)
    assert (shown["plan"], shown["title"]) == ("zsyz", "市场准入便利化")
    ambiguous = run("show", "3")
    assert ambiguous.exit_code == 1
    assert "3 is in yshj and zsyz: write yshj:3 or zsyz:3" in ambiguous.stderr
    qualified = json.loads(run("show", "zsyz:3", "--format", "json").stdout)
    assert qualified["title"] == "招商项目税收服务"
    unknown = run("show", "nope:3")
    assert unknown.exit_code == 1 and "no plan has the key nope" in unknown.stderr
    missing = run("show", "99")
    assert missing.exit_code == 1 and "no measure has id 99" in missing.stderr


def test_a_write_to_key_id_changes_only_that_plans_file(run: Run, plans: Path) -> None:
    before = {path.name: path.read_bytes() for path in plans.glob("*.toml")}
    refused = run("done", "3")
    assert refused.exit_code == 1 and "write yshj:3 or zsyz:3" in refused.stderr
    assert {path.name: path.read_bytes() for path in plans.glob("*.toml")} == before
    result = run("done", "zsyz:3", "--on", "2021-05-01", "--by", "wang")
    assert result.exit_code == 0, result.stderr
    after = {path.name: path.read_bytes() for path in plans.glob("*.toml")}
    assert [name for name in after if after[name] != before[name]] == ["zsyz.toml"]
    assert read_ledger(plans / "zsyz.toml").ledger.get(3).done_on == date(2021, 5, 1)
    # Its lock and journal are beside that file, as with one ledger; undo takes it back.
    assert (plans / ".measures" / "zsyz.toml.undo").exists()
    undone = run("undo")
    assert undone.exit_code == 0, undone.stderr
    assert "zsyz.toml" in undone.stderr
    assert {path.name: path.read_bytes() for path in plans.glob("*.toml")} == before


def test_ids_in_two_plans_in_one_command_are_refused_and_nothing_written(
    run: Run, plans: Path
) -> None:
    before = {path.name: path.read_bytes() for path in plans.glob("*.toml")}
    result = run("start", "yshj:3", "zsyz:4")
    assert result.exit_code == 1 and "different plans" in result.stderr
    assert {path.name: path.read_bytes() for path in plans.glob("*.toml")} == before


def test_add_in_several_plans_needs_plan(run: Run, plans: Path) -> None:
    refused = run("add", "--title", "新举措", "--owner", "区税务局", "--deadline", "2021-12-31")
    assert refused.exit_code == 1 and "--plan KEY" in refused.stderr
    added = run(
        "add", "--title", "新举措", "--owner", "区税务局", "--deadline", "2021-12-31",
        "--plan", "yqjs",
    )  # fmt: skip
    assert added.exit_code == 0, added.stderr
    assert [m.id for m in read_ledger(plans / "zz-yqjs.toml").ledger.measures] == [7, 8]


def test_report_json_totals_are_the_sum_of_the_plans_own_reports(run: Run, plans: Path) -> None:
    whole = json.loads(run("report", "--format", "json").stdout)
    own = [
        json.loads(run("report", "--format", "json", "-f", str(path)).stdout)
        for path in sorted(plans.glob("*.toml"))
        if path.name not in ("units.toml", "notes.toml")
    ]
    for key in ("total", "complete", "done", "verified", "in_progress"):
        assert whole[key] == sum(report[key] for report in own), key
    assert len(whole["overdue"]) == sum(len(report["overdue"]) for report in own)
    assert [row["plan"] for row in whole["by_plan"]] == ["yshj", "zsyz", "yqjs"]
    assert [row["total"] for row in whole["by_plan"]] == [r["total"] for r in own]
    units = {row["unit"]: row for row in whole["by_unit"]}
    assert units["区税务局"]["owner"] == {"total": 2, "complete": 0, "overdue": 2}
    assert units["区市场监督管理局"]["owner"]["total"] == 1
    assert units["区市场监督管理局"]["partner"]["total"] == 1
    assert {item["plan"] for item in whole["overdue"]} == {"yshj", "zsyz", "yqjs"}


@pytest.mark.parametrize("output", ["table", "markdown", "csv", "html"])
def test_every_report_format_carries_the_plans_and_units(
    run: Run, plans: Path, output: str
) -> None:
    result = run("report", "--format", output)
    assert result.exit_code == 0, result.stderr
    for text in ("yshj", "zsyz", "yqjs", "区税务局", "区市场监督管理局"):
        assert text in result.stdout, (output, text)
    assert "国家税务总局" not in result.stdout  # grouped under the canonical name


def test_the_office_report_core_counts_owners_and_partners_apart() -> None:
    from measures.model.parse import parse_ledger

    a, b = parse_ledger(YSHJ, "a.toml"), parse_ledger(ZSYZ, "b.toml")
    units = Units([Unit("区税务局", ("国家税务总局包头市昆都仑区税务局",))])
    today = date(2021, 1, 15)
    report = build_office_report([("a", a), ("b", b)], today, 14, units)
    assert report.total == build_report(a, today).total + build_report(b, today).total
    rows = {row.unit: row for row in report.units}
    assert (rows["区税务局"].led, rows["区财政局"].partnered) == (2, 1)
    assert report.overdue_plans == ("a",)


def test_the_due_soon_measures_carry_their_plan_in_every_format(run: Run, plans: Path) -> None:
    # As of 2021-03-20, zsyz:4 (due 2021-03-31) is due within 14 days, and nothing else.
    a, b = (read_ledger(plans / name).ledger for name in ("a-yshj.toml", "zsyz.toml"))
    core = build_office_report([("yshj", a), ("zsyz", b)], date(2021, 3, 20), 14)
    assert [(m.id, left) for m, left in core.due_soon] == [(4, 11)]
    assert core.due_soon_plans == ("zsyz",)
    asked = ("report", "--as-of", "2021-03-20", "--format")
    whole = json.loads(run(*asked, "json").stdout)
    assert [(item["plan"], item["id"]) for item in whole["due_soon"]] == [("zsyz", 4)]
    assert list(whole["due_soon"][0])[:2] == ["plan", "id"]
    table = run(*asked, "table").stdout
    soon = table[table.index("Due within 14 days") :].splitlines()
    assert soon[1].split()[:3] == ["Days", "left", "Plan"]
    assert soon[3].split()[:3] == ["11", "zsyz", "4"]
    markdown = run(*asked, "markdown").stdout
    assert "| 11 | zsyz | 4 | 市场准入便利化 |" in markdown
    html = run(*asked, "html").stdout
    soon_html = html[html.index('class="stack soon"') :]
    assert '<td class="n">zsyz:4</td>' in soon_html
    # One plan alone: no plan in its due-soon list.
    alone = json.loads(run(*asked, "json", "--plan", "zsyz").stdout)
    plain = ["id", "title", "owner", "deadline", "status", "days_left", "deadline_text"]
    assert [sorted(item) for item in alone["due_soon"]] == [sorted([*plain, "owner_basis"])]


def test_an_unreadable_plan_is_named_and_the_others_answer_and_a_write_to_it_is_refused(
    run: Run, plans: Path
) -> None:
    broken = plans / "zsyz.toml"
    broken.write_text(ZSYZ.replace('status = "todo"', 'status = "todo'), encoding="utf-8")
    result = run("list", "--format", "json")
    assert result.exit_code == 0
    assert "zsyz.toml" in result.stderr
    assert [(r["plan"], r["id"]) for r in json.loads(result.stdout)] == [
        ("yshj", 1),
        ("yshj", 3),
        ("yqjs", 7),
    ]
    assert run("report").exit_code == 0
    text = broken.read_bytes()
    refused = run("note", "zsyz:4", "进展")
    assert refused.exit_code == 1 and "zsyz.toml" in refused.stderr
    assert broken.read_bytes() == text
    assert run("list", "--plan", "zsyz").exit_code == 1


def test_plan_narrows_a_command_to_one_plan(run: Run, plans: Path) -> None:
    result = run("list", "--plan", "zsyz", "--format", "json")
    records = json.loads(result.stdout)
    assert [r["id"] for r in records] == [3, 4] and "plan" not in records[0]
    shown = json.loads(run("show", "3", "--plan", "yshj", "--format", "json").stdout)
    assert shown["title"] == "推行电子税务局"
    report = json.loads(run("report", "--plan", "yshj", "--format", "json").stdout)
    assert report["total"] == 2 and "by_plan" not in report
    assert run("done", "3", "--plan", "yshj").exit_code == 0
    assert read_ledger(plans / "a-yshj.toml").ledger.get(3).status.value == "done"


def test_check_warns_of_names_no_unit_has(run: Run, plans: Path) -> None:
    result = run("check")
    assert result.exit_code == 0
    assert "partner 区财政局 is no unit of units.toml" in result.stdout
    assert "owner 区发展和改革委员会 is no unit of units.toml" in result.stdout
    assert "国家税务总局" not in result.stdout  # an alias is a unit's name


def test_one_plan_in_a_folder_behaves_exactly_as_the_file_alone(
    run: Run, isolated: Path, ledger: Path
) -> None:
    folder = isolated / "one"
    folder.mkdir()
    shutil.copyfile(ledger, folder / "measures.toml")
    commands = [
        ["list"],
        ["list", "--format", "json"],
        ["list", "--format", "csv", "--owner", "税务"],
        ["list", "--format", "markdown", "--sort", "deadline"],
        ["report"],
        ["report", "--format", "json"],
        ["report", "--format", "html"],
        ["show", "3", "--format", "json"],
        ["log"],
        ["check"],
    ]
    for command in commands:
        alone = run(*command, "-f", str(ledger))
        inside = run(*command, "-f", str(folder))
        shown = inside.stdout.replace(str(folder / "measures.toml"), str(ledger))
        assert (inside.exit_code, shown) == (alone.exit_code, alone.stdout), command
    assert run("done", "3", "-f", str(folder)).exit_code == 0
    assert run("done", "3", "-f", str(ledger)).exit_code == 0
    assert read_ledger(folder / "measures.toml").ledger.get(3) == read_ledger(ledger).ledger.get(3)


def test_the_plan_key_round_trips_through_the_snapshot(plans: Path) -> None:
    first = read_folder(plans)
    again = read_folder(plans)  # from the snapshot this time
    assert first.keys == again.keys == ["yshj", "zsyz", "yqjs"]
    assert read_ledger(plans / "a-yshj.toml").ledger.plan.key == "yshj"


def test_a_bad_plan_key_is_refused(run: Run, write_ledger: object) -> None:
    path = Path("bad.toml")
    path.write_text('[plan]\nname = "x"\nkey = "a:b"\n', encoding="utf-8")
    result = run("list", "-f", str(path))
    assert result.exit_code == 1 and "key" in result.stderr


@pytest.fixture
def minutes_apart(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each write's log entries a minute after the one before, so that undo can tell
    which plan's change is newest."""
    from datetime import datetime, timedelta, timezone

    start = datetime(2026, 12, 1, 9, 0, tzinfo=timezone(timedelta(hours=8)))
    times = iter(start + timedelta(minutes=minutes) for minutes in range(10))
    monkeypatch.setattr("measures.cli.change_commands.clock_now", lambda: next(times))


@pytest.mark.usefixtures("minutes_apart")
def test_undo_takes_back_the_newest_change_across_plans_in_turn(run: Run, plans: Path) -> None:
    before = {path.name: path.read_bytes() for path in plans.glob("*.toml")}
    assert run("note", "zsyz:3", "已对接项目").exit_code == 0
    after_first = {path.name: path.read_bytes() for path in plans.glob("*.toml")}
    assert run("start", "yshj:3").exit_code == 0
    newest = run("undo")
    assert newest.exit_code == 0, newest.stderr
    assert "a-yshj.toml" in newest.stderr
    assert {path.name: path.read_bytes() for path in plans.glob("*.toml")} == after_first
    older = run("undo")
    assert older.exit_code == 0, older.stderr
    assert "zsyz.toml" in older.stderr
    assert {path.name: path.read_bytes() for path in plans.glob("*.toml")} == before


@pytest.mark.usefixtures("minutes_apart")
def test_a_write_among_several_plans_names_the_file_it_went_to(run: Run, plans: Path) -> None:
    done = run("done", "4", "--on", "2021-03-01")  # a bare id only zsyz has
    assert done.exit_code == 0, done.stderr
    assert done.stderr == "In zsyz.toml:\nMarked done on 2021-03-01: 4.\n"
    for command in (("block", "yqjs:7", "--reason", "等待资金"), ("reopen", "zsyz:4")):
        said = run(*command)
        assert said.exit_code == 0, said.stderr
        assert said.stderr.startswith(("In zz-yqjs.toml:\n", "In zsyz.toml:\n")), said.stderr
    undone = run("undo")  # newest: the reopen, in zsyz.toml
    assert undone.stderr.startswith("In zsyz.toml:\nUndone: reopen 4 (done → todo"), undone.stderr
    # Named with --plan, or one plan alone: said as on one ledger file.
    assert run("note", "3", "已对接", "--plan", "zsyz").stderr == "Noted on 3.\n"
    alone = run("-f", str(plans / "zsyz.toml"), "block", "3", "--reason", "等待资金")
    assert alone.stderr == "Blocked: 3.\n"
    noted = run("--lang", "zh", "note", "yshj:3", "已部署")
    assert noted.stderr == "在 a-yshj.toml 中：\n已为第3条添加备注。\n"


def test_export_and_import_work_on_the_plan_named(run: Run, plans: Path) -> None:
    refused = run("export", "--format", "csv", "--output", "out.csv")
    assert refused.exit_code == 1 and "--plan KEY" in refused.stderr
    exported = run("export", "--plan", "zsyz", "--format", "csv", "--output", "zsyz.csv")
    assert exported.exit_code == 0, exported.stderr
    sheet = (plans.parent / "zsyz.csv").read_text(encoding="utf-8-sig")
    assert "招商项目税收服务" in sheet and "企业名称自主申报" not in sheet
    before = {path.name: path.read_bytes() for path in plans.glob("*.toml")}
    imported = run("import", "--plan", "zsyz", "zsyz.csv")
    assert imported.exit_code == 0, imported.stderr
    assert "0 added, 0 updated, 2 unchanged" in imported.stderr
    assert {path.name: path.read_bytes() for path in plans.glob("*.toml")} == before


def test_no_ledger_found_names_the_plans_folder_too(run: Run, isolated: Path) -> None:
    result = run("list")
    assert result.exit_code != 0
    assert "measures.toml, a folder plans/ of plans and data/measures.toml" in result.stderr
