import json

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..tools import concurrency
from .res_partner import ASSIGNMENT_FACT, server_fact

BATCH_SIZE = 500


class EffectCrmReassignment(models.Model):
    """A batch move of customers between salespeople or territories.

    Small moves run at once; large ones run in batches of a few hundred customers
    in a scheduled action that commits after each batch, so no request and no
    batch comes near a time-out, and an interrupted job resumes where it stopped.
    """

    _name = "effect.crm.reassignment"
    _description = "Customer Reassignment"
    _inherit = ["mail.thread"]
    _order = "create_date desc, id desc"

    name = fields.Char(compute="_compute_name", store=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    mode = fields.Selection(
        [
            ("move", "Move customers to a salesperson or territory"),
            ("criteria", "Re-apply the territory criteria"),
        ],
        required=True,
        default="move",
    )
    # which customers
    partner_ids = fields.Many2many(
        "res.partner",
        "effect_crm_reassignment_partner_rel",
        "reassignment_id",
        "partner_id",
        "Selected Customers",
        domain=[("effect_stage", "!=", False), ("parent_id", "=", False)],
    )
    from_user_id = fields.Many2one("res.users", "From Salesperson", domain=[("share", "=", False)])
    from_territory_id = fields.Many2one("effect.crm.territory")
    # where to
    to_user_id = fields.Many2one("res.users", "To Salesperson", domain=[("share", "=", False)])
    to_territory_id = fields.Many2one("effect.crm.territory")
    move_activities = fields.Boolean(
        "Move Open Activities",
        default=True,
        help="Give the customers' open activities of the previous salesperson to the new one.",
    )
    move_opportunities = fields.Boolean(
        "Move Open Opportunities",
        default=True,
        help="Give the customers' open opportunities of the previous salesperson to the new one.",
    )
    # progress
    state = fields.Selection(
        [("draft", "Draft"), ("queued", "Running"), ("done", "Done"), ("failed", "Failed")],
        default="draft",
        required=True,
        tracking=True,
    )
    pending_ids = fields.Text(readonly=True, copy=False)  # JSON list of partner ids still to do
    total_count = fields.Integer("Customers", readonly=True, copy=False)
    done_count = fields.Integer("Processed", readonly=True, copy=False)
    moved_count = fields.Integer("Moved", readonly=True, copy=False)
    progress = fields.Float(compute="_compute_progress")
    error = fields.Text(readonly=True, copy=False)
    history_ids = fields.One2many("effect.crm.territory.history", "reassignment_id")

    @api.depends("mode", "from_user_id", "from_territory_id", "to_user_id", "to_territory_id")
    def _compute_name(self):
        for job in self:
            if job.mode == "criteria":
                job.name = self.env._("Re-apply territory criteria")
                continue
            origin = job.from_user_id.name or job.from_territory_id.display_name
            target = " / ".join(
                filter(None, [job.to_user_id.name, job.to_territory_id.display_name])
            )
            job.name = (
                self.env._("%(origin)s → %(target)s", origin=origin, target=target)
                if origin
                else self.env._("Selected customers → %(target)s", target=target)
            )

    @api.depends("total_count", "done_count")
    def _compute_progress(self):
        for job in self:
            job.progress = 100.0 * job.done_count / job.total_count if job.total_count else 0.0

    # ------------------------------------------------------------------
    # Selection of the customers
    # ------------------------------------------------------------------

    def _customer_domain(self):
        self.ensure_one()
        domain = [
            ("effect_stage", "!=", False),
            ("parent_id", "=", False),
            ("company_id", "in", [self.company_id.id, False]),
        ]
        if self.mode == "criteria":
            return [*domain, ("effect_territory_manual", "=", False)]
        if self.partner_ids:
            domain.append(("id", "in", self.partner_ids.ids))
        if self.from_user_id:
            domain.append(("user_id", "=", self.from_user_id.id))
        if self.from_territory_id:
            domain.append(("effect_territory_id", "child_of", self.from_territory_id.id))
        return domain

    def _check_ready(self):
        for job in self:
            if job.mode == "criteria":
                continue
            if not (job.partner_ids or job.from_user_id or job.from_territory_id):
                raise UserError(
                    self.env._("Choose the customers: a selection, a salesperson or a territory.")
                )
            if not (job.to_user_id or job.to_territory_id):
                raise UserError(
                    self.env._("Choose the new salesperson, the new territory, or both.")
                )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_start(self):
        """Select the customers now (as the user sees them) and process them in batches."""
        self._check_ready()
        for job in self:
            # the user's own rights choose the customers they may move
            ids = self.env["res.partner"].search(job._customer_domain(), order="id").ids
            job.write(
                {
                    "pending_ids": json.dumps(ids),
                    "total_count": len(ids),
                    "done_count": 0,
                    "moved_count": 0,
                    "state": "queued",
                    "error": False,
                }
            )
        small = self.filtered(lambda job: job.total_count <= BATCH_SIZE)
        for job in small:
            job._process_batch(BATCH_SIZE)
        if self - small:
            self.env.ref("effect_crm.ir_cron_effect_crm_reassignment")._trigger()
        if len(self) == 1:
            return {
                "type": "ir.actions.act_window",
                "res_model": self._name,
                "res_id": self.id,
                "view_mode": "form",
                "target": "current",
            }
        return True

    def action_retry(self):
        self.filtered(lambda job: job.state == "failed").write({"state": "queued", "error": False})
        self.env.ref("effect_crm.ir_cron_effect_crm_reassignment")._trigger()

    # ------------------------------------------------------------------
    # Processing
    # ------------------------------------------------------------------

    def _process_batch(self, size=BATCH_SIZE):
        """Process the next ``size`` customers of this job. Returns how many remain."""
        self.ensure_one()
        pending = json.loads(self.pending_ids or "[]")
        batch_ids, rest = pending[:size], pending[size:]
        # the job's author chose these customers under their rights; moving them to a
        # territory or salesperson the author cannot see must not fail half-way
        partners = self.env["res.partner"].sudo().browse(batch_ids).exists()
        if self.mode == "criteria":
            moved = partners._effect_assign_territories(reassignment=self)
        else:
            with server_fact(self.env, ASSIGNMENT_FACT, ("reassignment", self.id)):
                moved = self._move(partners)
        self.write(
            {
                "pending_ids": json.dumps(rest),
                "done_count": self.done_count + len(batch_ids),
                "moved_count": self.moved_count + len(moved),
                "state": "queued" if rest else "done",
            }
        )
        return len(rest)

    def _move(self, partners):
        vals = {}
        if self.to_user_id:
            vals["user_id"] = self.to_user_id.id
        if self.to_territory_id:
            vals["effect_territory_id"] = self.to_territory_id.id
            vals["effect_territory_manual"] = True
        moved = partners.filtered(
            lambda p: (
                (self.to_user_id and p.user_id != self.to_user_id)
                or (self.to_territory_id and p.effect_territory_id != self.to_territory_id)
            )
        )
        if self.to_user_id:
            previous_users = moved.user_id
            # the customers were chosen under the author's rights (a sales manager's);
            # their activities and opportunities follow them whoever can see those
            if self.move_activities and previous_users:
                # Odoo's own switch off the "activity assigned to you" message (and
                # e-mail) per moved action: a job of 10,000 customers sent the new
                # salesperson thousands, most of the job's time (bench/RESULTS.md)
                self.env["mail.activity"].sudo().with_context(
                    mail_activity_quick_update=True
                ).search(
                    [
                        ("res_model", "=", "res.partner"),
                        ("res_id", "in", moved.ids),
                        ("user_id", "in", previous_users.ids),
                    ]
                ).write({"user_id": self.to_user_id.id})
            if self.move_opportunities and previous_users:
                self.env["crm.lead"].sudo().search(
                    [
                        ("partner_id", "child_of", moved.ids),
                        ("user_id", "in", previous_users.ids),
                        ("won_status", "=", "pending"),
                    ]
                ).write({"user_id": self.to_user_id.id})
        if moved:
            # nor one "You have been assigned to <customer>" e-mail per customer: the
            # job is one decision, listed in the assignment history
            moved.with_context(mail_auto_subscribe_no_notify=True).write(vals)
        return moved

    @api.model
    def _cron_process(self):
        """Scheduled action: run queued jobs batch by batch, committing after each batch."""
        Cron = self.env["ir.cron"]
        for job in self.search([("state", "=", "queued")], order="id"):
            # the job runs as its author, whose history entries it writes
            job = job.with_user(job.create_uid)
            while job.state == "queued":
                pending = job.total_count - job.done_count

                try:
                    remaining = concurrency.run_cron_step(
                        job.env, job._process_batch, f"Reassignment {job.id}"
                    )
                except Exception as error:  # the batch is rolled back; the job says why
                    job.write({"state": "failed", "error": str(error)})
                    Cron._commit_progress(0)
                    break
                if Cron._commit_progress(pending - remaining, remaining=remaining) <= 0:
                    return  # out of time: the cron runs again and resumes
