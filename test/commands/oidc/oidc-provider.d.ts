// oidc-provider 8 ships no type declarations; the tests use it through a small, untyped surface.
declare module 'oidc-provider'
