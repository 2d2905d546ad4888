package dev.stratus.web.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.RateLimitReachedException;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.EncryptedJWT;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import dev.stratus.index.TenantId;

import java.text.ParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Turns a bearer token into a {@link Principal}, or refuses it saying why. All JOSE work is nimbus-jose-jwt's: the
 * signature with a key of the issuer's published set and an accepted algorithm, then {@code iss}, {@code aud},
 * {@code exp} and {@code nbf} (with the clock skew allowed); what is ours is reading the grants from the claims.
 */
public final class TokenVerifier {
    /** RFC 9068 access tokens say at+jwt; most providers say JWT or nothing. */
    private static final DefaultJOSEObjectTypeVerifier<SecurityContext> TYPES = new DefaultJOSEObjectTypeVerifier<>(
            JOSEObjectType.JWT, new JOSEObjectType("at+jwt"), new JOSEObjectType("application/at+jwt"), null);

    private final Authorization settings;
    private final Set<JWSAlgorithm> algorithms;
    private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();

    TokenVerifier(Authorization settings, JWKSource<SecurityContext> keys) {
        if (!settings.enabled()) throw new IllegalArgumentException("authorization is off: there is no issuer to verify tokens of");
        this.settings = settings;
        this.algorithms = settings.jwsAlgorithms();
        processor.setJWSTypeVerifier(TYPES);
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(algorithms, keys));
        DefaultJWTClaimsVerifier<SecurityContext> claims = new DefaultJWTClaimsVerifier<>(Set.of(settings.audience()),
                new JWTClaimsSet.Builder().issuer(settings.issuer()).build(), Set.of("sub", "exp"), null);
        claims.setMaxClockSkew((int) settings.clockSkew().toSeconds());
        processor.setJWTClaimsSetVerifier(claims);
    }

    /** Verifies tokens of {@link Authorization#issuer()} against the keys its discovery document points to. */
    public static TokenVerifier of(Authorization settings) {
        return new TokenVerifier(settings, new IssuerKeys(settings.issuer(), settings.keyRefetchInterval()));
    }

    /** @throws AccessRefused 401 invalid_token when the token is not acceptable, 503 when the keys cannot be had */
    public Principal verify(String token) {
        JWT jwt;
        try {
            jwt = JWTParser.parse(token);
        } catch (ParseException e) {
            throw AccessRefused.invalidToken("not a JWT (" + e.getMessage() + ")");
        }
        SignedJWT signed = switch (jwt) {
            case PlainJWT p -> throw AccessRefused.invalidToken("unsigned tokens (alg none) are never accepted");
            case EncryptedJWT e -> throw AccessRefused.invalidToken("encrypted tokens are not accepted");
            case SignedJWT s -> s;
            default -> throw AccessRefused.invalidToken("unknown kind of JWT");
        };
        JWSAlgorithm alg = signed.getHeader().getAlgorithm();
        if (!algorithms.contains(alg)) {
            throw AccessRefused.invalidToken("signature algorithm " + alg + " is not accepted (only "
                    + algorithms.stream().map(JWSAlgorithm::getName).sorted().collect(Collectors.joining(", ")) + ")");
        }
        JWTClaimsSet claims;
        try {
            claims = processor.process(signed, null);
        } catch (RateLimitReachedException e) {
            throw AccessRefused.invalidToken("no key with id '" + signed.getHeader().getKeyID()
                    + "' is known from the issuer (its key set was fetched too recently to look again)");
        } catch (KeySourceException e) {
            throw AccessRefused.providerUnavailable(e);
        } catch (BadJWTException e) {
            throw AccessRefused.invalidToken(claimProblem(e.getMessage()));
        } catch (BadJOSEException e) {
            String m = e.getMessage() == null ? "" : e.getMessage();
            if (m.contains("no matching key")) {
                throw AccessRefused.invalidToken("the issuer publishes no " + alg + " key with id '" + signed.getHeader().getKeyID() + "'");
            }
            throw AccessRefused.invalidToken(m.contains("Invalid signature") ? "the signature does not verify" : m);
        } catch (JOSEException e) {
            throw AccessRefused.invalidToken("the signature cannot be checked (" + e.getMessage() + ")");
        }
        return principal(claims);
    }

    /** nimbus' words for a claim it refused, said for a client developer; anything unforeseen as nimbus said it. */
    private String claimProblem(String nimbus) {
        String m = nimbus == null ? "" : nimbus;
        if (m.startsWith("Expired")) return "the token has expired (exp)";
        if (m.contains("before use time")) return "the token is not valid yet (nbf)";
        if (m.contains("aud claim")) return "the token is for another audience (aud must include '" + settings.audience() + "')";
        if (m.contains("iss claim")) return "the token is from another issuer (iss must be '" + settings.issuer() + "')";
        return m;
    }

    private Principal principal(JWTClaimsSet claims) {
        Set<TenantId> tenants = new HashSet<>();
        for (String name : words(claim(claims, settings.tenantClaim()), false)) {
            if (TenantId.isValid(name)) tenants.add(new TenantId(name));
        }
        Set<String> granted = new HashSet<>(words(claim(claims, settings.permissionClaim()), true));
        Set<Capability> capabilities = EnumSet.noneOf(Capability.class);
        for (Capability c : Capability.values()) {
            if (c != Capability.OPEN && granted.contains(settings.permissions().nameOf(c))) capabilities.add(c);
        }
        Object clientId = claims.getClaim("client_id") != null ? claims.getClaim("client_id") : claims.getClaim("azp");
        return new Principal(claims.getSubject(), clientId instanceof String c ? c : null, tenants, capabilities);
    }

    /** The claim of that name, else (a dotted name) the value at that path through nested objects. */
    static Object claim(JWTClaimsSet claims, String name) {
        Object value = claims.getClaim(name);
        if (value != null || !name.contains(".")) return value;
        Object at = claims.getClaims();
        for (String step : name.split("\\.")) {
            if (!(at instanceof Map<?, ?> map)) return null;
            at = map.get(step);
        }
        return at;
    }

    /** A string (split on spaces when {@code split}: the scope claim) or an array of strings; anything else is nothing. */
    private static List<String> words(Object value, boolean split) {
        List<String> out = new ArrayList<>();
        if (value instanceof String s) {
            if (split) {
                for (String w : s.strip().split("\\s+")) if (!w.isEmpty()) out.add(w);
            } else {
                out.add(s);
            }
        } else if (value instanceof Collection<?> list) {
            for (Object o : list) if (o instanceof String s) out.add(s);
        }
        return out;
    }
}
