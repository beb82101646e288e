//! Typed views of guest memory for host functions: [`WasmPtr<T>`] (a guest
//! address of one `T`) and [`WasmSlice<T>`] (a guest address and a count),
//! with bounds- and alignment-checked reads and writes of plain-data types
//! ([`Pod`]). They work on the byte slice a host function gets from
//! [`Memory::data_and_store_mut`](crate::Memory::data_and_store_mut), so
//! host state and typed guest data are available together.
//!
//! Wasm memory is little-endian; so are the hosts Weft supports (a
//! big-endian target does not compile this module).

#[cfg(target_endian = "big")]
compile_error!("weft's WasmPtr reads guest memory as native little-endian data");

use alloc::vec::Vec;
use core::marker::PhantomData;
use core::mem::{align_of, size_of};

/// A type that is plain data: `Copy`, no padding, no pointers, and every
/// bit pattern a valid value, so it can be read from and written to guest
/// memory byte for byte.
///
/// # Safety
/// Implement only for types with those properties (e.g. `#[repr(C)]`
/// structs of `Pod` fields without padding).
pub unsafe trait Pod: Copy + 'static {}

macro_rules! pod {
    ($($t:ty),*) => {
        // SAFETY: primitive integers and floats have no padding and every
        // bit pattern is a valid value.
        $(unsafe impl Pod for $t {})*
    };
}
pod!(u8, i8, u16, i16, u32, i32, u64, i64, f32, f64, u128, i128);
// SAFETY: an array of `Pod` has no padding between elements and every bit
// pattern of each element is valid.
unsafe impl<T: Pod, const N: usize> Pod for [T; N] {}

/// Why a typed guest-memory access failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum GuestMemoryError {
    /// `offset..offset + len` (bytes) is outside the memory.
    #[error("guest memory access out of bounds: {len} bytes at offset {offset}")]
    OutOfBounds {
        /// Guest address, in bytes.
        offset: u64,
        /// Length, in bytes.
        len: u64,
    },
    /// The guest address is not a multiple of the type's alignment.
    #[error("misaligned guest pointer: offset {offset} is not a multiple of {align}")]
    Misaligned {
        /// Guest address, in bytes.
        offset: u32,
        /// Required alignment, in bytes.
        align: u32,
    },
    /// The bytes are not valid UTF-8.
    #[error("guest string is not valid UTF-8")]
    InvalidUtf8,
}

impl From<GuestMemoryError> for crate::Error {
    fn from(e: GuestMemoryError) -> crate::Error {
        crate::Error::host(e)
    }
}

fn range(
    offset: u32,
    count: u32,
    size: usize,
    memory_len: usize,
) -> Result<core::ops::Range<usize>, GuestMemoryError> {
    let len = u64::from(count) * size as u64;
    let end = u64::from(offset) + len;
    if end > memory_len as u64 {
        return Err(GuestMemoryError::OutOfBounds {
            offset: offset.into(),
            len,
        });
    }
    Ok(offset as usize..end as usize)
}

fn check_align<T>(offset: u32) -> Result<(), GuestMemoryError> {
    let align = align_of::<T>() as u32;
    if !offset.is_multiple_of(align) {
        return Err(GuestMemoryError::Misaligned { offset, align });
    }
    Ok(())
}

/// The guest address (32-bit offset into linear memory) of a `T`.
///
/// ```
/// use weft::WasmPtr;
/// let mut memory = vec![0u8; 64];
/// let p = WasmPtr::<u32>::new(8);
/// p.write(&mut memory, 0xdead_beef)?;
/// assert_eq!(p.read(&memory)?, 0xdead_beef);
/// assert_eq!(&memory[8..12], &[0xef, 0xbe, 0xad, 0xde]); // little-endian
/// assert!(WasmPtr::<u32>::new(62).read(&memory).is_err()); // out of bounds
/// assert!(WasmPtr::<u32>::new(6).read(&memory).is_err()); // misaligned
/// # Ok::<(), weft::GuestMemoryError>(())
/// ```
pub struct WasmPtr<T> {
    offset: u32,
    _marker: PhantomData<fn() -> T>,
}

impl<T> Clone for WasmPtr<T> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<T> Copy for WasmPtr<T> {}
impl<T> core::fmt::Debug for WasmPtr<T> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "WasmPtr({:#x})", self.offset)
    }
}
impl<T> PartialEq for WasmPtr<T> {
    fn eq(&self, other: &Self) -> bool {
        self.offset == other.offset
    }
}
impl<T> Eq for WasmPtr<T> {}

