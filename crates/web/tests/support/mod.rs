//! The page tests' client: the pages router on the test world's store, a clerk's session
//! cookie, the CSRF token taken from the page as a browser would, forms and multipart bodies.

#![allow(dead_code, reason = "each test file uses part of the helpers")]

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use personbase_server::AppState;
use personbase_testkit::{Clerk, World};
use personbase_web::citizen::Citizens;
use personbase_web::{WebState, pages};
use tower::ServiceExt;

/// A page's answer.
pub struct Page {
    pub status: StatusCode,
    pub location: Option<String>,
    pub content_type: Option<String>,
    pub disposition: Option<String>,
    pub html: String,
}

impl Page {
    /// The CSRF token of the page's forms.
    pub fn csrf(&self) -> String {
        let marker = "name=\"_csrf\" value=\"";
        let start =
            self.html.find(marker).expect("page has a form with a CSRF token") + marker.len();
        let end = self.html[start..].find('"').unwrap() + start;
        self.html[start..end].to_owned()
    }

    /// The text of the element with `id` up to its first closing tag.
    pub fn element(&self, id: &str) -> Option<&str> {
        let start = self.html.find(&format!("id=\"{id}\""))?;
        let open_end = self.html[start..].find('>')? + start + 1;
        let close = self.html[open_end..].find("</")? + open_end;
        Some(&self.html[open_end..close])
    }

    /// The markup of the element with `id` up to the first closing `tag` after it.
    pub fn block(&self, id: &str, tag: &str) -> Option<&str> {
        let start = self.html.find(&format!("id=\"{id}\""))?;
        let end = self.html[start..].find(&format!("</{tag}>"))? + start;
        Some(&self.html[start..end])
    }

    /// Whether the page holds an element with `id`.
    pub fn has(&self, id: &str) -> bool {
        self.html.contains(&format!("id=\"{id}\""))
    }
}

/// The pages as the world's clerks see them.
pub struct Browser {
    pub app: Router,
}

impl Browser {
    pub fn new(world: &World) -> Browser {
        let state = WebState::new(AppState::new(world.store.clone()), Citizens::default());
        Browser { app: pages(state) }
    }

    async fn send(&self, request: Request<Body>) -> Page {
        let response = self.app.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let text =
            |name| response.headers().get(name).and_then(|v| v.to_str().ok()).map(str::to_owned);
        let location = text(header::LOCATION);
        let content_type = text(header::CONTENT_TYPE);
        let disposition = text(header::CONTENT_DISPOSITION);
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        let html = String::from_utf8_lossy(&bytes).into_owned();
        Page { status, location, content_type, disposition, html }
    }

    fn cookie(clerk: &Clerk) -> String {
        format!("__Host-pb-worker={}", clerk.token)
    }

    pub async fn get(&self, path: &str, clerk: &Clerk) -> Page {
        let request = Request::get(path)
            .header(header::COOKIE, Self::cookie(clerk))
            .body(Body::empty())
            .unwrap();
        self.send(request).await
    }

    /// Posts an urlencoded form; `extra` headers (e.g. `HX-Request`) are added.
    pub async fn post_with(
        &self,
        path: &str,
        clerk: &Clerk,
        fields: &[(&str, &str)],
        extra: &[(&str, &str)],
    ) -> Page {
        let body = serde_urlencoded::to_string(fields).unwrap();
        let mut request = Request::post(path)
            .header(header::COOKIE, Self::cookie(clerk))
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        for (name, value) in extra {
            request = request.header(*name, *value);
        }
        self.send(request.body(Body::from(body)).unwrap()).await
    }

    pub async fn post(&self, path: &str, clerk: &Clerk, fields: &[(&str, &str)]) -> Page {
        self.post_with(path, clerk, fields, &[]).await
    }

    /// Fetches `page` and posts `fields` to `action` with the page's CSRF token, as a
    /// browser submits a form.
    pub async fn submit(
        &self,
        page: &str,
        action: &str,
        clerk: &Clerk,
        fields: &[(&str, &str)],
    ) -> Page {
        let csrf = self.get(page, clerk).await.csrf();
        let mut all = vec![("_csrf", csrf.as_str())];
        all.extend_from_slice(fields);
        self.post(action, clerk, &all).await
    }

    /// Posts a multipart body: text fields and files `(field, file name, type, bytes)`.
    pub async fn post_multipart(
        &self,
        path: &str,
        clerk: &Clerk,
        fields: &[(&str, &str)],
        files: &[(&str, &str, &str, &[u8])],
    ) -> Page {
        let boundary = "----personbase-test-boundary";
        let mut body: Vec<u8> = Vec::new();
        for (name, value) in fields {
            body.extend_from_slice(
                format!(
                    "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
                )
                .as_bytes(),
            );
        }
        for (name, file_name, content_type, bytes) in files {
            body.extend_from_slice(
                format!(
                    "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"; \
                     filename=\"{file_name}\"\r\nContent-Type: {content_type}\r\n\r\n"
                )
                .as_bytes(),
            );
            body.extend_from_slice(bytes);
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        let request = Request::post(path)
            .header(header::COOKIE, Self::cookie(clerk))
            .header(header::CONTENT_TYPE, format!("multipart/form-data; boundary={boundary}"))
            .body(Body::from(body))
            .unwrap();
        self.send(request).await
    }
}
