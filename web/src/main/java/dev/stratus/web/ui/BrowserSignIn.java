package dev.stratus.web.ui;

import dev.stratus.web.auth.Authorization;
import io.javalin.http.Context;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.json.JsonFactory;

import java.io.ByteArrayOutputStream;
import java.io.StringWriter;
import java.net.URI;

/**
 * What the study browser and the viewer need to sign in: the provider's issuer (the pages read its endpoints from
 * the issuer's discovery document), the public client id and the scopes to ask for. The browser reads them from
 * {@code GET /ui/config.json} ({@code "auth": null} when it need not sign in), the viewer from its app-config.js. Also
 * the one origin, the issuer's, their pages may connect to besides their own.
 */
final class BrowserSignIn {
    private static final JsonFactory JSON = new JsonFactory();

    private final byte[] config;
    /** Whether the pages sign in (authorization on and a browser client id set). */
    final boolean on;
    /** The issuer's URL, or null when the pages do not sign in. */
    final String issuer;
    /** The issuer's origin ("https://idp.example"), or null when the pages do not sign in. */
    final String issuerOrigin;
    final String clientId;
    /** The browser's scopes: openid, and read, write and delete when permissions are scopes. */
    final String scopes;
    /** The viewer's: openid, and read only (it never stores nor deletes). */
    final String viewerScopes;

    BrowserSignIn(Authorization authorization) {
        on = authorization.enabled() && authorization.browserClientId() != null;
        URI uri = on ? URI.create(authorization.issuer()) : null;
        issuer = on ? authorization.issuer() : null;
        issuerOrigin = on ? uri.getScheme() + "://" + uri.getRawAuthority() : null;
        clientId = on ? authorization.browserClientId() : null;
        scopes = on ? authorization.browserScopes() : null;
        viewerScopes = !on ? null : authorization.permissionClaim().equals(Authorization.DEFAULT_PERMISSION_CLAIM)
                ? "openid " + authorization.permissions().read() : "openid";
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        try (JsonGenerator g = JSON.createGenerator(body)) {
            g.writeStartObject();
            if (on) {
                g.writeObjectPropertyStart("auth");
                g.writeStringProperty("issuer", issuer);
                g.writeStringProperty("clientId", clientId);
                g.writeStringProperty("scopes", scopes);
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

    /** A JSON string literal, which is also a JavaScript one: for writing a setting into a script. */
    static String literal(String value) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeString(value);
        }
        return out.toString();
    }
}
