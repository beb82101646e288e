//! Functions: [`Func`] (call with [`Val`]s), [`TypedFunc`] (call with Rust
//! types), [`Caller`] (what a host function sees), and the traits that turn
//! Rust closures into host functions.

use alloc::sync::Arc;
use alloc::vec::Vec;
use core::marker::PhantomData;

use crate::error::{Error, ErrorKind, Result};
use crate::exec;
use crate::runtime::externs::Extern;
use crate::runtime::store::{AsContext, AsContextMut, HostFunc, Store};
use crate::runtime::val::{vals_from_slots, vals_to_slots, ExternRef, RefScope, Val};
use crate::types::{slot_count, FuncType, ValType};
use crate::vm::{FuncEntity, FuncKind, StoreId};

/// A function in a store: defined by a Wasm module or by the host.
///
/// ```
/// use weft::{Engine, Store, Func, Val};
/// let engine = Engine::default();
/// let mut store = Store::new(&engine, ());
/// let add = Func::wrap(&mut store, |a: i32, b: i32| a + b);
/// let mut out = [Val::I32(0)];
/// add.call(&mut store, &[Val::I32(40), Val::I32(2)], &mut out)?;
/// assert_eq!(out[0].i32(), Some(42));
/// # Ok::<(), weft::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Func {
    pub(crate) store: StoreId,
    pub(crate) index: u32,
}

impl Func {
    /// A host function from a Rust closure whose parameters and result are
    /// Wasm types (`i32`, `u32`, `i64`, `u64`, `f32`, `f64`,
    /// `Option<Func>`, `Option<ExternRef>`, tuples of them for several
    /// results, optionally wrapped in `Result<_, Error>`), optionally taking
    /// a leading [`Caller`].
    pub fn wrap<T, Params, Results>(
        mut store: impl AsContextMut<Data = T>,
        func: impl IntoFunc<T, Params, Results>,
    ) -> Func {
        let (ty, host) = func.into_func();
        Func::from_host(store.as_context_mut(), ty, host)
    }

    /// A host function of type `ty` that receives its arguments and writes
    /// its results as [`Val`]s. The closure must write a value of the right
    /// type to every result, or the call fails with a type mismatch
    /// (typed references are checked precisely: a result of type
    /// `(ref $t)` must be a non-null `$t` or a subtype).
    ///
    /// # Panics
    /// If `ty` names a concrete type of another engine than the store's
    /// (as Wasmtime's `Func::new` does).
    pub fn new<T: 'static>(
        mut store: impl AsContextMut<Data = T>,
        ty: FuncType,
        func: impl Fn(Caller<'_, T>, &[Val], &mut [Val]) -> Result<()> + Send + Sync + 'static,
    ) -> Func {
        let host = host_from_vals(ty.clone(), func);
        Func::from_host(store.as_context_mut(), ty, host)
    }

    pub(crate) fn from_host<T>(store: &mut Store<T>, ty: FuncType, host: HostFunc<T>) -> Func {
        store.host_funcs.push(host);
        let index = store.host_funcs.len() as u32 - 1;
        let type_id = match store.inner.engine.func_type_id(&ty) {
            Ok(id) => id,
            Err(e) => panic!("Func::new with a type of another engine: {e}"),
        };
        let index = store.inner.push_func(FuncEntity {
            type_id,
            code: 0,
            #[cfg(weft_compiler)]
            calls: 0,
            #[cfg(weft_compiler)]
            loops: 0,
            ty,
            kind: FuncKind::Host { index },
        });
        Func {
            store: store.inner.id,
            index,
        }
    }

    pub(crate) fn check(&self, store_id: StoreId) -> Result<()> {
        if self.store == store_id {
            Ok(())
        } else {
            Err(ErrorKind::WrongStore.into())
        }
    }

