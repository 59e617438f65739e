"""What an integrator (or a client of the web client's routes) gets for bad input over
JSON-RPC, row by row of effect_crm/readme/USAGE.md ("Bad input"): an error whose type
says what went wrong, our messages in the user's language (the web client sends the
user's ``lang`` with every call: here ``vi_VN``), and no row written."""

import unicodedata

import pytest
from odoo_client import RpcError, db_connection
from psycopg2 import sql

VI = {"lang": "vi_VN"}
VALIDATION = "odoo.exceptions.ValidationError"
USER_ERROR = "odoo.exceptions.UserError"
VALUE_ERROR = "builtins.ValueError"


@pytest.fixture(scope="module")
def vietnamese(admin):
    """Vietnamese installed in the test database with the translations of every addon.

    The wizard runs also when the language is active: the messages of database
    constraints are translated from the database, not from the files, and a language
    activated without loading (as a demo's ``_activate_lang``, or by an addon installed
    before effect_crm) leaves them English; the test must not depend on how the database
    was made."""
    [lang] = admin.execute(
        "res.lang",
        "search_read",
        [("code", "=", "vi_VN")],
        ["active"],
        context={"active_test": False},
    )
    wizard = admin.execute("base.language.install", "create", {"lang_ids": [lang["id"]]})
    admin.execute("base.language.install", "lang_install", [wizard])
    return VI


@pytest.fixture(scope="module")
def an(server, vietnamese):
    return server.client("an")


@pytest.fixture(scope="module")
def chau(server, vietnamese):
    return server.client("chau")


@pytest.fixture(scope="module")
def rows(test_db):
    """``rows(table)``: the number of rows of ``table`` as PostgreSQL holds them."""
    connection = db_connection(test_db)
    connection.autocommit = True

    def count(table):
        with connection.cursor() as cursor:
            cursor.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table)))
            return cursor.fetchone()[0]

    yield count
    connection.close()


def _refused(client, model, method, *args, name=VALIDATION, **kwargs):
    with pytest.raises(RpcError) as error:
        client.execute(model, method, *args, **kwargs)
    assert error.value.name == name, error.value
    return error.value.message


def _customer_of(client, login):
    [user] = client.execute("res.users", "search", [("login", "=", login)])
    return client.execute(
        "res.partner", "search", [("user_id", "=", user), ("is_company", "=", True)], limit=1
    )[0]


def _vn(client):
    return client.execute("res.country", "search", [("code", "=", "VN")], limit=1)[0]


# ----------------------------------------------------------------------
# Tax codes, control characters, long strings, Vietnamese forms
# ----------------------------------------------------------------------


def test_a_wrong_tax_code_is_refused_in_vietnamese(an, rows):
    before = rows("res_partner")
    message = _refused(
        an,
        "res.partner",
        "create",
        {"name": "Sai MST", "effect_stage": "prospect", "country_id": _vn(an), "vat": "0100109107"},
        context=VI,
    )
    assert "Mã số thuế" in message and "0100109106-001" in message
    assert rows("res_partner") == before


def test_nul_is_refused_in_vietnamese_and_nothing_is_written(an, rows):
    customer = _customer_of(an, "an")
    [kept] = an.execute("res.partner", "read", [customer], ["name", "comment"])
    before = rows("res_partner")
    message = _refused(
        an,
        "res.partner",
        "create",
        {"name": "Công ty\x00 Lỗi", "effect_stage": "prospect"},
        context=VI,
    )
    assert "ký tự NUL" in message
    assert rows("res_partner") == before
    message = _refused(
        an, "res.partner", "write", [customer], {"name": "Tên mới", "comment": "a\x00"}, context=VI
    )
    assert "ký tự NUL" in message
    assert an.execute("res.partner", "read", [customer], ["name", "comment"]) == [kept]
    # a search holding NUL is an ordinary search
    assert an.execute("res.partner", "search", [("name", "ilike", "\x00")]) != []


