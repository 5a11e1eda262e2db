"""Registered application commands, and turning a person's input into interaction options.

Lookups follow what the Discord client allows: a command must be registered (globally or for the
guild), visible to the person, and every option must exist, have the right type, respect choices,
ranges and channel types, and required options must be given. Anything else raises
:class:`EmulatorError`, so a typo in a test fails instead of silently testing nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from . import payloads
from . import permissions as perms
from .errors import EmulatorError
from .state import Channel, Role, User

if TYPE_CHECKING:
    from .state import Guild, World

SUB_COMMAND, SUB_COMMAND_GROUP = 1, 2
STRING, INTEGER, BOOLEAN, USER, CHANNEL, ROLE, MENTIONABLE, NUMBER = 3, 4, 5, 6, 7, 8, 9, 10
CHAT_INPUT = 1
GUILD_CONTEXT, BOT_DM_CONTEXT = 0, 1


class CommandStore:
    """Commands as Discord stores them: per scope (global, or a guild id), keyed by (name, type)."""

    def __init__(self, world: World) -> None:
        self._world = world
        self._scopes: dict[int | None, dict[tuple[str, int], dict[str, Any]]] = {}

    def list(self, guild_id: int | None = None) -> list[dict[str, Any]]:
        return list(self._scopes.get(guild_id, {}).values())

    def overwrite(self, guild_id: int | None, bodies: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Bulk overwrite (PUT): commands keep their id when their name and type stay the same."""
        old = self._scopes.get(guild_id, {})
        self._scopes[guild_id] = {}
        for body in bodies:
            key = (body["name"], body.get("type", CHAT_INPUT))
            self._scopes[guild_id][key] = self._stored(guild_id, body, old.get(key))
        return self.list(guild_id)

    def upsert(self, guild_id: int | None, body: dict[str, Any]) -> dict[str, Any]:
        scope = self._scopes.setdefault(guild_id, {})
        key = (body["name"], body.get("type", CHAT_INPUT))
        scope[key] = self._stored(guild_id, body, scope.get(key))
        return scope[key]

    def delete(self, guild_id: int | None, command_id: int) -> bool:
        scope = self._scopes.get(guild_id, {})
        for key, command in list(scope.items()):
            if int(command["id"]) == command_id:
                del scope[key]
                return True
        return False

    def _stored(self, guild_id: int | None, body: dict[str, Any], previous: dict[str, Any] | None) -> dict[str, Any]:
        permissions = body.get("default_member_permissions")
        stored = {
            **body,
            "id": previous["id"] if previous else str(self._world.ids.next()),
            "application_id": str(self._world.bot.id),
            "version": str(self._world.ids.next()),
            "type": body.get("type", CHAT_INPUT),
            "default_member_permissions": None if permissions is None else str(permissions),
            "options": body.get("options") or [],
            "integration_types": body.get("integration_types") or [0],
            "nsfw": body.get("nsfw", False),
        }
        if guild_id is not None:
            stored["guild_id"] = str(guild_id)
        return stored

    def find(self, path: str, guild: Guild | None) -> tuple[dict[str, Any], list[dict[str, Any]], list[dict[str, Any]]]:
        """Resolve ``"group sub"`` to (top-level command, [group/subcommand option defs], leaf option defs)."""
        name, *rest = path.split()
        command = None
        if guild is not None:
            command = self._scopes.get(guild.id, {}).get((name, CHAT_INPUT))
        command = command or self._scopes.get(None, {}).get((name, CHAT_INPUT))
        if command is None:
            known = sorted({n for scope in self._scopes.values() for n, t in scope if t == CHAT_INPUT})
            raise EmulatorError(f"no slash command /{name} is registered (registered: {known})")
        chain: list[dict[str, Any]] = []
        options = command["options"]
        for part in rest:
            sub = next((o for o in options if o["name"] == part and o["type"] in (SUB_COMMAND, SUB_COMMAND_GROUP)), None)
            if sub is None:
                raise EmulatorError(f"/{' '.join([name, *(c['name'] for c in chain)])} has no subcommand {part!r}")
            chain.append(sub)
            options = sub.get("options") or []
        if any(o["type"] in (SUB_COMMAND, SUB_COMMAND_GROUP) for o in options):
            raise EmulatorError(f"/{path} is a group; name a subcommand")
        return command, chain, options


def check_visible(command: dict[str, Any], user: User, guild: Guild | None, channel: Channel) -> None:
    """Raise unless the Discord client would offer this command to ``user`` here."""
    name = command["name"]
    contexts = command.get("contexts")
    if guild is None:
        if command.get("dm_permission") is False or (contexts is not None and BOT_DM_CONTEXT not in contexts):
            raise EmulatorError(f"/{name} cannot be used in DMs")
        return
    if contexts is not None and GUILD_CONTEXT not in contexts:
        raise EmulatorError(f"/{name} can only be used in DMs")
    granted = perms.in_channel(channel, user.id)
    if not perms.has(granted, "use_application_commands"):
        raise EmulatorError(f"{user.name} may not use application commands in #{channel.name}")
    required = command.get("default_member_permissions")
    if required is not None and not perms.has(granted, "administrator"):
        missing = perms.names(int(required) & ~granted) if int(required) else ["administrator"]
        if missing:
            raise EmulatorError(f"/{name} is hidden from {user.name}: needs {missing} (default_member_permissions)")


