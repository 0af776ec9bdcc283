"""The curriculum's content: files in ``modules/``, Markdown rendering, import and export."""
