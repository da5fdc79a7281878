// The one session-id pattern: the agent makes ids (`newSessionId`: a UTC stamp and five random
// lower-case letters or digits), and every edge that takes an id from elsewhere checks it here.

/** A session id: lower-case letters, digits and dashes, starting with a letter or digit, at most 64. */
export const SESSION_ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,63}$/;

/** How an id is described in an error message. */
export const SESSION_ID_RULE = 'a session id is lower-case letters, digits and dashes';
