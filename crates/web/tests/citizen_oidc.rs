//! The OpenID Connect adapter against a fake identity service started in-process on
//! 127.0.0.1: discovery document, JWKS, and a token endpoint that checks PKCE and issues an
//! RS256-signed ID token. A good login opens the session; a wrong nonce, a bad signature, a
//! reply to another browser and an unknown number are refused.

#![allow(clippy::unwrap_used, reason = "tests")]

mod citizen_support;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Form, Json, Router};
use chrono::Duration;
use citizen_support::{Browser, pages_with};
use openidconnect::core::{
    CoreGenderClaim, CoreJsonWebKeySet, CoreJweContentEncryptionAlgorithm, CoreJwsSigningAlgorithm,
    CoreRsaPrivateSigningKey,
};
use openidconnect::url::Url;
use openidconnect::{
    Audience, EndUserName, IdToken, IdTokenClaims, IssuerUrl, JsonWebKeyId, LocalizedClaim, Nonce,
    PkceCodeChallenge, PkceCodeVerifier, PrivateSigningKey, StandardClaims, SubjectIdentifier,
};
use personbase_testkit::{World, number};
use personbase_web::citizen::Citizens;
use personbase_web::citizen::login::OIDC_COOKIE;
use personbase_web::citizen::oidc::{ExtraClaims, OidcConfig, OidcProvider};
use personbase_web::session::CITIZEN_COOKIE;
use personbase_web::text;
use serde_json::{Value, json};

const KEY_A: &str = include_str!("fixtures/oidc-test-key-a.pem");
const KEY_B: &str = include_str!("fixtures/oidc-test-key-b.pem");
const CLIENT_ID: &str = "personbase-test";

fn key(pem: &str, kid: &str) -> CoreRsaPrivateSigningKey {
    CoreRsaPrivateSigningKey::from_pem(pem, Some(JsonWebKeyId::new(kid.to_owned()))).unwrap()
}

/// What the fake service will answer for an authorization code.
#[derive(Clone)]
struct Grant {
    number: String,
    name: String,
    nonce: String,
    challenge: String,
    /// Signs with the key it publishes (A) or another one (B).
    pem: &'static str,
    /// The key id the token names.
    kid: &'static str,
}

#[derive(Clone)]
struct Fake {
    issuer: String,
    grants: Arc<Mutex<HashMap<String, Grant>>>,
    /// The keys it publishes: PEM and key id.
    keys: Arc<Mutex<Vec<(&'static str, &'static str)>>>,
    now: chrono::DateTime<chrono::Utc>,
}

