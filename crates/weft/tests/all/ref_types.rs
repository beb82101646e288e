//! Typed references in the API (`ValType::Ref(RefType)`, `HeapType`):
//! modules' imports, exports, globals, tables and functions show their
//! declared reference types (non-null, concrete), the host can declare
//! them, and every way a value enters Wasm through the API checks them
//! precisely (a struct of another type or a null never reaches code that
//! assumes a `(ref $t)`).

use weft::{
    AnyRef, Config, Engine, ExternType, FieldType, Func, FuncType, Global, GlobalType, HeapType,
    Instance, Linker, Module, Mutability, RefType, StorageType, Store, StructType, Table,
    TableType, Tag, TagType, Val, ValType,
};

fn gc_engine() -> Engine {
    let mut config = Config::new();
    config.wasm_gc(true);
    Engine::new(&config).unwrap()
}

const TYPED: &str = r#"(module
    (type $s (struct (field i32)))
    (type $t (struct (field i64)))
    (type $f (func (param (ref $s)) (result i32)))
    (global $g (export "g") (mut (ref null $s)) (ref.null $s))
    (global (export "nn") (mut (ref $s)) (struct.new $s (i32.const 5)))
    (table (export "tab") 2 (ref null $f))
    (func $get (export "get") (type $f) (struct.get $s 0 (local.get 0)))
    (func (export "read_g") (result i32) (struct.get $s 0 (global.get $g)))
    (func (export "anyf") (param (ref null func)) (result i32) (i32.const 0))
    (func (export "new_t") (result (ref $t)) (struct.new $t (i64.const 9))))"#;

fn s_type(engine: &Engine) -> StructType {
    StructType::new(
        engine,
        [FieldType::new(
            Mutability::Const,
            StorageType::Val(ValType::I32),
        )],
    )
    .unwrap()
}

#[test]
fn module_types_show_declared_reference_types() {
    let engine = gc_engine();
    let module = Module::new(&engine, TYPED).unwrap();
    let s = s_type(&engine);
    let ty = |name: &str| module.exports().find(|e| e.name() == name).unwrap().ty();

    let ExternType::Global(g) = ty("g") else {
        panic!()
    };
    let want = ValType::Ref(RefType::new(true, HeapType::ConcreteStruct(s.clone())));
    assert_eq!(
        g.content(),
        &want,
        "the host's identical struct type is the module's"
    );
    assert!(
        g.content().to_string().starts_with("(ref null $struct"),
        "{g}"
    );
    let ExternType::Global(nn) = ty("nn") else {
        panic!()
    };
    assert!(!nn.content().as_ref().unwrap().is_nullable());

    let ExternType::Func(f) = ty("get") else {
        panic!()
    };
    let param = f.params()[0].as_ref().unwrap();
    assert!(!param.is_nullable());
    assert_eq!(param.heap_type(), &HeapType::ConcreteStruct(s.clone()));
    assert_eq!(f.results(), &[ValType::I32]);

    let ExternType::Table(t) = ty("tab") else {
        panic!()
    };
    let HeapType::ConcreteFunc(ft) = t.element().heap_type() else {
        panic!("{t}")
    };
    assert_eq!(ft, &f, "the table's element type is `get`'s type");
    assert!(t.element().matches(&RefType::FUNCREF));
    assert!(!RefType::FUNCREF.matches(t.element()));

    // Fields of a module's struct type, read through the handle.
    let fields: Vec<FieldType> = s.fields().collect();
    assert_eq!(fields.len(), 1);
    assert_eq!(fields[0].storage(), &StorageType::Val(ValType::I32));

    // Instances show the same types.
    let mut store = Store::new(&engine, ());
    let instance = Instance::new(&mut store, &module, &[]).unwrap();
    let g = instance.get_global(&store, "g").unwrap();
    assert_eq!(g.ty(&store).content(), &want);
    let get = instance.get_func(&store, "get").unwrap();
    assert_eq!(get.ty(&store), f);
}

