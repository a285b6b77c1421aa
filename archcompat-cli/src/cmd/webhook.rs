//! `archcompat webhook`: the HTTPS listener of the Kubernetes ValidatingAdmissionWebhook.
//!
//! Translation only: TLS (rustls), HTTP/1.1 framing with keep-alive, and bounds on what a
//! client may send (header bytes, body bytes, time to send a request). Decisions, cache,
//! deadline, failure policy and metrics are the core's (`archcompat::Webhook`).

use crate::output::{CliError, Outcome, Output};
use archcompat::{
    FailurePolicy, WEBHOOK_MAX_BODY, Webhook, WebhookConfig as Config, WebhookReply as Reply,
};
use clap::{Args, ValueEnum};
use rustls::ServerConfig;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, mpsc};
use std::time::{Duration, Instant, SystemTime};

/// Arguments of `archcompat webhook`.
#[derive(Debug, Args)]
pub struct WebhookArgs {
    /// Address to listen on (`0.0.0.0:8443` in a cluster, `127.0.0.1:PORT` for tests; port 0 picks one).
    #[arg(long)]
    pub listen: SocketAddr,
    /// PEM certificate chain served to the API server (re-read when the file changes).
    #[arg(long)]
    pub tls_cert: PathBuf,
    /// PEM private key of the certificate.
    #[arg(long)]
    pub tls_key: PathBuf,
    /// The cluster's node platforms or profiles (a pod without arch constraints may land on any).
    #[arg(long, value_delimiter = ',', default_value = "linux/amd64")]
    pub cluster_platforms: Vec<String>,
    /// What to do with an image that cannot be checked in time: deny (fail) or admit with a warning (ignore).
    #[arg(long, value_enum, default_value = "fail")]
    pub failure_policy: Policy,
    /// Seconds one review may take (keep below the webhook's timeoutSeconds, at most 10).
    #[arg(long, default_value_t = archcompat::WEBHOOK_DEADLINE.as_secs_f64())]
    pub deadline: f64,
    /// Seconds a resolved tag is trusted (digest-pinned images are cached for good).
    #[arg(long, default_value_t = archcompat::WEBHOOK_TTL.as_secs())]
    pub cache_ttl: u64,
    /// Reach non-loopback registries over plain HTTP.
    #[arg(long)]
    pub insecure: bool,
    /// Connections served at once.
    #[arg(long, default_value_t = 64)]
    pub workers: usize,
    /// Print the bound address as the first line on stdout (for port 0).
    #[arg(long)]
    pub print_address: bool,
}

/// `--failure-policy`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Policy {
    /// Deny what cannot be checked (fail closed).
    Fail,
    /// Admit what cannot be checked, with a warning (fail open).
    Ignore,
}

/// Largest request head (request line and headers).
const MAX_HEAD: usize = 16 << 10;
/// Time a client has to send one whole request.
const REQUEST_TIME: Duration = Duration::from_secs(10);
/// Idle time allowed between requests on a kept-alive connection.
const IDLE_TIME: Duration = Duration::from_secs(60);

struct Certs {
    cert: PathBuf,
    key: PathBuf,
    stamp: Mutex<(Option<SystemTime>, Option<SystemTime>, Arc<ServerConfig>)>,
}

fn mtime(p: &Path) -> Option<SystemTime> {
    std::fs::metadata(p).and_then(|m| m.modified()).ok()
}

fn load_tls(cert: &Path, key: &Path) -> Result<Arc<ServerConfig>, CliError> {
    let bad = |p: &Path, what: &str| {
        CliError::Core(archcompat::Error::malformed(p.display().to_string(), what))
    };
    let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(cert)
        .map_err(|e| bad(cert, &format!("cannot read PEM certificates: {e}")))?
        .collect::<Result<_, _>>()
        .map_err(|e| bad(cert, &format!("not a PEM certificate chain: {e}")))?;
    if certs.is_empty() {
        return Err(bad(cert, "no CERTIFICATE block in the file"));
    }
    let key_der = PrivateKeyDer::from_pem_file(key)
        .map_err(|e| bad(key, &format!("not a PEM private key: {e}")))?;
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut cfg = ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| CliError::Internal(format!("TLS setup: {e}")))?
        .with_no_client_auth()
        .with_single_cert(certs, key_der)
        .map_err(|e| {
            bad(
                cert,
                &format!("certificate and key do not go together: {e}"),
            )
        })?;
    cfg.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(Arc::new(cfg))
}

