//! The registry client against misbehaving servers written here (127.0.0.1, an OS-chosen port,
//! bounded loops, each stops by itself): a stall before a manifest's headers or on the token
//! endpoint, a manifest or blob that drips one byte a second or stops half way, an endless
//! chunked manifest and an endless error body. Each ends in a clear error naming the reference
//! and the limit, within the deadline. A server asking for a Bearer token is read with one token
//! for every request of several image reads.
#![cfg(feature = "registry")]

use archcompat::{Host, Options, Platform, check_image};
use sha2::{Digest, Sha256};
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// Token requests served by `Mode::Bearer` servers.
static TOKENS: AtomicUsize = AtomicUsize::new(0);

#[derive(Clone, Copy, PartialEq)]
enum Mode {
    Healthy,
    /// Every request but the token's wants `Bearer t0k`; the realm is this server's `/token`.
    Bearer,
    /// As `Bearer`, but the token endpoint never answers.
    StallToken,
    /// The manifest request never gets its headers.
    StallHeaders,
    DripManifest,
    StallManifest,
    EndlessManifest,
    EndlessError,
    StallBlob,
    DripBlob,
    Refused,
}

struct Image {
    manifest: Vec<u8>,
    config: (String, Vec<u8>),
    layer: (String, Vec<u8>),
}

fn image() -> Image {
    let mut b = tar::Builder::new(Vec::new());
    let mut h = tar::Header::new_gnu();
    h.set_size(10);
    h.set_mode(0o755);
    b.append_data(&mut h, "bin/app", &b"#!/bin/sh\n"[..])
        .unwrap();
    let layer = b.into_inner().unwrap();
    let ld = format!("sha256:{:x}", Sha256::digest(&layer));
    let cfg = format!(
        r#"{{"architecture":"amd64","os":"linux","config":{{"Entrypoint":["/bin/app"]}},"rootfs":{{"type":"layers","diff_ids":["{ld}"]}}}}"#
    )
    .into_bytes();
    let cd = format!("sha256:{:x}", Sha256::digest(&cfg));
    let manifest = format!(
        r#"{{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"{cd}","size":{}}},"layers":[{{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"{ld}","size":{}}}]}}"#,
        cfg.len(),
        layer.len()
    )
    .into_bytes();
    Image {
        manifest,
        config: (cd, cfg),
        layer: (ld, layer),
    }
}

/// Serve `mode` on 127.0.0.1 for at most 20 seconds; returns the port.
fn serve(mode: Mode) -> u16 {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = l.local_addr().unwrap().port();
    if mode == Mode::Refused {
        drop(l);
        return port;
    }
    l.set_nonblocking(true).unwrap();
    std::thread::spawn(move || {
        let end = Instant::now() + Duration::from_secs(20);
        while Instant::now() < end {
            match l.accept() {
                Ok((s, _)) => {
                    std::thread::spawn(move || conn(s, mode, end, port));
                }
                Err(_) => std::thread::sleep(Duration::from_millis(20)),
            }
        }
    });
    port
}

