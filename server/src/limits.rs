//! The one limiter of the site: per-client request budgets (`governor`, a keyed GCRA rate
//! limiter), a request timeout and a limit on requests in flight. Later features take
//! their own [`Budget`] here (sign-in, uploads, the API per token) rather than adding
//! another limiter.
//!
//! A client is its IP address: the connection's peer, or, when the peer is one of the
//! configured `TRUSTED_PROXIES`, the nearest address in `X-Forwarded-For` that is not a
//! trusted proxy. Counters live in each server's memory: behind a load balancer with N
//! servers, a client may get up to N times a budget.

use crate::config::parse_env;
use anyhow::{Context, Result};
use axum::extract::{ConnectInfo, OriginalUri, Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use governor::clock::{Clock as _, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use http::{header, HeaderMap, StatusCode};
use ipnet::IpNet;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::num::{NonZeroU32, NonZeroU64, NonZeroUsize};
use std::sync::Arc;
use std::time::Duration;

const DEFAULT_PER_SECOND: NonZeroU32 = NonZeroU32::new(50).expect("not zero");

/// The limits, from the environment (README, "Configuration").
#[derive(Clone, Debug)]
pub struct LimitSettings {
    /// `RATE_LIMIT_PER_SECOND`: requests a client may make per second, sustained, kept as
    /// the time one request's budget takes to come back (a second divided by the rate).
    pub refill_every: Duration,
    /// `RATE_LIMIT_BURST`: how many it may make at once after a pause.
    pub burst: NonZeroU32,
    /// `EXPORT_RATE_PER_MINUTE`: search exports per client per minute (each runs up to 50
    /// searches), with a burst of 3.
    pub exports_per_minute: NonZeroU32,
    /// `ACCOUNT_RATE_PER_MINUTE`: sign-in, sign-up, reset and confirmation posts per
    /// client per minute, and sign-in and reset attempts per account address (10, with
    /// that burst).
    pub account_actions_per_minute: NonZeroU32,
    /// `REQUEST_TIMEOUT_SECONDS`: longer requests are answered 503.
    pub request_timeout: Duration,
    /// `UPLOAD_TIMEOUT_SECONDS`: the same for an attachment's upload, whose 10 MiB may take
    /// minutes over a slow mobile link (default 300 s).
    pub upload_timeout: Duration,
    /// `MAX_CONCURRENT_REQUESTS`: requests in flight before more are answered 503.
    pub max_concurrent: usize,
    /// `TRUSTED_PROXIES`: addresses or networks (`10.0.0.0/8,127.0.0.1`) whose
    /// `X-Forwarded-For` is believed.
    pub trusted_proxies: Vec<IpNet>,
}

impl Default for LimitSettings {
    fn default() -> Self {
        LimitSettings {
            refill_every: Duration::from_secs(1) / DEFAULT_PER_SECOND.get(),
            burst: NonZeroU32::new(200).expect("not zero"),
            exports_per_minute: NonZeroU32::new(10).expect("not zero"),
            account_actions_per_minute: NonZeroU32::new(10).expect("not zero"),
            request_timeout: Duration::from_secs(30),
            upload_timeout: Duration::from_secs(300),
            max_concurrent: 512,
            trusted_proxies: Vec::new(),
        }
    }
}

impl LimitSettings {
    pub fn from_env() -> Result<LimitSettings> {
        let defaults = LimitSettings::default();
        Ok(LimitSettings {
            refill_every: Duration::from_secs(1)
                / parse_env("RATE_LIMIT_PER_SECOND", DEFAULT_PER_SECOND)?.get(),
            burst: parse_env("RATE_LIMIT_BURST", defaults.burst)?,
            exports_per_minute: parse_env("EXPORT_RATE_PER_MINUTE", defaults.exports_per_minute)?,
            account_actions_per_minute: parse_env(
                "ACCOUNT_RATE_PER_MINUTE",
                defaults.account_actions_per_minute,
            )?,
            // Zero would refuse every request: both are at least 1.
            request_timeout: Duration::from_secs(
                parse_env(
                    "REQUEST_TIMEOUT_SECONDS",
                    NonZeroU64::new(30).expect("not zero"),
                )?
                .get(),
            ),
            upload_timeout: Duration::from_secs(
                parse_env(
                    "UPLOAD_TIMEOUT_SECONDS",
                    NonZeroU64::new(300).expect("not zero"),
                )?
                .get(),
            ),
            max_concurrent: parse_env(
                "MAX_CONCURRENT_REQUESTS",
                NonZeroUsize::new(defaults.max_concurrent).expect("not zero"),
            )?
            .get(),
            trusted_proxies: parse_proxies(&crate::config::env_or("TRUSTED_PROXIES", ""))?,
        })
    }
}

/// `TRUSTED_PROXIES`: addresses or networks, separated by commas.
pub fn parse_proxies(list: &str) -> Result<Vec<IpNet>> {
    list.split(',')
        .map(str::trim)
        .filter(|entry| !entry.is_empty())
        .map(|entry| {
            entry
                .parse::<IpNet>()
                .or_else(|_| entry.parse::<IpAddr>().map(IpNet::from))
                .with_context(|| {
                    format!("TRUSTED_PROXIES: {entry:?} is not an address or network such as 10.0.0.0/8")
                })
        })
        .collect()
}

/// What a request spends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Budget {
    /// Every request but the bundle's files.
    General,
    /// `/api/v1/search/export`, on top of the general budget.
    Export,
    /// Account posts (sign-in, sign-up, reset, confirmation), on top of the general budget.
    AccountAction,
}

/// The budgets of every client, for this server.
pub struct Limiter {
    general: DefaultKeyedRateLimiter<IpAddr>,
    export: DefaultKeyedRateLimiter<IpAddr>,
    account_action: DefaultKeyedRateLimiter<IpAddr>,
    /// Sign-in and reset attempts per account address (normalised), from any client.
    per_account: DefaultKeyedRateLimiter<String>,
    trusted_proxies: Vec<IpNet>,
}

impl Limiter {
    pub fn new(settings: &LimitSettings) -> Limiter {
        let refill = settings.refill_every.max(Duration::from_nanos(1));
        let general = Quota::with_period(refill)
            .expect("a refill period is not zero")
            .allow_burst(settings.burst);
        let export = Quota::per_minute(settings.exports_per_minute)
            .allow_burst(NonZeroU32::new(3).expect("not zero"));
        let account = Quota::per_minute(settings.account_actions_per_minute);
        Limiter {
            general: RateLimiter::keyed(general),
            export: RateLimiter::keyed(export),
            account_action: RateLimiter::keyed(account),
            per_account: RateLimiter::keyed(account),
            trusted_proxies: settings.trusted_proxies.clone(),
        }
    }

    /// Spends one request of `budget` for `client`; when none is left, says how long to
    /// wait.
    pub fn check(&self, budget: Budget, client: IpAddr) -> Result<(), Duration> {
        let limiter = match budget {
            Budget::General => &self.general,
            Budget::Export => &self.export,
            Budget::AccountAction => &self.account_action,
        };
        limiter
            .check_key(&budget_key(client))
            .map_err(|not_until| not_until.wait_time_from(DefaultClock::default().now()))
    }

    /// Spends one attempt on the account with address `email` (normalised), whoever
    /// makes it; when none is left, says how long to wait.
    pub fn check_account(&self, email: &str) -> Result<(), Duration> {
        self.per_account
            .check_key(&email.to_owned())
            .map_err(|not_until| not_until.wait_time_from(DefaultClock::default().now()))
    }

    /// The client of a request (see the module's documentation).
    pub fn client(&self, peer: Option<SocketAddr>, headers: &HeaderMap) -> IpAddr {
        let Some(peer) = peer else {
            return IpAddr::V4(Ipv4Addr::UNSPECIFIED);
        };
        let peer = peer.ip().to_canonical();
        if !self.is_trusted(peer) {
            return peer;
        }
        // The proxies append: walk from the right past trusted proxies to the client.
        let forwarded = headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|value| value.to_str().ok())
            .flat_map(|value| value.split(','))
            .map(str::trim)
            .collect::<Vec<_>>();
        for hop in forwarded.iter().rev() {
            match parse_hop(hop) {
                Some(address) if self.is_trusted(address) => continue,
                Some(address) => return address,
                None => break, // a forged or garbled entry: trust nothing beyond it
            }
        }
        peer
    }

    fn is_trusted(&self, address: IpAddr) -> bool {
        self.trusted_proxies
            .iter()
            .any(|net| net.contains(&address))
    }

    /// Forgets clients that have not been seen for a while (call it now and then).
    pub fn forget_idle(&self) {
        self.general.retain_recent();
        self.export.retain_recent();
        self.account_action.retain_recent();
        self.per_account.retain_recent();
    }
}

