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
    "nav_audit": ("审计", "Audit"),
    "nav_approve": ("定稿", "Approved plan"),
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
    "col_evidence_no": ("文号", "Document no."),
    "ac_evidence_no_help": ("证明配置到位的文件文号，如 海市监〔2026〕3号", "the number of the document proving it"),
    "ac_reason": ("修改原因（随本批记录保存）", "Reason (kept with this batch of records)"),
    "ac_reason_help": ("每条实际完成都作为一条带作者、时间、文号、来源和原因的记录保存在数据库中",
                       "every actual completion is kept in the database as a record with its author, time, "
                       "document no., source and reason"),
    "ac_reviewer_read_only": ("审核员只读：实际完成由县级填报员或规划员记录；审核意见请在「审计」页填写。",
                              "Reviewers read only: actual completions are recorded by county editors or planners; "
                              "record review remarks on the Audit page."),
    "ac_against_approved": ("计划与实际对比的是{plan}，而不是当前设置的计划。",
                            "Planned vs actual compares against the {plan}, not the plan of the current settings."),
    "ac_replan_draft": ("从该日期重新计划得到的是草稿：在「定稿」页定稿之前，对比仍以已定稿的计划为准。",
                        "A re-plan from that date is a draft: until it is approved on the Approved plan page, the "
                        "comparison stays against the approved plan."),
    "dl_against_approved": ("下表是{plan}的按期情况，而不是当前设置的计划；当前设置的计划在定稿前只是草稿。",
                            "The table below is the {plan}, not the plan of the current settings, which is a draft "
                            "until approved."),
    "brief_of_approved": ("简报对应{plan}。", "The brief is of the {plan}."),
    "src_database": ("数据库中的数据集「{name}」", "dataset '{name}' of the database"),
    "src_edited": ("修改过的数据（基于 {name}，保存在本服务器）", "edited data (from {name}, kept on this server)"),
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
        "计算未能完成（{detail}）。页面保留上一次的有效结果；详情已写入服务器日志。",
        "The computation did not finish ({detail}). The page keeps the last good result; the details are in the"
        " server log.",
    ),
    "engine_missing": ("求解引擎不可用，请检查安装。", "The solver engine is not available; check the installation."),
    "status_feasible": (
        "求解器在时限内找到可行计划，但未证明最优：{gap}。可延长求解时限再试。",
        "The solver found a feasible plan within the time limit, not proven optimal: {gap}. Allow more time to "
        "prove it.",
    ),
    "gap_known": ("与最优至多相差 {gap}", "within {gap} of the optimum"),
    "gap_unknown": ("与最优的差距未知", "its distance from the optimum is unknown"),
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
    "status_feasible_short": ("未证明最优", "not proven optimal"),
    "status_feasible_gap": ("未证明最优（与最优至多相差 {gap}）", "not proven optimal (within {gap} of the optimum)"),
    "status_infeasible_short": ("无可行计划", "infeasible"),
    "status_time_limit_short": ("超时", "time limit"),
    "status_unbounded_short": ("无界", "unbounded"),
    "status_error_short": ("出错", "error"),
    "showing_last_good": (
        "下面显示上一个可行计划（{settings}），不是当前设置的结果。",
        "Below: the last feasible plan ({settings}), not a result of the current settings.",
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
    "col_shared_n": ("共享（假设情景）", "Shared (what-if)"),
    "col_unschedulable": ("未列出项目", "Not named"),
    "col_meets": ("按期达标", "Meets deadline"),
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
    # the narrow 方式 column of the workbook's Gantt (its conditional formats test these words)
    "mode_short_built": ("自建", "build"),
    "mode_short_shared": ("共享", "shared"),
    "mode_short_unbuilt": ("未建", "unbuilt"),
    "mode_short_done": ("已完成", "done"),
    "mode_short_unschedulable": ("未列明", "not named"),
    # what stands in a 逾期季度 column for a gap that has no lateness (not a number of quarters)
    "late_text_shared": ("共享", "shared"),
    "late_text_unbuilt": ("未建成", "not built"),
    "late_text_unschedulable": ("未列明", "not named"),
    "late_text_done": ("—", "—"),
    # a plan's solver status, in full (the workbook's 总览 and the CLI)
    "plan_status_optimal": ("最优", "optimal"),
    "plan_status_feasible": ("可行（未证明最优）", "feasible, not proven optimal"),
    "plan_status_infeasible": ("不可行", "infeasible"),
    "plan_status_time_limit": ("超时（未找到可行解）", "time limit reached, no solution"),
    "plan_status_unbounded": ("无界", "unbounded"),
    "plan_status_error": ("求解出错", "solver error"),
    "mode_deadline_hard": ("硬性（必须按期）", "hard (must be met)"),
    "mode_deadline_soft": ("柔性（逾期计罚）", "soft (lateness penalised)"),
    "overview_title": ("概览：能力缺口与计划", "Overview: capability gaps and the plan"),
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
    "data_warnings": ("数据提示", "Data warnings"),
    "data_title": ("数据：工作簿、核对与修改", "Data: workbook, checks and edits"),
    "data_intro": (
        "可上传自己的工作簿（格式同导出的数据工作簿），或使用内置数据。上传和修改保存在本会话中，并按内容保存在本服务"
        "器上，刷新页面或打开本页链接即可找回，直到点「丢弃」；内置文件和上传的文件都不会被改写。",
        "Upload your own workbook (same format as the downloaded data workbook) or keep the shipped one. Uploads and"
        " edits live in this session and are kept on this server by their content, so a reload or this page's link"
        " finds them again until you discard them; neither the shipped file nor your upload is ever written to.",
    ),
    "upload_label": ("上传工作簿（.xlsx）", "Upload a workbook (.xlsx)"),
    "upload_help": (
        "工作表：项目、地区、能力矩阵，可选 预算、公布数、实际完成 等；单个文件不超过 {mb} MB",
        "Sheets: 项目, 地区, 能力矩阵; optional 预算, 公布数, 实际完成, …; at most {mb} MB a file",
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
        "每格选择：已具备 / 缺失 / 需升级 / 不适用（来源：附件表下注释）。",
        "Each cell: has / lacks / to upgrade / not applicable (from the notes under the annex).",
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
        "选择一个情景文件，再调整预算和设置；每次调整只重新计算本页下方的结果（相同设置直接取缓存），可在侧栏撤销。",
        "Pick a scenario file, then adjust budgets and settings; each change recomputes only the results below"
        " (settings seen before come from the cache), and can be undone from the sidebar.",
    ),
    "sc_pick": ("情景文件（scenarios/）", "Scenario file (scenarios/)"),
    "sc_no_files": ("没有情景文件，使用默认设置。", "No scenario files; using the defaults."),
    "sc_modified": ("已在情景「{name}」基础上修改（未保存）。", "Changed from scenario “{name}” (not saved)."),
    "sc_budget_title": ("预算（万元/年，示例假设）", "Budgets (万元 a year, assumption)"),
    "sc_budget_caption": (
        "默认使用工作簿逐年预算 × 全局倍数。打开某县的开关，可改为每年固定金额（例如“每年 80 万元”）。",
        "By default each county gets the workbook's year-by-year budget × the global multiplier. Switch a county "
        "on to give it a flat amount a year instead (e.g. “80 万元 a year”).",
    ),
    "sc_multiplier": ("全局预算倍数（乘以工作簿预算）", "Global budget multiplier (× workbook budgets)"),
    "sc_multiplier_help": ("1.00 = 工作簿中的预算；0.50 = 减半", "1.00 = the workbook's budgets; 0.50 = half"),
    "sc_reset_budgets": ("恢复情景文件的预算", "Reset budgets to the file"),
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
    "sc_saved_db": ("已保存到您的账户（数据库）：「{name}」；可在「定稿」页选用。",
                    "Saved to your account (in the database): '{name}'; pick it on the Approved plan page."),
    "save_bad_description": ("说明不能包含控制字符（如换行、制表符），且最多 {n} 个字符。",
                             "A description cannot hold control characters (such as line breaks or tabs) and has "
                             "at most {n} characters."),
    "save_too_big": ("情景设置超过 {kb} KB，未保存。", "The scenario settings exceed {kb} KB: not saved."),
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
        "按地区 × 层级列出计划结果：要求数、基准时已具备、按期、逾期、共享、未建。共享（假设情景）不计为配置到位。实"
        "际完成情况见「实际完成」页。",
        "The plan per region × tier: required, done at start, on time, late, shared, unbuilt. Shared gaps (what-if)"
        " never count as compliant. What was actually done is on the Actuals page.",
    ),
    "dl_as_of": ("核查日期", "As-of date"),
    "dl_as_of_help": (
        "实际完成日期截至该日计入；默认今天。",
        "Actual completion dates up to this day count; today by default.",
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
    "mb_title": ("满足截止期限的最低预算", "Minimum budget to meet every deadline"),
    "mb_need": ("最低预算（万元/年）", "Minimum (万元/yr)"),
    "mb_current": ("当前平均预算（万元/年）", "Current average (万元/yr)"),
    "mb_total": ("最低预算合计（万元/年）", "Minimum total (万元/yr)"),
    "mv_title": ("追加预算的边际价值", "Marginal value of more budget"),
    "mv_caption": (
        "某县某年预算追加 10 万元后重新求解：格内为多按期的项目数或提前的季度数；颜色越深越值得追加。",
        "Each county-year re-solved with 10 万元 more: the cell says how many more gaps make their deadline, or how m"
        "any quarters earlier; darker is more worth adding.",
    ),
    "mv_cell_gaps": ("按期 +{n} 项", "+{n} on time"),
    "mv_cell_quarters": ("提前 {n} 季", "{n} q earlier"),
    "mv_buys": ("追加 10 万元可得", "10 万元 more buys"),
    "mv_button": ("计算边际价值", "Compute marginal values"),
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
        "以当前设置「{name}」为基础，把全部预算同乘一个系数后求解（柔性截止），范围：{where}。模型先让按期的缺口最多"
        "，所以预算越多，按期比例不会下降。菱形为规划期相同的所选情景。",
        "Based on the current settings “{name}”, every budget scaled by one factor and solved with soft deadlines;"
        " scope: {where}. The model first makes the most gaps on time, so more money never lowers the share on time."
        " Diamonds are the chosen scenarios with the same horizon.",
    ),
    "fr_button": ("计算曲线", "Compute the frontier"),
    "fr_button_note": (
        "按 {n} 个预算系数各求解一次；可随时取消，已算出的点会保留。",
        "Solves once per budget factor ({n}); cancel at any time, points already computed are kept.",
    ),
    "fr_x": ("规划期预算合计（万元，示例假设）", "Total budget over the horizon (万元, assumption)"),
    "fr_y": ("按期比例", "Share on time"),
    # --- reports: brief and plan workbook (keys used by planner/reports) ---
    "brief_title": ("计量能力缺口规划简报", "Capability-gap plan brief"),
    "brief_scope_all": ("全部地区", "all regions"),
    "brief_subtitle": ("情景「{name}」 · 求解：{status} · {start}—{end} · 截止：{mode}",
                       "Scenario {name} · {status} · {start}–{end} · deadlines: {mode}"),
    "brief_no_plan": ("没有可行计划（{status}）：下面的建议列出预算缺口。",
                      "No feasible plan ({status}): the steps below list the budget shortfalls."),
    "brief_kpi_gaps": ("待补缺口", "Gaps to close"),
    "brief_kpi_unnamed": ("另有 {n} 项原表未列明", "plus {n} not named in the source"),
    "brief_kpi_all_named": ("县 × 项目", "region × item"),
    "brief_kpi_on_time": ("按期配置到位", "In place on time"),
    "brief_kpi_missed": ("未按期", "Not on time"),
    "brief_kpi_missed_note": ("逾期 {late} · 未建成 {unbuilt} · 共享 {shared}",
                              "late {late} · not built {unbuilt} · shared {shared}"),
    "brief_kpi_spent": ("规划期支出", "Spending"),
    "brief_kpi_spent_note": ("预算 {budget} · 结余 {balance}", "budget {budget} · left {balance}"),
    "brief_unit_wan": ("万元", "万元"),
    "brief_unit_gaps": ("个", "gaps"),
    "brief_compliance_title": ("截止检查", "Deadline check"),
    "brief_tier_head": ("{tier} · {date}", "{tier} · {date}"),
    "brief_all_regions": ("全部（{n}）", "All ({n})"),
    "brief_regions_met": ("{met}/{n} 地区达标", "{met}/{n} met"),
    "brief_note_late": ("逾{n}", "late {n}"),
    "brief_note_unbuilt": ("未建{n}", "unbuilt {n}"),
    "brief_note_shared": ("享{n}", "shared {n}"),
    "brief_note_unnamed": ("未列明{n}", "unnamed {n}"),
    "brief_compliance_legend": (
        "格内：截止日前配置到位的项数 / 要求数（原已具备 + 按期建成）；逾期、未建成、共享均不计入。",
        "Cells: capabilities in place by the deadline / required (already there + built on time); late, unbuilt "
        "and shared ones do not count.",
    ),
    "brief_compliance_empty": ("没有可行计划，无截止检查。", "No feasible plan, so no deadline check."),
    "brief_more_regions": ("…及其他 {n} 个地区", "… and {n} more regions"),
    "brief_more_items": ("…及其他 {n} 项", "… and {n} more"),
    "brief_more_targets": ("…及其他 {n} 个目标（全文见计划工作簿「总览」）",
                           "… and {n} more targets (in full on the plan workbook's first sheet)"),
    "brief_misses_title": ("未按期的缺口", "Gaps not in place on time"),
    "brief_miss_late": ("逾期 {n} 季", "{n} q late"),
    "brief_miss_unbuilt": ("未建成", "not built"),
    "brief_miss_shared": ("共享，不计达标", "shared, not counted"),
    "brief_spending_title": ("逐年支出与预算（万元）", "Spending vs budget per year (万元)"),
    "brief_spending_note": ("红色短线为当年预算。合计支出 {spent} / 预算 {budget} 万元，结余 {balance} 万元；"
                            "金额为示例假设。",
                            "Red ticks: the year's budget. Spent {spent} of {budget} 万元, {balance} left; amounts are "
                            "assumptions."),
    "brief_gantt_title": ("建设进度（按季度；虚线为截止日期）", "Build schedule by quarter (dashed: deadlines)"),
    "brief_gantt_more": ("另有 {n} 行未显示", "{n} more rows not shown"),
    "brief_steps_title": ("下一步：追加资金最值得用在哪里", "Next steps: where extra money buys most"),
    "brief_step_gaps": ("{year} 年给{region}追加 {delta} 万元可使 {n} 项按期配置到位{extra}。",
                        "{delta} 万元 more for {region} in {year}: {n} more in place on time{extra}."),
    "brief_step_built": ("{year} 年给{region}追加 {delta} 万元可使 {n} 个未建缺口在规划期内建成（仍逾期）{extra}。",
                         "{delta} 万元 more for {region} in {year}: {n} unbuilt gaps built within the horizon "
                         "(still late){extra}."),
    "brief_step_late": ("{year} 年给{region}追加 {delta} 万元可使已建项目逾期合计减少 {n} 个季度。",
                        "{delta} 万元 more for {region} in {year}: late builds {n} quarters less late in all."),
    "brief_step_earlier": ("{year} 年给{region}追加 {delta} 万元可使缺口合计提前 {n} 个季度补齐。",
                           "{delta} 万元 more for {region} in {year}: gaps closed {n} quarters earlier in all."),
    "brief_step_extra_late": ("，已建项目逾期合计减少 {n} 个季度", ", late builds {n} quarters less late"),
    "brief_step_extra_built": ("，另有 {n} 个未建缺口可建成（逾期）", ", and {n} unbuilt gaps built (late)"),
    "brief_step_none_ahead": ("{year} 年起追加预算不会改善本计划（更早年份的资金已无法追加）。",
                              "More money from {year} on would not improve this plan (earlier years are past)."),
    "brief_step_none": ("追加预算不会改善本计划：每个缺口已按现有预算排到最早可行的季度。",
                        "More money would not improve this plan: every gap is as early as the budgets allow."),
    "brief_step_unnamed": ("{region}有 {n} 项{tier}能力原表未列明具体项目：先明确项目清单，才能排程和核算。",
                           "{region}: {n} {tier} items are not named in the source; name them so they can be "
                           "scheduled and costed."),
    "brief_step_unbuilt": ("{n} 个缺口在规划期内仍未建成：需追加预算、共享服务或延长规划期。",
                           "{n} gaps stay unbuilt within the horizon: more budget, sharing or a longer horizon."),
    "brief_steps_note": ("依据边际分析：每个地区每年分别追加 {delta} 万元后重新求解，取改善最大者（每个地区一项）。",
                         "From the marginal analysis: each region-year re-solved with {delta} 万元 more; the largest "
                         "gains, one per region."),
    "brief_steps_note_none": ("依据边际分析（每个地区每年追加 {delta} 万元后重新求解）与本计划的结果。",
                              "From the marginal analysis (each region-year re-solved with {delta} 万元 more) and "
                              "the plan."),
    "brief_targets_title": ("目标", "Targets"),
    "brief_sp_assumptions": ("假设", "Assumptions"),
    "brief_sp_sources": ("来源", "Sources"),
    "brief_sp_method": ("方法", "Method"),
    "brief_sp_warnings": ("数据提示", "Data warnings"),
    "brief_method": ("混合整数规划（{solver}），求解状态：{status}，用时 {seconds:.1f} 秒；"
                     "共享为假设情景，不计入配置到位。",
                     "Mixed-integer programme ({solver}), status: {status}, {seconds:.1f} s; sharing is a what-if "
                     "and never counts as in place."),
    "brief_footer": ("计量能力缺口规划器 · 情景：{name}", "Inspection-capability gap planner · scenario: {name}"),
    "brief_generated": ("生成于 {date}", "generated {date}"),
    "brief_no_font": ("找不到中文字体（{fonts}）：请安装 fonts-noto-cjk（scripts/install_system_deps.sh）。",
                      "No CJK font found ({fonts}): install fonts-noto-cjk (scripts/install_system_deps.sh)."),
    "brief_unknown_region": ("未知地区「{region}」：应为工作簿「地区」表中的名称。",
                             "unknown region '{region}': use a name from the workbook's 地区 sheet."),
    "ka_deadlines": ("截止要求", "Deadlines"),
    "ka_budget": ("预算", "Budgets"),
    "ka_budget_value": ("工作簿逐年预算 × {m}", "workbook budgets × {m}"),
    "ka_region_mult": ("；地区倍数 {items}", "; region multipliers {items}"),
    "ka_overrides": ("；{n} 项逐年覆盖", "; {n} per-year overrides"),
    "ka_whatif": ("假设情景", "What-ifs"),
    "ka_pool": ("市级统筹资金池 {x} 万元/年", "city pool {x} 万元 a year"),
    "ka_carry": ("预算结余结转", "carry-over"),
    "ka_sharing": ("共享服务（由{p}提供，不计入配置到位）", "sharing (by {p}; never counts as in place)"),
    "ka_discount": ("共用标准节省", "shared-equipment saving"),
    "ka_none": ("无（全部关闭）", "none (all off)"),
    "ka_capacity": ("考核能力", "Assessment capacity"),
    "ka_capacity_none": ("市级每季度不限", "city: no limit a quarter"),
    "ka_capacity_n": ("市级每季度最多考核 {n} 项", "city assesses at most {n} a quarter"),
    "flag_green": ("达标", "met"),
    "flag_amber": ("逾期或共享", "late or shared"),
    "flag_red": ("未建成", "not built"),
    "target_all_items": ("全部", "all"),
    "target_result_met": ("达到", "met"),
    "target_result_missed_deadline": ("未达到：{n} 个地区-层级未按期配齐",
                                      "missed: {n} region-tier rows not met in time"),
    "target_result_met_value": ("达到：{got}（需 {need}）", "met: {got} (needs {need})"),
    "target_result_short": ("未达到：{got}（需 {need}，差 {short} 项）", "missed: {got} (needs {need}, {short} short)"),
    "target_result_not_countable": ("无法计算：范围内的地区都没有能力矩阵行（{regions}）",
                                    "not countable: no region of the scope has a matrix row ({regions})"),
    "target_result_regions_met": ("达到：{met}/{n} 个地区各自达到（每个地区需 {share}）",
                                  "met: {met}/{n} regions each reach {share}"),
    "target_result_regions_short": ("未达到：{met}/{n} 个地区各自达到（每个地区需 {share}），"
                                    "未达到的地区共差 {short} 项",
                                    "missed: {met}/{n} regions each reach {share}; the others are {short} short "
                                    "in all"),
    "target_result_details": ("（逐年明细见计划工作簿「总览」）", " (per year: the plan workbook's summary sheet)"),
    "target_result_left_out": ("；未计入（无能力矩阵行）：{regions}", "; not counted (no matrix row): {regions}"),
    "target_deadline": ("{scope}：{tier}能力于 {by} 前全部配置到位",
                        "{scope}: every {tier} capability in place by {by}"),
    "target_coverage": ("{scope}：{by} 前{tier}项目覆盖率不低于 {share}",
                        "{scope}: {share} of {tier} items covered by {by}"),
    "target_count": ("{scope}：{by} 前新建或升级{tier}标准不少于 {count} 项",
                     "{scope}: at least {count} standards built or upgraded by {by} ({tier} items)"),
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
    "risk_p_meet": ("按期概率", "Chance on time"),
    "risk_p10": ("支出 P10（万元）", "Spending P10 (万元)"),
    "risk_p50": ("支出 P50（万元）", "Spending P50 (万元)"),
    "risk_p90": ("支出 P90（万元）", "Spending P90 (万元)"),
    "risk_unsolved": ("{n} 个样本未能求解，未计入。", "{n} sample(s) could not be solved and are left out."),
    "mb_unreachable": (
        "{names}：部分项目的建设周期已来不及按期，加钱也无法按期，未列入最低预算。",
        "{names}: some lead times no longer fit before the deadline; no budget makes them on time, so they are left"
        " out of the minimum.",
    ),
    "modified_suffix": ("（已修改）", " (modified)"),
    "nav_actuals": ("实际完成", "Actuals"),
    "nav_not_found": ("页面不存在", "Page not found"),
    "not_found_title": ("页面不存在", "Page not found"),
    "not_found_text": (
        "链接中的页面不存在（可能已改名）。请从左侧选择页面，或回到概览。",
        "The page in the link does not exist (it may have been renamed). Pick a page on the left or go back to the"
        " overview.",
    ),
    "upload_button": ("选择文件", "Browse"),
    "upload_limit": ("单个文件不超过 {mb} MB · .xlsx", "At most {mb} MB a file · .xlsx"),
    "upload_too_big": (
        "文件未上传：只接受不超过 {mb} MB 的 .xlsx 工作簿。请删除后重新选择。",
        "Not uploaded: only .xlsx workbooks of at most {mb} MB are accepted. Remove it and choose another.",
    ),
    "date_year": ("年", "year"),
    "date_month": ("月", "month"),
    "date_day": ("日", "day"),
    "not_a_workbook": (
        "无法作为 Excel 工作簿（.xlsx）打开：文件已损坏，或不是 .xlsx 格式（.xls、.csv 请先另存为 .xlsx）。",
        "cannot be opened as an Excel workbook (.xlsx): the file is damaged or not in .xlsx format (save .xls or .csv"
        " as .xlsx first).",
    ),
    "bad_edit": ("修改无法应用（详情已写入服务器日志）。", "The edit cannot be applied (details in the server log)."),
    "save_failed": (
        "无法写入情景文件 {name}（目录不可写）。",
        "Cannot write the scenario file {name} (the folder is not writable).",
    ),
    "focus_label": ("关注地区", "Region in focus"),
    "focus_all": ("全部地区", "all regions"),
    "focus_help": (
        "只看一个地区（及其下级）：各页的数字、图表、表格和导出都只含该地区。",
        "Show one region (and the regions below it): every page's figures, charts, tables and exports cover it alone.",
    ),
    "focus_clear": ("查看全部地区", "Show all regions"),
    "focus_banner": ("本页只显示：{region}", "This page shows {region} only"),
    "undo_button": ("撤销上一步", "Undo the last change"),
    "undo_help": (
        "撤销最近一次对数据或设置的修改（上传、修改、丢弃、打开情景、滑块等）",
        "Undo the last change of data or settings (upload, edit, discard, opening a scenario, a slider, …)",
    ),
    "undone": ("已撤销：{what}", "Undone: {what}"),
    "undo_upload": ("上传工作簿", "the upload"),
    "undo_edit": ("数据修改", "the data edit"),
    "undo_discard": ("丢弃数据", "discarding the data"),
    "undo_settings": ("设置修改", "the change of settings"),
    "undo_open": ("打开情景文件", "opening the scenario file"),
    "undo_budgets": ("恢复预算", "the budget reset"),
    "undo_as_of": ("核查日期修改", "the change of the as-of date"),
    "undo_replan": ("重新规划", "the re-plan"),
    "link_data_gone": (
        "链接中的数据在本服务器上已不存在，显示内置数据。请重新上传。",
        "The link's data are no longer on this server; showing the shipped data. Upload them again.",
    ),
    "link_scenario_gone": (
        "链接中的情景文件「{name}」不存在，使用默认情景。",
        "The link's scenario file “{name}” does not exist; using the default scenario.",
    ),
    "link_region_gone": (
        "链接中的地区「{name}」不在当前数据中，显示全部地区。",
        "The link's region “{name}” is not in the data; showing all regions.",
    ),
    "link_value_ignored": (
        "链接中的设置「{param}={value}」不在允许范围内，已忽略。",
        "The link's setting '{param}={value}' is not allowed here and was ignored.",
    ),
    "tier_due": ("{tier}能力须于 {date} 前配置到位", "{tier} capabilities due by {date}"),
    "overview_intro_tiers": (
        "{deadlines}。下表和矩阵来自所选数据；计划来自当前情景。",
        "{deadlines}. Figures and matrix come from the selected data; the plan from the current scenario.",
    ),
    "kpi_tier_gaps": ("{tier}能力缺口", "Gaps ({tier})"),
    "kpi_tier_gaps_help": (
        "需新建或升级的{tier}能力（地区×项目），截止 {date}",
        "{tier} capabilities to build or upgrade (region × item), due {date}",
    ),
    "kpi_regions": ("列出缺口的地区", "Regions with named gaps"),
    "kpi_regions_help": (
        "能力矩阵中至少列出一个缺口的地区（矩阵共 {n} 个地区）；只有公布数的地区不计入",
        "Regions the matrix lists with at least one gap (of {n} regions in the matrix); regions with counts only "
        "are not included",
    ),
    "kpi_shared": ("共享缺口（假设）", "Shared gaps (what-if)"),
    "kpi_shared_help": (
        "由他机构代检的缺口（假设情景），不计为按期配置到位",
        "Gaps served by another institute (what-if); never counted as configured on time",
    ),
    "summary_line": (
        "{gaps} 个缺口：{on_time} 个按期，{late} 个逾期，{shared} 个共享（假设情景），{unbuilt} 个未建；总成本 {cost:"
        ",.1f} 万元（示例假设）。",
        "{gaps} gaps: {on_time} on time, {late} late, {shared} shared (what-if), {unbuilt} unbuilt; total cost {cost:"
        ",.1f} 万元 (assumption).",
    ),
    "plan_of": ("情景「{name}」：", "Scenario “{name}”:"),
    "no_named_gaps": (
        "「{region}」在能力矩阵中没有逐项列出的缺口。",
        "“{region}” has no gaps named item by item in the matrix.",
    ),
    "counts_only_note": (
        "{names} 只有公布数，原表未列出具体项目，故不进入矩阵和计划。",
        "{names}: counts only; the source names no items, so not in the matrix or the plan.",
    ),
    "col_missing_first": ("缺失的{tier}能力", "Missing {tier} items"),
    "more_warnings": ("另有 {n} 条提示，见「数据」页。", "{n} more on the Data page."),
    "col_upgrade_capex": ("升级投资（万元，示例假设）", "Upgrade capex (万元, assumption)"),
    "col_upgrade_lead": ("升级周期（季度，示例假设）", "Upgrade lead time (quarters, assumption)"),
    "cap_has": ("已具备", "has"),
    "cap_lacks": ("缺失", "lacks"),
    "cap_upgrade": ("需升级", "to upgrade"),
    "cap_na": ("不适用", "not applicable"),
    "no_budgets": ("工作簿没有这些地区的预算。", "The workbook has no budgets for these regions."),
    "value_blank": ("空", "blank"),
    "typed_number_help": ("只填数字，如 120 或 12.5", "digits only, e.g. 120 or 12.5"),
    "typed_date_help": ("按 YYYY-MM-DD 填写，如 2024-10-08", "as YYYY-MM-DD, e.g. 2024-10-08"),
    "typed_not_number": (
        "不是数字，未应用：请只填写数字，如 120 或 12.5（单位已在列名中）",
        "not a number, not applied: type digits only, e.g. 120 or 12.5 (the unit is in the header)",
    ),
    "typed_not_date": (
        "不是日期，未应用：请按 YYYY-MM-DD 填写，如 2024-10-08",
        "not a date, not applied: write it as YYYY-MM-DD, e.g. 2024-10-08",
    ),
    "edit_rejected_cell": (
        "「{table}」第 {row} 行（{name}），列「{column}」：{reason}（输入：{value}）",
        "“{table}” row {row} ({name}), column “{column}”: {reason} (entered: {value})",
    ),
    "edits_applied_n": (
        "已应用「{table}」中的 {n} 处修改（仅本会话，可撤销）。",
        "Applied {n} change(s) in “{table}” (this session only; can be undone).",
    ),
    "edits_none": (
        "「{table}」没有修改：与当前数据相同，未作任何改动。",
        "No change in “{table}”: the same as the current data; nothing was altered.",
    ),
    "edits_rejected_head": (
        "以下 {n} 处修改未通过校验，未应用，表格中已恢复为原值：",
        "These {n} change(s) failed validation and were not applied; the table shows the data's values again:",
    ),
    "edits_pending_note": (
        "修改在点「应用修改」后才生效；未应用的修改在离开本页时会丢失。",
        "Edits take effect when you press “Apply edits”; edits not applied are lost when you leave this page.",
    ),
    "data_kept_note": (
        "这些数据保存在本服务器上（刷新或打开链接可找回）；上传新的工作簿会替换它们，「丢弃」后恢复为内置数据，两者都"
        "可撤销。",
        "These data are kept on this server (a reload or the link finds them); a new upload replaces them and "
        "“Discard” returns to the shipped data: both can be undone.",
    ),
    "discard_data": ("丢弃这些数据", "Discard these data"),
    "discard_confirm": (
        "确定丢弃「{source}」并恢复内置数据吗？（之后仍可在侧栏撤销）",
        "Discard “{source}” and go back to the shipped data? (You can still undo it from the sidebar.)",
    ),
    "discard_yes": ("确定丢弃", "Discard"),
    "discard_no": ("保留", "Keep them"),
    "data_discarded": ("已丢弃，恢复为内置数据。", "Discarded; back to the shipped data."),
    "sum_multiplier": ("预算 ×{m}", "budgets ×{m}"),
    "sum_flat": ("每年固定：{figures}", "flat a year: {figures}"),
    "sc_opened": (
        "已打开情景文件 {name}（之前的设置可撤销）。",
        "Opened the scenario file {name} (the previous settings can be undone).",
    ),
    "sc_reopened": ("已恢复为情景文件 {name} 的设置（可撤销）。", "Back to the settings of {name} (can be undone)."),
    "sc_reopen": ("恢复为「{name}」的设置", "Back to “{name}”"),
    "sc_reopen_help": (
        "放弃本页未保存的修改，重新读取该情景文件（可撤销）",
        "Drop the unsaved changes and read the scenario file again (can be undone)",
    ),
    "sc_replace_note": (
        "切换或恢复情景文件会替换当前未保存的修改（可在侧栏撤销）；要保留它们，请先另存为新情景。",
        "Switching or restoring a scenario file replaces the unsaved changes (undo is in the sidebar); to keep them,"
        " save them as a new scenario first.",
    ),
    "sc_objective": ("优化目标", "Objective"),
    "sc_objective_help": (
        "最早：尽早配置到位；最省：满足截止期限的最省方案",
        "Earliest: configured as early as possible; cheapest: the least cost that meets the deadlines",
    ),
    "objective_earliest": ("最早配置到位", "earliest"),
    "objective_cheapest": ("最省（满足截止期限）", "cheapest meeting the deadlines"),
    "task_cancel": ("取消", "Cancel"),
    "fr_refining": ("曲线为初算：各点的未按期缺口数已定（加权），逾期季度与成本正逐点细化"
                    "（{done}/{n} 点已完成，空心点为初算）。",
                    "A first pass: each point's missed gaps are final (priority-weighted); lateness and cost are being "
                    "refined point by point ({done} of {n} done; hollow points are first-pass)."),
    "fr_click": ("点击曲线上的点，可打开该预算下的计划。", "Click a point to open the plan for that budget."),
    "fr_open": ("打开「当前预算 ×{scale}」的计划（软约束）",
                "Open the plan at current budgets × {scale} (soft deadlines)"),
    "fr_final": ("已细化", "refined"),
    "fr_not_final": ("初算", "first pass"),
    "fr_point": ("该点", "this point"),
    "task_cancelled": (
        "已取消：{n} 步中已完成 {done} 步，结果已保留；再次点击将从中断处继续。",
        "Cancelled: {done} of {n} steps done and kept; press again to carry on from there.",
    ),
    "task_progress": ("{title}（第 {i}/{n} 步，已用 {s} 秒）", "{title} (step {i} of {n}, {s} s so far)"),
    "mb_meaning": (
        "**含义：** 在示例假设的成本下，要让每个缺口按期配置到位，预算至少需要多少。逐年表给出每一年至少需要的预算（"
        "前几年建设、后几年只需运行费）；“每年相同金额”是每年拨款一样多时的最低额。当前预算的平均值低于它，并不等于预"
        "算不足：前期集中拨款也可能按期完成——是否按期以最后一列（当前计划）为准。",
        "**What it means:** the least budget that gets every gap configured on time, at the assumed costs. The"
        " per-year table gives the least each year needs (building early, only running costs later); “the same amount"
        " every year” is the least flat yearly budget. A current average below it does not mean underfunded:"
        " front-loaded budgets can meet every deadline too — the last column (the current plan) says whether they do.",
    ),
    "mb_button": ("计算最低预算", "Compute the minimum budget"),
    "mb_none": (
        "无法算出最低预算（{status}）：可能有项目的建设周期已来不及按期。",
        "No minimum budget ({status}): some gaps may no longer fit before their deadline.",
    ),
    "mb_per_year_title": ("逐年最低预算（万元，示例假设）", "Least budget per year (万元, assumption)"),
    "mb_flat_title": ("每年相同金额时的最低预算（万元/年）", "Least budget, the same amount every year (万元/yr)"),
    "mb_row": ("类别", "Row"),
    "mb_least": ("最低", "least"),
    "mb_now": ("当前", "current"),
    "mb_plan_meets": ("当前计划全部按期", "Current plan meets every deadline"),
    "risk_title": ("成本不确定性", "Cost uncertainty"),
    "risk_caption": (
        "按示例假设成本上下浮动 {spread} 抽样 {n} 次求解：各地区各层级按期的概率与支出分位数。",
        "Costs drawn {n} times within ±{spread} of the assumed figures, each draw solved: per region and tier, the"
        " chance of meeting the deadline and the spending percentiles.",
    ),
    "risk_button": ("计算成本风险（{n} 个样本）", "Compute the cost risk ({n} samples)"),
    "spinner_risk": ("正在抽样求解成本风险…", "Solving the cost samples…"),
    "dl_to_actuals": ("实际完成情况与核查 →", "What was actually done →"),
    "col_horizon": ("规划期", "Horizon"),
    "col_workbook_multiplier": ("工作簿预算倍数", "× workbook budgets"),
    "cmp_multiplier_note": (
        "“工作簿预算倍数”是情景文件对工作簿预算的倍数；下方曲线的“当前预算 ×”是相对当前设置的系数，两者不同。",
        "“× workbook budgets” is a scenario's multiple of the workbook's budgets; the frontier's “× current budgets”"
        " below is a factor on the current settings: they differ.",
    ),
    "cmp_objectives_title": ("两种优化目标", "The two objectives"),
    "cmp_objectives_caption": (
        "当前设置分别按“最早配置到位”和“最省”求解。",
        "The current settings solved for “earliest” and for “cheapest”.",
    ),
    "fr_scale": ("当前预算 ×", "× current budgets"),
    "fr_x_horizon": ("规划期（{horizon}）预算合计（万元，示例假设）", "Total budget {horizon} (万元, assumption)"),
    "fr_other_horizon": (
        "{names} 的规划期与 {horizon} 不同，预算合计不可比，未画在图上。",
        "{names}: another horizon than {horizon}; totals are not comparable, so not plotted.",
    ),
    "fr_failed": (
        "{n} 个点求解未成功，未画在图上（表中标明）。",
        "{n} point(s) failed to solve and are not plotted (marked in the table).",
    ),
    "export_plan_for": ("情景「{name}」，范围：{where}。", "Scenario “{name}”, scope: {where}."),
    "export_last_good_settings": (
        "当前设置没有可行计划；下载的是上一个可行计划（{settings}）。",
        "The current settings have no feasible plan; the download is the last feasible plan ({settings}).",
    ),
    "export_data_caption": (
        "全部地区的数据（{source}），可重新上传。",
        "The data of every region ({source}); it can be uploaded again.",
    ),
    "export_scenario_caption_shipped": (
        "放入 scenarios/ 目录即可重新打开（工作簿路径为相对路径）。",
        "Put it in scenarios/ to open it again (the workbook path is relative).",
    ),
    "export_scenario_caption_data": (
        "情景中的工作簿为 {file}：请把上方下载的数据工作簿放在同一目录。",
        "The scenario's workbook is {file}: keep the data workbook downloaded above in the same folder.",
    ),
    "brief_make": ("生成一页简报（PDF，{region}）", "Make the one-page brief (PDF, {region})"),
    "brief_making": ("正在生成简报…", "Making the brief…"),
    "brief_download": ("下载简报（PDF）", "Download the brief (PDF)"),
    "brief_file_name": ("简报_{name}_{region}.pdf", "brief_{name}_{region}.pdf"),
    "actuals_title": ("实际完成：配置到位与核查", "Actuals: configured capabilities and the review"),
    "actuals_intro": (
        "记录每项能力实际配置到位的日期和依据（文号/来源），按核查日期对照计划与实际、按期与逾期；可下载带实际完成的"
        "工作簿，并从核查日期起为尚未完成的缺口重新规划。",
        "Record when each capability was actually configured (配置到位) and on what evidence (文号 / source); compare"
        " planned and actual, on time and late, as of a date; download the workbook with them; and re-plan the gaps s"
        "till open from that date.",
    ),
    "ac_review_title": ("截至 {date} 的核查", "Review as of {date}"),
    "ac_review_summary": (
        "截至 {date}：{total} 个缺口中 {done} 个已实际完成，{overdue} 个已过截止日期仍未完成。",
        "As of {date}: {done} of {total} gaps actually configured, {overdue} past their deadline and still open.",
    ),
    "ac_no_actuals": (
        "尚未记录任何实际完成日期：请在下表填写。",
        "No actual completion dates recorded yet: enter them in the table below.",
    ),
    "ac_met": ("✓ 按期达标", "✓ met"),
    "ac_missed": ("✗ 未按期", "✗ missed"),
    "ac_not_due": ("… 未到期", "… not yet due"),
    "ac_record_title": ("记录实际完成", "Record actual completions"),
    "ac_record_caption": (
        "填写「实际完成日期」和「文号/来源」后点「应用修改」；清空日期即删除该记录。日期不能晚于今天。",
        "Enter the completion date and its evidence, then press “Apply edits”; clear a date to remove the record."
        " Dates cannot be after today.",
    ),
    "ac_table": ("实际完成", "Actual completions"),
    "ac_date_help": ("该项能力实际配置到位的日期", "The day the capability was actually configured"),
    "ac_evidence_help": ("文号或其他来源，例如 通市监〔2024〕12号", "Document number or other source"),
    "col_evidence": ("来源", "Source"),
    "col_planned_online": ("计划建成季度", "Planned online"),
    "col_progress": ("状态（截至核查日期）", "Status (as of the date)"),
    "progress_done_on_time": ("按期完成", "done on time"),
    "progress_done_late": ("逾期完成", "done late"),
    "progress_overdue": ("逾期未完成", "overdue"),
    "progress_open": ("未到期", "not yet due"),
    "col_gaps": ("缺口", "Gaps"),
    "col_done_on_time": ("按期完成", "Done on time"),
    "col_done_late": ("逾期完成", "Done late"),
    "col_overdue": ("逾期未完成", "Overdue"),
    "col_open": ("未到期未完成", "Open, not yet due"),
    "col_planned_on_time": ("计划按期", "Planned on time"),
    "col_verdict": ("结论", "Verdict"),
    "ac_download_title": ("下载", "Downloads"),
    "ac_download_data_help": (
        "数据工作簿，含「实际完成」表（日期与文号/来源）",
        "The data workbook with its 实际完成 sheet (dates and evidence)",
    ),
    "ac_replan_title": ("从核查日期起重新规划", "Re-plan from the as-of date"),
    "ac_replan_caption": (
        "为截至 {date} 仍未完成的缺口生成补救计划：从下一季度开始，柔性截止（已过的截止期限无法再按期），已实际完成的"
        "不再排程；预算沿用当前设置，工作簿未给出的年份按该县最后一年的预算（示例假设）。可撤销。",
        "A catch-up plan for the gaps still open on {date}: from the next quarter, soft deadlines (passed deadlines"
        " cannot be met any more), gaps actually configured are left out; budgets as in the current settings, a year"
        " the workbook lacks gets the county's latest budget (assumption). Can be undone.",
    ),
    "ac_replan_button": ("从 {date} 起重新规划", "Re-plan from {date}"),
    "ac_as_of_before_start": (
        "核查日期 {date} 早于计划起始（{quarter}，{start}）：计划开始前没有可核查或可重新规划的内容，未采用该日期。",
        "The as-of date {date} is before the plan starts ({quarter}, {start}): there is nothing to review or "
        "re-plan before the plan; the date was not taken.",
    ),
    "ac_as_of_future": (
        "核查日期 {date} 晚于今天（{today}）：今天之后的实际完成尚不可知，「逾期未完成」等按目前记录推算。",
        "The as-of date {date} is after today ({today}): completions after today are not known yet; overdue "
        "counts are projected from what is recorded now.",
    ),
    "ac_before_matrix": (
        "早于能力矩阵所描述的年份（{since} 起）：矩阵将该缺口记为缺失，此前完成则应记为已具备；请核对日期或改矩阵",
        "before the year the capability matrix describes (from {since}): the matrix lists this gap as missing, so "
        "it cannot have been completed earlier; check the date or mark it as had in the matrix",
    ),
    "ac_replanned": (
        "已生成补救计划「{name}」：{n} 个仍未完成的缺口重新排程。",
        "Catch-up plan “{name}” made: {n} open gaps re-scheduled.",
    ),
    "ac_replan_filled": (
        "{n} 个县-年份的预算为示例假设（沿用最后一年）。",
        "{n} county-year budget(s) assumed (the latest year carried on).",
    ),
    "ac_to_plan": ("查看补救计划 →", "See the catch-up plan →"),
    # ------------------------------------------------------------------ hierarchy, targets, templates (issue 12)
    "rollup_note": (
        "「（合计）」行是该市或省及其全部下级地区之和。",
        "A “（合计）” row is the sum of a city or province and every region below it.",
    ),
    "src_example": ("示例省数据（合成数据，仅作演示）", "the demo province (synthetic data, for demonstration)"),
    "src_template": ("按模板填写的数据：{name}（保存在本服务器）",
                     "data filled from a template: {name} (kept on this server)"),
    "undo_example": ("载入示例数据", "loading the example"),
    "undo_template": ("使用模板数据", "using the template's data"),
    "hm_upgrade": ("需升级（无计划）", "to upgrade (no plan)"),
    "hm_na": ("不适用", "not applicable"),
    "hm_matrix": ("矩阵状态", "Matrix state"),
    "matrix_caption_states": (
        "↑ 表示升级现有标准（需升级），/ 表示不适用（不计入要求与覆盖率）。",
        "↑ marks an upgrade of an existing standard (to upgrade); / marks not applicable (not required, not in"
        " coverage).",
    ),
    "col_open_q": ("缺口开放季度", "Gap-quarters open"),
    "cmp_objectives_delta": (
        "“最早配置到位”比“最省”多花 {wan} 万元（示例假设），缺口开放的季度合计少 {quarters} 个。",
        "“Earliest” costs {wan} 万元 (assumption) more than “cheapest” and keeps gaps open {quarters} quarters"
        " fewer in all.",
    ),
    "tg_title": ("目标", "Targets"),
    "tg_summary": ("当前计划达到 {met} / {n} 个目标。", "The current plan meets {met} of {n} targets."),
    "tg_caption": (
        "目标来自工作簿的「目标」表，每条引用原文。覆盖率与数量按目标截止日期计算；未达到时说明差多少、需要什么。",
        "Targets come from the workbook's 目标 sheet, each citing its source. Coverage and counts are taken at"
        " the target's date; a missed target says by how much and what it would take.",
    ),
    "tg_to_details": ("各目标的逐地区情况与原文出处（截止检查）",
                      "Each target by region, with its source (Deadline check)"),
    "tg_met": ("✓ 达到", "✓ met"),
    "tg_missed": ("✗ 未达到", "✗ missed"),
    "tg_unknown": ("— 无计划", "— no plan"),
    "tg_col_id": ("编号", "ID"),
    "tg_col_kind": ("类型", "Kind"),
    "tg_kind_deadline": ("层级期限", "tier deadline"),
    "tg_kind_coverage": ("覆盖率", "coverage"),
    "tg_kind_count": ("数量", "count"),
    "tg_col_requirement": ("要求", "Requirement"),
    "tg_col_status": ("状态", "Status"),
    "tg_col_result": ("计划结果", "The plan's result"),
    "tg_tier_line": ("目标 **{id}**：{requirement}——{status}", "Target **{id}**: {requirement} — {status}"),
    "tg_none_here": ("没有涉及「{region}」的目标。", "No target concerns “{region}”."),
    "tg_detail": ("{id}：{status}", "{id}: {status}"),
    "tg_result": ("**计划结果**：{result}", "**The plan's result:** {result}"),
    "tg_col_reached": ("达到", "Reached"),
    "tg_col_required": ("需要", "Required"),
    "tg_col_total_coverage": ("适用项目", "Applicable items"),
    "tg_col_total_count": ("目标数", "Target number"),
    "tg_col_total_deadline": ("项目", "Items"),
    "tg_short_by": ("✗ 差 {n} 项", "✗ {n} short"),
    "tg_left_out": (
        "**未计入**：{regions}（能力矩阵中没有这些地区的行）。",
        "**Not counted:** {regions} (no row in the capability matrix).",
    ),
    "tg_source": ("**原文出处**：", "**Source (verbatim):**"),
    "tg_note": ("说明：{note}", "Note: {note}"),
    "matrix_pick_city": (
        "能力矩阵有 {n} 个地区，一次画不下：请在侧栏「关注地区」中选择一个市查看。下表列出各地区的缺口。",
        "The matrix has {n} regions, too many for one chart: pick a city under “Region in focus” in the sidebar."
        " The table below lists each region's gaps.",
    ),
    "dl_names_more": ("{names} 等 {n} 个地区", "{names} and others, {n} regions in all"),
    "sc_modified_placeholder": (
        "{name}：再次选择该文件即恢复其设置",
        "{name}: pick its file again to go back to its settings",
    ),
    "export_plan_chinese_only": (
        "计划工作簿目前只有中文版（引擎尚不支持其他语言）。",
        "The plan workbook is written in Chinese only for now (the engine has no English version of it yet).",
    ),
    "choose_options": ("请选择", "Choose options"),
    "nr_budgets_refused_head": (
        "以下 {n} 个预算格不是数字，未采用（请改正）：",
        "These {n} budget cells are not numbers and were not taken (please correct them):",
    ),
    "sc_no_file": ("（未保存为文件的设置：{name}）", "(settings saved in no file: {name})"),
    "no_counts": ("工作簿没有公布数（「公布数」表为空或缺失）。", "The workbook has no published counts (公布数)."),
    "no_rows": ("（无）", "(none)"),
    "nr_expander": ("新建地区：从模板开始，或载入示例数据", "Start a new region from a template, or load the example"),
    "nr_title": ("新建地区", "Start a new region"),
    "nr_caption": (
        "模板带有规划文件的地区层级、层级期限和目标（逐条引用原文），能力矩阵与预算留空由您填写，工具不代填。可下载后离线填写"
        "再上传，也可在本页填写；通过校验后即成为当前数据。",
        "A template holds a plan's regions, tiers and targets (each citing its source); the capability matrix and the"
        " budgets are left blank for you to fill, never invented. Download it, fill it offline and upload it, or"
        " fill it here; once it validates it becomes the current data.",
    ),
    "nr_example_title": ("示例数据", "Example data"),
    "nr_example_caption": (
        "一个合成的小省（示例）：三个层级、需升级与不适用的格、覆盖率与数量目标（有达到也有未达到），附带情景。",
        "A small synthetic province (示例): three tiers, cells to upgrade and not applicable, coverage and count"
        " targets (some met, one missed), with its scenario.",
    ),
    "nr_example_button": ("载入示例省（含情景）", "Load the demo province"),
    "nr_example_loaded": (
        "已载入示例省数据和情景「demo_province」（合成数据，可撤销）。",
        "Loaded the demo province and its scenario “demo_province” (synthetic data; can be undone).",
    ),
    "nr_pick": ("规划模板", "Plan template"),
    "nr_blank_option": ("空白模板：自定地区层级", "Blank template: your own hierarchy"),
    "nr_hierarchy": ("地区层级", "Regions"),
    "nr_hierarchy_help": (
        "括号内写下级地区，逗号或顿号分隔，最多三级，例：某省(甲市(A县,B县),乙市(C县))",
        "Regions below go in parentheses, separated by commas, at most three levels, e.g."
        " Province(City A(County 1,County 2),City B(County 3))",
    ),
    "nr_hierarchy_needed": ("请输入地区层级，例如 {example}", "Type the regions, e.g. {example}"),
    "nr_start": ("规划起始季度", "Plan start"),
    "nr_start_help": (
        "能力矩阵按这一季度的情况填写；预算从这一年起逐年填写",
        "Fill the matrix as of this quarter; budgets are per year from this year on",
    ),
    "nr_template_info": (
        "**{top}**：{cities} 个市级、{counties} 个县级地区，{items} 个项目，预算年份 {years}，{targets} 个目标：",
        "**{top}**: {cities} city-level and {counties} county-level regions, {items} items, budget years {years},"
        " {targets} targets:",
    ),
    "nr_no_targets": (
        "空白模板没有目标：下载后在「目标」表中按规划文件添加（须引用原文）。",
        "A blank template has no targets: add them on the 目标 sheet of the download (each citing its source).",
    ),
    "nr_download_template": ("下载模板（离线填写）", "Download the template (fill offline)"),
    "nr_download_template_help": (
        "填好「能力矩阵」与「预算」后，在本页上方上传",
        "Fill the 能力矩阵 and 预算 sheets, then upload it at the top of this page",
    ),
    "nr_template_file": ("{top}_模板.xlsx", "{top}_template.xlsx"),
    "nr_fill_here": ("在本页填写", "Fill it here"),
    "nr_other_draft": (
        "正在填写的是「{top}」的模板；点「在本页填写」将换成上面选择的模板（已填内容会丢失，可先下载）。",
        "The draft below is “{top}”'s template; “Fill it here” replaces it with the one chosen above (download the"
        " draft first to keep it).",
    ),
    "nr_draft_title": ("填写：{top}", "Filling in: {top}"),
    "nr_draft_caption": (
        "每格选择已具备 / 缺失 / 需升级 / 不适用；预算为各地区每年的专项经费（万元，示例假设须替换为实际）。"
        "可用下方按钮把空格一次填好，再逐格修改。",
        "Pick has / lacks / to upgrade / not applicable in each cell; budgets are each region's yearly funds (万元;"
        " replace assumptions with real figures). The buttons below fill every blank at once; then change cells"
        " one by one.",
    ),
    "nr_matrix_title": ("能力矩阵", "Capability matrix"),
    "nr_budgets_title": ("预算（万元/年）", "Budgets (万元 a year)"),
    "nr_blanks_matrix": ("矩阵还有 {n} 个空格，分布在 {m} 个地区", "the matrix has {n} blank cells in {m} regions"),
    "nr_blanks_budgets": ("预算还有 {n} 个空格，分布在 {m} 个地区", "the budgets have {n} blank cells in {m} regions"),
    "nr_no_blanks": ("矩阵与预算已全部填写，可以校验并使用。",
                     "The matrix and budgets are complete: check and use them."),
    "nr_fill_state": ("把矩阵空格填为", "Fill blank matrix cells with"),
    "nr_fill_matrix": ("填入矩阵空格", "Fill the blank cells"),
    "nr_fill_amount": ("每个地区每年（万元）", "Per region and year (万元)"),
    "nr_fill_budgets": ("填入预算空格", "Fill the blank budgets"),
    "nr_download_draft": ("下载已填写部分", "Download the draft"),
    "nr_download_draft_help": (
        "当前填写内容的工作簿：可离线继续填写后上传，刷新页面也不会丢失",
        "The workbook as filled so far: finish it offline and upload it; nothing is lost on a reload",
    ),
    "nr_draft_file": ("{top}_已填写.xlsx", "{top}_filled.xlsx"),
    "nr_discard_draft": ("放弃填写", "Discard the draft"),
    "nr_apply": ("校验并使用这些数据", "Check and use these data"),
    "nr_not_yet": ("还不能使用：工作簿未通过校验。", "Not yet usable: the workbook does not validate."),
    "nr_more_problems": ("另有 {n} 条问题未列出。", "{n} more problems not listed."),
    "nr_all_listed": ("校验列出的前 {n} 条问题", "The first {n} problems the check lists"),
    "nr_applied": (
        "已使用「{top}」的数据与模板情景（{n} 个目标；可撤销）。目标的达成情况见「截止检查」页。",
        "Now using “{top}”'s data and the template's scenario ({n} targets; can be undone). See the targets on the"
        " Deadline check page.",
    ),
}


