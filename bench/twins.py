#!/usr/bin/env python3
"""Compare generated rows with the rows the ORM writes for the same input (ORM twins).

    python3 bench/twins.py --db effect_bench_tiny

For each kind of row the generator writes, take a generated record, write its
twin through the ORM the way a user does it (as that user, in their time zone and
language, in Odoo's import mode like the generator: no creation notes), and
compare both rows column by column. Columns that cannot agree (ids, creation
times, sequence numbers, dates the ORM takes from the clock) are left out of the
comparison and checked against the rule that sets them instead. Nothing is kept:
the transaction is rolled back. Prints a JSON report; tests/test_bench.py asserts
that it finds no difference.
"""

import argparse
import json
import re
import sys
from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bulk import template_row as row
from odoo_env import environment

# effect_edit_version: how many times the record was saved (its history, as write_date)
ALWAYS_DIFFERENT = {"id", "create_date", "write_date", "effect_edit_version"}
# the form of a Message-ID (odoo.tools.mail.generate_tracking_message_id)
MESSAGE_ID = re.compile(r"<\d{15}\.\d+\.\d{15}-openerp-message-notify@[^>]+>")
SUPERUSER_ID = 1


def differences(generated, written, skip=()):
    skip = ALWAYS_DIFFERENT | set(skip)
    return {
        column: [generated.get(column), written.get(column)]
        for column in sorted(set(generated) | set(written))
        if column not in skip and generated.get(column) != written.get(column)
    }


def user_env(env, user_id):
    user = env["res.users"].browse(user_id)
    context = {
        "tz": user.tz,
        "lang": user.lang or "en_US",
        "tracking_disable": True,
        "mail_create_nolog": True,
    }
    return env(user=user_id, context=context)


def orm_value(value):
    """A value of a row (JSON) as the ORM takes it: datetimes with a space."""
    if isinstance(value, str) and len(value) >= 19 and value[10] == "T" and value[4] == "-":
        return value[:19].replace("T", " ")
    return value


def utc_date(text):
    return text[:10]


