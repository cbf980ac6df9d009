"""Every word the app shows, in English and Chinese.

Criterion, flag and evidence texts come from the catalogue (each has ``en`` and ``zh``);
this table holds the app's own labels. ``tr(key, lang)`` looks one up; a missing key is a
KeyError at once (tests check both languages of every key), never a silent blank.
"""

from __future__ import annotations

LANGS: tuple[str, ...] = ("en", "zh")

_T: dict[str, tuple[str, str]] = {
    # -- app and title -------------------------------------------------------------------
    "app.untitled": ("new profile", "新档案"),
    "app.new_name": ("New profile", "新档案"),
    "app.unsaved": ("unsaved", "未保存"),
    "app.loading_core": ("Loading the scoring engine…", "正在加载评分引擎…"),
    # -- sections -----------------------------------------------------------------------
    "section.company": ("Company", "公司"),
    "section.funding": ("Funding", "融资与现金"),
    "section.team": ("Team", "团队"),
    "section.sector": ("Sector", "行业与产品"),
    "section.cloud": ("Cloud delivery", "云交付"),
    "section.compliance": ("Compliance", "合规资质"),
    "section.market": ("Market", "市场"),
    "section.notes": ("Notes", "备注"),
    # -- fields -------------------------------------------------------------------------
    "field.name": ("Name", "名称"),
    "field.currency": ("Currency", "币种"),
    "field.notes": ("Notes", "备注"),
    "field.funding.raised": ("Raised", "累计融资"),
    "field.funding.cash": ("Cash on hand", "账上现金"),
    "field.funding.monthly_burn": ("Monthly burn", "月净支出"),
    "field.team.headcount": ("Headcount", "员工人数"),
    "field.team.founded_year": ("Founded (year)", "成立年份"),
    "field.team.commercial_headcount": ("Commercial staff", "商业化人员"),
    "field.team.research_led": ("Professor-led", "老师带队"),
    "field.team.enterprise_sales_experience": ("Enterprise sales", "大客户销售经验"),
    "field.team.consumer_product_experience": ("Consumer products", "C端产品经验"),
    "field.sector.vertical": ("Vertical", "行业"),
    "field.sector.offering": ("Sells mainly", "主要售卖"),
    "field.sector.differentiation": ("Differentiation", "差异化"),
    "field.cloud.experience": ("Cloud delivery", "云交付经验"),
    "field.cloud.private_deployments": ("Private deployments", "私有化项目数"),
    "field.cloud.compute_delivery": ("Can bundle compute", "可打包算力"),
    "field.compliance.qualifications": ("Qualifications", "资质"),
    "field.market.target_region": ("Target region", "目标市场"),
    "field.market.monthly_active_users": ("Monthly active users", "月活用户"),
    "field.market.d30_retention": ("D30 retention", "30日留存率"),
    "field.market.paying_ratio": ("Paying ratio", "付费率"),
    "field.market.arpu_monthly": ("ARPU per month", "付费用户月均收入"),
    "field.market.cac": ("CAC per user", "单用户获客成本"),
    "field.market.enterprise_customers": ("Enterprise customers", "企业客户数"),
    "field.market.largest_deal": ("Largest deal", "最大单笔合同"),
    # -- what each field means (the contract's comments) --------------------------------
    "about.name": ("The company's name, 1-120 characters.", "公司名称，1到120个字符。"),
    "about.currency": ("Currency of every money figure; millions of it, except ARPU and CAC.",
                       "所有金额的币种；除ARPU与获客成本外，单位均为百万。"),
    "about.notes": ("Free text, kept in the file.", "自由备注，随文件保存。"),
    "about.funding.raised": ("Total equity raised to date.", "迄今累计股权融资额。"),
    "about.funding.cash": ("Cash on hand now.", "当前账上现金。"),
    "about.funding.monthly_burn": ("Net monthly spend; 0 means profitable.",
                                   "每月净支出；0 表示已盈利。"),
    "about.team.headcount": ("People employed, at least 1.", "员工总数，至少1人。"),
    "about.team.founded_year": ("Year founded; not in the future. Tenders gate on it (B15).",
                                "成立年份，不能晚于今年。招标会限定成立年限（B15）。"),
    "about.team.commercial_headcount": (
        "Sales, BD, pre-sales and delivery engineers, customer success.",
        "销售、商务拓展、售前与交付工程师、客户成功人员。"),
    "about.team.research_led": ("Led by academics without commercial experience (B1).",
                                "由缺乏商业化经验的学者带队（B1）。"),
    "about.team.enterprise_sales_experience": (
        "Leaders who have sold to large enterprises or government.",
        "管理层向大企业或政府销售的经验。"),
    "about.team.consumer_product_experience": (
        "Leaders who have grown consumer internet or game products.",
        "管理层做大C端互联网或游戏产品的经验。"),
    "about.sector.vertical": ("The industry it mainly serves.", "主要服务的行业。"),
    "about.sector.offering": ("What it mainly sells: models, applications, compute or data.",
                              "主要售卖什么：模型、应用、算力或数据。"),
    "about.sector.differentiation": (
        "How far it stands apart from the big vendors' models and APIs (B9, B11).",
        "与大厂模型和API相比的差异化程度（B9、B11）。"),
    "about.cloud.experience": (
        "Delivery in customers' own environments: load balancing, disaster recovery, VM "
        "planning (B16).",
        "在客户自有环境中交付的能力：负载均衡、灾备、虚拟机规划（B16）。"),
    "about.cloud.private_deployments": ("On-premise or private-cloud projects delivered.",
                                        "已交付的本地或私有云部署项目数。"),
    "about.cloud.compute_delivery": ("Can bundle compute (hardware, clusters) into a project (B14).",
                                     "能否在项目中打包提供算力（硬件、集群）（B14）。"),
    "about.compliance.qualifications": (
        "Qualifications held: MLPS 3, ISO 27001, xinchuang, generative-AI filing, SOC 2, GDPR.",
        "已具备的资质：等保三级、ISO 27001、信创适配、生成式AI服务备案、SOC 2、GDPR。"),
    "about.market.target_region": ("Where it sells: China, overseas or global.",
                                   "目标市场：中国、海外或全球。"),
    "about.market.monthly_active_users": ("Consumer monthly active users.", "C端月活跃用户数。"),
    "about.market.d30_retention": (
        "Share of new users still active after 30 days, 0-1; empty means unknown.",
        "新用户30天后仍活跃的比例，0到1；留空表示未知。"),
    "about.market.paying_ratio": ("Share of MAU that pays, 0-1; empty means unknown.",
                                  "付费用户占月活的比例，0到1；留空表示未知。"),
    "about.market.arpu_monthly": (
        "Revenue per paying user per month, in currency units (not millions).",
        "每个付费用户每月的收入，以元或美元计（非百万）。"),
    "about.market.cac": ("Cost to acquire one user, in currency units (not millions).",
                         "获取一个用户的成本，以元或美元计（非百万）。"),
    "about.market.enterprise_customers": ("Paying enterprise or government customers.",
                                          "付费的企业或政府客户数。"),
    "about.market.largest_deal": ("Largest single enterprise contract, millions.",
                                  "最大单笔企业合同金额，百万。"),
    # -- units and placeholders ---------------------------------------------------------
    "unit.money.CNY": ("M CNY", "百万元"),
    "unit.money.USD": ("M USD", "百万美元"),
    "unit.each.CNY": ("CNY", "元"),
    "unit.each.USD": ("USD", "美元"),
    "unit.share": ("0–1", "0–1"),
    "hint.required": ("required", "必填"),
    "hint.unknown": ("unknown", "未知"),
    "hint.default": ("default {value}", "默认 {value}"),
    # -- vocabularies -------------------------------------------------------------------
    "currency.CNY": ("CNY (yuan)", "人民币 CNY"),
    "currency.USD": ("USD (dollar)", "美元 USD"),
    "level.none": ("none", "无"),
    "level.some": ("some", "有一些"),
    "level.strong": ("strong", "丰富"),
    "differentiation.low": ("low", "低"),
    "differentiation.medium": ("medium", "中"),
    "differentiation.high": ("high", "高"),
    "offering.model": ("models", "模型"),
    "offering.application": ("applications", "应用"),
    "offering.compute": ("compute", "算力"),
    "offering.data": ("data", "数据"),
    "region.china": ("China", "中国"),
    "region.overseas": ("overseas", "海外"),
    "region.global": ("global", "全球"),
    "vertical.finance": ("finance", "金融"),
    "vertical.government": ("government", "政务"),
    "vertical.energy": ("energy", "能源"),
    "vertical.healthcare": ("healthcare", "医疗"),
    "vertical.education": ("education", "教育"),
    "vertical.manufacturing": ("manufacturing", "制造"),
    "vertical.legal": ("legal", "法律"),
    "vertical.retail": ("retail", "零售"),
    "vertical.office": ("office", "办公"),
    "vertical.media": ("media", "媒体"),
    "vertical.gaming": ("gaming", "游戏"),
    "vertical.companionship": ("companionship", "情感陪伴"),
    "vertical.creative": ("creative", "创意设计"),
    "vertical.general": ("general", "通用"),
    "qualification.mlps3": ("MLPS level 3", "等保三级"),
    "qualification.iso27001": ("ISO 27001", "ISO 27001"),
    "qualification.xinchuang": ("Xinchuang adaptation", "信创适配"),
    "qualification.genai_filing": ("Generative-AI filing", "生成式AI服务备案"),
    "qualification.soc2": ("SOC 2", "SOC 2"),
    "qualification.gdpr": ("GDPR", "GDPR"),
    "bool.true": ("yes", "是"),
    "bool.false": ("no", "否"),
    # -- plays and sides ----------------------------------------------------------------
    "play.b_private": ("Private deployment", "私有化部署"),
    "play.b_api": ("Model API", "模型API"),
    "play.c_domestic": ("Consumer, China", "国内C端"),
    "play.c_overseas": ("Consumer, abroad", "出海C端"),
    "play_short.b_private": ("Private", "私有化"),
    "play_short.b_api": ("API", "API"),
    "play_short.c_domestic": ("C China", "国内C"),
    "play_short.c_overseas": ("C abroad", "出海C"),
    "play_long.b_private": ("private deployment and tenders", "私有化部署与招投标"),
    "play_long.b_api": ("model API and platform sales", "模型API与平台销售"),
    "play_long.c_domestic": ("a consumer product in China", "国内C端产品"),
    "play_long.c_overseas": ("a consumer product abroad", "海外C端产品"),
    "side.to_b": ("To-B", "To B"),
    "side.to_c": ("To-C", "To C"),
    # -- derived figures ----------------------------------------------------------------
    "derived.runway": ("Runway {months} months", "现金跑道 {months} 个月"),
    "derived.runway_profitable": ("Profitable: no burn", "已盈利：无净支出"),
    "derived.age": ("Company age {years} years", "成立 {years} 年"),
    "derived.commercial_share": ("{share} of staff commercial", "商业化人员占比 {share}"),
    "derived.ltv_cac": ("Lifetime value / CAC = {ratio}×", "用户终身价值 / 获客成本 = {ratio}×"),
    "derived.ltv_cac_unknown": (
        "LTV / CAC unknown (needs retention, paying ratio, ARPU, CAC)",
        "LTV / CAC 未知（需要留存率、付费率、ARPU、获客成本）",
    ),
    # -- results ------------------------------------------------------------------------
    "results.title": ("Recommendation", "推荐"),
    "results.verdict": ("Go {side}: {play}", "建议 {side}：{play}"),
    "results.confidence": ("Confidence", "置信度"),
    "results.sides": ("To-B {to_b}   To-C {to_c}", "To B {to_b}   To C {to_c}"),
    "results.flags": ("Red flags", "风险警示"),
    "results.no_flags": ("No red flags", "无风险警示"),
    "results.contributions": ("Why: points toward {play}", "依据：{play} 的得分构成"),
    "results.stale": (
        "Showing the last valid profile: {n} field(s) need fixing",
        "显示最近一次有效的档案：{n} 个字段需要修正",
    ),
    "results.waiting": ("Fix the highlighted fields to see a result", "请修正标出的字段以查看结果"),
    "results.select_hint": (
        "Select a criterion or red flag to see its rationale and evidence.",
        "选择一个评估项或风险警示，查看其依据与原文证据。",
    ),
    "results.severity.high": ("high", "高"),
    "results.severity.warning": ("warning", "警告"),
    "results.unknown_used": ("unknown input, assumed {value}", "输入未知，按 {value} 计"),
    # -- detail -------------------------------------------------------------------------
    "detail.rationale": ("Why it matters", "为什么重要"),
    "detail.evidence": ("Evidence", "原文证据"),
    "detail.quote": ("Article text", "原文"),
    "detail.weights": ("Weights", "权重"),
    "detail.rule": ("Rule", "规则"),
    "detail.value": ("This profile", "本档案"),
    "detail.earned": ("earns {points} of {max} points toward {play}",
                      "为{play}贡献 {points} / {max} 分"),
    # -- files --------------------------------------------------------------------------
    "files.open_title": ("Open a profile", "打开档案"),
    "files.add_title": ("Add profiles to compare", "添加要比较的档案"),
    "files.path_hint": ("Path to a .toml file (Enter to open)", "输入 .toml 文件路径（回车打开）"),
    "files.add_path_hint": ("Path to a file or folder (Enter to add)", "输入文件或文件夹路径（回车添加）"),
    "files.picker_help": (
        "Enter opens a file · Tab to the path box · Esc cancels",
        "回车打开文件 · Tab 切换到路径输入框 · Esc 取消",
    ),
    "files.add_help": (
        "Enter adds a file · ctrl+l adds the highlighted folder · Esc closes",
        "回车添加文件 · ctrl+l 添加所选文件夹 · Esc 关闭",
    ),
    "files.added": ("{n} added", "已添加 {n} 个"),
    "files.save_as_title": ("Save profile as", "档案另存为"),
    "files.export_md_title": ("Export the result as a Markdown report", "导出 Markdown 报告"),
    "files.export_svg_title": ("Export an SVG screenshot", "导出 SVG 截图"),
    "files.path_prompt_help": ("Enter saves · Esc cancels", "回车保存 · Esc 取消"),
    "files.saved": ("Saved {path}", "已保存 {path}"),
    "files.exported": ("Wrote {path}", "已写入 {path}"),
    "files.opened": ("Opened {path}", "已打开 {path}"),
    "files.load_failed": ("Could not open {path}", "无法打开 {path}"),
    "files.load_kept": (
        "The current profile is unchanged.", "当前档案保持不变。"
    ),
    "files.batch_file": (
        "holds {n} profiles; expected one (add it in Compare, F2, to see them all)",
        "包含 {n} 个档案，此处只能打开一个（可在比较视图 F2 中查看全部）",
    ),
    "files.cannot_save": (
        "Cannot save: {n} field(s) need fixing, first {first}",
        "无法保存：{n} 个字段需要修正，首个为 {first}",
    ),
    "files.save_failed": ("Save failed", "保存失败"),
    "files.is_folder": ("{path} is a folder; expected a file name", "{path} 是文件夹，需要文件名"),
    "files.no_result": ("No result yet: fix the highlighted fields first",
                        "尚无结果：请先修正标出的字段"),
    # -- confirmations ------------------------------------------------------------------
    "confirm.title": ("Please confirm", "请确认"),
    "confirm.overwrite": ("{path} exists. Overwrite it?", "{path} 已存在，是否覆盖？"),
    "confirm.discard": (
        "Discard the unsaved changes to {name}?", "放弃对 {name} 未保存的修改？"
    ),
    "confirm.quit": (
        "{name} has unsaved changes. Save before quitting?", "{name} 有未保存的修改，退出前保存吗？"
    ),
    "button.overwrite": ("Overwrite", "覆盖"),
    "button.discard": ("Discard", "放弃"),
    "button.save": ("Save", "保存"),
    "button.cancel": ("Cancel", "取消"),
    "button.close": ("Close", "关闭"),
    "button.quit_without_saving": ("Quit without saving", "不保存并退出"),
    # -- compare ------------------------------------------------------------------------
    "compare.title": ("Compare profiles", "比较档案"),
    "compare.empty": ("No profiles yet: press a to add files or a folder, c to add the one open.",
                      "还没有档案：按 a 添加文件或文件夹，按 c 添加当前档案。"),
    "compare.col.name": ("Name", "名称"),
    "compare.col.verdict": ("Verdict", "结论"),
    "compare.col.confidence": ("Conf.", "置信度"),
    "compare.col.flags": ("Flags", "警示"),
    "compare.col.source": ("Source", "来源"),
    "compare.sorted_by": ("Sorted by {column} {direction}", "按 {column} {direction} 排序"),
    "compare.ascending": ("ascending", "升序"),
    "compare.descending": ("descending", "降序"),
    "compare.skipped": ("Skipped {n}: {first}", "跳过 {n} 个：{first}"),
    "compare.current": ("(open in editor)", "（编辑器中）"),
    # -- what-if ------------------------------------------------------------------------
    "whatif.title": ("What if…", "假如…"),
    "whatif.baseline_saved": ("Against the saved file {name}", "对比已保存的文件 {name}"),
    "whatif.baseline_start": ("Against the profile as it was", "对比修改前的档案"),
    "whatif.col.play": ("Play", "打法"),
    "whatif.col.before": ("Saved", "已保存"),
    "whatif.col.after": ("What-if", "假如"),
    "whatif.col.delta": ("Change", "变化"),
    "whatif.verdict": ("Verdict", "结论"),
    "whatif.flags_added": ("New red flags", "新增警示"),
    "whatif.flags_removed": ("Cleared red flags", "消除的警示"),
    "whatif.changes": ("Biggest changes toward {play}", "{play} 得分变化最大的评估项"),
    "whatif.no_change": ("No change yet: edit a field on the left.", "尚无变化：请修改左侧字段。"),
    "whatif.kept": ("Kept the what-if changes (not saved yet)", "已采用假设修改（尚未保存）"),
    # -- bindings -----------------------------------------------------------------------
    "key.help": ("Help", "帮助"),
    "key.new": ("New", "新建"),
    "key.open": ("Open", "打开"),
    "key.save": ("Save", "保存"),
    "key.save_as": ("Save as", "另存为"),
    "key.compare": ("Compare", "比较"),
    "key.whatif": ("What-if", "假如"),
    "key.language": ("中文", "English"),
    "key.report": ("Report", "报告"),
    "key.screenshot": ("SVG", "截图"),
    "key.results": ("Results", "结果"),
    "key.quit": ("Quit", "退出"),
    "key.back": ("Back", "返回"),
    "key.keep": ("Keep", "采用"),
    "key.discard": ("Discard", "放弃"),
    "key.add": ("Add", "添加"),
    "key.add_current": ("Add open", "添加当前"),
    "key.remove": ("Remove", "移除"),
    "key.sort": ("Sort", "排序"),
    "key.reverse": ("Reverse", "反向"),
    "key.edit": ("Edit", "编辑"),
    "key.next_play": ("Play", "切换打法"),
    "key.add_folder": ("Add folder", "添加文件夹"),
    "key.close": ("Close", "关闭"),
    "key.command_palette": ("Palette", "命令"),
    "cmd.command_palette": ("Command palette: every command", "命令面板：全部命令"),
    # -- command palette ----------------------------------------------------------------
    "cmd.language_title": ("Language: English / 中文", "语言：English / 中文"),
    "cmd.help": ("Show keys, fields and how scoring works", "显示快捷键、字段说明与评分方法"),
    "cmd.new": ("Start a new profile", "新建档案"),
    "cmd.open": ("Open a profile file", "打开档案文件"),
    "cmd.save": ("Save the profile to its file", "保存档案"),
    "cmd.save_as": ("Save the profile to a new file", "将档案保存为新文件"),
    "cmd.compare": ("Compare several profiles side by side", "并排比较多个档案"),
    "cmd.whatif": ("Try changes against the saved profile", "对比已保存档案试算修改"),
    "cmd.language": ("Switch between English and Chinese", "切换中英文"),
    "cmd.report": ("Export the result as a Markdown report", "将结果导出为 Markdown 报告"),
    "cmd.screenshot": ("Export an SVG screenshot of the screen", "导出当前屏幕的 SVG 截图"),
    "cmd.results": ("Move focus between the form and the results", "在表单与结果之间切换焦点"),
    "cmd.quit": ("Quit gtmcompass", "退出 gtmcompass"),
    # -- help ---------------------------------------------------------------------------
    "help.title": ("gtmcompass help", "gtmcompass 帮助"),
    "help.keys": ("Keys", "快捷键"),
    "help.fields": ("Fields", "字段"),
    "help.scoring": ("How the result is made", "结果如何得出"),
    "help.sources": ("Sources", "资料来源"),
    "help.col.key": ("Key", "按键"),
    "help.col.action": ("What it does", "作用"),
    "help.col.field": ("Field", "字段"),
    "help.col.meaning": ("Meaning", "含义"),
    "help.intro": (
        "Fill in the profile on the left; the recommendation on the right follows every valid "
        "change. Each score is a sum of criterion points, and every criterion cites facts from "
        "two 2024 Chinese articles. Tab moves between fields, F7 jumps to the results, and "
        "ctrl+p lists every command.",
        "在左侧填写档案，右侧的推荐会随每次有效修改即时更新。每个得分都是各评估项得分之和，"
        "每个评估项都引用两篇2024年中文文章中的事实。Tab 在字段间移动，F7 跳到结果区，"
        "ctrl+p 列出全部命令。",
    ),
}


def tr(key: str, lang: str, **values: object) -> str:
    """The text for ``key`` in ``lang`` (``en`` or ``zh``), with ``{name}`` fields filled."""
    text = _T[key][1 if lang == "zh" else 0]
    return text.format(**values) if values else text


def has(key: str) -> bool:
    return key in _T


def keys() -> tuple[str, ...]:
    return tuple(_T)


def other(lang: str) -> str:
    return "en" if lang == "zh" else "zh"