/// Paths that spend nothing: the bundle is immutable and cached by browsers. (Health
/// checks do spend: a load balancer polls far below any budget, and each check queries
/// the database and the search backend.)
fn is_exempt(path: &str) -> bool {
    path.starts_with("/pkg/") || path == "/favicon.svg"
}

/// An address in `X-Forwarded-For`, with or without a port (`198.51.100.7`,
/// `198.51.100.7:4444`, `[2001:db8::1]:4444`).
fn parse_hop(hop: &str) -> Option<IpAddr> {
    hop.parse::<IpAddr>()
        .or_else(|_| hop.parse::<SocketAddr>().map(|address| address.ip()))
        .ok()
        .map(|address| address.to_canonical())
}

/// What a budget is kept per: an IPv4 address, or an IPv6 /64 network (one household or
/// office gets a whole /64, so counting its addresses one by one would give it unlimited
/// budgets and this server unbounded memory).
fn budget_key(client: IpAddr) -> IpAddr {
    match client {
        IpAddr::V6(address) => {
            let network = u128::from(address) & !((1u128 << 64) - 1);
            IpAddr::V6(std::net::Ipv6Addr::from(network))
        }
        v4 => v4,
    }
}

/// The middleware for [`Budget::General`].
pub async fn limit_general(
    State(limiter): State<Arc<Limiter>>,
    request: Request,
    next: Next,
) -> Response {
    if is_exempt(request.uri().path()) {
        return next.run(request).await;
    }
    spend(&limiter, Budget::General, request, next).await
}

