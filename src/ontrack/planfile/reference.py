"""The field reference of docs/plan-format.md, generated from the schema.

`python -m ontrack.planfile.reference docs/plan-format.md` rewrites the part of that
file between the two markers; a test fails when it is out of date.
"""

from __future__ import annotations

import sys
from pathlib import Path
from types import UnionType
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel

from ontrack.planfile.schema import Kind, PlanSchema, inner_type, yaml_fields

BEGIN = "<!-- fields: generated from the schema, do not edit by hand -->"
END = "<!-- end of fields -->"


def field_reference() -> str:
    """One table per mapping of the file, in the order a reader meets them."""
    found = mappings()
    titles = {model: title for title, model in found}
    parts: list[str] = []
    for title, model in found:
        rows = [
            f"| `{name}` | {_type_name(info.annotation, info.metadata, titles)} | "
            f"{'yes' if info.is_required() else ''} | {info.description or ''} |"
            for name, info in yaml_fields(model).items()
        ]
        parts.append(
            f"### {title}\n\n{(model.__doc__ or '').strip()}\n\n"
            "| field | type | required | meaning |\n| --- | --- | --- | --- |\n" + "\n".join(rows)
        )
    return "\n\n".join(parts) + "\n"


def mappings() -> list[tuple[str, type[BaseModel]]]:
    """Every schema model with the path where it appears, breadth first from the top."""
    found: list[tuple[str, type[BaseModel]]] = [("The file", PlanSchema)]
    seen: set[type[BaseModel]] = {PlanSchema}
    for parent_path, model in found:
        prefix = "" if model is PlanSchema else parent_path.strip("`") + "."
        for name, info in yaml_fields(model).items():
            kind, suffix = inner_type(info.annotation), ""
            while get_origin(kind) in (list, dict):
                suffix += "[]" if get_origin(kind) is list else ".ID"
                kind = inner_type(get_args(kind)[-1])
            if isinstance(kind, type) and issubclass(kind, BaseModel) and kind not in seen:
                seen.add(kind)
                found.append((f"`{prefix}{name}{suffix}`", kind))
    return found


def _type_name(annotation: Any, metadata: list[Any], titles: dict[type, str]) -> str:
    kind = next((item for item in metadata if isinstance(item, Kind)), None)
    if kind:
        return kind.name
    origin, args = get_origin(annotation), get_args(annotation)
    if origin is Annotated:
        return _type_name(args[0], list(args[1:]), titles)
    if origin in (Union, UnionType):
        return _type_name(next(arg for arg in args if arg is not type(None)), [], titles)
    if origin is Literal:
        return " \\| ".join(f"`{value}`" for value in args)
    if origin is list:
        return f"list of {_type_name(args[0], [], titles)}"
    if origin is dict:
        return f"mapping of id to {_type_name(args[1], [], titles)}"
    if annotation is bool:
        return "true or false"
    if annotation in titles:
        return f"mapping: {titles[annotation]}"
    return getattr(annotation, "__name__", str(annotation))


def rewrite(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    head, rest = text.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    path.write_text(f"{head}{BEGIN}\n\n{field_reference()}\n{END}{tail}", encoding="utf-8")


if __name__ == "__main__":
    rewrite(Path(sys.argv[1]))