    /// The function's type.
    ///
    /// # Panics
    /// If `store` does not own this function.
    pub fn ty(&self, store: impl AsContext) -> FuncType {
        let store = store.as_context();
        assert_eq!(self.store, store.inner.id, "Func used with the wrong store");
        let f = &store.inner.funcs[self.index as usize];
        match f.kind {
            // The registered type: typed references as declared (the
            // entity's is the interpreter's shape of it).
            FuncKind::Wasm { .. } => {
                FuncType::registered(store.inner.engine.type_registry(), f.type_id)
            }
            _ => f.ty.clone(),
        }
    }

    /// Calls the function with `params`, writing its results to `results`.
    ///
    /// # Errors
    /// A type mismatch if the number or types of `params` or the length of
    /// `results` do not match the function type; a wrong-store error; a
    /// [`Trap`](crate::Trap) if execution traps; or the error a host
    /// function returned.
    pub fn call(
        &self,
        mut store: impl AsContextMut,
        params: &[Val],
        results: &mut [Val],
    ) -> Result<()> {
        let store = store.as_context_mut();
        self.check(store.inner.id)?;
        let ty = store.inner.funcs[self.index as usize].ty.clone();
        if params.len() != ty.params().len() {
            return Err(Error::type_mismatch(alloc::format!(
                "function {ty} expects {} arguments, got {}",
                ty.params().len(),
                params.len()
            )));
        }
        if results.len() != ty.results().len() {
            return Err(Error::type_mismatch(alloc::format!(
                "function {ty} returns {} values, got room for {}",
                ty.results().len(),
                results.len()
            )));
        }
        let n = slot_count(ty.params()).max(slot_count(ty.results()));
        let mut slots = alloc::vec![0u64; n];
        vals_to_slots(params, ty.params(), &mut slots, store.inner.id, "argument")?;
        if ty.params().iter().any(ValType::is_ref) {
            // The shape says `funcref` for `(ref $t)`: check typed
            // references against the registered type.
            let precise = self.ty(&*store);
            check_precise(store, params, precise.params(), "argument")?;
        }
        exec::call(store, self.index, &mut slots)?;
        let scope = RefScope::of(&store.inner);
        for (r, v) in results
            .iter_mut()
            .zip(vals_from_slots(&slots, ty.results(), scope))
        {
            *r = v;
        }
        Ok(())
    }

    /// This function with a static Rust signature, for fast calls.
    ///
    /// # Errors
    /// A type mismatch if `Params`/`Results` do not match the function type.
    pub fn typed<Params: WasmParams, Results: WasmResults>(
        &self,
        store: impl AsContext,
    ) -> Result<TypedFunc<Params, Results>> {
        let ty = {
            let store = store.as_context();
            self.check(store.inner.id)?;
            self.ty(store)
        };
        // Arguments of the Rust types must be values of the parameter
        // types, and results values of the Rust types (so a `funcref`
        // argument does not pass for a `(ref $t)` parameter).
        let (params, results) = (Params::types(), Results::types());
        let fits = |from: &[ValType], to: &[ValType]| {
            from.len() == to.len() && from.iter().zip(to).all(|(f, t)| f.matches(t))
        };
        if !fits(&params, ty.params()) || !fits(ty.results(), &results) {
            return Err(Error::type_mismatch(alloc::format!(
                "function has type {ty}, requested {}",
                FuncType::new(Params::types(), Results::types())
            )));
        }
        Ok(TypedFunc {
            func: *self,
            _marker: PhantomData,
        })
    }
}

/// Builds a store-level host function from a `Val`-based closure.
pub(crate) fn host_from_vals<T: 'static>(
    ty: FuncType,
    func: impl Fn(Caller<'_, T>, &[Val], &mut [Val]) -> Result<()> + Send + Sync + 'static,
) -> HostFunc<T> {
    Arc::new(move |caller: Caller<'_, T>, slots: &mut [u64]| {
        let scope = RefScope::of(&caller.store.inner);
        let id = scope.id();
        let params: Vec<Val> = vals_from_slots(slots, ty.params(), scope).collect();
        let mut results: Vec<Val> = ty.results().iter().map(Val::default_for).collect();
        let Caller { store, instance } = caller;
        func(
            Caller {
                store: &mut *store,
                instance,
            },
            &params,
            &mut results,
        )?;
        check_precise(store, &results, ty.results(), "host function result")?;
        vals_to_slots(&results, ty.results(), slots, id, "host function result")
    })
}

