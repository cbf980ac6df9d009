"""``gtmcompass report``: one profile's verdict and everything behind it, for someone who has
never used the tool, as Markdown or as one self-contained HTML file, in English or Chinese.

:func:`build_report` gathers the verdict, confidence and its distribution, play scores, the
recommended play's contributions, red flags, flips, the action plan and the stability
intervals into one JSON-ready document; :func:`render_markdown` and :func:`render_html` only
lay that document out, so both formats say the same thing. Charts in the HTML report are
inline SVG drawn here (play scores, confidence distribution, contributions, tornado), with
inline CSS and no scripts, fonts or links to fetch: the file opens the same offline.
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable

import numpy as np

from gtmcompass.decide.actions import action_plan
from gtmcompass.decide.flips import find_flips
from gtmcompass.decide.playbook import play_label, side_label
from gtmcompass.decide.sensitivity import stability_intervals
from gtmcompass.decide.unblock import PARTNER_EVIDENCE, unblock
from gtmcompass.model.catalogue import load_evidence
from gtmcompass.model.profile import Profile
from gtmcompass.model.wording import text
from gtmcompass.scoring.decision import Decision, decisions
from gtmcompass.scoring.engine import Engine
from gtmcompass.scoring.features import PLAYS
from gtmcompass.vocab.escape import fit, html_text, md_cell, md_text, terminal_safe
from gtmcompass.vocab.i18n import tr

FORMATS = ("markdown", "html")
# The tornado's axis runs from 0x to this many times each weight; longer bars are cut, marked.
TORNADO_MAX = 3.0
# How many criteria the "why this play over the runner-up" table lists.
VERSUS_ROWS = 6

WORDS: dict[str, dict[str, str]] = {
    "en": {
        "title": "gtmcompass report: {name}",
        "intro": "This report says whether {name} should go To-B or To-C, through which play, "
                 "and why. Every score traces to facts from two 2024 articles on Chinese AI "
                 "startups (listed at the end, with their own words).",
        "meta": "Source: {source} · weight set: {weights} · catalogue {version} · "
                "USD 1 = CNY {rate}",
        "verdict": "Verdict",
        "verdict_text": "Go **{side}**, through **{label}**: {score} of 100.",
        "runner_text": "Next best: {runner_label} with {runner_score}, {lead} points behind.",
        "sides_text": "To-B scores {to_b}, To-C {to_c}.",
        "confidence": "Confidence",
        "confidence_text": "{pct} %: under {samples} plausible weightings of the criteria "
                           "(each weight varied around its value), {play} stays on top in "
                           "{wins} of them. How often each play comes out on top:",
        "scores": "Play scores",
        "scores_text": "Each play is scored 0-100 as the share of its criteria's weight the "
                       "company earns.",
        "play": "Play", "meaning": "What it means", "score": "Score", "wins": "Wins",
        "contributions": "What drives the score of {play}",
        "contributions_text": "Points each criterion earns {play} out of the most it could "
                              "earn; the points add up to the score exactly.",
        "criterion": "Criterion", "points": "Points", "of": "Of", "evidence": "Evidence",
        "versus": "Why {play} and not {runner}",
        "versus_text": "The criteria that separate the two plays most (points each earns).",
        "flags": "Red flags",
        "flags_none": "No red flag is raised.",
        "severity": {"high": "high", "warning": "warning"},
        "flips": "What would flip it",
        "flips_text": "The smallest change to one field, and the best change to two, after "
                      "which another play (or the other side) would win. Sizes are measured "
                      "against each field's range; every change shown was re-scored by the "
                      "verdict rule, blockers included, and wins by at least 0.15 points: "
                      "scores are shown to 0.1, so a smaller lead could show as a tie or the "
                      "wrong way round. Levers move only the way a founder would (raise, hire, "
                      "deliver, certify, grow; cut burn or CAC).",
        "flips_levers": "Levers the company can pull",
        "flips_structural": "Pivots and fixed facts (not quick to change)",
        "target_play": "For {target} to win",
        "target_side": "For {target} to win",
        "one_field": "One field", "two_fields": "Two fields", "none": "none within the ranges searched",
        "colon": ": ", "open": " (", "close": ")",
        "no_flip": "no change to one or two fields within the searched ranges does it",
        "no_flips": "No change to one or two fields makes another play win: the verdict is "
                    "robust to the levers searched.",
        "plan": "Action plan for {play}",
        "plan_text": "The gaps that cost {play} most and the red flags raised, each with a "
                     "move the articles support. Made together, the moves that can be shown "
                     "in a profile take {play} from {before} to {after}.",
        "gap": "Gap", "flag": "Red flag",
        "loses": "loses {lost} points",
        "move": "Move", "implies": "Implied change", "worth": "worth {gain} points to {play}",
        "advice": "advice only: no profile field shows it",
        "not_applied": "not counted: it would lower {play} under these weights",
        "no_move": "the playbook has no move for this under {play}",
        "sensitivity": "How stable is the verdict",
        "sensitivity_text": "Each bar shows how far one of {play}'s weights can move, as a "
                            "multiple of its current value with every other weight held, "
                            "before another play wins. Short bars are the weights the verdict "
                            "depends on; the line marks today's weight (1x).",
        "weight": "Weight", "holds": "Verdict holds from", "to": "to",
        "takes_over": "Takes over", "no_limit": "no limit",
        "runner_weights": "Weights of the runner-up, {runner}",
        "evidence_title": "Evidence",
        "evidence_text": "Facts cited above, from {a} and {b}.",
        "method": "How to read this",
    },
    "zh": {
        "title": "gtmcompass 报告：{name}",
        "intro": "本报告说明{name}应做To B还是To C、采用哪种打法以及原因。每一项得分都可追溯到两篇"
                 "2024年关于中国AI创企的文章中的事实（文末列出原文）。",
        "meta": "来源：{source} · 权重集：{weights} · 目录版本 {version} · 1美元 = {rate}元",
        "verdict": "结论",
        "verdict_text": "建议做**{side}**，采用**{label}**：{score}分（满分100）。",
        "runner_text": "次优：{runner_label}，{runner_score}分，落后{lead}分。",
        "sides_text": "To B得分{to_b}，To C得分{to_c}。",
        "confidence": "置信度",
        "confidence_text": "{pct}%：在{samples}组合理的准则权重下（每个权重围绕当前值变动），"
                           "{play}有{wins}组仍居首位。各打法居首的比例：",
        "scores": "各打法得分",
        "scores_text": "每种打法的得分（0-100）是公司在该打法各准则权重中获得的比例。",
        "play": "打法", "meaning": "含义", "score": "得分", "wins": "居首比例",
        "contributions": "{play}的得分构成",
        "contributions_text": "每个准则为{play}获得的分数及其满分；各项相加正好等于总分。",
        "criterion": "准则", "points": "得分", "of": "满分", "evidence": "依据",
        "versus": "为什么是{play}而不是{runner}",
        "versus_text": "两种打法差距最大的准则（各自得分）。",
        "flags": "风险警示",
        "flags_none": "没有触发风险警示。",
        "severity": {"high": "高", "warning": "警告"},
        "flips": "什么会改变结论",
        "flips_text": "改变一个字段的最小变化，以及改变两个字段的最佳组合，使另一种打法（或另一端）胜出。"
                      "变化大小按各字段的取值范围衡量；所列每项变化都已按判定规则（含门槛）重新评分验证，"
                      "且领先至少0.15分：分数显示到0.1，更小的领先可能显示为平局甚至反向。"
                      "杠杆只朝创始人会选择的方向变动（融资、招人、交付、取得资质、增长；降低支出或获客成本）。",
        "flips_levers": "公司可以调整的杠杆",
        "flips_structural": "转型与既定事实（难以快速改变）",
        "target_play": "使{target}胜出",
        "target_side": "使{target}胜出",
        "one_field": "一个字段", "two_fields": "两个字段", "none": "搜索范围内没有",
        "colon": "：", "open": "（", "close": "）",
        "no_flip": "在搜索范围内，改变一到两个字段都无法做到",
        "no_flips": "改变一到两个字段都不会让其他打法胜出：在所搜索的杠杆范围内，结论稳健。",
        "plan": "{play}的行动计划",
        "plan_text": "{play}失分最多的短板和触发的风险警示，每项都附有文章支持的举措。"
                     "可在画像中体现的举措全部落实后，{play}将从{before}分提高到{after}分。",
        "gap": "短板", "flag": "风险警示",
        "loses": "失分{lost}",
        "move": "举措", "implies": "对应变化", "worth": "为{play}增加{gain}分",
        "advice": "仅为建议：画像中没有对应字段",
        "not_applied": "未计入：在当前权重下会降低{play}的得分",
        "no_move": "行动库中没有针对{play}的举措",
        "sensitivity": "结论有多稳定",
        "sensitivity_text": "每条横条表示在其他权重不变时，{play}的某个权重可以在当前值的多少倍之间变动"
                            "而结论不变。横条越短，结论越依赖该权重；竖线为当前权重（1倍）。",
        "weight": "权重", "holds": "结论保持：从", "to": "到",
        "takes_over": "接替者", "no_limit": "无上限",
        "runner_weights": "次优打法{runner}的权重",
        "evidence_title": "依据",
        "evidence_text": "上文引用的事实，出自{a}和{b}。",
        "method": "如何阅读本报告",
    },
}


def _fmt(value: float, decimals: int = 1) -> str:
    return f"{value:.{decimals}f}"


def _parts_shown(parts: list[float], total: float) -> list[str]:
    """``parts`` to one decimal such that they add up to ``total`` as shown (largest
    remainder): 10.04 + 10.04 shows as 10.1 + 10.0 when the total shows as 20.1."""
    if not parts:
        return []
    tenths = np.array(parts, dtype=float) * 10.0
    floors = np.floor(tenths + 1e-9)
    want = int(round(float(f"{total:.1f}") * 10.0))
    extra = int(want - floors.sum())
    order = np.argsort(-(tenths - floors), kind="stable")
    if extra > 0:
        floors[order[:extra]] += 1
    elif extra < 0:
        floors[order[::-1][:-extra]] -= 1
    return [f"{v / 10:.1f}" for v in floors]


def _factor(value: float, lang: str) -> str:
    if math.isinf(value):
        return WORDS[lang]["no_limit"]
    return tr("value.factor", lang, n=f"{value:.2f}")


# -- the document ---------------------------------------------------------------------------


def build_report(engine: Engine, profile: Profile, source: str = "", lang: str = "en",
                 decision: Decision | None = None) -> dict:
    """Everything the report shows, as one JSON-ready dict (see the module docstring).

    The verdict, scores, statuses, blockers, missing keys and confidence are the core
    ``Decision``'s (``decision``, or the engine's for ``profile``): the report recomputes
    none of them. Flip search, what to fix first, the action plan and the stability
    intervals run under the engine's current weights; ``weights`` records which set.
    """
    w = WORDS[lang]
    cat = engine.catalogue
    d = decision or decisions(engine, engine.score([profile]), [profile.name])[0]
    play = d.play
    p = PLAYS.index(play)
    scores = np.array([d.scores[pl] for pl in PLAYS])
    # The runner-up competes under the same rule: another open play for a go verdict.
    rivals = [q for q in range(len(PLAYS)) if q != p
              and (d.verdict != "go" or not d.blockers[PLAYS[q]])]
    rivals = rivals or [q for q in range(len(PLAYS)) if q != p]
    runner = max(rivals, key=lambda q: scores[q])
    points = np.stack([d.points(pl) for pl in PLAYS])
    unknown = d.unknown
    full = 100.0 * engine.share
    raised_ids = set(d.flags)
    requirement = {r.id: r for r in engine.requirements}

    contributions = [
        {"criterion": c.id, "label": text(c, lang), "family": c.family,
         "points": float(points[p, j]), "max": float(full[p, j]),
         "weight": float(engine.signed[p, j]), "evidence": list(c.evidence),
         "unknown": bool(unknown[j])}
        for j, c in enumerate(engine.criteria) if full[p, j] > 0
    ]
    contributions.sort(key=lambda r: -r["max"])
    # Shown to 0.1, the points add up to the score shown and the maxima to 100.
    for key, total in (("points", float(scores[p])), ("max", 100.0)):
        for r, text_ in zip(contributions, _parts_shown([r[key] for r in contributions], total)):
            r[f"{key}_shown"] = text_
    diff = points[p] - points[runner]
    versus = [
        {"criterion": engine.criteria[j].id, "label": text(engine.criteria[j], lang),
         "play_points": float(points[p, j]), "runner_points": float(points[runner, j]),
         "evidence": list(engine.criteria[j].evidence)}
        for j in np.argsort(-np.abs(diff), kind="stable")[:VERSUS_ROWS] if abs(diff[j]) > 0.05
    ]
    flags = [
        {"id": f.id, "label": text(f, lang), "severity": f.severity,
         "rationale": text(f, lang, "rationale"), "evidence": list(f.evidence)}
        for f in engine.flags if f.id in raised_ids
    ]
    flags.sort(key=lambda f: f["severity"] != "high")
    flips = find_flips(engine, profile)
    plan = action_plan(engine, profile, lang)
    sens = stability_intervals(engine, profile)
    fix = unblock(engine, profile) if d.verdict == "not_yet" else None
    plays = [
        {"play": pl, "label": play_label(pl, lang), "status": d.status[pl],
         "status_label": tr(f"status.{d.status[pl]}", lang),
         "blockers": [{"id": r, "name": text(requirement[r], lang),
                       "evidence": list(requirement[r].evidence)} for r in d.blockers[pl]]}
        for pl in PLAYS
    ]

    def tornado_rows(target: str) -> list[dict]:
        return [{**s.to_dict(), "label": text(cat.criterion_by_id(s.criterion), lang),
                 "evidence": list(cat.criterion_by_id(s.criterion).evidence)}
                for s in sens.tornado(target)]

    doc = {
        "name": profile.name, "source": source, "lang": lang,
        "weights": engine.weights_name, "catalogue_version": cat.version,
        "cny_per_usd": engine.cny_per_usd, "samples": engine.samples,
        "as_of": d.as_of.isoformat(),
        "verdict": {
            "verdict": d.verdict, "word": tr(f"verdict.{d.verdict}", lang),
            "play": play, "side": d.side, "play_label": play_label(play, lang),
            "side_label": side_label(d.side, lang), "score": float(scores[p]),
            "to_b": float(d.to_b), "to_c": float(d.to_c),
            "confidence": float(d.confidence or 0.0), "runner_up": PLAYS[runner],
            "runner_label": play_label(PLAYS[runner], lang),
            "runner_score": float(scores[runner]),
            "runner_blocked": bool(d.blockers[PLAYS[runner]]),
        },
        "missing": list(d.missing),
        "plays": plays,
        "unblock": fix.to_dict(lang) if fix is not None else None,
        "scores": {pl: float(s) for pl, s in zip(PLAYS, scores)},
        "play_labels": {pl: play_label(pl, lang) for pl in PLAYS},
        "side_labels": {sd: side_label(sd, lang) for sd in ("to_b", "to_c")},
        "win_share": {pl: float(d.win_shares[pl]) for pl in PLAYS},
        "contributions": contributions,
        "versus": versus,
        "flags": flags,
        "flips": flips.to_dict(lang),
        "plan": plan.to_dict(),
        "tornado": tornado_rows(play),
        "runner_tornado": tornado_rows(PLAYS[runner]),
        "explanations": [text(e, lang) for e in cat.explanation],
    }
    if d.committee is not None:
        from gtmcompass.decide.committee import committee_lines

        doc["committee"] = d.committee
        doc["committee_lines"] = committee_lines(d.committee, play, lang)
    doc["evidence"] = _evidence(doc, lang)
    doc["title"] = w["title"].format(name=profile.name)
    return doc


def _evidence(doc: dict, lang: str) -> list[dict]:
    """Every fact the report cites, in the order first cited, with the article's own words."""
    ids: list[str] = []
    for row in doc["contributions"] + doc["versus"] + doc["flags"] + doc["tornado"]:
        ids.extend(row["evidence"])
    for item in doc["plan"]["items"]:
        ids.extend(item["evidence"])
    for row in doc["plays"]:
        for b in row["blockers"]:
            ids.extend(b["evidence"])
    if doc["unblock"]:
        for b in doc["unblock"]["blockers"]:
            ids.extend(b["evidence"])
            if b["partner_route"]:
                ids.extend(PARTNER_EVIDENCE)
    ev = load_evidence()
    out = []
    for fid in dict.fromkeys(ids):
        fact = ev.fact_by_id(fid)
        article = ev.article_by_id(fact.article)
        out.append({"id": fid, "file": article.file, "article": article.title,
                    "text": text(fact, lang), "quote": fact.quote})
    return sorted(out, key=lambda f: (f["id"][0], int(f["id"][1:])))


