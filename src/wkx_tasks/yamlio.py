"""Reading and editing YAML: a strict, position-keeping reader and ruamel.yaml round trips for edits.

Reading uses libyaml's event parser (through PyYAML, the fastest parser available to Python) and builds
values itself, so that it can (1) keep the line and column of every key and value for error messages,
(2) refuse what a hand-edited task file never needs and an attacker would use — aliases, tags, deep nesting —
and (3) catch the YAML 1.1 surprises (`no`, `on`, `1:30`, `010`) instead of silently turning them into
booleans or numbers: every scalar is read as text, and the models decide what it means.

Editing uses ruamel.yaml's round-trip mode, which keeps comments, key order and quoting.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .errors import Problem
from .messages import Msg, msg

if TYPE_CHECKING:
    from ruamel.yaml import YAML

Path_ = tuple[str | int, ...]
"""Where a value sits in a document: the keys and indexes leading to it."""

MAX_BYTES = 1024 * 1024
MAX_DEPTH = 32

_BOOL_LIKE = re.compile(r"^(y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$")
_SEXAGESIMAL = re.compile(r"^[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+(\.[0-9_]*)?$")
_OCTAL_LIKE = re.compile(r"^[-+]?0[0-9_]+$")
_NULL = re.compile(r"^(~|null|Null|NULL|)$")
_CONFLICT = re.compile(r"^(<{7}|={7}|>{7})( |$)", re.M)
# Characters YAML reads as line breaks (or a stray byte-order mark) that editors show within one line: they
# would shift every line number after them and silently fold text, so the reader refuses them.
_ODD_BREAKS = re.compile("[\u0085\u2028\u2029\ufeff]")
# Control characters a value can only get through an escape ("\e", "\x07", "\0"): they would reach terminals. The
# records refuse the same ones (models.control_problem, models.TEXT_PATTERN).
CONTROL_CHARS = r"\x00-\x08\x0b-\x1f\x7f-\x9f"  # (a character class's inside, as regular expressions write it)
CONTROL = re.compile(f"[{CONTROL_CHARS}]")
# Invisible characters that make two keys look alike: zero-width spaces and joiners, direction marks, soft hyphen.
_INVISIBLE = re.compile("[\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]")


@dataclass
class Document:
    """A parsed YAML document: plain values (dict, list, str, None) and where each one was written."""

    value: Any
    value_marks: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    key_marks: dict[Path_, tuple[int, int]] = field(default_factory=dict)

    def mark(self, path: Path_, *, key: bool = False) -> tuple[int, int]:
        """The 1-based (line, column) nearest to path: the value itself, else its key, else its parent."""
        path = tuple(path)
        while True:
            if key and path in self.key_marks:
                return self.key_marks[path]
            if path in self.value_marks:
                return self.value_marks[path]
            if path in self.key_marks:
                return self.key_marks[path]
            if not path:
                return (1, 1)
            path = path[:-1]


class LazyDocument(Document):
    """A document whose marks (or whole content) are worked out only if something asks where a value was written:
    most records never have a problem to place, so a big tracker need not build or hold their marks."""

    def __init__(self, load: Callable[[], Document], value: Any = None, *, loaded_value: bool = False) -> None:
        self._load = load  # value_marks, key_marks (and value, unless given) are filled on first use
        if loaded_value:
            self.value = value

    def __getattr__(self, name: str) -> Any:
        if name in ("value", "value_marks", "key_marks"):
            doc = self._load()
            self.value, self.value_marks, self.key_marks = doc.value, doc.value_marks, doc.key_marks
            return getattr(self, name)
        raise AttributeError(name)


class YamlProblems(Exception):
    """The bytes could not be read as one clean YAML document; carries every problem found."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = problems


def decode(data: bytes, label: str) -> str:
    """Bytes of a hand-edited file as text: UTF-8 with or without BOM, any line ends; else a clear problem."""
    if len(data) > MAX_BYTES:
        raise YamlProblems([Problem(label, None, None, msg("yaml.too_big", size=len(data), limit=MAX_BYTES))])
    if data.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        raise YamlProblems([Problem(label, None, None, msg("yaml.utf32"))])
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise YamlProblems([Problem(label, None, None, msg("yaml.utf16"))])
    if b"\x00" in data:  # (text without a NUL cannot be UTF-16 without a BOM either: its ASCII would hold NULs)
        even_nul, odd_nul, quarter = data[0::2].count(0), data[1::2].count(0), len(data) // 4
        if len(data) > 3 and min(even_nul, odd_nul) < quarter // 2 < quarter < max(even_nul, odd_nul):
            raise YamlProblems([Problem(label, None, None, msg("yaml.utf16"))])
        raise YamlProblems([Problem(label, None, None, msg("yaml.binary"))])
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        try:
            data.decode("gb18030")
            hint = msg("yaml.gbk")
        except UnicodeDecodeError:
            hint = msg("yaml.not_utf8")
        raise YamlProblems([Problem(label, line, None, hint)]) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _line_col(text: str, index: int) -> tuple[int, int]:
    """1-based line and column of a character index in text whose line ends are already '\n'."""
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


