"""The typeface of printed documents (PDF): Be Vietnam Pro, full Vietnamese coverage, from the npm
package @expo-google-fonts/be-vietnam-pro (never copied into the repository)."""

from __future__ import annotations

from pathlib import Path

from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.exceptions import ImproperlyConfigured

# Static paths of the fonts: settings.STATICFILES_DIRS maps this prefix to
# node_modules/@expo-google-fonts/be-vietnam-pro.
FONT_PREFIX = "vendor/be-vietnam-pro-ttf"
FONT_FILES = {
    "": f"{FONT_PREFIX}/400Regular/BeVietnamPro_400Regular.ttf",
    "B": f"{FONT_PREFIX}/700Bold/BeVietnamPro_700Bold.ttf",
}
FONT_FAMILY = "BeVietnamPro"


def font_path(style: str = "") -> Path:
    """The file of the font in `style` ("" or "B"): from the staticfiles finders (node_modules
    in development), else from the collected static files."""
    name = FONT_FILES[style]
    found = finders.find(name)
    if found:
        return Path(found)
    try:
        collected = Path(staticfiles_storage.path(name))
    except NotImplementedError:  # a storage without local files
        collected = None
    if collected is not None and collected.is_file():
        return collected
    raise ImproperlyConfigured(
        f"The font {name} was not found: install the npm packages (npm ci) and map "
        f"'{FONT_PREFIX}' to node_modules/@expo-google-fonts/be-vietnam-pro in STATICFILES_DIRS."
    )
