//! The store's GC heap: struct and array objects (GC proposal), each a
//! type id and its fields or elements as slots (one per field or element,
//! two for a `v128`; packed `i8` and `i16` ones keep the `i32` they were
//! given, and `struct.get_s/u`, `array.get_s/u` narrow it); thrown
//! exceptions (a tag and its values); and the host data of `externref`s.
//!
//! A reference to struct, array or exception `i` has the bits `OBJ_TAG |
//! ARRAY_BIT? | gen << 32 | i` (`ARRAY_BIT` for an array; `gen` the
//! generation of entry `i`, which changes each time the entry is freed,
//! so a stale reference names no object instead of a newer one); one to
//! host data `gen << 32 | (i + 1)`, below `types::I31_TAG`, so that
//! `anyref` code tells it from the other kinds (see `types::I31_TAG`).
//!
//! Collection is mark and sweep, non-moving, started by an allocation when
//! the heap has grown to twice what was live after the last collection
//! (at least [`MIN_THRESHOLD`]), or when an allocation would pass the
//! heap's limit ([`Config::max_gc_heap_size`](crate::Config::max_gc_heap_size),
//! default [`DEFAULT_MAX_GC_HEAP`] bytes), or, with `Config::gc_zeal`,
//! before every allocation while a collection is cheap (see
//! [`ZEAL_WORK`]). The caller gives the roots
//! (`StoreInner::collect_garbage`: interpreted frames' reference slots by
//! their stack maps, `vm/stack_roots.rs`; compiled frames' slots by
//! theirs, `vm/native_roots.rs`); any root whose bits name a live object
//! keeps it, and bits that name none (null, an `i31`, a freed object, or
//! a word that only looks like a reference) keep nothing. Structs
//! and arrays are scanned by their types ([`Scan`]): only the slots of
//! fields and elements of reference types other than function references
//! are looked at, so an integer field never keeps an object alive and a
//! numeric array costs nothing to mark. Exceptions' values are scanned
//! by their tag's parameter types the same way.

use alloc::boxed::Box;
use alloc::vec::Vec;
use core::any::Any;

use crate::types::registry::TypeId;
use crate::types::I31_TAG;

/// The tag of an object reference's bits (bit 63).
pub(crate) const OBJ_TAG: u64 = 1 << 63;

/// With [`OBJ_TAG`]: the object is an array (bit 62).
pub(crate) const ARRAY_BIT: u64 = 1 << 62;

/// The generation bits of a reference (30 bits, above the index).
pub(crate) const GEN_MASK: u64 = (1 << 30) - 1;

/// The most bytes of objects a store may hold (fields plus a fixed cost
/// per object) unless `Config::max_gc_heap_size` says otherwise: 1 GiB.
/// A guest cannot exhaust the host's memory through the GC heap.
pub(crate) const DEFAULT_MAX_GC_HEAP: usize = 1 << 30;

/// The heap size below which no collection starts: 64 MiB.
pub(crate) const MIN_THRESHOLD: usize = 64 << 20;

/// Under `Config::gc_zeal`, the work (root slots and heap entries
/// looked at) a collection may cost per allocation: one whose work was
/// `w` lets the next `w / ZEAL_WORK` allocations pass without one. Small
/// heaps and shallow stacks (the tests' and nearly all fuzz inputs') so
/// still collect before every allocation, and a program that builds a
/// large heap or recurses deeply runs in time linear in its allocations
/// instead of quadratic (fuzz inputs that took up to a minute take a
/// second or two).
pub(crate) const ZEAL_WORK: usize = 1024;

/// Bytes an object costs beyond its fields (its record and boxing).
const OBJECT_OVERHEAD: usize = 32;

/// Field buffers of freed objects of up to this many slots are kept for
/// new objects of the same size ([`GcHeap::boxed`]) instead of being
/// returned to the allocator: most objects are small, and a program that
/// allocates in a loop then reuses the same few sizes.
const SPARE_MAX_LEN: usize = 32;