/// Checks `vals` against the typed references among `types` (concrete or
/// non-null ones, which [`vals_to_slots`]' shape check does not settle).
pub(crate) fn check_precise<T>(
    store: &Store<T>,
    vals: &[Val],
    types: &[ValType],
    what: &str,
) -> Result<()> {
    for (i, (v, t)) in vals.iter().zip(types).enumerate() {
        let Some(r) = t.as_ref() else { continue };
        if r.is_nullable() && !r.heap_type().is_concrete() {
            continue; // settled by the shape check
        }
        if !v.matches_ty(store, t)? {
            return Err(Error::type_mismatch(alloc::format!(
                "{what} {i}: expected {t}, got {}",
                v.describe()
            )));
        }
    }
    Ok(())
}

/// What a host function sees of the store while it runs: the host data,
/// the calling instance's exports, and the store for nested calls.
///
/// ```
/// use weft::{Caller, Engine, Func, Store};
/// let engine = Engine::default();
/// let mut store = Store::new(&engine, 0u32);
/// let count = Func::wrap(&mut store, |mut caller: Caller<'_, u32>| { *caller.data_mut() += 1; });
/// count.call(&mut store, &[], &mut [])?;
/// assert_eq!(*store.data(), 1);
/// # Ok::<(), weft::Error>(())
/// ```
pub struct Caller<'a, T> {
    pub(crate) store: &'a mut Store<T>,
    pub(crate) instance: Option<u32>,
}

impl<T> Caller<'_, T> {
    /// The host data.
    pub fn data(&self) -> &T {
        &self.store.data
    }

    /// The host data, mutably.
    pub fn data_mut(&mut self) -> &mut T {
        &mut self.store.data
    }

    /// An export of the instance whose code called this host function
    /// (`None` if the host called it directly, or no such export).
    pub fn get_export(&mut self, name: &str) -> Option<Extern> {
        let inst = self.instance?;
        let index = *self.store.inner.instances[inst as usize]
            .exports
            .get(name)?;
        Some(Extern::from_index(&self.store.inner, index))
    }

    /// The engine.
    pub fn engine(&self) -> &crate::Engine {
        &self.store.inner.engine
    }

    /// The store's epoch deadline, for a host function that may block
    /// (see [`EpochDeadline`](crate::EpochDeadline)): `Some` if
    /// [`Config::epoch_interruption`](crate::Config::epoch_interruption)
    /// is on, [`Store::set_epoch_deadline`] has set a deadline, and no
    /// [`Store::epoch_deadline_callback`] is installed (the callback needs
    /// the store, which the host function holds; with one, a blocking host
    /// function runs to its end and the callback is asked at the next
    /// check in Wasm code).
    pub fn epoch_deadline(&self) -> Option<crate::EpochDeadline> {
        self.store.inner.blocking_deadline()
    }
}

impl<T> AsContext for Caller<'_, T> {
    type Data = T;
    fn as_context(&self) -> &Store<T> {
        self.store
    }
}

impl<T> AsContextMut for Caller<'_, T> {
    fn as_context_mut(&mut self) -> &mut Store<T> {
        self.store
    }
}

/// A function with a static signature: `Params` is `()`, a single Wasm
/// type or a tuple; `Results` likewise.
///
/// ```
/// let engine = weft::Engine::default();
/// let module = weft::Module::new(&engine, r#"(module (func (export "sq") (param i64) (result i64)
///     local.get 0 local.get 0 i64.mul))"#)?;
/// let mut store = weft::Store::new(&engine, ());
/// let instance = weft::Instance::new(&mut store, &module, &[])?;
/// let sq = instance.get_typed_func::<i64, i64>(&mut store, "sq")?;
/// assert_eq!(sq.call(&mut store, 12)?, 144);
/// # Ok::<(), weft::Error>(())
/// ```
pub struct TypedFunc<Params, Results> {
    func: Func,
    _marker: PhantomData<fn(Params) -> Results>,
}

