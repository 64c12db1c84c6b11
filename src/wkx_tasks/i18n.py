"""Words shown to people, in Chinese first and English on request."""

from __future__ import annotations

from typing import Literal

Lang = Literal["zh", "en"]

_LABELS: dict[str, tuple[str, str]] = {
    "id": ("编号", "ID"),
    "section": ("部分", "Section"),
    "title": ("工作措施", "Measure"),
    "description": ("内容", "Description"),
    "lead": ("牵头部门", "Lead"),
    "cooperating": ("配合部门", "Cooperating"),
    "due": ("完成时间", "Due"),
    "due_text": ("原定时间节点", "Deadline as written"),
    "original_due": ("原定期限", "Original due"),
    "status": ("状态", "Status"),
    "timing": ("逾期/剩余", "Overdue/left"),
    "completed": ("完成日期", "Completed"),
    "verified": ("核验", "Verified"),
    "progress": ("进度", "Progress"),
    "milestones": ("节点", "Milestones"),
    "updates": ("进展记录", "Updates"),
    "urgings": ("督办记录", "Urgings"),
    "last_update": ("最近进展", "Last update"),
    "file": ("文件", "File"),
    "total": ("共", "Total"),
    "overdue": ("逾期", "Overdue"),
    "due_soon": ("{days} 天内到期", "Due within {days} days"),
    "ongoing": ("常规推进", "Ongoing"),
    "as_of": ("截至", "As of"),
    "no_rows": ("没有符合条件的工作措施。", "No measures match."),
    "days_overdue": ("逾期 {n} 天", "{n} days overdue"),
    "day_overdue": ("逾期 {n} 天", "{n} day overdue"),
    "days_left": ("剩 {n} 天", "{n} days left"),
    "day_left": ("剩 {n} 天", "{n} day left"),
    "due_today": ("今天到期", "due today"),
    "ongoing_due": ("按各项目常规安排进行", "ongoing"),
    "problems": ("以下文件有问题，未计入：", "These files have problems and were left out:"),
    "valid": ("全部 {n} 项工作措施及计划、部门文件检查通过。", "All {n} measures, the plan and the department list are valid."),
    "history_when": ("时间", "Date"),
    "history_commit": ("提交", "Commit"),
    "changes": ("变更", "Changes"),
    "message": ("提交说明", "Message"),
    "field": ("字段", "Field"),
    "value": ("当前值", "Value"),
    "no_events": ("没有符合条件的修改记录。", "No changes match."),
    "update_unchanged": ("{path}：无需修改（该工作措施已是如此）", "{path}: nothing to change (the measure already reads so)"),
    "update_committed": ("已提交 {commit}：{message}", "committed {commit}: {message}"),
    "new_added": ("{path}：已添加第 {id} 项工作措施", "{path}: added measure {id}"),
    "no_field_changed": ("（值未变：仅注释或格式）", "(no value changed: comments or layout only)"),
    "not_committed": ("（尚未提交）", "(not committed)"),
    "created": ("新建", "created"),
    "modified": ("修改", "modified"),
    "deleted": ("删除", "deleted"),
    "renamed": ("重命名", "renamed"),
    "延期": ("延期", "deadline extended"),
    "提前": ("提前", "deadline brought forward"),
    "reopened": ("重新打开", "reopened"),
    # --- reports -------------------------------------------------------------------------------------
    "report_title": ("工作进展报告", "Status report"),
    "paren": ("（{n}）", " ({n})"),
    "colon": ("：", ": "),
    "semicolon": ("；", "; "),
    "list_sep": ("、", ", "),
    "plan": ("方案", "Plan"),
    "generated": ("生成时间", "Generated"),
    "commit": ("版本", "Commit"),
    "no_commit": ("无（不在 git 仓库中）", "none (not in a git repository)"),
    "uncommitted": ("另有未提交的修改", "plus uncommitted changes"),
    "department": ("部门", "Department"),
    "headline": ("总体情况", "Headline"),
    "item": ("项目", "Item"),
    "count": ("数量", "Count"),
    "stale": ("{days} 天以上无进展", "No update for {days}+ days"),
    "overdue_section": ("逾期事项", "Overdue measures"),
    "ongoing_section": ("常规推进事项", "Ongoing measures"),
    "sections_section": ("各部分进展", "Progress by section"),
    "matrix_section": ("部门责任分工", "Responsibility by department"),
    "changes_section": ("本期变更", "Changes in the period"),
    "timeline_section": ("时间进度", "Timeline"),
    "chart_section": ("各部分状态", "Status by section"),
    "measures_section": ("全部工作措施", "All measures"),
    "details_section": ("附：工作措施内容", "Appendix: the measures in full"),
    "days_overdue_col": ("逾期天数", "Days overdue"),
    "days_left_col": ("剩余天数", "Days left"),
    "days_since_update": ("未更新天数", "Days without update"),
    "last_update_date": ("最近进展日期", "Last update date"),
    "role_lead": ("牵头", "lead"),
    "role_cooperating": ("配合", "coop."),
    "lead_count": ("牵头项数", "Leads"),
    "cooperating_count": ("配合项数", "Cooperates on"),
    "overdue_as_lead": ("牵头逾期", "Overdue as lead"),
    "done_pct": ("完成率", "Done"),
    "avg_progress": ("平均进度", "Average progress"),
    "none": ("无。", "None."),
    "never": ("从未更新", "never"),
    "since_issued": ("自印发起 {n} 天", "{n} days since issue"),
    "period": ("期间", "Period"),
    "changes_not_requested": ("未指定期间；用 --since 日期 或 --since 7d 列出变更。", "No period given; use --since DATE or --since 7d to list changes."),
    "changes_unavailable": ("变更记录不可用：{reason}", "Changes not available: {reason}"),
    "no_changes": ("本期没有变更。", "No changes in the period."),
    "reason_not_git": ("数据不在 git 仓库中，没有历史可读。", "the tracker is not in a git repository, so there is no history to read."),
    "reason_shallow": (
        "当前为浅克隆，请完整克隆（CI 中 actions/checkout 设 fetch-depth: 0）。",
        "the clone is shallow; clone with full history (in CI: actions/checkout with fetch-depth: 0).",
    ),
    "reason_no_commits": ("仓库还没有提交。", "the repository has no commits yet."),
    "when": ("时间", "When"),
    "author": ("修改人", "Author"),
    "kind": ("类型", "Kind"),
    "change": ("变更内容", "Change"),
    "deadline_move": ("期限调整", "deadline moved"),
    "reopening": ("重新打开", "reopened"),
    "status_changes": ("状态变更", "Status changes"),
    "deadline_moves": ("期限调整", "Deadline moves"),
    "reopenings": ("重新打开", "Reopenings"),
    "yes": ("是", "yes"),
    "legend": ("图例", "Legend"),
    "state_overdue": ("逾期", "overdue"),
    "state_due_soon": ("即将到期", "due soon"),
    "state_open": ("未到期", "on schedule"),
    "state_ongoing": ("常规推进", "ongoing"),
    "state_done": ("已完成", "done"),
    "state_cancelled": ("已取消", "cancelled"),
    "sheet_overview": ("概览", "Overview"),
    "sheet_measures": ("任务", "Measures"),
    "sheet_departments": ("部门", "Departments"),
    "sheet_overdue": ("逾期", "Overdue"),
    "sheet_changes": ("变更", "Changes"),
    "report_problems": ("以下 {n} 个文件有问题，未计入本报告：", "{n} problem(s) in the tracker's files; the measures concerned are left out:"),
}

