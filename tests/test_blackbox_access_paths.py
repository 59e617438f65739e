"""The access model on the indirect paths (issue 11), over JSON-RPC only, against a
running server with the demo data.

Demo: An (``an``) works the North and may see receivables, Bình (``binh``) the Centre
and the South and may not, Châu (``chau``) is a sales manager, Phạm Thu Hà
(``ketoan``) an accountant. The test adds a director ("CRM: read all"), an employee
without sales rights and a portal user.
"""

import base64
import uuid

import pytest
from odoo_client import RpcError

HIDDEN = "another salesperson or territory"


@pytest.fixture(scope="module")
def users(server, admin, ref):
    for login, group in (
        ("rpc_paths_director", ref("group_crm_read_all")),
        ("rpc_paths_employee", ref("group_user", "base")),
        ("rpc_paths_portal", ref("group_portal", "base")),
    ):
        if not admin.execute("res.users", "search", [("login", "=", login)]):
            admin.execute(
                "res.users",
                "create",
                {
                    "name": login,
                    "login": login,
                    "password": login,
                    "group_ids": [(6, 0, [group])],
                },
            )
    return {
        "an": server.client("an"),
        "binh": server.client("binh"),
        "chau": server.client("chau"),
        "ketoan": server.client("ketoan"),
        "director": server.client("rpc_paths_director"),
        "employee": server.client("rpc_paths_employee"),
        "portal": server.client("rpc_paths_portal"),
    }


@pytest.fixture(scope="module")
def demo(ref):
    return {
        "viet_hung": ref("partner_company_01_demo"),  # An's, Hà Nội
        "sai_gon": ref("partner_company_02_demo"),  # Bình's, the South: hidden from An
    }


def _refused(client, model, method, *args, **kwargs):
    with pytest.raises(RpcError) as error:
        client.execute(model, method, *args, **kwargs)
    assert error.value.name == "odoo.exceptions.AccessError", (model, method, error.value)
    return error.value


def test_nothing_is_created_on_or_moved_to_a_hidden_customer(admin, users, demo):
    an = users["an"]
    hidden = demo["sai_gon"]
    error = _refused(an, "sale.order", "create", {"partner_id": hidden})
    assert HIDDEN in error.message
    _refused(an, "sale.order", "create", {}, context={"default_partner_id": hidden})
    for model, values in (
        ("effect.crm.document", {"name": "x", "document_type": "link", "link": "https://a.vn"}),
        ("crm.lead", {"name": "x"}),
        ("effect.crm.contract", {"title": "x"}),
    ):
        error = _refused(an, model, "create", {**values, "partner_id": hidden})
        assert HIDDEN in error.message, model
    # a document of An's customer cannot be moved to the hidden one
    document = an.execute(
        "effect.crm.document",
        "create",
        {"name": "RPC paths", "partner_id": demo["viet_hung"], "document_type": "link",
         "link": "https://b.vn"},
    )  # fmt: skip
    _refused(an, "effect.crm.document", "write", [document], {"partner_id": hidden})
    [row] = admin.execute("effect.crm.document", "read", [document], ["partner_id"])
    assert row["partner_id"][0] == demo["viet_hung"]


def test_a_quotation_naming_the_salesperson_gives_nothing_on_a_hidden_customer(admin, users, demo):
    an_uid = users["an"].uid
    order = admin.execute(
        "sale.order", "create", {"partner_id": demo["sai_gon"], "user_id": an_uid}
    )
    count = admin.execute(
        "effect.crm.interaction", "search_count", [("partner_id", "=", demo["sai_gon"])]
    )
    an = users["an"]
    _refused(an, "sale.order", "read", [order], ["partner_id"])
    for button in ("action_effect_mark_sent", "action_confirm"):
        _refused(an, "sale.order", button, [order])
    [row] = admin.execute("sale.order", "read", [order], ["state", "effect_customer_status"])
    assert (row["state"], row["effect_customer_status"]) == ("draft", "not_sent")
    assert count == admin.execute(
        "effect.crm.interaction", "search_count", [("partner_id", "=", demo["sai_gon"])]
    )


def test_context_keys_are_no_authority(admin, users, demo):
    an = users["an"]
    name = f"RPC khách {uuid.uuid4().hex[:6]}"
    # created from the web client's form: the Salesperson field empty
    customer = an.execute(
        "res.partner",
        "create",
        {"name": name, "is_company": True, "effect_stage": "prospect", "user_id": False},
    )
    [row] = admin.execute("res.partner", "read", [customer], ["user_id"])
    assert row["user_id"][0] == an.uid
    territory = admin.execute("effect.crm.territory", "search", [], limit=1)[0]
    an.execute(
        "res.partner",
        "write",
        [customer],
        {"effect_territory_id": territory},
        context={"effect_assignment_reason": "reassignment", "effect_reassignment_id": 1},
    )
    [entry] = admin.execute(
        "effect.crm.territory.history",
        "search_read",
        [("partner_id", "=", customer), ("territory_to_id", "=", territory)],
        ["reason", "reassignment_id", "author_id"],
    )
    assert entry["reason"] == "manual"
    assert not entry["reassignment_id"]
    assert entry["author_id"][0] == an.uid