def _char_name(ch: str) -> str:
    import unicodedata

    return f"U+{ord(ch):04X}" + (f" {unicodedata.name(ch)}" if unicodedata.name(ch, "") else "")


def _check_conflicts(text: str, label: str) -> list[Problem]:
    problems = []
    for m in _CONFLICT.finditer(text):
        line = text.count("\n", 0, m.start()) + 1
        problems.append(Problem(label, line, 1, msg("yaml.conflict")))
    for m in _ODD_BREAKS.finditer(text):
        key = "yaml.stray_bom" if m.group() == "\ufeff" else "yaml.line_separator"
        problems.append(Problem(label, *_line_col(text, m.start()), msg(key, char=_char_name(m.group()))))
    return problems


def _syntax_problem(exc: Exception, label: str, text: str) -> Problem:
    position = getattr(exc, "position", None)
    if isinstance(position, int) and getattr(exc, "problem_mark", None) is None:  # a ReaderError: a character YAML refuses
        # libyaml counts the position in bytes, the pure-Python reader in characters: look for the character itself.
        code = getattr(exc, "character", None)
        found = text.find(chr(code)) if isinstance(code, int) and 0 <= code <= 0x10FFFF else -1
        index = found if found >= 0 else min(max(position, 0), len(text))
        ch = text[index] if index < len(text) else ""
        name: Msg | str = _char_name(ch) if ch else (f"U+{code:04X}" if isinstance(code, int) else msg("yaml.a_character"))
        return Problem(label, *_line_col(text, index), msg("yaml.control_char", char=name))
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    problem = (getattr(exc, "problem", None) or str(exc)).strip()
    context = str(getattr(exc, "context", None) or "")
    context_mark: Any = getattr(exc, "context_mark", None)
    line = mark.line + 1 if mark is not None else None
    col = mark.column + 1 if mark is not None else None
    at_tab = "'\\t'" in problem
    if mark is not None:
        lines = text.split("\n")
        if mark.line < len(lines):
            at_tab = at_tab or lines[mark.line][mark.column : mark.column + 1] == "\t"
    if at_tab:
        message = msg("yaml.tab")
    elif "mapping values are not allowed" in problem:
        message = msg("yaml.colon_in_text")
    elif "could not find expected ':'" in problem:
        message = msg("yaml.expected_key")
        if "simple key" in context and context_mark is not None:  # the line that should have been 'key: value'
            line, col = context_mark.line + 1, context_mark.column + 1
            written = text.split("\n")[context_mark.line] if context_mark.line < len(text.split("\n")) else ""
            message = _key_line_hint(written) or message
    elif "quoted scalar" in context and context_mark is not None:
        line, col = context_mark.line + 1, context_mark.column + 1
        message = msg("yaml.unclosed_quote")
    elif "flow sequence" in context and context_mark is not None and "did not find expected" in problem:
        message = msg("yaml.unclosed_list", line=context_mark.line + 1)
    elif "flow mapping" in context and context_mark is not None and "did not find expected" in problem:
        message = msg("yaml.unclosed_mapping", line=context_mark.line + 1)
    elif "maximum nesting depth" in problem:
        message = msg("yaml.brackets_too_deep")
    elif "found duplicate anchor" in problem or "found undefined alias" in problem:
        message = msg("yaml.anchors_aliases")
    elif "expected <block end>" in problem or "did not find expected" in problem:
        message = msg("yaml.syntax_indent", detail=problem)
    else:
        message = msg("yaml.syntax", detail=problem)
    return Problem(label, line, col, message)


def _key_line_hint(written: str) -> Msg | None:
    """What is wrong with a line meant as 'key: value' that YAML could not read as one; None if nothing typical."""
    stripped = written.lstrip(" ")
    if stripped[:1] in ("\u3000", "\u00a0"):
        return msg("yaml.odd_indent", char=_char_name(stripped[0]))
    if "：" in written and ":" not in written:
        return msg("yaml.fullwidth_colon")
    if re.match(r"^\s*[^\s:#'\"]+:[^\s]", written):
        return msg("yaml.space_after_colon")
    return None


