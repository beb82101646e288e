//! Where compiled code meets its Wasm: for a block of machine code (a
//! module's [`Image`](super::Image), or one function compiled by tier-up),
//! which function each byte belongs to, which instructions are memory
//! accesses that may fault on a guard page, and at which Wasm offset each
//! of those and each call is. The signal handler (`signals.rs`) asks it
//! whether a faulting instruction is a Wasm out-of-bounds access, and the
//! runtime turns the return addresses of the frames it walked into the
//! trap's backtrace, and a collection reads the references each compiled
//! frame holds by the stack maps kept here (`vm/native_roots.rs`). Native
//! artifacts carry these tables beside the code (`artifact/native.rs`).

use alloc::vec::Vec;

/// The tables of one block of machine code; every code offset is from the
/// block's start, every table sorted by it.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct CodeSites {
    /// The compiled function bodies: (start, end, defined function
    /// index).
    pub(crate) bodies: Vec<(u32, u32, u32)>,
    /// Linear-memory accesses that are not bounds-checked (they fault past
    /// the memory's length): (the instruction's offset, its Wasm module
    /// offset).
    pub(crate) heap_traps: Vec<(u32, u32)>,
    /// Calls: (the return address's offset, the call's Wasm module offset).
    pub(crate) calls: Vec<(u32, u32)>,
    /// Calls across which the frame holds GC references: (the return
    /// address's offset, the frame's size in bytes from its stack
    /// pointer to its frame pointer).
    pub(crate) frames: Vec<(u32, u32)>,
    /// Where those references are: (the return address's offset, an
    /// offset in bytes from the frame's stack pointer), sorted.
    pub(crate) ref_slots: Vec<(u32, u32)>,
    /// Calls inside a `try_table` or legacy `try` (Cranelift `try_call`s):
    /// (the return address's offset, the offset of the handler code an
    /// exception raised in the callee resumes at).
    pub(crate) handlers: Vec<(u32, u32)>,
    /// For each of `handlers`: (the return address's offset, the frame's
    /// size in bytes from the stack pointer the handler expects to its
    /// frame pointer).
    pub(crate) handler_frames: Vec<(u32, u32)>,
}

impl CodeSites {
    /// Adds the tables of one function body of `len` bytes placed at
    /// `start`, its own offsets relative to itself.
    pub(crate) fn append(&mut self, start: u32, len: u32, def: u32, body: &BodySites) {
        self.bodies.push((start, start + len, def));
        let shift = move |&(at, wasm): &(u32, u32)| (start + at, wasm);
        self.heap_traps.extend(body.heap_traps.iter().map(shift));
        self.calls.extend(body.calls.iter().map(shift));
        self.frames.extend(body.frames.iter().map(shift));
        self.ref_slots.extend(body.ref_slots.iter().map(shift));
        self.handlers.extend(
            body.handlers
                .iter()
                .map(|&(at, handler)| (start + at, start + handler)),
        );
        self.handler_frames
            .extend(body.handler_frames.iter().map(shift));
    }

    /// The handler of the call returning to `offset`, if it is inside a
    /// `try_table` or `try`: the handler's offset and the frame's size in
    /// bytes from the stack pointer the handler expects to its frame
    /// pointer.
    pub(crate) fn handler(&self, offset: u32) -> Option<(u32, u32)> {
        let i = self
            .handlers
            .binary_search_by_key(&offset, |&(at, _)| at)
            .ok()?;
        Some((self.handlers[i].1, self.handler_frames.get(i)?.1))
    }

    /// The stack map of the call returning to `offset`: the frame's size
    /// (its frame pointer minus its stack pointer, in bytes) and the
    /// offsets from its stack pointer of the 8-byte slots holding GC
    /// references; `None` if the frame holds none there.
    pub(crate) fn stack_map(&self, offset: u32) -> Option<(u32, impl Iterator<Item = u32> + '_)> {
        let i = self
            .frames
            .binary_search_by_key(&offset, |&(at, _)| at)
            .ok()?;
        let first = self.ref_slots.partition_point(|&(at, _)| at < offset);
        let slots = self.ref_slots[first..]
            .iter()
            .take_while(move |&&(at, _)| at == offset)
            .map(|&(_, slot)| slot);
        Some((self.frames[i].1, slots))
    }

