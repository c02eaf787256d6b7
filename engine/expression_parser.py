"""The tokenizer and parser that read JUEL and simple FEEL and write the sandbox's Python.

A precedence-climbing parser per dialect; every method returns Python source, fully
parenthesized, so operator precedence never depends on Python's own. What it cannot read raises
`NotTranslatable` naming the part and its position. The supported subset is listed in
docs/bpmn-support.md; `engine.expressions` decides which language a text is in.
"""

from __future__ import annotations

import keyword
import re
from dataclasses import dataclass


class NotTranslatable(ValueError):
    """The text cannot be translated; the message names the part."""


# ---------------------------------------------------------------- tokens

@dataclass(frozen=True)
class Token:
    kind: str  # num, str, name, op, end
    text: str
    pos: int


_NUMBER = re.compile(r"\d+(?:\.\d+)?(?:[eE][+-]?\d+)?")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_OPS = {
    "juel": ("&&", "||", "==", "!=", "<=", ">=", "!", "<", ">", "+", "-", "*", "/", "%", "?", ":", ".", "[", "]", "(", ")", ","),
    "feel": ("..", "**", "!=", "<=", ">=", "=", "<", ">", "+", "-", "*", "/", ".", "[", "]", "(", ")", ","),
}
_QUOTES = {"juel": "'\"", "feel": '"'}
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "\\": "\\", "'": "'", '"': '"'}


def tokenize(text: str, dialect: str) -> list[Token]:
    tokens, i = [], 0
    while i < len(text):
        ch = text[i]
        if ch.isspace():
            i += 1
        elif ch in _QUOTES[dialect]:
            i = _string(text, i, tokens)
        elif ch.isdigit():
            found = _NUMBER.match(text, i)
            if dialect == "feel" and text.startswith("..", found.end() - 1) and "." in found.group():
                found = re.compile(r"\d+").match(text, i)  # `1..5` is a range, not the number `1.`
            tokens.append(Token("num", found.group(), i))
            i = found.end()
        elif _NAME.match(text, i):
            found = _NAME.match(text, i)
            tokens.append(Token("name", found.group(), i))
            i = found.end()
        else:
            op = next((o for o in _OPS[dialect] if text.startswith(o, i)), None)
            if op is None:
                raise NotTranslatable(f"the character {ch} at position {i + 1} is not understood")
            tokens.append(Token("op", op, i))
            i += len(op)
    tokens.append(Token("end", "", len(text)))
    return tokens


def _string(text: str, start: int, tokens: list[Token]) -> int:
    quote, i, out = text[start], start + 1, []
    while i < len(text) and text[i] != quote:
        if text[i] == "\\" and i + 1 < len(text):
            out.append(_ESCAPES.get(text[i + 1], text[i + 1]))
            i += 2
        else:
            out.append(text[i])
            i += 1
    if i >= len(text):
        raise NotTranslatable(f"the text starting at position {start + 1} has no closing {quote}")
    tokens.append(Token("str", "".join(out), start))
    return i + 1


# ---------------------------------------------------------------- parsing

_JUEL_WORDS = {"and": "&&", "or": "||", "not": "!", "eq": "==", "ne": "!=", "lt": "<", "gt": ">", "le": "<=",
               "ge": ">=", "div": "/", "mod": "%"}
_REFUSED_WORDS = {
    "juel": {"instanceof": "instanceof", "function": "function definitions"},
    "feel": {"some": "'some … satisfies'", "every": "'every … satisfies'", "for": "'for … return'",
             "function": "function definitions", "instance": "'instance of'"},
}
# FEEL functions with a Python counterpart in the sandbox (name -> template over the arguments).
_FEEL_FUNCTIONS = {
    "not": (1, "(not {0})"), "abs": (1, "abs({0})"), "count": (1, "len({0})"), "contains": (2, "({1} in {0})"),
    "min": (None, "min({})"), "max": (None, "max({})"), "sum": (None, "sum({})"),
}
_COMPARE = ("==", "!=", "<", ">", "<=", ">=")


