//! The Weft bytecode: what one translated Wasm function becomes.
//!
//! A function is a flat array of [`Op`]s. Operands are *slots*: 64-bit cells
//! of the function's frame, addressed relative to the frame base. Parameters
//! come first, then declared locals, then one slot per operand-stack height
//! (so the value at stack height `h` lives in slot `locals + h`). Values are
//! untyped bits: an `i32` or `f32` is stored zero-extended in the low 32
//! bits, an `i64`/`f64` uses all 64, a reference is `0` for null or an index
//! plus one (see `vm`). Because of that `i32.reinterpret_f32` and friends are
//! not instructions at all.
//!
//! Branch offsets are relative to the branching instruction's own index.
//! A call's `base` is the slot where the callee's frame begins inside the
//! caller's: the arguments already sit there, and the results come back
//! there, so calls copy nothing.
//!
//! This module imports nothing of Weft's; `translate` writes it and `exec`
//! reads it.

#[macro_use]
pub(crate) mod simd;

use alloc::boxed::Box;

pub(crate) use simd::{
    SimdBinary, SimdExtract, SimdLoad, SimdShape, SimdShift, SimdTernary, SimdTest, SimdUnary,
};

/// A frame slot index, relative to the current frame's base.
pub(crate) type Slot = u16;

/// A branch offset in instructions, relative to the branch itself.
pub(crate) type Offset = i32;

pub(crate) mod codec;
pub(crate) mod dump;
mod isa;
pub(crate) use isa::for_each_op;
mod visit;

#[doc(hidden)]
pub use visit::{FieldLayout, OpLayout};
pub(crate) use visit::{Flag, Op, Visit};

/// The layout of every instruction, in tag order (for the fuzzer).
#[doc(hidden)]
pub fn op_layout() -> &'static [OpLayout] {
    visit::LAYOUT
}

/// In `RefTest`/`RefCast`, the bit that marks an abstract heap type (the
/// kind is the low bits: its position in [`ABSTRACT_HEAPS`]); without it,
/// the operand is a module type index.
pub(crate) const HEAP_ABSTRACT: u32 = 1 << 31;

/// The abstract heap types, numbered for [`HEAP_ABSTRACT`].
pub(crate) const ABSTRACT_HEAPS: [crate::types::HeapTy; 12] = {
    use crate::types::HeapTy as H;
    [
        H::Func,
        H::NoFunc,
        H::Extern,
        H::NoExtern,
        H::Any,
        H::Eq,
        H::I31,
        H::Struct,
        H::Array,
        H::None,
        H::Exn,
        H::NoExn,
    ]
};

/// The `RefTest`/`RefCast` operand of a heap type (`None` for one Weft
/// does not run: shared, continuation or exact types).
pub(crate) fn heap_code(h: wasmparser::HeapType) -> Option<u32> {
    use crate::types::HeapTy as H;
    use wasmparser::{AbstractHeapType as A, HeapType as W};
    let abstract_ = match h {
        W::Concrete(i) => return i.as_module_index().filter(|i| i & HEAP_ABSTRACT == 0),
        W::Abstract { shared: false, ty } => match ty {
            A::Func => H::Func,
            A::NoFunc => H::NoFunc,
            A::Extern => H::Extern,
            A::NoExtern => H::NoExtern,
            A::Any => H::Any,
            A::Eq => H::Eq,
            A::I31 => H::I31,
            A::Struct => H::Struct,
            A::Array => H::Array,
            A::None => H::None,
            A::Exn => H::Exn,
            A::NoExn => H::NoExn,
            A::Cont | A::NoCont => return None,
        },
        _ => return None,
    };
    let kind = ABSTRACT_HEAPS.iter().position(|&k| k == abstract_)?;
    Some(HEAP_ABSTRACT | kind as u32)
}

/// What a `RefTest`/`RefCast` operand names: an abstract heap type, or a
/// module type index.
pub(crate) enum HeapOperand {
    Abstract(crate::types::HeapTy),
    Type(u32),
}

/// Decodes a [`heap_code`] operand (`None` for an abstract kind past the
/// list, only possible in a crafted artifact).
pub(crate) fn heap_operand(code: u32) -> Option<HeapOperand> {
    if code & HEAP_ABSTRACT == 0 {
        return Some(HeapOperand::Type(code));
    }
    ABSTRACT_HEAPS
        .get((code & !HEAP_ABSTRACT) as usize)
        .map(|&h| HeapOperand::Abstract(h))
}

/// One translated function: its code and the frame it needs.
#[derive(Debug)]
pub(crate) struct CompiledFunc {
    /// The instructions.
    pub(crate) code: Box<[Op]>,
    /// Number of parameters (they occupy slots `0..params`).
    pub(crate) params: u16,
    /// Number of parameters plus declared locals.
    pub(crate) locals: u16,
    /// Constants the code uses as operands, copied into slots
    /// `locals..locals + consts.len()` when the frame is entered.
    pub(crate) consts: Box<[u64]>,
    /// Number of slots the frame needs (locals plus maximum stack height).
    pub(crate) frame_size: u32,
    /// Exception handlers (`try_table` catch clauses), innermost first.
    pub(crate) handlers: Box<[Handler]>,
    /// What entering the frame takes, derived from the fields above.
    pub(crate) init: FrameInit,
}

impl CompiledFunc {
    /// A function from its parts (`init` derived).
    pub(crate) fn new(
        code: Box<[Op]>,
        params: u16,
        locals: u16,
        consts: Box<[u64]>,
        frame_size: u32,
        handlers: Box<[Handler]>,
    ) -> CompiledFunc {
        let declared = locals.saturating_sub(params);
        let init = if declared == 0 && consts.is_empty() {
            FrameInit::Nothing
        } else if declared <= 2 && consts.is_empty() && u32::from(params) + 2 <= frame_size {
            FrameInit::ZeroTwo { at: params }
        } else {
            FrameInit::Full
        };
        CompiledFunc {
            code,
            params,
            locals,
            consts,
            frame_size,
            handlers,
            init,
        }
    }
}

