import { registry } from "@web/core/registry";

const { DateTime } = luxon;

/** A date typed in the date fields (the tour user writes in English, US format). */
function fromToday({ years = 0, days = 0 }) {
    return DateTime.now().plus({ years, days }).toFormat("MM/dd/yyyy");
}

/** Choose ``text`` in the many2one ``field`` of the dialog. */
function pick(field, text) {
    return [
        {
            content: `Choose ${text}`,
            trigger: `.modal .o_field_widget[name=${field}] input`,
            run: `edit ${text}`,
        },
        {
            trigger: `.o-autocomplete--dropdown-item:contains(${text})`,
            run: "click",
        },
    ];
}

const VISIT = "Thăm nhà máy khách hàng";
const QUOTE = "Gửi báo giá dây chuyền";

registry.category("web_tour.tours").add("effect_crm_interaction_loop", {
    steps: () => [
        {
            content: "The agenda counts are in the menu bar",
            trigger: ".o_menu_systray .o-effect-AgendaMenu",
        },
        {
            content: "Open the prospect",
            trigger: ".o_data_row td:contains(Công ty TNHH Khách Hàng Tour)",
            run: "click",
        },
        {
            content: "Log a call",
            trigger: ".o_form_statusbar button[name=action_effect_log_interaction]",
            run: "click",
        },
        ...pick("type_id", "Phone Call"),
        {
            trigger: ".modal .o_field_widget[name=name] input",
            run: "edit Gọi giới thiệu sản phẩm",
        },
        ...pick("outcome_id", "Interested"),
        // the next action: a visit, a year from now
        ...pick("next_activity_type_id", "Visit"),
        {
            trigger: ".modal .o_field_widget[name=next_date] input",
            run: `edit ${fromToday({ years: 1 })}`,
        },
        {
            trigger: ".modal .o_field_widget[name=next_summary] input",
            run: `edit ${VISIT}`,
        },
        {
            trigger: ".modal footer button[name=action_effect_logged]",
            run: "click",
        },
        {
            content: "The visit is planned",
            trigger: `.o_notification:contains(${VISIT})`,
        },
        {
            trigger: "body:not(:has(.modal))",
        },
        {
            content: "Open the agenda",
            trigger: ".o_main_navbar [data-menu-xmlid='effect_crm.menu_effect_crm_agenda']",
            run: "click",
        },
        {
            content: "The visit is upcoming, under Later",
            trigger: `.o_kanban_group:has(.o_column_title:contains(Later)) .o_kanban_record:contains(${VISIT})`,
        },
        {
            content: "and not today",
            trigger: `.o_kanban_group:has(.o_column_title:contains(Today)):not(:has(.o_kanban_record:contains(${VISIT})))`,
        },
        {
            content: "Do it from the agenda",
            trigger: `.o_kanban_record:contains(${VISIT}) button[name=action_effect_do]`,
            run: "click",
        },
        {
            content: "The interaction is prefilled from the planned visit",
            trigger: ".modal .o_field_widget[name=type_id] input:value(Visit)",
        },
        {
            trigger: `.modal .o_field_widget[name=name] input:value(${VISIT})`,
        },
        ...pick("outcome_id", "Quote requested"),
        {
            trigger: ".modal footer button[name=action_effect_logged]",
            run: "click",
        },
        {
            content: "Saved: the agenda asks for the next action",
            trigger: ".modal .modal-title:contains(Plan the Next Action)",
        },
        ...pick("next_activity_type_id", "Send Quote"),
        {
            trigger: ".modal .o_field_widget[name=next_date] input",
            run: `edit ${fromToday({ years: 1, days: 7 })}`,
        },
        {
            trigger: ".modal .o_field_widget[name=next_summary] input",
            run: `edit ${QUOTE}`,
        },
        {
            trigger: ".modal footer button[name=action_effect_confirm_next]",
            run: "click",
        },
        {
            trigger: "body:not(:has(.modal))",
        },
        {
            content: "The next action is on the agenda",
            trigger: `.o_kanban_record:contains(${QUOTE})`,
        },
        {
            content: "and the done visit is not",
            trigger: `.o_kanban_renderer:not(:has(.o_kanban_record:contains(${VISIT})))`,
        },
    ],
});
