"""The plan file's schema: the one source for parsing, dumping and the reference docs.

Each pydantic model is one mapping of the file. Field order is the order the dumper
writes; `description` is what docs/plan-format.md says; the `style` extra tells the
dumper to write a value on one line (`flow`) or a list with one line per item
(`flow-items`). Validators raise errors whose type is our diagnostic code.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date, datetime
from types import UnionType
from typing import Annotated, Any, Literal, Union, get_args, get_origin

import holidays
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    JsonValue,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic import PlainValidator as Plain
from pydantic.fields import FieldInfo
from pydantic_core import PydanticCustomError

from ontrack.core.model import Duration

ID_PATTERN = re.compile(r"[A-Za-z0-9_-]+")
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_DURATION = re.compile(r"([-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)) *(h|d|w|ed)")


@dataclass(frozen=True)
class Kind:
    """What the docs call a value's type."""

    name: str


def shown(value: object) -> str:
    """A value as a message shows it."""
    if value is None:
        return "nothing (an empty value)"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return f"the number {value!r}"
    if isinstance(value, str):
        return repr(value if len(value) <= 40 else value[:37] + "...")
    return "a list" if isinstance(value, list) else "a mapping"


def _fail(code: str, template: str, **context: object) -> PydanticCustomError:
    return PydanticCustomError(code, template, context)


def _id(value: object) -> str:
    if isinstance(value, int | float) and not isinstance(value, bool):
        value = str(value)  # `id: 7` is the id "7"; `id: 1.5` is no id at all
    if not isinstance(value, str):
        raise _fail("bad-type", "an id is a name like `site-survey`, not {got}", got=shown(value))
    if not ID_PATTERN.fullmatch(value):
        raise _fail(
            "bad-id",
            "{value} is not a valid id: use only letters, digits, - and _ (like `site-survey`)",
            value=shown(value),
        )
    return value


def _text(value: object) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value):
        return str(value)
    raise _fail("bad-type", "expected text, not {got}", got=shown(value))


