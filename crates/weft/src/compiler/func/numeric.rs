//! Numeric operators and plain memory accesses to CLIF: arithmetic,
//! comparisons, conversions with their traps (division by zero, integer
//! overflow, invalid conversion), and the loads and stores of every width.

use cranelift_codegen::ir::condcodes::{FloatCC, IntCC};
use cranelift_codegen::ir::{types, InstBuilder, MemFlagsData, Type, Value};
use cranelift_frontend::FunctionBuilder;
use wasmparser::Operator;

use super::{min_max, ty_mask, Result, Translator, Unsupported};
use crate::trap::TrapCode;

impl Translator<'_, '_, '_> {
    pub(super) fn unary(&mut self, f: impl FnOnce(&mut FunctionBuilder<'_>, Value) -> Value) {
        let a = self.pop();
        let v = f(self.b, a);
        self.stack.push(v);
    }

    pub(super) fn binary(
        &mut self,
        f: impl FnOnce(&mut FunctionBuilder<'_>, Value, Value) -> Value,
    ) {
        let (a, bv) = self.pop2();
        let v = f(self.b, a, bv);
        self.stack.push(v);
    }

    pub(super) fn icmp(&mut self, cc: IntCC) {
        self.binary(|b, x, y| {
            let c = b.ins().icmp(cc, x, y);
            b.ins().uextend(types::I32, c)
        });
    }

    pub(super) fn fcmp(&mut self, cc: FloatCC) {
        self.binary(|b, x, y| {
            let c = b.ins().fcmp(cc, x, y);
            b.ins().uextend(types::I32, c)
        });
    }

    pub(super) fn eqz(&mut self) {
        self.unary(|b, x| {
            let c = b.ins().icmp_imm_u(IntCC::Equal, x, 0);
            b.ins().uextend(types::I32, c)
        });
    }

    /// `div`/`rem`: traps on a zero divisor; signed division also on
    /// `MIN / -1`; signed remainder by -1 is 0.
    pub(super) fn divide(&mut self, ty: Type, signed: bool, rem: bool) {
        let (a, d) = self.pop2();
        let zero = self.b.ins().icmp_imm_u(IntCC::Equal, d, 0);
        self.trap_if(zero, TrapCode::IntegerDivisionByZero);
        let v = if signed {
            let min = if ty == types::I32 {
                i64::from(i32::MIN as u32)
            } else {
                i64::MIN
            };
            let all_ones = self.b.ins().iconst(ty, ty_mask(ty));
            let minus1 = self.b.ins().icmp(IntCC::Equal, d, all_ones);
            if rem {
                // x rem -1 = 0: divide by 1 instead, then take 0.
                let one = self.b.ins().iconst(ty, 1);
                let safe = self.b.ins().select(minus1, one, d);
                let r = self.b.ins().srem(a, safe);
                let z = self.b.ins().iconst(ty, 0);
                self.b.ins().select(minus1, z, r)
            } else {
                let min = self.b.ins().iconst(ty, min);
                let is_min = self.b.ins().icmp(IntCC::Equal, a, min);
                let overflow = self.b.ins().band(is_min, minus1);
                self.trap_if(overflow, TrapCode::IntegerOverflow);
                self.b.ins().sdiv(a, d)
            }
        } else if rem {
            self.b.ins().urem(a, d)
        } else {
            self.b.ins().udiv(a, d)
        };
        self.stack.push(v);
    }

    /// A trapping float-to-integer truncation: NaN traps with "invalid
    /// conversion to integer", a value out of range with "integer
    /// overflow".
    pub(super) fn truncate(&mut self, from: Type, to: Type, signed: bool) {
        let x = self.pop();
        let nan = self.b.ins().fcmp(FloatCC::Unordered, x, x);
        self.trap_if(nan, TrapCode::BadConversionToInteger);
        let t = self.b.ins().trunc(x);
        let bits = to.bits();
        // Bounds: lo < t < hi, exactly representable in either float type.
        let (lo, hi) = if signed {
            (
                -(2f64.powi(bits as i32 - 1)) - 1.0,
                2f64.powi(bits as i32 - 1),
            )
        } else {
            (-1.0, 2f64.powi(bits as i32))
        };
        let (lo_v, hi_v, lo_ok) = if from == types::F32 {
            // In f32, MIN - 1 rounds to MIN: compare >= MIN instead.
            if signed {
                let lo = self.b.ins().f32const(-(2f32.powi(bits as i32 - 1)));
                let hi = self.b.ins().f32const(hi as f32);
                (lo, hi, FloatCC::GreaterThanOrEqual)
            } else {
                let lo = self.b.ins().f32const(lo as f32);
                let hi = self.b.ins().f32const(hi as f32);
                (lo, hi, FloatCC::GreaterThan)
            }
        } else if signed && bits == 64 {
            let lo = self.b.ins().f64const(-(2f64.powi(63)));
            let hi = self.b.ins().f64const(hi);
            (lo, hi, FloatCC::GreaterThanOrEqual)
        } else {
            let lo = self.b.ins().f64const(lo);
            let hi = self.b.ins().f64const(hi);
            (lo, hi, FloatCC::GreaterThan)
        };
        let above = self.b.ins().fcmp(lo_ok, t, lo_v);
        let below = self.b.ins().fcmp(FloatCC::LessThan, t, hi_v);
        let ok = self.b.ins().band(above, below);
        let bad = self.b.ins().bxor_imm_u(ok, 1);
        self.trap_if(bad, TrapCode::IntegerOverflow);
        let v = if signed {
            self.b.ins().fcvt_to_sint_sat(to, t)
        } else {
            self.b.ins().fcvt_to_uint_sat(to, t)
        };
        self.stack.push(v);
    }

    pub(super) fn numeric_or_memory(&mut self, op: &Operator<'_>) -> Result<()> {
        use types::{F32, F64, I32, I64};
        use Operator as O;
        match *op {
            O::I32Load { ref memarg } | O::F32Load { ref memarg } => {
                let ty = if matches!(op, O::I32Load { .. }) {
                    I32
                } else {
                    F32
                };
                self.load(memarg, 4, |t, p, o, hf| t.b.ins().load(ty, hf, p, o))?
            }
            O::I64Load { ref memarg } | O::F64Load { ref memarg } => {
                let ty = if matches!(op, O::I64Load { .. }) {
                    I64
                } else {
                    F64
                };
                self.load(memarg, 8, |t, p, o, hf| t.b.ins().load(ty, hf, p, o))?
            }
            O::I32Load8S { ref memarg } => {
                self.load(memarg, 1, |t, p, o, hf| t.b.ins().sload8(I32, hf, p, o))?
            }
            O::I32Load8U { ref memarg } => {
                self.load(memarg, 1, |t, p, o, hf| t.b.ins().uload8(I32, hf, p, o))?
            }
            O::I32Load16S { ref memarg } => {
                self.load(memarg, 2, |t, p, o, hf| t.b.ins().sload16(I32, hf, p, o))?
            }
            O::I32Load16U { ref memarg } => {
                self.load(memarg, 2, |t, p, o, hf| t.b.ins().uload16(I32, hf, p, o))?
            }
            O::I64Load8S { ref memarg } => {
                self.load(memarg, 1, |t, p, o, hf| t.b.ins().sload8(I64, hf, p, o))?
            }
            O::I64Load8U { ref memarg } => {
                self.load(memarg, 1, |t, p, o, hf| t.b.ins().uload8(I64, hf, p, o))?
            }
            O::I64Load16S { ref memarg } => {
                self.load(memarg, 2, |t, p, o, hf| t.b.ins().sload16(I64, hf, p, o))?
            }
            O::I64Load16U { ref memarg } => {
                self.load(memarg, 2, |t, p, o, hf| t.b.ins().uload16(I64, hf, p, o))?
            }
            O::I64Load32S { ref memarg } => {
                self.load(memarg, 4, |t, p, o, hf| t.b.ins().sload32(hf, p, o))?
            }
            O::I64Load32U { ref memarg } => {
                self.load(memarg, 4, |t, p, o, hf| t.b.ins().uload32(hf, p, o))?
            }
            O::I32Store { ref memarg } | O::F32Store { ref memarg } => self.store(memarg, 4)?,
            O::I64Store { ref memarg } | O::F64Store { ref memarg } => self.store(memarg, 8)?,
            O::I32Store8 { ref memarg } | O::I64Store8 { ref memarg } => self.store(memarg, 1)?,
            O::I32Store16 { ref memarg } | O::I64Store16 { ref memarg } => self.store(memarg, 2)?,
            O::I64Store32 { ref memarg } => self.store(memarg, 4)?,

            O::I32Eqz | O::I64Eqz => self.eqz(),
            O::I32Eq | O::I64Eq => self.icmp(IntCC::Equal),
            O::I32Ne | O::I64Ne => self.icmp(IntCC::NotEqual),
            O::I32LtS | O::I64LtS => self.icmp(IntCC::SignedLessThan),
            O::I32LtU | O::I64LtU => self.icmp(IntCC::UnsignedLessThan),
            O::I32GtS | O::I64GtS => self.icmp(IntCC::SignedGreaterThan),
            O::I32GtU | O::I64GtU => self.icmp(IntCC::UnsignedGreaterThan),
            O::I32LeS | O::I64LeS => self.icmp(IntCC::SignedLessThanOrEqual),
            O::I32LeU | O::I64LeU => self.icmp(IntCC::UnsignedLessThanOrEqual),
            O::I32GeS | O::I64GeS => self.icmp(IntCC::SignedGreaterThanOrEqual),
            O::I32GeU | O::I64GeU => self.icmp(IntCC::UnsignedGreaterThanOrEqual),
            O::F32Eq | O::F64Eq => self.fcmp(FloatCC::Equal),
            O::F32Ne | O::F64Ne => self.fcmp(FloatCC::NotEqual),
            O::F32Lt | O::F64Lt => self.fcmp(FloatCC::LessThan),
            O::F32Gt | O::F64Gt => self.fcmp(FloatCC::GreaterThan),
            O::F32Le | O::F64Le => self.fcmp(FloatCC::LessThanOrEqual),
            O::F32Ge | O::F64Ge => self.fcmp(FloatCC::GreaterThanOrEqual),

            O::I32Clz | O::I64Clz => self.unary(|b, x| b.ins().clz(x)),
            O::I32Ctz | O::I64Ctz => self.unary(|b, x| b.ins().ctz(x)),
            O::I32Popcnt | O::I64Popcnt => self.unary(|b, x| b.ins().popcnt(x)),
            O::I32Add | O::I64Add => self.binary(|b, x, y| b.ins().iadd(x, y)),
            O::I32Sub | O::I64Sub => self.binary(|b, x, y| b.ins().isub(x, y)),
            O::I32Mul | O::I64Mul => self.binary(|b, x, y| b.ins().imul(x, y)),
            O::I64Add128 | O::I64Sub128 => {
                let (b_lo, b_hi) = self.pop2();
                let (a_lo, a_hi) = self.pop2();
                let a = self.b.ins().iconcat(a_lo, a_hi);
                let bv = self.b.ins().iconcat(b_lo, b_hi);
                let r = if matches!(op, O::I64Add128) {
                    self.b.ins().iadd(a, bv)
                } else {
                    self.b.ins().isub(a, bv)
                };
                let (lo, hi) = self.b.ins().isplit(r);
                self.stack.extend([lo, hi]);
            }
            O::I64MulWideS | O::I64MulWideU => {
                let (a, bv) = self.pop2();
                let lo = self.b.ins().imul(a, bv);
                let hi = if matches!(op, O::I64MulWideS) {
                    self.b.ins().smulhi(a, bv)
                } else {
                    self.b.ins().umulhi(a, bv)
                };
                self.stack.extend([lo, hi]);
            }
            O::I32DivS => self.divide(I32, true, false),
            O::I32DivU => self.divide(I32, false, false),
            O::I32RemS => self.divide(I32, true, true),
            O::I32RemU => self.divide(I32, false, true),
            O::I64DivS => self.divide(I64, true, false),
            O::I64DivU => self.divide(I64, false, false),
            O::I64RemS => self.divide(I64, true, true),
            O::I64RemU => self.divide(I64, false, true),
            O::I32And | O::I64And => self.binary(|b, x, y| b.ins().band(x, y)),
            O::I32Or | O::I64Or => self.binary(|b, x, y| b.ins().bor(x, y)),
            O::I32Xor | O::I64Xor => self.binary(|b, x, y| b.ins().bxor(x, y)),
            O::I32Shl | O::I64Shl => self.binary(|b, x, y| b.ins().ishl(x, y)),
            O::I32ShrS | O::I64ShrS => self.binary(|b, x, y| b.ins().sshr(x, y)),
            O::I32ShrU | O::I64ShrU => self.binary(|b, x, y| b.ins().ushr(x, y)),
            O::I32Rotl | O::I64Rotl => self.binary(|b, x, y| b.ins().rotl(x, y)),
            O::I32Rotr | O::I64Rotr => self.binary(|b, x, y| b.ins().rotr(x, y)),

            O::F32Abs | O::F64Abs => self.unary(|b, x| b.ins().fabs(x)),
            O::F32Neg | O::F64Neg => self.unary(|b, x| b.ins().fneg(x)),
            O::F32Ceil | O::F64Ceil => self.unary(|b, x| b.ins().ceil(x)),
            O::F32Floor | O::F64Floor => self.unary(|b, x| b.ins().floor(x)),
            O::F32Trunc | O::F64Trunc => self.unary(|b, x| b.ins().trunc(x)),
            O::F32Nearest | O::F64Nearest => self.unary(|b, x| b.ins().nearest(x)),
            O::F32Sqrt | O::F64Sqrt => self.unary(|b, x| b.ins().sqrt(x)),
            O::F32Add | O::F64Add => self.binary(|b, x, y| b.ins().fadd(x, y)),
            O::F32Sub | O::F64Sub => self.binary(|b, x, y| b.ins().fsub(x, y)),
            O::F32Mul | O::F64Mul => self.binary(|b, x, y| b.ins().fmul(x, y)),
            O::F32Div | O::F64Div => self.binary(|b, x, y| b.ins().fdiv(x, y)),
            O::F32Min | O::F64Min => self.binary(|b, x, y| min_max(b, x, y, false)),
            O::F32Max | O::F64Max => self.binary(|b, x, y| min_max(b, x, y, true)),
            O::F32Copysign | O::F64Copysign => self.binary(|b, x, y| b.ins().fcopysign(x, y)),

            O::I32WrapI64 => self.unary(|b, x| b.ins().ireduce(I32, x)),
            O::I64ExtendI32S => self.unary(|b, x| b.ins().sextend(I64, x)),
            O::I64ExtendI32U => self.unary(|b, x| b.ins().uextend(I64, x)),
            O::I32Extend8S => self.unary(|b, x| {
                let n = b.ins().ireduce(types::I8, x);
                b.ins().sextend(I32, n)
            }),
            O::I32Extend16S => self.unary(|b, x| {
                let n = b.ins().ireduce(types::I16, x);
                b.ins().sextend(I32, n)
            }),
            O::I64Extend8S => self.unary(|b, x| {
                let n = b.ins().ireduce(types::I8, x);
                b.ins().sextend(I64, n)
            }),
            O::I64Extend16S => self.unary(|b, x| {
                let n = b.ins().ireduce(types::I16, x);
                b.ins().sextend(I64, n)
            }),
            O::I64Extend32S => self.unary(|b, x| {
                let n = b.ins().ireduce(I32, x);
                b.ins().sextend(I64, n)
            }),
            O::F32DemoteF64 => self.unary(|b, x| b.ins().fdemote(F32, x)),
            O::F64PromoteF32 => self.unary(|b, x| b.ins().fpromote(F64, x)),
            O::F32ConvertI32S | O::F32ConvertI64S => {
                self.unary(|b, x| b.ins().fcvt_from_sint(F32, x))
            }
            O::F32ConvertI32U | O::F32ConvertI64U => {
                self.unary(|b, x| b.ins().fcvt_from_uint(F32, x))
            }
            O::F64ConvertI32S | O::F64ConvertI64S => {
                self.unary(|b, x| b.ins().fcvt_from_sint(F64, x))
            }
            O::F64ConvertI32U | O::F64ConvertI64U => {
                self.unary(|b, x| b.ins().fcvt_from_uint(F64, x))
            }
            O::I32ReinterpretF32 => self.unary(|b, x| b.ins().bitcast(I32, MemFlagsData::new(), x)),
            O::I64ReinterpretF64 => self.unary(|b, x| b.ins().bitcast(I64, MemFlagsData::new(), x)),
            O::F32ReinterpretI32 => self.unary(|b, x| b.ins().bitcast(F32, MemFlagsData::new(), x)),
            O::F64ReinterpretI64 => self.unary(|b, x| b.ins().bitcast(F64, MemFlagsData::new(), x)),
            O::I32TruncF32S => self.truncate(F32, I32, true),
            O::I32TruncF32U => self.truncate(F32, I32, false),
            O::I32TruncF64S => self.truncate(F64, I32, true),
            O::I32TruncF64U => self.truncate(F64, I32, false),
            O::I64TruncF32S => self.truncate(F32, I64, true),
            O::I64TruncF32U => self.truncate(F32, I64, false),
            O::I64TruncF64S => self.truncate(F64, I64, true),
            O::I64TruncF64U => self.truncate(F64, I64, false),
            O::I32TruncSatF32S | O::I32TruncSatF64S => {
                self.unary(|b, x| b.ins().fcvt_to_sint_sat(I32, x))
            }
            O::I32TruncSatF32U | O::I32TruncSatF64U => {
                self.unary(|b, x| b.ins().fcvt_to_uint_sat(I32, x))
            }
            O::I64TruncSatF32S | O::I64TruncSatF64S => {
                self.unary(|b, x| b.ins().fcvt_to_sint_sat(I64, x))
            }
            O::I64TruncSatF32U | O::I64TruncSatF64U => {
                self.unary(|b, x| b.ins().fcvt_to_uint_sat(I64, x))
            }
            _ => {
                if !self.simd_operator(op)?
                    && !self.atomic_operator(op)?
                    && !self.gc_operator(op)?
                {
                    return Err(Unsupported::operator(op));
                }
            }
        }
        Ok(())
    }
}
