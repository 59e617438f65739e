"""Interactions, their next actions (``mail.activity``) and followers, as the ORM writes them.

Each customer gets a chain of interactions over the years. An interaction may
plan the next action (an activity on the customer, ``next_activity_id``); the
following interaction with that customer is the one that did it: it carries
``done_activity_id``, ``done_activity_deadline`` and ``previous_interaction_id``,
its type is the interaction type of the planned activity type and its subject
the planned summary (what the agenda's *Do It* prefills), and the activity is
archived with ``date_done`` and the feedback ``_effect_mark_done`` writes. A
customer's last planned action is still open. Other open actions were planned
from the chatter, on customers, on their contact persons and on quotes awaiting
an answer. Assigning an activity makes its user follow the document, with the
default subtypes, as ``mail.activity.create`` does.

Every row is written in the order the ORM would have created it (ids grow with
time); values the ORM derives (stored related fields, the activity note and
feedback, ``res_name``, ``user_tz``, ``date_done``) are derived the same way
here, and the customers' stored statistics are recomputed in SQL from the rows.
tests/test_bench.py compares each kind of row with one the ORM wrote.
"""

import uuid
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import markupsafe
from bulk import Copier, bulk_load, log, reserve_ids, template_row

YEARS = 3
# interactions that no planned action led to, by type
INTERACTION_TYPE_WEIGHTS = {
    "effect_crm.interaction_type_call": 35,
    "effect_crm.interaction_type_email": 20,
    "effect_crm.interaction_type_meeting": 8,
    "effect_crm.interaction_type_visit": 12,
    "effect_crm.interaction_type_quote": 10,
    "effect_crm.interaction_type_contract": 3,
    "effect_crm.interaction_type_letter": 5,
    "effect_crm.interaction_type_other": 7,
}
# the next actions planned
NEXT_ACTION_WEIGHTS = {
    "mail.mail_activity_data_call": 40,
    "mail.mail_activity_data_email": 15,
    "mail.mail_activity_data_meeting": 10,
    "effect_crm.mail_activity_type_visit": 15,
    "effect_crm.mail_activity_type_send_quote": 10,
    "effect_crm.mail_activity_type_send_contract": 3,
    "effect_crm.mail_activity_type_send_letter": 2,
    "mail.mail_activity_data_todo": 5,
}
OUTCOME_WEIGHTS = {
    None: 25,
    "effect_crm.interaction_outcome_interested": 15,
    "effect_crm.interaction_outcome_quote_requested": 8,
    "effect_crm.interaction_outcome_order": 4,
    "effect_crm.interaction_outcome_call_back": 20,
    "effect_crm.interaction_outcome_no_answer": 15,
    "effect_crm.interaction_outcome_wrong_contact": 3,
    "effect_crm.interaction_outcome_not_interested": 10,
}
SUBJECTS = [
    "Giới thiệu sản phẩm",
    "Hỏi nhu cầu",
    "Tư vấn giải pháp",
    "Chăm sóc khách hàng",
    "Thương lượng giá",
    "Nhắc thanh toán",
    "Khách hàng gọi hỏi",
]
SUMMARIES = [None, None, None, "Gọi lại", "Gửi tài liệu", "Hẹn gặp giám đốc", "Chốt đơn hàng"]
NOTES = [
    None,
    None,
    None,
    "<p>Khách hàng quan tâm, cần thêm thông tin về giá.</p>",
    "<p>Đã gửi tài liệu giới thiệu qua email.</p>",
    "<p>Giám đốc đi công tác, hẹn tuần sau.</p>",
]
DURATIONS = {  # hours, by interaction type; None: not recorded
    "effect_crm.interaction_type_call": (0.05, 0.5),
    "effect_crm.interaction_type_meeting": (0.5, 2.0),
    "effect_crm.interaction_type_visit": (1.0, 3.0),
}

INTERACTION_COLUMNS = [
    "id", "partner_id", "contact_id", "user_id", "team_id", "type_id", "outcome_id",
    "outcome_kind", "date", "duration", "direction", "name", "notes", "partner_stage",
    "partner_business_type_id", "partner_size_id", "partner_industry_id", "partner_state_id",
    "next_activity_type_id", "next_date", "next_user_id", "next_summary", "next_activity_id",
    "done_activity_id", "done_activity_deadline", "previous_interaction_id",
    "create_uid", "write_uid", "create_date", "write_date",
]  # fmt: skip
ACTIVITY_COLUMNS = [
    "id", "res_model_id", "res_model", "res_id", "res_name", "activity_type_id", "summary",
    "note", "date_deadline", "effect_first_deadline", "date_done", "feedback", "active",
    "user_id", "user_tz", "create_uid", "write_uid", "create_date", "write_date",
]  # fmt: skip