class _Parser:
    """Precedence climbing over the tokens; every method returns Python source."""

    def __init__(self, text: str, dialect: str) -> None:
        self.dialect = dialect
        self.tokens = tokenize(text, dialect)
        self.i = 0

    # helpers
    @property
    def tok(self) -> Token:
        return self.tokens[self.i]

    def _word(self, tok: Token) -> str | None:
        """The operator a token stands for: JUEL's word operators are its symbols."""
        if tok.kind == "op":
            return tok.text
        if tok.kind == "name" and self.dialect == "juel" and tok.text in _JUEL_WORDS:
            return _JUEL_WORDS[tok.text]
        if tok.kind == "name" and self.dialect == "feel" and tok.text in ("and", "or", "in", "between", "then", "else"):
            return tok.text
        return None

    def at(self, *ops: str) -> bool:
        return self._word(self.tok) in ops

    def take(self) -> Token:
        tok = self.tok
        self.i += 1
        return tok

    def expect(self, op: str) -> None:
        if not self.at(op):
            self.fail(f"'{op}' was expected")
        self.take()

    def fail(self, why: str = "") -> None:
        tok = self.tok
        if tok.kind == "end":
            raise NotTranslatable("the expression ends too early" + (f": {why}" if why else ""))
        shown = f'"{tok.text}"' if tok.kind == "str" else f"'{tok.text}'"
        raise NotTranslatable(f"the part {shown} (at position {tok.pos + 1}) cannot be read" + (f": {why}" if why else ""))

    def parse(self) -> str:
        out = self.expression()
        if self.tok.kind == "name" and self.i and self.tokens[self.i - 1].kind == "name":
            before, after = self.tokens[self.i - 1].text, self.tok.text
            raise NotTranslatable(f"names with spaces ('{before} {after}') are not accepted; write one word, such as {before}_{after}")
        if self.tok.kind != "end":
            self.fail()
        return out

    # grammar
    def expression(self) -> str:
        if self.dialect == "feel" and self.tok.kind == "name" and self.tok.text == "if":
            self.take()
            cond = self.expression()
            self.expect("then")
            yes = self.expression()
            self.expect("else")
            return f"({yes} if {cond} else {self.expression()})"
        cond = self.disjunction()
        if self.dialect == "juel" and self.at("?"):
            self.take()
            yes = self.expression()
            self.expect(":")
            return f"({yes} if {cond} else {self.expression()})"
        return cond

    def disjunction(self) -> str:
        out = self.conjunction()
        while self.at("||", "or"):
            self.take()
            out = f"({out} or {self.conjunction()})"
        return out

    def conjunction(self) -> str:
        out = self.comparison()
        while self.at("&&", "and"):
            self.take()
            out = f"({out} and {self.comparison()})"
        return out

    def comparison(self) -> str:
        left = self.additive()
        while True:
            op = self._word(self.tok)
            if op == "=" or op in _COMPARE:
                self.take()
                left = _compare(left, "==" if op == "=" else op, self.additive())
            elif self.dialect == "feel" and op == "between":
                self.take()
                low = self.additive()
                self.expect("and")
                left = f"({low} <= {left} <= {self.additive()})"
            elif self.dialect == "feel" and op == "in":
                self.take()
                left = self.membership(left)
            else:
                return left

    def membership(self, left: str) -> str:
        """FEEL `x in [1, 2]`, `x in [1..5]`, `x in (1..5)`, `x in ]1..5]`, `x in names`."""
        if self.at("[", "(", "]"):
            opener = self.take().text
            if self.at("]"):
                self.take()
                return "False"
            first = self.expression()
            if self.at(".."):
                self.take()
                last = self.expression()
                closer = self.take().text if self.at("]", ")", "[") else self.fail("a range ends with ], ) or [")
                low = "<=" if opener == "[" else "<"
                high = "<=" if closer == "]" else "<"
                return f"({first} {low} {left} {high} {last})"
            items = [first]
            while self.at(","):
                self.take()
                items.append(self.expression())
            self.expect("]" if opener == "[" else ")")
            return f"({left} in ({', '.join(items)},))"
        return f"({left} in {self.additive()})"

    def additive(self) -> str:
        out = self.multiplicative()
        while self.at("+", "-"):
            op = self.take().text
            out = f"({out} {op} {self.multiplicative()})"
        return out

    def multiplicative(self) -> str:
        out = self.power()
        while self.at("*", "/", "%"):
            op = self._word(self.take())
            out = f"({out} {op} {self.power()})"
        return out

    def power(self) -> str:
        out = self.unary()
        while self.at("**"):
            self.take()
            out = f"({out} ** {self.unary()})"
        return out

    def unary(self) -> str:
        if self.at("-"):
            self.take()
            return f"(-{self.unary()})"
        if self.dialect == "juel" and self.at("!"):
            self.take()
            return f"(not {self.unary()})"
        if self.dialect == "juel" and self.tok.kind == "name" and self.tok.text == "empty":
            self.take()
            value = self.unary()
            return f"({value} is None or (isinstance({value}, (str, list, dict, tuple, set)) and len({value}) == 0))"
        return self.postfix()

    def postfix(self) -> str:
        name = self.tok.text if self.tok.kind == "name" else None
        out = self.primary()
        while True:
            if self.at("."):
                self.take()
                if self.tok.kind != "name":
                    self.fail("a field name was expected after '.'")
                field = self.take().text
                if self.at("("):
                    self.fail("method calls are not translated")
                out = f"{out}[{field!r}]"
                name = None
            elif self.at("["):
                if self.dialect == "feel":
                    self.fail("FEEL filters and 1-based indexes are not translated")
                self.take()
                index = self.expression()
                self.expect("]")
                out = f"{out}[{index}]"
                name = None
            elif self.at("("):
                if name is None:
                    self.fail("only named functions can be called")
                out = self.call(name)
                name = None
            else:
                return out

    def call(self, name: str) -> str:
        self.expect("(")
        args = []
        while not self.at(")"):
            args.append(self.expression())
            if not self.at(")"):
                self.expect(",")
        self.take()
        if self.dialect == "juel":
            return f"{name}({', '.join(args)})"
        if name not in _FEEL_FUNCTIONS:
            raise NotTranslatable(f"the FEEL function '{name}' is not translated (known: {', '.join(sorted(_FEEL_FUNCTIONS))})")
        arity, template = _FEEL_FUNCTIONS[name]
        if arity is None:
            return template.format(", ".join(args))
        if len(args) != arity:
            raise NotTranslatable(f"the FEEL function '{name}' takes {arity} argument(s), not {len(args)}")
        return template.format(*args)

    def primary(self) -> str:
        tok = self.tok
        if tok.kind == "num":
            self.take()
            return tok.text
        if tok.kind == "str":
            self.take()
            return repr(tok.text)
        if self.at("("):
            self.take()
            out = self.expression()
            self.expect(")")
            return out
        if self.dialect == "feel" and self.at("["):
            self.take()
            items = []
            while not self.at("]"):
                items.append(self.expression())
                if not self.at("]"):
                    self.expect(",")
            self.take()
            return f"[{', '.join(items)}]"
        if tok.kind == "name":
            constant = {"true": "True", "false": "False", "null": "None"}.get(tok.text)
            if constant:
                self.take()
                return constant
            refused = _REFUSED_WORDS[self.dialect].get(tok.text)
            if refused:
                raise NotTranslatable(f"{refused} (at position {tok.pos + 1}) is not translated")
            is_call = self.tokens[self.i + 1].text == "("
            if not is_call and (tok.text.startswith("_") or keyword.iskeyword(tok.text) or tok.text in _JUEL_WORDS):
                self.fail("this name cannot be used for data")
            self.take()
            return tok.text
        self.fail()
        return ""  # unreachable


def _compare(left: str, op: str, right: str) -> str:
    if right == "None" and op in ("==", "!="):
        return f"({left} is {'not ' if op == '!=' else ''}None)"
    if left == "None" and op in ("==", "!="):
        return f"({right} is {'not ' if op == '!=' else ''}None)"
    return f"({left} {op} {right})"


def juel_to_python(text: str) -> str:
    """JUEL: `${…}` or `#{…}` around an EL expression (the braces may be left out)."""
    inner = text.strip()
    found = re.fullmatch(r"[$#]\{(.*)\}", inner, re.S)
    if found:
        inner = found.group(1)
    if "${" in inner or "#{" in inner:
        raise NotTranslatable("text mixed with ${…} parts is not a condition")
    return _Parser(inner, "juel").parse()


def feel_to_python(text: str) -> str:
    """Simple FEEL (a leading `=`, as Camunda 8 writes it, is allowed)."""
    inner = text.strip()
    if inner.startswith("="):
        inner = inner[1:]
    return _Parser(inner, "feel").parse()
