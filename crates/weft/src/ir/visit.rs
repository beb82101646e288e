//! What is derived from the instruction list (`isa.rs`): the [`Op`] type,
//! [`OpCode`] (an instruction's tag), the [`Visit`] trait that walks an
//! instruction's fields by role, the accessors the translator uses
//! (result slot, every slot, branch offset, `v128` slots), each
//! instruction's flags, and the byte layout of the fields ([`Field`]) that
//! the artifact codec and the fuzzer use.

use super::isa::for_each_op;
use super::{
    AtomicWidth, LoadKind, Offset, RmwOp, SimdBinary, SimdExtract, SimdLoad, SimdShape, SimdShift,
    SimdTernary, SimdTest, SimdUnary, Slot,
};

/// A field type of an instruction: how it is written in an artifact
/// record (little-endian, [`Field::SIZE`] bytes) and read back (`None` for
/// bytes that no value of the type writes).
pub(crate) trait Field: Sized + Copy {
    /// Bytes in a record.
    const SIZE: usize;
    /// Appends the value's bytes to `out`.
    fn encode(self, out: &mut impl FnMut(&[u8]));
    /// The value of `bytes` (exactly [`Field::SIZE`] of them).
    fn decode(bytes: &[u8]) -> Option<Self>;
}

macro_rules! int_field {
    ($($t:ty),*) => {$(
        impl Field for $t {
            const SIZE: usize = core::mem::size_of::<$t>();
            fn encode(self, out: &mut impl FnMut(&[u8])) {
                out(&self.to_le_bytes());
            }
            fn decode(bytes: &[u8]) -> Option<Self> {
                Some(<$t>::from_le_bytes(bytes.try_into().ok()?))
            }
        }
    )*};
}
int_field!(u8, i8, u16, i16, u32, i32, u64);

impl Field for bool {
    const SIZE: usize = 1;
    fn encode(self, out: &mut impl FnMut(&[u8])) {
        out(&[u8::from(self)]);
    }
    fn decode(bytes: &[u8]) -> Option<Self> {
        match bytes {
            [0] => Some(false),
            [1] => Some(true),
            _ => None,
        }
    }
}

/// Sub-operation enums: one byte, `x as u8`, decoded with their `from_u8`.
macro_rules! byte_enum_field {
    ($($t:ty),*) => {$(
        impl Field for $t {
            const SIZE: usize = 1;
            fn encode(self, out: &mut impl FnMut(&[u8])) {
                out(&[self as u8]);
            }
            fn decode(bytes: &[u8]) -> Option<Self> {
                match bytes {
                    [b] => <$t>::from_u8(*b),
                    _ => None,
                }
            }
        }
    )*};
}
byte_enum_field!(
    AtomicWidth,
    LoadKind,
    RmwOp,
    SimdBinary,
    SimdExtract,
    SimdLoad,
    SimdShape,
    SimdShift,
    SimdTernary,
    SimdTest,
    SimdUnary
);

/// Walks an instruction's fields by role, in declaration order (see the
/// table in `isa.rs`). Every method has a default, so a visitor overrides
/// only the roles it cares about; the slot roles fall back to
/// [`Visit::slot`] (`wdef`/`wuse` to `def`/`use_` first), the index roles
/// and `count` to [`Visit::imm`].
#[allow(unused_variables)]
pub(crate) trait Visit<'a> {
    /// Any slot operand (the default of every slot role).
    fn slot(&mut self, s: &'a mut Slot) {}
    /// The result slot.
    fn def(&mut self, s: &'a mut Slot) {
        self.slot(s)
    }
    /// A slot that is read.
    fn use_(&mut self, s: &'a mut Slot) {
        self.slot(s)
    }
    /// A result slot holding a `v128` (this slot and the next).
    fn wdef(&mut self, s: &'a mut Slot) {
        self.def(s)
    }
    /// A read slot holding a `v128` (this slot and the next).
    fn wuse(&mut self, s: &'a mut Slot) {
        self.use_(s)
    }
    /// The start of a range of slots (a callee's frame, returned or
    /// thrown values).
    fn base(&mut self, s: &'a mut Slot) {
        self.slot(s)
    }
    /// A branch offset.
    fn off(&mut self, o: &'a mut Offset) {}
    /// An immediate (the default of the index roles and `count`).
    fn imm<T: Field>(&mut self, v: &'a mut T) {}
    /// A number of values or entries.
    fn count<T: Field>(&mut self, v: &'a mut T) {
        self.imm(v)
    }
    /// A function index.
    fn func(&mut self, v: &'a mut u32) {
        self.imm(v)
    }
    /// A type index.
    fn ty(&mut self, v: &'a mut u32) {
        self.imm(v)
    }
    /// A table index.
    fn table(&mut self, v: &'a mut u32) {
        self.imm(v)
    }
    /// A global index.
    fn global(&mut self, v: &'a mut u32) {
        self.imm(v)
    }
    /// A data segment index.
    fn data(&mut self, v: &'a mut u32) {
        self.imm(v)
    }
    /// An element segment index.
    fn elem(&mut self, v: &'a mut u32) {
        self.imm(v)
    }
    /// A tag index.
    fn tag(&mut self, v: &'a mut u32) {
        self.imm(v)
    }
    /// A memory index.
    fn mem(&mut self, v: &'a mut u16) {
        self.imm(v)
    }
}

/// Flags of an instruction (see `isa.rs`).
#[allow(non_camel_case_types)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Flag {
    /// Accesses memory 0: the module must have a memory.
    mem0,
    /// May end a function: control never falls through to what follows.
    end,
    /// Also leaves its result, an `f64`, in the accumulator (a register
    /// handlers pass on to the next one), where the instruction right
    /// after it may read it instead of the result's slot (the `…Acc…`
    /// forms; `translate/accumulator.rs`). The `u64` of `Load64…` counts
    /// as an `f64`'s bits.
    acc,
    /// Also leaves its result, an integer (the `u64` its slot gets), in
    /// the integer accumulator, a second register handlers pass on, where
    /// the instruction right after it may read it instead of the slot
    /// (the `I32…Acc` forms; `translate/accumulator.rs`).
    iacc,
}

/// One field of an instruction, for tools that read records as bytes
/// (the fuzzer): its name, role and size in bytes.
#[doc(hidden)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldLayout {
    /// The field's name.
    pub name: &'static str,
    /// Its role (see `isa.rs`).
    pub role: &'static str,
    /// Bytes in a record.
    pub size: usize,
}