def text(key: str, lang: str = "zh", **fmt: object) -> str:
    """The label for ``key`` in ``lang`` (zh / en), formatted with ``fmt``; the key itself if unknown."""
    pair = TEXT.get(key)
    if pair is None:
        return key
    label = pair[LANGS.index(lang) if lang in LANGS else 0]
    return label.format(**fmt) if fmt else label


def gap_words(mip_gap: float | None, lang: str = "zh") -> str:
    """How far an unproven plan may be from the optimum, in words: the proven relative gap of its worst stage."""
    if mip_gap is None or mip_gap != mip_gap or mip_gap == float("inf") or mip_gap >= 1:
        return text("gap_unknown", lang)
    return text("gap_known", lang, gap=f"{mip_gap:.2%}")


def status_words(status: str, mip_gap: float | None, lang: str = "zh") -> str:
    """A plan's solve status in a few words; an unproven plan says how far from optimal it may be."""
    if status == "feasible":
        if mip_gap is None or mip_gap != mip_gap or mip_gap == float("inf") or mip_gap >= 1:
            return text("status_feasible_short", lang) + ("（差距未知）" if lang == "zh" else " (gap unknown)")
        return text("status_feasible_gap", lang, gap=f"{mip_gap:.2%}")
    return text(f"status_{status}_short", lang)
