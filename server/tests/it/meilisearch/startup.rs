//! Start-up with Meilisearch away: the real server binary serves pages at once, searches
//! answer 503 saying search (not the database) is unavailable, `/healthz` names the
//! backend and says "degraded"; once Meilisearch answers, the server applies the settings
//! kept in code and search works. Two servers preparing a missing index together both
//! succeed.

use super::{mock, mock_on, site, SEARCH_KEY, WRITE_KEY};
use app::i18n::Locale;
use app::search::meili::settings;
use serde_json::{json, Value};
use sqlx::PgPool;
use std::net::SocketAddr;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The `catalogue serve` process, stopped when the test ends.
struct Server {
    child: Child,
    address: SocketAddr,
    log: std::path::PathBuf,
    client: reqwest::Client,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    /// Starts the binary with exactly this environment (nothing inherited).
    fn start(database_url: &str, meili_url: &str, dir: &Path) -> Server {
        let address = free_address();
        let log = dir.join("server.log");
        let child = Command::new(env!("CARGO_BIN_EXE_catalogue"))
            .arg("serve")
            .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
            .env_clear()
            .env("DATABASE_URL", database_url)
            .env("LEPTOS_SITE_ADDR", address.to_string())
            .env("LEPTOS_SITE_ROOT", dir)
            .env("LEPTOS_HASH_FILES", "false")
            .env("CATALOGUE_DATA_DIR", dir)
            .env("RUST_LOG", "info")
            // A production deployment sends mail; nothing is sent in this test.
            .env("SMTP_URL", "smtp://127.0.0.1:1")
            .env("MEILI_URL", meili_url)
            .env("MEILI_SITE_ID", "site1")
            .env("MEILI_WRITE_KEY", WRITE_KEY)
            .env("MEILI_SEARCH_KEY", SEARCH_KEY)
            .stdin(Stdio::null())
            .stdout(Stdio::from(std::fs::File::create(&log).unwrap()))
            .stderr(Stdio::from(
                std::fs::OpenOptions::new().append(true).open(&log).unwrap(),
            ))
            .spawn()
            .expect("the server binary starts");
        Server {
            child,
            address,
            log,
            client: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap(),
        }
    }

    fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    async fn get(&self, path: &str) -> reqwest::Response {
        self.get_with(path, None).await
    }

    async fn get_with(&self, path: &str, cookie: Option<&str>) -> reqwest::Response {
        let mut request = self.client.get(format!("http://{}{path}", self.address));
        if let Some(cookie) = cookie {
            request = request.header("cookie", cookie);
        }
        request
            .send()
            .await
            .unwrap_or_else(|e| panic!("GET {path}: {e}\n{}", self.log()))
    }

