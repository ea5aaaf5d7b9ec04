//! Spawning the real router on port 0 and calling it like a browser, and the clock every
//! test runs on.

use app::clock::Clock;
use app::search::SearchBackend;
use app::state::{AppState, Site};
use chrono::NaiveDate;
use leptos::config::LeptosOptions;
use server::startup::RouterOptions;
use sqlx::PgPool;
use std::net::SocketAddr;
use std::path::PathBuf;

/// The day tests run on unless `CATALOGUE_TEST_TODAY` names another: no test depends on
/// the machine's date. `scripts/test` runs the date-sensitive tests again with this day a
/// year and more before and after.
pub const DEFAULT_TEST_DAY: &str = "2026-11-30";

/// The deployment's time zone in tests (as the default deployment's).
pub fn zone() -> chrono_tz::Tz {
    chrono_tz::Asia::Shanghai
}

/// "Today" for this test run (deployment time zone).
pub fn test_today() -> NaiveDate {
    let day = std::env::var("CATALOGUE_TEST_TODAY").unwrap_or_else(|_| DEFAULT_TEST_DAY.into());
    day.parse()
        .unwrap_or_else(|_| panic!("CATALOGUE_TEST_TODAY={day:?} is not a date like 2026-11-30"))
}

/// A fixed clock at noon of [`test_today`], in the deployment's time zone; a test moves it
/// with `advance`.
pub fn test_clock() -> Clock {
    Clock::fixed_local(zone(), test_today(), 12, 0)
}

/// The demo calendar of a catalogue seeded on [`test_today`].
pub fn demo_calendar() -> server::commands::seed::support::DemoCalendar {
    server::commands::seed::support::DemoCalendar::new(test_today(), zone())
}

pub struct TestApp {
    pub state: AppState,
    pub address: SocketAddr,
    pub client: reqwest::Client,
    /// The site root the app serves assets from; removed when the test ends.
    pub site_root: tempfile::TempDir,
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.address)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(self.url(path))
            .send()
            .await
            .expect("request failed")
    }

    pub fn pkg_dir(&self) -> PathBuf {
        self.site_root.path().join("pkg")
    }
}

pub async fn spawn_app(pool: PgPool) -> TestApp {
    spawn_app_with(pool, None).await
}

/// The app on a given search backend (the embedded index when `None`), on the test clock.
pub async fn spawn_app_with(pool: PgPool, search: Option<SearchBackend>) -> TestApp {
    spawn_app_on(pool, test_clock(), search, RouterOptions::for_tests()).await
}

/// The app on `clock`, with these router options (limits, environment).
pub async fn spawn_app_on(
    pool: PgPool,
    clock: Clock,
    search: Option<SearchBackend>,
    options: RouterOptions,
) -> TestApp {
    spawn_app_at(pool, clock, search, options, Site::local()).await
}

/// The app as [`spawn_app_on`], reached from outside at `site` (`PUBLIC_URL`).
pub async fn spawn_app_at(
    pool: PgPool,
    clock: Clock,
    search: Option<SearchBackend>,
    options: RouterOptions,
    site: Site,
) -> TestApp {
    spawn_app_configured(pool, clock, search, options, site, |_| {}).await
}

/// The app as [`spawn_app_at`], with its state changed by `configure` before it serves
/// (the demo mailbox, the session policy…).
pub async fn spawn_app_configured(
    pool: PgPool,
    clock: Clock,
    search: Option<SearchBackend>,
    options: RouterOptions,
    site: Site,
    configure: impl FnOnce(&mut AppState),
) -> TestApp {
    let site_root = tempfile::tempdir().expect("temporary site root");
    std::fs::create_dir_all(site_root.path().join("pkg")).unwrap();
    let leptos_options = LeptosOptions::builder()
        .output_name("catalogue")
        .site_root(site_root.path().to_string_lossy().to_string())
        .site_pkg_dir("pkg")
        .hash_files(true)
        .build();
    // The hash file is read beside the running executable, as in production.
    write_hash_file();
    let pool = with_site_sessions(&pool);
    let search = search.unwrap_or_else(|| SearchBackend::embedded(pool.clone(), clock.clone()));
    let mut state = AppState::new(leptos_options, pool, clock, search, site);
    configure(&mut state);
    let router = server::startup::build_app(state.clone(), &options);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move {
        axum::serve(
            listener,
            router.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .await
        .unwrap();
    });
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    TestApp {
        state,
        address,
        client,
        site_root,
    }
}

