//! Two server processes on one database, as a deployment behind a load balancer runs: a
//! record that leaves public view through one leaves search on both, each scheduled step
//! runs once, and neither indexer undoes the other's work.

use crate::fixtures::*;
use crate::helpers::{test_clock, test_today};
use app::domain::ProductId;
use app::publication::{self, Subject};
use sqlx::PgPool;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A `catalogue serve` process; killed when dropped.
struct Server {
    child: Child,
    base: String,
    client: reqwest::Client,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    /// Starts the server binary with its whole environment set here: a test deployment
    /// whose clock starts where the test clock is.
    fn start(pool: &PgPool, data: &std::path::Path) -> Server {
        let offset = (test_clock().now() - chrono::Utc::now()).num_seconds();
        let site_root = data.join("site");
        std::fs::create_dir_all(site_root.join("pkg")).unwrap();
        let mut child = Command::new(env!("CARGO_BIN_EXE_catalogue"))
            .arg("serve")
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("DATABASE_URL", crate::helpers::database_url(pool))
            .env("DATABASE_MAX_CONNECTIONS", "5")
            .env("CATALOGUE_ENVIRONMENT", "test")
            .env("CLOCK_OFFSET", format!("{offset}s"))
            .env("CATALOGUE_DATA_DIR", data)
            .env("LEPTOS_SITE_ADDR", "127.0.0.1:0")
            .env("LEPTOS_SITE_ROOT", &site_root)
            .env("LEPTOS_HASH_FILES", "false")
            .env("RUST_LOG", "info")
            .stderr(Stdio::piped())
            .stdout(Stdio::null())
            .spawn()
            .expect("the server binary starts");
        let stderr = child.stderr.take().unwrap();
        let (address_tx, address_rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if let Some(at) = line.find("serving on http://") {
                    let address = line[at + "serving on ".len()..].trim().to_owned();
                    let _ = address_tx.send(address);
                }
                assert!(!line.contains("panicked"), "the server panicked: {line}");
            }
        });
        let base = address_rx
            .recv_timeout(Duration::from_secs(60))
            .expect("the server says where it listens");
        Server {
            child,
            base,
            client: reqwest::Client::new(),
        }
    }

    async fn json(&self, path: &str) -> serde_json::Value {
        self.client
            .get(format!("{}{path}", self.base))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    }

    /// Ids of the products a search for `q` finds on this server.
    async fn found(&self, q: &str) -> Vec<i64> {
        let results = self
            .json(&format!("/api/v1/search?kind=product&q={q}"))
            .await;
        let mut ids: Vec<i64> = results["hits"]
            .as_array()
            .unwrap_or_else(|| panic!("{results}"))
            .iter()
            .map(|hit| hit["id"].as_i64().unwrap())
            .collect();
        ids.sort_unstable();
        ids
    }

    /// Waits until this server's indexer has nothing left to do.
    async fn caught_up(&self) {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let health = self.json("/healthz").await;
            if health["search"]["lag"]["pending"] == 0 {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "the index never caught up: {health}"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Moves this server's clock `days` ahead of the test clock; its due steps run.
    async fn move_clock(&self, days: i64) -> serde_json::Value {
        let offset =
            (test_clock().now() + chrono::TimeDelta::days(days) - chrono::Utc::now()).num_seconds();
        self.client
            .post(format!("{}/_test/clock?offset={offset}s", self.base))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn two_servers_on_one_database_agree_and_never_undo_each_other(pool: PgPool) {
    let agency = organisation(
        &pool,
        "常州市工业和信息化局",
        "government_agency",
        "320400",
        true,
    )
    .await;
    let firm = organisation(
        &pool,
        "常州恒锐精密机械有限公司",
        "enterprise",
        "320412",
        true,
    )
    .await;
    let batch = batch(&pool, agency, "CZCX-2026-01", -30, 300).await;
    let mut listed = Vec::new();
    for n in 0..20 {
        let id = product(
            &pool,
            firm,
            Some(batch),
            &format!("数控车床 型号{n}"),
            "intelligent_manufacturing",
            "published",
        )
        .await;
        queue_product_for_index(&pool, id).await;
        listed.push(id);
    }
    // One product's own validity ends today; one product's notice ends today.
    let expiring = listed[0];
    sqlx::query("UPDATE products SET valid_until = $2 WHERE id = $1")
        .bind(expiring)
        .bind(test_today())
        .execute(&pool)
        .await
        .unwrap();
    let noticed = product(
        &pool,
        firm,
        Some(batch),
        "数控车床 公示型",
        "intelligent_manufacturing",
        "in_notice",
    )
    .await;
    sqlx::query("UPDATE products SET notice_until = $2, published_at = NULL WHERE id = $1")
        .bind(noticed)
        .bind(test_today())
        .execute(&pool)
        .await
        .unwrap();

    let data = tempfile::tempdir().unwrap();
    let a = Server::start(&pool, &data.path().join("a"));
    let b = Server::start(&pool, &data.path().join("b"));
    a.caught_up().await;
    b.caught_up().await;
    let words = "%E6%95%B0%E6%8E%A7%E8%BD%A6%E5%BA%8A"; // 数控车床
    assert_eq!(a.found(words).await, listed);
    assert_eq!(b.found(words).await, listed);

    // Withdrawals while both servers' indexers run.
    for id in &listed[10..] {
        let mut tx = pool.begin().await.unwrap();
        publication::withdraw(
            &mut tx,
            Subject::Product(ProductId(*id)),
            None,
            "停产",
            test_clock().now(),
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
    }
    // The next day, through server A: the product past its validity expires, the
    // notice that ended is published. Server B moving to the same day finds it done.
    let moved_a = a.move_clock(1).await;
    let moved_b = b.move_clock(1).await;
    assert_eq!(
        moved_a["today"],
        (test_today() + chrono::TimeDelta::days(1)).to_string()
    );
    let steps_a = moved_a["steps"].to_string();
    assert!(steps_a.contains("1 products expired"), "{moved_a}");
    assert!(steps_a.contains("1 other records published"), "{moved_a}");
    assert!(
        !moved_b["steps"].to_string().contains("expired"),
        "{moved_b}"
    );

    a.caught_up().await;
    b.caught_up().await;
    let mut expected: Vec<i64> = listed[1..10].to_vec();
    expected.push(noticed);
    expected.sort_unstable();
    assert_eq!(a.found(words).await, expected, "server A");
    assert_eq!(b.found(words).await, expected, "server B");

    // Each daily step ran once per day: on the first day at start-up, on the second
    // through server A.
    let runs: Vec<(String, i64)> = sqlx::query_as(
        "SELECT step, runs FROM scheduler_steps WHERE step <> 'prune_outbox' ORDER BY step",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert!(runs.iter().all(|(_, runs)| *runs == 2), "{runs:?}");
    let expirations: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM audit_log WHERE action = 'expire' AND subject_id = $1",
    )
    .bind(expiring)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(expirations, 1);
    drop((a, b));
}
