//! The import worker's allocator: the system allocator with a cap on the
//! bytes in use, so a file that unpacks into gigabytes (Automerge inflates
//! without bound, NOTES.md) makes the worker fail an allocation, abort and
//! be reported as "damaged or too large", instead of exhausting the
//! browser's memory. Plain Rust, so the accounting is tested natively.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};

/// Memory every check may use whatever the input (the wasm runtime, a
/// small portfolio and its copy fit in a fraction of it).
pub const BASE_BUDGET: usize = 512 * 1024 * 1024;
/// Extra memory per byte of input. Measured: an Automerge document takes
/// 100–250 bytes of memory per byte saved while loading and merging.
pub const BUDGET_PER_INPUT_BYTE: usize = 256;
/// Never more than this, whatever the input: wasm32 ends at 4 GiB.
pub const MAX_BUDGET: usize = 3 * 1024 * 1024 * 1024;

/// A capped allocator; the worker binary installs one as its global
/// allocator. A refused allocation returns null, which Rust turns into an
/// abort (a trap in wasm: the app sees the worker die).
pub struct CappedAlloc {
    in_use: AtomicUsize,
    cap: AtomicUsize,
}

impl CappedAlloc {
    pub const fn new() -> CappedAlloc {
        CappedAlloc {
            in_use: AtomicUsize::new(0),
            cap: AtomicUsize::new(usize::MAX),
        }
    }

    /// Bytes currently allocated through this allocator.
    pub fn in_use(&self) -> usize {
        self.in_use.load(Relaxed)
    }

    /// Allows what is in use now plus the budget for `input_bytes` of input.
    pub fn set_budget(&self, input_bytes: usize) {
        let budget = BASE_BUDGET
            .saturating_add(input_bytes.saturating_mul(BUDGET_PER_INPUT_BYTE))
            .min(MAX_BUDGET);
        self.set_cap(self.in_use().saturating_add(budget));
    }

    /// Allows at most `cap` bytes in use.
    pub fn set_cap(&self, cap: usize) {
        self.cap.store(cap, Relaxed);
    }

    fn reserve(&self, size: usize) -> bool {
        let now = self.in_use.fetch_add(size, Relaxed).saturating_add(size);
        if now > self.cap.load(Relaxed) {
            self.in_use.fetch_sub(size, Relaxed);
            return false;
        }
        true
    }

    fn release(&self, size: usize) {
        self.in_use.fetch_sub(size, Relaxed);
    }
}

impl Default for CappedAlloc {
    fn default() -> Self {
        Self::new()
    }
}

// SAFETY: every method forwards to `System` with the caller's layout and
// pointer unchanged; the counter only decides whether to forward.
unsafe impl GlobalAlloc for CappedAlloc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if !self.reserve(layout.size()) {
            return std::ptr::null_mut();
        }
        let ptr = unsafe { System.alloc(layout) };
        if ptr.is_null() {
            self.release(layout.size());
        }
        ptr
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        if !self.reserve(layout.size()) {
            return std::ptr::null_mut();
        }
        let ptr = unsafe { System.alloc_zeroed(layout) };
        if ptr.is_null() {
            self.release(layout.size());
        }
        ptr
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        self.release(layout.size());
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let old = layout.size();
        if new_size > old && !self.reserve(new_size - old) {
            return std::ptr::null_mut();
        }
        let new = unsafe { System.realloc(ptr, layout, new_size) };
        if new.is_null() {
            if new_size > old {
                self.release(new_size - old);
            }
        } else if new_size < old {
            self.release(old - new_size);
        }
        new
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allocations_beyond_the_cap_are_refused_and_freed_memory_counts_again() {
        let a = CappedAlloc::new();
        a.set_cap(1000);
        let small = Layout::from_size_align(600, 8).unwrap();
        let p = unsafe { a.alloc(small) };
        assert!(!p.is_null());
        assert_eq!(a.in_use(), 600);
        assert!(unsafe { a.alloc(small) }.is_null(), "600 + 600 > 1000");
        assert_eq!(a.in_use(), 600, "a refusal reserves nothing");

        // Growing past the cap is refused; the old block stays valid.
        assert!(unsafe { a.realloc(p, small, 1200) }.is_null());
        let p = unsafe { a.realloc(p, small, 900) };
        assert!(!p.is_null());
        assert_eq!(a.in_use(), 900);
        let p = unsafe { a.realloc(p, Layout::from_size_align(900, 8).unwrap(), 100) };
        assert_eq!(a.in_use(), 100);
        unsafe { a.dealloc(p, Layout::from_size_align(100, 8).unwrap()) };
        assert_eq!(a.in_use(), 0);

        let z = unsafe { a.alloc_zeroed(Layout::from_size_align(1000, 8).unwrap()) };
        assert!(!z.is_null());
        unsafe { a.dealloc(z, Layout::from_size_align(1000, 8).unwrap()) };
    }

    #[test]
    fn the_budget_grows_with_the_input_and_stops_at_the_maximum() {
        let a = CappedAlloc::new();
        a.set_budget(0);
        assert!(a.reserve(BASE_BUDGET));
        assert!(!a.reserve(1), "the base budget is used up");
        a.release(BASE_BUDGET);

        a.set_budget(1024 * 1024);
        assert!(a.reserve(BASE_BUDGET + 256 * 1024 * 1024));
        a.release(BASE_BUDGET + 256 * 1024 * 1024);

        a.set_budget(usize::MAX / 2);
        assert!(!a.reserve(MAX_BUDGET + 1));
    }
}
