"""The message catalogue: every sentence wkx says about a problem or an error, in Chinese and in English.

A message is a stable key plus its fields (`Msg`); it is worded only when shown, in the run's language (Chinese
unless `--lang en` or `language = "en"` in wkx.toml), so that a problem found once — and kept in the record cache
or the status index — reads in either language. The key doubles as the problem's `code` in
`wkx validate --format json`, for scripts that must not depend on the wording.

Both wordings of a key take the same fields (tests/test_messages.py checks it). A field may itself be a message
(a hint, a reason), worded in the same language. File paths, field names, codes and values are kept as they are.
The Chinese wording keeps the English one's advice; its separators are full-width (：；，).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, Union

from .i18n import Lang

FieldValue = Union[str, int, float, None, "Msg"]

_LANGUAGE: ContextVar[Lang] = ContextVar("wkx_language", default="zh")


def set_language(lang: Lang) -> None:
    """The language messages are worded in from now on (the CLI sets it once it knows the run's language)."""
    _LANGUAGE.set("en" if lang == "en" else "zh")


def current_language() -> Lang:
    return _LANGUAGE.get()


@contextmanager
def language(lang: Lang) -> Iterator[None]:
    """Messages worded in lang within the block (one CLI invocation), as before it afterwards."""
    token = _LANGUAGE.set("en" if lang == "en" else "zh")
    try:
        yield
    finally:
        _LANGUAGE.reset(token)


def language_in_args(args: list[str]) -> Lang:
    """The language of what is said before the options are parsed and wkx.toml is read: the command line's
    (`--lang en`, `--lang=en`, `--lang zh`), else the environment's (WKX_LANGUAGE=en), else zh."""
    return language_asked(args) or "zh"


def language_asked(args: list[str]) -> Lang | None:
    """The language the command line or the environment (WKX_LANGUAGE) asks for, if any; None when neither does."""
    for i, arg in enumerate(args):
        if arg == "--":
            break
        if arg.startswith("--lang="):
            return "en" if arg == "--lang=en" else "zh"
        if arg == "--lang" and i + 1 < len(args):
            return "en" if args[i + 1] == "en" else "zh"
    wanted = os.environ.get("WKX_LANGUAGE")
    return None if wanted is None else ("en" if wanted == "en" else "zh")


@dataclass(frozen=True, slots=True)
class Msg:
    """A message: its catalogue key and fields; `render` words it in a language."""

    key: str
    fields: tuple[tuple[str, FieldValue], ...] = ()

    def render(self, lang: Lang | None = None) -> str:
        lang = lang or _LANGUAGE.get()
        zh, en = CATALOGUE[self.key]
        values = {name: value.render(lang) if isinstance(value, Msg) else value for name, value in self.fields}
        return (en if lang == "en" else zh).format(**values)

    def __str__(self) -> str:
        return self.render()

    @property
    def code(self) -> str:
        """The key scripts can match: a message that only names the field ('field': '{name}: {detail}') gives
        its detail's key, which says what is wrong."""
        if self.key == "field":
            detail = dict(self.fields).get("detail")
            if isinstance(detail, Msg):
                return detail.code
        return self.key

    def as_data(self) -> tuple[Any, ...]:
        """Tuples, strings and numbers only (for marshal): a nested message is a tuple, no other field is."""
        return (self.key, tuple((name, value.as_data() if isinstance(value, Msg) else value) for name, value in self.fields))

    @classmethod
    def from_data(cls, data: tuple[Any, ...]) -> Msg:
        key, fields = data
        return cls(key, tuple((name, cls.from_data(value) if isinstance(value, tuple) else value) for name, value in fields))


def msg(key: str, /, **fields: FieldValue) -> Msg:
    """The message `key` of the catalogue with its fields; an unknown key is a bug, caught here."""
    if key not in CATALOGUE:
        raise KeyError(f"no message {key!r} in the catalogue")
    return Msg(key, tuple(fields.items()))


def count_msg(n: int, one: str, many: str, /, **fields: FieldValue) -> Msg:
    """`one` when n is 1, else `many` (English needs the plural; Chinese words both alike)."""
    return msg(one if n == 1 else many, n=n, **fields)


def render(message: Msg | str, lang: Lang | None = None) -> str:
    return message.render(lang) if isinstance(message, Msg) else message


# key -> (Chinese, English). Grouped by the module that says it.
CATALOGUE: dict[str, tuple[str, str]] = {
    # --- shared pieces -----------------------------------------------------------------------------------------
    "did_you_mean": ("（是不是 '{word}'？）", " (did you mean '{word}'?)"),
    "none": ("无", "none"),
    "field": ("{name}：{detail}", "{name}: {detail}"),
    "truncated": ("{start} ……（中间略去 {left:,} 个字符）…… {end}", "{start} … ({left:,} characters left out) … {end}"),
    "problems.one": ("数据文件中有 {n} 个问题", "{n} problem in the tracker's files"),
    "problems.many": ("数据文件中有 {n} 个问题", "{n} problems in the tracker's files"),
    "completion.installed": (
        "{shell} 的补全已装入 {path}；此后新开的终端中即可使用",
        "{shell} completion installed in {path}; it works in terminals opened from now on",
    ),
    "completion.not_installed": (
        "无法装入 {shell} 的补全（{detail}）；请用 `wkx --show-completion {shell}` 打印脚本，自行加入",
        "could not install {shell} completion ({detail}); print the script with `wkx --show-completion {shell}` and add it yourself",
    ),
    "schema.no_stdout": (
        "-o -：wkx schema 要写三个文件，不能写到标准输出；请给一个文件夹，例如 -o schema",
        "-o -: wkx schema writes three files and cannot write them to standard output; name a folder, such as -o schema",
    ),
    # --- what `wkx update` did (its output and its commit message) ------------------------------------------------
    "update.note_added": ("新增进展记录", "note added"),
    "update.removed_on_reopen": ("已删除 '{key}'（工作措施重新打开）", "removed '{key}' (the measure is reopened)"),
    "update.set_completed": (
        "已写入 completed: {date}（今天；用 --completed DATE 可指定别的日期）",
        "set completed: {date} (today; --completed DATE gives another day)",
    ),
    "update.set_progress": ("已把 progress 设为 100（原为 {was}）", "set progress: 100 (was {was})"),
    "update.kept_original_due": ("原截止时间 {due} 已记为 original_due", "kept the first deadline as original_due: {due}"),
    "update.removed_original_due": ("已删除 original_due（截止时间改回了它）", "removed original_due (the deadline is back to it)"),
    "system_refused": (
        "系统拒绝了操作（{detail}）；请检查磁盘空间、输出写到哪里以及权限；数据文件的现状可用 `git status` 查看",
        "the system refused ({detail}); check the free disk space, where the output goes and the permissions; `git status` shows what became of the data files",
    ),
    "cli.aborted": ("已中止。", "Aborted."),
    "locks.no_folder": (
        "无法建立存放文件锁的文件夹 {folder}（{detail}）；请把 TMPDIR 或 XDG_CACHE_HOME 设为可写的文件夹",
        "cannot make the folder for file locks {folder} ({detail}); set TMPDIR or XDG_CACHE_HOME to a folder you can write to",
    ),
    # --- mistakes on the command line (what Typer finds while parsing) ---------------------------------------------
    "cli.usage": ("{said}；运行 `{command} --help` 查看用法", "{said}; `{command} --help` shows how to use it"),
    "cli.usage.no_such_option": ("没有选项 {option}{hint}", "no such option {option}{hint}"),
    "cli.usage.option_after_command": (
        "{option} 是各命令自己的选项，要写在命令之后，例如 {example}",
        "{option} is an option of the commands and goes after the command, such as {example}",
    ),
    "cli.usage.no_such_command": ("没有命令 '{command}'{hint}", "no such command '{command}'{hint}"),
    "cli.usage.missing": ("缺少 {name}", "{name} is missing"),
    "cli.usage.needs_value": ("选项 {option} 后面要写一个值", "option {option} needs a value after it"),
    "cli.usage.missing_command": ("缺少命令（例如 status、list、validate）", "a command is missing (such as status, list, validate)"),
    "cli.usage.takes_no_value": ("选项 {option} 不带值；只写 {option}", "option {option} takes no value; write {option} alone"),
    "cli.usage.option_as_value": (
        "{option} 后面要写它的值，而 '{value}' 是一个选项；请在 {option} 后补上值（运行 `{command} --help` 查看用法）",
        "{option} needs its value, but '{value}' is an option; put the value after {option} (`{command} --help` shows how to use it)",
    ),
    "cli.usage.extra": ("多余的参数：{args}", "unexpected extra argument(s): {args}"),
    "cli.usage.not_one_of": ("{option}：'{value}' 不是可选值（{choices}）之一{hint}", "{option}: '{value}' is not one of {choices}{hint}"),
    "cli.usage.not_integer": ("{option} 要写一个整数", "{option} takes a whole number"),
    "cli.usage.at_least": ("{option} 不能小于 {n}", "{option} must be at least {n}"),
    "cli.usage.bad_value": ("{option} 的值不对：{detail}", "{option}: {detail}"),
    "cli.usage.other": ("命令行有误：{detail}", "{detail}"),
    "internal_error": (
        "内部错误（{kind}: {detail}）。这是 wkx 的缺陷：请加 --debug 再运行一次命令，并报告它输出的内容。",
        "internal error ({kind}: {detail}). This is a bug in wkx: run the command again with --debug and report what it prints.",
    ),
    "validate.invalid.one": ("发现 {n} 个问题。", "{n} problem found."),
    "validate.invalid": ("发现 {n} 个问题。", "{n} problems found."),
    # --- reading a file's bytes and its YAML (yamlio.py) -----------------------------------------------------
    "yaml.too_big": (
        "文件大小为 {size:,} 字节，超过数据文件 {limit:,} 字节的上限；请确认是否放错了文件",
        "file is {size:,} bytes, over the {limit:,}-byte limit for a data file; is it the right file?",
    ),
    "yaml.text_too_big": ("文字超过数据文件 {limit:,} 字节的上限", "text is over the {limit:,}-byte limit for a data file"),
    "yaml.utf32": ("文件以 UTF-32 编码保存；请改存为 UTF-8", "the file is saved as UTF-32; save it as UTF-8"),
    "yaml.utf16": (
        "文件以 UTF-16 编码保存（记事本中称为 'Unicode'）；请改存为 UTF-8",
        "the file is saved as UTF-16 (what Notepad calls 'Unicode'); save it as UTF-8",
    ),
    "yaml.binary": ("这是二进制文件，不是 YAML 文本；请将其移出数据文件夹", "binary file, not YAML text; move it out of the tracker's data folder"),
    "yaml.gbk": (
        "文件似乎是 GBK/GB18030 编码（中文 Windows 的编码）；请改存为 UTF-8",
        "the file looks like GBK/GB18030 (a Chinese Windows encoding); save it as UTF-8",
    ),
    "yaml.not_utf8": ("文件不是 UTF-8 文本；请改存为 UTF-8", "the file is not UTF-8 text; save it as UTF-8"),
    "yaml.conflict": (
        "有未解决的合并冲突标记；请保留需要的行、删除冲突标记，然后运行 wkx validate",
        "unresolved merge conflict marker; keep the lines you want, delete the markers, then run wkx validate",
    ),
    "yaml.stray_bom": (
        "有不可见字符 {char}（多余的字节顺序标记 BOM）；请删除它，或在纯文本编辑器中重新输入这一行",
        "invisible character {char} (a stray byte-order mark); delete it, or retype the line in a plain-text editor",
    ),
    "yaml.line_separator": (
        "有不可见字符 {char}（YAML 视为换行、但编辑器不显示的行分隔符）；请删除它，或在纯文本编辑器中重新输入这一行",
        "invisible character {char} (a line separator that YAML reads as a line break but editors do not show); delete it, or retype the line in a plain-text editor",
    ),
    "yaml.a_character": ("某个字符", "a character"),
    "yaml.control_char": (
        "YAML 文件中不允许出现控制字符 {char}；请删除它（多数编辑器不显示此字符）",
        "control character {char} is not allowed in a YAML file; delete it (most editors do not show it)",
    ),
    "yaml.tab": ("此处有制表符（Tab），YAML 要求用空格；请只用空格缩进", "tab character where YAML needs spaces; indent with spaces only"),
    "yaml.colon_in_text": (
        "此处不应出现 ':'——含有 ': ' 的文字须加引号，或者这一行缩进有误",
        "unexpected ':' — a text containing ': ' must be in quotes, or the line is indented wrongly",
    ),
    "yaml.expected_key": (
        "此处应为 'key: value'；请检查缩进，并确认每个键后都有 ':'",
        "expected 'key: value' here; check the indentation and that every key ends with ':'",
    ),
    "yaml.unclosed_quote": (
        "此处开始的引号没有闭合；请在文字末尾补上引号",
        "the quote opened here is never closed; add the closing quote at the end of the text",
    ),
    "yaml.unclosed_list": (
        "第 {line} 行以 '[' 开始的列表没有闭合；请补上 ']'（各项之间用 ',' 分隔）",
        "the list opened with '[' on line {line} is not closed; add ']' (and separate items with ',')",
    ),
    "yaml.unclosed_mapping": (
        "第 {line} 行以 '{{' 开始的映射没有闭合；请补上 '}}'（各项之间用 ',' 分隔）",
        "the mapping opened with '{{' on line {line} is not closed; add '}}' (and separate items with ',')",
    ),
    "yaml.brackets_too_deep": (
        "括号嵌套过深；数据文件不会用到这种写法（是否放错了文件？）",
        "brackets nested too deep; a data file never needs this (is it the right file?)",
    ),
    "yaml.anchors_aliases": ("数据文件中不允许使用锚点和别名（&name、*name）", "anchors and aliases (&name, *name) are not allowed in data files"),
    "yaml.syntax_indent": (
        "YAML 语法错误（{detail}）；请检查这一行和上一行的缩进",
        "YAML syntax error ({detail}); check the indentation of this line and the one above",
    ),
    "yaml.syntax": ("YAML 语法错误（{detail}）；请检查此处的引号、括号和缩进", "YAML syntax error ({detail}); check quotes, brackets and indentation here"),
    "yaml.odd_indent": (
        "这一行用 {char} 缩进，YAML 不把它算作缩进；请用普通空格缩进",
        "the line is indented with {char}, which YAML does not count as indentation; indent with ordinary spaces",
    ),
    "yaml.fullwidth_colon": (
        "键后用了全角冒号 '：'；YAML 要求半角冒号 ':' 并在其后加一个空格",
        "full-width colon '：' after the key; YAML needs the ASCII colon ':' followed by a space",
    ),
    "yaml.space_after_colon": ("键的 ':' 后面需要一个空格（写成 'key: value'）", "a key needs a space after its ':' (write 'key: value')"),
    "yaml.what_key": ("键", "key"),
    "yaml.what_value": ("值", "value"),
    "yaml.scalar_control": (
        "{what}中含有控制字符 {char}（以 \\e、\\x1b 或 \\0 等转义写入）；请删除",
        "{what} holds control character {char} (written as an escape such as \\e, \\x1b or \\0); remove it",
    ),
    "yaml.key_invisible": (
        "键 '{shown}' 中含有不可见字符 {char}；请删除该键后重新输入",
        "key '{shown}' holds the invisible character {char}; delete the key and type it again",
    ),
    "yaml.bool_like": (
        "{what} {value} 会被 YAML 1.1 工具读作真/假值；如果是文字，请加引号：'{value}'",
        "{what} {value} is read as true/false by YAML 1.1 tools; if it is text, write it in quotes: '{value}'",
    ),
    "yaml.sexagesimal": (
        "{what} {value} 会被 YAML 1.1 工具读作六十进制数；请加引号：'{value}'",
        "{what} {value} is read as a base-60 number by YAML 1.1 tools; write it in quotes: '{value}'",
    ),
    "yaml.octal": (
        "{what} {value} 以 0 开头，YAML 1.1 工具会读作八进制数；请写成 {plain}，如果是文字请加引号",
        "{what} {value} has a leading zero, which YAML 1.1 tools read as an octal number; write {plain}, or quote it if it is text",
    ),
    "yaml.key_null": (
        "键 '{key}' 会被 YAML 读作空值（null）；请换一个键名，或给它加上引号",
        "the key '{key}' is read by YAML as null (no value); rename it, or put it in quotes",
    ),
    "yaml.key_not_text": ("键必须是普通文字，不能是列表或映射", "a key must be plain text, not a list or mapping"),
    "yaml.duplicate_key": ("键 '{key}' 重复（第 {line} 行已有）；只保留一个", "duplicate key '{key}' (first written on line {line}); keep only one"),
    "yaml.too_deep": ("嵌套超过 {depth} 层；数据文件不会用到这种写法", "nested more than {depth} levels deep; a data file never needs this"),
    "yaml.alias": ("数据文件中不允许使用别名（*name）；请把值完整写出", "aliases (*name) are not allowed in data files; write the value out in full"),
    "yaml.anchor": ("数据文件中不允许使用锚点（&{anchor}）；请把值完整写出", "anchors (&{anchor}) are not allowed in data files; write the value out in full"),
    "yaml.tag": ("数据文件中不允许使用 YAML 标签（{tag}）；请删除该标签", "YAML tags ({tag}) are not allowed in data files; remove the tag"),
    "yaml.two_documents": (
        "文件中有不止一个 YAML 文档（'---'）；每个文件只保留一条记录",
        "more than one YAML document ('---') in the file; keep one record per file",
    ),
    "yaml.cannot_edit": ("无法安全地修改此 YAML（{detail}）；请手工修改文件", "YAML cannot be edited safely ({detail}); fix the file by hand"),
    # --- the records' rules (models.py) ---------------------------------------------------------------------------
    "due.year_zero": ("截止时间 '{value}' 的年份为 0000；请写实际年份", "'{value}' has year 0000; write a real year"),
    "due.bad_month": (
        "'{value}' 不是有效的月份；请写成 YYYY-MM（月份 01 至 12）、日期 YYYY-MM-DD 或 ongoing",
        "'{value}' is not a real month; write YYYY-MM with a month from 01 to 12, a date YYYY-MM-DD, or ongoing",
    ),
    "due.not_deadline": (
        "截止时间格式不对：'{value}'；请写成月份（2013-12）、日期（2013-12-15）或 ongoing",
        "'{value}' is not a deadline; write a month (2013-12), a date (2013-12-15) or ongoing",
    ),
    "date.not_real": ("'{value}' 不是有效的日期；请检查月和日", "'{value}' is not a real date; check the month and day"),
    "date.not_date": ("'{value}' 不是日期；请写成 YYYY-MM-DD", "'{value}' is not a date; write YYYY-MM-DD"),
    "text.empty": ("不能为空", "must not be empty"),
    "text.one_line": ("只能写一行", "must be one line"),
    "number.not_whole": ("'{value}' 不是整数；请只写数字，例如 10", "'{value}' is not a whole number; write digits only, such as 10"),
    "record.control_char": ("含有控制字符 {char}；请删除", "holds control character {char}; remove it"),
    "departments.duplicate_code": ("代码 '{code}' 已被第 {entry} 项使用；代码不能重复", "code '{code}' is already used by entry {entry}; codes must be unique"),
    "departments.duplicate_name": ("名称 '{name}' 已列为第 {entry} 项", "name '{name}' is already listed as entry {entry}"),
    "departments.members_not_group": (
        "'{code}' 列有成员，但类型是 {kind}；只有 group 才能列成员",
        "'{code}' has members but is a {kind}; only a group lists members",
    ),
    "departments.unknown_member": ("group '{code}' 列出了未知的成员 '{member}'{hint}", "group '{code}' lists unknown member '{member}'{hint}"),
    "departments.self_member": (
        "group '{code}' 把自己列为成员；请列出它所代表的部门和单位",
        "group '{code}' lists itself as a member; list the departments and units it stands for",
    ),
    "plan.unknown_zone": ("未知的时区 '{value}'；请使用 IANA 名称，例如 Asia/Shanghai", "unknown time zone '{value}'; use an IANA name such as Asia/Shanghai"),
    "plan.section_twice": ("有一个部分重复列出", "a section is listed twice"),
    "task.department_twice": ("{field} 中同一部门出现了两次；每个部门只列一次", "{field} names a department twice; list each once"),
    "task.lead_and_cooperating": ("'{code}' 同时列为牵头部门和配合部门；只列一次", "'{code}' is both lead and cooperating; list it once"),
    "task.done_without_completed": (
        "status 为 done，但没有 'completed: YYYY-MM-DD'；请补上完成日期",
        "status is done but there is no 'completed: YYYY-MM-DD'; add the completion date",
    ),
    "task.completed_not_done": (
        "填了 'completed'，但 status 为 {status}；请删除 'completed'，或将 status 改为 done",
        "'completed' is set but status is {status}; remove 'completed' or set status: done",
    ),
    "task.verified_not_done": (
        "填了 'verified'，但该工作措施尚未完成；请删除它，或将 status 改为 done",
        "'verified' is set but the measure is not done; remove it or set status: done",
    ),
    "task.updates_out_of_order": (
        "updates 没有按日期排列（{later} 排在 {earlier} 之后）；请按从早到晚的顺序记录",
        "updates are not in date order ({later} comes after {earlier}); keep the log oldest first",
    ),
    # --- Pydantic's findings, worded for the staff who edit the files (store.py) --------------------------
    "field.file": ("文件", "file"),
    "field.missing": ("缺少键 '{key}'；请补上", "missing key '{key}'; add it"),
    "field.missing_in": ("{where}：缺少键 '{key}'；请补上", "{where}: missing key '{key}'; add it"),
    "field.unknown_key": ("未知的键 '{key}'{hint}；可用的键：{allowed}", "unknown key '{key}'{hint}; allowed keys: {allowed}"),
    "field.not_one_of": ("{name}：'{value}' 不是可选值（{choices}）之一{hint}", "{name}: '{value}' is not one of {choices}{hint}"),
    "field.not_code": (
        "{name}：'{value}' 不是部门代码：请用小写字母和数字，例如 dxb",
        "{name}: '{value}' is not a code: use lower-case letters and digits, such as dxb",
    ),
    "field.not_list": ("{name}：应为列表，例如 [dxb]，或每行写一个 '- 项'", "{name}: should be a list, such as [dxb] or one '- item' per line"),
    "field.not_mapping": ("{name}：应为若干 'key: value' 行", "{name}: should be a set of 'key: value' lines"),
    "field.not_text": ("{name}：应为文字，不能是列表或映射", "{name}: should be text, not a list or mapping"),
    "field.number_too_large": ("{name}：'{start}…'（{digits} 位）数值过大", "{name}: '{start}…' ({digits} digits) is far too large a number"),
    "field.not_whole": ("{name}：'{value}' 不是整数", "{name}: '{value}' is not a whole number"),
    "field.not_date": ("{name}：'{value}' 不是日期；请写成 YYYY-MM-DD", "{name}: '{value}' is not a date; write YYYY-MM-DD"),
    "field.empty": ("{name}：不能为空", "{name}: must not be empty"),
    "field.greater_than": ("{name}：应大于 {limit}", "{name}: input should be greater than {limit}"),
    "field.greater_than_equal": ("{name}：应大于或等于 {limit}", "{name}: input should be greater than or equal to {limit}"),
    "field.less_than": ("{name}：应小于 {limit}", "{name}: input should be less than {limit}"),
    "field.less_than_equal": ("{name}：应小于或等于 {limit}", "{name}: input should be less than or equal to {limit}"),
    "field.other": ("{name}：取值不符合要求（{detail}）", "{name}: {detail}"),
    # --- loading a tracker (store.py) ---------------------------------------------------------------------------
    "store.file_empty": (
        "文件是空的；应写成若干 'key: value' 行（可参照本文件夹中的其他文件）",
        "the file is empty; it should hold 'key: value' lines (see the other files in this folder)",
    ),
    "store.file_list": (
        "文件内容是一个列表；应写成若干 'key: value' 行（可参照本文件夹中的其他文件）",
        "the file is a list; it should hold 'key: value' lines (see the other files in this folder)",
    ),
    "store.file_scalar": (
        "文件内容只有一个值；应写成若干 'key: value' 行（可参照本文件夹中的其他文件）",
        "the file is a single value; it should hold 'key: value' lines (see the other files in this folder)",
    ),
    "store.tasks_folder": ("该文件夹{reason}", "the folder {reason}"),
    "store.yml_extension": ("任务文件的扩展名应为 .yaml；请改名为 {name}.yaml", "task files end in .yaml; rename it to {name}.yaml"),
    "store.not_task_file": (
        "不是任务文件：任务文件以编号命名，例如 07.yaml 或 07-some-name.yaml；请改名，或将其移出 data/tasks/",
        "not a task file: task files are named by number, like 07.yaml or 07-some-name.yaml; rename it, or move it out of data/tasks/",
    ),
    "store.measure_broken": (
        "第 {id} 项工作措施在上述问题修正之前无法读取；`wkx validate` 会列出全部问题",
        "measure {id} cannot be read until the problems above are fixed; `wkx validate` lists every problem",
    ),
    "store.no_measure": (
        "没有第 {id} 项工作措施（编号：{span}）；`wkx list` 可列出全部工作措施",
        "there is no measure {id} in this tracker (ids: {span}); `wkx list` shows them all",
    ),
    "store.plan_broken": ("方案文件或部门名单有错误，无法检查任何工作措施", "the tracker's plan or department list is broken, so no measure can be checked"),
    "store.more_problems": (
        "……本文件另有 {n:,} 个问题未显示；请先修正以上问题，再运行 `wkx validate`",
        "… and {n:,} more problems in this file, not shown; fix the ones above and run `wkx validate` again",
    ),
    "store.id_mismatch": ("id 为 {id}，但文件名表示第 {expected} 项；请使两者一致", "id is {id} but the file name says {expected}; make them agree"),
    "store.duplicate_id": ("id {id} 已被 {other} 使用；每项工作措施须有自己的 id", "id {id} is also used by {other}; each measure needs its own id"),
    "store.unknown_code": (
        "{field}：未知的部门代码 '{code}'{hint}；部门代码见 {file}",
        "{field}: unknown department code '{code}'{hint}; codes are listed in {file}",
    ),
    "store.unknown_section": (
        "部分 '{section}' 不是方案所列的部分（{sections}）{hint}",
        "section '{section}' is not one of the plan's sections ({sections}){hint}",
    ),
    # --- reading a file from the working tree or a commit (store.py, gitrepo.py) --------------------------
    "source.dangling_link": (
        "是指向 {target} 的符号链接，但目标不存在；请删除该链接，或把文件放到那里",
        "is a symbolic link to {target}, which does not exist; remove the link or put the file there",
    ),
    "source.folder": ("是文件夹，不是文件；请将其移出数据文件夹", "is a folder, not a file; move it out of the tracker's data folder"),
    "source.not_regular": (
        "不是普通文件（而是命名管道、设备或套接字）；请删除它：数据文件应为纯文本文件",
        "is not a regular file (a named pipe, device or socket); remove it: data files are plain text files",
    ),
    "source.too_big": (
        "大小为 {size:,} 字节，超过数据文件 {limit:,} 字节的上限；请确认是否放错了文件",
        "is {size:,} bytes, over the {limit:,}-byte limit for a data file; is it the right file?",
    ),
    "source.missing": ("不存在；请恢复它（`git checkout -- {path}`）或新建该文件", "does not exist; restore it (`git checkout -- {path}`) or create it"),
    "source.permission": ("无法读取（权限不足）；请检查文件权限", "cannot be read (permission denied); check the file's permissions"),
    "source.cannot_read": ("无法读取（{detail}）", "cannot be read ({detail})"),
    "source.no_folder": ("不存在", "does not exist"),
    "source.file_for_folder": (
        "缺失：本应是任务文件夹的位置上有一个同名文件；请重命名该文件",
        "is missing: a file of that name stands where the folder of task files should be; rename the file",
    ),
    "source.cannot_list": ("无法列出内容（{detail}）", "cannot be listed ({detail})"),
    "source.commit": ("提交 {sha}", "commit {sha}"),
    "source.commit_of": ("{date} 的提交 {sha}", "commit {sha} of {date}"),
    "source.git_missing": ("在 {where} 中不存在", "does not exist at {where}"),
    "source.git_folder": ("在 {where} 中是文件夹，不是文件", "is a folder, not a file, at {where}"),
    "source.git_link": ("在 git 中是符号链接；请把文件本身放进来，不要用链接", "is a symbolic link in git; copy the file in instead of linking it"),
    "source.git_too_big": (
        "在 {where} 中大小为 {size:,} 字节，超过数据文件 {limit:,} 字节的上限",
        "is {size:,} bytes at {where}, over the {limit:,}-byte limit for a data file",
    ),
    "source.git_not_folder": ("在 {where} 中不是文件夹", "is not a folder at {where}"),
    # --- paths that must stay inside the tracker (files.py) ------------------------------------------------------
    "files.absolute": ("是绝对路径；请给出跟踪目录内的路径", "is an absolute path; give a path inside the tracker"),
    "files.dotdot": ("含有 '..'；请给出跟踪目录内的路径", "contains '..'; give a path inside the tracker"),
    "files.link_loop": ("是循环的符号链接；请用文件本身替换该链接", "is a loop of symbolic links; replace the link by the file itself"),
    "files.link_outside": (
        "通过符号链接指向跟踪目录之外（{target}）；请把文件复制进跟踪目录，不要用链接",
        "leads outside the tracker through a symbolic link (to {target}); copy it into the tracker instead of linking it",
    ),
    "files.not_inside": ("{path} 不在跟踪目录 {root} 内", "{path} is not inside the tracker {root}"),
    # --- wkx.toml and the environment (config.py) ------------------------------------------------------------
    "config.zone_type": ('应为加引号的 IANA 时区名称，例如 "Asia/Shanghai"', 'should be an IANA time zone name in quotes, such as "Asia/Shanghai"'),
    "config.unknown_zone": (
        "未知的时区 '{value}'；请使用 IANA 名称，例如 \"Asia/Shanghai\"",
        "unknown time zone '{value}'; use an IANA name such as \"Asia/Shanghai\"",
    ),
    "config.language": ('\'{value}\' 不是 wkx 支持的语言；请写 "zh" 或 "en"', '\'{value}\' is not a language wkx speaks; write "zh" or "en"'),
    "config.days_type": ("应为整数天数，例如 30，不加引号（现为 {value}）", "should be a whole number of days, such as 30, without quotes (got {value})"),
    "config.days_range": ("应在 {low} 到 {high} 天之间（现为 {value}）", "should be between {low} and {high} days (got {value})"),
    "config.title": ("应为加引号的一行文字", "should be one line of text in quotes"),
    "config.not_utf8": ("不是 UTF-8 文本；请改存为 UTF-8", "is not UTF-8 text; save it as UTF-8"),
    "config.toml_syntax": (
        "TOML 语法错误（{detail}）；请每行写一个 'key = value'，文字加引号",
        "TOML syntax error ({detail}); write one 'key = value' per line, text in quotes",
    ),
    "config.unknown_key": ("未知的键 '{key}'{hint}；wkx.toml 可设置的键为：{keys}", "unknown key '{key}'{hint}; the keys wkx.toml may set are: {keys}"),
    "config.not_regular": (
        "不是普通文件（而是文件夹、命名管道或设备）；请改为文本文件，或将其删除",
        "is not a regular file (a folder, a named pipe, a device); make it a text file or remove it",
    ),
    "config.broken.one": ("{file} 有 {n} 个问题；请修正后再运行", "{file} has {n} problem; fix it and run again"),
    "config.broken.many": ("{file} 有 {n} 个问题；请修正后再运行", "{file} has {n} problems; fix them and run again"),
    "config.env": ("环境变量 ${var}：{detail}；请修正或删除该变量", "${var}: {detail}; fix or unset the variable"),
    # --- finding the tracker (locate.py) ----------------------------------------------------------------------
    "locate.not_tracker": (
        "{root} 不是 wkx 跟踪目录：其中没有 {file}；请用 --root 指定包含 data/ 的文件夹",
        "{root} is not a wkx tracker: it has no {file}; pass the folder that holds data/ with --root",
    ),
    "locate.no_tracker": (
        "此处没有 wkx 跟踪目录：{here} 及其上级文件夹中都没有 {file}；请进入跟踪目录，或用 --root PATH 指定",
        "no wkx tracker here: neither {here} nor a folder above it holds {file}; cd into a tracker or pass --root PATH",
    ),
    # --- options naming departments, sections, dates (query.py, cli/app.py, api.py, reports/data.py) --------
    "query.unknown_department": (
        "{option}：未知的部门 '{text}'{hint}；已有的部门代码：{codes}",
        "{option}: unknown department '{text}'{hint}; known codes: {codes}",
    ),
    "query.unknown_section": (
        "--section：方案中没有部分 '{text}'；请用编号或标题：{listing}",
        "--section: no section '{text}' in the plan; use a number or a heading: {listing}",
    ),
    "cli.bad_date": (
        "{option}：'{value}' 不是日期；请写成 YYYY-MM-DD，例如 2014-01-01",
        "{option}: '{value}' is not a date; write YYYY-MM-DD, such as 2014-01-01",
    ),
    "cli.at_ignored": (
        "--at {at}：只有 wkx {commands} 会读取当时提交的记录，wkx {command} 会忽略它；请去掉 --at{hint}",
        "--at {at}: only wkx {commands} read the records as committed then, and wkx {command} would ignore it; drop --at{hint}",
    ),
    "cli.at_history_hint": ("；wkx history --until YYYY-MM-DD 可截止到某一天", "; wkx history --until YYYY-MM-DD stops at a day"),
    "cli.finish.one": (
        "数据文件中有 {n} 个问题；`wkx validate` 会列出它们，请修正后再运行",
        "{n} problem in the tracker's files; `wkx validate` lists it, fix it and run again",
    ),
    "cli.finish.many": (
        "数据文件中有 {n} 个问题；`wkx validate` 会列出它们，请修正后再运行",
        "{n} problems in the tracker's files; `wkx validate` lists them, fix them and run again",
    ),
    "completion.no_shell": (
        "无法判断当前使用的 shell；请指明，例如：wkx {option} bash（{shells}）",
        "could not tell which shell this is; name it, such as: wkx {option} bash ({shells})",
    ),
    "completion.bad_shell": ("'{name}' 不是 wkx 支持补全的 shell；请使用 {shells} 之一", "'{name}' is not a shell wkx can complete in; use one of {shells}"),
    "api.since_after_until": ("--since {since} 晚于 --until {until}；请交换两者", "--since {since} is after --until {until}; swap them"),
    "api.unknown_field": (
        "--field：'{field}' 不是工作措施的字段{hint}；可用的字段：{fields}",
        "--field: '{field}' is not a field of a measure{hint}; the fields are: {fields}",
    ),
    "api.cannot_read": ("{path} 无法读取；请先修正（wkx validate 会列出问题）", "{path} cannot be read; fix it first (wkx validate lists the problems)"),
    "api.not_mapping": ("文件应写成若干 'key: value' 行", "the file should hold 'key: value' lines"),
    # --- wkx update (edit.py) ---------------------------------------------------------------------------------
    "edit.nothing": ("没有要修改的内容：请给出 --status、--due、--completed 或 --note", "nothing to change: give --status, --due, --completed or --note"),
    "edit.by_without_note": ("--by 是 --note 的填写人；请加上 --note 文字", "--by names who wrote the --note; add --note TEXT"),
    "edit.message_without_commit": ("--message 是提交说明；请加上 --commit 以提交修改", "--message is the commit message; add --commit to commit the change"),
    "edit.empty_note": ("--note 不能为空", "--note must not be empty"),
    "edit.several_files": (
        "第 {id} 项工作措施有多个文件（{files}）；请只保留一个，再运行 wkx update",
        "measure {id} has more than one file ({files}); keep one, then run wkx update again",
    ),
    "edit.not_mapping": (
        "文件不是 'key: value' 行；请手工修正（wkx validate 会指出位置）",
        "the file does not hold 'key: value' lines; fix it by hand (wkx validate says where)",
    ),
    "edit.who": (
        "这条进展由谁填写？请用 --by 姓名 指定，或用 `git config user.name 姓名` 设置你的名字",
        "who writes this note? pass --by NAME, or set your name with `git config user.name NAME`",
    ),
    "edit.updates_not_list": (
        "本文件中的 'updates' 不是列表；请手工修正（wkx validate 会指出位置）",
        "'updates' is not a list in this file; fix it by hand (wkx validate says where)",
    ),
    "edit.uncommitted": (
        "{path} 有尚未提交的修改；请先提交（或用 `git checkout -- {path}` 放弃这些修改），或加 --force 在其基础上修改",
        "{path} has changes that are not committed; commit them (or `git checkout -- {path}` to drop them) first, or pass --force to edit on top of them",
    ),
    "edit.staged": ("{path} 有已暂存的修改；请先提交或取消暂存，或加 --force", "{path} has staged changes; commit or unstage them first, or pass --force"),
    "edit.conflict": (
        "{path} 含有合并冲突标记；请先手工解决——未写入任何内容",
        "{path} holds merge conflict markers; resolve them by hand first — nothing was written",
    ),
    "edit.cannot_read": (
        "{path} 无法读取；请修正（wkx validate 会列出问题）——未写入任何内容",
        "{path} cannot be read; fix it (wkx validate lists the problems) — nothing was written",
    ),
    "edit.nothing_written": ("{reason}；未写入任何内容", "{reason}; nothing was written"),
    "edit.path_nothing_written": ("{path} {reason}；未写入任何内容", "{path} {reason}; nothing was written"),
    "edit.would_be_invalid": ("此修改会使 {path} 无法通过检查，因此未写入任何内容", "the change would leave {path} invalid, so nothing was written"),
    "edit.drift": (
        "此修改还会改动 {path} 中的 {fields}；未写入任何内容。这是 wkx 的缺陷，请报告",
        "the edit would also change {fields} in {path}; nothing was written. This is a bug in wkx: please report it",
    ),
    # --- wkx new (newtask.py, cli/new.py) -----------------------------------------------------------------------
    "new.title": ("--title：请给出工作措施的标题，只写一行", "--title: give the measure's title, one line"),
    "new.lead": (
        "--lead：请至少给出一个牵头部门（代码如 dxb，或部门名称）；多个部门请重复 --lead",
        "--lead: name at least one lead department (a code such as dxb, or its name); repeat --lead for more",
    ),
    "new.invalid": ("新工作措施的文件无法通过检查；未写入任何内容", "the new measure's file would not be valid; nothing was written"),
    "new.exists": (
        "{path} 已存在；wkx new 从不覆盖已有文件：请改名或删除它，再运行 wkx new",
        "{path} already exists; wkx new never overwrites a file: rename or remove it, then run wkx new again",
    ),
    "new.missing": (
        "缺少 {options}；请以选项给出，或在终端中运行 `wkx new` 逐项填写",
        "missing {options}; give them as options, or run `wkx new` in a terminal to be asked",
    ),
    # --- wkx schema (schema.py) -----------------------------------------------------------------------------------
    "schema.out_is_file": (
        "{path} 是文件，不是文件夹；请指定写入 schema 的文件夹",
        "{path} is a file, not a folder; name the folder to write the schemas into",
    ),
    "schema.outside": ("{path} {reason}；未再写入其他文件", "{path} {reason}; nothing more was written"),
    "schema.cannot_write": (
        "{path}：无法在此写入 schema（{detail}）；请选择有写入权限的文件夹",
        "{path}: cannot write the schemas there ({detail}); choose a folder you can write to",
    ),
    # --- git (gitrepo.py, history.py) -----------------------------------------------------------------------------
    "git.not_installed": (
        "未安装 git（或不在 PATH 中）；请安装 git 后再使用历史相关命令",
        "git is not installed (or not on PATH); install git to use the history commands",
    ),
    "git.failed": ("git {command} 执行失败：{detail}", "git {command} failed: {detail}"),
    "git.exit_code": ("退出码 {code}", "exit code {code}"),
    "git.this_command": ("此命令", "this command"),
    "git.shallow_fix": (
        "请用 `git fetch --unshallow` 获取完整历史；在 GitHub Actions 中给 actions/checkout 设置 `with: fetch-depth: 0`（它默认只获取最后一次提交）",
        "fetch the whole history with `git fetch --unshallow`; in GitHub Actions give actions/checkout `with: fetch-depth: 0` "
        "(it fetches only the last commit by default)",
    ),
    "git.no_commits": (
        "{what} 需要 git 历史，但 {top} 处的仓库还没有提交；请先提交跟踪目录",
        "{what} needs git history, but the repository at {top} has no commits yet; commit the tracker first",
    ),
    "git.shallow": (
        "{what} 需要完整的 git 历史，但 {top} 是浅克隆，只有最近的提交；{fix}",
        "{what} needs the whole git history, but {top} is a shallow clone holding only the latest commit(s); {fix}",
    ),
    "git.not_a_repository": (
        "{what} 需要 git，但 {root} 不在 git 仓库中；请在跟踪目录仓库的克隆中运行（git clone …），或先 `git init` 并提交跟踪目录",
        "{what} needs git, but {root} is not inside a git repository; "
        "run it in a clone of the tracker's repository (git clone …), or `git init` and commit the tracker first",
    ),
    "git.at_no_commits": ("--at {at}：{top} 处的仓库还没有提交", "--at {at}: the repository at {top} has no commits yet"),
    "git.at_not_real_date": ("--at：'{at}' 不是有效的日期；请检查月和日", "--at: '{at}' is not a real date; check the month and day"),
    "git.at_shallow": (
        "--at {at} 要查找当天或之前的最后一次提交，但 {top} 是浅克隆；{fix}",
        "--at {at} looks up the last commit on or before that day, but {top} is a shallow clone; {fix}",
    ),
    "git.at_before_first": (
        "--at {at}：当天或之前没有提交（{zone}）；第一次提交在 {first}",
        "--at {at}: there is no commit on or before that day ({zone}); the first commit is of {first}",
    ),
    "git.at_not_revision_or_date": (
        "--at：'{at}' 既不是版本也不是日期；请写提交 id、标签、HEAD~3 或 YYYY-MM-DD",
        "--at: '{at}' is not a revision or a date; write a commit id, a tag, HEAD~3 or YYYY-MM-DD",
    ),
    "git.at_unknown_revision": (
        "--at：'{at}' 既不是本仓库的版本（提交 id、标签、分支、HEAD~3），也不是日期 YYYY-MM-DD{hint}",
        "--at: '{at}' is not a revision of this repository (a commit id, tag, branch, HEAD~3) nor a date YYYY-MM-DD{hint}",
    ),
    "git.at_shallow_hint": ("；{top} 是浅克隆，缺少较早的提交：{fix}", "; {top} is a shallow clone, so older commits are missing: {fix}"),
    "git.not_a_commit": ("'{commit}' 不是 {top} 处仓库的提交（{kind}）", "'{commit}' is not a commit of the repository at {top} ({kind})"),
    "git.cat_file_stopped": (
        "git cat-file 提前中止；请重新运行命令，如果仍然失败，请运行 `git fsck`",
        "git cat-file stopped early; run the command again, and `git fsck` if it keeps failing",
    ),
    "git.no_identity": (
        '--commit：git 不知道你是谁，无法提交；未写入任何内容。请在本仓库中运行 `git config user.name "你的名字"` 和 '
        "`git config user.email you@example.cn`，然后重试",
        "--commit: git does not know who you are, so it cannot commit; nothing was written. "
        'Run `git config user.name "你的名字"` and `git config user.email you@example.cn` in this repository, then try again',
    ),
    "git.commit_failed": (
        "文件已写入，但提交失败（{detail}）；请查看 `git status` 并自行提交 {path}（如 git 要求，请用 git config 设置 user.name 和 user.email）",
        "the file was written but the commit failed ({detail}); "
        "check `git status` and commit {path} yourself (set user.name and user.email with git config if git asks)",
    ),
    "history.content_missing": ("本克隆中缺少该文件的内容", "the file's content is missing from this clone"),
    "history.unreadable": ("YAML 无法读取（{detail}）", "unreadable YAML ({detail})"),
    "history.unreadable_at": ("YAML 无法读取（第 {line} 行：{detail}）", "unreadable YAML (line {line}: {detail})"),
    "history.not_mapping": ("不是 'key: value' 格式的文件", "not a 'key: value' file"),
    # --- wkx report (reports/, cli/report.py) --------------------------------------------------------------------
    "report.bad_since": (
        "--since：'{text}' 既不是日期（YYYY-MM-DD），也不是 7d、2w 这样的天数或周数",
        "--since: '{text}' is neither a date (YYYY-MM-DD) nor a span such as 7d or 2w",
    ),
    "report.since_after": ("--since {since} 晚于报告日期 {as_of}；请选更早的日期", "--since {since} is after the report's date {as_of}; pick an earlier date"),
    "report.not_git": ("数据不在 git 仓库中，没有历史可读", "the tracker is not in a git repository, so there is no history to read"),
    "report.shallow": (
        "当前为浅克隆；请完整克隆（CI 中 actions/checkout 设 fetch-depth: 0）",
        "the clone is shallow; clone with full history (in CI: actions/checkout with fetch-depth: 0)",
    ),
    "report.no_commits": ("仓库还没有提交", "the repository has no commits yet"),
    "report.unknown_format": ("未知的报告格式 '{fmt}'；请使用 {formats} 之一", "unknown report format '{fmt}'; use one of {formats}"),
    "report.out_is_folder": (
        "-o {path}：是文件夹；请指定要写入的文件，例如 -o {example}",
        "-o {path}: is a folder; name the file to write, such as -o {example}",
    ),
    "report.no_folder": (
        "-o {path}：文件夹 {folder} 不存在；请先创建，或另选路径",
        "-o {path}: the folder {folder} does not exist; create it first or choose another path",
    ),
    "report.xlsx_needs_output": (
        "--format xlsx 输出二进制文件：请用 -o 指定文件名，例如 -o report.xlsx",
        "--format xlsx writes a binary file: name it with -o, such as -o report.xlsx",
    ),
    "report.xlsx_to_terminal": (
        "-o -：xlsx 是二进制文件，不能显示在终端上；请用 -o report.xlsx 写入文件，或把输出重定向到文件",
        "-o -: an xlsx workbook is a binary file and cannot be shown in a terminal; write it with -o report.xlsx, or redirect the output to a file",
    ),
    "report.cannot_write": (
        "-o {path}：无法写入文件（{detail}）；请选择有写入权限的文件夹",
        "-o {path}: cannot write the file ({detail}); choose a folder you can write to",
    ),
    "report.wrote": ("wkx：已写入 {path}", "wkx: wrote {path}"),
    "template.outside": ("{path} {reason}", "{path} {reason}"),
    "template.missing": (
        "在 {folders} 中找不到模板 {name}；请重新安装 wkx，或添加 templates/{name}",
        "no template {name} in {folders}; reinstall wkx or add templates/{name}",
    ),
    "template.syntax": ("{file}:{line}: {detail}；请修正模板", "{file}:{line}: {detail}; fix the template"),
    "template.forbidden": (
        "{where}模板试图做模板不允许做的事（{detail}）；模板只能读取报告的数据",
        "{where}the template tried something templates may not do ({detail}); templates may only read the report's data",
    ),
    "template.undefined": (
        "{where}{detail}；请对照报告的 JSON（`wkx report --format json`）检查名称",
        "{where}{detail}; check the name against the report's JSON (`wkx report --format json`)",
    ),
    "template.error": ("{where}{detail}；请修正模板", "{where}{detail}; fix the template"),
}
