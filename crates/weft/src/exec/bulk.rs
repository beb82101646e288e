//! Bulk memory and table operations, and table access, outside the hot
//! loop (spec 4.4.7 "Memory Instructions", 4.4.6 "Table Instructions").
//! Each returns a trap code on out-of-bounds access.

use crate::trap::TrapCode;
use crate::vm::StoreInner;

type R = Result<(), TrapCode>;

/// The store index of memory `mem` (module index space) of `inst`.
fn mem_index(store: &StoreInner, inst: u32, mem: u32) -> usize {
    store.instances[inst as usize].memories[mem as usize] as usize
}

fn table_index(store: &StoreInner, inst: u32, table: u32) -> usize {
    store.instances[inst as usize].tables[table as usize] as usize
}

/// An index, length or delta operand `raw` (a slot's bits) of instance
/// `inst`'s table `table` as a number: all 64 bits for a 64-bit table, the
/// low 32 for an `i32` one.
pub(crate) fn table_operand(store: &StoreInner, inst: u32, table: u32, raw: u64) -> u64 {
    if store.tables[table_index(store, inst, table)].index64 {
        raw
    } else {
        u64::from(raw as u32)
    }
}

/// What a failed `table.grow` of instance `inst`'s table `table` returns:
/// -1 in the table's index type.
pub(crate) fn table_grow_failed(store: &StoreInner, inst: u32, table: u32) -> u64 {
    if store.tables[table_index(store, inst, table)].index64 {
        u64::MAX
    } else {
        u64::from(u32::MAX)
    }
}

/// `true` if `start..start + len` fits in `size`.
fn in_bounds(start: u64, len: u64, size: usize) -> bool {
    start.checked_add(len).is_some_and(|end| end <= size as u64)
}

pub(crate) fn memory_fill(
    store: &mut StoreInner,
    inst: u32,
    mem: u32,
    dst: u64,
    val: u8,
    len: u64,
) -> R {
    let m = mem_index(store, inst, mem);
    let data = store.memories[m].bytes_mut();
    if !in_bounds(dst, len, data.len()) {
        return Err(TrapCode::MemoryOutOfBounds);
    }
    data[dst as usize..(dst + len) as usize].fill(val);
    Ok(())
}

/// `memory.copy` from memory `src_mem` to `dst_mem` (the same for
/// single-memory modules).
pub(crate) fn memory_copy(
    store: &mut StoreInner,
    inst: u32,
    (dst_mem, src_mem): (u32, u32),
    dst: u64,
    src: u64,
    len: u64,
) -> R {
    let (d, s) = (
        mem_index(store, inst, dst_mem),
        mem_index(store, inst, src_mem),
    );
    if d == s {
        let data = store.memories[d].bytes_mut();
        if !in_bounds(dst, len, data.len()) || !in_bounds(src, len, data.len()) {
            return Err(TrapCode::MemoryOutOfBounds);
        }
        data.copy_within(src as usize..(src + len) as usize, dst as usize);
        return Ok(());
    }
    let [to, from] = store
        .memories
        .get_disjoint_mut([d, s])
        .map_err(|_| TrapCode::MemoryOutOfBounds)?;
    let (to, from) = (to.bytes_mut(), from.bytes());
    if !in_bounds(dst, len, to.len()) || !in_bounds(src, len, from.len()) {
        return Err(TrapCode::MemoryOutOfBounds);
    }
    to[dst as usize..(dst + len) as usize]
        .copy_from_slice(&from[src as usize..(src + len) as usize]);
    Ok(())
}

pub(crate) fn memory_init(
    store: &mut StoreInner,
    inst: u32,
    (mem, seg): (u32, u32),
    dst: u64,
    src: u64,
    len: u64,
) -> R {
    let m = mem_index(store, inst, mem);
    let instance = &store.instances[inst as usize];
    let bytes = instance.data(seg);
    let data = store.memories[m].bytes_mut();
    if !in_bounds(dst, len, data.len()) || !in_bounds(src, len, bytes.len()) {
        return Err(TrapCode::MemoryOutOfBounds);
    }
    data[dst as usize..(dst + len) as usize]
        .copy_from_slice(&bytes[src as usize..(src + len) as usize]);
    Ok(())
}

pub(crate) fn data_drop(store: &mut StoreInner, inst: u32, seg: u32) {
    store.instances[inst as usize].data_dropped[seg as usize] = true;
}

pub(crate) fn table_get(
    store: &StoreInner,
    inst: u32,
    table: u32,
    i: u64,
) -> Result<u64, TrapCode> {
    let t = table_index(store, inst, table);
    store.tables[t]
        .elems
        .get(i as usize)
        .copied()
        .ok_or(TrapCode::TableOutOfBounds)
}

pub(crate) fn table_set(store: &mut StoreInner, inst: u32, table: u32, i: u64, v: u64) -> R {
    let t = table_index(store, inst, table);
    let slot = store.tables[t]
        .elems
        .get_mut(i as usize)
        .ok_or(TrapCode::TableOutOfBounds)?;
    *slot = v;
    Ok(())
}

pub(crate) fn table_size(store: &StoreInner, inst: u32, table: u32) -> u64 {
    store.tables[table_index(store, inst, table)].elems.len() as u64
}

pub(crate) fn table_grow(
    store: &mut StoreInner,
    inst: u32,
    table: u32,
    init: u64,
    delta: u64,
) -> u64 {
    let t = table_index(store, inst, table);
    match store.tables[t].grow(delta, init) {
        Some(old) => old,
        None => table_grow_failed(store, inst, table),
    }
}

