//! Compiles `module.wat` to a Weft artifact in `OUT_DIR` for the library
//! to embed with `include_bytes!`.

fn main() {
    let engine = weft::Engine::default();
    let wat = std::fs::read("module.wat").expect("module.wat is readable");
    let artifact = engine.precompile_module(&wat).expect("module.wat compiles");
    let out = std::path::PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    std::fs::write(out.join("module.cwasm"), artifact).expect("OUT_DIR is writable");
    println!("cargo:rerun-if-changed=module.wat");
}