# -- shared wording -----------------------------------------------------------------------------


def _verdict_lines(doc: dict, lang: str, bold: Callable[[str], str]) -> list[str]:
    w, v = WORDS[lang], doc["verdict"]
    lines = [tr("report.verdict_line", lang, word=bold(v["word"]))]
    score = _fmt(v["score"])
    if v["verdict"] == "go":
        first = w["verdict_text"].replace("**{side}**", bold("{side}")).replace(
            "**{label}**", bold("{label}"))
        lines.append(first.format(side=v["side_label"], label=v["play_label"], score=score))
        runner_score = _fmt(v["runner_score"])
        if v["runner_blocked"]:
            lines.append(tr("report.runner_blocked", lang, runner=v["runner_label"],
                            runner_score=runner_score))
        else:
            # The lead is the difference of the two figures shown, so the line adds up.
            lead = _fmt(float(score) - float(runner_score))
            lines.append(w["runner_text"].format(runner_label=v["runner_label"],
                                                 runner_score=runner_score, lead=lead))
    elif v["verdict"] == "not_yet":
        lines.append(tr("report.not_yet_text", lang, play=v["play_label"], score=score))
    else:
        lines.append(tr("report.insufficient_play", lang, play=v["play_label"], score=score))
    lines.append(w["sides_text"].format(to_b=_fmt(v["to_b"]), to_c=_fmt(v["to_c"])))
    lines.append(tr("report.as_of", lang, day=doc["as_of"]))
    return lines


