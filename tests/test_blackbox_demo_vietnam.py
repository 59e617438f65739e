"""The demo is a Vietnamese company (issue 14), seen over JSON-RPC by its users."""


def test_every_demo_user_works_in_vietnam_and_salespeople_start_in_the_agenda(admin):
    users = admin.execute(
        "res.users",
        "search_read",
        [("login", "in", ["admin", "an", "binh", "chau", "ketoan"])],
        ["login", "tz", "action_id"],
    )
    assert {user["tz"] for user in users} == {"Asia/Ho_Chi_Minh"}
    homes = {user["login"]: user["action_id"] and user["action_id"][1] for user in users}
    assert homes["an"] == homes["binh"] == homes["chau"] == "Agenda"


def test_effect_quotations_sell_vietnamese_products_in_dong(admin):
    lines = admin.execute(
        "sale.order.line",
        "search_read",
        [("order_id.partner_id.effect_stage", "!=", False)],
        ["product_id", "currency_id"],
    )
    assert lines
    assert {line["currency_id"][1] for line in lines} == {"VND"}
    names = {line["product_id"][1] for line in lines}
    assert any("Thép" in name for name in names), names
