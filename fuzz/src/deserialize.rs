//! The `deserialize` target: `Module::serialize` of a generated module,
//! mutated by the input, then the loaders (see `deserialize`).

use super::*;

/// Fuel for instantiating a module in the `deserialize` target, and again
/// for each exported call: what bounds the run time of corrupted code.
pub const ARTIFACT_FUEL: u64 = 100_000;

/// The parts of the artifact format (`docs/ARTIFACT_FORMAT.md`) that the
/// `deserialize` target's mutations know about.
pub mod artifact_layout {
    /// Header length; the checksum covers everything after it.
    pub const HEADER: usize = 208;
    /// Header field: the total length (`u64`).
    pub const TOTAL_LEN: usize = 48;
    /// Header field: the checksum (`u64`, FNV-1a 64 of `[HEADER, end)`).
    pub const CHECKSUM: usize = 56;
    /// Header field: Wasm binary offset and length (`u64`s).
    pub const WASM: usize = 64;
    /// Header field: function table offset and entry count (`u64`s).
    pub const FUNCS: usize = 80;
    /// Header field: function types offset and count (`u64`s).
    pub const TYPES: usize = 96;
    /// Header field: exception handlers offset and count (`u64`s).
    pub const HANDLERS: usize = 112;
    /// Header field: code offset and record count (`u64`s).
    pub const CODE: usize = 128;
    /// Header field: constants offset and count (`u64`s).
    pub const CONSTS: usize = 144;
    /// Bytes per function table entry.
    pub const FUNC_ENTRY: usize = 32;
    /// Bytes per code record (one instruction).
    pub const RECORD: usize = 16;
    /// Bytes per constant.
    pub const CONST: usize = 8;
    /// The fields of a function table entry, as (offset, size): first
    /// record, records, first constant, constants, parameters, parameters
    /// plus locals, frame size, first exception handler, handlers.
    pub const ENTRY_FIELDS: [(usize, usize); 9] = [
        (0, 4),
        (4, 4),
        (8, 4),
        (12, 4),
        (16, 2),
        (18, 2),
        (20, 4),
        (24, 4),
        (28, 4),
    ];
}
use artifact_layout as al;

/// The artifact checksum (docs/ARTIFACT_FORMAT.md): FNV-1a 64 over
/// little-endian 8-byte words (the last zero-padded), each step followed
/// by `h ^= h >> 32`.
pub fn artifact_checksum(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for chunk in bytes.chunks(8) {
        let mut word = [0u8; 8];
        word[..chunk.len()].copy_from_slice(chunk);
        h = (h ^ u64::from_le_bytes(word)).wrapping_mul(0x0000_0100_0000_01b3);
        h ^= h >> 32;
    }
    h
}

fn le_u64(bytes: &[u8], at: usize) -> u64 {
    bytes
        .get(at..at + 8)
        .map_or(0, |b| u64::from_le_bytes(b.try_into().expect("8 bytes")))
}

/// The byte ranges (in `artifact`) of the sections of its embedded Wasm
/// binary other than the code section: the module's metadata (types,
/// imports, functions' type indices, tables, memories, globals, exports,
/// start, elements, data, tags, custom sections). Empty if the binary does
/// not parse as sections.
pub fn wasm_metadata(artifact: &[u8]) -> Vec<core::ops::Range<usize>> {
    let start = le_u64(artifact, al::WASM) as usize;
    let len = le_u64(artifact, al::WASM + 8) as usize;
    let Some(wasm) = start
        .checked_add(len)
        .and_then(|end| artifact.get(start..end))
    else {
        return Vec::new();
    };
    let mut out = Vec::new();
    // After the 8-byte preamble: sections of an id byte, a LEB128 size
    // and the contents.
    let mut at = 8;
    while at < wasm.len() {
        let id = wasm[at];
        let (mut size, mut shift, mut p) = (0usize, 0, at + 1);
        loop {
            let Some(&byte) = wasm.get(p) else {
                return out;
            };
            size |= usize::from(byte & 0x7f) << shift;
            shift += 7;
            p += 1;
            if byte & 0x80 == 0 || shift > 28 {
                break;
            }
        }
        let end = p.saturating_add(size).min(wasm.len());
        const CODE_SECTION: u8 = 10;
        if id != CODE_SECTION {
            out.push(start + at..start + end);
        }
        at = end;
    }
    out
}

/// Makes a changed artifact consistent again, as if a writer had produced
/// it: the total length field (if `length` is set) and the checksum.
pub fn fix_artifact_header(bytes: &mut [u8], length: bool) {
    if bytes.len() < al::HEADER {
        return;
    }
    if length {
        let len = bytes.len() as u64;
        bytes[al::TOTAL_LEN..al::TOTAL_LEN + 8].copy_from_slice(&len.to_le_bytes());
    }
    let sum = artifact_checksum(&bytes[al::HEADER..]);
    bytes[al::CHECKSUM..al::CHECKSUM + 8].copy_from_slice(&sum.to_le_bytes());
}

