"""Restricted Python for gateway conditions, script tasks, timer expressions and DMN cells.

SpiffWorkflow's default environment runs model text with plain eval/exec, so anyone who can deploy
a BPMN or DMN file can run arbitrary code in the server (`().__class__.__base__.__subclasses__()`
reaches `os` even with a trimmed `__builtins__`). Everything here is compiled by RestrictedPython,
which rewrites attribute access, subscripts, iteration and in-place operators into calls to the
guard functions below; names and attributes starting with "_" never compile.

Not covered: CPU and memory exhaustion (`while True: pass`, `"x" * 10**10`). Model authors are
trusted not to do that; they are not trusted with the host.
"""

from __future__ import annotations

import _string  # the parser str.format itself uses; keeps _SafeFormatter faithful to str.format
import ast
import builtins
import operator
import string
import types
from collections.abc import Callable, Mapping, Sequence
from functools import lru_cache, partial
from typing import Any

from RestrictedPython import compile_restricted
from RestrictedPython.Guards import guarded_iter_unpack_sequence, guarded_unpack_sequence
from RestrictedPython.transformer import INSPECT_ATTRIBUTES, RestrictingNodeTransformer
from SpiffWorkflow.bpmn.exceptions import WorkflowTaskException
from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine
from SpiffWorkflow.bpmn.script_engine.python_environment import BasePythonScriptEngineEnvironment
from SpiffWorkflow.exceptions import SpiffWorkflowException

from engine.services import ServiceFailed, ServiceRegistry

__all__ = ["RestrictedEnvironment", "RestrictedScriptEngine", "ScriptSecurityError", "make_script_engine"]


class ScriptSecurityError(Exception):
    """A process expression or script tried something the sandbox refuses."""


_ALLOWED_BUILTINS: dict[str, Any] = {
    name: getattr(builtins, name)
    for name in (
        "True", "False", "None", "abs", "min", "max", "round", "sum", "len", "int", "float", "str",
        "bool", "list", "dict", "tuple", "set", "sorted", "range", "any", "all", "enumerate", "zip",
        "isinstance",
    )
}  # fmt: skip

ALLOWED_FUNCTIONS = frozenset(_ALLOWED_BUILTINS)

# Real builtins we withhold: a NameError for one of these becomes a ScriptSecurityError so the model
# author learns the name is forbidden rather than misspelt.
_WITHHELD_BUILTINS = frozenset(vars(builtins)) - frozenset(_ALLOWED_BUILTINS)

# Compile-time refusals of names the interpreter would otherwise only fail on at run time.
_UNAVAILABLE_NAMES = frozenset({"print", "printed"})


class _Policy(RestrictingNodeTransformer):
    """RestrictedPython's policy, with imports and classes refused and messages a model author can read."""

    def check_name(self, node: Any, name: str | None, allow_magic_methods: bool = False) -> None:
        # No magic-method exception: nothing legitimate in a process script needs a "_" name.
        if name is not None and name.startswith("_") and name != "_":
            self.error(node, f"name '{name}' is not allowed")
        elif name in _UNAVAILABLE_NAMES:
            self.error(node, f"'{name}' is not available in process scripts")
        else:
            super().check_name(node, name, allow_magic_methods)

    def visit_Name(self, node: ast.Name) -> Any:
        # RestrictedPython turns `print` into a hidden collector before checking the name, which
        # would fail at run time with a puzzling NameError.
        if node.id in _UNAVAILABLE_NAMES:
            self.error(node, f"'{node.id}' is not available in process scripts")
            return node
        return super().visit_Name(node)

    def visit_Attribute(self, node: ast.Attribute) -> Any:
        if node.attr.startswith("_") or node.attr in INSPECT_ATTRIBUTES:
            self.node_contents_visit(node)  # report inner refusals first, in reading order
            self.error(node, f"access to attribute '{node.attr}' is not allowed")
            return node
        return super().visit_Attribute(node)

    def visit_Import(self, node: ast.Import | ast.ImportFrom) -> Any:
        # RestrictedPython compiles imports and leaves refusal to a runtime __import__ hook; refusing
        # here reports the problem at the right line with a clear message.
        self.error(node, "import statements are not allowed")
        return node

    visit_ImportFrom = visit_Import

    def visit_ClassDef(self, node: ast.ClassDef) -> Any:
        self.error(node, "class definitions are not allowed")
        return node


