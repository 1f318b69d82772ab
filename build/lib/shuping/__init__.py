"""Shuping (述评): the annual 抓基层党建工作述职评议考核, end to end."""

# One place for the version: pyproject reads it, `shuping --version` and the page footer show it.
__version__ = "0.2.0"
