"""Finding an edition's communities by the names a spreadsheet uses for them."""

from django.utils.translation import gettext as _

from jindianzi.areas.selectors import communities_of

from .columns import CellError, fold


class CommunityIndex:
    """The communities of an edition's district by the names a file may use for them."""

    def __init__(self, edition):
        self.district = edition.district
        self.communities = list(communities_of(edition.district))
        self.by_name, self.by_full_name = {}, {}
        for community in self.communities:
            self.by_name.setdefault(fold(community.name), []).append(community)
            self.by_full_name[fold(community.parent.name + community.name)] = community

    def label(self, community) -> str:
        """The name to write in a file: the street is added only where two communities share a name."""
        if len(self.by_name.get(fold(community.name), [])) > 1:
            return f"{community.parent.name}·{community.name}"
        return community.name

    def find(self, text: str):
        """The community a cell names ("老爷庙社区", or "西屯街道·花园社区" where names repeat)."""
        district = self.district.name
        if not text:
            raise CellError(_("Write the name of a community of %(district)s.") % {"district": district})
        key = fold(text)
        if key in self.by_full_name:
            return self.by_full_name[key]
        matches = self.by_name.get(key, [])
        if not matches:
            raise CellError(_("There is no community called %(name)s in %(district)s.")
                            % {"name": text, "district": district})
        if len(matches) > 1:
            raise CellError(_("Several communities are called %(name)s; write the street too, for example "
                              "%(example)s.") % {"name": text, "example": self.label(matches[0])})
        return matches[0]