class Interaction:
    __slots__ = (
        "contact_id",
        "created",
        "customer",
        "date",
        "direction",
        "done_activity",
        "duration",
        "id",
        "name",
        "next_activity",
        "next_date",
        "next_summary",
        "next_type",
        "notes",
        "outcome",
        "previous",
        "type",
        "user_id",
    )  # fmt: skip


class Activity:
    __slots__ = (
        "created",
        "deadline",
        "done_by",
        "id",
        "note",
        "res_id",
        "res_model",
        "res_name",
        "summary",
        "type",
        "user_id",
    )  # fmt: skip


def selector(total, wanted, rng):
    """A function that answers True exactly ``wanted`` times in ``total`` calls, at random."""
    state = {"seen": 0, "chosen": 0}

    def choose():
        left = total - state["seen"]
        state["seen"] += 1
        if left <= 0:
            return False
        if rng.random() * left < wanted - state["chosen"]:
            state["chosen"] += 1
            return True
        return False

    return choose


def split(total, parts, rng):
    """``total`` split into ``parts`` skewed counts (a tenth of them 0) that add up exactly."""
    weights = [0.0 if rng.random() < 0.1 else rng.lognormvariate(0, 0.9) for _ in range(parts)]
    scale = total / sum(weights)
    counts = [int(w * scale) for w in weights]
    short = total - sum(counts)
    positive = [i for i, w in enumerate(weights) if w]
    for i in rng.sample(positive, short) if short <= len(positive) else positive * 0:
        counts[i] += 1
    while sum(counts) < total:  # only with very few parts
        counts[rng.choice(positive)] += 1
    return counts


class Context:
    """What the generator needs to know of the database, read once."""

    def __init__(self, env, now, heavy=(), heavy_factor=1):
        cr = env.cr
        self.now = now
        # the salespeople with a backlog, and how many times the median's open actions
        self.heavy = list(heavy)
        self.heavy_factor = heavy_factor
        ref = env.ref
        self.res_partner_model = env["ir.model"]._get_id("res.partner")
        self.sale_order_model = env["ir.model"]._get_id("sale.order")
        cr.execute(
            """
            SELECT p.id, p.user_id, p.effect_territory_id, p.complete_name, p.effect_stage,
                   p.effect_business_type_id, p.effect_size_id, p.industry_id, p.state_id
              FROM res_partner p
             WHERE p.effect_stage IS NOT NULL AND p.parent_id IS NULL AND p.user_id IS NOT NULL
             ORDER BY p.id
            """
        )
        self.customers = cr.fetchall()
        cr.execute(
            """
            SELECT c.parent_id, c.id, c.complete_name FROM res_partner c
              JOIN res_partner p ON p.id = c.parent_id
             WHERE p.effect_stage IS NOT NULL AND p.user_id IS NOT NULL
             ORDER BY c.id
            """
        )
        self.contacts = {}
        for parent_id, contact_id, name in cr.fetchall():
            self.contacts.setdefault(parent_id, []).append((contact_id, name))
        # a contact person's own name (what a meeting's attendee shows)
        cr.execute("SELECT id, name FROM res_partner WHERE parent_id IS NOT NULL")
        self.contact_names = dict(cr.fetchall())
        cr.execute("SELECT territory_id, user_id FROM effect_crm_territory_member_rel")
        self.members = {}
        for territory_id, user_id in cr.fetchall():
            self.members.setdefault(territory_id, []).append(user_id)
        self.users_in_territories = sorted({u for team in self.members.values() for u in team})
        cr.execute(
            """
            SELECT u.id, p.tz, p.lang, p.id, u.sale_team_id, p.name FROM res_users u
              JOIN res_partner p ON p.id = u.partner_id
            """
        )
        self.users = {row[0]: row[1:] for row in cr.fetchall()}
        # the sender of the messages a user posts (mail.thread._message_compute_author)
        self.email_from = {
            user.id: user.partner_id.email_formatted or None
            for user in env["res.users"].with_context(active_test=False).browse(self.users)
        }
        self.interaction_types = {}
        for xmlid in INTERACTION_TYPE_WEIGHTS:
            record = ref(xmlid).with_context(lang="en_US")
            self.interaction_types[xmlid] = (record.id, record.name, record.activity_type_id.id)
        self.activity_types = {}
        self.activity_icons = {}
        for xmlid in NEXT_ACTION_WEIGHTS:
            record = ref(xmlid).with_context(lang="en_US")
            self.activity_types[xmlid] = (record.id, record.name)
            self.activity_icons[record.id] = record.icon
        self.outcomes = {None: (None, None, None)}
        for xmlid in OUTCOME_WEIGHTS:
            if xmlid:
                record = ref(xmlid).with_context(lang="en_US")
                self.outcomes[xmlid] = (record.id, record.name, record.kind)
        # the interaction type of a planned activity type (InteractionType._for_activity_type)
        Type = env["effect.crm.interaction.type"].with_context(lang="en_US")
        self.type_for_activity = {}
        for activity_id, _name in self.activity_types.values():
            found = Type.search([("activity_type_id", "=", activity_id)], limit=1)
            self.type_for_activity[activity_id] = (found.id, found.name)
        company = env.company
        self.validity_days = company.quotation_validity_days
        Sequence = env["ir.sequence"]
        order_sequence = Sequence.search([("code", "=", "sale.order")], limit=1)
        contract_sequence = Sequence.search([("code", "=", "effect.crm.contract")], limit=1)
        if "%" in (order_sequence.prefix or "") or order_sequence.suffix:
            raise ValueError("the generator numbers quotes with a plain prefix only")
        self.order_sequence_id = order_sequence.id
        self.order_prefix, self.order_padding = order_sequence.prefix or "", order_sequence.padding
        self.contract_sequence_id = contract_sequence.id
        self.contract_prefix = contract_sequence.prefix or ""
        self.contract_padding = contract_sequence.padding
        self.contract_types = env["effect.crm.contract.type"].search([]).ids
        zone = user_zone(self.users[self.customers[0][1]][0])
        self.today = local_date(now, zone)
        self.quotes_awaiting = []

    def load_quotes_awaiting(self, cr):
        cr.execute(
            """
            SELECT o.id, o.name, o.user_id, o.effect_sent_date FROM sale_order o
             WHERE o.effect_customer_status IN ('sent', 'received') AND o.user_id IS NOT NULL
             ORDER BY o.id
            """
        )
        self.quotes_awaiting = cr.fetchall()


