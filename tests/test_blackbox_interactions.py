"""Salespeople log interactions and read their agenda through JSON-RPC."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from odoo_client import RpcError


@pytest.fixture(scope="module")
def an(server):
    return server.client("an")


@pytest.fixture(scope="module")
def binh(server):
    return server.client("binh")


@pytest.fixture(scope="module")
def ref(server):
    """The id of a record by its XML id (read by the administrator)."""
    admin = server.client("admin")

    def ref(xmlid):
        module, name = xmlid.split(".")
        [data] = admin.execute(
            "ir.model.data",
            "search_read",
            [("module", "=", module), ("name", "=", name)],
            ["res_id"],
        )
        return data["res_id"]

    return ref


def _users_today(client):
    """Today for the user of ``client``, in their time zone as the server has it (demo
    users: Asia/Ho_Chi_Minh), not the machine's: after 17:00 UTC it is already
    tomorrow in Vietnam."""
    [user] = client.execute("res.users", "read", [client.uid], ["tz"])
    return datetime.now(ZoneInfo(user["tz"] or "Asia/Ho_Chi_Minh")).date()


def _customer(client, name):
    return client.execute("res.partner", "search", [("name", "=", name)], limit=1)[0]


def test_salesperson_logs_a_call_planning_a_visit_a_year_ahead(an, binh, ref):
    # An's customer in An's own territory (Hà Nội): Bình works neither
    customer = _customer(an, "Công ty CP Thép Việt Hưng")
    in_a_year = (_users_today(an) + timedelta(days=365)).isoformat()
    interaction_id = an.execute(
        "effect.crm.interaction",
        "create",
        {
            "name": "Gọi qua API",
            "partner_id": customer,
            "type_id": ref("effect_crm.interaction_type_call"),
            "next_activity_type_id": ref("effect_crm.mail_activity_type_visit"),
            "next_date": in_a_year,
            "next_summary": "Thăm công trình năm sau",
        },
    )
    [interaction] = an.execute(
        "effect.crm.interaction", "read", [interaction_id], ["next_activity_id", "user_id"]
    )
    assert interaction["user_id"][0] == an.uid
    activity_id = interaction["next_activity_id"][0]
    [item] = an.execute(
        "effect.crm.agenda",
        "search_read",
        [("activity_id", "=", activity_id)],
        ["date", "bucket", "partner_id", "display_name"],
    )
    assert item["date"] == in_a_year
    assert item["bucket"] == "later"
    assert item["partner_id"][0] == customer
    assert item["display_name"] == "Thăm công trình năm sau"
    [partner] = an.execute("res.partner", "read", [customer], ["effect_next_action_date"])
    assert partner["effect_next_action_date"] <= in_a_year
    # another salesperson sees neither An's agenda nor An's interactions with An's customers
    assert not binh.execute("effect.crm.agenda", "search", [("activity_id", "=", activity_id)])
    assert not binh.execute("effect.crm.interaction", "search", [("id", "=", interaction_id)])
    with pytest.raises(RpcError) as error:
        binh.execute("effect.crm.interaction", "read", [interaction_id], ["name"])
    assert error.value.name == "odoo.exceptions.AccessError"


def test_agenda_counts_for_the_menu(an):
    counts = an.execute("effect.crm.agenda", "effect_agenda_counts")
    assert set(counts) == {"overdue", "today"}
    overdue = an.execute(
        "effect.crm.agenda", "search_count", [("user_id", "=", an.uid), ("bucket", "=", "overdue")]
    )
    assert counts["overdue"] == overdue


def test_a_wrong_contact_person_gets_a_clear_message(an, ref):
    # Nguyễn Minh Khoa is a contact person of Thép Việt Hưng, not of this customer
    customer = _customer(an, "Công ty CP Xây dựng Đà Nẵng Mới")
    foreign_contact = an.execute("res.partner", "search", [("name", "=", "Nguyễn Minh Khoa")])[0]
    with pytest.raises(RpcError) as error:
        an.execute(
            "effect.crm.interaction",
            "create",
            {
                "name": "Sai người liên hệ",
                "partner_id": customer,
                "contact_id": foreign_contact,
                "type_id": ref("effect_crm.interaction_type_call"),
            },
        )
    assert error.value.name == "odoo.exceptions.ValidationError"
    assert "Nguyễn Minh Khoa" in error.value.message


def test_the_agenda_refuses_edits_it_cannot_make(an):
    [item_id] = an.execute("effect.crm.agenda", "search", [("user_id", "=", an.uid)], limit=1)
    with pytest.raises(RpcError) as error:
        an.execute("effect.crm.agenda", "write", [item_id], {"summary": "Đổi"})
    assert error.value.name == "odoo.exceptions.UserError"
