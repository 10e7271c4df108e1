-- Join tokens revoked before they expire, by their jti. A row may be deleted once expires_at has
-- passed: an expired token is refused anyway.
create table revoked_tokens (
  jti text primary key check (jti <> ''),
  revoked_at timestamptz not null default now(),
  expires_at timestamptz
);