impl<Params, Results> core::fmt::Debug for TypedFunc<Params, Results> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("TypedFunc")
            .field("func", &self.func)
            .finish()
    }
}

impl<Params, Results> Clone for TypedFunc<Params, Results> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<Params, Results> Copy for TypedFunc<Params, Results> {}

impl<Params: WasmParams, Results: WasmResults> TypedFunc<Params, Results> {
    /// Calls the function.
    ///
    /// # Errors
    /// A [`Trap`](crate::Trap), an error from a host function, or a
    /// wrong-store error.
    pub fn call(&self, mut store: impl AsContextMut, params: Params) -> Result<Results> {
        let store = store.as_context_mut();
        self.func.check(store.inner.id)?;
        let id = store.inner.id;
        let mut buf = [0u64; 16];
        let n = Params::SLOTS.max(Results::SLOTS);
        let mut heap;
        let slots: &mut [u64] = if n <= buf.len() {
            &mut buf[..n]
        } else {
            heap = alloc::vec![0u64; n];
            &mut heap
        };
        params.store_bits(slots, id)?;
        exec::call(store, self.func.index, slots)?;
        Ok(Results::load_bits(slots, RefScope::of(&store.inner)))
    }

    /// The untyped function.
    pub fn func(&self) -> Func {
        self.func
    }
}

/// A Rust type that is a Wasm value type: `i32`/`u32` (`i32`),
/// `i64`/`u64` (`i64`), `f32`, `f64`, [`V128`](crate::V128),
/// `Option<Func>` (`funcref`) and `Option<ExternRef>` (`externref`).
pub trait WasmTy: Sized + Send + 'static {
    /// The Wasm type.
    fn valtype() -> ValType;
    /// Slots the value takes when passed: 2 for a `v128`, else 1.
    #[doc(hidden)]
    const SLOTS: usize = 1;
    /// The value in `slots[..Self::SLOTS]`.
    #[doc(hidden)]
    fn load(slots: &[u64], scope: RefScope) -> Self;
    /// Writes the value to `slots[..Self::SLOTS]`, checking that a
    /// reference belongs to `store`.
    #[doc(hidden)]
    fn store(self, slots: &mut [u64], store: StoreId) -> Result<()>;
}

macro_rules! wasm_ty {
    ($t:ty, $vt:ident, |$b:ident| $from:expr, |$v:ident| $into:expr) => {
        impl WasmTy for $t {
            fn valtype() -> ValType {
                ValType::$vt
            }
            fn load(slots: &[u64], _scope: RefScope) -> Self {
                let $b = slots[0];
                $from
            }
            fn store(self, slots: &mut [u64], _store: StoreId) -> Result<()> {
                let $v = self;
                slots[0] = $into;
                Ok(())
            }
        }
    };
}
wasm_ty!(i32, I32, |b| b as u32 as i32, |v| u64::from(v as u32));
wasm_ty!(u32, I32, |b| b as u32, |v| u64::from(v));
wasm_ty!(i64, I64, |b| b as i64, |v| v as u64);
wasm_ty!(u64, I64, |b| b, |v| v);
wasm_ty!(f32, F32, |b| f32::from_bits(b as u32), |v| u64::from(
    v.to_bits()
));
wasm_ty!(f64, F64, |b| f64::from_bits(b), |v| v.to_bits());

impl WasmTy for crate::V128 {
    fn valtype() -> ValType {
        ValType::V128
    }
    const SLOTS: usize = 2;
    fn load(slots: &[u64], _scope: RefScope) -> Self {
        crate::V128::from(u128::from(slots[0]) | u128::from(slots[1]) << 64)
    }
    fn store(self, slots: &mut [u64], _store: StoreId) -> Result<()> {
        let v = self.as_u128();
        slots[0] = v as u64;
        slots[1] = (v >> 64) as u64;
        Ok(())
    }
}