/// At most this many slots (4 MiB) are kept in spare buffers.
const SPARE_MAX_SLOTS: usize = 512 << 10;

/// One object.
#[derive(Debug)]
pub(crate) struct GcObject {
    /// Its type's engine-wide id.
    pub(crate) type_id: TypeId,
    /// For an array: the bytes an element takes in a data segment (1, 2,
    /// 4, 8 or 16; a 16-byte `v128` element takes two slots); 0 for a
    /// struct.
    pub(crate) elem_bytes: u8,
    /// Its fields' or elements' slots.
    pub(crate) fields: Box<[u64]>,
}

/// A thrown exception (exception handling proposal).
#[derive(Debug)]
pub(crate) struct ExnObject {
    /// Its tag (a store tag index).
    pub(crate) tag: u32,
    /// The tag's function type (its parameters are the payload's types),
    /// by which the payload is scanned.
    pub(crate) type_id: TypeId,
    /// The values it carries, as slots.
    pub(crate) payload: Box<[u64]>,
    /// Whether an `exnref` to it may exist anywhere (a `catch_ref` or
    /// legacy `catch` kept one, or the host got it): until then, the
    /// handler that catches it is its only user and frees it at once
    /// ([`GcHeap::caught`]), so that throwing and catching in a loop
    /// needs no collection (in compiled code too).
    pub(crate) exposed: bool,
}

/// Host data an `externref` names.
pub(crate) type HostData = Box<dyn Any + Send + Sync>;

/// What a heap entry holds.
enum Object {
    Gc(GcObject),
    Exn(ExnObject),
    Host(HostData),
}

impl core::fmt::Debug for Object {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Object::Gc(o) => o.fmt(f),
            Object::Exn(e) => e.fmt(f),
            Object::Host(_) => f.write_str("HostData"),
        }
    }
}

/// Which slots of a struct or array of some type may name heap objects
/// (fields or elements of a reference type other than function
/// references).
#[derive(Debug, Clone)]
pub(crate) enum Scan {
    /// None (numbers, vectors, packed integers, function references).
    Nothing,
    /// Every slot (an array of references).
    All,
    /// These slots of a struct.
    Slots(Box<[u32]>),
}

/// The heap's entries as compiled code reads them
/// (`compiler/func/gc_slots.rs`), at a fixed address for the heap's life
/// (`VMStoreContext::gc_slots` points here): the first entry and how many
/// there are, updated when the entries grow.
#[repr(C)]
#[derive(Debug)]
#[cfg_attr(not(weft_compiler), allow(dead_code))]
pub(crate) struct SlotsView {
    pub(crate) base: *const u8,
    pub(crate) len: usize,
}

// SAFETY: `base` names the heap's entries, which move between threads
// with the heap, and is only followed by compiled code of the heap's
// store while that store is borrowed by the call running it.
unsafe impl Send for SlotsView {}
// SAFETY: as above.
unsafe impl Sync for SlotsView {}

/// Offsets in an [`Entry`] (`repr(C)`) of what compiled code reads: its
/// struct's or array's first slot, their count, its generation; and the
/// size of an entry.
#[cfg_attr(not(weft_compiler), allow(dead_code))]
pub(crate) const ENTRY_SLOTS: i32 = 0;
#[cfg_attr(not(weft_compiler), allow(dead_code))]
pub(crate) const ENTRY_LEN: i32 = 8;
#[cfg_attr(not(weft_compiler), allow(dead_code))]
pub(crate) const ENTRY_GEN: i32 = 12;
#[cfg_attr(not(weft_compiler), allow(dead_code))]
pub(crate) const ENTRY_SIZE: i64 = core::mem::size_of::<Entry>() as i64;

/// A place for an object. Its first fields are what compiled code reads
/// to reach a struct's fields or an array's elements in place
/// ([`ENTRY_SLOTS`], ...).
#[repr(C)]
#[derive(Debug)]
struct Entry {
    /// The object's first slot if it is a struct or array (its `fields`;
    /// null otherwise).
    slots: *mut u64,
    /// Its fields or elements if it is a struct or array (0 otherwise:
    /// compiled code then calls the runtime, whatever the index).
    len: u32,
    /// Changes when the object in it is freed.
    gen: u32,
    object: Option<Object>,
}

