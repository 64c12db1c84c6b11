"""JSON Schemas of the data files, built from the models and the tracker's own codes, for editors and CI.

Editors (VS Code and JetBrains through yaml-language-server, or check-jsonschema in CI) read YAML 1.2 with their
own parser: `id: 1` is a number there, while wkx reads every scalar as text and lets the models coerce it. The
schemas therefore accept both spellings where wkx does (`id: 1` and `id: '1'`), so that a file wkx accepts is not
marked wrong in the editor, and they name the tracker's department codes, sections and statuses as enums, so the
editor completes them and marks an unknown one before wkx ever runs.

What a schema cannot say is left to `wkx validate`: that a month or date is real (2013-13), that ids match file
names, that a department is not both lead and cooperating, that updates are in date order; and the YAML 1.1
readings wkx warns about (`no`, `010`) are plain values to a YAML 1.2 parser.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path, PurePosixPath
from typing import Any

from .errors import UsageError
from .files import OutsideTracker, atomic_write
from .messages import msg
from .models import Departments, Plan, Task

SCHEMA_DIR = "schema"
JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
# Which schema checks which data file (paths relative to the tracker's root, always with '/').
KINDS = ("task", "departments", "plan")
TASK_GLOB = "data/tasks/*.yaml"
DATA_FILE_KIND = {"data/plan.yaml": "plan", "data/departments.yaml": "departments"}
MODELINE_PREFIX = "# yaml-language-server: $schema="

_TASK_HELP = {
    "id": "编号：工作措施的序号，与文件名中的数字一致。The measure's number; matches the file name.",
    "section": "部分：计划中的一个部分，与 data/plan.yaml 一致。One of the plan's sections.",
    "title": "工作措施：通知原文的标题。The measure's title, as the notice words it.",
    "description": "内容：通知原文。The notice's words.",
    "lead": "牵头部门的简码（见 data/departments.yaml）。Codes of the lead departments.",
    "cooperating": "配合部门的简码（见 data/departments.yaml）。Codes of the cooperating departments.",
    "due": "完成时间：2013-12（月底前）、2013-12-15 或 ongoing。A month, a day or ongoing.",
    "due_text": "原定时间节点（通知原文）。The deadline as the notice words it.",
    "original_due": "延期前的完成时间。The deadline before an approved extension.",
    "status": "状态：not_started 未开始、in_progress 进行中、done 已完成、blocked 受阻、cancelled 已取消。",
    "completed": "完成日期 YYYY-MM-DD；status 为 done 时必填。Required when status is done.",
    "verified": "核验：调宣部对已完成事项的核验。The supervisor's check of a reported completion.",
    "progress": "进度 0–100。Progress in percent.",
    "milestones": "节点。Milestones.",
    "updates": "进展记录，按日期从早到晚。The progress log, oldest first.",
    "urgings": "督办记录。Supervision reminders.",
}
_STATUS_HELP = {
    "not_started": "未开始",
    "in_progress": "进行中",
    "done": "已完成",
    "blocked": "受阻",
    "cancelled": "已取消",
}


def schema_file(kind: str) -> str:
    """The schema's file name, such as task.schema.json."""
    return f"{kind}.schema.json"


def kind_of(relpath: str) -> str | None:
    """Which schema checks the data file at relpath (relative to the root), or None if it is not a data file."""
    if relpath in DATA_FILE_KIND:
        return DATA_FILE_KIND[relpath]
    if PurePosixPath(relpath).match(TASK_GLOB):
        return "task"
    return None


def modeline(relpath: str) -> str:
    """The first line of a data file: where yaml-language-server finds its schema, relative to the file."""
    kind = kind_of(relpath)
    if kind is None:
        raise ValueError(f"{relpath} is not a data file")
    depth = len(PurePosixPath(relpath).parts) - 1
    return f"{MODELINE_PREFIX}{'../' * depth}{SCHEMA_DIR}/{schema_file(kind)}"


def _integer_or_digits(schema: dict[str, Any], pattern: str) -> dict[str, Any]:
    """An integer, or the same number written in quotes: wkx reads both."""
    return {"anyOf": [schema, {"type": "string", "pattern": pattern}]}


def _strip_titles(node: Any) -> Any:
    # Pydantic titles ("Id", "Due Text") say nothing the key does not; editors show descriptions instead.
    if isinstance(node, dict):
        return {k: _strip_titles(v) for k, v in node.items() if not (k == "title" and isinstance(v, str))}
    if isinstance(node, list):
        return [_strip_titles(v) for v in node]
    return node


def _status_enum(defs: dict[str, Any]) -> None:
    status = defs["Status"]
    status["description"] = "状态 / status"
    status["enumDescriptions"] = [f"{_STATUS_HELP.get(s, s)} ({s})" for s in status["enum"]]