@lru_cache(maxsize=4096)
def _compile(source: str, mode: str) -> types.CodeType:
    """Compile once per (source, mode): the same gateway condition runs for every instance."""
    # Parse first so a typo surfaces as an ordinary SyntaxError (with its line number) instead of
    # being reported as a security refusal.
    tree = ast.parse(source, "<string>", mode)
    try:
        # "<string>" is the file name PythonScriptEngine looks for to report the failing line.
        return compile_restricted(tree, filename="<string>", mode=mode, policy=_Policy)
    except SyntaxError as err:
        # compile_restricted packs the policy's messages, one per refusal, into args[0].
        problems = err.args[0] if err.args and isinstance(err.args[0], list | tuple) else [str(err)]
        raise ScriptSecurityError("; ".join(problems)) from None


def _getattr(obj: Any, name: str) -> Any:
    # Compile-time checks only see literal attribute names; this also covers names reached
    # indirectly, such as the fields of a format string.
    if name.startswith("_") or name in INSPECT_ATTRIBUTES:
        raise ScriptSecurityError(f"access to attribute '{name}' is not allowed")
    if name in _STR_FORMAT_METHODS and (
        isinstance(obj, str) or (isinstance(obj, type) and issubclass(obj, str))
    ):
        method = _STR_FORMAT_METHODS[name]
        return partial(method, obj) if isinstance(obj, str) else method
    return getattr(obj, name)


class _SafeFormatter(string.Formatter):
    """str.format whose "{0.attr}" / "{0[key]}" fields go through the same guards as script code."""

    def get_field(self, field_name: str, args: Sequence[Any], kwargs: Mapping[str, Any]) -> tuple[Any, Any]:
        first, rest = _string.formatter_field_name_split(field_name)
        obj = self.get_value(first, args, kwargs)
        for is_attr, key in rest:
            obj = _getattr(obj, key) if is_attr else obj[key]
        return obj, first


_FORMATTER = _SafeFormatter()


def _format(template: str, /, *args: Any, **kwargs: Any) -> str:
    return _FORMATTER.vformat(template, args, kwargs)


def _format_map(template: str, mapping: Mapping[str, Any], /) -> str:
    return _FORMATTER.vformat(template, (), mapping)


_STR_FORMAT_METHODS: dict[str, Callable[..., str]] = {"format": _format, "format_map": _format_map}


def _getitem(obj: Any, key: Any) -> Any:
    return obj[key]


def _write(obj: Any) -> Any:
    # Item assignment and `del` on task data containers is normal script work; writing into any
    # other object (an extra function, a type) is not.
    if isinstance(obj, dict | list):
        return obj
    raise ScriptSecurityError(f"changing a '{type(obj).__name__}' object is not allowed")


_INPLACE_OPERATORS: dict[str, Callable[[Any, Any], Any]] = {
    "+=": operator.iadd, "-=": operator.isub, "*=": operator.imul, "/=": operator.itruediv,
    "%=": operator.imod, "**=": operator.ipow, "<<=": operator.ilshift, ">>=": operator.irshift,
    "|=": operator.ior, "^=": operator.ixor, "&=": operator.iand, "//=": operator.ifloordiv,
    "@=": operator.imatmul,
}  # fmt: skip


def _inplacevar(op: str, target: Any, value: Any) -> Any:
    return _INPLACE_OPERATORS[op](target, value)


