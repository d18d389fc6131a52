-- Personal API tokens (issue 10): for scripts and the CLI. Only a SHA-256 hash of each token's secret is kept; the
-- token itself is shown once, when it is made. A token ends at its expiry or when it is revoked (the row stays, for
-- the audit and the list).
create table genos_api_token (
    id           varchar(16)  primary key,
    owner        varchar(64)  not null,
    name         varchar(80)  not null,
    secret_hash  varchar(64)  not null,
    created_at   timestamp with time zone not null,
    expires_at   timestamp with time zone not null,
    last_used_at timestamp with time zone,
    revoked_at   timestamp with time zone
);

create index genos_api_token_owner on genos_api_token (owner);
