"""Issue 8 (layers): the apps are layered as pyproject.toml's import-linter contracts say (config >
demo > notifications | reports > workflows > inspections > records > units > tracking | accounts);
no app imports one above it, not even inside a function."""

from pathlib import Path

from importlinter.cli import lint_imports

ROOT = Path(__file__).resolve().parent.parent


def test_no_app_imports_a_layer_above_it(monkeypatch):
    monkeypatch.chdir(ROOT)
    assert lint_imports(config_filename=str(ROOT / "pyproject.toml"), no_cache=True, no_logo=True) == 0
