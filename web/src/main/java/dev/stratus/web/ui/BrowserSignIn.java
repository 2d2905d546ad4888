package dev.stratus.web.ui;

import dev.stratus.web.auth.Authorization;
import io.javalin.http.Context;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.json.JsonFactory;

import java.io.ByteArrayOutputStream;
import java.net.URI;

/**
 * What the study browser needs to sign in ({@code GET /ui/config.json}): the provider's issuer (the page reads its
 * endpoints from the issuer's discovery document), the browser's public client id and the scopes to ask for; or
 * {@code "auth": null} when it need not sign in. Also the one origin, the issuer's, its pages may connect to besides
 * their own (the discovery document and the token endpoint).
 */
final class BrowserSignIn {
    private static final JsonFactory JSON = new JsonFactory();

    private final byte[] config;
    /** The issuer's origin ("https://idp.example"), or null when the browser does not sign in. */
    final String issuerOrigin;

    BrowserSignIn(Authorization authorization) {
        boolean on = authorization.enabled() && authorization.browserClientId() != null;
        URI issuer = on ? URI.create(authorization.issuer()) : null;
        issuerOrigin = on ? issuer.getScheme() + "://" + issuer.getRawAuthority() : null;
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        try (JsonGenerator g = JSON.createGenerator(body)) {
            g.writeStartObject();
            if (on) {
                g.writeObjectPropertyStart("auth");
                g.writeStringProperty("issuer", authorization.issuer());
                g.writeStringProperty("clientId", authorization.browserClientId());
                g.writeStringProperty("scopes", authorization.browserScopes());
                g.writeEndObject();
            } else {
                g.writeNullProperty("auth");
            }
            g.writeEndObject();
        }
        config = body.toByteArray();
    }

    void config(Context ctx) {
        ctx.contentType("application/json").result(config);
    }
}
