//! The code cache: machine code compiled in one run, kept in a directory
//! for the next (`Config::code_cache`; the CLI's `-C cache`, on by default
//! as in Wasmtime's CLI). Under `Strategy::Auto`, each function tier-up
//! compiles is appended to its module's cache file as it is compiled, and
//! the next run of the same module starts with all of them installed, so
//! that a big program finishes at compiled speed from its second run on;
//! a whole-module compile (`Strategy::Cranelift`, and `Auto`'s eager
//! compile of small modules) is kept and loaded whole.
//!
//! One file per module and code-affecting setting:
//! `<dir>/<module hash>-<settings hash>.weftcode`. The settings hash
//! covers this build of Weft (`WEFT_BUILD_ID`: its sources and pinned
//! Cranelift), the target (CPU features, guard region: the
//! `target_description` a native artifact records) and the `Config`
//! settings that change code. The file holds a copy of the module's Wasm
//! binary, compared byte for byte before anything in it is used, so
//! another module whose hash collides never gets this one's code; then
//! records appended one `write` each (a function, or a whole image), each
//! with a checksum, so a record torn by a crash or a concurrent writer
//! ends what is read, and is never run.
//!
//! Trust: code in the cache runs as it is, as with Wasmtime's cache; the
//! directory must be writable only by the user running Weft.
//!
//! Eviction: a run that uses a file renews its modification time; after
//! a whole image is appended, and after every sixteenth of
//! `Config::code_cache_max_size` appended by tier-up, if the directory's
//! cache files together pass that size the least recently used are
//! deleted until they fit ([`evict`]; never the file being written). A
//! file stops growing at [`MAX_FILE`].

use alloc::boxed::Box;
use alloc::vec::Vec;
use core::sync::atomic::Ordering;
use std::io::{Read, Write};
use std::path::PathBuf;
use std::sync::Mutex;

use super::code_memory::CodeMemory;
use super::{signals, BodySites, CodeSites, Image};
use crate::module::native::NativeCode;
use crate::module::ModuleInner;

/// The file format's version (in the header and the settings hash).
const FORMAT: u32 = 1;
const MAGIC: &[u8; 8] = b"WEFTCODE";
const HEADER: usize = 64;
/// A record's header: magic, kind, six numbers, the payload's length, a
/// zero word, the checksum (of the header before it and the payload).
const RECORD: usize = 48;
const RECORD_MAGIC: u32 = u32::from_le_bytes(*b"WREC");
const KIND_FUNCTION: u32 = 1;
const KIND_IMAGE: u32 = 2;
/// A cache file is not appended to past this size (bytes).
const MAX_FILE: u64 = 1 << 30;

/// One module's cache file under one setting.
pub(crate) struct CodeCache {
    path: PathBuf,
    /// [`hash64`] of the module's Wasm binary.
    module_hash: u64,
    writer: Mutex<Writer>,
}

#[derive(Default)]
struct Writer {
    /// Open for appending (after the first record written).
    file: Option<std::fs::File>,
    /// Writing failed (or the file is full): nothing more is written.
    given_up: bool,
    /// Bytes appended since the directory was last checked against
    /// `Config::code_cache_max_size`.
    unchecked: u64,
}

/// A function record read from a cache file.
struct FunctionRecord<'a> {
    def: u32,
    /// The body, padding, then the entry at `entry_at`.
    code: &'a [u8],
    entry_at: u32,
    body_len: u32,
    sites: BodySites,
}

impl CodeCache {
    /// The cache of `module` under its engine's settings, if the engine
    /// has a cache directory (`Config::code_cache`) and the compiler
    /// supports the host.
    pub(crate) fn open(module: &ModuleInner) -> Option<CodeCache> {
        let config = module.engine.config();
        let dir = config.code_cache.as_ref()?;
        let target = super::target_description(config)?;
        let settings = alloc::format!(
            "format {FORMAT}\nbuild {}\nconfig {:016x}\nkeep interpreted {:?}\n{target}",
            env!("WEFT_BUILD_ID"),
            crate::artifact::config_fingerprint(config),
            config.keep_interpreted,
        );
        let module_hash = hash64(&module.wasm);
        let name = alloc::format!(
            "{module_hash:016x}-{:016x}.weftcode",
            hash64(settings.as_bytes())
        );
        Some(CodeCache {
            path: dir.join(name),
            module_hash,
            writer: Mutex::new(Writer::default()),
        })
    }