// SAFETY: `slots` names the `fields` buffer of the entry's own object,
// which moves between threads with it.
unsafe impl Send for Entry {}
// SAFETY: as above; it is only written through `&mut GcHeap`.
unsafe impl Sync for Entry {}

/// What a store's garbage collector has done so far
/// ([`Store::gc_stats`](crate::Store::gc_stats)): for judging pause times
/// and heap size. The collector stops the store's Wasm while it runs (mark
/// and sweep, not incremental), so each collection's time is a pause.
///
/// ```
/// let mut config = weft::Config::new();
/// config.wasm_gc(true);
/// let engine = weft::Engine::new(&config)?;
/// let mut store = weft::Store::new(&engine, ());
/// store.gc();
/// let stats = store.gc_stats();
/// assert_eq!(stats.collections, 1);
/// assert_eq!(stats.live_bytes, 0);
/// assert!(stats.max_pause <= stats.total_pause);
/// # Ok::<(), weft::Error>(())
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct GcStats {
    /// Collections run (automatic ones and [`Store::gc`](crate::Store::gc)).
    pub collections: u64,
    /// Bytes of objects the heap holds now (live ones and garbage not yet
    /// collected): 8 per field, element or exception value slot, the size
    /// of `externref` host data, plus 32 per object, as
    /// [`Config::max_gc_heap_size`](crate::Config::max_gc_heap_size)
    /// counts them.
    pub heap_bytes: usize,
    /// Bytes of objects the last collection kept.
    pub live_bytes: usize,
    /// The most bytes the heap has held.
    pub peak_bytes: usize,
    /// All collections' time together (zero without the `std` feature,
    /// which has no clock).
    pub total_pause: core::time::Duration,
    /// The longest collection's time.
    pub max_pause: core::time::Duration,
}

/// A store's objects.
#[derive(Debug)]
pub(crate) struct GcHeap {
    entries: Vec<Entry>,
    /// Where `entries` is, for compiled code.
    view: Box<SlotsView>,
    /// Free entries.
    free: Vec<u32>,
    /// Bytes of live objects (and of garbage not yet collected).
    bytes: usize,
    /// Collect when `bytes` passes this.
    threshold: usize,
    /// `bytes` never passes this: an allocation that would fails.
    limit: usize,
    /// Counts for `Store::gc_stats` (`heap_bytes` is `bytes`).
    pub(crate) stats: GcStats,
    /// By engine type id: how to scan objects of that type (filled in by
    /// collections as they meet types).
    scans: Vec<Option<Scan>>,
    /// Collect before every allocation (`Config::gc_zeal`) that
    /// `zeal_wait` does not let pass.
    pub(crate) zeal: bool,
    /// Allocations still to pass without a zeal collection
    /// ([`ZEAL_WORK`]).
    zeal_wait: usize,
    /// Field buffers of freed objects, by length (below
    /// [`SPARE_MAX_LEN`]), and their slots together.
    spare: Vec<Vec<Box<[u64]>>>,
    spare_slots: usize,
}

impl Default for GcHeap {
    fn default() -> GcHeap {
        GcHeap::new(DEFAULT_MAX_GC_HEAP, false)
    }
}

impl GcHeap {
    /// An empty heap that holds at most `limit` bytes of objects;
    /// `zeal`: collect before every allocation.
    pub(crate) fn new(limit: usize, zeal: bool) -> GcHeap {
        GcHeap {
            entries: Vec::new(),
            view: Box::new(SlotsView {
                base: core::ptr::null(),
                len: 0,
            }),
            free: Vec::new(),
            bytes: 0,
            threshold: MIN_THRESHOLD,
            limit,
            stats: GcStats::default(),
            scans: Vec::new(),
            zeal,
            zeal_wait: 0,
            spare: Vec::new(),
            spare_slots: 0,
        }
    }

