"""Territory access over JSON-RPC, as each role, against a running server with demo data.

Demo: An is a member of the Hà Nội and Hải Phòng territories (Miền Bắc), Bình of the
Centre and the South, Châu is a sales manager. The test adds a user without sales
rights and an all-documents salesperson.
"""

import pytest
from odoo_client import RpcError


@pytest.fixture(scope="module")
def users(server, admin):
    def group(xmlid):
        module, name = xmlid.split(".")
        [res_id] = admin.execute(
            "ir.model.data", "search_read", [("module", "=", module), ("name", "=", name)],
            ["res_id"],
        )  # fmt: skip
        return res_id["res_id"]

    for login, groups in (
        ("rpc_employee", ["base.group_user"]),
        ("rpc_all", ["sales_team.group_sale_salesman_all_leads"]),
    ):
        if not admin.execute("res.users", "search", [("login", "=", login)]):
            admin.execute(
                "res.users",
                "create",
                {
                    "name": login,
                    "login": login,
                    "password": login,
                    "group_ids": [(6, 0, [group(g) for g in groups])],
                },
            )
    return {
        "territory": server.client("an"),
        "other_territory": server.client("binh"),
        "manager": server.client("chau"),
        "all": server.client("rpc_all"),
        "employee": server.client("rpc_employee"),
    }


def _customer(admin, state_code):
    ids = admin.execute(
        "res.partner",
        "search",
        [("effect_stage", "!=", False), ("parent_id", "=", False), ("state_id.code", "=", state_code),
         ("user_id.login", "=", "binh")],
        limit=1,
    )  # fmt: skip
    assert ids, f"demo data has a customer of Bình in {state_code}"
    return ids[0]


def test_customer_access_table_over_rpc(admin, users):
    hanoi = _customer(admin, "VN-HN")  # Bình's customer in An's territory
    saigon = _customer(admin, "VN-SG")  # Bình's customer in the South
    expected = {
        "territory": {hanoi},
        "other_territory": {hanoi, saigon},
        "manager": {hanoi, saigon},
        "all": {hanoi, saigon},
        "employee": {hanoi, saigon},  # Odoo's normal visibility: read only
    }
    for role, client in users.items():
        for customer in (hanoi, saigon):
            visible = customer in expected[role]
            if visible:
                [row] = client.execute("res.partner", "read", [customer], ["name"])
                assert row["id"] == customer
            else:
                with pytest.raises(RpcError) as error:
                    client.execute("res.partner", "read", [customer], ["name"])
                assert error.value.name == "odoo.exceptions.AccessError", role
            found = client.execute("res.partner", "search", [("id", "=", customer)])
            assert (found == [customer]) == visible, (role, customer)
            # writing: sales roles on what they see; the employee never
            can_write = visible and role != "employee"
            try:
                client.execute("res.partner", "write", [customer], {"comment": f"by {role}"})
                wrote = True
            except RpcError as error:
                assert error.name == "odoo.exceptions.AccessError"
                wrote = False
            assert wrote == can_write, (role, customer)


def test_documents_and_quotes_over_rpc(admin, users):
    saigon = _customer(admin, "VN-SG")
    document = admin.execute(
        "effect.crm.document",
        "create",
        {"name": "RPC doc", "partner_id": saigon, "document_type": "link", "link": "https://a.vn"},
    )
    an = users["territory"]
    with pytest.raises(RpcError):
        an.execute("effect.crm.document", "read", [document], ["name"])
    assert not an.execute("effect.crm.document", "search", [("id", "=", document)])
    with pytest.raises(RpcError):
        users["employee"].execute("effect.crm.document", "search", [])
    assert users["other_territory"].execute("effect.crm.document", "read", [document], ["name"])
    groups = an.execute(
        "res.partner", "read_group", [("effect_stage", "!=", False)], ["state_id"], ["state_id"]
    )
    provinces = {g["state_id"][1] for g in groups if g["state_id"]}
    assert "TP Hồ Chí Minh" not in provinces
    names = [n for _i, n in an.execute("res.partner", "name_search", "Sài Gòn")]
    assert not any("Sài Gòn Xanh" in n for n in names)
