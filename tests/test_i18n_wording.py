"""The Vietnamese a salesperson reads: terms a native speaker checked (issue 14)."""

import polib
import pytest
from effect_env import REPO

WORDING = {
    "effect_crm": {
        # "Ngừng theo dõi" reads as Odoo's "Unfollow"; an inactive customer is one we stopped doing business with.
        "Inactive": "Ngừng giao dịch",
        "Outgoing": "Gọi đi",
        "Incoming": "Gọi đến",
        "Number": "Số hợp đồng",
        "Won: Customer": "Chốt thành khách hàng",
    },
    "effect_crm_accounting": {
        "Won: Customer": "Chốt thành khách hàng",
        "Collect %(amount)s overdue": "Thu hồi %(amount)s nợ quá hạn",
    },
}

# Wording that must not come back in any msgstr.
BANNED = ["ngừng theo dõi", "chiều đi", "chiều đến", "đã chốt: khách hàng", "lead/cơ hội"]


def _vi(addon):
    return polib.pofile(str(REPO / addon / "i18n" / "vi.po"))


@pytest.mark.parametrize("addon", sorted(WORDING))
def test_checked_terms(addon):
    vi = {e.msgid: e.msgstr for e in _vi(addon)}
    for msgid, expected in WORDING[addon].items():
        assert vi.get(msgid) == expected, msgid


@pytest.mark.parametrize("addon", sorted(WORDING))
def test_no_banned_wording(addon):
    bad = [(e.msgid, e.msgstr) for e in _vi(addon) for word in BANNED if word in e.msgstr.lower()]
    assert not bad, bad
