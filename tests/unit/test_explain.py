"""The sentence that explains a levelling delay, for the shapes plan files do not reach."""

from __future__ import annotations

from ontrack.core.explain import Delay, Holder, Served

PHONES = Served("phones", "Phones ring", 2)


def test_three_holders_are_listed_with_commas_and_a_final_and() -> None:
    holders = tuple(Holder(t, (PHONES,), 2, None) for t in ("a", "b", "c"))
    assert Delay("x", 0.5, "tech", holders).sentence() == (
        "x waited 0.5 working days for tech: held by a, which serves 'Phones ring' (priority 2), "
        "b, which serves 'Phones ring' (priority 2), and c, which serves 'Phones ring' (priority 2)"
    )


def test_a_holder_that_took_a_better_priority_from_later_work_says_so() -> None:
    holder = Holder("a", (PHONES,), 1, None)
    assert Delay("x", 1, "tech", (holder,)).sentence() == (
        "x waited 1 working day for tech: held by a, which serves 'Phones ring' (priority 2) "
        "but comes before priority-1 work"
    )


def test_a_delay_without_a_holder_names_only_the_resource() -> None:
    assert Delay("x", 2.000001, "tech", ()).sentence() == "x waited 2 working days for tech"
