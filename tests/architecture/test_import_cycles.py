"""No import loops among qualcode's modules: each module can be understood (and
imported) after the modules it uses. Imports under ``TYPE_CHECKING`` do not run, so
they do not count."""

from __future__ import annotations

import grimp

# None are left; a new loop is broken up, not listed here.
KNOWN_LOOPS: set[frozenset[str]] = set()


def import_loops(graph: grimp.ImportGraph) -> list[frozenset[str]]:
    """The strongly connected components of more than one module (Tarjan, iterative)."""
    edges = {m: sorted(graph.find_modules_directly_imported_by(m)) for m in graph.modules}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    loops: list[frozenset[str]] = []
    for root in sorted(edges):
        if root in index:
            continue
        work = [(root, 0)]
        while work:
            node, i = work.pop()
            if i == 0:
                index[node] = low[node] = len(index)
                stack.append(node)
                on_stack.add(node)
            if i < len(edges[node]):
                work.append((node, i + 1))
                nxt = edges[node][i]
                if nxt not in index:
                    work.append((nxt, 0))
                elif nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
                continue
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.add(member)
                    if member == node:
                        break
                if len(component) > 1:
                    loops.append(frozenset(component))
    return loops


def test_the_loop_finder_finds_a_loop() -> None:
    graph = grimp.ImportGraph()
    for name in ("p.a", "p.b", "p.c"):
        graph.add_module(name)
    graph.add_import(importer="p.a", imported="p.b")
    graph.add_import(importer="p.b", imported="p.a")
    graph.add_import(importer="p.c", imported="p.a")
    assert import_loops(graph) == [frozenset({"p.a", "p.b"})]


def test_no_new_import_loops() -> None:
    graph = grimp.build_graph("qualcode", exclude_type_checking_imports=True, cache_dir=None)
    loops = set(import_loops(graph))
    new = loops - KNOWN_LOOPS
    assert not new, "import loops: " + "; ".join(" <-> ".join(sorted(loop)) for loop in new)
