"""effect_crm_accounting installs alone on top of effect_crm, and uninstalls cleanly."""

import pytest
from odoo_client import scratch_server


@pytest.fixture(scope="module")
def crm_db(test_db):
    """A database with effect_crm (and what it pulls in: Sales, Invoicing) but not
    effect_crm_accounting."""
    with scratch_server(f"{test_db}_accounting", "effect_crm") as server:
        yield server


def _module(admin, name):
    [module] = admin.execute("ir.module.module", "search", [("name", "=", name)])
    return module


def _state(admin, module):
    return admin.execute("ir.module.module", "read", [module], ["state"])[0]["state"]


def test_install_use_uninstall(crm_db):
    admin = crm_db.client("admin")
    prospect = admin.execute(
        "res.partner",
        "create",
        {"name": "Công ty CP Cài Đặt", "is_company": True, "effect_stage": "prospect"},
    )
    call_type = admin.execute("effect.crm.interaction.type", "search", [], limit=1)[0]
    before = admin.execute(
        "effect.crm.interaction",
        "create",
        {"name": "Gọi trước khi cài", "partner_id": prospect, "type_id": call_type},
    )

    module = _module(admin, "effect_crm_accounting")
    admin.execute("ir.module.module", "button_immediate_install", [module])
    assert _state(admin, module) == "installed"

    # use it: an invoice wins the prospect (hand-off), it is overdue, a collection call
    product = admin.execute("product.product", "create", {"name": "Thép", "list_price": 500.0})
    invoice = admin.execute(
        "account.move",
        "create",
        {
            "move_type": "out_invoice",
            "partner_id": prospect,
            "invoice_date": "2026-01-05",
            "invoice_date_due": "2026-02-04",
            "invoice_line_ids": [(0, 0, {"product_id": product, "price_unit": 500.0})],
        },
    )
    admin.execute("account.move", "action_post", [invoice])
    [partner] = admin.execute(
        "res.partner", "read", [prospect], ["effect_stage", "effect_amount_overdue"]
    )
    assert partner["effect_stage"] == "customer"
    assert partner["effect_amount_overdue"] > 0
    assert admin.execute("effect.crm.handoff", "search_count", [("partner_id", "=", prospect)]) == 1
    admin.execute("effect.crm.collection", "create", {"partner_id": prospect, "user_id": 2})
    [collection_type] = admin.execute(
        "effect.crm.interaction.type", "search", [("effect_is_collection", "=", True)]
    )
    call = admin.execute(
        "effect.crm.interaction",
        "create",
        {
            "name": "Nhắc nợ",
            "partner_id": prospect,
            "type_id": collection_type,
            "effect_promised_date": "2099-12-31",  # after the call, whenever the test runs
        },
    )

    admin.execute("ir.module.module", "button_immediate_uninstall", [module])
    assert _state(admin, module) == "uninstalled"
    assert _state(admin, _module(admin, "effect_crm")) == "installed"
    # its models, fields and group are gone
    for model in ("effect.crm.handoff", "effect.crm.receivable", "effect.crm.collection"):
        assert not admin.execute("ir.model", "search", [("model", "=", model)]), model
    assert not admin.execute(
        "ir.model.fields",
        "search",
        [
            ("model", "in", ["res.partner", "effect.crm.interaction", "res.company"]),
            "|", ("name", "like", "effect_amount"), "|", ("name", "like", "effect_promised"),
            "|", ("name", "like", "effect_handoff"), ("name", "like", "effect_collection"),
        ],
    )  # fmt: skip
    # of its records, only the Debt Collection type stays: the call logged with it keeps it
    left = admin.execute(
        "ir.model.data", "search_read", [("module", "=", "effect_crm_accounting")], ["name"]
    )
    assert {row["name"] for row in left} <= {
        "interaction_type_collection",
        "mail_activity_type_collection",
    }
    # what the sales department and accounting did stays: customers, invoices, calls
    [partner] = admin.execute("res.partner", "read", [prospect], ["effect_stage", "name"])
    assert partner == {"id": prospect, "effect_stage": "customer", "name": "Công ty CP Cài Đặt"}
    assert admin.execute("account.move", "read", [invoice], ["state"])[0]["state"] == "posted"
    kept = admin.execute("effect.crm.interaction", "read", [before, call], ["name", "type_id"])
    assert [row["name"] for row in kept] == ["Gọi trước khi cài", "Nhắc nợ"]
    assert kept[1]["type_id"][0] == collection_type

    # and it installs again
    admin.execute("ir.module.module", "button_immediate_install", [module])
    assert _state(admin, module) == "installed"
