# SPDX-License-Identifier: MIT
"""riftidl: the rift interface compiler (lexer, parser, checks, renderer)."""
