//! The OpenAPI document, served at `/api/v1/openapi.json`.

use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use crate::routes::{business, cards, persons, requests, self_service, session};

/// The API's OpenAPI description.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "PersonBase API",
        version = "1",
        description = "人员基本信息管理：按通知规则录入、查询、修改人员基本信息。错误统一为 {code, message, rule, details}。"
    ),
    paths(
        crate::routes::healthz,
        session::login, session::whoami, session::logout, session::agencies,
        persons::enter, persons::search, persons::get_masked, persons::unmask,
        persons::details, persons::history, persons::registry_lookup,
        requests::preview, requests::propose, requests::get_request, requests::sign_off,
        requests::reject, requests::confirm, requests::withdraw, requests::inbox,
        requests::overdue,
        cards::issue, cards::void, cards::replacement,
        business::enrol, business::close_enrolment, business::start_transaction,
        business::finish_transaction, business::add_special, business::cancel_special,
        self_service::issue_token, self_service::change, self_service::confirm,
    ),
    components(schemas(crate::error::ErrorBody)),
    modifiers(&Security),
    tags(
        (name = "session", description = "经办人员登录"),
        (name = "persons", description = "人员基本信息"),
        (name = "changes", description = "修改申请的提出与预判"),
        (name = "requests", description = "修改申请的确认、驳回、撤回"),
        (name = "cards", description = "社会保障卡"),
        (name = "business", description = "业务系统（API Key）"),
        (name = "self-service", description = "本人网上办理"),
        (name = "registry", description = "省公安户籍库（只读）"),
    )
)]
pub struct ApiDoc;

struct Security;

impl Modify for Security {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
        components.add_security_scheme(
            "api_key",
            SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::new("X-Api-Key"))),
        );
        components.add_security_scheme(
            "self_token",
            SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::new("X-Self-Token"))),
        );
    }
}

/// The document.
pub(crate) fn document() -> utoipa::openapi::OpenApi {
    ApiDoc::openapi()
}
