//! `plugin-host PLUGIN_DIR INPUT`: runs every plugin of `PLUGIN_DIR` on
//! `INPUT` and prints one line per plugin, `name: ok OUTPUT` or
//! `name: error KIND: MESSAGE`. Exits 0 when the directory was read (a
//! failing plugin is a reported result, not a host failure), 2 on bad
//! usage, 1 if the directory cannot be read.

use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    let [_, dir, input] = args.as_slice() else {
        eprintln!("usage: plugin-host PLUGIN_DIR INPUT");
        return ExitCode::from(2);
    };
    let mut host = match plugin_host::PluginHost::load_dir(dir) {
        Ok(host) => host,
        Err(e) => {
            eprintln!("plugin-host: cannot read plugin directory `{dir}`: {e}");
            return ExitCode::from(1);
        }
    };
    for (name, result) in host.call_all(input) {
        println!("{}", plugin_host::report_line(&name, &result));
    }
    ExitCode::SUCCESS
}