impl WasmTy for Option<Func> {
    fn valtype() -> ValType {
        ValType::FUNCREF
    }
    fn load(slots: &[u64], scope: RefScope) -> Self {
        scope.func(slots[0])
    }
    fn store(self, slots: &mut [u64], store: StoreId) -> Result<()> {
        slots[0] = Val::FuncRef(self).to_bits(store)?;
        Ok(())
    }
}

impl WasmTy for Option<ExternRef> {
    fn valtype() -> ValType {
        ValType::EXTERNREF
    }
    fn load(slots: &[u64], scope: RefScope) -> Self {
        scope.extern_ref(slots[0])
    }
    fn store(self, slots: &mut [u64], store: StoreId) -> Result<()> {
        slots[0] = Val::ExternRef(self).to_bits(store)?;
        Ok(())
    }
}

/// `anyref` (GC proposal): a struct, an array, an `i31` or an internalized
/// host reference.
impl WasmTy for Option<crate::AnyRef> {
    fn valtype() -> ValType {
        ValType::ANYREF
    }
    fn load(slots: &[u64], scope: RefScope) -> Self {
        scope.any_ref(slots[0])
    }
    fn store(self, slots: &mut [u64], store: StoreId) -> Result<()> {
        slots[0] = Val::AnyRef(self).to_bits(store)?;
        Ok(())
    }
}

macro_rules! wasm_ty_gc {
    ($($t:ident: $vt:ident, $doc:literal;)*) => {$(
        #[doc = $doc]
        impl WasmTy for Option<crate::$t> {
            fn valtype() -> ValType {
                ValType::$vt
            }
            fn load(slots: &[u64], scope: RefScope) -> Self {
                // The typed view's check makes the value one of `$vt`.
                scope.any_ref(slots[0]).map(crate::$t)
            }
            fn store(self, slots: &mut [u64], store: StoreId) -> Result<()> {
                slots[0] = Val::AnyRef(self.map(|r| r.0)).to_bits(store)?;
                Ok(())
            }
        }
    )*};
}
wasm_ty_gc! {
    EqRef: EQREF, "`eqref` (GC proposal): a struct, an array or an `i31`.";
    StructRef: STRUCTREF, "`structref` (GC proposal).";
    ArrayRef: ARRAYREF, "`arrayref` (GC proposal).";
}

/// Parameters of a typed call or host function: `()`, a [`WasmTy`], or a
/// tuple of them.
pub trait WasmParams: Sized + Send + 'static {
    /// Number of values.
    const COUNT: usize;
    /// Slots the values take (a `v128` takes two).
    #[doc(hidden)]
    const SLOTS: usize;
    /// The Wasm types, in order.
    fn types() -> Vec<ValType>;
    #[doc(hidden)]
    fn store_bits(self, slots: &mut [u64], store: StoreId) -> Result<()>;
    #[doc(hidden)]
    fn load_bits(slots: &[u64], scope: RefScope) -> Self;
}

/// Results of a typed call or host function (same shapes as [`WasmParams`]).
pub trait WasmResults: WasmParams {}
impl<T: WasmParams> WasmResults for T {}

impl<A: WasmTy> WasmParams for A {
    const COUNT: usize = 1;
    const SLOTS: usize = A::SLOTS;
    fn types() -> Vec<ValType> {
        alloc::vec![A::valtype()]
    }
    fn store_bits(self, slots: &mut [u64], store: StoreId) -> Result<()> {
        self.store(slots, store)
    }
    fn load_bits(slots: &[u64], scope: RefScope) -> Self {
        A::load(slots, scope)
    }
}

