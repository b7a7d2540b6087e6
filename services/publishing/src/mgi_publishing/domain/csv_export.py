"""`indicators.csv`: a header row, an HXL hashtag row, then one row per catalogue indicator.

HXL (the Humanitarian Exchange Language) is how HDX and other humanitarian portals read a
CSV's columns: the second row tags each column (`#indicator+code`, `#indicator+num`, ...).
"""

import csv
import io

from mgi_shared.catalogue.model import Catalogue
from mgi_shared.contracts.profile import Profile, ProfileIndicator

# (header, HXL hashtag) per column, in order.
COLUMNS = (
    ("Country code", "#country+code"),
    ("Jurisdiction code", "#adm1+code"),
    ("Jurisdiction", "#adm1+name"),
    ("Assessment", "#meta+assessment+id"),
    ("Round", "#meta+round"),
    ("Catalogue version", "#meta+catalogue"),
    ("Results revision", "#meta+revision"),
    ("Domain", "#sector+code"),
    ("Sub-area", "#subsector+name"),
    ("Indicator code", "#indicator+code"),
    ("Indicator text (en)", "#indicator+text+i_en"),
    ("Value", "#indicator+value"),
    ("Score", "#indicator+num"),
    ("Status", "#status+code"),
    ("Resolved by reviewer", "#indicator+resolved"),
    ("Contributors", "#org+contributors"),
)


def country_of(profile: Profile) -> str:
    """A local jurisdiction's country is its parent (IDN for IDN-JK)."""
    return profile.jurisdiction.parent or profile.jurisdiction.code.split("-")[0]


def indicators_csv(profile: Profile, catalogue: Catalogue | None) -> str:
    results = {i.indicator: i for i in profile.indicators}
    texts = {i.code: i.text.get("en", "") for i in catalogue.indicators} if catalogue else {}
    codes = [i.code for i in catalogue.indicators] if catalogue else list(results)
    places = {i.code: (i.domain, i.sub_area) for i in catalogue.indicators} if catalogue else {}
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([header for header, _ in COLUMNS])
    writer.writerow([tag for _, tag in COLUMNS])
    for code in codes:
        item = results.get(code)
        domain, sub_area = places.get(code) or ((item.domain, item.sub_area) if item else ("", ""))
        writer.writerow(
            [
                country_of(profile),
                profile.jurisdiction.code,
                profile.jurisdiction.name,
                profile.assessment_id,
                profile.round,
                profile.catalogue_version,
                profile.revision,
                domain,
                sub_area,
                code,
                texts.get(code, ""),
                *_result_cells(item),
            ]
        )
    return out.getvalue()


def _result_cells(item: ProfileIndicator | None) -> list[str]:
    if item is None:
        return ["", "", "missing", "false", ""]
    score = "" if item.score is None else f"{item.score:g}"
    return [
        item.value or "",
        score,
        item.status,
        "true" if item.resolved else "false",
        " ".join(item.contributors),
    ]
