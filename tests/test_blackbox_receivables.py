"""Receivables, hand-offs and accountants' access over JSON-RPC, against a running
server with the demo data.

Demo: An (``an``) may see receivables and works the North (Thép Việt Hưng in Hà Nội
owes 168, 148 and 9.8 million dong: due 45 and 10 days ago and in 20 days); Bình
(``binh``) may not; Phạm Thu Hà (``ketoan``) is an accountant.
"""

import pytest
from odoo_client import RpcError

FIELDS = [
    "effect_amount_due",
    "effect_amount_overdue",
    "effect_amount_not_due",
    "effect_amount_1_30",
    "effect_amount_31_60",
    "effect_amount_over_90",
    "effect_open_invoice_count",
]


@pytest.fixture(scope="module")
def demo(admin, ref):
    return {
        "viet_hung": ref("partner_company_01_demo"),  # An's, Hà Nội
        "hai_phong": ref("partner_company_06_demo"),  # An's, Hải Phòng
        "sai_gon": ref("partner_company_02_demo"),  # Bình's, the South
        "contract_sai_gon": admin.execute(
            "effect.crm.contract", "search", [("partner_id", "=", ref("partner_company_02_demo"))]
        ),
        "ref": ref,
    }


def _menu_names(client):
    """The menus the web client shows to this user."""
    return {menu["name"] for menu in client.execute("ir.ui.menu", "load_menus", False).values()}


def _refused(client, model, method, *args, **kwargs):
    with pytest.raises(RpcError) as error:
        client.execute(model, method, *args, **kwargs)
    assert error.value.name == "odoo.exceptions.AccessError", (model, method)


def test_salesperson_in_the_group_sees_the_receivables_of_their_customers(server, demo):
    an = server.client("an")
    [row] = an.execute("res.partner", "read", [demo["viet_hung"]], FIELDS)
    # the demo's invoices to Việt Hưng, in dong: 168 million (45 days late),
    # 148 million (10 days late), 9.8 million (due in 20 days)
    assert row["effect_amount_due"] == 325_800_000
    assert row["effect_amount_overdue"] == 316_000_000
    assert row["effect_amount_31_60"] == 168_000_000
    assert row["effect_amount_1_30"] == 148_000_000
    assert row["effect_amount_not_due"] == 9_800_000
    assert row["effect_open_invoice_count"] == 3
    # the list of customers with overdue receivables: An's only
    overdue = an.execute(
        "res.partner",
        "search",
        [
            ("effect_stage", "!=", False),
            ("parent_id", "=", False),
            ("effect_amount_overdue", ">", 0),
        ],
    )
    assert demo["viet_hung"] in overdue
    assert demo["hai_phong"] in overdue
    assert demo["sai_gon"] not in overdue
    # the pivot by salesperson: nothing of Bình's customers
    groups = an.execute(
        "effect.crm.receivable",
        "formatted_read_group",
        [],
        ["partner_id"],
        ["amount_residual:sum"],
    )
    partners = {g["partner_id"][0] for g in groups}
    assert demo["viet_hung"] in partners
    assert demo["sai_gon"] not in partners
    assert {"Overdue Receivables", "Receivables"} <= _menu_names(an)
    # a customer An does not work: refused
    _refused(an, "res.partner", "read", [demo["sai_gon"]], ["effect_amount_due"])
    # the invoices themselves stay Odoo's business (An is not their salesperson)
    assert not an.execute("account.move", "search", [("partner_id", "=", demo["sai_gon"])])


def test_salesperson_without_the_group_reaches_nothing(server, demo):
    binh = server.client("binh")
    assert binh.execute("res.partner", "read", [demo["sai_gon"]], ["name"])
    for field in [*FIELDS, "effect_receivable_ids", "effect_last_payment_date"]:
        _refused(binh, "res.partner", "read", [demo["sai_gon"]], [field])
    _refused(binh, "res.partner", "search", [("effect_amount_overdue", ">", 0)])
    _refused(binh, "effect.crm.receivable", "search_read", [], ["amount_residual"])
    _refused(binh, "effect.crm.receivable", "formatted_read_group", [], ["user_id"], ["__count"])
    assert "effect_amount_due" not in binh.execute("res.partner", "fields_get", [], ["type"])
    assert "Overdue Receivables" not in _menu_names(binh)


def test_accountant_sees_all_receivables_and_reads_crm_data_read_only(server, demo):
    ketoan = server.client("ketoan")
    [row] = ketoan.execute("res.partner", "read", [demo["sai_gon"]], FIELDS)
    # 120 million, 70 days late
    assert row["effect_amount_due"] == 120_000_000
    assert row["effect_amount_overdue"] == 120_000_000
    by_user = ketoan.execute(
        "effect.crm.receivable", "formatted_read_group", [], ["user_id"], ["amount_overdue:sum"]
    )
    salespeople = {g["user_id"][1] for g in by_user if g["user_id"]}
    assert {"Nguyễn Văn An", "Trần Thị Bình"} <= salespeople
    # CRM data: read, never write
    [contract] = ketoan.execute(
        "effect.crm.contract", "read", demo["contract_sai_gon"][:1], ["name", "terms_summary"]
    )
    assert contract["name"]
    _refused(ketoan, "effect.crm.contract", "write", demo["contract_sai_gon"][:1], {"title": "x"})
    interactions = ketoan.execute(
        "effect.crm.interaction", "search_read", [], ["name", "partner_id", "outcome_id"]
    )
    assert interactions
    _refused(ketoan, "effect.crm.interaction", "write", [interactions[0]["id"]], {"name": "x"})
    _refused(ketoan, "effect.crm.interaction", "unlink", [interactions[0]["id"]])


def test_won_prospect_is_handed_off_over_rpc(server, demo):
    an = server.client("an")
    prospect = demo["ref"]("partner_company_03_demo")  # An's prospect in Đà Nẵng
    an.execute("res.partner", "write", [prospect], {"effect_stage": "customer"})
    [handoff] = an.execute(
        "effect.crm.handoff",
        "search_read",
        [("partner_id", "=", prospect)],
        ["state", "trigger", "missing_summary"],
    )
    assert handoff["trigger"] == "manual"
    assert handoff["state"] == "incomplete"
    assert "Payment terms" in handoff["missing_summary"]
    _refused(an, "effect.crm.handoff", "write", [handoff["id"]], {"note": "x"})
    ketoan = server.client("ketoan")
    [todo] = ketoan.execute(
        "mail.activity",
        "search_read",
        [("res_model", "=", "effect.crm.handoff"), ("res_id", "=", handoff["id"])],
        ["user_id", "summary"],
    )
    assert todo["user_id"][0] == ketoan.uid
    assert ketoan.execute("effect.crm.handoff", "read", [handoff["id"]], ["missing_summary"])