impl<T: Pod> WasmPtr<T> {
    /// The `T` at guest address `offset` (bytes).
    pub fn new(offset: u32) -> Self {
        WasmPtr {
            offset,
            _marker: PhantomData,
        }
    }

    /// The guest address, in bytes.
    pub fn offset(self) -> u32 {
        self.offset
    }

    /// The pointer `count` elements further, or `None` on 32-bit overflow.
    pub fn checked_add(self, count: u32) -> Option<Self> {
        let bytes = count.checked_mul(size_of::<T>() as u32)?;
        Some(WasmPtr::new(self.offset.checked_add(bytes)?))
    }

    /// `len` consecutive `T`s starting here.
    pub fn slice(self, len: u32) -> WasmSlice<T> {
        WasmSlice { ptr: self, len }
    }

    /// Reads the `T`.
    ///
    /// # Errors
    /// [`GuestMemoryError::OutOfBounds`] or [`GuestMemoryError::Misaligned`].
    pub fn read(self, memory: &[u8]) -> Result<T, GuestMemoryError> {
        check_align::<T>(self.offset)?;
        let r = range(self.offset, 1, size_of::<T>(), memory.len())?;
        // SAFETY: `r` is in bounds and `size_of::<T>()` long; `T: Pod`
        // accepts any bytes; `read_unaligned` needs no host alignment.
        Ok(unsafe { core::ptr::read_unaligned(memory[r].as_ptr().cast::<T>()) })
    }

    /// Writes `value`.
    ///
    /// # Errors
    /// [`GuestMemoryError::OutOfBounds`] or [`GuestMemoryError::Misaligned`].
    pub fn write(self, memory: &mut [u8], value: T) -> Result<(), GuestMemoryError> {
        check_align::<T>(self.offset)?;
        let r = range(self.offset, 1, size_of::<T>(), memory.len())?;
        // SAFETY: `r` is in bounds and `size_of::<T>()` long; `T: Pod` has
        // no padding, so every byte written is initialised.
        unsafe { core::ptr::write_unaligned(memory[r].as_mut_ptr().cast::<T>(), value) };
        Ok(())
    }
}

impl WasmPtr<u8> {
    /// The UTF-8 string of `len` bytes starting here, borrowed from memory.
    ///
    /// # Errors
    /// [`GuestMemoryError::OutOfBounds`] or [`GuestMemoryError::InvalidUtf8`].
    pub fn read_utf8_str(self, memory: &[u8], len: u32) -> Result<&str, GuestMemoryError> {
        self.slice(len).read_utf8_str(memory)
    }
}

/// `len` consecutive `T`s at a guest address.
///
/// ```
/// use weft::{WasmPtr, WasmSlice};
/// let mut memory = vec![0u8; 64];
/// let s: WasmSlice<u16> = WasmPtr::new(4).slice(3);
/// s.write_slice(&mut memory, &[1, 2, 3])?;
/// assert_eq!(s.read_to_vec(&memory)?, vec![1, 2, 3]);
/// let text = WasmPtr::<u8>::new(20).slice(5);
/// text.write_slice(&mut memory, b"hello")?;
/// assert_eq!(text.read_utf8_str(&memory)?, "hello");
/// # Ok::<(), weft::GuestMemoryError>(())
/// ```
pub struct WasmSlice<T> {
    ptr: WasmPtr<T>,
    len: u32,
}

impl<T> Clone for WasmSlice<T> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<T> Copy for WasmSlice<T> {}
impl<T> core::fmt::Debug for WasmSlice<T> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "WasmSlice({:#x}, len {})", self.ptr.offset, self.len)
    }
}

impl<T: Pod> WasmSlice<T> {
    /// `len` elements at guest address `offset` (bytes).
    pub fn new(offset: u32, len: u32) -> Self {
        WasmPtr::new(offset).slice(len)
    }

    /// Number of elements.
    pub fn len(&self) -> u32 {
        self.len
    }

    /// Whether it has no elements.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Pointer to element `i`, if `i < len`.
    pub fn get(&self, i: u32) -> Option<WasmPtr<T>> {
        if i < self.len {
            self.ptr.checked_add(i)
        } else {
            None
        }
    }

    fn checked_range(
        &self,
        memory_len: usize,
    ) -> Result<core::ops::Range<usize>, GuestMemoryError> {
        check_align::<T>(self.ptr.offset)?;
        range(self.ptr.offset, self.len, size_of::<T>(), memory_len)
    }