    /// Whether the instruction at `offset` is an unchecked linear-memory
    /// access.
    pub(crate) fn is_heap_trap(&self, offset: u32) -> bool {
        self.heap_traps
            .binary_search_by_key(&offset, |&(at, _)| at)
            .is_ok()
    }

    /// The frame of the code at `offset`: the defined function it belongs
    /// to and the Wasm module offset (`u32::MAX` if unknown) of the
    /// faulting access there (`faulted`) or of the call returning there.
    pub(crate) fn frame(&self, offset: u32, faulted: bool) -> Option<(u32, u32)> {
        let i = self
            .bodies
            .partition_point(|&(start, _, _)| start <= offset);
        let &(start, end, def) = self.bodies.get(i.checked_sub(1)?)?;
        if offset < start || offset >= end {
            return None;
        }
        let table = if faulted {
            &self.heap_traps
        } else {
            &self.calls
        };
        let wasm = table
            .binary_search_by_key(&offset, |&(at, _)| at)
            .map_or(u32::MAX, |i| table[i].1);
        Some((def, wasm))
    }

    /// Whether every table is sorted and within `code_len` bytes (a
    /// native artifact's tables are checked with this when loaded).
    pub(crate) fn is_well_formed(&self, code_len: u32) -> bool {
        let sorted = |v: &[(u32, u32)]| {
            v.windows(2).all(|w| w[0].0 < w[1].0) && v.iter().all(|&(at, _)| at <= code_len)
        };
        self.bodies.windows(2).all(|w| w[0].1 <= w[1].0)
            && self
                .bodies
                .iter()
                .all(|&(start, end, _)| start <= end && end <= code_len)
            && sorted(&self.heap_traps)
            && sorted(&self.calls)
            && sorted(&self.frames)
            && sorted(&self.handlers)
            && self.handlers.iter().all(|&(_, h)| h < code_len)
            && self.handler_frames.len() == self.handlers.len()
            && self
                .handlers
                .iter()
                .zip(&self.handler_frames)
                .all(|(h, f)| h.0 == f.0)
            && self.ref_slots.windows(2).all(|w| w[0] < w[1])
            && self
                .ref_slots
                .iter()
                .all(|&(at, _)| self.frames.binary_search_by_key(&at, |&(f, _)| f).is_ok())
    }
}

/// One function body's sites, offsets from its first byte.
#[derive(Debug, Default, Clone)]
pub(crate) struct BodySites {
    pub(crate) heap_traps: Vec<(u32, u32)>,
    pub(crate) calls: Vec<(u32, u32)>,
    /// As [`CodeSites::frames`].
    pub(crate) frames: Vec<(u32, u32)>,
    /// As [`CodeSites::ref_slots`].
    pub(crate) ref_slots: Vec<(u32, u32)>,
    /// As [`CodeSites::handlers`].
    pub(crate) handlers: Vec<(u32, u32)>,
    /// As [`CodeSites::handler_frames`].
    pub(crate) handler_frames: Vec<(u32, u32)>,
}

