"""{% load numbers %}: {{ rate|percent }} → 83.33%, {{ score|num2 }} → 90.20 (the shared formatters)."""

from django import template

from shuping.scoring.numbers import format_number, format_percent

register = template.Library()


@register.filter
def percent(value):
    return format_percent(value)


@register.filter
def num2(value):
    return format_number(value)
