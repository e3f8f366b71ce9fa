"""The rows of viewflow's list table built by the view (list_pages.PageDataMixin), one string per
page: the task lists' pages print 50 rows of 9 cells, and a template loop per row and per cell
was a third of their CPU (issue #9)."""

from django import template

register = template.Library()


@register.simple_tag
def list_rows(view, page):
    """The page's <tr> rows, as viewflow's list.html prints them without bulk actions."""
    return view.get_page_rows_html(page)
