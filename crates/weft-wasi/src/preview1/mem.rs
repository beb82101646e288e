//! Bounds-checked access to guest linear memory.
//!
//! Guest memory is a plain `&mut [u8]`; guest pointers are `u32` offsets
//! into it. Every helper here checks the whole range first and returns
//! [`Errno::Fault`] when any byte of it is outside the memory, so no guest
//! input can make the host panic. Values are little-endian, as in Wasm.
//! Alignment is not required (Wasm itself does not require it).

use crate::errno::Errno;

/// The range `ptr .. ptr + len` of `mem`, or `EFAULT`.
fn range(mem_len: usize, ptr: u32, len: u64) -> Result<std::ops::Range<usize>, Errno> {
    let start = u64::from(ptr);
    let end = start.checked_add(len).ok_or(Errno::Fault)?;
    if end > mem_len as u64 {
        return Err(Errno::Fault);
    }
    // Both fit in usize: they are at most `mem_len`.
    Ok(start as usize..end as usize)
}

/// `ptr + off` as a guest address, or `EFAULT` if it does not fit one.
pub fn offset(ptr: u32, off: u64) -> Result<u32, Errno> {
    u64::from(ptr)
        .checked_add(off)
        .and_then(|a| u32::try_from(a).ok())
        .ok_or(Errno::Fault)
}

/// Borrows `len` bytes at `ptr`.
pub fn slice(mem: &[u8], ptr: u32, len: u32) -> Result<&[u8], Errno> {
    let r = range(mem.len(), ptr, u64::from(len))?;
    Ok(&mem[r])
}

/// Borrows `len` bytes at `ptr`, mutably.
pub fn slice_mut(mem: &mut [u8], ptr: u32, len: u32) -> Result<&mut [u8], Errno> {
    let r = range(mem.len(), ptr, u64::from(len))?;
    Ok(&mut mem[r])
}

/// Copies `bytes` to `ptr`.
pub fn write_bytes(mem: &mut [u8], ptr: u32, bytes: &[u8]) -> Result<(), Errno> {
    let r = range(mem.len(), ptr, bytes.len() as u64)?;
    mem[r].copy_from_slice(bytes);
    Ok(())
}

fn read_array<const N: usize>(mem: &[u8], ptr: u32) -> Result<[u8; N], Errno> {
    let r = range(mem.len(), ptr, N as u64)?;
    let mut out = [0u8; N];
    out.copy_from_slice(&mem[r]);
    Ok(out)
}

/// Reads a `u8`.
pub fn read_u8(mem: &[u8], ptr: u32) -> Result<u8, Errno> {
    Ok(read_array::<1>(mem, ptr)?[0])
}

/// Reads a little-endian `u16`.
pub fn read_u16(mem: &[u8], ptr: u32) -> Result<u16, Errno> {
    Ok(u16::from_le_bytes(read_array(mem, ptr)?))
}

/// Reads a little-endian `u32`.
pub fn read_u32(mem: &[u8], ptr: u32) -> Result<u32, Errno> {
    Ok(u32::from_le_bytes(read_array(mem, ptr)?))
}

/// Reads a little-endian `u64`.
pub fn read_u64(mem: &[u8], ptr: u32) -> Result<u64, Errno> {
    Ok(u64::from_le_bytes(read_array(mem, ptr)?))
}

/// Writes a `u8`.
pub fn write_u8(mem: &mut [u8], ptr: u32, v: u8) -> Result<(), Errno> {
    write_bytes(mem, ptr, &[v])
}

/// Writes a little-endian `u16`.
pub fn write_u16(mem: &mut [u8], ptr: u32, v: u16) -> Result<(), Errno> {
    write_bytes(mem, ptr, &v.to_le_bytes())
}

/// Writes a little-endian `u32`.
pub fn write_u32(mem: &mut [u8], ptr: u32, v: u32) -> Result<(), Errno> {
    write_bytes(mem, ptr, &v.to_le_bytes())
}

/// Writes a little-endian `u64`.
pub fn write_u64(mem: &mut [u8], ptr: u32, v: u64) -> Result<(), Errno> {
    write_bytes(mem, ptr, &v.to_le_bytes())
}

/// Reads a guest string (`ptr`, `len`, not NUL-terminated). Invalid UTF-8 is
/// `EILSEQ`, as the witx `string` type requires UTF-8.
pub fn read_str(mem: &[u8], ptr: u32, len: u32) -> Result<&str, Errno> {
    std::str::from_utf8(slice(mem, ptr, len)?).map_err(|_| Errno::Ilseq)
}

