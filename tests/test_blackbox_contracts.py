"""Contracts and quotations over JSON-RPC against a running server with demo data."""

import base64
import io

import docx
import pytest
from odoo_client import RpcError


def _docx(text):
    document = docx.Document()
    document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return base64.b64encode(buffer.getvalue()).decode()


@pytest.fixture(scope="module")
def an(server):
    return server.client("an")


@pytest.fixture(scope="module")
def binh(server):
    return server.client("binh")


@pytest.fixture(scope="module")
def chau(server):
    return server.client("chau")


def _customer_of(client, login):
    """A company customer of ``login`` in Hà Nội, a territory only An works."""
    [user] = client.execute("res.users", "search", [("login", "=", login)])
    return client.execute(
        "res.partner",
        "search",
        [("user_id", "=", user), ("is_company", "=", True), ("state_id.code", "=", "VN-HN")],
        limit=1,
    )[0]


def test_salesman_versions_a_contract_and_a_final_version_stays_locked(an, binh, chau):
    partner = _customer_of(chau, "an")
    contract = an.execute(
        "effect.crm.contract",
        "create",
        {"partner_id": partner, "title": "Hợp đồng qua RPC", "amount": 1000},
    )
    v1 = an.execute(
        "effect.crm.contract.version",
        "create",
        {"contract_id": contract, "file": _docx("v1"), "file_name": "v1.docx"},
    )
    v2 = an.execute(
        "effect.crm.contract.version",
        "create",
        {"contract_id": contract, "file": _docx("v2"), "file_name": "v2.docx"},
    )
    versions = an.execute(
        "effect.crm.contract.version", "read", [v1, v2], ["number", "checksum", "state"]
    )
    assert [v["number"] for v in versions] == [1, 2]
    assert all(len(v["checksum"]) == 64 for v in versions)
    with pytest.raises(RpcError) as error:
        an.execute(
            "effect.crm.contract.version",
            "create",
            {
                "contract_id": contract,
                "file": base64.b64encode(b"junk").decode(),
                "file_name": "v3.docx",
            },
        )
    assert error.value.name == "odoo.exceptions.ValidationError"
    assert "v3.docx" in error.value.message
    an.execute("effect.crm.contract.version", "action_mark_final", [v2])
    with pytest.raises(RpcError) as error:
        an.execute("effect.crm.contract.version", "write", [v2], {"note": "sửa"})
    assert error.value.name == "odoo.exceptions.UserError"
    assert "is final" in error.value.message
    with pytest.raises(RpcError) as error:
        an.execute("effect.crm.contract.version", "unlink", [v2])
    assert "is final" in error.value.message
    with pytest.raises(RpcError) as error:
        an.execute("effect.crm.contract.version", "action_unlock", [v2])
    assert error.value.name == "odoo.exceptions.AccessError"
    # another salesperson does not see it; the manager unlocks it
    assert binh.execute("effect.crm.contract", "search", [("id", "=", contract)]) == []
    chau.execute("effect.crm.contract.version", "action_unlock", [v2])
    [version] = an.execute("effect.crm.contract.version", "read", [v2], ["state"])
    assert version["state"] == "draft"


def test_manager_filters_contracts_over_an_amount_in_any_currency(chau):
    """The demo holds 1.85 billion VND (about 71,000 USD) and 96 million VND (about 3,700 USD)."""
    found = chau.execute(
        "effect.crm.contract",
        "search_read",
        [("amount_over", "ilike", "5000 USD"), ("currency_id.name", "=", "VND")],
        ["title", "amount"],
    )
    amounts = sorted(row["amount"] for row in found)
    assert 1_850_000_000 in amounts
    assert 96_000_000 not in amounts
    with pytest.raises(RpcError) as error:
        chau.execute("effect.crm.contract", "search", [("amount_over", "ilike", "lots")])
    assert error.value.name == "odoo.exceptions.UserError"
