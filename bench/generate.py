#!/usr/bin/env python3
"""Fill a database with EFFECT CRM data at a stated scale, for the benchmarks.

    python3 bench/generate.py --db effect_bench --scale full   # 200,000 customers ...
    python3 bench/generate.py --db effect_bench_tiny --scale tiny

The database is created (effect_crm installed, no demo data) when missing, or
anew with --reset. Users, territories, attribute definitions and products go
through the ORM. Customers are bulk-inserted in SQL as copies of one template
customer that the ORM created, each copy changing only the columns that differ
(name, province, salesperson, territory, classification, attribute values) and
the columns the ORM derives from them (complete name, commercial partner, the
customer's salesperson). Quotes, contracts, interactions and activities are
written with COPY as copies of template records the ORM wrote (then rolled
back), with what the ORM derives computed the same way (crm_data.py,
sales_data.py). The rows are what the ORM would have written, which
tests/test_bench.py checks column by column against records the ORM writes.
"""

import argparse
import io
import json
import random
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bin"))

import crm_data
import sales_data
from bulk import template_row
from effect_env import drop_database, odoo_args, odoo_command, psql_env
from odoo_env import environment

SCALES = {
    "full": {
        "customers": 200_000, "contacts_every": 4, "salespeople": 100, "regions": 4,
        "interactions": 2_000_000, "open_activities": 200_000, "done_activities": 1_000_000,
        "quotes": 50_000, "contracts": 10_000, "meetings": 50_000,
    },
    # a quarter of the full scale: the growth of each screen between both
    "quarter": {
        "customers": 50_000, "contacts_every": 4, "salespeople": 25, "regions": 4,
        "interactions": 500_000, "open_activities": 50_000, "done_activities": 250_000,
        "quotes": 12_500, "contracts": 2_500, "meetings": 12_500,
    },
    "tiny": {
        "customers": 400, "contacts_every": 4, "salespeople": 10, "regions": 2,
        "interactions": 4_000, "open_activities": 400, "done_activities": 2_000,
        "quotes": 100, "contracts": 20, "meetings": 200,
    },
}  # fmt: skip
TEAM_SIZE = 5  # salespeople per province territory (make_territories)
HOME_TZ = "Asia/Ho_Chi_Minh"
# the fourth salesperson of each territory works from abroad, in one of these in turn
ABROAD_TZ = ["Asia/Tokyo", "Europe/Berlin", "America/Los_Angeles"]
# a few salespeople carry a backlog: the first of every HEAVY_EVERY-th territory
HEAVY_EVERY = 5
HEAVY_FACTOR = 10  # their open actions, against the median salesperson's