def _confidence_line(doc: dict, lang: str) -> str:
    v = doc["verdict"]
    line = WORDS[lang]["confidence_text"].format(
        pct=round(100 * v["confidence"]), samples=f"{doc['samples']:,}", play=v["play_label"],
        wins=f"{round(v['confidence'] * doc['samples']):,}")
    if v["verdict"] != "go":
        line = tr("report.confidence_caveat", lang) + " " + line
    return line


def _lead(doc: dict, lang: str) -> tuple[str, str, list[str]] | None:
    """The section a not_yet or insufficient_data report opens with: heading, text, items."""
    v = doc["verdict"]
    if v["verdict"] == "not_yet" and doc["unblock"]:
        fix = doc["unblock"]
        items = []
        for b in fix["blockers"]:
            item = f"{b['name']} [{', '.join(b['evidence'])}]{WORDS[lang]['colon']}{b['fix']}"
            if b["partner_route"]:
                item += " " + tr("unblock.partner", lang)
            items.append(item)
        items.append(fix["text"])
        return (tr("report.fix_first", lang),
                tr("report.fix_first_text", lang, play=v["play_label"], score=_fmt(v["score"])),
                items)
    if v["verdict"] == "insufficient_data":
        return (tr("report.insufficient", lang), tr("report.insufficient_text", lang),
                [f"`{k}`" for k in doc["missing"]]
                + [tr("report.insufficient_play", lang, play=v["play_label"],
                      score=_fmt(v["score"]))])
    return None


