//! Converting script arguments to [`Val`]s and checking results against
//! the script's expectations (including NaN patterns).

use wast::core::{HeapType, NanPattern, V128Pattern, WastArgCore, WastRetCore};
use wast::{WastArg, WastRet};
use weft::{AnyRef, ExternRef, Store, Val};

pub(crate) fn arg(store: &mut Store<()>, a: &WastArg<'_>) -> Result<Val, String> {
    let WastArg::Core(a) = a else {
        return Err("component-model values are not supported".into());
    };
    Ok(match a {
        WastArgCore::I32(v) => Val::I32(*v),
        WastArgCore::I64(v) => Val::I64(*v),
        WastArgCore::F32(v) => Val::F32(v.bits),
        WastArgCore::F64(v) => Val::F64(v.bits),
        WastArgCore::V128(v) => Val::V128(u128::from_le_bytes(v.to_le_bytes())),
        WastArgCore::RefNull(HeapType::Abstract { ty, .. }) => {
            use wast::core::AbstractHeapType as A;
            match ty {
                A::Extern | A::NoExtern => Val::ExternRef(None),
                A::Any | A::Eq | A::I31 | A::Struct | A::Array | A::None => Val::AnyRef(None),
                A::Exn | A::NoExn => Val::ExnRef(None),
                _ => Val::FuncRef(None),
            }
        }
        WastArgCore::RefNull(_) => Val::FuncRef(None),
        WastArgCore::RefExtern(n) => Val::ExternRef(Some(ExternRef::new(store, *n))),
        WastArgCore::RefHost(n) => {
            Val::AnyRef(Some(AnyRef::convert_extern(ExternRef::new(store, *n))))
        }
    })
}

fn f32_matches(got: u32, want: &NanPattern<wast::token::F32>) -> bool {
    match want {
        NanPattern::CanonicalNan => got & 0x7fff_ffff == 0x7fc0_0000,
        NanPattern::ArithmeticNan => got & 0x7fc0_0000 == 0x7fc0_0000,
        NanPattern::Value(v) => got == v.bits,
    }
}

fn f64_matches(got: u64, want: &NanPattern<wast::token::F64>) -> bool {
    match want {
        NanPattern::CanonicalNan => got & 0x7fff_ffff_ffff_ffff == 0x7ff8_0000_0000_0000,
        NanPattern::ArithmeticNan => got & 0x7ff8_0000_0000_0000 == 0x7ff8_0000_0000_0000,
        NanPattern::Value(v) => got == v.bits,
    }
}

/// A `v128` result against a lane pattern (floats lane by lane, with NaN
/// patterns).
fn v128_matches(got: u128, want: &V128Pattern) -> bool {
    let lanes = |bits: u32| (0..128 / bits).map(move |i| (got >> (i * bits)) as u64);
    match want {
        V128Pattern::I8x16(w) => lanes(8).zip(w).all(|(g, w)| g as u8 == *w as u8),
        V128Pattern::I16x8(w) => lanes(16).zip(w).all(|(g, w)| g as u16 == *w as u16),
        V128Pattern::I32x4(w) => lanes(32).zip(w).all(|(g, w)| g as u32 == *w as u32),
        V128Pattern::I64x2(w) => lanes(64).zip(w).all(|(g, w)| g == *w as u64),
        V128Pattern::F32x4(w) => lanes(32).zip(w).all(|(g, w)| f32_matches(g as u32, w)),
        V128Pattern::F64x2(w) => lanes(64).zip(w).all(|(g, w)| f64_matches(g, w)),
    }
}

fn matches(store: &Store<()>, got: &Val, want: &WastRetCore<'_>) -> bool {
    match (got, want) {
        (Val::I32(g), WastRetCore::I32(w)) => g == w,
        (Val::I64(g), WastRetCore::I64(w)) => g == w,
        (Val::F32(g), WastRetCore::F32(w)) => f32_matches(*g, w),
        (Val::F64(g), WastRetCore::F64(w)) => f64_matches(*g, w),
        (Val::V128(g), WastRetCore::V128(w)) => v128_matches(*g, w),
        (
            Val::FuncRef(None) | Val::ExternRef(None) | Val::AnyRef(None) | Val::ExnRef(None),
            WastRetCore::RefNull(_),
        ) => true,
        (Val::FuncRef(Some(_)), WastRetCore::RefFunc(_)) => true,
        (Val::ExternRef(Some(_)), WastRetCore::RefExtern(None)) => true,
        (Val::ExternRef(Some(r)), WastRetCore::RefExtern(Some(n))) => {
            r.data(store).and_then(|d| d.downcast_ref::<u32>()) == Some(n)
        }
        (Val::AnyRef(Some(_)), WastRetCore::RefAny) => true,
        (Val::AnyRef(Some(r)), WastRetCore::RefI31) => r.i31_s().is_some(),
        (Val::AnyRef(Some(r)), WastRetCore::RefEq) => {
            r.i31_s().is_some() || r.is_struct() || r.is_array()
        }
        (Val::AnyRef(Some(r)), WastRetCore::RefStruct) => r.is_struct(),
        (Val::AnyRef(Some(r)), WastRetCore::RefArray) => r.is_array(),
        (Val::AnyRef(Some(r)), WastRetCore::RefHost(n)) => {
            ExternRef::convert_any(*r)
                .data(store)
                .and_then(|d| d.downcast_ref::<u32>())
                == Some(n)
        }
        (g, WastRetCore::Either(options)) => options.iter().any(|w| matches(store, g, w)),
        _ => false,
    }
}

pub(crate) fn check_results(
    store: &Store<()>,
    got: &[Val],
    want: &[WastRet<'_>],
) -> Result<(), String> {
    if got.len() != want.len() {
        return Err(format!(
            "expected {} results, got {}: {got:?}",
            want.len(),
            got.len()
        ));
    }
    for (i, (g, w)) in got.iter().zip(want).enumerate() {
        let WastRet::Core(w) = w else {
            return Err("component-model results are not supported".into());
        };
        if !matches(store, g, w) {
            return Err(format!("result {i}: expected {w:?}, got {g:?}"));
        }
    }
    Ok(())
}
