from shuping import __version__


def version(request):
    """The release shown in every page's footer, so support calls can say which version a county runs."""
    return {"shuping_version": __version__}
