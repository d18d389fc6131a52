-- One row: the id of this GenOS installation (this database), created at first use. Every runtime resource carries it
-- (label io.genos.installation), so that reconcile adopts or removes only its own resources when several
-- installations share a Docker or libvirt host. (V3: V2 is left to the display-protocol column being added meanwhile.)
create table genos_installation (
    singleton   integer      not null primary key,
    id          varchar(36)  not null,
    created_at  timestamp with time zone not null,
    constraint genos_installation_one check (singleton = 1)
);
