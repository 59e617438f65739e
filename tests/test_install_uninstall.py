"""effect_crm installs on a database that already holds data, and uninstalls cleanly."""

import pytest
from odoo_client import scratch_server


@pytest.fixture(scope="module")
def bare_db(test_db):
    """A database with Odoo's CRM and Sales but not EFFECT CRM, holding partners."""
    with scratch_server(f"{test_db}_install", "crm,sale_management,base_vat") as server:
        yield server


def test_install_then_uninstall_keeps_existing_data(bare_db):
    admin = bare_db.client("admin")
    existing = admin.execute(
        "res.partner",
        "create",
        [{"name": f"Khách hàng cũ {i}", "is_company": True, "vat": "0100109106"} for i in range(3)],
    )
    [module] = admin.execute("ir.module.module", "search", [("name", "=", "effect_crm")])
    admin.execute("ir.module.module", "button_immediate_install", [module])
    assert admin.execute("ir.module.module", "read", [module], ["state"])[0]["state"] == "installed"

    # use it: stages, a document, an attribute
    admin.execute("res.partner", "write", existing, {"effect_stage": "customer"})
    admin.execute(
        "effect.crm.document",
        "create",
        {
            "name": "Link",
            "partner_id": existing[0],
            "document_type": "link",
            "link": "\\\\srv\\a.docx",
        },
    )
    [partner] = admin.execute("res.partner", "read", [existing[0]], ["properties"])
    admin.execute(
        "res.partner",
        "write",
        [existing[0]],
        {
            "properties": partner["properties"]
            + [{"name": "branches", "string": "Số chi nhánh", "type": "integer", "value": 3,
                "definition_changed": True}]
        },
    )  # fmt: skip

    admin.execute("ir.module.module", "button_immediate_uninstall", [module])
    assert (
        admin.execute("ir.module.module", "read", [module], ["state"])[0]["state"] == "uninstalled"
    )
    kept = admin.execute("res.partner", "read", existing, ["name", "vat"])
    assert [p["name"] for p in kept] == [f"Khách hàng cũ {i}" for i in range(3)]
    fields = admin.execute(
        "ir.model.fields",
        "search_count",
        [("model", "=", "res.partner"), ("name", "like", "effect_")],
    )
    assert fields == 0
    assert not admin.execute("ir.model", "search", [("model", "like", "effect.crm.")])
    # the attribute lives in Odoo's partner properties, which stay
    [partner] = admin.execute("res.partner", "read", [existing[0]], ["properties"])
    assert {p["name"]: p.get("value") for p in partner["properties"]}.get("branches") == 3
