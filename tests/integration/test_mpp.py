"""`.mpp` files through MPXJ (the `msproject` extra) into MSPDI.

There is no MS Project here to make a real `.mpp`, so the conversion runs on files MPXJ reads
through the same UniversalProjectReader: ontrack's own MSPDI export of an example plan, and
a GanttProject file. The missing extra, Java and file each give the user's message; nothing
is left behind on an error.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from decimal import Decimal
from pathlib import Path

import pytest
from lxml import etree
from typer.testing import CliRunner

from ontrack.cli.main import app
from ontrack.core.diagnostics import Location, PlanError
from ontrack.interop.mpp import MISSING, NO_JAVA, MppUnavailable, mpp_to_mspdi

EXAMPLES = Path(__file__).parents[2] / "examples"
NS = {"p": "http://schemas.microsoft.com/project"}
Roots = tuple[etree._Element, etree._Element]


def _has_java() -> bool:
    home = os.environ.get("JAVA_HOME")
    return bool(
        (home and shutil.which("java", path=str(Path(home, "bin")))) or shutil.which("java")
    )


needs_java = pytest.mark.skipif(
    not _has_java(),
    reason="no Java runtime (java on PATH or in JAVA_HOME): apt install default-jre-headless",
)


def _text(element: etree._Element, name: str) -> str | None:
    value: str | None = element.findtext(f"p:{name}", namespaces=NS)
    return value


def _links(task: etree._Element) -> tuple[tuple[str | None, ...], ...]:
    """Each predecessor's UID, the link type (0 FF, 1 FS, 2 SF, 3 SS) and the lag."""
    return tuple(
        (_text(link, "PredecessorUID"), _text(link, "Type"), _text(link, "LinkLag"))
        for link in task.findall("p:PredecessorLink", NS)
    )


def _number(element: etree._Element, name: str) -> Decimal | None:
    value = _text(element, name)  # MPXJ writes 1 where ontrack writes 1.00
    return None if value is None else Decimal(value)


def _tasks(root: etree._Element) -> dict[str, tuple[object, ...]]:
    """Per task UID: what a plan is made of (MPXJ adds defaults such as ConstraintType 0)."""
    return {
        _text(task, "UID") or "": (
            _text(task, "Name"),
            _text(task, "OutlineLevel"),
            _text(task, "Summary"),
            _text(task, "Milestone"),
            _text(task, "Duration"),
            _text(task, "DurationFormat"),
            _text(task, "Start"),
            _text(task, "Finish"),
            _links(task),
        )
        for task in root.findall("p:Tasks/p:Task", NS)
    }


def _resources(root: etree._Element) -> dict[str, tuple[object, ...]]:
    return {
        _text(res, "UID") or "": (
            _text(res, "Name"),
            _number(res, "MaxUnits"),
            _number(res, "StandardRate"),
        )
        for res in root.findall("p:Resources/p:Resource", NS)
    }


def _assignments(root: etree._Element) -> list[tuple[object, ...]]:
    return sorted(
        (_text(a, "TaskUID"), _text(a, "ResourceUID"), _number(a, "Units"), _text(a, "Work"))
        for a in root.findall("p:Assignments/p:Assignment", NS)
    )


def _text_fields(root: etree._Element) -> dict[str | None, str | None]:
    """Each task text field's FieldID and alias, as `Project/ExtendedAttributes` defines it."""
    definitions = root.findall("p:ExtendedAttributes/p:ExtendedAttribute", NS)
    return {_text(d, "FieldID"): _text(d, "Alias") for d in definitions}


def _text_values(root: etree._Element) -> dict[tuple[str | None, str | None], str | None]:
    """Per (task UID, FieldID): the task's value."""
    return {
        (_text(task, "UID"), _text(attribute, "FieldID")): _text(attribute, "Value")
        for task in root.findall("p:Tasks/p:Task", NS)
        for attribute in task.findall("p:ExtendedAttribute", NS)
    }


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`ontrack export mspdi` of an example with every link type, leads, lags and `ed`."""
    target = tmp_path_factory.mktemp("mspdi") / "plant-wifi.xml"
    result = CliRunner().invoke(
        app, ["export", "mspdi", str(EXAMPLES / "plant-wifi.yaml"), "-o", str(target)]
    )
    assert result.exit_code == 0, result.output
    return target


@pytest.fixture(scope="module")
def roots(exported: Path) -> Roots:
    """The exported MSPDI and MPXJ's conversion of it, once for the module (a JVM start)."""
    if not _has_java():
        pytest.skip(needs_java.kwargs["reason"])
    return etree.fromstring(exported.read_bytes()), etree.fromstring(mpp_to_mspdi(exported))


