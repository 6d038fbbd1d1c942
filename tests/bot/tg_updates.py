"""Hand-built Telegram updates (Bot API JSON), for the handler and the end-to-end tests.

The user and chat names and ids here are distinctive so that log tests can search for them.
"""

from __future__ import annotations

import itertools
import time
from typing import Any

BOT_ID = 7000000001
BOT_USERNAME = "PregnancyFaqTestBot"
TOKEN = "7000000001:TEST-token-for-the-local-stand-in"
USER_ID = 424242001
FIRST_NAME = "Zelinda"
LAST_NAME = "Quartermaine"
USERNAME = "zelinda_q"
GROUP_ID = -1009876543210
GROUP_TITLE = "Bumps and Babies"

JSON = dict[str, Any]

_update_ids = itertools.count(1)
_message_ids = itertools.count(100)


def bot_user() -> JSON:
    """The bot as ``getMe`` returns it."""
    return {
        "id": BOT_ID,
        "is_bot": True,
        "first_name": "Pregnancy FAQ",
        "username": BOT_USERNAME,
        "can_join_groups": True,
        "can_read_all_group_messages": False,
        "supports_inline_queries": True,
    }


def user(user_id: int = USER_ID) -> JSON:
    """A person using the bot."""
    return {
        "id": user_id,
        "is_bot": False,
        "first_name": FIRST_NAME,
        "last_name": LAST_NAME,
        "username": USERNAME,
        "language_code": "en",
    }


def private_chat(user_id: int = USER_ID) -> JSON:
    """The private chat between a user and the bot (its id is the user's id)."""
    return {"id": user_id, "type": "private", "first_name": FIRST_NAME, "username": USERNAME}


def group_chat(chat_id: int = GROUP_ID) -> JSON:
    """A supergroup the bot is a member of."""
    return {"id": chat_id, "type": "supergroup", "title": GROUP_TITLE}


def chat_for(chat_id: int) -> JSON:
    """The chat a Bot API reply names for ``chat_id`` (negative ids are supergroups)."""
    if chat_id < 0:
        return {"id": chat_id, "type": "supergroup", "title": "A group"}
    return {"id": chat_id, "type": "private", "first_name": "A user"}


def utf16_len(text: str) -> int:
    """Entity offsets and lengths count UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2


def message(
    text: str | None = None,
    *,
    user_id: int = USER_ID,
    chat: JSON | None = None,
    entities: list[JSON] | None = None,
    reply_to: JSON | None = None,
    **extra: Any,
) -> JSON:
    """A message from a user (private chat unless ``chat`` is given)."""
    data: JSON = {
        "message_id": next(_message_ids),
        "date": int(time.time()),
        "chat": chat if chat is not None else private_chat(user_id),
        "from": user(user_id),
    }
    if text is not None:
        data["text"] = text
    if entities:
        data["entities"] = entities
    if reply_to is not None:
        data["reply_to_message"] = reply_to
    data.update(extra)
    return data


def command_message(text: str, **kwargs: Any) -> JSON:
    """A message starting with a /command (``/ask@bot question``), with its entity."""
    length = utf16_len(text.split()[0])
    entity = {"type": "bot_command", "offset": 0, "length": length}
    return message(text, entities=[entity], **kwargs)


def mention_message(text: str, username: str = BOT_USERNAME, **kwargs: Any) -> JSON:
    """A message that mentions ``@username`` somewhere in ``text``."""
    handle = f"@{username}"
    start = text.lower().index(handle.lower())
    entity = {"type": "mention", "offset": utf16_len(text[:start]), "length": utf16_len(handle)}
    return message(text, entities=[entity], **kwargs)


def bot_message(text: str = "an earlier answer", *, chat: JSON | None = None) -> JSON:
    """A message the bot sent earlier (to reply to, or with buttons to press)."""
    return {
        "message_id": next(_message_ids),
        "date": int(time.time()),
        "chat": chat if chat is not None else private_chat(),
        "from": bot_user(),
        "text": text,
    }


def sticker(**kwargs: Any) -> JSON:
    """A sticker message."""
    item = {
        "file_id": "sticker-file",
        "file_unique_id": "sticker-unique",
        "type": "regular",
        "width": 512,
        "height": 512,
        "is_animated": False,
        "is_video": False,
    }
    return message(sticker=item, **kwargs)


def photo(**kwargs: Any) -> JSON:
    """A photo message without a caption."""
    size = {"file_id": "photo-file", "file_unique_id": "photo-unique", "width": 90, "height": 90}
    return message(photo=[size], **kwargs)


def voice(**kwargs: Any) -> JSON:
    """A voice note."""
    item = {"file_id": "voice-file", "file_unique_id": "voice-unique", "duration": 3}
    return message(voice=item, **kwargs)


def document(**kwargs: Any) -> JSON:
    """A file."""
    return message(document={"file_id": "doc-file", "file_unique_id": "doc-unique"}, **kwargs)


def update(**payload: JSON) -> JSON:
    """An update with the next update id, e.g. ``update(message=message("hi"))``."""
    return {"update_id": next(_update_ids), **payload}


def text_update(text: str, **kwargs: Any) -> JSON:
    """An update with a text message."""
    return update(message=message(text, **kwargs))


def callback_update(data: str, *, user_id: int = USER_ID, on: JSON | None = None) -> JSON:
    """A button press on the bot message ``on`` (by default one in the private chat)."""
    query: JSON = {
        "id": f"cbq-{next(_update_ids)}",
        "from": user(user_id),
        "chat_instance": "chat-instance-1",
        "data": data,
    }
    query["message"] = on if on is not None else bot_message()
    return update(callback_query=query)


def inline_update(query: str, *, user_id: int = USER_ID, chat_type: str = "supergroup") -> JSON:
    """An inline query (``@bot query`` typed in some chat)."""
    return update(
        inline_query={
            "id": f"iq-{next(_update_ids)}",
            "from": user(user_id),
            "query": query,
            "offset": "",
            "chat_type": chat_type,
        }
    )


# --- odd senders, chats and updates (the fuzz tests) --------------------------------------------

#: The user Telegram shows as the sender of an anonymous group admin's messages.
ANONYMOUS_ADMIN_ID = 1087968824
#: The user Telegram shows as the sender of a linked channel's posts in its discussion group.
CHANNEL_BOT_ID = 136817688
CHANNEL_ID = -1001234567890


def group_anonymous_bot() -> JSON:
    """``GroupAnonymousBot``, the ``from`` of an anonymous admin's message."""
    return {"id": ANONYMOUS_ADMIN_ID, "is_bot": True, "first_name": "Group",
            "username": "GroupAnonymousBot"}


