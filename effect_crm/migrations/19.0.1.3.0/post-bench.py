"""The interactions' covering index for the pivot (``_date_pivot_idx``) is created by
the update itself; refresh the table's statistics and visibility map so that the
planner reads the pivot from the index alone (an index-only scan) right away, not
after the next automatic vacuum."""

from odoo.tools import SQL


def migrate(cr, version):
    if not version:
        return
    # ANALYZE (statistics) runs inside the update's transaction; VACUUM, which marks
    # the pages all-visible, cannot: autovacuum does it on the next pass
    cr.execute(SQL("ANALYZE effect_crm_interaction"))