def _target_label(doc: dict, target: dict) -> str:
    if target["target_kind"] == "play":
        return doc["play_labels"][target["target"]]
    return doc["side_labels"][target["target"]]


def _blocker_text(row: dict) -> str:
    return "; ".join(f"{b['name']} ({', '.join(b['evidence'])})" for b in row["blockers"])


def _plan_lines(item: dict, play: str, lang: str) -> tuple[str, list[str]]:
    """The item's heading and its detail lines (move, change, worth) in words."""
    w = WORDS[lang]
    colon, op, cl = w["colon"], w["open"], w["close"]
    kind = w["gap"] if item["kind"] == "gap" else w["flag"]
    head = f"{kind}{colon}{item['label']}"
    if item["kind"] == "gap":
        head += f"{op}{w['loses'].format(lost=_fmt(item['lost']))}{cl}"
    else:
        head += f"{op}{w['severity'][item['severity']]}{cl}"
    lines = []
    if not item["action"]:
        lines.append(w["no_move"].format(play=play))
        return head, lines
    lines.append(f"{w['move']}{colon}{item['move']}")
    if item["changes"]:
        change = "; ".join(c["text"] for c in item["changes"])
        worth = w["worth"].format(gain=f"{item['gain']:+.1f}", play=play)
        note = "" if item["applied"] or item["gain"] >= 0 else (
            " — " + w["not_applied"].format(play=play))
        lines.append(f"{w['implies']}{colon}{change}{op}{worth}{cl}{note}")
    else:
        lines.append(f"{w['implies']}{colon}{w['advice']}")
    return head, lines


def _flip_groups(doc: dict) -> list[tuple[str, list[dict]]]:
    flips = doc["flips"]
    return [("flips_levers", flips["levers"]), ("flips_structural", flips["structural"])]


def _has_flips(doc: dict) -> bool:
    return any(t["single"] or t["pair"] for _, group in _flip_groups(doc) for t in group)


# -- Markdown -----------------------------------------------------------------------------------


def _text_bar(value: float, top: float, width: int = 24) -> str:
    filled = 0 if top <= 0 else round(width * max(0.0, min(value, top)) / top)
    return "█" * filled + "░" * (width - filled)


def _text_tornado(lo: float, hi: float, width: int = 30) -> str:
    cells = []
    for i in range(width):
        x = (i + 0.5) / width * TORNADO_MAX
        mark = "█" if lo <= x <= hi else "·"
        cells.append(mark)
    one = min(width - 1, int(1.0 / TORNADO_MAX * width))
    cells[one] = "┃"
    tail = "→" if hi > TORNADO_MAX else " "
    return "".join(cells) + tail