/// The middleware for [`Budget::Export`] (on the export route only).
pub async fn limit_export(
    State(limiter): State<Arc<Limiter>>,
    request: Request,
    next: Next,
) -> Response {
    spend(&limiter, Budget::Export, request, next).await
}

async fn spend(limiter: &Limiter, budget: Budget, request: Request, next: Next) -> Response {
    let peer = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(address)| *address);
    let client = limiter.client(peer, request.headers());
    match limiter.check(budget, client) {
        Ok(()) => next.run(request).await,
        Err(wait) => {
            // Inside a nested router (the export, under /api/v1) the URI has lost its prefix.
            let path = match request.extensions().get::<OriginalUri>() {
                Some(OriginalUri(uri)) => uri.path(),
                None => request.uri().path(),
            };
            too_many_requests(path, wait)
        }
    }
}

/// 429 with `Retry-After` (whole seconds, rounded up; RFC 9110 §10.2.3): JSON under the
/// API, a short bilingual text elsewhere.
fn too_many_requests(path: &str, wait: Duration) -> Response {
    let seconds = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
    let seconds = seconds.max(1).to_string();
    let headers = [
        (header::RETRY_AFTER, seconds.clone()),
        (header::CACHE_CONTROL, "no-store".to_owned()),
    ];
    if path.starts_with("/api/v1/") {
        let body = serde_json::json!({"error": {
            "code": "rate_limited",
            "message": format!("too many requests; try again in {seconds} s"),
        }});
        (StatusCode::TOO_MANY_REQUESTS, headers, axum::Json(body)).into_response()
    } else {
        let text = format!(
            "请求过于频繁，请 {seconds} 秒后再试。\nToo many requests: please try again in {seconds} s.\n"
        );
        (StatusCode::TOO_MANY_REQUESTS, headers, text).into_response()
    }
}

