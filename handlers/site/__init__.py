"""The public FAQ website: the knowledge base and the stage calendar as static pages in
Indonesian and English, for an office to publish (SOP duty: publish the help desk's
information on the office's website). ``content`` gathers what is shown, ``pages`` writes
it; the search index is added afterwards by whoever runs the build."""

from handlers.site.content import SiteError, SiteInput, Source, entry_sources, gather
from handlers.site.pages import write_site

__all__ = ["SiteError", "SiteInput", "Source", "entry_sources", "gather", "write_site"]