def _scalar_problem(value: str, style: str | None, as_key: bool) -> Msg | None:
    what = msg("yaml.what_key" if as_key else "yaml.what_value")
    if m := CONTROL.search(value):
        return msg("yaml.scalar_control", what=what, char=_char_name(m.group()))
    if as_key and (m := _INVISIBLE.search(value)):
        shown = _INVISIBLE.sub(lambda c: f"<U+{ord(c.group()):04X}>", value)
        return msg("yaml.key_invisible", shown=shown, char=_char_name(m.group()))
    if style:  # quoted or block scalars are text; libyaml reports plain as '', the pure parser as None
        return None
    if _BOOL_LIKE.match(value):
        return msg("yaml.bool_like", what=what, value=value)
    if _SEXAGESIMAL.match(value):
        return msg("yaml.sexagesimal", what=what, value=value)
    if _OCTAL_LIKE.match(value):
        return msg("yaml.octal", what=what, value=value, plain=value.lstrip("0") or "0")
    return None


# --- a quick reader for the plain subset -----------------------------------------------------------------
# The files wkx writes and staff edit use a small part of YAML: 'key: value' lines, block lists of values or of
# 'key: value' groups two spaces in, comment lines, values plain or in double quotes without escapes. For such a
# file `parse_plain` builds the same Document (values and marks) as the libyaml reader, several times faster;
# for anything else — and for any file that has a problem to report — it returns None and the libyaml reader
# decides. tests/test_yamlio_plain.py checks both readers agree on generated files and on every corpus file.