@pytest.fixture
def tmpdir_checked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder as the temporary directory, to show that a failed conversion leaves it empty."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def test_tasks_keep_their_names_tree_durations_dates_and_links(roots: Roots) -> None:
    source, converted = roots
    assert _tasks(converted) == _tasks(source)
    links = [link for task in source.findall("p:Tasks/p:Task", NS) for link in _links(task)]
    assert {link[1] for link in links} == {"0", "1", "2", "3"}  # FF, FS, SF, SS all exercised
    assert any((link[2] or "").startswith("-") for link in links)  # and a lead


def test_resources_and_assignments_keep_units_rates_and_work(roots: Roots) -> None:
    source, converted = roots
    assert _resources(converted) == _resources(source)
    assert _assignments(converted) == _assignments(source)
    assert _assignments(source)


def test_every_text_field_value_and_its_alias_survive(roots: Roots) -> None:
    """ontrack's ids, deliverables and the like travel in task text fields."""
    source, converted = roots
    assert _text_fields(converted) == _text_fields(source)
    assert _text_values(converted) == _text_values(source)
    ids = {
        uid for uid, field in _text_values(source) if _text_fields(source)[field] == "ontrack id"
    }
    assert ids == set(_tasks(source))  # every task carries its id


def test_the_lookup_tables_do_not_survive(roots: Roots) -> None:
    """MPXJ writes no `ValueList`: the deliverables' and outcomes' definitions stay behind."""
    source, converted = roots
    assert source.findall(".//p:ValueList", NS)
    assert converted.findall(".//p:ValueList", NS) == []


# A GanttProject file, written here as GanttProject 3 writes one (ids from 0; `depend` on
# the predecessor names the successor; type 2 = FS, 1 = SS; `difference` = lag in days).
# MPXJ 16 reads the links of top-level tasks only, so the tasks are not nested.
GANTTPROJECT = """<?xml version="1.0" encoding="UTF-8"?>
<project name="Warehouse Wi-Fi" company="Acme Foods" webLink="" view-date="2027-03-01"
    view-index="0" version="3.2.3240" locale="en_GB">
    <description/>
    <calendars>
        <day-types>
            <day-type id="0"/>
            <day-type id="1"/>
            <default-week id="1" name="default" sun="1" mon="0" tue="0" wed="0" thu="0"
                fri="0" sat="1"/>
            <only-show-weekends value="false"/>
            <overriden-day-types/>
            <days/>
        </day-types>
    </calendars>
    <tasks empty-milestones="true">
        <taskproperties>
            <taskproperty id="tpd0" name="type" type="default" valuetype="icon"/>
            <taskproperty id="tpd3" name="name" type="default" valuetype="text"/>
            <taskproperty id="tpd4" name="begindate" type="default" valuetype="date"/>
            <taskproperty id="tpd5" name="enddate" type="default" valuetype="date"/>
            <taskproperty id="tpd6" name="duration" type="default" valuetype="int"/>
            <taskproperty id="tpd7" name="completion" type="default" valuetype="int"/>
        </taskproperties>
        <task id="1" name="Survey the site" meeting="false" start="2027-03-01" duration="3"
            complete="0" expand="true">
            <depend id="2" type="2" difference="1" hardness="Strong"/>
            <depend id="3" type="1" difference="0" hardness="Strong"/>
        </task>
        <task id="2" name="Install access points" meeting="false" start="2027-03-05"
            duration="5" complete="0" expand="true">
            <depend id="4" type="2" difference="0" hardness="Strong"/>
        </task>
        <task id="3" name="Order cabling" meeting="false" start="2027-03-01" duration="2"
            complete="0" expand="true"/>
        <task id="4" name="Wi-Fi live" meeting="true" start="2027-03-12" duration="0"
            complete="0" expand="true"/>
    </tasks>
    <resources>
        <resource id="0" name="Network engineer" function="Default:0" contacts="" phone="">
            <rate name="standard" value="90"/>
        </resource>
        <resource id="1" name="Electrician" function="Default:0" contacts="" phone=""/>
    </resources>
    <allocations>
        <allocation task-id="1" resource-id="0" function="Default:0" responsible="true"
            load="100.0"/>
        <allocation task-id="2" resource-id="0" function="Default:0" responsible="true"
            load="50.0"/>
        <allocation task-id="2" resource-id="1" function="Default:0" responsible="false"
            load="100.0"/>
    </allocations>
    <vacations/>
    <previous/>
    <roles roleset-name="Default"/>
</project>
"""