/// 503 for a request the server would not start (too many in flight) or finish in time.
/// How long requests may take: [`LimitSettings::request_timeout`], and
/// [`LimitSettings::upload_timeout`] for an attachment's upload.
#[derive(Debug, Clone, Copy)]
pub struct Deadlines {
    pub request: Duration,
    pub upload: Duration,
}

/// Answers a request that runs past its deadline with 503 ([`overloaded`]), whatever it
/// was waiting for (a lock, a slow client's body, an overloaded database).
pub async fn deadline(
    axum::extract::State(deadlines): axum::extract::State<Deadlines>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let path = request.uri().path().to_owned();
    let limit = if crate::routes::attachments::checks_own_token(&path) {
        deadlines.upload
    } else {
        deadlines.request
    };
    match tokio::time::timeout(limit, next.run(request)).await {
        Ok(response) => response,
        Err(_) => {
            tracing::warn!(path, "request timed out: answered 503");
            overloaded(&path)
        }
    }
}

pub fn overloaded(path: &str) -> Response {
    if path.starts_with("/api/v1/") {
        let body = serde_json::json!({"error": {
            "code": "unavailable",
            "message": "the server is busy; try again shortly",
        }});
        (StatusCode::SERVICE_UNAVAILABLE, axum::Json(body)).into_response()
    } else {
        (
            StatusCode::SERVICE_UNAVAILABLE,
            "服务器繁忙，请稍后再试。\nThe server is busy: please try again shortly.\n",
        )
            .into_response()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limiter(trusted: &str) -> Limiter {
        Limiter::new(&LimitSettings {
            trusted_proxies: parse_proxies(trusted).unwrap(),
            ..LimitSettings::default()
        })
    }

    fn forwarded(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert("x-forwarded-for", value.parse().unwrap());
        headers
    }

    #[test]
    fn forwarded_for_counts_only_behind_a_trusted_proxy() {
        let peer: SocketAddr = "203.0.113.9:5000".parse().unwrap();
        let spoofed = forwarded("198.51.100.1");
        assert_eq!(limiter("").client(Some(peer), &spoofed), peer.ip());

        let proxy: SocketAddr = "10.0.0.2:5000".parse().unwrap();
        let behind = limiter("10.0.0.0/8, 127.0.0.1");
        assert_eq!(
            behind.client(Some(proxy), &forwarded("198.51.100.1, 10.0.0.7")),
            "198.51.100.1".parse::<IpAddr>().unwrap(),
            "the nearest untrusted hop is the client"
        );
        assert_eq!(
            behind.client(Some(proxy), &forwarded("6.6.6.6, 198.51.100.1")),
            "198.51.100.1".parse::<IpAddr>().unwrap(),
            "a client cannot pick its address by prepending one"
        );
        assert_eq!(behind.client(Some(proxy), &HeaderMap::new()), proxy.ip());
        assert_eq!(
            behind.client(Some(proxy), &forwarded("garbage")),
            proxy.ip()
        );
    }

    #[test]
    fn a_client_past_its_budget_is_told_when_to_come_back() {
        let limiter = Limiter::new(&LimitSettings {
            refill_every: Duration::from_secs(1),
            burst: NonZeroU32::new(2).unwrap(),
            ..LimitSettings::default()
        });
        let client: IpAddr = "192.0.2.1".parse().unwrap();
        let other: IpAddr = "192.0.2.2".parse().unwrap();
        assert!(limiter.check(Budget::General, client).is_ok());
        assert!(limiter.check(Budget::General, client).is_ok());
        let wait = limiter.check(Budget::General, client).unwrap_err();
        assert!(
            wait > Duration::ZERO && wait <= Duration::from_secs(1),
            "{wait:?}"
        );
        assert!(
            limiter.check(Budget::General, other).is_ok(),
            "budgets are per client"
        );
    }

    #[test]
    fn proxies_are_addresses_or_networks() {
        assert_eq!(parse_proxies("").unwrap(), Vec::<IpNet>::new());
        assert_eq!(
            parse_proxies("127.0.0.1, 10.0.0.0/8, ::1").unwrap().len(),
            3
        );
        assert!(parse_proxies("localhost").is_err());
    }
}