    /// The records of the cache file if it exists and is for `module`
    /// (its header and Wasm copy match); a file that exists but is not
    /// (another format, a torn header) is removed, to be written anew.
    fn read(&self, module: &ModuleInner) -> Option<Vec<u8>> {
        let mut file = std::fs::File::open(&self.path).ok()?;
        let wasm: &[u8] = &module.wasm;
        let mut header = [0u8; HEADER];
        let fits = file.read_exact(&mut header).is_ok()
            && header == self.header(module)
            && same_bytes(&mut file, wasm);
        if !fits {
            drop(file);
            let _ = std::fs::remove_file(&self.path);
            return None;
        }
        let mut records = Vec::new();
        file.read_to_end(&mut records).ok()?;
        // Used now: the last to be evicted.
        if let Ok(f) = std::fs::OpenOptions::new().append(true).open(&self.path) {
            let _ = f.set_modified(std::time::SystemTime::now());
        }
        Some(records)
    }

    fn header(&self, module: &ModuleInner) -> [u8; HEADER] {
        let mut h = [0u8; HEADER];
        h[..8].copy_from_slice(MAGIC);
        h[8..12].copy_from_slice(&FORMAT.to_le_bytes());
        h[16..24].copy_from_slice(&(module.wasm.len() as u64).to_le_bytes());
        h[24..32].copy_from_slice(&self.module_hash.to_le_bytes());
        h
    }

    /// Installs the functions cached for `module` into `native` (fresh
    /// tier-up tables, nothing published yet): each then runs its
    /// machine code from its first call.
    pub(crate) fn load_functions(&self, module: &ModuleInner, native: &NativeCode) {
        let Some(bytes) = self.read(module) else {
            return;
        };
        let defs = module.num_defined_funcs();
        let mut code = Vec::new();
        let mut sites = CodeSites::default();
        // (defined function, offset of its body, offset of its entry)
        let mut placed: Vec<(u32, usize, usize)> = Vec::new();
        let mut seen = alloc::vec![false; defs as usize];
        for record in records(&bytes) {
            let Record::Function(f) = record else {
                continue;
            };
            if f.def >= defs || core::mem::replace(&mut seen[f.def as usize], true) {
                continue;
            }
            code.resize(code.len().next_multiple_of(32), 0);
            let start = code.len();
            let Ok(start32) = u32::try_from(start) else {
                break;
            };
            code.extend_from_slice(f.code);
            sites.append(start32, f.body_len, f.def, &f.sites);
            placed.push((f.def, start, start + f.entry_at as usize));
        }
        if placed.is_empty() || u32::try_from(code.len()).is_err() {
            return;
        }
        let Some(memory) = CodeMemory::new(&code) else {
            return;
        };
        let base = memory.address(0);
        // As tier-up publishes a function: registered first, then the
        // table, then the entry.
        super::perf_map::record(module, base, &sites);
        let registration =
            signals::register(base, code.len(), alloc::sync::Arc::new(sites), native);
        let mut owned = super::lock(&native.memory);
        // Dropped in this order: unregistered, then unmapped.
        owned.push(Box::new(registration));
        owned.push(Box::new(memory));
        drop(owned);
        // (Nothing runs yet: these tables are being made.) Their bodies'
        // addresses, then call stubs for the other functions they call
        // (as tier-up makes them), then their entries.
        let index = |def: u32| (module.num_imported_funcs + def) as usize;
        for &(def, body, _) in &placed {
            native.funcs[index(def)].store(base + body, Ordering::Release);
        }
        let defs: Vec<u32> = placed.iter().map(|&(def, _, _)| def).collect();
        if super::callee_stubs(module, native, &defs).is_err() {
            for &(def, _, _) in &placed {
                native.funcs[index(def)].store(0, Ordering::Release);
            }
            return;
        }
        for &(def, _, entry) in &placed {
            native.state[def as usize].store(2, Ordering::Relaxed);
            native.entries[def as usize].store(base + entry, Ordering::Release);
        }
    }