/// A section of the unmodified artifact: `count` items of `size` bytes
/// from `start`, as its header says.
#[derive(Debug, Clone, Copy)]
struct Section {
    start: usize,
    count: usize,
    size: usize,
}

impl Section {
    fn read(artifact: &[u8], field: usize, size: usize) -> Section {
        Section {
            start: le_u64(artifact, field) as usize,
            count: le_u64(artifact, field + 8) as usize,
            size,
        }
    }

    /// The bytes of item `pick % count`, if there are items and that one is
    /// inside the first `len` bytes.
    fn item(&self, pick: u32, len: usize) -> Option<core::ops::Range<usize>> {
        if self.count == 0 {
            return None;
        }
        let at = self.start + (pick as usize % self.count) * self.size;
        (at + self.size <= len).then_some(at..at + self.size)
    }
}

/// Reads the mutation script: bytes, or zeros once it is used up.
struct Script<'a>(Unstructured<'a>);

impl Script<'_> {
    fn u8(&mut self) -> u8 {
        self.0.arbitrary().unwrap_or(0)
    }
    fn i8(&mut self) -> i8 {
        self.u8() as i8
    }
    fn u16(&mut self) -> u16 {
        self.0.arbitrary().unwrap_or(0)
    }
    fn u32(&mut self) -> u32 {
        self.0.arbitrary().unwrap_or(0)
    }
    /// Fills `out` from the script (zeros past its end).
    fn fill(&mut self, out: &mut [u8]) {
        for b in out {
            *b = self.u8();
        }
    }
}

/// Adds `delta` to the little-endian unsigned integer of `size` bytes at
/// `at` in `bytes` (wrapping; cut off at the end of `bytes`).
fn add_le(bytes: &mut [u8], at: usize, size: usize, delta: i64) {
    let Some(field) = bytes.get_mut(at..(at + size).min(bytes.len())) else {
        return;
    };
    let mut v = [0u8; 8];
    v[..field.len()].copy_from_slice(field);
    let n = u64::from_le_bytes(v).wrapping_add(delta as u64);
    let len = field.len();
    field.copy_from_slice(&n.to_le_bytes()[..len]);
}

/// Writes `new` at `at` in `bytes`, cut off at the end of `bytes`.
fn put(bytes: &mut [u8], at: usize, new: &[u8]) {
    let end = (at + new.len()).min(bytes.len());
    if at < end {
        bytes[at..end].copy_from_slice(&new[..end - at]);
    }
}

