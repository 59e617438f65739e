"""Quotes (``sale.order`` with lines) and contracts, as the ORM writes them.

A quote is a copy of the template quote the ORM wrote, its lines copies of the
template line of their product (price, unit, taxes, description): the amounts
are computed here as Odoo computes them (percentage taxes, rounded per line),
names follow the sale order sequence in creation order, and the customer-side
status is the one the status buttons and the expiry job leave, with their dates:
quotes still awaiting an answer are within their validity, the others were
accepted, refused or expired. Each contract comes from an accepted quote, as
*Create Contract* makes it, then went through the states its dates say; those
still signed or active end after the renewal notice, so the expiry job has
nothing to do.
"""

from datetime import datetime, time, timedelta

from bulk import Copier, bulk_load, log, reserve_ids
from crm_data import YEARS, local_date, user_zone, working_time

# customer-side status of the quotes that did not become contracts, by weight
STATUS_WEIGHTS = {"not_sent": 25, "sent": 15, "received": 10, "refused": 30, "expired": 20}
CONTRACT_STATE_WEIGHTS = {
    "draft": 5,
    "sent": 10,
    "signed": 10,
    "active": 45,
    "done": 15,
    "expired": 10,
    "cancelled": 5,
}
PRODUCTS = 20
SUPERUSER_ID = 1  # the daily jobs that expire quotes and contracts run as the superuser

ORDER_COLUMNS = [
    "id", "name", "partner_id", "partner_invoice_id", "partner_shipping_id", "user_id",
    "date_order", "validity_date", "state", "amount_untaxed", "amount_tax", "amount_total",
    "effect_customer_status", "effect_sent_date", "effect_received_date",
    "effect_accepted_date", "effect_refused_date", "effect_expired_date", "partner_stage",
    "partner_business_type_id", "partner_size_id", "partner_industry_id",
    "partner_state_id", "create_uid", "write_uid", "create_date", "write_date",
]  # fmt: skip
LINE_COLUMNS = [
    "id", "order_id", "order_partner_id", "salesman_id", "state", "product_uom_qty",
    "price_subtotal", "price_tax", "price_total", "price_reduce_taxexcl", "price_reduce_taxinc",
    "create_uid", "write_uid", "create_date", "write_date",
]  # fmt: skip
CONTRACT_COLUMNS = [
    "id", "name", "title", "partner_id", "user_id", "type_id", "amount", "amount_company",
    "sale_order_id", "state", "date_sent", "date_signed", "date_activated", "date_start",
    "date_end", "date_done", "date_cancelled", "date_expired", "terms_summary", "partner_stage",
    "partner_business_type_id", "partner_size_id", "partner_industry_id", "partner_state_id",
    "create_uid", "write_uid", "create_date", "write_date",
]  # fmt: skip


def make_products(env):
    """Services to quote (through the ORM; the company's default sales tax applies)."""
    return env["product.product"].create(
        [
            {"name": f"Gói dịch vụ {i + 1:02d}", "type": "service", "list_price": 50.0 * (i + 1)}
            for i in range(PRODUCTS)
        ]
    )


def line_amounts(template, qty, tax_rates):
    """Odoo's amounts of a line of ``qty`` at the template's price (percentage taxes)."""
    price = float(template["price_unit"])
    discount = float(template["discount"] or 0)
    reduced = round(price * (1 - discount / 100), 2)
    subtotal = round(qty * price * (1 - discount / 100), 2)
    tax = round(sum(round(subtotal * rate / 100, 2) for rate in tax_rates), 2)
    total = round(subtotal + tax, 2)
    return subtotal, tax, total, reduced, round(total / qty, 2) if qty else 0.0


class Quote:
    __slots__ = (
        "changed",
        "contract",
        "created",
        "customer",
        "date",
        "dates",
        "id",
        "lines",
        "name",
        "status",
        "total",
        "user_id",
        "validity",
    )  # fmt: skip