def render_markdown(doc: dict) -> str:
    """The report as Markdown (GitHub-flavoured tables; charts as text bars)."""
    lang = doc["lang"]
    w = WORDS[lang]
    v = doc["verdict"]
    play, runner = v["play"], v["runner_up"]
    # Sentences and headings name plays in words; tables keep the ids next to their names.
    pname, rname = v["play_label"], v["runner_label"]
    # The name, source and weight set's name are user text (vocab.escape.md_text); the rest
    # of every line is ours and only needs its table pipes and line breaks escaped.
    out = [f"# {w['title'].format(name=md_text(doc['name']))}", ""]
    lead = _lead(doc, lang)
    if lead:
        heading, para, items = lead
        out += [f"## {md_cell(heading)}", "", md_cell(para), ""]
        out += [f"- {md_cell(item)}" for item in items]
        out.append("")
    out += [w["intro"].format(name=md_text(doc["name"])), "",
           "_" + w["meta"].format(source=md_text(doc["source"]) if doc["source"] else "-",
                                  weights=md_text(doc["weights"]),
                                  version=doc["catalogue_version"],
                                  rate=doc["cny_per_usd"]) + "_", ""]
    out += [f"## {w['verdict']}", ""]
    for line in _verdict_lines(doc, lang, lambda s: f"**{s}**"):
        out += [md_cell(line), ""]
    # Partners' names are user text.
    for line in doc.get("committee_lines", ()):
        out += [md_text(line), ""]
    out += [f"## {w['confidence']}", "", _confidence_line(doc, lang), "", "```"]
    out += [f"{pl:<11} {_text_bar(doc['win_share'][pl], 1.0)} {round(100 * doc['win_share'][pl]):>3} %"
            for pl in PLAYS]
    out += ["```", "", f"## {w['scores']}", "", w["scores_text"], "",
            (f"| {w['play']} | {w['meaning']} | {w['score']} | {w['wins']} | "
             f"{tr('report.status', lang)} | {tr('report.blockers', lang)} |"),
            "|---|---|---:|---:|---|---|"]
    for pl, row in zip(PLAYS, doc["plays"]):
        name = f"**{pl}**" if pl == play else pl
        out.append(f"| {name} | {md_cell(doc['play_labels'][pl])} | {_fmt(doc['scores'][pl])} | "
                   f"{round(100 * doc['win_share'][pl])} % | {row['status_label']} | "
                   f"{md_cell(_blocker_text(row)) or '-'} |")
    out += ["", "```"]
    out += [f"{pl:<11} {_text_bar(doc['scores'][pl], 100.0)} {_fmt(doc['scores'][pl]):>5}"
            for pl in PLAYS]
    out += ["```", "", f"## {w['contributions'].format(play=pname)}", "",
            w["contributions_text"].format(play=pname), "",
            f"| {w['criterion']} | {w['points']} | {w['of']} | | {w['evidence']} |",
            "|---|---:|---:|---|---|"]
    for r in doc["contributions"]:
        out.append(f"| {md_cell(r['label'])} (`{r['criterion']}`) | {r['points_shown']} | "
                   f"{r['max_shown']} | `{_text_bar(r['points'], r['max'], 10)}` | "
                   f"{', '.join(r['evidence'])} |")
    if doc["versus"]:
        out += ["", f"## {w['versus'].format(play=pname, runner=rname)}", "",
                w["versus_text"], "",
                f"| {w['criterion']} | {play} | {runner} | {w['evidence']} |",
                "|---|---:|---:|---|"]
        for r in doc["versus"]:
            out.append(f"| {md_cell(r['label'])} | {_fmt(r['play_points'])} | "
                       f"{_fmt(r['runner_points'])} | {', '.join(r['evidence'])} |")
    out += ["", f"## {w['flags']}", ""]
    if not doc["flags"]:
        out.append(w["flags_none"])
    for f in doc["flags"]:
        out += [(f"- **{md_cell(f['label'])}** (`{f['id']}`, {w['severity'][f['severity']]}): "
                f"{md_cell(f['rationale'])} [{', '.join(f['evidence'])}]")]
    out += ["", f"## {w['flips']}", "", w["flips_text"], ""]
    if not _has_flips(doc):
        out.append(w["no_flips"])
    else:
        for key, group in _flip_groups(doc):
            out += [f"### {w[key]}", ""]
            for t in group:
                label = w["target_play" if t["target_kind"] == "play" else "target_side"]
                head = f"- **{label.format(target=_target_label(doc, t))}**"
                if not (t["single"] or t["pair"]):
                    out.append(f"{head}{w['colon']}{w['no_flip']}")
                    continue
                out.append(head)
                for which, flip in ((w["one_field"], t["single"]), (w["two_fields"], t["pair"])):
                    said = md_cell(flip["text"]) if flip else w["none"]
                    out.append(f"  - {which}{w['colon']}{said}")
            out.append("")
    plan = doc["plan"]
    out += [f"## {w['plan'].format(play=pname)}", "",
            w["plan_text"].format(play=pname, before=_fmt(plan["score_before"]),
                                  after=_fmt(plan["score_after"])), ""]
    for i, item in enumerate(plan["items"], start=1):
        head, lines = _plan_lines(item, pname, lang)
        out.append(f"{i}. **{md_cell(head)}**")
        out += [f"   - {md_cell(line)}" for line in lines]
        out.append(f"   - {w['evidence']}{w['colon']}{', '.join(item['evidence'])}")
    out += ["", f"## {w['sensitivity']}", "", w["sensitivity_text"].format(play=pname), ""]
    if v["verdict"] == "not_yet":
        out += [tr("report.sensitivity_tier", lang, play=pname), ""]
    out += [
            "```", f"{'':<30} 0x{'':<8}1x{'':<9}2x{'':<8}3x"]
    for r in doc["tornado"]:
        low, high = r["factors"]
        high = math.inf if high == "inf" else high
        out.append(f"{r['criterion'][:30]:<30} {_text_tornado(low, high)}")
    out += ["```", ""]
    for title, rows in ((None, doc["tornado"]),
                        (w["runner_weights"].format(runner=rname), doc["runner_tornado"])):
        if title:
            out += [f"### {title}", ""]
        out += [(f"| {w['criterion']} | {w['weight']} | {w['holds']} | {w['to']} | "
                f"{w['takes_over']} |"), "|---|---:|---:|---:|---|"]
        for r in rows:
            out.append(_md_interval_row(r, lang))
        out.append("")
    out += [f"## {w['evidence_title']}", "",
            w["evidence_text"].format(a="`seeds/000_da34b1de3c976f6f.txt`",
                                      b="`seeds/002_cda6e28b55802c38.txt`"), ""]
    for f in doc["evidence"]:
        out.append(f"- **{f['id']}** ({md_cell(f['article'])}): {md_cell(f['text'])} "
                   f"— 「{md_cell(f['quote'])}」")
    out += ["", f"## {w['method']}", ""]
    out += [f"- {md_cell(e)}" for e in doc["explanations"]]
    return "\n".join(out) + "\n"