/// Corrupts a copy of `artifact` as `script` says, or `None` if the script
/// leaves it unmodified (one script in eight). The script's first byte
/// gives the number of operations (1 to 4); each is chosen by a byte:
///
/// * anywhere: flip a bit, overwrite a byte, truncate, extend;
/// * a byte of the embedded Wasm binary's metadata (not its code section):
///   a new value or a small increment;
/// * the header (bytes 0..208): overwrite 1 to 8 bytes, or add a small
///   delta to one of the `u64` fields from the total length on (offsets
///   and counts of the sections);
/// * a code record (16 bytes, one instruction; most operations): new
///   bytes, a copy of another record, a few bytes or the tag changed, a
///   small delta to a 16- or 32-bit field (slots, indices, branch offsets),
///   a flipped bit, two records swapped;
/// * a function table entry (code and constant ranges, parameter and local
///   counts, frame size): a delta, a new value, or a copy of another entry;
/// * a constant: new bytes; or a function's type index: a small delta or
///   a new value.
///
/// Then the total length (if the size changed) and the checksum are usually
/// recomputed — almost always after a change to the code, function table or
/// constants, so that `Module::deserialize` gets past the checksum (the
/// trusted loaders do not compute it; they reach the per-function code
/// verifier either way); a quarter of the time otherwise (then
/// even a change to the embedded Wasm binary is checked by validation
/// rather than by the checksum). The second value lists what was done.
pub fn mutate_artifact(script: &[u8], artifact: &[u8]) -> Option<(Vec<u8>, Vec<String>)> {
    let mut s = Script(Unstructured::new(script));
    let first = s.u8() & 7;
    if first == 0 {
        return None;
    }
    let ops = 1 + usize::from(first - 1) % 4;
    let funcs = Section::read(artifact, al::FUNCS, al::FUNC_ENTRY);
    let code = Section::read(artifact, al::CODE, al::RECORD);
    let consts = Section::read(artifact, al::CONSTS, al::CONST);
    let types = Section::read(artifact, al::TYPES, 4);
    let mut b = artifact.to_vec();
    let mut log = Vec::new();
    // Whether code, function table or constants were changed.
    let mut inner = false;
    for _ in 0..ops {
        let kind = s.u8();
        let len = b.len();
        match kind % 16 {
            0 if len > 0 => {
                let bit = s.u32() as usize % (len * 8);
                b[bit / 8] ^= 1 << (bit % 8);
                log.push(format!("flip bit {} of byte {}", bit % 8, bit / 8));
            }
            1 if len > 0 => {
                let at = s.u32() as usize % len;
                b[at] = s.u8();
                log.push(format!("byte {at} = {:#04x}", b[at]));
            }
            2 if len > 0 => {
                let to = s.u32() as usize % len;
                b.truncate(to);
                log.push(format!("truncate to {to}"));
            }
            3 if s.u8() & 1 == 1 => {
                // A byte of the embedded Wasm binary's metadata (any
                // section but the code section), which the trusted loaders
                // decode without validating.
                let metadata = wasm_metadata(artifact);
                let total: usize = metadata.iter().map(|r| r.len()).sum();
                if total == 0 {
                    continue;
                }
                let mut pick = s.u32() as usize % total;
                let at = metadata
                    .iter()
                    .find_map(|r| {
                        if pick < r.len() {
                            Some(r.start + pick)
                        } else {
                            pick -= r.len();
                            None
                        }
                    })
                    .expect("pick < total");
                if at >= b.len() {
                    continue;
                }
                let sub = s.u8();
                if sub & 1 == 0 {
                    b[at] = s.u8();
                } else {
                    b[at] = b[at].wrapping_add(1 + (sub >> 1) % 8);
                }
                log.push(format!("Wasm metadata byte {at} = {:#04x}", b[at]));
            }
            3 => {
                let mut more = vec![0; 1 + usize::from(s.u8() % 64)];
                s.fill(&mut more);
                log.push(format!("extend by {}", more.len()));
                b.extend_from_slice(&more);
            }
            4 | 5 => {
                let sub = s.u8();
                if sub & 1 == 0 {
                    let at = usize::from(sub >> 1) % al::HEADER;
                    let mut new = vec![0; 1 + usize::from(s.u8() % 8)];
                    s.fill(&mut new);
                    put(&mut b, at, &new);
                    log.push(format!("header bytes {at}.. = {new:02x?}"));
                } else {
                    // The total length, the checksum, the offsets and
                    // counts of the eight sections, and the target
                    // fingerprint.
                    let at = al::TOTAL_LEN + 8 * usize::from((sub >> 1) % 19);
                    let d = i64::from(s.i8());
                    let d = if sub & 0x80 != 0 { d * 16 } else { d };
                    add_le(&mut b, at, 8, d);
                    log.push(format!("header u64 at {at} += {d}"));
                }
            }
            6..=10 | 14 | 15 => {
                let Some(r) = code.item(s.u32(), len) else {
                    continue;
                };
                inner = true;
                let i = (r.start - code.start) / al::RECORD;
                let sub = if kind % 16 == 14 {
                    6
                } else if kind % 16 == 15 {
                    7
                } else {
                    s.u8() % 6
                };
                match sub {
                    0 => {
                        let mut new = [0u8; al::RECORD];
                        s.fill(&mut new);
                        b[r].copy_from_slice(&new);
                        log.push(format!("record {i} = {new:02x?}"));
                    }
                    1 => {
                        if let Some(from) = code.item(s.u32(), len) {
                            let j = (from.start - code.start) / al::RECORD;
                            b.copy_within(from, r.start);
                            log.push(format!("record {i} = record {j}"));
                        }
                    }
                    2 => {
                        let at = 2 + usize::from(s.u8() % 14);
                        let mut new = vec![0; 1 + usize::from(s.u8() % 4)];
                        s.fill(&mut new);
                        put(&mut b[r], at, &new);
                        log.push(format!("record {i} bytes {at}.. = {new:02x?}"));
                    }
                    3 => {
                        // A little past the number of `Op` variants.
                        let tag = s.u16() % 300;
                        b[r.start..r.start + 2].copy_from_slice(&tag.to_le_bytes());
                        log.push(format!("record {i} tag = {tag}"));
                    }
                    4 | 5 => {
                        let size = if sub == 4 { 2 } else { 4 };
                        let at = 2 + usize::from(s.u8()) % (al::RECORD - 1 - size);
                        let d = i64::from(s.i8());
                        add_le(&mut b[r], at, size, d);
                        log.push(format!("record {i} u{} at {at} += {d}", size * 8));
                    }
                    6 => {
                        let bit = usize::from(s.u8()) % (al::RECORD * 8);
                        b[r.start + bit / 8] ^= 1 << (bit % 8);
                        log.push(format!("record {i} flip bit {bit}"));
                    }
                    _ => {
                        if let Some(other) = code.item(s.u32(), len) {
                            let j = (other.start - code.start) / al::RECORD;
                            let mut tmp = [0u8; al::RECORD];
                            tmp.copy_from_slice(&b[r.clone()]);
                            b.copy_within(other.clone(), r.start);
                            b[other].copy_from_slice(&tmp);
                            log.push(format!("swap records {i} and {j}"));
                        }
                    }
                }
            }
            11 | 12 => {
                let Some(e) = funcs.item(s.u32(), len) else {
                    continue;
                };
                inner = true;
                let f = (e.start - funcs.start) / al::FUNC_ENTRY;
                let sub = s.u8();
                let (at, size) = al::ENTRY_FIELDS[usize::from(sub >> 2) % al::ENTRY_FIELDS.len()];
                match sub & 3 {
                    0 | 1 => {
                        let d = i64::from(s.i8() % 4);
                        let d = if d == 0 { 1 } else { d };
                        add_le(&mut b[e], at, size, d);
                        log.push(format!("function {f} entry field {at} += {d}"));
                    }
                    2 => {
                        let v = s.u32().to_le_bytes();
                        put(&mut b[e], at, &v[..size]);
                        log.push(format!(
                            "function {f} entry field {at} = {:02x?}",
                            &v[..size]
                        ));
                    }
                    _ => {
                        if let Some(from) = funcs.item(s.u32(), len) {
                            let g = (from.start - funcs.start) / al::FUNC_ENTRY;
                            b.copy_within(from, e.start);
                            log.push(format!("function {f} entry = function {g} entry"));
                        }
                    }
                }
            }
            13 if s.u8() & 1 == 1 => {
                let Some(t) = types.item(s.u32(), len) else {
                    continue;
                };
                inner = true;
                let f = (t.start - types.start) / 4;
                let sub = s.u8();
                if sub & 1 == 0 {
                    let d = i64::from(s.i8() % 4);
                    let d = if d == 0 { 1 } else { d };
                    add_le(&mut b[t], 0, 4, d);
                    log.push(format!("function {f} type index += {d}"));
                } else {
                    let v = s.u32();
                    b[t].copy_from_slice(&v.to_le_bytes());
                    log.push(format!("function {f} type index = {v}"));
                }
            }
            13 => {
                let Some(c) = consts.item(s.u32(), len) else {
                    continue;
                };
                inner = true;
                let mut new = [0u8; al::CONST];
                s.fill(&mut new);
                log.push(format!("constant at {} = {new:02x?}", c.start));
                b[c].copy_from_slice(&new);
            }
            _ => {}
        }
    }
    let fix = s.u8();
    if (inner && fix % 8 != 0) || fix % 4 == 0 {
        let resized = b.len() != artifact.len();
        fix_artifact_header(&mut b, resized);
        log.push("checksum recomputed".into());
    }
    Some((b, log))
}

