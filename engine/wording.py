"""The XML schema's and the library's findings said in plain words, naming the element.

An administrator reading a refusal should see which element is wrong and what to do, never
`{http://…}incoming`, `xs:QName`, a Python repr or the library's guesses ("perhaps a form has the
same ID"). Unknown library texts are kept but cleaned of namespaces and reprs.
"""

from __future__ import annotations

import re

from lxml import etree
from SpiffWorkflow.bpmn.parser.ValidationException import ValidationException

from engine.errors import Problem

_TYPES = {
    "QName": "a reference to another element's id",
    "IDREF": "a reference to another element's id",
    "ID": "an id used by no other element, starting with a letter or _",
    "NCName": "a name without spaces or colons",
    "boolean": "true or false",
    "int": "a whole number",
    "integer": "a whole number",
    "anyURI": "an address (URI)",
    "double": "a number",
    "decimal": "a number",
}
_NS = re.compile(r"\{[^}]*\}")
_XSD = re.compile(r"Element '(?P<element>[^']+)'(?:, attribute '(?P<attribute>[^']+)')?: (?P<rest>.*)", re.S)
_XSD_FINDINGS = (
    (re.compile(r"'(?P<value>.*)' is not a valid value of the (?:atomic|list|union) type '(?:xs:)?(?P<type>\w+)'"),
     lambda m, where, attr: f"{attr} holds '{m['value']}', which is not {_TYPES.get(m['type'], 'a valid value')}."),
    (re.compile(r"The attribute '(?P<name>[^']+)' is not allowed"),
     lambda m, where, attr: f"{where} may not have the attribute '{m['name']}'."),
    (re.compile(r"The attribute '(?P<name>[^']+)' is required but missing"),
     lambda m, where, attr: f"{where} needs the attribute '{m['name']}'."),
    (re.compile(r"This element is not expected\. Expected is (?:one of )?\(?(?P<expected>[^)]*)\)?"),
     lambda m, where, attr: f"{where} is not allowed here; expected: {', '.join(_local_names(m['expected']))}."),
    (re.compile(r"This element is not expected"), lambda m, where, attr: f"{where} is not allowed here."),
    (re.compile(r"Missing child element\(s\)\. Expected is (?:one of )?\(?(?P<expected>[^)]*)\)?"),
     lambda m, where, attr: f"{where} lacks a child element: {', '.join(_local_names(m['expected']))}."),
    (re.compile(r"Character content other than whitespace is not allowed"),
     lambda m, where, attr: f"{where} may not hold text."),
)


def _local_names(listed: str) -> list[str]:
    return [_NS.sub("", n).strip() for n in listed.split(",") if n.strip()]


def _clean(text: str) -> str:
    text = _NS.sub("", text)
    text = re.sub(r"\bxs:(\w+)", lambda m: _TYPES.get(m.group(1), m.group(1)), text)
    text = re.sub(r"b'<[^']*'", "the element", text)
    return re.sub(r"\.{2,}$", ".", text.strip())


def _element_at(root: etree._Element | None, local: str, line: int | None) -> etree._Element | None:
    """The element the schema complains about: the one with that tag on that line."""
    if root is None or not line:
        return None
    for el in root.iter():
        if isinstance(el.tag, str) and el.sourceline == line and etree.QName(el).localname == local:
            return el
    return None


def _named(el: etree._Element | None) -> etree._Element | None:
    """The element itself or its nearest ancestor with an id (a `<bpmn:incoming>` has none)."""
    while el is not None and not el.get("id"):
        el = el.getparent()
    return el