macro_rules! tuple_params {
    ($n:expr; $($t:ident $i:tt),*) => {
        impl<$($t: WasmTy),*> WasmParams for ($($t,)*) {
            const COUNT: usize = $n;
            const SLOTS: usize = 0 $(+ $t::SLOTS)*;
            fn types() -> Vec<ValType> {
                alloc::vec![$($t::valtype()),*]
            }
            #[allow(unused_variables, unused_mut, unused_assignments)]
            fn store_bits(self, slots: &mut [u64], store: StoreId) -> Result<()> {
                let mut at = 0;
                $(
                    self.$i.store(&mut slots[at..], store)?;
                    at += $t::SLOTS;
                )*
                Ok(())
            }
            #[allow(unused_variables, unused_mut, unused_assignments, clippy::unused_unit, non_snake_case)]
            fn load_bits(slots: &[u64], scope: RefScope) -> Self {
                let mut at = 0;
                $(
                    let $t = $t::load(&slots[at..], scope);
                    at += $t::SLOTS;
                )*
                ($($t,)*)
            }
        }
    };
}
tuple_params!(0;);
tuple_params!(1; A 0);
tuple_params!(2; A 0, B 1);
tuple_params!(3; A 0, B 1, C 2);
tuple_params!(4; A 0, B 1, C 2, D 3);
tuple_params!(5; A 0, B 1, C 2, D 3, E 4);
tuple_params!(6; A 0, B 1, C 2, D 3, E 4, F 5);
tuple_params!(7; A 0, B 1, C 2, D 3, E 4, F 5, G 6);
tuple_params!(8; A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7);
tuple_params!(9; A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8);
tuple_params!(10; A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8, J 9);
tuple_params!(11; A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8, J 9, K 10);
tuple_params!(12; A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8, J 9, K 10, L 11);

/// What a host closure may return: its results (`()`, a [`WasmTy`] such
/// as `i32`, or a tuple of them), or those results in a `Result` whose
/// error is a [`weft::Error`](Error), an `anyhow::Error` (with `std`; so
/// `anyhow::Result<i32>` works, and `?` on any `std::error::Error` inside
/// the closure), or a `Box<dyn std::error::Error + Send + Sync>`. An error
/// fails the Wasm call that called the host function with it (see
/// [`Error::downcast_ref`] to get it back).
///
/// Anything else is refused at compile time with a message that lists
/// these:
///
/// ```compile_fail
/// let mut store = weft::Store::new(&weft::Engine::default(), ());
/// // A `String` error is not one of the accepted error types.
/// weft::Func::wrap(&mut store, || -> Result<i32, String> { Ok(1) });
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be returned by a host function",
    label = "the closure's return type must be Wasm results or a `Result` of them",
    note = "a host closure returns `()`, an `i32`/`u32`/`i64`/`u64`/`f32`/`f64`/`V128`/`Option<Func>`/`Option<ExternRef>`, a tuple of those, or a `Result` of any of these with error `weft::Error`, `anyhow::Error` or `Box<dyn std::error::Error + Send + Sync>`"
)]
pub trait WasmRet {
    /// The result values.
    type Results: WasmResults;
    #[doc(hidden)]
    fn into_result(self) -> Result<Self::Results>;
}

impl<R: WasmResults> WasmRet for R {
    type Results = R;
    fn into_result(self) -> Result<R> {
        Ok(self)
    }
}

impl<R: WasmResults> WasmRet for Result<R, Error> {
    type Results = R;
    fn into_result(self) -> Result<R> {
        self
    }
}

#[cfg(feature = "std")]
impl<R: WasmResults> WasmRet for Result<R, anyhow::Error> {
    type Results = R;
    fn into_result(self) -> Result<R> {
        self.map_err(Error::from)
    }
}

impl<R: WasmResults> WasmRet
    for Result<R, alloc::boxed::Box<dyn core::error::Error + Send + Sync>>
{
    type Results = R;
    fn into_result(self) -> Result<R> {
        self.map_err(|e| ErrorKind::Host(e).into())
    }
}