def task_schema(departments: Departments, plan: Plan) -> dict[str, Any]:
    schema = _strip_titles(copy.deepcopy(Task.model_json_schema()))
    props, defs = schema["properties"], schema["$defs"]
    codes = [d.code for d in departments.departments]
    defs["DepartmentCode"] = {
        "type": "string",
        "enum": codes,
        "enumDescriptions": [d.name for d in departments.departments],
        "description": "部门简码，见 data/departments.yaml / a department code",
    }
    _status_enum(defs)
    for key in ("lead", "cooperating"):
        props[key]["items"] = {"$ref": "#/$defs/DepartmentCode"}
        props[key]["uniqueItems"] = True
    # `cooperating:` with nothing after it means none.
    props["cooperating"] = {"anyOf": [{k: v for k, v in props["cooperating"].items() if k != "default"}, {"type": "null"}], "default": []}
    props["section"] = {"type": "string", "enum": list(plan.sections)}
    props["id"] = _integer_or_digits({"type": "integer", "exclusiveMinimum": 0}, r"^[1-9][0-9]*$")
    percent = {"type": "integer", "minimum": 0, "maximum": 100}
    percent_text = r"^(100|[1-9]?[0-9])$"
    props["progress"] = {"anyOf": [*_integer_or_digits(percent, percent_text)["anyOf"], {"type": "null"}]}
    defs["Update"]["properties"]["progress"] = props["progress"]
    for key, text in _TASK_HELP.items():
        props[key]["description"] = text
    # The models' rule that a done measure names its completion date, so the editor marks it too.
    schema["allOf"] = [{"if": {"properties": {"status": {"const": "done"}}, "required": ["status"]}, "then": {"required": ["completed"]}}]
    return {"$schema": JSON_SCHEMA_DIALECT, "title": f"{plan.number} 工作措施 / a measure (data/tasks/NN.yaml)", **schema}


def departments_schema() -> dict[str, Any]:
    schema = _strip_titles(copy.deepcopy(Departments.model_json_schema()))
    dept = schema["$defs"]["Department"]["properties"]
    dept["code"]["description"] = "简码：名称的拼音首字母，小写。Lower-case letters and digits."
    dept["name"]["description"] = "名称，与通知原文一致。The name as the notice writes it."
    dept["kind"]["description"] = "department 机关部室；unit 直属单位；group 通知中的统称。"
    dept["kind"]["enumDescriptions"] = ["机关部室", "直属单位", "统称（可列 members）"]
    dept["members"]["description"] = "统称所含部门的简码（仅 group）。Member codes (groups only)."
    return {"$schema": JSON_SCHEMA_DIALECT, "title": "部门 / departments (data/departments.yaml)", **schema}


def plan_schema() -> dict[str, Any]:
    schema = _strip_titles(copy.deepcopy(Plan.model_json_schema()))
    props = schema["properties"]
    props["number"]["description"] = "文号，如 武科协〔2013〕48号。"
    props["issued"]["description"] = "印发日期 YYYY-MM-DD。"
    props["timezone"]["description"] = "判断逾期所用的时区（IANA 名称），如 Asia/Shanghai。"
    props["sections"]["description"] = "各部分标题，按原文顺序。"
    return {"$schema": JSON_SCHEMA_DIALECT, "title": "计划 / the plan (data/plan.yaml)", **schema}


def build(departments: Departments, plan: Plan) -> dict[str, dict[str, Any]]:
    """The three schemas, by kind."""
    return {"task": task_schema(departments, plan), "departments": departments_schema(), "plan": plan_schema()}


def render(schema: dict[str, Any]) -> bytes:
    """A schema as the committed file holds it: indented JSON, Chinese as characters, one newline at the end."""
    return (json.dumps(schema, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def write(departments: Departments, plan: Plan, out_dir: Path, *, within: Path | None = None) -> list[Path]:
    """Write the three schemas into out_dir (created if missing), each atomically; returns the paths written.

    `within` (the tracker's root, for its own schema/ folder) refuses a folder that leads outside it, as
    files.atomic_write does. A folder that cannot be made or written is a UsageError naming it.
    """
    if out_dir.exists() and not out_dir.is_dir():
        raise UsageError(msg("schema.out_is_file", path=str(out_dir)))
    written = []
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        for kind, schema in build(departments, plan).items():
            path = out_dir / schema_file(kind)
            atomic_write(path, render(schema), within=within)
            written.append(path)
    except OutsideTracker as exc:
        raise UsageError(msg("schema.outside", path=str(out_dir), reason=exc.msg)) from None
    except OSError as exc:
        raise UsageError(msg("schema.cannot_write", path=str(out_dir), detail=str(exc.strerror or exc))) from None
    return written