async fn discovery(State(fake): State<Fake>) -> Json<Value> {
    let i = &fake.issuer;
    Json(json!({
        "issuer": i,
        "authorization_endpoint": format!("{i}/authorize"),
        "token_endpoint": format!("{i}/token"),
        "jwks_uri": format!("{i}/jwks"),
        "response_types_supported": ["code"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "scopes_supported": ["openid", "profile"],
        "token_endpoint_auth_methods_supported": ["client_secret_basic"],
        "code_challenge_methods_supported": ["S256"],
    }))
}

async fn jwks(State(fake): State<Fake>) -> Json<CoreJsonWebKeySet> {
    let keys = fake.keys.lock().unwrap().clone();
    let keys = keys.iter().map(|(pem, kid)| key(pem, kid).as_verification_key()).collect();
    Json(CoreJsonWebKeySet::new(keys))
}

async fn token(State(fake): State<Fake>, Form(form): Form<HashMap<String, String>>) -> Response {
    let refuse = |error: &str| (StatusCode::BAD_REQUEST, Json(json!({ "error": error })));
    let code = form.get("code").cloned().unwrap_or_default();
    let Some(grant) = fake.grants.lock().unwrap().remove(&code) else {
        return refuse("invalid_grant").into_response();
    };
    let verifier = PkceCodeVerifier::new(form.get("code_verifier").cloned().unwrap_or_default());
    if PkceCodeChallenge::from_code_verifier_sha256(&verifier).as_str() != grant.challenge {
        return refuse("invalid_grant").into_response();
    }
    let standard = StandardClaims::new(SubjectIdentifier::new("user-0001".to_owned()))
        .set_name(Some(LocalizedClaim::from(EndUserName::new(grant.name))));
    let mut extra = serde_json::Map::new();
    extra.insert("id_card_number".to_owned(), Value::String(grant.number));
    let claims = IdTokenClaims::<ExtraClaims, CoreGenderClaim>::new(
        IssuerUrl::new(fake.issuer.clone()).unwrap(),
        vec![Audience::new(CLIENT_ID.to_owned())],
        fake.now + Duration::minutes(5),
        fake.now,
        standard,
        ExtraClaims(extra),
    )
    .set_nonce(Some(Nonce::new(grant.nonce)));
    let id_token: IdToken<_, _, CoreJweContentEncryptionAlgorithm, _> = IdToken::new(
        claims,
        &key(grant.pem, grant.kid),
        CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha256,
        None,
        None,
    )
    .unwrap();
    Json(json!({
        "access_token": "access-0001",
        "token_type": "Bearer",
        "expires_in": 300,
        "id_token": id_token,
    }))
    .into_response()
}

/// Starts the fake identity service; its issuer URL.
async fn start_fake(now: chrono::DateTime<chrono::Utc>) -> Fake {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let issuer = format!("http://{}", listener.local_addr().unwrap());
    let keys = Arc::new(Mutex::new(vec![(KEY_A, "k1")]));
    let fake = Fake { issuer, grants: Arc::default(), keys, now };
    let app = Router::new()
        .route("/.well-known/openid-configuration", get(discovery))
        .route("/jwks", get(jwks))
        .route("/token", post(token))
        .with_state(fake.clone());
    tokio::spawn(async move { axum::serve(listener, app).await });
    fake
}

struct Setup {
    world: World,
    fake: Fake,
    app: Router,
    ssn: String,
}

async fn setup() -> Setup {
    let world = World::new().await;
    let ssn = number(230103, "19850312", 123);
    world.enter(&ssn, "张三").await;
    let fake = start_fake(world.store.clock().now()).await;
    let config = OidcConfig::from_toml(&format!(
        r#"
        issuer = "{}"
        client_id = "{CLIENT_ID}"
        client_secret = "test-secret"
        redirect_url = "https://pb.example.gov.cn/self/login/callback"
        scopes = ["openid", "profile"]
        number_claim = "id_card_number"
        name_claim = "name"
        "#,
        fake.issuer
    ))
    .unwrap();
    let provider = OidcProvider::discover(config).await.unwrap();
    let app = pages_with(&world.store, Citizens::with_provider(Arc::new(provider)));
    Setup { world, fake, app, ssn }
}

/// The browser follows `#oidc-login`; the authorization request's parameters.
async fn go_to_provider(browser: &mut Browser) -> HashMap<String, String> {
    let login = browser.get("/self/login").await;
    assert!(login.body.contains("id=\"oidc-login\" href=\"/self/login/oidc\""), "{}", login.body);
    let away = browser.get("/self/login/oidc").await;
    assert_eq!(away.status, StatusCode::SEE_OTHER, "{}", away.body);
    assert!(away.set_cookie(OIDC_COOKIE).unwrap().contains("SameSite=Lax"));
    let url = Url::parse(away.location()).unwrap();
    assert!(url.path().ends_with("/authorize"));
    url.query_pairs().into_owned().collect()
}

/// The fake service authorizes `grant` and the browser comes back with its code.
async fn come_back(
    s: &Setup,
    browser: &mut Browser,
    q: &HashMap<String, String>,
    grant: Grant,
) -> citizen_support::Page {
    let code = format!("code-{}", q["state"].len() + s.fake.grants.lock().unwrap().len());
    s.fake.grants.lock().unwrap().insert(code.clone(), grant);
    let query =
        serde_urlencoded::to_string([("code", code.as_str()), ("state", q["state"].as_str())])
            .unwrap();
    browser.get(&format!("/self/login/callback?{query}")).await
}

fn grant(q: &HashMap<String, String>, number: &str, name: &str) -> Grant {
    Grant {
        number: number.to_owned(),
        name: name.to_owned(),
        nonce: q["nonce"].clone(),
        challenge: q["code_challenge"].clone(),
        pem: KEY_A,
        kid: "k1",
    }
}

#[tokio::test]
async fn a_good_login_through_the_identity_service_opens_the_session() {
    let s = setup().await;
    let mut browser = Browser::new(&s.app);
    let q = go_to_provider(&mut browser).await;
    assert_eq!(q["client_id"], CLIENT_ID);
    assert_eq!(q["response_type"], "code");
    assert_eq!(q["code_challenge_method"], "S256");
    assert_eq!(q["redirect_uri"], "https://pb.example.gov.cn/self/login/callback");
    assert!(q["scope"].split(' ').any(|x| x == "openid") && q["scope"].contains("profile"));

    let page = come_back(&s, &mut browser, &q, grant(&q, &s.ssn, "张三")).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("http-equiv=\"refresh\" content=\"0;url=/self\""));
    assert!(page.body.contains("id=\"continue\""));
    assert!(page.set_cookie(CITIZEN_COOKIE).unwrap().contains("SameSite=Strict"));
    let me = browser.get("/self").await;
    assert_eq!(me.status, StatusCode::OK, "{}", me.body);
    assert!(me.body.contains("张*") && me.body.contains("id=\"self-record\""));

    // The same state cannot be replayed.
    let again = come_back(&s, &mut browser, &q, grant(&q, &s.ssn, "张三")).await;
    assert_eq!(again.status, StatusCode::UNAUTHORIZED);
    drop(s.world);
}