/// What running a module did in the `deserialize` target: the outcome of
/// each step (instantiation, then every exported function call) with the
/// fuel left after it, then every export's state.
#[derive(Debug, PartialEq)]
struct ArtifactRun {
    steps: Vec<(String, Outcome, u64)>,
    state: Vec<(String, Option<State>)>,
}

/// A reference Wasm gave to the host must be one the store has: a function
/// of the store, and no externref at all (the dummy imports and default
/// arguments only ever give Wasm null externrefs).
fn check_reference<T>(store: &weft::Store<T>, v: &weft::Val, what: &str) {
    match v {
        // Panics (index out of bounds) if the function does not exist.
        weft::Val::FuncRef(Some(f)) => drop(f.ty(store)),
        weft::Val::ExternRef(Some(_)) => {
            panic!("{what}: a non-null externref, but the host never made one: a forged reference")
        }
        _ => {}
    }
}

/// Checks an error of a module from an artifact: traps are always fine;
/// `CorruptArtifact` (a function's code did not verify on its first call)
/// and, at instantiation, a refusal of the store's limits (a changed Wasm
/// binary may declare a larger memory or table) only if the artifact was
/// corrupted.
fn check_artifact_error(e: &weft::Error, what: &str, corrupted: bool, instantiation: bool) {
    if e.trap_code().is_some() {
        return;
    }
    let expected = match e.kind() {
        weft::ErrorKind::CorruptArtifact(_) => {
            bump(&stats::CORRUPT_CODE);
            corrupted
        }
        // A corrupted module may declare a memory or table the store's
        // limits refuse, or one Weft cannot create (a memory larger than
        // it reserves, a 64-bit shared memory).
        weft::ErrorKind::Limit(_) | weft::ErrorKind::Runtime(_) => corrupted && instantiation,
        _ => false,
    };
    assert!(expected, "{what} failed with an unexpected error: {e}");
}