@dataclass
class BuiltOptions:
    options: list[dict[str, Any]]
    resolved: dict[str, dict[str, Any]]


def build_options(
    definitions: list[dict[str, Any]],
    values: dict[str, Any],
    invoker: User,
    channel: Channel,
    *,
    focused: str | None = None,
) -> BuiltOptions:
    """Map test kwargs onto option definitions; ``focused`` marks the autocomplete option (value as typed)."""
    by_name = {d["name"]: d for d in definitions}
    unknown = set(values) - set(by_name)
    if unknown:
        raise EmulatorError(f"unknown option(s) {sorted(unknown)}; registered: {sorted(by_name)}")
    built = BuiltOptions([], {})
    for definition in definitions:
        name = definition["name"]
        if name == focused:
            built.options.append({"type": definition["type"], "name": name, "value": str(values[name]), "focused": True})
            continue
        if name not in values:
            if definition.get("required") and focused is None:
                raise EmulatorError(f"required option {name!r} is missing")
            continue
        value = _option_value(definition, values[name], invoker, channel, built.resolved)
        built.options.append({"type": definition["type"], "name": name, "value": value})
    return built


def nest(chain: list[dict[str, Any]], options: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Wrap leaf options in their subcommand (and group) as Discord nests them."""
    for sub in reversed(chain):
        options = [{"type": sub["type"], "name": sub["name"], "options": options}]
    return options


def _option_value(
    definition: dict[str, Any], value: Any, invoker: User, channel: Channel, resolved: dict[str, dict[str, Any]]
) -> Any:
    kind, name = definition["type"], definition["name"]
    if kind == STRING:
        if not isinstance(value, str):
            raise EmulatorError(f"option {name!r} takes a string, got {value!r}")
        _check_range(name, len(value), definition.get("min_length"), definition.get("max_length"), "length")
    elif kind in (INTEGER, NUMBER):
        if isinstance(value, bool) or not isinstance(value, (int, float)) or (kind == INTEGER and not isinstance(value, int)):
            raise EmulatorError(f"option {name!r} takes a {'integer' if kind == INTEGER else 'number'}, got {value!r}")
        _check_range(name, value, definition.get("min_value"), definition.get("max_value"), "value")
    elif kind == BOOLEAN:
        if not isinstance(value, bool):
            raise EmulatorError(f"option {name!r} takes a bool, got {value!r}")
    elif kind in (USER, MENTIONABLE) and not isinstance(value, Role):
        user = _as_user(name, value)
        resolved.setdefault("users", {})[str(user.id)] = payloads.user(user)
        member = channel.guild.members.get(user.id) if channel.guild else None
        if member is not None:
            granted = perms.in_channel(channel, user.id)
            resolved.setdefault("members", {})[str(user.id)] = payloads.member(member, with_user=False, permissions=granted)
        return str(user.id)
    elif kind in (ROLE, MENTIONABLE):
        if not isinstance(value, Role):
            raise EmulatorError(f"option {name!r} takes a Role, got {value!r}")
        resolved.setdefault("roles", {})[str(value.id)] = payloads.role(value)
        return str(value.id)
    elif kind == CHANNEL:
        if not isinstance(value, Channel) or value.guild is None or value.guild is not channel.guild:
            raise EmulatorError(f"option {name!r} takes a channel of this guild, got {value!r}")
        allowed = definition.get("channel_types")
        if allowed and value.type not in allowed:
            raise EmulatorError(f"option {name!r} accepts channel types {allowed}, not {value.type}")
        granted = perms.in_channel(value, invoker.id)
        resolved.setdefault("channels", {})[str(value.id)] = payloads.channel(value, permissions=granted)
        return str(value.id)
    else:
        raise EmulatorError(f"option {name!r} has type {kind}, which the emulator cannot fill")
    choices = definition.get("choices")
    if choices and value not in [c["value"] for c in choices]:
        raise EmulatorError(f"option {name!r} must be one of {[c['value'] for c in choices]}, got {value!r}")
    return value


def _as_user(name: str, value: Any) -> User:
    if isinstance(value, User):
        return value
    user = getattr(value, "user", None)
    if not isinstance(user, User):
        raise EmulatorError(f"option {name!r} takes a Person, got {value!r}")
    return user


def _check_range(name: str, value: float, low: float | None, high: float | None, what: str) -> None:
    if (low is not None and value < low) or (high is not None and value > high):
        raise EmulatorError(f"option {name!r} {what} {value} is outside [{low}, {high}]")