def _apply(func: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    return func(*args, **kwargs)


_GUARDS: dict[str, Any] = {
    "_getattr_": _getattr,
    "_getitem_": _getitem,
    "_getiter_": iter,
    "_write_": _write,
    "_inplacevar_": _inplacevar,
    "_apply_": _apply,
    "_unpack_sequence_": guarded_unpack_sequence,
    "_iter_unpack_sequence_": guarded_iter_unpack_sequence,
}


def _run(code: types.CodeType, scope: dict[str, Any]) -> Any:
    try:
        return eval(code, scope)  # noqa: S307 - code comes from compile_restricted; eval also runs exec-mode code
    except NameError as err:
        if err.name in _WITHHELD_BUILTINS:
            # Keep the traceback: it holds the "<string>" frame the engine reads the line number from.
            message = f"'{err.name}' is not available in process scripts (and no task variable has that name)"
            raise ScriptSecurityError(message).with_traceback(err.__traceback__) from None
        raise


class RestrictedEnvironment(BasePythonScriptEngineEnvironment):
    """Drop-in for TaskDataEnvironment: same data handling, restricted code."""

    def __init__(self, functions: Mapping[str, Callable[..., Any]] | None = None) -> None:
        extra = dict(functions or {})
        for name in extra:
            if not name.isidentifier() or name.startswith("_"):
                raise ValueError(f"script function name {name!r} must be an identifier not starting with '_'")
        # Extra functions live in __builtins__ rather than in the globals: a task variable with the
        # same name then merely shadows the function, instead of being stripped from task data after
        # every script (which is what TaskDataEnvironment does to names it injects).
        super().__init__({"__builtins__": {**_ALLOWED_BUILTINS, **extra}, **_GUARDS})

    def evaluate(
        self, expression: str, context: dict[str, Any], external_context: dict[str, Any] | None = None
    ) -> Any:
        code = _compile(expression, "eval")
        # Same precedence as TaskDataEnvironment (task data over external context), except that
        # nothing may replace the guards or builtins.
        return _run(code, {**(external_context or {}), **context, **self.globals})

    def execute(
        self, script: str, context: dict[str, Any], external_context: dict[str, Any] | None = None
    ) -> bool:
        external = external_context or {}
        clash = set(external).intersection(context)
        if clash:
            # Those names are removed after the script; continuing would silently lose task data.
            raise ValueError(f"task data overwrites predefined name(s) {sorted(clash)}; please rename them")
        code = _compile(script, "exec")
        # The task data dict is the globals, as in TaskDataEnvironment, so assignments land in it and
        # functions or comprehensions defined by the script see the other variables.
        context.update(external)
        context.update(self.globals)
        try:
            _run(code, context)
        finally:
            self._strip(context, external)
        self._reject_iterators(context)
        return True

    def _strip(self, context: dict[str, Any], external: Mapping[str, Any]) -> None:
        # Task data must stay serializable: drop what we injected and whatever the script defined
        # that is code (functions, lambdas; modules cannot appear since imports are refused).
        for key in list(context):
            value = context[key]
            if (
                key in self.globals
                or key in external
                or callable(value)
                or isinstance(value, types.ModuleType)
            ):
                del context[key]

    @staticmethod
    def _reject_iterators(context: Mapping[str, Any]) -> None:
        # `pairs = zip(a, b)` would be stored as a one-shot iterator that the serializer cannot
        # write; say so here rather than fail later in an unrelated save.
        for key, value in context.items():
            if isinstance(value, range) or hasattr(value, "__next__"):
                raise TypeError(
                    f"variable '{key}' holds a {type(value).__name__} object, which cannot be kept in "
                    f"task data; wrap it in list(...)"
                )

    def call_service(self, context: dict[str, Any], **kwargs: Any) -> Any:
        raise ScriptSecurityError("service tasks run only through the engine's registry of operators")


class RestrictedScriptEngine(PythonScriptEngine):
    """PythonScriptEngine whose evaluate errors keep the underlying message.

    The stock evaluate wraps every failure as "Error evaluating expression '...'" and drops the
    cause's text, so a refused gateway condition or DMN cell would not say why. Service tasks call
    the registry of named operators (engine/services.py); the stock call_service fails with a
    NameError of its own.
    """

    def __init__(self, environment: BasePythonScriptEngineEnvironment, services: ServiceRegistry | None = None) -> None:
        super().__init__(environment=environment)
        self.services = services or ServiceRegistry()

    def call_service(self, task: Any, **kwargs: Any) -> Any:
        name = kwargs.get("operation_name")
        params = {k: (v.get("value") if isinstance(v, dict) else v) for k, v in (kwargs.get("operation_params") or {}).items()}
        try:
            return self.services.call(str(name), params, task.data, getattr(task.workflow.top_workflow, "instance_id", None))
        except Exception as err:
            what = str(err) if isinstance(err, ServiceFailed) else f"{type(err).__name__}: {err}"
            raise WorkflowTaskException(
                f"The service operator '{name}' failed: {what}", task=task, exception=err
            ) from err

    def evaluate(self, task: Any, expression: str, external_context: dict[str, Any] | None = None) -> Any:
        try:
            return self.environment.evaluate(expression, task.data, external_context)
        except SpiffWorkflowException as err:
            err.add_note(f"Error evaluating expression '{expression}'")
            raise
        except Exception as err:
            raise WorkflowTaskException(
                f"Error evaluating expression '{expression}': {type(err).__name__}: {err}",
                task=task,
                exception=err,
            ) from err


def make_script_engine(
    functions: Mapping[str, Callable[..., Any]] | None = None, services: ServiceRegistry | None = None
) -> PythonScriptEngine:
    """A script engine for BpmnWorkflow whose code may use only the whitelisted builtins and `functions`,
    and whose service tasks may call only the operators of `services`.

    The engine holds no per-workflow state, so one instance can serve every workflow and thread.
    """
    return RestrictedScriptEngine(RestrictedEnvironment(functions), services)
