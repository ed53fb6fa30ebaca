"""Microsoft Project `.mpp` files (and the other formats MPXJ reads) as MSPDI XML.

MPXJ, a Java library, does the reading: the `msproject` extra installs the PyPI package
`mpxj`, which carries MPXJ's jars. A `java` child process runs MPXJ's converter on them,
rather than a JVM inside Python (JPype): a JVM cannot be restarted or unloaded, would stay
in a long-running web server with its memory, and a crash in it would take the server with
it. The child costs one JVM start per file: 0.1 s, and about 0.6 s for a 66-task plan.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from ontrack.core.diagnostics import Diagnostic, Location, PlanError

MISSING = "reading .mpp files needs the msproject extra: pip install 'ontrack[msproject]'"
NO_JAVA = (
    "reading .mpp files needs a Java runtime (MPXJ is a Java library): on Debian, "
    "apt install default-jre-headless; or set JAVA_HOME"
)
# MPXJ's own command-line converter (org.mpxj since MPXJ 14): UniversalProjectReader picks
# the reader from the file's content, the `.xml` of the output picks MSPDIWriter.
CONVERTER = "org.mpxj.sample.MpxjConvert"
# C1 only: a one-shot conversion starts about 40 % sooner and never runs long enough to gain
# from the optimising compiler.
JVM_OPTIONS = ("-Djava.awt.headless=true", "-XX:TieredStopAtLevel=1")
TIMEOUT_SECONDS = 300
_CAUSE = re.compile(r"^(?:Conversion Error: |Caused by: )[\w.$]+[:;] *(.*)$")


class MppUnavailable(RuntimeError):
    """The `msproject` extra or a Java runtime is missing: the reader cannot run here."""


def mpp_to_mspdi(path: Path) -> bytes:
    """The MSPDI XML of the project file at `path`, as MPXJ reads it.

    Raises MppUnavailable when MPXJ cannot run here, PlanError when the file is unreadable
    or not a project file MPXJ knows. Writes nothing outside a temporary folder it removes.
    """
    classpath = _mpxj_classpath()
    java = _java()
    try:
        path.open("rb").close()  # a missing file is the user's, not MPXJ's, problem
    except OSError as error:
        raise _file_error(
            path, "file-unreadable", f"cannot read the file: {error.strerror}"
        ) from None
    with tempfile.TemporaryDirectory(prefix="ontrack-mpp-") as folder:
        target = Path(folder, "project.xml")
        command = [java, *JVM_OPTIONS, "-cp", classpath, CONVERTER, str(path), str(target)]
        try:
            done = subprocess.run(
                command,
                capture_output=True,
                text=True,
                errors="replace",  # Java writes in the locale's encoding
                timeout=TIMEOUT_SECONDS,
                check=False,
            )
        except subprocess.TimeoutExpired:
            message = f"MPXJ did not finish reading it in {TIMEOUT_SECONDS} seconds"
            raise _file_error(path, "mpp-format", message) from None
        if done.returncode == 0 and target.is_file():
            return target.read_bytes()
    # The converter prints "Conversion Error: <exception>" and its causes on stdout when the
    # file is at fault; anything else means Java or MPXJ itself did not start.
    causes = [m.group(1) for line in done.stdout.splitlines() if (m := _CAUSE.match(line))]
    if not causes:
        said = (done.stderr.strip() or done.stdout.strip() or "no message").splitlines()[0]
        raise MppUnavailable(f"MPXJ did not run with {java}: {said}")
    # The first line says what failed, the deepest cause why (often a line of the file).
    detail = causes[0] if causes[-1] in causes[0] else f"{causes[0]} ({causes[-1]})"
    message = f"not a project file MPXJ can read: {detail}"
    raise _file_error(path, "mpp-format", message)


def _mpxj_classpath() -> str:
    # find_spec, not import: `import mpxj` needs JPype, which only the in-process API uses.
    spec = importlib.util.find_spec("mpxj")
    folders = spec.submodule_search_locations if spec else None
    if not folders:
        raise MppUnavailable(MISSING)
    lib = Path(next(iter(folders)), "lib")
    if not (lib / "mpxj.jar").is_file():
        raise MppUnavailable(f"{MISSING} (the installed mpxj has no {lib / 'mpxj.jar'})")
    return str(lib / "*")  # java expands the wildcard to every jar of the folder


def _java() -> str:
    home = os.environ.get("JAVA_HOME")
    found = (home and shutil.which("java", path=str(Path(home, "bin")))) or shutil.which("java")
    if not found:
        raise MppUnavailable(NO_JAVA)
    return found


def _file_error(path: Path, code: str, message: str) -> PlanError:
    return PlanError([Diagnostic(code, message, location=Location(str(path), 1, 1))])
