fn main() {
    let mut total = weft_wast::Report::default();
    for p in std::env::args().skip(1) {
        let r = weft_wast::run_wast_file(std::path::Path::new(&p)).unwrap();
        for f in &r.failures {
            println!("{f}");
        }
        total.merge(r);
    }
    println!("{} passed, {} failed", total.passed, total.failed);
}