def _date(value: object) -> date:
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str) and _ISO_DATE.fullmatch(value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise _fail("bad-date", "{value} is not a day of the calendar", value=value) from None
    raise _fail(
        "bad-date", "write a date as YYYY-MM-DD (like 2027-03-01), not {got}", got=shown(value)
    )


def _duration(value: object, *, lag: bool = False) -> Duration:
    if isinstance(value, Duration):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        raise _fail(
            "bad-duration",
            "{n} has no unit: write {n}d (working days), {n}h (hours), {n}w (weeks) "
            "or {n}ed (elapsed days)",
            n=f"{value:g}",
        )
    match = _DURATION.fullmatch(value.strip()) if isinstance(value, str) else None
    if match is None or not math.isfinite(number := float(match[1])):
        raise _fail(
            "bad-duration",
            "write a number and a unit (h, d, w or ed), like 3d, 0.5d, 4h, 2w or 15ed; not {got}",
            got=shown(value),
        )
    if number < 0 and not lag:
        message = "a duration cannot be negative (only a lag can): {got}"
        raise _fail("bad-duration", message, got=shown(value))
    return Duration(number, match[2])  # type: ignore[arg-type]


def _lag(value: object) -> Duration:
    return _duration(value, lag=True)


def _version(value: object) -> int:
    if type(value) is int and value == 1:
        return value
    raise _fail(
        "bad-version",
        "this file says `ontrack: {got}`, but this ontrack reads format 1: write `ontrack: 1`",
        got=value if isinstance(value, int | str) else shown(value),
    )


def _country(value: object) -> str:
    countries = holidays.list_supported_countries()
    if isinstance(value, str) and value in countries:
        return value
    close = [code for code in countries if isinstance(value, str) and code == value.upper()]
    hint = f"did you mean {close[0]}?" if close else "use a country code such as US, GB or DE"
    raise _fail(
        "bad-holidays",
        "the holidays package knows no country {got}: {hint}",
        got=shown(value),
        hint=hint,
    )


def _number(value: object) -> float:
    if isinstance(value, int | float) and not isinstance(value, bool):
        if math.isfinite(value):
            return float(value)
        raise _fail("bad-value", "must be a finite number, not {got}", got=shown(value))
    raise _fail("bad-type", "must be a number, not {got}", got=shown(value))


def _probability(value: object) -> float:
    number = _number(value)
    if not 0 < number <= 1:
        raise _fail(
            "bad-value",
            "a probability is the share of futures in which the risk happens: more than 0 "
            "and at most 1 (write 0.3 for 30%), not {got}",
            got=shown(value),
        )
    return number


def _coefficient(value: object) -> float:
    number = _number(value)
    if not 0 < number < 1:
        why = (
            "1 would make the tasks overrun as one task: merge them, or use less than 1"
            if number >= 1
            else "negative or no correlation is not supported: leave the tasks out"
        )
        raise _fail(
            "bad-correlation",
            "a coefficient is more than 0 and less than 1, not {got}: {why}",
            got=shown(value),
            why=why,
        )
    return number


def _two_or_more(tasks: list[str]) -> list[str]:
    if len(tasks) < 2:  # a pair is the least that can be correlated
        raise _fail(
            "bad-correlation",
            "a correlation needs at least two tasks (it says how their durations go "
            "together), not {n}: add the tasks that share the cause, or remove it",
            n=len(tasks),
        )
    return tasks


Id = Annotated[str, Plain(_id), Kind("id")]
Text = Annotated[str, Plain(_text), Kind("text")]
Day = Annotated[date, Plain(_date), Kind("date")]
Length = Annotated[Duration, Plain(_duration), Kind("duration")]
Lag = Annotated[Duration, Plain(_lag), Kind("duration, may be negative")]
Version = Annotated[int, Plain(_version), Kind("1")]
Country = Annotated[str, Plain(_country), Kind("country code")]
Amount = Annotated[float, Field(ge=0), Kind("number ≥ 0")]
Positive = Annotated[float, Field(gt=0), Kind("number > 0")]
Probability = Annotated[float, Plain(_probability), Kind("number in (0, 1]")]
Coefficient = Annotated[float, Plain(_coefficient), Kind("number in (0, 1)")]
Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


def _field(description: str, *, style: str | None = None, alias: str | None = None) -> Any:
    """An optional field (absent, or written empty, means not given)."""
    extra: dict[str, JsonValue] | None = {"style": style} if style else None
    return Field(None, description=description, alias=alias, json_schema_extra=extra)


def _required(description: str, *, style: str | None = None, alias: str | None = None) -> Any:
    extra: dict[str, JsonValue] | None = {"style": style} if style else None
    return Field(description=description, alias=alias, json_schema_extra=extra)


class _Mapping(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid", allow_inf_nan=False)


class ProjectSchema(_Mapping):
    """The project: who it is for and when work may start."""

    id: Id = _required("The project's id.")
    name: Text = _required("The project's name.")
    client: Text | None = _field("Who the project is for.")
    manager: Text | None = _field("Who runs it.")
    start: Day = _required("The first day work may start; no task starts earlier.")
    status_date: Day | None = _field(
        "The 'as of' date for progress: remaining work is scheduled from it."
    )
    currency: Text | None = _field("The currency of rates and costs, like USD.")
    calendar: Id | None = _field(
        "The default calendar of tasks and resources; without it, Monday to Friday, "
        "8 hours a day, no holidays."
    )
    driver: Literal["speed", "security", "cost"] | None = _field(
        "The client's key driver: speed, security or cost."
    )
    priority: Annotated[int, Field(ge=1), Kind("whole number ≥ 1")] | None = _field(
        "ontrack's extension: the project's rank in a portfolio, 1 first (`ontrack "
        "portfolio`). All the work of a more important project is levelled before any of a "
        "less important one's; projects without one, or tied, go in the order they are given."
    )


class VendorSchema(_Mapping):
    """Another vendor on the client's program."""

    name: Text = _required("The vendor's name.")
    role: Text | None = _field("What it delivers on the program.")


class MilestoneSchema(_Mapping):
    """A date outside our control that our work may depend on."""

    id: Id = _required("The milestone's id; tasks may list it in `after`.")
    name: Text = _required("What happens on that date.")
    date: Day = _required("The date; a task after it starts on the next working day.")
    vendor: Text | None = _field(
        "The vendor that owns it; one of program.vendors when any are listed."
    )


class ProgramSchema(_Mapping):
    """The client's larger project, of which this project is one part."""

    name: Text = _required("The program's name.")
    benefit: Text | None = _field("What the program is for.")
    budget: Amount | None = _field("The whole program's cost, all vendors.")
    start: Day | None = _field("When the program starts.")
    finish: Day | None = _field("When the program finishes; not before `start`.")
    vendors: list[VendorSchema] | None = _field("The other vendors.", style="flow-items")
    milestones: list[MilestoneSchema] | None = _field(
        "Dates outside our control that our work depends on.", style="flow-items"
    )


class CalendarSchema(_Mapping):
    """Working time: a calendar's id is its key under `calendars`."""

    workdays: Annotated[list[Weekday], Field(min_length=1)] | None = _field(
        "The working days (mon to sun), at least one; Monday to Friday when not given.",
        style="flow",
    )
    hours_per_day: Annotated[float, Field(gt=0, le=24), Kind("number in (0, 24]")] | None = _field(
        "Working hours in a day (more than 0, at most 24); 8 when not given."
    )
    holidays: Country | None = _field(
        "A country code: its public holidays (observed days included) are not worked."
    )
    closed: list[Day] | None = _field("Extra dates that are not worked.", style="flow")


class AwaySchema(_Mapping):
    """Days a resource is not available, both inclusive."""

    start: Day = _required("The first day away.", alias="from")
    end: Day = _required("The last day away; not before `from`.", alias="to")


class ResourceSchema(_Mapping):
    """People (or equipment) of one kind that tasks hold while they work."""

    id: Id = _required("The resource's id; tasks name it under `resources`.")
    name: Text | None = _field("What it is, like Network engineer.")
    units: Positive | None = _field("How many are available at once; 1 when not given.")
    rate: Amount | None = _field("Cost per working hour of one unit; 0 when not given.")
    calendar: Id | None = _field("Its calendar; the project calendar when not given.")
    away: list[AwaySchema] | None = _field("Periods it is not available.", style="flow")


class VerificationSchema(_Mapping):
    """ontrack's extension: who checked an outcome's measure, when, and the evidence."""

    by: Text = _required("Who checked it.")
    date: Day = _required("When; not after project.status_date.")
    evidence: Text = _required("What shows the measure is met, like a signed survey.")


class OutcomeSchema(_Mapping):
    """What the client wants to be true, in the client's words."""

    id: Id = _required("The outcome's id.")
    statement: Text = _required("The outcome, as the client would say it.")
    target: Day | None = _field("The date the client needs it by.")
    priority: Annotated[int, Field(ge=1), Kind("whole number ≥ 1")] | None = _field(
        "1 is most important; ties allowed. Work it needs is scheduled first."
    )
    measure: Text | None = _field("How the client will know it is true.")
    security: bool | None = _field("Whether it carries a security promise (true or false).")
    needs: list[Text] | None = _field(
        "What we need from the client or other vendors for it.", style="flow"
    )
    verified: VerificationSchema | None = _field(
        "ontrack's extension: the check of its measure (`ontrack verify`). The outcome is "
        "done only when verified; until then, once its work is finished, it awaits "
        "verification.",
        style="flow",
    )


class DeliverableSchema(_Mapping):
    """What the client receives and accepts."""

    id: Id = _required("The deliverable's id; tasks name it in `deliverable`.")
    name: Text = _required("What it is.")
    outcomes: list[Id] | None = _field("The outcomes it serves.", style="flow")
    acceptance: Text | None = _field("How the client accepts it.")


class EstimateSchema(_Mapping):
    """The range of a task's duration, around `duration` (the most likely value)."""

    low: Length = _required("The shortest it may take; not more than `duration`.")
    high: Length = _required("The longest it may take; not less than `duration`.")
    distribution: Literal["triangular", "pert"] | None = _field(
        "How risk analysis samples the range: triangular or pert; when not given, risk "
        "analysis uses its documented default."
    )


class DependencySchema(_Mapping):
    """A predecessor; a plain id is short for `{task: id}`."""

    task: Id = _required("The predecessor: a task (summaries too) or a program milestone.")
    type: Literal["FS", "SS", "FF", "SF"] | None = _field(
        "FS (default): start after it finishes; SS: start after it starts; FF: finish "
        "after it finishes; SF: finish after it starts."
    )
    lag: Lag | None = _field("Time between the two; negative is a lead.")


class ShortId(str):
    """The id of a dependency written as a plain id, so the dumper writes it back so.

    A str subclass the YAML loader never makes: it survives validation for free.
    """

    __slots__ = ()


def _short_form(value: object) -> object:
    if isinstance(value, str | int) and not isinstance(value, bool):
        return {"task": ShortId(value)}
    return value


Dependency = Annotated[
    DependencySchema, BeforeValidator(_short_form), Kind("id, or mapping: `tasks[].after[]`")
]


class TaskSchema(_Mapping):
    """An output of the work breakdown; with `tasks` under it, a summary."""

    id: Id = _required("The task's id.")
    name: Text = _required("What is done.")
    deliverable: Id | None = _field(
        "The deliverable it produces; children inherit a summary's deliverable."
    )
    outcomes: list[Id] | None = _field(
        "Outcomes it serves besides its deliverable's; children inherit a summary's.",
        style="flow",
    )
    kind: Literal["task", "procurement", "review", "milestone"] | None = _field(
        "task (default), procurement, review or milestone (takes no time)."
    )
    duration: Length | None = _field(
        "How long it takes (the most likely value); required unless it is a summary or a milestone."
    )
    estimate: EstimateSchema | None = _field("The range of its duration.", style="flow")
    cost: Amount | None = _field("Fixed cost, on top of resource cost.")
    expedite_cost_per_day: Amount | None = _field(
        "ontrack's extension: what each day taken off its duration would cost (express "
        "freight, a rush fee); `ontrack advise` prices expediting it with it."
    )
    resources: dict[Id, Positive] | None = _field(
        "Units of each resource it holds for every working hour, like {neteng: 1}.",
        style="flow",
    )
    after: list[Dependency] | None = _field(
        "Its predecessors: plain ids (finish-to-start) or {task, type, lag}.",
        style="flow-items",
    )
    not_before: Day | None = _field("It starts no earlier than this date.")
    pin: Day | None = _field(
        "ontrack's extension: it starts on the first working hour of its calendar on or "
        "after this date and is never moved by links or levelling; links it breaks and "
        "resources that pins over-allocate are reported. Not on a summary or on a task that "
        "has started."
    )
    deadline: Day | None = _field("A finish after this date is reported; it never moves the task.")
    calendar: Id | None = _field("Its calendar; the project calendar when not given.")
    actual_start: Day | None = _field("Progress: the day it started.")
    actual_finish: Day | None = _field("Progress: the day it finished; needs actual_start.")
    percent_complete: Annotated[float, Field(ge=0, le=100), Kind("number 0 to 100")] | None = (
        _field("Progress: how much is done, 0 to 100.")
    )
    actual_cost: Amount | None = _field("Progress: what it has cost so far.")
    notes: Text | None = _field("Internal notes for the team.")
    tasks: list[TaskSchema] | None = _field("Its children: this task is then a summary.")


class DelaySchema(_Mapping):
    """What a risk adds when it happens; a plain duration (`delay: 10d`) is short for
    `{low: 10d}`, exactly that much."""

    low: Length = _required(
        "The least it adds; exactly this when `high` is not given. h, d and w count working "
        "time of the task's calendar (of the project calendar for a program milestone); ed "
        "counts calendar days."
    )
    high: Length | None = _field(
        "The most it adds; not less than `low`, and in the same kind of time (working time "
        "or ed). With it, the delay is drawn uniformly between `low` and `high`."
    )


def _short_delay(value: object) -> object:
    return value if isinstance(value, dict) else {"low": value}


Delay = Annotated[
    DelaySchema,
    BeforeValidator(_short_delay),
    Kind("duration, or mapping: `risks[].impacts[].delay`"),
]


class ImpactSchema(_Mapping):
    """What a risk does to the schedule when it happens: on a task, or on a program
    milestone; exactly one of `task` and `milestone`."""

    task: Id | None = _field(
        "The task that takes longer (not a summary: name one of its tasks); the delay is "
        "added to its duration."
    )
    milestone: Id | None = _field(
        "The program milestone that slips; the delay moves its date later."
    )
    delay: Delay = _required("How much the risk adds: a duration, or a range {low, high}.")

    @field_validator("milestone")
    @classmethod
    def _not_both(cls, milestone: str | None, info: ValidationInfo) -> str | None:
        task = info.data.get("task")
        if milestone is not None and task is not None:
            raise _fail(
                "bad-impact",
                "an impact is on a task or on a program milestone, not both ({task} and "
                "{milestone}): write two impacts, one for each",
                task=shown(task),
                milestone=shown(milestone),
            )
        return milestone

    @model_validator(mode="after")
    def _one_of(self) -> ImpactSchema:
        if self.task is None and self.milestone is None:
            raise _fail(
                "bad-impact",
                "it names neither a `task` nor a `milestone`: add the one the delay falls on",
            )
        return self


class RiskSchema(_Mapping):
    """ontrack's extension: an event of the risk register, which may or may not happen."""

    id: Id = _required("The risk's id: unique among risks (other ids may repeat it).")
    description: Text = _required("What may happen, like: The access points are held at customs.")
    probability: Probability = _required(
        "The share of futures in which it happens: more than 0, at most 1 (0.3 is 30%)."
    )
    impacts: list[ImpactSchema] | None = _field(
        "What it adds to the schedule when it happens; every impact happens together. "
        "Without impacts, the risk is in the register but moves no date.",
        style="flow-items",
    )
    threatens: list[Id] | None = _field(
        "The outcomes it threatens, as the register states them.", style="flow"
    )
    owner: Text | None = _field("Who watches it and acts on it.")
    mitigation: Text | None = _field(
        "What is done, or will be done, to make it less likely or smaller."
    )


class CorrelationSchema(_Mapping):
    """ontrack's extension: tasks whose durations share a cause, so that they overrun
    together in risk analysis."""

    tasks: Annotated[list[Id], AfterValidator(_two_or_more)] = _required(
        "The tasks, at least two, none twice; not summaries or milestones, and no pair of "
        "them in another correlation.",
        style="flow",
    )
    coefficient: Coefficient = _required(
        "How strongly their durations go together, between each pair: more than 0 "
        "(independent) and less than 1 (one task)."
    )
    cause: Text | None = _field("What they share, like: Same cabling crew.")


class ConversationSchema(_Mapping):
    """What the client told us, and what was decided."""

    date: Day = _required("When it took place.")
    with_: Text | None = _field("Who we talked with.", alias="with")
    notes: Text | None = _field("What was said.")
    outcomes: list[Id] | None = _field("The outcomes it was about.", style="flow")
    decisions: list[Text] | None = _field("What was decided.", style="flow")


class PlanSchema(_Mapping):
    """A plan file: the whole project written down."""

    ontrack: Version = _required("The format version: 1.")
    project: ProjectSchema = _required("The project.")
    program: ProgramSchema | None = _field("The client's larger program, if any.")
    calendars: dict[Id, CalendarSchema | None] | None = _field(
        "Working-time calendars by id; an empty one is Monday to Friday, 8 hours."
    )
    resources: list[ResourceSchema] | None = _field("The resources tasks hold.")
    outcomes: list[OutcomeSchema] | None = _field("What the client wants to be true.")
    deliverables: list[DeliverableSchema] | None = _field("What the client receives.")
    tasks: list[TaskSchema] | None = _field("The work breakdown.")
    risks: list[RiskSchema] | None = _field(
        "ontrack's extension: the risk register, for risk analysis."
    )
    correlations: list[CorrelationSchema] | None = _field(
        "ontrack's extension: tasks whose durations go together, for risk analysis.",
        style="flow-items",
    )
    conversations: list[ConversationSchema] | None = _field(
        "What the client told us, and what was decided."
    )


TaskSchema.model_rebuild()


def yaml_fields(model: type[BaseModel]) -> dict[str, FieldInfo]:
    """The fields of a mapping by the names the file uses, in canonical order."""
    return {info.alias or name: info for name, info in model.model_fields.items()}


def inner_type(annotation: Any) -> Any:
    """The type inside Annotated[...] and `X | None`."""
    while True:
        if get_origin(annotation) is Annotated:
            annotation = get_args(annotation)[0]
        elif get_origin(annotation) in (Union, UnionType):
            others = [arg for arg in get_args(annotation) if arg is not type(None)]
            annotation = others[0]
        else:
            return annotation


def model_at(
    path: tuple[str | int, ...], root: type[BaseModel] = PlanSchema
) -> type[BaseModel] | None:
    """The schema model of the mapping at `path` in a plan file (or a `root` file), if any."""
    current: Any = root
    for step in path:
        if isinstance(current, type) and issubclass(current, BaseModel):
            info = yaml_fields(current).get(step) if isinstance(step, str) else None
            if info is None:
                return None
            current = inner_type(info.annotation)
        elif get_origin(current) in (list, dict):
            current = inner_type(get_args(current)[-1])
        else:
            return None
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None
