// Internal: the parts of `jose` that id_token.ts uses, in a module of their
// own so that id_token.ts can load them on first use (`import("./_jose.ts")`)
// while bundlers still keep only these parts of `jose`.

export { createRemoteJWKSet, customFetch, errors, jwtVerify } from "jose";