    /// A buffer of `n` slots for a new object's fields: a freed object's
    /// (its old contents still in it: the caller writes every slot), or a
    /// new one.
    pub(crate) fn boxed(&mut self, n: usize) -> Box<[u64]> {
        match self.spare.get_mut(n).and_then(Vec::pop) {
            Some(b) => {
                self.spare_slots -= n;
                b
            }
            None => alloc::vec![0u64; n].into_boxed_slice(),
        }
    }

    /// [`GcHeap::boxed`] with every slot 0 (a new buffer is zeroed by the
    /// allocator, so a large one's pages are not touched until used).
    pub(crate) fn boxed_zeroed(&mut self, n: usize) -> Box<[u64]> {
        match self.spare.get_mut(n).and_then(Vec::pop) {
            Some(mut b) => {
                self.spare_slots -= n;
                b.fill(0);
                b
            }
            None => alloc::vec![0u64; n].into_boxed_slice(),
        }
    }

    /// Keeps the fields buffer of a freed object for [`GcHeap::boxed`]
    /// if it is small and there is room (else it is freed).
    fn recycle(&mut self, b: Box<[u64]>) {
        let n = b.len();
        if n <= SPARE_MAX_LEN && self.spare_slots + n <= SPARE_MAX_SLOTS {
            if self.spare.len() <= n {
                self.spare.resize_with(n + 1, Vec::new);
            }
            self.spare[n].push(b);
            self.spare_slots += n;
        }
    }

    /// Adds a struct; its reference bits, or `None` if the heap would
    /// pass its limit.
    pub(crate) fn alloc(&mut self, type_id: TypeId, fields: Box<[u64]>) -> Option<u64> {
        self.push(GcObject {
            type_id,
            elem_bytes: 0,
            fields,
        })
    }

    /// Whether `slots` more slots fit in the heap (so that a caller can
    /// check before building a large array).
    pub(crate) fn fits(&self, slots: u64) -> bool {
        slots
            .checked_mul(8)
            .and_then(|b| b.checked_add((self.bytes + OBJECT_OVERHEAD) as u64))
            .is_some_and(|b| b <= self.limit as u64)
    }

    /// Adds an array whose elements take `elem_bytes` in data segments
    /// and whose slots are `elems`; its reference bits, or `None` if the
    /// heap would pass its limit.
    pub(crate) fn alloc_array(
        &mut self,
        type_id: TypeId,
        elem_bytes: u8,
        elems: Box<[u64]>,
    ) -> Option<u64> {
        self.push(GcObject {
            type_id,
            elem_bytes,
            fields: elems,
        })
    }

    /// Adds a thrown exception; its reference bits, or `None` if the heap
    /// would pass its limit.
    pub(crate) fn alloc_exn(&mut self, exn: ExnObject) -> Option<u64> {
        self.put(Object::Exn(exn), true)
    }

    /// Adds host data (never refused: the host decides what it keeps);
    /// its reference bits.
    pub(crate) fn alloc_host(&mut self, data: HostData) -> u64 {
        self.put(Object::Host(data), false)
            .expect("host data is not limited")
    }

    fn push(&mut self, object: GcObject) -> Option<u64> {
        self.put(Object::Gc(object), true)
    }

