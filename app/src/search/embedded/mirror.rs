//! Each server's in-memory copy of `search_documents`, as a tantivy index. It follows the
//! table by revision: before a search, a server that is behind applies the rows it has
//! not seen (new documents, and tombstones of removed ones).

use super::super::document::{days_since_epoch, record_hash};
use super::super::{DocumentKind, IndexError};
use sqlx::PgPool;
use std::sync::atomic::{AtomicI64, Ordering};
use tantivy::schema::{
    Field, IndexRecordOption, NumericOptions, Schema, TextFieldIndexing, TextOptions, FAST, STORED,
    STRING,
};
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term};

/// Rows read from the table per round while catching up.
const ROWS_PER_ROUND: i64 = 5_000;
/// Memory for the writer's buffer; tantivy's minimum is 15 MB.
const WRITER_MEMORY: usize = 64 * 1024 * 1024;

/// The index's fields. Words fields hold the words segmented at indexing time, split on
/// spaces only; the raw title and body are stored for highlighting.
pub struct Fields {
    pub key: Field,
    pub kind: Field,
    pub id: Field,
    pub title_words: Field,
    /// What the title is also searched by (its normalised form, glossary terms).
    pub title_terms: Field,
    pub body_words: Field,
    /// What the body is also searched by (normalised form, glossary terms, procurement
    /// categories).
    pub body_terms: Field,
    /// All four together, for matching a word anywhere.
    pub all_words: Field,
    pub title: Field,
    pub body: Field,
    pub organisation_name: Field,
    pub agency: Field,
    pub category: Field,
    pub location: Field,
    pub stage: Field,
    pub batch: Field,
    pub certification: Field,
    /// Every level of a product's procurement category (`domain::procurement::path`).
    pub procurement: Field,
    pub eligible: Field,
    pub first_purchased: Field,
    pub amount_min: Field,
    pub amount_max: Field,
    /// Days since 1970-01-01.
    pub open_until: Field,
    /// Seconds since 1970-01-01.
    pub published_at: Field,
    /// The record's hash (`document::record_hash`), from which the day's fair order
    /// among equals is computed at search time.
    pub fair: Field,
}

fn schema() -> (Schema, Fields) {
    let mut builder = Schema::builder();
    let words = |record: IndexRecordOption| {
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer("whitespace")
                .set_index_option(record),
        )
    };
    let facet = STRING | FAST | STORED;
    let number = NumericOptions::default()
        .set_indexed()
        .set_fast()
        .set_stored();
    let fields = Fields {
        key: builder.add_text_field("key", STRING),
        kind: builder.add_text_field("kind", facet.clone()),
        id: builder.add_i64_field("id", STORED),
        title_words: builder.add_text_field("title_words", words(IndexRecordOption::WithFreqs)),
        title_terms: builder.add_text_field("title_terms", words(IndexRecordOption::WithFreqs)),
        body_words: builder.add_text_field("body_words", words(IndexRecordOption::WithFreqs)),
        body_terms: builder.add_text_field("body_terms", words(IndexRecordOption::WithFreqs)),
        all_words: builder.add_text_field("all_words", words(IndexRecordOption::Basic)),
        title: builder.add_text_field("title", STORED),
        body: builder.add_text_field("body", STORED),
        organisation_name: builder.add_text_field("organisation_name", STORED),
        agency: builder.add_text_field("agency", facet.clone()),
        category: builder.add_text_field("category", facet.clone()),
        location: builder.add_text_field("location", facet.clone()),
        stage: builder.add_text_field("stage", facet.clone()),
        batch: builder.add_text_field("batch", facet.clone()),
        certification: builder.add_text_field("certification", facet.clone()),
        procurement: builder.add_text_field("procurement", facet),
        eligible: builder.add_bool_field("eligible", number.clone()),
        first_purchased: builder.add_bool_field("first_purchased", number.clone()),
        amount_min: builder.add_i64_field("amount_min", number.clone()),
        amount_max: builder.add_i64_field("amount_max", number.clone()),
        open_until: builder.add_i64_field("open_until", number.clone()),
        published_at: builder.add_i64_field("published_at", number),
        fair: builder.add_u64_field("fair", FAST),
    };
    (builder.build(), fields)
}

pub struct Mirror {
    pub fields: Fields,
    pub reader: IndexReader,
    /// The highest revision applied; read without the lock to skip it when current.
    revision: AtomicI64,
    /// The table followed (its OID): a restored database has a new one.
    table: AtomicI64,
    writer: tokio::sync::Mutex<IndexWriter>,
}

struct Row {
    kind: DocumentKind,
    id: i64,
    deleted: bool,
    revision: i64,
    title: String,
    body: String,
    title_words: String,
    body_words: String,
    title_terms: String,
    body_terms: String,
    organisation_name: Option<String>,
    agency_name: Option<String>,
    category: Option<String>,
    location: Option<String>,
    stage: Option<String>,
    batch_code: Option<String>,
    certifications: Vec<String>,
    procurement: Vec<String>,
    eligible: bool,
    first_purchased: bool,
    amount_min_fen: Option<i64>,
    amount_max_fen: Option<i64>,
    open_until: Option<chrono::NaiveDate>,
    published_at: Option<chrono::DateTime<chrono::Utc>>,
}

