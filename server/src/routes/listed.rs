//! A router that lists its routes as it is built, so the authorization-matrix test
//! (`server/tests/it/authorization.rs`) can find every route the site serves and fail on
//! one that has no row: routes are added here with their method, and the list and the
//! router come from the same calls.

use axum::routing::MethodRouter;
use axum::Router;
use http::Method;

/// One route: its method and its path in axum's syntax (`/reset/{token}`).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct ListedRoute {
    pub method: Method,
    pub path: String,
}

/// A router and the routes it serves.
pub struct Listed<S> {
    router: Router<S>,
    routes: Vec<ListedRoute>,
}

impl<S: Clone + Send + Sync + 'static> Default for Listed<S> {
    fn default() -> Self {
        Listed {
            router: Router::new(),
            routes: Vec::new(),
        }
    }
}

impl<S: Clone + Send + Sync + 'static> Listed<S> {
    /// Serves `handler` at `path`; `method` is what `handler` answers (one method per
    /// call, so the list is exact).
    pub fn route(mut self, method: Method, path: &str, handler: MethodRouter<S>) -> Self {
        self.routes.push(ListedRoute {
            method,
            path: path.to_owned(),
        });
        self.router = self.router.route(path, handler);
        self
    }

    /// Serves `other` under `prefix` (`/api/v1`).
    pub fn nest(mut self, prefix: &str, other: Listed<S>) -> Self {
        self.routes
            .extend(other.routes.into_iter().map(|route| ListedRoute {
                path: format!("{prefix}{}", route.path),
                ..route
            }));
        self.router = self.router.nest(prefix, other.router);
        self
    }

    /// Serves `other`'s routes too.
    pub fn merge(mut self, other: Listed<S>) -> Self {
        self.routes.extend(other.routes);
        self.router = self.router.merge(other.router);
        self
    }

    /// Changes the router (a layer over all its routes) without changing the routes.
    pub fn map_router(mut self, change: impl FnOnce(Router<S>) -> Router<S>) -> Self {
        self.router = change(self.router);
        self
    }

    pub fn routes(&self) -> &[ListedRoute] {
        &self.routes
    }

    pub fn into_router(self) -> Router<S> {
        self.router
    }
}