#[test]
fn recursive_types_have_finite_handles() {
    let engine = gc_engine();
    let module = Module::new(
        &engine,
        r#"(module
            (rec (type $list (struct (field i32) (field (ref null $list)))))
            (type $f (func (param (ref null $f))))
            (global (export "l") (ref null $list) (ref.null $list))
            (func (export "f") (type $f)))"#,
    )
    .unwrap();
    let mut exports = module.exports();
    let ExternType::Global(l) = exports.next().unwrap().ty() else {
        panic!()
    };
    let HeapType::ConcreteStruct(list) = l.content().as_ref().unwrap().heap_type() else {
        panic!()
    };
    let next = list.field(1).unwrap();
    let StorageType::Val(ValType::Ref(r)) = next.storage() else {
        panic!()
    };
    assert_eq!(
        r.heap_type(),
        &HeapType::ConcreteStruct(list.clone()),
        "the field names its own type"
    );
    let ExternType::Func(f) = exports.next().unwrap().ty() else {
        panic!()
    };
    let HeapType::ConcreteFunc(inner) = f.params()[0].as_ref().unwrap().heap_type() else {
        panic!()
    };
    assert_eq!(inner, &f);
    // Display ends (a recursive type is shown by its id).
    assert!(
        f.to_string().starts_with("(func (param (ref null $func"),
        "{f}"
    );
}

#[test]
fn globals_and_tables_check_typed_references_precisely() {
    let engine = gc_engine();
    let module = Module::new(&engine, TYPED).unwrap();
    let mut store = Store::new(&engine, ());
    let instance = Instance::new(&mut store, &module, &[]).unwrap();
    let new_t = instance.get_func(&store, "new_t").unwrap();
    let mut out = [Val::I32(0)];
    new_t.call(&mut store, &[], &mut out).unwrap();
    let t_obj = out[0];

    // A `$t` is not a `$s`: refused, naming both types.
    let g = instance.get_global(&store, "g").unwrap();
    let err = g.set(&mut store, t_obj).unwrap_err();
    assert!(
        err.to_string().contains("expected (ref null $struct"),
        "{err}"
    );
    assert!(err.to_string().contains("anyref"), "{err}");
    // A `$s` made by the host is one.
    let s = s_type(&engine);
    let obj = AnyRef::new_struct(&mut store, &s, &[Val::I32(42)]).unwrap();
    g.set(&mut store, Val::AnyRef(Some(obj))).unwrap();
    let read = instance
        .get_typed_func::<(), i32>(&mut store, "read_g")
        .unwrap();
    assert_eq!(read.call(&mut store, ()).unwrap(), 42);

    // Null is not a `(ref $s)`.
    let nn = instance.get_global(&store, "nn").unwrap();
    let err = nn.set(&mut store, Val::AnyRef(None)).unwrap_err();
    assert!(err.to_string().contains("a null anyref"), "{err}");

    // A table of `(ref null $f)` takes only functions of type `$f`.
    let table = instance.get_table(&store, "tab").unwrap();
    let anyf = instance.get_func(&store, "anyf").unwrap();
    let err = table
        .set(&mut store, 0, Val::FuncRef(Some(anyf)))
        .unwrap_err();
    assert!(err.to_string().contains("table element"), "{err}");
    let get = instance.get_func(&store, "get").unwrap();
    table.set(&mut store, 0, Val::FuncRef(Some(get))).unwrap();
    let err = table
        .grow(&mut store, 1, Val::FuncRef(Some(anyf)))
        .unwrap_err();
    assert!(err.to_string().contains("table initial value"), "{err}");

    // Host-made globals and tables of typed references.
    let non_null_s = ValType::Ref(RefType::new(false, HeapType::ConcreteStruct(s.clone())));
    let ty = GlobalType::new(non_null_s.clone(), Mutability::Var);
    let err = Global::new(&mut store, ty.clone(), Val::AnyRef(None)).unwrap_err();
    assert!(err.to_string().contains("global initial value"), "{err}");
    let err = Global::new(&mut store, ty.clone(), t_obj).unwrap_err();
    assert!(err.to_string().contains("global initial value"), "{err}");
    let host_g = Global::new(&mut store, ty.clone(), Val::AnyRef(Some(obj))).unwrap();
    assert_eq!(host_g.ty(&store), ty);
    let f_ref = RefType::new(true, HeapType::ConcreteFunc(get.ty(&store)));
    let host_t = Table::new(
        &mut store,
        TableType::new(f_ref.clone(), 1, None),
        Val::FuncRef(None),
    );
    let host_t = host_t.unwrap();
    assert_eq!(host_t.ty(&store).element(), &f_ref);
    assert!(host_t.set(&mut store, 0, Val::FuncRef(Some(anyf))).is_err());
}

