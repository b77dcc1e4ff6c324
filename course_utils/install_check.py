"""Is this computer ready for the course? The install check of notebook 00.

:func:`check_install` imports nothing from the course but its version, reads the installed
versions of the packages the course's results depend on, and compares them with the
versions the course was tested with. It needs no file of the course folder, so it gives
the same answer in ``notebooks/``, in your copies in ``my-notebooks/``, on a JupyterHub
and in a notebook you copied anywhere else.

The tested versions are written below (:data:`TESTED_VERSIONS`); they are the pins of
``requirements.lock`` for these packages, and ``tests/test_install_check.py`` keeps the
two in step.
"""

from __future__ import annotations

from dataclasses import dataclass, field
import re
from importlib import metadata

__all__ = ["TESTED_VERSIONS", "InstallReport", "check_install", "minimum_versions"]

#: The packages whose version can change a number or a figure of the course, and the
#: version the course was tested with (as pinned in requirements.lock).
TESTED_VERSIONS = {
    "numpy": "2.4.6",
    "scipy": "1.17.1",
    "matplotlib": "3.11.2",
    "ipywidgets": "8.1.9",
    "sympy": "1.14.0",
    "scikit-learn": "1.9.1",
    "jupyterlab": "4.6.6",
    "ipympl": "0.10.0",
}


@dataclass(frozen=True)
class InstallReport:
    """What :func:`check_install` found.

    ``rows`` holds ``(package, installed, tested, minimum)`` for every key package
    (``installed`` None when missing, ``minimum`` None when the course states none).
    ``differing`` maps a package to ``(installed, tested)`` where the two differ;
    ``too_old`` maps a package to ``(installed, minimum)`` where it is missing or older
    than the course needs. ``ok`` is True when every package is at its tested version.
    ``lines`` is the report as printed.
    """

    course_utils_version: str
    differing: dict = field(default_factory=dict)
    rows: tuple = ()
    too_old: dict = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.differing and not self.too_old

    @property
    def lines(self) -> list[str]:
        out = [f"course_utils {self.course_utils_version}: imported"]
        for name, installed, tested, minimum in self.rows:
            needs = f", needs >= {minimum}" if minimum else ""
            if name in self.too_old:
                verdict = "MISSING" if installed is None else "TOO OLD"
            elif installed == tested:
                verdict = "ok"
            else:
                verdict = "works, but not the tested version"
            out.append(f"  {name} {installed or '(not installed)'} "
                       f"(tested {tested}{needs}): {verdict}")
        if self.ok:
            out.append("key packages at the tested versions: yes")
            return out
        if self.too_old:
            out.append("key packages the course needs: NO, missing or too old: "
                       + ", ".join(self.too_old))
            out.append("The course will not run correctly like this. Run `make lab` in the "
                       "course folder (it installs the tested versions); on a JupyterHub, tell "
                       "your instructor which packages this names.")
            return out
        parts = [f"{name} not installed (tested: {tested})" if installed is None
                 else f"{name} {installed} (tested: {tested})"
                 for name, (installed, tested) in self.differing.items()]
        out.append("key packages at the tested versions: NO, differing: " + "; ".join(parts))
        out.append("The notebooks will probably still run, but a number or a figure may differ "
                   "from the stored one. To get the tested versions, run `make lab` in the "
                   "course folder (it rebuilds the environment); on a JupyterHub, tell your "
                   "instructor.")
        return out

    def __str__(self) -> str:
        return "\n".join(self.lines)


def _installed(name: str):
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


_REQUIREMENT = re.compile(r"^\s*([A-Za-z0-9_.-]+)\s*(?:\[[^]]*\])?\s*>=\s*([0-9][0-9A-Za-z.]*)")


def minimum_versions() -> dict:
    """``{package: minimum}`` the course states, read from the installed package's metadata.

    The course's ``pyproject.toml`` says ``numpy>=1.26`` and so on (extras included);
    once installed, those requirements are in the package's metadata, so this works
    wherever the package is installed, in a checkout or not. Empty when the package's
    metadata is not found (e.g. the package folder copied by hand).
    """
    try:
        requirements = metadata.requires("course-utils") or []
    except metadata.PackageNotFoundError:
        return {}
    found = {}
    for requirement in requirements:
        match = _REQUIREMENT.match(requirement)
        if match:
            found[_normal(match.group(1))] = match.group(2)
    return found


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _release(version: str) -> tuple:
    """The numeric release of a version string, for comparisons: '2.4.6rc1' -> (2, 4, 6)."""
    numbers = []
    for part in version.split("."):
        digits = re.match(r"\d+", part)
        if digits is None:
            break
        numbers.append(int(digits.group(0)))
        if digits.group(0) != part:
            break
    return tuple(numbers)


def check_install(*, show: bool = True, tested: dict | None = None) -> InstallReport:
    """Compare every key package with the version the course needs and the tested one.

    Parameters
    ----------
    show : bool
        Print the report: a line per key package, then the verdict.
    tested : dict, optional
        ``{package: version}`` to compare with instead of :data:`TESTED_VERSIONS`.

    Returns
    -------
    InstallReport

    Examples
    --------
    >>> report = check_install(show=False, tested={"a-package-nobody-installed": "1.0"})
    >>> report.ok, report.differing
    (False, {'a-package-nobody-installed': (None, '1.0')})
    >>> _release("2.4.6rc1") < _release("2.10")
    True
    """
    if tested is None:
        tested = TESTED_VERSIONS
    if not isinstance(tested, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in tested.items()):
        raise TypeError("tested must be a dict of package name -> version string, e.g. "
                        f"{{'numpy': '2.4.6'}}; got {tested!r}.")
    from . import __version__

    minimum = minimum_versions()
    differing, too_old, rows = {}, {}, []
    for name, version in tested.items():
        installed = _installed(name)
        least = minimum.get(_normal(name))
        rows.append((name, installed, version, least))
        if installed != version:
            differing[name] = (installed, version)
        if installed is None or (least and _release(installed) < _release(least)):
            too_old[name] = (installed, least)
    report = InstallReport(__version__, differing, tuple(rows), too_old)
    if show:
        print(report)
    return report
