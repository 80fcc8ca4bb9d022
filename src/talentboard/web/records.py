"""One way to edit a record on the web: a declared description and one set of handlers.

Each editable record kind is declared once, as a :class:`RecordKind`: its form, how it is
found inside the caller's scope, the rules it keeps, how it is saved, what the audit trail
says and the page around the form. :func:`mount` turns a declaration into its pages (a
form to add a record, a form to change one, or both), all served by the same handlers,
which take the same steps in the same order:

1. find the parent record inside the caller's scope, then the record itself (outside the
   scope: 404, the same answer as a record that does not exist);
2. parse the form (``forms.base``), check the rules between its fields
   (:mod:`talentboard.rules`, the very objects imports check) and the kind's rules that
   need the database;
3. save: a new record is added; a changed one is saved only if it is still at the version
   the form was shown (``editing.save_edit``), otherwise the form comes back, with the
   record as it now stands, and status 409;
4. write the audit event in the same transaction, commit, and go back to the record.

A form with errors comes back with them and status 400. Pages that do not take this shape
(a person's page, lists, decisions, matching runs) stay ordinary routes.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Annotated, Any, Generic, TypeVar

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from talentboard.ingest.kinds import get_kind
from talentboard.ingest.record import check_records
from talentboard.matching.store import DecisionError
from talentboard.rules import Rule
from talentboard.web import audit
from talentboard.web.deps import FormDep, SessionDep, requires
from talentboard.web.editing import STALE_MESSAGE, StaleEditError, parse_version, save_edit
from talentboard.web.forms.base import Field, FormResult, parse_form, raw_from_values
from talentboard.web.forms.pages import form_page
from talentboard.web.permissions import Capability, NotFoundError, Principal
from talentboard.web.templating import told

R = TypeVar("R")
T = TypeVar("T")

# Path parameters that are a record's internal id are whole numbers; every other one is text.
_PARAMETER = re.compile(r"{(\w+)}")
WHOLE_NUMBERS = frozenset({"ref", "proposal_id", "pairing_id"})


@dataclass
class Edit:
    """One request to a record's form: who asks, about what, and what was found on the way.

    ``parent`` is what the kind's scope rule found (a person, a post); ``record`` the record
    being changed, once found; ``found`` anything the kind's checks looked up for the save
    (the post an appointment names, say).
    """

    request: Request
    session: Session
    principal: Principal
    path: dict[str, Any]
    address: str
    parent: Any = None
    record: Any = None
    found: dict[str, Any] = field(default_factory=dict)

    def query(self, name: str) -> str | None:
        return self.request.query_params.get(name)

    def add(self, record: T) -> T:
        """Add a new record to the session; the handler flushes it before the audit."""
        self.session.add(record)
        return record


@dataclass(frozen=True)
class Page:
    """What surrounds a record's form: its heading, caption, introduction and links."""

    title: str
    back: dict[str, str] | None = None
    caption: str | None = None
    lede: str | None = None
    submit: str = "Save"
    action: str | None = None  # where the form is sent, if not to the page's own address
    # A choice that changes what the form offers, sent to the page itself by GET first:
    # {"name", "label", "items": [{"value", "text", "selected"}]}.
    chooser: dict[str, Any] | None = None


@dataclass(frozen=True)
class Imported:
    """The import kind a record is a row of, and how to write the record as its rows.

    The record is checked as those rows of a file of that kind would be
    (``ingest.record``): its import's cells, orders, requirements, references and rules.
    """

    kind: str
    rows: Callable[[Edit, dict[str, Any]], list[dict[str, Any]]]


@dataclass(frozen=True)
class AuditEntry:
    """What the audit trail says of a change: the entity, its key and any detail."""

    entity: str
    key: str | None
    detail: dict[str, Any] | None = None


class FormError(Exception):
    """A rule found broken only when saving (a clash the database reports)."""

    def __init__(self, name: str, message: str) -> None:
        super().__init__(message)
        self.name = name
        self.message = message


def _nothing(edit: Edit) -> None:
    return None


def _no_initial(edit: Edit) -> Mapping[str, Any]:
    return {}


def _no_check(edit: Edit, result: FormResult) -> None:
    return None


def _as_given(edit: Edit, values: dict[str, Any]) -> dict[str, Any]:
    return values