/// One instruction of the list, for tools that read records as bytes: its
/// name and fields in record order (after the 2-byte tag).
#[doc(hidden)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OpLayout {
    /// The instruction's name (`Op` variant).
    pub name: &'static str,
    /// Its fields in order.
    pub fields: &'static [FieldLayout],
}

macro_rules! define_ops {
    ( $(
        $(#[$doc:meta])*
        $name:ident $([ $($flag:ident),* ])? $({ $($f:ident : $t:ty = $role:ident),* $(,)? })?
    ),* $(,)? ) => {
        /// One instruction of the Weft bytecode (see `isa.rs` for the list
        /// and the field roles; `ir/mod.rs` for what slots and offsets are).
        #[derive(Debug, Clone, Copy, PartialEq)]
        pub(crate) enum Op {
            $( $(#[$doc])* $name $({ $($f: $t),* })? ),*
        }

        /// An instruction's tag: its position in the list.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        #[repr(u16)]
        pub(crate) enum OpCode {
            $( $name ),*
        }

        impl OpCode {
            /// Every tag, in order.
            pub(crate) const ALL: &'static [OpCode] = &[$( OpCode::$name ),*];
        }

        /// The layout of every instruction, in tag order.
        pub(crate) const LAYOUT: &[OpLayout] = &[$(
            OpLayout {
                name: stringify!($name),
                fields: &[$($( FieldLayout {
                    name: stringify!($f),
                    role: stringify!($role),
                    size: <$t as Field>::SIZE,
                } ),*)?],
            }
        ),*];

        impl Op {
            /// This instruction's tag.
            pub(crate) fn code(&self) -> OpCode {
                match self {
                    $( Op::$name $({ $($f: _),* })? => OpCode::$name ),*
                }
            }

            /// Calls `v`'s method for each field's role, in order.
            pub(crate) fn visit<'a>(&'a mut self, v: &mut impl Visit<'a>) {
                match self {
                    $( Op::$name $({ $($f),* })? => { $($( v.$role($f); )*)? } ),*
                }
            }

            /// This instruction's flags.
            pub(crate) fn flags(&self) -> &'static [Flag] {
                match self {
                    $( Op::$name $({ $($f: _),* })? => &[$($( Flag::$flag ),*)?] ),*
                }
            }

            /// The instruction with tag `code` whose fields `field` reads
            /// in order (`None` if a field's bytes are not a value).
            pub(crate) fn from_fields<'r>(
                code: OpCode,
                mut field: impl FnMut(usize) -> Option<&'r [u8]>,
            ) -> Option<Op> {
                let _ = &mut field;
                Some(match code {
                    $( OpCode::$name => Op::$name $({ $(
                        $f: <$t as Field>::decode(field(<$t as Field>::SIZE)?)?
                    ),* })? ),*
                })
            }
        }
    };
}
for_each_op!(define_ops);

impl Op {
    /// The slot this instruction writes its result to, if it has one.
    pub(crate) fn dst_mut(&mut self) -> Option<&mut Slot> {
        struct Find<'a>(Option<&'a mut Slot>);
        impl<'a> Visit<'a> for Find<'a> {
            fn def(&mut self, s: &'a mut Slot) {
                self.0 = Some(s);
            }
        }
        let mut find = Find(None);
        self.visit(&mut find);
        find.0
    }

    /// Calls `f` on every slot operand (inputs, result, range starts) of
    /// this instruction.
    pub(crate) fn slots_mut(&mut self, f: impl FnMut(&mut Slot)) {
        struct Each<F>(F);
        impl<F: FnMut(&mut Slot)> Visit<'_> for Each<F> {
            fn slot(&mut self, s: &mut Slot) {
                (self.0)(s)
            }
        }
        self.visit(&mut Each(f));
    }

    /// The branch offset of this instruction, if it is a branch.
    pub(crate) fn off_mut(&mut self) -> Option<&mut Offset> {
        struct Find<'a>(Option<&'a mut Offset>);
        impl<'a> Visit<'a> for Find<'a> {
            fn off(&mut self, o: &'a mut Offset) {
                self.0 = Some(o);
            }
        }
        let mut find = Find(None);
        self.visit(&mut find);
        find.0
    }

    /// Whether this instruction has flag `flag`.
    pub(crate) fn has(&self, flag: Flag) -> bool {
        self.flags().contains(&flag)
    }
}
