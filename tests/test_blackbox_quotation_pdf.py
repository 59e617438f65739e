"""A quotation's "Send" and "New Revision" make real PDFs on a running server (wkhtmltopdf).

Odoo's own test mode renders reports as HTML, so only a server outside it shows that the
set-up installed what PDF reports need (README: What you need).
"""

import base64

import pytest


@pytest.fixture(scope="module")
def manager(server):
    return server.client("chau")


def _quotation(client):
    customer = client.execute(
        "res.partner", "search", [("effect_stage", "!=", False), ("is_company", "=", True)], limit=1
    )[0]
    product = client.execute("product.product", "search", [("sale_ok", "=", True)], limit=1)[0]
    return client.execute(
        "sale.order",
        "create",
        {"partner_id": customer, "order_line": [[0, 0, {"product_id": product}]]},
    )


def test_send_attaches_a_pdf_and_new_revision_keeps_one(manager):
    order = _quotation(manager)
    action = manager.execute("sale.order", "action_quotation_send", [order])
    context = action["context"]
    composer = manager.execute("mail.compose.message", "create", {}, context=context)
    manager.execute("mail.compose.message", "action_send_mail", [composer], context=context)
    [sent] = manager.execute("sale.order", "read", [order], ["state", "effect_customer_status"])
    assert (sent["state"], sent["effect_customer_status"]) == ("sent", "sent")
    attachments = manager.execute(
        "ir.attachment",
        "search_read",
        [
            ("res_model", "=", "sale.order"),
            ("res_id", "=", order),
            ("mimetype", "=", "application/pdf"),
        ],
        fields=["name", "datas"],
    )
    assert attachments, "Send attached no PDF"
    assert all(base64.b64decode(a["datas"])[:5] == b"%PDF-" for a in attachments)

    action = manager.execute("sale.order", "action_effect_new_revision", [order])
    [revision] = manager.execute("sale.order", "read", [action["res_id"]], ["name"])
    assert revision["name"].endswith("-R2")
    kept = manager.execute(
        "ir.attachment",
        "search_read",
        [
            ("res_model", "=", "sale.order"),
            ("res_id", "=", order),
            ("mimetype", "=", "application/pdf"),
        ],
        fields=["datas"],
    )
    assert all(base64.b64decode(a["datas"])[:5] == b"%PDF-" for a in kept)
