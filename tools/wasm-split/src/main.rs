//! `wasm-split-tool <cargo .wasm> <out dir> <name>`: splits the raw cargo output of the frontend
//! (linked with `--emit-relocs`) into `<out dir>/<name>_presplit.wasm`, the main module that
//! wasm-bindgen then processes, plus one `split_*.wasm` per `#[lazy]` function, `chunk_*.wasm`
//! for code several of them share, and the loader `__wasm_split.js` (imported by `./<name>.js`).
//! Prints the files it wrote.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    let [_, input, out_dir, name] = &args[..] else {
        eprintln!("usage: wasm-split-tool <cargo .wasm> <out dir> <name>");
        return ExitCode::from(2);
    };
    match split(input, &PathBuf::from(out_dir), name) {
        Ok(files) => {
            for file in files {
                println!("{}", file.display());
            }
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("wasm-split-tool: {error}");
            ExitCode::FAILURE
        }
    }
}

fn split(input: &str, out_dir: &Path, name: &str) -> Result<Vec<PathBuf>, String> {
    let input_wasm = std::fs::read(input).map_err(|error| format!("{input}: {error}"))?;
    let main_out_path = out_dir.join(format!("{name}_presplit.wasm"));
    let main_module = format!("./{name}.js");
    let mut options = wasm_split_cli_support::Options::new(&input_wasm);
    options.output_dir = out_dir;
    options.main_out_path = &main_out_path;
    options.main_module = &main_module;
    options.link_name = "./__wasm_split.js";
    let split = wasm_split_cli_support::transform(options).map_err(|error| format!("{error:?}"))?;
    let mut files = vec![main_out_path.clone()];
    files.extend(split.split_modules);
    Ok(files)
}
