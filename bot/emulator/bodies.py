"""What the bot sends: message bodies, modals and autocomplete choices, checked against Discord's limits.

A body that Discord would refuse raises :class:`ApiError` (400 with code 50035 and the nested field
errors, or 50006 for an empty message), so the bot sees the same failure it would see in production.
"""

from __future__ import annotations

import mimetypes
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .errors import ApiError, FormErrors
from .state import Attachment, MessageFlags, walk_components

if TYPE_CHECKING:
    from .state import Channel, Message, World

BUTTON, ACTION_ROW, STRING_SELECT, TEXT_INPUT, LABEL = 2, 1, 3, 4, 18
SELECTS = {3, 5, 6, 7, 8}


@dataclass
class Upload:
    """One ``files[n]`` part of a multipart request."""

    index: int
    filename: str
    data: bytes


def message_fields(
    body: dict[str, Any],
    uploads: list[Upload],
    world: World,
    channel: Channel,
    *,
    existing: Message | None = None,
    allow_ephemeral: bool = False,
) -> dict[str, Any]:
    """Turn a create/edit message body into :class:`Message` field values.

    For an edit (``existing`` given) only the fields present in the body are returned.
    """
    errors = FormErrors()
    fields: dict[str, Any] = {}
    if "content" in body or existing is None:
        fields["content"] = body.get("content") or ""
        errors.max_length(("content",), fields["content"], 2000)
    if "embeds" in body or existing is None:
        fields["embeds"] = list(body.get("embeds") or [])
        _check_embeds(errors, fields["embeds"])
    if "flags" in body or existing is None:
        flags = int(body.get("flags") or 0)
        if not allow_ephemeral:
            flags &= ~MessageFlags.EPHEMERAL
        if existing is not None:
            flags |= existing.flags & (MessageFlags.EPHEMERAL | MessageFlags.COMPONENTS_V2)
        fields["flags"] = flags
    if "components" in body or existing is None:
        fields["components"] = list(body.get("components") or [])
        flags = fields.get("flags", existing.flags if existing else 0)
        _check_components(errors, fields["components"], v2=bool(flags & MessageFlags.COMPONENTS_V2))
    if "allowed_mentions" in body:
        fields["allowed_mentions"] = body["allowed_mentions"]
    attachments = _attachments(errors, body, uploads, world, channel, existing)
    if attachments is not None:
        fields["attachments"] = attachments
    if existing is None:
        fields["tts"] = bool(body.get("tts", False))
        if body.get("nonce") is not None:
            fields["nonce"] = body["nonce"]
            if isinstance(body["nonce"], str):
                errors.max_length(("nonce",), body["nonce"], 25)
    errors.raise_if_any()
    if existing is None and not any(
        fields.get(k) for k in ("content", "embeds", "components", "attachments")
    ) and not body.get("sticker_ids") and not body.get("poll"):
        raise ApiError(400, 50006, "Cannot send an empty message")
    return fields


def _attachments(
    errors: FormErrors,
    body: dict[str, Any],
    uploads: list[Upload],
    world: World,
    channel: Channel,
    existing: Message | None,
) -> list[Attachment] | None:
    entries = body.get("attachments")
    if entries is None:
        if not uploads:
            return None
        entries = [{"id": u.index, "filename": u.filename} for u in uploads]
    by_index = {u.index: u for u in uploads}
    kept = {a.id: a for a in existing.attachments} if existing else {}
    result: list[Attachment] = []
    for position, entry in enumerate(entries):
        key = int(entry["id"])
        if key in by_index:
            upload = by_index[key]
            filename = entry.get("filename") or upload.filename
            new_id = world.ids.next()
            result.append(
                Attachment(
                    new_id,
                    filename,
                    upload.data,
                    mimetypes.guess_type(filename)[0],
                    f"{world.base_url}/attachments/{channel.id}/{new_id}/{filename}",
                    entry.get("description"),
                )
            )
        elif key in kept:
            result.append(kept[key])
        else:
            errors.add(("attachments", position, "id"), "ATTACHMENT_NOT_FOUND", f"Unknown attachment {key}")
    return result