class Twins:
    def __init__(self, env):
        self.env = env
        self.cr = env.cr
        self.report = {}

    def check(self, kind, found):
        self.report.setdefault(kind, {}).update(found)

    def first(self, query, params=()):
        self.cr.execute(query, params)
        result = self.cr.fetchone()
        if not result:
            raise LookupError(query)
        return result

    # -- interactions and activities ---------------------------------------------

    def interaction_twin(self, generated, **extra):
        """Write, as its user, the interaction ``generated`` (a row) with ``extra`` values."""
        values = {
            name: orm_value(generated[name])
            for name in (
                "name", "partner_id", "contact_id", "user_id", "type_id", "date", "duration",
                "direction", "outcome_id", "notes", "next_activity_type_id", "next_date",
                "next_summary",
            )
            if generated[name] is not None
        }  # fmt: skip
        values.update(extra)
        env = user_env(self.env, generated["user_id"])
        twin = env["effect.crm.interaction"].create(values)
        env.flush_all()
        return twin

    def compare_interactions(self):
        cr = self.cr
        # a planned action still open: the last interaction with a customer
        (planner_id,) = self.first(
            """SELECT i.id FROM effect_crm_interaction i
                 JOIN mail_activity a ON a.id = i.next_activity_id AND a.active
                WHERE i.done_activity_id IS NULL
                  AND (i.contact_id IS NOT NULL OR i.outcome_id IS NOT NULL)
                ORDER BY i.id LIMIT 1"""
        )
        generated = row(cr, "effect_crm_interaction", planner_id)
        twin = self.interaction_twin(generated)
        refs = ("next_activity_id",)
        self.check(
            "interaction planning", differences(generated, row(cr, twin._table, twin.id), refs)
        )
        self.check(
            "open activity",
            differences(
                row(cr, "mail_activity", generated["next_activity_id"]),
                row(cr, "mail_activity", twin.next_activity_id.id),
            ),
        )
        # a planned action done by the next interaction: one with an outcome, one with a
        # summary, one done by a colleague of the salesperson it was assigned to (the
        # chatter note names the assignee)
        shapes = {
            "": "d.outcome_id IS NOT NULL",
            " (summary)": "a.summary IS NOT NULL",
            " (by a colleague)": "a.user_id <> d.user_id",
        }
        for label, condition in shapes.items():
            (doer_id,) = self.first(
                f"""SELECT d.id FROM effect_crm_interaction d
                      JOIN mail_activity a ON a.id = d.done_activity_id
                     WHERE {condition} ORDER BY d.id LIMIT 1"""
            )
            self.compare_done(doer_id, label)

    def compare_done(self, doer_id, label):
        cr = self.cr
        doer = row(cr, "effect_crm_interaction", doer_id)
        planner = row(cr, "effect_crm_interaction", doer["previous_interaction_id"])
        activity = row(cr, "mail_activity", doer["done_activity_id"])
        generated_message = self.done_message(activity)
        planner_twin = self.interaction_twin(planner)
        doer_twin = self.interaction_twin(doer, done_activity_id=planner_twin.next_activity_id.id)
        refs = ("next_activity_id", "done_activity_id", "previous_interaction_id")
        self.check(
            f"interaction planning (done later){label}",
            differences(planner, row(cr, "effect_crm_interaction", planner_twin.id), refs),
        )
        self.check(
            f"interaction doing a planned action{label}",
            differences(doer, row(cr, "effect_crm_interaction", doer_twin.id), refs),
        )
        done_twin = row(cr, "mail_activity", planner_twin.next_activity_id.id)
        self.check(f"done activity{label}", differences(activity, done_twin, ["date_done"]))
        written_message = self.done_message(done_twin)
        # the message id is random and timed: its form only
        stamps = ["date", "message_id"]
        self.check(
            f"chatter note of the done activity{label}",
            differences(generated_message, written_message, stamps),
        )
        message_id = MESSAGE_ID.fullmatch(generated_message["message_id"] or "")
        same_date = generated_message["date"] == doer["create_date"]
        if not message_id or not same_date:
            self.check(
                f"chatter note of the done activity{label}",
                {"message_id, date": [generated_message["message_id"], generated_message["date"]]},
            )
        links = {
            "planner's next action is the done activity": planner["next_activity_id"]
            == activity["id"],
            "twin linked the same way": doer_twin.previous_interaction_id == planner_twin
            and doer_twin.done_activity_id == planner_twin.next_activity_id,
            # the ORM archives at the time the doer is logged: the UTC date of that moment
            "date_done is the UTC day the doer was logged": activity["date_done"]
            == utc_date(doer["create_date"]),
        }
        self.check(f"links{label}", {k: False for k, ok in links.items() if not ok})

    def done_message(self, activity):
        """The chatter note of a done activity on its customer, as a row (with its
        notifications counted: none)."""
        (message_id,) = self.first(
            """SELECT m.id FROM mail_message m
                WHERE m.model = %s AND m.res_id = %s AND m.mail_activity_type_id = %s
                  AND m.subtype_id = %s AND date_trunc('second', m.create_date) = %s
                ORDER BY m.id DESC LIMIT 1""",
            [activity["res_model"], activity["res_id"], activity["activity_type_id"],
             self.env.ref("mail.mt_activities").id, orm_value(activity["write_date"])],
        )  # fmt: skip
        message = row(self.cr, "mail_message", message_id)
        self.cr.execute(
            "SELECT count(*) FROM mail_notification WHERE mail_message_id = %s", [message_id]
        )
        message["notifications"] = self.cr.fetchone()[0]
        return message

    def compare_chatter_activities(self):
        cr = self.cr
        for model in ("res.partner", "sale.order"):
            (activity_id,) = self.first(
                """SELECT a.id FROM mail_activity a
                    WHERE a.active AND a.res_model = %s AND NOT EXISTS (
                          SELECT 1 FROM effect_crm_interaction i WHERE i.next_activity_id = a.id)
                    ORDER BY a.summary IS NULL, a.id LIMIT 1""",
                [model],
            )
            generated = row(cr, "mail_activity", activity_id)
            env = user_env(self.env, generated["user_id"])
            values = {
                name: generated[name]
                for name in ("res_model_id", "res_id", "activity_type_id", "summary",
                             "date_deadline", "user_id")
                if generated[name] is not None
            }  # fmt: skip
            # the user the activity is assigned to follows the document: the generated
            # following goes, the ORM writes its own
            partner_id = self.env["res.users"].browse(generated["user_id"]).partner_id.id
            generated_subtypes = self.follower_subtypes(model, generated["res_id"], partner_id)
            cr.execute(
                "DELETE FROM mail_followers WHERE res_model = %s AND res_id = %s "
                "AND partner_id = %s",
                [model, generated["res_id"], partner_id],
            )
            self.env.invalidate_all()
            twin = env["mail.activity"].create(values)
            env.flush_all()
            self.check(
                f"activity planned from the chatter on {model}",
                differences(generated, row(cr, "mail_activity", twin.id)),
            )
            written_subtypes = self.follower_subtypes(model, generated["res_id"], partner_id)
            if generated_subtypes != written_subtypes or not written_subtypes:
                self.check(
                    f"follower of {model}", {"subtypes": [generated_subtypes, written_subtypes]}
                )

    def follower_subtypes(self, model, res_id, partner_id):
        self.cr.execute(
            """SELECT array_agg(r.mail_message_subtype_id ORDER BY r.mail_message_subtype_id)
                 FROM mail_followers f
                 JOIN mail_followers_mail_message_subtype_rel r ON r.mail_followers_id = f.id
                WHERE f.res_model = %s AND f.res_id = %s AND f.partner_id = %s""",
            [model, res_id, partner_id],
        )
        return self.cr.fetchone()[0]

    def compare_followers(self):
        """Every user with an activity on a document follows it, and only those."""
        self.cr.execute(
            """SELECT count(*) FROM (
                   SELECT DISTINCT a.res_model, a.res_id, u.partner_id
                     FROM mail_activity a JOIN res_users u ON u.id = a.user_id
                    WHERE a.res_model IN ('res.partner', 'sale.order')
               ) a FULL JOIN (
                   SELECT res_model, res_id, partner_id FROM mail_followers
                    WHERE res_model IN ('res.partner', 'sale.order')
               ) f USING (res_model, res_id, partner_id)
               WHERE a.res_id IS NULL OR f.res_id IS NULL"""
        )
        mismatched = self.cr.fetchone()[0]
        self.check("followers", {"mismatched": [mismatched, 0]} if mismatched else {})

    def compare_customer_statistics(self):
        """The stored interaction count, last interaction and next action, recomputed."""
        cr = self.cr
        columns = "effect_interaction_count, effect_last_interaction_date, effect_next_action_date"
        query = f"SELECT id, {columns} FROM res_partner WHERE effect_stage IS NOT NULL ORDER BY id"
        cr.execute(query)
        generated = cr.fetchall()
        Partner = self.env["res.partner"]
        partners = Partner.browse([r[0] for r in generated])
        for name in columns.split(", "):
            self.env.add_to_compute(Partner._fields[name], partners)
        partners.flush_recordset()
        cr.execute(query)
        recomputed = cr.fetchall()
        wrong = [[g, r] for g, r in zip(generated, recomputed, strict=True) if g != r]
        self.check(
            "customer statistics",
            {"customers": [len(wrong), wrong[:3]]} if wrong else {},
        )
        if not any(r[1] for r in generated) or not any(r[3] for r in generated):
            self.check("customer statistics", {"empty": True})

    # -- meetings -------------------------------------------------------------------

    def compare_meetings(self):
        """A past meeting of a salesperson with a customer's contact person, and its twin."""
        cr = self.cr
        (event_id,) = self.first(
            """SELECT e.id FROM calendar_event e
                WHERE e.stop < now() AND EXISTS (
                      SELECT 1 FROM calendar_attendee a JOIN res_partner p ON p.id = a.partner_id
                       WHERE a.event_id = e.id AND p.parent_id IS NOT NULL)
                ORDER BY e.id LIMIT 1"""
        )
        generated = row(cr, "calendar_event", event_id)
        cr.execute(
            "SELECT res_partner_id FROM calendar_event_res_partner_rel "
            "WHERE calendar_event_id = %s ORDER BY res_partner_id",
            [event_id],
        )
        partner_ids = [r[0] for r in cr.fetchall()]
        env = user_env(self.env, generated["user_id"])
        twin = env["calendar.event"].create(
            {
                "name": generated["name"],
                "start": orm_value(generated["start"]),
                "stop": orm_value(generated["stop"]),
                "user_id": generated["user_id"],
                "partner_ids": [(6, 0, partner_ids)],
            }
        )
        env.flush_all()
        self.check("meeting", differences(generated, row(cr, "calendar_event", twin.id)))
        for partner_id in partner_ids:
            attendees = []
            for event in (event_id, twin.id):
                cr.execute(
                    "SELECT id FROM calendar_attendee WHERE event_id = %s AND partner_id = %s",
                    [event, partner_id],
                )
                attendees.append(row(cr, "calendar_attendee", cr.fetchone()[0]))
            self.check(
                "meeting attendee",
                differences(*attendees, ["event_id", "access_token"]),
            )
            tokens = [attendee["access_token"] for attendee in attendees]
            if not all(token and len(token) == 32 for token in tokens):
                self.check("meeting attendee", {"access_token": tokens})
            followed = [
                self.follower_subtypes("calendar.event", event, partner_id)
                for event in (event_id, twin.id)
            ]
            if followed[0] != followed[1]:
                self.check("meeting followers", {str(partner_id): followed})
        cr.execute(
            "SELECT calendar_event_id, count(*) FROM calendar_event_res_partner_rel "
            "WHERE calendar_event_id IN %s GROUP BY 1",
            [(event_id, twin.id)],
        )
        counts = dict(cr.fetchall())
        if counts.get(event_id) != counts.get(twin.id):
            self.check("meeting", {"partners": [counts.get(event_id), counts.get(twin.id)]})

    # -- quotes and contracts -------------------------------------------------------

    def quote_twin(self, generated, lines):
        env = user_env(self.env, generated["user_id"])
        order = env["sale.order"].create(
            {
                "partner_id": generated["partner_id"],
                "date_order": orm_value(generated["date_order"]),
                "order_line": [
                    (
                        0,
                        0,
                        {
                            "product_id": line["product_id"],
                            "product_uom_qty": line["product_uom_qty"],
                        },
                    )
                    for line in lines
                ],
            }
        )
        status = generated["effect_customer_status"]
        if status != "not_sent":
            order.action_effect_mark_sent()
        if generated["effect_received_date"]:
            order.action_effect_mark_received()
        if status == "accepted":
            order.action_effect_mark_accepted()
        elif status == "refused":
            order.action_effect_mark_refused()
        elif status == "expired":  # the daily job, as the superuser
            order.with_user(SUPERUSER_ID)._effect_set_customer_status("expired")
        env.flush_all()
        return order

    def compare_quotes(self):
        cr = self.cr
        cr.execute("SELECT max(id) FROM sale_order")
        (last_id,) = cr.fetchone()
        cr.execute("SELECT name FROM sale_order WHERE id = %s", [last_id])
        (last_name,) = cr.fetchone()
        cr.execute(
            "SELECT DISTINCT ON (effect_customer_status) id FROM sale_order "
            "ORDER BY effect_customer_status, effect_received_date IS NULL, id"
        )
        order_ids = [r[0] for r in cr.fetchall()]
        first_name = None
        for order_id in order_ids:
            generated = row(cr, "sale_order", order_id)
            cr.execute("SELECT id FROM sale_order_line WHERE order_id = %s ORDER BY id", [order_id])
            lines = [row(cr, "sale_order_line", r[0]) for r in cr.fetchall()]
            twin = self.quote_twin(generated, lines)
            first_name = first_name or twin.name
            status = generated["effect_customer_status"]
            written = row(cr, "sale_order", twin.id)
            stamps = [c for c in generated if c.startswith("effect_") and c.endswith("_date")]
            self.check(
                f"quote {status}",
                differences(generated, written, ["name", "validity_date", *stamps]),
            )
            pattern = {c: [generated[c] is None, written[c] is None] for c in stamps}
            self.check(
                f"quote {status} dates",
                {c: v for c, v in pattern.items() if v[0] != v[1]},
            )
            zone = ZoneInfo(twin.user_id.tz or "UTC")
            ordered = twin.date_order.replace(tzinfo=ZoneInfo("UTC")).astimezone(zone).date()
            validity = str(ordered + timedelta(days=twin.company_id.quotation_validity_days))
            if generated["validity_date"] != validity:
                self.check(
                    f"quote {status}", {"validity_date": [generated["validity_date"], validity]}
                )
            for line, twin_line in zip(lines, twin.order_line.sorted("id"), strict=True):
                self.check(
                    f"quote line ({status})",
                    differences(line, row(cr, "sale_order_line", twin_line.id), ["order_id"]),
                )
                taxes = [self.line_taxes(line["id"]), self.line_taxes(twin_line.id)]
                if taxes[0] != taxes[1] or not taxes[1]:
                    self.check(f"quote line ({status})", {"taxes": taxes})
        # the sequence goes on after the generated quotes
        expected = self.next_name(last_name)
        if first_name != expected:
            self.check("quote numbering", {"name": [expected, first_name]})

    def line_taxes(self, line_id):
        self.cr.execute(
            "SELECT array_agg(account_tax_id ORDER BY account_tax_id) "
            "FROM account_tax_sale_order_line_rel WHERE sale_order_line_id = %s",
            [line_id],
        )
        return self.cr.fetchone()[0]

    @staticmethod
    def next_name(name):
        digits = len(name) - len(name.rstrip("0123456789"))
        number = int(name[-digits:]) + 1
        return f"{name[:-digits]}{number:0{digits}d}"

    def compare_contracts(self):
        cr = self.cr
        (last_name,) = self.first("SELECT name FROM effect_crm_contract ORDER BY id DESC LIMIT 1")
        first_name = None
        cr.execute("SELECT DISTINCT ON (state) id FROM effect_crm_contract ORDER BY state, id")
        for (contract_id,) in cr.fetchall():
            generated = row(cr, "effect_crm_contract", contract_id)
            source = row(cr, "sale_order", generated["sale_order_id"])
            cr.execute(
                "SELECT id FROM sale_order_line WHERE order_id = %s ORDER BY id", [source["id"]]
            )
            lines = [row(cr, "sale_order_line", r[0]) for r in cr.fetchall()]
            quote = self.quote_twin(source, lines)
            env = user_env(self.env, generated["user_id"])
            contract = env["effect.crm.contract"].browse(
                quote.with_env(env).action_effect_create_contract()["res_id"]
            )
            first_name = first_name or contract.name
            if generated["type_id"]:
                contract.type_id = generated["type_id"]
            state = generated["state"]
            steps = {
                "draft": [], "sent": ["sent"], "signed": ["sent", "signed"],
                "active": ["sent", "signed", "active"], "done": ["sent", "signed", "active", "done"],
                "expired": ["sent", "signed", "active", "expired"], "cancelled": ["sent", "cancelled"],
            }[state]  # fmt: skip
            for step in steps:
                if step == "signed":  # the salesperson types the term in, then signs
                    contract.write(
                        {"date_start": generated["date_start"], "date_end": generated["date_end"]}
                    )
                if step == "expired":  # the daily job, as the superuser
                    contract.with_user(SUPERUSER_ID)._effect_set_state("expired")
                else:
                    contract._effect_set_state(step)
            env.flush_all()
            written = row(cr, "effect_crm_contract", contract.id)
            stamps = ["date_sent", "date_signed", "date_activated", "date_done",
                      "date_cancelled", "date_expired"]  # fmt: skip
            self.check(
                f"contract {state}",
                differences(generated, written, ["name", "title", "sale_order_id", *stamps]),
            )
            pattern = {c: [generated[c] is None, written[c] is None] for c in stamps}
            self.check(
                f"contract {state} dates", {c: v for c, v in pattern.items() if v[0] != v[1]}
            )
            if generated["title"] != f"Contract for {source['name']}":
                self.check(f"contract {state}", {"title": [generated["title"], source["name"]]})
        # the numbering goes on: same prefix (the year of creation), next number
        expected = self.next_name(last_name)
        if first_name.rsplit("/", 1)[-1] != expected.rsplit("/", 1)[-1]:
            self.check("contract numbering", {"name": [expected, first_name]})

    def run(self):
        self.compare_interactions()
        self.compare_chatter_activities()
        self.compare_meetings()
        self.compare_followers()
        self.compare_customer_statistics()
        self.compare_quotes()
        self.compare_contracts()
        self.cr.rollback()
        return self.report


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", required=True)
    args = parser.parse_args()
    with environment(args.db) as env:
        report = Twins(env).run()
    print(json.dumps(report, ensure_ascii=False, default=str))


if __name__ == "__main__":
    main()