#[test]
fn calls_check_typed_references_precisely() {
    let engine = gc_engine();
    let module = Module::new(&engine, TYPED).unwrap();
    let mut store = Store::new(&engine, ());
    let instance = Instance::new(&mut store, &module, &[]).unwrap();
    let get = instance.get_func(&store, "get").unwrap();
    let new_t = instance.get_func(&store, "new_t").unwrap();
    let mut out = [Val::I32(0)];
    new_t.call(&mut store, &[], &mut out).unwrap();
    let t_obj = out[0];

    // `get` takes a `(ref $s)`: a `$t` or null is refused before the
    // call, never read as a `$s`.
    let err = get.call(&mut store, &[t_obj], &mut out).unwrap_err();
    assert!(err.to_string().contains("argument 0"), "{err}");
    let err = get
        .call(&mut store, &[Val::AnyRef(None)], &mut out)
        .unwrap_err();
    assert!(err.to_string().contains("argument 0"), "{err}");
    let s = s_type(&engine);
    let obj = AnyRef::new_struct(&mut store, &s, &[Val::I32(7)]).unwrap();
    get.call(&mut store, &[Val::AnyRef(Some(obj))], &mut out)
        .unwrap();
    assert_eq!(out[0], Val::I32(7));

    // A typed view must not let a wider Rust type in: `Option<Func>` is
    // `funcref`, not `(ref null $f)`.
    let anyf = instance.get_func(&store, "anyf").unwrap();
    assert!(anyf.typed::<Option<Func>, i32>(&store).is_ok());
    let takes_f = Module::new(
        &engine,
        r#"(module (type $f (func))
            (func (export "h") (param (ref null $f)) (result i32) (i32.const 1)))"#,
    )
    .unwrap();
    let other = Instance::new(&mut store, &takes_f, &[]).unwrap();
    let h = other.get_func(&store, "h").unwrap();
    let err = h.typed::<Option<Func>, i32>(&store).err().unwrap();
    assert!(err.to_string().contains("requested"), "{err}");
}

#[test]
fn host_functions_declare_and_return_typed_references() {
    let engine = gc_engine();
    let s = s_type(&engine);
    let ref_s = ValType::Ref(RefType::new(false, HeapType::ConcreteStruct(s.clone())));
    let importer = Module::new(
        &engine,
        r#"(module
            (type $s (struct (field i32)))
            (import "host" "make" (func $make (param i32) (result (ref $s))))
            (func (export "run") (param i32) (result i32)
                (struct.get $s 0 (call $make (local.get 0)))))"#,
    )
    .unwrap();
    let mut store = Store::new(&engine, ());
    let t = StructType::new(
        &engine,
        [FieldType::new(
            Mutability::Var,
            StorageType::Val(ValType::I64),
        )],
    )
    .unwrap();
    let (s2, t2) = (s.clone(), t.clone());
    let make = Func::new(
        &mut store,
        FuncType::new([ValType::I32], [ref_s.clone()]),
        move |mut caller, args, out| {
            out[0] = Val::AnyRef(Some(match args[0] {
                Val::I32(0) => AnyRef::new_struct(&mut caller, &t2, &[Val::I64(1)])?,
                Val::I32(v) => AnyRef::new_struct(&mut caller, &s2, &[Val::I32(v)])?,
                _ => unreachable!(),
            }));
            Ok(())
        },
    );
    let instance = Instance::new(&mut store, &importer, &[make.into()]).unwrap();
    let run = instance
        .get_typed_func::<i32, i32>(&mut store, "run")
        .unwrap();
    assert_eq!(run.call(&mut store, 5).unwrap(), 5);
    // The host returning a `$t` where it declared `(ref $s)` is an error
    // at the call, not a `$t` read as a `$s`.
    let err = run.call(&mut store, 0).unwrap_err();
    assert!(err.to_string().contains("host function result 0"), "{err}");

    // A host function declared with `anyref` does not link to an import
    // of `(ref $s)`: the error names both types.
    let loose = Func::new(
        &mut store,
        FuncType::new([ValType::I32], [ValType::ANYREF]),
        |_, _, _| Ok(()),
    );
    let err = Instance::new(&mut store, &importer, &[loose.into()]).unwrap_err();
    let msg = err.to_string();
    assert!(
        msg.contains("anyref") && msg.contains("(ref $struct"),
        "{msg}"
    );

    // Through a linker, by name.
    let mut linker = Linker::new(&engine);
    linker.define(&store, "host", "make", make).unwrap();
    assert!(linker.instantiate(&mut store, &importer).is_ok());
}

