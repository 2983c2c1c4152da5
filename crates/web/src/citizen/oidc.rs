//! The province's unified identity service, through OpenID Connect: the authorization code
//! flow with PKCE, a random `state` bound to the browser and a `nonce` checked in the ID token,
//! whose signature is verified against the provider's published keys (JWKS), with its issuer,
//! audience and expiry. Built on the `openidconnect` crate (docs/dependencies.md).
//!
//! The provider's discovery document and keys are read at start-up, or at the first login
//! when the provider cannot be reached then; a token naming a key id we do not know makes the
//! adapter re-read them (at most once a minute), so a key rotation needs no restart.
//!
//! Configured from a TOML file (`personbase serve --citizen-login FILE.toml`; a commented
//! example is `config/citizen-login.example.toml`):
//!
//! ```toml
//! issuer = "https://id.example.gov.cn/oidc"   # discovery at {issuer}/.well-known/openid-configuration
//! client_id = "personbase"
//! client_secret = "..."
//! redirect_url = "https://personbase.example.gov.cn/self/login/callback"
//! scopes = ["openid", "profile"]               # optional; openid is always asked for
//! number_claim = "id_card_number"              # the claim carrying the identity number ("sub" allowed)
//! name_claim = "name"                          # the claim carrying the name
//! ```

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard};

use chrono::{DateTime, Duration, Utc};
use openidconnect::core::{
    CoreAuthDisplay, CoreAuthPrompt, CoreErrorResponseType, CoreGenderClaim, CoreJsonWebKey,
    CoreJweContentEncryptionAlgorithm, CoreJwsSigningAlgorithm, CoreProviderMetadata,
    CoreResponseType, CoreRevocableToken, CoreRevocationErrorResponse,
    CoreTokenIntrospectionResponse, CoreTokenType,
};
use openidconnect::{
    AdditionalClaims, AuthenticationFlow, AuthorizationCode, ClaimsVerificationError, ClientId,
    ClientSecret, CsrfToken, EmptyExtraTokenFields, EndpointMaybeSet, EndpointNotSet, EndpointSet,
    IdToken, IdTokenClaims, IdTokenFields, IssuerUrl, Nonce, PkceCodeChallenge, PkceCodeVerifier,
    RedirectUrl, Scope, SignatureVerificationError, StandardErrorResponse, StandardTokenResponse,
    reqwest,
};
use personbase_identity::SocialSecurityNumber;
use serde::{Deserialize, Serialize};

use super::provider::{
    Begin, Begun, BoxFuture, IdentityProvider, LoginError, LoginStart, Reply, VerifiedCitizen,
};

/// How long a browser may take at the provider.
const LOGIN_MINUTES: i64 = 10;
/// A token signed with a key we do not know makes us re-read the provider's keys, at most
/// once in this many seconds (so that forged tokens cannot make us hammer the provider).
const REFRESH_SECONDS: i64 = 60;
/// How many logins may be under way at once (a bound on memory).
const MAX_PENDING: usize = 10_000;

/// The adapter's settings, from a TOML file.
#[derive(Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OidcConfig {
    /// The issuer's URL; the discovery document is under it.
    pub issuer: String,
    /// Our client id at the provider.
    pub client_id: String,
    /// Our client secret.
    pub client_secret: String,
    /// Where the provider sends the browser back: this service's `/self/login/callback`.
    pub redirect_url: String,
    /// Scopes to ask for besides `openid`.
    #[serde(default)]
    pub scopes: Vec<String>,
    /// The ID token claim that carries the identity number (`sub` or a custom claim).
    pub number_claim: String,
    /// The ID token claim that carries the name (`name` or a custom claim).
    pub name_claim: String,
}

impl std::fmt::Debug for OidcConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OidcConfig")
            .field("issuer", &self.issuer)
            .field("client_id", &self.client_id)
            .field("redirect_url", &self.redirect_url)
            .finish_non_exhaustive()
    }
}

