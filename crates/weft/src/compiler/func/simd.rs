//! Fixed-width SIMD operators to CLIF. A `v128` on the operand stack, in
//! a local or a block parameter is an `i8x16`; each operator bitcasts its
//! operands to the lane type it works on (little-endian lane order) and
//! its result back. Relaxed SIMD gives the deterministic profile's
//! results, as the interpreter does (`simd/relaxed.rs`): each relaxed
//! operator is its non-relaxed counterpart (unfused `madd`, `bitselect`
//! for `laneselect`, signed saturating dot products).

use cranelift_codegen::ir::condcodes::{FloatCC, IntCC};
use cranelift_codegen::ir::types::{F32X4, F64X2, I16, I16X8, I32, I32X4, I64, I64X2, I8, I8X16};
use cranelift_codegen::ir::{ConstantData, Endianness, InstBuilder, MemFlagsData, Type, Value};
use cranelift_frontend::FunctionBuilder;
use wasmparser::Operator;

use super::{min_max, Translator, Unsupported};

/// Flags of a bitcast between vector types: lane 0 in the low bytes.
fn little() -> MemFlagsData {
    MemFlagsData::new().with_endianness(Endianness::Little)
}

/// `v` as type `ty`.
fn cast(b: &mut FunctionBuilder<'_>, v: Value, ty: Type) -> Value {
    if b.func.dfg.value_type(v) == ty {
        v
    } else {
        b.ins().bitcast(ty, little(), v)
    }
}