pub(crate) fn table_fill(
    store: &mut StoreInner,
    inst: u32,
    table: u32,
    i: u64,
    v: u64,
    len: u64,
) -> R {
    let t = table_index(store, inst, table);
    let elems = &mut store.tables[t].elems;
    if !in_bounds(i, len, elems.len()) {
        return Err(TrapCode::TableOutOfBounds);
    }
    elems[i as usize..(i + len) as usize].fill(v);
    Ok(())
}

pub(crate) fn table_copy(
    store: &mut StoreInner,
    inst: u32,
    dst_table: u32,
    src_table: u32,
    dst: u64,
    src: u64,
    len: u64,
) -> R {
    let dt = table_index(store, inst, dst_table);
    let st = table_index(store, inst, src_table);
    let (dlen, slen) = (store.tables[dt].elems.len(), store.tables[st].elems.len());
    if !in_bounds(dst, len, dlen) || !in_bounds(src, len, slen) {
        return Err(TrapCode::TableOutOfBounds);
    }
    if dt == st {
        store.tables[dt]
            .elems
            .copy_within(src as usize..(src + len) as usize, dst as usize);
    } else {
        let tmp: alloc::vec::Vec<u64> =
            store.tables[st].elems[src as usize..(src + len) as usize].to_vec();
        store.tables[dt].elems[dst as usize..(dst + len) as usize].copy_from_slice(&tmp);
    }
    Ok(())
}

pub(crate) fn table_init(
    store: &mut StoreInner,
    inst: u32,
    table: u32,
    seg: u32,
    dst: u64,
    src: u64,
    len: u64,
) -> R {
    let t = table_index(store, inst, table);
    let instance = &store.instances[inst as usize];
    let items = &instance.elems[seg as usize];
    let elems = &mut store.tables[t].elems;
    if !in_bounds(dst, len, elems.len()) || !in_bounds(src, len, items.len()) {
        return Err(TrapCode::TableOutOfBounds);
    }
    elems[dst as usize..(dst + len) as usize]
        .copy_from_slice(&items[src as usize..(src + len) as usize]);
    Ok(())
}

pub(crate) fn elem_drop(store: &mut StoreInner, inst: u32, seg: u32) {
    store.instances[inst as usize].elems[seg as usize] = alloc::boxed::Box::new([]);
}

/// Loads `size` bytes (little-endian, zero-extended) at `addr` of memory
/// `mem`: the path for memories other than 0, whose base is not cached.
pub(crate) fn load(
    store: &mut StoreInner,
    inst: u32,
    mem: u32,
    addr: u64,
    size: usize,
) -> Result<u64, TrapCode> {
    let m = mem_index(store, inst, mem);
    let data = store.memories[m].bytes();
    if !in_bounds(addr, size as u64, data.len()) {
        return Err(TrapCode::MemoryOutOfBounds);
    }
    let mut raw = [0u8; 8];
    raw[..size].copy_from_slice(&data[addr as usize..addr as usize + size]);
    Ok(u64::from_le_bytes(raw))
}

/// Stores the low `size` bytes of `v` at `addr` of memory `mem`.
pub(crate) fn store(
    store: &mut StoreInner,
    inst: u32,
    mem: u32,
    addr: u64,
    size: usize,
    v: u64,
) -> R {
    let m = mem_index(store, inst, mem);
    let data = store.memories[m].bytes_mut();
    if !in_bounds(addr, size as u64, data.len()) {
        return Err(TrapCode::MemoryOutOfBounds);
    }
    data[addr as usize..addr as usize + size].copy_from_slice(&v.to_le_bytes()[..size]);
    Ok(())
}

/// Reads `size` (at most 16) bytes at `addr` of memory `mem` into the low
/// bytes of a `u128` (little-endian; SIMD accesses).
pub(crate) fn load128(
    store: &mut StoreInner,
    inst: u32,
    mem: u32,
    addr: u64,
    size: usize,
) -> Result<u128, TrapCode> {
    let m = mem_index(store, inst, mem);
    let data = store.memories[m].bytes();
    if size > 16 || !in_bounds(addr, size as u64, data.len()) {
        return Err(TrapCode::MemoryOutOfBounds);
    }
    let mut raw = [0u8; 16];
    raw[..size].copy_from_slice(&data[addr as usize..addr as usize + size]);
    Ok(u128::from_le_bytes(raw))
}

/// Stores the low `size` (at most 16) bytes of `v` at `addr` of memory
/// `mem` (SIMD accesses).
pub(crate) fn store128(
    store: &mut StoreInner,
    inst: u32,
    mem: u32,
    addr: u64,
    size: usize,
    v: u128,
) -> R {
    let m = mem_index(store, inst, mem);
    let data = store.memories[m].bytes_mut();
    if size > 16 || !in_bounds(addr, size as u64, data.len()) {
        return Err(TrapCode::MemoryOutOfBounds);
    }
    data[addr as usize..addr as usize + size].copy_from_slice(&v.to_le_bytes()[..size]);
    Ok(())
}

/// Size in pages of memory `mem`.
pub(crate) fn memory_size(store: &StoreInner, inst: u32, mem: u32) -> u64 {
    store.memories[mem_index(store, inst, mem)].pages()
}

/// An address or length operand for memory `mem`: all 64 bits for a
/// 64-bit memory, the low 32 for a 32-bit one.
pub(crate) fn address(store: &StoreInner, inst: u32, mem: u32, v: u64) -> u64 {
    if store.memories[mem_index(store, inst, mem)].ty.is_64() {
        v
    } else {
        u64::from(v as u32)
    }
}