/// Instantiates `module` with dummy imports, under store limits and
/// [`ARTIFACT_FUEL`], and calls every exported function with default
/// arguments (each with [`ARTIFACT_FUEL`] again).
fn run_artifact_module(
    engine: &weft::Engine,
    module: &weft::Module,
    corrupted: bool,
) -> ArtifactRun {
    let limits = weft::StoreLimitsBuilder::new()
        .memory_size(MAX_MEMORY_BYTES as usize)
        .table_elements(10_000)
        .build();
    let mut store = weft::Store::new(engine, limits);
    store.limiter(|l| l);
    store.set_fuel(ARTIFACT_FUEL).expect("fuel is on");
    let mut steps = Vec::new();
    let instance = match try_weft_dummy_imports(&mut store, module)
        .and_then(|imports| weft::Instance::new(&mut store, module, &imports))
    {
        Ok(i) => {
            bump(&stats::INSTANTIATED);
            steps.push((
                "instantiation".to_string(),
                Outcome::Returned(Vec::new()),
                store.get_fuel().expect("fuel is on"),
            ));
            i
        }
        Err(e) => {
            check_artifact_error(&e, "instantiation", corrupted, true);
            steps.push((
                "instantiation".to_string(),
                weft_trap(&e),
                store.get_fuel().expect("fuel is on"),
            ));
            return ArtifactRun {
                steps,
                state: Vec::new(),
            };
        }
    };
    let exports: Vec<(String, weft::Extern)> = instance
        .exports(&store)
        .map(|(n, e)| (n.to_string(), e))
        .collect();
    for (name, ext) in &exports {
        let weft::Extern::Func(f) = ext else { continue };
        let ty = f.ty(&store);
        let params: Vec<weft::Val> = ty.params().iter().map(weft::Val::default_for).collect();
        let mut results = vec![weft::Val::I32(0); ty.results().len()];
        store.set_fuel(ARTIFACT_FUEL).expect("fuel is on");
        bump(&stats::CALLS);
        let outcome = match f.call(&mut store, &params, &mut results) {
            Ok(()) => {
                bump(&stats::RETURNED);
                for (i, (r, t)) in results.iter().zip(ty.results()).enumerate() {
                    assert_eq!(r.ty(), *t, "export {name:?}: result {i} has the wrong type");
                    check_reference(&store, r, &format!("export {name:?}: result {i}"));
                }
                Outcome::Returned(results.iter().map(weft_value).collect())
            }
            Err(e) => {
                bump(&stats::TRAPPED);
                check_artifact_error(&e, &format!("export {name:?}"), corrupted, false);
                weft_trap(&e)
            }
        };
        if verbose() {
            eprintln!("{name:?}: {outcome:?}");
        }
        steps.push((name.clone(), outcome, store.get_fuel().expect("fuel is on")));
    }
    let mut state = Vec::new();
    for (name, ext) in &exports {
        match ext {
            weft::Extern::Global(g) => {
                let v = g.get(&mut store);
                check_reference(&store, &v, &format!("global {name:?}"));
            }
            weft::Extern::Table(t) => {
                for i in 0..t.size(&store) {
                    let v = t.get(&mut store, i);
                    let v = v.unwrap_or_else(|| panic!("table {name:?}: element {i} missing"));
                    check_reference(&store, &v, &format!("table {name:?} element {i}"));
                }
            }
            weft::Extern::Memory(m) => assert!(
                m.data(&store).len() as u64 <= MAX_MEMORY_BYTES,
                "memory {name:?} grew past the store's limit"
            ),
            weft::Extern::Func(_) | weft::Extern::SharedMemory(_) | weft::Extern::Tag(_) => {}
        }
        state.push((name.clone(), weft_state(&mut store, &instance, name)));
    }
    ArtifactRun { steps, state }
}

/// A module's imports and exports, comparable.
fn interface(module: &weft::Module) -> Vec<String> {
    module
        .imports()
        .map(|i| format!("import {:?} {:?} {:?}", i.module(), i.name(), i.ty()))
        .chain(
            module
                .exports()
                .map(|e| format!("export {:?} {:?}", e.name(), e.ty())),
        )
        .collect()
}

/// What the `deserialize` target needs to know of the encoding of Weft's
/// instructions in artifacts: which record tags are branches, where their
/// offset is, and which tag charges fuel. Read from the layout Weft derives
/// from its instruction list (`weft::__private::op_layout`, from
/// `crates/weft/src/ir/isa.rs`), so that it follows changes to the
/// instruction set.
struct Codec {
    /// For each tag: the byte position of its branch offset (`off`, an
    /// `i32`), if it has one.
    off_at: Vec<Option<usize>>,
    /// The tag of `ConsumeFuel { amount: u32 }` (the amount is at byte 2).
    consume_fuel: u16,
}