impl OidcConfig {
    /// Reads the settings; a bad file is refused with what is wrong and where.
    pub fn from_toml(text: &str) -> Result<Self, String> {
        let config: OidcConfig = toml::from_str(text).map_err(|e| e.to_string())?;
        IssuerUrl::new(config.issuer.clone()).map_err(|e| format!("issuer: {e}"))?;
        RedirectUrl::new(config.redirect_url.clone()).map_err(|e| format!("redirect_url: {e}"))?;
        for (key, value) in
            [("number_claim", &config.number_claim), ("name_claim", &config.name_claim)]
        {
            if value.trim().is_empty() {
                return Err(format!("{key}: must name a claim"));
            }
        }
        Ok(config)
    }
}

/// The ID token's claims beyond the standard ones, by name (the number's claim is one).
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
pub struct ExtraClaims(pub serde_json::Map<String, serde_json::Value>);

impl AdditionalClaims for ExtraClaims {}

type IdFields = IdTokenFields<
    ExtraClaims,
    EmptyExtraTokenFields,
    CoreGenderClaim,
    CoreJweContentEncryptionAlgorithm,
    CoreJwsSigningAlgorithm,
>;

type OidcClient = openidconnect::Client<
    ExtraClaims,
    CoreAuthDisplay,
    CoreGenderClaim,
    CoreJweContentEncryptionAlgorithm,
    CoreJsonWebKey,
    CoreAuthPrompt,
    StandardErrorResponse<CoreErrorResponseType>,
    StandardTokenResponse<IdFields, CoreTokenType>,
    CoreTokenIntrospectionResponse,
    CoreRevocableToken,
    CoreRevocationErrorResponse,
    EndpointSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointMaybeSet,
    EndpointMaybeSet,
>;

/// A login sent to the provider, by its `state`.
struct Pending {
    binding: String,
    verifier: String,
    nonce: String,
    expires: DateTime<Utc>,
}

/// The provider's discovery document and keys, as last read.
#[derive(Default)]
struct Discovered {
    metadata: Option<CoreProviderMetadata>,
    /// When they were last re-read because of an unknown key (`None`: not yet).
    refreshed: Option<DateTime<Utc>>,
}

/// The OpenID Connect adapter.
pub struct OidcProvider {
    config: OidcConfig,
    discovered: tokio::sync::RwLock<Discovered>,
    http: reqwest::Client,
    pending: Mutex<HashMap<String, Pending>>,
}

impl std::fmt::Debug for OidcProvider {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OidcProvider").field("config", &self.config).finish_non_exhaustive()
    }
}

impl OidcProvider {
    /// The adapter, without contacting the provider yet: the discovery document and keys are
    /// read at the first login.
    pub fn new(config: OidcConfig) -> Result<Self, LoginError> {
        IssuerUrl::new(config.issuer.clone())
            .map_err(|e| LoginError::Provider(format!("issuer: {e}")))?;
        let http = reqwest::ClientBuilder::new()
            // Following redirects would let a provider's answer send us anywhere (SSRF).
            .redirect(reqwest::redirect::Policy::none())
            .timeout(std::time::Duration::from_secs(15))
            .build()
            .map_err(|e| LoginError::Provider(format!("http client: {e}")))?;
        let discovered = tokio::sync::RwLock::new(Discovered::default());
        Ok(OidcProvider { config, discovered, http, pending: Mutex::new(HashMap::new()) })
    }

    /// The adapter, having read the provider's discovery document and keys.
    pub async fn discover(config: OidcConfig) -> Result<Self, LoginError> {
        let provider = OidcProvider::new(config)?;
        provider.read_provider(None).await?;
        Ok(provider)
    }

    /// Reads the discovery document and keys (again); `now` marks a re-read.
    async fn read_provider(
        &self,
        now: Option<DateTime<Utc>>,
    ) -> Result<CoreProviderMetadata, LoginError> {
        let issuer = IssuerUrl::new(self.config.issuer.clone())
            .map_err(|e| LoginError::Provider(format!("issuer: {e}")))?;
        let metadata = CoreProviderMetadata::discover_async(issuer, &self.http)
            .await
            .map_err(|e| LoginError::Provider(format!("discovery: {}", chain(&e))))?;
        let mut discovered = self.discovered.write().await;
        discovered.metadata = Some(metadata.clone());
        if now.is_some() {
            discovered.refreshed = now;
        }
        Ok(metadata)
    }