def user_zone(tz):
    return ZoneInfo(tz or "UTC")


def working_time(moment, zone, rng):
    """``moment`` (naive UTC) moved to a random time of its local working day, naive UTC."""
    local_day = moment.replace(tzinfo=ZoneInfo("UTC")).astimezone(zone).date()
    local = datetime.combine(local_day, time(8)) + timedelta(seconds=rng.randrange(0, 34_200))
    return local.replace(tzinfo=zone).astimezone(ZoneInfo("UTC")).replace(tzinfo=None)


def local_date(moment, zone):
    return moment.replace(tzinfo=ZoneInfo("UTC")).astimezone(zone).date()


def overdue_days(rng):
    """How late an overdue action is: mostly weeks, a fifth of them a backlog of years."""
    if rng.random() < 0.8:
        return rng.randint(1, 120)
    return rng.randint(121, 365 * YEARS - 30)


def open_deadline(today, rng):
    """The due date of an open action: a fifth overdue, a few today, the rest ahead."""
    draw = rng.random()
    if draw < 0.20:
        return today - timedelta(days=overdue_days(rng))
    if draw < 0.23:
        return today
    return today + timedelta(days=rng.randint(1, 120))


def weighted(weights, rng):
    keys = list(weights)
    return lambda: rng.choices(keys, weights=[weights[k] for k in keys])[0]


