"""Two people who share a surname are two people: in the sample study, Denise Okafor
(int01) and Yusuf Okafor (int07) both became "[Person 3]"."""

from __future__ import annotations

from qualcode.anonymise.finder import Found, _group


def groups(*names: str) -> dict[str, str]:
    return {f.original: f.group for f in _group([Found(n, "person", "list", "") for n in names])}


def test_each_full_name_and_what_points_at_it_is_its_own_group() -> None:
    g = groups("Denise Okafor", "Yusuf Okafor", "D. Okafor", "Denise", "Ms Okafor", "Okafor")
    assert g["Denise Okafor"] != g["Yusuf Okafor"]
    assert g["D. Okafor"] == g["Denise"] == g["Denise Okafor"]  # an initial, a first name
    # a bare or titled surname could be either: neither person's group
    assert g["Ms Okafor"] == g["Okafor"]
    assert g["Okafor"] not in (g["Denise Okafor"], g["Yusuf Okafor"])


def test_one_person_keeps_every_variant_in_one_group() -> None:
    g = groups("Jane Mowbray", "Mowbray", "Jane", "J. Mowbray", "Dr Mowbray")
    assert len(set(g.values())) == 1


def test_proposals_list_their_placeholders_in_number_order(sqlite_study: object) -> None:
    """[Name 10]...[Name 19] came before [Name 1], then [Name 20]."""
    from qualcode.services import anonymise
    from qualcode.services.study import Study
    from qualcode.store import models as m

    assert isinstance(sqlite_study, Study)
    with sqlite_study.write() as s:
        for n in (10, 2, 1, 20, 11):
            s.add(m.AnonymisationRow(original=f"Name{n}", placeholder=f"[Name {n}]", kind="person"))
    listed = [p.placeholder for p in anonymise.list_proposals(sqlite_study)]
    assert listed == ["[Name 1]", "[Name 2]", "[Name 10]", "[Name 11]", "[Name 20]"]


def test_an_ordinal_adverb_opening_a_sentence_is_not_a_name() -> None:
    """ "Thirdly" was proposed as a name in the sample study."""
    from qualcode.anonymise.finder import NameFinder

    texts = [
        "Firstly, pay. Secondly, the caseloads. Thirdly, we asked Declan Fennick about it.",
        "Lastly, nobody asked Declan.",
    ]
    found = {f.original for f in NameFinder().find(texts)}
    assert "Declan Fennick" in found
    assert not found & {"Firstly", "Secondly", "Thirdly", "Lastly"}