    /// The whole-module image cached for `module`, with its code.
    pub(crate) fn load_image(&self, module: &ModuleInner) -> Option<Image> {
        let bytes = self.read(module)?;
        let image = records(&bytes).find_map(|record| {
            let Record::Image { tables, code } = record else {
                return None;
            };
            let mut image = crate::artifact::native::read_tables(tables, code.len()).ok()?;
            crate::artifact::native::fits(&image, module).ok()?;
            image.code = code.to_vec();
            Some(image)
        });
        image
    }

    /// Appends function `def` of `module` as tier-up compiled it: `code`
    /// is its body (`body_len` bytes, with `sites`), padding, then its
    /// entry at `entry_at`. Failures are silent: the cache is an
    /// optimisation, and the next run compiles again.
    pub(crate) fn store_function(
        &self,
        module: &ModuleInner,
        def: u32,
        code: &[u8],
        entry_at: u32,
        body_len: u32,
        sites: &BodySites,
    ) {
        let mut payload =
            Vec::with_capacity(code.len() + 8 * (sites.heap_traps.len() + sites.calls.len()) + 8);
        payload.extend_from_slice(code);
        payload.resize(payload.len().next_multiple_of(8), 0);
        // The stack maps follow the two tables the numbers count, after
        // a pair of their own counts.
        let maps = (sites.frames.len() as u32, sites.ref_slots.len() as u32);
        // Then the handlers, after their count (twice: a pair).
        let handlers = (sites.handlers.len() as u32, sites.handlers.len() as u32);
        for &(at, wasm) in sites
            .heap_traps
            .iter()
            .chain(&sites.calls)
            .chain([&maps])
            .chain(&sites.frames)
            .chain(&sites.ref_slots)
            .chain([&handlers])
            .chain(&sites.handlers)
            .chain(&sites.handler_frames)
        {
            payload.extend_from_slice(&at.to_le_bytes());
            payload.extend_from_slice(&wasm.to_le_bytes());
        }
        let numbers = [
            def,
            code.len() as u32,
            entry_at,
            body_len,
            sites.heap_traps.len() as u32,
            sites.calls.len() as u32,
        ];
        self.append(module, KIND_FUNCTION, numbers, &payload);
    }

    /// Appends `module`'s whole `image`.
    pub(crate) fn store_image(&self, module: &ModuleInner, image: &Image) {
        let mut payload = Vec::with_capacity(image.code.len() + 64);
        crate::artifact::native::encode_tables(image, &mut payload);
        payload.resize(payload.len().next_multiple_of(8), 0);
        let tables_len = payload.len() as u32;
        payload.extend_from_slice(&image.code);
        payload.resize(payload.len().next_multiple_of(8), 0);
        let numbers = [tables_len, image.code.len() as u32, 0, 0, 0, 0];
        self.append(module, KIND_IMAGE, numbers, &payload);
    }

    fn append(&self, module: &ModuleInner, kind: u32, numbers: [u32; 6], payload: &[u8]) {
        if u32::try_from(payload.len()).is_err() {
            return;
        }
        let mut record = Vec::with_capacity(RECORD + payload.len());
        record.extend_from_slice(&RECORD_MAGIC.to_le_bytes());
        record.extend_from_slice(&kind.to_le_bytes());
        for n in numbers {
            record.extend_from_slice(&n.to_le_bytes());
        }
        record.extend_from_slice(&(payload.len() as u32).to_le_bytes());
        record.extend_from_slice(&[0; 12]);
        debug_assert_eq!(record.len(), RECORD);
        record.extend_from_slice(payload);
        let sum = checksum(&record[..RECORD], payload);
        record[RECORD - 8..RECORD].copy_from_slice(&sum.to_le_bytes());
        let mut writer = super::lock(&self.writer);
        if writer.given_up {
            return;
        }
        let written = (|| {
            if writer.file.is_none() {
                writer.file = Some(self.create(module)?);
            }
            let file = writer.file.as_mut()?;
            if file.metadata().ok()?.len() + record.len() as u64 > MAX_FILE {
                return None;
            }
            file.write_all(&record).ok()
        })();
        if written.is_none() {
            writer.given_up = true;
            return;
        }
        // Past the size limit, evict: after a whole image, and after every
        // sixteenth of the limit appended by tier-up.
        let max = module.engine.config().code_cache_max_size;
        writer.unchecked += record.len() as u64;
        if kind == KIND_IMAGE || writer.unchecked >= max / 16 {
            writer.unchecked = 0;
            if let Some(dir) = self.path.parent() {
                evict(dir, max, &self.path);
            }
        }
    }

