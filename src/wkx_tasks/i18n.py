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
    "when": ("时间", "Date"),
    "commit": ("提交", "Commit"),
    "author": ("修改人", "Author"),
    "kind": ("类型", "Kind"),
    "changes": ("变更", "Changes"),
    "message": ("提交说明", "Message"),
    "field": ("字段", "Field"),
    "value": ("当前值", "Value"),
    "no_events": ("没有符合条件的修改记录。", "No changes match."),
    "uncommitted": ("（尚未提交）", "(not committed)"),
    "created": ("新建", "created"),
    "modified": ("修改", "modified"),
    "deleted": ("删除", "deleted"),
    "renamed": ("重命名", "renamed"),
    "延期": ("延期", "deadline extended"),
    "提前": ("提前", "deadline brought forward"),
    "reopened": ("重新打开", "reopened"),
    "invalid": ("发现 {n} 个问题。", "{n} problems found."),
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