async fn refused(
    s: &Setup,
    make: impl FnOnce(&HashMap<String, String>) -> Grant,
) -> citizen_support::Page {
    let mut browser = Browser::new(&s.app);
    let q = go_to_provider(&mut browser).await;
    let page = come_back(s, &mut browser, &q, make(&q)).await;
    assert_eq!(page.status, StatusCode::UNAUTHORIZED, "{}", page.body);
    assert!(page.set_cookie(CITIZEN_COOKIE).is_none(), "no session");
    assert_eq!(browser.get("/self").await.location(), "/self/login");
    page
}

#[tokio::test]
async fn an_id_token_with_another_nonce_is_refused() {
    let s = setup().await;
    let page =
        refused(&s, |q| Grant { nonce: "replayed-nonce".to_owned(), ..grant(q, &s.ssn, "张三") })
            .await;
    assert!(page.body.contains(text::CITIZEN_PROVIDER_FAILED));
}

#[tokio::test]
async fn an_id_token_signed_with_a_key_the_provider_does_not_publish_is_refused() {
    let s = setup().await;
    let page = refused(&s, |q| Grant { pem: KEY_B, ..grant(q, &s.ssn, "张三") }).await;
    assert!(page.body.contains(text::CITIZEN_PROVIDER_FAILED));
}

#[tokio::test]
async fn a_number_without_a_record_is_refused() {
    let s = setup().await;
    let unknown = number(230103, "19900101", 246);
    let page = refused(&s, |q| grant(q, &unknown, "王芳")).await;
    assert!(page.body.contains(text::CITIZEN_NO_RECORD), "{}", page.body);
    let page = refused(&s, |q| grant(q, &s.ssn, "张山")).await;
    assert!(page.body.contains(text::CITIZEN_NAME_MISMATCH), "{}", page.body);
}

#[tokio::test]
async fn a_reply_to_another_browser_is_refused() {
    let s = setup().await;
    let mut mine = Browser::new(&s.app);
    let q = go_to_provider(&mut mine).await;
    let mut other = Browser::new(&s.app);
    let page = come_back(&s, &mut other, &q, grant(&q, &s.ssn, "张三")).await;
    assert_eq!(page.status, StatusCode::UNAUTHORIZED);
    assert!(page.body.contains(text::CITIZEN_PROVIDER_FAILED));
    // A wrong PKCE verifier is the fake's refusal; the adapter always sends the right one,
    // which the good login proves. A callback without code or state is refused as well.
    let page = mine.get("/self/login/callback").await;
    assert_eq!(page.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn after_the_provider_rotates_its_key_the_new_key_is_read_and_accepted() {
    let s = setup().await;
    *s.fake.keys.lock().unwrap() = vec![(KEY_B, "k2")];

    let mut browser = Browser::new(&s.app);
    let q = go_to_provider(&mut browser).await;
    let rotated = Grant { pem: KEY_B, kid: "k2", ..grant(&q, &s.ssn, "张三") };
    let page = come_back(&s, &mut browser, &q, rotated).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.set_cookie(CITIZEN_COOKIE).is_some());

    // A token under the old key is now refused: the old key is no longer published.
    let page = refused(&s, |q| grant(q, &s.ssn, "张三")).await;
    assert!(page.body.contains(text::CITIZEN_PROVIDER_FAILED));
}

#[tokio::test]
async fn a_provider_unreachable_at_start_is_read_at_the_first_login() {
    let world = World::new().await;
    let ssn = number(230103, "19850312", 123);
    world.enter(&ssn, "张三").await;
    let toml = |issuer: &str| {
        format!(
            r#"
            issuer = "{issuer}"
            client_id = "{CLIENT_ID}"
            client_secret = "test-secret"
            redirect_url = "https://pb.example.gov.cn/self/login/callback"
            number_claim = "id_card_number"
            name_claim = "name"
            "#
        )
    };

    // Nothing listens on the discard port: a login says the identity service failed.
    let down = OidcConfig::from_toml(&toml("http://127.0.0.1:9")).unwrap();
    assert!(OidcProvider::discover(down.clone()).await.is_err());
    let app = pages_with(
        &world.store,
        Citizens::with_provider(Arc::new(OidcProvider::new(down).unwrap())),
    );
    let page = Browser::new(&app).get("/self/login/oidc").await;
    assert_eq!(page.status, StatusCode::UNAUTHORIZED);
    assert!(page.body.contains(text::CITIZEN_PROVIDER_FAILED), "{}", page.body);

    // An adapter that has not read the provider yet reads it when the first login comes.
    let fake = start_fake(world.store.clock().now()).await;
    let lazy = OidcProvider::new(OidcConfig::from_toml(&toml(&fake.issuer)).unwrap()).unwrap();
    let app = pages_with(&world.store, Citizens::with_provider(Arc::new(lazy)));
    let s = Setup { world, fake, app, ssn };
    let mut browser = Browser::new(&s.app);
    let q = go_to_provider(&mut browser).await;
    let page = come_back(&s, &mut browser, &q, grant(&q, &s.ssn, "张三")).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
}
