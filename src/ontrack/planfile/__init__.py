"""Plan files: YAML text to the core model and back, with file positions for every problem."""

from ontrack.planfile.dump import dump_plan
from ontrack.planfile.read import load_plan, parse_plan

__all__ = ["dump_plan", "load_plan", "parse_plan"]