/// What cargo-leptos writes beside the server binary when `hash-files` is on.
pub const TEST_HASHES: &str = "js: testjs\nwasm: testwasm\ncss: testcss\n";

fn write_hash_file() {
    let exe = std::env::current_exe().unwrap();
    let path = exe.parent().unwrap().join("hash.txt");
    if std::fs::read_to_string(&path).ok().as_deref() != Some(TEST_HASHES) {
        let partial = path.with_extension(format!("{}.partial", std::process::id()));
        std::fs::write(&partial, TEST_HASHES).unwrap();
        std::fs::rename(partial, path).unwrap();
    }
}

/// Adds an organisation; `verified` decides whether the public may see it.
pub async fn insert_organisation(pool: &PgPool, name: &str, credit_code: &str, verified: bool) {
    sqlx::query(
        "INSERT INTO organisations (kind, name, credit_code, location, verified_at)
         VALUES ('enterprise', $1, $2, '320411', CASE WHEN $3 THEN $4::timestamptz END)",
    )
    .bind(name)
    .bind(credit_code)
    .bind(verified)
    .bind(test_clock().now())
    .execute(pool)
    .await
    .unwrap();
}

/// The number shown in the element with this `data-testid`.
pub fn figure(body: &str, test_id: &str) -> Option<i64> {
    let marker = format!("data-testid=\"{test_id}\"");
    let after_marker = body.find(&marker)? + marker.len();
    let start = after_marker + body[after_marker..].find('>')? + 1;
    let digits: String = body[start..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    digits.parse().ok()
}

/// A pool on `pool`'s database with its limits whose sessions run as the site's do
/// (`database::with_session_settings`, in Asia/Shanghai): the app under test reads and
/// writes through it, so a rule that depends on the session (the calendar day of a
/// timestamp) is tested as it runs.
pub fn with_site_sessions(pool: &PgPool) -> PgPool {
    let limits = pool.options();
    server::database::with_session_settings(
        sqlx::postgres::PgPoolOptions::new()
            .max_connections(limits.get_max_connections())
            .acquire_timeout(limits.get_acquire_timeout())
            .test_before_acquire(limits.get_test_before_acquire()),
        chrono_tz::Asia::Shanghai,
    )
    .connect_lazy_with((*pool.connect_options()).clone())
}

/// The URL of the database `pool` uses (each test's own), for another process.
pub fn database_url(pool: &PgPool) -> String {
    let options = pool.connect_options();
    let database = options.get_database().expect("a test database has a name");
    database_url_named(&options, database)
}

/// The URL of the database named `database` on the server `options` points at.
pub fn database_url_named(options: &sqlx::postgres::PgConnectOptions, database: &str) -> String {
    match options.get_socket() {
        Some(dir) => format!(
            "postgres://{}@localhost/{database}?host={}",
            options.get_username(),
            dir.display()
        ),
        None => format!(
            "postgres://{}@{}:{}/{database}",
            options.get_username(),
            options.get_host(),
            options.get_port()
        ),
    }
}

/// The header and rows of a downloaded CSV file, read with the `csv` crate: the byte-order
/// mark and the `#` lines about the export (site, time, filter, truncation) left out.
pub fn csv_table(body: &str) -> Vec<Vec<String>> {
    assert!(body.starts_with('\u{feff}'), "a byte-order mark: {body}");
    csv::ReaderBuilder::new()
        .has_headers(false)
        .comment(Some(b'#'))
        .from_reader(body.trim_start_matches('\u{feff}').as_bytes())
        .records()
        .map(|record| record.unwrap().iter().map(str::to_owned).collect())
        .collect()
}

/// The cells of a downloaded XLSX file's one sheet, row by row from A1, read with
/// `calamine`; fails when any cell holds a formula (an export never does).
pub fn xlsx_cells(bytes: &[u8]) -> Vec<Vec<calamine::Data>> {
    use calamine::Reader;
    let mut book: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let sheet = book.sheet_names()[0].clone();
    let formulas = book.worksheet_formula(&sheet).unwrap();
    assert!(
        formulas
            .used_cells()
            .all(|(_, _, formula)| formula.is_empty()),
        "no formula in an export"
    );
    let range = book.worksheet_range(&sheet).unwrap();
    assert_eq!(range.start(), Some((0, 0)), "the sheet starts at A1");
    range.rows().map(<[calamine::Data]>::to_vec).collect()
}
