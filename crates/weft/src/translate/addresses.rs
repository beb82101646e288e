//! Fusing the computation of a memory access's address into the access:
//! `a + (b << shift)` (the `i32.add`, and an `i32.shl` by a constant right
//! before it) into `Load32Idx`, `Store32Idx`, ...; `a + disp` (an
//! `i32.add` of a constant) into `Load32Disp`, `Store32Disp`, ...; and
//! `(b << shift) + disp` (an element of an array at a constant address,
//! as C compiles `v[i]` for a static `v`) into `Load32Idx`, ... with the
//! constant in a constant slot. The instructions that computed the address
//! are removed when only the access reads their result.

use super::accumulator::without_iacc;
use super::{Provider, Translator};
use crate::error::Result;
use crate::ir::{Op, Slot};

impl Translator<'_> {
    /// If the address on top of the stack is the result of an `i32.add`
    /// just emitted, removes that instruction (and an `i32.shl` by a
    /// constant emitted right before it, if it computed one of the add's
    /// operands into a temporary), pops the address, and returns
    /// `(a, b, shift)`: the address is `a + (b << shift)`, and `a` and `b`
    /// still hold the values the removed instructions read.
    pub(super) fn take_indexed_address(&mut self) -> Option<(Slot, Slot, u8)> {
        let at = self.last_def?;
        self.take_indexed_address_at(at)
    }

    /// A load's address, if it is the temporary on top of the stack and
    /// the instruction just emitted (with no label in between) wrote it as
    /// `a + disp` (`i32.add` of a constant: an `I32AddImm`, or the second
    /// half of an `I32AddImmPair`). That addition is removed (a pair keeps
    /// its first half), the address popped, and the load adds `disp`
    /// itself, wrapping as the addition did: `Address::Displaced(a, disp)`,
    /// or `Address::Indexed` as `take_displaced_address_at` says. `None`,
    /// with nothing changed, otherwise.
    pub(super) fn take_displaced_address(&mut self) -> Option<Address> {
        let at = self.last_def?;
        if *self.stack.last()? != Provider::Temp || at + 1 != self.code.len() {
            return None;
        }
        let top = self.slot_at(self.stack.len() as u32 - 1).ok()?;
        if !displaced(without_iacc(self.code[at]), top) {
            return None;
        }
        Some(self.take_displaced_address_at(at))
    }

    /// `take_displaced_address` for the addition at `at`, checked by
    /// `displaced` to have written the temporary on top of the stack. If
    /// the addition's operand is a temporary that an `i32.shl` by a
    /// constant right before it wrote (no label in between), the shift is
    /// removed too and the address is `Address::Indexed(c, x, shift)`: the
    /// shifted `x` plus constant slot `c` holding `disp` (unless the
    /// function has no constant slot left).
    pub(super) fn take_displaced_address_at(&mut self, at: usize) -> Address {
        let taken = match without_iacc(self.code[at]) {
            Op::I32AddImm { a, imm, .. } => {
                let shl =
                    self.def_before.filter(|&p| p + 1 == at).and_then(|p| {
                        match without_iacc(self.code[p]) {
                            Op::I32ShlImm { d, a: x, imm } if d == a && self.is_temp(d) => {
                                Some((x, (imm & 31) as u8))
                            }
                            _ => None,
                        }
                    });
                let base = shl.and_then(|_| self.i32_const_slot(imm));
                self.unemit();
                match (shl, base) {
                    (Some((x, shift)), Some(c)) => {
                        self.unemit();
                        Address::Indexed(c, x, shift)
                    }
                    _ => Address::Displaced(a, imm),
                }
            }
            Op::I32AddImmPair {
                d1,
                a1,
                imm1,
                a2,
                imm2,
                ..
            } => {
                self.code[at] = Op::I32AddImm {
                    d: d1,
                    a: a1,
                    imm: imm1.into(),
                };
                Address::Displaced(a2, imm2.into())
            }
            _ => unreachable!("checked by `displaced`"),
        };
        self.stack.pop();
        self.forget_defs();
        taken
    }

    /// The address of a store, fused into it as `take_indexed_address` or
    /// `take_displaced_address` fuse a load's: the store's value, on top of
    /// the stack, is a local or constant that needs no instruction (else
    /// `None`, with nothing changed); the address under it was computed by
    /// the instruction emitted just before the value was pushed. Pops both
    /// and returns the address and the value's slot.
    pub(super) fn take_store_address(&mut self) -> Result<Option<(Address, Slot)>> {
        let Some(at) = self.def_under else {
            return Ok(None);
        };
        let (Some(&top), true) = (self.stack.last(), at + 1 == self.code.len()) else {
            return Ok(None);
        };
        let free = match top {
            Provider::Local(_) => true,
            Provider::Const(v) => self.const_slot(v).is_some(),
            Provider::Temp => false,
        };
        let height = self.stack.len() as u32;
        if !free || height < 2 || self.stack[height as usize - 2] != Provider::Temp {
            return Ok(None);
        }
        let under = self.slot_at(height - 2)?;
        let op = without_iacc(self.code[at]);
        let indexed = matches!(op, Op::I32Add { .. });
        if !indexed && !displaced(op, under) {
            return Ok(None);
        }
        let def_before = self.def_before;
        let v = self.pop_slot()?;
        debug_assert_eq!(at + 1, self.code.len(), "popping the value emitted nothing");
        self.def_before = def_before;
        let address = if indexed {
            match self.take_indexed_address_at(at) {
                Some((a, b, shift)) => Address::Indexed(a, b, shift),
                None => {
                    unreachable!("checked: an i32.add just emitted, its result under the value")
                }
            }
        } else {
            self.take_displaced_address_at(at)
        };
        Ok(Some((address, v)))
    }

    /// `take_indexed_address` for the `i32.add` at `at`, which must have
    /// written the temporary on top of the stack.
    pub(super) fn take_indexed_address_at(&mut self, at: usize) -> Option<(Slot, Slot, u8)> {
        let top = *self.stack.last()?;
        if top != Provider::Temp || at + 1 != self.code.len() {
            return None;
        }
        let Op::I32Add { a, b, .. } = without_iacc(self.code[at]) else {
            return None;
        };
        // The shift: right before the add, with no label in between
        // (`def_before`), writing a temporary that only the add reads.
        let shl = self
            .def_before
            .filter(|&p| p + 1 == at)
            .and_then(|p| self.shift_into(self.code[p], a, b));
        self.unemit();
        self.stack.pop();
        self.forget_defs();
        match shl {
            Some(fused) => {
                self.unemit();
                Some(fused)
            }
            None => Some((a, b, 0)),
        }
    }

    /// Before another instruction is emitted: if the last two are an
    /// `i32.shl` by a constant into a temporary and the `i32.add` that
    /// reads it (an address that no load or store took: a store's is
    /// computed before its value), with no label at either's position or
    /// the next, they become one `I32AddShl` (`d = a + (b << shift)`).
    pub(super) fn fold_shift_into_add(&mut self) {
        let Some(add) = self.code.len().checked_sub(1) else {
            return;
        };
        if add == 0 || self.fence >= add {
            return;
        }
        let Op::I32Add { d, a, b } = without_iacc(self.code[add]) else {
            return;
        };
        let Some((other, x, shift)) = self.shift_into(self.code[add - 1], a, b) else {
            return;
        };
        self.unemit();
        self.folded += 1;
        self.code[add - 1] = Op::I32AddShl {
            d,
            a: other,
            b: x,
            shift,
        };
        self.merge_byte_into_add_shl(add - 1);
    }

    /// If the `I32AddShl` at `at` (`d = a + (b << shift)`) adds the two
    /// results of the `I32AddImmLoad8U` right before it (no label between),
    /// `a` its sum and `b` its byte, both temporaries that only the
    /// addition read: the two become one `I32AddByteShl` (the load's Wasm
    /// offset, which the merged instruction keeps, is the first's).
    fn merge_byte_into_add_shl(&mut self, at: usize) {
        if at == 0 || self.fence >= at || at + 1 != self.code.len() {
            return;
        }
        let Op::I32AddShl { d, a, b, shift } = self.code[at] else {
            return;
        };
        let Op::I32AddImmLoad8U {
            d1,
            a1,
            imm,
            d2,
            a2,
            offset,
        } = without_iacc(self.code[at - 1])
        else {
            return;
        };
        if (a, b) != (d1, d2) || d1 == d2 || !self.is_temp(d1) || !self.is_temp(d2) {
            return;
        }
        self.unemit();
        self.folded += 1;
        self.code[at - 1] = Op::I32AddByteShl {
            d,
            a: a1,
            imm,
            p: a2,
            offset,
            shift,
        };
    }

    /// If `shl` is an `i32.shl` by a constant writing a temporary that is
    /// one operand of the `i32.add` of `a` and `b` and not the other:
    /// `(other operand, shifted slot, shift)`. (The temporary may be the
    /// shift's own operand: removed, the shift no longer overwrites it.)
    fn shift_into(&self, shl: Op, a: Slot, b: Slot) -> Option<(Slot, Slot, u8)> {
        let Op::I32ShlImm { d: t, a: x, imm } = without_iacc(shl) else {
            return None;
        };
        let other = if t == b {
            a
        } else if t == a {
            b
        } else {
            return None;
        };
        (self.is_temp(t) && t != other).then_some((other, x, (imm & 31) as u8))
    }
}

/// Whether `op` writes `top` as `a + disp`, an `i32.add` of a constant
/// (an `I32AddImm`, or the second half of an `I32AddImmPair`).
fn displaced(op: Op, top: Slot) -> bool {
    matches!(op, Op::I32AddImm { d, .. } | Op::I32AddImmPair { d2: d, .. } if d == top)
}

/// A load's or store's address, fused into the access.
pub(super) enum Address {
    /// `a + (b << shift)` (`Load32Idx`, `Store32Idx`, ...).
    Indexed(Slot, Slot, u8),
    /// `a + disp` (`Load32Disp`, `Store32Disp`, ...).
    Displaced(Slot, i32),
}
