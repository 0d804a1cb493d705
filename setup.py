"""Build recover: a pure-Python package, its data models (``models/``) shipped inside it as ``recover.models``.

The repository keeps ``models/`` at its top level; the wheel (and an editable install) maps it to the subpackage
``recover.models``, which the code reads through ``importlib.resources`` (``recover.catalogue.models_dir``).

Compiling is opt-in: ``RECOVER_COMPILE=1`` compiles the modules listed in pyproject.toml under
``[tool.recover] compiled`` (the text route's reading, matching, reconstruction and repair) to C extensions with
mypyc, which needs mypy (``pip install mypy==2.4.1``, then ``pip install --no-build-isolation``), gcc and Python's
headers. Python then imports each extension in place of its ``.py``: the same results, the text route some 25 %
faster, and an edited module takes effect only after installing again (tests/test_compiled.py fails on a stale
one). A build that cannot compile warns and installs the pure-Python package. Without ``RECOVER_COMPILE``,
extensions an earlier build left beside the sources are deleted, so that none shadows its ``.py``.
"""

from __future__ import annotations

import os
import sys
import tomllib
from pathlib import Path

from setuptools import find_packages, setup
from setuptools.command.build_ext import build_ext

ROOT = Path(__file__).parent


def compiled_modules() -> list[str]:
    with open(ROOT / "pyproject.toml", "rb") as f:
        return tomllib.load(f)["tool"]["recover"]["compiled"]


class OptionalBuildExt(build_ext):
    """Build the extensions, or none: a failure (no compiler, no Python.h) leaves no half-built extension
    behind, since a module's shim without the shared library it loads would fail at import."""

    def run(self) -> None:
        try:
            super().run()
        except Exception as exc:  # noqa: BLE001 - any build failure: fall back to the pure-Python modules
            self._remove_outputs()
            print(f"recover: compiling with mypyc failed ({type(exc).__name__}: {exc}); installing the pure-Python "
                  "modules (the same results, slower)", file=sys.stderr)

    def _remove_outputs(self) -> None:
        for ext in self.extensions:
            built = Path(self.get_ext_fullpath(ext.name))
            in_place = ROOT / Path(*ext.name.split(".")).with_name(built.name)
            for p in (built, in_place):
                if p.exists():
                    p.unlink()


def _remove_in_place() -> None:
    """Delete the extensions an earlier build left next to the sources (an editable checkout): installing the
    pure-Python package, a stale one would be imported in place of its edited .py, and their shared library
    would no longer be found."""
    for module in compiled_modules():
        path = ROOT / module
        for built in path.parent.glob(path.stem + ".*.so"):
            built.unlink()
    for built in ROOT.glob("recover__mypyc*.so"):
        built.unlink()


def ext_modules() -> list:
    if not os.environ.get("RECOVER_COMPILE"):
        _remove_in_place()
        return []
    try:
        from mypyc.build import mypycify
    except ImportError:
        print("recover: mypyc not available; installing the pure-Python modules", file=sys.stderr)
        _remove_in_place()
        return []
    try:
        # (modules that are not compiled are read for their types only: their own type errors do not count)
        return mypycify(["--config-file", str(ROOT / "pyproject.toml"), "--follow-imports=silent",
                         *compiled_modules()], opt_level="3", group_name="recover")
    except (Exception, SystemExit) as exc:  # noqa: BLE001 - a type error stops mypyc: fall back, loudly
        print(f"recover: mypyc could not compile ({exc}); installing the pure-Python modules", file=sys.stderr)
        _remove_in_place()
        return []


setup(packages=[*find_packages(include=["recover", "recover.*"]), "recover.models"],
      package_dir={"recover.models": "models"},
      package_data={"recover.models": ["*.yaml", "*.json"],
                    "recover.review": ["templates/*.html", "templates/*.css", "static/*.js"]},
      ext_modules=ext_modules(), cmdclass={"build_ext": OptionalBuildExt})
