//! Demangling of function names for backtraces: Rust's legacy (`_ZN...E`)
//! and v0 (`_R...`) schemes with `rustc-demangle`, Itanium C++ (`_Z...`,
//! what clang and gcc emit) with `cpp_demangle`. Both work without `std`.
//!
//! Names come from the module (its name section or DWARF), so they are
//! untrusted: the input length is capped and the output is written through
//! a writer that stops at [`MAX_DEMANGLED`] bytes, so a crafted name can
//! neither take long nor use much memory; such a name is shown raw.

use alloc::string::String;
use core::fmt::{self, Write as _};

/// Names longer than this (bytes) are not demangled.
const MAX_MANGLED: usize = 4096;

/// A demangled name longer than this (bytes) is given up on.
const MAX_DEMANGLED: usize = 8192;

/// The demangled form of `name`, or `None` if it is not a Rust or C++
/// mangled name (or too long, or malformed). Rust names lose their hash
/// suffix (`::h0123456789abcdef` for legacy names, crate disambiguators
/// for v0 names), as in Rust's own panic backtraces; C++ names keep their
/// parameter types (`foo::bar(int)`).
pub(crate) fn demangle(name: &str) -> Option<String> {
    if name.len() > MAX_MANGLED {
        return None;
    }
    let mut out = Bounded(String::new());
    if let Ok(rust) = rustc_demangle::try_demangle(name) {
        // `{:#}`: without the hash.
        return write!(out, "{rust:#}").ok().map(|()| out.0);
    }
    // Itanium C++ names start with `_Z` (`__Z` on Mach-O); anything else
    // (`main`, `foo`) would only be refused after a parse.
    if name.starts_with("_Z") || name.starts_with("__Z") {
        let symbol = cpp_demangle::Symbol::new(name.as_bytes()).ok()?;
        symbol
            .structured_demangle(&mut out, &cpp_demangle::DemangleOptions::default())
            .ok()?;
        return Some(out.0);
    }
    None
}

/// A `String` writer that fails once it would pass [`MAX_DEMANGLED`] bytes.
struct Bounded(String);

impl fmt::Write for Bounded {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        if self.0.len() + s.len() > MAX_DEMANGLED {
            return Err(fmt::Error);
        }
        self.0.push_str(s);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::demangle;

    #[test]
    fn rust_legacy_names_lose_their_hash() {
        assert_eq!(
            demangle("_ZN4core9panicking5panic17h0123456789abcdefE").as_deref(),
            Some("core::panicking::panic")
        );
        // With an LLVM suffix, as LTO leaves them.
        assert_eq!(
            demangle("_ZN3std2rt10lang_start17h7dc7c5ba5e0ef6f8E.llvm.123").as_deref(),
            Some("std::rt::lang_start")
        );
    }

    #[test]
    fn rust_v0_names() {
        assert_eq!(
            demangle("_RNvCs15kBYyAo9fc_7mycrate7example").as_deref(),
            Some("mycrate::example")
        );
        assert_eq!(
            demangle("_RNvNtCs1234_7mycrate3foo3bar").as_deref(),
            Some("mycrate::foo::bar")
        );
    }

    #[test]
    fn itanium_cpp_names_keep_their_parameters() {
        assert_eq!(
            demangle("_ZN5space3fooEibc").as_deref(),
            Some("space::foo(int, bool, char)")
        );
        assert_eq!(demangle("_Z7tracemePi").as_deref(), Some("traceme(int*)"));
        assert_eq!(
            demangle("_ZNSt6vectorIiSaIiEE9push_backERKi").as_deref(),
            Some("std::vector<int, std::allocator<int> >::push_back(int const&)")
        );
    }

    #[test]
    fn other_names_are_left_alone() {
        for name in [
            "main",
            "fib",
            "_start",
            "",
            "_Z",
            "_ZN",
            "_R",
            "_ZNotMangled!",
            "__main_void",
        ] {
            assert_eq!(demangle(name), None, "{name}");
        }
    }

    #[test]
    fn huge_or_exploding_names_are_refused_quickly() {
        let long = alloc::format!("_ZN{}E", "3abc".repeat(2000));
        assert_eq!(demangle(&long), None);
        // Back-references that double the output at each level: `f(A,
        // B<A, A>, B<B<A, A>, B<A, A> >, ...)`, 40 levels (2^40 bytes
        // unbounded). The bounded writer gives up on it.
        let mut bomb = alloc::string::String::from("_Z1f1A1BIS_S_E");
        let base36 = |n: u32| char::from_digit(n, 36).unwrap().to_ascii_uppercase();
        for k in 1..40u32 {
            // S{k}_ is substitution k + 1 (`S_` is the first).
            let s = if k < 36 {
                alloc::format!("S{}_", base36(k))
            } else {
                alloc::format!("S{}{}_", base36(k / 36), base36(k % 36))
            };
            bomb.push_str(&alloc::format!("S0_I{s}{s}E"));
        }
        let started = std::time::Instant::now();
        assert_eq!(demangle(&bomb), None);
        // A few levels do demangle (the scheme above is right).
        assert_eq!(
            demangle("_Z1f1A1BIS_S_ES0_IS1_S1_E").as_deref(),
            Some("f(A, B<A, A>, B<B<A, A>, B<A, A> >)")
        );
        assert!(started.elapsed() < std::time::Duration::from_secs(5));
    }
}
