//! Losing the database while running gives 503s, and the site recovers by itself.
//!
//! The app reaches PostgreSQL through a TCP proxy that the test can cut and restore, as a
//! network failure or a database restart would.

use crate::helpers::spawn_app;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::PgPool;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

/// Forwards TCP connections to where `options` points (a Unix socket or a TCP address).
struct Proxy {
    address: SocketAddr,
    target: PgConnectOptions,
    tasks: Arc<Mutex<Vec<JoinHandle<()>>>>,
}

impl Proxy {
    async fn start(target: PgConnectOptions) -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        let proxy = Proxy {
            address,
            target,
            tasks: Arc::default(),
        };
        proxy.accept_on(listener);
        proxy
    }

    fn accept_on(&self, listener: TcpListener) {
        let target = self.target.clone();
        let tasks = self.tasks.clone();
        let acceptor = tokio::spawn(async move {
            loop {
                let Ok((client, _)) = listener.accept().await else {
                    return;
                };
                let target = target.clone();
                let forward = tokio::spawn(async move {
                    match target.get_socket() {
                        Some(dir) => {
                            let path = dir.join(format!(".s.PGSQL.{}", target.get_port()));
                            if let Ok(server) = tokio::net::UnixStream::connect(path).await {
                                pipe(client, server).await;
                            }
                        }
                        None => {
                            let address = format!("{}:{}", target.get_host(), target.get_port());
                            if let Ok(server) = tokio::net::TcpStream::connect(address).await {
                                pipe(client, server).await;
                            }
                        }
                    }
                });
                tasks.lock().unwrap().push(forward);
            }
        });
        self.tasks.lock().unwrap().push(acceptor);
    }

    /// Refuses new connections and drops the open ones.
    fn cut(&self) {
        for task in self.tasks.lock().unwrap().drain(..) {
            task.abort();
        }
    }

    async fn restore(&self) {
        let listener = TcpListener::bind(self.address).await.unwrap();
        self.accept_on(listener);
    }
}

async fn pipe(
    mut a: impl AsyncRead + AsyncWrite + Unpin,
    mut b: impl AsyncRead + AsyncWrite + Unpin,
) {
    let _ = tokio::io::copy_bidirectional(&mut a, &mut b).await;
}

#[sqlx::test(migrations = "../migrations")]
async fn losing_the_database_gives_503_and_the_site_recovers(pool: PgPool) {
    let direct = pool.connect_options();
    let proxy = Proxy::start((*direct).clone()).await;
    let through_proxy = PgConnectOptions::new()
        .host("127.0.0.1")
        .port(proxy.address.port())
        .username(direct.get_username())
        .database(direct.get_database().unwrap());
    let proxied_pool = PgPoolOptions::new()
        .acquire_timeout(Duration::from_millis(500))
        .test_before_acquire(true)
        .connect_lazy_with(through_proxy);
    let app = spawn_app(proxied_pool).await;

    assert_eq!(app.get("/").await.status(), 200);
    assert_eq!(app.get("/healthz").await.status(), 200);

    proxy.cut();
    // The home page's figures may be served from the short cache; every other page reads
    // the database on each request.
    app.state.home_figures.invalidate();
    assert_eq!(app.get("/products").await.status(), 503);
    let response = app.get("/").await;
    assert_eq!(response.status(), 503);
    let body = response.text().await.unwrap();
    assert!(body.contains(r#"data-testid="error-notice""#), "{body}");
    assert!(body.contains("数据库暂时无法访问"));
    let health = app.get("/healthz").await;
    assert_eq!(health.status(), 503);
    let json: serde_json::Value = health.json().await.unwrap();
    assert_eq!(json["database"], "unavailable");

    proxy.restore().await;
    assert_eq!(
        app.get("/").await.status(),
        200,
        "recovers without a restart"
    );
    assert_eq!(app.get("/healthz").await.status(), 200);
}