@needs_java
def test_a_ganttproject_file_becomes_mspdi_with_its_tasks_links_and_resources(
    tmp_path: Path,
) -> None:
    source = tmp_path / "warehouse.gan"
    source.write_text(GANTTPROJECT, encoding="utf-8")
    root = etree.fromstring(mpp_to_mspdi(source))
    assert _text(root, "Name") == "Warehouse Wi-Fi"
    tasks = {uid: (t[0], t[3], t[4], t[-1]) for uid, t in _tasks(root).items()}
    assert tasks == {  # MPXJ's UID is GanttProject's id + 1; a day is 8 hours
        "2": ("Survey the site", "0", "PT24H0M0S", ()),
        "3": ("Install access points", "0", "PT40H0M0S", (("2", "1", "4800"),)),  # FS + 1d
        "4": ("Order cabling", "0", "PT16H0M0S", (("2", "3", "0"),)),  # SS
        "5": ("Wi-Fi live", "1", "PT0H0M0S", (("3", "1", "0"),)),
    }
    assert {uid: r[0] for uid, r in _resources(root).items()} == {
        "1": "Network engineer",
        "2": "Electrician",
    }
    assert [a[:3] for a in _assignments(root)] == [
        ("2", "1", Decimal(1)),
        ("3", "1", Decimal("0.5")),
        ("3", "2", Decimal(1)),
    ]


def _only_problem(error: pytest.ExceptionInfo[PlanError]) -> tuple[str, Location | None]:
    (diagnostic,) = error.value.diagnostics
    return diagnostic.code, diagnostic.location


@needs_java
@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("notes.mpp", b"not a project, just words\n"),
        ("empty.mpp", b""),
        ("zeros.mpp", bytes(4096)),
    ],
)
def test_a_file_mpxj_does_not_know_is_a_plan_error_and_nothing_is_written(
    tmp_path: Path, tmpdir_checked: Path, name: str, content: bytes
) -> None:
    source = tmp_path / name
    source.write_bytes(content)
    with pytest.raises(PlanError) as error:
        mpp_to_mspdi(source)
    assert _only_problem(error) == ("mpp-format", Location(str(source), 1, 1))
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([name, "tmp"])
    assert list(tmpdir_checked.iterdir()) == []


@needs_java
def test_a_broken_project_file_is_a_plan_error_with_mpxjs_cause(
    exported: Path, tmp_path: Path, tmpdir_checked: Path
) -> None:
    source = tmp_path / "cut.xml"
    source.write_bytes(exported.read_bytes()[:3000])  # an MSPDI file cut short
    with pytest.raises(PlanError) as error:
        mpp_to_mspdi(source)
    assert _only_problem(error) == ("mpp-format", Location(str(source), 1, 1))
    assert "lineNumber" in str(error.value)  # the XML parser's position, through MPXJ
    assert list(tmpdir_checked.iterdir()) == []


@needs_java
def test_a_missing_file_is_unreadable(tmp_path: Path) -> None:
    source = tmp_path / "nowhere.mpp"
    with pytest.raises(PlanError) as error:
        mpp_to_mspdi(source)
    assert _only_problem(error) == ("file-unreadable", Location(str(source), 1, 1))


def test_without_the_extra_the_message_says_what_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "mpxj", None)  # as if `import mpxj` failed
    with pytest.raises(MppUnavailable) as error:
        mpp_to_mspdi(tmp_path / "plan.mpp")
    assert str(error.value) == MISSING
    assert "pip install 'ontrack[msproject]'" in MISSING


def test_without_java_the_message_says_what_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("JAVA_HOME", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))  # a PATH with no java on it
    with pytest.raises(MppUnavailable) as error:
        mpp_to_mspdi(tmp_path / "plan.mpp")
    assert str(error.value) == NO_JAVA
    assert "apt install default-jre-headless" in NO_JAVA


def test_a_java_that_does_not_start_is_reported_as_unavailable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, tmpdir_checked: Path
) -> None:
    # JAVA_HOME wins over PATH; its java fails the way a broken JVM does.
    java = tmp_path / "jdk" / "bin" / "java"
    java.parent.mkdir(parents=True)
    java.write_text(
        "#!/bin/sh\necho 'Error: Could not create the Java Virtual Machine.' >&2\nexit 1\n"
    )
    java.chmod(0o755)
    monkeypatch.setenv("JAVA_HOME", str(tmp_path / "jdk"))
    source = tmp_path / "plan.mpp"
    source.write_bytes(b"anything")
    with pytest.raises(MppUnavailable) as error:
        mpp_to_mspdi(source)
    assert str(java) in str(error.value)
    assert "Could not create the Java Virtual Machine" in str(error.value)
    assert list(tmpdir_checked.iterdir()) == []