def test_a_final_version_is_unlocked_by_a_sales_manager_only(admin, users, demo):
    contract = users["an"].execute(
        "effect.crm.contract", "create", {"title": "RPC HĐ", "partner_id": demo["viet_hung"]}
    )
    # the smallest valid upload: a document the upload check accepts is a real .docx;
    # reuse the file of a demo version
    [source] = admin.execute(
        "effect.crm.contract.version", "search_read", [], ["file", "file_name"], limit=1
    )
    data = base64.b64decode(source["file"])
    version = users["an"].execute(
        "effect.crm.contract.version",
        "create",
        {"contract_id": contract, "file": base64.b64encode(data).decode(),
         "file_name": source["file_name"]},
    )  # fmt: skip
    users["an"].execute("effect.crm.contract.version", "action_mark_final", [version])
    _refused(
        users["an"],
        "effect.crm.contract.version",
        "write",
        [version],
        {"state": "draft"},
        context={"effect_unlock_version": True},
    )
    _refused(users["an"], "effect.crm.contract.version", "action_unlock", [version])
    users["chau"].execute("effect.crm.contract.version", "action_unlock", [version])
    [row] = admin.execute("effect.crm.contract.version", "read", [version], ["state"])
    assert row["state"] == "draft"
    bodies = admin.execute(
        "mail.message",
        "search_read",
        [("model", "=", "effect.crm.contract"), ("res_id", "=", contract)],
        ["body"],
    )
    assert any("unlocked" in message["body"] for message in bodies)


def test_unassigned_opportunities_follow_their_customer(admin, users, demo):
    lead = admin.execute(
        "crm.lead",
        "create",
        {"name": "RPC cơ hội", "partner_id": demo["sai_gon"], "user_id": False,
         "type": "opportunity"},
    )  # fmt: skip
    _refused(users["an"], "crm.lead", "read", [lead], ["email_from", "phone"])
    assert not users["an"].execute("crm.lead", "search", [("id", "=", lead)])
    assert users["binh"].execute("crm.lead", "read", [lead], ["name"])


def test_accountants_read_quotations_and_change_none(admin, users, demo):
    order = admin.execute("sale.order", "search", [], limit=1)[0]
    ketoan = users["ketoan"]
    assert ketoan.execute("sale.order", "read", [order], ["name", "amount_total"])
    _refused(ketoan, "sale.order", "write", [order], {"client_order_ref": "x"})
    for button in (
        "action_effect_mark_sent",
        "action_effect_mark_received",
        "action_effect_mark_accepted",
        "action_effect_mark_refused",
    ):
        _refused(ketoan, "sale.order", button, [order])


def test_what_customers_owe_needs_the_receivables_group(admin, users, demo):
    binh = users["binh"]  # not in the group
    _refused(binh, "res.partner", "read", [demo["sai_gon"]], ["effect_amount_overdue"])
    _refused(binh, "effect.crm.interaction", "search_read", [], ["effect_promised_amount"])
    _refused(binh, "effect.crm.collection", "search_read", [], ["amount_overdue"])
    assert binh.execute("account.move", "search", [("move_type", "=", "out_invoice")]) == []
    assert binh.execute("account.move.line", "search", []) == []
    # An, in the group, reads the invoices Odoo lets them read
    an_moves = users["an"].execute("account.move", "search_read", [], ["amount_residual"])
    assert isinstance(an_moves, list)


def test_directors_read_all_and_others_nothing_of_the_crm(admin, users, demo):
    director, employee = users["director"], users["employee"]
    for model in ("effect.crm.interaction", "effect.crm.document", "effect.crm.contract",
                  "sale.order", "crm.lead"):  # fmt: skip
        assert director.execute(model, "search_count", []) == admin.execute(
            model, "search_count", []
        ), model
        _refused(employee, model, "search", [])
    interaction = admin.execute("effect.crm.interaction", "search", [], limit=1)
    _refused(director, "effect.crm.interaction", "write", interaction, {"name": "x"})
    # the portal user reads nothing of the CRM either
    for model in ("effect.crm.interaction", "effect.crm.document", "effect.crm.territory"):
        _refused(users["portal"], model, "search", [])


def test_crm_fields_of_partners_are_internal(admin, users, demo):
    """Employees without sales rights and portal users read a partner as Odoo shows it."""
    portal = users["portal"]
    [me] = admin.execute("res.users", "read", [portal.uid], ["partner_id"])
    partner_id = me["partner_id"][0]
    assert portal.execute("res.partner", "read", [partner_id], ["name"])
    for field in ("effect_stage", "effect_territory_id", "effect_salesperson_id", "properties"):
        _refused(portal, "res.partner", "read", [partner_id], [field])
        _refused(users["employee"], "res.partner", "read", [demo["viet_hung"]], [field])
        assert users["director"].execute("res.partner", "read", [demo["viet_hung"]], [field])
    assert users["employee"].execute("res.partner", "read", [demo["viet_hung"]], ["name", "city"])
    fields = users["employee"].execute("res.partner", "fields_get", [], ["type"])
    assert "effect_stage" not in fields
    _refused(users["employee"], "effect.crm.territory", "search", [])
