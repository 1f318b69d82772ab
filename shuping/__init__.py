"""Shuping (述评): the annual 抓基层党建工作述职评议考核, end to end."""

__version__ = "0.1.0"
