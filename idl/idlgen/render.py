# SPDX-License-Identifier: MIT
"""Render an Interface through the Jinja2 templates in idl/templates/.

Template delimiters look like C comments, so a template reads like the C it
produces:  /*- block -*/   /*? expression ?*/   /*# template comment #*/
Undefined names are errors (StrictUndefined). The loader records every
template it reads, for the make dependency file.
"""

import os

import jinja2

from . import cview
from .model import Interface

TEMPLATE_DIR = os.path.join(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))), "templates")

# Output kind -> (template, file name pattern)
OUTPUTS = {
    "header": ("header.h", "{p}.h"),
    "client": ("client.c", "{p}_client.c"),
    "server": ("server.c", "{p}_server.c"),
    "fuzz": ("fuzz.c", "{p}_fuzz.c"),
}


class RecordingLoader(jinja2.FileSystemLoader):
    """A FileSystemLoader that remembers the files it has read."""

    def __init__(self, path: str):
        super().__init__(path)
        self.read = []

    def get_source(self, environment, template):
        source, filename, uptodate = super().get_source(environment, template)
        if filename not in self.read:
            self.read.append(filename)
        return source, filename, uptodate


class Renderer:
    def __init__(self, template_dir: str = TEMPLATE_DIR):
        self.loader = RecordingLoader(template_dir)
        self.env = jinja2.Environment(
            loader=self.loader,
            undefined=jinja2.StrictUndefined,
            block_start_string="/*-", block_end_string="-*/",
            variable_start_string="/*?", variable_end_string="?*/",
            comment_start_string="/*#", comment_end_string="#*/",
            trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
            autoescape=False)
        self.env.globals.update(cview.GLOBALS)

    def render(self, kind: str, iface: Interface, source: str) -> tuple:
        """Return (file name, text) of one output for the interface."""
        template, pattern = OUTPUTS[kind]
        name = pattern.format(p=iface.prefix)
        text = self.env.get_template(template).render(
            iface=iface, p=iface.prefix, P=iface.prefix.upper(),
            source=source, output=name)
        return name, text

    @property
    def templates_read(self) -> list:
        return list(self.loader.read)