# A list on one line, of names only (as departments.yaml lists a group's members), perhaps with a comment after.
_FLOW_LIST = re.compile(r"\[ *[A-Za-z_][A-Za-z0-9_]*(?: *, *[A-Za-z_][A-Za-z0-9_]*)* *\](?: +#.*)?")
_FLOW_ITEM = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_PLAIN_KEY = re.compile(r"([A-Za-z_][A-Za-z0-9_]*):(?: +(.*))?")
# Characters outside YAML's printable set, tabs, and those the full reader treats specially (odd breaks, BOM).
_NOT_QUICK = "[^\n\x20-\x7e\xa0-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]|[\u2028\u2029]"  # (compiled when first needed: ~2 ms)
_TRAILING_COMMENT = re.compile(" +#.*")
_FLOW = re.compile(r"[\[\]{},]")
# What _scalar_problem reports for a plain value or key: YAML 1.1 booleans, base-60 and octal-looking numbers.
_YAML11 = re.compile(f"{_BOOL_LIKE.pattern}|{_SEXAGESIMAL.pattern}|{_OCTAL_LIKE.pattern}")
_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@` ")


class _NotPlain(Exception):
    """The text leaves the plain subset: the libyaml reader must read it."""


def _quick_scalar(raw: str) -> str | None:
    """The value of a one-line scalar in the plain subset; _NotPlain for anything else or anything to report.

    Its line has passed _NOT_QUICK, so no value holds a control or invisible character: of the checks of
    _scalar_problem only those of plain values (YAML 1.1's booleans, base-60 and octal numbers) can apply.
    """
    if raw[:1] == '"':
        close = raw.find('"', 1)
        if close < 0 or "\\" in raw[:close] or (close + 1 < len(raw) and not _TRAILING_COMMENT.fullmatch(raw, close + 1)):
            raise _NotPlain
        return raw[1:close]
    if raw in _PLAIN_SCALARS:
        return _PLAIN_SCALARS[raw]
    value = raw
    cut = value.find(" #")  # a comment after the value
    if cut >= 0:
        value = value[:cut].rstrip(" ")
    if not value or value[0] in _INDICATORS or value[-1] in " :" or ": " in value or _FLOW.search(value) or value != value.strip() or _YAML11.match(value):
        raise _NotPlain
    if len(_PLAIN_SCALARS) >= 50_000:  # codes, dates and statuses repeat across files: remember what they read as
        _PLAIN_SCALARS.clear()
    known = _PLAIN_SCALARS[raw] = None if _NULL.match(value) else value
    return known


_PLAIN_SCALARS: dict[str, str | None] = {}
_PLAIN_KEYS: set[str] = set()  # keys already found not to read as YAML 1.1 booleans or numbers


def _plain_key(key: str) -> bool:
    """Whether a key in the subset's shape reads as text (not as a YAML 1.1 boolean, number or null)."""
    if key in _PLAIN_KEYS:
        return True
    if _YAML11.match(key) or _NULL.match(key):
        return False
    if len(_PLAIN_KEYS) < 10_000:
        _PLAIN_KEYS.add(key)
    return True


# --- without marks: one line at a time ---
# A load that needs no marks (the usual one: marks are worked out only to place a problem) reads the lines in one
# loop, each line told by itself (_line: its indent, whether it starts '- ', its key, what it holds); short lines
# repeat across files ('lead:', '  - dxb', 'status: done') and are told once. What a line means in its place (a
# key where a list item is due, an indent that fits no open block) is judged in the loop. _PlainReader, which keeps
# marks, reads the same subset (and lists on one line, which this reader leaves to it).
_LINE = re.compile(r"( *)(- )?(?:([A-Za-z_][A-Za-z0-9_]*):(?:( +)(.*))?|(.*))")
_SKIP, _BLOCK, _VALUE, _EMPTY, _OUT = range(5)  # what a line holds: nothing (blank, comment), 'key:', a value, '[]', else
_SHORT_LINE = 48
_LINES: dict[str, tuple[int, bool, str | None, int, str | None]] = {}  # short lines already told (up to 20,000)


def _line(line: str) -> tuple[int, bool, str | None, int, str | None]:
    """(indent, starts with '- ', key or None, what it holds, its value) of one line, told without its context."""
    if not line.isprintable() and re.search(_NOT_QUICK, line):  # (as _quick_lines tells a whole text)
        return 0, False, None, _OUT, None
    m = _LINE.fullmatch(line)
    assert m is not None  # (the last alternative takes any line: the text holds no line break but '\n')
    spaces, dash, key, gap, raw, rest = m.groups()
    lead, item = len(spaces), dash is not None
    try:
        if key is None:
            if item:
                return lead, True, None, _VALUE, _quick_scalar(rest)
            return lead, False, None, _SKIP if not rest or rest[0] == "#" else _OUT, None
        if not _plain_key(key):
            return lead, item, None, _OUT, None
        if gap is None:
            return lead, item, key, _BLOCK, None
        if raw == "[]":
            return lead, item, key, _EMPTY, None
        if not raw or raw[0] == "[":  # 'key: ' then nothing; a list on one line
            return lead, item, key, _OUT, None
        return lead, item, key, _VALUE, _quick_scalar(raw)
    except _NotPlain:
        return lead, item, None, _OUT, None


def _read_lines(lines: list[str]) -> dict[str, Any]:
    """The value of a text in the plain subset, read without marks; _NotPlain where it leaves the subset (or holds a
    list on one line). The lines need no check by _quick_lines first: a line with a character it refuses is told
    _OUT, and so is a conflict marker ('<<<<<<< HEAD', '======='), which no line of the subset can be."""
    root: dict[str, Any] = {}
    # The open blocks: each a (container, indent, is a mapping); a list's '- key: value' groups sit two further in.
    outer: list[tuple[Any, int, bool]] = []
    current: Any = root
    indent, is_map = 0, True
    block_key: str | None = None  # a 'key:' whose list or mapping starts on the next line that holds something
    seen = _LINES
    found = False
    for line in lines:
        told = seen.get(line)
        if told is None:
            told = _line(line)
            if len(line) <= _SHORT_LINE:
                if len(seen) >= 20_000:
                    seen.clear()
                seen[line] = told
        lead, item, key, holds, value = told
        if holds == _SKIP:
            continue
        if holds == _OUT:
            raise _NotPlain
        found = True
        if block_key is not None:  # the block's first line: two further in, a list if it starts '- '
            if lead != indent + 2:
                raise _NotPlain
            outer.append((current, indent, is_map))
            block: Any = [] if item else {}
            current[block_key] = block
            current, block_key, indent, is_map = block, None, lead, not item
        elif lead != indent:
            while lead < indent and outer:
                current, indent, is_map = outer.pop()
            if lead != indent:
                raise _NotPlain
        if is_map:
            if item:
                raise _NotPlain
            mapping = current
        else:
            if not item:
                raise _NotPlain
            if key is None:
                current.append(value)
                continue
            mapping = {}  # '- key: value': a group, its next keys two further in
            current.append(mapping)
            outer.append((current, indent, False))
            current, indent, is_map = mapping, lead + 2, True
        if key is None or key in mapping:  # (a duplicate key: the full reader names it)
            raise _NotPlain
        if holds == _VALUE:
            mapping[key] = value
        elif holds == _EMPTY:
            mapping[key] = []  # a fresh list each time
        else:
            block_key = key
    if block_key is not None or not found:
        raise _NotPlain
    return root


class _PlainReader:
    """Builds a Document from the lines of a text in the plain subset, with marks (or without, for a text with a list
    on one line, which _read_lines leaves to it); raises _NotPlain where it leaves the subset."""

    def __init__(self, lines: list[str], marks: bool = True) -> None:
        self.doc = Document(None)
        self.marks = marks
        self.lines = lines
        self.n = n = len(lines)
        stripped = [line.lstrip(" ") for line in lines]
        self.lead = [len(line) - len(rest) for line, rest in zip(lines, stripped, strict=True)]
        # nxt[i]: the first line from i on that holds more than blanks or a comment (n when none does).
        self.nxt = nxt = list(range(n + 1))
        for i in reversed([i for i, rest in enumerate(stripped) if not rest or rest[0] == "#"]):
            nxt[i] = nxt[i + 1]

    def content(self, i: int) -> int:
        """The first line from i on that holds more than blanks or a comment."""
        return self.nxt[i]

    def read(self) -> Document:
        first = self.content(0)
        if first >= self.n or self.lines[first][:1] == " ":
            raise _NotPlain
        root: dict[str, Any] = {}
        if self.mapping(first, 0, (), root, False) < self.n:
            raise _NotPlain
        self.doc.value = root
        if self.marks:
            self.doc.value_marks[()] = (first + 1, 1)
        return self.doc

    def mapping(self, i: int, ind: int, path: Path_, container: dict[str, Any], inline: bool) -> int:
        """Lines 'key: value' at indent ind (with inline, the first one follows '- ' on line i); the next line's index."""
        lines, n, nxt, lead_of, marks = self.lines, self.n, self.nxt, self.lead, self.marks
        value_marks, key_marks = self.doc.value_marks, self.doc.key_marks
        while True:
            if not inline:
                i = nxt[i]
                if i >= n:
                    return i
                lead = lead_of[i]
                if lead < ind:
                    return i
                if lead > ind:
                    raise _NotPlain
            inline = False
            line = lines[i]
            m = _PLAIN_KEY.fullmatch(line, ind)
            if m is None:
                raise _NotPlain
            key, raw = m.groups()
            if key in container:
                raise _NotPlain
            if not _plain_key(key):  # YAML reads these keys as true/false, numbers or null
                raise _NotPlain
            if raw and raw[0] == "[" and raw != "[]":  # 'members: [dxb, zrb]': a list written on one line
                container[key] = self.flow(raw, i, m.start(2), (*path, key) if marks else path)
                if marks:
                    key_marks[(*path, key)] = (i + 1, ind + 1)
                i += 1
                continue
            if raw:
                container[key] = [] if raw == "[]" else _quick_scalar(raw)  # '[]': an empty list, as wkx writes one
                if marks:
                    p = (*path, key)
                    key_marks[p] = (i + 1, ind + 1)
                    value_marks[p] = (i + 1, m.start(2) + 1)
                i += 1
                continue
            if raw is not None:  # 'key: ' then nothing
                raise _NotPlain
            i = self.block(i, ind, path, container, key)

    def flow(self, raw: str, i: int, start: int, path: Path_) -> list[Any]:
        """The items of '[a, b]' (names only: letters, digits, '_'), the text starting at column start of line i."""
        if _FLOW_LIST.fullmatch(raw) is None:
            raise _NotPlain
        items: list[Any] = []
        for item in _FLOW_ITEM.finditer(raw, 0, raw.index("]")):
            value = _quick_scalar(item.group())
            if value is None:  # 'null' and the like: left to the full reader
                raise _NotPlain
            if self.marks:
                self.doc.value_marks[(*path, len(items))] = (i + 1, start + item.start() + 1)
            items.append(value)
        if self.marks:
            self.doc.value_marks[path] = (i + 1, start + 1)
        return items

    def block(self, i: int, ind: int, path: Path_, container: dict[str, Any], key: str) -> int:
        """The list or mapping under 'key:' on line i (indented by two on the lines after); the next line's index."""
        lines, nxt, lead_of, marks = self.lines, self.nxt, self.lead, self.marks
        j = nxt[i + 1]
        if j >= self.n or lead_of[j] != ind + 2:
            raise _NotPlain
        p = (*path, key) if marks else path
        if marks:
            self.doc.key_marks[p] = (i + 1, ind + 1)
            self.doc.value_marks[p] = (j + 1, ind + 3)
        if lines[j].startswith("- ", ind + 2):
            items: list[Any] = []
            container[key] = items
            return self.sequence(j, ind + 2, p, items)
        inner: dict[str, Any] = {}
        container[key] = inner
        return self.mapping(j, ind + 2, p, inner, False)

    def sequence(self, i: int, ind: int, path: Path_, items: list[Any]) -> int:
        """Lines '- item' at indent ind: a scalar, or the first 'key: value' of a group continued at ind + 2."""
        lines, n, nxt, lead_of, value_marks, marks = self.lines, self.n, self.nxt, self.lead, self.doc.value_marks, self.marks
        while True:
            i = nxt[i]
            if i >= n:
                return i
            line = lines[i]
            lead = lead_of[i]
            if lead < ind:
                return i
            if lead > ind or not line.startswith("- ", ind):
                raise _NotPlain
            p = (*path, len(items)) if marks else path
            if marks:
                value_marks[p] = (i + 1, ind + 3)
            if _PLAIN_KEY.fullmatch(line, ind + 2) is not None:
                group: dict[str, Any] = {}
                items.append(group)
                i = self.mapping(i, ind + 2, p, group, True)
            else:
                items.append(_quick_scalar(line[ind + 2 :]))
                i += 1


def _quick_lines(text: str) -> list[str] | None:
    """The lines of a text the quick readers may take; None when it holds what they leave to the full reader."""
    lines = text.split("\n")
    # Printable lines hold none of the characters _NOT_QUICK refuses (all of them are unprintable): the regular
    # expression needs to look only at a text with a tab, a control or an invisible character somewhere.
    if not all(map(str.isprintable, lines)) and re.search(_NOT_QUICK, text):
        return None
    if ("<<<<<<<" in text or "=======" in text or ">>>>>>>" in text) and _CONFLICT.search(text):
        return None
    return lines


def parse_plain(text: str, *, marks: bool = True) -> Document | None:
    """The Document of a text in the plain subset (as `parse` would build it), or None when it is not.

    Without marks, the document's value alone (value_marks and key_marks stay empty)."""
    if not marks:
        with contextlib.suppress(_NotPlain):
            return Document(_read_lines(text.split("\n")))
    lines = _quick_lines(text)
    if lines is None:
        return None
    try:
        return _PlainReader(lines, marks).read()
    except _NotPlain:
        return None


def parse(text: str, label: str, *, lazy_marks: bool = False) -> Document:
    """Parse one YAML document into plain values and marks, or raise YamlProblems listing every fault.

    lazy_marks: a text in the plain subset gets its marks only when something asks for them (parsed again then).
    """
    quick = parse_plain(text, marks=not lazy_marks)
    if quick is not None:
        return LazyDocument(lambda: parse(text, label), quick.value, loaded_value=True) if lazy_marks else quick
    return parse_events(text, label)


def parse_events(text: str, label: str) -> Document:
    """`parse` with libyaml's event reader, for any text (the plain subset included)."""
    import yaml

    problems = _check_conflicts(text, label)
    if problems:
        raise YamlProblems(problems)
    loader = getattr(yaml, "CSafeLoader", None) or yaml.SafeLoader
    doc = Document(None)
    # Each frame: [container, path, pending key (mappings only), key mark, seen keys -> line]
    stack: list[list[Any]] = []
    documents = 0
    root_set = False

    def check_value(scalar: tuple[str, str | None] | None, pos: tuple[int, int]) -> None:
        """A scalar value (in a list or under a key) that other YAML tools would read otherwise: say so."""
        if scalar is not None:
            found = _scalar_problem(scalar[0], scalar[1], as_key=False)
            if found:
                problems.append(Problem(label, *pos, found))

    def place(value: Any, mark: Any, *, scalar: tuple[str, str | None] | None = None) -> Path_ | None:
        nonlocal root_set
        pos = (mark.line + 1, mark.column + 1)
        if not stack:
            doc.value = value
            doc.value_marks[()] = pos
            root_set = True
            return ()
        frame = stack[-1]
        container, path = frame[0], frame[1]
        if isinstance(container, list):
            p = (*path, len(container))
            container.append(value)
            doc.value_marks[p] = pos
            check_value(scalar, pos)
            return p
        if frame[2] is None:
            if not isinstance(value, str) or scalar is None:
                # A plain null, ~ or nothing where a key should be, or a list or mapping.
                said = msg("yaml.key_null", key=scalar[0]) if value is None and scalar is not None else msg("yaml.key_not_text")
                problems.append(Problem(label, *pos, said))
                frame[2] = ("\0invalid", pos)
                return None
            found = _scalar_problem(scalar[0], scalar[1], as_key=True)
            if found:
                problems.append(Problem(label, *pos, found))
            if value in frame[4]:
                problems.append(Problem(label, *pos, msg("yaml.duplicate_key", key=value, line=frame[4][value])))
            else:
                frame[4][value] = pos[0]
            frame[2] = (value, pos)
            return None
        key, key_pos = frame[2]
        frame[2] = None
        p = (*path, key)
        if key != "\0invalid" and key not in container:
            container[key] = value
            doc.key_marks[p] = key_pos
            doc.value_marks[p] = pos
            check_value(scalar, pos)
        return p

    try:
        events: Any = yaml.parse(text, Loader=loader)
        for event in events:
            kind = type(event).__name__
            if kind == "ScalarEvent":
                _check_node(event, label, problems)
                value: Any = event.value
                if not event.style and _NULL.match(value):
                    value = None
                place(value, event.start_mark, scalar=(event.value, event.style))
            elif kind in ("MappingStartEvent", "SequenceStartEvent"):
                _check_node(event, label, problems)
                if len(stack) >= MAX_DEPTH:
                    m = event.start_mark
                    raise YamlProblems([*problems, Problem(label, m.line + 1, m.column + 1, msg("yaml.too_deep", depth=MAX_DEPTH))])
                container: Any = {} if kind == "MappingStartEvent" else []
                p = place(container, event.start_mark)
                stack.append([container, p if p is not None else ("\0invalid",), None, None, {}])
            elif kind in ("MappingEndEvent", "SequenceEndEvent"):
                stack.pop()
            elif kind == "AliasEvent":
                m = event.start_mark
                raise YamlProblems([*problems, Problem(label, m.line + 1, m.column + 1, msg("yaml.alias"))])
            elif kind == "DocumentStartEvent":
                documents += 1
                if documents > 1:
                    m = event.start_mark
                    raise YamlProblems([*problems, Problem(label, m.line + 1, 1, msg("yaml.two_documents"))])
    except yaml.YAMLError as exc:
        raise YamlProblems([*problems, _syntax_problem(exc, label, text)]) from None
    if problems:
        raise YamlProblems(problems)
    return doc


def _check_node(event: Any, label: str, problems: list[Problem]) -> None:
    m = event.start_mark
    if event.anchor is not None:
        problems.append(Problem(label, m.line + 1, m.column + 1, msg("yaml.anchor", anchor=event.anchor)))
    if event.tag is not None and event.tag != "!":
        problems.append(Problem(label, m.line + 1, m.column + 1, msg("yaml.tag", tag=event.tag)))


def load_bytes(data: bytes, label: str, *, lazy_marks: bool = False) -> Document:
    """Decode and parse a data file's bytes, raising YamlProblems with every fault found."""
    return parse(decode(data, label), label, lazy_marks=lazy_marks)


def load_value(data: bytes, label: str) -> Any:
    """`load_bytes(data, label).value`, with no document made around it (a forked worker's reading: share.py)."""
    text = decode(data, label)
    with contextlib.suppress(_NotPlain):
        return _read_lines(text.split("\n"))
    return parse(text, label, lazy_marks=True).value


# --- Round-trip editing (ruamel.yaml) -------------------------------------------------------------


_REPRESENTER: Any = None


def _safe_text_representer() -> Any:
    """ruamel.yaml's round-trip representer, but writing text so that this reader reads it back unchanged: quoted
    when YAML 1.1 tools would take it for a boolean, number or null (`no`, `on`, `1:30`, `010`), and in double
    quotes with escapes when it holds control characters or line separators an editor would not show."""
    global _REPRESENTER
    if _REPRESENTER is None:
        from ruamel.yaml.representer import RoundTripRepresenter

        class SafeTextRepresenter(RoundTripRepresenter):
            pass

        def represent_text(representer: Any, data: str) -> Any:
            style = None
            if CONTROL.search(data) or _ODD_BREAKS.search(data):
                style = '"'
            elif _BOOL_LIKE.match(data) or _SEXAGESIMAL.match(data) or _OCTAL_LIKE.match(data) or _NULL.match(data):
                style = "'"
            return representer.represent_scalar("tag:yaml.org,2002:str", data, style=style)

        SafeTextRepresenter.add_representer(str, represent_text)
        _REPRESENTER = SafeTextRepresenter
    return _REPRESENTER


def _round_trip() -> YAML:
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.Representer = _safe_text_representer()
    yaml.preserve_quotes = True
    # The shipped files indent lists under their key by two and never wrap long Chinese lines.
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 4096
    yaml.allow_duplicate_keys = False
    return yaml


def _check_shape(text: str, label: str) -> None:
    """Refuse, before ruamel.yaml sees it, what its recursive pure-Python composer cannot take (deep nesting) and
    what the strict reader refuses too: aliases, anchors and tags."""
    import yaml

    depth = 0
    try:
        events: Any = yaml.parse(text, Loader=getattr(yaml, "CSafeLoader", None) or yaml.SafeLoader)
        for event in events:
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    m: Any = event.start_mark
                    raise YamlProblems([Problem(label, m.line + 1, m.column + 1, msg("yaml.too_deep", depth=MAX_DEPTH))])
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
            elif isinstance(event, yaml.AliasEvent):
                m = event.start_mark
                raise YamlProblems([Problem(label, m.line + 1, m.column + 1, msg("yaml.alias"))])
            if isinstance(event, yaml.NodeEvent):
                problems: list[Problem] = []
                _check_node(event, label, problems)
                if problems:
                    raise YamlProblems(problems)
    except yaml.YAMLError as exc:
        raise YamlProblems([_syntax_problem(exc, label, text)]) from None


def rt_load(text: str, label: str = "<text>") -> Any:
    """Load text for editing; the result keeps comments, order and quoting when changed in place.

    Raises YamlProblems (never RecursionError or a ruamel exception) when the text is not one clean document.
    """
    if len(text.encode("utf-8", "surrogatepass")) > MAX_BYTES:
        raise YamlProblems([Problem(label, None, None, msg("yaml.text_too_big", limit=MAX_BYTES))])
    _check_shape(text, label)
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    try:
        data = _round_trip().load(text)
    except MarkedYAMLError as exc:
        raise YamlProblems([_syntax_problem(exc, label, text)]) from None
    except (YAMLError, RecursionError) as exc:
        raise YamlProblems([Problem(label, None, None, msg("yaml.cannot_edit", detail=f"{type(exc).__name__}: {exc}"))]) from None
    with contextlib.suppress(AttributeError):  # remembered so that rt_dump can give back what ruamel drops
        data._wkx_source = text
    return data


def rt_dump(data: Any) -> str:
    """Write back what rt_load returned, changing only what was changed."""
    import io

    buf = io.StringIO()
    _round_trip().dump(data, buf)
    source = getattr(data, "_wkx_source", None)
    return _keep_untouched(source, buf.getvalue()) if isinstance(source, str) else buf.getvalue()


_DROPPED_BY_RUAMEL = re.compile(r"^(\s*|---\s*|\.\.\.\s*)$")


def _keep_untouched(source: str, dumped: str) -> str:
    """ruamel.yaml's output, with the bytes it drops from untouched lines given back: blank lines at the top,
    '---' and '...' markers, spaces at line ends, a BOM, CRLF line ends. Lines are matched by their text
    without trailing white space; a line the edit changed or added comes from ruamel."""
    import difflib

    newline = "\r\n" if source.count("\r\n") and source.count("\r\n") == source.count("\n") else "\n"
    bom = "\ufeff" if source.startswith("\ufeff") else ""
    old = source[len(bom) :].replace("\r\n", "\n").split("\n")
    new = dumped.lstrip("\ufeff").split("\n")
    end = new.pop() if new[-1] == "" else ""  # the final newline is ruamel's, not a line to match
    if old[-1] == "":
        old.pop()
    # Blank lines are junk to the matcher: they never anchor a match, so they cannot pair lines out of order.
    matcher = difflib.SequenceMatcher(lambda line: line == "", [line.rstrip() for line in old], [line.rstrip() for line in new], autojunk=False)
    out: list[str] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            out += old[i1:i2]
        elif tag == "delete":
            out += [line for line in old[i1:i2] if _DROPPED_BY_RUAMEL.match(line)]
        elif tag == "insert":
            out += new[j1:j2]
        else:  # replaced: the changed lines from ruamel, between the blank lines and markers the old ones had
            old_head, old_tail = _droppable_ends(old[i1:i2])
            new_head, new_tail = _droppable_ends(new[j1:j2])
            out += old[i1 : i1 + old_head] + new[j1 + new_head : max(j1 + new_head, j2 - new_tail)] + old[max(i1 + old_head, i2 - old_tail) : i2]
    text = newline.join([*out, end])
    return bom + (text[: -len(newline)] if not source.endswith("\n") and text.endswith(newline) else text)


def _droppable_ends(lines: list[str]) -> tuple[int, int]:
    """How many lines at the start and at the end of lines are blank lines or document markers."""
    head = 0
    while head < len(lines) and _DROPPED_BY_RUAMEL.match(lines[head]):
        head += 1
    tail = 0
    while tail < len(lines) - head and _DROPPED_BY_RUAMEL.match(lines[len(lines) - 1 - tail]):
        tail += 1
    return head, tail


def dump_plain(data: Any) -> str:
    """A fresh YAML text for plain values (a new record, `show --format yaml`), block style, Chinese kept."""
    import io

    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.Representer = _safe_text_representer()
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 4096
    yaml.allow_unicode = True
    yaml.default_flow_style = False
    buf = io.StringIO()
    yaml.dump(data, buf)
    return buf.getvalue()