def channel_bot() -> JSON:
    """``Channel_Bot``, the ``from`` of a linked channel's post in a discussion group."""
    return {"id": CHANNEL_BOT_ID, "is_bot": True, "first_name": "Channel",
            "username": "Channel_Bot"}


def channel_chat(chat_id: int = CHANNEL_ID) -> JSON:
    """A channel."""
    return {"id": chat_id, "type": "channel", "title": "Pregnancy news"}


def sender_chat_message(
    text: str | None,
    *,
    chat: JSON,
    sender_chat: JSON | None,
    sender: JSON | None = None,
    **extra: Any,
) -> JSON:
    """A message sent on behalf of a chat (``sender_chat``), with ``from`` only if given:
    an anonymous admin, a linked channel, or a message with no sender at all."""
    data = message(text, chat=chat, **extra)
    del data["from"]
    if sender is not None:
        data["from"] = sender
    if sender_chat is not None:
        data["sender_chat"] = sender_chat
    return data


def inaccessible_message(chat: JSON | None = None) -> JSON:
    """A message too old for Telegram to show the bot (``date`` 0): only its chat and id."""
    return {
        "message_id": next(_message_ids),
        "date": 0,
        "chat": chat if chat is not None else private_chat(),
    }


_ADMIN_RIGHTS = {
    "can_be_edited": False, "is_anonymous": False, "can_manage_chat": True,
    "can_delete_messages": False, "can_manage_video_chats": False,
    "can_restrict_members": False, "can_promote_members": False, "can_change_info": False,
    "can_invite_users": True, "can_post_stories": False, "can_edit_stories": False,
    "can_delete_stories": False,
}


def chat_member(status: str, member: JSON | None = None) -> JSON:
    """A ``ChatMember`` of ``status`` (member, left, kicked, administrator, restricted)."""
    data: JSON = {"status": status, "user": member if member is not None else bot_user()}
    if status == "kicked":
        data["until_date"] = 0
    elif status == "administrator":
        data.update(_ADMIN_RIGHTS)
    elif status == "restricted":
        data.update(
            {
                "is_member": True, "can_send_messages": False, "can_send_audios": False,
                "can_send_documents": False, "can_send_photos": False,
                "can_send_videos": False, "can_send_video_notes": False,
                "can_send_voice_notes": False, "can_send_polls": False,
                "can_send_other_messages": False, "can_add_web_page_previews": False,
                "can_change_info": False, "can_invite_users": False, "can_pin_messages": False,
                "can_manage_topics": False, "can_edit_tag": False,
                "can_react_to_messages": False, "until_date": 0,
            }
        )
    return data


def chat_member_updated(old: str, new: str, *, chat: JSON | None = None,
                        member: JSON | None = None) -> JSON:
    """The body of a ``my_chat_member`` / ``chat_member`` update: ``member`` (the bot by
    default) went from status ``old`` to ``new`` in ``chat``, by the test user's hand."""
    return {
        "chat": chat if chat is not None else group_chat(),
        "from": user(),
        "date": int(time.time()),
        "old_chat_member": chat_member(old, member),
        "new_chat_member": chat_member(new, member),
    }
