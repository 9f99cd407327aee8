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