/// What entering a function's frame takes besides its parameters (which
/// the caller wrote): the call handlers do the first two kinds in line,
/// without loops, and reach `exec::enter_frame` for the third.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum FrameInit {
    /// No declared locals and no constants.
    Nothing,
    /// One or two declared locals, set to zero by zeroing slots `at` and
    /// `at + 1` (a slot past the locals is a stack slot, which holds
    /// nothing yet), both inside the frame; no constants.
    ZeroTwo { at: u16 },
    /// Anything else: zero the locals and copy the constants in loops.
    Full,
}

/// A catch clause of a `try_table` (or of a legacy `try`): while an
/// instruction in `start..end` (indices into the code) throws, an
/// exception that matches `tag` is caught: its values go to the slots from
/// `dest` on (two slots each if `wide`; not for `catch_all`), its `exnref`
/// to `exn_at` if set, and execution continues at `pad`. A legacy
/// `delegate` is a handler with `delegate` set instead: the exception is
/// thrown again from code index `delegate` (or to the caller).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Handler {
    pub(crate) start: u32,
    pub(crate) end: u32,
    /// A module tag index, or [`Handler::ALL`] for `catch_all`.
    pub(crate) tag: u32,
    pub(crate) exn_at: Option<Slot>,
    pub(crate) wide: bool,
    pub(crate) dest: Slot,
    pub(crate) pad: u32,
    /// [`Handler::NO_DELEGATE`], [`Handler::TO_CALLER`], or a code index.
    pub(crate) delegate: u32,
}

impl Handler {
    /// The `tag` of `catch_all` and `catch_all_ref`.
    pub(crate) const ALL: u32 = u32::MAX;
    /// `delegate` of a handler that catches.
    pub(crate) const NO_DELEGATE: u32 = u32::MAX;
    /// `delegate` of a `delegate` to the function's label: the caller's
    /// handlers see the exception.
    pub(crate) const TO_CALLER: u32 = u32::MAX - 1;
}

sub_op! {
    /// How a load of a memory other than 0 reads and extends its bytes.
    LoadKind {
        I8S32,
        I8S64,
        I8U,
        I16S32,
        I16S64,
        I16U,
        I32S64,
        I32U,
        I64,
    }
}

impl LoadKind {
    /// Bytes read.
    pub(crate) fn bytes(self) -> usize {
        match self {
            LoadKind::I8S32 | LoadKind::I8S64 | LoadKind::I8U => 1,
            LoadKind::I16S32 | LoadKind::I16S64 | LoadKind::I16U => 2,
            LoadKind::I32S64 | LoadKind::I32U => 4,
            LoadKind::I64 => 8,
        }
    }

    /// The slot value of the zero-extended bytes `raw`.
    pub(crate) fn extend(self, raw: u64) -> u64 {
        match self {
            LoadKind::I8S32 => u64::from(raw as i8 as i32 as u32),
            LoadKind::I8S64 => raw as i8 as i64 as u64,
            LoadKind::I16S32 => u64::from(raw as i16 as i32 as u32),
            LoadKind::I16S64 => raw as i16 as i64 as u64,
            LoadKind::I32S64 => raw as i32 as i64 as u64,
            LoadKind::I8U | LoadKind::I16U | LoadKind::I32U | LoadKind::I64 => raw,
        }
    }
}

sub_op! {
    /// The width of an atomic access (and of a store to a memory other than 0).
    AtomicWidth {
        W8,
        W16,
        W32,
        W64,
    }
}

impl AtomicWidth {
    /// Size in bytes.
    pub(crate) fn bytes(self) -> u64 {
        match self {
            AtomicWidth::W8 => 1,
            AtomicWidth::W16 => 2,
            AtomicWidth::W32 => 4,
            AtomicWidth::W64 => 8,
        }
    }
}

sub_op! {
    /// The operation of an atomic read-modify-write.
    RmwOp {
        Add,
        Sub,
        And,
        Or,
        Xor,
        Xchg,
    }
}

#[cfg(test)]
mod tests {
    use super::Op;

    #[test]
    fn every_record_round_trips() {
        use super::{AtomicWidth, RmwOp};
        let ops = [
            Op::Unreachable,
            Op::Copy { d: 1, s: 65535 },
            Op::Const64 {
                d: 7,
                v: u64::MAX - 5,
            },
            Op::BrIfNez { c: 3, off: -12 },
            Op::AtomicRmw {
                d: 1,
                a: 2,
                v: 3,
                offset: 0xdead_beef,
                w: AtomicWidth::W16,
                op: RmwOp::Xchg,
            },
            Op::AtomicWait {
                d: 1,
                a: 2,
                e: 3,
                t: 4,
                offset: 5,
                wide: true,
            },
        ];
        for op in ops {
            let record = op.encode();
            assert_eq!(Op::decode(&record), Some(op));
            // Any change to the tag or the padding is refused or decodes
            // to something else, never to garbage.
            let mut bad = record;
            bad[15] ^= 0x80;
            assert_ne!(Op::decode(&bad), Some(op));
        }
        let mut unknown = [0u8; 16];
        unknown[..2].copy_from_slice(&(super::visit::OpCode::ALL.len() as u16).to_le_bytes());
        assert_eq!(Op::decode(&unknown), None);
    }

    #[test]
    fn op_is_compact() {
        assert!(
            core::mem::size_of::<Op>() <= 16,
            "size {}",
            core::mem::size_of::<Op>()
        );
    }
}