fn codec() -> &'static Codec {
    static CODEC: std::sync::OnceLock<Codec> = std::sync::OnceLock::new();
    CODEC.get_or_init(|| {
        let layout = weft::__private::op_layout();
        let off_at = layout
            .iter()
            .map(|op| {
                let mut at = 2;
                op.fields.iter().find_map(|f| {
                    let here = at;
                    at += f.size;
                    (f.role == "off").then_some(here)
                })
            })
            .collect();
        let consume_fuel = layout
            .iter()
            .position(|op| op.name == "ConsumeFuel")
            .expect("Weft has a `ConsumeFuel` instruction") as u16;
        Codec {
            off_at,
            consume_fuel,
        }
    })
}

/// Whether running the code in artifact `bytes` (under an engine with fuel
/// metering and no epochs) is sure to stop when the fuel runs out: in every
/// function the code verifier may accept, the first instruction and the
/// target of every branch that does not go forward (`off <= 0`, including
/// `br_table` entries) must be `ConsumeFuel { amount >= 1 }`, as the
/// translator makes them. Every cycle of the code has such a branch, and
/// every call starts with the first instruction, so each loop iteration and
/// call then pays. Functions whose code the verifier is sure to refuse (out
/// of bounds, empty, an unknown tag) are not run and not checked.
///
/// The trusted loaders run the artifact's code without checking this (see
/// `docs/ARTIFACT_FORMAT.md`): corrupted code may loop forever whatever the
/// fuel, so the target only runs code that passes.
pub fn charges_fuel_on_every_cycle(bytes: &[u8]) -> bool {
    let c = codec();
    let funcs = Section::read(bytes, al::FUNCS, al::FUNC_ENTRY);
    let code = Section::read(bytes, al::CODE, al::RECORD);
    let u16_at = |at: usize| {
        bytes
            .get(at..at + 2)
            .map(|b| u16::from_le_bytes([b[0], b[1]]))
    };
    let u32_at = |at: usize| {
        bytes
            .get(at..at + 4)
            .map(|b| u32::from_le_bytes(b.try_into().expect("4 bytes")))
    };
    // The loader refuses sections outside the artifact.
    let in_bytes = |s: &Section| {
        s.count
            .checked_mul(s.size)
            .and_then(|n| n.checked_add(s.start))
            .is_some_and(|end| end <= bytes.len())
    };
    if !in_bytes(&funcs) || !in_bytes(&code) {
        return true;
    }
    let fuel_at = |record: usize| {
        u16_at(record) == Some(c.consume_fuel) && u32_at(record + 2).is_some_and(|a| a >= 1)
    };
    'functions: for f in 0..funcs.count {
        let entry = funcs.start + f * al::FUNC_ENTRY;
        let (Some(first), Some(len)) = (u32_at(entry), u32_at(entry + 4)) else {
            continue;
        };
        let (first, len) = (first as usize, len as usize);
        if len == 0 || first + len > code.count {
            continue;
        }
        let record = |i: usize| code.start + (first + i) * al::RECORD;
        let mut branches_back = Vec::new();
        for i in 0..len {
            let tag = u16_at(record(i)).expect("in bounds") as usize;
            let Some(off_at) = c.off_at.get(tag) else {
                continue 'functions;
            };
            if let Some(p) = off_at {
                let off = u32_at(record(i) + p).expect("in bounds") as i32;
                let target = i as i64 + i64::from(off);
                if target < 0 || target >= len as i64 {
                    continue 'functions;
                }
                if off <= 0 {
                    branches_back.push(target as usize);
                }
            }
        }
        if !fuel_at(record(0)) || branches_back.into_iter().any(|t| !fuel_at(record(t))) {
            return false;
        }
    }
    true
}