_STATUS: dict[str, tuple[str, str]] = {
    "not_started": ("未开始", "not started"),
    "in_progress": ("进行中", "in progress"),
    "done": ("已完成", "done"),
    "blocked": ("受阻", "blocked"),
    "cancelled": ("已取消", "cancelled"),
}


def label(key: str, lang: Lang = "zh", **fields: object) -> str:
    zh, en = _LABELS[key]
    text = zh if lang == "zh" else en
    return text.format(**fields) if fields else text


def status_label(status: str, lang: Lang = "zh") -> str:
    zh, en = _STATUS.get(status, (status, status))
    return zh if lang == "zh" else en


KINDS = ("created", "modified", "deleted", "renamed")


def kind_label(kind: str, lang: Lang = "zh") -> str:
    """新建/修改/删除/重命名 for a history event's kind (one of KINDS); anything else as it is."""
    return label(kind, lang) if kind in KINDS else kind


def timing_label(row: dict[str, object], lang: Lang = "zh") -> str:
    """'逾期 31 天' / '剩 5 天' / '' for a JSON row of a measure."""
    days_overdue = row.get("days_overdue")
    days_left = row.get("days_left")
    if isinstance(days_overdue, int):
        return label("day_overdue" if days_overdue == 1 else "days_overdue", lang, n=days_overdue)
    if isinstance(days_left, int):
        if days_left == 0:
            return label("due_today", lang)
        return label("day_left" if days_left == 1 else "days_left", lang, n=days_left)
    return ""


def labels(lang: Lang = "zh") -> dict[str, str]:
    """Every label in one language, for templates (`L.overdue`); labels with fields keep their {placeholders}."""
    return {key: (zh if lang == "zh" else en) for key, (zh, en) in _LABELS.items()}


def status_labels(lang: Lang = "zh") -> dict[str, str]:
    return {key: (zh if lang == "zh" else en) for key, (zh, en) in _STATUS.items()}