def schema_problem(err: ValidationException, file: str, root: etree._Element | None) -> Problem:
    """An XML schema finding: which element, which attribute, what it should hold."""
    line = err.line_number if isinstance(err.line_number, int) else None
    message = str(err).split("\n")[0].strip()
    found = _XSD.match(message)
    if not found:
        return Problem(_clean(message), file=file, line=line)
    local = _NS.sub("", found["element"])
    el = _element_at(root, local, line)
    named = _named(el)
    if named is not None and named is not el:
        where = f"The <{local}> element of '{named.get('name') or named.get('id')}'"
    else:
        where = f"The <{local}>" + (f" '{named.get('name') or named.get('id')}'" if named is not None else " element")
    attr = f"The attribute '{found['attribute']}' of <{local}>" if found["attribute"] else where
    rest = found["rest"]
    plain = None
    for pattern, say in _XSD_FINDINGS:
        hit = pattern.search(rest)
        if hit:
            plain = say(hit, where, attr)
            break
    if plain is None:
        plain = f"{where}: {_clean(rest)}"
    if found["attribute"] == "id" and "not a valid value" in rest:
        plain = f"The id '{el.get('id') if el is not None else ''}' is used by more than one element, or is not a valid id."
    return Problem(
        plain, file=file, line=line,
        element_id=named.get("id") if named is not None else None,
        element_name=named.get("name") if named is not None else None,
    )


# The library's wording for model findings, said plainly (pattern -> message; groups fill in).
_PLAIN = (
    (re.compile(r"Data Store with name (.*) has no implementation"),
     "The data store '{0}' cannot be used: the engine keeps no data outside the application."),
    (re.compile(r"Unknown Time Specification"), "The timer has no date, duration or cycle."),
    (re.compile(r"Time Specification Error"), "The timer's time is not an ISO 8601 date, duration or cycle."),
    (re.compile(r"Cannot resolve dataInputAssociation"), "A data input association refers to data that does not exist."),
    (re.compile(r"Cannot resolve dataOutputAssociation"), "A data output association refers to data that does not exist."),
    (re.compile(r"found two items, perhaps"), "Two elements have the same id, or a flow leads to an element that does not exist."),
    (re.compile(r"There is no support implemented for this task type"), "This kind of element ({tag}) cannot be run by the engine."),
    (re.compile(r"Exactly one start event is required in a SubWorkflow Task; found (\d+)"),
     "The sub-process needs exactly one start event (it has {0})."),
    (re.compile(r"A SubWorkflow Must contain an End event"), "The sub-process needs an end event."),
    (re.compile(r"Non-default exclusive outgoing sequence flow without condition"),
     "A flow leaving this exclusive gateway has no condition and is not the default."),
    (re.compile(r"Cancel Events may only be used with transactions"),
     "Cancel events belong to transactions, which the engine does not run."),
    (re.compile(r"Could not find messageRef from message event definition: (.*)"), "The message '{0}' is not defined in the file."),
    (re.compile(r"Expected an? (\w+) node"), "The {0} this event refers to is not defined in the file."),
    (re.compile(r"No start event found"), "The process has no start event."),
    (re.compile(r"Duplicate process ID: (.*)"), "Two processes have the id '{0}'."),
    (re.compile(r"Multiple decision tables are not current supported"), "A DMN decision may hold only one decision table."),
    (re.compile(r"The process '(.*)' was not found"), "The called process '{0}' is neither in these files nor deployed."),
)


def library_problem(err: ValidationException, file: str | None = None) -> Problem:
    """A finding of the library's parser, in plain words, naming the element."""
    line = err.line_number if isinstance(err.line_number, int) else None
    message = str(err).split("\n")[0].strip()
    tag = _NS.sub("", getattr(err, "tag", "") or "").split(":")[-1] or "this element"
    for pattern, plain in _PLAIN:
        found = pattern.search(message)
        if found:
            message = plain.format(*found.groups(), tag=f"<{tag}>")
            break
    else:
        message = _clean(message)
    return Problem(message, file=err.file_name or file, element_id=err.id or None, element_name=err.name or None, line=line)


def unexpected_problem(err: Exception, file: str | None = None) -> Problem:
    """A library failure that is not a validation finding: said without a repr or traceback."""
    if isinstance(err, NotImplementedError):
        return Problem("The model uses a construct the engine cannot run (see docs/bpmn-support.md).", file=file)
    text = _clean(str(err.args[0]) if err.args and isinstance(err.args[0], str) else str(err))
    text = re.sub(r"\w+(Error|Exception)\(.*", "", text).strip() or "the library could not read it"
    return Problem(f"The process could not be built: {text}", file=file)


# What no problem message may contain (the tests assert it for the whole corpus).
LEAKS = re.compile(r"xs:|\{http|Traceback|\w+(Error|Exception)\(|b'<|%r|perhaps a form", re.I)