    fn put(&mut self, object: Object, limited: bool) -> Option<u64> {
        let bytes = self
            .bytes
            .checked_add(Self::size(&object))
            .filter(|&b| b <= self.limit || !limited)?;
        let tag = match &object {
            Object::Gc(o) if o.elem_bytes != 0 => OBJ_TAG | ARRAY_BIT,
            Object::Gc(_) | Object::Exn(_) => OBJ_TAG,
            Object::Host(_) => 0,
        };
        self.bytes = bytes;
        self.stats.peak_bytes = self.stats.peak_bytes.max(bytes);
        let index = match self.free.pop() {
            Some(i) => {
                self.entries[i as usize].object = Some(object);
                i
            }
            None => {
                self.entries.push(Entry {
                    slots: core::ptr::null_mut(),
                    len: 0,
                    gen: 0,
                    object: Some(object),
                });
                self.view.base = self.entries.as_ptr().cast();
                self.view.len = self.entries.len();
                self.entries.len() as u32 - 1
            }
        };
        let entry = &mut self.entries[index as usize];
        if let Some(Object::Gc(o)) = &mut entry.object {
            entry.slots = o.fields.as_mut_ptr();
            entry.len = o.len() as u32;
        }
        let gen = u64::from(entry.gen);
        Some(if tag == 0 {
            gen << 32 | (u64::from(index) + 1)
        } else {
            tag | gen << 32 | u64::from(index)
        })
    }

    fn size(object: &Object) -> usize {
        OBJECT_OVERHEAD
            + match object {
                Object::Gc(o) => o.fields.len() * 8,
                Object::Exn(e) => e.payload.len() * 8,
                Object::Host(d) => core::mem::size_of_val(&**d),
            }
    }

    /// The struct or array reference bits `bits` name, if they name a
    /// live one.
    pub(crate) fn get(&self, bits: u64) -> Option<&GcObject> {
        match self.entries[self.live(bits)?].object.as_ref()? {
            Object::Gc(o) => Some(o),
            _ => None,
        }
    }

    /// As [`GcHeap::get`], to change its fields.
    pub(crate) fn get_mut(&mut self, bits: u64) -> Option<&mut GcObject> {
        let i = self.live(bits)?;
        match self.entries[i].object.as_mut()? {
            Object::Gc(o) => Some(o),
            _ => None,
        }
    }

    /// The exception `exnref` bits `bits` name, if it is live.
    pub(crate) fn exn(&self, bits: u64) -> Option<&ExnObject> {
        match self.entries[self.live(bits)?].object.as_ref()? {
            Object::Exn(e) => Some(e),
            _ => None,
        }
    }

    /// Marks the exception `bits` name as possibly referenced by an
    /// `exnref` (see [`ExnObject::exposed`]).
    pub(crate) fn expose_exn(&mut self, bits: u64) {
        if let Some(i) = self.live(bits) {
            if let Some(Object::Exn(e)) = self.entries[i].object.as_mut() {
                e.exposed = true;
            }
        }
    }

    /// A handler caught the exception `bits` name and took its values
    /// without keeping an `exnref`: frees it unless one may exist.
    pub(crate) fn caught(&mut self, bits: u64) {
        let Some(i) = self.live(bits) else { return };
        if matches!(&self.entries[i].object, Some(Object::Exn(e)) if !e.exposed) {
            self.free_entry(i);
        }
    }

    /// Frees entry `i`, which holds an object.
    fn free_entry(&mut self, i: usize) {
        let e = &mut self.entries[i];
        if let Some(object) = e.object.take() {
            e.slots = core::ptr::null_mut();
            e.len = 0;
            self.bytes -= Self::size(&object);
            e.gen = ((u64::from(e.gen) + 1) & GEN_MASK) as u32;
            self.free.push(i as u32);
            match object {
                Object::Gc(o) => self.recycle(o.fields),
                Object::Exn(x) => self.recycle(x.payload),
                Object::Host(_) => {}
            }
        }
    }

    /// The host data `externref` bits `bits` name, if it is live.
    pub(crate) fn host(&self, bits: u64) -> Option<&(dyn Any + Send + Sync)> {
        match self.entries[self.live(bits)?].object.as_ref()? {
            Object::Host(d) => Some(&**d),
            _ => None,
        }
    }