def _check_embeds(errors: FormErrors, embeds: list[dict[str, Any]]) -> None:
    if len(embeds) > 10:
        errors.add(("embeds",), "BASE_TYPE_MAX_LENGTH", "Must be 10 or fewer in length.")
    total = 0
    for i, embed in enumerate(embeds):
        path = ("embeds", i)
        errors.max_length((*path, "title"), embed.get("title"), 256)
        errors.max_length((*path, "description"), embed.get("description"), 4096)
        errors.max_length((*path, "footer", "text"), (embed.get("footer") or {}).get("text"), 2048)
        errors.max_length((*path, "author", "name"), (embed.get("author") or {}).get("name"), 256)
        fields = embed.get("fields") or []
        if len(fields) > 25:
            errors.add((*path, "fields"), "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length.")
        for j, f in enumerate(fields):
            for key, limit in (("name", 256), ("value", 1024)):
                if not f.get(key):
                    errors.add((*path, "fields", j, key), "BASE_TYPE_REQUIRED", "This field is required")
                errors.max_length((*path, "fields", j, key), f.get(key), limit)
        total += sum(
            len(text or "")
            for text in (
                embed.get("title"),
                embed.get("description"),
                (embed.get("footer") or {}).get("text"),
                (embed.get("author") or {}).get("name"),
                *(f.get("name") for f in fields),
                *(f.get("value") for f in fields),
            )
        )
    if total > 6000:
        errors.add(("embeds",), "MAX_EMBED_SIZE_EXCEEDED", "Embed size exceeds maximum size of 6000")


def _check_components(errors: FormErrors, components: list[dict[str, Any]], *, v2: bool) -> None:
    if not v2:
        if len(components) > 5:
            errors.add(("components",), "BASE_TYPE_MAX_LENGTH", "Must be 5 or fewer in length.")
        for i, row in enumerate(components):
            if row.get("type") != ACTION_ROW:
                errors.add(("components", i), "UNION_TYPE_CHOICES", "Value of field \"type\" must be one of (1,).")
                continue
            children = row.get("components") or []
            selects = [c for c in children if c.get("type") in SELECTS]
            if not children or len(children) > 5 or (selects and len(children) > 1):
                errors.add(("components", i, "components"), "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 5 in length.")
    elif sum(1 for _ in walk_components(components)) > 40:
        errors.add(("components",), "BASE_TYPE_MAX_LENGTH", "Must be 40 or fewer in total.")
    seen: set[str] = set()
    for n, c in enumerate(walk_components(components)):
        path = ("components", n)
        custom_id = c.get("custom_id")
        if custom_id is not None:
            errors.max_length((*path, "custom_id"), custom_id, 100)
            if custom_id in seen:
                errors.add((*path, "custom_id"), "COMPONENT_CUSTOM_ID_DUPLICATED", "Component custom id cannot be duplicated")
            seen.add(custom_id)
        if c.get("type") == BUTTON:
            errors.max_length((*path, "label"), c.get("label"), 80)
            is_link = c.get("style") == 5
            if is_link != bool(c.get("url")) or (not is_link and custom_id is None):
                errors.add(path, "BUTTON_COMPONENT_INVALID", "A link button needs a url, other buttons a custom_id")
            if not c.get("label") and not c.get("emoji"):
                errors.add(path, "BUTTON_COMPONENT_INVALID", "A button needs a label or an emoji")
        elif c.get("type") == STRING_SELECT:
            options = c.get("options") or []
            if not 1 <= len(options) <= 25:
                errors.add((*path, "options"), "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 25 in length.")
            for k, option in enumerate(options):
                errors.max_length((*path, "options", k, "label"), option.get("label"), 100)
                errors.max_length((*path, "options", k, "value"), option.get("value"), 100)


def modal(data: dict[str, Any]) -> None:
    """Check a MODAL (type 9) callback's data."""
    errors = FormErrors()
    if not 1 <= len(data.get("title") or "") <= 45:
        errors.add(("data", "title"), "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 45 in length.")
    errors.max_length(("data", "custom_id"), data.get("custom_id"), 100)
    components = data.get("components") or []
    if not 1 <= len(components) <= 5:
        errors.add(("data", "components"), "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 5 in length.")
    for i, top in enumerate(components):
        path = ("data", "components", i)
        if top.get("type") == LABEL:
            errors.max_length((*path, "label"), top.get("label"), 45)
        for c in walk_components([top]):
            if c.get("type") != TEXT_INPUT:
                continue
            if top.get("type") == ACTION_ROW and not c.get("label"):
                errors.add((*path, "label"), "BASE_TYPE_REQUIRED", "This field is required")
            errors.max_length((*path, "label"), c.get("label"), 45)
            errors.max_length((*path, "custom_id"), c.get("custom_id"), 100)
            errors.max_length((*path, "value"), c.get("value"), 4000)
            errors.max_length((*path, "placeholder"), c.get("placeholder"), 100)
    errors.raise_if_any()


def choices(data: dict[str, Any]) -> list[dict[str, Any]]:
    """Check an autocomplete result (type 8) and return its choices."""
    errors = FormErrors()
    result = list(data.get("choices") or [])
    if len(result) > 25:
        errors.add(("data", "choices"), "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length.")
    for i, choice in enumerate(result):
        if not 1 <= len(choice.get("name") or "") <= 100:
            errors.add(("data", "choices", i, "name"), "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 100 in length.")
        if isinstance(choice.get("value"), str):
            errors.max_length(("data", "choices", i, "value"), choice["value"], 100)
    errors.raise_if_any()
    return result
