"""Build recover: a pure-Python package whose hot modules are also compiled to C extensions by mypyc.

The modules listed in pyproject.toml under ``[tool.recover] compiled`` (the text route's reading, matching,
reconstruction and repair, and the typed records they pass) are type-checked and compiled by mypyc, the compiler
of mypy itself; Python then imports the extension in place of the .py file. The compiled code does the same
thing, typed: a value of the wrong type raises TypeError instead of passing on. `recover bench` says which
modules run compiled.

RECOVER_PURE=1 installs without compiling. So does a machine without a C compiler or Python headers: the build
warns, removes what it half built, and installs the pure-Python package (slower, the same results). A type error
in a compiled module falls back the same way. Either way, extensions an earlier build left beside the sources
are deleted, so that none shadows its .py. After
editing a compiled module in an editable checkout, install again (``pip install -e .``): until then the stale
extension is imported (tests/test_compiled.py fails on it).
"""

from __future__ import annotations

import os
import sys
import tomllib
from pathlib import Path

from setuptools import setup
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
    if os.environ.get("RECOVER_PURE"):
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


setup(ext_modules=ext_modules(), cmdclass={"build_ext": OptionalBuildExt})
