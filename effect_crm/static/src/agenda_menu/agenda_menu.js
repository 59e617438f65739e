import { Component, onWillStart, useState } from "@odoo/owl";
import { Dropdown } from "@web/core/dropdown/dropdown";
import { DropdownItem } from "@web/core/dropdown/dropdown_item";
import { registry } from "@web/core/registry";
import { user } from "@web/core/user";
import { useService } from "@web/core/utils/hooks";

/**
 * The agenda in the menu bar: how many planned actions are overdue and due
 * today (in the salesperson's time zone), with links into the agenda.
 */
export class AgendaMenu extends Component {
    static components = { Dropdown, DropdownItem };
    static props = [];
    static template = "effect_crm.AgendaMenu";

    setup() {
        this.orm = useService("orm");
        this.action = useService("action");
        this.state = useState({ visible: false, overdue: 0, today: 0 });
        onWillStart(async () => {
            this.state.visible = await user.hasGroup("sales_team.group_sale_salesman");
            if (this.state.visible) {
                await this.load();
            }
        });
        const bus = this.env.services.bus_service;
        if (bus) {
            // Odoo tells a user when their activities due until today change
            bus.subscribe("mail.activity/updated", () => this.state.visible && this.load());
        }
    }

    async load() {
        const counts = await this.orm.call("effect.crm.agenda", "effect_agenda_counts", []);
        this.state.overdue = counts.overdue;
        this.state.today = counts.today;
    }

    open(filter) {
        const context = { search_default_mine: 1 };
        if (filter) {
            context[`search_default_${filter}`] = 1;
        }
        this.action.doAction("effect_crm.effect_crm_agenda_action", {
            additionalContext: context,
            clearBreadcrumbs: true,
        });
    }
}

registry
    .category("systray")
    .add("effect_crm.agenda_menu", { Component: AgendaMenu }, { sequence: 25 });