/// A Rust closure usable as a host function (see [`Func::wrap`] and
/// [`Linker::func_wrap`](crate::Linker::func_wrap)).
#[diagnostic::on_unimplemented(
    message = "this closure cannot be a host function",
    label = "not usable as a host function",
    note = "a host function is `Fn([Caller<'_, T>,] params...) -> R + Send + Sync + 'static` where each parameter is `i32`, `u32`, `i64`, `u64`, `f32`, `f64`, `V128`, `Option<Func>` or `Option<ExternRef>` (at most 10), the optional leading `Caller` has the store's data type `T`, and `R` is `()`, one such type, a tuple of them, or a `Result` of those with error `weft::Error`, `anyhow::Error` or `Box<dyn std::error::Error + Send + Sync>`"
)]
pub trait IntoFunc<T, Params, Results>: Send + Sync + 'static {
    #[doc(hidden)]
    fn into_func(self) -> (FuncType, HostFunc<T>);
}

/// Marker for closures that take a leading [`Caller`].
#[doc(hidden)]
pub struct WithCaller<P>(PhantomData<P>);

macro_rules! into_func {
    ($($t:ident $i:tt),*) => {
        impl<T, F, R, $($t: WasmTy),*> IntoFunc<T, ($($t,)*), R> for F
        where
            F: Fn($($t),*) -> R + Send + Sync + 'static,
            R: WasmRet,
        {
            #[allow(unused_variables, unused_mut, unused_assignments, non_snake_case)]
            fn into_func(self) -> (FuncType, HostFunc<T>) {
                let ty = FuncType::new(alloc::vec![$($t::valtype()),*], R::Results::types());
                let host: HostFunc<T> = Arc::new(move |caller: Caller<'_, T>, slots: &mut [u64]| {
                    let scope = RefScope::of(&caller.store.inner);
                    let id = scope.id();
                    let mut at = 0;
                    $(
                        let $t = $t::load(&slots[at..], scope);
                        at += $t::SLOTS;
                    )*
                    let r = (self)($($t),*).into_result()?;
                    r.store_bits(slots, id)
                });
                (ty, host)
            }
        }

        impl<T, F, R, $($t: WasmTy),*> IntoFunc<T, WithCaller<($($t,)*)>, R> for F
        where
            F: Fn(Caller<'_, T>, $($t),*) -> R + Send + Sync + 'static,
            R: WasmRet,
        {
            #[allow(unused_variables, unused_mut, unused_assignments, non_snake_case)]
            fn into_func(self) -> (FuncType, HostFunc<T>) {
                let ty = FuncType::new(alloc::vec![$($t::valtype()),*], R::Results::types());
                let host: HostFunc<T> = Arc::new(move |caller: Caller<'_, T>, slots: &mut [u64]| {
                    let scope = RefScope::of(&caller.store.inner);
                    let id = scope.id();
                    let mut at = 0;
                    $(
                        let $t = $t::load(&slots[at..], scope);
                        at += $t::SLOTS;
                    )*
                    let r = (self)(caller, $($t),*).into_result()?;
                    r.store_bits(slots, id)
                });
                (ty, host)
            }
        }
    };
}
into_func!();
into_func!(A1 0);
into_func!(A1 0, A2 1);
into_func!(A1 0, A2 1, A3 2);
into_func!(A1 0, A2 1, A3 2, A4 3);
into_func!(A1 0, A2 1, A3 2, A4 3, A5 4);
into_func!(A1 0, A2 1, A3 2, A4 3, A5 4, A6 5);
into_func!(A1 0, A2 1, A3 2, A4 3, A5 4, A6 5, A7 6);
into_func!(A1 0, A2 1, A3 2, A4 3, A5 4, A6 5, A7 6, A8 7);
into_func!(A1 0, A2 1, A3 2, A4 3, A5 4, A6 5, A7 6, A8 7, A9 8);
into_func!(A1 0, A2 1, A3 2, A4 3, A5 4, A6 5, A7 6, A8 7, A9 8, A10 9);