/// The `deserialize` target: a `wasm-smith` module is compiled with fuel
/// metering on and serialized; the artifact is corrupted as the input says
/// ([`mutate_artifact`]), or left alone; then `Module::deserialize` must
/// return `Ok` or `Err`, never panic.
///
/// * Unmodified, it must load, have the same imports and exports, and
///   behave exactly as the module it was written from: the same results
///   (bit for bit), traps, fuel left after each call, and exported state;
///   serializing the loaded module gives back the same bytes. Loaded with
///   `Module::deserialize_raw` (which runs the artifact's code rather than
///   translating), it must behave the same too.
/// * Corrupted and still loaded, it is instantiated with dummy imports and
///   every export is called with default arguments, under
///   [`ARTIFACT_FUEL`] and a small input-chosen `Config::max_wasm_stack`:
///   errors may only be traps or `ErrorKind::CorruptArtifact` (plus the
///   store limits refusing a memory or table at instantiation), and any
///   reference that comes out must be one the store has. Serialized again,
///   it must load and behave the same.
/// * Corrupted outside the embedded Wasm binary (code, function table,
///   constants, other header fields) or in its metadata (any section but
///   the code section), it is also given to the trusted
///   `Module::deserialize_raw`, whose index checks at load
///   (`crates/weft/src/module/trusted.rs`) and per-function code verifier
///   (`crates/weft/src/artifact/verify.rs`) must turn any corruption into
///   `CorruptArtifact` (or other load) errors or code that is safe to run: that code runs
///   as above (if [`charges_fuel_on_every_cycle`]; the trusted loaders do
///   not promise that fuel bounds crafted code), and serializing the module
///   decodes and verifies every function.
///
/// The input: a byte for the stack size, a byte for the length of the
/// mutation script, the script, and the rest for `wasm-smith`, so that
/// mutating the script does not change the module.
///
/// # Panics
/// On a panic in Weft, or when any of the above does not hold.
pub fn deserialize(data: &[u8]) {
    let mut u = Unstructured::new(data);
    let Ok(stack_kib) = u.int_in_range(1u32..=64) else {
        return;
    };
    let Ok(script_len) = u.arbitrary::<u8>() else {
        return;
    };
    let Ok(script) = u.bytes(usize::from(script_len).min(u.len())) else {
        return;
    };
    let Some(wasm) = generate(&mut u, false) else {
        return;
    };
    let mut config = weft::Config::new();
    config
        .strategy(weft::Strategy::Interpreter)
        .consume_fuel(true)
        .max_wasm_stack(stack_kib as usize * 1024);
    let engine = weft::Engine::new(&config).expect("engine");
    let Some(module) = weft_module(&engine, &wasm) else {
        return;
    };
    let artifact = match module.serialize() {
        Ok(a) => a,
        Err(e) if matches!(e.kind(), weft::ErrorKind::Limit(_)) => return,
        Err(e) => panic!("serializing a valid module failed: {e}"),
    };
    bump(&stats::ARTIFACTS);
    match mutate_artifact(script, &artifact) {
        Some((bytes, log)) if bytes != artifact => {
            load_corrupted(&engine, &bytes, &log);
            load_corrupted_raw(&engine, &artifact, &bytes, &log);
        }
        _ => load_unmodified(&engine, &module, &artifact),
    }
}

/// `Module::deserialize_raw` of `bytes`, which must stay unchanged while
/// `f` runs (the module is dropped before this returns).
fn with_raw_module<R>(
    engine: &weft::Engine,
    bytes: &[u8],
    f: impl FnOnce(weft::Result<weft::Module>) -> R,
) -> R {
    // SAFETY: `bytes` is borrowed for this whole function, so it stays
    // valid and unchanged, and `f` gets the module by value: it and
    // everything made from it (stores are local to `run_artifact_module`)
    // are dropped before `f` returns. Trust: the callers pass either an
    // artifact `serialize` wrote, or one that differs from it only in
    // what the trusted loaders check: the header apart from the Wasm
    // binary's range, the function table, code and constants (verified
    // per function), and the metadata sections of the embedded Wasm
    // binary (every index checked at load); its code section, whose
    // bodies they skip, is intact.
    let module = unsafe { weft::Module::deserialize_raw(engine, core::ptr::NonNull::from(bytes)) };
    f(module)
}

fn load_unmodified(engine: &weft::Engine, module: &weft::Module, artifact: &[u8]) {
    weft::ArtifactInfo::parse(artifact).expect("the header of an unmodified artifact");
    assert!(
        charges_fuel_on_every_cycle(artifact),
        "code written by `serialize` has a loop or entry without `ConsumeFuel`, or \
         `charges_fuel_on_every_cycle` misreads the instruction layout (weft::__private::op_layout)"
    );
    let loaded = weft::Module::deserialize(engine, artifact)
        .unwrap_or_else(|e| panic!("an unmodified artifact was refused: {e}"));
    assert_eq!(
        interface(module),
        interface(&loaded),
        "the loaded artifact (right) has other imports or exports than its module (left)"
    );
    let original = run_artifact_module(engine, module, false);
    let from_artifact = run_artifact_module(engine, &loaded, false);
    assert_eq!(
        original, from_artifact,
        "the module loaded from its artifact (right) behaves differently from the module it was written from (left)"
    );
    let again = loaded
        .serialize()
        .unwrap_or_else(|e| panic!("serializing a loaded artifact failed: {e}"));
    assert!(
        again == artifact,
        "serializing the module loaded from an artifact gave other bytes ({} instead of {})",
        again.len(),
        artifact.len()
    );
    with_raw_module(engine, artifact, |raw| {
        let raw =
            raw.unwrap_or_else(|e| panic!("deserialize_raw refused an unmodified artifact: {e}"));
        assert_eq!(
            interface(module),
            interface(&raw),
            "the artifact loaded with deserialize_raw (right) has other imports or exports than its module (left)"
        );
        let from_code = run_artifact_module(engine, &raw, false);
        assert_eq!(
            original, from_code,
            "the artifact's code, loaded with deserialize_raw (right), behaves differently from the module it was written from (left)"
        );
        let again = raw.serialize().unwrap_or_else(|e| {
            panic!("serializing an unmodified raw-loaded artifact failed: {e}")
        });
        assert!(
            again == artifact,
            "serializing the module deserialize_raw loaded gave other bytes"
        );
    });
}

