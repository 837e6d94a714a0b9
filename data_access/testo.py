"""The characters no text may carry into a page, a file or the database (one source for the loader and the app)."""

from __future__ import annotations

# Control characters, bidirectional overrides and isolates, zero-width and other invisible format characters:
# they can reorder or hide what a reader sees (e.g. U+202E turns "gpj.exe" around) or break XML files.
# A character class body: use it as f"[{INVISIBILI}]".
INVISIBILI = (
    "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"
    "\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b-\u200f\u202a-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0"
)
