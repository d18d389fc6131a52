-- Composed image layers as the image cache sees them: when a launch last used each, and whether an admin pinned it
-- (kept whatever the size budget says). The layers themselves live in the runtime (Docker images genos-composed:*).
create table genos_image_cache (
    ref           varchar(200) not null primary key,
    last_used_at  timestamp with time zone not null,
    pinned        boolean not null
);