    /// The entry of the live object `bits` name (of a kind that matches
    /// the encoding: host data below `I31_TAG`, the others with
    /// `OBJ_TAG`).
    fn live(&self, bits: u64) -> Option<usize> {
        let (i, host) = if bits & OBJ_TAG != 0 {
            (bits as u32 as usize, false)
        } else if bits < I31_TAG {
            ((bits as u32).checked_sub(1)? as usize, true)
        } else {
            return None;
        };
        let e = self.entries.get(i)?;
        let kind_matches = match e.object.as_ref()? {
            Object::Host(_) => host,
            Object::Gc(_) | Object::Exn(_) => !host,
        };
        (kind_matches && u64::from(e.gen) == (bits >> 32) & GEN_MASK).then_some(i)
    }

    /// Whether `bits` name a live object.
    pub(crate) fn is_live(&self, bits: u64) -> bool {
        self.live(bits).is_some()
    }

    /// Whether reference bits `bits` (of an `anyref`, `externref` or
    /// `exnref`) name a heap object rather than nothing (null) or an
    /// `i31`.
    pub(crate) fn names_object(&self, bits: u64) -> bool {
        bits != 0 && (bits & OBJ_TAG != 0 || bits < I31_TAG)
    }

    /// Whether an allocation should collect first (asked once per
    /// allocation: under zeal it counts the allocations that pass).
    pub(crate) fn wants_collection(&mut self) -> bool {
        if self.bytes > self.threshold {
            return true;
        }
        if !self.zeal {
            return false;
        }
        match self.zeal_wait.checked_sub(1) {
            Some(wait) => {
                self.zeal_wait = wait;
                false
            }
            None => true,
        }
    }

    /// Bytes of objects held now.
    pub(crate) fn bytes(&self) -> usize {
        self.bytes
    }

    /// Frees every object that no slot of `roots` names, directly or
    /// through the fields of objects it keeps; `scan` says how to scan
    /// objects of a type (asked once per type and heap).
    pub(crate) fn collect<'a>(
        &mut self,
        roots: impl Iterator<Item = &'a [u64]>,
        mut scan: impl FnMut(TypeId) -> Scan,
    ) {
        let mut marked = alloc::vec![false; self.entries.len()];
        let mut work: Vec<usize> = Vec::new();
        let mark = |heap: &GcHeap, slots: &[u64], work: &mut Vec<usize>, marked: &mut [bool]| {
            for &v in slots {
                if let Some(i) = heap.live(v) {
                    if !marked[i] {
                        marked[i] = true;
                        work.push(i);
                    }
                }
            }
        };
        let mut cost = self.entries.len();
        for slots in roots {
            cost += slots.len();
            mark(self, slots, &mut work, &mut marked);
        }
        self.zeal_wait = cost / ZEAL_WORK;
        let mut scans = core::mem::take(&mut self.scans);
        while let Some(i) = work.pop() {
            match self.entries[i].object.as_ref() {
                Some(Object::Gc(GcObject {
                    type_id, fields, ..
                }))
                | Some(Object::Exn(ExnObject {
                    type_id,
                    payload: fields,
                    ..
                })) => {
                    let t = *type_id as usize;
                    if scans.len() <= t {
                        scans.resize(t + 1, None);
                    }
                    match scans[t].get_or_insert_with(|| scan(*type_id)) {
                        Scan::Nothing => {}
                        Scan::All => mark(self, fields, &mut work, &mut marked),
                        Scan::Slots(slots) => {
                            for &s in slots.iter() {
                                if let Some(v) = fields.get(s as usize) {
                                    mark(self, core::slice::from_ref(v), &mut work, &mut marked);
                                }
                            }
                        }
                    }
                }
                Some(Object::Host(_)) | None => {}
            }
        }
        self.scans = scans;
        for (i, &keep) in marked.iter().enumerate() {
            if !keep {
                self.free_entry(i);
            }
        }
        self.threshold = (self.bytes * 2).max(MIN_THRESHOLD);
        self.stats.collections += 1;
        self.stats.live_bytes = self.bytes;
    }

    /// Where compiled code reads where the heap's entries are (an address
    /// stable for the heap's life).
    #[cfg(weft_compiler)]
    pub(crate) fn slots_view(&self) -> *const SlotsView {
        &*self.view
    }

    /// The number of entries (live or free), which bounds the index of a
    /// reference.
    pub(crate) fn len(&self) -> usize {
        self.entries.len()
    }
}

