# SPDX-License-Identifier: GPL-3.0-or-later
"""A plugin module that fails to import: the hub must log it and go on."""

raise ImportError("the Python test plugin does not import on purpose")