impl Certs {
    /// The current configuration, reloaded when either file changed (certificate rotation).
    fn current(&self) -> Arc<ServerConfig> {
        let mut s = self.stamp.lock().unwrap_or_else(|p| p.into_inner());
        let (c, k) = (mtime(&self.cert), mtime(&self.key));
        if (c, k) != (s.0, s.1) {
            match load_tls(&self.cert, &self.key) {
                Ok(cfg) => *s = (c, k, cfg),
                Err(e) => eprintln!("archcompat webhook: keeping the previous certificate: {e}"),
            }
        }
        Arc::clone(&s.2)
    }
}

pub fn run_webhook(args: WebhookArgs, _out: &Output) -> Result<Outcome, CliError> {
    let policy = match args.failure_policy {
        Policy::Fail => FailurePolicy::Fail,
        Policy::Ignore => FailurePolicy::Ignore,
    };
    let config = Config::from_specs(
        &args.cluster_platforms,
        policy,
        args.deadline,
        args.cache_ttl,
        args.insecure,
    )?;
    let certs = Arc::new(Certs {
        stamp: Mutex::new((
            mtime(&args.tls_cert),
            mtime(&args.tls_key),
            load_tls(&args.tls_cert, &args.tls_key)?,
        )),
        cert: args.tls_cert,
        key: args.tls_key,
    });
    let hook = Webhook::new(config);
    let listener = TcpListener::bind(args.listen).map_err(|e| {
        CliError::Core(archcompat::Error::io(
            format!("--listen {}", args.listen),
            e,
        ))
    })?;
    let addr = listener
        .local_addr()
        .map_err(|e| CliError::Internal(e.to_string()))?;
    if args.print_address {
        println!("{addr}");
    }
    eprintln!(
        "archcompat webhook: listening on https://{addr} (POST /validate, GET /healthz, GET /metrics)"
    );
    let workers = args.workers.max(1);
    // Accepted connections wait in a bounded queue for a worker; past it they are refused.
    let (tx, rx) = mpsc::sync_channel::<TcpStream>(workers * 4);
    let rx = Arc::new(Mutex::new(rx));
    for _ in 0..workers {
        let rx = Arc::clone(&rx);
        let hook = Arc::clone(&hook);
        let certs = Arc::clone(&certs);
        std::thread::spawn(move || {
            loop {
                let next = rx.lock().unwrap_or_else(|p| p.into_inner()).recv();
                let Ok(stream) = next else { return };
                serve(stream, &certs.current(), &hook);
            }
        });
    }
    for conn in listener.incoming() {
        match conn {
            Ok(stream) => {
                if let Err(mpsc::TrySendError::Full(s)) = tx.try_send(stream) {
                    // Overloaded: close at once rather than queue without bound.
                    drop(s);
                    hook.count_invalid();
                }
            }
            Err(e) => eprintln!("archcompat webhook: accept: {e}"),
        }
    }
    Ok(Outcome::Ok)
}

/// A client socket whose every read ends at a deadline, so that a client sending a byte at a
/// time (during the TLS handshake or a request) cannot hold a worker past it.
struct TimedSock {
    sock: TcpStream,
    until: Instant,
}

impl Read for TimedSock {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let left = self.until.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(std::io::ErrorKind::TimedOut.into());
        }
        self.sock.set_read_timeout(Some(left))?;
        self.sock.read(buf)
    }
}

impl Write for TimedSock {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.sock.write(buf)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.sock.flush()
    }
}

type Tls = rustls::StreamOwned<rustls::ServerConnection, TimedSock>;

/// One connection: TLS, then requests until the client closes, errs or idles.
fn serve(tcp: TcpStream, cfg: &Arc<ServerConfig>, hook: &Arc<Webhook>) {
    let _ = tcp.set_nodelay(true);
    let _ = tcp.set_write_timeout(Some(REQUEST_TIME));
    let Ok(conn) = rustls::ServerConnection::new(Arc::clone(cfg)) else {
        return;
    };
    let sock = TimedSock {
        sock: tcp,
        until: Instant::now() + REQUEST_TIME,
    };
    let mut tls = rustls::StreamOwned::new(conn, sock);
    let mut first = true;
    loop {
        // The first request (and the handshake) must come within REQUEST_TIME; later ones may
        // idle up to IDLE_TIME before they start.
        tls.sock.until = Instant::now() + if first { REQUEST_TIME } else { IDLE_TIME };
        first = false;
        match read_request(&mut tls) {
            Ok(None) => return,
            Ok(Some(req)) => {
                let reply = hook.handle(&req.method, &req.path, &req.body);
                if write_reply(&mut tls, &reply, req.keep_alive).is_err() || !req.keep_alive {
                    tls.conn.send_close_notify();
                    let _ = tls.flush();
                    return;
                }
            }
            Err(reply) => {
                hook.count_invalid();
                let _ = write_reply(&mut tls, &reply, false);
                tls.conn.send_close_notify();
                let _ = tls.flush();
                return;
            }
        }
    }
}

