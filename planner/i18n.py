"""The one translation table: ``{key: (中文, English)}`` for the app, the brief and every printed label.

Chinese is the default. Item and region names are data, not labels: they stay as in the seeds in both
languages. ``planner`` and ``views`` both look labels up here (``text``); nothing else holds UI strings.
"""

from __future__ import annotations

LANGS = ("zh", "en")
TEXT: dict[str, tuple[str, str]] = {
    "app_title": ("计量能力缺口规划器", "Inspection-capability gap planner"),
    "nav_overview": ("概览", "Overview"),
    "nav_data": ("数据", "Data"),
    "nav_scenario": ("情景", "Scenario"),
    "nav_plan": ("计划", "Plan"),
    "nav_deadlines": ("截止检查", "Deadline check"),
    "nav_compare": ("对比", "Compare"),
    "nav_export": ("导出", "Export"),
    "lang_label": ("语言 / Language", "语言 / Language"),
    "sidebar_data": ("数据：{source}", "Data: {source}"),
    "sidebar_scenario": ("情景：{name}", "Scenario: {name}"),
    "assumption_note": (
        "金额、工期、预算均为示例假设（原文未给出），请按实际替换。",
        "Costs, lead times and budgets are assumptions (示例假设): the source gives none; replace them with real "
        "figures.",
    ),
    "assumption_label": ("示例假设：原文未给出", "Assumption (示例假设): not in the source"),
    "whatif_label": ("假设情景（what-if）", "What-if (假设情景)"),
    "src_shipped": ("内置南通数据（通政发〔2023〕17号附件）", "shipped Nantong data (annex to 通政发〔2023〕17号)"),
    "src_upload": ("上传的工作簿 {name}", "uploaded workbook {name}"),
    "src_edited": ("本会话中修改过的数据", "data edited in this session"),
    "solving": ("正在求解情景「{name}」…", "Solving scenario “{name}”…"),
    "spinner_min_budget": (
        "正在计算满足截止期限的最低预算…",
        "Computing the minimum budget that meets the deadlines…",
    ),
    "spinner_frontier": (
        "正在计算预算—按期率曲线（多次求解）…",
        "Computing the budget → on-time frontier (several solves)…",
    ),
    "spinner_marginal_values": ("正在计算每增加 1 万元的边际价值…", "Computing the marginal value of one more 万元…"),
    "engine_error": (
        "计算未能完成：{detail}。页面保留上一次的有效结果。",
        "The computation did not finish: {detail}. The page keeps the last good result.",
    ),
    "engine_missing": ("求解引擎不可用（{detail}）。", "The solver engine is not available ({detail})."),
    "status_feasible": (
        "求解器在时限内找到可行计划，但未证明最优。",
        "The solver found a feasible plan within the time limit, not proven optimal.",
    ),
    "status_infeasible": (
        "在硬性截止期限下，当前预算无法按期完成全部缺口（无可行计划）。{detail}",
        "With hard deadlines the current budgets cannot close every gap on time (no feasible plan). {detail}",
    ),
    "status_time_limit": (
        "求解超时，未找到计划。可放宽设置或延长求解时限。{detail}",
        "The solver hit its time limit without a plan. Relax the settings or allow more time. {detail}",
    ),
    "status_error": ("求解失败。{detail}", "The solve failed. {detail}"),
    "status_optimal_short": ("最优", "optimal"),
    "status_feasible_short": ("可行（未证最优）", "feasible (not proven optimal)"),
    "status_infeasible_short": ("无可行计划", "infeasible"),
    "status_time_limit_short": ("超时", "time limit"),
    "status_unbounded_short": ("无界", "unbounded"),
    "status_error_short": ("出错", "error"),
    "showing_last_good": (
        "下面显示上一个可行计划（情景「{name}」）。",
        "Below: the last feasible plan (scenario “{name}”).",
    ),
    "no_plan": (
        "还没有可显示的计划。请在「情景」页调整设置。",
        "No plan to show yet. Adjust the settings on the Scenario page.",
    ),
    "yes": ("是", "yes"),
    "no": ("否", "no"),
    "col_sheet": ("工作表", "Sheet"),
    "col_row": ("行", "Row"),
    "col_column": ("列", "Column"),
    "col_message": ("问题", "Problem"),
    "col_region": ("地区", "Region"),
    "col_item": ("项目", "Item"),
    "col_items": ("项目", "Items"),
    "col_tier": ("层级", "Tier"),
    "col_id": ("编号", "ID"),
    "col_mode": ("方式", "Mode"),
    "col_start": ("开工季度", "Start"),
    "col_online": ("建成季度", "Online"),
    "col_deadline": ("截止日期", "Deadline"),
    "col_on_time": ("按期", "On time"),
    "col_late_q": ("逾期季度数", "Quarters late"),
    "col_capex": ("建设投资（万元，示例假设）", "Capex (万元, assumption)"),
    "col_opex": ("运行费（万元）", "Opex (万元)"),
    "col_opex_year": ("年运行费（万元，示例假设）", "Yearly opex (万元, assumption)"),
    "col_fees": ("服务费（万元）", "Service fees (万元)"),
    "col_fee": ("共享年服务费（万元，假设情景）", "Sharing fee per year (万元, what-if)"),
    "col_lead": ("建设周期（季度，示例假设）", "Lead time (quarters, assumption)"),
    "col_priority": ("优先级", "Priority"),
    "col_note": ("说明", "Note"),
    "col_actual": ("实际完成日期", "Actual completion"),
    "col_year": ("年份", "Year"),
    "col_spent": ("支出（万元）", "Spent (万元)"),
    "col_budget": ("预算（万元，示例假设）", "Budget (万元, assumption)"),
    "col_pool": ("动用市级资金池（万元）", "From city pool (万元)"),
    "col_carried": ("上年结转（万元）", "Carried in (万元)"),
    "col_amount": ("金额（万元）", "Amount (万元)"),
    "col_required": ("要求总数", "Required"),
    "col_completed": ("已完成", "Completed"),
    "col_pending": ("待完成", "Pending"),
    "col_pending_tier": ("{tier}能力缺口", "{tier} gaps"),
    "col_missing": ("缺失的基本能力", "Missing basic items"),
    "col_key": ("键", "Key"),
    "col_value": ("值", "Value"),
    "col_unit": ("单位", "Unit"),
    "col_group": ("共用组", "Share group"),
    "col_saving": ("节省（万元，示例假设）", "Saving (万元, assumption)"),
    "col_title": ("标题", "Title"),
    "col_reference": ("出处", "Reference"),
    "col_done_start": ("基准时已具备", "Done at start"),
    "col_on_time_n": ("按期", "On time"),
    "col_late_n": ("逾期", "Late"),
    "col_unbuilt_n": ("未建", "Unbuilt"),
    "col_shared_n": ("共享（假设）", "Shared (what-if)"),
    "col_unschedulable": ("未列出项目", "Not named"),
    "col_meets": ("按期达标", "Meets deadline"),
    "col_actual_done": ("实际按期完成", "Actually done by deadline"),
    "col_as_of": ("核查日期", "As of"),
    "col_scenario": ("情景", "Scenario"),
    "col_status": ("求解状态", "Status"),
    "col_mode_deadline": ("截止方式", "Deadlines"),
    "col_multiplier": ("预算倍数", "Budget ×"),
    "col_total_budget": ("预算合计（万元，示例假设）", "Total budget (万元, assumption)"),
    "col_cost": ("总成本（万元，示例假设）", "Total cost (万元, assumption)"),
    "mode_built": ("自建", "build"),
    "mode_shared": ("共享（假设情景）", "shared (what-if)"),
    "mode_unbuilt": ("未建", "unbuilt"),
    "mode_done": ("已完成", "done"),
    "mode_unschedulable": ("未列出项目", "not named"),
    "mode_deadline_hard": ("硬性（必须按期）", "hard (must be met)"),
    "mode_deadline_soft": ("柔性（逾期计罚）", "soft (lateness penalised)"),
    "overview_title": ("概览：南通各县强检能力缺口", "Overview: Nantong counties' verification-capability gaps"),
    "overview_intro": (
        "基本能力须于 2024-12-31 前、提升能力须于 2025-12-31 前配置到位。下表和矩阵来自所选数据；计划来自当前情景。",
        "Basic capabilities are due by 2024-12-31, upgraded ones by 2025-12-31. Figures and matrix come from the "
        "selected data; the plan from the current scenario.",
    ),
    "kpi_basic_gaps": ("基本能力缺口", "Basic gaps"),
    "kpi_basic_help": ("各县缺失的基本能力（县×项目），截止 2024-12-31", "County × item basic gaps, due 2024-12-31"),
    "kpi_upgraded_gaps": ("县级提升能力缺口", "County upgraded gaps"),
    "kpi_upgraded_help": (
        "各县缺失的提升能力（县×项目），截止 2025-12-31；市级只有公布数，未计入",
        "County × item upgraded gaps, due 2025-12-31; the city has counts only and is not included",
    ),
    "kpi_on_time": ("按期比例", "Share on time"),
    "kpi_on_time_help": (
        "当前计划中按期完成 {on_time} / {gaps} 个缺口",
        "{on_time} of {gaps} gaps on time in the current plan",
    ),
    "kpi_cost": ("成本（万元，示例假设）", "Cost (万元, assumption)"),
    "kpi_cost_help": (
        "规划期内建设投资、运行费、服务费合计；单价为示例假设",
        "Capex, opex and fees over the horizon; unit costs are assumptions",
    ),
    "kpi_gaps": ("待补缺口", "Gaps to close"),
    "kpi_late": ("逾期缺口", "Late gaps"),
    "kpi_unbuilt": ("未建缺口", "Unbuilt gaps"),
    "overview_plan_caption": (
        "当前情景「{name}」：{gaps} 个缺口中 {on_time} 个按期，{late} 个逾期，{unbuilt} 个未建。",
        "Current scenario “{name}”: {on_time} of {gaps} gaps on time, {late} late, {unbuilt} unbuilt.",
    ),
    "matrix_title": ("能力矩阵（县 × 项目）", "Capability matrix (county × item)"),
    "matrix_caption": (
        "格内：✓ 已具备；季度 = 计划建成季度（红色为逾期）；— 未建。",
        "Cells: ✓ has it; a quarter = planned online quarter (red when late); — unbuilt.",
    ),
    "hm_legend": ("状态", "State"),
    "hm_has": ("已具备", "has"),
    "hm_done": ("已完成（实际）", "done (actual)"),
    "hm_planned": ("计划按期建成", "planned, on time"),
    "hm_late": ("计划逾期建成", "planned, late"),
    "hm_shared": ("共享（假设情景）", "shared (what-if)"),
    "hm_shared_short": ("共享", "shared"),
    "hm_unbuilt": ("未建", "unbuilt"),
    "hm_lacks": ("缺失（无计划）", "lacks (no plan)"),
    "gaps_by_county": ("各地区缺口", "Gaps by region"),
    "not_named": ("原表未列出具体项目", "items not named in the source"),
    "city_note": (
        "市级只有公布数（基本 37/37/0，提升 11/5/6），原表未列出具体项目，故不进入矩阵和计划。",
        "The city institute has counts only (basic 37/37/0, upgraded 11/5/6); the source names no items, so it is "
        "not in the matrix or the plan.",
    ),
    "data_warnings": ("数据提示", "Data warnings"),
    "data_title": ("数据：工作簿、核对与修改", "Data: workbook, checks and edits"),
    "data_intro": (
        "可上传自己的工作簿（格式同导出的数据工作簿），或使用内置数据。修改只保存在本会话中，可下载为工作簿；内置文"
        "件和上传的文件都不会被改写。",
        "Upload your own workbook (same format as the downloaded data workbook) or keep the shipped one. Edits "
        "live in this session and can be downloaded; neither the shipped file nor your upload is ever written to.",
    ),
    "upload_label": ("上传工作簿（.xlsx）", "Upload a workbook (.xlsx)"),
    "upload_help": (
        "工作表：项目、地区、能力矩阵，可选 预算、公布数、实际完成 等",
        "Sheets: 项目, 地区, 能力矩阵; optional 预算, 公布数, 实际完成, …",
    ),
    "upload_ok": ("已载入 {name}。", "Loaded {name}."),
    "data_rejected": (
        "工作簿 {name} 未通过校验，未载入；仍使用之前的数据。请按下列位置修改后重新上传：",
        "Workbook {name} failed validation and was not loaded; the previous data stay. Fix the places below and "
        "upload again:",
    ),
    "edit_rejected": (
        "修改未通过校验，未应用；仍使用之前的数据：",
        "The edit failed validation and was not applied; the previous data stay:",
    ),
    "edits_applied": ("修改已应用（仅本会话）。", "Edits applied (this session only)."),
    "current_data": ("**当前数据：** {source}", "**Current data:** {source}"),
    "download_data": ("下载当前数据工作簿", "Download the current data workbook"),
    "data_file_name": ("计量能力数据.xlsx", "capability_data.xlsx"),
    "reset_data": ("恢复内置数据", "Back to the shipped data"),
    "tab_items": ("项目与成本", "Items and costs"),
    "tab_budgets": ("预算", "Budgets"),
    "tab_matrix": ("能力矩阵", "Matrix"),
    "tab_counts": ("公布数", "Published counts"),
    "tab_assumptions": ("假设与来源", "Assumptions and sources"),
    "tab_warnings": ("数据提示（{n}）", "Data warnings ({n})"),
    "items_caption": (
        "名称与层级来自原文；成本、年运行费、工期为示例假设，可直接修改后点「应用修改」。",
        "Names and tiers come from the source; costs, opex and lead times are assumptions: edit them and press "
        "“Apply edits”.",
    ),
    "budgets_caption": ("各县各年专项预算（万元，示例假设）。", "Yearly budget per county (万元, assumption)."),
    "matrix_edit_caption": (
        "勾选 = 已具备，未勾选 = 缺失（来源：附件表下注释）。",
        "Ticked = has the capability, unticked = lacks it (from the notes under the annex).",
    ),
    "counts_caption": (
        "原表公布数，原样保留；与矩阵不一致之处见「数据提示」。",
        "The published counts as printed; disagreements with the matrix are under Data warnings.",
    ),
    "assumptions_caption": ("假设、共用组（假设情景）与来源。", "Assumptions, share groups (what-if) and sources."),
    "apply_edits": ("应用修改", "Apply edits"),
    "no_warnings": ("没有数据提示。", "No data warnings."),
    "scenario_title": ("情景：预算、期限与假设", "Scenario: budgets, deadlines and what-ifs"),
    "scenario_intro": (
        "选择一个情景文件，再调整预算和设置；每次调整都会重新求解（相同设置直接取缓存）。",
        "Pick a scenario file, then adjust budgets and settings; each change re-solves (settings seen before come "
        "from the cache).",
    ),
    "sc_pick": ("情景文件（scenarios/）", "Scenario file (scenarios/)"),
    "sc_no_files": ("{folder} 中没有情景文件，使用默认设置。", "No scenario files in {folder}; using the defaults."),
    "sc_modified": ("已在情景「{name}」基础上修改（未保存）。", "Changed from scenario “{name}” (not saved)."),
    "sc_budget_title": ("预算（万元/年，示例假设）", "Budgets (万元 a year, assumption)"),
    "sc_budget_caption": (
        "默认使用工作簿逐年预算 × 全局倍数。打开某县的开关，可改为每年固定金额（例如“每年 80 万元”）。",
        "By default each county gets the workbook's year-by-year budget × the global multiplier. Switch a county "
        "on to give it a flat amount a year instead (e.g. “80 万元 a year”).",
    ),
    "sc_multiplier": ("全局预算倍数（乘以工作簿预算）", "Global budget multiplier (× workbook budgets)"),
    "sc_multiplier_help": ("1.00 = 工作簿中的预算；0.50 = 减半", "1.00 = the workbook's budgets; 0.50 = half"),
    "sc_reset_budgets": ("恢复工作簿预算", "Reset budgets"),
    "sc_slider_format": ("%.0f 万元/年", "%.0f 万元/yr"),
    "sc_fix_budget": ("{region}：每年固定预算", "{region}: flat budget a year"),
    "sc_fix_help": (
        "开启后，该县每年预算 = 下方滑块金额（替代工作簿逐年预算和倍数）",
        "When on, this county's budget every year = the slider below (instead of the workbook's figures and the "
        "multiplier)",
    ),
    "sc_budget_slider": ("{region} 每年预算", "{region} budget a year"),
    "sc_workbook_budgets": ("工作簿（示例假设）：{figures}", "Workbook (assumption): {figures}"),
    "sc_year_overrides": ("情景文件逐年覆盖：{figures}", "Per-year overrides in the scenario file: {figures}"),
    "sc_time_title": ("期限与时间", "Deadlines and time"),
    "sc_mode": ("截止方式", "Deadline mode"),
    "sc_mode_help": (
        "硬性：必须按期，否则无可行计划并说明缺口；柔性：允许逾期，按逾期季度计罚。",
        "Hard: every deadline must be met, otherwise no plan and an explanation; soft: lateness is allowed and "
        "penalised per quarter.",
    ),
    "sc_start": ("起始季度", "Start quarter"),
    "sc_start_help": (
        "通知印发于 2023-08-20，默认从 2023Q4 开始",
        "The notice is dated 2023-08-20; the default start is 2023Q4",
    ),
    "sc_horizon": ("规划期末", "Horizon end"),
    "sc_horizon_help": ("最后一个可安排建设的季度", "The last quarter in which building can be scheduled"),
    "sc_capacity": ("市局考核上限 K（项/季度）", "City capacity K (per quarter)"),
    "sc_capacity_help": (
        "市级机构每季度最多能组织多少项建标考核（示例假设）；0 = 不限",
        "How many new standards the city institute can assess per quarter (assumption); 0 = no limit",
    ),
    "sc_whatif_title": ("假设情景（what-if）", "What-ifs (假设情景)"),
    "sc_whatif_caption": (
        "以下选项默认关闭，均为假设情景；共享的缺口单独报告，不计为按期配置到位。",
        "All off by default and all what-ifs; shared gaps are reported apart and never count as met on time.",
    ),
    "wi_sharing": ("假设情景：他机构代检", "What-if: served elsewhere"),
    "wi_sharing_help": (
        "县里建不起的项目可由代检机构按年收费代为检定。原文未说明共享可视为“配置到位”，故不计入达标。",
        "A gap may be served by another institute for a yearly fee. No source says sharing counts as 配置到位, so "
        "it never counts as compliant.",
    ),
    "wi_provider": ("假设情景：代检机构", "What-if: serving institute"),
    "wi_discount": ("假设情景：同季共用设备", "What-if: shared equipment"),
    "wi_discount_help": (
        "相关项目同季建设可共用部分设备（如单相/三相电能表、心电图机/数字心电图机），节省金额为示例假设",
        "Related items built in the same quarter share equipment (e.g. single/three-phase meters, ECG/digital "
        "ECG); the saving is an assumption",
    ),
    "wi_carry": ("假设情景：预算结转", "What-if: carry-over"),
    "wi_carry_help": (
        "当年未用预算结转下年；原文未规定结转",
        "Unspent budget carries over to the next year; the source does not provide for it",
    ),
    "wi_pool": ("假设情景：市级资金池（万元/年）", "What-if: city pool (万元 a year)"),
    "wi_pool_help": ("任何县都可动用的市级资金（示例假设）", "City money any county may draw on (assumption)"),
    "sc_preview_title": ("结果预览", "Result preview"),
    "sc_save_title": ("另存为新情景", "Save as a new scenario"),
    "sc_save_name": ("文件名（不含 .toml）", "File name (without .toml)"),
    "sc_save_description": ("说明（可选）", "Description (optional)"),
    "sc_save_button": ("保存情景", "Save scenario"),
    "sc_saved": ("已保存为 scenarios/{path}。", "Saved as scenarios/{path}."),
    "sc_save_data_note": (
        "注意：情景文件只记录设置和工作簿路径；本会话中上传或修改的数据请在「数据」页另行下载。",
        "Note: a scenario file holds the settings and the workbook path only; download uploaded or edited data "
        "from the Data page.",
    ),
    "save_bad_name": (
        "文件名只能包含中文、字母、数字、下划线和连字符（1–60 个字符）。",
        "Use only Chinese characters, letters, digits, _ and - (1–60 characters).",
    ),
    "save_exists": (
        "已有同名情景文件 {name}，不会覆盖；请换一个名称。",
        "A scenario file {name} already exists and will not be overwritten; choose another name.",
    ),
    "plan_title": ("计划：建设排程与支出", "Plan: schedule and spending"),
    "plan_intro": (
        "情景「{name}」，{start} 至 {end}，截止方式：{mode}。",
        "Scenario “{name}”, {start} to {end}, deadlines: {mode}.",
    ),
    "gantt_title": ("建设甘特图", "Build schedule (Gantt)"),
    "gantt_caption": (
        "每条横条从开工季度到建成季度末；红色虚线为截止期限，红色横条为逾期，浅灰横条为规划期内未建。",
        "Each bar runs from the start quarter to the end of the online quarter; dashed red lines are the "
        "deadlines, red bars are late, light grey bars stay unbuilt in the horizon.",
    ),
    "gantt_summary": (
        "{gaps} 个缺口：{on_time} 个按期，{late} 个逾期，{unbuilt} 个未建；总成本 {cost:,.1f} 万元（示例假设）。",
        "{gaps} gaps: {on_time} on time, {late} late, {unbuilt} unbuilt; total cost {cost:,.1f} 万元 (assumption).",
    ),
    "gantt_x": ("季度", "Quarter"),
    "gantt_legend": ("层级", "Tier"),
    "gantt_tier": ("{tier}能力", "{tier}"),
    "gantt_late": ("逾期", "late"),
    "gantt_shared": ("共享（假设情景）", "shared (what-if)"),
    "gantt_unbuilt": ("未建（规划期内）", "unbuilt in the horizon"),
    "gantt_deadline": ("截止 {date}", "deadline {date}"),
    "spending_title": ("各县逐年支出与预算", "Spending per county and year against the budget"),
    "spending_caption": (
        "柱为支出（建设投资 / 运行费 / 服务费），红色短线为当年预算（示例假设）。",
        "Bars are spending (capex / opex / fees); the red tick is that year's budget (assumption).",
    ),
    "spending_table": ("支出明细表", "Spending table"),
    "spend_capex": ("建设投资", "capex"),
    "spend_opex": ("运行费", "opex"),
    "spend_fees": ("服务费", "fees"),
    "spend_kind": ("类别", "Kind"),
    "spend_y": ("万元", "万元"),
    "schedule_title": ("排程表", "Schedule table"),
    "deadlines_title": ("截止检查：各县是否按期配置到位", "Deadline check: did each county meet its deadlines?"),
    "deadlines_intro": (
        "按县 × "
        "层级列出：要求数、基准时已具备、计划按期、逾期、未建；有实际完成日期时对照计划。共享（假设情景）不计为配置到位。",
        "Per county × tier: required, done at start, on time, late, unbuilt; planned vs actual where actual dates "
        "exist. Shared gaps (what-if) never count as compliant.",
    ),
    "dl_as_of": ("核查日期（as-of）", "As-of date"),
    "dl_as_of_help": (
        "实际完成日期截至该日计入；留空表示不限",
        "Actual completion dates up to this day count; empty means no cut-off",
    ),
    "dl_table_title": ("达标核查表", "Compliance table"),
    "dl_tier_title": ("{tier}能力：截止 {date}", "{tier} capabilities: due {date}"),
    "dl_tier_summary": ("{met} / {n} 个地区按期达标。", "{met} of {n} regions met the deadline."),
    "dl_met": ("**按期达标：** {names}", "**Met the deadline:** {names}"),
    "dl_missed": ("**未按期达标：** {names}", "**Missed the deadline:** {names}"),
    "dl_shared_note": (
        "“按期达标”指该县该层级全部缺口均在截止日前由本县建成。",
        "“Meets deadline” means every gap of that county and tier is built by the county itself before the "
        "deadline.",
    ),
    "dl_actual_title": ("计划与实际对照", "Planned vs actual"),
    "dl_no_actuals": (
        "工作簿中没有实际完成日期（「实际完成」表），暂无法对照计划与实际。",
        "The workbook has no actual completion dates (sheet 实际完成), so planned vs actual cannot be compared yet.",
    ),
    "mb_title": ("满足截止期限的最低预算", "Minimum budget to meet every deadline"),
    "mb_caption": (
        "各县每年固定预算至少多少（万元/年，示例假设的成本下），才能全部按期。",
        "The least flat yearly budget per county (万元 a year, at the assumed costs) that meets every deadline.",
    ),
    "mb_need": ("最低预算（万元/年）", "Minimum (万元/yr)"),
    "mb_current": ("当前平均预算（万元/年）", "Current average (万元/yr)"),
    "mb_total": ("最低预算合计（万元/年）", "Minimum total (万元/yr)"),
    "mv_title": ("追加预算的边际价值", "Marginal value of more budget"),
    "mv_caption": (
        "某县某年预算追加 10 万元后重新求解：格内为多按期的项目数或提前的季度数；颜色越深越值得追加。"
        "（固定整数决策后线性规划的对偶值另见命令行 marginal，多为 0。）",
        "Each county-year re-solved with 10 万元 more: the cell says how many more gaps make their deadline, or "
        "how many quarters earlier; darker is more worth adding. (The LP duals with the integer choices fixed are "
        "in the CLI's marginal command; mostly 0.)",
    ),
    "mv_cell_gaps": ("按期 +{n} 项", "+{n} on time"),
    "mv_cell_quarters": ("提前 {n} 季", "{n} q earlier"),
    "mv_buys": ("追加 10 万元可得", "10 万元 more buys"),
    "mv_button": ("计算边际价值", "Compute marginal values"),
    "mv_button_note": (
        "每个县-年各重新求解一次，约需十余秒。",
        "Re-solves once per county-year; takes ten seconds or so.",
    ),
    "mv_value": ("边际价值", "Marginal value"),
    "mv_binding": ("预算用满", "Budget binding"),
    "mv_top": (
        "最值得追加：**{region} {year} 年**（{buys}）。",
        "Most worth adding: **{region} {year}** ({buys}).",
    ),
    "mv_none": ("当前计划中追加预算不会改善结果。", "More budget would not improve the current plan."),
    "mv_needs_plan": (
        "当前设置没有可行计划，无法计算边际价值。",
        "No feasible plan for the current settings, so no marginal values.",
    ),
    "compare_title": ("对比：多个情景并列", "Compare scenarios side by side"),
    "compare_intro": ("所有情景都在当前数据上求解。", "Every scenario is solved on the current data."),
    "cmp_pick": ("选择要对比的情景（至少两个）", "Scenarios to compare (two or more)"),
    "cmp_current": ("当前设置", "current settings"),
    "cmp_need_two": ("请至少选择两个情景。", "Pick at least two scenarios."),
    "cmp_table_title": ("情景对比", "Scenarios"),
    "cmp_no_solution": ("情景「{name}」：{status}。", "Scenario “{name}”: {status}."),
    "cmp_delta_title": ("各县差异", "Per-county differences"),
    "cmp_delta_caption": ("相对于第一个情景「{base}」的差值。", "Differences from the first scenario “{base}”."),
    "cmp_d_cost": ("{name}：成本差（万元）", "{name}: Δ cost (万元)"),
    "cmp_d_on_time": ("{name}：按期差", "{name}: Δ on time"),
    "cmp_base_cost": ("{name}：成本（万元）", "{name}: cost (万元)"),
    "cmp_base_on_time": ("{name}：按期", "{name}: on time"),
    "fr_title": ("预算—按期率曲线", "Budget → on-time frontier"),
    "fr_caption": (
        "以当前设置「{name}」为基础，按不同预算倍数求解（柔性截止）；菱形为所选情景。模型先求逾期季度总数最少，"
        "所以多给钱时按期项目数偶尔会略降（少数项目逾期、但总逾期季度更少）。",
        "Based on the current settings “{name}”, solved at several budget multipliers (soft deadlines); diamonds "
        "are the chosen scenarios. The model first minimises total quarters late, so more money can occasionally "
        "mean slightly fewer gaps on time (a few gaps late, but fewer quarters late in all).",
    ),
    "fr_button": ("计算曲线", "Compute the frontier"),
    "fr_button_note": (
        "按 9 个预算倍数各求解一次，约需十秒。",
        "Solves once per budget multiplier (nine); takes about ten seconds.",
    ),
    "fr_x": ("预算合计（万元，示例假设）", "Total budget (万元, assumption)"),
    "fr_y": ("按期比例", "Share on time"),
    # --- reports: brief and plan workbook (keys used by planner/reports) ---
    "flag_green": ("达标", "met"),
    "flag_amber": ("逾期或共享", "late or shared"),
    "flag_red": ("未建成", "not built"),
    "target_all_items": ("全部", "all"),
    "target_deadline": ("{scope}：{tier}能力于 {by} 前全部配置到位",
                        "{scope}: every {tier} capability in place by {by}"),
    "target_coverage": ("{scope}：{by} 前{tier}项目覆盖率不低于 {share}",
                        "{scope}: {share} of {tier} items covered by {by}"),
    "target_count": ("{scope}：{by} 前新建或升级{tier}标准不少于 {count} 项",
                     "{scope}: at least {count} {tier} standards built or upgraded by {by}"),
    "export_title": ("导出", "Export"),
    "export_intro": (
        "下载计划工作簿（排程、逐年支出、甘特表、假设），可直接用于会议，也可重新导入。",
        "Download the plan workbook (schedule, spending by county-year, Gantt grid, assumptions) for the meeting; "
        "it can be re-opened here.",
    ),
    "export_plan_summary": (
        "情景「{name}」：{gaps} 个缺口中 {on_time} 个按期，总成本 {cost:,.1f} 万元（示例假设）。",
        "Scenario “{name}”: {on_time} of {gaps} gaps on time, total cost {cost:,.1f} 万元 (assumption).",
    ),
    "export_last_good": (
        "当前设置没有可行计划，下载的是上一个可行计划。",
        "The current settings have no feasible plan; the download is the last feasible plan.",
    ),
    "export_plan_button": ("下载计划工作簿（.xlsx）", "Download the plan workbook (.xlsx)"),
    "export_plan_caption": ("黄色底色的行为示例假设。", "Rows with a yellow fill are assumptions."),
    "plan_file_name": ("计划_{name}.xlsx", "plan_{name}.xlsx"),
    "export_scenario_button": ("下载当前情景（.toml）", "Download the current scenario (.toml)"),
    "export_scenario_caption": (
        "情景文件可放入 scenarios/ 目录重新打开。",
        "Put a scenario file in scenarios/ to open it again.",
    ),
    # --- app: pages added in wave 2 ---
}


def text(key: str, lang: str = "zh", **fmt: object) -> str:
    """The label for ``key`` in ``lang`` (zh / en), formatted with ``fmt``; the key itself if unknown."""
    pair = TEXT.get(key)
    if pair is None:
        return key
    label = pair[LANGS.index(lang) if lang in LANGS else 0]
    return label.format(**fmt) if fmt else label
