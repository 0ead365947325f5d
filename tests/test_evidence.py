"""Evidence for a sign-off (佐证材料): `verify --evidence`, `show`, `check`, `require_evidence`."""

from __future__ import annotations

import hashlib
import json
import tomllib
from datetime import UTC, datetime
from pathlib import Path

import pytest

from measures.domain.changes import verify
from measures.domain.evidence import evidence_problems, gather
from measures.errors import BadValue
from measures.ledger.store import read_ledger
from measures.model.records import Evidence

from .conftest import PLAN_HEADER, Run, WriteLedger, measure_block

DONE = "done_on = 2026-02-01\n"
AT = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
def done_ledger(write_ledger: WriteLedger) -> Path:
    return write_ledger(
        PLAN_HEADER
        + measure_block(1, status="done", extra=DONE)
        + measure_block(2, status="done", extra=DONE)
    )


@pytest.fixture
def proof(isolated: Path) -> Path:
    (isolated / "佐证").mkdir()
    path = isolated / "佐证" / "1.pdf"
    path.write_bytes(b"%PDF-1.4 minutes of the meeting")
    return path


def verify_entry(path: Path, ident: int = 1) -> dict[str, object]:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    record = next(m for m in data["measures"] if m["id"] == ident)
    entry: dict[str, object] = record["log"][-1]
    return entry


def test_a_file_is_recorded_by_its_path_and_hash_and_a_url_as_given(
    run: Run, done_ledger: Path, proof: Path
) -> None:
    url = "https://zwfw.example.gov.cn/notice/12"
    result = run("verify", "1", "--evidence", "佐证/1.pdf", "--evidence", url, "--by", "zhao")
    assert result.exit_code == 0, result.stderr
    digest = hashlib.sha256(proof.read_bytes()).hexdigest()
    entry = verify_entry(done_ledger)
    assert entry["action"] == "verify"
    assert entry["evidence"] == [{"path": "佐证/1.pdf", "sha256": digest}, {"url": url}]
    # One line each in the file, as an office would write them.
    assert f'{{path = "佐证/1.pdf", sha256 = "{digest}"}}' in done_ledger.read_text("utf-8")
    shown = json.loads(run("show", "1", "--format", "json").stdout)
    assert shown["log"][-1]["evidence"] == [
        {"path": "佐证/1.pdf", "sha256": digest, "url": None},
        {"path": None, "sha256": None, "url": url},
    ]
    table = run("show", "1").stdout
    assert "佐证/1.pdf" in table and "evidence" in table
    # The snapshot carries it: a second read (from the cache) says the same.
    again = json.loads(run("show", "1", "--format", "json").stdout)
    assert again == shown


def test_a_path_is_kept_relative_to_the_ledgers_folder(
    run: Run, isolated: Path, write_ledger: WriteLedger, monkeypatch: pytest.MonkeyPatch
) -> None:
    (isolated / "plan").mkdir()
    ledger = write_ledger(PLAN_HEADER + measure_block(1, status="done", extra=DONE), "plan/m.toml")
    (isolated / "plan" / "佐证").mkdir()
    (isolated / "plan" / "佐证" / "a.jpg").write_bytes(b"photo")
    result = run("verify", "1", "-f", "plan/m.toml", "--evidence", "plan/佐证/a.jpg")
    assert result.exit_code == 0, result.stderr
    assert verify_entry(ledger)["evidence"] == [
        {"path": "佐证/a.jpg", "sha256": hashlib.sha256(b"photo").hexdigest()}
    ]


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("佐证/没有.pdf", "--evidence '佐证/没有.pdf': no such file."),
        ("佐证", "--evidence '佐证': no such file."),
        ("../outside.pdf", "--evidence '../outside.pdf': the file is outside the ledger's folder"),
    ],
)
def test_a_missing_or_outside_file_is_refused_and_nothing_written(
    run: Run, done_ledger: Path, proof: Path, value: str, words: str
) -> None:
    (done_ledger.parent.parent / "outside.pdf").write_bytes(b"x")
    before = done_ledger.read_bytes()
    result = run("verify", "1", "--evidence", value)
    assert result.exit_code == 1
    assert words in result.stderr
    assert done_ledger.read_bytes() == before