struct Request {
    method: String,
    path: String,
    body: Vec<u8>,
    keep_alive: bool,
}

fn read_error(e: std::io::Error) -> Reply {
    match e.kind() {
        std::io::ErrorKind::TimedOut | std::io::ErrorKind::WouldBlock => {
            Reply::error(408, "the request was not sent in time")
        }
        _ => Reply::error(400, "the connection failed inside a request"),
    }
}

fn read_request(tls: &mut Tls) -> Result<Option<Request>, Reply> {
    let mut r = BufReader::new(tls);
    let mut head = Vec::new();
    loop {
        let mut line = Vec::new();
        let limit = (MAX_HEAD - head.len().min(MAX_HEAD)) as u64 + 1;
        let n = match (&mut r).take(limit).read_until(b'\n', &mut line) {
            Ok(n) => n,
            // Nothing sent yet (an idle kept-alive connection, or a client that never spoke).
            Err(_) if head.is_empty() && line.is_empty() => return Ok(None),
            Err(e) => return Err(read_error(e)),
        };
        if n == 0 {
            return if head.is_empty() {
                Ok(None)
            } else {
                Err(Reply::error(400, "the request ended inside its headers"))
            };
        }
        if head.len() + line.len() > MAX_HEAD {
            return Err(Reply::error(
                431,
                &format!("request headers over {MAX_HEAD} bytes"),
            ));
        }
        let end = line == b"\r\n" || line == b"\n";
        if head.is_empty() {
            // The request line has come: the rest must follow within REQUEST_TIME.
            r.get_mut().sock.until = Instant::now() + REQUEST_TIME;
        }
        head.extend_from_slice(&line);
        if end {
            break;
        }
    }
    let text = String::from_utf8_lossy(&head);
    let mut lines = text.lines();
    let mut parts = lines.next().unwrap_or("").split_whitespace();
    let (method, path, version) = (
        parts.next().unwrap_or("").to_string(),
        parts.next().unwrap_or("").to_string(),
        parts.next().unwrap_or("").to_string(),
    );
    if method.is_empty() || !path.starts_with('/') || !version.starts_with("HTTP/1.") {
        return Err(Reply::error(400, "not an HTTP/1.1 request"));
    }
    let mut length: Option<usize> = None;
    let mut keep_alive = version == "HTTP/1.1";
    for l in lines {
        let Some((k, v)) = l.split_once(':') else {
            continue;
        };
        let (k, v) = (k.trim().to_ascii_lowercase(), v.trim());
        match k.as_str() {
            "content-length" => {
                length = Some(
                    v.parse()
                        .map_err(|_| Reply::error(400, "bad Content-Length"))?,
                )
            }
            "transfer-encoding" if !v.eq_ignore_ascii_case("identity") => {
                return Err(Reply::error(411, "send the body with a Content-Length"));
            }
            "connection" => keep_alive = !v.eq_ignore_ascii_case("close"),
            _ => {}
        }
    }
    let length = length.unwrap_or(0);
    if length > WEBHOOK_MAX_BODY {
        return Err(Reply::error(
            413,
            &format!(
                "request body of {length} bytes; the limit is {}",
                WEBHOOK_MAX_BODY
            ),
        ));
    }
    let mut body = vec![0u8; length];
    r.read_exact(&mut body).map_err(read_error)?;
    Ok(Some(Request {
        method,
        path,
        body,
        keep_alive,
    }))
}

fn write_reply(w: &mut impl Write, reply: &Reply, keep_alive: bool) -> std::io::Result<()> {
    let reason = match reply.status {
        200 => "OK",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        411 => "Length Required",
        413 => "Payload Too Large",
        431 => "Request Header Fields Too Large",
        _ => "Error",
    };
    let head = format!(
        "HTTP/1.1 {} {reason}\r\nContent-Type: {}\r\nContent-Length: {}\r\nConnection: {}\r\n\r\n",
        reply.status,
        reply.content_type,
        reply.body.len(),
        if keep_alive { "keep-alive" } else { "close" }
    );
    let mut buf = head.into_bytes();
    buf.extend_from_slice(&reply.body);
    w.write_all(&buf)?;
    w.flush()
}
