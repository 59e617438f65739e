"""The grouping overrides (models/effect_crm_read_group_mixin.py) give Odoo's own result for
every grouping shape the views offer: many2one, selection, many2many, dates of every
granularity, customer attributes (selection and tags), in pivots (grouping sets) and lists."""

import contextlib
import itertools
from datetime import datetime, timedelta
from unittest.mock import patch

from odoo.fields import Command
from odoo.tests import freeze_time, tagged

from odoo.addons.effect_crm.models.effect_crm_read_group_mixin import (
    EffectCrmPropertyGroupingMixin,
    EffectCrmRollupMixin,
)

from .test_interactions import EffectCrmInteractionCommon

OVERRIDES = {
    EffectCrmRollupMixin: (
        "_read_grouping_sets",
        "_web_read_group_groupby_formatter",
        "_web_read_group_format",
    ),
    EffectCrmPropertyGroupingMixin: ("_read_group_groupby_properties",),
}
GRANULARITIES = ("day", "week", "month", "quarter", "year")


@contextlib.contextmanager
def odoos_own_path(model):
    """Every override of ``model`` replaced by what Odoo does without it (super())."""
    with contextlib.ExitStack() as stack:
        for mixin, names in OVERRIDES.items():
            if not isinstance(model, mixin):
                continue
            for name in names:

                def odoo(self, *args, _mixin=mixin, _name=name, **kwargs):
                    return getattr(super(_mixin, self), _name)(*args, **kwargs)

                stack.enter_context(patch.object(type(model), name, odoo))
        yield


@tagged("post_install", "-at_install")
@freeze_time("2026-11-29 18:30:00")  # 01:30 on the 30th in Vietnam: days differ by zone
class TestReadGroupMixin(EffectCrmInteractionCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        now = datetime(2026, 11, 29, 18, 30)
        for index, (days, user, type_, direction, duration) in enumerate(
            [
                (0, cls.user_salesman, cls.type_call, "outgoing", 0.25),
                (1, cls.user_salesman, cls.type_visit, "incoming", 1.5),
                (9, cls.user_salesman, cls.type_call, "outgoing", 0.5),
                (40, cls.user_salesman_2, cls.type_meeting, "incoming", 1.0),
                (100, cls.user_salesman_2, cls.type_call, "outgoing", 2.0),
                (400, cls.user_salesman_2, cls.type_visit, "outgoing", 0.75),
            ]
        ):
            partner = cls.customer if user == cls.user_salesman else cls.customer_2
            values = {
                "name": f"Tiếp xúc {index}",
                "partner_id": partner.id,
                "type_id": type_.id,
                "direction": direction,
                "duration": duration,
                "date": now - timedelta(days=days, hours=index),
            }
            if index % 2:
                attachment = (
                    cls.env["ir.attachment"]
                    .with_user(user)
                    .create({"name": f"{index}.txt", "raw": b"a"})
                )
                values["attachment_ids"] = [Command.link(attachment.id)]
            cls.env["effect.crm.interaction"].with_user(user).create(values)

    def _assert_same_as_odoo(self, model, domain, groupbys, aggregates):
        """Pivot (every pair as rows x columns) and list grouping, ours and Odoo's."""
        for row, column in itertools.permutations(groupbys, 2):
            sets = [[row, column], [row], [column], []]
            with self.subTest(row=row, column=column):
                ours = model.formatted_read_grouping_sets(domain, sets, aggregates)
                with odoos_own_path(model):
                    odoo = model.formatted_read_grouping_sets(domain, sets, aggregates)
                self.assertEqual(ours, odoo)
                self.assertTrue(ours[0], "no group at all: the test would prove nothing")
        for groupby in groupbys:
            with self.subTest(groupby=groupby):
                ours = model.formatted_read_group(domain, [groupby], aggregates)
                with odoos_own_path(model):
                    odoo = model.formatted_read_group(domain, [groupby], aggregates)
                self.assertEqual(ours, odoo)

    def test_interaction_pivot_every_grouping_of_the_views(self):
        Interaction = (
            self.env["effect.crm.interaction"]
            .with_user(self.user_sales_manager)
            .with_context(tz="Asia/Ho_Chi_Minh")
        )
        domain = [("partner_id", "in", (self.customer | self.customer_2).ids)]
        groupbys = [
            "user_id", "team_id", "type_id", "outcome_id", "direction", "partner_id",
            "partner_stage", "partner_business_type_id", "partner_size_id", "partner_state_id",
            "attachment_ids", *(f"date:{granularity}" for granularity in GRANULARITIES),
        ]  # fmt: skip
        self._assert_same_as_odoo(Interaction, domain, groupbys, ["__count", "duration:sum"])

    def test_customer_pivot_by_attributes(self):
        Partner = self.env["res.partner"].with_user(self.user_sales_manager)
        self.customer.with_user(self.user_sales_manager).properties = [
            {
                "name": "source", "string": "Nguồn", "type": "selection",
                "selection": [["web", "Website"], ["fair", "Hội chợ"]], "value": "fair",
                "definition_changed": True,
            },
            {
                "name": "labels", "string": "Nhãn", "type": "tags",
                "tags": [["vip", "VIP", 1], ["new", "Mới", 2]], "value": ["vip", "new"],
                "definition_changed": True,
            },
        ]  # fmt: skip
        self.customer_2.with_user(self.user_sales_manager).properties = {"source": "web"}
        domain = [("id", "in", (self.customer | self.customer_2 | self.customer_contact).ids)]
        groupbys = [
            "properties.source", "properties.labels", "state_id", "effect_stage",
            "category_id", "create_date:month", "create_date:year",
        ]  # fmt: skip
        self._assert_same_as_odoo(Partner, domain, groupbys, ["__count"])
