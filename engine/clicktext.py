"""click's own messages (usage errors, help headings) in the run's language.

click marks its texts for gettext (``from gettext import gettext as _`` in each module) and
leaves translations to the application. probis ships no .mo catalogue: :func:`install` points
the ``_``/``ngettext`` names of click's modules at a lookup in :data:`ID` that answers in
Indonesian while the run's language (``--lang``, else ``PROBIS_LANG``) is ``id`` and passes
every other text through unchanged.
"""

from __future__ import annotations

import importlib

from .i18n import run_lang

ID: dict[str, str] = {
    "Error: {message}": "Galat: {message}",
    "Try '{command} {option}' for help.": "Coba '{command} {option}' untuk bantuan.",
    "Usage:": "Penggunaan:",
    "Options": "Opsi",
    "Commands": "Perintah",
    "Positional arguments": "Argumen",
    "Show this message and exit.": "Tampilkan pesan ini lalu keluar.",
    "Show the version and exit.": "Tampilkan versi lalu keluar.",
    "%(prog)s, version %(version)s": "%(prog)s, versi %(version)s",
    "Aborted!": "Dibatalkan.",
    "Invalid value for {param_hint}: {message}": "Nilai tidak sah untuk {param_hint}: {message}",
    "Invalid value: {message}": "Nilai tidak sah: {message}",
    "Missing argument": "Argumen belum diberikan",
    "Missing option": "Opsi belum diberikan",
    "Missing parameter": "Parameter belum diberikan",
    "Missing parameter: {param_name}": "Parameter belum diberikan: {param_name}",
    "Missing command.": "Perintah belum diberikan.",
    "No such command {name!r}.": "Perintah {name!r} tidak dikenal.",
    "No such option {name!r}.": "Opsi {name!r} tidak dikenal.",
    "Option {name!r} does not take a value.": "Opsi {name!r} tidak menerima nilai.",
    "Could not open file {filename!r}: {message}": "Berkas {filename!r} tidak dapat dibuka: "
                                                   "{message}",
    "{name} {filename!r} does not exist.": "{name} {filename!r} tidak ada.",
    "{name} {filename!r} is a directory.": "{name} {filename!r} adalah folder.",
    "{name} {filename!r} is a file.": "{name} {filename!r} adalah berkas.",
    "{name} {filename!r} is not readable.": "{name} {filename!r} tidak dapat dibaca.",
    "{name} {filename!r} is not writable.": "{name} {filename!r} tidak dapat ditulisi.",
    "{value!r} is not a valid {number_type}.": "{value!r} bukan {number_type} yang sah.",
    "{value} is not in the range {range}.": "{value} di luar rentang {range}.",
    "default: {default}": "bawaan: {default}",
    "env var: {var}": "variabel lingkungan: {var}",
    "directory": "folder", "file": "berkas", "path": "jalur",
    "integer": "bilangan bulat", "float": "bilangan",
    "unknown error": "galat tak dikenal",
    "(dynamic)": "(dinamis)", "required": "wajib",
    # ngettext: (singular, plural)
    "Did you mean {possibility}?": "Mungkin maksudnya {possibility}?",
    "(Did you mean one of: {possibilities}?)": "(Mungkin maksudnya salah satu dari: "
                                               "{possibilities}?)",
    "{value!r} is not {choice}.": "{value!r} bukan {choice}.",
    "{value!r} is not one of {choices}.": "{value!r} bukan salah satu dari {choices}.",
    "Option {name!r} requires an argument.": "Opsi {name!r} butuh nilai.",
    "Option {name!r} requires {nargs} arguments.": "Opsi {name!r} butuh {nargs} nilai.",
    "Got unexpected extra argument ({args})": "Ada argumen lebih yang tidak diharapkan ({args})",
    "Got unexpected extra arguments ({args})": "Ada argumen lebih yang tidak diharapkan ({args})",
}

MODULES = ("core", "exceptions", "types", "parser", "formatting", "decorators", "termui")


def gettext(message: str) -> str:
    return ID.get(message, message) if run_lang() == "id" else message


def ngettext(singular: str, plural: str, n: int) -> str:
    return gettext(singular if n == 1 else plural)


def install() -> None:
    """Point click's message lookups at :func:`gettext` and its help texts at
    :mod:`.helptext` (idempotent)."""
    from . import helptext

    helptext.install()
    for name in MODULES:
        module = importlib.import_module(f"click.{name}")
        if hasattr(module, "_"):
            module._ = gettext  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = ngettext  # type: ignore[attr-defined]