#[test]
fn types_of_another_engine_are_errors() {
    let engine = gc_engine();
    let elsewhere = gc_engine();
    let theirs = s_type(&elsewhere);
    let mut store = Store::new(&engine, ());
    let ty = ValType::Ref(RefType::new(true, HeapType::ConcreteStruct(theirs.clone())));
    let err = Global::new(
        &mut store,
        GlobalType::new(ty.clone(), Mutability::Var),
        Val::AnyRef(None),
    )
    .unwrap_err();
    assert!(err.to_string().contains("another engine"), "{err}");
    let err = Tag::new(&mut store, TagType::new([ty.clone()])).unwrap_err();
    assert!(err.to_string().contains("another engine"), "{err}");
    let err = StructType::new(
        &engine,
        [FieldType::new(Mutability::Const, StorageType::Val(ty))],
    )
    .unwrap_err();
    assert!(err.to_string().contains("another engine"), "{err}");
    // Equal definitions in two engines are not the same type.
    assert_ne!(theirs, s_type(&engine));
    assert!(!theirs.is_subtype_of(&s_type(&engine)));
}

#[test]
fn typed_handles_downcast_read_and_write() {
    let engine = gc_engine();
    let module = Module::new(
        &engine,
        r#"(module
            (type $s (sub (struct (field (mut i32)))))
            (type $sub (sub final $s (struct (field (mut i32)))))
            (type $a (array (mut i64)))
            (func (export "make") (param i32) (result anyref)
                (block $b
                  (br_if $b (i32.eqz (local.get 0)))
                  (if (i32.eq (local.get 0) (i32.const 1))
                    (then (return (struct.new $sub (i32.const 11)))))
                  (if (i32.eq (local.get 0) (i32.const 2))
                    (then (return (array.new $a (i64.const 5) (i32.const 3)))))
                  (return (ref.i31 (local.get 0))))
                (ref.null any))
            (func (export "len") (param arrayref) (result i32)
                (array.len (local.get 0)))
            (func (export "first") (param structref) (result i32)
                (struct.get $s 0 (ref.cast (ref $s) (local.get 0)))))"#,
    )
    .unwrap();
    let mut store = Store::new(&engine, ());
    let instance = Instance::new(&mut store, &module, &[]).unwrap();
    let make = instance
        .get_typed_func::<i32, Option<AnyRef>>(&mut store, "make")
        .unwrap();

    // A struct of the subtype: a StructRef whose type is `$sub`, which
    // matches `$s`.
    let obj = make.call(&mut store, 1).unwrap().unwrap();
    assert!(obj.as_array().is_none() && obj.as_i31().is_none());
    let st = obj.as_struct().unwrap();
    let sub_ty = st.ty(&store).unwrap();
    let s = sub_ty.supertype().unwrap();
    assert_ne!(sub_ty, s);
    assert_eq!(s.fields().len(), 1);
    assert!(st.matches_ty(&store, &s).unwrap());
    assert!(sub_ty.is_subtype_of(&s) && !s.is_subtype_of(&sub_ty));
    // The host's identical-looking type is final with no supertype:
    // another type.
    let host_s = StructType::new(
        &engine,
        [FieldType::new(
            Mutability::Var,
            StorageType::Val(ValType::I32),
        )],
    )
    .unwrap();
    assert!(!st.matches_ty(&store, &host_s).unwrap());
    assert!(obj
        .matches_ty(&store, &HeapType::ConcreteStruct(s.clone()))
        .unwrap());
    assert!(obj.matches_ty(&store, &HeapType::Eq).unwrap());
    assert!(!obj.matches_ty(&store, &HeapType::Array).unwrap());
    st.set_field(&mut store, 0, Val::I32(12)).unwrap();
    assert_eq!(st.fields(&mut store).unwrap(), [Val::I32(12)]);
    let err = st.set_field(&mut store, 0, Val::I64(1)).unwrap_err();
    assert!(err.to_string().contains("expected i32"), "{err}");
    assert!(st.field(&mut store, 1).is_err());
    // Typed views pass StructRefs in and out.
    let first = instance
        .get_typed_func::<Option<weft::StructRef>, i32>(&mut store, "first")
        .unwrap();
    assert_eq!(first.call(&mut store, Some(st)).unwrap(), 12);

    // An array.
    let arr = make
        .call(&mut store, 2)
        .unwrap()
        .unwrap()
        .as_array()
        .unwrap();
    assert_eq!(arr.len(&store).unwrap(), 3);
    arr.set(&mut store, 2, Val::I64(-1)).unwrap();
    assert_eq!(
        arr.elems(&mut store).unwrap(),
        [Val::I64(5), Val::I64(5), Val::I64(-1)]
    );
    assert!(arr.get(&mut store, 3).is_err(), "out of bounds");
    let len = instance
        .get_typed_func::<Option<weft::ArrayRef>, i32>(&mut store, "len")
        .unwrap();
    assert_eq!(len.call(&mut store, Some(arr)).unwrap(), 3);
    let HeapType::ConcreteArray(at) = arr.to_anyref().ty(&store).unwrap() else {
        panic!()
    };
    assert_eq!(at, arr.ty(&store).unwrap());
    let pre = weft::ArrayRefPre::new(&mut store, at);
    let host_arr = weft::ArrayRef::new(&mut store, &pre, &Val::I64(0), 4).unwrap();
    assert_eq!(len.call(&mut store, Some(host_arr)).unwrap(), 4);

    // An i31, as an EqRef.
    let small = make.call(&mut store, 5).unwrap().unwrap();
    let eq = small.as_eqref().unwrap();
    assert_eq!(eq.as_i31().map(weft::I31::get_i32), Some(5));
    assert!(eq.as_struct().is_none());
    assert_eq!(small.ty(&store).unwrap(), HeapType::I31);
    // Null.
    assert_eq!(make.call(&mut store, 0).unwrap(), None);

    // A handle used with another store is an error, not a wrong object.
    let mut other = Store::new(&engine, ());
    let err = st.ty(&other).unwrap_err();
    assert!(matches!(err.kind(), weft::ErrorKind::WrongStore), "{err}");
    assert!(st.field(&mut other, 0).is_err());
}

