//! Work spread over one worker per core, its results in input order: parsing thousands of
//! tables (the canonical files' CREATE TABLEs, a server's printed definitions).

use std::sync::OnceLock;

/// Worker threads: one per core, at most 8. Asked once: the answer reads cgroup files.
pub(crate) fn workers() -> usize {
    static WORKERS: OnceLock<usize> = OnceLock::new();
    *WORKERS.get_or_init(|| {
        std::thread::available_parallelism()
            .map_or(1, |n| n.get())
            .clamp(1, 8)
    })
}

/// `f` of each item, in order, on [`workers`] threads, each given a run of items. Err
/// carries the panic of a worker that panicked (a bug in `f`): the caller re-raises it or
/// reports it.
pub(crate) fn map<T: Sync, R: Send>(
    items: &[T],
    f: impl Fn(&T) -> R + Sync,
) -> std::thread::Result<Vec<R>> {
    let chunk = items.len().div_ceil(workers()).max(1);
    let f = &f;
    std::thread::scope(|s| {
        let handles: Vec<_> = items
            .chunks(chunk)
            .map(|part| s.spawn(move || part.iter().map(f).collect::<Vec<R>>()))
            .collect();
        // Every worker joined before any answer is looked at: an unjoined worker's panic
        // would panic the scope.
        let joined: Vec<_> = handles.into_iter().map(|h| h.join()).collect();
        let mut out = Vec::with_capacity(items.len());
        for part in joined {
            out.extend(part?);
        }
        Ok(out)
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn results_come_in_input_order_and_a_panic_is_an_error() {
        let items: Vec<u32> = (0..1000).collect();
        let doubled = super::map(&items, |i| i * 2).unwrap();
        assert_eq!(doubled, (0..1000).map(|i| i * 2).collect::<Vec<_>>());
        assert!(super::map(&[] as &[u32], |i| *i).unwrap().is_empty());
        let panicked = super::map(&items, |i| if *i == 0 { panic!("worker") } else { *i });
        assert!(panicked.is_err());
    }
}
