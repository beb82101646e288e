//! Globals: each value lives in a heap cell whose address never changes
//! while the store lives, so that an instance can keep the addresses of
//! the globals it uses ([`GlobalAddrs`]) and the interpreter can read and
//! write a global through them, without looking it up in the store's
//! arena (which moves when it grows).

use alloc::boxed::Box;
use core::ptr::NonNull;

use crate::types::{GlobalType, RefTy};

/// A global.
pub(crate) struct GlobalEntity {
    pub(crate) ty: GlobalType,
    /// The value.
    pub(crate) cell: GlobalCell,
    /// The precise type when a module defined it as a typed reference;
    /// `None`: as `ty` says.
    pub(crate) precise: Option<RefTy>,
}

/// A global's value: its slot bits, then the high half of a `v128` (0 for
/// other types), in a heap allocation of its own.
pub(crate) struct GlobalCell {
    value: NonNull<[u64; 2]>,
}

// SAFETY: a `GlobalCell` owns its allocation as a `Box` would; the
// pointers to it that instances keep (`GlobalAddrs`) belong to the same
// store and move with it.
unsafe impl Send for GlobalCell {}
// SAFETY: shared access only reads; writes need `&mut GlobalCell` or, in
// the interpreter, the whole store borrowed exclusively.
unsafe impl Sync for GlobalCell {}

impl GlobalCell {
    /// A cell holding `value` (a `v128`'s 128 bits, or slot bits
    /// zero-extended).
    pub(crate) fn new(value: u128) -> GlobalCell {
        let b = Box::new([value as u64, (value >> 64) as u64]);
        GlobalCell {
            value: NonNull::from(Box::leak(b)),
        }
    }

    /// The value's slot bits (the low half of a `v128`).
    pub(crate) fn get(&self) -> u64 {
        // SAFETY: the allocation lives as long as `self`; nothing holds a
        // reference into it (all access goes through the pointer).
        unsafe { self.value.as_ptr().cast::<u64>().read() }
    }

    /// The value as 128 bits (other types zero-extended).
    pub(crate) fn wide(&self) -> u128 {
        // SAFETY: as in `get`.
        let [lo, hi] = unsafe { self.value.as_ptr().read() };
        u128::from(lo) | u128::from(hi) << 64
    }

    /// Sets the value (a `v128`'s 128 bits, or slot bits zero-extended).
    pub(crate) fn set_wide(&mut self, value: u128) {
        // SAFETY: as in `get`.
        unsafe {
            self.value
                .as_ptr()
                .write([value as u64, (value >> 64) as u64])
        };
    }

    /// The address of the value (two `u64`s: the slot bits, then the high
    /// half of a `v128`); valid until the cell is dropped.
    pub(crate) fn addr(&self) -> NonNull<u64> {
        self.value.cast()
    }
}

impl Drop for GlobalCell {
    fn drop(&mut self) {
        // SAFETY: `value` came from `Box::leak` in `new` and is dropped
        // once, here.
        drop(unsafe { Box::from_raw(self.value.as_ptr()) });
    }
}

/// The value addresses ([`GlobalCell::addr`]) of an instance's globals, by
/// module global index (imported ones first).
pub(crate) struct GlobalAddrs(Box<[NonNull<u64>]>);

// SAFETY: the addresses point into `GlobalCell`s of the same store (an
// instance only uses its own store's globals) and move with it; they are
// dereferenced only by the interpreter, holding the store exclusively.
unsafe impl Send for GlobalAddrs {}
// SAFETY: as above; `&GlobalAddrs` only hands out the addresses.
unsafe impl Sync for GlobalAddrs {}

impl GlobalAddrs {
    pub(crate) fn new(addrs: Box<[NonNull<u64>]>) -> GlobalAddrs {
        GlobalAddrs(addrs)
    }

    /// The first address; the table never changes once made.
    pub(crate) fn as_ptr(&self) -> *const NonNull<u64> {
        self.0.as_ptr()
    }

    /// How many globals the instance has.
    pub(crate) fn len(&self) -> usize {
        self.0.len()
    }
}