fn conn(s: TcpStream, mode: Mode, end: Instant, port: u16) {
    let _ = s.set_nonblocking(false);
    let _ = s.set_read_timeout(Some(Duration::from_secs(10)));
    let img = image();
    let mut r = BufReader::new(s.try_clone().unwrap());
    let mut w = s;
    for _ in 0..20 {
        let mut line = String::new();
        if r.read_line(&mut line).unwrap_or(0) == 0 {
            return;
        }
        let path = line.split_whitespace().nth(1).unwrap_or("").to_string();
        let mut bearer = false;
        loop {
            let mut h = String::new();
            if r.read_line(&mut h).unwrap_or(0) == 0 || h == "\r\n" {
                break;
            }
            bearer |= h.to_ascii_lowercase().trim_end() == "authorization: bearer t0k";
        }
        let ok = |w: &mut TcpStream, ct: &str, body: &[u8]| {
            let _ = write!(
                w,
                "HTTP/1.1 200 OK\r\nContent-Type: {ct}\r\nContent-Length: {}\r\n\r\n",
                body.len()
            );
            let _ = w.write_all(body);
        };
        let sleep_until = |t: Instant| {
            while Instant::now() < t.min(end) {
                std::thread::sleep(Duration::from_millis(50));
            }
        };
        if matches!(mode, Mode::Bearer | Mode::StallToken) {
            if path.starts_with("/token?") {
                assert!(
                    path.contains("scope=repository%3Ademo%2Fapp%3Apull"),
                    "{path}"
                );
                if mode == Mode::StallToken {
                    sleep_until(Instant::now() + Duration::from_secs(8));
                    return;
                }
                TOKENS.fetch_add(1, Ordering::SeqCst);
                ok(
                    &mut w,
                    "application/json",
                    br#"{"token":"t0k","expires_in":300}"#,
                );
                continue;
            }
            if !bearer {
                let _ = write!(
                    w,
                    "HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Bearer realm=\"http://127.0.0.1:{port}/token\",service=\"test\",scope=\"repository:demo/app:pull\"\r\nContent-Length: 0\r\n\r\n"
                );
                continue;
            }
        }
        if path == "/v2/" {
            ok(&mut w, "application/json", b"{}");
            continue;
        }
        if path.contains("/manifests/") {
            let m = &img.manifest;
            match mode {
                Mode::StallHeaders => {
                    sleep_until(Instant::now() + Duration::from_secs(8));
                    return;
                }
                Mode::DripManifest => {
                    let _ = write!(
                        w,
                        "HTTP/1.1 200 OK\r\nContent-Type: application/vnd.oci.image.manifest.v1+json\r\nContent-Length: {}\r\n\r\n",
                        m.len()
                    );
                    for b in m.iter().take(15) {
                        if w.write_all(&[*b]).and_then(|_| w.flush()).is_err() {
                            return;
                        }
                        sleep_until(Instant::now() + Duration::from_secs(1));
                    }
                    return;
                }
                Mode::StallManifest => {
                    let _ = write!(
                        w,
                        "HTTP/1.1 200 OK\r\nContent-Type: application/vnd.oci.image.manifest.v1+json\r\nContent-Length: {}\r\n\r\n",
                        m.len()
                    );
                    let _ = w.write_all(&m[..m.len() / 2]);
                    let _ = w.flush();
                    sleep_until(Instant::now() + Duration::from_secs(8));
                    return;
                }
                Mode::EndlessManifest | Mode::EndlessError => {
                    let status = if mode == Mode::EndlessError {
                        "404 Not Found"
                    } else {
                        "200 OK"
                    };
                    let _ = write!(
                        w,
                        "HTTP/1.1 {status}\r\nContent-Type: application/vnd.oci.image.manifest.v1+json\r\nTransfer-Encoding: chunked\r\n\r\n"
                    );
                    let chunk = vec![b' '; 64 << 10];
                    // At most 1 GiB, until the client hangs up.
                    for _ in 0..16384 {
                        if write!(w, "{:x}\r\n", chunk.len())
                            .and_then(|_| w.write_all(&chunk))
                            .and_then(|_| w.write_all(b"\r\n"))
                            .is_err()
                            || Instant::now() > end
                        {
                            return;
                        }
                    }
                    return;
                }
                _ => ok(&mut w, "application/vnd.oci.image.manifest.v1+json", m),
            }
            continue;
        }
        if path.contains("/blobs/") {
            if path.ends_with(&img.config.0) {
                ok(&mut w, "application/octet-stream", &img.config.1);
                continue;
            }
            let l = &img.layer.1;
            let _ = write!(
                w,
                "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: {}\r\n\r\n",
                l.len()
            );
            match mode {
                Mode::StallBlob => {
                    let _ = w.write_all(&l[..l.len() / 2]);
                    let _ = w.flush();
                    sleep_until(Instant::now() + Duration::from_secs(8));
                }
                Mode::DripBlob => {
                    for b in l.iter().take(15) {
                        if w.write_all(&[*b]).and_then(|_| w.flush()).is_err() {
                            return;
                        }
                        sleep_until(Instant::now() + Duration::from_secs(1));
                    }
                }
                _ => {
                    let _ = w.write_all(l);
                    continue;
                }
            }
            return;
        }
        let _ = w.write_all(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n");
    }
}

fn opts() -> Options {
    let mut o = Options::default();
    o.limits.registry_grace_secs = 2;
    o.limits.registry_min_rate = 1024;
    o.limits.registry_deadline_secs = 6;
    o
}

fn run(mode: Mode) -> String {
    let port = serve(mode);
    let src = format!("docker://127.0.0.1:{port}/demo/app:1");
    let host = Host::from_platform("linux/amd64".parse::<Platform>().unwrap());
    let t = Instant::now();
    let r = check_image(&src, &host, &opts());
    // Bounded by the deadline (6 s) plus slack, whatever the server does.
    assert!(t.elapsed() < Duration::from_secs(15), "{:?}", t.elapsed());
    match r {
        Ok(r) => panic!("expected an error, got {:?}", r.verdict),
        Err(e) => {
            let e = e.to_string();
            assert!(e.contains(&src), "names the input: {e}");
            e
        }
    }
}

#[test]
fn a_healthy_server_is_read_through_the_same_client() {
    let port = serve(Mode::Healthy);
    let src = format!("docker://127.0.0.1:{port}/demo/app:1");
    let host = Host::from_platform("linux/amd64".parse::<Platform>().unwrap());
    let r = check_image(&src, &host, &opts()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(r.layers.len(), 1);
    assert_eq!(r.binaries.scanned, 1);
}

#[test]
fn stalls_drips_and_endless_bodies_end_in_clear_errors() {
    let e = run(Mode::DripManifest);
    assert!(
        e.contains("slower than the minimum of 1024 bytes per second") || e.contains("deadline"),
        "{e}"
    );
    let e = run(Mode::StallManifest);
    assert!(
        e.contains("sent nothing for 2 seconds") || e.contains("deadline"),
        "{e}"
    );
    let e = run(Mode::EndlessManifest);
    assert!(e.contains("larger than"), "{e}");
    let e = run(Mode::EndlessError);
    assert!(e.contains("404"), "{e}");
    let e = run(Mode::StallBlob);
    assert!(
        e.contains("sent nothing for 2 seconds") || e.contains("deadline"),
        "{e}"
    );
    let e = run(Mode::DripBlob);
    assert!(
        e.contains("slower than the minimum") || e.contains("deadline"),
        "{e}"
    );
    let e = run(Mode::StallHeaders);
    assert!(e.contains("deadline") || e.contains("timed out"), "{e}");
    let e = run(Mode::StallToken);
    assert!(e.contains("deadline") || e.contains("timed out"), "{e}");
}

#[test]
fn a_bearer_token_is_negotiated_once_and_reused() {
    let port = serve(Mode::Bearer);
    let src = format!("docker://127.0.0.1:{port}/demo/app:1");
    let host = Host::from_platform("linux/amd64".parse::<Platform>().unwrap());
    for _ in 0..3 {
        let r = check_image(&src, &host, &opts()).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(r.binaries.scanned, 1);
    }
    // Manifest, config and layer, three times: one token (it lives 300 s).
    assert_eq!(TOKENS.load(Ordering::SeqCst), 1);
}

#[test]
fn a_refused_connection_keeps_its_cause() {
    let e = run(Mode::Refused);
    assert!(e.to_lowercase().contains("refused"), "{e}");
}
