//! Fair job slots: at most `slots` jobs run at once; when a slot frees, it goes to
//! the waiting job of the owner (organisation, or the page's anonymous users)
//! with the fewest jobs running, then the one served least recently (round-robin),
//! the earliest first among equals. So one owner's
//! long queue never holds another owner's first job back by more than the run of
//! one job. Each owner may have at most `per_owner` jobs running or waiting;
//! beyond, [`Queue::reserve`] refuses (the API answers 429 with `Retry-After`).

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::sync::{Arc, Mutex};

use tokio::sync::oneshot;

/// A place in the queue, taken before a job is recorded and given back when the
/// job ends (or when it is dropped unused).
pub struct Ticket {
    queue: Arc<Queue>,
    owner: String,
    id: u64,
}

struct Waiter {
    owner: String,
    id: u64,
    wake: oneshot::Sender<()>,
}

#[derive(Default)]
struct Slots {
    free: usize,
    /// Jobs running per owner.
    running: BTreeMap<String, usize>,
    /// Jobs running or waiting per owner.
    held: BTreeMap<String, usize>,
    /// When each owner last got a slot (a counter), for round-robin.
    last: BTreeMap<String, u64>,
    tick: u64,
    waiting: VecDeque<Waiter>,
    /// Tickets holding a slot.
    granted: BTreeSet<u64>,
    next_id: u64,
}

impl Slots {
    fn start(&mut self, owner: &str, id: u64) {
        self.granted.insert(id);
        self.free -= 1;
        *self.running.entry(owner.to_string()).or_default() += 1;
        self.tick += 1;
        self.last.insert(owner.to_string(), self.tick);
    }
}

pub struct Queue {
    slots: Mutex<Slots>,
    /// Most jobs one owner may have running or waiting.
    pub per_owner: usize,
}

/// Why a job was not queued.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Full {
    /// Jobs the owner already has running or waiting.
    pub held: usize,
}

impl Queue {
    pub fn new(slots: usize, per_owner: usize) -> Arc<Queue> {
        Arc::new(Queue {
            slots: Mutex::new(Slots {
                free: slots.max(1),
                ..Slots::default()
            }),
            per_owner: per_owner.max(1),
        })
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Slots> {
        self.slots.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Takes a place for one more job of `owner`, or says the owner has too many.
    pub fn reserve(self: &Arc<Self>, owner: &str) -> Result<Ticket, Full> {
        let mut s = self.lock();
        let held = s.held.entry(owner.to_string()).or_default();
        if *held >= self.per_owner {
            return Err(Full { held: *held });
        }
        *held += 1;
        s.next_id += 1;
        Ok(Ticket {
            queue: self.clone(),
            owner: owner.to_string(),
            id: s.next_id,
        })
    }

    /// Jobs running or waiting for `owner`.
    pub fn held(&self, owner: &str) -> usize {
        self.lock().held.get(owner).copied().unwrap_or(0)
    }

    /// Gives free slots to waiting jobs, fewest running for their owner first.
    fn dispatch(s: &mut Slots) {
        while s.free > 0 && !s.waiting.is_empty() {
            let pick = (0..s.waiting.len())
                .min_by_key(|&i| {
                    let owner = &s.waiting[i].owner;
                    (
                        s.running.get(owner).copied().unwrap_or(0),
                        s.last.get(owner).copied().unwrap_or(0),
                        i,
                    )
                })
                .expect("not empty");
            let w = s.waiting.remove(pick).expect("in range");
            // A waiter that went away (its job was cancelled) takes no slot.
            if w.wake.send(()).is_ok() {
                s.start(&w.owner, w.id);
            }
        }
    }
}

impl Ticket {
    /// Waits for a slot; the job may run from then until the ticket is dropped.
    /// (Dropping the future while it waits leaves the ticket waiting no more.)
    pub async fn run_slot(&mut self) {
        let rx = {
            let mut s = self.queue.lock();
            if s.granted.contains(&self.id) {
                return;
            }
            if s.free > 0 && s.waiting.is_empty() {
                s.start(&self.owner, self.id);
                return;
            }
            let (tx, rx) = oneshot::channel();
            s.waiting.push_back(Waiter {
                owner: self.owner.clone(),
                id: self.id,
                wake: tx,
            });
            rx
        };
        let _ = rx.await;
    }

    /// Whether the ticket holds a slot.
    pub fn running(&self) -> bool {
        self.queue.lock().granted.contains(&self.id)
    }
}

impl Drop for Ticket {
    fn drop(&mut self) {
        let mut s = self.queue.lock();
        if let Some(h) = s.held.get_mut(&self.owner) {
            *h = h.saturating_sub(1);
        }
        s.waiting.retain(|w| w.id != self.id);
        if s.granted.remove(&self.id) {
            if let Some(r) = s.running.get_mut(&self.owner) {
                *r = r.saturating_sub(1);
            }
            s.free += 1;
        }
        Queue::dispatch(&mut s);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_second_owner_goes_before_the_first_owners_queue() {
        let q = Queue::new(1, 20);
        let mut first = q.reserve("a").unwrap();
        first.run_slot().await;
        assert!(first.running());
        // "a" queues 5 more, then "b" one.
        let mut a_tasks = Vec::new();
        let order = Arc::new(Mutex::new(Vec::new()));
        for i in 0..5 {
            let mut t = q.reserve("a").unwrap();
            let order = order.clone();
            a_tasks.push(tokio::spawn(async move {
                t.run_slot().await;
                order.lock().unwrap().push(format!("a{i}"));
                tokio::task::yield_now().await;
                drop(t);
            }));
        }
        let mut b = q.reserve("b").unwrap();
        let order_b = order.clone();
        let b_task = tokio::spawn(async move {
            b.run_slot().await;
            order_b.lock().unwrap().push("b".to_string());
            drop(b);
        });
        tokio::task::yield_now().await;
        drop(first);
        b_task.await.unwrap();
        for t in a_tasks {
            t.await.unwrap();
        }
        let order = order.lock().unwrap().clone();
        assert_eq!(order[0], "b", "{order:?}");
        assert_eq!(order.len(), 6);
    }

    #[test]
    fn an_owner_has_at_most_its_limit_running_or_waiting() {
        let q = Queue::new(2, 3);
        let t: Vec<Ticket> = (0..3).map(|_| q.reserve("a").unwrap()).collect();
        assert_eq!(q.reserve("a").err(), Some(Full { held: 3 }));
        assert!(q.reserve("b").is_ok());
        drop(t);
        assert_eq!(q.held("a"), 0);
        assert!(q.reserve("a").is_ok());
    }
}
