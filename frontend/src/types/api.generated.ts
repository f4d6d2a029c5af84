/**
 * Generated from the Django API's OpenAPI schema by `npm run api:types`
 * (scripts/api-types.mjs, openapi-typescript 6.7). Do not edit by hand.
 */

export interface paths {
  "/api/auth/csrf/": {
    /** @description Set the CSRF cookie for a client that has none yet. */
    get: operations["auth_csrf_retrieve"];
  };
  "/api/auth/login/": {
    /** @description Start a browser session (CSRF-protected); answers with the user. */
    post: operations["auth_login_create"];
  };
  "/api/auth/logout/": {
    /** @description End the browser session. */
    post: operations["auth_logout_create"];
  };
  "/api/auth/me/": {
    /** @description The signed-in user. */
    get: operations["auth_me_retrieve"];
  };
  "/api/auth/token/": {
    /** @description Exchange a username and password for an API token (for scripts). */
    post: operations["auth_token_create"];
  };
  "/api/health/": {
    /** @description Report each dependency; 200 when all are fine, 503 otherwise. */
    get: operations["health_retrieve"];
  };
}

export type webhooks = Record<string, never>;

export interface components {
  schemas: {
    CredentialsRequest: {
      password: string;
      username: string;
    };
    Health: {
      checks: {
        [key: string]: components["schemas"]["HealthCheck"];
      };
      mode: components["schemas"]["ModeEnum"];
      status: components["schemas"]["StatusEnum"];
      version: string;
    };
    HealthCheck: {
      detail: string;
      /** Format: double */
      latency_ms: number;
      ok: boolean;
    };
    /**
     * @description * `embedded` - embedded
     * * `production` - production
     * @enum {string}
     */
    ModeEnum: "embedded" | "production";
    /**
     * @description * `ok` - ok
     * * `degraded` - degraded
     * @enum {string}
     */
    StatusEnum: "ok" | "degraded";
    TokenResponse: {
      token: string;
    };
    User: {
      /**
       * Email address
       * Format: email
       */
      email: string;
      id: number;
      /**
       * Staff status
       * @description Designates whether the user can log into this admin site.
       */
      is_staff: boolean;
      /** @description Required. 150 characters or fewer. Letters, digits and @/./+/-/_ only. */
      username: string;
    };
  };
  responses: never;
  parameters: never;
  requestBodies: never;
  headers: never;
  pathItems: never;
}

export type $defs = Record<string, never>;

export type external = Record<string, never>;

export interface operations {

  /** @description Set the CSRF cookie for a client that has none yet. */
  auth_csrf_retrieve: {
    responses: {
      /** @description No response body */
      204: {
        content: never;
      };
    };
  };
  /** @description Start a browser session (CSRF-protected); answers with the user. */
  auth_login_create: {
    requestBody: {
      content: {
        "application/json": components["schemas"]["CredentialsRequest"];
        "application/x-www-form-urlencoded": components["schemas"]["CredentialsRequest"];
        "multipart/form-data": components["schemas"]["CredentialsRequest"];
      };
    };
    responses: {
      200: {
        content: {
          "application/json": components["schemas"]["User"];
        };
      };
    };
  };
  /** @description End the browser session. */
  auth_logout_create: {
    responses: {
      /** @description No response body */
      204: {
        content: never;
      };
    };
  };
  /** @description The signed-in user. */
  auth_me_retrieve: {
    responses: {
      200: {
        content: {
          "application/json": components["schemas"]["User"];
        };
      };
    };
  };
  /** @description Exchange a username and password for an API token (for scripts). */
  auth_token_create: {
    requestBody: {
      content: {
        "application/json": components["schemas"]["CredentialsRequest"];
        "application/x-www-form-urlencoded": components["schemas"]["CredentialsRequest"];
        "multipart/form-data": components["schemas"]["CredentialsRequest"];
      };
    };
    responses: {
      200: {
        content: {
          "application/json": components["schemas"]["TokenResponse"];
        };
      };
    };
  };
  /** @description Report each dependency; 200 when all are fine, 503 otherwise. */
  health_retrieve: {
    responses: {
      200: {
        content: {
          "application/json": components["schemas"]["Health"];
        };
      };
    };
  };
}
