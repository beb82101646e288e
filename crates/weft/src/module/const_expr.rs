//! Constant expressions (spec 3.3.11 "Constant Expressions"): global
//! initialisers and segment offsets, decoded once into a tiny stack program
//! evaluated at instantiation.

use alloc::vec::Vec;

use crate::error::{ErrorKind, Result};

/// One operator of a constant expression.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum ConstOp {
    /// Push raw value bits (i32/f32 zero-extended).
    Value(u64),
    /// Push a `v128`'s bits.
    V128(u128),
    /// Push the value of global `idx` (module index space).
    GlobalGet(u32),
    /// Push a reference to function `idx` (module index space).
    RefFunc(u32),
    /// `ref.i31` of the value on top (GC proposal).
    RefI31,
    /// An object made of the values on top (GC proposal).
    Gc(GcConst),
    I32Add,
    I32Sub,
    I32Mul,
    I64Add,
    I64Sub,
    I64Mul,
}

/// A GC proposal instruction of a constant expression (`t`: a module type
/// index).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum GcConst {
    /// `struct.new $t`: takes the fields' values.
    StructNew(u32),
    /// `struct.new_default $t`.
    StructNewDefault(u32),
    /// `array.new $t`: takes the element value and the length.
    ArrayNew(u32),
    /// `array.new_default $t`: takes the length.
    ArrayNewDefault(u32),
    /// `array.new_fixed $t n`: takes `n` element values.
    ArrayNewFixed(u32, u32),
}

/// A decoded constant expression.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ConstExpr {
    pub(crate) ops: Vec<ConstOp>,
}

/// An operator's name (its `wasmparser` variant, e.g. `StructNew`), for
/// messages.
pub(crate) fn operator_name(op: &wasmparser::Operator<'_>) -> alloc::string::String {
    let text = alloc::format!("{op:?}");
    let end = text.find([' ', '{', '(']).unwrap_or(text.len());
    alloc::string::String::from(&text[..end])
}

impl ConstExpr {
    pub(crate) fn decode(expr: &wasmparser::ConstExpr<'_>) -> Result<ConstExpr> {
        use wasmparser::Operator as O;
        let mut ops = Vec::new();
        let mut reader = expr.get_operators_reader();
        while !reader.eof() {
            let op = reader.read().map_err(crate::module::invalid)?;
            ops.push(match op {
                O::I32Const { value } => ConstOp::Value(value as u32 as u64),
                O::I64Const { value } => ConstOp::Value(value as u64),
                O::F32Const { value } => ConstOp::Value(value.bits() as u64),
                O::F64Const { value } => ConstOp::Value(value.bits()),
                O::V128Const { value } => ConstOp::V128(u128::from_le_bytes(*value.bytes())),
                O::RefNull { .. } => ConstOp::Value(0),
                O::RefFunc { function_index } => ConstOp::RefFunc(function_index),
                O::GlobalGet { global_index } => ConstOp::GlobalGet(global_index),
                O::I32Add => ConstOp::I32Add,
                O::I32Sub => ConstOp::I32Sub,
                O::I32Mul => ConstOp::I32Mul,
                O::I64Add => ConstOp::I64Add,
                O::I64Sub => ConstOp::I64Sub,
                O::I64Mul => ConstOp::I64Mul,
                O::RefI31 => ConstOp::RefI31,
                O::StructNew {
                    struct_type_index: t,
                } => ConstOp::Gc(GcConst::StructNew(t)),
                O::StructNewDefault {
                    struct_type_index: t,
                } => ConstOp::Gc(GcConst::StructNewDefault(t)),
                O::ArrayNew {
                    array_type_index: t,
                } => ConstOp::Gc(GcConst::ArrayNew(t)),
                O::ArrayNewDefault {
                    array_type_index: t,
                } => ConstOp::Gc(GcConst::ArrayNewDefault(t)),
                O::ArrayNewFixed {
                    array_type_index: t,
                    array_size: n,
                } => ConstOp::Gc(GcConst::ArrayNewFixed(t, n)),
                // A reference keeps its bits in either hierarchy.
                O::AnyConvertExtern | O::ExternConvertAny => continue,
                O::End => break,
                other => {
                    return Err(ErrorKind::NotSupportedYet(alloc::format!(
                        "the instruction `{}` in a constant expression",
                        operator_name(&other)
                    ))
                    .into());
                }
            });
        }
        Ok(ConstExpr { ops })
    }

    /// Evaluates an expression that makes no GC object (an offset, or a
    /// table's initial element). `global` reads a global's value bits,
    /// `func_ref` turns a function index into reference bits. An object
    /// (which validation allows only where a reference is expected) is
    /// null here.
    pub(crate) fn eval(&self, global: impl Fn(u32) -> u64, func_ref: impl Fn(u32) -> u64) -> u64 {
        self.eval_wide(|g| u128::from(global(g)), func_ref, &mut |_, _| Some(0))
            .unwrap_or(0) as u64
    }

    /// [`ConstExpr::eval`] for any type, `v128` included: `global` reads a
    /// global's value as 128 bits (scalars zero-extended); `new_object(op,
    /// stack)` makes the object `op` says, taking its operands off the top
    /// of `stack`, and gives its reference bits (`None`: the GC heap is
    /// full, or an operand is missing; so is the result).
    pub(crate) fn eval_wide(
        &self,
        global: impl Fn(u32) -> u128,
        func_ref: impl Fn(u32) -> u64,
        new_object: &mut dyn FnMut(GcConst, &mut Vec<u128>) -> Option<u64>,
    ) -> Option<u128> {
        let mut stack: Vec<u128> = Vec::with_capacity(4);
        for op in &self.ops {
            let v = match *op {
                ConstOp::Value(v) => u128::from(v),
                ConstOp::V128(v) => v,
                ConstOp::GlobalGet(g) => global(g),
                ConstOp::RefFunc(f) => u128::from(func_ref(f)),
                ConstOp::Gc(op) => u128::from(new_object(op, &mut stack)?),
                ConstOp::RefI31 => {
                    let a = stack.pop().unwrap_or(0) as u64;
                    u128::from(crate::types::I31_TAG | (a & 0x7fff_ffff))
                }
                bin => {
                    let b = stack.pop().unwrap_or(0) as u64;
                    let a = stack.pop().unwrap_or(0) as u64;
                    u128::from(match bin {
                        ConstOp::I32Add => (a as u32).wrapping_add(b as u32) as u64,
                        ConstOp::I32Sub => (a as u32).wrapping_sub(b as u32) as u64,
                        ConstOp::I32Mul => (a as u32).wrapping_mul(b as u32) as u64,
                        ConstOp::I64Add => a.wrapping_add(b),
                        ConstOp::I64Sub => a.wrapping_sub(b),
                        _ => a.wrapping_mul(b),
                    })
                }
            };
            stack.push(v);
        }
        Some(stack.pop().unwrap_or(0))
    }
}