@dataclass(frozen=True)
class RecordKind(Generic[R]):
    """An editable record kind, declared once.

    ``new_path`` and ``edit_path`` are the addresses of the forms to add and to change a
    record (relative to the router's prefix; either may be None). ``scope`` finds the parent
    inside the caller's scope or raises ``NotFoundError``; ``find`` finds the record to
    change the same way, and may answer None for a record kept one per parent and not yet
    made, whose change form then adds it. ``check`` adds the errors of the rules that need
    the database; ``create`` adds a new record to the session (or raises
    :class:`FormError`); ``changes`` turns the form's values into the columns to save.
    """

    noun: str
    capability: Capability
    fields: Callable[[Edit], Sequence[Field]]
    page: Callable[[Edit], Page]
    audit: Callable[[Edit, str, R], AuditEntry]
    done: Callable[[Edit, R], str]
    new_path: str | None = None
    edit_path: str | None = None
    scope: Callable[[Edit], Any] = _nothing
    find: Callable[[Edit], R | None] | None = None
    initial: Callable[[Edit], Mapping[str, Any]] = _no_initial
    values: Callable[[Edit, R], Mapping[str, Any]] | None = None
    imported: Imported | None = None
    check: Callable[[Edit, FormResult], None] = _no_check
    create: Callable[[Edit, dict[str, Any]], R] | None = None
    changes: Callable[[Edit, dict[str, Any]], dict[str, Any]] = _as_given
    shown: Callable[[Edit], None] = _nothing  # run when the change form is first shown

    def stored(self, edit: Edit, record: R) -> Mapping[str, Any]:
        """The record's values as its form takes them."""
        if self.values is not None:
            return self.values(edit, record)
        return {f.name: getattr(record, f.name, None) for f in self.fields(edit)}


# The handlers: every record kind's forms go through these four.


def show_new(kind: RecordKind[Any], edit: Edit) -> Response:
    fields = kind.fields(edit)
    return _form(kind, edit, fields, raw_from_values(fields, kind.initial(edit)))


def submit_new(kind: RecordKind[Any], edit: Edit, form: FormData) -> Response:
    if kind.create is None:
        raise NotFoundError
    fields = kind.fields(edit)
    result = _checked(kind, edit, fields, form)
    if result.ok:
        try:
            record = kind.create(edit, result.values)
        except FormError as error:
            result.errors[error.name] = error.message
    if not result.ok:
        return _form(kind, edit, fields, result.raw, result, 400)
    edit.session.flush()
    return _saved(kind, edit, "create", record)


def show_edit(kind: RecordKind[Any], edit: Edit) -> Response:
    edit.record = _find(kind, edit)
    if edit.record is None:
        return show_new(kind, edit)
    kind.shown(edit)
    fields = kind.fields(edit)
    return _form(kind, edit, fields, raw_from_values(fields, kind.stored(edit, edit.record)))


def submit_edit(kind: RecordKind[Any], edit: Edit, form: FormData) -> Response:
    edit.record = record = _find(kind, edit)
    if record is None:
        return submit_new(kind, edit, form)
    fields = kind.fields(edit)
    result = _checked(kind, edit, fields, form)
    if not result.ok:
        return _form(kind, edit, fields, result.raw, result, 400)
    try:
        save_edit(
            edit.session,
            record,
            parse_version(form.get("version")),
            kind.changes(edit, result.values),
        )
    except StaleEditError:
        edit.session.refresh(record)
        stale = FormResult(errors={"version": STALE_MESSAGE})
        return _form(
            kind, edit, fields, raw_from_values(fields, kind.stored(edit, record)), stale, 409
        )
    return _saved(kind, edit, "update", record)


def _find(kind: RecordKind[Any], edit: Edit) -> Any:
    if kind.find is None:
        raise NotFoundError
    return kind.find(edit)


def _checked(
    kind: RecordKind[Any], edit: Edit, fields: Sequence[Field], form: FormData
) -> FormResult:
    """The parsed form, with the errors of the kind's own checks and of its import's rules
    added (a field keeps the first error found for it)."""
    result = parse_form(fields, form)
    kind.check(edit, result)
    if kind.imported is not None:
        _check_as_imported(kind.imported, edit, fields, result)
    return result


def _check_as_imported(
    imported: Imported, edit: Edit, fields: Sequence[Field], result: FormResult
) -> None:
    """The problems the import would find in the record, as the form's errors.

    A broken order or requirement between fields gives its form message; any other problem
    is put in the import's own words against the field, or, once every field is valid,
    against the form as a whole when the form has no such field.
    """
    valid = result.ok
    rows = imported.rows(edit, result.values)
    replacing = [edit.record.id] if edit.record is not None else []
    import_kind = get_kind(imported.kind)
    shared: tuple[Rule, ...] = (*import_kind.orders, *import_kind.requires)
    names = {f.name for f in fields}
    for problem in check_records(edit.session, imported.kind, rows, replacing=replacing):
        column = problem.column or ""
        row = rows[(problem.row or 2) - 2]
        rule = next((r for r in shared if r.field == column and r.broken(row)), None)
        message = rule.message if rule else problem.reason[:1].upper() + problem.reason[1:]
        if column in names:
            result.errors.setdefault(column, message)
        elif valid:
            result.errors.setdefault("record", message)


def _saved(kind: RecordKind[Any], edit: Edit, action: str, record: Any) -> Response:
    entry = kind.audit(edit, action, record)
    audit.by(
        edit.request, edit.session, edit.principal, action, entry.entity, entry.key, entry.detail
    )
    edit.session.commit()
    return RedirectResponse(kind.done(edit, record), status_code=303)