def test_vietnamese_in_nfd_is_stored_in_nfc_and_found_in_either_form(an, admin):
    name = "Trần Thị Ngọc Ánh (NFD)"
    decomposed = unicodedata.normalize("NFD", name)
    partner = an.execute("res.partner", "create", {"name": decomposed, "effect_stage": "prospect"})
    try:
        [stored] = an.execute("res.partner", "read", [partner], ["name"])
        assert stored["name"] == name
        for typed in (name, decomposed):
            assert partner in an.execute("res.partner", "search", [("name", "ilike", typed)])
            assert partner in [row[0] for row in an.execute("res.partner", "name_search", typed)]
    finally:
        admin.execute("res.partner", "unlink", [partner])


def test_very_long_strings(an, rows):
    customer = _customer_of(an, "an")
    [kept] = an.execute("res.partner", "read", [customer], ["name"])
    long_text = "Khách hàng cần báo giá gấp. " * 3600  # 100,800 characters
    before = rows("res_partner")
    message = _refused(
        an, "res.partner", "create", {"name": long_text, "effect_stage": "prospect"}, context=VI
    )
    assert "tối đa 400" in message
    assert rows("res_partner") == before
    _refused(an, "res.partner", "write", [customer], {"name": long_text}, context=VI)
    assert an.execute("res.partner", "read", [customer], ["name"]) == [kept]
    # a note that long is kept whole
    [vn_type] = an.execute("effect.crm.interaction.type", "search", [], limit=1)
    interaction = an.execute(
        "effect.crm.interaction",
        "create",
        {"name": "Ghi chú dài", "partner_id": customer, "type_id": vn_type, "notes": long_text},
    )
    [read] = an.execute("effect.crm.interaction", "read", [interaction], ["notes"])
    assert long_text.strip() in read["notes"]


# ----------------------------------------------------------------------
# Dates, amounts, currencies
# ----------------------------------------------------------------------


def test_bad_dates_amounts_and_currencies_write_nothing(an, rows):
    customer = _customer_of(an, "an")
    contract = an.execute(
        "effect.crm.contract", "create", {"partner_id": customer, "title": "Đầu vào sai"}
    )
    kept = an.execute(
        "effect.crm.contract",
        "read",
        [contract],
        ["date_start", "date_end", "amount", "currency_id"],
    )
    contracts = rows("effect_crm_contract")
    cases = [
        # the end before the start: our check
        ({"date_start": "2026-03-10", "date_end": "2026-03-01"}, VALIDATION, "trước ngày bắt đầu"),
        # a negative value: the database's constraint and its message (over /jsonrpc
        # Odoo words it without a language: English; the web client's below)
        ({"amount": -5}, VALIDATION, "A contract's value cannot be negative"),
        # a currency that does not exist: Odoo's refusal of a missing record
        ({"currency_id": 999999999}, VALIDATION, ""),
        # no date, no number: Odoo's conversion error, before anything is written
        ({"date_start": "2026-13-45"}, VALUE_ERROR, ""),
        ({"amount": "năm nghìn"}, VALUE_ERROR, ""),
    ]
    for values, name, text in cases:
        message = _refused(
            an, "effect.crm.contract", "write", [contract], values, name=name, context=VI
        )
        assert text in message, (values, message)
        assert (
            an.execute(
                "effect.crm.contract",
                "read",
                [contract],
                ["date_start", "date_end", "amount", "currency_id"],
            )
            == kept
        ), values
    # the same on create: no contract
    _refused(
        an,
        "effect.crm.contract",
        "create",
        {"partner_id": customer, "title": "Âm", "amount": -1},
        context=VI,
    )
    assert rows("effect_crm_contract") == contracts
    # an amount typed in the search box that is not one
    message = _refused(
        an,
        "effect.crm.contract",
        "search",
        [("amount_over", "ilike", "năm nghìn")],
        name=USER_ERROR,
        context=VI,
    )
    assert "không phải là số tiền" in message
    an.execute("effect.crm.contract", "unlink", [contract])