def _md_interval_row(r: dict, lang: str) -> str:
    low, high = r["factors"]
    high = math.inf if high == "inf" else high
    taker = r["above"] or r["below"] or "-"
    return (f"| {md_cell(r['label'])} | {r['weight']:g} | {_factor(low, lang)} | "
            f"{_factor(high, lang)} | {taker} |")


# -- HTML ---------------------------------------------------------------------------------------

_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI","PingFang SC","Noto Sans CJK SC",sans-serif;
max-width:960px;margin:2em auto;padding:0 1em;color:#1d2330;line-height:1.5;
overflow-wrap:anywhere}
h1{font-size:1.7em;margin-bottom:.2em}h2{margin-top:2em;border-bottom:1px solid #d8dce6;
padding-bottom:.2em}.meta{color:#5b6475;font-size:.9em}.verdict{font-size:1.15em;
background:#f1f5ff;border-left:4px solid #2f5bd3;padding:.6em 1em}
table{border-collapse:collapse;width:100%;margin:.8em 0}th,td{border-bottom:1px solid #e3e6ee;
padding:.3em .5em;text-align:left;vertical-align:top}td.n,th.n{text-align:right}
.best{font-weight:700}.flag-high{color:#b3261e;font-weight:700}.flag-warning{color:#8a5a00;
font-weight:700}.muted{color:#5b6475}.ev{font-family:ui-monospace,monospace;font-size:.9em}
li{margin:.3em 0}svg{display:block;margin:.6em 0;max-width:100%;height:auto}
blockquote{margin:.2em 0 .6em 1em;color:#3d4556}
"""
_INK, _ACCENT, _LIGHT, _GOOD = "#1d2330", "#2f5bd3", "#c9d3ee", "#2f5bd3"


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def _html_fmt(template: str, user: dict[str, object], **ours: object) -> str:
    """``template`` in HTML with ``user`` values (names, file names) escaped and isolated by
    :func:`html_text`, and ``ours`` escaped."""
    return _e(template).format(**{k: html_text(v) for k, v in user.items()},
                               **{k: _e(v) for k, v in ours.items()})


def _svg(width: int, height: int, body: list[str], title: str) -> str:
    return (f'<svg width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}" role="img" aria-label="{_e(title)}">'
            f"<title>{_e(title)}</title>{''.join(body)}</svg>")


def _n(value: float) -> str:
    # Pixel positions: whole numbers as they are, computed ones to 0.1 px.
    return str(value) if isinstance(value, int) else f"{value:.1f}"


def _bar_row(y: int, label: str, label_w: int, font: int, text_dy: int,
             bars: list[tuple[float, float, str, str]], bar_dy: int, bar_h: int,
             note: tuple[float, str] | None) -> str:
    """One row of a bar chart: the label right-aligned before ``label_w``, then each bar
    ``(x, width, fill, extra attributes)``, then an optional ``(x, text)`` note after them."""
    # Labels are cut at 40 characters, about the 300 px left of the bars at 12 px.
    out = [(f'<text x="{label_w - 8}" y="{y + text_dy}" text-anchor="end" font-size="{font}" '
            f'fill="{_INK}">{_e(fit(label, 40, cells=False))}</text>')]
    out += [f'<rect x="{_n(x)}" y="{y + bar_dy}" width="{_n(width)}" height="{bar_h}" '
            f'fill="{fill}"{extra}/>' for x, width, fill, extra in bars]
    if note is not None:
        out.append(f'<text x="{_n(note[0])}" y="{y + text_dy}" font-size="{font}" '
                   f'fill="{_INK}">{_e(note[1])}</text>')
    return "".join(out)


def svg_bars(rows: list[tuple[str, float, bool]], top: float, title: str,
             fmt: Callable[[float], str] = _fmt) -> str:
    """Horizontal bars: (label, value, highlighted) on a 0..top scale."""
    label_w, bar_w, row_h = 150, 420, 26
    body = []
    for i, (label, value, strong) in enumerate(rows):
        length = 0.0 if top <= 0 else bar_w * max(0.0, min(value, top)) / top
        body.append(_bar_row(6 + i * row_h, label, label_w, 13, 15,
                             [(label_w, bar_w, "#f0f2f7", ""),
                              (label_w, float(length), _ACCENT if strong else _LIGHT, "")],
                             3, 16, (label_w + bar_w + 8, fmt(value))))
    return _svg(label_w + bar_w + 70, 12 + len(rows) * row_h, body, title)


def svg_contributions(rows: list[dict], title: str) -> str:
    """Each criterion's points earned (dark) out of its most (light), on one scale."""
    label_w, bar_w, row_h = 300, 360, 22
    top = max((r["max"] for r in rows), default=1.0)
    body = []
    for i, r in enumerate(rows):
        full = float(bar_w * r["max"] / top)
        got = float(bar_w * r["points"] / top)
        shown = (f'{r.get("points_shown", _fmt(r["points"]))} / '
                 f'{r.get("max_shown", _fmt(r["max"]))}')
        body.append(_bar_row(4 + i * row_h, r["label"], label_w, 12, 14,
                             [(label_w, full, _LIGHT, ""), (label_w, got, _ACCENT, "")],
                             3, 14, (label_w + full + 6, shown)))
    return _svg(label_w + bar_w + 90, 8 + len(rows) * row_h, body, title)


def svg_tornado(rows: list[dict], title: str) -> str:
    """Stability intervals as multiples of each weight, 0x..3x, with a line at 1x."""
    label_w, axis_w, row_h = 300, 380, 22
    scale = axis_w / TORNADO_MAX
    height = 30 + len(rows) * row_h
    body = []
    for k in range(int(TORNADO_MAX) + 1):
        x = label_w + k * scale
        body.append(f'<line x1="{x:.1f}" y1="18" x2="{x:.1f}" y2="{height - 4}" '
                    f'stroke="#e3e6ee"/><text x="{x:.1f}" y="13" font-size="11" '
                    f'text-anchor="middle" fill="#5b6475">{k}x</text>')
    for i, r in enumerate(rows):
        low, high = r["factors"]
        high = math.inf if high == "inf" else high
        x0 = float(label_w + low * scale)
        x1 = float(label_w + min(high, TORNADO_MAX) * scale)
        body.append(_bar_row(22 + i * row_h, r["label"], label_w, 12, 13,
                             [(x0, max(x1 - x0, 1.0), _GOOD, ' fill-opacity="0.75"')], 2, 14,
                             (x1 + 4, "→") if high > TORNADO_MAX else None))
    one = label_w + scale
    body.append(f'<line x1="{one:.1f}" y1="18" x2="{one:.1f}" y2="{height - 4}" '
                f'stroke="{_INK}" stroke-width="2"/>')
    return _svg(label_w + axis_w + 40, height, body, title)


def render_html(doc: dict) -> str:
    """The report as one self-contained HTML page (inline CSS and SVG, no scripts)."""
    lang = doc["lang"]
    w = WORDS[lang]
    v = doc["verdict"]
    play, runner = v["play"], v["runner_up"]
    # Sentences and headings name plays in words; tables keep the ids next to their names.
    pname, rname = v["play_label"], v["runner_label"]
    parts = [(f'<!DOCTYPE html><html lang="{tr("report.html_lang_code", lang)}"><head>'
             f'<meta charset="utf-8"><meta name="viewport" content="width=device-width">'
             # <title> holds text only (no <bdi>), so there controls are shown escaped.
             f"<title>{_e(terminal_safe(doc['title']))}</title><style>{_CSS}</style>"
             "</head><body>"),
             f"<h1>{_html_fmt(w['title'], {'name': doc['name']})}</h1>"]
    lead = _lead(doc, lang)
    if lead:
        heading, para, items = lead
        parts += [f'<section class="lead"><h2>{_e(heading)}</h2>', f"<p>{_e(para)}</p>", "<ul>"]
        parts += [f"<li>{_e(item)}</li>" for item in items]
        parts += ["</ul></section>"]
    meta = _html_fmt(w["meta"], {"source": doc["source"] or "-", "weights": doc["weights"]},
                     version=doc["catalogue_version"], rate=doc["cny_per_usd"])
    parts += [f"<p>{_html_fmt(w['intro'], {'name': doc['name']})}</p>",
             f'<p class="meta">{meta}</p>',
             f"<h2>{_e(w['verdict'])}</h2>", '<div class="verdict">']
    bold_open, bold_close = "\x00", "\x01"
    for line in _verdict_lines(doc, lang, lambda s: f"{bold_open}{s}{bold_close}"):
        parts.append("<p>" + _e(line).replace(bold_open, "<strong>").replace(
            bold_close, "</strong>") + "</p>")
    parts += [f"<p>{_e(line)}</p>" for line in doc.get("committee_lines", ())]
    parts += ["</div>", f"<h2>{_e(w['confidence'])}</h2>",
              f"<p>{_e(_confidence_line(doc, lang))}</p>",
              svg_bars([(pl, doc["win_share"][pl], pl == play) for pl in PLAYS], 1.0,
                       w["confidence"], lambda x: f"{round(100 * x)} %"),
              f"<h2>{_e(w['scores'])}</h2>", f"<p>{_e(w['scores_text'])}</p>",
              svg_bars([(pl, doc["scores"][pl], pl == play) for pl in PLAYS], 100.0,
                       w["scores"]),
              (f"<table><tr><th>{_e(w['play'])}</th><th>{_e(w['meaning'])}</th>"
              f'<th class="n">{_e(w["score"])}</th><th class="n">{_e(w["wins"])}</th>'
              f"<th>{_e(tr('report.status', lang))}</th>"
              f"<th>{_e(tr('report.blockers', lang))}</th></tr>")]
    for pl, row in zip(PLAYS, doc["plays"]):
        cls = ' class="best"' if pl == play else ""
        parts.append(f"<tr{cls}><td>{_e(pl)}</td><td>{_e(doc['play_labels'][pl])}</td>"
                     f'<td class="n">{_fmt(doc["scores"][pl])}</td>'
                     f'<td class="n">{round(100 * doc["win_share"][pl])} %</td>'
                     f"<td>{_e(row['status_label'])}</td>"
                     f"<td>{_e(_blocker_text(row) or '-')}</td></tr>")
    parts += ["</table>", f"<h2>{_e(w['contributions'].format(play=pname))}</h2>",
              f"<p>{_e(w['contributions_text'].format(play=pname))}</p>",
              svg_contributions(doc["contributions"], w["contributions"].format(play=pname)),
              (f"<table><tr><th>{_e(w['criterion'])}</th><th class=\"n\">{_e(w['points'])}</th>"
              f"<th class=\"n\">{_e(w['of'])}</th><th>{_e(w['evidence'])}</th></tr>")]
    for r in doc["contributions"]:
        parts.append(f"<tr><td>{_e(r['label'])} <span class=\"muted\">({_e(r['criterion'])})"
                     f"</span></td><td class=\"n\">{r['points_shown']}</td>"
                     f"<td class=\"n\">{r['max_shown']}</td>"
                     f"<td class=\"ev\">{_e(', '.join(r['evidence']))}</td></tr>")
    parts.append("</table>")
    if doc["versus"]:
        parts += [f"<h2>{_e(w['versus'].format(play=pname, runner=rname))}</h2>",
                  f"<p>{_e(w['versus_text'])}</p>",
                  (f"<table><tr><th>{_e(w['criterion'])}</th><th class=\"n\">{_e(play)}</th>"
                  f"<th class=\"n\">{_e(runner)}</th><th>{_e(w['evidence'])}</th></tr>")]
        for r in doc["versus"]:
            parts.append(f"<tr><td>{_e(r['label'])}</td><td class=\"n\">"
                         f"{_fmt(r['play_points'])}</td><td class=\"n\">"
                         f"{_fmt(r['runner_points'])}</td><td class=\"ev\">"
                         f"{_e(', '.join(r['evidence']))}</td></tr>")
        parts.append("</table>")
    parts.append(f"<h2>{_e(w['flags'])}</h2>")
    if not doc["flags"]:
        parts.append(f"<p>{_e(w['flags_none'])}</p>")
    else:
        parts.append("<ul>")
        for f in doc["flags"]:
            parts.append(f'<li><span class="flag-{_e(f["severity"])}">{_e(f["label"])}</span> '
                         f'({_e(w["severity"][f["severity"]])}): {_e(f["rationale"])} '
                         f'<span class="ev">[{_e(", ".join(f["evidence"]))}]</span></li>')
        parts.append("</ul>")
    parts += [f"<h2>{_e(w['flips'])}</h2>", f"<p>{_e(w['flips_text'])}</p>"]
    if not _has_flips(doc):
        parts.append(f"<p>{_e(w['no_flips'])}</p>")
    else:
        for key, group in _flip_groups(doc):
            parts += [f"<h3>{_e(w[key])}</h3>", "<ul>"]
            for t in group:
                label = w["target_play" if t["target_kind"] == "play" else "target_side"]
                head = f"<strong>{_e(label.format(target=_target_label(doc, t)))}</strong>"
                if not (t["single"] or t["pair"]):
                    parts.append(f"<li>{head}{_e(w['colon'] + w['no_flip'])}</li>")
                    continue
                parts.append(f"<li>{head}<ul>")
                for which, flip in ((w["one_field"], t["single"]), (w["two_fields"], t["pair"])):
                    said = flip["text"] if flip else w["none"]
                    parts.append(f"<li>{_e(which + w['colon'] + said)}</li>")
                parts.append("</ul></li>")
            parts.append("</ul>")
    plan = doc["plan"]
    parts += [f"<h2>{_e(w['plan'].format(play=pname))}</h2>",
              f"<p>{_e(w['plan_text'].format(play=pname, before=_fmt(plan['score_before']), after=_fmt(plan['score_after'])))}</p>",
              "<ol>"]
    for item in plan["items"]:
        head, lines = _plan_lines(item, pname, lang)
        parts.append(f"<li><strong>{_e(head)}</strong><ul>")
        parts += [f"<li>{_e(line)}</li>" for line in lines]
        parts.append(f'<li>{_e(w["evidence"] + w["colon"])}<span class="ev">'
                     f'{_e(", ".join(item["evidence"]))}</span></li></ul></li>')
    parts += ["</ol>", f"<h2>{_e(w['sensitivity'])}</h2>",
              f"<p>{_e(w['sensitivity_text'].format(play=pname))}</p>",
              (f"<p>{_e(tr('report.sensitivity_tier', lang, play=pname))}</p>"
               if v["verdict"] == "not_yet" else ""),
              svg_tornado(doc["tornado"], w["sensitivity"])]
    for title, rows in ((None, doc["tornado"]),
                        (w["runner_weights"].format(runner=rname), doc["runner_tornado"])):
        if title:
            parts.append(f"<h3>{_e(title)}</h3>")
        parts.append(f"<table><tr><th>{_e(w['criterion'])}</th><th class=\"n\">"
                     f"{_e(w['weight'])}</th><th class=\"n\">{_e(w['holds'])}</th>"
                     f"<th class=\"n\">{_e(w['to'])}</th><th>{_e(w['takes_over'])}</th></tr>")
        for r in rows:
            low, high = r["factors"]
            high = math.inf if high == "inf" else high
            taker = r["above"] or r["below"] or "-"
            parts.append(f"<tr><td>{_e(r['label'])}</td><td class=\"n\">{r['weight']:g}</td>"
                         f"<td class=\"n\">{_e(_factor(low, lang))}</td>"
                         f"<td class=\"n\">{_e(_factor(high, lang))}</td>"
                         f"<td>{_e(taker)}</td></tr>")
        parts.append("</table>")
    parts += [f"<h2>{_e(w['evidence_title'])}</h2>",
              f"<p>{_e(w['evidence_text'].format(a='seeds/000_da34b1de3c976f6f.txt', b='seeds/002_cda6e28b55802c38.txt'))}</p>",
              "<ul>"]
    for f in doc["evidence"]:
        parts.append(f'<li id="fact-{_e(f["id"])}"><strong>{_e(f["id"])}</strong> '
                     f'<span class="muted">({_e(f["article"])}, {_e(f["file"])})</span>: '
                     f'{_e(f["text"])}<blockquote lang="zh">「{_e(f["quote"])}」</blockquote></li>')
    parts += ["</ul>", f"<h2>{_e(w['method'])}</h2>", "<ul>"]
    parts += [f"<li>{_e(e)}</li>" for e in doc["explanations"]]
    parts += ["</ul></body></html>"]
    return "\n".join(parts) + "\n"


def report_text(engine: Engine, profile: Profile, fmt: str = "markdown", lang: str = "en",
                source: str = "") -> str:
    """The whole report for one profile as Markdown or HTML text."""
    doc = build_report(engine, profile, source, lang)
    return render_html(doc) if fmt == "html" else render_markdown(doc)