    /// Waits until the server answers `/healthz`.
    async fn wait_until_serving(&mut self) {
        let started = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                panic!("the server exited ({status}):\n{}", self.log());
            }
            let url = format!("http://{}/healthz", self.address);
            if self.client.get(url).send().await.is_ok() {
                return;
            }
            assert!(
                started.elapsed() < Duration::from_secs(60),
                "the server did not start:\n{}",
                self.log()
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}

/// An address of loopback where nothing listens (yet).
fn free_address() -> SocketAddr {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
}

/// The URL of the test's own database (a fresh one per test), on the server `DATABASE_URL`
/// names.
async fn database_url(pool: &PgPool) -> String {
    let name: String = sqlx::query_scalar("SELECT current_database()")
        .fetch_one(pool)
        .await
        .unwrap();
    let mut url = url::Url::parse(&std::env::var("DATABASE_URL").expect("DATABASE_URL is set"))
        .expect("DATABASE_URL is a URL");
    url.set_path(&format!("/{name}"));
    url.to_string()
}

#[sqlx::test(migrations = "../migrations")]
async fn the_site_starts_without_meilisearch_and_applies_its_settings_once_it_answers(
    pool: PgPool,
) {
    let meili = free_address();
    let dir = tempfile::tempdir().unwrap();
    let mut server = Server::start(
        &database_url(&pool).await,
        &format!("http://{meili}"),
        dir.path(),
    );
    server.wait_until_serving().await;

    // Pages that do not search work.
    let home = server.get("/").await;
    assert_eq!(home.status(), 200, "{}", server.log());

    // Searching says search is unavailable: in the API, and on the page in each language.
    let api = server.get("/api/v1/search?q=robot").await;
    assert_eq!(api.status(), 503);
    let body: Value = api.json().await.unwrap();
    assert_eq!(body["error"]["code"], "search_unavailable", "{body}");
    assert_eq!(body["error"]["message"], "search is unavailable", "{body}");
    let page = server.get("/search?q=robot").await;
    assert_eq!(page.status(), 503);
    let html = page.text().await.unwrap();
    assert!(
        html.contains(Locale::ZhCn.messages().search_unavailable_text),
        "{html}"
    );
    let page = server.get_with("/search?q=robot", Some("lang=en")).await;
    assert_eq!(page.status(), 503);
    let html = page.text().await.unwrap();
    assert!(
        html.contains(Locale::En.messages().search_unavailable_text),
        "{html}"
    );
    assert!(!html.contains(Locale::En.messages().unavailable_text));

    // Health: the database is fine, search (named) is not.
    let health = server.get("/healthz").await;
    assert_eq!(health.status(), 200);
    let health: Value = health.json().await.unwrap();
    assert_eq!(health["status"], "degraded", "{health}");
    assert_eq!(health["database"], "ok", "{health}");
    assert_eq!(health["search"]["backend"], "meilisearch", "{health}");
    assert_eq!(health["search"]["status"], "unavailable", "{health}");

    // Meilisearch appears: the server creates its index and applies the settings by itself.
    let mock = mock_on(meili).await;
    let started = Instant::now();
    let patch = loop {
        let sent = mock
            .requests()
            .into_iter()
            .find(|r| r.method == "PATCH" && r.path == "/indexes/site1_records/settings");
        if let Some(sent) = sent {
            break sent;
        }
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "the settings were never applied: {:?}\n{}",
            mock.requests(),
            server.log()
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    assert_eq!(patch.body, serde_json::to_value(settings()).unwrap());
    assert_eq!(patch.api_key.as_deref(), Some(WRITE_KEY));

    let started = Instant::now();
    loop {
        let api = server.get("/api/v1/search?q=robot").await;
        if api.status() == 200 {
            let body: Value = api.json().await.unwrap();
            assert_eq!(body["unavailable_sites"], json!([]));
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "search did not come back: {}\n{}",
            api.status(),
            server.log()
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert_eq!(server.get("/search?q=robot").await.status(), 200);
    let health: Value = server.get("/healthz").await.json().await.unwrap();
    assert_eq!(health["status"], "ok", "{health}");
    assert_eq!(health["search"]["backend"], "meilisearch", "{health}");
    let stored = mock.settings("site1_records").expect("the index exists");
    assert_eq!(
        stored["rankingRules"],
        serde_json::to_value(settings()).unwrap()["rankingRules"]
    );
}

#[tokio::test]
async fn two_servers_preparing_a_missing_index_together_both_succeed() {
    let mock = mock().await;
    // Both read the index before either has created it, as two servers starting together.
    mock.hold_index_lookups(2);
    let first = site(&mock, "site1", Vec::new());
    let second = site(&mock, "site1", Vec::new());
    let (a, b) = tokio::join!(first.prepare(), second.prepare());
    a.unwrap();
    b.unwrap();
    assert!(first.is_ready() && second.is_ready());

    // Both tried to create it; the second creation failed as the real server fails it.
    let requests = mock.requests();
    let lookups = requests
        .iter()
        .filter(|r| r.method == "GET" && r.path == "/indexes/site1_records")
        .count();
    let creations = requests
        .iter()
        .filter(|r| r.method == "POST" && r.path == "/indexes")
        .count();
    assert_eq!((lookups, creations), (2, 2), "{requests:?}");
    let refused: Vec<Value> = mock
        .tasks()
        .into_iter()
        .filter(|t| t["type"] == "indexCreation" && t["status"] == "failed")
        .collect();
    assert_eq!(refused.len(), 1, "{refused:?}");
    assert_eq!(refused[0]["error"]["code"], "index_already_exists");
    assert_eq!(mock.index_names(), vec!["site1_records".to_owned()]);
    let stored = mock.settings("site1_records").unwrap();
    assert_eq!(
        stored["sortableAttributes"],
        json!(["fair", "id", "open_until", "published_at"])
    );
}