def plan(ctx, spec, rng):
    """Every interaction and activity, in memory, linked; ids not yet given."""
    now = ctx.now
    start = now - timedelta(days=365 * YEARS)
    total = spec["interactions"]
    counts = split(total, len(ctx.customers), rng)
    active = sum(1 for n in counts if n)
    open_total = spec["open_activities"]
    # a few salespeople never close their actions: a backlog of HEAVY_FACTOR times the
    # median salesperson's open actions, planned from the chatter over the years
    # (the others share what is left: each one's share is the median)
    weight = len(ctx.users_in_territories) + (ctx.heavy_factor - 1) * len(ctx.heavy)
    median_open = open_total // max(1, weight)
    backlog = dict.fromkeys(ctx.heavy, (ctx.heavy_factor - 1) * median_open)
    open_total -= sum(backlog.values())
    open_quotes = min(len(ctx.quotes_awaiting), open_total // 10)
    open_chain = min(active, round(open_total * 0.7))
    open_partner = open_total - open_chain - open_quotes
    not_last = total - active
    if spec["done_activities"] > not_last:
        raise ValueError("more done activities than interactions that are not a customer's last")
    planner_of_middle = selector(not_last, spec["done_activities"], rng)
    chain_open = selector(active, open_chain, rng)
    pick_type = weighted(INTERACTION_TYPE_WEIGHTS, rng)
    pick_next = weighted(NEXT_ACTION_WEIGHTS, rng)
    pick_outcome = weighted(OUTCOME_WEIGHTS, rng)
    durations = {ctx.interaction_types[x][0]: b for x, b in DURATIONS.items()}
    interactions, activities = [], []
    zones = {}
    for customer, n in zip(ctx.customers, counts, strict=True):
        if not n:
            continue
        cid, owner, territory = customer[0], customer[1], customer[2]
        tz = ctx.users[owner][0]
        zone = zones.get(tz) or zones.setdefault(tz, user_zone(tz))
        today = local_date(now, zone)
        colleagues = [u for u in ctx.members.get(territory, ()) if u != owner]
        contacts = ctx.contacts.get(cid, ())
        has_open = chain_open()
        if has_open:
            deadline = open_deadline(today, rng)
            last = datetime.combine(deadline, time(3)) - timedelta(days=rng.randint(1, 21))
            last = working_time(last, zone, rng)
            if last > now:
                last = now - timedelta(minutes=rng.randint(5, 600))
        else:
            deadline = None
            last = working_time(start + (now - start) * rng.random() ** 0.5, zone, rng)
            last = min(last, now - timedelta(minutes=5))
        last = max(last, start)
        dates = sorted(
            working_time(start + (last - start) * rng.random(), zone, rng) for _ in range(n - 1)
        )
        dates = [min(d, last) for d in dates] + [last]
        previous = None
        for k, moment in enumerate(dates):
            it = Interaction()
            it.customer = customer
            it.date = moment
            it.created = moment + timedelta(seconds=rng.randrange(60, 1800))
            it.user_id = owner if not colleagues or rng.random() < 0.9 else rng.choice(colleagues)
            it.contact_id = rng.choice(contacts)[0] if contacts and rng.random() < 0.3 else None
            it.direction = "outgoing" if rng.random() < 0.8 else "incoming"
            it.outcome = ctx.outcomes[pick_outcome()]
            it.notes = rng.choice(NOTES)
            it.previous = it.done_activity = it.next_activity = None
            if previous is not None and previous.next_activity is not None:
                # the interaction that did the action planned by the previous one
                activity = previous.next_activity
                it.type = ctx.type_for_activity[activity.type[0]]
                it.name = activity.summary or activity.type[1]
                it.done_activity = activity
                it.previous = previous
                activity.done_by = it
            else:
                xmlid = pick_type()
                it.type = ctx.interaction_types[xmlid][:2]
                it.name = rng.choice(SUBJECTS) if rng.random() < 0.7 else it.type[1]
            bounds = durations.get(it.type[0])
            it.duration = round(rng.uniform(*bounds), 2) if bounds else None
            is_last = k == n - 1
            plans = has_open if is_last else planner_of_middle()
            if plans:
                next_type = ctx.activity_types[pick_next()]
                it.next_type = next_type
                if is_last:
                    it.next_date = deadline
                else:
                    it.next_date = local_date(moment, zone) + timedelta(days=rng.randint(1, 14))
                it.next_summary = rng.choice(SUMMARIES)
                activity = Activity()
                activity.res_model = "res.partner"
                activity.res_id = cid
                activity.res_name = customer[3]
                activity.type = next_type
                activity.summary = it.next_summary
                day = fields_date_format(local_date(moment, zone))
                activity.note = f"<p>Planned after “{it.name}” ({day}).</p>"
                activity.deadline = it.next_date
                activity.user_id = it.user_id
                activity.created = it.created
                activity.done_by = None
                it.next_activity = activity
                activities.append(activity)
            else:
                it.next_type = it.next_date = it.next_summary = None
            interactions.append(it)
            previous = it
    # open actions planned from the chatter: on customers and their contact persons ...
    with_partner = selector(len(ctx.customers), min(open_partner, len(ctx.customers)), rng)
    extra = open_partner - min(open_partner, len(ctx.customers))
    for customer in ctx.customers:
        times = 1 if with_partner() else 0
        if extra > 0 and rng.random() < 0.5:
            times, extra = times + 1, extra - 1
        for _ in range(times):
            contacts = ctx.contacts.get(customer[0], ())
            res_id, res_name = customer[0], customer[3]
            if contacts and rng.random() < 0.25:
                res_id, res_name = rng.choice(contacts)
            activities.append(
                chatter_action(ctx, "res.partner", res_id, res_name, customer[1], rng, pick_next)
            )
    # ... the backlog of the heavy salespeople, on their customers ...
    for user_id, count in backlog.items():
        theirs = [customer for customer in ctx.customers if customer[1] == user_id]
        for _ in range(count if theirs else 0):
            customer = rng.choice(theirs)
            activity = chatter_action(
                ctx, "res.partner", customer[0], customer[3], user_id, rng, pick_next
            )
            zone = user_zone(ctx.users[user_id][0])
            activity.deadline = local_date(now, zone) - timedelta(
                days=rng.randint(1, 365 * YEARS - 30)
            )
            planned = datetime.combine(activity.deadline, time(3)) - timedelta(
                days=rng.randint(1, 30)
            )
            activity.created = working_time(max(planned, start), zone, rng)
            activities.append(activity)
    # ... and on quotes awaiting the customer's answer
    for order_id, name, user_id, sent in rng.sample(ctx.quotes_awaiting, open_quotes):
        activity = chatter_action(ctx, "sale.order", order_id, name, user_id, rng, pick_next)
        zone = user_zone(ctx.users[user_id][0])
        activity.deadline = local_date(sent, zone) + timedelta(days=rng.randint(3, 10))
        activity.created = min(sent + timedelta(hours=rng.randint(1, 48)), now)
        activities.append(activity)
    return interactions, activities


def chatter_action(ctx, model, res_id, res_name, user_id, rng, pick_next):
    zone = user_zone(ctx.users[user_id][0])
    activity = Activity()
    activity.res_model, activity.res_id, activity.res_name = model, res_id, res_name
    activity.type = ctx.activity_types[pick_next()]
    activity.summary = rng.choice(SUMMARIES)
    activity.note = None
    activity.deadline = open_deadline(local_date(ctx.now, zone), rng)
    planned = datetime.combine(activity.deadline, time(3)) - timedelta(days=rng.randint(1, 30))
    activity.created = min(working_time(planned, zone, rng), ctx.now - timedelta(minutes=1))
    activity.user_id = user_id
    activity.done_by = None
    return activity


def fields_date_format(day):
    """A date as ``format_date`` writes it in English (en_US: %m/%d/%Y)."""
    return day.strftime("%m/%d/%Y")


def write(env, ctx, interactions, activities, templates):
    cr = env.cr
    interactions.sort(key=lambda it: it.created)
    activities.sort(key=lambda a: a.created)
    first = reserve_ids(cr, "effect_crm_interaction", len(interactions))
    for offset, it in enumerate(interactions):
        it.id = first + offset
    first = reserve_ids(cr, "mail_activity", len(activities))
    for offset, activity in enumerate(activities):
        activity.id = first + offset
    log(f"  {len(interactions)} interactions and {len(activities)} activities planned")
    models = {"res.partner": ctx.res_partner_model, "sale.order": ctx.sale_order_model}
    with bulk_load(cr, ["effect_crm_interaction", "mail_activity"]):
        copier = Copier(cr, "effect_crm_interaction", INTERACTION_COLUMNS, templates["interaction"])
        for it in interactions:
            c = it.customer
            team = ctx.users[it.user_id][3]
            planned, done = it.next_activity, it.done_activity
            copier.add(
                (
                    it.id, c[0], it.contact_id, it.user_id, team, it.type[0], it.outcome[0],
                    it.outcome[2], it.date, it.duration, it.direction, it.name, it.notes, c[4],
                    c[5], c[6], c[7], c[8], it.next_type[0] if it.next_type else None,
                    it.next_date, it.user_id, it.next_summary, planned.id if planned else None,
                    done.id if done else None, done.deadline if done else None,
                    it.previous.id if it.previous else None, it.user_id, it.user_id,
                    it.created, it.created,
                )
            )  # fmt: skip
        copier.close()
        log(f"  {len(interactions)} interactions written")
        copier = Copier(cr, "mail_activity", ACTIVITY_COLUMNS, templates["activity"])
        for activity in activities:
            doer = activity.done_by
            feedback = activity_feedback(doer) if doer is not None else None
            tz = ctx.users[activity.user_id][0]
            copier.add(
                (
                    activity.id, models[activity.res_model], activity.res_model, activity.res_id,
                    activity.res_name, activity.type[0], activity.summary, activity.note,
                    activity.deadline, activity.deadline,
                    doer.created.date() if doer is not None else None, feedback, doer is None,
                    activity.user_id, tz, activity.user_id,
                    doer.user_id if doer is not None else activity.user_id, activity.created,
                    doer.created if doer is not None else activity.created,
                )
            )  # fmt: skip
        copier.close()
        log(f"  {len(activities)} activities written")
    write_messages(env, ctx, activities, templates)
    write_followers(env, ctx, activities, templates)
    update_customer_statistics(cr)


def write_followers(env, ctx, activities, templates):
    """Assigned users follow the documents of their activities, with default subtypes."""
    cr = env.cr
    pairs = {}
    for activity in activities:
        key = (activity.res_model, activity.res_id, ctx.users[activity.user_id][2])
        pairs.setdefault(key, None)
    cr.execute(
        "SELECT res_model, res_id, partner_id FROM mail_followers WHERE res_model = ANY(%s)",
        [["res.partner", "sale.order"]],
    )
    for key in cr.fetchall():
        pairs.pop(tuple(key), None)
    first = reserve_ids(cr, "mail_followers", len(pairs))
    with bulk_load(cr, ["mail_followers", "mail_followers_mail_message_subtype_rel"]):
        copier = Copier(cr, "mail_followers", ["id", "res_model", "res_id", "partner_id"], {})
        relations = Copier(
            cr,
            "mail_followers_mail_message_subtype_rel",
            ["mail_followers_id", "mail_message_subtype_id"],
            {},
        )
        for offset, (model, res_id, partner_id) in enumerate(pairs):
            follower_id = first + offset
            copier.add((follower_id, model, res_id, partner_id))
            for subtype_id in templates["subtypes"][model]:
                relations.add((follower_id, subtype_id))
        copier.close()
        relations.close()
    log(f"  {len(pairs)} followers")


def update_customer_statistics(cr):
    """The customers' stored interaction count, last interaction and next action date.

    As ``_compute_effect_interaction_stats`` and ``_compute_effect_next_action_date``
    compute them: the interactions with the customer, and the earliest open
    activity on the customer or one of its contact persons.
    """
    cr.execute(
        """
        WITH stats AS (
            SELECT partner_id, count(*) AS n, max(date) AS last
              FROM effect_crm_interaction GROUP BY partner_id
        ), next_open AS (
            SELECT p.commercial_partner_id AS partner_id, min(a.date_deadline) AS deadline
              FROM mail_activity a JOIN res_partner p ON p.id = a.res_id
             WHERE a.res_model = 'res.partner' AND a.active
             GROUP BY p.commercial_partner_id
        )
        UPDATE res_partner p
           SET effect_interaction_count = COALESCE(s.n, 0),
               effect_last_interaction_date = s.last,
               effect_next_action_date = o.deadline
          FROM res_partner c
          LEFT JOIN stats s ON s.partner_id = c.id
          LEFT JOIN next_open o ON o.partner_id = c.id
         WHERE p.id = c.id AND c.id = c.commercial_partner_id AND c.effect_stage IS NOT NULL
           AND (s.partner_id IS NOT NULL OR o.partner_id IS NOT NULL)
        """
    )
    log(f"  statistics of {cr.rowcount} customers")


# -- the chatter of done actions ---------------------------------------------------

MESSAGE_COLUMNS = [
    "id", "res_id", "body", "author_id", "email_from", "reply_to", "date",
    "message_id", "mail_activity_type_id", "create_uid", "write_uid", "create_date",
    "write_date",
]  # fmt: skip


def done_message_body(icon, type_name, assignee, summary, note, feedback):
    """The note ``mail.activity._action_done`` posts: the ``mail.message_activity_done``
    template as QWeb renders it (with its whitespace) and the HTML field stores it, for
    an action with a note and a one-line feedback (every done action here); ``assignee``
    when the user who did it is not the one the action was assigned to. twins.py
    compares it with the ORM's for each shape."""
    if not note or not feedback or "\n" in feedback:
        raise ValueError("the generator writes the note of actions with a note and feedback")
    parts = [
        f'<div>\n    <p>\n        <span class="fa {escape(icon or "")} fa-fw"></span>'
        f"<span>{escape(type_name)}</span> done"
    ]
    if assignee:
        parts.append(f"\n         (originally assigned to <span>{escape(assignee)}</span>)")
    if summary:
        parts.append(f"\n        <span>: </span><span>{escape(summary)}</span>")
    parts.append(
        f'\n    </p>\n    \n        <div class="o_mail_note_title fw-bold">Original note:</div>'
        f'\n        <div>{note}</div>\n    <div>\n        <div class="fw-bold">Feedback:</div>'
        f"\n            {escape(feedback)}\n    </div>\n</div>"
    )
    return "".join(parts)


def escape(text):
    return str(markupsafe.escape(text))


def write_messages(env, ctx, activities, templates):
    """The note on the customer's chatter of each done action, as ``_action_done`` posts it.

    Posted by the user who logged the interaction that did it, when they logged it,
    with the action's type; nobody is notified (the "Activities" subtype is internal
    and no follower has it by default).
    """
    cr = env.cr
    template = templates["message"]
    done = [activity for activity in activities if activity.done_by is not None]
    done.sort(key=lambda activity: activity.done_by.created)
    first = reserve_ids(cr, "mail_message", len(done))
    host = template["message_id"].rsplit("@", 1)[-1].rstrip(">")
    counter = 0
    with bulk_load(cr, ["mail_message"]):
        copier = Copier(cr, "mail_message", MESSAGE_COLUMNS, template)
        for offset, activity in enumerate(done):
            doer = activity.done_by
            author = ctx.users[doer.user_id]
            assignee = ctx.users[activity.user_id]
            feedback = activity_feedback(doer)
            body = done_message_body(
                ctx.activity_icons[activity.type[0]],
                activity.type[1],
                assignee[4] if activity.user_id != doer.user_id else None,
                activity.summary,
                activity.note,
                feedback,
            )
            counter += 1
            stamp = doer.created.replace(tzinfo=ZoneInfo("UTC")).timestamp()
            message_id = f"<{counter:015d}.{stamp:.15f}-openerp-message-notify@{host}>"
            copier.add(
                (
                    first + offset, activity.res_id, body, author[2],
                    ctx.email_from[doer.user_id], ctx.email_from[doer.user_id], doer.created,
                    message_id, activity.type[0], doer.user_id, doer.user_id, doer.created,
                    doer.created,
                )
            )  # fmt: skip
        copier.close()
    log(f"  {len(done)} chatter notes of done actions")


def activity_feedback(doer):
    """The feedback ``effect.crm.interaction._effect_mark_done`` writes."""
    feedback = f"{doer.type[1]}: {doer.name}"
    if doer.outcome[0]:
        feedback = f"{feedback} (outcome: {doer.outcome[1]})"
    return feedback


# -- meetings --------------------------------------------------------------------

MEETING_NAMES = [
    "Gặp khách hàng", "Giới thiệu sản phẩm", "Thăm nhà máy", "Trình bày giải pháp",
    "Thương lượng hợp đồng",
]  # fmt: skip
MEETING_DAYS_AHEAD = 14  # meetings are planned up to two weeks ahead
EVENT_COLUMNS = [
    "id", "name", "start", "stop", "duration", "user_id", "description", "create_uid",
    "write_uid", "create_date", "write_date",
]  # fmt: skip
ATTENDEE_COLUMNS = [
    "id", "event_id", "partner_id", "common_name", "access_token", "create_uid", "write_uid",
    "create_date", "write_date",
]  # fmt: skip


def orm_meeting(env, salesperson, customer):
    """The rows the ORM writes for a past meeting ``salesperson`` plans with ``customer``.

    As the salesperson (``env``), in Odoo's import mode: the event, an attendee for each
    of them, the event's partners, its followers with their subtypes.
    """
    cr = env.cr
    event = env["calendar.event"].create(
        {
            "name": "Mẫu",
            "start": "2020-01-10 03:00:00",
            "stop": "2020-01-10 04:00:00",
            "user_id": salesperson.id,
            "partner_ids": [(6, 0, [salesperson.partner_id.id, customer.id])],
        }
    )
    env.flush_all()
    rows = {
        "event": template_row(cr, "calendar_event", event.id),
        "attendees": {
            "organizer" if attendee.partner_id == salesperson.partner_id else "guest": (
                template_row(cr, "calendar_attendee", attendee.id)
            )
            for attendee in event.attendee_ids
        },
        "names": (salesperson.name, customer.name),
    }
    cr.execute(
        """
        SELECT f.partner_id, array_agg(r.mail_message_subtype_id ORDER BY r.mail_message_subtype_id)
          FROM mail_followers f
          LEFT JOIN mail_followers_mail_message_subtype_rel r ON r.mail_followers_id = f.id
         WHERE f.res_model = 'calendar.event' AND f.res_id = %s
         GROUP BY f.partner_id
        """,
        [event.id],
    )
    followers = dict(cr.fetchall())
    rows["followers"] = {
        role: followers.get(partner.id)
        for role, partner in (("organizer", salesperson.partner_id), ("guest", customer))
    }
    if set(followers) - {salesperson.partner_id.id, customer.id}:
        raise ValueError("the generator writes the organizer's and the guest's following only")
    cr.execute(
        "SELECT count(*) FROM calendar_alarm_calendar_event_rel WHERE calendar_event_id = %s",
        [event.id],
    )
    if cr.fetchone()[0]:
        raise ValueError("the generator writes meetings without reminders")
    return rows


class Meeting:
    __slots__ = ("created", "guest", "guest_name", "id", "name", "start", "stop", "user_id")


def plan_meetings(ctx, count, rng):
    """``count`` meetings of the salespeople with their customers, over the years and
    the next two weeks, in creation order."""
    now = ctx.now
    start = now - timedelta(days=365 * YEARS)
    end = now + timedelta(days=MEETING_DAYS_AHEAD)
    # the meetings ahead: the share of the two weeks in the whole span, at least one
    ahead = min(count, max(1, round(count * (end - now) / (end - start))))
    meetings = []
    for index in range(count):
        customer = rng.choice(ctx.customers)
        meeting = Meeting()
        meeting.user_id = customer[1]
        meeting.guest, meeting.guest_name = customer[0], customer[3]
        contacts = ctx.contacts.get(customer[0], ())
        if contacts and rng.random() < 0.3:
            meeting.guest = rng.choice(contacts)[0]
            meeting.guest_name = ctx.contact_names[meeting.guest]
        zone = user_zone(ctx.users[meeting.user_id][0])
        first, last = (now + timedelta(days=1), end) if index < ahead else (start, now)
        moment = working_time(first + (last - first) * rng.random(), zone, rng)
        meeting.start = moment.replace(minute=moment.minute // 30 * 30, second=0)
        meeting.stop = meeting.start + timedelta(minutes=30 * rng.randint(1, 4))
        planned = meeting.start - timedelta(days=rng.randint(1, 14), minutes=rng.randint(0, 600))
        meeting.created = min(max(planned, start), now - timedelta(minutes=1))
        meeting.name = rng.choice(MEETING_NAMES)
        meetings.append(meeting)
    meetings.sort(key=lambda meeting: meeting.created)
    return meetings


def write_meetings(env, ctx, meetings, templates, rng):
    """The meetings' events, attendees, partners and followers, as ``orm_meeting``'s."""
    cr = env.cr
    template = templates["meeting"]
    first = reserve_ids(cr, "calendar_event", len(meetings))
    first_attendee = reserve_ids(cr, "calendar_attendee", 2 * len(meetings))
    follower_roles = [role for role, subtypes in template["followers"].items() if subtypes]
    first_follower = reserve_ids(cr, "mail_followers", len(follower_roles) * len(meetings))
    organizer_name, guest_name = template["names"]
    description = template["event"]["description"] or ""
    tables = [
        "calendar_event", "calendar_attendee", "calendar_event_res_partner_rel",
        "mail_followers", "mail_followers_mail_message_subtype_rel",
    ]  # fmt: skip
    with bulk_load(cr, tables):
        events = Copier(cr, "calendar_event", EVENT_COLUMNS, template["event"])
        attendees = Copier(cr, "calendar_attendee", ATTENDEE_COLUMNS, {})
        partners = Copier(
            cr, "calendar_event_res_partner_rel", ["calendar_event_id", "res_partner_id"], {}
        )
        followers = Copier(cr, "mail_followers", ["id", "res_model", "res_id", "partner_id"], {})
        subtypes = Copier(
            cr,
            "mail_followers_mail_message_subtype_rel",
            ["mail_followers_id", "mail_message_subtype_id"],
            {},
        )
        for offset, meeting in enumerate(meetings):
            event_id = first + offset
            user = ctx.users[meeting.user_id]
            text = description.replace(organizer_name, escape(user[4])).replace(
                guest_name, escape(meeting.guest_name)
            )
            hours = (meeting.stop - meeting.start).total_seconds() / 3600
            events.add(
                (
                    event_id, meeting.name, meeting.start, meeting.stop, hours, meeting.user_id,
                    text or None, meeting.user_id, meeting.user_id, meeting.created,
                    meeting.created,
                )
            )  # fmt: skip
            guests = {"organizer": (user[2], user[4]), "guest": (meeting.guest, meeting.guest_name)}
            for index, (role, (partner_id, name)) in enumerate(guests.items()):
                attendees.add_row(
                    {
                        "id": first_attendee + 2 * offset + index,
                        "event_id": event_id,
                        "partner_id": partner_id,
                        "common_name": name,
                        "access_token": uuid.UUID(int=rng.getrandbits(128)).hex,
                        "create_uid": meeting.user_id,
                        "write_uid": meeting.user_id,
                        "create_date": meeting.created,
                        "write_date": meeting.created,
                    },
                    template["attendees"][role],
                )
                partners.add((event_id, partner_id))
            for index, role in enumerate(follower_roles):
                follower_id = first_follower + len(follower_roles) * offset + index
                followers.add((follower_id, "calendar.event", event_id, guests[role][0]))
                for subtype_id in template["followers"][role]:
                    if subtype_id:
                        subtypes.add((follower_id, subtype_id))
        for copier in (events, attendees, partners, followers, subtypes):
            copier.close()
    log(f"  {len(meetings)} meetings")