/// One `iovec`/`ciovec`: a buffer in guest memory.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct IoVec {
    /// Guest address of the buffer.
    pub buf: u32,
    /// Length of the buffer in bytes.
    pub len: u32,
}

/// Reads an array of `count` iovecs (8 bytes each: `buf: u32, buf_len: u32`)
/// at `ptr`, and checks that every buffer lies inside memory, so a caller can
/// do I/O knowing no buffer will fault half-way.
pub fn read_iovecs(mem: &[u8], ptr: u32, count: u32) -> Result<Vec<IoVec>, Errno> {
    // Check the whole array before allocating for it.
    range(mem.len(), ptr, u64::from(count) * 8)?;
    let mut out = Vec::with_capacity(count as usize);
    for i in 0..count {
        let at = offset(ptr, u64::from(i) * 8)?;
        let iov = IoVec {
            buf: read_u32(mem, at)?,
            len: read_u32(mem, offset(at, 4)?)?,
        };
        range(mem.len(), iov.buf, u64::from(iov.len))?;
        out.push(iov);
    }
    Ok(out)
}

/// The sum of the lengths, or `EINVAL` if it does not fit the guest's `size`.
pub fn iovecs_total(iovs: &[IoVec]) -> Result<u32, Errno> {
    let total: u64 = iovs.iter().map(|v| u64::from(v.len)).sum();
    u32::try_from(total).map_err(|_| Errno::Inval)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scalar_round_trip_and_bounds() {
        let mut mem = vec![0u8; 16];
        write_u64(&mut mem, 8, 0x0102_0304_0506_0708).unwrap();
        assert_eq!(read_u64(&mem, 8).unwrap(), 0x0102_0304_0506_0708);
        assert_eq!(mem[8], 0x08, "little-endian");
        write_u16(&mut mem, 0, 0xBEEF).unwrap();
        assert_eq!(read_u16(&mem, 0).unwrap(), 0xBEEF);
        write_u32(&mut mem, 12, 7).unwrap();
        assert_eq!(read_u32(&mem, 12).unwrap(), 7);
        assert_eq!(read_u8(&mem, 15).unwrap(), 0);
        assert_eq!(read_u64(&mem, 9), Err(Errno::Fault));
        assert_eq!(write_u32(&mut mem, 13, 1), Err(Errno::Fault));
        assert_eq!(read_u8(&mem, 16), Err(Errno::Fault));
        assert_eq!(read_u32(&mem, u32::MAX), Err(Errno::Fault));
        assert_eq!(slice(&mem, u32::MAX, u32::MAX).err(), Some(Errno::Fault));
        assert_eq!(slice(&mem, 16, 0).unwrap().len(), 0);
    }

    #[test]
    fn offsets() {
        assert_eq!(offset(8, 8), Ok(16));
        assert_eq!(offset(u32::MAX, 0), Ok(u32::MAX));
        assert_eq!(offset(u32::MAX, 1), Err(Errno::Fault));
        assert_eq!(offset(0, u64::MAX), Err(Errno::Fault));
    }

    #[test]
    fn strings() {
        let mut mem = vec![0u8; 8];
        write_bytes(&mut mem, 0, b"hi\xff").unwrap();
        assert_eq!(read_str(&mem, 0, 2).unwrap(), "hi");
        assert_eq!(read_str(&mem, 0, 3), Err(Errno::Ilseq));
        assert_eq!(read_str(&mem, 6, 3), Err(Errno::Fault));
    }

    #[test]
    fn iovecs_checked() {
        let mut mem = vec![0u8; 64];
        // two iovecs at 0: (32, 4), (40, 8)
        write_u32(&mut mem, 0, 32).unwrap();
        write_u32(&mut mem, 4, 4).unwrap();
        write_u32(&mut mem, 8, 40).unwrap();
        write_u32(&mut mem, 12, 8).unwrap();
        let v = read_iovecs(&mem, 0, 2).unwrap();
        assert_eq!(
            v,
            vec![IoVec { buf: 32, len: 4 }, IoVec { buf: 40, len: 8 }]
        );
        assert_eq!(iovecs_total(&v).unwrap(), 12);
        // a buffer past the end
        write_u32(&mut mem, 12, 100).unwrap();
        assert_eq!(read_iovecs(&mem, 0, 2), Err(Errno::Fault));
        // the array itself past the end, and a huge count
        assert_eq!(read_iovecs(&mem, 60, 1), Err(Errno::Fault));
        assert_eq!(read_iovecs(&mem, 0, u32::MAX), Err(Errno::Fault));
    }
}
