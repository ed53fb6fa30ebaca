"""A small plan for the export tests: a statement with `,;\\` and a newline, tasks named
like spreadsheet formulas, task and program milestones, two people."""

from __future__ import annotations

from pathlib import Path

from ontrack.app.services import Scheduled, schedule_plan

FORMULA_NAMES = {"f1": '=HYPERLINK("http://x")', "f2": "+1", "f3": "-1", "f4": "@SUM(A1)"}

PLAN = r"""ontrack: 1
project:
  id: acme-net
  name: Acme network
  start: 2027-03-01
program:
  name: Plant build
  milestones:
    - {id: handover, name: Rooms handed over, date: 2027-03-10, vendor: BuildCo}
resources:
  - {id: pm, name: Project manager, rate: 100}
  - {id: neteng, name: Network engineer, rate: 90}
outcomes:
  - id: wifi
    statement: "Wi-Fi, VPN; C:\\net\nand a second line, long enough that the summary line \
      folds past seventy-five octets: café"
    target: 2027-03-26
    priority: 1
  - {id: guests, statement: Guests get Internet, priority: 2}
tasks:
  - {id: kickoff, name: Kick-off, kind: milestone, outcomes: [wifi]}
  - id: build
    name: Build
    tasks:
      - id: f1
        name: '=HYPERLINK("http://x")'
        duration: 2d
        resources: {pm: 1}
        after: [kickoff]
        outcomes: [wifi]
      - {id: f2, name: '+1', duration: 3d, resources: {neteng: 1}, after: [f1], outcomes: [wifi]}
      - id: f3
        name: '-1'
        duration: 1d
        resources: {pm: 1, neteng: 0.5}
        after: [f2]
        outcomes: [guests]
      - id: f4
        name: '@SUM(A1)'
        duration: 1d
        resources: {neteng: 1}
        after: [handover]
        outcomes: [guests]
  - {id: live, name: Live, kind: milestone, after: [f3, f4], outcomes: [wifi, guests]}
"""


def write_plan(folder: Path) -> Path:
    path = folder / "plan.yaml"
    path.write_text(PLAN, encoding="utf-8")
    return path


def scheduled(folder: Path) -> Scheduled:
    return schedule_plan(write_plan(folder))
