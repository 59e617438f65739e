"""Every user-facing term of the code is in the .pot and translated in vi.po."""

import importlib.machinery
import importlib.util

import polib
import pytest
from effect_env import REPO, project_addons


def _i18n_tool():
    loader = importlib.machinery.SourceFileLoader("effect_i18n", str(REPO / "bin" / "i18n"))
    spec = importlib.util.spec_from_loader("effect_i18n", loader)
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


def _key(entry):
    return (entry.msgctxt, entry.msgid)


@pytest.mark.parametrize("addon", project_addons())
def test_pot_is_up_to_date_and_vi_complete(addon, test_db, tmp_path):
    fresh = tmp_path / f"{addon}.pot"
    _i18n_tool().export_pot(test_db, addon, fresh)
    code_terms = {_key(e) for e in polib.pofile(str(fresh))}
    committed = {_key(e) for e in polib.pofile(str(REPO / addon / "i18n" / f"{addon}.pot"))}
    assert code_terms - committed == set(), "terms missing from the .pot: run bin/i18n"
    vi = polib.pofile(str(REPO / addon / "i18n" / "vi.po"))
    translated = {_key(e) for e in vi if e.msgstr and not e.obsolete and "fuzzy" not in e.flags}
    untranslated = sorted(msgid for _ctx, msgid in code_terms - translated)
    assert not untranslated, f"{len(untranslated)} terms untranslated in vi.po: {untranslated[:10]}"