pub fn key(kind: DocumentKind, id: i64) -> String {
    format!("{}:{id}", kind.code())
}

impl Mirror {
    pub fn new() -> tantivy::Result<Mirror> {
        let (schema, fields) = schema();
        let index = Index::create_in_ram(schema);
        let writer = index.writer_with_num_threads(1, WRITER_MEMORY)?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        Ok(Mirror {
            fields,
            reader,
            revision: AtomicI64::new(0),
            table: AtomicI64::new(0),
            writer: tokio::sync::Mutex::new(writer),
        })
    }

    /// The highest revision applied so far.
    pub fn revision(&self) -> i64 {
        self.revision.load(Ordering::Acquire)
    }

    /// Applies every row of the table changed since the last call. Cheap when nothing
    /// changed: one look at the highest revision.
    pub async fn catch_up(&self, pool: &PgPool) -> Result<(), IndexError> {
        let super::store::Latest {
            revision: latest,
            table,
        } = super::store::latest(pool).await?;
        let same_table = table == self.table.load(Ordering::Acquire);
        if same_table && latest == self.revision.load(Ordering::Acquire) {
            return Ok(());
        }
        let mut writer = self.writer.lock().await;
        let mut revision = self.revision.load(Ordering::Acquire);
        let same_table = table == self.table.load(Ordering::Acquire);
        if same_table && latest == revision {
            return Ok(()); // another search caught up while this one waited
        }
        if !same_table || latest < revision {
            // Another table (the database was restored), or revisions went back: what this
            // server holds no longer follows the table; start again from nothing.
            if revision > 0 {
                tracing::warn!(
                    revision,
                    latest,
                    "search documents replaced: reloading the in-memory index"
                );
            }
            writer.delete_all_documents()?;
            revision = 0;
            self.table.store(table, Ordering::Release);
        }
        loop {
            // A mirror starting empty needs no tombstones.
            let rows: Vec<Row> = sqlx::query_as!(
                Row,
                r#"SELECT kind AS "kind: DocumentKind", id, deleted, revision, title, body,
                        title_words, body_words, title_terms, body_terms, organisation_name,
                        agency_name, category,
                        location, stage, batch_code, certifications, procurement, eligible,
                        first_purchased, amount_min_fen, amount_max_fen, open_until,
                        published_at
                 FROM search_documents
                 WHERE revision > $1 AND NOT (deleted AND $1 = 0)
                 ORDER BY revision LIMIT $2"#,
                revision,
                ROWS_PER_ROUND
            )
            .fetch_all(pool)
            .await?;
            let Some(last) = rows.last() else { break };
            revision = last.revision;
            for row in rows {
                self.write(&writer, row)?;
            }
        }
        writer.commit()?;
        self.reader.reload()?;
        self.revision.store(revision, Ordering::Release);
        Ok(())
    }

    fn write(&self, writer: &IndexWriter, row: Row) -> tantivy::Result<()> {
        let f = &self.fields;
        let key = key(row.kind, row.id);
        writer.delete_term(Term::from_field_text(f.key, &key));
        if row.deleted {
            return Ok(());
        }
        let mut doc = TantivyDocument::new();
        doc.add_text(f.key, &key);
        doc.add_text(f.kind, row.kind.code());
        doc.add_i64(f.id, row.id);
        doc.add_text(f.title_words, &row.title_words);
        doc.add_text(f.title_terms, &row.title_terms);
        doc.add_text(f.body_words, &row.body_words);
        doc.add_text(f.body_terms, &row.body_terms);
        doc.add_text(
            f.all_words,
            format!(
                "{} {} {} {}",
                row.title_words, row.title_terms, row.body_words, row.body_terms
            ),
        );
        doc.add_text(f.title, &row.title);
        doc.add_text(f.body, &row.body);
        let optional = [
            (f.organisation_name, &row.organisation_name),
            (f.agency, &row.agency_name),
            (f.category, &row.category),
            (f.location, &row.location),
            (f.stage, &row.stage),
            (f.batch, &row.batch_code),
        ];
        for (field, value) in optional {
            if let Some(value) = value {
                doc.add_text(field, value);
            }
        }
        for certification in &row.certifications {
            doc.add_text(f.certification, certification);
        }
        for level in &row.procurement {
            doc.add_text(f.procurement, level);
        }
        doc.add_bool(f.eligible, row.eligible);
        doc.add_bool(f.first_purchased, row.first_purchased);
        let numbers = [
            // One bound stands for both (see `SearchDocument::amount_range`).
            (f.amount_min, row.amount_min_fen.or(row.amount_max_fen)),
            (f.amount_max, row.amount_max_fen.or(row.amount_min_fen)),
            (f.open_until, row.open_until.map(days_since_epoch)),
            (f.published_at, row.published_at.map(|at| at.timestamp())),
        ];
        for (field, value) in numbers {
            if let Some(value) = value {
                doc.add_i64(field, value);
            }
        }
        doc.add_u64(f.fair, record_hash(row.kind, row.id));
        writer.add_document(doc)?;
        Ok(())
    }
}