def plan_quotes(ctx, spec, rng):
    now = ctx.now
    start = now - timedelta(days=365 * YEARS)
    statuses = list(STATUS_WEIGHTS)
    cum_status = _cumulative([STATUS_WEIGHTS[s] for s in statuses])
    states = list(CONTRACT_STATE_WEIGHTS)
    cum_state = _cumulative([CONTRACT_STATE_WEIGHTS[s] for s in states])
    contracts = spec["contracts"]
    quotes = []
    for n in range(spec["quotes"]):
        quote = Quote()
        quote.customer = rng.choice(ctx.customers)
        quote.user_id = quote.customer[1]
        zone = user_zone(ctx.users[quote.user_id][0])
        if n < contracts:
            quote.status = "accepted"
            # every state at least once (the tiny scale too), then by weight
            quote.contract = (
                states[n] if n < len(states) else rng.choices(states, cum_weights=cum_state)[0]
            )
            accepted = _acceptance_for(quote.contract, now, start, rng)
            quote.date = working_time(accepted - timedelta(days=rng.randint(2, 20)), zone, rng)
        else:
            rank = n - contracts
            quote.status = (
                statuses[rank]
                if rank < len(statuses)
                else rng.choices(statuses, cum_weights=cum_status)[0]
            )
            quote.contract = None
            if quote.status in ("sent", "received"):  # still within the 30 days of validity
                quote.date = now - timedelta(days=rng.randint(1, 28), minutes=rng.randint(0, 600))
            elif quote.status == "not_sent":
                quote.date = now - timedelta(days=rng.randint(1, 90), minutes=rng.randint(0, 600))
            else:
                quote.date = start + (now - timedelta(days=60) - start) * rng.random()
            quote.date = min(working_time(quote.date, zone, rng), now - timedelta(minutes=10))
        quote.date = quote.date.replace(microsecond=0)
        quote.created = quote.date
        quote.validity = local_date(quote.date, zone) + timedelta(days=ctx.validity_days)
        quote.dates = _status_dates(quote, ctx, zone, rng, now)
        quote.changed = max([quote.created, *quote.dates.values()])
        quote.lines = [
            (rng.randrange(PRODUCTS), float(rng.randint(1, 20))) for _ in range(rng.randint(1, 5))
        ]
        quotes.append(quote)
    quotes.sort(key=lambda q: q.created)
    return quotes


def _cumulative(weights):
    total, result = 0, []
    for weight in weights:
        total += weight
        result.append(total)
    return result


def _acceptance_for(state, now, start, rng):
    """When the quote of a contract in ``state`` was accepted (its dates must hold today)."""
    if state in ("draft", "sent"):
        days = rng.randint(5, 60)
    elif state in ("signed", "active"):  # ends a year after the start, after the renewal notice
        days = rng.randint(40, 300)
    elif state == "expired":
        days = rng.randint(420, 365 * YEARS - 30)
    else:
        days = rng.randint(40, 365 * YEARS - 30)
    return max(now - timedelta(days=days, minutes=rng.randint(0, 600)), start)


def _status_dates(quote, ctx, zone, rng, now):
    """The customer-status dates, in the order the buttons (or the expiry job) set them."""
    dates = {}
    if quote.status == "not_sent":
        return dates
    moment = quote.date + timedelta(minutes=rng.randint(10, 2880))
    dates["effect_sent_date"] = moment
    if quote.status == "received" or (quote.status != "sent" and rng.random() < 0.5):
        moment = moment + timedelta(minutes=rng.randint(10, 4320))
        dates["effect_received_date"] = moment
    if quote.status in ("accepted", "refused"):
        moment = moment + timedelta(minutes=rng.randint(60, 14 * 1440))
        dates[f"effect_{quote.status}_date"] = moment
    elif quote.status == "expired":
        # the daily job, the day after the validity date
        day = quote.validity + timedelta(days=1)
        dates["effect_expired_date"] = (
            datetime.combine(day, time(0, 5)).replace(tzinfo=zone).astimezone(_UTC)
        ).replace(tzinfo=None)
    for key, value in dates.items():
        dates[key] = min(value, now - timedelta(minutes=1)).replace(microsecond=0)
    return dates


_UTC = user_zone("UTC")


def write_quotes(env, ctx, quotes, templates):
    cr = env.cr
    order_template = templates["order"]
    line_templates = templates["lines"]  # by product index: (row, tax ids, tax rates)
    first = reserve_ids(cr, "sale_order", len(quotes))
    number = 0
    for offset, quote in enumerate(quotes):
        quote.id = first + offset
        number += 1
        quote.name = f"{ctx.order_prefix}{number:0{ctx.order_padding}d}"
    line_count = sum(len(q.lines) for q in quotes)
    first_line = reserve_ids(cr, "sale_order_line", line_count)
    with bulk_load(cr, ["sale_order", "sale_order_line", "account_tax_sale_order_line_rel"]):
        orders = Copier(cr, "sale_order", ORDER_COLUMNS, order_template)
        lines = Copier(cr, "sale_order_line", LINE_COLUMNS, line_templates[0][0])
        taxes = Copier(
            cr, "account_tax_sale_order_line_rel", ["sale_order_line_id", "account_tax_id"], {}
        )
        line_id = first_line
        for quote in quotes:
            state = "draft" if quote.status == "not_sent" else "sent"
            untaxed = tax_total = total = 0.0
            c = quote.customer
            for product, qty in quote.lines:
                row, tax_ids, rates = line_templates[product]
                subtotal, tax, line_total, reduced, reduced_inc = line_amounts(row, qty, rates)
                untaxed += subtotal
                tax_total += tax
                total += line_total
                values = {
                    "id": line_id, "order_id": quote.id, "order_partner_id": c[0],
                    "salesman_id": quote.user_id, "state": state, "product_uom_qty": qty,
                    "price_subtotal": subtotal, "price_tax": tax, "price_total": line_total,
                    "price_reduce_taxexcl": reduced, "price_reduce_taxinc": reduced_inc,
                    "create_uid": quote.user_id, "write_uid": quote.user_id,
                    "create_date": quote.created, "write_date": quote.created,
                }  # fmt: skip
                lines.add_row(values, row)
                for tax_id in tax_ids:
                    taxes.add((line_id, tax_id))
                line_id += 1
            dates = quote.dates
            orders.add(
                (
                    quote.id, quote.name, c[0], c[0], c[0], quote.user_id, quote.date,
                    quote.validity, state, round(untaxed, 2), round(tax_total, 2),
                    round(total, 2), quote.status, dates.get("effect_sent_date"),
                    dates.get("effect_received_date"), dates.get("effect_accepted_date"),
                    dates.get("effect_refused_date"), dates.get("effect_expired_date"),
                    c[4], c[5], c[6], c[7], c[8], quote.user_id,
                    SUPERUSER_ID if quote.status == "expired" else quote.user_id,
                    quote.created, quote.changed,
                )
            )  # fmt: skip
            quote.total = round(total, 2)  # what a contract made from it is worth
        orders.close()
        lines.close()
        taxes.close()
    # the next quote continues the numbering
    env["ir.sequence"].browse(ctx.order_sequence_id).number_next = number + 1
    log(f"  {len(quotes)} quotes with {line_count} lines")


