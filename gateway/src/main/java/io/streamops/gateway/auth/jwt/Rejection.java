package io.streamops.gateway.auth.jwt;

/** Why a token was refused: a stable, machine-readable code for the 401 body, and detail for people. */
public enum Rejection {
    MISSING_TOKEN("missing_token"),
    TOKEN_TOO_LARGE("token_too_large"),
    MALFORMED("malformed_token"),
    INVALID_BASE64URL("invalid_base64url"),
    INVALID_JSON("invalid_json"),
    DUPLICATE_MEMBER("duplicate_json_member"),
    ALG_NONE("alg_none"),
    ALG_NOT_ALLOWED("alg_not_allowed"),
    UNKNOWN_CRIT("unknown_crit_header"),
    KEY_INJECTION("key_in_header"),
    MISSING_KID("missing_kid"),
    INVALID_KID("invalid_kid"),
    UNKNOWN_KID("unknown_kid"),
    ALG_KEY_MISMATCH("alg_key_mismatch"),
    BAD_SIGNATURE("bad_signature"),
    EXPIRED("token_expired"),
    NOT_YET_VALID("token_not_yet_valid"),
    MISSING_CLAIM("missing_claim"),
    WRONG_ISSUER("wrong_issuer"),
    WRONG_AUDIENCE("wrong_audience");

    private final String code;

    Rejection(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }
}