def test_check_warns_when_a_file_changes_or_goes(run: Run, done_ledger: Path, proof: Path) -> None:
    assert run("verify", "1", "--evidence", "佐证/1.pdf").exit_code == 0
    clean = run("check")
    assert clean.exit_code == 0 and "evidence" not in clean.stdout
    proof.write_bytes(b"another file")
    changed = run("check")
    assert changed.exit_code == 0  # a warning, not an error
    assert "measure 1: warning: evidence file 佐证/1.pdf has changed since it was checked" in (
        changed.stdout
    )
    proof.unlink()
    gone = run("--lang", "zh", "check")
    assert "佐证材料文件佐证/1.pdf不存在" in gone.stdout


def test_require_evidence_refuses_a_sign_off_without_it(
    run: Run, write_ledger: WriteLedger, proof: Path
) -> None:
    header = PLAN_HEADER + "require_evidence = true\n"
    path = write_ledger(header + measure_block(1, status="done", extra=DONE))
    before = path.read_bytes()
    refused = run("verify", "1")
    assert refused.exit_code == 1
    assert "measure 1 cannot be signed off without evidence: this plan requires it." in (
        refused.stderr
    )
    assert "--evidence" in refused.stderr
    chinese = run("--lang", "zh", "verify", "1")
    assert "第1项举措没有佐证材料，不能销号" in chinese.stderr
    assert path.read_bytes() == before
    assert run("verify", "1", "--evidence", "https://example.gov.cn/a").exit_code == 0
    assert verify_entry(path)["evidence"] == [{"url": "https://example.gov.cn/a"}]


def test_the_core_rules(done_ledger: Path, proof: Path) -> None:
    folder = done_ledger.parent
    found = gather(["佐证/1.pdf", "http://example.gov.cn/x"], folder, folder)
    assert found[0].path == "佐证/1.pdf" and found[1] == Evidence(url="http://example.gov.cn/x")
    with pytest.raises(BadValue, match="not a URL"):
        gather(["https:// x"], folder, folder)
    ledger = read_ledger(done_ledger).ledger
    signed = verify(ledger.get(1), "zhao", AT, evidence=found)
    assert signed.log[-1].evidence == found
    with pytest.raises(BadValue, match="without evidence"):
        verify(ledger.get(2), "zhao", AT, require_evidence=True)
    after = ledger.replace(signed)
    assert evidence_problems(after, folder, "m.toml") == []
    proof.write_bytes(b"changed")
    (problem,) = evidence_problems(after, folder, "m.toml")
    assert "has changed" in problem.message


def test_a_bad_evidence_record_in_the_file_is_refused(run: Run, write_ledger: WriteLedger) -> None:
    entry = (
        '\n[[measures.log]]\nat = 2026-03-01T09:00:00Z\naction = "verify"\n'
        'evidence = [{path = "a.pdf"}]\n'
    )
    write_ledger(PLAN_HEADER + measure_block(1, status="verified", extra=DONE + entry))
    result = run("list")
    assert result.exit_code == 1
    assert "evidence needs a path and its sha256, or a url" in result.stderr


def test_the_snapshot_and_the_merge_driver_carry_evidence_and_plan_keys(
    run: Run, write_ledger: WriteLedger, proof: Path
) -> None:
    from measures.domain.merge import merge_texts
    from measures.ledger import snapshot

    header = PLAN_HEADER + 'report_every = "week"\nrequire_evidence = true\n'
    base = header + measure_block(1, status="done", extra=DONE) + measure_block(2)
    path = write_ledger(base)
    url = "https://example.gov.cn/a"
    assert run("verify", "1", "--evidence", "佐证/1.pdf", "--evidence", url).exit_code == 0
    ours = path.read_text("utf-8")
    ledger = read_ledger(path).ledger
    raw = path.read_bytes()
    snapshot.save(path, raw, ledger)
    assert snapshot.load(path, raw) == ledger
    assert ledger.plan.report_every == "week" and ledger.plan.require_evidence is True
    theirs = header + measure_block(1, status="done", extra=DONE) + measure_block(2, "举措二")
    for left, right in ((ours, theirs), (theirs, ours)):
        merged = merge_texts(base, left, right)
        assert merged.conflicts == ()
        path.write_text(merged.text, encoding="utf-8")
        assert read_ledger(path).ledger.get(1).log[-1].evidence == ledger.get(1).log[-1].evidence