fn load_corrupted(engine: &weft::Engine, bytes: &[u8], log: &[String]) {
    let _ = weft::ArtifactInfo::parse(bytes);
    let loaded = match weft::Module::deserialize(engine, bytes) {
        Ok(m) => m,
        Err(e) => {
            if verbose() {
                eprintln!("{log:?}: deserialize refused: {e}");
            }
            return;
        }
    };
    bump(&stats::CORRUPT_LOADED);
    if verbose() {
        eprintln!("{log:?}: deserialize loaded");
    }
    let run = run_artifact_module(engine, &loaded, true);
    // Serializing gets every function's code (failing if one is corrupt);
    // what it writes must load and behave as the module it came from.
    match loaded.serialize() {
        Ok(again) => {
            let reloaded = weft::Module::deserialize(engine, &again).unwrap_or_else(|e| {
                panic!("an artifact re-serialized from a loaded one was refused: {e}")
            });
            let rerun = run_artifact_module(engine, &reloaded, true);
            assert_eq!(
                run, rerun,
                "a loaded artifact (left) and its re-serialization (right) behave differently"
            );
        }
        Err(e) => check_serialize_error(&e),
    }
}

/// Serializing a loaded artifact may only fail because a function's code
/// does not verify.
fn check_serialize_error(e: &weft::Error) {
    assert!(
        matches!(e.kind(), weft::ErrorKind::CorruptArtifact(_)),
        "serializing a loaded artifact failed with an unexpected error: {e}"
    );
    bump(&stats::CORRUPT_CODE);
}

fn load_corrupted_raw(engine: &weft::Engine, original: &[u8], bytes: &[u8], log: &[String]) {
    // The trusted loaders do not validate the Wasm binary, but they check
    // every index in its metadata (`crates/weft/src/module/trusted.rs`):
    // corruption there must be an error, never a panic. The binary's place
    // and length, and its code section (whose bodies they skip), must be
    // what `serialize` wrote.
    let wasm_range = al::WASM..al::WASM + 16;
    let wasm = Section::read(original, al::WASM, 1);
    let wasm = wasm.start..wasm.start + wasm.count;
    if bytes.len() < wasm.end || bytes.get(wasm_range.clone()) != original.get(wasm_range) {
        return;
    }
    let changed: Vec<usize> = (wasm.start..wasm.end)
        .filter(|&i| bytes[i] != original[i])
        .collect();
    let metadata = wasm_metadata(original);
    if changed
        .iter()
        .any(|i| !metadata.iter().any(|r| r.contains(i)))
    {
        return;
    }
    let safe_to_run = charges_fuel_on_every_cycle(bytes);
    with_raw_module(engine, bytes, |raw| {
        let raw = match raw {
            Ok(m) => m,
            Err(e) => {
                if verbose() {
                    eprintln!("{log:?}: deserialize_raw refused: {e}");
                }
                return;
            }
        };
        bump(&stats::RAW_LOADED);
        if !changed.is_empty() {
            bump(&stats::RAW_METADATA);
        }
        if verbose() {
            eprintln!("{log:?}: deserialize_raw loaded; run: {safe_to_run}");
        }
        let run = safe_to_run.then(|| {
            bump(&stats::RAW_RUN);
            run_artifact_module(engine, &raw, true)
        });
        // Serializing decodes and verifies every function: an error, or an
        // artifact with exactly the code that verified.
        match raw.serialize() {
            Ok(again) => {
                with_raw_module(engine, &again, |reloaded| {
                    let reloaded = reloaded.unwrap_or_else(|e| {
                    panic!("deserialize_raw refused an artifact re-serialized from a loaded one: {e}")
                });
                    if let Some(run) = run {
                        let rerun = run_artifact_module(engine, &reloaded, true);
                        assert_eq!(
                        run, rerun,
                        "a raw-loaded artifact (left) and its re-serialization (right) behave differently"
                    );
                    }
                })
            }
            Err(e) => check_serialize_error(&e),
        }
    });
}