def test_a_database_constraint_speaks_the_users_language_in_the_web_client(
    server, admin, rows, vietnamese
):
    """The web client's route runs in the user's language: a Vietnamese salesperson
    reads the database's refusal of a negative value in Vietnamese."""
    [an_id] = admin.execute("res.users", "search", [("login", "=", "an")])
    [before] = admin.execute("res.users", "read", [an_id], ["lang"])
    admin.execute("res.users", "write", [an_id], {"lang": "vi_VN"})
    try:
        an = server.client("an")
        contract = an.execute(
            "effect.crm.contract",
            "create",
            {"partner_id": _customer_of(an, "an"), "title": "Giá trị âm"},
        )
        with pytest.raises(RpcError) as error:
            an.route(
                "/web/dataset/call_kw/effect.crm.contract/write",
                model="effect.crm.contract",
                method="write",
                args=[[contract], {"amount": -5}],
                kwargs={},
            )
        assert error.value.name == VALIDATION
        assert "Giá trị hợp đồng không được âm" in error.value.message
        [read] = an.execute("effect.crm.contract", "read", [contract], ["amount"])
        assert read["amount"] == 0
        an.execute("effect.crm.contract", "unlink", [contract])
    finally:
        admin.execute("res.users", "write", [an_id], {"lang": before["lang"]})


# ----------------------------------------------------------------------
# Domains and group-bys
# ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "args", "kwargs", "error"),
    [
        ("search", [[("no_such_field", "=", 1)]], {}, VALUE_ERROR),
        ("search", [[("name", "ilike")]], {}, VALUE_ERROR),
        ("search", [[("create_date", ">", "not a date")]], {}, VALUE_ERROR),
        ("search_count", [["|", ("name", "=", "a")]], {}, VALUE_ERROR),
        ("formatted_read_group", [[], ["no_such_field"], ["__count"]], {}, VALUE_ERROR),
        ("formatted_read_group", [[], ["create_date:decade"], ["__count"]], {}, VALUE_ERROR),
        ("web_read_group", [[], ["no_such_field"]], {"aggregates": ["__count"]}, VALUE_ERROR),
        # Odoo checks an order against the fields: no SQL gets through
        ("search_read", [[]], {"fields": ["name"], "order": "name; DROP TABLE x"}, USER_ERROR),
        (
            "formatted_read_group",
            [[], ["effect_stage"], ["__count"]],
            {"order": "1; SELECT 1"},
            VALUE_ERROR,
        ),
        # Odoo does not check that an aggregate fits its field: PostgreSQL refuses it
        (
            "formatted_read_group",
            [[], ["effect_stage"], ["name:sum"]],
            {},
            "psycopg2.errors.UndefinedFunction",
        ),
    ],
)
def test_bad_domains_and_group_bys_are_refused(an, rows, method, args, kwargs, error):
    """A bad domain, group-by, aggregate or order: Odoo's error naming the culprit,
    nothing read, nothing written (an integrator's input: Odoo's own English message)."""
    before = rows("res_partner")
    message = _refused(an, "res.partner", method, *args, name=error, **kwargs)
    assert message
    assert rows("res_partner") == before


def test_a_campaign_filter_customers_cannot_answer_is_refused(an, rows):
    before = rows("effect_crm_mailmerge_campaign")
    message = _refused(
        an,
        "effect.crm.mailmerge.campaign",
        "create",
        {
            "name": "Bộ lọc sai",
            "purpose": "thank_you",
            "partner_domain": "[('no_such_field', '=', 1)]",
        },
        context=VI,
    )
    assert "Bộ lọc khách hàng không hợp lệ" in message
    assert rows("effect_crm_mailmerge_campaign") == before