def _form(
    kind: RecordKind[Any],
    edit: Edit,
    fields: Sequence[Field],
    raw: Mapping[str, Any],
    result: FormResult | None = None,
    status: int = 200,
) -> Response:
    page = kind.page(edit)
    return form_page(
        edit.request,
        title=page.title,
        action=page.action or edit.address,
        fields=fields,
        raw=raw,
        result=result,
        version=edit.record.version if edit.record is not None else None,
        submit=page.submit,
        back=page.back,
        caption=page.caption,
        lede=page.lede,
        chooser=page.chooser,
        status=status,
    )


# Decisions: accepting or declining what matching or buddying proposed.


@dataclass(frozen=True)
class DecisionKind(Generic[R]):
    """A decision on a proposed record, taken from a list with one button per choice.

    ``find`` finds the record inside the caller's scope (else ``NotFoundError``);
    ``decide`` is the store's function that records the decision word from the form on the
    record with that id (or raises ``DecisionError`` with the reason); the audit event is
    on ``entity`` keyed by the record's id, with ``detail``; ``told`` is the message shown
    back on ``back``, the list's page.
    """

    noun: str
    capability: Capability
    path: str
    back: str
    entity: str
    find: Callable[[Edit], R]
    decide: Callable[..., R]
    detail: Callable[[Edit, R], dict[str, Any]]
    told: Callable[[Edit, R], str]
    scope: Callable[[Edit], Any] = _nothing


def submit_decision(kind: DecisionKind[Any], edit: Edit, form: FormData) -> Response:
    record = kind.find(edit)
    decision = str(form.get("decision", ""))
    try:
        decided = kind.decide(edit.session, record.id, decision, decided_by=edit.principal.username)
    except DecisionError as exc:
        return told(edit.request, f"The decision was not recorded: {exc}.", kind.back)
    entry = AuditEntry(kind.entity, str(decided.id), kind.detail(edit, decided))
    return acted(
        edit.request,
        edit.session,
        edit.principal,
        ("decide", entry),
        kind.told(edit, decided),
        kind.back,
    )


def acted(
    request: Request,
    session: Session,
    principal: Principal,
    audited: tuple[str, AuditEntry],
    message: str,
    to: str,
) -> Response:
    """After an action (a decision, a run): its audit event, the commit, and back to ``to``
    with ``message`` shown."""
    action, entry = audited
    audit.by(request, session, principal, action, entry.entity, entry.key, entry.detail)
    session.commit()
    return told(request, message, to)


# Mounting: a declaration becomes routes with the guard of its capability.

Handler = Callable[..., Response]


def mount(router: APIRouter, kind: RecordKind[Any]) -> None:
    """Add the record kind's form pages to ``router``, each guarded by its capability."""
    pages = ((kind.new_path, show_new, submit_new), (kind.edit_path, show_edit, submit_edit))
    for path, show, submit in pages:
        if path is None:
            continue
        for method, handler in (("GET", show), ("POST", submit)):
            router.add_api_route(
                path,
                _endpoint(kind, router.prefix, path, handler, with_form=method == "POST"),
                methods=[method],
                response_class=HTMLResponse,
                name=f"{handler.__name__}_{kind.noun.replace(' ', '_')}",
            )


def mount_decision(router: APIRouter, kind: DecisionKind[Any]) -> None:
    """Add the decision's form action to ``router``, guarded by its capability."""
    router.add_api_route(
        kind.path,
        _endpoint(kind, router.prefix, kind.path, submit_decision, with_form=True),
        methods=["POST"],
        name=f"decide_{kind.noun.replace(' ', '_')}",
    )


def _endpoint(
    kind: RecordKind[Any] | DecisionKind[Any],
    prefix: str,
    path: str,
    handler: Handler,
    *,
    with_form: bool,
) -> Callable[..., Response]:
    names = _PARAMETER.findall(path)

    def endpoint(**given: Any) -> Response:
        edit = Edit(
            request=given["request"],
            session=given["session"],
            principal=given["principal"],
            path={name: given[name] for name in names},
            address=prefix + path.format(**{name: given[name] for name in names}),
        )
        edit.parent = kind.scope(edit)
        if with_form:
            return handler(kind, edit, given["form"])
        return handler(kind, edit)

    keyword = inspect.Parameter.KEYWORD_ONLY
    guard = Annotated[Principal, Depends(requires(kind.capability))]
    parameters = [
        inspect.Parameter("request", keyword, annotation=Request),
        inspect.Parameter("session", keyword, annotation=SessionDep),
        inspect.Parameter("principal", keyword, annotation=guard),
        *(
            inspect.Parameter(name, keyword, annotation=int if name in WHOLE_NUMBERS else str)
            for name in names
        ),
    ]
    if with_form:
        parameters.append(inspect.Parameter("form", keyword, annotation=FormDep))
    endpoint.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
        parameters, return_annotation=Response
    )
    endpoint.__name__ = f"{handler.__name__}_{kind.noun.replace(' ', '_')}"
    return endpoint