impl BodySites {
    /// The sites of a function Cranelift compiled: its traps with code
    /// `HEAP_OUT_OF_BOUNDS` and its calls, each with the Wasm offset of
    /// the source location covering it, and its stack maps (Cranelift's
    /// user stack maps: the slots of the values the translator declared
    /// as GC references, at each call they live across).
    pub(crate) fn of(
        buffer: &cranelift_codegen::MachBufferFinalized<cranelift_codegen::Final>,
    ) -> BodySites {
        use cranelift_codegen::ir::TrapCode;
        let srclocs = buffer.get_srclocs_sorted();
        let wasm_at = |offset: u32| {
            let i = srclocs.partition_point(|s| s.start <= offset);
            i.checked_sub(1)
                .map(|i| &srclocs[i])
                .filter(|s| offset < s.end && !s.loc.is_default())
                .map_or(u32::MAX, |s| s.loc.bits())
        };
        let mut heap_traps: Vec<(u32, u32)> = buffer
            .traps()
            .iter()
            .filter(|t| t.code == TrapCode::HEAP_OUT_OF_BOUNDS)
            .map(|t| (t.offset, wasm_at(t.offset)))
            .collect();
        heap_traps.sort_unstable();
        heap_traps.dedup_by_key(|&mut (at, _)| at);
        let mut calls: Vec<(u32, u32)> = buffer
            .call_sites()
            .map(|c| (c.ret_addr, wasm_at(c.ret_addr.saturating_sub(1))))
            .collect();
        calls.sort_unstable();
        calls.dedup_by_key(|&mut (at, _)| at);
        // The translator gives every `try_call` one default handler.
        let mut caught: Vec<(u32, u32, u32)> = buffer
            .call_sites()
            .filter_map(|c| {
                let handler = c.exception_handlers.iter().find_map(|h| match h {
                    cranelift_codegen::FinalizedMachExceptionHandler::Default(at) => Some(*at),
                    _ => None,
                })?;
                Some((c.ret_addr, handler, c.frame_offset?))
            })
            .collect();
        caught.sort_unstable();
        caught.dedup_by_key(|c| c.0);
        let handlers = caught.iter().map(|&(at, h, _)| (at, h)).collect();
        let handler_frames = caught.iter().map(|&(at, _, f)| (at, f)).collect();
        let mut frames = Vec::new();
        let mut ref_slots = Vec::new();
        for (at, span, map) in buffer.user_stack_maps() {
            frames.push((*at, *span));
            let first = ref_slots.len();
            ref_slots.extend(map.entries().map(|(_, offset)| (*at, offset)));
            ref_slots[first..].sort_unstable();
        }
        frames.sort_unstable();
        ref_slots.sort_unstable();
        ref_slots.dedup();
        BodySites {
            heap_traps,
            calls,
            frames,
            ref_slots,
            handlers,
            handler_frames,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_are_found_by_offset() {
        let mut sites = CodeSites::default();
        let body = BodySites {
            heap_traps: alloc::vec![(4, 100), (9, 120)],
            calls: alloc::vec![(12, 130)],
            frames: alloc::vec![(12, 48)],
            ref_slots: alloc::vec![(12, 8), (12, 16)],
            handlers: alloc::vec![(12, 18)],
            handler_frames: alloc::vec![(12, 32)],
        };
        sites.append(32, 20, 7, &body);
        sites.append(64, 16, 8, &BodySites::default());
        assert!(sites.is_heap_trap(36));
        assert!(!sites.is_heap_trap(37));
        assert_eq!(sites.frame(41, true), Some((7, 120)));
        assert_eq!(sites.frame(44, false), Some((7, 130)));
        assert_eq!(sites.frame(45, false), Some((7, u32::MAX)));
        assert_eq!(sites.frame(70, false), Some((8, u32::MAX)));
        assert_eq!(sites.frame(10, false), None);
        assert_eq!(sites.frame(54, false), None);
        let (span, slots) = sites.stack_map(44).unwrap();
        assert_eq!((span, slots.collect::<Vec<_>>()), (48, alloc::vec![8, 16]));
        assert!(sites.stack_map(45).is_none());
        assert_eq!(sites.handler(44), Some((50, 32)));
        assert_eq!(sites.handler(45), None);
        assert!(sites.is_well_formed(80));
        assert!(!sites.is_well_formed(60));
        let mut stray = sites.clone();
        stray.ref_slots.push((50, 8));
        assert!(!stray.is_well_formed(80), "a slot of a call without a map");
        let mut lone = sites.clone();
        lone.handler_frames.clear();
        assert!(!lone.is_well_formed(80), "a handler without its frame size");
    }
}