/// As Wasmtime's `Func::new`, a function type naming another engine's
/// type is a programming error: a panic that says so.
#[test]
#[should_panic(expected = "Func::new with a type of another engine")]
fn func_new_with_another_engines_type_panics() {
    let theirs = s_type(&gc_engine());
    let ty = ValType::Ref(RefType::new(true, HeapType::ConcreteStruct(theirs)));
    let mut store = Store::new(&gc_engine(), ());
    Func::new(&mut store, FuncType::new([ty], []), |_, _, _| Ok(()));
}

/// A `StructRefPre`/`ArrayRefPre` belongs to the store it was made for:
/// another store refuses it (`WrongStore`), as it refuses a type of
/// another engine (an error, not a panic).
#[test]
fn allocation_pres_belong_to_their_store() {
    use weft::{ArrayRef, ArrayRefPre, ArrayType, ErrorKind, StructRef, StructRefPre};
    let mut config = Config::new();
    config.wasm_gc(true);
    let engine = Engine::new(&config).unwrap();
    let field = FieldType::new(Mutability::Var, StorageType::Val(ValType::I32));
    let st = StructType::new(&engine, [field.clone()]).unwrap();
    let at = ArrayType::new(&engine, field.clone()).unwrap();
    let mut store = Store::new(&engine, ());
    let mut other = Store::new(&engine, ());
    let spre = StructRefPre::new(&mut store, st.clone());
    let apre = ArrayRefPre::new(&mut store, at.clone());
    assert_eq!(spre.ty(), &st);
    assert_eq!(apre.ty(), &at);
    let s = StructRef::new(&mut store, &spre, &[Val::I32(3)]).unwrap();
    assert_eq!(s.field(&mut store, 0).unwrap(), Val::I32(3));
    let a = ArrayRef::new_fixed(&mut store, &apre, &[Val::I32(1), Val::I32(2)]).unwrap();
    assert_eq!(a.len(&store).unwrap(), 2);
    let wrong = |e: weft::Error| assert!(matches!(e.kind(), ErrorKind::WrongStore), "{e}");
    wrong(StructRef::new(&mut other, &spre, &[Val::I32(3)]).unwrap_err());
    wrong(ArrayRef::new(&mut other, &apre, &Val::I32(0), 1).unwrap_err());
    wrong(ArrayRef::new_fixed(&mut other, &apre, &[]).unwrap_err());
    // A type of another engine: accepted by the Pre, refused at allocation.
    let engine2 = Engine::new(&config).unwrap();
    let foreign = StructType::new(&engine2, [field]).unwrap();
    let fpre = StructRefPre::new(&mut store, foreign);
    let err = StructRef::new(&mut store, &fpre, &[Val::I32(3)]).unwrap_err();
    assert!(err.to_string().contains("engine"), "{err}");
}