    /// The cache file opened for appending, made (header and Wasm copy)
    /// if there is none: written under a temporary name and linked into
    /// place, so that no reader sees a file without its header.
    fn create(&self, module: &ModuleInner) -> Option<std::fs::File> {
        let append = || {
            std::fs::OpenOptions::new()
                .append(true)
                .open(&self.path)
                .ok()
        };
        if let Some(file) = append() {
            return Some(file);
        }
        std::fs::create_dir_all(self.path.parent()?).ok()?;
        static COUNTER: core::sync::atomic::AtomicU32 = core::sync::atomic::AtomicU32::new(0);
        let mut tmp = self.path.clone().into_os_string();
        tmp.push(alloc::format!(
            ".{}.{}.tmp",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        ));
        let tmp = PathBuf::from(tmp);
        let made = (|| {
            let mut file = std::fs::File::create(&tmp).ok()?;
            file.write_all(&self.header(module)).ok()?;
            file.write_all(&module.wasm).ok()?;
            let pad = module.wasm.len().next_multiple_of(8) - module.wasm.len();
            file.write_all(&[0; 8][..pad]).ok()?;
            match std::fs::hard_link(&tmp, &self.path) {
                Ok(()) => Some(()),
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Some(()),
                Err(_) => None,
            }
        })();
        let _ = std::fs::remove_file(&tmp);
        made?;
        append()
    }
}

/// Deletes the least recently modified cache files (`*.weftcode`) of
/// `dir` until those left take at most `max` bytes together, never
/// `keep`. Files that cannot be read or deleted are left (another process
/// may be evicting too).
fn evict(dir: &std::path::Path, max: u64, keep: &std::path::Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut files: Vec<(std::time::SystemTime, u64, PathBuf)> = entries
        .filter_map(|e| {
            let e = e.ok()?;
            let path = e.path();
            (path.extension()? == "weftcode").then_some(())?;
            let meta = e.metadata().ok()?;
            Some((meta.modified().ok()?, meta.len(), path))
        })
        .collect();
    let mut total: u64 = files.iter().map(|f| f.1).sum();
    files.sort();
    for (_, len, path) in files {
        if total <= max {
            break;
        }
        if path != keep && std::fs::remove_file(&path).is_ok() {
            total -= len;
        }
    }
}

/// Whether the next bytes of `file` are `wasm` and its padding to 8.
fn same_bytes(file: &mut std::fs::File, wasm: &[u8]) -> bool {
    let mut buf = alloc::vec![0u8; 1 << 20];
    let mut rest = wasm;
    while !rest.is_empty() {
        let n = rest.len().min(buf.len());
        if file.read_exact(&mut buf[..n]).is_err() || buf[..n] != rest[..n] {
            return false;
        }
        rest = &rest[n..];
    }
    let pad = wasm.len().next_multiple_of(8) - wasm.len();
    file.read_exact(&mut buf[..pad]).is_ok()
}

enum Record<'a> {
    Function(FunctionRecord<'a>),
    Image { tables: &'a [u8], code: &'a [u8] },
}

/// The well-formed records of `bytes` (what follows the header and the
/// Wasm copy), up to the first one that is not (torn, or corrupt).
fn records(bytes: &[u8]) -> impl Iterator<Item = Record<'_>> + '_ {
    let mut at = 0usize;
    core::iter::from_fn(move || {
        let head = bytes.get(at..at.checked_add(RECORD)?)?;
        let word =
            |i: usize| u32::from_le_bytes(head[i * 4..i * 4 + 4].try_into().unwrap_or_default());
        let len = word(8) as usize;
        let payload = bytes.get(at + RECORD..(at + RECORD).checked_add(len)?)?;
        let sum = u64::from_le_bytes(head[RECORD - 8..].try_into().unwrap_or_default());
        if word(0) != RECORD_MAGIC || checksum(head, payload) != sum {
            return None;
        }
        at += RECORD + len;
        let numbers = [word(2), word(3), word(4), word(5), word(6), word(7)];
        Some(match word(1) {
            KIND_FUNCTION => Record::Function(function(numbers, payload)?),
            KIND_IMAGE => {
                let (tables, code) = (numbers[0] as usize, numbers[1] as usize);
                match (
                    payload.get(..tables),
                    payload.get(tables..tables.checked_add(code)?),
                ) {
                    (Some(tables), Some(code)) => Record::Image { tables, code },
                    _ => return None,
                }
            }
            _ => return None,
        })
    })
}

