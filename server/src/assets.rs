//! Static files: the hashed bundle under `/pkg` and the files from `public/`.

use axum::body::Body;
use axum::response::Response;
use http::header::{self, HeaderValue};
use http::Request;
use leptos::config::LeptosOptions;
use std::convert::Infallible;
use std::io::Write;
use std::path::{Path, PathBuf};
use tower::util::BoxCloneSyncService;
use tower::{Layer, Service, ServiceExt};
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;

type FileService = BoxCloneSyncService<Request<Body>, Response, Infallible>;

/// Kinds of file worth compressing ahead of time (the wasm is most of the download).
const COMPRESSIBLE: &[&str] = &["wasm", "js", "css", "svg", "json"];

fn pkg_dir(options: &LeptosOptions) -> PathBuf {
    Path::new(options.site_root.as_ref()).join(options.site_pkg_dir.as_ref())
}

/// `/pkg`: with hashed names a file never changes, so browsers may keep it for a year.
/// Without hashing (a development build) they must check every time.
pub fn pkg_service(options: &LeptosOptions) -> FileService {
    let cache_control = if options.hash_files {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    };
    let files = ServeDir::new(pkg_dir(options))
        .precompressed_br()
        .precompressed_gzip();
    let service = SetResponseHeaderLayer::overriding(
        header::CACHE_CONTROL,
        HeaderValue::from_static(cache_control),
    )
    .layer(files);
    BoxCloneSyncService::new(ServiceExt::<Request<Body>>::map_response(
        service,
        |response| response.map(Body::new),
    ))
}

/// Files copied from `public/` (favicon and the like), with `not_found` for anything else.
pub fn public_service<S>(options: &LeptosOptions, not_found: S) -> FileService
where
    S: Service<Request<Body>, Response = Response, Error = Infallible>
        + Clone
        + Send
        + Sync
        + 'static,
    S::Future: Send + 'static,
{
    // Any other method on a path that is no file is the 404 page too (not 405: there is no
    // such resource at all).
    let files = ServeDir::new(options.site_root.as_ref())
        .append_index_html_on_directories(false)
        .call_fallback_on_method_not_allowed(true)
        .fallback(not_found);
    let service = SetResponseHeaderLayer::if_not_present(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=3600"),
    )
    .layer(files);
    BoxCloneSyncService::new(ServiceExt::<Request<Body>>::map_response(
        service,
        |response| response.map(Body::new),
    ))
}

/// Writes `.br` and `.gz` beside each bundle file, once, off the request path.
pub fn precompress_in_background(options: &LeptosOptions) {
    let dir = pkg_dir(options);
    tokio::task::spawn_blocking(move || match precompress_dir(&dir) {
        Ok(count) => tracing::info!(count, dir = %dir.display(), "precompressed assets"),
        Err(error) => {
            tracing::warn!(%error, dir = %dir.display(), "assets not precompressed; serving them as they are")
        }
    });
}

/// Compresses every compressible file whose `.br`/`.gz` is missing or older; returns how
/// many files it wrote.
pub fn precompress_dir(dir: &Path) -> std::io::Result<usize> {
    let mut written = 0;
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        let compressible = path
            .extension()
            .and_then(|ext| ext.to_str())
            .is_some_and(|ext| COMPRESSIBLE.contains(&ext));
        if !compressible || !path.is_file() {
            continue;
        }
        let source = std::fs::read(&path)?;
        let modified = std::fs::metadata(&path)?.modified()?;
        for (suffix, compress) in [
            ("br", brotli_bytes as fn(&[u8]) -> std::io::Result<Vec<u8>>),
            ("gz", gzip_bytes),
        ] {
            let target = PathBuf::from(format!("{}.{suffix}", path.display()));
            let fresh = std::fs::metadata(&target)
                .and_then(|meta| meta.modified())
                .is_ok_and(|time| time >= modified);
            if !fresh {
                // Write then rename, so a reader never sees half a file.
                let partial = PathBuf::from(format!("{}.partial", target.display()));
                std::fs::write(&partial, compress(&source)?)?;
                std::fs::rename(&partial, &target)?;
                written += 1;
            }
        }
    }
    Ok(written)
}

fn brotli_bytes(source: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut output = Vec::new();
    let params = brotli::enc::BrotliEncoderParams {
        quality: 11,
        ..Default::default()
    };
    brotli::BrotliCompress(&mut &source[..], &mut output, &params)?;
    Ok(output)
}

fn gzip_bytes(source: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(source)?;
    encoder.finish()
}
