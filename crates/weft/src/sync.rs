//! A mutual-exclusion lock that works with and without `std`: the
//! standard `Mutex` (poisoning ignored: the data it guards stays
//! consistent at every point a panic can unwind from) where `std` is on,
//! else a spin lock. Used for engine-wide state that is written rarely
//! (the type registry).

#[cfg(feature = "std")]
mod imp {
    /// A lock around a `T`.
    #[derive(Debug, Default)]
    pub(crate) struct Lock<T>(std::sync::Mutex<T>);

    impl<T> Lock<T> {
        /// Runs `f` with the locked value.
        pub(crate) fn with<R>(&self, f: impl FnOnce(&mut T) -> R) -> R {
            f(&mut self
                .0
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner))
        }
    }
}

#[cfg(not(feature = "std"))]
mod imp {
    use core::cell::UnsafeCell;
    use core::sync::atomic::{AtomicBool, Ordering};

    /// A lock around a `T` (a spin lock: without `std` there is no way to
    /// sleep; it is held only for short, non-blocking updates).
    #[derive(Debug, Default)]
    pub(crate) struct Lock<T> {
        locked: AtomicBool,
        value: UnsafeCell<T>,
    }

    // SAFETY: the value is reached only through `with`, which holds the
    // lock (so at most one thread has it at a time), as a `Mutex<T>` is.
    unsafe impl<T: Send> Sync for Lock<T> {}
    // SAFETY: moving the lock moves the `T`, which is `Send`.
    unsafe impl<T: Send> Send for Lock<T> {}

    impl<T> Lock<T> {
        /// Runs `f` with the locked value.
        pub(crate) fn with<R>(&self, f: impl FnOnce(&mut T) -> R) -> R {
            while self
                .locked
                .compare_exchange_weak(false, true, Ordering::Acquire, Ordering::Relaxed)
                .is_err()
            {
                core::hint::spin_loop();
            }
            /// Releases the lock when dropped, also when `f` panics.
            struct Unlock<'a>(&'a AtomicBool);
            impl Drop for Unlock<'_> {
                fn drop(&mut self) {
                    self.0.store(false, Ordering::Release);
                }
            }
            let _unlock = Unlock(&self.locked);
            // SAFETY: this thread holds the lock (acquired above, released
            // only when `_unlock` drops after `f` returns), so no other
            // reference to the value exists.
            f(unsafe { &mut *self.value.get() })
        }
    }
}

pub(crate) use imp::Lock;