    /// Copies the elements into `out`, which must be `len` long.
    ///
    /// # Errors
    /// Out of bounds or misaligned; also out of bounds if `out.len()`
    /// differs from `len`.
    pub fn read_slice(&self, memory: &[u8], out: &mut [T]) -> Result<(), GuestMemoryError> {
        let r = self.checked_range(memory.len())?;
        if out.len() != self.len as usize {
            return Err(GuestMemoryError::OutOfBounds {
                offset: self.ptr.offset.into(),
                len: out.len() as u64,
            });
        }
        // SAFETY: `r` is in bounds and holds exactly `out.len()` `T`s'
        // bytes; `out` is a distinct host buffer; `T: Pod` accepts any bytes.
        unsafe {
            core::ptr::copy_nonoverlapping(
                memory[r].as_ptr(),
                out.as_mut_ptr().cast::<u8>(),
                core::mem::size_of_val(out),
            );
        }
        Ok(())
    }

    /// The elements, copied into a vector.
    ///
    /// # Errors
    /// Out of bounds or misaligned.
    pub fn read_to_vec(&self, memory: &[u8]) -> Result<Vec<T>, GuestMemoryError> {
        let r = self.checked_range(memory.len())?;
        let bytes = &memory[r];
        Ok((0..self.len as usize)
            // SAFETY: each element's bytes are within `bytes`, `T: Pod`.
            .map(|i| unsafe {
                core::ptr::read_unaligned(bytes.as_ptr().add(i * size_of::<T>()).cast::<T>())
            })
            .collect())
    }

    /// Writes `values` (exactly `len` of them).
    ///
    /// # Errors
    /// Out of bounds or misaligned, or `values.len()` differs from `len`.
    pub fn write_slice(&self, memory: &mut [u8], values: &[T]) -> Result<(), GuestMemoryError> {
        let r = self.checked_range(memory.len())?;
        if values.len() != self.len as usize {
            return Err(GuestMemoryError::OutOfBounds {
                offset: self.ptr.offset.into(),
                len: values.len() as u64,
            });
        }
        // SAFETY: `r` is in bounds and exactly `values.len()` `T`s long;
        // `T: Pod` has no padding, so all bytes copied are initialised.
        unsafe {
            let n = r.len();
            core::ptr::copy_nonoverlapping(values.as_ptr().cast::<u8>(), memory[r].as_mut_ptr(), n);
        }
        Ok(())
    }
}

impl WasmSlice<u8> {
    /// The bytes, borrowed from memory.
    ///
    /// # Errors
    /// Out of bounds.
    pub fn as_bytes<'m>(&self, memory: &'m [u8]) -> Result<&'m [u8], GuestMemoryError> {
        Ok(&memory[self.checked_range(memory.len())?])
    }

    /// The bytes as UTF-8, borrowed from memory.
    ///
    /// # Errors
    /// Out of bounds or not UTF-8.
    pub fn read_utf8_str<'m>(&self, memory: &'m [u8]) -> Result<&'m str, GuestMemoryError> {
        core::str::from_utf8(self.as_bytes(memory)?).map_err(|_| GuestMemoryError::InvalidUtf8)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[repr(C)]
    #[derive(Clone, Copy, Debug, PartialEq)]
    struct IoVec {
        buf: u32,
        len: u32,
    }
    // SAFETY: two u32 fields, no padding.
    unsafe impl Pod for IoVec {}

    #[test]
    fn structs_and_errors() {
        let mut memory = vec![0u8; 32];
        let iov = WasmSlice::<IoVec>::new(8, 2);
        iov.write_slice(
            &mut memory,
            &[IoVec { buf: 1, len: 2 }, IoVec { buf: 3, len: 4 }],
        )
        .unwrap();
        assert_eq!(
            iov.get(1).unwrap().read(&memory).unwrap(),
            IoVec { buf: 3, len: 4 }
        );
        assert!(iov.get(2).is_none());
        assert_eq!(
            WasmSlice::<IoVec>::new(24, 2).read_to_vec(&memory),
            Err(GuestMemoryError::OutOfBounds {
                offset: 24,
                len: 16
            })
        );
        assert_eq!(
            WasmPtr::<u64>::new(4).read(&memory),
            Err(GuestMemoryError::Misaligned {
                offset: 4,
                align: 8
            })
        );
        assert_eq!(WasmPtr::<u32>::new(u32::MAX).checked_add(1), None);
        memory[0] = 0xff;
        assert_eq!(
            WasmPtr::<u8>::new(0).read_utf8_str(&memory, 1),
            Err(GuestMemoryError::InvalidUtf8)
        );
        let mut out = [IoVec { buf: 0, len: 0 }; 1];
        assert!(
            iov.read_slice(&memory, &mut out).is_err(),
            "length mismatch"
        );
    }
}