def salesperson_tz(index):
    """The time zone of the ``index``-th salesperson: a fifth of them abroad."""
    if index % TEAM_SIZE == 3:
        return ABROAD_TZ[(index // TEAM_SIZE) % len(ABROAD_TZ)]
    return HOME_TZ


# tables the generator fills in bulk (vacuumed and analyzed at the end)
BULK_TABLES = [
    "res_partner", "effect_crm_interaction", "mail_activity", "mail_followers",
    "mail_followers_mail_message_subtype_rel", "sale_order", "sale_order_line",
    "account_tax_sale_order_line_rel", "effect_crm_contract", "mail_message",
    "calendar_event", "calendar_attendee", "calendar_event_res_partner_rel",
]  # fmt: skip
PROVINCES_PER_REGION = 4  # 4 regions x (1 + 4 provinces) = 20 territories at full scale
SOURCES = ["web", "referral", "fair", "cold"]

# columns the copy sets itself; every other column is the template's
OWN_COLUMNS = [
    "name", "complete_name", "state_id", "user_id", "effect_salesperson_id",
    "effect_territory_id", "industry_id", "effect_business_type_id", "effect_size_id",
    "effect_stage", "is_company", "properties", "parent_id", "commercial_partner_id",
    "type", "vat", "commercial_company_name",
]  # fmt: skip


def log(message):
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def orm_templates(env, salesperson, customer, products):
    """Rows the ORM writes for each kind of generated record, written then rolled back.

    As ``salesperson`` in a request (their time zone and language), on ``customer``:
    an interaction that plans a next action, the interaction that does it (the
    activity done), a quote of one of each product, sent and accepted, and the
    contract made from it; an activity on the quote. Returns the rows, the
    template line of each product with its taxes, and the followers' subtypes.
    """
    cr = env.cr
    env.flush_all()
    cr.execute("SAVEPOINT bench_templates")
    user_env = env(
        user=salesperson.id,
        context=dict(env.context, tz=salesperson.tz, lang=salesperson.lang or "en_US"),
    )
    Interaction = user_env["effect.crm.interaction"]
    planner = Interaction.create(
        {
            "name": "Mẫu",
            "partner_id": customer.id,
            "type_id": env.ref("effect_crm.interaction_type_call").id,
            "next_activity_type_id": env.ref("mail.mail_activity_data_call").id,
            "next_date": "2020-01-10",
        }
    )
    user_env.flush_all()
    doer = Interaction.create(
        {
            "name": "Mẫu",
            "partner_id": customer.id,
            "type_id": env.ref("effect_crm.interaction_type_call").id,
            "done_activity_id": planner.next_activity_id.id,
        }
    )
    order = user_env["sale.order"].create(
        {
            "partner_id": customer.id,
            "order_line": [
                (0, 0, {"product_id": product.id, "product_uom_qty": 1}) for product in products
            ],
        }
    )
    order.action_effect_mark_sent()
    order.action_effect_mark_accepted()
    contract_id = order.action_effect_create_contract()["res_id"]
    order.activity_schedule("mail.mail_activity_data_call", user_id=salesperson.id)
    user_env.flush_all()
    templates = {
        "interaction": template_row(cr, "effect_crm_interaction", planner.id),
        "activity": template_row(cr, "mail_activity", planner.next_activity_id.id),
        "order": template_row(cr, "sale_order", order.id),
        "contract": template_row(cr, "effect_crm_contract", contract_id),
        "lines": [],
        "subtypes": {},
    }
    assert doer.done_activity_id
    # the note ``_action_done`` posted on the customer when the doer did the action
    message = env["mail.message"].search(
        [
            ("model", "=", "res.partner"),
            ("res_id", "=", customer.id),
            ("subtype_id", "=", env.ref("mail.mt_activities").id),
        ],
        order="id desc",
        limit=1,
    )
    templates["message"] = template_row(cr, "mail_message", message.id)
    templates["meeting"] = crm_data.orm_meeting(user_env, salesperson, customer)
    for product in products:
        line = order.order_line.filtered(lambda line, p=product: line.product_id == p)
        taxes = line.tax_ids
        if any(t.amount_type != "percent" or t.price_include for t in taxes):
            raise ValueError("the generator computes percentage taxes excluded from the price")
        templates["lines"].append(
            (template_row(cr, "sale_order_line", line.id), taxes.ids, taxes.mapped("amount"))
        )
    for model, res_id in (("res.partner", customer.id), ("sale.order", order.id)):
        cr.execute(
            """
            SELECT array_agg(r.mail_message_subtype_id ORDER BY r.mail_message_subtype_id)
              FROM mail_followers f
              JOIN mail_followers_mail_message_subtype_rel r ON r.mail_followers_id = f.id
             WHERE f.res_model = %s AND f.res_id = %s AND f.partner_id = %s
            """,
            [model, res_id, salesperson.partner_id.id],
        )
        templates["subtypes"][model] = cr.fetchone()[0] or []
    cr.execute("ROLLBACK TO SAVEPOINT bench_templates")
    env.invalidate_all(flush=False)
    return templates


def database_exists(dbname):
    result = subprocess.run(
        ["psql", "-d", "postgres", "-tAc", f"SELECT 1 FROM pg_database WHERE datname='{dbname}'"],
        env=psql_env(),
        capture_output=True,
        text=True,
        check=False,
    )
    return result.stdout.strip() == "1"


def create_database(dbname, modules=("effect_crm",)):
    log(f"creating {dbname} with {', '.join(modules)} (no demo data)")
    subprocess.run(
        odoo_command()
        + odoo_args(dbname)
        + ["-i", ",".join(modules), "--stop-after-init", "--log-level", "warn"],
        check=True,
    )


def make_users(env, count):
    Users = env["res.users"].with_context(no_reset_password=True, mail_create_nolog=True)
    salesman = env.ref("sales_team.group_sale_salesman")
    all_docs = env.ref("sales_team.group_sale_salesman_all_leads")
    manager = env.ref("sales_team.group_sale_manager")
    specs = [
        {"login": f"bench_sales_{i:03d}", "name": f"Nhân viên KD {i:03d}", "groups": salesman}
        for i in range(count)
    ]
    specs += [
        {"login": "bench_all", "name": "Nhân viên KD toàn quyền", "groups": all_docs},
        {"login": "bench_manager", "name": "Trưởng phòng KD", "groups": manager},
    ]
    # one create for all of them (the ORM's batch): a user at a time took minutes
    users = Users.create(
        [
            {
                "name": spec["name"],
                "login": spec["login"],
                "password": spec["login"],
                "tz": salesperson_tz(index) if index < count else HOME_TZ,
                "group_ids": [(6, 0, [spec["groups"].id])],
            }
            for index, spec in enumerate(specs)
        ]
    )
    return users[:count], users[count], users[count + 1]


def make_territories(env, salespeople, regions):
    """Regions with four province territories each; five salespeople per territory."""
    states = env["res.country.state"].search([("country_id.code", "=", "VN")], order="id")
    Territory = env["effect.crm.territory"]
    territories, province_of = [], {}
    per_province = max(1, len(states) // (regions * PROVINCES_PER_REGION))
    members = iter(salespeople)
    state_iter = iter(states)
    for r in range(regions):
        region = Territory.create({"name": f"Vùng {r + 1}", "code": f"R{r + 1}"})
        territories.append(region)
        region_states = env["res.country.state"]
        for p in range(PROVINCES_PER_REGION):
            chunk = env["res.country.state"]
            for _ in range(per_province):
                chunk |= next(state_iter, env["res.country.state"])
            team = [next(members, None) for _ in range(TEAM_SIZE)]
            team = [user.id for user in team if user]
            province = Territory.create(
                {
                    "name": f"Vùng {r + 1} – Tỉnh {p + 1}",
                    "code": f"R{r + 1}P{p + 1}",
                    "parent_id": region.id,
                    "state_ids": [(6, 0, chunk.ids)],
                    "member_ids": [(6, 0, team)],
                }
            )
            territories.append(province)
            region_states |= chunk
            for state in chunk:
                province_of[state.id] = province
        region.state_ids = [(6, 0, region_states.ids)]
    return territories, province_of


def define_attributes(env):
    env["res.partner"]._effect_define_attributes(
        [
            {
                "name": "effect_source",
                "string": "Nguồn",
                "type": "selection",
                "selection": [[s, s.title()] for s in SOURCES],
            },
            {"name": "branches", "string": "Số chi nhánh", "type": "integer"},
        ]
    )


def copy_customers(env, template, rows):
    """Insert ``rows`` (dicts of OWN_COLUMNS) as copies of ``template``; return their ids."""
    cr = env.cr
    env.flush_all()
    cr.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = 'res_partner'"
    )
    others = sorted({row[0] for row in cr.fetchall()} - set(OWN_COLUMNS) - {"id"})
    cr.execute(
        "CREATE TEMP TABLE bench_src (seq int, name varchar, state_id int, user_id int, "
        "effect_territory_id int, industry_id int, effect_business_type_id int, "
        "effect_size_id int, effect_stage varchar, is_company bool, properties jsonb, "
        "parent_seq int, vat varchar) ON COMMIT DROP"
    )
    buffer = io.StringIO()
    for seq, row in enumerate(rows):
        values = [
            seq, row["name"], row["state_id"], row["user_id"], row["effect_territory_id"],
            row["industry_id"], row["effect_business_type_id"], row["effect_size_id"],
            row["effect_stage"], row["is_company"], json.dumps(row["properties"]),
            row.get("parent_seq"), row.get("vat"),
        ]  # fmt: skip
        buffer.write("\t".join(r"\N" if v is None else str(v) for v in values) + "\n")
    buffer.seek(0)
    cr.copy_from(buffer, "bench_src")
    columns = ", ".join(f'"{c}"' for c in others)
    template_columns = ", ".join(f't."{c}"' for c in others)
    cr.execute(
        f"""
        INSERT INTO res_partner (name, complete_name, state_id, user_id, effect_salesperson_id,
               effect_territory_id, industry_id, effect_business_type_id, effect_size_id,
               effect_stage, is_company, properties, vat, type, commercial_company_name,
               {columns})
        SELECT s.name, s.name, s.state_id, s.user_id, s.user_id, s.effect_territory_id,
               s.industry_id, s.effect_business_type_id, s.effect_size_id, s.effect_stage,
               s.is_company, s.properties, s.vat, 'contact',
               CASE WHEN s.is_company THEN s.name END, {template_columns}
          FROM bench_src s, res_partner t
         WHERE t.id = %s
         ORDER BY s.seq
        RETURNING id
        """,
        [template.id],
    )
    ids = [row[0] for row in cr.fetchall()]
    cr.execute("UPDATE res_partner SET commercial_partner_id = id WHERE id = ANY(%s)", [ids])
    # contact persons: parent, commercial partner and the company's salesperson
    cr.execute(
        """
        UPDATE res_partner p
           SET parent_id = c.id, commercial_partner_id = c.id,
               complete_name = c.name || ', ' || p.name,
               commercial_company_name = CASE WHEN c.is_company THEN c.name END,
               effect_salesperson_id = c.user_id
          FROM bench_src s
          JOIN bench_src sc ON sc.seq = s.parent_seq
          JOIN res_partner c ON c.id = (%s::int[])[sc.seq + 1]
         WHERE p.id = (%s::int[])[s.seq + 1] AND s.parent_seq IS NOT NULL
        """,
        [ids, ids],
    )
    env.invalidate_all()
    return ids


def customer_rows(env, count, contacts_every, territories_by_state, salespeople, rng):
    states = list(territories_by_state)
    industries = env["res.partner.industry"].search([]).ids
    btypes = env["effect.crm.business.type"].search([]).ids
    sizes = env["effect.crm.size"].search([]).ids
    members = {t.id: t.member_ids.ids for t in set(territories_by_state.values())}
    rows = []
    companies = count * contacts_every // (contacts_every + 1)
    for i in range(companies):
        state = rng.choice(states)
        territory = territories_by_state[state]
        team = members[territory.id] or [u.id for u in salespeople]
        owner = rng.choice(team) if rng.random() < 0.9 else rng.choice(salespeople).id
        is_company = rng.random() < 0.8
        rows.append(
            {
                "name": f"{'Công ty' if is_company else 'Khách'} {i:06d}",
                "state_id": state,
                "user_id": owner,
                "effect_territory_id": territory.id,
                "industry_id": rng.choice(industries),
                "effect_business_type_id": rng.choice(btypes),
                "effect_size_id": rng.choice(sizes),
                "effect_stage": rng.choices(
                    ["prospect", "customer", "inactive"], weights=[6, 3, 1]
                )[0],
                "is_company": is_company,
                "properties": {
                    "effect_source": rng.choice(SOURCES),
                    "branches": rng.randint(0, 12),
                },
            }
        )
    for j in range(count - companies):
        parent = rows[(j * contacts_every) % companies]
        rows.append(
            dict(
                parent,
                name=f"Liên hệ {j:06d}",
                is_company=False,
                parent_seq=(j * contacts_every) % companies,
            )
        )
    return rows


def generate(dbname, scale, reset=False, seed=19, modules=("effect_crm",)):
    spec = SCALES[scale]
    started = time.monotonic()
    if reset:
        drop_database(dbname)
    if not database_exists(dbname):
        create_database(dbname, modules)
    rng = random.Random(seed)
    with environment(dbname) as env:
        if env["res.users"].search_count([("login", "=", "bench_manager")]):
            log("already generated; use --reset to start again")
            return
        env = env(context={"tracking_disable": True, "mail_create_nolog": True})
        salespeople, _all_docs, _manager = make_users(env, spec["salespeople"])
        log(f"{len(salespeople)} salespeople, 1 all-documents salesperson, 1 manager")
        territories, by_state = make_territories(env, salespeople, spec["regions"])
        log(f"{len(territories)} territories")
        define_attributes(env)
        template = env["res.partner"].create(
            {
                "name": "Mẫu",
                "is_company": True,
                "effect_stage": "prospect",
                "country_id": env.ref("base.vn").id,
                "user_id": salespeople[0].id,
            }
        )
        rows = customer_rows(
            env, spec["customers"], spec["contacts_every"], by_state, salespeople, rng
        )
        ids = copy_customers(env, template, rows)
        template.unlink()
        log(f"{len(ids)} customers and contact persons")
        products = sales_data.make_products(env)
        customer = env["res.partner"].browse(ids[0])
        templates = orm_templates(env, customer.user_id, customer, products)
        heavy = [
            territory.member_ids.sorted("id")[:1].id
            for territory in territories
            if territory.parent_id and territory.member_ids
        ][::HEAVY_EVERY]
        ctx = crm_data.Context(env, datetime.utcnow().replace(microsecond=0), heavy, HEAVY_FACTOR)
        log("quotes and contracts")
        quotes = sales_data.plan_quotes(ctx, spec, rng)
        sales_data.write_quotes(env, ctx, quotes, templates)
        sales_data.write_contracts(env, ctx, quotes, templates, rng)
        del quotes
        ctx.load_quotes_awaiting(env.cr)
        log("interactions and activities")
        interactions, activities = crm_data.plan(ctx, spec, rng)
        crm_data.write(env, ctx, interactions, activities, templates)
        del interactions, activities
        log("meetings")
        meetings = crm_data.plan_meetings(ctx, spec["meetings"], rng)
        crm_data.write_meetings(env, ctx, meetings, templates, rng)
        del meetings
        env.invalidate_all()
    log("vacuum and analyze")
    vacuum(dbname)
    log(f"done in {time.monotonic() - started:.0f} s")


def vacuum(dbname):
    """Compact the partners (updated in place) and give the planner fresh statistics."""
    # VACUUM FULL rewrites the table; the plain VACUUM after it sets the visibility map
    commands = ["VACUUM FULL res_partner"]
    commands += [f"VACUUM (ANALYZE) {table}" for table in BULK_TABLES]
    for command in commands:
        subprocess.run(["psql", "-q", "-d", dbname, "-c", command], env=psql_env(), check=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", default="effect_bench")
    parser.add_argument("--scale", choices=sorted(SCALES), default="full")
    parser.add_argument("--reset", action="store_true")
    parser.add_argument(
        "--modules",
        default="effect_crm",
        help="addons installed when the database is created, comma-separated "
        "(e.g. effect_crm,effect_crm_accounting,effect_crm_mailmerge)",
    )
    args = parser.parse_args()
    generate(args.db, args.scale, reset=args.reset, modules=tuple(args.modules.split(",")))


if __name__ == "__main__":
    main()
