//! The public API objects: store, functions, instances, linker, memories,
//! tables, globals and values. Internals live in `vm`; execution in `exec`.

pub(crate) mod exception;
pub(crate) mod externs;
pub(crate) mod func;
pub(crate) mod gc_objects;
pub(crate) mod gc_refs;
pub(crate) mod global;
pub(crate) mod instance;
pub(crate) mod instance_pre;
pub(crate) mod limits;
pub(crate) mod linker;
pub(crate) mod memory;
pub(crate) mod ptr;
pub(crate) mod rooting;
pub(crate) mod shared_memory;
pub(crate) mod store;
pub(crate) mod table;
pub(crate) mod val;
