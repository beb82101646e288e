//! The interpreter core: one handler function per instruction
//! (`handlers/`), the dispatch from each handler to the next
//! (`dispatch.rs`: tail calls or a loop), and the state they share
//! (`state.rs`).

pub(crate) mod dispatch;
pub(crate) mod handlers;
pub(crate) mod state;

use super::outside::{backtrace, compiled, memory0};
use super::{enter_frame, ExecStore};
use crate::error::{Error, Result};
use crate::ir::CompiledFunc;
use crate::trap::TrapCode;
use crate::vm::{FuncKind, Stack};
use core::mem::ManuallyDrop;

use state::{Exec, Stop};

/// Runs store function `entry` (a Wasm function) with its arguments in the
/// stack's first slots; its results end up there.
pub(crate) fn run(store: &mut dyn ExecStore, stack: &mut Stack, entry: u32) -> Result<()> {
    let slots_len = stack.slots.len();
    let slots: *mut u64 = stack.slots.as_mut_ptr();
    // Every frame costs at least one slot; bound the frame records too.
    let max_frames = (slots_len / 2).min(store.inner().engine.config().max_call_depth as usize - 1);
    let FuncKind::Wasm {
        instance: inst,
        def,
    } = store.inner().funcs[entry as usize].kind
    else {
        return Err(Error::runtime("internal: entry is not a Wasm function"));
    };
    // The code, through the function's cache after the first call (as
    // `handlers::call` does).
    let cached = store.inner().funcs[entry as usize].code;
    let cf: &CompiledFunc = if cached != 0 {
        // SAFETY: the address of a `CompiledFunc` that `compiled` returned
        // for this function; see there.
        unsafe { &*(cached as *const CompiledFunc) }
    } else {
        let c = compiled(store.inner(), inst, def)?;
        #[cfg(weft_compiler)]
        let cache = store.inner().engine.config().strategy != crate::engine::Strategy::Auto;
        #[cfg(not(weft_compiler))]
        let cache = true;
        if cache {
            store.inner().funcs[entry as usize].code = c as usize;
        }
        // SAFETY: see `compiled`.
        unsafe { &*c }
    };
    if cf.frame_size as usize > slots_len {
        return Err(backtrace(store.inner(), TrapCode::StackOverflow, entry, None, &[]).into());
    }
    let sp: *mut u64 = slots;
    // SAFETY: locals + consts <= frame_size <= slots_len.
    unsafe { enter_frame(sp, cf) };
    let ip = cf.code.as_ptr();
    let (mem, mem_len) = memory0(store.inner(), inst);
    // The frame records move into `Exec` for the run (one indirection
    // less on every call) and back after it, keeping their capacity.
    let frames = core::mem::take(&mut stack.frames);
    let mut x = Exec::new(store, frames, slots, slots_len, max_frames, inst, entry);
    dispatch::execute(&mut x, ip, sp, mem, mem_len);
    let result = match core::mem::replace(&mut x.stop, Stop::Returned) {
        Stop::Returned => Ok(()),
        Stop::Trap(code, ip) => {
            let inner = x.store.inner();
            Err(backtrace(inner, code, x.cur_func, Some(ip), &x.frames).into())
        }
        Stop::Error(e) => Err(e),
        Stop::TrapOutside(mut e, ip) => {
            let inner = x.store.inner();
            if let Some(t) = e.as_trap_mut() {
                t.extend_outer(backtrace(inner, t.code(), x.cur_func, Some(ip), &x.frames));
            }
            Err(e)
        }
    };
    stack.frames = ManuallyDrop::into_inner(x.frames);
    result
}
