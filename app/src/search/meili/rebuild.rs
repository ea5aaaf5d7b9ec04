//! Writing a rebuild's new index (`{site_id}_records_new`) with several batches in flight.
//!
//! Waiting for each batch's task before sending the next left Meilisearch indexing one
//! batch at a time (400 documents/s over 121,571). Meilisearch indexes consecutive
//! additions to one index together when they are queued together, so a rebuild sends up
//! to [`TASKS_IN_FLIGHT`] batches before it waits for the oldest, and waits for all of
//! them before the swap.
//!
//! Order still holds: a record is sent under its lock (`writer::rewrite`), and Meilisearch
//! runs one index's tasks in the order they were queued, so a newer state sent later is
//! applied later. A batch Meilisearch refuses is sent again afterwards a record at a time
//! (from each record's current state), to set the refused record aside.

use super::MeiliIndex;
use crate::search::document::{DocumentKind, SearchDocument};
use crate::search::index::{IndexError, SearchIndex};
use crate::search::writer::Record;
use crate::search::{SearchQuery, SearchResults};
use meilisearch_sdk::task_info::TaskInfo;
use std::collections::{BTreeSet, VecDeque};

/// Batches sent and not yet waited for, at most.
pub const TASKS_IN_FLIGHT: usize = 8;

/// The backend writing into one named index.
pub struct IndexAt {
    index: MeiliIndex,
    uid: String,
    /// Whether `apply` returns before its tasks are done.
    pipelined: bool,
    /// Tasks sent and not yet waited for, each with the records it carries, oldest first.
    in_flight: tokio::sync::Mutex<VecDeque<(TaskInfo, Vec<Record>)>>,
    /// Records of batches Meilisearch refused, to send again one at a time.
    refused: std::sync::Mutex<BTreeSet<Record>>,
}

impl IndexAt {
    /// Writing into `uid` with batches in flight; [`IndexAt::settle_all`] ends it.
    pub fn pipelined(index: MeiliIndex, uid: String) -> IndexAt {
        IndexAt {
            index,
            uid,
            pipelined: true,
            in_flight: Default::default(),
            refused: Default::default(),
        }
    }

    /// Writing into `uid`, each batch done (or refused, as an error) before `apply` returns.
    pub fn one_task_at_a_time(index: MeiliIndex, uid: String) -> IndexAt {
        IndexAt {
            pipelined: false,
            ..IndexAt::pipelined(index, uid)
        }
    }

    async fn sent(&self, task: TaskInfo, records: Vec<Record>) -> Result<(), IndexError> {
        if !self.pipelined {
            return self.index.finished(task).await;
        }
        let mut in_flight = self.in_flight.lock().await;
        in_flight.push_back((task, records));
        while in_flight.len() > TASKS_IN_FLIGHT {
            let (task, records) = in_flight.pop_front().expect("more than none in flight");
            self.settle(task, records).await?;
        }
        Ok(())
    }

    async fn settle(&self, task: TaskInfo, records: Vec<Record>) -> Result<(), IndexError> {
        match self.index.finished(task).await {
            Err(error) if error.is_refusal() => {
                tracing::info!(%error, records = records.len(), "a batch was refused: sending it again a record at a time");
                self.refused
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .extend(records);
                Ok(())
            }
            other => other,
        }
    }

    /// Waits for every batch in flight. Returns the records of the refused ones.
    ///
    /// # Errors
    /// [`IndexError::Unavailable`] when a task failed otherwise or cannot be followed.
    pub async fn settle_all(&self) -> Result<BTreeSet<Record>, IndexError> {
        let mut in_flight = self.in_flight.lock().await;
        while let Some((task, records)) = in_flight.pop_front() {
            self.settle(task, records).await?;
        }
        Ok(std::mem::take(
            &mut *self.refused.lock().unwrap_or_else(|e| e.into_inner()),
        ))
    }
}

impl SearchIndex for IndexAt {
    async fn apply(
        &self,
        upserts: Vec<(DocumentKind, SearchDocument)>,
        deletes: Vec<(DocumentKind, i64)>,
    ) -> Result<(), IndexError> {
        if let Some(task) = self.index.send_delete(&self.uid, &deletes).await? {
            self.sent(task, deletes.clone()).await?;
        }
        let documents = self.index.documents(&upserts);
        if let Some(task) = self.index.send_write(&self.uid, &documents).await? {
            let records = upserts.iter().map(|(kind, doc)| (*kind, doc.id)).collect();
            self.sent(task, records).await?;
        }
        Ok(())
    }

    async fn search(&self, _query: &SearchQuery) -> Result<SearchResults, IndexError> {
        Err(IndexError::Unavailable(
            "an index being rebuilt is not searched".to_owned(),
        ))
    }
}