impl GcObject {
    /// Slots per element of an array.
    pub(crate) fn elem_slots(&self) -> usize {
        if self.elem_bytes == 16 {
            2
        } else {
            1
        }
    }

    /// The number of elements of an array.
    pub(crate) fn len(&self) -> usize {
        self.fields.len() / self.elem_slots()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What compiled code reads of an entry (`compiler/func/gc_slots.rs`)
    /// is where the constants say, and names the object's slots while it
    /// lives, nothing once it is freed or for other kinds of objects.
    #[test]
    fn entries_show_compiled_code_their_slots() {
        assert_eq!(core::mem::offset_of!(Entry, slots) as i32, ENTRY_SLOTS);
        assert_eq!(core::mem::offset_of!(Entry, len) as i32, ENTRY_LEN);
        assert_eq!(core::mem::offset_of!(Entry, gen) as i32, ENTRY_GEN);
        let mut heap = GcHeap::default();
        let s = heap.alloc(0, Box::new([5, 6])).unwrap();
        let a = heap.alloc_array(1, 16, Box::new([1, 2, 3, 4])).unwrap();
        let host = heap.alloc_host(Box::new(1u8));
        let read = |heap: &GcHeap, bits: u64| {
            assert_eq!(heap.view.base, heap.entries.as_ptr().cast());
            assert_eq!(heap.view.len, heap.entries.len());
            let e = &heap.entries[bits as u32 as usize];
            (e.slots, e.len, e.gen)
        };
        let (slots, len, gen) = read(&heap, s);
        assert_eq!(
            (slots.cast_const(), len),
            (heap.get(s).unwrap().fields.as_ptr(), 2)
        );
        assert_eq!(u64::from(gen), (s >> 32) & GEN_MASK);
        // An array of `v128`s: two slots per element, two elements.
        assert_eq!(read(&heap, a).1, 2);
        assert_eq!(read(&heap, host - 1).1, 0);
        heap.collect(core::iter::once(&[a][..]), |_| Scan::All);
        let (slots, len, gen) = read(&heap, s);
        assert!(slots.is_null() && len == 0 && u64::from(gen) != (s >> 32) & GEN_MASK);
    }

    #[test]
    fn collection_keeps_what_roots_reach_and_stale_references_name_nothing() {
        let mut heap = GcHeap::default();
        let leaf = heap.alloc(0, Box::new([7])).unwrap();
        let node = heap.alloc(0, Box::new([leaf, 0])).unwrap();
        let garbage = heap.alloc(0, Box::new([node])).unwrap();
        let array = heap.alloc_array(1, 8, Box::new([1, 2, 3])).unwrap();
        assert!(array & ARRAY_BIT != 0 && node & ARRAY_BIT == 0);
        let root = [node, 12345, array];
        heap.collect(core::iter::once(&root[..]), |_| Scan::All);
        assert!(heap.is_live(node) && heap.is_live(leaf) && heap.is_live(array));
        assert!(!heap.is_live(garbage), "unreachable");
        // The freed place is reused with a new generation: the old
        // reference names nothing.
        let newer = heap.alloc(0, Box::new([])).unwrap();
        assert_eq!(newer as u32, garbage as u32);
        assert_ne!(newer, garbage);
        assert!(heap.get(garbage).is_none() && heap.get(newer).is_some());
        // Nothing reachable: everything goes.
        heap.collect(core::iter::empty(), |_| Scan::All);
        assert!(!heap.is_live(node) && !heap.is_live(newer));
        assert_eq!(heap.bytes(), 0);
    }

    #[test]
    fn objects_are_scanned_by_their_types() {
        let mut heap = GcHeap::default();
        let a = heap.alloc(0, Box::new([])).unwrap();
        let b = heap.alloc(0, Box::new([])).unwrap();
        let c = heap.alloc(0, Box::new([])).unwrap();
        // Type 1: a struct whose slot 1 is a reference, slot 0 an integer
        // that happens to hold `a`'s bits; type 2: a numeric array.
        let s = heap.alloc(1, Box::new([a, b])).unwrap();
        let numbers = heap.alloc_array(2, 8, Box::new([c, c])).unwrap();
        let scan = |t: TypeId| match t {
            1 => Scan::Slots(Box::new([1])),
            2 => Scan::Nothing,
            _ => Scan::All,
        };
        heap.collect([&[s, numbers][..]].into_iter(), scan);
        assert!(heap.is_live(s) && heap.is_live(numbers) && heap.is_live(b));
        assert!(!heap.is_live(a), "an integer field keeps nothing");
        assert!(!heap.is_live(c), "a numeric array keeps nothing");
    }

    #[test]
    fn zeal_collects_before_every_allocation_while_collections_are_cheap() {
        let mut heap = GcHeap::new(usize::MAX, true);
        let small = [0u64; 10];
        heap.collect(core::iter::once(&small[..]), |_| Scan::All);
        assert!(heap.wants_collection() && heap.wants_collection());
        // A collection that looked at 3 * ZEAL_WORK root slots lets the
        // next three allocations pass, then zeal collects again.
        let many = alloc::vec![0u64; 3 * ZEAL_WORK];
        heap.collect(core::iter::once(&many[..]), |_| Scan::All);
        let asked: Vec<bool> = (0..5).map(|_| heap.wants_collection()).collect();
        assert_eq!(asked, [false, false, false, true, true]);
        // Without zeal only the heap's growth counts.
        let mut plain = GcHeap::new(usize::MAX, false);
        assert!(!plain.wants_collection());
    }

    #[test]
    fn the_heap_is_bounded() {
        let heap = GcHeap::default();
        assert!(!heap.fits(u64::MAX / 4));
        assert!(heap.fits(1000));
        assert!(!heap.fits(DEFAULT_MAX_GC_HEAP as u64 / 8));
        let mut small = GcHeap::new(1000, false);
        assert!(small.fits(50) && !small.fits(200));
        assert!(small.alloc(0, Box::new([0; 50])).is_some());
        assert!(
            small.alloc(0, Box::new([0; 100])).is_none(),
            "past the limit"
        );
    }

    #[test]
    fn freed_small_buffers_are_reused_and_zeroed_when_asked() {
        let mut heap = GcHeap::new(usize::MAX, false);
        let mut fields = heap.boxed(3);
        fields.copy_from_slice(&[1, 2, 3]);
        let at = fields.as_ptr();
        heap.alloc(0, fields).unwrap();
        let big = heap.boxed(SPARE_MAX_LEN + 1);
        heap.alloc(0, big).unwrap();
        heap.collect(core::iter::empty(), |_| Scan::All);
        // The small one's buffer comes back, as it was or zeroed.
        let again = heap.boxed_zeroed(3);
        assert_eq!((again.as_ptr(), &again[..]), (at, &[0, 0, 0][..]));
        heap.alloc(0, again).unwrap();
        heap.collect(core::iter::empty(), |_| Scan::All);
        let dirty = heap.boxed(3);
        assert_eq!(dirty.as_ptr(), at);
        // The large one was not kept, and the spare slots are bounded.
        assert!(heap.spare.get(SPARE_MAX_LEN + 1).is_none_or(Vec::is_empty));
        for _ in 0..SPARE_MAX_SLOTS / SPARE_MAX_LEN + 10 {
            let b = heap.boxed(SPARE_MAX_LEN);
            heap.alloc(0, b).unwrap();
        }
        heap.collect(core::iter::empty(), |_| Scan::All);
        assert!(heap.spare_slots <= SPARE_MAX_SLOTS);
        assert_eq!(
            heap.spare_slots,
            SPARE_MAX_SLOTS / SPARE_MAX_LEN * SPARE_MAX_LEN
        );
    }
}