    /// The discovery document and keys, read at the first need.
    async fn metadata(&self) -> Result<CoreProviderMetadata, LoginError> {
        if let Some(metadata) = &self.discovered.read().await.metadata {
            return Ok(metadata.clone());
        }
        self.read_provider(None).await
    }

    /// Re-reads the keys after a token named one we do not know, unless that was done less
    /// than [`REFRESH_SECONDS`] ago.
    async fn refresh_keys(&self, now: DateTime<Utc>) -> Option<CoreProviderMetadata> {
        let last = self.discovered.read().await.refreshed;
        if last.is_some_and(|at| now < at + Duration::seconds(REFRESH_SECONDS)) {
            return None;
        }
        tracing::info!("identity provider keys re-read for an unknown key id");
        self.read_provider(Some(now)).await.ok()
    }

    fn client(&self, metadata: CoreProviderMetadata) -> Result<OidcClient, LoginError> {
        let redirect = RedirectUrl::new(self.config.redirect_url.clone())
            .map_err(|e| LoginError::Provider(format!("redirect_url: {e}")))?;
        Ok(OidcClient::from_provider_metadata(
            metadata,
            ClientId::new(self.config.client_id.clone()),
            Some(ClientSecret::new(self.config.client_secret.clone())),
        )
        .set_redirect_uri(redirect))
    }

    async fn begin_now(&self, begin: Begin<'_>) -> Result<Begun, LoginError> {
        let client = self.client(self.metadata().await?)?;
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let mut request = client.authorize_url(
            AuthenticationFlow::<CoreResponseType>::AuthorizationCode,
            CsrfToken::new_random,
            Nonce::new_random,
        );
        for scope in self.config.scopes.iter().filter(|s| s.as_str() != "openid") {
            request = request.add_scope(Scope::new(scope.clone()));
        }
        let (url, state, nonce) = request.set_pkce_challenge(challenge).url();

        let mut pending = self.lock();
        pending.retain(|_, p| p.expires > begin.now);
        if pending.len() >= MAX_PENDING {
            return Err(LoginError::Busy);
        }
        pending.insert(
            state.secret().clone(),
            Pending {
                binding: begin.binding.to_owned(),
                verifier: verifier.secret().clone(),
                nonce: nonce.secret().clone(),
                expires: begin.now + Duration::minutes(LOGIN_MINUTES),
            },
        );
        Ok(Begun::Redirect(url.to_string()))
    }

    async fn complete_now(&self, reply: Reply<'_>) -> Result<VerifiedCitizen, LoginError> {
        if let Some(error) = reply.param("error") {
            return Err(LoginError::Provider(format!("the provider answered {error}")));
        }
        let state = reply.param("state").unwrap_or_default();
        let code = reply.param("code").unwrap_or_default();
        let pending = self.lock().remove(state);
        let Some(pending) = pending else {
            return Err(LoginError::Provider("unknown or used state".to_owned()));
        };
        if pending.binding != reply.binding || pending.expires <= reply.now {
            return Err(LoginError::Provider("state of another browser or expired".to_owned()));
        }

        let client = self.client(self.metadata().await?)?;
        let response = client
            .exchange_code(AuthorizationCode::new(code.to_owned()))
            .map_err(|e| LoginError::Provider(format!("token endpoint: {e}")))?
            .set_pkce_verifier(PkceCodeVerifier::new(pending.verifier))
            .request_async(&self.http)
            .await
            .map_err(|e| LoginError::Provider(format!("token request: {}", chain(&e))))?;
        let id_token = response
            .extra_fields()
            .id_token()
            .ok_or_else(|| LoginError::Provider("no ID token in the answer".to_owned()))?;
        let nonce = Nonce::new(pending.nonce);

        match self.identity(&client, id_token, &nonce, reply.now) {
            Err(ClaimsVerificationError::SignatureVerification(
                SignatureVerificationError::NoMatchingKey,
            )) => {
                // The provider may have rotated its keys since we read them.
                let Some(metadata) = self.refresh_keys(reply.now).await else {
                    return Err(LoginError::Provider("ID token: no matching key".to_owned()));
                };
                let client = self.client(metadata)?;
                self.identity(&client, id_token, &nonce, reply.now)
                    .map_err(|e| LoginError::Provider(format!("ID token: {}", chain(&e))))?
            }
            other => other.map_err(|e| LoginError::Provider(format!("ID token: {}", chain(&e))))?,
        }
    }

