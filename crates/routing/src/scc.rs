//! The largest strongly connected part of a directed graph given as adjacency
//! arrays both ways (iterative Kosaraju: no recursion, so a département's long
//! roads do not overflow the stack; memory: a few `u32` per node).

/// The nodes of the largest strongly connected part of the graph of `n` nodes
/// whose edges out of `v` go to `out.1[out.0[v]..out.0[v + 1]]` and into `v` come
/// from `inc.1[inc.0[v]..inc.0[v + 1]]`, as a mask; ties go to the part with the
/// smallest node.
pub(crate) fn largest(n: usize, out: (&[u32], &[u32]), inc: (&[u32], &[u32])) -> Vec<bool> {
    let range = |first: &[u32], v: u32| first[v as usize] as usize..first[v as usize + 1] as usize;
    // First pass: finishing order of a depth-first search along the edges.
    let mut order = Vec::with_capacity(n);
    let mut seen = vec![false; n];
    // (node, its next edge): eight bytes an entry, the stack of a long road deep.
    let mut stack: Vec<(u32, u32)> = Vec::new();
    for s in 0..n as u32 {
        if seen[s as usize] {
            continue;
        }
        seen[s as usize] = true;
        stack.push((s, out.0[s as usize]));
        while let Some(top) = stack.last_mut() {
            let (v, next) = *top;
            if next < out.0[v as usize + 1] {
                top.1 += 1;
                let w = out.1[next as usize];
                if !seen[w as usize] {
                    seen[w as usize] = true;
                    stack.push((w, out.0[w as usize]));
                }
            } else {
                order.push(v);
                stack.pop();
            }
        }
    }
    drop(seen);
    // Second pass: components along the reversed edges, in reverse finishing order.
    let mut comp = vec![u32::MAX; n];
    let mut sizes: Vec<(usize, u32)> = Vec::new();
    let mut todo = Vec::new();
    for &s in order.iter().rev() {
        if comp[s as usize] != u32::MAX {
            continue;
        }
        let id = sizes.len() as u32;
        let (mut size, mut smallest) = (0usize, s);
        comp[s as usize] = id;
        todo.push(s);
        while let Some(v) = todo.pop() {
            size += 1;
            smallest = smallest.min(v);
            for i in range(inc.0, v) {
                let u = inc.1[i];
                if comp[u as usize] == u32::MAX {
                    comp[u as usize] = id;
                    todo.push(u);
                }
            }
        }
        sizes.push((size, smallest));
    }
    let best = (0..sizes.len())
        .max_by_key(|&c| (sizes[c].0, std::cmp::Reverse(sizes[c].1)))
        .map_or(u32::MAX, |c| c as u32);
    comp.into_iter().map(|c| c == best).collect()
}

/// Adjacency arrays of `edges` over `n` nodes, by their first end: `(first, to)`
/// with `to[first[v]..first[v + 1]]` the second ends of the edges whose first end is
/// `v`.
pub(crate) fn adjacency(
    n: usize,
    edges: impl Iterator<Item = (u32, u32)> + Clone,
) -> (Vec<u32>, Vec<u32>) {
    let mut first = vec![0u32; n + 1];
    for (a, _) in edges.clone() {
        first[a as usize + 1] += 1;
    }
    for v in 0..n {
        first[v + 1] += first[v];
    }
    let mut fill = first.clone();
    let mut to = vec![0u32; first[n] as usize];
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
        let out = adjacency(n, edges.iter().copied());
        let inc = adjacency(n, edges.iter().map(|&(a, b)| (b, a)));
        let mask = largest(n, (&out.0, &out.1), (&inc.0, &inc.1));
        (0..n as u32).filter(|&v| mask[v as usize]).collect()
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
