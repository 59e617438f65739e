"""A salesperson works with customers through JSON-RPC against a running server."""

import pytest
from odoo_client import RpcError


@pytest.fixture(scope="module")
def salesman(server):
    return server.client("an")


@pytest.fixture(scope="module")
def manager(server):
    return server.client("chau")


def test_salesman_creates_a_prospect_with_an_attribute_value(salesman):
    hanoi = salesman.execute("res.country.state", "search", [("code", "=", "VN-HN")], limit=1)
    partner_id = salesman.execute(
        "res.partner",
        "create",
        {
            "name": "Công ty TNHH Hộp Đen",
            "is_company": True,
            "effect_stage": "prospect",
            "state_id": hanoi[0],
            "vat": "0100109106-002",
            "properties": {"effect_source": "fair", "effect_revenue": 42.5},
        },
    )
    [partner] = salesman.execute(
        "res.partner", "read", [partner_id], ["effect_stage", "vat", "properties", "user_id"]
    )
    values = {prop["name"]: prop.get("value") for prop in partner["properties"]}
    assert partner["effect_stage"] == "prospect"
    assert partner["vat"] == "0100109106-002"
    assert values["effect_source"] == "fair"
    assert values["effect_revenue"] == 42.5
    found = salesman.execute(
        "res.partner",
        "search",
        [("properties.effect_source", "=", "fair"), ("id", "=", partner_id)],
    )
    assert found == [partner_id]


def test_invalid_tax_code_is_refused_with_a_clear_message(salesman):
    with pytest.raises(RpcError) as error:
        salesman.execute(
            "res.partner",
            "create",
            {
                "name": "Sai MST",
                "effect_stage": "prospect",
                "country_id": _vn(salesman),
                "vat": "0100109107",
            },
        )
    assert error.value.name == "odoo.exceptions.ValidationError"
    assert "0100109107" in error.value.message


def test_salesman_cannot_change_attribute_definitions(salesman, manager):
    [partner_id] = salesman.execute(
        "res.partner", "search", [("effect_stage", "!=", False)], limit=1
    )
    [partner] = salesman.execute("res.partner", "read", [partner_id], ["properties"])
    attempt = partner["properties"] + [
        {"name": "secret", "string": "Secret", "type": "char", "definition_changed": True}
    ]
    with pytest.raises(RpcError) as error:
        salesman.execute("res.partner", "write", [partner_id], {"properties": attempt})
    assert error.value.name == "odoo.exceptions.AccessError"
    # the sales manager can: the new attribute appears on every customer
    manager.execute("res.partner", "write", [partner_id], {"properties": attempt})
    [other] = manager.execute(
        "res.partner", "search_read", [("effect_stage", "!=", False), ("id", "!=", partner_id)],
        ["properties"], limit=1,
    )  # fmt: skip
    assert "secret" in [prop["name"] for prop in other["properties"]]
    # and remove it again: every other value stays
    [partner] = manager.execute("res.partner", "read", [partner_id], ["properties"])
    before = {prop["name"]: prop.get("value") for prop in partner["properties"]}
    removal = [
        dict(prop, definition_deleted=True) if prop["name"] == "secret" else prop
        for prop in partner["properties"]
    ]
    manager.execute("res.partner", "write", [partner_id], {"properties": removal})
    [partner] = manager.execute("res.partner", "read", [partner_id], ["properties"])
    after = {prop["name"]: prop.get("value") for prop in partner["properties"]}
    del before["secret"]
    assert after == before


def _vn(client):
    return client.execute("res.country", "search", [("code", "=", "VN")], limit=1)[0]
