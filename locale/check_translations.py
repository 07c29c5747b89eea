#!/usr/bin/env python3
"""List the entries of a gettext .po file that still need a translator.

Usage:
    python locale/check_translations.py locale/en/LC_MESSAGES/django.po [more.po ...]

An entry needs work when any of its msgstr (or msgstr[n]) is empty, or when it
carries the "fuzzy" flag (makemessages marks guessed translations fuzzy, and
Django ignores them). A fuzzy header is reported too, because msgfmt then drops
the header and its charset. Obsolete entries ("#~") are ignored.

Exit status: 0 when everything is translated, 1 when something is listed,
2 on a usage or read error. Standard library only.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field

_KEYWORD = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s+(".*")\s*$')
_CONTINUATION = re.compile(r'^\s*(".*")\s*$')
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\", "a": "\a", "b": "\b", "f": "\f", "v": "\v"}


def _unquote(quoted: str) -> str:
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(1)), quoted[1:-1])


@dataclass
class Entry:
    line: int
    flags: set[str] = field(default_factory=set)
    references: list[str] = field(default_factory=list)
    fields: dict[str, str] = field(default_factory=dict)

    @property
    def is_header(self) -> bool:
        return self.fields.get("msgid") == "" and "msgctxt" not in self.fields

    def problems(self) -> list[str]:
        found = []
        if "fuzzy" in self.flags:
            found.append("fuzzy")
        if not self.is_header:
            strs = {k: v for k, v in self.fields.items() if k.startswith("msgstr")}
            if not strs:
                found.append("no msgstr")
            empty = sorted(k for k, v in strs.items() if v == "")
            if empty:
                found.append("empty " + ", ".join(empty))
        return found


def parse(text: str) -> list[Entry]:
    entries: list[Entry] = []
    current: Entry | None = None
    last_key: str | None = None
    seen_msgstr = False

    def start(lineno: int) -> Entry:
        nonlocal seen_msgstr, last_key
        entry = Entry(line=lineno)
        entries.append(entry)
        seen_msgstr, last_key = False, None
        return entry

    for lineno, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            current, last_key = None, None
            continue
        if line.startswith("#~"):  # obsolete entry: not used at runtime
            current, last_key = None, None
            continue
        if line.startswith("#"):
            if current is None or seen_msgstr:
                current = start(lineno)
            if line.startswith("#,"):
                current.flags.update(f.strip() for f in line[2:].split(",") if f.strip())
            elif line.startswith("#:"):
                current.references.extend(line[2:].split())
            continue
        match = _KEYWORD.match(line)
        if match:
            key, value = match.groups()
            if current is None or (seen_msgstr and key in ("msgctxt", "msgid")):
                current = start(lineno)
            current.fields[key] = _unquote(value)
            last_key = key
            if key.startswith("msgstr"):
                seen_msgstr = True
            continue
        cont = _CONTINUATION.match(line)
        if cont and current is not None and last_key is not None:
            current.fields[last_key] += _unquote(cont.group(1))
            continue
        raise ValueError(f"line {lineno}: cannot parse {raw!r}")
    return entries


def _short(text: str, width: int = 70) -> str:
    text = text.replace("\n", "\\n")
    return text if len(text) <= width else text[: width - 1] + "…"


def check(path: str) -> int:
    try:
        with open(path, encoding="utf-8") as handle:
            entries = parse(handle.read())
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        print(f"{path}: {exc}", file=sys.stderr)
        return -1
    bad = 0
    for entry in entries:
        problems = entry.problems()
        if not problems:
            continue
        bad += 1
        label = "(header)" if entry.is_header else repr(_short(entry.fields.get("msgid", "")))
        if "msgctxt" in entry.fields:
            label = f"[{entry.fields['msgctxt']}] {label}"
        where = f" ({entry.references[0]})" if entry.references else ""
        print(f"{path}:{entry.line}: {'; '.join(problems)}: {label}{where}")
    messages = [e for e in entries if not e.is_header]
    done = sum(1 for e in messages if not e.problems())
    print(f"{path}: {done} of {len(messages)} messages translated; {bad} entries need work.", file=sys.stderr)
    return bad


def main(argv: list[str]) -> int:
    if not argv or argv[0] in ("-h", "--help"):
        print(__doc__.strip(), file=sys.stderr)
        return 2
    status = 0
    for path in argv:
        result = check(path)
        if result < 0:
            return 2
        if result:
            status = 1
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