impl Translator<'_, '_, '_> {
    /// A `v128` constant.
    pub(super) fn v128_const(&mut self, bytes: &[u8; 16]) -> Value {
        let c = self
            .b
            .func
            .dfg
            .constants
            .insert(ConstantData::from(bytes.to_vec()));
        self.b.ins().vconst(I8X16, c)
    }

    /// A zero vector typed `i64x2` (a `vconst` of that type, the shape
    /// Cranelift's x86-64 lowering of `trunc_sat_f64x2_u_zero` matches).
    fn zero_i64x2(&mut self) -> Value {
        let c = self
            .b
            .func
            .dfg
            .constants
            .insert(ConstantData::from(alloc::vec![0u8; 16]));
        self.b.ins().vconst(I64X2, c)
    }

    /// Pops a `v128` as type `ty`.
    fn pop_as(&mut self, ty: Type) -> Value {
        let v = self.pop();
        cast(self.b, v, ty)
    }

    /// Pushes a vector result (as `i8x16`).
    fn push_v(&mut self, v: Value) {
        let v = cast(self.b, v, I8X16);
        self.stack.push(v);
    }

    fn vunary(&mut self, ty: Type, f: impl FnOnce(&mut FunctionBuilder<'_>, Value) -> Value) {
        let a = self.pop_as(ty);
        let v = f(self.b, a);
        self.push_v(v);
    }

    fn vbinary(
        &mut self,
        ty: Type,
        f: impl FnOnce(&mut FunctionBuilder<'_>, Value, Value) -> Value,
    ) {
        let b = self.pop_as(ty);
        let a = self.pop_as(ty);
        let v = f(self.b, a, b);
        self.push_v(v);
    }

    fn vicmp(&mut self, ty: Type, cc: IntCC) {
        self.vbinary(ty, |b, x, y| b.ins().icmp(cc, x, y));
    }

    fn vfcmp(&mut self, ty: Type, cc: FloatCC) {
        self.vbinary(ty, |b, x, y| b.ins().fcmp(cc, x, y));
    }

    /// A shift of lanes of type `ty` by a scalar `i32`, taken modulo the
    /// lane width as Wasm says.
    fn vshift(
        &mut self,
        ty: Type,
        f: impl FnOnce(&mut FunctionBuilder<'_>, Value, Value) -> Value,
    ) {
        let amount = self.pop();
        let bits = i64::from(ty.lane_bits());
        let amount = self.b.ins().band_imm_u(amount, bits - 1);
        let a = self.pop_as(ty);
        let v = f(self.b, a, amount);
        self.push_v(v);
    }

    /// `all_true`, `any_true` and `bitmask`: a scalar `i32` result.
    fn vtest(&mut self, ty: Type, f: impl FnOnce(&mut FunctionBuilder<'_>, Value) -> Value) {
        let a = self.pop_as(ty);
        let r = f(self.b, a);
        let r = if self.b.func.dfg.value_type(r) == I32 {
            r
        } else {
            self.b.ins().uextend(I32, r)
        };
        self.stack.push(r);
    }

    /// A load of `size` bytes as a scalar of type `ty`, made a vector by `f`.
    fn vload(
        &mut self,
        memarg: &wasmparser::MemArg,
        size: u64,
        ty: Type,
        f: impl FnOnce(&mut FunctionBuilder<'_>, Value) -> Value,
    ) -> Result<(), Unsupported> {
        let (p, off, hf) = self.address(memarg, size)?;
        let x = self.b.ins().load(ty, hf, p, off);
        let v = f(self.b, x);
        self.push_v(v);
        Ok(())
    }

    fn load_lane(
        &mut self,
        memarg: &wasmparser::MemArg,
        lane: u8,
        vty: Type,
    ) -> Result<(), Unsupported> {
        let v = self.pop_as(vty);
        let lane_ty = vty.lane_type();
        let (p, off, hf) = self.address(memarg, u64::from(lane_ty.bytes()))?;
        let x = self.b.ins().load(lane_ty, hf, p, off);
        let r = self.b.ins().insertlane(v, x, lane);
        self.push_v(r);
        Ok(())
    }

    fn store_lane(
        &mut self,
        memarg: &wasmparser::MemArg,
        lane: u8,
        vty: Type,
    ) -> Result<(), Unsupported> {
        let v = self.pop_as(vty);
        let lane_ty = vty.lane_type();
        let x = self.b.ins().extractlane(v, lane);
        let (p, off, hf) = self.address(memarg, u64::from(lane_ty.bytes()))?;
        self.b.ins().store(hf, x, p, off);
        Ok(())
    }

    fn extract(&mut self, vty: Type, lane: u8, extend: Option<bool>) {
        let v = self.pop_as(vty);
        let x = self.b.ins().extractlane(v, lane);
        let x = match extend {
            Some(true) => self.b.ins().sextend(I32, x),
            Some(false) => self.b.ins().uextend(I32, x),
            None => x,
        };
        self.stack.push(x);
    }

    fn replace(&mut self, vty: Type, lane: u8) {
        let x = self.pop();
        let v = self.pop_as(vty);
        let lane_ty = vty.lane_type();
        let x = if lane_ty.bits() < 32 {
            self.b.ins().ireduce(lane_ty, x)
        } else {
            x
        };
        let r = self.b.ins().insertlane(v, x, lane);
        self.push_v(r);
    }

    fn splat(&mut self, vty: Type) {
        let x = self.pop();
        let lane_ty = vty.lane_type();
        let x = if lane_ty.bits() < 32 {
            self.b.ins().ireduce(lane_ty, x)
        } else {
            x
        };
        let v = self.b.ins().splat(vty, x);
        self.push_v(v);
    }

    /// The deterministic `i16x8.relaxed_dot_i8x16_i7x16_s` of two `i8x16`:
    /// lane `k` is `sat_s16(x[2k] * y[2k] + x[2k+1] * y[2k+1])`, every
    /// byte signed.
    fn relaxed_dot(&mut self, x: Value, y: Value) -> Value {
        let b = &mut *self.b;
        let (xl, yl) = (b.ins().swiden_low(x), b.ins().swiden_low(y));
        let (xh, yh) = (b.ins().swiden_high(x), b.ins().swiden_high(y));
        let lo = b.ins().imul(xl, yl);
        let hi = b.ins().imul(xh, yh);
        let lo = cast(b, lo, I8X16);
        let hi = cast(b, hi, I8X16);
        // The even and the odd 16-bit products of `lo` then `hi`.
        let even: [u8; 16] = [0, 1, 4, 5, 8, 9, 12, 13, 16, 17, 20, 21, 24, 25, 28, 29];
        let odd: [u8; 16] = [2, 3, 6, 7, 10, 11, 14, 15, 18, 19, 22, 23, 26, 27, 30, 31];
        let even = b
            .func
            .dfg
            .immediates
            .push(ConstantData::from(even.to_vec()));
        let odd = b.func.dfg.immediates.push(ConstantData::from(odd.to_vec()));
        let e = b.ins().shuffle(lo, hi, even);
        let o = b.ins().shuffle(lo, hi, odd);
        let e = cast(b, e, I16X8);
        let o = cast(b, o, I16X8);
        b.ins().sadd_sat(e, o)
    }

    /// `extmul_{low,high}`: the product of the widened halves.
    fn extmul(&mut self, ty: Type, high: bool, signed: bool) {
        self.vbinary(ty, |b, x, y| {
            let (x, y) = match (high, signed) {
                (false, true) => (b.ins().swiden_low(x), b.ins().swiden_low(y)),
                (true, true) => (b.ins().swiden_high(x), b.ins().swiden_high(y)),
                (false, false) => (b.ins().uwiden_low(x), b.ins().uwiden_low(y)),
                (true, false) => (b.ins().uwiden_high(x), b.ins().uwiden_high(y)),
            };
            b.ins().imul(x, y)
        });
    }

    /// `extadd_pairwise`: sums of adjacent lanes, widened.
    fn extadd(&mut self, ty: Type, signed: bool) {
        self.vunary(ty, |b, x| {
            let (lo, hi) = if signed {
                (b.ins().swiden_low(x), b.ins().swiden_high(x))
            } else {
                (b.ins().uwiden_low(x), b.ins().uwiden_high(x))
            };
            b.ins().iadd_pairwise(lo, hi)
        });
    }

    fn widen(&mut self, ty: Type, high: bool, signed: bool) {
        self.vunary(ty, |b, x| match (high, signed) {
            (false, true) => b.ins().swiden_low(x),
            (true, true) => b.ins().swiden_high(x),
            (false, false) => b.ins().uwiden_low(x),
            (true, false) => b.ins().uwiden_high(x),
        });
    }

    /// The SIMD operators; `Ok(false)` if `op` is not one this file
    /// compiles.
    pub(super) fn simd_operator(&mut self, op: &Operator<'_>) -> Result<bool, Unsupported> {
        use Operator as O;
        match *op {
            O::V128Const { value } => {
                let v = self.v128_const(value.bytes());
                self.stack.push(v);
            }
            O::V128Load { ref memarg } => {
                let (p, off, hf) = self.address(memarg, 16)?;
                let v = self.b.ins().load(I8X16, hf, p, off);
                self.stack.push(v);
            }
            O::V128Store { ref memarg } => {
                let v = self.pop();
                let (p, off, hf) = self.address(memarg, 16)?;
                self.b.ins().store(hf, v, p, off);
            }
            O::V128Load8x8S { ref memarg } => self.vload(memarg, 8, I64, |b, x| {
                let v = b.ins().scalar_to_vector(I64X2, x);
                let v = cast(b, v, I8X16);
                b.ins().swiden_low(v)
            })?,
            O::V128Load8x8U { ref memarg } => self.vload(memarg, 8, I64, |b, x| {
                let v = b.ins().scalar_to_vector(I64X2, x);
                let v = cast(b, v, I8X16);
                b.ins().uwiden_low(v)
            })?,
            O::V128Load16x4S { ref memarg } => self.vload(memarg, 8, I64, |b, x| {
                let v = b.ins().scalar_to_vector(I64X2, x);
                let v = cast(b, v, I16X8);
                b.ins().swiden_low(v)
            })?,
            O::V128Load16x4U { ref memarg } => self.vload(memarg, 8, I64, |b, x| {
                let v = b.ins().scalar_to_vector(I64X2, x);
                let v = cast(b, v, I16X8);
                b.ins().uwiden_low(v)
            })?,
            O::V128Load32x2S { ref memarg } => self.vload(memarg, 8, I64, |b, x| {
                let v = b.ins().scalar_to_vector(I64X2, x);
                let v = cast(b, v, I32X4);
                b.ins().swiden_low(v)
            })?,
            O::V128Load32x2U { ref memarg } => self.vload(memarg, 8, I64, |b, x| {
                let v = b.ins().scalar_to_vector(I64X2, x);
                let v = cast(b, v, I32X4);
                b.ins().uwiden_low(v)
            })?,
            O::V128Load8Splat { ref memarg } => {
                self.vload(memarg, 1, I8, |b, x| b.ins().splat(I8X16, x))?
            }
            O::V128Load16Splat { ref memarg } => {
                self.vload(memarg, 2, I16, |b, x| b.ins().splat(I16X8, x))?
            }
            O::V128Load32Splat { ref memarg } => {
                self.vload(memarg, 4, I32, |b, x| b.ins().splat(I32X4, x))?
            }
            O::V128Load64Splat { ref memarg } => {
                self.vload(memarg, 8, I64, |b, x| b.ins().splat(I64X2, x))?
            }
            O::V128Load32Zero { ref memarg } => {
                self.vload(memarg, 4, I32, |b, x| b.ins().scalar_to_vector(I32X4, x))?
            }
            O::V128Load64Zero { ref memarg } => {
                self.vload(memarg, 8, I64, |b, x| b.ins().scalar_to_vector(I64X2, x))?
            }
            O::V128Load8Lane { ref memarg, lane } => self.load_lane(memarg, lane, I8X16)?,
            O::V128Load16Lane { ref memarg, lane } => self.load_lane(memarg, lane, I16X8)?,
            O::V128Load32Lane { ref memarg, lane } => self.load_lane(memarg, lane, I32X4)?,
            O::V128Load64Lane { ref memarg, lane } => self.load_lane(memarg, lane, I64X2)?,
            O::V128Store8Lane { ref memarg, lane } => self.store_lane(memarg, lane, I8X16)?,
            O::V128Store16Lane { ref memarg, lane } => self.store_lane(memarg, lane, I16X8)?,
            O::V128Store32Lane { ref memarg, lane } => self.store_lane(memarg, lane, I32X4)?,
            O::V128Store64Lane { ref memarg, lane } => self.store_lane(memarg, lane, I64X2)?,

            O::I8x16Shuffle { lanes } => {
                let b = self.pop_as(I8X16);
                let a = self.pop_as(I8X16);
                let mask = self
                    .b
                    .func
                    .dfg
                    .immediates
                    .push(ConstantData::from(lanes.to_vec()));
                let v = self.b.ins().shuffle(a, b, mask);
                self.push_v(v);
            }
            O::I8x16Swizzle => self.vbinary(I8X16, |b, x, y| b.ins().swizzle(x, y)),
            O::I8x16ExtractLaneS { lane } => self.extract(I8X16, lane, Some(true)),
            O::I8x16ExtractLaneU { lane } => self.extract(I8X16, lane, Some(false)),
            O::I16x8ExtractLaneS { lane } => self.extract(I16X8, lane, Some(true)),
            O::I16x8ExtractLaneU { lane } => self.extract(I16X8, lane, Some(false)),
            O::I32x4ExtractLane { lane } => self.extract(I32X4, lane, None),
            O::I64x2ExtractLane { lane } => self.extract(I64X2, lane, None),
            O::F32x4ExtractLane { lane } => self.extract(F32X4, lane, None),
            O::F64x2ExtractLane { lane } => self.extract(F64X2, lane, None),
            O::I8x16ReplaceLane { lane } => self.replace(I8X16, lane),
            O::I16x8ReplaceLane { lane } => self.replace(I16X8, lane),
            O::I32x4ReplaceLane { lane } => self.replace(I32X4, lane),
            O::I64x2ReplaceLane { lane } => self.replace(I64X2, lane),
            O::F32x4ReplaceLane { lane } => self.replace(F32X4, lane),
            O::F64x2ReplaceLane { lane } => self.replace(F64X2, lane),
            O::I8x16Splat => self.splat(I8X16),
            O::I16x8Splat => self.splat(I16X8),
            O::I32x4Splat => self.splat(I32X4),
            O::I64x2Splat => self.splat(I64X2),
            O::F32x4Splat => self.splat(F32X4),
            O::F64x2Splat => self.splat(F64X2),

            O::I8x16Eq => self.vicmp(I8X16, IntCC::Equal),
            O::I8x16Ne => self.vicmp(I8X16, IntCC::NotEqual),
            O::I8x16LtS => self.vicmp(I8X16, IntCC::SignedLessThan),
            O::I8x16LtU => self.vicmp(I8X16, IntCC::UnsignedLessThan),
            O::I8x16GtS => self.vicmp(I8X16, IntCC::SignedGreaterThan),
            O::I8x16GtU => self.vicmp(I8X16, IntCC::UnsignedGreaterThan),
            O::I8x16LeS => self.vicmp(I8X16, IntCC::SignedLessThanOrEqual),
            O::I8x16LeU => self.vicmp(I8X16, IntCC::UnsignedLessThanOrEqual),
            O::I8x16GeS => self.vicmp(I8X16, IntCC::SignedGreaterThanOrEqual),
            O::I8x16GeU => self.vicmp(I8X16, IntCC::UnsignedGreaterThanOrEqual),
            O::I16x8Eq => self.vicmp(I16X8, IntCC::Equal),
            O::I16x8Ne => self.vicmp(I16X8, IntCC::NotEqual),
            O::I16x8LtS => self.vicmp(I16X8, IntCC::SignedLessThan),
            O::I16x8LtU => self.vicmp(I16X8, IntCC::UnsignedLessThan),
            O::I16x8GtS => self.vicmp(I16X8, IntCC::SignedGreaterThan),
            O::I16x8GtU => self.vicmp(I16X8, IntCC::UnsignedGreaterThan),
            O::I16x8LeS => self.vicmp(I16X8, IntCC::SignedLessThanOrEqual),
            O::I16x8LeU => self.vicmp(I16X8, IntCC::UnsignedLessThanOrEqual),
            O::I16x8GeS => self.vicmp(I16X8, IntCC::SignedGreaterThanOrEqual),
            O::I16x8GeU => self.vicmp(I16X8, IntCC::UnsignedGreaterThanOrEqual),
            O::I32x4Eq => self.vicmp(I32X4, IntCC::Equal),
            O::I32x4Ne => self.vicmp(I32X4, IntCC::NotEqual),
            O::I32x4LtS => self.vicmp(I32X4, IntCC::SignedLessThan),
            O::I32x4LtU => self.vicmp(I32X4, IntCC::UnsignedLessThan),
            O::I32x4GtS => self.vicmp(I32X4, IntCC::SignedGreaterThan),
            O::I32x4GtU => self.vicmp(I32X4, IntCC::UnsignedGreaterThan),
            O::I32x4LeS => self.vicmp(I32X4, IntCC::SignedLessThanOrEqual),
            O::I32x4LeU => self.vicmp(I32X4, IntCC::UnsignedLessThanOrEqual),
            O::I32x4GeS => self.vicmp(I32X4, IntCC::SignedGreaterThanOrEqual),
            O::I32x4GeU => self.vicmp(I32X4, IntCC::UnsignedGreaterThanOrEqual),
            O::I64x2Eq => self.vicmp(I64X2, IntCC::Equal),
            O::I64x2Ne => self.vicmp(I64X2, IntCC::NotEqual),
            O::I64x2LtS => self.vicmp(I64X2, IntCC::SignedLessThan),
            O::I64x2GtS => self.vicmp(I64X2, IntCC::SignedGreaterThan),
            O::I64x2LeS => self.vicmp(I64X2, IntCC::SignedLessThanOrEqual),
            O::I64x2GeS => self.vicmp(I64X2, IntCC::SignedGreaterThanOrEqual),
            O::F32x4Eq => self.vfcmp(F32X4, FloatCC::Equal),
            O::F32x4Ne => self.vfcmp(F32X4, FloatCC::NotEqual),
            O::F32x4Lt => self.vfcmp(F32X4, FloatCC::LessThan),
            O::F32x4Gt => self.vfcmp(F32X4, FloatCC::GreaterThan),
            O::F32x4Le => self.vfcmp(F32X4, FloatCC::LessThanOrEqual),
            O::F32x4Ge => self.vfcmp(F32X4, FloatCC::GreaterThanOrEqual),
            O::F64x2Eq => self.vfcmp(F64X2, FloatCC::Equal),
            O::F64x2Ne => self.vfcmp(F64X2, FloatCC::NotEqual),
            O::F64x2Lt => self.vfcmp(F64X2, FloatCC::LessThan),
            O::F64x2Gt => self.vfcmp(F64X2, FloatCC::GreaterThan),
            O::F64x2Le => self.vfcmp(F64X2, FloatCC::LessThanOrEqual),
            O::F64x2Ge => self.vfcmp(F64X2, FloatCC::GreaterThanOrEqual),

            O::V128Not => self.vunary(I8X16, |b, x| b.ins().bnot(x)),
            O::V128And => self.vbinary(I8X16, |b, x, y| b.ins().band(x, y)),
            O::V128AndNot => self.vbinary(I8X16, |b, x, y| b.ins().band_not(x, y)),
            O::V128Or => self.vbinary(I8X16, |b, x, y| b.ins().bor(x, y)),
            O::V128Xor => self.vbinary(I8X16, |b, x, y| b.ins().bxor(x, y)),
            O::V128Bitselect => {
                let c = self.pop_as(I8X16);
                let y = self.pop_as(I8X16);
                let x = self.pop_as(I8X16);
                let v = self.b.ins().bitselect(c, x, y);
                self.push_v(v);
            }
            O::V128AnyTrue => self.vtest(I8X16, |b, x| b.ins().vany_true(x)),
            O::I8x16AllTrue => self.vtest(I8X16, |b, x| b.ins().vall_true(x)),
            O::I16x8AllTrue => self.vtest(I16X8, |b, x| b.ins().vall_true(x)),
            O::I32x4AllTrue => self.vtest(I32X4, |b, x| b.ins().vall_true(x)),
            O::I64x2AllTrue => self.vtest(I64X2, |b, x| b.ins().vall_true(x)),
            O::I8x16Bitmask => self.vtest(I8X16, |b, x| b.ins().vhigh_bits(I32, x)),
            O::I16x8Bitmask => self.vtest(I16X8, |b, x| b.ins().vhigh_bits(I32, x)),
            O::I32x4Bitmask => self.vtest(I32X4, |b, x| b.ins().vhigh_bits(I32, x)),
            O::I64x2Bitmask => self.vtest(I64X2, |b, x| b.ins().vhigh_bits(I32, x)),

            O::I8x16Abs => self.vunary(I8X16, |b, x| b.ins().iabs(x)),
            O::I16x8Abs => self.vunary(I16X8, |b, x| b.ins().iabs(x)),
            O::I32x4Abs => self.vunary(I32X4, |b, x| b.ins().iabs(x)),
            O::I64x2Abs => self.vunary(I64X2, |b, x| b.ins().iabs(x)),
            O::I8x16Neg => self.vunary(I8X16, |b, x| b.ins().ineg(x)),
            O::I16x8Neg => self.vunary(I16X8, |b, x| b.ins().ineg(x)),
            O::I32x4Neg => self.vunary(I32X4, |b, x| b.ins().ineg(x)),
            O::I64x2Neg => self.vunary(I64X2, |b, x| b.ins().ineg(x)),
            O::I8x16Popcnt => self.vunary(I8X16, |b, x| b.ins().popcnt(x)),
            O::I8x16Add => self.vbinary(I8X16, |b, x, y| b.ins().iadd(x, y)),
            O::I16x8Add => self.vbinary(I16X8, |b, x, y| b.ins().iadd(x, y)),
            O::I32x4Add => self.vbinary(I32X4, |b, x, y| b.ins().iadd(x, y)),
            O::I64x2Add => self.vbinary(I64X2, |b, x, y| b.ins().iadd(x, y)),
            O::I8x16Sub => self.vbinary(I8X16, |b, x, y| b.ins().isub(x, y)),
            O::I16x8Sub => self.vbinary(I16X8, |b, x, y| b.ins().isub(x, y)),
            O::I32x4Sub => self.vbinary(I32X4, |b, x, y| b.ins().isub(x, y)),
            O::I64x2Sub => self.vbinary(I64X2, |b, x, y| b.ins().isub(x, y)),
            O::I16x8Mul => self.vbinary(I16X8, |b, x, y| b.ins().imul(x, y)),
            O::I32x4Mul => self.vbinary(I32X4, |b, x, y| b.ins().imul(x, y)),
            O::I64x2Mul => self.vbinary(I64X2, |b, x, y| b.ins().imul(x, y)),
            O::I8x16AddSatS => self.vbinary(I8X16, |b, x, y| b.ins().sadd_sat(x, y)),
            O::I8x16AddSatU => self.vbinary(I8X16, |b, x, y| b.ins().uadd_sat(x, y)),
            O::I8x16SubSatS => self.vbinary(I8X16, |b, x, y| b.ins().ssub_sat(x, y)),
            O::I8x16SubSatU => self.vbinary(I8X16, |b, x, y| b.ins().usub_sat(x, y)),
            O::I16x8AddSatS => self.vbinary(I16X8, |b, x, y| b.ins().sadd_sat(x, y)),
            O::I16x8AddSatU => self.vbinary(I16X8, |b, x, y| b.ins().uadd_sat(x, y)),
            O::I16x8SubSatS => self.vbinary(I16X8, |b, x, y| b.ins().ssub_sat(x, y)),
            O::I16x8SubSatU => self.vbinary(I16X8, |b, x, y| b.ins().usub_sat(x, y)),
            O::I8x16MinS => self.vbinary(I8X16, |b, x, y| b.ins().smin(x, y)),
            O::I8x16MinU => self.vbinary(I8X16, |b, x, y| b.ins().umin(x, y)),
            O::I8x16MaxS => self.vbinary(I8X16, |b, x, y| b.ins().smax(x, y)),
            O::I8x16MaxU => self.vbinary(I8X16, |b, x, y| b.ins().umax(x, y)),
            O::I16x8MinS => self.vbinary(I16X8, |b, x, y| b.ins().smin(x, y)),
            O::I16x8MinU => self.vbinary(I16X8, |b, x, y| b.ins().umin(x, y)),
            O::I16x8MaxS => self.vbinary(I16X8, |b, x, y| b.ins().smax(x, y)),
            O::I16x8MaxU => self.vbinary(I16X8, |b, x, y| b.ins().umax(x, y)),
            O::I32x4MinS => self.vbinary(I32X4, |b, x, y| b.ins().smin(x, y)),
            O::I32x4MinU => self.vbinary(I32X4, |b, x, y| b.ins().umin(x, y)),
            O::I32x4MaxS => self.vbinary(I32X4, |b, x, y| b.ins().smax(x, y)),
            O::I32x4MaxU => self.vbinary(I32X4, |b, x, y| b.ins().umax(x, y)),
            O::I8x16AvgrU => self.vbinary(I8X16, |b, x, y| b.ins().avg_round(x, y)),
            O::I16x8AvgrU => self.vbinary(I16X8, |b, x, y| b.ins().avg_round(x, y)),
            O::I16x8Q15MulrSatS => self.vbinary(I16X8, |b, x, y| b.ins().sqmul_round_sat(x, y)),
            O::I8x16Shl => self.vshift(I8X16, |b, x, n| b.ins().ishl(x, n)),
            O::I8x16ShrS => self.vshift(I8X16, |b, x, n| b.ins().sshr(x, n)),
            O::I8x16ShrU => self.vshift(I8X16, |b, x, n| b.ins().ushr(x, n)),
            O::I16x8Shl => self.vshift(I16X8, |b, x, n| b.ins().ishl(x, n)),
            O::I16x8ShrS => self.vshift(I16X8, |b, x, n| b.ins().sshr(x, n)),
            O::I16x8ShrU => self.vshift(I16X8, |b, x, n| b.ins().ushr(x, n)),
            O::I32x4Shl => self.vshift(I32X4, |b, x, n| b.ins().ishl(x, n)),
            O::I32x4ShrS => self.vshift(I32X4, |b, x, n| b.ins().sshr(x, n)),
            O::I32x4ShrU => self.vshift(I32X4, |b, x, n| b.ins().ushr(x, n)),
            O::I64x2Shl => self.vshift(I64X2, |b, x, n| b.ins().ishl(x, n)),
            O::I64x2ShrS => self.vshift(I64X2, |b, x, n| b.ins().sshr(x, n)),
            O::I64x2ShrU => self.vshift(I64X2, |b, x, n| b.ins().ushr(x, n)),

            O::I8x16NarrowI16x8S => self.vbinary(I16X8, |b, x, y| b.ins().snarrow(x, y)),
            O::I8x16NarrowI16x8U => self.vbinary(I16X8, |b, x, y| b.ins().unarrow(x, y)),
            O::I16x8NarrowI32x4S => self.vbinary(I32X4, |b, x, y| b.ins().snarrow(x, y)),
            O::I16x8NarrowI32x4U => self.vbinary(I32X4, |b, x, y| b.ins().unarrow(x, y)),
            O::I16x8ExtendLowI8x16S => self.widen(I8X16, false, true),
            O::I16x8ExtendHighI8x16S => self.widen(I8X16, true, true),
            O::I16x8ExtendLowI8x16U => self.widen(I8X16, false, false),
            O::I16x8ExtendHighI8x16U => self.widen(I8X16, true, false),
            O::I32x4ExtendLowI16x8S => self.widen(I16X8, false, true),
            O::I32x4ExtendHighI16x8S => self.widen(I16X8, true, true),
            O::I32x4ExtendLowI16x8U => self.widen(I16X8, false, false),
            O::I32x4ExtendHighI16x8U => self.widen(I16X8, true, false),
            O::I64x2ExtendLowI32x4S => self.widen(I32X4, false, true),
            O::I64x2ExtendHighI32x4S => self.widen(I32X4, true, true),
            O::I64x2ExtendLowI32x4U => self.widen(I32X4, false, false),
            O::I64x2ExtendHighI32x4U => self.widen(I32X4, true, false),
            O::I16x8ExtMulLowI8x16S => self.extmul(I8X16, false, true),
            O::I16x8ExtMulHighI8x16S => self.extmul(I8X16, true, true),
            O::I16x8ExtMulLowI8x16U => self.extmul(I8X16, false, false),
            O::I16x8ExtMulHighI8x16U => self.extmul(I8X16, true, false),
            O::I32x4ExtMulLowI16x8S => self.extmul(I16X8, false, true),
            O::I32x4ExtMulHighI16x8S => self.extmul(I16X8, true, true),
            O::I32x4ExtMulLowI16x8U => self.extmul(I16X8, false, false),
            O::I32x4ExtMulHighI16x8U => self.extmul(I16X8, true, false),
            O::I64x2ExtMulLowI32x4S => self.extmul(I32X4, false, true),
            O::I64x2ExtMulHighI32x4S => self.extmul(I32X4, true, true),
            O::I64x2ExtMulLowI32x4U => self.extmul(I32X4, false, false),
            O::I64x2ExtMulHighI32x4U => self.extmul(I32X4, true, false),
            O::I16x8ExtAddPairwiseI8x16S => self.extadd(I8X16, true),
            O::I16x8ExtAddPairwiseI8x16U => self.extadd(I8X16, false),
            O::I32x4ExtAddPairwiseI16x8S => self.extadd(I16X8, true),
            O::I32x4ExtAddPairwiseI16x8U => self.extadd(I16X8, false),
            O::I32x4DotI16x8S => self.vbinary(I16X8, |b, x, y| {
                let lo = {
                    let (x, y) = (b.ins().swiden_low(x), b.ins().swiden_low(y));
                    b.ins().imul(x, y)
                };
                let hi = {
                    let (x, y) = (b.ins().swiden_high(x), b.ins().swiden_high(y));
                    b.ins().imul(x, y)
                };
                b.ins().iadd_pairwise(lo, hi)
            }),

            O::F32x4Add => self.vbinary(F32X4, |b, x, y| b.ins().fadd(x, y)),
            O::F32x4Sub => self.vbinary(F32X4, |b, x, y| b.ins().fsub(x, y)),
            O::F32x4Mul => self.vbinary(F32X4, |b, x, y| b.ins().fmul(x, y)),
            O::F32x4Div => self.vbinary(F32X4, |b, x, y| b.ins().fdiv(x, y)),
            O::F32x4Min => self.vbinary(F32X4, |b, x, y| min_max(b, x, y, false)),
            O::F32x4Max => self.vbinary(F32X4, |b, x, y| min_max(b, x, y, true)),
            O::F64x2Add => self.vbinary(F64X2, |b, x, y| b.ins().fadd(x, y)),
            O::F64x2Sub => self.vbinary(F64X2, |b, x, y| b.ins().fsub(x, y)),
            O::F64x2Mul => self.vbinary(F64X2, |b, x, y| b.ins().fmul(x, y)),
            O::F64x2Div => self.vbinary(F64X2, |b, x, y| b.ins().fdiv(x, y)),
            O::F64x2Min => self.vbinary(F64X2, |b, x, y| min_max(b, x, y, false)),
            O::F64x2Max => self.vbinary(F64X2, |b, x, y| min_max(b, x, y, true)),
            // pmin(a, b) = b < a ? b : a; pmax(a, b) = a < b ? b : a.
            O::F32x4PMin | O::F64x2PMin => {
                let ty = if matches!(op, O::F32x4PMin) {
                    F32X4
                } else {
                    F64X2
                };
                self.vbinary(ty, |b, x, y| {
                    let m = b.ins().fcmp(FloatCC::LessThan, y, x);
                    let m = cast(b, m, ty);
                    b.ins().bitselect(m, y, x)
                })
            }
            O::F32x4PMax | O::F64x2PMax => {
                let ty = if matches!(op, O::F32x4PMax) {
                    F32X4
                } else {
                    F64X2
                };
                self.vbinary(ty, |b, x, y| {
                    let m = b.ins().fcmp(FloatCC::LessThan, x, y);
                    let m = cast(b, m, ty);
                    b.ins().bitselect(m, y, x)
                })
            }
            O::F32x4Abs => self.vunary(F32X4, |b, x| b.ins().fabs(x)),
            O::F32x4Neg => self.vunary(F32X4, |b, x| b.ins().fneg(x)),
            O::F32x4Sqrt => self.vunary(F32X4, |b, x| b.ins().sqrt(x)),
            O::F32x4Ceil => self.vunary(F32X4, |b, x| b.ins().ceil(x)),
            O::F32x4Floor => self.vunary(F32X4, |b, x| b.ins().floor(x)),
            O::F32x4Trunc => self.vunary(F32X4, |b, x| b.ins().trunc(x)),
            O::F32x4Nearest => self.vunary(F32X4, |b, x| b.ins().nearest(x)),
            O::F64x2Abs => self.vunary(F64X2, |b, x| b.ins().fabs(x)),
            O::F64x2Neg => self.vunary(F64X2, |b, x| b.ins().fneg(x)),
            O::F64x2Sqrt => self.vunary(F64X2, |b, x| b.ins().sqrt(x)),
            O::F64x2Ceil => self.vunary(F64X2, |b, x| b.ins().ceil(x)),
            O::F64x2Floor => self.vunary(F64X2, |b, x| b.ins().floor(x)),
            O::F64x2Trunc => self.vunary(F64X2, |b, x| b.ins().trunc(x)),
            O::F64x2Nearest => self.vunary(F64X2, |b, x| b.ins().nearest(x)),

            O::F32x4ConvertI32x4S => self.vunary(I32X4, |b, x| b.ins().fcvt_from_sint(F32X4, x)),
            O::F32x4ConvertI32x4U => self.vunary(I32X4, |b, x| b.ins().fcvt_from_uint(F32X4, x)),
            O::I32x4TruncSatF32x4S => self.vunary(F32X4, |b, x| b.ins().fcvt_to_sint_sat(I32X4, x)),
            O::I32x4TruncSatF32x4U => self.vunary(F32X4, |b, x| b.ins().fcvt_to_uint_sat(I32X4, x)),
            O::I32x4TruncSatF64x2SZero => {
                let zero = self.zero_i64x2();
                self.vunary(F64X2, |b, x| {
                    let w = b.ins().fcvt_to_sint_sat(I64X2, x);
                    b.ins().snarrow(w, zero)
                })
            }
            O::I32x4TruncSatF64x2UZero => {
                let zero = self.zero_i64x2();
                self.vunary(F64X2, |b, x| {
                    let w = b.ins().fcvt_to_uint_sat(I64X2, x);
                    b.ins().uunarrow(w, zero)
                })
            }
            O::F64x2ConvertLowI32x4S => self.vunary(I32X4, |b, x| {
                let w = b.ins().swiden_low(x);
                b.ins().fcvt_from_sint(F64X2, w)
            }),
            O::F64x2ConvertLowI32x4U => self.vunary(I32X4, |b, x| {
                let w = b.ins().uwiden_low(x);
                b.ins().fcvt_from_uint(F64X2, w)
            }),
            O::F32x4DemoteF64x2Zero => self.vunary(F64X2, |b, x| b.ins().fvdemote(x)),
            O::F64x2PromoteLowF32x4 => self.vunary(F32X4, |b, x| b.ins().fvpromote_low(x)),
            O::I8x16RelaxedSwizzle => self.vbinary(I8X16, |b, x, y| b.ins().swizzle(x, y)),
            O::I32x4RelaxedTruncF32x4S => {
                self.vunary(F32X4, |b, x| b.ins().fcvt_to_sint_sat(I32X4, x))
            }
            O::I32x4RelaxedTruncF32x4U => {
                self.vunary(F32X4, |b, x| b.ins().fcvt_to_uint_sat(I32X4, x))
            }
            O::I32x4RelaxedTruncF64x2SZero => {
                let zero = self.zero_i64x2();
                self.vunary(F64X2, |b, x| {
                    let w = b.ins().fcvt_to_sint_sat(I64X2, x);
                    b.ins().snarrow(w, zero)
                })
            }
            O::I32x4RelaxedTruncF64x2UZero => {
                let zero = self.zero_i64x2();
                self.vunary(F64X2, |b, x| {
                    let w = b.ins().fcvt_to_uint_sat(I64X2, x);
                    b.ins().uunarrow(w, zero)
                })
            }
            O::F32x4RelaxedMadd
            | O::F32x4RelaxedNmadd
            | O::F64x2RelaxedMadd
            | O::F64x2RelaxedNmadd => {
                let ty = if matches!(op, O::F32x4RelaxedMadd | O::F32x4RelaxedNmadd) {
                    F32X4
                } else {
                    F64X2
                };
                let negate = matches!(op, O::F32x4RelaxedNmadd | O::F64x2RelaxedNmadd);
                let c = self.pop_as(ty);
                let y = self.pop_as(ty);
                let x = self.pop_as(ty);
                // Unfused: two roundings, as the deterministic profile says.
                let x = if negate { self.b.ins().fneg(x) } else { x };
                let p = self.b.ins().fmul(x, y);
                let v = self.b.ins().fadd(p, c);
                self.push_v(v);
            }
            O::I8x16RelaxedLaneselect
            | O::I16x8RelaxedLaneselect
            | O::I32x4RelaxedLaneselect
            | O::I64x2RelaxedLaneselect => {
                let m = self.pop_as(I8X16);
                let y = self.pop_as(I8X16);
                let x = self.pop_as(I8X16);
                let v = self.b.ins().bitselect(m, x, y);
                self.push_v(v);
            }
            O::F32x4RelaxedMin => self.vbinary(F32X4, |b, x, y| min_max(b, x, y, false)),
            O::F32x4RelaxedMax => self.vbinary(F32X4, |b, x, y| min_max(b, x, y, true)),
            O::F64x2RelaxedMin => self.vbinary(F64X2, |b, x, y| min_max(b, x, y, false)),
            O::F64x2RelaxedMax => self.vbinary(F64X2, |b, x, y| min_max(b, x, y, true)),
            O::I16x8RelaxedQ15mulrS => self.vbinary(I16X8, |b, x, y| b.ins().sqmul_round_sat(x, y)),
            O::I16x8RelaxedDotI8x16I7x16S => {
                let y = self.pop_as(I8X16);
                let x = self.pop_as(I8X16);
                let v = self.relaxed_dot(x, y);
                self.push_v(v);
            }
            O::I32x4RelaxedDotI8x16I7x16AddS => {
                let c = self.pop_as(I32X4);
                let y = self.pop_as(I8X16);
                let x = self.pop_as(I8X16);
                let d = self.relaxed_dot(x, y);
                let lo = self.b.ins().swiden_low(d);
                let hi = self.b.ins().swiden_high(d);
                let sums = self.b.ins().iadd_pairwise(lo, hi);
                let v = self.b.ins().iadd(sums, c);
                self.push_v(v);
            }
            _ => return Ok(false),
        }
        Ok(true)
    }
}