def write_contracts(env, ctx, quotes, templates, rng):
    cr = env.cr
    accepted = [q for q in quotes if q.contract]
    rows = []
    for quote in accepted:
        zone = user_zone(ctx.users[quote.user_id][0])
        created = quote.dates["effect_accepted_date"] + timedelta(minutes=rng.randint(30, 4320))
        created = min(created, ctx.now - timedelta(minutes=1))
        rows.append((created, quote, zone))
    rows.sort(key=lambda row: row[0])
    first = reserve_ids(cr, "effect_crm_contract", len(rows))
    types = ctx.contract_types
    with bulk_load(cr, ["effect_crm_contract"]):
        copier = Copier(cr, "effect_crm_contract", CONTRACT_COLUMNS, templates["contract"])
        for number, (created, quote, zone) in enumerate(rows, start=1):
            state = quote.contract
            dates = _contract_dates(state, local_date(created, zone), ctx.today, rng)
            last_change = max(
                [d for k, d in dates.items() if k not in CONTRACT_TERMS], default=None
            )
            changed = created
            if last_change:  # the day of the last state change, during working hours
                changed = max(
                    created, working_time(datetime.combine(last_change, time(3)), zone, rng)
                )
            year = local_date(created, zone).year
            c = quote.customer
            copier.add(
                (
                    first + number - 1, f"{ctx.contract_prefix % {'year': year}}{number:0{ctx.contract_padding}d}",
                    f"Contract for {quote.name}", c[0], quote.user_id,
                    rng.choice(types) if state != "draft" or rng.random() < 0.5 else None,
                    quote.total, quote.total, quote.id, state, dates.get("date_sent"),
                    dates.get("date_signed"), dates.get("date_activated"),
                    dates.get("date_start"), dates.get("date_end"), dates.get("date_done"),
                    dates.get("date_cancelled"), dates.get("date_expired"), "",
                    c[4], c[5], c[6], c[7], c[8], quote.user_id,
                    SUPERUSER_ID if state == "expired" else quote.user_id, created, changed,
                )
            )  # fmt: skip
        copier.close()
    env["ir.sequence"].browse(ctx.contract_sequence_id).number_next = len(rows) + 1
    log(f"  {len(rows)} contracts")


CONTRACT_TERMS = ("date_start", "date_end")  # typed in by the salesperson, not state dates
CONTRACT_PATHS = {
    "draft": [],
    "sent": ["sent"],
    "signed": ["sent", "signed"],
    "active": ["sent", "signed", "active"],
    "done": ["sent", "signed", "active", "done"],
    "expired": ["sent", "signed", "active", "expired"],
    "cancelled": ["sent", "cancelled"],
}
STATE_DATE = {
    "sent": "date_sent",
    "signed": "date_signed",
    "active": "date_activated",
    "done": "date_done",
    "cancelled": "date_cancelled",
    "expired": "date_expired",
}


def _contract_dates(state, created, today, rng):
    """The dates ``_effect_set_state`` leaves on the way to ``state``, and the term."""
    dates = {}
    day = created
    for step in CONTRACT_PATHS[state]:
        if step == "expired":  # the daily job, the day after the end
            day = dates["date_end"] + timedelta(days=1)
        elif step == "done":
            day = min(day + timedelta(days=rng.randint(30, 300)), today)
        else:
            day = min(day + timedelta(days=rng.randint(0, 7)), today)
        dates[STATE_DATE[step]] = day
        if step == "signed":
            dates["date_start"] = day + timedelta(days=rng.randint(0, 15))
            dates["date_end"] = dates["date_start"] + timedelta(days=364)
    return dates