/// A function record from its numbers and payload, if they agree.
fn function(numbers: [u32; 6], payload: &[u8]) -> Option<FunctionRecord<'_>> {
    let [def, code_len, entry_at, body_len, heap_traps, calls] = numbers;
    let code = payload.get(..code_len as usize)?;
    if body_len > entry_at || entry_at >= code_len {
        return None;
    }
    let mut pairs = payload
        .get((code_len as usize).next_multiple_of(8)..)?
        .chunks_exact(8)
        .map(|p| {
            let w = |i: usize| u32::from_le_bytes([p[i], p[i + 1], p[i + 2], p[i + 3]]);
            (w(0), w(4))
        });
    let heap_traps: Vec<_> = pairs.by_ref().take(heap_traps as usize).collect();
    let calls: Vec<_> = pairs.by_ref().take(calls as usize).collect();
    let (frames, ref_slots) = pairs.next()?;
    let frames: Vec<_> = pairs.by_ref().take(frames as usize).collect();
    let ref_slots: Vec<_> = pairs.by_ref().take(ref_slots as usize).collect();
    let (handlers, handler_frames) = pairs.next()?;
    let handlers: Vec<_> = pairs.by_ref().take(handlers as usize).collect();
    let handler_frames: Vec<_> = pairs.by_ref().take(handler_frames as usize).collect();
    let sites = BodySites {
        heap_traps,
        calls,
        frames,
        ref_slots,
        handlers,
        handler_frames,
    };
    let mut check = CodeSites::default();
    check.append(0, body_len, def, &sites);
    check.is_well_formed(body_len).then_some(FunctionRecord {
        def,
        code,
        entry_at,
        body_len,
        sites,
    })
}

fn checksum(head: &[u8], payload: &[u8]) -> u64 {
    hash64(&head[..RECORD - 8]) ^ hash64(payload).rotate_left(17)
}