    /// The citizen an ID token vouches for, once its signature, issuer, audience, expiry and
    /// nonce are verified.
    fn identity(
        &self,
        client: &OidcClient,
        id_token: &IdToken<
            ExtraClaims,
            CoreGenderClaim,
            CoreJweContentEncryptionAlgorithm,
            CoreJwsSigningAlgorithm,
        >,
        nonce: &Nonce,
        now: DateTime<Utc>,
    ) -> Result<Result<VerifiedCitizen, LoginError>, ClaimsVerificationError> {
        let verifier = client.id_token_verifier().set_time_fn(move || now);
        let claims = id_token.claims(&verifier, nonce)?;
        let identity = || {
            let number = claim(claims, &self.config.number_claim)
                .ok_or_else(|| LoginError::Provider("no number claim".to_owned()))?;
            let number = SocialSecurityNumber::parse(&number)
                .map_err(|e| LoginError::Provider(format!("number claim: {}", e.code())))?;
            let name = claim(claims, &self.config.name_claim)
                .ok_or_else(|| LoginError::Provider("no name claim".to_owned()))?;
            Ok(VerifiedCitizen { number, name: name.trim().to_owned() })
        };
        Ok(identity())
    }

    fn lock(&self) -> MutexGuard<'_, HashMap<String, Pending>> {
        self.pending.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// A claim's text: the standard `sub` and `name`, or a claim beyond the standard ones.
fn claim(claims: &IdTokenClaims<ExtraClaims, CoreGenderClaim>, name: &str) -> Option<String> {
    match name {
        "sub" => Some(claims.subject().as_str().to_owned()),
        "name" => claims.name().and_then(|n| n.get(None)).map(|n| n.as_str().to_owned()),
        "preferred_username" => claims.preferred_username().map(|n| n.as_str().to_owned()),
        other => claims.additional_claims().0.get(other)?.as_str().map(str::to_owned),
    }
}

/// An error with its causes, for the log.
fn chain(err: &dyn std::error::Error) -> String {
    let mut text = err.to_string();
    let mut cause = err.source();
    while let Some(c) = cause {
        text.push_str(": ");
        text.push_str(&c.to_string());
        cause = c.source();
    }
    text
}

impl IdentityProvider for OidcProvider {
    fn start(&self) -> LoginStart {
        LoginStart::Redirect
    }

    fn begin<'a>(&'a self, begin: Begin<'a>) -> BoxFuture<'a, Result<Begun, LoginError>> {
        Box::pin(self.begin_now(begin))
    }

    fn complete<'a>(
        &'a self,
        reply: Reply<'a>,
    ) -> BoxFuture<'a, Result<VerifiedCitizen, LoginError>> {
        Box::pin(self.complete_now(reply))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_config_file_is_read_and_a_bad_one_says_what_is_wrong() {
        let good = r#"
            issuer = "https://id.example.gov.cn/oidc"
            client_id = "personbase"
            client_secret = "s3cret"
            redirect_url = "https://pb.example.gov.cn/self/login/callback"
            scopes = ["openid", "profile"]
            number_claim = "id_card_number"
            name_claim = "name"
        "#;
        let config = OidcConfig::from_toml(good).unwrap();
        assert_eq!(config.number_claim, "id_card_number");
        assert!(!format!("{config:?}").contains("s3cret"), "the secret stays out of logs");

        let typo = good.replace("name_claim", "name_clam");
        assert!(OidcConfig::from_toml(&typo).unwrap_err().contains("name_clam"));
        let bad_url = good.replace("https://pb.example.gov.cn/self", "not a url");
        assert!(OidcConfig::from_toml(&bad_url).unwrap_err().starts_with("redirect_url"));
    }

    #[test]
    fn the_example_configuration_is_valid() {
        let example = include_str!("../../../../config/citizen-login.example.toml");
        let config = OidcConfig::from_toml(example).unwrap();
        assert_eq!(config.redirect_url, "https://personbase.example.gov.cn/self/login/callback");
    }
}
