//! A small JSON web API over the students, with axum (cargo feature `web`).
//!
//! | route                               | answer                                         |
//! |-------------------------------------|------------------------------------------------|
//! | `GET /`                             | the list of routes (JSON)                      |
//! | `GET /students`                     | every student (JSON list)                      |
//! | `GET /students/{name}`              | one student, or 404 with a JSON error          |
//! | `GET /stats`                        | mean, median, min, max, std dev per subject    |
//! | `GET /histogram.svg`                | a histogram of all grades (SVG image)          |
//! | `GET /histogram.svg?subject=maths`  | a histogram of one subject's grades            |
//!
//! Every error is JSON too: `{"error": "no student named \"Zoe\""}`.
//!
//! In Python this is a Flask or FastAPI app: a handler function per route,
//! returning a dict that the framework turns into JSON. In axum a handler is
//! an `async fn` whose arguments say what it needs from the request (the
//! shared [`State`], a [`Path`] segment, a [`Query`] string) and whose
//! return type says how to answer ([`Json`], a status code, headers...).

use std::collections::HashMap;
use std::sync::Arc;

use axum::Json;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde::Deserialize;
use serde_json::json;

use crate::warmup::{Statistics, Student, Subject, histogram, histogram_all, statistics};

/// What every handler shares: the students, an index by name and the
/// statistics, computed once when the router is built.
struct AppState {
    students: Vec<Student>,
    by_name: HashMap<String, usize>,
    stats: Statistics,
}

/// An error answer: a status code and a JSON body `{"error": message}`.
struct ApiError {
    status: StatusCode,
    message: String,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.status, Json(json!({ "error": self.message }))).into_response()
    }
}

/// The routes, listed by `GET /`.
const ROUTES: [&str; 5] = [
    "GET /students",
    "GET /students/{name}",
    "GET /stats",
    "GET /histogram.svg",
    "GET /histogram.svg?subject=french|maths|philosophy",
];

async fn index() -> Json<serde_json::Value> {
    Json(json!({ "routes": ROUTES }))
}

async fn all_students(State(state): State<Arc<AppState>>) -> Json<Vec<Student>> {
    Json(state.students.clone())
}

async fn one_student(
    State(state): State<Arc<AppState>>,
    Path(name): Path<String>,
) -> Result<Json<Student>, ApiError> {
    match state.by_name.get(&name) {
        Some(&index) => Ok(Json(state.students[index].clone())),
        None => Err(ApiError {
            status: StatusCode::NOT_FOUND,
            message: format!("no student named {name:?}"),
        }),
    }
}

async fn stats_json(State(state): State<Arc<AppState>>) -> Json<Statistics> {
    Json(state.stats.clone())
}

/// The optional query string of `/histogram.svg`.
#[derive(Deserialize)]
struct HistogramQuery {
    subject: Option<String>,
}

async fn histogram_svg(
    State(state): State<Arc<AppState>>,
    Query(query): Query<HistogramQuery>,
) -> Result<Response, ApiError> {
    let chart = match query.subject {
        None => histogram_all(&state.students),
        Some(text) => {
            let subject: Subject =
                text.parse()
                    .map_err(|error: crate::warmup::UnknownSubject| ApiError {
                        status: StatusCode::BAD_REQUEST,
                        message: error.to_string(),
                    })?;
            histogram(&state.students, subject)
        }
    };
    let svg = chart.to_svg().map_err(|error| ApiError {
        status: StatusCode::INTERNAL_SERVER_ERROR,
        message: error.to_string(),
    })?;
    Ok(([(header::CONTENT_TYPE, "image/svg+xml")], svg).into_response())
}

async fn not_found() -> ApiError {
    ApiError {
        status: StatusCode::NOT_FOUND,
        message: format!("no such route; try one of: {}", ROUTES.join(", ")),
    }
}

/// The web API over `students`, ready to be served (see [`serve`]).
///
/// If two students have the same name, `/students/{name}` answers the first.
///
/// ```
/// use course_lib::personal::router;
/// use course_lib::warmup::generate_students;
///
/// let app = router(generate_students(100, 1));
/// # let _ = app;
/// ```
pub fn router(students: Vec<Student>) -> Router {
    let mut by_name = HashMap::with_capacity(students.len());
    for (index, student) in students.iter().enumerate() {
        by_name.entry(student.name.clone()).or_insert(index);
    }
    let stats = statistics(&students);
    let state = Arc::new(AppState {
        students,
        by_name,
        stats,
    });
    Router::new()
        .route("/", get(index))
        .route("/students", get(all_students))
        .route("/students/{name}", get(one_student))
        .route("/stats", get(stats_json))
        .route("/histogram.svg", get(histogram_svg))
        .fallback(not_found)
        .with_state(state)
}

/// Serves the API over `students` at `addr` (such as `"127.0.0.1:3000"`)
/// until the program stops. Run it from a program, not a notebook cell.
///
/// ```no_run
/// use course_lib::personal::serve;
/// use course_lib::warmup::generate_students;
///
/// #[tokio::main]
/// async fn main() -> std::io::Result<()> {
///     // Then open http://127.0.0.1:3000/stats in a browser.
///     serve("127.0.0.1:3000", generate_students(1100, 7)).await
/// }
/// ```
pub async fn serve(
    addr: impl tokio::net::ToSocketAddrs,
    students: Vec<Student>,
) -> std::io::Result<()> {
    let listener = tokio::net::TcpListener::bind(addr).await?;
    axum::serve(listener, router(students)).await
}
