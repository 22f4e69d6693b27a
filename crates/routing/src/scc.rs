//! The largest strongly connected part of a directed graph given as adjacency
//! arrays, along its edges only (Pearce's one-array variant of Tarjan's algorithm,
//! iterative: no recursion, so a département's long roads do not overflow the
//! stack, and no reversed graph: one `u32` and one flag per node, and two stacks).

/// The nodes of the largest strongly connected part of the graph of `n` nodes
/// whose edges out of `v` go to `to[first[v]..first[v + 1]]`, as a mask; ties go to
/// the part with the smallest node.
///
/// Each node gets a visit number when first reached, lowered to the smallest visit
/// number it reaches back to; a node that keeps its own is the root of a part, made
/// of it and the nodes left on the stack above it. A finished part's nodes get its
/// id, counted down from `n`: always above every visit number still in use (those
/// are at most the count of nodes not yet in a part), so they never lower another.
pub(crate) fn largest(n: usize, (first, to): (&[u32], &[u32])) -> Vec<bool> {
    const UNSEEN: u32 = 0;
    let mut rindex = vec![UNSEEN; n];
    let mut root = vec![false; n];
    // Finished nodes waiting for their root, and the search's path: (node, its next
    // edge), eight bytes an entry, the path of a long road deep.
    let mut waiting: Vec<u32> = Vec::new();
    let mut path: Vec<(u32, u32)> = Vec::new();
    let mut visit = 1u32;
    let mut next_id = n as u32;
    // (size, smallest node, id) of the largest part so far.
    let mut best = (0usize, u32::MAX, UNSEEN);
    for s in 0..n as u32 {
        if rindex[s as usize] != UNSEEN {
            continue;
        }
        rindex[s as usize] = visit;
        visit += 1;
        root[s as usize] = true;
        path.push((s, first[s as usize]));
        while let Some(top) = path.last_mut() {
            let (v, next) = *top;
            if next < first[v as usize + 1] {
                let w = to[next as usize];
                if rindex[w as usize] == UNSEEN {
                    // Down to w; this edge is looked at again on the way back.
                    rindex[w as usize] = visit;
                    visit += 1;
                    root[w as usize] = true;
                    path.push((w, first[w as usize]));
                    continue;
                }
                if rindex[w as usize] < rindex[v as usize] {
                    rindex[v as usize] = rindex[w as usize];
                    root[v as usize] = false;
                }
                top.1 += 1;
                continue;
            }
            path.pop();
            if !root[v as usize] {
                waiting.push(v);
                continue;
            }
            // v closes a part: it and the waiting nodes visited after it.
            visit -= 1;
            let (mut size, mut smallest) = (1usize, v);
            while let Some(&w) = waiting.last() {
                if rindex[v as usize] > rindex[w as usize] {
                    break;
                }
                waiting.pop();
                rindex[w as usize] = next_id;
                visit -= 1;
                size += 1;
                smallest = smallest.min(w);
            }
            rindex[v as usize] = next_id;
            if size > best.0 || (size == best.0 && smallest < best.1) {
                best = (size, smallest, next_id);
            }
            next_id -= 1;
        }
    }
    drop((root, waiting, path));
    rindex.into_iter().map(|r| r == best.2).collect()
}

/// Adjacency arrays of `edges` over `n` nodes, by their first end (a counting
/// sort, stable): `(first, to)` with `to[first[v]..first[v + 1]]` the second items
/// of the edges whose first end is `v`, in the order of `edges`.
pub(crate) fn adjacency<T: Copy + Default>(
    n: usize,
    edges: impl Iterator<Item = (u32, T)> + Clone,
) -> (Vec<u32>, Vec<T>) {
    let mut first = vec![0u32; n + 1];
    for (a, _) in edges.clone() {
        first[a as usize + 1] += 1;
    }
    for v in 0..n {
        first[v + 1] += first[v];
    }
    let mut fill = first.clone();
    let mut to = vec![T::default(); first[n] as usize];
    for (a, b) in edges {
        to[fill[a as usize] as usize] = b;
        fill[a as usize] += 1;
    }
    (first, to)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn largest_of(n: usize, edges: &[(u32, u32)]) -> Vec<u32> {
        let (first, to) = adjacency(n, edges.iter().copied());
        let mask = largest(n, (&first, &to));
        (0..n as u32).filter(|&v| mask[v as usize]).collect()
    }

    /// The largest part by definition: the nodes each node reaches and is reached
    /// from, by a search from every node.
    fn largest_by_reach(n: usize, edges: &[(u32, u32)]) -> Vec<u32> {
        let reach = |s: u32| {
            let mut seen = vec![false; n];
            let mut todo = vec![s];
            seen[s as usize] = true;
            while let Some(v) = todo.pop() {
                for &(a, b) in edges {
                    if a == v && !seen[b as usize] {
                        seen[b as usize] = true;
                        todo.push(b);
                    }
                }
            }
            seen
        };
        let reaches: Vec<Vec<bool>> = (0..n as u32).map(reach).collect();
        let mut best: Vec<u32> = Vec::new();
        for (v, reached) in reaches.iter().enumerate() {
            let part: Vec<u32> = (0..n)
                .filter(|&w| reached[w] && reaches[w][v])
                .map(|w| w as u32)
                .collect();
            // Parts come smallest node first: only a larger one replaces the best.
            if part.len() > best.len() {
                best = part;
            }
        }
        best
    }

    proptest::proptest! {
        #[test]
        fn the_largest_part_is_the_one_by_reach(
            n in 1usize..24,
            raw in proptest::collection::vec((0u32..24, 0u32..24), 0..60),
        ) {
            let edges: Vec<(u32, u32)> = raw
                .into_iter()
                .map(|(a, b)| (a % n as u32, b % n as u32))
                .collect();
            proptest::prop_assert_eq!(largest_of(n, &edges), largest_by_reach(n, &edges));
        }
    }

    #[test]
    fn the_largest_cycle_wins_and_ties_go_to_the_smallest_node() {
        // 0 → 1 → 0 (two nodes), 2 → 3 → 4 → 2 (three), 4 → 5 (a dead end), 6 alone.
        let edges = [(0, 1), (1, 0), (2, 3), (3, 4), (4, 2), (4, 5), (1, 2)];
        assert_eq!(largest_of(7, &edges), vec![2, 3, 4]);
        // Two cycles of two: the one with node 0.
        assert_eq!(largest_of(4, &[(2, 3), (3, 2), (0, 1), (1, 0)]), vec![0, 1]);
        // A long one-way ring: no recursion, all of it.
        let ring: Vec<(u32, u32)> = (0..200_000u32).map(|v| (v, (v + 1) % 200_000)).collect();
        assert_eq!(largest_of(200_000, &ring).len(), 200_000);
    }
}