/// A fast 64-bit hash (four multiply-rotate lanes over 8-byte words): for
/// file names and record checksums, not for security (a module's
/// identity is checked byte for byte).
fn hash64(bytes: &[u8]) -> u64 {
    const K: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut lanes = [
        0x243F_6A88_85A3_08D3u64,
        0x1319_8A2E_0370_7344,
        0xA409_3822_299F_31D0,
        0x082E_FA98_EC4E_6C89,
    ];
    let mut chunks = bytes.chunks_exact(32);
    for chunk in &mut chunks {
        for (i, lane) in lanes.iter_mut().enumerate() {
            let mut w = [0u8; 8];
            w.copy_from_slice(&chunk[i * 8..i * 8 + 8]);
            *lane = (*lane ^ u64::from_le_bytes(w))
                .wrapping_mul(K)
                .rotate_left(29);
        }
    }
    let mut h = (bytes.len() as u64).wrapping_mul(K);
    for (i, &b) in chunks.remainder().iter().enumerate() {
        h = (h ^ u64::from(b) << ((i % 8) * 8))
            .wrapping_mul(K)
            .rotate_left(23);
    }
    for lane in lanes {
        h = (h ^ lane).wrapping_mul(K).rotate_left(31);
    }
    h ^ (h >> 29)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hash_sees_every_byte_and_the_length() {
        let base: Vec<u8> = (0..100u32).map(|i| (i * 7) as u8).collect();
        let h = hash64(&base);
        for i in 0..base.len() {
            let mut other = base.clone();
            other[i] ^= 1;
            assert_ne!(hash64(&other), h, "byte {i}");
        }
        assert_ne!(hash64(&base[..99]), h);
        let mut longer = base.clone();
        longer.push(0);
        assert_ne!(hash64(&longer), h);
    }

    #[test]
    fn eviction_deletes_the_least_recently_used_files_until_they_fit() {
        let dir = std::env::temp_dir().join(alloc::format!("weft-evict-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let t0 = std::time::SystemTime::now();
        // a (oldest) .. e (newest), 100 bytes each, and a file of
        // another kind, which is never counted or deleted.
        for (i, name) in ["a", "b", "c", "d", "e"].iter().enumerate() {
            let path = dir.join(alloc::format!("{name}.weftcode"));
            std::fs::write(&path, [0u8; 100]).unwrap();
            let f = std::fs::OpenOptions::new()
                .append(true)
                .open(&path)
                .unwrap();
            f.set_modified(t0 - std::time::Duration::from_secs(100 - i as u64))
                .unwrap();
        }
        std::fs::write(dir.join("other.txt"), [0u8; 1000]).unwrap();
        let left = || {
            let mut names: Vec<String> = std::fs::read_dir(&dir)
                .unwrap()
                .map(|e| e.unwrap().file_name().into_string().unwrap())
                .collect();
            names.sort();
            names
        };
        // Under the limit: nothing goes.
        evict(&dir, 500, &dir.join("a.weftcode"));
        assert_eq!(left().len(), 6);
        // 300 bytes: the two oldest go, except `a`, which is being made.
        evict(&dir, 300, &dir.join("a.weftcode"));
        assert_eq!(
            left(),
            ["a.weftcode", "d.weftcode", "e.weftcode", "other.txt"]
        );
        evict(&dir, 0, &dir.join("e.weftcode"));
        assert_eq!(left(), ["e.weftcode", "other.txt"]);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn records_stop_at_a_torn_or_corrupt_one() {
        let sites = BodySites {
            heap_traps: alloc::vec![(2, 10)],
            calls: alloc::vec![(6, 12)],
            frames: alloc::vec![(6, 32)],
            ref_slots: alloc::vec![(6, 8)],
            handlers: alloc::vec![(6, 16)],
            handler_frames: alloc::vec![(6, 24)],
        };
        let one = |def: u32| {
            let mut payload = alloc::vec![0x90u8; 48];
            // The two tables, the stack maps' counts, the maps, the
            // handlers' counts, the handlers.
            for n in [2u32, 10, 6, 12, 1, 1, 6, 32, 6, 8, 1, 1, 6, 16, 6, 24] {
                payload.extend_from_slice(&n.to_le_bytes());
            }
            let mut r = Vec::new();
            r.extend_from_slice(&RECORD_MAGIC.to_le_bytes());
            r.extend_from_slice(&KIND_FUNCTION.to_le_bytes());
            for n in [def, 48, 32, 20, 1, 1, payload.len() as u32, 0] {
                r.extend_from_slice(&n.to_le_bytes());
            }
            r.extend_from_slice(&[0; 8]);
            r.extend_from_slice(&payload);
            let sum = checksum(&r[..RECORD], &r[RECORD..]);
            r[RECORD - 8..RECORD].copy_from_slice(&sum.to_le_bytes());
            r
        };
        let mut bytes = one(3);
        bytes.extend(one(4));
        let defs = |b: &[u8]| -> Vec<u32> {
            records(b)
                .map(|r| match r {
                    Record::Function(f) => {
                        assert_eq!(f.sites.heap_traps, sites.heap_traps);
                        assert_eq!(f.sites.calls, sites.calls);
                        assert_eq!(f.sites.frames, sites.frames);
                        assert_eq!(f.sites.ref_slots, sites.ref_slots);
                        assert_eq!(f.sites.handlers, sites.handlers);
                        assert_eq!(f.sites.handler_frames, sites.handler_frames);
                        f.def
                    }
                    Record::Image { .. } => u32::MAX,
                })
                .collect()
        };
        assert_eq!(defs(&bytes), [3, 4]);
        // Torn: the second record cut short.
        assert_eq!(defs(&bytes[..bytes.len() - 1]), [3]);
        // Corrupt: a byte of the first record's code flipped.
        let mut bad = bytes.clone();
        bad[RECORD + 5] ^= 1;
        assert_eq!(defs(&bad), Vec::<u32>::new());
    }
}
