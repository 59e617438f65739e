"""The tables of the readme that name their proofs name tests that exist (no database).

Effect_crm/readme/USAGE.md "Bad input" and CONFIGURE.md "Who sees and changes what"
cite tests by name (``TestClass.test_method``, ``test_function``, ``TestClass`` or
``tests/file.py::test_function``); a renamed or deleted test must not leave the table
promising what nothing checks any more.
"""

import ast
import re

import pytest
from effect_env import REPO

CITED = re.compile(r"``([^`]+)``")
NAME = re.compile(r"^(tests/[\w/]+\.py::)?(Test\w+)?(\.)?(test_\w+)?$")


def _section(path, start, end):
    """The text of ``path`` from the line holding ``start`` to the next line holding
    ``end`` (or the end of the file)."""
    text = path.read_text(encoding="utf-8")
    begin = text.index(start)
    stop = text.find(end, begin + len(start))
    return text[begin : stop if stop != -1 else None]


def _tests():
    """``{file: {"functions": set, "classes": {class: set of methods}}}`` of every test
    module of the addons and of tests/."""
    found = {}
    files = [*REPO.glob("effect_crm*/tests/test_*.py"), *REPO.glob("tests/test_*.py")]
    for path in files:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        functions = {
            node.name
            for node in tree.body
            if isinstance(node, ast.FunctionDef) and node.name.startswith("test_")
        }
        classes = {
            node.name: {
                item.name
                for item in node.body
                if isinstance(item, ast.FunctionDef) and item.name.startswith("test_")
            }
            for node in tree.body
            if isinstance(node, ast.ClassDef) and node.name.startswith("Test")
        }
        found[str(path.relative_to(REPO))] = {"functions": functions, "classes": classes}
    return found


def _exists(cited, tests):
    match = NAME.match(cited)
    assert match, cited
    file, cls, _dot, method = match.groups()
    modules = tests.items()
    if file:
        modules = [(file[:-2], tests.get(file[:-2], {"functions": set(), "classes": {}}))]
    for _path, module in modules:
        if cls and method and method in module["classes"].get(cls, ()):
            return True
        if cls and not method and cls in module["classes"]:
            return True
        if not cls and method:
            methods = set().union(module["functions"], *module["classes"].values())
            if method in methods:
                return True
    return False


TABLES = [
    ("effect_crm/readme/USAGE.md", "### Bad input", "\n### "),
    ("effect_crm/readme/CONFIGURE.md", "**Who sees and changes what**", "\n- **"),
]


@pytest.mark.parametrize(("path", "start", "end"), TABLES)
def test_every_test_a_readme_table_names_exists(path, start, end):
    section = _section(REPO / path, start, end)
    cited = [
        name
        for name in CITED.findall(section)
        if name.startswith(("Test", "test_")) or "::" in name
    ]
    assert len(cited) >= 10, f"{path}: the table names its tests"
    tests = _tests()
    missing = [name for name in cited if not _exists(name, tests)]
    assert not missing, f"{path} names tests that do not exist: {missing}"
