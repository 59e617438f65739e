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
    for login, groups in (
        ("rpc_paths_director", [ref("group_crm_read_all")]),
        ("rpc_paths_employee", [ref("group_user", "base")]),
        ("rpc_paths_portal", [ref("group_portal", "base")]),
        # a director who also sells, own documents only, in no territory
        ("rpc_paths_selling_director",
         [ref("group_crm_read_all"), ref("group_sale_salesman", "sales_team")]),
    ):  # fmt: skip
        if not admin.execute("res.users", "search", [("login", "=", login)]):
            admin.execute(
                "res.users",
                "create",
                {
                    "name": login,
                    "login": login,
                    "password": login,
                    "group_ids": [(6, 0, groups)],
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
        "selling_director": server.client("rpc_paths_selling_director"),
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


@pytest.fixture(scope="module")
def chatter(admin, users, demo):
    """On An's customer: a note, an action, a file and a follower, as the sales team
    leaves them; the portal user is a contact person of that customer."""
    customer = demo["viet_hung"]
    [note] = admin.execute(
        "res.partner", "message_post", [customer],
        body="Khách hỏi giá thép cuộn, hẹn gặp giám đốc", message_type="comment",
        subtype_xmlid="mail.mt_note",
    )  # fmt: skip
    [model_id] = admin.execute("ir.model", "search", [("model", "=", "res.partner")])
    activity = admin.execute(
        "mail.activity", "create",
        {"res_model_id": model_id, "res_id": customer, "summary": "Gọi lại báo giá",
         "user_id": users["an"].uid},
    )  # fmt: skip
    attachment = admin.execute(
        "ir.attachment", "create",
        {"name": "bao-gia.txt", "datas": base64.b64encode(b"price list").decode(),
         "res_model": "res.partner", "res_id": customer},
    )  # fmt: skip
    [an] = admin.execute("res.users", "read", [users["an"].uid], ["partner_id"])
    admin.execute("res.partner", "message_subscribe", [customer], [an["partner_id"][0]])
    [portal] = admin.execute("res.users", "read", [users["portal"].uid], ["partner_id"])
    admin.execute("res.partner", "write", [portal["partner_id"][0]], {"parent_id": customer})
    return {"customer": customer, "note": note, "activity": activity, "attachment": attachment}


def _chatter_of(client, customer):
    """What ``client`` finds of a partner's chatter, model by model."""
    found = {}
    for model, field in (
        ("mail.message", "model"),
        ("mail.activity", "res_model"),
        ("ir.attachment", "res_model"),
        ("mail.followers", "res_model"),
    ):
        domain = [(field, "=", "res.partner"), ("res_id", "=", customer)]
        try:
            found[model] = {
                row["id"] for row in client.execute(model, "search_read", domain, ["id"])
            }
        except RpcError as error:
            assert error.name == "odoo.exceptions.AccessError", (model, error)
            found[model] = set()
    return found


def test_the_chatter_of_a_customer_is_for_the_sales_team(admin, users, chatter):
    customer = chatter["customer"]
    expected = {
        "mail.message": chatter["note"],
        "mail.activity": chatter["activity"],
        "ir.attachment": chatter["attachment"],
    }
    for role in ("an", "director", "selling_director"):
        found = _chatter_of(users[role], customer)
        for model, record in expected.items():
            # Odoo shows an activity to whom it is assigned and to who may change its
            # document: directors change no customer (they read the interactions)
            assert (record in found[model]) == (model != "mail.activity" or role == "an"), (
                role,
                model,
            )
        assert found["mail.followers"], role
    for role in ("employee", "portal"):
        found = _chatter_of(users[role], customer)
        assert not any(found.values()), (role, found)
        _refused(users[role], "mail.message", "read", [chatter["note"]], ["body"])
        _refused(users[role], "ir.attachment", "read", [chatter["attachment"]], ["datas"])
    _refused(users["employee"], "mail.activity", "read", [chatter["activity"]], ["summary"])
    # nothing through the partner's own fields either
    fields = ["message_ids", "activity_ids", "activity_summary", "activity_user_id"]
    [row] = users["employee"].execute("res.partner", "read", [customer], fields)
    assert [row[name] for name in fields] == [[], [], False, False]
    [row] = users["an"].execute("res.partner", "read", [customer], fields)
    assert chatter["activity"] in row["activity_ids"]
    assert (
        users["employee"].execute(
            "mail.message",
            "search_count",
            [("model", "=", "res.partner"), ("res_id", "=", customer)],
        )
        == 0
    )


def test_the_chatter_route_of_the_web_client(users, chatter):
    customer = chatter["customer"]
    params = {"thread_model": "res.partner", "thread_id": customer, "fetch_params": {"limit": 50}}
    an = users["an"].route("/mail/thread/messages", **params)
    assert chatter["note"] in an["messages"]
    employee = users["employee"].route("/mail/thread/messages", **params)
    assert employee["messages"] == []
    # the files and followers of the thread as the chatter loads them
    fetch = [["mail.thread", {"thread_model": "res.partner", "thread_id": customer,
                              "request_list": ["attachments", "followers", "activities"]}]]  # fmt: skip
    seen_by_an = str(users["an"].route("/mail/data", fetch_params=fetch))
    assert "bao-gia.txt" in seen_by_an and "Gọi lại báo giá" in seen_by_an
    seen = str(users["employee"].route("/mail/data", fetch_params=fetch))
    assert "bao-gia.txt" not in seen and "Gọi lại báo giá" not in seen
    assert users["employee"].get(f"/web/content/{chatter['attachment']}").status_code in (403, 404)
    assert users["an"].get(f"/web/content/{chatter['attachment']}").status_code == 200


def test_employees_change_nothing_in_a_customers_chatter(users, chatter):
    employee = users["employee"]
    customer = chatter["customer"]
    _refused(employee, "res.partner", "message_post", [customer], body="x", message_type="comment")
    _refused(employee, "mail.activity", "write", [chatter["activity"]], {"summary": "x"})
    [me] = employee.execute("res.users", "read", [employee.uid], ["partner_id"])
    # following oneself: no error, no follower (as Odoo on a document one cannot read)
    assert (
        employee.execute("res.partner", "message_subscribe", [customer], [me["partner_id"][0]])
        is False
    )
    assert _chatter_of(employee, customer)["mail.followers"] == set()


def test_grouping_partners_by_crm_fields_is_refused(users):
    for role in ("employee", "portal"):
        _refused(
            users[role], "res.partner", "formatted_read_group", [], ["effect_stage"], ["__count"]
        )
        _refused(users[role], "res.partner", "search", [("effect_stage", "=", "customer")])


def test_a_director_who_sells_reads_all_and_changes_what_they_work(admin, users, demo):
    director = users["selling_director"]
    for model in ("sale.order", "crm.lead"):
        assert director.execute(model, "search_count", []) == admin.execute(
            model, "search_count", []
        ), model
    order = admin.execute("sale.order", "search", [("partner_id", "=", demo["sai_gon"])], limit=1)
    assert director.execute("sale.order", "read", order, ["name", "partner_id"])
    _refused(director, "sale.order", "write", order, {"client_order_ref": "x"})
    error = _refused(director, "sale.order", "create", {"partner_id": demo["sai_gon"]})
    assert HIDDEN in error.message


def test_the_indirect_paths_once_more(admin, users, demo, chatter):
    """The issue's classes walked again as the least-privileged users, on the paths
    around the records: labels, portal pages, letters, collection and hand-offs."""
    an, hidden = users["an"], demo["sai_gon"]
    [name] = admin.execute("res.partner", "read", [hidden], ["name"])
    # the partner label with its address (a quotation's customer field)
    for context in ({"show_address": True}, {"show_address": True, "show_vat": True}):
        found = an.execute("res.partner", "name_search", name["name"], context=context)
        assert hidden not in [row[0] for row in found], context
    # what An may name and read: their own customer, with its address
    found = an.execute("res.partner", "name_search", "", [("id", "=", demo["viet_hung"])],
                       context={"show_address": True})  # fmt: skip
    assert [row[0] for row in found] == [demo["viet_hung"]]
    # the portal order page of a hidden customer's quotation
    order = admin.execute("sale.order", "create", {"partner_id": hidden})
    page = users["portal"].get(f"/my/orders/{order}")
    assert name["name"] not in page.text
    # a letter to a hidden customer, in An's own campaign
    campaign = an.execute("effect.crm.mailmerge.campaign", "create", {"name": "Thư RPC"})
    error = _refused(
        an, "effect.crm.mailmerge.recipient", "create",
        {"campaign_id": campaign, "partner_id": hidden},
    )  # fmt: skip
    assert HIDDEN in error.message
    assert not an.execute("effect.crm.mailmerge.recipient", "search", [("partner_id", "=", hidden)])
    # collection requests and hand-offs of a hidden customer
    error = _refused(
        an, "effect.crm.collection", "create",
        {"partner_id": hidden, "user_id": an.uid, "requested_by_id": an.uid},
    )  # fmt: skip
    assert HIDDEN in error.message
    assert not an.execute("effect.crm.handoff", "search", [("partner_id", "=", hidden)])
    assert not an.execute("effect.crm.collection", "search", [("partner_id", "=", hidden)])
    # an employee reaches none of them
    for model in ("effect.crm.mailmerge.recipient", "effect.crm.collection", "effect.crm.handoff"):
        _refused(users["employee"], model, "search", [])
