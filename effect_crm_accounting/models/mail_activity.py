from odoo import models


class MailActivity(models.Model):
    _inherit = "mail.activity"

    def unlink(self):
        # a collection request whose activity is cancelled (deleted, not done) is cancelled
        # sudo: only to close the requests of the activities the user may delete
        requests = (
            self.env["effect.crm.collection"]
            .sudo()
            .search([("activity_id", "in", self.ids), ("state", "=", "open")])
        )
        result = super().unlink()
        requests.write({"state": "cancelled"})
        return result
